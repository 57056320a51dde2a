//! A school's 花名册 as CSV: 学籍号, 姓名, 性别, 出生日期, 年级, 班级, 家庭住址, 监护人, 联系电话.
//! Birth dates come mostly as 2011-01-01 and now and then as 20110101, 2011.1.1 or 2011/1/1, as
//! people type them. Bad rows replace good ones at seeded positions, and the caller is told
//! exactly which, so an import test can expect them one by one.

use super::{compact_date, FilesError};
use crate::dataset::Dataset;
use crate::dice::{Dice, Part};
use crate::names::grade_word;
use crate::people::Pupil;
use baoxue_domain::ids::{SchoolId, StudentId};
use baoxue_domain::student::Gender;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeSet;

pub const HEADERS: [&str; 9] = ["学籍号", "姓名", "性别", "出生日期", "年级", "班级", "家庭住址", "监护人", "联系电话"];

/// The kinds of bad row an import must catch, in the order they are injected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum BadRowKind {
    /// 出生日期 of 30 February.
    ImpossibleDate,
    /// 年级 十年级: outside compulsory school.
    GradeTen,
    /// 学籍号 as Excel shows an ID typed as a number: 4.30524E+17.
    ScientificNotation,
    /// 学籍号 (and birth date) of an earlier row, under another child's name.
    DuplicateNumber,
    /// 姓名 left empty.
    MissingName,
}

impl BadRowKind {
    pub const ALL: [BadRowKind; 5] = [
        BadRowKind::ImpossibleDate,
        BadRowKind::GradeTen,
        BadRowKind::ScientificNotation,
        BadRowKind::DuplicateNumber,
        BadRowKind::MissingName,
    ];
}

/// One injected bad row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BadRow {
    /// Line in the file, the header being line 1.
    pub line: usize,
    pub kind: BadRowKind,
    /// The child whose row was spoiled.
    pub student: StudentId,
    /// The bad value as written.
    pub value: String,
    /// For a duplicate: the line whose 学籍号 it repeats.
    pub first_line: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterCsv {
    /// The CSV text, CRLF line ends, no BOM: [`encode`] adds it.
    pub text: String,
    /// The data rows, in order: the children listed.
    pub students: Vec<StudentId>,
    pub bad_rows: Vec<BadRow>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark, as Excel's "CSV UTF-8" saves it.
    Utf8Bom,
    /// GBK, as Excel's plain "CSV" saves it on a Chinese Windows.
    Gbk,
}

pub fn encode(csv: &RosterCsv, encoding: CsvEncoding) -> Result<Vec<u8>, FilesError> {
    match encoding {
        CsvEncoding::Utf8Bom => {
            let mut bytes = vec![0xef, 0xbb, 0xbf];
            bytes.extend_from_slice(csv.text.as_bytes());
            Ok(bytes)
        }
        CsvEncoding::Gbk => {
            let (bytes, _, had_errors) = encoding_rs::GBK.encode(&csv.text);
            if had_errors {
                for (row, line) in csv.text.split("\r\n").enumerate() {
                    if encoding_rs::GBK.encode(line).2 {
                        return Err(FilesError::NotGbk { row, text: line.to_owned() });
                    }
                }
            }
            Ok(bytes.into_owned())
        }
    }
}

/// The 花名册 of `school` (all schools when `None`) with `bad_rows` rows spoiled, the kinds
/// taken in [`BadRowKind::ALL`] order and round again.
pub fn roster_csv(dataset: &Dataset, school: Option<SchoolId>, bad_rows: usize) -> Result<RosterCsv, FilesError> {
    let pupils = super::roster_pupils(dataset, school);
    let mut rows: Vec<[String; 9]> =
        pupils.iter().enumerate().map(|(index, pupil)| row(dataset, pupil, index)).collect();
    let spoiled = choose_bad_rows(dataset.spec.seed, &pupils, bad_rows)?;
    let mut bad = Vec::new();
    for (index, kind, source) in spoiled {
        let pupil = pupils[index];
        let value = match kind {
            BadRowKind::ImpossibleDate => format!("{}-02-30", pupil.student.birth_date.year()),
            BadRowKind::GradeTen => "十年级".to_owned(),
            BadRowKind::ScientificNotation => scientific(pupil.student.student_number.as_deref().unwrap_or_default()),
            BadRowKind::DuplicateNumber => {
                source.and_then(|source| pupils[source].student.student_number.clone()).unwrap_or_default()
            }
            BadRowKind::MissingName => String::new(),
        };
        let cells = &mut rows[index];
        match kind {
            BadRowKind::ImpossibleDate => cells[3] = value.clone(),
            BadRowKind::GradeTen => {
                cells[4] = value.clone();
                cells[5] = "十年级(1)班".to_owned();
            }
            BadRowKind::ScientificNotation => cells[0] = value.clone(),
            BadRowKind::DuplicateNumber => {
                cells[0] = value.clone();
                if let Some(source) = source {
                    cells[3] = compact_date(pupils[source].student.birth_date);
                }
            }
            BadRowKind::MissingName => cells[1] = value.clone(),
        }
        bad.push(BadRow {
            line: index + 2,
            kind,
            student: pupil.student.id,
            value,
            first_line: source.map(|source| source + 2),
        });
    }
    bad.sort_by_key(|row| row.line);
    let mut text = String::new();
    push_line(&mut text, HEADERS.iter().copied());
    for cells in &rows {
        push_line(&mut text, cells.iter().map(String::as_str));
    }
    Ok(RosterCsv { text, students: pupils.iter().map(|pupil| pupil.student.id).collect(), bad_rows: bad })
}

fn row(dataset: &Dataset, pupil: &Pupil, index: usize) -> [String; 9] {
    let student = &pupil.student;
    let grade = student.grade.get();
    let (number, _) = super::class_number(dataset, pupil);
    [
        student.student_number.clone().unwrap_or_default(),
        student.name.clone(),
        match student.gender {
            Gender::Male => "男",
            Gender::Female => "女",
        }
        .to_owned(),
        typed_date(student.birth_date, index),
        format!("{}年级", grade_word(grade)),
        format!("{}年级({number})班", grade_word(grade)),
        student.address.clone(),
        student.guardian.clone(),
        student.guardian_phone.clone(),
    ]
}

/// A birth date as a teacher typed it: mostly 2011-01-01, every so often another usual form.
fn typed_date(date: NaiveDate, index: usize) -> String {
    match (index * 7) % 20 {
        0 => compact_date(date),
        1 => format!("{}.{}.{}", date.year(), date.month(), date.day()),
        2 => format!("{}/{}/{}", date.year(), date.month(), date.day()),
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

/// An 18-digit ID as Excel's General format shows it once stored as a number: 4.30524E+17.
fn scientific(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let (first, rest) = digits.split_at(1.min(digits.len()));
    let mantissa = rest.get(..5).unwrap_or(rest).trim_end_matches('0');
    let exponent = digits.len().saturating_sub(1);
    if mantissa.is_empty() {
        format!("{first}E+{exponent}")
    } else {
        format!("{first}.{mantissa}E+{exponent}")
    }
}

fn push_line<'a>(text: &mut String, cells: impl Iterator<Item = &'a str>) {
    let quoted: Vec<String> = cells
        .map(|cell| {
            if cell.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell.to_owned()
            }
        })
        .collect();
    text.push_str(&quoted.join(","));
    text.push_str("\r\n");
}

/// Row indexes to spoil, with the kind and (for a duplicate) the row copied. A scientific
/// notation needs a row with an ID number; a duplicate needs an earlier good row with a "G"
/// number, which no later choice may spoil.
fn choose_bad_rows(
    seed: u64,
    pupils: &[&Pupil],
    count: usize,
) -> Result<Vec<(usize, BadRowKind, Option<usize>)>, FilesError> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if count >= pupils.len() {
        return Err(FilesError::TooManyBadRows { requested: count, rows: pupils.len() });
    }
    let mut dice = Dice::new(seed, Part::BadRows, 0);
    let mut order: Vec<usize> = (0..pupils.len()).collect();
    for index in (1..order.len()).rev() {
        let other = dice.below(index as u64 + 1) as usize;
        order.swap(index, other);
    }
    let has_id = |index: usize| pupils[index].student.student_number.as_deref().is_some_and(|n| n.starts_with('G'));
    let mut spoiled: BTreeSet<usize> = BTreeSet::new();
    let mut sources: BTreeSet<usize> = BTreeSet::new();
    let mut chosen = Vec::new();
    for kind in BadRowKind::ALL.iter().cycle().take(count) {
        let mut found = None;
        for &index in &order {
            if spoiled.contains(&index) || sources.contains(&index) {
                continue;
            }
            match kind {
                BadRowKind::ScientificNotation if !has_id(index) => continue,
                BadRowKind::DuplicateNumber => {
                    let source = (0..index).rev().find(|source| !spoiled.contains(source) && has_id(*source));
                    match source {
                        Some(source) => {
                            found = Some((index, Some(source)));
                            break;
                        }
                        None => continue,
                    }
                }
                _ => {}
            }
            found = Some((index, None));
            break;
        }
        let (index, source) = found.ok_or(FilesError::TooManyBadRows { requested: count, rows: pupils.len() })?;
        spoiled.insert(index);
        if let Some(source) = source {
            sources.insert(source);
        }
        chosen.push((index, *kind, source));
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scientific_notation_looks_like_excel() {
        assert_eq!(scientific("G430524201301011234"), "4.30524E+17");
        assert_eq!(scientific("G400000201301011234"), "4E+17");
        assert_eq!(scientific("G430500201301011234"), "4.305E+17");
    }

    #[test]
    fn dates_come_in_the_forms_people_type() {
        let date = NaiveDate::from_ymd_opt(2011, 3, 4).unwrap();
        let forms: BTreeSet<String> = (0..20).map(|index| typed_date(date, index)).collect();
        assert_eq!(forms, ["20110304", "2011.3.4", "2011/3/4", "2011-03-04"].into_iter().map(String::from).collect());
    }
}
