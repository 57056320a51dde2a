//! What the case forms share: one save (the domain's validation of the whole write first, then
//! one commit) with each problem shown beside its field, the field's problem line, new ids,
//! and reading a typed date.

use crate::clock;
use crate::ctx::{use_app, AppCtx};
use crate::i18n::{CaseField, CaseProblem};
use baoxue_domain::date_text::parse_date;
use baoxue_domain::ids::RecordId;
use baoxue_domain::mutation::Change;
use baoxue_domain::validate::validate_batch;
use chrono::NaiveDate;
use leptos::prelude::*;

/// The problems of a form, each beside its field; empty when there is none.
pub type Problems = RwSignal<Vec<(CaseField, CaseProblem)>>;

/// Checks `changes` together as of `today` and writes them in one commit. Nothing is written
/// when anything is wrong, and the form keeps what was typed; `saved` runs once it committed.
pub fn save_changes(
    ctx: AppCtx,
    changes: Vec<Change>,
    today: NaiveDate,
    problems: Problems,
    saving: RwSignal<bool>,
    saved: impl FnOnce() + 'static,
) {
    if saving.get_untracked() {
        return;
    }
    if let Err(errors) = ctx.state.with_untracked(|state| validate_batch(state, &changes, today)) {
        problems.set(errors.iter().map(|(_, error)| CaseProblem::of(error)).collect());
        return;
    }
    saving.set(true);
    leptos::task::spawn_local(async move {
        let result = ctx.write(changes).await;
        saving.set(false);
        match result {
            Ok(()) => {
                problems.set(Vec::new());
                saved();
            }
            Err(error) => {
                problems.set(vec![error.first_problem().map_or((CaseField::Form, CaseProblem::Other), CaseProblem::of)])
            }
        }
    });
}

/// The problem of `field`, under it; nothing when it has none.
#[component]
pub fn FieldProblem(field: CaseField, problems: Problems) -> impl IntoView {
    let ctx = use_app();
    move || {
        problems.with(|problems| {
            problems
                .iter()
                .find(|(at, _)| *at == field)
                .map(|(_, problem)| view! { <p class="error field-problem" role="alert">{ctx.tr(*problem)}</p> })
        })
    }
}

/// A new record id: the phone's time and random bytes.
pub fn new_record() -> RecordId {
    RecordId::new_v7(clock::now_ms(), clock::random10())
}

/// The date typed in `text`, or the problem put beside `field`.
pub fn read_date(text: &str, field: CaseField, problems: &mut Vec<(CaseField, CaseProblem)>) -> Option<NaiveDate> {
    match parse_date(text) {
        Ok(date) => Some(date),
        Err(_) => {
            problems.push((field, CaseProblem::NotADate));
            None
        }
    }
}

/// Names typed in one box, split at 、，, and spaces.
pub fn names(text: &str) -> Vec<String> {
    text.split(['、', '，', ',', ' ', '　']).map(str::trim).filter(|name| !name.is_empty()).map(str::to_owned).collect()
}
