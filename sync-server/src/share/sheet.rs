//! The shared view as a spreadsheet: the page's table, one row per unit (the total first), the
//! same words and the same masked counts. A count is written as a number, anything else
//! ("<5", a rate with its numerator and denominator) as the page shows it.

use super::figures::ShareView;
use super::page::{card_lines, text, Lang, Text};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

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
        sheet.write_string(at, 0, &row.name)?;
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
    workbook.save_to_buffer()
}
