//! A paper as CSV the way schools in China open it: UTF-8 with a byte-order mark (Excel reads a
//! CSV without one as GBK), CRLF line ends, fields quoted when they hold a comma, a quote or a
//! line break, and a field that starts as a formula would (`=`, `+`, `-`, `@`) made text with a
//! leading apostrophe, so a name typed into a roster can never run as a formula in Excel.

/// The rows as one CSV file.
pub fn csv_text(rows: &[Vec<String>]) -> String {
    let mut text = String::from('\u{feff}');
    for row in rows {
        let fields: Vec<String> = row.iter().map(|field| field_text(field)).collect();
        text.push_str(&fields.join(","));
        text.push_str("\r\n");
    }
    text
}

fn field_text(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@']) { format!("'{field}") } else { field.to_owned() };
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fields: &[&str]) -> Vec<String> {
        fields.iter().map(|field| field.to_string()).collect()
    }

    #[test]
    fn fields_are_quoted_and_formulas_made_text() {
        let text =
            csv_text(&[row(&["姓名", "原因"]), row(&["张小明", "厌学,外出打工"]), row(&["=1+1", "说\"不去\"\n了"])]);
        assert_eq!(text, "\u{feff}姓名,原因\r\n张小明,\"厌学,外出打工\"\r\n'=1+1,\"说\"\"不去\"\"\n了\"\r\n");
        assert_eq!(csv_text(&[]), "\u{feff}");
    }
}
