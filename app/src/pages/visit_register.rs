//! `/report/visits`: the 家访登记表 of the term (`domain::visit_register`), the register a
//! school shows at inspections: a row per home visit to one of its children, in date order, and
//! per head teacher the visits against the quota, the same lines the dashboard shows. On a phone
//! each visit is a card; on paper (A4 landscape) one table with the signature lines; as XLSX and
//! CSV the same cells.

use crate::clock;
use crate::components::figures::{visit_lines, visit_text, VisitLines};
use crate::components::paper::{PaperActions, PaperFile, PaperLine, PaperLines, PaperSignature};
use crate::ctx::use_app;
use crate::i18n::{DashText, Lang, ReportText, Text};
use baoxue_domain::visit_register::{visit_register, VisitEntry, VisitRegister};
use leptos::prelude::*;

/// The columns, in the order of the paper.
const COLUMNS: [ReportText; 9] = [
    ReportText::Ordinal,
    ReportText::VisitDate,
    ReportText::Name,
    ReportText::Class,
    ReportText::Visitors,
    ReportText::Met,
    ReportText::FamilySaid,
    ReportText::VisitOutcome,
    ReportText::NextStep,
];

/// One visit's cells, in `COLUMNS` order.
fn cells(entry: &VisitEntry, ordinal: usize) -> Vec<String> {
    vec![
        ordinal.to_string(),
        entry.date.to_string(),
        entry.name.clone(),
        entry.class.clone(),
        entry.visitors.join("、"),
        entry.met.clone(),
        entry.said.clone(),
        entry.outcome.clone(),
        entry.next_step.clone(),
    ]
}

/// The paper as rows of cells, for the CSV and the XLSX: title, term, header, a row per visit,
/// the visits against the quota, who prepared it.
fn paper_rows(register: &VisitRegister, quota: &[String], lang: Lang, prepared_by: &str) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = vec![
        vec![format!("{} {}", register.school, ReportText::VisitRegisterTitle.in_lang(lang))],
        vec![register.term.clone()],
        COLUMNS.iter().map(|column| column.in_lang(lang).to_owned()).collect(),
    ];
    rows.extend(register.entries.iter().enumerate().map(|(i, entry)| cells(entry, i + 1)));
    rows.push(Vec::new());
    rows.extend(quota.iter().map(|line| vec![line.clone()]));
    rows.push(vec![ReportText::PreparedBy.in_lang(lang).to_owned(), prepared_by.to_owned()]);
    rows.push(vec![ReportText::FiledOn.in_lang(lang).to_owned(), clock::today().to_string()]);
    rows
}

#[component]
pub fn VisitRegisterPage() -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let register = Memo::new(move |_| {
        let school = ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school))?;
        ctx.state.with(|state| visit_register(state, school, today))
    });
    let teacher = move || ctx.profile.with_untracked(|p| p.as_ref().map(|p| p.teacher.clone()).unwrap_or_default());
    let paper = Callback::new(move |()| {
        let register = register.get_untracked()?;
        let lang = ctx.lang.get_untracked();
        let quota: Vec<String> = ctx.state.with_untracked(|state| {
            visit_lines(state, &register.quota)
                .iter()
                .map(|(who, done, quota)| visit_text(lang, who, *done, *quota))
                .collect()
        });
        let title = ReportText::VisitRegisterTitle.in_lang(Lang::Zh);
        Some(PaperFile {
            stem: format!(
                "{}-{title}-{}",
                crate::download::file_name_part(&register.school, "school"),
                register.period.start()
            ),
            sheet: title.to_owned(),
            rows: paper_rows(&register, &quota, lang, &teacher()),
        })
    });
    view! {
        <section class="page report">
            {move || match register.get() {
                None => view! { <p class="muted">{ctx.t(DashText::NoTerm)}</p> }.into_any(),
                Some(register) => view! {
                    <PaperActions paper/>
                    <RegisterPaper register teacher=teacher()/>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RegisterPaper(register: VisitRegister, teacher: String) -> impl IntoView {
    let ctx = use_app();
    let visits = ctx.state.with_untracked(|state| visit_lines(state, &register.quota));
    let paper = move || {
        let lang = ctx.lang.get();
        let header: Vec<&'static str> = COLUMNS.iter().map(|column| column.in_lang(lang)).collect();
        let lines: Vec<PaperLine> = register
            .entries
            .iter()
            .enumerate()
            .map(|(i, entry)| PaperLine { student: Some(entry.student.to_string()), cells: cells(entry, i + 1) })
            .collect();
        let empty = register.entries.is_empty();
        view! {
            <h2 class="paper-title">{ReportText::VisitRegisterTitle.in_lang(lang)}</h2>
            <p class="paper-subtitle">{register.school.clone()}" · "{register.term.clone()}</p>
            {empty.then(|| view! { <p class="muted">{ReportText::NoVisits.in_lang(lang)}</p> })}
            // The name is the card's heading, the ordinal the table's.
            <PaperLines header lines heading=2 hidden=vec![0]/>
        }
    };
    view! {
        <article class="paper report-paper visit-register">
            {paper}
            <VisitLines visits/>
            <PaperSignature teacher/>
        </article>
    }
}
