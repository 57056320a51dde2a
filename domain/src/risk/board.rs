//! The at-risk board (预警): the children on the roll, most at risk first, each with the early
//! warning behind their place.

use super::{early_warning, Assessment, EarlyWarningTable};
use crate::ids::ClassId;
use crate::ledger::counted_status;
use crate::sorting::sort_by;
use crate::state::State;
use crate::student::Student;
use chrono::NaiveDate;
use std::cmp::Reverse;

/// One child on the board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardRow {
    pub student: Student,
    pub assessment: Assessment,
}

/// The children of `class` (every child the state holds when `class` is `None`, as on a phone
/// with no class) whose counted status on `today` is on the roll, each with the early warning:
/// highest level first, then most points, then by name so the order holds still between visits.
pub fn at_risk_board(
    state: &State,
    class: Option<ClassId>,
    today: NaiveDate,
    table: &EarlyWarningTable,
) -> Vec<BoardRow> {
    let mut rows: Vec<BoardRow> = state
        .students()
        .into_iter()
        .filter(|student| class.is_none_or(|class| student.class == class))
        .filter(|student| counted_status(state, student, today).on_roll())
        .filter_map(|student| {
            let assessment = early_warning(state, student.id, today, table)?;
            Some(BoardRow { student, assessment })
        })
        .collect();
    sort_by(&mut rows, |a, b| {
        let rank = |row: &BoardRow| (Reverse(row.assessment.level), Reverse(row.assessment.points));
        rank(a).cmp(&rank(b)).then_with(|| a.student.name.cmp(&b.student.name))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::MarkKind;
    use crate::risk::Level;
    use crate::status::Status;
    use crate::student::Flag;
    use crate::test_school::{day, TestSchool, CLASS_1, CLASS_7};

    /// Each row's name, level and points, in board order.
    fn board_of(school: &TestSchool, class: Option<ClassId>) -> Vec<(String, Level, u32)> {
        at_risk_board(&school.state, class, day("2026-10-14"), &EarlyWarningTable::default())
            .into_iter()
            .map(|row| (row.student.name, row.assessment.level, row.assessment.points))
            .collect()
    }

    #[test]
    fn the_board_puts_the_highest_level_first_then_the_most_points_then_the_name() {
        let mut school = TestSchool::new();
        // Enrolled in an order the board must not keep. Every child is in grade 7 (5 points).
        school.enrol("王二", None);
        school.enrol("王一", None);
        let wavering = school.enrol("李四", None);
        let wavering_left_behind = school.enrol("张三", None);
        let truant = school.enrol("赵五", None);
        school.flag(wavering, Flag::Wavering, "2026-09-10");
        school.flag(wavering_left_behind, Flag::Wavering, "2026-09-10");
        school.flag(wavering_left_behind, Flag::LeftBehind, "2026-09-01");
        school.flag(truant, Flag::Wavering, "2026-09-10");
        // Tuesday 13th and Wednesday 14th, after the 农忙假 on Monday: two days in a row.
        for date in ["2026-10-13", "2026-10-14"] {
            school.mark(truant, date, MarkKind::Unexcused);
        }
        let gone = school.enrol("钱六", None);
        school.flag(gone, Flag::Wavering, "2026-09-10");
        school.status(gone, "2026-10-01", Status::TransferOutConfirmed, "回执");
        let other_class = school.student_with(CLASS_1, &[("2026-09-01", Status::Enrolled)]);

        let expected = vec![
            ("赵五".to_owned(), Level::High, 60),
            ("张三".to_owned(), Level::Medium, 45),
            ("李四".to_owned(), Level::Medium, 35),
            ("王一".to_owned(), Level::Low, 5),
            ("王二".to_owned(), Level::Low, 5),
        ];
        assert_eq!(board_of(&school, Some(CLASS_7)), expected, "the transferred child is off the roll");

        // A phone with no class sees the whole school, the grade-1 child too.
        let whole_school = board_of(&school, None);
        assert_eq!(whole_school.len(), expected.len() + 1);
        let other_name = school.state.student(other_class).unwrap().name;
        assert!(whole_school.iter().any(|(name, _, _)| *name == other_name));
    }
}
