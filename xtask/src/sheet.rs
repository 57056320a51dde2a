//! `cargo xtask sheet <file.xlsx>`: prints the first sheet of a workbook as JSON, an array of
//! rows of cell texts, read by calamine. The end-to-end tests read the papers the app downloads
//! with it, so each XLSX is checked by a reader that is not the app's own writer.

use calamine::{Data, Reader, Xlsx};

pub fn print(path: Option<String>) -> Result<(), String> {
    let path = path.ok_or("usage: cargo xtask sheet <file.xlsx>")?;
    let mut workbook: Xlsx<_> = calamine::open_workbook(&path).map_err(|error| format!("{path}: {error}"))?;
    let name = workbook.sheet_names().first().cloned().ok_or_else(|| format!("{path}: the workbook has no sheet"))?;
    let range = workbook.worksheet_range(&name).map_err(|error| format!("{path}, sheet {name}: {error}"))?;
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let json = serde_json::json!({ "sheet": name, "rows": rows });
    println!("{json}");
    Ok(())
}
