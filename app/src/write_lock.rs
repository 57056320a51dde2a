//! Writes take turns: across the page and across tabs of the same phone through the Web Locks
//! API (`navigator.locks`, in Chromium and WeChat's browser), which queues requests in order;
//! where it is missing, through a queue of this page only. Either way the store's transaction
//! still reads the chain it advances, so a missing lock never reuses a counter; the turn is what
//! makes each write's checks see the state every earlier write left.

use js_sys::{Function, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

const LOCK_NAME: &str = "baoxue-write";

thread_local! {
    /// The end of this page's queue: resolved when the last write given a turn is done.
    static TAIL: RefCell<Promise> = RefCell::new(Promise::resolve(&JsValue::UNDEFINED));
}

/// A write's turn; the next write waits until it is dropped (done, failed or abandoned).
pub struct Turn {
    release: Function,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let _ = self.release.call0(&JsValue::NULL);
    }
}

/// A promise and the functions that resolve and reject it.
fn pending() -> (Promise, Function, Function) {
    let mut settle = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    let (resolve, reject) = settle.expect("the Promise constructor calls its executor at once");
    (promise, resolve, reject)
}

/// Waits for this write's turn.
pub async fn turn() -> Turn {
    let (done, release, _) = pending();
    if let Some(granted) = request_web_lock(done.clone()) {
        // The lock is held until `done` resolves, i.e. until the turn is dropped.
        if JsFuture::from(granted).await.is_ok() {
            return Turn { release };
        }
    }
    let before = TAIL.with(|tail| tail.replace(done));
    let _ = JsFuture::from(before).await;
    Turn { release }
}

/// Asks `navigator.locks` for the write lock, held until `done` resolves. The answer resolves
/// once the lock is granted; `None` where the browser has no Web Locks.
fn request_web_lock(done: Promise) -> Option<Promise> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok().filter(|locks| locks.is_object())?;
    let request: Function = Reflect::get(&locks, &"request".into()).ok()?.dyn_into().ok()?;
    let (granted, grant, refuse) = pending();
    let callback = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        let _ = grant.call0(&JsValue::NULL);
        done.into()
    });
    let held = request.call2(&locks, &LOCK_NAME.into(), &callback).ok()?;
    // A lock request that fails (a document without a secure context, say) rejects: the
    // granted promise then rejects too, and the page queue takes over.
    let held: Promise = held.dyn_into().ok()?;
    let fail = Closure::once(move |error: JsValue| {
        let _ = refuse.call1(&JsValue::NULL, &error);
    });
    let _ = held.catch(&fail);
    // Called at most once, when the lock is refused; kept alive until then.
    fail.forget();
    Some(granted)
}
