//! Reading the cell values of an XLSX workbook (Office Open XML, as Excel and WPS save it):
//! the workbook's sheet list, the shared strings, which cell styles are dates, and one sheet's
//! cells. Formulas give their last computed value; formatting other than "is this a date" is
//! ignored. Written for this crate instead of linking a general spreadsheet library, which
//! cost the phone app over 300 KB of compressed wasm (mostly text-encoding tables it never
//! needs: XLSX parts are UTF-8).

use crate::error::RosterError;
use crate::sheet::{Cell, Row, Sheet, STUDENT_SHEET};
use crate::xml::{attribute, tokens, unescape_xstring, Token};
use crate::zip;

/// Reads the sheet named [`STUDENT_SHEET`] if the workbook has one, or else its first visible
/// sheet with anything in it.
pub fn read_xlsx(bytes: &[u8]) -> Result<Sheet, RosterError> {
    if bytes.is_empty() {
        return Err(RosterError::EmptyFile);
    }
    if bytes.starts_with(&OLE) {
        return Err(RosterError::OldXls);
    }
    if !bytes.starts_with(b"PK") {
        return Err(RosterError::NotXlsx);
    }
    let package = Package { bytes, entries: zip::entries(bytes).map_err(bad)? };
    let workbook_path = package.office_document()?;
    let workbook = package.text(&workbook_path)?.ok_or_else(|| bad("no workbook inside the ZIP file".into()))?;
    let relationships = package.relationships_of(&workbook_path)?;
    let strings = match relationships.iter().find(|(_, kind, _)| kind.ends_with("/sharedStrings")) {
        Some((_, _, path)) => shared_strings(&package.text(path)?.unwrap_or_default()),
        None => Vec::new(),
    };
    let date_styles = match relationships.iter().find(|(_, kind, _)| kind.ends_with("/styles")) {
        Some((_, _, path)) => date_styles(&package.text(path)?.unwrap_or_default()),
        None => Vec::new(),
    };
    let (mut sheets, date1904) = sheets_of(&workbook);
    if let Some(index) = sheets.iter().position(|sheet| sheet.name.trim() == STUDENT_SHEET) {
        let students = sheets.remove(index);
        sheets.insert(0, SheetEntry { hidden: false, ..students });
    }
    // A workbook saved with the 1904 date system (old Mac Excel) counts days from 1904-01-01:
    // 1462 days fewer than the 1900 system for the same day.
    let serial_offset = if date1904 { 1462 } else { 0 };
    let styles = Styles { strings: &strings, date_styles: &date_styles, serial_offset };
    for sheet in sheets.iter().filter(|sheet| !sheet.hidden) {
        let Some((_, _, path)) = relationships.iter().find(|(id, _, _)| *id == sheet.relationship) else {
            continue;
        };
        let Some(xml) = package.text(path)? else {
            continue;
        };
        let rows = rows_of(&xml, &styles);
        if !rows.is_empty() {
            return Ok(Sheet { name: sheet.name.clone(), rows });
        }
    }
    Err(RosterError::NoRows)
}

/// Every .xls (and .doc) file starts with the OLE compound file signature.
const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn bad(detail: String) -> RosterError {
    RosterError::BadXlsx { detail }
}

struct Package<'a> {
    bytes: &'a [u8],
    entries: Vec<zip::Entry>,
}

impl Package<'_> {
    /// A part as text; `None` when the archive has no such part.
    fn text(&self, path: &str) -> Result<Option<String>, RosterError> {
        let path = path.trim_start_matches('/');
        let Some(entry) = self.entries.iter().find(|entry| entry.name.eq_ignore_ascii_case(path)) else {
            return Ok(None);
        };
        let bytes = zip::read(self.bytes, entry).map_err(bad)?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        String::from_utf8(bytes.to_vec()).map(Some).map_err(|_| bad(format!("{path} is not UTF-8")))
    }

    /// The workbook part named by the package's relationships (almost always xl/workbook.xml).
    fn office_document(&self) -> Result<String, RosterError> {
        let relationships = self.relationships_of("")?;
        Ok(relationships
            .into_iter()
            .find(|(_, kind, _)| kind.ends_with("/officeDocument"))
            .map_or_else(|| "xl/workbook.xml".to_owned(), |(_, _, path)| path))
    }

    /// (id, type, target path) of the relationships of a part, targets resolved against the
    /// part's folder.
    fn relationships_of(&self, part: &str) -> Result<Vec<(String, String, String)>, RosterError> {
        let (folder, file) = part.rsplit_once('/').unwrap_or(("", part));
        let rels_path =
            if folder.is_empty() { format!("_rels/{file}.rels") } else { format!("{folder}/_rels/{file}.rels") };
        let Some(xml) = self.text(&rels_path)? else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        for token in tokens(&xml) {
            if let Token::Open { name: "Relationship", attributes, .. } = token {
                let get = |name| attribute(attributes, name).map(|value| value.into_owned()).unwrap_or_default();
                let target = get("Target");
                let path = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_owned(),
                    None => resolve(folder, &target),
                };
                found.push((get("Id"), get("Type"), path));
            }
        }
        Ok(found)
    }
}

/// `target` relative to `folder`, with "../" followed.
fn resolve(folder: &str, target: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|part| !part.is_empty()).collect();
    for part in target.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            part => parts.push(part),
        }
    }
    parts.join("/")
}

struct SheetEntry {
    name: String,
    relationship: String,
    hidden: bool,
}

/// The sheets in workbook order, and whether the workbook uses the 1904 date system.
fn sheets_of(workbook: &str) -> (Vec<SheetEntry>, bool) {
    let mut sheets = Vec::new();
    let mut date1904 = false;
    for token in tokens(workbook) {
        match token {
            Token::Open { name: "workbookPr", attributes, .. } => {
                date1904 = attribute(attributes, "date1904").is_some_and(|value| value == "1" || value == "true");
            }
            Token::Open { name: "sheet", attributes, .. } => sheets.push(SheetEntry {
                name: attribute(attributes, "name").unwrap_or_default().into_owned(),
                relationship: attribute(attributes, "id").unwrap_or_default().into_owned(),
                hidden: attribute(attributes, "state").is_some_and(|state| state != "visible"),
            }),
            _ => {}
        }
    }
    (sheets, date1904)
}

/// The shared strings, each the text of its runs; phonetic guides (<rPh>, the furigana or
/// pinyin above a name) are left out.
fn shared_strings(xml: &str) -> Vec<String> {
    let mut strings = Vec::new();
    let mut current: Option<String> = None;
    let mut in_text = false;
    let mut in_phonetic = false;
    for token in tokens(xml) {
        match token {
            Token::Open { name: "si", empty, .. } => {
                if empty {
                    strings.push(String::new());
                } else {
                    current = Some(String::new());
                }
            }
            Token::Close { name: "si" } => strings.extend(current.take()),
            Token::Open { name: "rPh", empty: false, .. } => in_phonetic = true,
            Token::Close { name: "rPh" } => in_phonetic = false,
            Token::Open { name: "t", empty: false, .. } => in_text = true,
            Token::Close { name: "t" } => in_text = false,
            Token::Text(text) if in_text && !in_phonetic => {
                if let Some(current) = current.as_mut() {
                    current.push_str(&unescape_xstring(&text));
                }
            }
            _ => {}
        }
    }
    strings
}

/// For each cell style (the `s` of a cell, an index into <cellXfs>), whether it shows a date.
fn date_styles(xml: &str) -> Vec<bool> {
    let mut custom: Vec<(u32, bool)> = Vec::new();
    let mut styles = Vec::new();
    let mut in_cell_xfs = false;
    for token in tokens(xml) {
        match token {
            Token::Open { name: "numFmt", attributes, .. } => {
                let id = attribute(attributes, "numFmtId").and_then(|id| id.parse().ok());
                let code = attribute(attributes, "formatCode").unwrap_or_default();
                if let Some(id) = id {
                    custom.push((id, is_date_format(&code)));
                }
            }
            Token::Open { name: "cellXfs", empty: false, .. } => in_cell_xfs = true,
            Token::Close { name: "cellXfs" } => in_cell_xfs = false,
            Token::Open { name: "xf", attributes, .. } if in_cell_xfs => {
                let id: u32 = attribute(attributes, "numFmtId").and_then(|id| id.parse().ok()).unwrap_or(0);
                let date = match custom.iter().find(|(custom_id, _)| *custom_id == id) {
                    Some((_, date)) => *date,
                    None => is_builtin_date(id),
                };
                styles.push(date);
            }
            _ => {}
        }
    }
    styles
}

/// Excel's built-in date formats, with those of the Chinese, Japanese and Korean versions
/// (27–36, 50–58: 2011年1月1日 and the like).
fn is_builtin_date(id: u32) -> bool {
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// A custom format shows a date when, outside quoted text and [colour or locale] brackets, it
/// has a day, month or year code ("yyyy/m/d", "yyyy\"年\"m\"月\"d\"日\"").
fn is_date_format(code: &str) -> bool {
    let mut in_quotes = false;
    let mut in_brackets = false;
    let mut escaped = false;
    for character in code.chars() {
        match character {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => in_quotes = !in_quotes,
            '[' if !in_quotes => in_brackets = true,
            ']' if !in_quotes => in_brackets = false,
            'y' | 'Y' | 'd' | 'D' | 'm' | 'M' if !in_quotes && !in_brackets => return true,
            _ => {}
        }
    }
    false
}

struct Styles<'a> {
    strings: &'a [String],
    date_styles: &'a [bool],
    serial_offset: u32,
}

/// The sheet's non-empty rows, each with its cells placed by column letter.
fn rows_of(xml: &str, styles: &Styles) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut row: Option<Row> = None;
    let mut last_row_number = 0usize;
    // The cell being read: column, type, style, and its value text.
    let mut cell: Option<(usize, String, usize)> = None;
    let mut value: Option<String> = None;
    let mut in_value = false;
    let mut in_phonetic = false;
    for token in tokens(xml) {
        match token {
            Token::Open { name: "row", attributes, empty } => {
                let number = attribute(attributes, "r")
                    .and_then(|r| r.parse().ok())
                    .filter(|number| *number > last_row_number)
                    .unwrap_or(last_row_number + 1);
                last_row_number = number;
                if !empty {
                    row = Some(Row { number, cells: Vec::new() });
                }
            }
            Token::Close { name: "row" } => {
                if let Some(done) = row.take().filter(|done| !done.is_empty()) {
                    rows.push(done);
                }
            }
            Token::Open { name: "c", attributes, empty } => {
                let next_column = row.as_ref().map_or(0, |row| row.cells.len());
                let column = attribute(attributes, "r").and_then(|r| column_of(&r)).unwrap_or(next_column);
                let kind = attribute(attributes, "t").unwrap_or_default().into_owned();
                let style = attribute(attributes, "s").and_then(|s| s.parse().ok()).unwrap_or(0);
                value = None;
                if empty {
                    cell = None;
                } else {
                    cell = Some((column, kind, style));
                }
            }
            Token::Close { name: "c" } => {
                if let (Some((column, kind, style)), Some(row)) = (cell.take(), row.as_mut()) {
                    // A cell far right of anything a roster has is damage, not data.
                    if column < 1_000 {
                        let parsed = cell_of(&kind, style, value.take().unwrap_or_default(), styles);
                        if row.cells.len() <= column {
                            row.cells.resize(column + 1, Cell::Empty);
                        }
                        row.cells[column] = parsed;
                    }
                }
            }
            Token::Open { name: "v" | "t", empty: false, .. } if cell.is_some() => in_value = true,
            Token::Close { name: "v" | "t" } => in_value = false,
            Token::Open { name: "rPh", empty: false, .. } => in_phonetic = true,
            Token::Close { name: "rPh" } => in_phonetic = false,
            Token::Text(text) if in_value && !in_phonetic => {
                value.get_or_insert_with(String::new).push_str(&unescape_xstring(&text))
            }
            _ => {}
        }
    }
    rows
}

/// "AB12" as column 27 (0-based).
fn column_of(reference: &str) -> Option<usize> {
    let letters: &str = &reference[..reference.find(|character: char| !character.is_ascii_alphabetic())?];
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let number =
        letters.bytes().fold(0usize, |sum, letter| sum * 26 + usize::from(letter.to_ascii_uppercase() - b'A' + 1));
    Some(number - 1)
}

fn cell_of(kind: &str, style: usize, value: String, styles: &Styles) -> Cell {
    match kind {
        "s" => value
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|index| styles.strings.get(index))
            .map_or(Cell::Empty, |text| Cell::Text(text.clone())),
        "str" | "inlineStr" | "e" | "d" => Cell::Text(value),
        "b" => Cell::Text(if value.trim() == "1" { "TRUE" } else { "FALSE" }.to_owned()),
        _ if value.trim().is_empty() => Cell::Empty,
        _ if value.trim().bytes().all(|byte| byte.is_ascii_digit() || b"+-.eE".contains(&byte)) => {
            let is_date = styles.date_styles.get(style).copied().unwrap_or(false);
            match day_serial(value.trim()).filter(|_| is_date) {
                Some(serial) => Cell::Date(serial.saturating_add(styles.serial_offset)),
                None => Cell::Number(value.trim().to_owned()),
            }
        }
        _ => Cell::Text(value),
    }
}

/// The day of a date cell's serial: "41395" or "41395.5" (noon) is day 41395. `None` for a
/// negative or scientific-notation value, which is no date a roster holds.
fn day_serial(value: &str) -> Option<u32> {
    let whole = value.split_once('.').map_or(value, |(whole, _)| whole);
    if whole.is_empty() || !whole.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    whole.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_of("A1"), Some(0));
        assert_eq!(column_of("Z9"), Some(25));
        assert_eq!(column_of("AB12"), Some(27));
        assert_eq!(column_of("12"), None);
        assert_eq!(column_of("ABCD1"), None);
    }

    #[test]
    fn date_formats() {
        assert!(is_date_format("yyyy/m/d"));
        assert!(is_date_format("yyyy\"年\"m\"月\"d\"日\""));
        assert!(is_date_format("[$-804]yyyy-mm-dd"));
        assert!(!is_date_format("0.00"));
        assert!(!is_date_format("[Red]0;\"day\""));
        assert!(!is_date_format("@"));
        assert!(is_builtin_date(14) && is_builtin_date(31) && !is_builtin_date(49));
    }

    #[test]
    fn cells_of_every_kind() {
        let strings = vec!["姓名".to_owned()];
        let styles = Styles { strings: &strings, date_styles: &[false, true], serial_offset: 0 };
        let xml = r#"<worksheet><sheetData>
            <row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="inlineStr"><is><t>张&amp;三</t></is></c></row>
            <row r="3" spans="1:5"><c r="A3" s="1"><v>41395</v></c><c r="B3"><v>13800000001</v></c>
              <c r="C3" t="str"><f>A1&amp;B1</f><v>七年级</v></c><c r="D3" t="b"><v>1</v></c><c r="E3"/></row>
            <row r="4"/><row><c><v>7</v></c></row>
        </sheetData></worksheet>"#;
        let rows = rows_of(xml, &styles);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].number, 2);
        assert_eq!(rows[0].cells, vec![Cell::Empty, Cell::Text("姓名".into()), Cell::Text("张&三".into())]);
        assert_eq!(
            rows[1].cells,
            vec![
                Cell::Date(41395),
                Cell::Number("13800000001".into()),
                Cell::Text("七年级".into()),
                Cell::Text("TRUE".into())
            ]
        );
        assert_eq!((rows[2].number, &rows[2].cells), (5, &vec![Cell::Number("7".into())]));
        assert_eq!(Cell::Number("7.0".into()).text(), "7");
    }

    #[test]
    fn relative_targets() {
        assert_eq!(resolve("xl", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/worksheets", "../sharedStrings.xml"), "xl/sharedStrings.xml");
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
    }
}
