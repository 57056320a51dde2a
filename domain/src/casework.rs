//! What the case screens write, and the records of one case gathered for them: confirming a
//! suspected dropout (a row of the 排查台账, the status 劝返中 and the case, in one write),
//! clearing one (排除: the absence was an illness, a leave, or a wrong mark), a return (复学
//!安置), and a child's case file. The app's forms only collect what the teacher typed; what it
//! becomes is decided here, so every phone writes the same records for the same taps.

use crate::attendance::{AttendanceMark, MarkKind};
use crate::case::{Case, CaseField, CaseStatus, Measure};
use crate::contact::Contact;
use crate::follow_up::{FollowUp, Placement};
use crate::ids::{CaseId, ClassId, RecordId, SchoolId, StudentId};
use crate::investigation::{DropoutReason, Investigation};
use crate::ledger::{counted_status, unexcused_streak, ExitCategory};
use crate::mutation::Change;
use crate::notice::Notice;
use crate::risk::Level;
use crate::state::State;
use crate::status::{Status, StatusEvent};
use chrono::{Datelike, NaiveDate};

/// What the confirmation form holds: the 排查台账 row and the case's plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    /// The day the child was found out of school.
    pub found_on: NaiveDate,
    pub reasons: Vec<DropoutReason>,
    pub investigator: String,
    pub note: String,
    pub responsible: Vec<String>,
    pub difficulty: Level,
    /// Why the difficulty differs from the records' suggestion, if it does.
    pub difficulty_note: String,
    pub measures: Vec<Measure>,
    pub deadline: NaiveDate,
}

/// The ids the confirmation's three records get (made by the phone: time and random bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfirmationIds {
    pub investigation: RecordId,
    pub status: RecordId,
    pub case: CaseId,
}

/// A suspected dropout confirmed on `today`: the 排查台账 row, the status 劝返中 from the day the
/// child was found (the dropout counts from then, in the figures as on the ledger), and the case
/// (一人一案), opened today.
pub fn confirm(student: StudentId, form: &Confirmation, today: NaiveDate, ids: ConfirmationIds) -> Vec<Change> {
    let responsible: Vec<String> =
        form.responsible.iter().map(|name| name.trim().to_owned()).filter(|name| !name.is_empty()).collect();
    vec![
        Change::RecordInvestigation(Investigation {
            id: ids.investigation,
            student,
            found_on: form.found_on,
            reasons: form.reasons.clone(),
            investigator: form.investigator.trim().to_owned(),
            note: form.note.trim().to_owned(),
        }),
        Change::RecordStatus(StatusEvent {
            id: ids.status,
            student,
            date: form.found_on,
            status: Status::BeingPersuaded,
            evidence: evidence("确认辍学，立案劝返", &form.note),
        }),
        Change::OpenCase(Case {
            id: ids.case,
            student,
            responsible,
            difficulty: form.difficulty,
            measures: form.measures.clone(),
            deadline: form.deadline,
            status: CaseStatus::Open,
            outcome: String::new(),
            found_on: Some(form.found_on),
            opened_on: Some(today),
            difficulty_note: form.difficulty_note.trim().to_owned(),
        }),
    ]
}

/// A relapse confirmed (反复辍学): the child's earlier case reopens with its history, rather
/// than a second case: a new 排查台账 row, 劝返中 from the day found, and the plan as the form
/// now has it, field by field, with the status open again.
pub fn reopen(
    student: StudentId,
    case: CaseId,
    form: &Confirmation,
    investigation: RecordId,
    status: RecordId,
) -> Vec<Change> {
    let ids = ConfirmationIds { investigation, status, case };
    let mut changes: Vec<Change> = confirm(student, form, form.found_on, ids).into_iter().take(2).collect();
    let responsible: Vec<String> =
        form.responsible.iter().map(|name| name.trim().to_owned()).filter(|name| !name.is_empty()).collect();
    let fields = [
        CaseField::Status(CaseStatus::Open),
        CaseField::Responsible(responsible),
        CaseField::Difficulty(form.difficulty),
        CaseField::DifficultyNote(form.difficulty_note.trim().to_owned()),
        CaseField::Measures(form.measures.clone()),
        CaseField::Deadline(form.deadline),
    ];
    changes.extend(fields.into_iter().map(|field| Change::EditCase { case, field }));
    changes
}

/// Why a suspected dropout is cleared (排除) without a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Clearing {
    /// The days away were an illness: they become 病假.
    Ill,
    /// The days away were a leave the family asked for: they become 事假.
    OnLeave,
    /// The 旷课 marks were wrong: they are retracted, with the reason kept.
    WrongRecord,
}

impl Clearing {
    pub const ALL: [Clearing; 3] = [Clearing::Ill, Clearing::OnLeave, Clearing::WrongRecord];

    /// The words the record keeps (records are in Chinese, whatever the screen's language).
    fn words(self) -> &'static str {
        match self {
            Clearing::Ill => "病假",
            Clearing::OnLeave => "事假",
            Clearing::WrongRecord => "考勤记录有误",
        }
    }
}

/// The child is not a suspected dropout (not reported, no unexcused streak): nothing to clear.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("this child is not a suspected dropout today: nothing to clear")]
pub struct NothingToClear;

/// A suspected dropout cleared on `today`. The unexcused days of the current streak are put
/// right (病假 or 事假 in their place, or retracted when they were wrong), because the streak
/// alone would raise the child again; a reported 疑似辍学 also gets the status 在读 back, with
/// why as its evidence. `new_id` gives each new record its id.
pub fn clear(
    state: &State,
    student: StudentId,
    why: Clearing,
    note: &str,
    today: NaiveDate,
    mut new_id: impl FnMut() -> RecordId,
) -> Result<Vec<Change>, NothingToClear> {
    let child = state.student(student).ok_or(NothingToClear)?;
    let streak = unexcused_streak(state, &child, today);
    let mut changes: Vec<Change> = state
        .counted_marks_of(student)
        .into_iter()
        .filter(|mark| mark.kind == MarkKind::Unexcused && streak.contains(&mark.day))
        .map(|mark| match why {
            Clearing::Ill | Clearing::OnLeave => Change::Mark(AttendanceMark {
                id: new_id(),
                kind: if why == Clearing::Ill { MarkKind::Sick } else { MarkKind::Personal },
                ..mark.clone()
            }),
            Clearing::WrongRecord => Change::Retract { record: mark.id, reason: evidence(why.words(), note) },
        })
        .collect();
    if counted_status(state, &child, today) == Status::SuspectedDropout {
        changes.push(Change::RecordStatus(StatusEvent {
            id: new_id(),
            student,
            date: today,
            status: Status::Enrolled,
            evidence: evidence(&format!("排除疑似辍学：{}", why.words()), note),
        }));
    }
    if changes.is_empty() {
        return Err(NothingToClear);
    }
    Ok(changes)
}

/// What the return form holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Return {
    pub returned_on: NaiveDate,
    pub class: ClassId,
    pub catch_up_plan: String,
}

/// The child of `case` back in school: the placement, the status 已复学 with the class as its
/// evidence (so the child leaves the dropout ledger, 动态销号), and the case marked returned.
pub fn record_return(state: &State, case: &Case, form: &Return, placement: RecordId, status: RecordId) -> Vec<Change> {
    let class_name = state.classes.get(&form.class).map(|class| class.value.name.clone()).unwrap_or_default();
    vec![
        Change::RecordPlacement(Placement {
            id: placement,
            student: case.student,
            case: case.id,
            returned_on: form.returned_on,
            class: form.class,
            catch_up_plan: form.catch_up_plan.trim().to_owned(),
        }),
        Change::RecordStatus(StatusEvent {
            id: status,
            student: case.student,
            date: form.returned_on,
            status: Status::Returned,
            evidence: evidence(&format!("复学，编入{class_name}"), &form.catch_up_plan),
        }),
        Change::EditCase { case: case.id, field: CaseField::Status(CaseStatus::Returned) },
    ]
}

/// What the closing form holds: how the child left the dropout ledger other than by a return,
/// when, and what proves it (the receiving school and its 回执, the certificate, the approval).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closing {
    pub category: ExitCategory,
    pub date: NaiveDate,
    pub evidence: String,
}

/// The category has no status of its own (`ExitCategory::Other` or a return, which has its
/// own form).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a way to close a case by hand")]
pub struct NotAClosing(pub ExitCategory);

/// `case` closed as `form` says (动态销号 other than by a return): the status event with its
/// evidence (refused by the validation without evidence), and the case closed with the same
/// words as its outcome. A wrong or duplicate record retracts the dropout events of the child's
/// current time out instead, with the evidence as the reason (refused without one).
pub fn close(state: &State, case: &Case, form: &Closing, status: RecordId) -> Result<Vec<Change>, NotAClosing> {
    let evidence = form.evidence.trim().to_owned();
    let mut changes = match form.category {
        ExitCategory::WrongRecord => {
            let timeline = state.timeline(case.student);
            let out: Vec<Change> = timeline
                .events()
                .iter()
                .rev()
                .take_while(|event| event.status.is_dropout())
                .map(|event| Change::Retract { record: event.id, reason: evidence.clone() })
                .collect();
            if out.is_empty() {
                return Err(NotAClosing(form.category));
            }
            out
        }
        ExitCategory::Returned | ExitCategory::Other => return Err(NotAClosing(form.category)),
        category => {
            let to = category.status().ok_or(NotAClosing(category))?;
            vec![Change::RecordStatus(StatusEvent {
                id: status,
                student: case.student,
                date: form.date,
                status: to,
                evidence: evidence.clone(),
            })]
        }
    };
    changes.push(Change::EditCase { case: case.id, field: CaseField::Status(CaseStatus::Closed) });
    changes.push(Change::EditCase { case: case.id, field: CaseField::Outcome(evidence) });
    Ok(changes)
}

/// Everything recorded under one case, each list oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFile {
    pub case: Case,
    pub contacts: Vec<Contact>,
    pub notices: Vec<Notice>,
    pub placements: Vec<Placement>,
    pub follow_ups: Vec<FollowUp>,
}

/// The newest case of `student` (cases have time-ordered ids), if any.
pub fn case_of(state: &State, student: StudentId) -> Option<Case> {
    state.cases().into_iter().filter(|case| case.student == student).max_by_key(|case| case.id)
}

/// The records of `case`, leaving out retracted ones.
pub fn case_file(state: &State, case: CaseId) -> Option<CaseFile> {
    let case = state.case(case)?;
    let id = case.id;
    Some(CaseFile {
        contacts: of_case(state, &state.contacts, |c| (c.case == Some(id), c.id, c.date)),
        notices: of_case(state, &state.notices, |n| (n.case == id, n.id, n.issued_on)),
        placements: of_case(state, &state.placements, |p| (p.case == id, p.id, p.returned_on)),
        follow_ups: of_case(state, &state.follow_ups, |f| (f.case == id, f.id, f.date)),
        case,
    })
}

/// The records of one kind that `belongs` says are the case's (and their id and date), not
/// retracted, by date then id.
fn of_case<T: Clone>(
    state: &State,
    records: &std::collections::BTreeMap<RecordId, crate::state::Stamped<T>>,
    belongs: impl Fn(&T) -> (bool, RecordId, NaiveDate),
) -> Vec<T> {
    let mut found: Vec<(NaiveDate, RecordId, T)> = records
        .values()
        .map(|stamped| &stamped.value)
        .filter_map(|record| {
            let (ours, id, date) = belongs(record);
            (ours && !state.is_retracted(id)).then(|| (date, id, record.clone()))
        })
        .collect();
    found.sort_by_key(|(date, id, _)| (*date, *id));
    found.into_iter().map(|(_, _, record)| record).collect()
}

/// The document number of the next notice `school` issues in `year`: 〔2026〕第003号 for its
/// third of the year. Counted from the notices this phone holds, so two phones issuing on the
/// same day offline can give the same number; the number is a field the teacher can correct.
pub fn next_notice_number(state: &State, school: SchoolId, year: i32) -> String {
    let issued = state
        .notices
        .values()
        .map(|stamped| &stamped.value)
        .filter(|notice| notice.issued_on.year() == year && !state.is_retracted(notice.id))
        .filter(|notice| state.student(notice.student).is_some_and(|child| child.school == school))
        .count();
    format!("〔{year}〕第{:03}号", issued + 1)
}

fn evidence(what: &str, note: &str) -> String {
    match note.trim() {
        "" => what.to_owned(),
        note => format!("{what}：{note}"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ledger::{dropouts, suspected_dropouts, tests::absent_across_national_day};
    use crate::notice::NoticeKind;
    use crate::test_school::{day, TestSchool, CLASS_7, SCHOOL};
    use crate::validate::{validate_batch, ValidationError};

    pub(crate) fn form() -> Confirmation {
        Confirmation {
            found_on: day("2026-10-09"),
            reasons: vec![DropoutReason::DislikesSchool, DropoutReason::LeftToWork],
            investigator: "王老师".into(),
            note: "随父亲外出".into(),
            responsible: vec!["王老师".into(), " ".into(), "李村主任".into()],
            difficulty: Level::Medium,
            difficulty_note: String::new(),
            measures: vec![Measure::HomeVisit, Measure::Phone],
            deadline: day("2026-10-30"),
        }
    }

    /// Confirms `student` a dropout on 12 October with [`form`] (found on the 9th): its case.
    pub(crate) fn confirm_on_the_12th(school: &mut TestSchool, student: StudentId) -> Case {
        for change in confirm(student, &form(), day("2026-10-12"), ids(0x100)) {
            school.apply(change);
        }
        case_of(&school.state, student).expect("a confirmation opens a case")
    }

    /// The child of `case` back in [`CLASS_7`] on `date`.
    pub(crate) fn return_on(school: &mut TestSchool, case: &Case, date: &str) {
        let back = Return { returned_on: day(date), class: CLASS_7, catch_up_plan: String::new() };
        for change in record_return(&school.state, case, &back, RecordId::from_u128(0x300), RecordId::from_u128(0x301))
        {
            school.apply(change);
        }
    }

    pub(crate) fn ids(n: u128) -> ConfirmationIds {
        ConfirmationIds {
            investigation: RecordId::from_u128(n),
            status: RecordId::from_u128(n + 1),
            case: CaseId::from_u128(n + 2),
        }
    }

    #[test]
    fn a_confirmed_dropout_moves_to_the_dropout_ledger_with_a_case() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        let today = day("2026-10-12");
        let changes = confirm(student, &form(), today, ids(0x100));
        assert_eq!(validate_batch(&school.state, &changes, today), Ok(()));
        for change in changes {
            school.apply(change);
        }
        assert!(suspected_dropouts(&school.state, SCHOOL, today).is_empty());
        let ledger = dropouts(&school.state, SCHOOL, today);
        assert_eq!(ledger.rows.len(), 1);
        assert_eq!(ledger.rows[0].since, day("2026-10-09"));
        let case = case_of(&school.state, student).unwrap();
        assert_eq!(case.responsible, vec!["王老师".to_owned(), "李村主任".to_owned()]);
        assert_eq!((case.found_on, case.opened_on), (Some(day("2026-10-09")), Some(today)));
    }

    #[test]
    fn a_visit_before_the_child_was_found_and_a_return_before_the_case_opened_are_refused() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        let today = day("2026-10-14");
        let case = confirm_on_the_12th(&mut school, student);
        let visit = |date: &str| {
            Change::LogContact(Contact {
                id: RecordId::from_u128(0x200),
                student,
                case: Some(case.id),
                date: day(date),
                method: crate::contact::ContactMethod::HomeVisit,
                visitors: vec!["王老师".into()],
                met: "祖母".into(),
                said: String::new(),
                outcome: String::new(),
                next_step: String::new(),
                next_date: None,
            })
        };
        assert_eq!(validate_batch(&school.state, &[visit("2026-10-09")], today), Ok(()));
        let early = validate_batch(&school.state, &[visit("2026-10-08")], today).unwrap_err();
        assert!(
            matches!(early[0].1, ValidationError::ContactBeforeFound { found_on, .. } if found_on == day("2026-10-09"))
        );
        let back = |date: &str| {
            record_return(
                &school.state,
                &case,
                &Return { returned_on: day(date), class: CLASS_7, catch_up_plan: "数学补课".into() },
                RecordId::from_u128(0x300),
                RecordId::from_u128(0x301),
            )
        };
        assert_eq!(validate_batch(&school.state, &back("2026-10-12"), today), Ok(()));
        let early = validate_batch(&school.state, &back("2026-10-11"), today).unwrap_err();
        assert!(
            matches!(early[0].1, ValidationError::ReturnBeforeCaseOpened { opened_on, .. } if opened_on == day("2026-10-12"))
        );
    }

    #[test]
    fn a_return_takes_the_child_off_the_dropout_ledger_with_evidence() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        let case = confirm_on_the_12th(&mut school, student);
        return_on(&mut school, &case, "2026-10-14");
        let ledger = dropouts(&school.state, SCHOOL, day("2026-10-14"));
        assert!(ledger.rows.is_empty());
        assert_eq!(ledger.cleared.len(), 1);
        assert!(ledger.cleared[0].evidence.starts_with("复学，编入"), "{}", ledger.cleared[0].evidence);
        let file = case_file(&school.state, case.id).unwrap();
        assert_eq!(file.case.status, CaseStatus::Returned);
        assert_eq!(file.placements.len(), 1);
    }

    #[test]
    fn an_ill_child_is_cleared_by_making_the_streak_sick_leave() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        let today = day("2026-10-09");
        assert_eq!(suspected_dropouts(&school.state, SCHOOL, today).len(), 1);
        let mut next = 0x500;
        let changes = clear(&school.state, student, Clearing::Ill, "发烧住院", today, || {
            next += 1;
            RecordId::from_u128(next)
        })
        .unwrap();
        // The three unexcused days become 病假; the child was never reported, so no status.
        assert_eq!(changes.len(), 3);
        assert!(changes.iter().all(|change| matches!(change, Change::Mark(mark) if mark.kind == MarkKind::Sick)));
        for change in changes {
            school.apply(change);
        }
        assert!(suspected_dropouts(&school.state, SCHOOL, today).is_empty());
        assert_eq!(
            clear(&school.state, student, Clearing::Ill, "", today, || RecordId::from_u128(1)),
            Err(NothingToClear)
        );
    }

    #[test]
    fn a_reported_child_cleared_as_a_wrong_record_gets_the_marks_retracted_and_enrolled_back() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        school.status(student, "2026-10-09", Status::SuspectedDropout, "连续旷课3天");
        let today = day("2026-10-09");
        let mut next = 0x500;
        let changes = clear(&school.state, student, Clearing::WrongRecord, "点错了人", today, || {
            next += 1;
            RecordId::from_u128(next)
        })
        .unwrap();
        assert_eq!(changes.iter().filter(|change| matches!(change, Change::Retract { .. })).count(), 3);
        assert!(matches!(changes.last(), Some(Change::RecordStatus(event)) if event.status == Status::Enrolled
            && event.evidence == "排除疑似辍学：考勤记录有误：点错了人"));
        for change in changes {
            school.apply(change);
        }
        assert!(suspected_dropouts(&school.state, SCHOOL, today).is_empty());
    }

    #[test]
    fn a_relapse_reopens_the_case_with_its_history() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        let case = confirm_on_the_12th(&mut school, student);
        return_on(&mut school, &case, "2026-10-13");
        for date in ["2026-10-14", "2026-10-15", "2026-10-16"] {
            school.mark(student, date, MarkKind::Unexcused);
        }
        let today = day("2026-10-16");
        let row = suspected_dropouts(&school.state, SCHOOL, today).remove(0);
        assert_eq!(row.relapse.as_ref().and_then(|relapse| relapse.case), Some(case.id));
        let again = Confirmation { found_on: today, deadline: day("2026-11-06"), ..form() };
        let changes = reopen(student, case.id, &again, RecordId::from_u128(0x400), RecordId::from_u128(0x401));
        assert_eq!(validate_batch(&school.state, &changes, today), Ok(()));
        for change in changes {
            school.apply(change);
        }
        // One case, open again, with the first return still in its file.
        assert_eq!(school.state.cases().len(), 1);
        let file = case_file(&school.state, case.id).unwrap();
        assert_eq!((file.case.status, file.case.deadline), (CaseStatus::Open, day("2026-11-06")));
        assert_eq!(file.placements.len(), 1);
        assert_eq!(dropouts(&school.state, SCHOOL, today).rows[0].since, today);
    }

    /// Each closing category takes the child off the dropout ledger into its own category of the
    /// 动态销号 history, only with evidence; the case is closed with the evidence as outcome.
    #[test]
    fn each_closing_category_leaves_the_ledger_only_with_evidence() {
        for category in ExitCategory::CLOSING.into_iter().filter(|category| *category != ExitCategory::WrongRecord) {
            let mut school = TestSchool::new();
            let student = absent_across_national_day(&mut school, "张小明");
            let case = confirm_on_the_12th(&mut school, student);
            let today = day("2026-10-14");
            let bare = Closing { category, date: today, evidence: "  ".into() };
            let refused = validate_batch(
                &school.state,
                &close(&school.state, &case, &bare, RecordId::from_u128(0x600)).unwrap(),
                today,
            );
            let refused = refused.unwrap_err();
            assert!(
                refused.iter().any(|(_, error)| matches!(
                    error,
                    ValidationError::LeavesLedgerWithoutEvidence { .. }
                        | ValidationError::TransferWithoutReceipt { .. }
                )),
                "{category:?} without evidence: {refused:?}"
            );
            let proved = Closing { category, date: today, evidence: "县医院诊断证明 2026-10-13".into() };
            let changes = close(&school.state, &case, &proved, RecordId::from_u128(0x600)).unwrap();
            assert_eq!(validate_batch(&school.state, &changes, today), Ok(()), "{category:?}");
            for change in changes {
                school.apply(change);
            }
            let ledger = dropouts(&school.state, SCHOOL, today);
            assert!(ledger.rows.is_empty(), "{category:?}");
            assert_eq!(ledger.cleared[0].category(), category);
            let closed = state_case(&school, case.id);
            assert_eq!((closed.status, closed.outcome.as_str()), (CaseStatus::Closed, "县医院诊断证明 2026-10-13"));
        }
        let case = sample_case();
        let back = Closing { category: ExitCategory::Returned, date: day("2026-10-14"), evidence: "x".into() };
        let empty = State::default();
        assert_eq!(close(&empty, &case, &back, RecordId::from_u128(1)), Err(NotAClosing(ExitCategory::Returned)));
    }

    /// A dropout recorded by mistake: its events are withdrawn with what proves it, the child is
    /// off the ledger and out of the dropout rate, and the ledger lists what was withdrawn.
    #[test]
    fn a_wrong_record_is_withdrawn_with_its_proof() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        let case = confirm_on_the_12th(&mut school, student);
        let today = day("2026-10-14");
        let bare = Closing { category: ExitCategory::WrongRecord, date: today, evidence: " ".into() };
        let refused =
            validate_batch(&school.state, &close(&school.state, &case, &bare, RecordId::from_u128(1)).unwrap(), today);
        assert!(refused
            .unwrap_err()
            .iter()
            .any(|(_, error)| matches!(error, ValidationError::RetractWithoutReason { .. })));
        let proved = Closing {
            category: ExitCategory::WrongRecord,
            date: today,
            evidence: "与七年级(1)班张晓明为同一人，重复建档".into(),
        };
        let changes = close(&school.state, &case, &proved, RecordId::from_u128(1)).unwrap();
        assert_eq!(validate_batch(&school.state, &changes, today), Ok(()));
        for change in changes {
            school.apply(change);
        }
        let ledger = dropouts(&school.state, SCHOOL, today);
        assert!(ledger.rows.is_empty() && ledger.cleared.is_empty());
        assert_eq!(ledger.withdrawn.len(), 1);
        assert_eq!(ledger.withdrawn[0].reason, "与七年级(1)班张晓明为同一人，重复建档");
        assert_eq!(state_case(&school, case.id).status, CaseStatus::Closed);
        // Nothing left to withdraw.
        assert_eq!(
            close(&school.state, &case, &proved, RecordId::from_u128(2)),
            Err(NotAClosing(ExitCategory::WrongRecord))
        );
    }

    fn state_case(school: &TestSchool, case: CaseId) -> Case {
        school.state.case(case).unwrap()
    }

    fn sample_case() -> Case {
        Case {
            id: CaseId::from_u128(9),
            student: crate::ids::StudentId::from_u128(9),
            responsible: vec!["王老师".into()],
            difficulty: Level::Low,
            measures: Vec::new(),
            deadline: day("2026-11-30"),
            status: CaseStatus::Open,
            outcome: String::new(),
            found_on: None,
            difficulty_note: String::new(),
            opened_on: None,
        }
    }

    #[test]
    fn notice_numbers_count_the_schools_notices_of_the_year() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        let case = school.open_case(student);
        assert_eq!(next_notice_number(&school.state, SCHOOL, 2026), "〔2026〕第001号");
        school.apply(Change::IssueNotice(Notice {
            id: RecordId::from_u128(0x70),
            student,
            case,
            kind: NoticeKind::ReturnByDeadline,
            issued_on: day("2026-10-14"),
            issuer: "某镇人民政府".into(),
            deadline: Some(day("2026-10-24")),
            number: "〔2026〕第001号".into(),
        }));
        assert_eq!(next_notice_number(&school.state, SCHOOL, 2026), "〔2026〕第002号");
        assert_eq!(next_notice_number(&school.state, SCHOOL, 2027), "〔2027〕第001号");
    }
}
