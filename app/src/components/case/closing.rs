//! Closing a case other than by a return (动态销号): the child left for another school with its
//! 回执, is taught at home, excused for illness or disability, deferred, abroad, or died. The
//! teacher picks the category and writes what proves it; `domain::casework::close` writes the
//! status event (or, for a wrong or duplicate record, withdraws the dropout's events) and closes
//! the case, and the validation refuses it without evidence.

use super::form::{new_record, read_date, save_changes, FieldProblem, Problems};
use crate::clock;
use crate::ctx::use_app;
use crate::i18n::{CaseField, CaseProblem, CaseText, ExitName};
use baoxue_domain::case::{Case, CaseStatus};
use baoxue_domain::casework::{close, Closing};
use baoxue_domain::ledger::ExitCategory;
use leptos::prelude::*;

#[component]
pub fn ClosingBlock(case: Memo<Option<Case>>) -> impl IntoView {
    let ctx = use_app();
    let closing = RwSignal::new(false);
    move || {
        match (closing.get(), case.get()) {
        (true, Some(case)) => view! { <ClosingForm case on_done=move || closing.set(false)/> }.into_any(),
        (false, Some(case)) if matches!(case.status, CaseStatus::Open | CaseStatus::Escalated) => view! {
            <button type="button" class="close-case" on:click=move |_| closing.set(true)>{ctx.t(CaseText::CloseOther)}</button>
        }
        .into_any(),
        _ => ().into_any(),
    }
    }
}

#[component]
fn ClosingForm(case: Case, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let category = RwSignal::new(None::<ExitCategory>);
    let date = RwSignal::new(today.to_string());
    let evidence = RwSignal::new(String::new());
    let problems: Problems = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut found = Vec::new();
        let day = read_date(&date.get_untracked(), CaseField::Date, &mut found);
        let Some(chosen) = category.get_untracked() else {
            found.push((CaseField::Method, CaseProblem::NoCategory));
            problems.set(found);
            return;
        };
        let Some(day) = day else {
            problems.set(found);
            return;
        };
        let form = Closing { category: chosen, date: day, evidence: evidence.get_untracked() };
        match ctx.state.with_untracked(|state| close(state, &case, &form, new_record())) {
            Ok(changes) => save_changes(ctx, changes, today, problems, saving, on_done),
            Err(_) => problems.set(vec![(CaseField::Method, CaseProblem::NoCategory)]),
        }
    };
    view! {
        <form class="case-form closing-form" on:submit=save novalidate>
            <label class="field">
                <span>{ctx.t(CaseText::ExitCategory)}</span>
                <select name="category" on:change=move |event| {
                    category.set(event_target_value(&event).parse::<usize>().ok().and_then(|index| ExitCategory::CLOSING.get(index).copied()))
                }>
                    <option value="" selected=move || category.get().is_none()>{ctx.t(CaseText::ChooseExit)}</option>
                    {ExitCategory::CLOSING.into_iter().enumerate().map(|(index, option)| view! {
                        <option value=index.to_string() selected=move || category.get() == Some(option)>{ctx.t(ExitName(option))}</option>
                    }).collect_view()}
                </select>
            </label>
            <FieldProblem field=CaseField::Method problems/>
            <label class="field">
                <span>{ctx.t(CaseText::ExitDate)}</span>
                <input type="date" name="date" max=today.to_string() bind:value=date/>
            </label>
            <FieldProblem field=CaseField::Date problems/>
            <label class="field">
                <span>{move || ctx.tr(category.get().map_or(CaseText::ExitEvidence, CaseText::evidence_for))}</span>
                <textarea name="evidence" rows="2" bind:value=evidence></textarea>
            </label>
            <FieldProblem field=CaseField::Evidence problems/>
            <FieldProblem field=CaseField::Form problems/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || saving.get()>{ctx.t(CaseText::SaveExit)}</button>
                <button type="button" on:click=move |_| on_done()>{ctx.t(CaseText::Cancel)}</button>
            </div>
        </form>
    }
}
