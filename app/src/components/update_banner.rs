//! The "new version ready" banner. public/boot.js watches the service worker: a new version
//! installs in the background and waits, and the page is told by a `baoxue:update-ready` event
//! (or finds `window.baoxueUpdateReady` true if the event came before the app mounted). The
//! page is never reloaded on its own, so nothing typed is lost; the teacher taps to update,
//! which calls `window.baoxueApplyUpdate()`.

use crate::ctx::use_app;
use crate::i18n::Common;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

#[component]
pub fn UpdateBanner() -> impl IntoView {
    let ctx = use_app();
    let ready = RwSignal::new(window_flag("baoxueUpdateReady"));
    let handle = window_event_listener_untyped("baoxue:update-ready", move |_| ready.set(true));
    on_cleanup(move || handle.remove());
    view! {
        <Show when=move || ready.get()>
            <div class="update-banner" role="status">
                <span>{ctx.t(Common::UpdateReady)}</span>
                <button class="primary" on:click=|_| apply_update()>{ctx.t(Common::UpdateNow)}</button>
            </div>
        </Show>
    }
}

fn window_flag(name: &str) -> bool {
    js_sys::Reflect::get(&window(), &JsValue::from_str(name)).is_ok_and(|value| value.is_truthy())
}

fn apply_update() {
    let apply = js_sys::Reflect::get(&window(), &JsValue::from_str("baoxueApplyUpdate"));
    if let Ok(apply) = apply.and_then(|value| value.dyn_into::<js_sys::Function>()) {
        // boot.js's function posts SKIP_WAITING and reloads on controllerchange; if it
        // throws, the old version keeps running, which is safe.
        let _ = apply.call0(&window());
    }
}
