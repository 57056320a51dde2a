//! A paper (the monthly report, a ledger, a list) as an XLSX workbook, written in the browser.
//! It lives in this module, loaded only when used, not in the app.
//!
//! Written here, not by `rust_xlsxwriter`: that crate brought zopfli and zlib-rs for its ZIP and
//! made this module 449,238 B gzip instead of 237,807 (measured 2026-12-03), for papers that
//! are one sheet of text cells. The workbook is the smallest package Excel, WPS, LibreOffice
//! and calamine open: five XML parts, cells as inline strings, deflated by `miniz_oxide` (the
//! roster reader's inflater already). Every cell is text, as the paper shows it: a 学籍号 keeps
//! its letters and zeros, and a name that looks like a formula stays a name.

use std::fmt::Write as _;

/// Why no workbook was written.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaperXlsxError {
    #[error("the paper has more rows or columns than a sheet holds ({rows} rows, {columns} columns)")]
    TooLarge { rows: usize, columns: usize },
}

/// Excel's limits of one sheet.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;

/// The workbook of one sheet named `sheet` holding `rows` from the top left cell.
pub fn paper_xlsx(sheet: &str, rows: &[Vec<String>]) -> Result<Vec<u8>, PaperXlsxError> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if rows.len() > MAX_ROWS || columns > MAX_COLUMNS {
        return Err(PaperXlsxError::TooLarge { rows: rows.len(), columns });
    }
    let parts: [(&str, String); 5] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", ROOT_RELS.to_owned()),
        ("xl/workbook.xml", workbook(&sheet_name(sheet))),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.to_owned()),
        ("xl/worksheets/sheet1.xml", worksheet(rows, columns)),
    ];
    Ok(zip(&parts))
}

const XML_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

fn workbook(sheet: &str) -> String {
    format!(
        r#"{XML_HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        escaped(sheet)
    )
}

fn worksheet(rows: &[Vec<String>], columns: usize) -> String {
    let mut xml = format!(r#"{XML_HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#);
    if columns > 0 {
        // Wide enough to read the Chinese columns without widening them by hand.
        xml.push_str("<cols>");
        for column in 0..columns {
            let widest = rows.iter().filter_map(|row| row.get(column)).map(|cell| cell.chars().count()).max();
            let width = (widest.unwrap_or(0) as f64 * 2.0).clamp(6.0, 40.0);
            let n = column + 1;
            let _ = write!(xml, r#"<col min="{n}" max="{n}" width="{width:.1}" customWidth="1"/>"#);
        }
        xml.push_str("</cols>");
    }
    xml.push_str("<sheetData>");
    for (r, row) in rows.iter().enumerate() {
        let _ = write!(xml, r#"<row r="{}">"#, r + 1);
        for (c, cell) in row.iter().enumerate().filter(|(_, cell)| !cell.is_empty()) {
            let _ = write!(
                xml,
                r#"<c r="{}{}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                column_name(c),
                r + 1,
                escaped(cell)
            );
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// A, B, …, Z, AA, AB, … for the 0-based column `index`.
fn column_name(index: usize) -> String {
    let mut name = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        name.push(b'A' + rest as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Text as XML character data; characters XML 1.0 cannot hold (NUL and the other controls but
/// tab and line breaks) are left out rather than making a file no reader opens.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if u32::from(c) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A sheet name Excel takes: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let name: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control()).take(31).collect();
    if name.trim().is_empty() {
        "Sheet1".to_owned()
    } else {
        name
    }
}

/// A ZIP archive of `parts`, each deflated: local headers, then the central directory.
fn zip(parts: &[(&str, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, text) in parts {
        let data = text.as_bytes();
        let packed = miniz_oxide::deflate::compress_to_vec(data, 6);
        let crc = crc32(data);
        let offset = out.len() as u32;
        // Version 2.0, no flags, deflate, a fixed time (1 January 2026): the bytes of a paper
        // depend only on its cells.
        let common = |buffer: &mut Vec<u8>| {
            buffer.extend_from_slice(&20u16.to_le_bytes());
            buffer.extend_from_slice(&0u16.to_le_bytes());
            buffer.extend_from_slice(&8u16.to_le_bytes());
            buffer.extend_from_slice(&0u16.to_le_bytes());
            buffer.extend_from_slice(&0x5c21u16.to_le_bytes());
            buffer.extend_from_slice(&crc.to_le_bytes());
            buffer.extend_from_slice(&(packed.len() as u32).to_le_bytes());
            buffer.extend_from_slice(&(data.len() as u32).to_le_bytes());
            buffer.extend_from_slice(&(name.len() as u16).to_le_bytes());
            buffer.extend_from_slice(&0u16.to_le_bytes());
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&packed);

        directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        directory.extend_from_slice(&20u16.to_le_bytes());
        common(&mut directory);
        directory.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        directory.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let directory_offset = out.len() as u32;
    out.extend_from_slice(&directory);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, the directory's disk
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
    out.extend_from_slice(&directory_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// CRC-32 (IEEE), as ZIP checks each part.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    fn read_back(bytes: Vec<u8>) -> (String, Vec<Vec<String>>) {
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a workbook calamine opens");
        let name = workbook.sheet_names()[0].clone();
        let range = workbook.worksheet_range(&name).expect("its sheet");
        let rows = range
            .rows()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Data::String(text) => text.clone(),
                        Data::Empty => String::new(),
                        other => panic!("a cell written as text reads as {other:?}"),
                    })
                    .collect()
            })
            .collect();
        (name, rows)
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|cell| cell.to_string()).collect()
    }

    #[test]
    fn every_cell_reads_back_as_the_text_written() {
        let rows = vec![
            row(&["大井镇中学 学校辍学月报表"]),
            row(&["学校", "姓名", "学籍号", "原因"]),
            row(&["大井镇中学", "张小明", "G530000201301010022", "厌学、外出打工"]),
            row(&["大井镇中学", "=1+1", "0012", "说\"不去\"\n了 <&>"]),
            row(&[]),
            row(&["初中辍学率", "2/4（50.00%）"]),
        ];
        let (name, back) = read_back(paper_xlsx("2026年9月: 月报/表", &rows).unwrap());
        assert_eq!(name, "2026年9月 月报表");
        // calamine pads every row to the widest; what was written is all there, in place.
        assert_eq!(back.len(), rows.len());
        for (written, read) in rows.iter().zip(&back) {
            assert_eq!(&read[..written.len()], &written[..]);
            assert!(read[written.len()..].iter().all(String::is_empty));
        }
    }

    #[test]
    fn a_nul_is_left_out_and_wide_sheets_get_their_column_names() {
        let (_, back) = read_back(paper_xlsx("s", &[row(&["a\u{0}b"])]).unwrap());
        assert_eq!(back, vec![row(&["ab"])]);
        assert_eq!(
            [column_name(0), column_name(25), column_name(26), column_name(701), column_name(702)],
            ["A", "Z", "AA", "ZZ", "AAA"]
        );
        let wide = vec![(0..30).map(|n| n.to_string()).collect::<Vec<_>>()];
        let (_, back) = read_back(paper_xlsx("s", &wide).unwrap());
        assert_eq!(back, wide);
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }
}
