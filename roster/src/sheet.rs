//! A spreadsheet as rows of cells, as [`crate::read_xlsx`] and [`crate::read_csv`] give it. Each
//! row keeps the number Excel shows beside it, so an error can say "row 7" and the teacher finds
//! row 7.

/// The sheet the national 学籍 system exports students on; read first when a workbook has it.
pub const STUDENT_SHEET: &str = "学生基本信息";

/// One cell as the file holds it. Text is kept as written (trimmed by the reader of each
/// column, not here), so a 学籍号 keeps its leading zeros and its "G". Numbers stay text too:
/// nothing here computes with them, and reading them as text keeps floating-point parsing and
/// printing (tens of kilobytes of wasm) out of the phone app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell, as the file writes it: a phone number "13800000001", a grade "7", or a
    /// 学籍号 Excel stored as a number, "4.3052120080101101E+17", digits already lost.
    Number(String),
    /// A date cell: its day as an Excel serial in the 1900 date system (1 is 1900-01-01), the
    /// time of day dropped.
    Date(u32),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) | Cell::Number(text) => text.trim().is_empty(),
            Cell::Date(_) => false,
        }
    }

    /// The cell as a person would read it: a whole number without a trailing ".0".
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            // A line break typed inside a cell (Alt+Enter) or a stray control character reads
            // as a space: a record carries none, and the server refuses a change that does.
            Cell::Text(text) => {
                let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
                one_line.trim().to_owned()
            }
            Cell::Number(number) => {
                let number = number.trim();
                match number.split_once('.') {
                    Some((whole, fraction)) if fraction.bytes().all(|byte| byte == b'0') => whole.to_owned(),
                    _ => number.to_owned(),
                }
            }
            Cell::Date(serial) => serial.to_string(),
        }
    }
}

/// A row of a sheet with its 1-based row number, as Excel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn cell(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }

    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }
}

/// The rows of one sheet, empty rows left out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    /// The worksheet's name; empty for CSV.
    pub name: String,
    pub rows: Vec<Row>,
}

#[cfg(test)]
mod tests {
    use super::Cell;

    #[test]
    fn a_line_break_or_control_character_inside_a_cell_reads_as_a_space() {
        assert_eq!(Cell::Text(" 钱\r\n二 ".into()).text(), "钱  二");
        assert_eq!(Cell::Text("石门村\u{0}一组\t".into()).text(), "石门村 一组");
    }
}
