//! The return (复学安置) of a case's child, recorded with its class and catch-up plan by
//! `domain::casework::record_return`, and the follow-up checks after it (跟踪回访).

use super::form::{new_record, read_date, save_changes, FieldProblem, Problems};
use crate::clock;
use crate::ctx::use_app;
use crate::i18n::{fill, CaseField, CaseText};
use baoxue_domain::case::{Case, CaseStatus};
use baoxue_domain::casework::{record_return, Return};
use baoxue_domain::follow_up::{FollowUp, Placement};
use baoxue_domain::follow_up_schedule::checks;
use baoxue_domain::ids::{ClassId, StudentId};
use baoxue_domain::mutation::Change;
use leptos::prelude::*;

#[component]
pub fn ReturnBlock(case: Memo<Option<Case>>, placements: Memo<Vec<Placement>>) -> impl IntoView {
    let ctx = use_app();
    let recording = RwSignal::new(false);
    view! {
        <h4>{ctx.t(CaseText::ReturnTitle)}</h4>
        <ul class="placements">
            {move || placements.get().into_iter().map(|placement| {
                let class = ctx.state.with_untracked(|state| state.classes.get(&placement.class).map(|class| class.value.name.clone()).unwrap_or_default());
                let day = placement.returned_on.to_string();
                view! {
                    <li>
                        <span>{move || fill(ctx.tr(CaseText::ReturnedTo), &[&day, &class])}</span>
                        {(!placement.catch_up_plan.is_empty()).then(|| view! { <span class="muted">" "{placement.catch_up_plan.clone()}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {move || match (recording.get(), case.get()) {
            (true, Some(case)) => view! { <ReturnForm case on_done=move || recording.set(false)/> }.into_any(),
            // Until the child is back: a relapse reopens the case, and the next return is recorded.
            (false, Some(case)) if matches!(case.status, CaseStatus::Open | CaseStatus::Escalated) => view! {
                <button type="button" class="primary record-return" on:click=move |_| recording.set(true)>{ctx.t(CaseText::RecordReturn)}</button>
            }.into_any(),
            _ => ().into_any(),
        }}
    }
}

#[component]
fn ReturnForm(case: Case, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    // The classes of the child's school, the child's own first.
    let (own, classes) = ctx.state.with_untracked(|state| {
        let child = state.student(case.student);
        let own = child.as_ref().map(|child| child.class);
        let school = child.map(|child| child.school);
        let mut classes: Vec<(ClassId, String)> = state
            .classes
            .values()
            .filter(|class| Some(class.value.school) == school)
            .map(|class| (class.value.id, class.value.name.clone()))
            .collect();
        classes.sort_by_key(|(id, name)| (Some(*id) != own, name.clone()));
        (own, classes)
    });
    let returned_on = RwSignal::new(today.to_string());
    let class = RwSignal::new(own);
    let catch_up = RwSignal::new(String::new());
    let problems: Problems = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let options = classes.clone();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut found = Vec::new();
        let returned_on = read_date(&returned_on.get_untracked(), CaseField::Date, &mut found);
        let (Some(returned_on), Some(class)) = (returned_on, class.get_untracked()) else {
            problems.set(found);
            return;
        };
        let form = Return { returned_on, class, catch_up_plan: catch_up.get_untracked() };
        let changes = ctx.state.with_untracked(|state| record_return(state, &case, &form, new_record(), new_record()));
        save_changes(ctx, changes, today, problems, saving, on_done);
    };
    view! {
        <form class="case-form return-form" on:submit=save novalidate>
            <label class="field">
                <span>{ctx.t(CaseText::ReturnedOn)}</span>
                <input type="date" name="returned_on" max=today.to_string() bind:value=returned_on/>
            </label>
            <FieldProblem field=CaseField::Date problems/>
            <label class="field">
                <span>{ctx.t(CaseText::PlacementClass)}</span>
                <select name="class" on:change=move |event| {
                    class.set(event_target_value(&event).parse::<usize>().ok().and_then(|index| options.get(index)).map(|(id, _)| *id))
                }>
                    {classes.into_iter().enumerate().map(|(index, (id, name))| view! {
                        <option value=index.to_string() selected=move || class.get() == Some(id)>{name}</option>
                    }).collect_view()}
                </select>
            </label>
            <FieldProblem field=CaseField::Class problems/>
            <label class="field">
                <span>{ctx.t(CaseText::CatchUp)}</span>
                <textarea name="catch_up" rows="2" bind:value=catch_up></textarea>
            </label>
            <FieldProblem field=CaseField::Form problems/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || saving.get()>{ctx.t(CaseText::SaveReturn)}</button>
                <button type="button" on:click=move |_| on_done()>{ctx.t(CaseText::Cancel)}</button>
            </div>
        </form>
    }
}

#[component]
pub fn FollowUps(student: StudentId, case: Memo<Option<Case>>, follow_ups: Memo<Vec<FollowUp>>) -> impl IntoView {
    let ctx = use_app();
    let adding = RwSignal::new(false);
    view! {
        <h4>{ctx.t(CaseText::FollowUps)}</h4>
        // The checks the school's timers ask for (after a week, a month, each term), done or due.
        <ul class="checks">
            {move || {
                let today = clock::today();
                let due = case.with(|case| case.as_ref().map(|case| ctx.state.with(|state| checks(state, case, today))));
                due.unwrap_or_default().into_iter().map(|check| {
                    let day = check.due_on;
                    let (text, class) = match check.done {
                        Some(_) => (CaseText::CheckDone, "check done"),
                        None if day <= today => (CaseText::CheckDue, "check due"),
                        None => (CaseText::CheckDue, "check ahead"),
                    };
                    view! { <li class=class>{move || fill(ctx.tr(text), &[&day])}</li> }
                }).collect_view()
            }}
        </ul>
        <Show when=move || !follow_ups.with(Vec::is_empty) fallback=move || view! { <p class="muted">{ctx.t(CaseText::NoFollowUps)}</p> }>
            <ol class="follow-ups">
                {move || follow_ups.get().into_iter().map(|check| {
                    let state = if check.attending { CaseText::StillAttending } else { CaseText::AbsentAgain };
                    view! {
                        <li>
                            <span class="timeline-date">{check.date.to_string()}</span>" "
                            <span>{ctx.t(state)}</span>" "
                            <span class="muted">{check.note.clone()}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </Show>
        {move || match (adding.get(), case.get()) {
            (true, Some(case)) => view! { <FollowUpForm student case on_done=move || adding.set(false)/> }.into_any(),
            (false, Some(_)) => view! {
                <button type="button" class="add-follow-up" on:click=move |_| adding.set(true)>{ctx.t(CaseText::AddFollowUp)}</button>
            }.into_any(),
            _ => ().into_any(),
        }}
    }
}

#[component]
fn FollowUpForm(student: StudentId, case: Case, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let date = RwSignal::new(today.to_string());
    let attending = RwSignal::new(true);
    let note = RwSignal::new(String::new());
    let problems: Problems = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut found = Vec::new();
        let Some(date) = read_date(&date.get_untracked(), CaseField::Date, &mut found) else {
            problems.set(found);
            return;
        };
        let check = FollowUp {
            id: new_record(),
            student,
            case: case.id,
            date,
            attending: attending.get_untracked(),
            note: note.get_untracked().trim().to_owned(),
        };
        save_changes(ctx, vec![Change::RecordFollowUp(check)], today, problems, saving, on_done);
    };
    let choice = move |value: bool, text: CaseText| {
        view! {
            <label class="choice">
                <input type="radio" name="attending" checked=move || attending.get() == value on:change=move |_| attending.set(value)/>
                <span>{ctx.t(text)}</span>
            </label>
        }
    };
    view! {
        <form class="case-form follow-up-form" on:submit=save novalidate>
            <label class="field">
                <span>{ctx.t(CaseText::FollowUpDate)}</span>
                <input type="date" name="date" max=today.to_string() bind:value=date/>
            </label>
            <FieldProblem field=CaseField::Date problems/>
            <fieldset class="choices">
                <legend>{ctx.t(CaseText::Attending)}</legend>
                {choice(true, CaseText::StillAttending)}
                {choice(false, CaseText::AbsentAgain)}
            </fieldset>
            <label class="field">
                <span>{ctx.t(CaseText::FollowUpNote)}</span>
                <textarea name="note" rows="2" bind:value=note></textarea>
            </label>
            <FieldProblem field=CaseField::Form problems/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || saving.get()>{ctx.t(CaseText::SaveFollowUp)}</button>
                <button type="button" on:click=move |_| on_done()>{ctx.t(CaseText::Cancel)}</button>
            </div>
        </form>
    }
}
