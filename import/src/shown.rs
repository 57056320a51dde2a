//! From a file's bytes to what the import screen shows: the roster crate reads and compares,
//! this file puts its preview into words and display values.

use crate::text::{
    cell_line, cell_problem, enrolled_from, enrolled_from_name, field_name, file_problem, flag_list, flag_name,
    flags_name, row_name,
};
use crate::wire::{Context, FieldShown, Line, Outcome, ResidentsOutcome, ResidentsRead, Said, Shown};
use baoxue_domain::crosscheck::Listed;
use baoxue_domain::id_number::masked;
use baoxue_domain::mutation::Change;
use baoxue_domain::state::State;
use baoxue_domain::student::{FieldKey, Flag, Gender, Student, StudentField};
use baoxue_roster::class_text::grade_name;
use baoxue_roster::destination::receiving_class;
use baoxue_roster::{decode_csv, preview_placing, read_csv, read_residents, read_xlsx, RosterError, RowError, Sheet};
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
    let placing = crate::classes::placing(context);
    let preview =
        preview_placing(&sheet, &state, context.school, today, &placing).map_err(|error| file_problem(&error))?;
    let changes = preview.changes(make_id);
    // `changes` writes each new student's PutStudent before any updated one's, in the order of
    // `preview.new`.
    let written: Vec<&Student> = changes
        .iter()
        .filter_map(|change| match change {
            Change::PutStudent(student) => Some(student),
            _ => None,
        })
        .collect();
    let new = preview
        .new
        .iter()
        .zip(&written)
        .map(|(new, student)| {
            let mut fields = fields_of(student, None, &state, &changes);
            let since = enrolled_from(new.enrolled_from, new.row.entry_month);
            fields.push(FieldShown { name: enrolled_from_name(), value: since, changed: false });
            fields.push(flags_field(new.row.flags.iter().map(|hint| hint.flag), false));
            let name = &new.row.name;
            Line { head: Said::new(name, name), body: Said::new("", ""), fields }
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
            // Only new flags: the record itself is not written again.
            let after = after.unwrap_or(&updated.before);
            let mut fields = fields_of(after, Some(&updated.before), &state, &changes);
            if !updated.new_flags.is_empty() {
                fields.push(flags_field(updated.new_flags.iter().map(|hint| hint.flag), true));
            }
            let name = &updated.before.name;
            Line { head: Said::new(name, name), body: Said::new("", ""), fields }
        })
        .collect();
    Ok(Shown {
        new,
        updated,
        unchanged: preview.unchanged,
        bad: bad_rows(&preview.errors),
        new_classes: preview.classes_to_create.iter().map(|key| key.name()).collect(),
        classes: crate::classes::shown(&preview.classes),
        receiving: receiving_class(context.class, &changes),
        changes,
    })
}

/// Reads a list of resident children (户籍) for the cross-check: the children that read
/// cleanly, each with its row, and every other row with its problems, worded as the roster's.
pub fn residents_file(file: &[u8], file_name: &str, decode_gbk: impl Fn(&[u8]) -> Option<String>) -> ResidentsOutcome {
    let sheet = read_sheet(file, file_name, decode_gbk).map_err(|error| file_problem(&error))?;
    let read = read_residents(&sheet).map_err(|error| file_problem(&error))?;
    let listed = read
        .rows
        .into_iter()
        .map(|row| Listed {
            row: row.row,
            name: row.name,
            gender: row.gender,
            birth_date: row.birth_date,
            id_number: row.id_number.map(|id| id.to_string()),
            village: row.village,
        })
        .collect();
    Ok(ResidentsRead { listed, bad: bad_rows(&read.errors) })
}

/// The order a preview shows a student's fields in: who, where, and how to reach the family.
const SHOWN_FIELDS: [FieldKey; 11] = [
    FieldKey::Name,
    FieldKey::Gender,
    FieldKey::BirthDate,
    FieldKey::Class,
    FieldKey::StudentNumber,
    FieldKey::IdNumber,
    FieldKey::Village,
    FieldKey::Address,
    FieldKey::Guardian,
    FieldKey::GuardianPhone,
    FieldKey::Grade,
];

/// Every field of `student` as the import writes it; with `before`, the fields that differ are
/// marked and read "before → after". The grade shows only when it changes: the class names it.
fn fields_of(student: &Student, before: Option<&Student>, state: &State, changes: &[Change]) -> Vec<FieldShown> {
    SHOWN_FIELDS
        .iter()
        .filter_map(|key| {
            let after = value_of(student, *key, state, changes);
            let old = before.map(|before| value_of(before, *key, state, changes));
            let changed = old.as_ref().is_some_and(|old| *old != after);
            if *key == FieldKey::Grade && !changed {
                return None;
            }
            let value = match old.filter(|_| changed) {
                Some(old) => Said::new(
                    format!("{} → {}", or_none(&old.zh, "（空）"), or_none(&after.zh, "（空）")),
                    format!("{} → {}", or_none(&old.en, "(empty)"), or_none(&after.en, "(empty)")),
                ),
                None => after,
            };
            Some(FieldShown { name: field_name(*key), value, changed })
        })
        .collect()
}

fn or_none<'a>(text: &'a str, empty: &'a str) -> &'a str {
    if text.is_empty() {
        empty
    } else {
        text
    }
}

/// The flags the import records, by name; "无" when none. `changed` for an updated student,
/// whose flags are all new ones.
fn flags_field(flags: impl Iterator<Item = Flag>, changed: bool) -> FieldShown {
    let names: Vec<Said> = flags.map(flag_name).collect();
    FieldShown { name: flags_name(), value: flag_list(&names), changed }
}

/// Lines under one heading, one per `\n`.
/// One item per row, with every problem of the row: errors come sorted by row.
fn bad_rows(errors: &[RowError]) -> Vec<Line> {
    let mut bad: Vec<(usize, Vec<Said>)> = Vec::new();
    for error in errors {
        let line = cell_line(&error.column, &error.value, &cell_problem(&error.problem));
        match bad.last_mut() {
            Some((row, lines)) if *row == error.row => lines.push(line),
            _ => bad.push((error.row, vec![line])),
        }
    }
    bad.into_iter().map(|(row, lines)| Line { head: row_name(row), body: joined(&lines), fields: Vec::new() }).collect()
}

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
/// or the class this import creates; the ID number shows its last four characters only.
fn value_of(student: &Student, key: FieldKey, state: &State, changes: &[Change]) -> Said {
    match key {
        FieldKey::Gender => {
            return match student.gender {
                Gender::Male => Said::new("男", "Male"),
                Gender::Female => Said::new("女", "Female"),
            }
        }
        FieldKey::IdNumber => {
            let masked = student.id_number.as_deref().map(masked).unwrap_or_default();
            return Said::new(&masked, &masked);
        }
        _ => {}
    }
    let text = text_of(student, key, state, changes);
    Said::new(&text, &text)
}

fn text_of(student: &Student, key: FieldKey, state: &State, changes: &[Change]) -> String {
    let Some(field) = student.fields().into_iter().find(|field| field.key() == key) else {
        return String::new();
    };
    match field {
        StudentField::StudentNumber(number) | StudentField::IdNumber(number) => number.unwrap_or_default(),
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
            class: None,
            chosen: Vec::new(),
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

    const NATIONAL: &str = "\u{FEFF}学籍号,身份证件号,姓名,性别,出生日期,年级,班级,家庭住址,监护人,联系电话,入学年月,是否残疾,是否孤儿,是否随迁子女\n\
        G341221201602057665,341221201602057665,刘思雪,女,20160205,五年级,五年级(1)班,岩源乡白庄村8组85号,刘玉林,152-0350-2521,202109,否,√,Y\n";

    fn value<'a>(line: &'a Line, name: &str) -> (&'a str, &'a str, bool) {
        let field = line.fields.iter().find(|field| field.name.zh == name).unwrap_or_else(|| panic!("no {name}"));
        (field.value.zh.as_str(), field.value.en.as_str(), field.changed)
    }

    #[test]
    fn the_preview_shows_every_field_it_writes_with_the_id_masked() {
        let shown = shown(NATIONAL.as_bytes(), "roster.csv", &phone()).unwrap();
        let line = &shown.new[0];
        let names: Vec<&str> = line.fields.iter().map(|field| field.name.zh.as_str()).collect();
        assert_eq!(
            names,
            [
                "姓名",
                "性别",
                "出生日期",
                "班级",
                "学籍号",
                "身份证件号",
                "村",
                "住址",
                "监护人",
                "电话",
                "在读起始",
                "标记"
            ]
        );
        assert_eq!(value(line, "身份证件号").0, "**************7665");
        assert_eq!(value(line, "电话").0, "15203502521");
        assert_eq!(value(line, "村").0, "白庄村");
        assert_eq!(value(line, "性别").1, "Female");
        assert_eq!(value(line, "在读起始").0, "2021-09-01（入学年月 2021-09）");
        assert_eq!(value(line, "标记"), ("孤儿、随迁子女", "Orphan, Migrant child", false));
        assert!(line.fields.iter().all(|field| !field.changed));
    }

    #[test]
    fn a_reimport_marks_the_fields_that_change() {
        let before = NATIONAL.replace(",341221201602057665,", ",,").replace("152-0350-2521", "13900000000");
        let first = shown(before.as_bytes(), "roster.csv", &phone()).unwrap();
        let mut context = phone();
        context.records.extend(first.changes);
        let context = Context::of(&context.to_state(), context.school);

        let again = shown(NATIONAL.as_bytes(), "roster.csv", &context).unwrap();

        assert_eq!((again.new.len(), again.updated.len()), (0, 1));
        let line = &again.updated[0];
        assert_eq!(value(line, "电话"), ("13900000000 → 15203502521", "13900000000 → 15203502521", true));
        assert_eq!(value(line, "身份证件号"), ("（空） → **************7665", "(empty) → **************7665", true));
        assert_eq!(value(line, "姓名"), ("刘思雪", "刘思雪", false));
        assert!(line.fields.iter().all(|field| field.name.zh != "标记"), "no new flag");
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

    /// Issue #10: a phone set up as 五年级(1)班, still empty, imports a file of 五年级(2)班. The
    /// roster shows the phone's class, so the children must land there, not in a new class.
    #[test]
    fn import_of_another_class_shows_its_children_in_the_phone_s_empty_class() {
        let csv = format!(
            "{HEADER}\n{}\n{}\n",
            GOOD[0].replace("五年级(1)班", "五年级(2)班"),
            GOOD[1].replace("五年级(1)班", "5年级（2）班")
        );
        let phone_class = ClassId::from_u128(3);
        let context = phone().placing(Some(phone_class), Vec::new());

        let shown = shown(csv.as_bytes(), "roster.csv", &context).unwrap();

        let mut after = context.clone();
        after.records.extend(shown.changes);
        let on_the_roster = after.to_state().students_in_class(phone_class).len();
        assert_eq!(
            on_the_roster, 2,
            "the roster of the phone's class shows {on_the_roster} of the 2 imported children"
        );
        assert_eq!(shown.receiving, Some(phone_class));
        // Offered: the phone's class (chosen), or a new 五年级(2)班.
        let class = &shown.classes[0];
        assert_eq!(class.chosen, Some(phone_class));
        assert_eq!(class.places.iter().map(|place| place.to).collect::<Vec<_>>(), vec![Some(phone_class), None]);
        assert_eq!(class.places[1].label.zh, "新建班级 五年级(2)班");
    }

    #[test]
    fn a_class_the_teacher_sends_to_a_new_class_is_made_and_the_roster_opens_on_it() {
        let csv = format!("{HEADER}\n{}\n", GOOD[0].replace("五年级(1)班", "五年级(2)班"));
        let phone_class = ClassId::from_u128(3);
        let file_class = baoxue_domain::class_name::ClassKey { grade: Grade::new(5).unwrap(), number: Some(2) };
        let context = phone().placing(Some(phone_class), vec![crate::wire::ClassChoice { file_class, to: None }]);

        let shown = shown(csv.as_bytes(), "roster.csv", &context).unwrap();

        let made = shown.changes.iter().find_map(|change| match change {
            Change::PutClass(class) => Some(class.clone()),
            _ => None,
        });
        let made = made.expect("a new class");
        assert_eq!(made.name, "五年级(2)班");
        assert_eq!(shown.new_classes, vec!["五年级(2)班".to_owned()]);
        assert_eq!(shown.receiving, Some(made.id));
        let misplaced = shown
            .changes
            .iter()
            .filter(|change| matches!(change, Change::PutStudent(student) if student.class != made.id))
            .count();
        assert_eq!(misplaced, 0);
    }

    #[test]
    fn a_file_that_is_no_roster_is_refused_in_both_languages() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
        let said = shown(png, "photo.png", &phone()).unwrap_err();
        assert!(said.zh.contains("不是花名册"), "{said:?}");
        assert!(said.en.contains("not a roster"), "{said:?}");
    }
}
