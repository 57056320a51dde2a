//! The shared view as a spreadsheet: the page's table, one row per unit (the total first), the
//! same words and the same masked counts. A count is written as a number, anything else
//! ("<5", a rate with its numerator and denominator) as the page shows it. A second sheet holds
//! the campaign's progress, week by week then month by month.

use super::figures::ShareView;
use super::page::{card_lines, series_name, text, Lang, Text};
use baoxue_domain::campaign::Series;
use baoxue_domain::supervision::Shown;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::collections::BTreeMap;

pub fn workbook(share: &ShareView, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let bold = Format::new().set_bold();
    let view = &share.view;
    sheet.write_string_with_format(0, 0, format!("{} · {}", view.unit, text(lang, Text::Title)), &bold)?;
    sheet.write_string(1, 0, format!("{}：{}", text(lang, Text::Term), view.term))?;
    let header_row = 3;
    sheet.write_string_with_format(header_row, 0, text(lang, Text::Unit), &bold)?;
    let rows = std::iter::once(&view.total).chain(&view.rows);
    for (index, row) in rows.enumerate() {
        let at = header_row + 1 + u32::try_from(index).unwrap_or(u32::MAX - header_row - 1);
        // A class is set in under its grade, as on the page.
        let indent = Format::new().set_indent(row.depth);
        sheet.write_string_with_format(at, 0, &row.name, &indent)?;
        for (column, (label, value)) in card_lines(row, lang).into_iter().enumerate() {
            let column = u16::try_from(column + 1).unwrap_or(u16::MAX);
            if index == 0 {
                sheet.write_string_with_format(header_row, column, text(lang, label), &bold)?;
            }
            match value.parse::<u32>() {
                Ok(number) => sheet.write_number(at, column, f64::from(number))?,
                Err(_) => sheet.write_string(at, column, &value)?,
            };
        }
    }
    sheet.set_column_width(0, 24)?;
    sheet.write_string(
        header_row + 3 + u32::try_from(view.rows.len()).unwrap_or(0),
        0,
        text(lang, Text::MaskedNote),
    )?;
    let progress = workbook.add_worksheet();
    progress.set_name(text(lang, Text::CampaignTitle))?;
    let mut at = 0;
    for (title, parts, format) in [(Text::ByWeek, &view.weekly, "%Y-%m-%d"), (Text::ByMonth, &view.monthly, "%Y-%m")] {
        at = progress_table(progress, at, text(lang, title), parts, format, lang, &bold)? + 1;
    }
    workbook.save_to_buffer()
}

/// One table of the campaign from row `at`: a header, then a part per row. Answers the row after it.
fn progress_table(
    sheet: &mut Worksheet,
    at: u32,
    title: &str,
    parts: &[(NaiveDate, BTreeMap<Series, Shown>)],
    date_format: &str,
    lang: Lang,
    bold: &Format,
) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(at, 0, title, bold)?;
    for (column, series) in (1u16..).zip(Series::ALL) {
        sheet.write_string_with_format(at, column, text(lang, series_name(series)), bold)?;
    }
    let mut row = at + 1;
    for (from, values) in parts {
        sheet.write_string(row, 0, from.format(date_format).to_string())?;
        for (column, series) in (1u16..).zip(Series::ALL) {
            match values.get(&series) {
                Some(Shown::Count(count)) => sheet.write_number(row, column, *count as f64)?,
                Some(Shown::Masked) | None => sheet.write_string(row, column, text(lang, Text::Masked))?,
            };
        }
        row += 1;
    }
    Ok(row)
}
