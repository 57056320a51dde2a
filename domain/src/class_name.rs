//! Grades and classes as schools write them: 七年级, 7, 初一, 一年级; 七年级(2)班, 七年级（2）班,
//! 7年级2班, 初一(2)班, 2班. Every class becomes one name, "七年级(2)班", so a re-import finds the
//! class it made last time whatever the file's spelling.

use crate::org::{Class, Grade};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A class of the import: its grade and its number within the grade. `number` is `None` when
/// the file has a 年级 column and no 班级 column: the whole grade is one class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ClassKey {
    pub grade: Grade,
    pub number: Option<u32>,
}

impl ClassKey {
    /// "七年级(2)班", or "七年级" for a whole grade.
    pub fn name(self) -> String {
        self.to_string()
    }

    /// The key a class record's name reads as. A class named "2班" of grade 7 is 七年级(2)班; a
    /// name that names another grade than the record's, or no class at all ("火箭班"), has no
    /// key and is never taken for another class.
    pub fn of_class(class: &Class) -> Option<ClassKey> {
        match parse_class(&class.name) {
            Some(text) if text.grade.is_none_or(|grade| grade == class.grade) => {
                Some(ClassKey { grade: class.grade, number: Some(text.number) })
            }
            Some(_) => None,
            None if class.name.trim() == grade_name(class.grade) => Some(ClassKey { grade: class.grade, number: None }),
            None => None,
        }
    }
}

impl fmt::Display for ClassKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grade = grade_name(self.grade);
        match self.number {
            Some(number) => write!(f, "{grade}({number})班"),
            None => f.write_str(grade),
        }
    }
}

/// 一年级 to 九年级.
pub fn grade_name(grade: Grade) -> &'static str {
    const NAMES: [&str; 9] = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级"];
    NAMES.get(usize::from(grade.get()).saturating_sub(1)).copied().unwrap_or("")
}

/// A class as written, read with what it says of its grade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassText {
    pub grade: Option<Grade>,
    pub number: u32,
}

/// Full-width digits and brackets folded to ASCII, spaces dropped.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|character| !character.is_whitespace())
        .map(|character| match character {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(character) - 0xFEE0).unwrap_or(character),
            other => other,
        })
        .collect()
}

/// 一 to 十九 (and 二十) as a number.
fn chinese_number(text: &str) -> Option<u32> {
    const DIGITS: [char; 9] = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let digit = |character: char| DIGITS.iter().position(|digit| *digit == character).map(|index| index as u32 + 1);
    let characters: Vec<char> = text.chars().collect();
    match characters.as_slice() {
        [one] if *one == '十' => Some(10),
        [one] => digit(*one),
        ['十', ones] => Some(10 + digit(*ones)?),
        [tens, '十'] => Some(digit(*tens)? * 10),
        [tens, '十', ones] => Some(digit(*tens)? * 10 + digit(*ones)?),
        _ => None,
    }
}

/// A number written in digits or in Chinese numerals.
fn number(text: &str) -> Option<u32> {
    if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
        return text.parse().ok();
    }
    chinese_number(text)
}

/// The grade a text names, or `Err` with the number it names when that is outside 1 to 9, or
/// `Err(None)` when it names no grade at all ("高一", "学前班").
pub fn parse_grade(text: &str) -> Result<Grade, Option<u32>> {
    let text = normalise(text);
    let text = text.strip_prefix("小学").unwrap_or(&text);
    let (junior, rest) = match text.strip_prefix("初中").or_else(|| text.strip_prefix('初')) {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let rest = rest.strip_suffix("年级").or_else(|| rest.strip_suffix('级')).unwrap_or(rest);
    let value = number(rest).ok_or(None)?;
    let value = if junior {
        match value {
            1..=3 => value + 6,
            // "初中7年级" is written too.
            7..=9 => value,
            _ => return Err(Some(value)),
        }
    } else {
        value
    };
    u8::try_from(value).ok().and_then(|small| Grade::new(small).ok()).ok_or(Some(value))
}

/// A class as written: "七年级(2)班", "7年级2班", "初一（2）班", "(2)班", "2班", "2", "二班".
/// `None` when it names no class number, or a grade that is no grade.
pub fn parse_class(text: &str) -> Option<ClassText> {
    let text = normalise(text);
    let text = text.strip_suffix('班').unwrap_or(&text);
    // The 学籍 system's 班号: the grade's digit, then the class's two digits ("702" is
    // 七年级(2)班).
    if let [grade_digit @ b'1'..=b'9', tens @ b'0'..=b'9', ones @ b'0'..=b'9'] = text.as_bytes() {
        let number = u32::from((tens - b'0') * 10 + (ones - b'0'));
        let grade = Grade::new(grade_digit - b'0').ok()?;
        return (number > 0).then_some(ClassText { grade: Some(grade), number });
    }
    let (grade_part, number_part) = if let Some(inner) = text.strip_suffix(')') {
        inner.rsplit_once('(')?
    } else {
        // The class number is the digits (or the Chinese numerals) at the end.
        let digits = text.len() - text.trim_end_matches(|character: char| character.is_ascii_digit()).len();
        if digits > 0 {
            text.split_at(text.len() - digits)
        } else {
            let numerals = text
                .char_indices()
                .rev()
                .take_while(|(_, character)| "一二三四五六七八九十".contains(*character))
                .last()
                .map_or(text.len(), |(index, _)| index);
            text.split_at(numerals)
        }
    };
    let number = number(number_part).filter(|number| (1..=99).contains(number))?;
    let grade = if grade_part.is_empty() { None } else { Some(parse_grade(grade_part).ok()?) };
    Some(ClassText { grade, number })
}

/// Why a class name typed on a form cannot be the name of a class of the chosen grade.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClassNameError {
    #[error("the class name is empty; write the class number, such as 2, or the full name, such as 七年级(2)班")]
    Empty,
    #[error("class name {typed:?} holds no class number; write the number, such as 2, or the full name, such as 七年级(2)班")]
    NoNumber { typed: String },
    #[error("class name {typed:?} names grade {written}, but the grade chosen is {chosen}; fix the grade or the name")]
    OtherGrade { typed: String, written: Grade, chosen: Grade },
}

/// The class a teacher means by `typed` in `grade`: a number ("2", "2班", "(2)") is a class of
/// the grade chosen, a full name ("七年级(2)班", "7年级（2）班", "初一2班") must name that grade.
/// Grades are asked once: the name is built from the grade, never a second grade beside it.
pub fn class_of_grade(grade: Grade, typed: &str) -> Result<ClassKey, ClassNameError> {
    if typed.trim().is_empty() {
        return Err(ClassNameError::Empty);
    }
    let text = parse_class(typed).ok_or_else(|| ClassNameError::NoNumber { typed: typed.trim().to_owned() })?;
    match text.grade {
        Some(written) if written != grade => {
            Err(ClassNameError::OtherGrade { typed: typed.trim().to_owned(), written, chosen: grade })
        }
        _ => Ok(ClassKey { grade, number: Some(text.number) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grade(value: u8) -> Grade {
        Grade::new(value).unwrap()
    }

    #[test]
    fn grades_in_every_common_spelling() {
        for (text, expected) in [
            ("七年级", 7),
            ("7", 7),
            ("7年级", 7),
            ("初一", 7),
            ("初三", 9),
            ("初中一年级", 7),
            ("一年级", 1),
            ("小学六年级", 6),
            ("九", 9),
            ("７", 7),
        ] {
            assert_eq!(parse_grade(text), Ok(grade(expected)), "{text}");
        }
        assert_eq!(parse_grade("10"), Err(Some(10)));
        assert_eq!(parse_grade("十年级"), Err(Some(10)));
        assert_eq!(parse_grade("初四"), Err(Some(4)));
        assert_eq!(parse_grade("高一"), Err(None));
        assert_eq!(parse_grade(""), Err(None));
    }

    #[test]
    fn classes_in_every_common_spelling() {
        let with_grade = |value, number| Some(ClassText { grade: Some(grade(value)), number });
        assert_eq!(parse_class("七年级(2)班"), with_grade(7, 2));
        assert_eq!(parse_class("七年级（2）班"), with_grade(7, 2));
        assert_eq!(parse_class("7年级2班"), with_grade(7, 2));
        assert_eq!(parse_class("初一(2)班"), with_grade(7, 2));
        assert_eq!(parse_class("初一2班"), with_grade(7, 2));
        assert_eq!(parse_class("七年级二班"), with_grade(7, 2));
        assert_eq!(parse_class("三年级12班"), with_grade(3, 12));
        assert_eq!(parse_class("2班"), Some(ClassText { grade: None, number: 2 }));
        assert_eq!(parse_class("(2)班"), Some(ClassText { grade: None, number: 2 }));
        assert_eq!(parse_class("2"), Some(ClassText { grade: None, number: 2 }));
        assert_eq!(parse_class("十一班"), Some(ClassText { grade: None, number: 11 }));
        assert_eq!(parse_class("702"), with_grade(7, 2));
        assert_eq!(parse_class("512"), with_grade(5, 12));
        assert_eq!(parse_class("500"), None);
        assert_eq!(parse_class("火箭班"), None);
        assert_eq!(parse_class("七年级"), None);
        assert_eq!(parse_class("十年级(1)班"), None);
        assert_eq!(parse_class("0班"), None);
    }

    #[test]
    fn a_class_has_one_name() {
        assert_eq!(ClassKey { grade: grade(7), number: Some(2) }.name(), "七年级(2)班");
        assert_eq!(ClassKey { grade: grade(1), number: None }.name(), "一年级");
    }

    #[test]
    fn a_class_number_and_the_grade_chosen_make_the_name() {
        for typed in ["2", "2班", "(2)班", "（2）", " 2 ", "二班"] {
            assert_eq!(class_of_grade(grade(7), typed).map(ClassKey::name), Ok("七年级(2)班".to_owned()), "{typed}");
        }
    }

    #[test]
    fn a_full_name_of_the_grade_chosen_is_read_as_that_class() {
        for typed in ["七年级(2)班", "七年级2班", "7年级（2）班", "初一2班", "702"] {
            assert_eq!(class_of_grade(grade(7), typed).map(ClassKey::name), Ok("七年级(2)班".to_owned()), "{typed}");
        }
    }

    #[test]
    fn a_full_name_of_another_grade_is_refused_naming_both_grades() {
        assert_eq!(
            class_of_grade(grade(7), "八年级(2)班"),
            Err(ClassNameError::OtherGrade { typed: "八年级(2)班".into(), written: grade(8), chosen: grade(7) })
        );
    }

    #[test]
    fn a_name_without_a_class_number_is_refused() {
        assert_eq!(class_of_grade(grade(7), "  "), Err(ClassNameError::Empty));
        assert_eq!(class_of_grade(grade(7), "火箭班"), Err(ClassNameError::NoNumber { typed: "火箭班".into() }));
        assert_eq!(class_of_grade(grade(7), "七年级"), Err(ClassNameError::NoNumber { typed: "七年级".into() }));
    }

    #[test]
    fn a_class_record_reads_as_its_key_only_when_its_name_agrees_with_its_grade() {
        let class = |grade_value, name: &str| Class {
            id: crate::ids::ClassId::from_u128(1),
            school: crate::ids::SchoolId::from_u128(2),
            grade: grade(grade_value),
            name: name.into(),
            head_teacher: String::new(),
        };
        let seven_two = Some(ClassKey { grade: grade(7), number: Some(2) });
        assert_eq!(ClassKey::of_class(&class(7, "2班")), seven_two);
        assert_eq!(ClassKey::of_class(&class(7, "7年级（2）班")), seven_two);
        assert_eq!(ClassKey::of_class(&class(8, "七年级(2)班")), None);
        assert_eq!(ClassKey::of_class(&class(7, "七年级")), Some(ClassKey { grade: grade(7), number: None }));
    }
}
