//! The case's plan (劝返复学方案): who is responsible, how hard, what will be done, by when, and
//! where it stands; edited field by field, so two phones editing different fields both count
//! and a concurrent change of the status goes to the conflicts page.

use super::confirm::{LevelChooser, Tick};
use super::form::{names, read_date, save_changes, FieldProblem, Problems};
use crate::clock;
use crate::ctx::use_app;
use crate::i18n::{fill, CaseField as FormField, CaseStatusName, CaseText, LevelName, MeasureName, Text};
use baoxue_domain::case::{Case, CaseStatus};
use baoxue_domain::escalation::{case_standing, StandingReason};
use baoxue_domain::mutation::Change;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// The statuses a person sets.
const SETTABLE: [CaseStatus; 4] = CaseStatus::ALL;

#[component]
pub fn CasePlan(case: Memo<Option<Case>>) -> impl IntoView {
    let ctx = use_app();
    let editing = RwSignal::new(false);
    move || {
        let Some(current) = case.get() else { return ().into_any() };
        if editing.get() {
            return view! { <PlanForm case=current on_done=move || editing.set(false)/> }.into_any();
        }
        let lang = ctx.lang.get();
        let measures: Vec<&str> = current.measures.iter().map(|measure| MeasureName(*measure).in_lang(lang)).collect();
        // The status as it counts today: an open case past its notice's deadline is escalated.
        let standing = ctx.state.with(|state| case_standing(state, &current, clock::today()));
        let status = match standing.why {
            StandingReason::Recorded => CaseStatusName(standing.status).in_lang(lang).to_owned(),
            StandingReason::NoticeDeadlinePassed { deadline, .. } => {
                fill(CaseText::Escalated.in_lang(lang), &[&deadline])
            }
        };
        let rows = [
            (CaseText::CaseStatus, status),
            (CaseText::Responsible, current.responsible.join("、")),
            (CaseText::Difficulty, LevelName(current.difficulty).in_lang(lang).to_owned()),
            (CaseText::DifficultyNote, current.difficulty_note.clone()),
            (CaseText::Measures, measures.join("、")),
            (CaseText::Deadline, current.deadline.to_string()),
            (CaseText::FoundOn, current.found_on.map(|day| day.to_string()).unwrap_or_default()),
            (CaseText::Outcome, current.outcome.clone()),
        ];
        view! {
            <dl class="details case-plan">
                {rows
                    .into_iter()
                    .filter(|(_, value)| !value.is_empty())
                    .map(|(label, value)| view! { <div><dt>{label.in_lang(lang)}</dt> <dd>{value}</dd></div> })
                    .collect_view()}
            </dl>
            <button type="button" class="case-edit" on:click=move |_| editing.set(true)>{CaseText::EditCase.in_lang(lang)}</button>
        }
        .into_any()
    }
}

#[component]
fn PlanForm(case: Case, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let before = case.clone();
    let responsible = RwSignal::new(case.responsible.join("、"));
    let difficulty = RwSignal::new(case.difficulty);
    let difficulty_note = RwSignal::new(case.difficulty_note.clone());
    let measures = RwSignal::new(case.measures.iter().copied().collect::<BTreeSet<_>>());
    let deadline = RwSignal::new(case.deadline.to_string());
    let status = RwSignal::new(case.status);
    let outcome = RwSignal::new(case.outcome.clone());
    let problems: Problems = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut found = Vec::new();
        let Some(deadline) = read_date(&deadline.get_untracked(), FormField::Deadline, &mut found) else {
            problems.set(found);
            return;
        };
        let after = Case {
            responsible: names(&responsible.get_untracked()),
            difficulty: difficulty.get_untracked(),
            difficulty_note: difficulty_note.get_untracked().trim().to_owned(),
            measures: measures.get_untracked().into_iter().collect(),
            deadline,
            status: status.get_untracked(),
            outcome: outcome.get_untracked().trim().to_owned(),
            ..before.clone()
        };
        // Only the fields that changed: an unchanged deadline now past is not refused, and an
        // untouched field never overwrites another phone's edit.
        let old = before.fields();
        let changes: Vec<Change> = after
            .fields()
            .into_iter()
            .filter(|field| !old.contains(field))
            .map(|field| Change::EditCase { case: before.id, field })
            .collect();
        if changes.is_empty() {
            on_done();
            return;
        }
        save_changes(ctx, changes, today, problems, saving, on_done);
    };
    view! {
        <form class="case-form plan-form" on:submit=save novalidate>
            <label class="field">
                <span>{ctx.t(CaseText::CaseStatus)}</span>
                <select
                    name="case_status"
                    on:change=move |event| {
                        if let Some(chosen) = event_target_value(&event).parse::<usize>().ok().and_then(|index| SETTABLE.get(index)) {
                            status.set(*chosen);
                        }
                    }
                >
                    {SETTABLE
                        .into_iter()
                        .enumerate()
                        .map(|(index, option)| view! {
                            <option value=index.to_string() selected=move || status.get() == option>{ctx.t(CaseStatusName(option))}</option>
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{ctx.t(CaseText::Outcome)}</span>
                <textarea name="outcome" rows="2" bind:value=outcome></textarea>
            </label>
            <label class="field">
                <span>{ctx.t(CaseText::Responsible)}</span>
                <input type="text" name="responsible" bind:value=responsible/>
            </label>
            <FieldProblem field=FormField::Responsible problems/>
            <label class="field">
                <span>{ctx.t(CaseText::Difficulty)}</span>
                <LevelChooser level=difficulty/>
            </label>
            <label class="field">
                <span>{ctx.t(CaseText::DifficultyNote)}</span>
                <input type="text" name="difficulty_note" bind:value=difficulty_note/>
            </label>
            <fieldset class="choices">
                <legend>{ctx.t(CaseText::Measures)}</legend>
                {MeasureName::ALL.into_iter().map(|measure| view! { <Tick item=measure chosen=measures text=MeasureName(measure)/> }).collect_view()}
            </fieldset>
            <label class="field">
                <span>{ctx.t(CaseText::Deadline)}</span>
                <input type="date" name="deadline" bind:value=deadline/>
            </label>
            <FieldProblem field=FormField::Deadline problems/>
            <FieldProblem field=FormField::Form problems/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || saving.get()>{ctx.t(CaseText::SaveEdit)}</button>
                <button type="button" on:click=move |_| on_done()>{ctx.t(CaseText::Cancel)}</button>
            </div>
        </form>
    }
}
