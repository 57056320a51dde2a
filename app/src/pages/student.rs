//! One student: the early warning and its reasons, the flags with their evidence, the details
//! with an edit form, and the status timeline with a form to record a change. Also the page that adds a child by hand.

use crate::case_code::CaseSection;
use crate::clock;
use crate::components::flag_editor::FlagEditor;
use crate::components::risk::{LevelBadge, ReasonList};
use crate::components::status_form::StatusForm;
use crate::components::student_form::{FormFor, StudentForm};
use crate::ctx::use_app;
use crate::i18n::{fill, BoardText, GenderName, GradeName, StatusName, StudentText, Text};
use crate::router::{use_navigate, Link, Redirect};
use baoxue_domain::ids::StudentId;
use baoxue_domain::ledger::counted_status;
use baoxue_domain::risk::{early_warning, EarlyWarningTable};
use baoxue_domain::student::Student;
use leptos::prelude::*;

/// `/student/new`: a child added by hand to the phone's class, then their page.
#[component]
pub fn NewStudent() -> impl IntoView {
    let ctx = use_app();
    let navigate = use_navigate();
    let saved = move |id: StudentId| navigate(&format!("/student/{id}"));
    view! {
        <Show when=move || ctx.profile.with(Option::is_some) fallback=|| view! { <Redirect path="/"/> }>
            <section class="page student">
                <h2>{ctx.t(StudentText::NewTitle)}</h2>
                <StudentForm purpose=FormFor::New on_saved=saved.clone()/>
            </section>
        </Show>
    }
}

/// `/student/:id`.
#[component]
pub fn StudentPage(id: String) -> impl IntoView {
    let ctx = use_app();
    // The id of a student this phone knows. The record below redraws only when this changes,
    // not on every write, so a form being filled in keeps what was typed.
    let known = Memo::new(move |_| {
        let id = id.parse::<StudentId>().ok()?;
        ctx.state.with(|state| state.student(id).is_some()).then_some(id)
    });
    move || match known.get() {
        Some(id) => view! { <StudentRecord id/> }.into_any(),
        None => view! {
            <section class="page student">
                <p class="muted">{ctx.t(StudentText::NotFound)}</p>
                <Link href="/roster" attr:class="button">{ctx.t(StudentText::BackToRoster)}</Link>
            </section>
        }
        .into_any(),
    }
}

#[component]
fn StudentRecord(id: StudentId) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let table = EarlyWarningTable::default();
    let student = Memo::new(move |_| ctx.state.with(|state| state.student(id)));
    let status = Memo::new(move |_| {
        ctx.state.with(|state| state.student(id).map(|student| counted_status(state, &student, today)))
    });
    let assessment = Memo::new(move |_| ctx.state.with(|state| early_warning(state, id, today, &table)));
    let name = move || student.with(|student| student.as_ref().map(|student| student.name.clone()));
    view! {
        <section class="page student">
            <div class="student-head">
                <h2>{name}</h2>
                {move || status.get().map(|status| view! { <span class="status">{ctx.t(StatusName(status))}</span> })}
            </div>

            <h3>{ctx.t(StudentText::EarlyWarning)}</h3>
            {move || {
                assessment.get().map(|assessment| {
                    let points = assessment.points;
                    view! {
                        <div class="student-risk">
                            <LevelBadge level=assessment.level/>
                            <span class="muted">{move || fill(ctx.tr(BoardText::Points), &[&points])}</span>
                        </div>
                        <ReasonList reasons=assessment.reasons/>
                    }
                })
            }}

            <CaseSection id/>

            <h3>{ctx.t(StudentText::Flags)}</h3>
            <FlagEditor student=id/>

            <h3>{ctx.t(StudentText::Details)}</h3>
            <Details student/>

            <h3>{ctx.t(StudentText::Timeline)}</h3>
            <StatusChange id/>
            <Timeline id/>
        </section>
    }
}

/// The record's fields, and the edit form in their place while it is open.
#[component]
fn Details(student: Memo<Option<Student>>) -> impl IntoView {
    let ctx = use_app();
    let editing = RwSignal::new(false);
    move || {
        let Some(current) = student.get() else { return ().into_any() };
        if editing.get() {
            return view! {
                <StudentForm
                    purpose=FormFor::Edit(Box::new(current))
                    on_saved=move |_: StudentId| editing.set(false)
                    on_cancel=move |()| editing.set(false)
                />
            }
            .into_any();
        }
        // Read here so the details redraw in the other language; the form above does not.
        let lang = ctx.lang.get();
        let class = ctx.state.with(|state| state.classes.get(&current.class).map(|class| class.value.name.clone()));
        let rows = [
            (StudentText::StudentNumber, current.student_number.unwrap_or_default()),
            // The child's own page is the one place the whole ID number shows.
            (StudentText::IdNumber, current.id_number.unwrap_or_default()),
            (StudentText::Name, current.name),
            (StudentText::Gender, GenderName(current.gender).in_lang(lang).to_owned()),
            (StudentText::BirthDate, current.birth_date.to_string()),
            (StudentText::Grade, GradeName(current.grade).in_lang(lang).to_owned()),
            (StudentText::Class, class.unwrap_or_default()),
            (StudentText::Village, current.village),
            (StudentText::Address, current.address),
            (StudentText::Guardian, current.guardian),
            (StudentText::GuardianPhone, current.guardian_phone),
        ];
        view! {
            <dl class="details">
                {rows
                    .into_iter()
                    .map(|(label, value)| view! { <div><dt>{label.in_lang(lang)}</dt> <dd>{value}</dd></div> })
                    .collect_view()}
            </dl>
            <button type="button" on:click=move |_| editing.set(true)>{StudentText::Edit.in_lang(lang)}</button>
        }
        .into_any()
    }
}

/// A button that opens the status form in its place.
#[component]
fn StatusChange(id: StudentId) -> impl IntoView {
    let ctx = use_app();
    let open = RwSignal::new(false);
    move || match open.get() {
        true => view! { <StatusForm student=id on_done=move || open.set(false)/> }.into_any(),
        false => view! {
            <button type="button" class="status-open" on:click=move |_| open.set(true)>
                {ctx.t(StudentText::RecordStatus)}
            </button>
        }
        .into_any(),
    }
}

/// The status events, newest first.
#[component]
fn Timeline(id: StudentId) -> impl IntoView {
    let ctx = use_app();
    let events = Memo::new(move |_| {
        ctx.state.with(|state| state.timeline(id).events().iter().rev().cloned().collect::<Vec<_>>())
    });
    view! {
        <Show
            when=move || !events.with(Vec::is_empty)
            fallback=move || view! { <p class="muted">{ctx.t(StudentText::NoTimeline)}</p> }
        >
            <ol class="timeline">
                {move || {
                    events
                        .get()
                        .into_iter()
                        .map(|event| {
                            let evidence = event.evidence.clone();
                            view! {
                                <li>
                                    <span class="timeline-date">{event.date.to_string()}</span>
                                    <span class="timeline-status">{ctx.t(StatusName(event.status))}</span>
                                    <span class="timeline-evidence">
                                        {move || if evidence.trim().is_empty() { ctx.tr(StudentText::NoEvidence).to_owned() } else { evidence.clone() }}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
        </Show>
    }
}
