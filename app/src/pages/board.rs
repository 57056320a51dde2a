//! The at-risk board (预警): the children on the roll of the phone's class, most at risk first,
//! each with the reasons behind the level. Tapping a child opens the student page.

use crate::clock;
use crate::components::risk::{LevelBadge, ReasonList};
use crate::ctx::use_app;
use crate::i18n::{fill, BoardText};
use crate::router::Link;
use baoxue_domain::risk::{at_risk_board, BoardRow, EarlyWarningTable};
use leptos::prelude::*;

#[component]
pub fn Board() -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let table = EarlyWarningTable::default();
    let class = move || ctx.profile.with(|profile| profile.as_ref().and_then(|profile| profile.class));
    let rows = Memo::new(move |_| ctx.state.with(|state| at_risk_board(state, class(), today, &table)));
    view! {
        <section class="page board">
            <h2>{ctx.t(BoardText::Title)}</h2>
            <p class="muted">{ctx.t(BoardText::Intro)}</p>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || view! { <p class="muted">{ctx.t(BoardText::Empty)}</p> }
            >
                <ul class="board-list">
                    {move || rows.get().into_iter().map(|row| view! { <BoardItem row/> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn BoardItem(row: BoardRow) -> impl IntoView {
    let ctx = use_app();
    let BoardRow { student, assessment } = row;
    let points = assessment.points;
    view! {
        <li>
            <Link href=format!("/student/{}", student.id) attr:class="board-row">
                <LevelBadge level=assessment.level/>
                <div class="board-main">
                    <span class="board-name">
                        <span class="name">{student.name}</span>
                        <span class="muted">{move || fill(ctx.tr(BoardText::Points), &[&points])}</span>
                    </span>
                    <ReasonList reasons=assessment.reasons/>
                </div>
            </Link>
        </li>
    }
}
