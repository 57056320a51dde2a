//! The 身份证件号: a child's 18-character resident ID number, parsed once at the edge into an
//! [`IdNumber`]. It is the same number a "G" 学籍号 carries after its "G", so the checks (length,
//! digits, the embedded birth date, the MOD 11-2 check character, an ID Excel turned into
//! scientific notation or rounded to 15 digits) are the 学籍号's own, run on "G" + the ID
//! ([`StudentNumber::parse`]), and only the words of the error are the ID's.
//!
//! The number identifies a child anywhere in China, so the app shows it on the child's own
//! page only, and a list or a preview shows it [`IdNumber::masked`].

use crate::student_number::{StudentNumber, StudentNumberError};
use crate::typed_text::fold_full_width;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An 18-character ID number that parsed: 17 digits and a check character (a digit or X, upper
/// case), the birth date inside it a real date and the check character right.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

/// Why an ID number was refused. Each message names the value and says what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("身份证件号 is empty: type the 18 characters from the ID card or 户口簿, or leave the field empty")]
    Empty,
    #[error(
        "身份证件号 {value}: Excel stored the ID as a number, which lost its last digits; \
         set the column to 文本 (text) and export or paste the number again from the 学籍 system"
    )]
    StoredAsNumber { value: String },
    #[error("身份证件号 {value}: has {found} characters, should have 18 (17 digits and a check character); check for a missing or extra digit")]
    WrongLength { value: String, found: usize },
    #[error("身份证件号 {value}: character {position} is {found:?}, should be a digit{also}")]
    NotADigit { value: String, position: usize, found: char, also: &'static str },
    #[error("身份证件号 {value}: the last character should be {expected}; one of the digits is mistyped, compare with the ID card")]
    CheckDigit { value: String, expected: char },
    #[error("身份证件号 {value}: the birth date {digits} inside it is not a real date; check those eight digits")]
    BirthDate { value: String, digits: String },
}

impl IdNumber {
    /// Parses an ID number as a person typed it: lower-case x, surrounding spaces and
    /// full-width characters are accepted, as for a 学籍号.
    pub fn parse(text: &str) -> Result<Self, IdNumberError> {
        let value = fold_full_width(text).to_uppercase();
        if value.is_empty() {
            return Err(IdNumberError::Empty);
        }
        // A "G" in front would make a 学籍号 of it; an ID column holds the ID alone.
        if let Some(found) = value.chars().next().filter(|first| !first.is_ascii_digit()) {
            return Err(IdNumberError::NotADigit { value, position: 1, found, also: "" });
        }
        match StudentNumber::parse(&format!("G{value}")) {
            Ok(number) => Ok(IdNumber(number.id_number().unwrap_or_default().to_owned())),
            Err(error) => Err(IdNumberError::of_student_number(error, value)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date written in characters 7 to 14.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        StudentNumber::parse(&format!("G{}", self.0)).ok().and_then(|number| number.birth_date())
    }

    /// The number with all but its last four characters hidden: "**************123X".
    pub fn masked(&self) -> String {
        masked(&self.0)
    }
}

/// Any text with all but its last four characters hidden, one `*` per hidden character. For an
/// ID number as written in a cell, before or without parsing.
pub fn masked(text: &str) -> String {
    let count = text.chars().count();
    text.chars().enumerate().map(|(index, character)| if index + 4 < count { '*' } else { character }).collect()
}

impl IdNumberError {
    /// The 学籍号's verdict on "G" + `value`, said of the ID number: positions count from the
    /// ID's first character, not the "G".
    fn of_student_number(error: StudentNumberError, value: String) -> IdNumberError {
        match error {
            StudentNumberError::Empty => IdNumberError::Empty,
            StudentNumberError::ScientificNotation { .. } | StudentNumberError::RoundedByExcel { .. } => {
                IdNumberError::StoredAsNumber { value }
            }
            StudentNumberError::WrongLength { found, .. } => IdNumberError::WrongLength { value, found },
            StudentNumberError::NotADigit { position, found, also, .. } => {
                IdNumberError::NotADigit { value, position: position.saturating_sub(1), found, also }
            }
            StudentNumberError::CheckDigit { expected, .. } => IdNumberError::CheckDigit { value, expected },
            StudentNumberError::BirthDate { digits, .. } => IdNumberError::BirthDate { value, digits },
            // "G" + digits always has the shape of a "G" number.
            StudentNumberError::UnknownShape { .. } => {
                let found = value.chars().count();
                IdNumberError::WrongLength { value, found }
            }
        }
    }
}

impl TryFrom<String> for IdNumber {
    type Error = IdNumberError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        IdNumber::parse(&text)
    }
}

impl From<IdNumber> for String {
    fn from(number: IdNumber) -> String {
        number.0
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::student_number::id_check_digit;

    fn id(birth: &str, sequence: &str) -> String {
        let first17 = format!("430521{birth}{sequence}");
        format!("{first17}{}", id_check_digit(&first17).unwrap())
    }

    #[test]
    fn an_id_with_the_right_check_character_parses() {
        let number = IdNumber::parse("11010519491231002x").unwrap();
        assert_eq!(number.as_str(), "11010519491231002X");
        assert_eq!(number.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31));
        assert_eq!(IdNumber::parse(&format!(" {} ", id("20130501", "123"))).unwrap().as_str(), id("20130501", "123"));
        assert_eq!(IdNumber::parse("１１０１０５１９４９１２３１００２Ｘ").unwrap().as_str(), "11010519491231002X");
    }

    #[test]
    fn a_wrong_check_character_names_the_right_one() {
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(IdNumberError::CheckDigit { value: "110105194912310021".into(), expected: 'X' })
        );
    }

    #[test]
    fn an_id_stored_as_a_number_says_the_digits_are_lost() {
        for typed in ["6.21121E+17", "430521201305012000", "4.30521201305011E+17"] {
            let error = IdNumber::parse(typed).unwrap_err();
            assert!(matches!(error, IdNumberError::StoredAsNumber { .. }), "{typed}: {error:?}");
            assert!(error.to_string().contains("lost its last digits"));
        }
    }

    #[test]
    fn wrong_lengths_letters_and_dates_are_refused_by_position_in_the_id() {
        assert_eq!(
            IdNumber::parse("43052120130501123"),
            Err(IdNumberError::WrongLength { value: "43052120130501123".into(), found: 17 })
        );
        assert!(matches!(
            IdNumber::parse("4305212O1305011230"),
            Err(IdNumberError::NotADigit { position: 8, found: 'O', .. })
        ));
        assert!(matches!(
            IdNumber::parse("G430521201305011230"),
            Err(IdNumberError::NotADigit { position: 1, found: 'G', .. })
        ));
        let mut first17 = String::from("43052120130230123");
        first17.push(id_check_digit(&first17).unwrap());
        assert!(
            matches!(IdNumber::parse(&first17), Err(IdNumberError::BirthDate { digits, .. }) if digits == "20130230")
        );
        assert_eq!(IdNumber::parse("  "), Err(IdNumberError::Empty));
    }

    #[test]
    fn masked_keeps_the_last_four_characters() {
        assert_eq!(IdNumber::parse("11010519491231002X").unwrap().masked(), "**************002X");
        assert_eq!(masked("123"), "123");
    }

    #[test]
    fn it_travels_as_its_text() {
        let number = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(serde_json::to_string(&number).unwrap(), "\"11010519491231002X\"");
        assert!(serde_json::from_str::<IdNumber>("\"110105194912310021\"").is_err());
    }
}
