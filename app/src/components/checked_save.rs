//! The one way a student page form writes a record: the domain's validation first, then one
//! commit, with the first problem shown in words a head teacher acts on.

use crate::ctx::AppCtx;
use crate::i18n::StudentProblem;
use baoxue_domain::mutation::Change;
use baoxue_domain::validate::validate;
use chrono::NaiveDate;
use leptos::prelude::*;

/// Checks `change` as of `today` and writes it. `problem` gets the first thing wrong, or a
/// failed write; `saving` is on while IndexedDB writes; `saved` runs once it has committed.
pub fn save_checked(
    ctx: AppCtx,
    change: Change,
    today: NaiveDate,
    problem: RwSignal<Option<StudentProblem>>,
    saving: RwSignal<bool>,
    saved: impl FnOnce() + 'static,
) {
    if let Err(errors) = ctx.state.with_untracked(|state| validate(state, &change, today)) {
        problem.set(errors.first().map(StudentProblem::of));
        return;
    }
    saving.set(true);
    leptos::task::spawn_local(async move {
        let result = ctx.write(vec![change]).await;
        saving.set(false);
        match result {
            Ok(()) => {
                problem.set(None);
                saved();
            }
            Err(error) => problem.set(Some(error.first_problem().map_or(StudentProblem::Other, StudentProblem::of))),
        }
    });
}
