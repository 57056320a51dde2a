//! `/student/<id>/report`: the 辍学学生情况报告表 of one child (`domain::dropout_report`), the
//! paper a school sends the same day it finds a child out of school. A form of labelled lines:
//! on a phone a list, on A4 a bordered two-column table with the signature lines, as XLSX and CSV
//! the same pairs. Every line comes from a record already kept: nothing is typed again.

use crate::clock;
use crate::components::paper::{PaperActions, PaperFile, PaperSignature};
use crate::ctx::use_app;
use crate::i18n::{CaseStatusName, GenderName, Lang, MeasureName, ReasonName, ReportText, StatusName, Text};
use crate::router::Link;
use baoxue_domain::dropout_report::{dropout_report, DropoutReport};
use baoxue_domain::ids::StudentId;
use leptos::prelude::*;

/// The report's lines, labelled, in the order of the paper.
fn lines(report: &DropoutReport, lang: Lang) -> Vec<(&'static str, String)> {
    let child = &report.child;
    let found = report.investigation.as_ref();
    let case = report.case.as_ref();
    let words = |text: ReportText| text.in_lang(lang);
    vec![
        (words(ReportText::School), report.school.clone()),
        (words(ReportText::Name), child.name.clone()),
        (words(ReportText::Gender), GenderName(child.gender).in_lang(lang).to_owned()),
        (words(ReportText::BirthDate), child.birth_date.to_string()),
        (words(ReportText::Class), report.class.clone()),
        (words(ReportText::Number), child.student_number.clone().unwrap_or_default()),
        (words(ReportText::Address), child.home()),
        (words(ReportText::Guardian), child.guardian.clone()),
        (words(ReportText::Phone), child.guardian_phone.clone()),
        (words(ReportText::Since), report.since.to_string()),
        (words(ReportText::CurrentStatus), StatusName(report.status).in_lang(lang).to_owned()),
        (
            words(ReportText::Reasons),
            found
                .map(|row| {
                    row.reasons.iter().map(|reason| ReasonName(*reason).in_lang(lang)).collect::<Vec<_>>().join("、")
                })
                .unwrap_or_default(),
        ),
        (words(ReportText::FoundOn), found.map(|row| row.found_on.to_string()).unwrap_or_default()),
        (words(ReportText::Investigator), found.map(|row| row.investigator.clone()).unwrap_or_default()),
        (words(ReportText::Note), found.map(|row| row.note.clone()).unwrap_or_default()),
        (words(ReportText::Responsible), case.map(|case| case.responsible.join("、")).unwrap_or_default()),
        (
            words(ReportText::Measures),
            case.map(|case| {
                case.measures.iter().map(|measure| MeasureName(*measure).in_lang(lang)).collect::<Vec<_>>().join("、")
            })
            .unwrap_or_default(),
        ),
        (words(ReportText::Deadline), case.map(|case| case.deadline.to_string()).unwrap_or_default()),
        (
            words(ReportText::Standing),
            case.map(|case| CaseStatusName(case.status).in_lang(lang).to_owned()).unwrap_or_default(),
        ),
    ]
}

#[component]
pub fn DropoutReportPage(id: String) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let student = id.parse::<StudentId>().ok();
    let report = Memo::new(move |_| ctx.state.with(|state| dropout_report(state, student?, today)));
    let teacher = move || ctx.profile.with_untracked(|p| p.as_ref().map(|p| p.teacher.clone()).unwrap_or_default());
    let file = Callback::new(move |()| {
        let report = report.get_untracked()?;
        let lang = ctx.lang.get_untracked();
        let title = ReportText::DropoutReportTitle.in_lang(Lang::Zh);
        let mut rows = vec![vec![format!("{} {}", report.school, ReportText::DropoutReportTitle.in_lang(lang))]];
        rows.extend(lines(&report, lang).into_iter().map(|(label, value)| vec![label.to_owned(), value]));
        rows.push(Vec::new());
        rows.push(vec![ReportText::PreparedBy.in_lang(lang).to_owned(), teacher()]);
        rows.push(vec![ReportText::FiledOn.in_lang(lang).to_owned(), today.to_string()]);
        Some(PaperFile {
            stem: format!(
                "{}-{title}-{}-{today}",
                crate::download::file_name_part(&report.school, "school"),
                crate::download::file_name_part(&report.child.name, "child")
            ),
            sheet: title.to_owned(),
            rows,
        })
    });
    view! {
        <section class="page report">
            <Link href=format!("/student/{id}") attr:class="no-print">{ctx.t(ReportText::BackToChild)}</Link>
            {move || match report.get() {
                None => view! { <p class="muted">{ctx.t(ReportText::NoDropoutReport)}</p> }.into_any(),
                Some(report) => view! {
                    <PaperActions paper=file/>
                    <ReportPaper report teacher=teacher()/>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ReportPaper(report: DropoutReport, teacher: String) -> impl IntoView {
    let ctx = use_app();
    move || {
        let lang = ctx.lang.get();
        let lines = lines(&report, lang);
        let list = lines
            .iter()
            .map(|(label, value)| view! { <div><dt>{*label}</dt><dd>{value.clone()}</dd></div> })
            .collect_view();
        let rows = lines
            .iter()
            .map(|(label, value)| view! { <tr><th scope="row">{*label}</th><td>{value.clone()}</td></tr> })
            .collect_view();
        view! {
            <article class="paper report-paper dropout-report">
                <h2 class="paper-title">{ReportText::DropoutReportTitle.in_lang(lang)}</h2>
                <dl class="report-totals screen-only">{list}</dl>
                <table class="report-table report-form print-only"><tbody>{rows}</tbody></table>
                <PaperSignature teacher=teacher.clone()/>
            </article>
        }
    }
}
