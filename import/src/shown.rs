//! From a file's bytes to what the import screen shows: the roster crate reads and compares,
//! this file puts its preview into words and display values.

use crate::text::{cell_line, cell_problem, field_name, file_problem, flag_name, new_flags, row_name};
use crate::wire::{Context, Line, Outcome, Said, Shown};
use baoxue_domain::mutation::Change;
use baoxue_domain::state::State;
use baoxue_domain::student::{FieldKey, Gender, Student, StudentField};
use baoxue_roster::class_text::grade_name;
use baoxue_roster::{decode_csv, preview, read_csv, read_xlsx, RosterError, Sheet};
use chrono::NaiveDate;
use uuid::Uuid;

/// Reads `file` (XLSX or CSV, told apart by its name and, failing that, by its first bytes) and
/// compares it with the phone's records. `decode_gbk` decodes a CSV that is not UTF-8;
/// `make_id` gives a fresh UUIDv7 for each record the import creates.
pub fn preview_file(
    file: &[u8],
    file_name: &str,
    context: &Context,
    today: NaiveDate,
    decode_gbk: impl Fn(&[u8]) -> Option<String>,
    make_id: impl FnMut() -> Uuid,
) -> Outcome {
    let sheet = read_sheet(file, file_name, decode_gbk).map_err(|error| file_problem(&error))?;
    let state = context.to_state();
    let preview = preview(&sheet, &state, context.school, today).map_err(|error| file_problem(&error))?;
    let changes = preview.changes(make_id);
    let new = preview
        .new
        .iter()
        .map(|new| {
            let number = new.row.student_number.as_ref().map_or("", |number| number.as_str());
            let details = format!("{} {number}", new.row.class.name()).trim().to_owned();
            Line { head: Said::new(&new.row.name, &new.row.name), body: Said::new(&details, &details) }
        })
        .collect();
    let updated = preview
        .updated
        .iter()
        .map(|updated| {
            let after = changes.iter().find_map(|change| match change {
                Change::PutStudent(student) if student.id == updated.before.id => Some(student),
                _ => None,
            });
            let mut lines: Vec<Said> = after
                .map(|after| {
                    updated
                        .changed
                        .iter()
                        .map(|key| {
                            let field = field_name(*key);
                            let before = value_of(&updated.before, *key, &state, &changes);
                            let after = value_of(after, *key, &state, &changes);
                            Said::new(
                                format!("{}：{before} → {after}", field.zh),
                                format!("{}: {before} → {after}", field.en),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            if !updated.new_flags.is_empty() {
                let names: Vec<Said> = updated.new_flags.iter().map(|hint| flag_name(hint.flag)).collect();
                lines.push(new_flags(&names));
            }
            let name = &updated.before.name;
            Line { head: Said::new(name, name), body: joined(&lines) }
        })
        .collect();
    // One item per row, with every problem of the row: errors come sorted by row.
    let mut bad: Vec<(usize, Vec<Said>)> = Vec::new();
    for error in &preview.errors {
        let line = cell_line(&error.column, &error.value, &cell_problem(&error.problem));
        match bad.last_mut() {
            Some((row, lines)) if *row == error.row => lines.push(line),
            _ => bad.push((error.row, vec![line])),
        }
    }
    Ok(Shown {
        new,
        updated,
        unchanged: preview.unchanged,
        bad: bad.into_iter().map(|(row, lines)| Line { head: row_name(row), body: joined(&lines) }).collect(),
        new_classes: preview.classes_to_create.iter().map(|key| key.name()).collect(),
        changes,
    })
}

/// Lines under one heading, one per `\n`.
fn joined(lines: &[Said]) -> Said {
    let join = |pick: fn(&Said) -> &str| lines.iter().map(pick).collect::<Vec<_>>().join("\n");
    Said::new(join(|said| &said.zh), join(|said| &said.en))
}

fn read_sheet(
    file: &[u8],
    file_name: &str,
    decode_gbk: impl Fn(&[u8]) -> Option<String>,
) -> Result<Sheet, RosterError> {
    let name = file_name.to_lowercase();
    // A workbook starts as a ZIP ("PK"); an .xls as an OLE file. Anything else is read as
    // text, which refuses binary data with a clear message.
    let workbook = name.ends_with(".xlsx")
        || name.ends_with(".xls")
        || (!name.ends_with(".csv") && (file.starts_with(b"PK") || file.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])));
    if workbook {
        return read_xlsx(file);
    }
    // Bytes that are no text in a file not named .csv: a photo or a document picked by mistake,
    // not a CSV with an odd encoding.
    let text = decode_csv(file, decode_gbk).map_err(|error| match error {
        RosterError::BadEncoding if !name.ends_with(".csv") => RosterError::NotText,
        other => other,
    })?;
    read_csv(&text)
}

/// A field's value as the teacher reads it. A class is named by the phone's class of that id,
/// or the class this import creates.
fn value_of(student: &Student, key: FieldKey, state: &State, changes: &[Change]) -> String {
    let Some(field) = student.fields().into_iter().find(|field| field.key() == key) else {
        return String::new();
    };
    match field {
        StudentField::StudentNumber(number) => number.unwrap_or_default(),
        StudentField::Name(text)
        | StudentField::Village(text)
        | StudentField::Address(text)
        | StudentField::Guardian(text)
        | StudentField::GuardianPhone(text) => text,
        StudentField::Gender(Gender::Male) => "男".to_owned(),
        StudentField::Gender(Gender::Female) => "女".to_owned(),
        StudentField::BirthDate(date) => date.to_string(),
        StudentField::Grade(grade) => grade_name(grade).to_owned(),
        StudentField::Class(id) => state
            .classes
            .get(&id)
            .map(|stamped| stamped.value.name.clone())
            .or_else(|| {
                changes.iter().find_map(|change| match change {
                    Change::PutClass(class) if class.id == id => Some(class.name.clone()),
                    _ => None,
                })
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Shown;
    use baoxue_domain::calendar::Term;
    use baoxue_domain::ids::{ClassId, SchoolId, TownId};
    use baoxue_domain::mutation::Change;
    use baoxue_domain::org::{Class, Grade, School, SchoolKind};
    use baoxue_domain::status::Status;

    const HEADER: &str = "学籍号,姓名,性别,出生日期,年级,班级,家庭住址,监护人,联系电话";
    const GOOD: [&str; 2] = [
        "G341221201602057665,刘思雪,女,20160205,五年级,五年级(1)班,岩源乡白庄村8组85号,刘玉林,15203502521",
        "G341221201510253669,王洁瑶,女,2015-10-25,五年级,五年级(1)班,岩源乡新林村3组,高翠花,13842004422",
    ];
    const BAD: &str =
        "G341221201604079024,赵蓉,女,2016-04-07,十年级,十年级(1)班,岩源乡龙林村1组39号,刘有才,13142683762";

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    fn phone() -> Context {
        let school = SchoolId::from_u128(1);
        Context {
            school,
            records: vec![
                Change::PutSchool(School {
                    id: school,
                    town: TownId::from_u128(2),
                    name: "岩源乡中心小学".into(),
                    kind: SchoolKind::Primary,
                }),
                Change::PutClass(Class {
                    id: ClassId::from_u128(3),
                    school,
                    grade: Grade::new(5).unwrap(),
                    name: "五年级(1)班".into(),
                    head_teacher: "李老师".into(),
                }),
            ],
        }
    }

    fn ids() -> impl FnMut() -> Uuid {
        let mut next = 100u128;
        move || {
            next += 1;
            Uuid::from_u128(next)
        }
    }

    /// The preview as the app receives it: through JSON.
    fn shown(file: &[u8], name: &str, context: &Context) -> Result<Shown, crate::wire::Said> {
        let outcome = preview_file(file, name, context, today(), |_| None, ids());
        serde_json::from_str(&serde_json::to_string(&outcome).unwrap()).unwrap()
    }

    fn csv() -> String {
        format!("\u{FEFF}{HEADER}\n{}\n{BAD}\n{}\n", GOOD[0], GOOD[1])
    }

    #[test]
    fn new_students_are_enrolled_and_bad_rows_are_named() {
        let shown = shown(csv().as_bytes(), "roster.csv", &phone()).unwrap();

        assert_eq!(shown.new.iter().map(|new| new.head.zh.as_str()).collect::<Vec<_>>(), ["刘思雪", "王洁瑶"]);
        assert_eq!(shown.bad.len(), 1);
        let bad = &shown.bad[0];
        assert_eq!((bad.head.zh.as_str(), bad.head.en.as_str()), ("第 3 行", "Row 3"));
        assert!(bad.body.zh.starts_with("年级「十年级」：不是义务教育的年级"), "{:?}", bad.body);
        assert!(bad.body.en.starts_with("年级 \"十年级\": Not a grade"), "{:?}", bad.body);
        let enrolled = shown
            .changes
            .iter()
            .filter(|change| matches!(change, Change::RecordStatus(event) if event.status == Status::Enrolled))
            .count();
        assert_eq!(enrolled, 2);
    }

    #[test]
    fn a_second_import_of_the_same_file_adds_nobody() {
        let first = shown(csv().as_bytes(), "roster.csv", &phone()).unwrap();
        let mut context = phone();
        context.records.extend(first.changes);
        let state = context.to_state();
        let context = Context::of(&state, context.school);

        let again = shown(csv().as_bytes(), "roster.csv", &context).unwrap();

        assert_eq!((again.new.len(), again.updated.len(), again.unchanged), (0, 0, 2));
        assert!(again.changes.is_empty());
    }

    #[test]
    fn an_imported_child_is_enrolled_from_the_start_of_the_phone_s_term() {
        // The context is made from the phone's state as the app makes it, so it must carry the
        // school's terms for the module to know when the term began.
        let mut context = phone();
        context.records.push(Change::SetTerm {
            school: context.school,
            term: Term {
                name: "2026年秋季学期".into(),
                start: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
                end: NaiveDate::from_ymd_opt(2027, 1, 20).unwrap(),
            },
        });
        let context = Context::of(&context.to_state(), context.school);

        let shown = shown(csv().as_bytes(), "roster.csv", &context).unwrap();

        let enrolled_from: Vec<NaiveDate> = shown
            .changes
            .iter()
            .filter_map(|change| match change {
                Change::RecordStatus(event) if event.status == Status::Enrolled => Some(event.date),
                _ => None,
            })
            .collect();
        assert_eq!(enrolled_from, vec![NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(); 2]);
    }

    #[test]
    fn a_gbk_file_reads_as_the_utf8_one() {
        let text = csv().trim_start_matches('\u{FEFF}').to_owned();
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let decode = |bytes: &[u8]| {
            encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes).map(String::from)
        };
        let outcome = preview_file(&gbk, "roster.csv", &phone(), today(), decode, ids()).unwrap();
        assert_eq!(outcome.new.len(), 2);
    }

    #[test]
    fn a_file_that_is_no_roster_is_refused_in_both_languages() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
        let said = shown(png, "photo.png", &phone()).unwrap_err();
        assert!(said.zh.contains("不是花名册"), "{said:?}");
        assert!(said.en.contains("not a roster"), "{said:?}");
    }
}
