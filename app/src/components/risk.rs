//! The early-warning level as a badge and its reasons as a list, the same on the board and on
//! the student page.

use crate::ctx::use_app;
use crate::i18n::{reason_words, BoardText, LevelName};
use baoxue_domain::risk::{Level, Reason};
use leptos::prelude::*;

/// 高/中/低 in words and in colour, so it reads in sunlight and without colour vision.
#[component]
pub fn LevelBadge(level: Level) -> impl IntoView {
    let ctx = use_app();
    let class = match level {
        Level::High => "level level-high",
        Level::Medium => "level level-medium",
        Level::Low => "level level-low",
    };
    view! { <span class=class>{ctx.t(LevelName(level))}</span> }
}

/// The reasons behind a level with their points, heaviest first as the domain gives them.
#[component]
pub fn ReasonList(reasons: Vec<Reason>) -> impl IntoView {
    let ctx = use_app();
    if reasons.is_empty() {
        return view! { <p class="muted reasons-none">{ctx.t(BoardText::NoReasons)}</p> }.into_any();
    }
    view! {
        <ul class="reasons">
            {reasons
                .into_iter()
                .map(|reason| view! { <li>{move || reason_words(&reason, ctx.lang.get())}</li> })
                .collect_view()}
        </ul>
    }
    .into_any()
}
