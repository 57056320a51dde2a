//! The code a new phone's first screen does not need: reading and writing the store, every
//! page but the first-run Setup, and the sync client. In the release build it is a wasm module
//! of its own (`later_*-<hash>.wasm`, cut off by `cargo xtask build`, see
//! docs/code-splitting.md), fetched as soon as the app starts, so the first visit draws the
//! first-run form before it has arrived. A returning phone has it from the service worker's
//! cache. Without the `baoxue_split` cfg (tests, debug builds) it is ordinary code in the one
//! module.
//!
//! The later module is entered once, through `later_code`, which hands back plain function
//! pointers; everything after that calls through them.

use crate::ctx::{AppCtx, WriteError};
use crate::i18n::SettingsText;
use crate::pages::LaterPage;
use crate::store::{Credential, Profile};
use crate::sync::{SyncCtx, SyncError};
use baoxue_domain::mutation::Change;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// A future of the later code; boxed, because a split function cannot be `async`.
pub type LaterFuture<T> = Pin<Box<dyn Future<Output = T>>>;
type SetUp = fn(AppCtx, Profile, Vec<Change>) -> LaterFuture<Result<(), WriteError>>;
type Enroll = fn(SyncCtx, AppCtx, String, String) -> LaterFuture<Result<Credential, SyncError>>;

/// The entry points into the later code.
#[derive(Clone, Copy)]
pub struct LaterCode {
    /// Draws a page that is not the first-run form.
    pub page: fn(LaterPage) -> AnyView,
    /// Opens the store and reads everything into memory (`AppCtx::load`).
    pub load: fn(AppCtx) -> LaterFuture<()>,
    /// The first run's save (`AppCtx::set_up`).
    pub set_up: SetUp,
    /// The control that restores a backup file (`pages::settings::RestoreBackup`).
    pub restore_backup: fn(SettingsText) -> AnyView,
    /// Starts the sync client, once the store is loaded.
    pub start_sync: fn(SyncCtx, AppCtx),
    /// Enrolls this phone at its school on the server with the operator's one-time code
    /// (code, teacher's name).
    pub enroll: Enroll,
    /// One sync now (`SyncCtx::run`).
    pub sync_now: fn(SyncCtx, AppCtx) -> LaterFuture<()>,
}

/// The later code could not be fetched: no signal before the service worker had kept it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the rest of the app could not be fetched (no signal?); it is fetched again when the phone is online")]
pub struct NotLoaded;

#[cfg(baoxue_split)]
impl From<leptos::wasm_split::SplitLoaderError> for NotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> NotLoaded {
        NotLoaded
    }
}

#[cfg_attr(baoxue_split, leptos::wasm_split::wasm_split(later, wasm_split_path = leptos::wasm_split, fallible))]
fn later_code() -> Result<LaterCode, NotLoaded> {
    Ok(LaterCode { page: page_view, load, set_up, restore_backup, start_sync, enroll, sync_now })
}

fn page_view(page: LaterPage) -> AnyView {
    page.view()
}

fn load(app: AppCtx) -> LaterFuture<()> {
    Box::pin(app.load())
}

fn set_up(app: AppCtx, profile: Profile, changes: Vec<Change>) -> LaterFuture<Result<(), WriteError>> {
    Box::pin(
        async move { app.write_as(changes.into_iter().map(|change| (change, None)).collect(), Some(profile)).await },
    )
}

fn restore_backup(label: SettingsText) -> AnyView {
    use crate::pages::settings::RestoreBackup;
    view! { <RestoreBackup label/> }.into_any()
}

fn start_sync(sync: SyncCtx, app: AppCtx) {
    leptos::task::spawn_local(sync.start(app));
}

fn enroll(sync: SyncCtx, app: AppCtx, code: String, teacher: String) -> LaterFuture<Result<Credential, SyncError>> {
    Box::pin(async move { sync.enroll(app, &code, &teacher).await })
}

fn sync_now(sync: SyncCtx, app: AppCtx) -> LaterFuture<()> {
    Box::pin(sync.run(app))
}

/// Whether the later code is here, on its way, or could not be fetched; in Leptos context.
#[derive(Clone, Copy)]
pub struct Later {
    /// None while it is being fetched (or not asked for yet).
    code: RwSignal<Option<Result<LaterCode, NotLoaded>>>,
    app: AppCtx,
    sync: SyncCtx,
}

pub fn use_later() -> Later {
    expect_context::<Later>()
}

impl Later {
    pub fn provide(app: AppCtx, sync: SyncCtx) -> Later {
        let later = Later { code: RwSignal::new(None), app, sync };
        provide_context(later);
        later
    }

    /// At start: fetches the later code, and again whenever the phone gets a signal back while
    /// it is missing.
    pub fn start(self) {
        leptos::task::spawn_local(async move {
            let _ = self.code().await;
        });
        let _ = window_event_listener(leptos::ev::online, move |_| {
            if self.failed() {
                leptos::task::spawn_local(async move {
                    let _ = self.code().await;
                });
            }
        });
    }

    /// The later code, fetched if it is not here yet, once the store is loaded: every entry
    /// into it may use the store. The first time it arrives, it loads the store and then starts
    /// the sync client. Several callers at once share one fetch; a failed fetch is tried again
    /// by the next call.
    pub async fn code(self) -> Result<LaterCode, NotLoaded> {
        let code = match self.fetched_untracked() {
            Some(code) => code,
            None => self.fetch().await?,
        };
        self.app.until_loaded().await;
        Ok(code)
    }

    async fn fetch(self) -> Result<LaterCode, NotLoaded> {
        if self.code.with_untracked(Option::is_some) {
            self.code.set(None);
        }
        #[cfg(baoxue_split)]
        let fetched = later_code().await;
        #[cfg(not(baoxue_split))]
        let fetched = later_code();
        // Callers that waited on the same fetch resume one after another: only the first
        // finds the code missing and loads the store.
        let first = self.fetched_untracked().is_none();
        self.code.set(Some(fetched));
        if let (true, Ok(code)) = (first, fetched) {
            let (app, sync) = (self.app, self.sync);
            leptos::task::spawn_local(async move {
                (code.load)(app).await;
                (code.start_sync)(sync, app);
            });
        }
        fetched
    }

    /// The later code once it is here and the store is loaded.
    pub fn ready(self) -> Option<LaterCode> {
        if !self.app.loaded.get() {
            return None;
        }
        self.code.with(|code| code.and_then(Result::ok))
    }

    fn fetched_untracked(self) -> Option<LaterCode> {
        self.code.with_untracked(|code| code.and_then(Result::ok))
    }

    pub fn failed(self) -> bool {
        self.code.with(|code| matches!(code, Some(Err(_))))
    }
}
