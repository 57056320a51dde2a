//! The two ways out of 疑似辍学: confirm it (the 排查台账 row, 劝返中 and the case, written
//! together by `domain::casework::confirm`) or clear it (排除: ill, on leave, wrong marks).

use super::form::{names, new_record, read_date, save_changes, FieldProblem, Problems};
use crate::clock;
use crate::components::risk::LevelBadge;
use crate::ctx::use_app;
use crate::i18n::{fill, CaseField, CaseProblem, CaseText, ClearingName, LevelName, MeasureName, ReasonName, Text};
use baoxue_domain::case::Measure;
use baoxue_domain::casework::{self, clear, confirm, Clearing, Confirmation, ConfirmationIds};
use baoxue_domain::ids::{CaseId, StudentId};
use baoxue_domain::investigation::DropoutReason;
use baoxue_domain::risk::{persuasion, Level};
use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// The confirmation form: the 排查台账 row and the case's plan, in one write.
#[component]
pub fn ConfirmForm(
    student: StudentId,
    /// The day the ledger found the child, offered as the date found.
    found: NaiveDate,
    /// A relapse: the child's earlier case, which reopens instead of a new one.
    reopen: Option<CaseId>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let teacher = ctx.profile.with_untracked(|profile| profile.as_ref().map(|p| p.teacher.clone()).unwrap_or_default());
    let found_on = RwSignal::new(found.to_string());
    let reasons = RwSignal::new(BTreeSet::<DropoutReason>::new());
    let investigator = RwSignal::new(teacher.clone());
    let note = RwSignal::new(String::new());
    let head_teacher = RwSignal::new(teacher);
    let leader = RwSignal::new(String::new());
    let cadre = RwSignal::new(String::new());
    // The difficulty the records suggest; the school sets its own.
    let suggested = ctx.state.with_untracked(|state| {
        persuasion::facts(state, student, today, persuasion::FamilySupport::Unknown)
            .map(|facts| persuasion::assess(&facts, &persuasion::PersuasionTable::default()).level)
    });
    let difficulty = RwSignal::new(suggested.unwrap_or(Level::Medium));
    let difficulty_note = RwSignal::new(String::new());
    let measures = RwSignal::new(BTreeSet::from([Measure::HomeVisit, Measure::Phone]));
    let deadline = RwSignal::new(today.checked_add_days(Days::new(14)).unwrap_or(today).to_string());
    let problems: Problems = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);

    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut found_problems = Vec::new();
        let found_on = read_date(&found_on.get_untracked(), CaseField::FoundOn, &mut found_problems);
        let deadline = read_date(&deadline.get_untracked(), CaseField::Deadline, &mut found_problems);
        let (Some(found_on), Some(deadline)) = (found_on, deadline) else {
            problems.set(found_problems);
            return;
        };
        let form = Confirmation {
            found_on,
            reasons: reasons.get_untracked().into_iter().collect(),
            investigator: investigator.get_untracked(),
            note: note.get_untracked(),
            responsible: [head_teacher, leader, cadre].iter().flat_map(|name| names(&name.get_untracked())).collect(),
            difficulty: difficulty.get_untracked(),
            difficulty_note: difficulty_note.get_untracked(),
            measures: measures.get_untracked().into_iter().collect(),
            deadline,
        };
        let changes = match reopen {
            Some(case) => casework::reopen(student, case, &form, new_record(), new_record()),
            None => {
                let ids = ConfirmationIds {
                    investigation: new_record(),
                    status: new_record(),
                    case: CaseId::new_v7(clock::now_ms(), clock::random10()),
                };
                confirm(student, &form, today, ids)
            }
        };
        save_changes(ctx, changes, today, problems, saving, on_done);
    };

    let person = move |label: CaseText, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span>{ctx.t(label)}</span>
                <input type="text" bind:value=value/>
            </label>
        }
    };
    view! {
        <form class="case-form confirm-form" on:submit=save novalidate>
            <label class="field">
                <span>{ctx.t(CaseText::FoundOn)}</span>
                <input type="date" name="found_on" max=today.to_string() bind:value=found_on/>
            </label>
            <FieldProblem field=CaseField::FoundOn problems/>
            <FieldProblem field=CaseField::Date problems/>
            <fieldset class="choices">
                <legend>{ctx.t(CaseText::Reasons)}</legend>
                {DropoutReason::ALL.into_iter().map(|reason| view! { <Tick item=reason chosen=reasons text=ReasonName(reason)/> }).collect_view()}
            </fieldset>
            <FieldProblem field=CaseField::Reasons problems/>
            <label class="field">
                <span>{ctx.t(CaseText::Investigator)}</span>
                <input type="text" name="investigator" bind:value=investigator/>
            </label>
            <FieldProblem field=CaseField::Investigator problems/>
            <label class="field">
                <span>{ctx.t(CaseText::Note)}</span>
                <textarea name="note" rows="2" bind:value=note></textarea>
            </label>
            <fieldset class="people">
                <legend>{ctx.t(CaseText::Responsible)}</legend>
                {person(CaseText::ResponsibleTeacher, head_teacher)}
                {person(CaseText::ResponsibleLeader, leader)}
                {person(CaseText::ResponsibleCadre, cadre)}
            </fieldset>
            <FieldProblem field=CaseField::Responsible problems/>
            <label class="field">
                <span>{ctx.t(CaseText::Difficulty)}</span>
                <LevelChooser level=difficulty/>
            </label>
            {suggested.map(|level| view! {
                <p class="muted suggested">
                    <LevelBadge level/>
                    {move || fill(ctx.tr(CaseText::Suggested), &[&LevelName(level).in_lang(ctx.lang.get())])}
                </p>
            })}
            // The school decides; when it decides otherwise than the records suggest, it says why.
            <Show when=move || suggested.is_some_and(|level| level != difficulty.get())>
                <label class="field">
                    <span>{ctx.t(CaseText::DifficultyNote)}</span>
                    <input type="text" name="difficulty_note" bind:value=difficulty_note/>
                </label>
            </Show>
            <fieldset class="choices">
                <legend>{ctx.t(CaseText::Measures)}</legend>
                {MeasureName::ALL.into_iter().map(|measure| view! { <Tick item=measure chosen=measures text=MeasureName(measure)/> }).collect_view()}
            </fieldset>
            <label class="field">
                <span>{ctx.t(CaseText::Deadline)}</span>
                <input type="date" name="deadline" min=today.to_string() bind:value=deadline/>
            </label>
            <FieldProblem field=CaseField::Deadline problems/>
            <FieldProblem field=CaseField::Form problems/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || saving.get()>
                    {ctx.t(if reopen.is_some() { CaseText::ReopenCase } else { CaseText::SaveCase })}
                </button>
                <button type="button" on:click=move |_| on_done()>{ctx.t(CaseText::Cancel)}</button>
            </div>
        </form>
    }
}

/// The clearing form: why the child is not a dropout after all.
#[component]
pub fn ClearForm(student: StudentId, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let why = RwSignal::new(Clearing::Ill);
    let note = RwSignal::new(String::new());
    let problems: Problems = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let changes = ctx.state.with_untracked(|state| {
            clear(state, student, why.get_untracked(), &note.get_untracked(), today, new_record)
        });
        match changes {
            Ok(changes) => save_changes(ctx, changes, today, problems, saving, on_done),
            Err(_) => problems.set(vec![(CaseField::Form, CaseProblem::Other)]),
        }
    };
    view! {
        <form class="case-form clear-form" on:submit=save novalidate>
            <fieldset class="choices">
                <legend>{ctx.t(CaseText::ClearWhy)}</legend>
                {Clearing::ALL
                    .into_iter()
                    .map(|option| view! {
                        <label class="choice">
                            <input type="radio" name="why" checked=move || why.get() == option on:change=move |_| why.set(option)/>
                            <span>{ctx.t(ClearingName(option))}</span>
                        </label>
                    })
                    .collect_view()}
            </fieldset>
            <label class="field">
                <span>{ctx.t(CaseText::ClearNote)}</span>
                <textarea name="note" rows="2" bind:value=note></textarea>
            </label>
            <FieldProblem field=CaseField::Form problems/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || saving.get()>{ctx.t(CaseText::SaveClear)}</button>
                <button type="button" on:click=move |_| on_done()>{ctx.t(CaseText::Cancel)}</button>
            </div>
        </form>
    }
}

/// One checkbox of a set.
#[component]
pub fn Tick<T, W>(item: T, chosen: RwSignal<BTreeSet<T>>, text: W) -> impl IntoView
where
    T: Ord + Copy + Send + Sync + 'static,
    W: Text + Send + Sync + 'static,
{
    let ctx = use_app();
    view! {
        <label class="choice">
            <input
                type="checkbox"
                checked=move || chosen.with(|chosen| chosen.contains(&item))
                on:change=move |event| {
                    let on = event_target_checked(&event);
                    chosen.update(|chosen| {
                        if on {
                            chosen.insert(item);
                        } else {
                            chosen.remove(&item);
                        }
                    });
                }
            />
            <span>{ctx.t(text)}</span>
        </label>
    }
}

/// 高 / 中 / 低 as three buttons a thumb can hit.
#[component]
pub fn LevelChooser(level: RwSignal<Level>) -> impl IntoView {
    let ctx = use_app();
    view! {
        <span class="segmented">
            {[Level::High, Level::Medium, Level::Low]
                .into_iter()
                .map(|option| view! {
                    <button
                        type="button"
                        aria-pressed=move || (level.get() == option).to_string()
                        on:click=move |_| level.set(option)
                    >
                        {ctx.t(LevelName(option))}
                    </button>
                })
                .collect_view()}
        </span>
    }
}
