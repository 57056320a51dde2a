//! The app shell: header, the screens, the bottom navigation.

use crate::components::nav::BottomNav;
use crate::components::update_banner::UpdateBanner;
use crate::ctx::{use_app, AppCtx};
use crate::i18n::Common;
use crate::pages::attendance::Attendance;
use crate::pages::board::Board;
use crate::pages::conflicts::Conflicts;
use crate::pages::home::Home;
use crate::pages::import::Import;
use crate::pages::roster::Roster;
use crate::pages::settings::Settings;
use crate::pages::setup::Setup;
use crate::pages::student::{NewStudent, StudentPage};
use crate::pages::sync::{SyncPage, SyncStatusLine};
use crate::router::Router;
use crate::sync::SyncCtx;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let ctx = AppCtx::new();
    provide_context(ctx);
    let sync = SyncCtx::provide();
    leptos::task::spawn_local(async move {
        ctx.load().await;
        sync.start(ctx).await;
    });
    leptos::task::spawn_local(async {
        crate::store::persist::request_persistence().await;
    });
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", ctx.lang.get().tag());
        }
    });
    let path = Router::provide().path();
    // The page shown; a memo, so that a navigation within one page does not redraw it.
    let page = Memo::new(move |_| path.with(|path| Page::of(path)));
    let shown = move || match page.get() {
        Page::Home => view! { <Home/> }.into_any(),
        Page::Setup => view! { <Setup/> }.into_any(),
        Page::Roster => view! { <Roster/> }.into_any(),
        Page::Import => view! { <Import/> }.into_any(),
        Page::Attendance => view! { <Attendance/> }.into_any(),
        Page::Board => view! { <Board/> }.into_any(),
        Page::NewStudent => view! { <NewStudent/> }.into_any(),
        Page::Student(id) => view! { <StudentPage id/> }.into_any(),
        Page::Settings => view! { <Settings/> }.into_any(),
        Page::Sync => view! { <SyncPage/> }.into_any(),
        Page::Conflicts => view! { <Conflicts/> }.into_any(),
    };
    view! {
        <Header/>
        <UpdateBanner/>
        <SyncStatusLine/>
        <main>
            <Show when=move || ctx.loaded.get() fallback=move || view! { <p class="muted">{ctx.t(Common::Loading)}</p> }>
                <Show when=move || ctx.store_error.get().is_none() fallback=move || view! { <p class="error" role="alert">{ctx.t(Common::StoreFailed)}</p> }>
                    {shown}
                </Show>
            </Show>
        </main>
        <BottomNav/>
    }
}

/// The app's pages by path; any other path shows the start screen.
#[derive(Clone, PartialEq)]
enum Page {
    Home,
    Setup,
    Roster,
    Import,
    Attendance,
    Board,
    NewStudent,
    Student(String),
    Settings,
    Sync,
    Conflicts,
}

impl Page {
    fn of(path: &str) -> Page {
        match path {
            "/setup" => Page::Setup,
            "/roster" => Page::Roster,
            "/import" => Page::Import,
            "/attendance" => Page::Attendance,
            "/board" => Page::Board,
            "/student/new" => Page::NewStudent,
            "/settings" => Page::Settings,
            "/sync" => Page::Sync,
            "/conflicts" => Page::Conflicts,
            _ => match path.strip_prefix("/student/") {
                Some(id) if !id.is_empty() && !id.contains('/') => Page::Student(id.to_owned()),
                _ => Page::Home,
            },
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
