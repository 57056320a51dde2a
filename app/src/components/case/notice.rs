//! The legal route of a case: the 《限期复学通知书》 issued (its number per school and year, its
//! deadline), each with a link to its print page, and the form that issues one, on demand or
//! offered once the school's number of contacts has not brought the child back
//! (`escalation::notice_offer`).

use super::form::{new_record, read_date, save_changes, FieldProblem, Problems};
use crate::clock;
use crate::ctx::use_app;
use crate::i18n::{fill, CaseField, CaseText};
use crate::router::{use_navigate, Link};
use baoxue_domain::case::{Case, CaseStatus};
use baoxue_domain::casework::next_notice_number;
use baoxue_domain::escalation::notice_offer;
use baoxue_domain::ids::{CaseId, StudentId};
use baoxue_domain::mutation::Change;
use baoxue_domain::notice::{Notice, NoticeKind};
use chrono::{Datelike, Days};
use leptos::prelude::*;

#[component]
pub fn NoticeBlock(student: StudentId, case: Memo<Option<Case>>, notices: Memo<Vec<Notice>>) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let issuing = RwSignal::new(false);
    // Whether the failed contacts reached the school's number (`Timers`), and the child is out.
    let offer = Memo::new(move |_| {
        case.with(|case| case.as_ref().map(|case| ctx.state.with(|state| notice_offer(state, case, today))))
    });
    let open = move || {
        case.with(|case| {
            case.as_ref().is_some_and(|case| matches!(case.status, CaseStatus::Open | CaseStatus::Escalated))
        })
    };
    let case_id = case.with_untracked(|case| case.as_ref().map(|case| case.id));
    let Some(case_id) = case_id else { return ().into_any() };
    view! {
        <h4>{ctx.t(CaseText::NoticeTitle)}</h4>
        <ul class="notices">
            {move || notices.get().into_iter().map(|notice| {
                let deadline = notice.deadline.map(|day| day.to_string()).unwrap_or_default();
                let issued = notice.issued_on.to_string();
                view! {
                    <li>
                        <span>{notice.number.clone()}</span>" "
                        <span class="muted">{move || fill(ctx.tr(CaseText::NoticeIssued), &[&issued, &deadline])}</span>" "
                        <Link href=format!("/notice/{}", notice.id) attr:class="button">{ctx.t(CaseText::OpenNotice)}</Link>
                    </li>
                }
            }).collect_view()}
        </ul>
        {move || offer.get().filter(|offer| offer.offer).map(|offer| {
            view! { <p class="notice-offer">{fill(ctx.tr(CaseText::NoticeOffered), &[&offer.failed_contacts])}</p> }
        })}
        {move || match (issuing.get(), open()) {
            (true, _) => view! { <NoticeForm student case=case_id on_done=move || issuing.set(false)/> }.into_any(),
            (false, true) => view! {
                <button type="button" class="issue-notice" on:click=move |_| issuing.set(true)>{ctx.t(CaseText::IssueNotice)}</button>
            }.into_any(),
            (false, false) => ().into_any(),
        }}
    }
    .into_any()
}

#[component]
fn NoticeForm(student: StudentId, case: CaseId, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = use_app();
    let navigate = use_navigate();
    let today = clock::today();
    let (issuer, number) = ctx.state.with_untracked(|state| {
        let school = state.student(student).map(|child| child.school);
        let town = school
            .and_then(|school| state.schools.get(&school))
            .and_then(|school| state.towns.get(&school.value.town))
            .map(|town| format!("{}人民政府", town.value.name))
            .unwrap_or_default();
        (town, school.map(|school| next_notice_number(state, school, today.year())).unwrap_or_default())
    });
    let issuer = RwSignal::new(issuer);
    let number = RwSignal::new(number);
    let issued_on = RwSignal::new(today.to_string());
    let deadline = RwSignal::new(today.checked_add_days(Days::new(10)).unwrap_or(today).to_string());
    let problems: Problems = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut found = Vec::new();
        let issued_on = read_date(&issued_on.get_untracked(), CaseField::Date, &mut found);
        let deadline = read_date(&deadline.get_untracked(), CaseField::Deadline, &mut found);
        let (Some(issued_on), Some(deadline)) = (issued_on, deadline) else {
            problems.set(found);
            return;
        };
        let notice = Notice {
            id: new_record(),
            student,
            case,
            kind: NoticeKind::ReturnByDeadline,
            issued_on,
            issuer: issuer.get_untracked().trim().to_owned(),
            deadline: Some(deadline),
            number: number.get_untracked().trim().to_owned(),
        };
        let print = format!("/notice/{}", notice.id);
        let navigate = navigate.clone();
        save_changes(ctx, vec![Change::IssueNotice(notice)], today, problems, saving, move || {
            on_done();
            navigate(&print);
        });
    };
    view! {
        <form class="case-form notice-form" on:submit=save novalidate>
            <label class="field">
                <span>{ctx.t(CaseText::Issuer)}</span>
                <input type="text" name="issuer" bind:value=issuer/>
            </label>
            <FieldProblem field=CaseField::Issuer problems/>
            <label class="field">
                <span>{ctx.t(CaseText::NoticeNumber)}</span>
                <input type="text" name="number" bind:value=number/>
            </label>
            <label class="field">
                <span>{ctx.t(CaseText::IssuedOn)}</span>
                <input type="date" name="issued_on" max=today.to_string() bind:value=issued_on/>
            </label>
            <FieldProblem field=CaseField::Date problems/>
            <label class="field">
                <span>{ctx.t(CaseText::NoticeDeadline)}</span>
                <input type="date" name="deadline" bind:value=deadline/>
            </label>
            <FieldProblem field=CaseField::Deadline problems/>
            <FieldProblem field=CaseField::Form problems/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || saving.get()>{ctx.t(CaseText::SaveNotice)}</button>
                <button type="button" on:click=move |_| on_done()>{ctx.t(CaseText::Cancel)}</button>
            </div>
        </form>
    }
}
