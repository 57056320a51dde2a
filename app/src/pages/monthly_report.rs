//! `/report/monthly[/<yyyy-mm>]`: the 学校辍学月报表 (`domain::monthly_report`) of the phone's
//! school. On a phone each child is a card; on paper (A4 landscape) the same cells are one table
//! in the columns schools file, with the month's totals and the signature lines; as XLSX (written
//! by the import module, loaded then) and CSV the same cells again. One list of cells feeds all three, so the screen, the paper and the file agree.

use crate::clock;
use crate::components::paper::{PaperActions, PaperFile, PaperLine, PaperLines, PaperSignature};
use crate::ctx::use_app;
use crate::i18n::{fill, ExitName, GenderName, Lang, MeasureName, ReasonName, ReportText, StatusName, Text};
use crate::router::use_navigate;
use baoxue_domain::date_text::YearMonth;
use baoxue_domain::figures::Ratio;
use baoxue_domain::monthly_report::{monthly_report, MonthlyReport, MonthlyRow, Standing};
use leptos::prelude::*;

/// The columns, in the order schools file them.
const COLUMNS: [ReportText; 11] = [
    ReportText::School,
    ReportText::Class,
    ReportText::Name,
    ReportText::Gender,
    ReportText::Number,
    ReportText::Since,
    ReportText::Reasons,
    ReportText::Whereabouts,
    ReportText::Responsible,
    ReportText::Standing,
    ReportText::Measures,
];

/// One row's cells, in `COLUMNS` order.
fn cells(report: &MonthlyReport, row: &MonthlyRow, lang: Lang) -> Vec<String> {
    let joined = |words: Vec<&str>| words.join("、");
    let standing = match row.standing {
        Standing::Out(status) => StatusName(status).in_lang(lang).to_owned(),
        Standing::Left(category, on) => {
            fill(ReportText::LeftOn.in_lang(lang), &[&on, &ExitName(category).in_lang(lang)])
        }
        Standing::TransferUnconfirmed => ReportText::TransferUnconfirmed.in_lang(lang).to_owned(),
    };
    let mut measures: Vec<String> = row.measures.iter().map(|m| MeasureName(*m).in_lang(lang).to_owned()).collect();
    if row.contacts_in_month > 0 {
        measures.push(fill(ReportText::ContactsInMonth.in_lang(lang), &[&row.contacts_in_month]));
    }
    if row.notice_issued {
        measures.push(ReportText::NoticeIssued.in_lang(lang).to_owned());
    }
    vec![
        report.school.clone(),
        row.class.clone(),
        row.name.clone(),
        GenderName(row.gender).in_lang(lang).to_owned(),
        row.number.clone(),
        row.since.to_string(),
        joined(row.reasons.iter().map(|reason| ReasonName(*reason).in_lang(lang)).collect()),
        row.whereabouts.clone(),
        joined(row.responsible.iter().map(String::as_str).collect()),
        standing,
        measures.join("；"),
    ]
}

/// The totals as (label, value) lines, each rate as numerator/denominator.
fn totals(report: &MonthlyReport, lang: Lang) -> Vec<(String, String)> {
    let rate = |ratio: Ratio| {
        let share = ratio.value().map_or_else(|| "—".to_owned(), |value| format!("{:.2}%", value * 100.0));
        format!("{}/{}（{share}）", ratio.numerator, ratio.denominator)
    };
    let of_stage = |stage: ReportText| fill(ReportText::DropoutRateOf.in_lang(lang), &[&stage.in_lang(lang)]);
    let totals = report.totals;
    let mut lines = Vec::new();
    for (stage, ratio) in [(ReportText::Primary, totals.dropout.primary), (ReportText::Junior, totals.dropout.junior)] {
        // A stage the school does not teach has nobody on its roll: not a line of the paper.
        if ratio.denominator > 0 {
            lines.push((of_stage(stage), rate(ratio)));
        }
    }
    lines.push((ReportText::OnLedgerAtEnd.in_lang(lang).to_owned(), totals.on_ledger_at_end.to_string()));
    lines.push((ReportText::ReturnedInMonth.in_lang(lang).to_owned(), totals.returned.to_string()));
    lines.push((ReportText::LeftOtherwise.in_lang(lang).to_owned(), totals.left_otherwise.to_string()));
    lines
}

/// The paper as rows of cells, for the CSV and the XLSX: the title, the header, a row per
/// child, then the totals and who prepared it.
fn paper_rows(report: &MonthlyReport, lang: Lang, prepared_by: &str, today: chrono::NaiveDate) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = vec![
        vec![format!("{} {}", report.school, ReportText::MonthlyTitle.in_lang(lang))],
        vec![fill(ReportText::MonthlyPeriod.in_lang(lang), &[&report.year, &report.month, &report.until])],
        COLUMNS.iter().map(|column| column.in_lang(lang).to_owned()).collect(),
    ];
    rows.extend(report.rows.iter().map(|row| cells(report, row, lang)));
    rows.push(Vec::new());
    rows.extend(totals(report, lang).into_iter().map(|(label, value)| vec![label, value]));
    rows.push(vec![ReportText::PreparedBy.in_lang(lang).to_owned(), prepared_by.to_owned()]);
    rows.push(vec![ReportText::FiledOn.in_lang(lang).to_owned(), today.to_string()]);
    rows
}

#[component]
pub fn MonthlyReportPage(month: Option<YearMonth>) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let month = month.unwrap_or_else(|| YearMonth::of(today));
    let report = Memo::new(move |_| {
        let school = ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school))?;
        ctx.state.with(|state| monthly_report(state, school, month.first_day(), today))
    });
    let navigate = use_navigate();
    let go = move |to: YearMonth| navigate(&format!("/report/monthly/{to}"));
    let paper = Callback::new(move |()| {
        let report = report.get_untracked()?;
        let teacher = ctx.profile.with_untracked(|p| p.as_ref().map(|p| p.teacher.clone()).unwrap_or_default());
        let school = crate::download::file_name_part(&report.school, "school");
        let title = ReportText::MonthlyTitle.in_lang(Lang::Zh);
        Some(PaperFile {
            stem: format!("{school}-{title}-{month}"),
            sheet: format!("{title}{month}"),
            rows: paper_rows(&report, ctx.lang.get_untracked(), &teacher, today),
        })
    });
    view! {
        <section class="page report">
            <div class="month-picker no-print">
                <button type="button" on:click={let go = go.clone(); move |_| go(month.previous())} aria-label=ctx.t(ReportText::PreviousMonth)>"‹"</button>
                <h3>{month.to_string()}</h3>
                <button type="button" on:click=move |_| go(month.next()) aria-label=ctx.t(ReportText::NextMonth)>"›"</button>
            </div>
            {move || match report.get() {
                None => view! { <p class="muted">{ctx.t(ReportText::NotBegun)}</p> }.into_any(),
                Some(report) => view! {
                    <PaperActions paper/>
                    <ReportPaper report/>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ReportPaper(report: MonthlyReport) -> impl IntoView {
    let ctx = use_app();
    let teacher = ctx.profile.with_untracked(|p| p.as_ref().map(|p| p.teacher.clone()).unwrap_or_default());
    move || {
        let lang = ctx.lang.get();
        let header: Vec<&'static str> = COLUMNS.iter().map(|column| column.in_lang(lang)).collect();
        let lines: Vec<PaperLine> = report
            .rows
            .iter()
            .map(|row| PaperLine { student: Some(row.student.to_string()), cells: cells(&report, row, lang) })
            .collect();
        let empty = report.rows.is_empty();
        view! {
            <article class="paper report-paper">
                <h2 class="paper-title">{ReportText::MonthlyTitle.in_lang(lang)}</h2>
                <p class="paper-subtitle">
                    {report.school.clone()}" · "
                    {fill(ReportText::MonthlyPeriod.in_lang(lang), &[&report.year, &report.month, &report.until])}
                </p>
                {empty.then(|| view! { <p class="muted">{ReportText::NoRows.in_lang(lang)}</p> })}
                // The school is the paper's, the name the card's heading.
                <PaperLines header lines heading=2 hidden=vec![0]/>
                <h3 class="file-section">{ReportText::TotalsTitle.in_lang(lang)}</h3>
                <dl class="report-totals">
                    {totals(&report, lang).into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
                </dl>
                <PaperSignature teacher=teacher.clone()/>
            </article>
        }
    }
}
