//! `/today` (今天要做), the start screen: what the school has to do today or is late with, from
//! `domain::timers` (report a suspected dropout the same day, visit, write the 排查台账 row, the
//! monthly report, a contact's next step, a notice whose deadline passed, a follow-up check),
//! each one tap from the child it is about.

use crate::clock;
use crate::ctx::use_app;
use crate::i18n::{fill, CaseText, DashText, ReportText};
use crate::router::Link;
use baoxue_domain::timers::{due, Duty, DutyKind};
use leptos::prelude::*;

#[component]
pub fn Today() -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let duties = Memo::new(move |_| {
        let school = ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school))?;
        Some(ctx.state.with(|state| {
            due(state, school, today)
                .into_iter()
                .map(|duty| {
                    let name =
                        duty.student.and_then(|id| state.student(id)).map(|child| child.name).unwrap_or_default();
                    (duty, name)
                })
                .collect::<Vec<_>>()
        }))
    });
    view! {
        <section class="page today">
            <h2>{ctx.t(CaseText::Today)}</h2>
            {move || {
                let duties = duties.get().unwrap_or_default();
                if duties.is_empty() {
                    return view! { <p class="muted nothing-due">{ctx.t(CaseText::NothingDue)}</p> }.into_any();
                }
                view! {
                    <ul class="duties">
                        {duties.into_iter().map(|(duty, name)| view! { <DutyItem duty name/> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <div class="actions">
                <Link href="/ledgers" attr:class="button">{ctx.t(CaseText::OpenLedgers)}</Link>
                <Link href="/dashboard" attr:class="button">{ctx.t(DashText::Link)}</Link>
                <Link href="/report/monthly" attr:class="button">{ctx.t(ReportText::MonthlyLink)}</Link>
                <Link href="/report/classes" attr:class="button">{ctx.t(ReportText::ClassListLink)}</Link>
                <Link href="/report/visits" attr:class="button">{ctx.t(ReportText::VisitRegisterLink)}</Link>
                <Link href="/report/class-day" attr:class="button">{ctx.t(ReportText::ClassDayLink)}</Link>
                <Link href="/report/school-day" attr:class="button">{ctx.t(ReportText::SchoolDayLink)}</Link>
            </div>
        </section>
    }
}

#[component]
fn DutyItem(duty: Duty, name: String) -> impl IntoView {
    let ctx = use_app();
    let what = move || match duty.kind {
        DutyKind::ReportSuspectedDropout => ctx.tr(CaseText::DutyReport).to_owned(),
        DutyKind::HomeVisit => ctx.tr(CaseText::DutyVisit).to_owned(),
        DutyKind::WrittenReport => ctx.tr(CaseText::DutyWrittenReport).to_owned(),
        DutyKind::MonthlyReport { month } => fill(ctx.tr(CaseText::DutyMonthlyReport), &[&month]),
        DutyKind::ContactNextStep { contact } => {
            let step = ctx.state.with_untracked(|state| {
                state.contacts.get(&contact).map(|contact| contact.value.next_step.clone()).unwrap_or_default()
            });
            fill(ctx.tr(CaseText::DutyNextStep), &[&step])
        }
        DutyKind::EscalateToTown { .. } => ctx.tr(CaseText::DutyEscalate).to_owned(),
        DutyKind::FollowUpCheck { .. } => ctx.tr(CaseText::DutyFollowUp).to_owned(),
    };
    let due_on = duty.due_on;
    let when = move || {
        if duty.overdue {
            format!("{} · {}", ctx.tr(CaseText::Overdue), fill(ctx.tr(CaseText::DueOn), &[&due_on]))
        } else {
            fill(ctx.tr(CaseText::DueOn), &[&due_on])
        }
    };
    let body = view! {
        <span class="duty-name">{name}</span>
        <span class="duty-what">{what}</span>
        <span class=if duty.overdue { "duty-when overdue" } else { "duty-when" }>{when}</span>
    };
    let report = match duty.kind {
        DutyKind::MonthlyReport { month } => Some(month),
        _ => None,
    };
    match (duty.student, report) {
        (_, Some(month)) => {
            view! { <li><Link href=format!("/report/monthly/{month}") attr:class="duty">{body}</Link></li> }.into_any()
        }
        (Some(student), None) => {
            view! { <li><Link href=format!("/student/{student}") attr:class="duty">{body}</Link></li> }.into_any()
        }
        (None, None) => view! { <li><div class="duty">{body}</div></li> }.into_any(),
    }
}
