//! Where a child stands in the work that follows a suspected dropout, as the child page shows
//! it: in school, on the 疑似辍学台账 (to confirm or clear), or on the 辍学台账. Each answer is
//! the child's row of the ledger it names, so the child page and the ledgers page agree.

use crate::casework::CaseFile;
use crate::ledger::{on_dropout_ledger_since, suspected_row};
use crate::relapse::Relapse;
use crate::state::State;
use crate::student::Student;
use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    /// On neither ledger.
    InSchool,
    /// On the 疑似辍学台账 since a day; raised again after a return, a relapse.
    Suspected { since: NaiveDate, relapse: Option<Relapse> },
    /// On the 辍学台账 since a day (the `since` of its row).
    DroppedOut { since: NaiveDate },
}

impl Standing {
    /// Where `student` stands at the end of `today`.
    pub fn of(state: &State, student: &Student, today: NaiveDate) -> Standing {
        if let Some(since) = on_dropout_ledger_since(&state.timeline(student.id), today) {
            return Standing::DroppedOut { since };
        }
        suspected_row(state, student, today)
            .map_or(Standing::InSchool, |row| Standing::Suspected { since: row.raised_on, relapse: row.relapse })
    }

    /// Whether the child page shows the child's case rather than the choice to confirm or
    /// clear: a case of this episode is open, or the child is back. A child raised again after
    /// a return (a relapse) is asked again, and confirming reopens the same case.
    pub fn shows_case(&self, file: Option<&CaseFile>) -> bool {
        file.is_some_and(|file| !matches!(self, Standing::Suspected { .. }) || file.placements.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::MarkKind;
    use crate::casework::tests::{confirm_on_the_12th, form, return_on};
    use crate::casework::{case_file, case_of};
    use crate::ids::StudentId;
    use crate::ledger::{dropouts, suspected_dropouts, tests::absent_across_national_day};
    use crate::test_school::{day, TestSchool, CLASS_7, SCHOOL};

    fn standing(school: &TestSchool, student: StudentId, today: &str) -> Standing {
        Standing::of(&school.state, &school.state.student(student).unwrap(), day(today))
    }

    fn file(school: &TestSchool, student: StudentId) -> Option<CaseFile> {
        case_of(&school.state, student).and_then(|case| case_file(&school.state, case.id))
    }

    /// From suspected to dropout to return to relapse, the child's standing is its row of the
    /// ledger the school sees on the same day.
    #[test]
    fn a_childs_standing_is_its_row_of_the_ledgers() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        let other = school.student(CLASS_7);
        assert_eq!(standing(&school, other, "2026-10-09"), Standing::InSchool);

        let row = suspected_dropouts(&school.state, SCHOOL, day("2026-10-09")).remove(0);
        assert_eq!(
            standing(&school, student, "2026-10-09"),
            Standing::Suspected { since: row.raised_on, relapse: None }
        );
        assert!(!standing(&school, student, "2026-10-09").shows_case(None));

        let case = confirm_on_the_12th(&mut school, student);
        let since = dropouts(&school.state, SCHOOL, day("2026-10-12")).rows[0].since;
        assert_eq!(since, form().found_on);
        assert_eq!(standing(&school, student, "2026-10-12"), Standing::DroppedOut { since });
        assert!(standing(&school, student, "2026-10-12").shows_case(file(&school, student).as_ref()));

        return_on(&mut school, &case, "2026-10-13");
        assert_eq!(standing(&school, student, "2026-10-13"), Standing::InSchool);
        assert!(standing(&school, student, "2026-10-13").shows_case(file(&school, student).as_ref()));

        for date in ["2026-10-14", "2026-10-15", "2026-10-16"] {
            school.mark(student, date, MarkKind::Unexcused);
        }
        let row = suspected_dropouts(&school.state, SCHOOL, day("2026-10-16")).remove(0);
        let now = standing(&school, student, "2026-10-16");
        assert_eq!(now, Standing::Suspected { since: row.raised_on, relapse: row.relapse.clone() });
        assert!(row.relapse.is_some());
        // A relapse asks again, though the child has a case with a return.
        assert!(!now.shows_case(file(&school, student).as_ref()));
    }
}
