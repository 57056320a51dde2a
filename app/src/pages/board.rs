//! The at-risk board (预警): the children on the roll of the phone's class, most at risk first,
//! each with the reasons behind the level. Tapping a child opens the student page.

use crate::clock;
use crate::components::risk::{LevelBadge, ReasonList};
use crate::ctx::use_app;
use crate::i18n::{fill, BoardText};
use crate::router::Link;
use baoxue_domain::ids::ClassId;
use baoxue_domain::ledger::counted_status;
use baoxue_domain::risk::{early_warning, Assessment, EarlyWarningTable};
use baoxue_domain::sorting::sort_by;
use baoxue_domain::state::State;
use baoxue_domain::student::Student;
use chrono::NaiveDate;
use leptos::prelude::*;
use std::cmp::Reverse;

/// One child on the board.
#[derive(Clone, Debug, PartialEq)]
struct BoardRow {
    student: Student,
    assessment: Assessment,
}

/// The children of `class` (the whole school when the phone has no class) whose counted status
/// on `today` is on the roll, each with the early warning: highest level first, then most
/// points, then by name so the order holds still between visits.
fn board_rows(state: &State, class: Option<ClassId>, today: NaiveDate, table: &EarlyWarningTable) -> Vec<BoardRow> {
    let mut rows: Vec<BoardRow> = state
        .students()
        .into_iter()
        .filter(|student| class.is_none_or(|class| student.class == class))
        .filter(|student| counted_status(state, student, today).on_roll())
        .filter_map(|student| {
            let assessment = early_warning(state, student.id, today, table)?;
            Some(BoardRow { student, assessment })
        })
        .collect();
    sort_by(&mut rows, |a, b| {
        let rank = |row: &BoardRow| (Reverse(row.assessment.level), Reverse(row.assessment.points));
        rank(a).cmp(&rank(b)).then_with(|| a.student.name.cmp(&b.student.name))
    });
    rows
}

#[component]
pub fn Board() -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let table = EarlyWarningTable::default();
    let class = move || ctx.profile.with(|profile| profile.as_ref().and_then(|profile| profile.class));
    let rows = Memo::new(move |_| ctx.state.with(|state| board_rows(state, class(), today, &table)));
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
