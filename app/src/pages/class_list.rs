//! `/report/classes`: the list of 无辍学班 of the term, the paper a school hands in for the
//! 量化评比: every class of the school in which no child dropped out this term, by stage, with
//! its head teacher, its children on the roll, its attendance and its place in the ranking, and
//! per stage how many of its classes that is. It is the dashboard's own `ClassLine`s
//! (`domain::dashboard`), so its count is the dashboard's 无辍学班 numerator. On a phone each
//! class is a card; on paper an A4 table with the signature lines; as XLSX and CSV the same cells.

use crate::clock;
use crate::components::paper::{PaperActions, PaperFile, PaperLine, PaperLines, PaperSignature};
use crate::ctx::use_app;
use crate::i18n::{fill, DashText, Lang, ReportText, Text};
use baoxue_domain::dashboard::{school_dashboard, ClassLine, SchoolDashboard};
use baoxue_domain::org::Stage;
use baoxue_domain::risk::EarlyWarningTable;
use leptos::prelude::*;

/// The columns, in the order of the paper.
const COLUMNS: [ReportText; 6] = [
    ReportText::Ordinal,
    ReportText::Class,
    ReportText::HeadTeacher,
    ReportText::OnRollInTerm,
    ReportText::AttendanceRate,
    ReportText::RankInStage,
];

/// The classes of `stage` without a dropout this term, in ranking order.
fn classes_of(board: &SchoolDashboard, stage: Stage) -> Vec<&ClassLine> {
    board.classes.iter().filter(|line| line.grade.stage() == stage && line.without_dropout()).collect()
}

/// One class's cells, in `COLUMNS` order; `ordinal` counts from 1 within the stage.
fn cells(line: &ClassLine, ordinal: usize) -> Vec<String> {
    let attendance = line.figures.attendance.value().map_or_else(|| "—".to_owned(), |v| format!("{:.2}%", v * 100.0));
    vec![
        ordinal.to_string(),
        line.name.clone(),
        line.head_teacher.clone(),
        line.figures.dropout.denominator.to_string(),
        attendance,
        line.rank.map_or_else(|| "—".to_owned(), |rank| rank.to_string()),
    ]
}

/// Per stage the school has: its name, its rows of cells and its "n of m classes" line.
fn stages(board: &SchoolDashboard, lang: Lang) -> Vec<(String, Vec<Vec<String>>, String)> {
    board
        .stages
        .iter()
        .map(|stage| {
            let name = if *stage == Stage::Primary { ReportText::Primary } else { ReportText::Junior };
            let rows = classes_of(board, *stage).into_iter().enumerate().map(|(i, line)| cells(line, i + 1)).collect();
            let ratio = board.figures.classes_without_dropout.get(*stage);
            let count =
                fill(ReportText::ClassesWithoutDropoutOf.in_lang(lang), &[&ratio.numerator, &ratio.denominator]);
            (name.in_lang(lang).to_owned(), rows, count)
        })
        .collect()
}

/// The paper as rows of cells, for the CSV and the XLSX.
fn paper_rows(board: &SchoolDashboard, school: &str, lang: Lang, prepared_by: &str) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = vec![
        vec![format!("{school} {}", ReportText::ClassListTitle.in_lang(lang))],
        vec![board.term.clone()],
        COLUMNS.iter().map(|column| column.in_lang(lang).to_owned()).collect(),
    ];
    for (stage, lines, count) in stages(board, lang) {
        rows.push(vec![stage, count]);
        rows.extend(lines);
    }
    rows.push(Vec::new());
    rows.push(vec![ReportText::PreparedBy.in_lang(lang).to_owned(), prepared_by.to_owned()]);
    rows.push(vec![ReportText::FiledOn.in_lang(lang).to_owned(), clock::today().to_string()]);
    rows
}

#[component]
pub fn ClassListPage() -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let board = Memo::new(move |_| {
        let school = ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school))?;
        ctx.state.with(|state| school_dashboard(state, school, today, &EarlyWarningTable::default()))
    });
    let school_name = move || {
        let school = ctx.profile.with_untracked(|profile| profile.as_ref().map(|profile| profile.school));
        ctx.state.with_untracked(|state| {
            school
                .and_then(|school| state.schools.get(&school))
                .map(|school| school.value.name.clone())
                .unwrap_or_default()
        })
    };
    let teacher = move || ctx.profile.with_untracked(|p| p.as_ref().map(|p| p.teacher.clone()).unwrap_or_default());
    let paper = Callback::new(move |()| {
        let board = board.get_untracked()?;
        let school = school_name();
        let title = ReportText::ClassListTitle.in_lang(Lang::Zh);
        Some(PaperFile {
            stem: format!("{}-{title}-{}", crate::download::file_name_part(&school, "school"), board.period.start()),
            sheet: title.to_owned(),
            rows: paper_rows(&board, &school, ctx.lang.get_untracked(), &teacher()),
        })
    });
    view! {
        <section class="page report">
            {move || match board.get() {
                None => view! { <p class="muted">{ctx.t(DashText::NoTerm)}</p> }.into_any(),
                Some(board) => view! {
                    <PaperActions paper/>
                    <ClassListPaper board school=school_name() teacher=teacher()/>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ClassListPaper(board: SchoolDashboard, school: String, teacher: String) -> impl IntoView {
    let ctx = use_app();
    move || {
        let lang = ctx.lang.get();
        let header: Vec<&'static str> = COLUMNS.iter().map(|column| column.in_lang(lang)).collect();
        let blocks = stages(&board, lang)
            .into_iter()
            .map(|(stage, rows, count)| {
                let none = rows
                    .is_empty()
                    .then(|| view! { <p class="muted">{ReportText::NoClassWithoutDropout.in_lang(lang)}</p> });
                let lines: Vec<PaperLine> = rows.into_iter().map(|cells| PaperLine { student: None, cells }).collect();
                view! {
                    <h3 class="file-section">{stage}" · "<span data-count="without-dropout">{count}</span></h3>
                    {none}
                    // The class is the card's heading, the ordinal the table's.
                    <PaperLines header=header.clone() lines heading=1 hidden=vec![0]/>
                }
            })
            .collect_view();
        view! {
            <article class="paper report-paper class-list">
                <h2 class="paper-title">{ReportText::ClassListTitle.in_lang(lang)}</h2>
                <p class="paper-subtitle">{school.clone()}" · "{board.term.clone()}</p>
                {blocks}
                <PaperSignature teacher=teacher.clone()/>
            </article>
        }
    }
}
