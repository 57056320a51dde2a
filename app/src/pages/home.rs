//! The start screen: the first-run flow on a new phone, 今天要做 (what is due today) afterwards.

use crate::ctx::use_app;
use crate::router::Redirect;
use leptos::prelude::*;

#[component]
pub fn Home() -> impl IntoView {
    let ctx = use_app();
    move || {
        if ctx.profile.with(Option::is_some) {
            view! { <Redirect path="/today"/> }
        } else {
            view! { <Redirect path="/setup"/> }
        }
    }
}
