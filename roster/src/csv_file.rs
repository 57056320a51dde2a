//! CSV files as schools save them from Excel: GBK unless they carry a UTF-8 byte order mark,
//! comma separated (some locales: semicolon; "Unicode text": tab), quoted cells holding commas,
//! quotes and line breaks.

use crate::error::RosterError;
use crate::sheet::{Cell, Row, Sheet};

/// Text of a CSV file: UTF-8 when it starts with the UTF-8 byte order mark or is valid UTF-8,
/// else GBK, which is what Excel in China saves. `decode_gbk` does the GBK decoding (the app
/// passes the browser's `TextDecoder('gbk')`, which costs no wasm) and returns `None` when the
/// bytes are not GBK either.
pub fn decode_csv(bytes: &[u8], decode_gbk: impl Fn(&[u8]) -> Option<String>) -> Result<String, RosterError> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if let Some(rest) = bytes.strip_prefix(BOM) {
        return String::from_utf8(rest.to_vec()).map_err(|_| RosterError::BadEncoding);
    }
    if bytes.is_empty() {
        return Err(RosterError::EmptyFile);
    }
    if bytes.starts_with(b"PK") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(RosterError::SpreadsheetAsCsv);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => decode_gbk(bytes).ok_or(RosterError::BadEncoding),
    }
}

/// The line the record at `byte` starts on, counting from 1. The reader's own line count is
/// not used: after a CRLF line (as Excel writes every line) it reports the record that follows
/// on the line before, because it has not yet read the LF. `byte` may point at the end of the
/// previous line, so the line breaks there are skipped first.
fn line_at(text: &str, byte: usize) -> usize {
    let before = text.get(..byte).unwrap_or(text);
    let rest = &text[before.len()..];
    let start = before.len() + rest.len() - rest.trim_start_matches(['\r', '\n']).len();
    let before = &text[..start];
    // A line ends in LF, CRLF or (old Mac files) a lone CR.
    let lone_returns = before.match_indices('\r').filter(|(index, _)| !before[index + 1..].starts_with('\n')).count();
    1 + before.matches('\n').count() + lone_returns
}

/// Reads CSV text: comma separated, fields in double quotes may hold commas, quotes ("") and
/// line breaks. A semicolon or tab separated file (some Excel locales, "Unicode text") is
/// recognised by its first line.
pub fn read_csv(text: &str) -> Result<Sheet, RosterError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(RosterError::EmptyFile);
    }
    if text.contains('\0') {
        return Err(RosterError::NotText);
    }
    // The separator is the one used most in the first lines (a title line above the header may
    // have none); comma when none is used more.
    let head: String = text.lines().take(crate::header::HEADER_SEARCH_ROWS).collect();
    let uses = |separator: u8| head.bytes().filter(|byte| *byte == separator).count();
    let delimiter =
        [b'\t', b';'].into_iter().filter(|other| uses(*other) > uses(b',')).max_by_key(|other| uses(*other));
    let delimiter = delimiter.unwrap_or(b',');
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut sheet = Sheet::default();
    let mut record = csv::StringRecord::new();
    // Line breaks inside quoted cells so far: Excel shows such a record as one row, so each
    // one moves the rows after it up by one.
    let mut breaks_in_cells = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                // A blank line is an empty row in Excel too, so the line number is the row
                // number, less the line breaks held inside earlier cells.
                let line = record.position().map_or(0, |position| line_at(text, position.byte() as usize));
                let row = Row {
                    number: line.saturating_sub(breaks_in_cells),
                    cells: record.iter().map(|field| Cell::Text(field.to_owned())).collect(),
                };
                breaks_in_cells += record.iter().map(|field| field.matches('\n').count()).sum::<usize>();
                if !row.is_empty() {
                    sheet.rows.push(row);
                }
            }
            Err(error) => {
                let line = error.position().map_or(0, |position| position.line() as usize);
                return Err(RosterError::BadCsv { line, detail: error.to_string() });
            }
        }
    }
    if sheet.rows.is_empty() {
        return Err(RosterError::NoRows);
    }
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row_numbers(text: &str) -> Vec<usize> {
        read_csv(text).unwrap().rows.iter().map(|row| row.number).collect()
    }

    #[test]
    fn rows_are_numbered_as_excel_shows_them_whatever_the_line_ends() {
        assert_eq!(row_numbers("姓名,性别\n赵一,男\n钱二,女\n"), [1, 2, 3]);
        assert_eq!(row_numbers("姓名,性别\r\n赵一,男\r\n钱二,女\r\n"), [1, 2, 3]);
        assert_eq!(row_numbers("姓名,性别\r赵一,男\r钱二,女\r"), [1, 2, 3]);
        // A blank line is a row of its own; a line break inside a quoted cell is not.
        assert_eq!(row_numbers("姓名,性别\r\n\r\n赵一,男\r\n\"钱\r\n二\",女\r\n孙三,男\r\n"), [1, 3, 4, 5]);
    }
}
