//! One school day's attendance on paper: the 班级出席日报表 of a class (its day's figures and
//! the children absent or late) and the 教导处出席日统计表 of the school (a line per class and
//! the school's total). Both are read from the class registers (`register`), so a class's line
//! on the school's paper is its own paper's figures, and a day nobody recorded stays unknown.

use crate::attendance::MarkKind;
use crate::calendar::DayStatus;
use crate::ids::{ClassId, SchoolId, StudentId};
use crate::org::Grade;
use crate::register::{class_register, DaySummary};
use crate::state::State;
use chrono::NaiveDate;
use std::ops::AddAssign;

/// A child who was not simply present: late, or absent with the kind of absence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkedChild {
    pub student: StudentId,
    pub name: String,
    pub kind: MarkKind,
}

/// One class's day: its figures, whether its head teacher handed the register in, and the
/// children marked late or absent (in the register's order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassDay {
    pub class: ClassId,
    pub name: String,
    pub grade: Grade,
    pub head_teacher: String,
    pub recorded: bool,
    pub summary: DaySummary,
    pub marked: Vec<MarkedChild>,
}

impl DaySummary {
    /// 实到 over 应到, once every child's mark is known; `None` while some are unknown (a register
    /// not handed in) or when no child is expected. A class's day and the school's total alike.
    pub fn attendance(&self) -> Option<(usize, usize)> {
        (self.unknown == 0 && self.expected > 0).then_some((self.present, self.expected))
    }
}

/// The school's day: what the calendar says the day is, each class's day (by grade, then name),
/// and the school's total of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolDay {
    pub school: String,
    pub date: NaiveDate,
    pub status: DayStatus,
    pub classes: Vec<ClassDay>,
    pub total: DaySummary,
}

impl SchoolDay {
    /// Classes whose register of the day is not handed in yet.
    pub fn not_recorded(&self) -> usize {
        self.classes.iter().filter(|class| !class.recorded).count()
    }
}

impl AddAssign for DaySummary {
    fn add_assign(&mut self, other: DaySummary) {
        self.expected += other.expected;
        self.present += other.present;
        self.unknown += other.unknown;
        self.late += other.late;
        self.sick += other.sick;
        self.personal += other.personal;
        self.unexcused += other.unexcused;
    }
}

/// The day of one class: its register's figures and the children marked late or absent.
pub fn class_day(state: &State, class: ClassId, date: NaiveDate) -> Option<ClassDay> {
    let info = &state.classes.get(&class)?.value;
    let rows = class_register(state, class, date);
    let recorded = state.is_recorded(class, date);
    let marked = rows
        .iter()
        .filter(|row| row.marked && row.mark != MarkKind::Present)
        .map(|row| MarkedChild { student: row.student.id, name: row.student.name.clone(), kind: row.mark })
        .collect();
    Some(ClassDay {
        class,
        name: info.name.clone(),
        grade: info.grade,
        head_teacher: info.head_teacher.clone(),
        recorded,
        summary: DaySummary::of(&rows, recorded),
        marked,
    })
}

/// The day of every class of `school` that has children, and their total. On a day that is no school day the
/// classes are still listed (a make-up register may exist), and `status` says what the day is.
pub fn school_day(state: &State, school: SchoolId, date: NaiveDate) -> SchoolDay {
    let mut classes: Vec<ClassDay> = state
        .classes
        .values()
        .filter(|class| class.value.school == school)
        // A class with no children has no register to hand in (as the dashboard counts them).
        .filter(|class| !state.students_in_class(class.value.id).is_empty())
        .filter_map(|class| class_day(state, class.value.id, date))
        .collect();
    crate::sorting::sort_by(&mut classes, |a, b| (a.grade, &a.name).cmp(&(b.grade, &b.name)));
    let mut total = DaySummary::default();
    for class in &classes {
        total += class.summary;
    }
    SchoolDay { classes, total, ..school_day_heading(state, school, date) }
}

/// The school's name and what the calendar says `date` is, with no class: the heading of a
/// class's paper.
pub fn school_day_heading(state: &State, school: SchoolId, date: NaiveDate) -> SchoolDay {
    SchoolDay {
        school: state.schools.get(&school).map(|school| school.value.name.clone()).unwrap_or_default(),
        date,
        status: state.calendar(school).status(date),
        classes: Vec::new(),
        total: DaySummary::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;
    use crate::test_school::{day, TestSchool, CLASS_1, CLASS_7, SCHOOL};

    #[test]
    fn the_school_day_is_each_class_register_and_their_sum() {
        let mut school = TestSchool::new();
        let seventh = school.enrolled(CLASS_7, "2026-09-01", 4);
        let first = school.enrolled(CLASS_1, "2026-09-01", 3);
        let date = "2026-10-09";
        school.mark(seventh[0], date, MarkKind::Late);
        school.mark(seventh[1], date, MarkKind::Sick);
        school.mark(seventh[2], date, MarkKind::Unexcused);
        school.status(seventh[3], "2026-10-01", Status::TransferOutConfirmed, "回执");
        school.record_days(SCHOOL, CLASS_7, date, date);
        // Grade 1 marked one child away and did not hand its register in.
        school.mark(first[0], date, MarkKind::Personal);

        let paper = school_day(&school.state, SCHOOL, day(date));
        assert_eq!(paper.status, DayStatus::SchoolDay);
        let names: Vec<&str> = paper.classes.iter().map(|class| class.name.as_str()).collect();
        assert_eq!(names, ["一年级(1)班", "七年级(2)班"], "by grade");
        let seventh_day = &paper.classes[1];
        assert!(seventh_day.recorded);
        assert_eq!(
            seventh_day.summary,
            DaySummary { expected: 3, present: 1, unknown: 0, late: 1, sick: 1, personal: 0, unexcused: 1 },
            "the transferred child is not expected; the late child is present"
        );
        assert_eq!(seventh_day.summary.attendance(), Some((1, 3)));
        let kinds: Vec<MarkKind> = seventh_day.marked.iter().map(|child| child.kind).collect();
        assert_eq!(kinds.len(), 3);
        assert!(kinds.contains(&MarkKind::Late) && kinds.contains(&MarkKind::Sick));
        let first_day = &paper.classes[0];
        assert!(!first_day.recorded);
        assert_eq!(
            first_day.summary,
            DaySummary { expected: 3, present: 0, unknown: 2, late: 0, sick: 0, personal: 1, unexcused: 0 },
            "two unmarked children of a register not handed in are unknown, not present"
        );
        assert_eq!(first_day.summary.attendance(), None);
        assert_eq!(paper.total.attendance(), None, "the school's rate waits for every register");
        assert_eq!(paper.not_recorded(), 1);
        assert_eq!(
            paper.total,
            DaySummary { expected: 6, present: 1, unknown: 2, late: 1, sick: 1, personal: 1, unexcused: 1 }
        );
        assert_eq!(class_day(&school.state, CLASS_7, day(date)).as_ref(), Some(seventh_day));
    }

    #[test]
    fn a_holiday_says_what_the_day_is_and_an_empty_class_has_no_line() {
        let school = TestSchool::new();
        assert_eq!(school_day(&school.state, SCHOOL, day("2026-10-12")).status, DayStatus::FarmBreak);
        assert_eq!(school_day(&school.state, SCHOOL, day("2026-10-10")).status, DayStatus::Weekend);
        // Neither class has a child yet: no register to hand in, no line on the paper.
        assert!(school_day(&school.state, SCHOOL, day("2026-10-09")).classes.is_empty());
    }
}
