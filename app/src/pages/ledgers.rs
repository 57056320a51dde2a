//! `/ledgers`: the 疑似辍学台账 and the 辍学台账 of the phone's school (the 2024 notice's two
//! ledgers), with the 动态销号 of this month, filtered by class; the term's 辍学率 and 劝返复学率
//! above them, each as its numerator and denominator with the children behind them one tap
//! away. Every row opens the child's page.

use crate::clock;
use crate::components::figures::{label, visit_lines, RateLine, VisitLines};
use crate::ctx::use_app;
use crate::i18n::{fill, CaseStatusName, CaseText, CrossText, GenderName, ReasonName, ReportText, StatusName, Text};
use crate::router::Link;
use baoxue_domain::casework::case_of;
use baoxue_domain::dashboard::{children_behind, Rate};
use baoxue_domain::escalation::case_standing;
use baoxue_domain::figures::{FigureInputs, Period, Scope};
use baoxue_domain::ids::{ClassId, StudentId};
use baoxue_domain::ledger::{ledgers, Ledgers, SuspectedSource};
use baoxue_domain::state::State;
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Suspected,
    Dropouts,
    ClearedThisMonth,
}

#[component]
pub fn LedgersPage() -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let school = move || ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school));
    let class = RwSignal::new(ctx.profile.with_untracked(|profile| profile.as_ref().and_then(|profile| profile.class)));
    let tab = RwSignal::new(Tab::Suspected);
    let all = Memo::new(move |_| school().map(|school| ctx.state.with(|state| ledgers(state, school, today))));
    let classes = Memo::new(move |_| {
        let school = school();
        ctx.state.with(|state| school.map(|school| state.class_names_at(school)).unwrap_or_default())
    });
    let tab_button = move |which: Tab, text: CaseText| {
        view! {
            <button type="button" aria-pressed=move || (tab.get() == which).to_string() on:click=move |_| tab.set(which)>
                {ctx.t(text)}
            </button>
        }
    };
    view! {
        <section class="page ledgers">
            <h2>{ctx.t(CaseText::Ledgers)}</h2>
            <label class="field">
                <select
                    name="class"
                    on:change=move |event| {
                        let index = event_target_value(&event).parse::<usize>().ok();
                        class.set(index.and_then(|index| classes.with(|classes| classes.get(index).map(|(id, _)| *id))));
                    }
                >
                    <option value="" selected=move || class.get().is_none()>{ctx.t(CaseText::AllClasses)}</option>
                    {move || classes.get().into_iter().enumerate().map(|(index, (id, name))| view! {
                        <option value=index.to_string() selected=move || class.get() == Some(id)>{name}</option>
                    }).collect_view()}
                </select>
            </label>
            <TermFigures class/>
            <div class="segmented ledger-tabs">
                {tab_button(Tab::Suspected, CaseText::SuspectedLedger)}
                {tab_button(Tab::Dropouts, CaseText::DropoutLedger)}
                {tab_button(Tab::ClearedThisMonth, CaseText::FilterClosedThisMonth)}
            </div>
            {move || all.get().map(|all| match tab.get() {
                Tab::Suspected => view! { <SuspectedList all class/> }.into_any(),
                Tab::Dropouts => view! { <DropoutList all class/> }.into_any(),
                Tab::ClearedThisMonth => view! { <ClearedList all class/> }.into_any(),
            })}
            <p class="paper-links">
                {ctx.t(ReportText::PrintLedger)}
                <Link href="/report/suspected">{ctx.t(ReportText::SuspectedLedgerTitle)}</Link>" · "
                <Link href="/report/dropouts">{ctx.t(ReportText::DropoutLedgerTitle)}</Link>" · "
                <Link href="/report/returned">{ctx.t(ReportText::ReturnedListTitle)}</Link>" · "
                <Link href="/report/residents">{ctx.t(ReportText::AgeLedgerTitle)}</Link>
            </p>
            <p><Link href="/crosscheck" attr:class="button">{ctx.t(CrossText::Link)}</Link></p>
        </section>
    }
}

/// Whether `student` is in the class chosen (any, when none is).
fn in_class(state: &State, student: StudentId, class: Option<ClassId>) -> bool {
    class.is_none_or(|class| state.student(student).is_some_and(|child| child.class == class))
}

fn class_name(state: &State, student: StudentId) -> String {
    state
        .student(student)
        .and_then(|child| state.classes.get(&child.class).map(|class| class.value.name.clone()))
        .unwrap_or_default()
}

#[component]
fn SuspectedList(all: Ledgers, class: RwSignal<Option<ClassId>>) -> impl IntoView {
    let ctx = use_app();
    let rows = move || {
        let lang = ctx.lang.get();
        ctx.state.with_untracked(|state| {
            all.suspected
                .iter()
                .filter(|row| in_class(state, row.student, class.get()))
                .map(|row| {
                    let source = match &row.source {
                        SuspectedSource::Reported { .. } => CaseText::SourceReported.in_lang(lang).to_owned(),
                        SuspectedSource::UnexcusedAbsence { streak, .. } => {
                            fill(CaseText::SourceAbsence.in_lang(lang), &[streak])
                        }
                        SuspectedSource::TransferWithoutReceipt { recorded_on, .. } => {
                            fill(CaseText::SourceTransfer.in_lang(lang), &[recorded_on])
                        }
                    };
                    let found = fill(CaseText::RaisedOn.in_lang(lang), &[&row.raised_on]);
                    (row.student, row.name.clone(), class_name(state, row.student), format!("{found} · {source}"))
                })
                .collect::<Vec<_>>()
        })
    };
    view! { <RowList rows=Signal::derive(rows)/> }
}

#[component]
fn DropoutList(all: Ledgers, class: RwSignal<Option<ClassId>>) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let rows = move || {
        let lang = ctx.lang.get();
        ctx.state.with_untracked(|state| {
            all.dropouts
                .rows
                .iter()
                .filter(|row| in_class(state, row.student, class.get()))
                .map(|row| {
                    let reasons: Vec<&str> =
                        row.reasons().into_iter().map(|reason| ReasonName(reason).in_lang(lang)).collect();
                    let case = case_of(state, row.student).map_or(CaseText::NoCaseYet.in_lang(lang), |case| {
                        CaseStatusName(case_standing(state, &case, today).status).in_lang(lang)
                    });
                    // The ledger's columns of the 2024 notice: gender, age, 学籍号, address.
                    let gender = GenderName(row.gender).in_lang(lang);
                    let mut person = fill(CaseText::GenderAge.in_lang(lang), &[&gender, &row.age]);
                    if let Some(number) = &row.student_number {
                        person = format!("{person} · {number}");
                    }
                    if !row.address.is_empty() {
                        person = format!("{person} · {}", row.address);
                    }
                    let mut line =
                        format!("{person}\n{} · {}", fill(CaseText::OutSince.in_lang(lang), &[&row.since]), case);
                    if !reasons.is_empty() {
                        line = format!("{line} · {}", reasons.join("、"));
                    }
                    if let Some(exit) = &row.exit_without_evidence {
                        let status = StatusName(exit.status).in_lang(lang);
                        line = format!(
                            "{line} · {}",
                            fill(CaseText::ExitWithoutEvidence.in_lang(lang), &[&exit.date, &status])
                        );
                    }
                    (row.student, row.name.clone(), class_name(state, row.student), line)
                })
                .collect::<Vec<_>>()
        })
    };
    view! { <RowList rows=Signal::derive(rows)/> }
}

#[component]
fn ClearedList(all: Ledgers, class: RwSignal<Option<ClassId>>) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let withdrawn_rows = all.dropouts.withdrawn.clone();
    let rows = move || {
        let lang = ctx.lang.get();
        ctx.state.with_untracked(|state| {
            all.dropouts
                .cleared_in_month_of(today)
                .filter(|row| in_class(state, row.student, class.get()))
                .map(|row| {
                    let to = StatusName(row.to).in_lang(lang);
                    let line = fill(CaseText::LeftOn.in_lang(lang), &[&row.left_on, &to, &row.evidence]);
                    (row.student, row.name.clone(), class_name(state, row.student), line)
                })
                .collect::<Vec<_>>()
        })
    };
    let withdrawn = Signal::derive(move || {
        let lang = ctx.lang.get();
        ctx.state.with_untracked(|state| {
            withdrawn_rows
                .iter()
                .filter(|row| in_class(state, row.student, class.get()))
                .map(|row| {
                    let status = StatusName(row.status).in_lang(lang);
                    let line = fill(CaseText::WithdrawnRow.in_lang(lang), &[&row.date, &status, &row.reason]);
                    (row.student, row.name.clone(), class_name(state, row.student), line)
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <RowList rows=Signal::derive(rows)/>
        <Show when=move || withdrawn.with(|rows| !rows.is_empty())>
            <h3 class="withdrawn-title">{ctx.t(CaseText::Withdrawn)}</h3>
            <RowList rows=withdrawn/>
        </Show>
    }
}

/// Ledger rows: name and class, a line of what the ledger says; each opens the child.
#[component]
fn RowList(rows: Signal<Vec<(StudentId, String, String, String)>>) -> impl IntoView {
    let ctx = use_app();
    move || {
        let rows = rows.get();
        if rows.is_empty() {
            return view! { <p class="muted">{ctx.t(CaseText::NothingListed)}</p> }.into_any();
        }
        view! {
            <ul class="ledger-list">
                {rows.into_iter().map(|(student, name, class, line)| view! {
                    <li>
                        <Link href=format!("/student/{student}") attr:class="ledger-row">
                            <span class="ledger-name"><span class="name">{name}</span>" "<span class="muted">{class}</span></span>
                            <span class="ledger-line">{line}</span>
                        </Link>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    }
}

/// The term's 辍学率 and 劝返复学率 of the class chosen (or the school), each with the children
/// in its numerator listed under it.
#[component]
fn TermFigures(class: RwSignal<Option<ClassId>>) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let figures = Memo::new(move |_| {
        let school = ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school))?;
        let scope = class.get().map_or(Scope::School(school), Scope::Class);
        ctx.state.with(|state| {
            let term = state.calendar(school).this_term(today).cloned()?;
            let period = Period::of_term(&term).ok()?;
            let inputs = FigureInputs::new(state);
            let students = inputs.students_in(&scope);
            let totals = inputs.student_figures(students.iter().copied(), period, today).both();
            // The children in each rate's numerator, by name, as the dashboard lists them.
            let behind = |rate: Rate| -> Vec<(StudentId, String)> {
                let (ids, _) = children_behind(&inputs, students.iter().copied(), period, today, rate);
                ids.into_iter().map(|id| (id, inputs.student(id).map(|s| s.name.clone()).unwrap_or_default())).collect()
            };
            let rates = vec![
                ("dropout", CaseText::DropoutRate, totals.dropout, behind(Rate::Dropout)),
                ("returned", CaseText::ReturnRate, totals.returned, behind(Rate::Returned)),
            ];
            let visits = visit_lines(state, &inputs.visit_rows(&scope, period, today));
            Some((term.name, rates, visits))
        })
    });
    move || {
        match figures.get() {
        None => view! { <p class="muted">{ctx.t(CaseText::NoTerm)}</p> }.into_any(),
        Some((term, rates, visits)) => {
            view! {
                <div class="term-figures">
                    <p class="muted">{move || fill(ctx.tr(CaseText::TermFigures), &[&term])}</p>
                    {rates.into_iter().map(|(key, text, ratio, children)| view! { <RateLine key label=label(text) ratio children/> }).collect_view()}
                    <VisitLines visits/>
                </div>
            }
            .into_any()
        }
    }
    }
}
