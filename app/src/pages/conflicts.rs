//! The conflicts page: each open conflict of the school with both versions (value, author,
//! date), and a button to keep one. Opening the page syncs first, so the phone holds both
//! versions before a person chooses.

use crate::ctx::{use_app, AppCtx};
use crate::i18n::{fill, CaseStatusName, ConflictText, Lang, StatusName, Text};
use crate::pages::sync::{error_words, time_words};
use crate::sync::conflicts::{choose, open_conflicts};
use crate::sync::{use_sync, SyncCtx, SyncError};
use baoxue_domain::attendance::HalfDay;
use baoxue_domain::ids::StudentId;
use baoxue_domain::sync::{ContestedSlot, ContestedValue, OpenConflict, Version};
use leptos::prelude::*;

fn student_name(app: AppCtx, student: StudentId) -> String {
    app.state
        .with_untracked(|state| state.student(student).map(|student| student.name))
        .unwrap_or_else(|| app.tr(ConflictText::UnknownStudent).to_owned())
}

/// What the slot is, in words: "张小明 的学籍状态（2026-11-23）".
fn slot_words(app: AppCtx, slot: ContestedSlot) -> String {
    match slot {
        ContestedSlot::StudentStatus { student, date } => {
            fill(app.tr(ConflictText::StatusOn), &[&student_name(app, student), &date])
        }
        ContestedSlot::Attendance { student, day, half } => {
            let when = match half {
                None => day.to_string(),
                Some(HalfDay::Morning) => format!("{day} {}", app.tr(ConflictText::Morning)),
                Some(HalfDay::Afternoon) => format!("{day} {}", app.tr(ConflictText::Afternoon)),
            };
            fill(app.tr(ConflictText::AttendanceOn), &[&student_name(app, student), &when])
        }
        ContestedSlot::CaseStatus { case } | ContestedSlot::CaseOutcome { case } => {
            let student = app.state.with_untracked(|state| state.case(case).map(|case| case.student));
            let name =
                student.map_or_else(|| app.tr(ConflictText::UnknownStudent).to_owned(), |id| student_name(app, id));
            let text = if matches!(slot, ContestedSlot::CaseStatus { .. }) {
                ConflictText::CaseStatus
            } else {
                ConflictText::CaseOutcome
            };
            fill(app.tr(text), &[&name])
        }
    }
}

fn value_words(lang: Lang, value: &ContestedValue) -> String {
    match value {
        ContestedValue::StudentStatus(status) => StatusName(*status).in_lang(lang).to_owned(),
        ContestedValue::Attendance(kind) => kind.in_lang(lang).to_owned(),
        ContestedValue::CaseStatus(status) => CaseStatusName(*status).in_lang(lang).to_owned(),
        ContestedValue::CaseOutcome(outcome) => outcome.clone(),
    }
}

#[component]
fn VersionChoice(
    app: AppCtx,
    sync: SyncCtx,
    conflict: OpenConflict,
    version: Version,
    showing: bool,
    list: RwSignal<Option<Result<Vec<OpenConflict>, SyncError>>>,
    problem: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let value = value_words(app.lang.get_untracked(), &version.value);
    let value_line = {
        let version = version.clone();
        move || value_words(app.lang.get(), &version.value)
    };
    let by = fill(app.tr(ConflictText::By), &[&version.author, &time_words(version.stamp.wall_ms)]);
    let keep = move |_| {
        let (conflict, version) = (conflict.clone(), version.clone());
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            match choose(app, sync, &conflict, &version).await {
                Ok(()) => list.set(Some(open_conflicts(sync).await)),
                Err(error) => problem.set(Some(error_words(app, &error))),
            }
            busy.set(false);
        });
    };
    let label = if showing { ConflictText::Showing } else { ConflictText::Other };
    view! {
        <div class="version">
            <p class="muted">{app.t(label)}</p>
            <p class="value">{value_line}</p>
            <p class="muted">{by}</p>
            <button class="primary" on:click=keep disabled=busy>
                {move || fill(app.tr(ConflictText::Keep), &[&value])}
            </button>
        </div>
    }
}

#[component]
pub fn Conflicts() -> impl IntoView {
    let app = use_app();
    let sync = use_sync();
    let list = RwSignal::new(None::<Result<Vec<OpenConflict>, SyncError>>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The credential is read after the store, so it may arrive after this page: sync once it
    // is there, and read the list again after every sync (this page's or the app's own).
    Effect::new(move |synced_once: Option<bool>| {
        let joined = sync.credential.with(Option::is_some);
        sync.last_synced_ms.track();
        if !joined {
            return false;
        }
        if synced_once != Some(true) {
            leptos::task::spawn_local(sync.run(app));
        }
        leptos::task::spawn_local(async move { list.set(Some(open_conflicts(sync).await)) });
        true
    });
    let shown = move || {
        if sync.credential.with(Option::is_none) {
            return view! { <p class="error" role="alert">{app.t(ConflictText::NotJoined)}</p> }.into_any();
        }
        match list.get() {
            None => view! { <p class="muted">{app.t(ConflictText::Loading)}</p> }.into_any(),
            Some(Err(error)) => view! { <p class="error" role="alert">{error_words(app, &error)}</p> }.into_any(),
            Some(Ok(conflicts)) if conflicts.is_empty() => {
                view! { <p class="muted">{app.t(ConflictText::None)}</p> }.into_any()
            }
            Some(Ok(conflicts)) => conflicts
                .into_iter()
                .map(|conflict| {
                    let title = slot_words(app, conflict.slot);
                    let (showing, other) = (conflict.showing.clone(), conflict.other.clone());
                    view! {
                        <article class="card conflict">
                            <h3>{title}</h3>
                            <div class="versions">
                                <VersionChoice app sync conflict=conflict.clone() version=showing showing=true list problem busy/>
                                <VersionChoice app sync conflict version=other showing=false list problem busy/>
                            </div>
                        </article>
                    }
                })
                .collect_view()
                .into_any(),
        }
    };
    view! {
        <section class="page conflicts">
            <h2>{app.t(ConflictText::Title)}</h2>
            <p class="muted">{app.t(ConflictText::Intro)}</p>
            {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            {shown}
        </section>
    }
}
