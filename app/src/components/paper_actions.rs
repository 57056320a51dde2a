//! The buttons above every paper: print it, or download the same cells as XLSX (written by the
//! import module, loaded then) or CSV. A paper hands over its cells once, as rows; the screen,
//! the print and both files come out of them, so they agree.

use crate::ctx::use_app;
use crate::i18n::ReportText;
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
