//! The at-risk board (预警): the children on the roll of the phone's class above the lowest
//! level, most at risk first, each with the reasons behind the level, and a line counting the
//! children at low risk who are not listed. Tapping a child opens the student page.

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
    let board = Memo::new(move |_| ctx.state.with(|state| at_risk_board(state, class(), today, &table)));
    let low_count = move || board.with(|board| board.low_count);
    let nobody_listed = move || board.with(|board| board.rows.is_empty());
    let nobody_on_roll = move || nobody_listed() && low_count() == 0;
    // The line under the list: the children at low risk, counted, so the list's shortness is
    // not read as "the others were not looked at".
    let low_line = move || {
        let low = low_count();
        let text = if nobody_listed() { BoardText::AllLow } else { BoardText::LowNotListed };
        (low > 0).then(|| view! { <p class="muted">{fill(ctx.tr(text), &[&low])}</p> })
    };
    view! {
        <section class="page board">
            <h2>{ctx.t(BoardText::Title)}</h2>
            <p class="muted">{ctx.t(BoardText::Intro)}</p>
            <Show
                when=move || !nobody_on_roll()
                fallback=move || view! { <p class="muted">{ctx.t(BoardText::Empty)}</p> }
            >
                <Show when=move || !nobody_listed()>
                    <ul class="board-list">
                        {move || board.with(|board| {
                            board.rows.iter().cloned().map(|row| view! { <BoardItem row/> }).collect_view()
                        })}
                    </ul>
                </Show>
                {low_line}
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
