//! The other tabs of this phone hear of every change it stores: a tab that writes or pulls
//! mutations posts them on a BroadcastChannel, and every other tab merges them into its state.
//! Two tabs of one phone then show the same register, and each checks a write (and names its
//! `base`) against the same records. Merging is idempotent, so a message heard twice, or about
//! mutations the tab already holds, changes nothing.

use baoxue_domain::mutation::Mutation;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};

const CHANNEL: &str = "baoxue-mutations";

thread_local! {
    /// This page's end of the channel: a channel object never hears its own messages, so the
    /// one that posts is the one that listens.
    static OPEN: RefCell<Option<BroadcastChannel>> = const { RefCell::new(None) };
}

fn channel() -> Option<BroadcastChannel> {
    OPEN.with(|open| {
        if open.borrow().is_none() {
            // Missing in very old browsers: each tab then simply shows what it wrote itself.
            *open.borrow_mut() = BroadcastChannel::new(CHANNEL).ok();
        }
        open.borrow().clone()
    })
}

/// Tells the other tabs of this phone about mutations this tab has just stored.
pub fn tell(mutations: &[Mutation]) {
    if mutations.is_empty() {
        return;
    }
    let (Some(channel), Ok(json)) = (channel(), serde_json::to_string(mutations)) else { return };
    let _ = channel.post_message(&JsValue::from_str(&json));
}

/// Calls `heard` with the mutations another tab stored, for as long as the page lives.
pub fn listen(heard: impl Fn(Vec<Mutation>) + 'static) {
    let Some(channel) = channel() else { return };
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let mutations = event.data().as_string().and_then(|json| serde_json::from_str::<Vec<Mutation>>(&json).ok());
        if let Some(mutations) = mutations {
            heard(mutations);
        }
    });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The page's listener lives as long as the page.
    on_message.forget();
}
