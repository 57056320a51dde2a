//! The ledgers as papers (`domain::ledger`): `/report/suspected`, the 疑似辍学台账;
//! `/report/dropouts`, the 辍学台账 (the list of dropouts, with the 排查台账's columns: reasons,
//! when found, by whom); `/report/returned`, the 复学学生名单 of the term (children who left the
//! dropout ledger back in a class); `/report/residents`, the 适龄儿童台账 (every child of the
//! resident list of compulsory age, on a roll or not, with the 巩固率 it gives). The rows are the ledgers page's own rows of the same day, so
//! a paper and the screen cannot disagree. On a phone each child is a card; on paper (A4) one
//! table with the signature lines; as XLSX and CSV the same cells.

use crate::clock;
use crate::components::figures::rate_text;
use crate::components::paper::{PaperActions, PaperFile, PaperLine, PaperLines, PaperSignature};
use crate::ctx::use_app;
use crate::i18n::{fill, CaseStatusName, CaseText, GenderName, Lang, ReasonName, ReportText, StatusName, Text};
use baoxue_domain::casework::case_of;
use baoxue_domain::escalation::case_standing;
use baoxue_domain::figures::{FigureInputs, Period, Scope};
use baoxue_domain::ids::{SchoolId, StudentId};
use baoxue_domain::ledger::{ledgers, DropoutRow, Ledgers, Roll, SuspectedRow, SuspectedSource};
use baoxue_domain::state::State;
use baoxue_domain::student::Student;
use chrono::NaiveDate;
use leptos::prelude::*;

/// Which ledger is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LedgerPaper {
    Suspected,
    Dropouts,
    Returned,
    /// The 适龄儿童台账: every child of the resident list of compulsory age, and where each is.
    AgeAppropriate,
}

impl LedgerPaper {
    fn title(self) -> ReportText {
        match self {
            LedgerPaper::Suspected => ReportText::SuspectedLedgerTitle,
            LedgerPaper::Dropouts => ReportText::DropoutLedgerTitle,
            LedgerPaper::Returned => ReportText::ReturnedListTitle,
            LedgerPaper::AgeAppropriate => ReportText::AgeLedgerTitle,
        }
    }

    fn columns(self) -> &'static [ReportText] {
        match self {
            LedgerPaper::Suspected => &[
                ReportText::Ordinal,
                ReportText::Name,
                ReportText::Gender,
                ReportText::Age,
                ReportText::Class,
                ReportText::Number,
                ReportText::Address,
                ReportText::SuspectedWhy,
                ReportText::RaisedOn,
            ],
            LedgerPaper::Dropouts => &[
                ReportText::Ordinal,
                ReportText::Name,
                ReportText::Gender,
                ReportText::Age,
                ReportText::Class,
                ReportText::Number,
                ReportText::Address,
                ReportText::Since,
                ReportText::Reasons,
                ReportText::FoundOn,
                ReportText::Investigator,
                ReportText::Standing,
            ],
            LedgerPaper::Returned => &[
                ReportText::Ordinal,
                ReportText::Name,
                ReportText::Gender,
                ReportText::Class,
                ReportText::Since,
                ReportText::ReturnedOn,
                ReportText::Evidence,
            ],
            LedgerPaper::AgeAppropriate => &[
                ReportText::Ordinal,
                ReportText::Name,
                ReportText::Gender,
                ReportText::Age,
                ReportText::Village,
                ReportText::RollSchool,
                ReportText::RollStanding,
            ],
        }
    }
}

/// What a paper shows: the line under its title, and a line of cells per child.
struct LedgerLines {
    subtitle: String,
    lines: Vec<(Option<StudentId>, Vec<String>)>,
}

/// The 村 and the address as one cell, as a 家庭住址 is written.
fn address_of(student: Option<&Student>) -> String {
    student.map(Student::home).unwrap_or_default()
}

fn class_name(state: &State, student: Option<&Student>) -> String {
    student.and_then(|child| state.classes.get(&child.class)).map(|class| class.value.name.clone()).unwrap_or_default()
}

fn suspected_cells(state: &State, row: &SuspectedRow, today: NaiveDate, lang: Lang) -> Vec<String> {
    let student = state.student(row.student);
    let student = student.as_ref();
    let why = match &row.source {
        SuspectedSource::Reported { .. } => CaseText::SourceReported.in_lang(lang).to_owned(),
        SuspectedSource::UnexcusedAbsence { streak, .. } => fill(CaseText::SourceAbsence.in_lang(lang), &[streak]),
        SuspectedSource::TransferWithoutReceipt { recorded_on, .. } => {
            fill(CaseText::SourceTransfer.in_lang(lang), &[recorded_on])
        }
    };
    vec![
        row.name.clone(),
        student.map(|s| GenderName(s.gender).in_lang(lang).to_owned()).unwrap_or_default(),
        student.map(|s| s.age_on(today).to_string()).unwrap_or_default(),
        class_name(state, student),
        student.and_then(|s| s.student_number.clone()).unwrap_or_default(),
        address_of(student),
        why,
        row.raised_on.to_string(),
    ]
}

fn dropout_cells(state: &State, row: &DropoutRow, today: NaiveDate, lang: Lang) -> Vec<String> {
    let student = state.student(row.student);
    let reasons: Vec<&str> = row.reasons().into_iter().map(|reason| ReasonName(reason).in_lang(lang)).collect();
    // The 排查台账's row that found the child: the latest, as the ledger lists them oldest first.
    let found = row.investigations.last();
    // The case's standing; a dropout with no case yet is said to be one, with no case.
    let standing = match case_of(state, row.student) {
        Some(case) => CaseStatusName(case_standing(state, &case, today).status).in_lang(lang).to_owned(),
        None => format!("{}（{}）", StatusName(row.status).in_lang(lang), CaseText::NoCaseYet.in_lang(lang)),
    };
    vec![
        row.name.clone(),
        GenderName(row.gender).in_lang(lang).to_owned(),
        row.age.to_string(),
        class_name(state, student.as_ref()),
        row.student_number.clone().unwrap_or_default(),
        address_of(student.as_ref()),
        row.since.to_string(),
        reasons.join("、"),
        found.map(|entry| entry.found_on.to_string()).unwrap_or_default(),
        found.map(|entry| entry.investigator.clone()).unwrap_or_default(),
        standing,
    ]
}

/// The lines of `paper` for `school` at the end of `today`, from the day's ledgers.
fn lines_of(
    paper: LedgerPaper,
    state: &State,
    all: &Ledgers,
    school: SchoolId,
    today: NaiveDate,
    lang: Lang,
) -> LedgerLines {
    let as_of = fill(ReportText::AsOf.in_lang(lang), &[&today]);
    let school_name = state.schools.get(&school).map(|school| school.value.name.clone()).unwrap_or_default();
    match paper {
        LedgerPaper::Suspected => LedgerLines {
            subtitle: format!("{school_name} · {as_of}"),
            lines: all
                .suspected
                .iter()
                .map(|row| (Some(row.student), suspected_cells(state, row, today, lang)))
                .collect(),
        },
        LedgerPaper::Dropouts => LedgerLines {
            subtitle: format!("{school_name} · {as_of}"),
            lines: all
                .dropouts
                .rows
                .iter()
                .map(|row| (Some(row.student), dropout_cells(state, row, today, lang)))
                .collect(),
        },
        LedgerPaper::Returned => {
            let term = state.calendar(school).this_term(today).cloned();
            let period = term.as_ref().and_then(|term| Period::of_term(term).ok());
            let lines = period
                .map(|period| {
                    all.dropouts
                        .returned_in(period)
                        .map(|row| {
                            let student = state.student(row.student);
                            let student = student.as_ref();
                            let cells = vec![
                                row.name.clone(),
                                student.map(|s| GenderName(s.gender).in_lang(lang).to_owned()).unwrap_or_default(),
                                class_name(state, student),
                                row.since.to_string(),
                                row.left_on.to_string(),
                                row.evidence.clone(),
                            ];
                            (Some(row.student), cells)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let term = term.map(|term| term.name).unwrap_or_default();
            LedgerLines { subtitle: format!("{school_name} · {term} · {as_of}"), lines }
        }
        LedgerPaper::AgeAppropriate => {
            let inputs = FigureInputs::new(state);
            let rate = inputs.consolidation_of(&Scope::School(school), today).unwrap_or_default();
            let rate =
                format!("{}{}", ReportText::ConsolidationIs.in_lang(lang), rate_text(|text| text.in_lang(lang), rate));
            let school_of =
                |id: SchoolId| state.schools.get(&id).map(|school| school.value.name.clone()).unwrap_or_default();
            let lines = all
                .age_appropriate
                .iter()
                .map(|row| {
                    let (place, standing) = match &row.roll {
                        Roll::OnRoll { school, class, status, .. } => {
                            let class =
                                state.classes.get(class).map(|class| class.value.name.clone()).unwrap_or_default();
                            (format!("{} {class}", school_of(*school)), StatusName(*status).in_lang(lang).to_owned())
                        }
                        Roll::OffRoll { school, status, .. } => {
                            (school_of(*school), StatusName(*status).in_lang(lang).to_owned())
                        }
                        Roll::Unmatched => (String::new(), ReportText::NotOnAnyRoll.in_lang(lang).to_owned()),
                    };
                    let cells = vec![
                        row.name.clone(),
                        GenderName(row.gender).in_lang(lang).to_owned(),
                        row.age.to_string(),
                        row.village.clone(),
                        place,
                        standing,
                    ];
                    // A child on no roll has no page of their own: the card is not a link.
                    let student = match &row.roll {
                        Roll::OnRoll { student, .. } | Roll::OffRoll { student, .. } => Some(*student),
                        Roll::Unmatched => None,
                    };
                    (student, cells)
                })
                .collect();
            LedgerLines { subtitle: format!("{school_name} · {as_of} · {rate}"), lines }
        }
    }
}

/// The lines with their ordinals, as the paper's cells.
fn numbered(lines: &LedgerLines) -> Vec<Vec<String>> {
    lines
        .lines
        .iter()
        .enumerate()
        .map(|(i, (_, cells))| std::iter::once((i + 1).to_string()).chain(cells.iter().cloned()).collect())
        .collect()
}

#[component]
pub fn LedgerPaperPage(paper: LedgerPaper) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let school = move || ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school));
    let all = Memo::new(move |_| school().map(|school| ctx.state.with(|state| ledgers(state, school, today))));
    let lines = move |lang: Lang| {
        let (school, all) = (school()?, all.get()?);
        Some(ctx.state.with_untracked(|state| lines_of(paper, state, &all, school, today, lang)))
    };
    let teacher = move || ctx.profile.with_untracked(|p| p.as_ref().map(|p| p.teacher.clone()).unwrap_or_default());
    let file = Callback::new(move |()| {
        let lang = ctx.lang.get_untracked();
        let lines = untrack(|| lines(lang))?;
        let school = ctx.state.with_untracked(|state| {
            school().and_then(|school| state.schools.get(&school).map(|school| school.value.name.clone()))
        });
        let title = paper.title().in_lang(Lang::Zh);
        let mut rows = vec![
            vec![format!("{} {}", school.clone().unwrap_or_default(), paper.title().in_lang(lang))],
            vec![lines.subtitle.clone()],
            paper.columns().iter().map(|column| column.in_lang(lang).to_owned()).collect(),
        ];
        rows.extend(numbered(&lines));
        rows.push(Vec::new());
        rows.push(vec![ReportText::PreparedBy.in_lang(lang).to_owned(), teacher()]);
        rows.push(vec![ReportText::FiledOn.in_lang(lang).to_owned(), today.to_string()]);
        Some(PaperFile {
            stem: format!("{}-{title}-{today}", crate::download::file_name_part(&school.unwrap_or_default(), "school")),
            sheet: title.to_owned(),
            rows,
        })
    });
    let body = move || {
        let lang = ctx.lang.get();
        let lines = lines(lang)?;
        let header: Vec<&'static str> = paper.columns().iter().map(|column| column.in_lang(lang)).collect();
        let empty =
            lines.lines.is_empty().then(|| view! { <p class="muted">{CaseText::NothingListed.in_lang(lang)}</p> });
        let cards: Vec<PaperLine> = lines
            .lines
            .iter()
            .zip(numbered(&lines))
            .map(|((student, _), cells)| PaperLine { student: student.map(|student| student.to_string()), cells })
            .collect();
        Some(view! {
            <h2 class="paper-title">{paper.title().in_lang(lang)}</h2>
            <p class="paper-subtitle">{lines.subtitle.clone()}</p>
            {empty}
            // The name is the card's heading, the ordinal the table's.
            <PaperLines header lines=cards heading=1 hidden=vec![0]/>
        })
    };
    view! {
        <section class="page report">
            <PaperActions paper=file/>
            <article class="paper report-paper ledger-paper">
                {body}
                <PaperSignature teacher=teacher()/>
            </article>
        </section>
    }
}
