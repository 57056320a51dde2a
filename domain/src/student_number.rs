//! The 学籍号 (national student number), parsed once at the edge into a [`StudentNumber`].
//!
//! Three shapes exist:
//! - "G" + the child's 18-character 身份证 number: 6-digit area code, 8-digit birth date, 3-digit
//!   sequence and a check digit (0–9 or X) computed by ISO 7064 MOD 11-2 (GB 11643).
//! - "L" + 6-digit area code + 8-digit birth date + 4 digits: a temporary number for a child whose
//!   ID is not known yet.
//! - "J" + digits: a child with no ID at all. The national system publishes no fixed length for
//!   these, so any 10 to 20 digits are accepted: enough to refuse a lone "J" or a truncated cell,
//!   loose enough not to refuse a real number.
//!
//! People type these into spreadsheets, so the parser accepts lower case, surrounding spaces,
//! full-width characters (ＧＸ１２３ from a Chinese input method) and a bare 18-character ID
//! number (read as "G" + the ID). It never repairs a number: an ID that Excel turned into
//! scientific notation has lost digits for good, and the error says so.

use crate::date_text::parse_date;
use crate::typed_text::{all_digits, fold_full_width};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Which of the three shapes a 学籍号 has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NumberKind {
    /// "G" + 身份证 number.
    IdCard,
    /// "L" + area code + birth date + 4 digits: a temporary number.
    Temporary,
    /// "J" + digits: a child with no ID.
    NoId,
}

/// A 学籍号 that parsed: upper case, no spaces, "G", "L" or "J" first, check digit and embedded
/// birth date verified. Two numbers are the same child exactly when their text is equal.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StudentNumber(String);

/// Why a 学籍号 was refused. Each message names the value and says what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StudentNumberError {
    #[error("学籍号 is empty: type the number from the 学籍 system, or leave the student without one")]
    Empty,
    #[error(
        "学籍号 {value}: Excel has turned the number into scientific notation and lost its last digits; \
         set the column to 文本 (text) and type or paste the number again from the 学籍 system"
    )]
    ScientificNotation { value: String },
    #[error(
        "学籍号 {value}: should be G + 18-character ID number, L + 18 digits, J + 10 to 20 digits, \
         or a bare 18-character ID number; check the first character"
    )]
    UnknownShape { value: String },
    #[error("学籍号 {value}: has {found} characters after {prefix}, should have {expected}; check for a missing or extra digit")]
    WrongLength { value: String, prefix: char, expected: &'static str, found: usize },
    #[error("学籍号 {value}: character {position} is {found:?}, should be a digit{also}")]
    NotADigit { value: String, position: usize, found: char, also: &'static str },
    #[error(
        "学籍号 {value}: check digit should be {expected}; one of the digits is mistyped, compare with the ID card"
    )]
    CheckDigit { value: String, expected: char },
    #[error(
        "学籍号 {value}: ends in 000 and its check digit does not match: Excel most likely stored the ID as a \
         number and rounded it to 15 digits; set the column to 文本 (text) and copy the number again"
    )]
    RoundedByExcel { value: String },
    #[error("学籍号 {value}: the birth date {digits} inside it is not a real date; check those eight digits")]
    BirthDate { value: String, digits: String },
}

/// The weights of the first 17 digits of a 身份证 number (GB 11643, ISO 7064 MOD 11-2).
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the weighted sum modulo 11.
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Digits a "J" number may have.
pub const NO_ID_DIGITS: std::ops::RangeInclusive<usize> = 10..=20;

/// The check character of an ID number from its first 17 digits, or `None` if `first17` is not
/// 17 ASCII digits.
pub fn id_check_digit(first17: &str) -> Option<char> {
    if first17.len() != 17 || !all_digits(first17) {
        return None;
    }
    let sum: u32 = first17.bytes().zip(ID_WEIGHTS).map(|(byte, weight)| u32::from(byte - b'0') * weight).sum();
    ID_CHECK.get((sum % 11) as usize).copied()
}

impl StudentNumber {
    /// Parses a 学籍号 as a person typed it. See the module documentation for what is accepted.
    pub fn parse(text: &str) -> Result<Self, StudentNumberError> {
        let value = normalise(text);
        if value.is_empty() {
            return Err(StudentNumberError::Empty);
        }
        if looks_like_scientific_notation(&value) {
            return Err(StudentNumberError::ScientificNotation { value });
        }
        let mut chars = value.chars();
        match chars.next() {
            Some('G') => parse_id_card(&value, chars.as_str()),
            Some('L') => parse_temporary(&value, chars.as_str()),
            Some('J') => parse_no_id(&value, chars.as_str()),
            Some(first) if first.is_ascii_digit() && value.chars().count() == 18 => {
                parse_id_card(&format!("G{value}"), &value)
            }
            _ => Err(StudentNumberError::UnknownShape { value }),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> NumberKind {
        match self.0.as_bytes().first() {
            Some(b'G') => NumberKind::IdCard,
            Some(b'L') => NumberKind::Temporary,
            _ => NumberKind::NoId,
        }
    }

    /// The 18-character ID number inside a "G" number.
    pub fn id_number(&self) -> Option<&str> {
        match self.kind() {
            NumberKind::IdCard => self.0.get(1..),
            _ => None,
        }
    }

    /// The birth date written inside the number ("G" and "L" numbers; a "J" number has none),
    /// to compare with the student's birth date field.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        match self.kind() {
            NumberKind::IdCard | NumberKind::Temporary => self.0.get(7..15).and_then(date_of_digits),
            NumberKind::NoId => None,
        }
    }
}

/// Upper case, full-width ASCII folded to half-width, surrounding spaces (also the full-width
/// space U+3000) dropped.
fn normalise(text: &str) -> String {
    fold_full_width(text).to_uppercase()
}

/// "4.30521200801011E+17", "1.10101E+17", "4E17", also behind a "G": digits, an optional
/// fraction, then E, an optional sign and digits.
fn looks_like_scientific_notation(value: &str) -> bool {
    let number = value.strip_prefix('G').unwrap_or(value);
    let Some((mantissa, exponent)) = number.split_once('E') else {
        return false;
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    all_digits(whole) && (fraction.is_empty() || all_digits(fraction)) && all_digits(exponent)
}

/// The first character of `rest` (1-based position within `value`, counting the prefix) that
/// is not a digit.
fn first_non_digit(value: &str, rest: &str, also: &'static str) -> Result<(), StudentNumberError> {
    match rest.chars().enumerate().find(|(_, character)| !character.is_ascii_digit()) {
        Some((index, found)) => {
            Err(StudentNumberError::NotADigit { value: value.to_owned(), position: index + 2, found, also })
        }
        None => Ok(()),
    }
}

fn check_length(
    value: &str,
    prefix: char,
    rest: &str,
    expected: &'static str,
    ok: bool,
) -> Result<(), StudentNumberError> {
    if ok {
        Ok(())
    } else {
        Err(StudentNumberError::WrongLength { value: value.to_owned(), prefix, expected, found: rest.chars().count() })
    }
}

fn check_birth_date(value: &str, digits: &str) -> Result<(), StudentNumberError> {
    match date_of_digits(digits) {
        Some(_) => Ok(()),
        None => Err(StudentNumberError::BirthDate { value: value.to_owned(), digits: digits.to_owned() }),
    }
}

/// The date of eight digits, "20110101": the form the 学籍 system writes dates in.
fn date_of_digits(digits: &str) -> Option<NaiveDate> {
    (digits.len() == 8 && all_digits(digits)).then(|| parse_date(digits).ok()).flatten()
}

fn parse_id_card(value: &str, id: &str) -> Result<StudentNumber, StudentNumberError> {
    check_length(value, 'G', id, "18 (17 digits and a check digit)", id.chars().count() == 18)?;
    // Length 18 in chars and (checked next) ASCII digits, so byte slicing below is safe.
    let (first17, check) = id.split_at(id.char_indices().nth(17).map_or(id.len(), |(index, _)| index));
    first_non_digit(value, first17, "")?;
    let check = check.chars().next().unwrap_or(' ');
    if !(check.is_ascii_digit() || check == 'X') {
        return Err(StudentNumberError::NotADigit {
            value: value.to_owned(),
            position: 19,
            found: check,
            also: " or X",
        });
    }
    check_birth_date(value, &first17[6..14])?;
    let expected = id_check_digit(first17).unwrap_or('?');
    if check != expected {
        if id.ends_with("000") {
            return Err(StudentNumberError::RoundedByExcel { value: value.to_owned() });
        }
        return Err(StudentNumberError::CheckDigit { value: value.to_owned(), expected });
    }
    Ok(StudentNumber(format!("G{id}")))
}

fn parse_temporary(value: &str, rest: &str) -> Result<StudentNumber, StudentNumberError> {
    check_length(value, 'L', rest, "18 (area code, birth date, 4 digits)", rest.chars().count() == 18)?;
    first_non_digit(value, rest, "")?;
    check_birth_date(value, &rest[6..14])?;
    Ok(StudentNumber(value.to_owned()))
}

fn parse_no_id(value: &str, rest: &str) -> Result<StudentNumber, StudentNumberError> {
    check_length(value, 'J', rest, "10 to 20 digits", NO_ID_DIGITS.contains(&rest.chars().count()))?;
    first_non_digit(value, rest, "")?;
    Ok(StudentNumber(value.to_owned()))
}

impl FromStr for StudentNumber {
    type Err = StudentNumberError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        StudentNumber::parse(text)
    }
}

impl TryFrom<String> for StudentNumber {
    type Error = StudentNumberError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        StudentNumber::parse(&text)
    }
}

impl From<StudentNumber> for String {
    fn from(number: StudentNumber) -> String {
        number.0
    }
}

impl fmt::Display for StudentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> Result<StudentNumber, StudentNumberError> {
        StudentNumber::parse(text)
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn check_digit_worked_by_hand() {
        // 1 1 0 1 0 1 2 0 0 8 0 1 0 1 1 2 3 times 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
        // 7+9+0+5+0+4+4+0+0+24+0+9+0+5+8+8+6 = 89; 89 mod 11 = 1; remainder 1 gives "0".
        assert_eq!(id_check_digit("11010120080101123"), Some('0'));
        // Sequence 129: the sum is 101; 101 mod 11 = 2; remainder 2 gives "X".
        assert_eq!(id_check_digit("11010120080101129"), Some('X'));
        // The example of GB 11643 itself.
        assert_eq!(id_check_digit("11010519491231002"), Some('X'));
    }

    #[test]
    fn a_g_number_with_the_right_check_digit_parses() {
        let number = parse("G110101200801011230").unwrap();
        assert_eq!(number.as_str(), "G110101200801011230");
        assert_eq!(number.kind(), NumberKind::IdCard);
        assert_eq!(number.id_number(), Some("110101200801011230"));
        assert_eq!(number.birth_date(), Some(day("2008-01-01")));
        assert_eq!(parse("G11010120080101129X").unwrap().as_str(), "G11010120080101129X");
    }

    #[test]
    fn lower_case_spaces_and_full_width_are_accepted() {
        assert_eq!(parse("  g11010120080101129x ").unwrap().as_str(), "G11010120080101129X");
        assert_eq!(parse("\u{3000}Ｇ１１０１０１２００８０１０１１２９Ｘ").unwrap().as_str(), "G11010120080101129X");
    }

    #[test]
    fn a_bare_id_number_becomes_a_g_number() {
        assert_eq!(parse("11010120080101129x").unwrap().as_str(), "G11010120080101129X");
        assert_eq!(parse("110101200801011230").unwrap().kind(), NumberKind::IdCard);
    }

    #[test]
    fn a_wrong_check_digit_names_the_right_one() {
        let error = parse("G110101200801011234").unwrap_err();
        assert_eq!(error, StudentNumberError::CheckDigit { value: "G110101200801011234".into(), expected: '0' });
        assert_eq!(
            error.to_string(),
            "学籍号 G110101200801011234: check digit should be 0; one of the digits is mistyped, compare with the ID card"
        );
        assert_eq!(
            parse("G110101200801011290").unwrap_err(),
            StudentNumberError::CheckDigit { value: "G110101200801011290".into(), expected: 'X' }
        );
    }

    #[test]
    fn scientific_notation_is_named_not_guessed() {
        for typed in ["1.10101E+17", "4.30521200801011E+17", "4.30521200801011e+17", "G4.30521E+17", "4E17"] {
            assert!(
                matches!(parse(typed), Err(StudentNumberError::ScientificNotation { .. })),
                "{typed} should be refused as scientific notation"
            );
        }
        assert!(parse("1.10101E+17").unwrap_err().to_string().contains("文本"));
    }

    #[test]
    fn an_id_rounded_to_fifteen_digits_is_named() {
        // 430521200801011234 stored as a number shows as 430521200801011000.
        assert_eq!(
            parse("430521200801011000").unwrap_err(),
            StudentNumberError::RoundedByExcel { value: "G430521200801011000".into() }
        );
    }

    #[test]
    fn an_impossible_birth_date_inside_is_refused() {
        let mut first17 = String::from("11010120080230123");
        let check = id_check_digit(&first17).unwrap();
        first17.push(check);
        assert_eq!(
            parse(&first17).unwrap_err(),
            StudentNumberError::BirthDate { value: format!("G{first17}"), digits: "20080230".into() }
        );
        assert!(matches!(parse("L110101201302291234"), Err(StudentNumberError::BirthDate { .. })));
    }

    #[test]
    fn wrong_lengths_and_letters_are_refused() {
        assert!(matches!(
            parse("G11010120080101123"),
            Err(StudentNumberError::WrongLength { prefix: 'G', found: 17, .. })
        ));
        assert!(matches!(parse("G1101012008010112300"), Err(StudentNumberError::WrongLength { .. })));
        assert_eq!(
            parse("G11010120O801011230").unwrap_err(),
            StudentNumberError::NotADigit { value: "G11010120O801011230".into(), position: 10, found: 'O', also: "" }
        );
        assert!(matches!(parse("G11010120080101123Y"), Err(StudentNumberError::NotADigit { position: 19, .. })));
        assert_eq!(parse("   "), Err(StudentNumberError::Empty));
        assert!(matches!(parse("X123"), Err(StudentNumberError::UnknownShape { .. })));
        assert!(matches!(parse("1101011"), Err(StudentNumberError::UnknownShape { .. })));
    }

    #[test]
    fn temporary_numbers_carry_a_birth_date() {
        let number = parse("l110101201309011234").unwrap();
        assert_eq!(number.as_str(), "L110101201309011234");
        assert_eq!(number.kind(), NumberKind::Temporary);
        assert_eq!(number.birth_date(), Some(day("2013-09-01")));
        assert_eq!(number.id_number(), None);
        assert!(matches!(parse("L11010120130901123"), Err(StudentNumberError::WrongLength { prefix: 'L', .. })));
        assert!(matches!(parse("L11010120130901123A"), Err(StudentNumberError::NotADigit { .. })));
    }

    #[test]
    fn no_id_numbers_are_ten_to_twenty_digits() {
        assert_eq!(parse("j1234567890").unwrap().kind(), NumberKind::NoId);
        assert_eq!(parse("J12345678901234567890").unwrap().birth_date(), None);
        assert!(matches!(parse("J123456789"), Err(StudentNumberError::WrongLength { prefix: 'J', found: 9, .. })));
        assert!(matches!(parse("J123456789012345678901"), Err(StudentNumberError::WrongLength { .. })));
        assert!(matches!(parse("J12345X7890"), Err(StudentNumberError::NotADigit { .. })));
        assert!(matches!(parse("J"), Err(StudentNumberError::WrongLength { found: 0, .. })));
    }

    #[test]
    fn it_travels_as_its_text() {
        let number = parse("G11010120080101129X").unwrap();
        assert_eq!(serde_json::to_string(&number).unwrap(), "\"G11010120080101129X\"");
        assert_eq!(serde_json::from_str::<StudentNumber>("\"g11010120080101129x\"").unwrap(), number);
        assert!(serde_json::from_str::<StudentNumber>("\"G110101200801011234\"").is_err());
    }

    proptest! {
        #[test]
        fn any_id_with_its_computed_check_digit_parses(
            area in 110000u32..=829999,
            date in (0i64..45_000).prop_map(|offset| NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days(offset)),
            sequence in 0u32..=999,
            bare in any::<bool>(),
        ) {
            let first17 = format!("{area:06}{}{sequence:03}", date.format("%Y%m%d"));
            let id = format!("{first17}{}", id_check_digit(&first17).unwrap());
            let typed = if bare { id.to_lowercase() } else { format!(" g{} ", id.to_lowercase()) };
            let number = StudentNumber::parse(&typed).unwrap();
            prop_assert_eq!(number.as_str(), format!("G{id}"));
            prop_assert_eq!(number.birth_date(), Some(date));
        }

        #[test]
        fn any_other_check_digit_is_refused(first17 in "[1-8][0-9]{5}20(0[0-9]|1[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}", check in "[0-9X]") {
            let right = id_check_digit(&first17).unwrap();
            prop_assume!(!check.starts_with(right));
            let parsed = StudentNumber::parse(&format!("G{first17}{check}"));
            prop_assert!(parsed.is_err());
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,30}") {
            let _ = StudentNumber::parse(&text);
        }
    }
}
