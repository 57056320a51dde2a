//! What every paper has: the buttons above it (print it, or download the same cells as XLSX,
//! written by the import module, loaded then, or CSV), its lines drawn as a card each on a phone
//! and as one table on A4, and the signature lines. A paper hands over its cells once, as rows;
//! the screen, the print and both files come out of them, so they agree.

use crate::ctx::use_app;
use crate::i18n::{ReportText, Text};
use crate::router::Link;
use baoxue_domain::csv_text::csv_text;
use leptos::prelude::*;

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A paper as a file: its name without the extension (`<school>-<title>-<period>`), the
/// sheet's name, and its rows of cells (title, header, a row per line, totals, who prepared it).
pub struct PaperFile {
    pub stem: String,
    pub sheet: String,
    pub rows: Vec<Vec<String>>,
}

/// As what a paper is downloaded.
#[derive(Clone, Copy)]
enum FileKind {
    Csv,
    Xlsx,
}

/// 打印, 下载 Excel 表格, 下载 CSV 表格, and a message when a download could not be offered.
/// `paper` is asked for the cells when a button is tapped (in the language shown then).
#[component]
pub fn PaperActions(paper: Callback<(), Option<PaperFile>>) -> impl IntoView {
    let ctx = use_app();
    let failed = RwSignal::new(false);
    let download = move |kind: FileKind| {
        let Some(PaperFile { stem, sheet, rows }) = paper.run(()) else { return };
        failed.set(false);
        match kind {
            FileKind::Csv => {
                let name = format!("{stem}.csv");
                let offered = crate::download::offer_text(&name, "text/csv;charset=utf-8", &csv_text(&rows));
                failed.set(offered.is_err());
            }
            FileKind::Xlsx => leptos::task::spawn_local(async move {
                let offered = match crate::importer::paper_xlsx(&sheet, &rows).await {
                    Ok(bytes) => crate::download::offer_bytes(&format!("{stem}.xlsx"), XLSX_TYPE, &bytes).is_ok(),
                    Err(_) => false,
                };
                failed.set(!offered);
            }),
        }
    };
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <div class="actions no-print">
            <button type="button" class="primary" on:click=print>{ctx.t(ReportText::Print)}</button>
            <button type="button" on:click=move |_| download(FileKind::Xlsx)>{ctx.t(ReportText::DownloadXlsx)}</button>
            <button type="button" on:click=move |_| download(FileKind::Csv)>{ctx.t(ReportText::DownloadCsv)}</button>
        </div>
        {move || failed.get().then(|| view! { <p class="error" role="alert">{ctx.t(ReportText::DownloadFailed)}</p> })}
    }
}

/// One line of a paper: its cells in the paper's column order, and the child it is of, if any
/// (the card's heading then links to the child's page).
pub struct PaperLine {
    pub student: Option<String>,
    pub cells: Vec<String>,
}

/// The lines under `header`: on a phone a card each, headed by the cell of `heading` and listing
/// the other filled cells but those of `hidden`; on paper (`print-only`) one table of all cells.
#[component]
pub fn PaperLines(
    header: Vec<&'static str>,
    lines: Vec<PaperLine>,
    heading: usize,
    #[prop(optional)] hidden: Vec<usize>,
) -> impl IntoView {
    let cards = lines
        .iter()
        .map(|line| {
            let pairs: Vec<_> = header
                .iter()
                .zip(&line.cells)
                .enumerate()
                .filter(|(column, (_, value))| *column != heading && !hidden.contains(column) && !value.is_empty())
                .map(|(_, (label, value))| view! { <div><dt>{*label}</dt><dd>{value.clone()}</dd></div> })
                .collect();
            let name = line.cells.get(heading).cloned().unwrap_or_default();
            let title = match &line.student {
                Some(student) => view! {
                    <Link href=format!("/student/{student}") attr:class="ledger-name"><span class="name">{name}</span></Link>
                }
                .into_any(),
                None => view! { <span class="name">{name}</span> }.into_any(),
            };
            view! { <li class="report-card">{title}<dl>{pairs}</dl></li> }
        })
        .collect_view();
    let rows = lines
        .iter()
        .map(|line| {
            let cells: Vec<_> = line.cells.iter().map(|cell| view! { <td>{cell.clone()}</td> }).collect();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <ul class="report-cards screen-only">{cards}</ul>
        <table class="report-table print-only">
            <thead><tr>{header.iter().map(|label| view! { <th>{*label}</th> }).collect_view()}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// 填报人, the principal's signature, 填报日期 (today).
#[component]
pub fn PaperSignature(teacher: String) -> impl IntoView {
    let ctx = use_app();
    let today = crate::clock::today().to_string();
    let words = move |text: ReportText| text.in_lang(ctx.lang.get());
    view! {
        <p class="report-signature">
            <span>{move || words(ReportText::PreparedBy)}{teacher.clone()}</span>
            <span>{move || words(ReportText::Principal)}"＿＿＿＿＿＿"</span>
            <span>{move || words(ReportText::FiledOn)}{today.clone()}</span>
        </p>
    }
}
