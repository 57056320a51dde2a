//! The app shell: header, the screens, the bottom navigation.

use crate::case_code::CaseWork;
use crate::components::nav::BottomNav;
use crate::components::update_banner::UpdateBanner;
use crate::ctx::{use_app, AppCtx};
use crate::i18n::{Common, SettingsText};
use crate::later::{use_later, Later};
use crate::pages::home::Home;
use crate::pages::setup::Setup;
use crate::pages::sync::SyncStatusLine;
use crate::pages::LaterPage;
use crate::router::Router;
use crate::store::StoreError;
use crate::sync::SyncCtx;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let ctx = AppCtx::new();
    provide_context(ctx);
    let sync = SyncCtx::provide();
    let later = Later::provide(ctx, sync);
    CaseWork::provide();
    // The later code loads the store; a new phone is shown its first-run form before that.
    later.start();
    let first_run = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        if crate::store::never_opened().await {
            first_run.set(true);
        }
    });
    leptos::task::spawn_local(async {
        crate::store::persist::request_persistence().await;
    });
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", ctx.lang.get().tag());
        }
        crate::lang_choice::keep(ctx.lang.get());
    });
    let path = Router::provide().path();
    // The page shown; a memo, so that a navigation within one page does not redraw it.
    let page = Memo::new(move |_| path.with(|path| Page::of(path)));
    // A new phone's first screen (Setup) is in this module; the other pages are in the later
    // code (crate::later).
    let shown = move || match page.get() {
        Page::Home => view! { <Home/> }.into_any(),
        Page::Setup => view! { <Setup/> }.into_any(),
        Page::Later(page) => view! { <LaterScreen page/> }.into_any(),
    };
    view! {
        <Header/>
        <UpdateBanner/>
        <SyncStatusLine/>
        <main>
            <Show when=move || ctx.loaded.get() || first_run.get() fallback=move || view! { <FetchingLater/> }>
                <Show when=move || ctx.store_error.get().is_none() fallback=move || view! { <p class="error" role="alert">{move || store_failed_text(ctx)}</p> }>
                    {shown}
                </Show>
            </Show>
        </main>
        <BottomNav/>
    }
}

/// Why the store could not be opened or read at start, as the teacher is told it: the cases
/// the teacher can act on have their own words.
fn store_failed_text(ctx: AppCtx) -> &'static str {
    ctx.store_error.with(|error| match error {
        Some(StoreError::Blocked) => ctx.tr(SettingsText::OtherTabOpen),
        Some(StoreError::Full) => ctx.tr(SettingsText::StorageFull),
        Some(StoreError::Damaged(_)) => ctx.tr(SettingsText::RecordDamaged),
        Some(
            StoreError::Open(_)
            | StoreError::Write(_)
            | StoreError::Read(_)
            | StoreError::NotSetUp
            | StoreError::BadBackup(_),
        )
        | None => ctx.tr(Common::StoreFailed),
    })
}

/// The app's pages by path; any other path shows the start screen. The first-run form is drawn
/// by this module, every other page by the later code.
#[derive(Clone, PartialEq)]
enum Page {
    Home,
    Setup,
    Later(LaterPage),
}

impl Page {
    fn of(path: &str) -> Page {
        match path {
            "/setup" => Page::Setup,
            _ => LaterPage::of(path).map_or(Page::Home, Page::Later),
        }
    }
}

#[component]
fn Header() -> impl IntoView {
    let ctx = use_app();
    view! {
        <header class="bar">
            <h1>{ctx.t(Common::AppName)}</h1>
            <button class="lang" on:click=move |_| ctx.lang.update(|lang| *lang = lang.other())>
                {ctx.t(Common::SwitchLanguage)}
            </button>
        </header>
    }
}

/// A page of the later code: drawn once that code is here.
#[component]
fn LaterScreen(page: LaterPage) -> impl IntoView {
    let later = use_later();
    move || match later.ready() {
        Some(code) => (code.page)(page.clone()),
        None => view! { <FetchingLater/> }.into_any(),
    }
}

/// While the later code is on its way (see `Fetching`).
#[component]
fn FetchingLater() -> impl IntoView {
    let later = use_later();
    let retry = Callback::new(move |()| {
        leptos::task::spawn_local(async move {
            let _ = later.code().await;
        })
    });
    view! { <Fetching failed=Signal::derive(move || later.failed()) retry/> }
}

/// While code of a later module is on its way: "loading", or, when it could not be fetched,
/// what happened with a way to try again (the later code is also tried again when the phone is
/// back online).
#[component]
pub fn Fetching(failed: Signal<bool>, retry: Callback<()>) -> impl IntoView {
    let ctx = use_app();
    move || {
        if failed.get() {
            view! {
                <p class="error" role="alert">{ctx.t(Common::NotLoaded)}</p>
                <button class="primary" on:click=move |_| retry.run(())>{ctx.t(Common::TryAgain)}</button>
            }
            .into_any()
        } else {
            view! { <p class="muted">{ctx.t(Common::Loading)}</p> }.into_any()
        }
    }
}
