//! The three ledgers of the 2024 national notice, derived from a school's state for a day:
//! 适龄儿童台账 (every age-appropriate child of the catchment, on a roll or not), 疑似辍学台账
//! (suspected dropouts) and 辍学台账 (dropouts), with the 动态销号 history of who left the
//! dropout ledger, when and on what evidence.
//!
//! Nothing here is stored: the ledgers are recomputed from status events, marks, investigation
//! rows and the resident list, so a ledger can never disagree with the records behind it, and a
//! child can only leave one through a dated, evidenced event.
//!
//! Each ledger has its file: `age_appropriate.rs`, `suspected.rs` and `dropouts.rs`.

mod age_appropriate;
mod dropouts;
mod suspected;

pub use crate::age::COMPULSORY_AGES;
pub use age_appropriate::{age_appropriate, AgeAppropriateRow, Roll};
pub use dropouts::{
    dropouts, on_dropout_ledger_since, ClearedRow, DropoutLedger, DropoutRow, ExitCategory, InvestigationEntry,
    UnevidencedExit,
};
pub(crate) use suspected::run_start;
pub use suspected::{
    suspected_by_absence_in, suspected_dropouts, suspected_row, unexcused_streak, SuspectedRow, SuspectedSource,
};

use crate::ids::SchoolId;
use crate::state::State;
use crate::status::Status;
use crate::student::Student;
use chrono::NaiveDate;

/// The three ledgers and the 动态销号 history of one school on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ledgers {
    pub age_appropriate: Vec<AgeAppropriateRow>,
    pub suspected: Vec<SuspectedRow>,
    pub dropouts: DropoutLedger,
}

/// All three ledgers of `school` at the end of `today`.
pub fn ledgers(state: &State, school: SchoolId, today: NaiveDate) -> Ledgers {
    let dropouts = dropouts(state, school, today);
    let suspected = suspected::suspected_beside(state, school, today, &dropouts);
    Ledgers { age_appropriate: age_appropriate(state, school, today), suspected, dropouts }
}

/// The status that counts for `student` at the end of `today` (an overdue transfer counts as a
/// suspected dropout). A student on the roster with no status event yet counts as enrolled: a
/// roster import lists children who are in school.
pub fn counted_status(state: &State, student: &Student, today: NaiveDate) -> Status {
    let receipt_days = state.rules(student.school).transfer_receipt_days;
    state.timeline(student.id).counted_on(today, receipt_days)
}

fn students_of(state: &State, school: SchoolId) -> Vec<Student> {
    state.students_at(school)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::attendance::MarkKind;
    use crate::ids::StudentId;
    use crate::test_school::{day, TestSchool, SCHOOL};

    /// Wednesday 30 September, then the National Day break (1–7 October with the weekend),
    /// then Thursday 8 and Friday 9 October: three unexcused school days in a row.
    pub(crate) fn absent_across_national_day(school: &mut TestSchool, name: &str) -> StudentId {
        let student = school.enrol(name, None);
        school.mark(student, "2026-09-29", MarkKind::Present);
        for date in ["2026-09-30", "2026-10-08", "2026-10-09"] {
            school.mark(student, date, MarkKind::Unexcused);
        }
        student
    }

    #[test]
    fn ledgers_gives_all_three() {
        let mut school = TestSchool::new();
        absent_across_national_day(&mut school, "张小明");
        let dropped = school.enrol("李四", None);
        school.status(dropped, "2026-10-09", Status::DroppedOut, "家访确认");
        school.resident(SCHOOL, "王五", "2012-02-03", None);
        let all = ledgers(&school.state, SCHOOL, day("2026-10-09"));
        assert_eq!((all.age_appropriate.len(), all.suspected.len(), all.dropouts.rows.len()), (1, 1, 1));
    }
}
