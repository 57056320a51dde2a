//! The bottom navigation: within a thumb's reach on a phone held in one hand.

use crate::ctx::use_app;
use crate::i18n::Nav;
use crate::router::Link;
use leptos::prelude::*;

#[component]
pub fn BottomNav() -> impl IntoView {
    let ctx = use_app();
    let tab = move |href: &'static str, text: Nav| view! { <Link href=href>{ctx.t(text)}</Link> };
    view! {
        <Show when=move || ctx.profile.with(Option::is_some)>
            <nav class="tabs">
                {tab("/today", Nav::Today)}
                {tab("/roster", Nav::Roster)}
                {tab("/attendance", Nav::Attendance)}
                {tab("/board", Nav::Board)}
                {tab("/settings", Nav::Settings)}
            </nav>
        </Show>
    }
}
