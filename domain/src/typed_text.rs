//! Text as people type it into spreadsheets and forms, made plain before a parser reads it.
//! Shared by the parsers of dates ([`crate::date_text`]) and 学籍号 ([`crate::student_number`]),
//! so both accept the same full-width forms.

/// Trimmed (the full-width space U+3000 too), with full-width digits, letters and punctuation
/// (２０１１／１／１, ＧＸ１２３ from a Chinese input method) folded to ASCII.
pub fn fold_full_width(text: &str) -> String {
    text.trim()
        .chars()
        .map(|character| match character {
            // Full-width ASCII (！ to ～) sits 0xFEE0 above the ASCII it stands for.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(character) - 0xFEE0).unwrap_or(character),
            other => other,
        })
        .collect()
}

/// At least one character, and only ASCII digits.
pub fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}
