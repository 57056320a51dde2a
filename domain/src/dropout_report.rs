//! The 辍学学生情况报告表: the same-day report of a child found out of school
//! ("辍学上报不过夜"), one paper per child, read from the records the school already keeps: the
//! student record, the dropout ledger's episode (since when), the 排查台账 row that found the
//! child (reasons, investigator, what was found) and the persuasion case (who is responsible,
//! what is planned, by when). Nothing on it is typed twice.

use crate::case::Case;
use crate::casework::case_of;
use crate::ids::StudentId;
use crate::investigation::Investigation;
use crate::ledger::dropouts;
use crate::state::State;
use crate::status::Status;
use crate::student::Student;
use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropoutReport {
    pub child: Student,
    pub school: String,
    pub class: String,
    /// The first day of the dropout episode reported: the current one, else the latest.
    pub since: NaiveDate,
    /// 辍学 or 劝返中 while on the ledger; the status the child left it for otherwise.
    pub status: Status,
    /// The 排查台账 row that found the child: the latest one not withdrawn, found up to today.
    pub investigation: Option<Investigation>,
    pub case: Option<Case>,
}

/// The report of `student` at the end of `today`, or `None` for a child who has never been on
/// the dropout ledger (a suspected dropout is reported by confirming it first).
pub fn dropout_report(state: &State, student: StudentId, today: NaiveDate) -> Option<DropoutReport> {
    let child = state.student(student)?;
    let ledger = dropouts(state, child.school, today);
    let (since, status) = match ledger.rows.iter().find(|row| row.student == student) {
        Some(row) => (row.since, row.status),
        None => ledger
            .cleared
            .iter()
            .filter(|row| row.student == student)
            .max_by_key(|row| (row.left_on, row.event))
            .map(|row| (row.since, row.to))?,
    };
    let investigation = state
        .investigations
        .values()
        .map(|stamped| &stamped.value)
        .filter(|row| row.student == student && row.found_on <= today && !state.is_retracted(row.id))
        .max_by_key(|row| (row.found_on, row.id))
        .cloned();
    Some(DropoutReport {
        school: state.schools.get(&child.school).map(|school| school.value.name.clone()).unwrap_or_default(),
        class: state.classes.get(&child.class).map(|class| class.value.name.clone()).unwrap_or_default(),
        since,
        status,
        investigation,
        case: case_of(state, student),
        child,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::investigation::DropoutReason;
    use crate::test_school::{day, TestSchool};

    #[test]
    fn the_report_reads_the_episode_the_investigation_and_the_case() {
        let mut school = TestSchool::new();
        let child = school.enrol("张小明", None);
        let other = school.enrol("李四", None);
        assert_eq!(dropout_report(&school.state, child, day("2026-10-09")), None, "never out: no report");

        school.status(child, "2026-10-09", Status::DroppedOut, "家访确认外出打工");
        let found = school.investigate(child, "2026-10-09", &[DropoutReason::LeftToWork]);
        let case = school.open_case(child);
        let report = dropout_report(&school.state, child, day("2026-10-10")).unwrap();
        assert_eq!((report.school.as_str(), report.class.as_str()), ("某镇中心校", "七年级(2)班"));
        assert_eq!(report.child.name, "张小明");
        assert_eq!(report.since, day("2026-10-09"));
        assert!(report.status.is_dropout());
        assert_eq!(report.investigation.as_ref().map(|row| row.id), Some(found));
        assert_eq!(report.investigation.unwrap().reasons, [DropoutReason::LeftToWork]);
        assert_eq!(report.case.map(|c| c.id), Some(case));
        assert_eq!(dropout_report(&school.state, other, day("2026-10-10")), None);

        // Back in school: the report still says when the child was out, and what they left for.
        school.status(child, "2026-10-20", Status::Returned, "10月20日返校");
        let after = dropout_report(&school.state, child, day("2026-10-21")).unwrap();
        assert_eq!((after.since, after.status), (day("2026-10-09"), Status::Returned));
    }
}
