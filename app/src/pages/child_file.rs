//! `/student/<id>/file`: the child's file, the per-child 劝返复学方案 as a school files it: the
//! header (the child and the case's plan) and then the whole story in date order
//! (`domain::child_file::story`), with a print button. The print stylesheet keeps only the
//! paper, on A4, with no entry split across two pages.

use crate::clock;
use crate::ctx::use_app;
use crate::i18n::{
    fill, CaseStatusName, CaseText, FileText, FlagName, GenderName, Lang, LevelName, MeasureName, MethodName,
    ReasonName, StatusName, Text,
};
use crate::router::Link;
use baoxue_domain::case::Case;
use baoxue_domain::casework::case_of;
use baoxue_domain::child_file::{story, StoryEntry, StoryEvent};
use baoxue_domain::escalation::{case_standing, CaseStanding, StandingReason};
use baoxue_domain::ids::{ClassId, StudentId};
use baoxue_domain::notice::NoticeKind;
use baoxue_domain::state::State;
use baoxue_domain::student::Student;
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Everything the file says, read from the records.
#[derive(Clone, PartialEq)]
struct File {
    child: Student,
    school: String,
    class: String,
    case: Option<(Case, CaseStanding)>,
    story: Vec<StoryEntry>,
    /// The names of the classes the story's returns name.
    classes: BTreeMap<ClassId, String>,
}

fn file(state: &State, id: StudentId, today: NaiveDate) -> Option<File> {
    let child = state.student(id)?;
    let class_name =
        |class: ClassId| state.classes.get(&class).map(|class| class.value.name.clone()).unwrap_or_default();
    let story = story(state, id, today);
    let classes = story
        .iter()
        .filter_map(|entry| match &entry.event {
            StoryEvent::Return(placement) => Some((placement.class, class_name(placement.class))),
            _ => None,
        })
        .collect();
    Some(File {
        school: state.schools.get(&child.school).map(|school| school.value.name.clone()).unwrap_or_default(),
        class: class_name(child.class),
        case: case_of(state, id).map(|case| {
            let standing = case_standing(state, &case, today);
            (case, standing)
        }),
        story,
        classes,
        child,
    })
}

#[component]
pub fn ChildFilePage(id: String) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let id = id.parse::<StudentId>().ok();
    let found = Memo::new(move |_| id.and_then(|id| ctx.state.with(|state| file(state, id, today))));
    move || match found.get() {
        None => view! {
            <section class="page child-file">
                <p class="muted">{ctx.t(FileText::NotFound)}</p>
                <Link href="/roster" attr:class="button">{ctx.t(FileText::Back)}</Link>
            </section>
        }
        .into_any(),
        Some(file) => view! { <FilePaper file/> }.into_any(),
    }
}

/// A date as the paper writes it: 2026年9月18日.
fn date_in(lang: Lang, day: NaiveDate) -> String {
    fill(FileText::Date.in_lang(lang), &[&day.year(), &day.month(), &day.day()])
}

/// The header's rows: label and value, empty values left out.
fn header_rows(file: &File, lang: Lang) -> Vec<(FileText, String, bool)> {
    let child = &file.child;
    let address = if child.address.is_empty() { child.village.clone() } else { child.address.clone() };
    let guardian = match (child.guardian.as_str(), child.guardian_phone.as_str()) {
        (name, "") => name.to_owned(),
        (name, phone) => format!("{name}　{phone}"),
    };
    let mut rows = vec![
        (FileText::Name, child.name.clone(), false),
        (FileText::Gender, GenderName(child.gender).in_lang(lang).to_owned(), false),
        (FileText::BirthDate, date_in(lang, child.birth_date), false),
        (FileText::StudentNumber, child.student_number.clone().unwrap_or_default(), false),
        (FileText::Class, file.class.clone(), false),
        (FileText::Guardian, guardian, false),
        (FileText::Address, address, true),
    ];
    match &file.case {
        Some((case, standing)) => {
            let measures: Vec<&str> = case.measures.iter().map(|measure| MeasureName(*measure).in_lang(lang)).collect();
            let status = match standing.why {
                StandingReason::Recorded => CaseStatusName(standing.status).in_lang(lang).to_owned(),
                StandingReason::NoticeDeadlinePassed { deadline, .. } => {
                    fill(CaseText::Escalated.in_lang(lang), &[&deadline])
                }
            };
            rows.extend([
                (FileText::Responsible, case.responsible.join("、"), true),
                (FileText::Difficulty, LevelName(case.difficulty).in_lang(lang).to_owned(), false),
                (FileText::Deadline, date_in(lang, case.deadline), false),
                (FileText::Measures, measures.join("、"), true),
                (FileText::CaseStatus, status, true),
            ]);
        }
        None => rows.push((FileText::CaseStatus, FileText::NoCase.in_lang(lang).to_owned(), true)),
    }
    rows.retain(|(_, value, _)| !value.is_empty());
    widen_lone_cells(&mut rows);
    rows
}

/// On paper the header is a form of two label-and-value pairs a line, a wide row taking a whole
/// line: a narrow row left alone on its line (before a wide one, or last) is made wide, so the
/// form has no empty, unruled cell.
fn widen_lone_cells(rows: &mut [(FileText, String, bool)]) {
    let mut alone: Option<usize> = None;
    for index in 0..rows.len() {
        if rows[index].2 {
            if let Some(lone) = alone.take() {
                rows[lone].2 = true;
            }
        } else {
            alone = if alone.is_some() { None } else { Some(index) };
        }
    }
    if let Some(lone) = alone {
        rows[lone].2 = true;
    }
}

/// One entry of the story in words: what happened, and the details below it.
fn entry_words(entry: &StoryEntry, file: &File, lang: Lang) -> (String, Vec<String>) {
    let say = |text: FileText, values: &[&dyn std::fmt::Display]| fill(text.in_lang(lang), values);
    let line = |text: FileText, value: &str| (!value.trim().is_empty()).then(|| say(text, &[&value]));
    let date = |day: NaiveDate| date_in(lang, day);
    match &entry.event {
        StoryEvent::Status(event) => {
            (say(FileText::Status, &[&StatusName(event.status).in_lang(lang)]), vec![event.evidence.clone()])
        }
        StoryEvent::Flag(event) => {
            let text = if event.set { FileText::FlagSet } else { FileText::FlagCleared };
            (say(text, &[&FlagName(event.flag).in_lang(lang)]), vec![event.evidence.clone()])
        }
        StoryEvent::Absence(run) => {
            (say(FileText::Absence, &[&run.days, &date(run.first_day), &date(run.last_day)]), Vec::new())
        }
        StoryEvent::Investigation(row) => {
            let reasons: Vec<&str> = row.reasons.iter().map(|reason| ReasonName(*reason).in_lang(lang)).collect();
            let details = [
                line(FileText::Reasons, &reasons.join("、")),
                line(FileText::Investigator, &row.investigator),
                line(FileText::Note, &row.note),
            ];
            (FileText::Investigation.in_lang(lang).to_owned(), details.into_iter().flatten().collect())
        }
        StoryEvent::CaseOpened(case) => {
            let measures: Vec<&str> = case.measures.iter().map(|measure| MeasureName(*measure).in_lang(lang)).collect();
            let dates = match (case.found_on, case.opened_on) {
                (Some(found), Some(opened)) => Some(say(FileText::FoundAndOpened, &[&date(found), &date(opened)])),
                _ => None,
            };
            let labelled = |label: FileText, value: &str| {
                (!value.is_empty()).then(|| say(FileText::Labelled, &[&label.in_lang(lang), &value]))
            };
            let details = [
                dates,
                labelled(FileText::Responsible, &case.responsible.join("、")),
                labelled(FileText::Difficulty, LevelName(case.difficulty).in_lang(lang)),
                labelled(FileText::Measures, &measures.join("、")),
                labelled(FileText::Deadline, &date(case.deadline)),
            ];
            (FileText::CaseOpened.in_lang(lang).to_owned(), details.into_iter().flatten().collect())
        }
        StoryEvent::Contact(contact) => {
            let head = say(
                FileText::Contact,
                &[&MethodName(contact.method).in_lang(lang), &contact.visitors.join("、"), &contact.met],
            );
            let next = match contact.next_date {
                Some(day) if !contact.next_step.is_empty() => format!("{}（{}）", contact.next_step, date(day)),
                Some(day) => date(day),
                None => contact.next_step.clone(),
            };
            let details = [
                line(FileText::Said, &contact.said),
                line(FileText::Outcome, &contact.outcome),
                line(FileText::NextStep, &next),
            ];
            (head, details.into_iter().flatten().collect())
        }
        StoryEvent::Notice(notice) => {
            let text = match notice.kind {
                NoticeKind::ReturnByDeadline => FileText::Notice,
                NoticeKind::LegalAction => FileText::LegalAction,
            };
            let deadline = notice.deadline.map(|day| say(FileText::NoticeDeadline, &[&date(day)]));
            (say(text, &[&notice.issuer, &notice.number]), deadline.into_iter().collect())
        }
        StoryEvent::Return(placement) => {
            let class = file.classes.get(&placement.class).cloned().unwrap_or_default();
            (
                say(FileText::Returned, &[&class]),
                line(FileText::CatchUp, &placement.catch_up_plan).into_iter().collect(),
            )
        }
        StoryEvent::FollowUp(check) => {
            let text = if check.attending { FileText::FollowUpAttending } else { FileText::FollowUpAbsent };
            (text.in_lang(lang).to_owned(), vec![check.note.clone()])
        }
    }
}

#[component]
fn FilePaper(file: File) -> impl IntoView {
    let ctx = use_app();
    let student = file.child.id;
    let paper = move || {
        let lang = ctx.lang.get();
        let rows = header_rows(&file, lang)
            .into_iter()
            .map(|(label, value, wide)| {
                view! {
                    <div class:wide=wide>
                        <dt>{label.in_lang(lang)}</dt>
                        <dd>{value}</dd>
                    </div>
                }
            })
            .collect_view();
        let entries = file
            .story
            .iter()
            .map(|entry| {
                let (what, details) = entry_words(entry, &file, lang);
                let details = details
                    .into_iter()
                    .filter(|detail| !detail.trim().is_empty())
                    .map(|detail| view! { <p class="story-detail">{detail}</p> })
                    .collect_view();
                view! {
                    <li class="story-entry">
                        <span class="story-date">{date_in(lang, entry.date)}</span>
                        <div class="story-body">
                            <p class="story-what">{what}</p>
                            {details}
                        </div>
                    </li>
                }
            })
            .collect_view();
        let empty = file.story.is_empty().then(|| view! { <p class="muted">{FileText::NothingYet.in_lang(lang)}</p> });
        view! {
            <h2 class="paper-title">{FileText::Title.in_lang(lang)}</h2>
            <p class="paper-subtitle">{fill(FileText::Subtitle.in_lang(lang), &[&file.school])}</p>
            <dl class="file-head">{rows}</dl>
            <h3 class="file-section">{FileText::Story.in_lang(lang)}</h3>
            <ol class="story">{entries}</ol>
            {empty}
            <p class="paper-signature file-signature">{FileText::Signature.in_lang(lang)}</p>
        }
    };
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <section class="page child-file">
            <div class="actions no-print">
                <button type="button" class="primary" on:click=print>{ctx.t(FileText::Print)}</button>
                <Link href=format!("/student/{student}") attr:class="button">{ctx.t(FileText::Back)}</Link>
            </div>
            <article class="paper file-paper">{paper}</article>
        </section>
    }
}

/// In headless Chromium (`cargo test -p baoxue-app --target wasm32-unknown-unknown --lib`).
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::{widen_lone_cells, FileText};
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn widths(narrow_or_wide: &[bool]) -> Vec<bool> {
        let mut rows: Vec<(FileText, String, bool)> =
            narrow_or_wide.iter().map(|wide| (FileText::Name, String::new(), *wide)).collect();
        widen_lone_cells(&mut rows);
        rows.into_iter().map(|(_, _, wide)| wide).collect()
    }

    #[wasm_bindgen_test]
    fn a_narrow_cell_alone_on_its_line_takes_the_line() {
        // Two pairs, then a lone cell before a wide row, then a lone last cell.
        assert_eq!(
            widths(&[false, false, false, false, false, true, false]),
            [false, false, false, false, true, true, true]
        );
        assert_eq!(widths(&[true, false, false, true]), [true, false, false, true]);
    }
}
