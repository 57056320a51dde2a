//! The at-risk board (预警): the children on the roll above the lowest level of the early
//! warning, most at risk first, each with the reasons behind their place, and how many more are
//! at the lowest level and not listed.

use super::{early_warning, Assessment, EarlyWarningTable, Level};
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

/// The board of a class on a day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Board {
    /// The children above the lowest level (中 and 高), most at risk first.
    pub rows: Vec<BoardRow>,
    /// The children on the roll at the lowest level (低), not listed: the page says "另有 N 名
    /// 学生为低风险". A child whose only reason is context (the grade) is among them.
    pub low_count: usize,
}

/// The board of `class` (every child the state holds when `class` is `None`, as on a phone
/// with no class) among the children whose counted status on `today` is on the roll. Only
/// children above the lowest level are listed, so the board leads with the children worth a
/// look rather than a whole grade at 5 points; they come highest level first, then most
/// points, then by name so the order holds still between visits. The others are counted.
pub fn at_risk_board(state: &State, class: Option<ClassId>, today: NaiveDate, table: &EarlyWarningTable) -> Board {
    let (mut rows, low): (Vec<BoardRow>, Vec<BoardRow>) = state
        .students()
        .into_iter()
        .filter(|student| class.is_none_or(|class| student.class == class))
        .filter(|student| counted_status(state, student, today).on_roll())
        .filter_map(|student| {
            let assessment = early_warning(state, student.id, today, table)?;
            Some(BoardRow { student, assessment })
        })
        .partition(|row| row.assessment.level > Level::Low);
    sort_by(&mut rows, |a, b| {
        let rank = |row: &BoardRow| (Reverse(row.assessment.level), Reverse(row.assessment.points));
        rank(a).cmp(&rank(b)).then_with(|| a.student.name.cmp(&b.student.name))
    });
    Board { rows, low_count: low.len() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::MarkKind;
    use crate::risk::Level;
    use crate::status::Status;
    use crate::student::Flag;
    use crate::test_school::{day, TestSchool, CLASS_1, CLASS_7};

    /// Each listed row's name, level and points, in board order, and the count at the lowest
    /// level, under `table`.
    fn board_with(
        school: &TestSchool,
        class: Option<ClassId>,
        table: &EarlyWarningTable,
    ) -> (Vec<(String, Level, u32)>, usize) {
        let board = at_risk_board(&school.state, class, day("2026-10-14"), table);
        let rows = board.rows.into_iter().map(|row| (row.student.name, row.assessment.level, row.assessment.points));
        (rows.collect(), board.low_count)
    }

    fn board_of(school: &TestSchool, class: Option<ClassId>) -> (Vec<(String, Level, u32)>, usize) {
        board_with(school, class, &EarlyWarningTable::default())
    }

    #[test]
    fn a_grade_7_child_with_nothing_else_is_not_on_the_board() {
        let mut school = TestSchool::new();
        // Grade 7 gives every child of the class 5 points: no sign of this child's own.
        school.enrol("王一", None);
        let wavering = school.enrol("李四", None);
        school.flag(wavering, Flag::Wavering, "2026-09-10");

        let (rows, low_count) = board_of(&school, Some(CLASS_7));
        assert_eq!(rows, vec![("李四".to_owned(), Level::Medium, 35)]);
        assert_eq!(low_count, 1, "王一 is counted at the lowest level, not listed");
    }

    #[test]
    fn a_school_that_weighs_the_grade_heavily_still_lists_no_child_for_the_grade_alone() {
        let mut school = TestSchool::new();
        school.enrol("王一", None);
        let lopsided = school.enrol("李四", None);
        school.flag(lopsided, Flag::LopsidedSubjects, "2026-09-10");
        // Grade 7 alone is above the medium cut point here.
        let table = EarlyWarningTable { grade_points: [0, 0, 0, 0, 0, 0, 40, 40, 40], ..EarlyWarningTable::default() };

        let (rows, low_count) = board_with(&school, Some(CLASS_7), &table);
        assert_eq!(rows, vec![("李四".to_owned(), Level::Medium, 45)], "偏科 5 + 七年级 40");
        assert_eq!(low_count, 1);
        let board = at_risk_board(&school.state, Some(CLASS_7), day("2026-10-14"), &table);
        assert!(
            board.rows.iter().all(|row| row.assessment.reasons.iter().any(|reason| !reason.factor.is_context())),
            "every listed child has a reason of their own"
        );
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
        school.flag(other_class, Flag::Wavering, "2026-09-10");
        let quiet_other_class = school.student_with(CLASS_1, &[("2026-09-01", Status::Enrolled)]);

        let expected = vec![
            ("赵五".to_owned(), Level::High, 60),
            ("张三".to_owned(), Level::Medium, 45),
            ("李四".to_owned(), Level::Medium, 35),
        ];
        assert_eq!(
            board_of(&school, Some(CLASS_7)),
            (expected.clone(), 2),
            "王一 and 王二 (grade 7 alone, 5 points) are counted; the transferred child is off the roll"
        );

        // A phone with no class sees the whole school, the grade-1 children too.
        let (whole_school, low_count) = board_of(&school, None);
        assert_eq!((whole_school.len(), low_count), (expected.len() + 1, 3));
        let other_name = school.state.student(other_class).unwrap().name;
        assert!(whole_school.iter().any(|(name, _, _)| *name == other_name));
        let quiet_name = school.state.student(quiet_other_class).unwrap().name;
        assert!(whole_school.iter().all(|(name, _, _)| *name != quiet_name));
    }
}
