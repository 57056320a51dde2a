//! The code a first screen does not need: every page but the first-run Setup and the Roster,
//! and the sync client. In the release build it is a wasm module of its own (`later-<hash>.wasm`,
//! cut off by `cargo xtask build`, see docs/code-splitting.md), fetched right after the first
//! screen is drawn, so the first visit downloads only what draws that screen. Without the
//! `baoxue_split` cfg (tests, debug builds) it is ordinary code in the one module.
//!
//! The later module is entered once, through `later_code`, which hands back plain function
//! pointers; everything after that calls through them.

use crate::app::Page;
use crate::ctx::AppCtx;
use crate::store::Credential;
use crate::sync::{SyncCtx, SyncError};
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// A future of the later code; boxed, because a split function cannot be `async`.
pub type LaterFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// The entry points into the later code.
#[derive(Clone, Copy)]
pub struct LaterCode {
    /// Draws a page that is not a first screen.
    pub page: fn(Page) -> AnyView,
    /// Starts the sync client, once the store is loaded.
    pub start_sync: fn(SyncCtx, AppCtx),
    /// Enrolls this phone at its school on the server with the operator's one-time code
    /// (code, teacher's name).
    pub enroll: fn(SyncCtx, AppCtx, String, String) -> LaterFuture<Result<Credential, SyncError>>,
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
    Ok(LaterCode { page: page_view, start_sync, enroll, sync_now })
}

fn page_view(page: Page) -> AnyView {
    crate::pages::later_page(page)
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

    /// Once the store is loaded (the first screen is drawn): fetches the later code, and
    /// again whenever the phone gets a signal back while it is missing.
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

    /// The later code, fetched if it is not here yet; the first time it arrives, the sync
    /// client starts. Several callers at once share one fetch; a failed fetch is tried again by
    /// the next call. Called only once the store is loaded.
    pub async fn code(self) -> Result<LaterCode, NotLoaded> {
        if let Some(code) = self.ready_untracked() {
            return Ok(code);
        }
        if self.code.with_untracked(Option::is_some) {
            self.code.set(None);
        }
        #[cfg(baoxue_split)]
        let fetched = later_code().await;
        #[cfg(not(baoxue_split))]
        let fetched = later_code();
        // Callers that waited on the same fetch resume one after another: only the first
        // finds the code missing and starts sync.
        let first = self.ready_untracked().is_none();
        self.code.set(Some(fetched));
        if let (true, Ok(code)) = (first, fetched) {
            (code.start_sync)(self.sync, self.app);
        }
        fetched
    }

    /// The later code once it is here.
    pub fn ready(self) -> Option<LaterCode> {
        self.code.with(|code| code.and_then(Result::ok))
    }

    fn ready_untracked(self) -> Option<LaterCode> {
        self.code.with_untracked(|code| code.and_then(Result::ok))
    }

    pub fn failed(self) -> bool {
        self.code.with(|code| matches!(code, Some(Err(_))))
    }
}
