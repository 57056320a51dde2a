//! Daily attendance (班级出席日报) and the rules read from it.

use crate::calendar::Calendar;
use crate::ids::{ClassId, RecordId, StudentId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MarkKind {
    Present,
    /// 迟到: present, but late.
    Late,
    /// 病假: excused.
    Sick,
    /// 事假: excused.
    Personal,
    /// 旷课: unexcused; the one that raises a suspected dropout.
    Unexcused,
}

impl MarkKind {
    pub fn is_absent(self) -> bool {
        matches!(self, MarkKind::Sick | MarkKind::Personal | MarkKind::Unexcused)
    }

    /// The next kind when a teacher taps a child: present, late, sick, personal, unexcused, and
    /// round again.
    pub fn next(self) -> MarkKind {
        match self {
            MarkKind::Present => MarkKind::Late,
            MarkKind::Late => MarkKind::Sick,
            MarkKind::Sick => MarkKind::Personal,
            MarkKind::Personal => MarkKind::Unexcused,
            MarkKind::Unexcused => MarkKind::Present,
        }
    }
}

/// Morning or afternoon, for schools that take attendance per half day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum HalfDay {
    Morning,
    Afternoon,
}

/// One mark. Append-only: correcting a tap adds a newer mark for the same student and day;
/// the newest counts (see `state`), and the older stays in the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceMark {
    pub id: RecordId,
    pub student: StudentId,
    pub day: NaiveDate,
    pub half: Option<HalfDay>,
    pub kind: MarkKind,
}

impl AttendanceMark {
    /// The natural key: one counted mark per student, day and half day.
    pub fn slot(&self) -> (StudentId, NaiveDate, Option<HalfDay>) {
        (self.student, self.day, self.half)
    }
}

/// The day's register handed in (班级出席日报): the head teacher confirmed that the class's
/// marks of `date` are complete ("今日出勤已核对"). On a recorded day a child without a mark was
/// present; on a day nobody recorded, an unmarked child's attendance is unknown, never present.
/// Marks may still change afterwards; they stay in the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRecord {
    pub id: RecordId,
    pub class: ClassId,
    pub date: NaiveDate,
}

/// A student's counted mark per school day, and the days their class's register was handed
/// in. On a recorded day a child with no mark was present ("everyone present unless marked");
/// on a day not recorded, a child with no mark is unknown. Where half days are marked, a day
/// counts as the worse of its halves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayMarks {
    by_day: BTreeMap<NaiveDate, MarkKind>,
    /// In order; one list shared by a class's children (a school's figures hold every child's).
    recorded: Arc<[NaiveDate]>,
}

impl DayMarks {
    /// `marks` are the counted marks of one student (one per slot); `recorded` the days the
    /// student's class register was handed in.
    pub fn new<'a>(marks: impl IntoIterator<Item = &'a AttendanceMark>, recorded: BTreeSet<NaiveDate>) -> Self {
        Self::sharing(marks, recorded.into_iter().collect())
    }

    /// As [`DayMarks::new`], with the class's recorded days (in order) shared, not copied.
    pub fn sharing<'a>(marks: impl IntoIterator<Item = &'a AttendanceMark>, recorded: Arc<[NaiveDate]>) -> Self {
        debug_assert!(recorded.windows(2).all(|pair| pair[0] < pair[1]));
        let mut by_day: BTreeMap<NaiveDate, MarkKind> = BTreeMap::new();
        for mark in marks {
            let entry = by_day.entry(mark.day).or_insert(mark.kind);
            *entry = (*entry).max(mark.kind);
        }
        DayMarks { by_day, recorded }
    }

    /// The mark shown for `day`: present unless marked, as the register starts every day.
    pub fn on(&self, day: NaiveDate) -> MarkKind {
        self.by_day.get(&day).copied().unwrap_or(MarkKind::Present)
    }

    /// What is known of `day`: its mark, present on a recorded day without one, `None` on an
    /// unmarked day nobody recorded.
    pub fn known(&self, day: NaiveDate) -> Option<MarkKind> {
        match self.by_day.get(&day) {
            Some(kind) => Some(*kind),
            None => self.recorded.binary_search(&day).is_ok().then_some(MarkKind::Present),
        }
    }

    /// Unexcused school days in a row, ending on `today` (or on the last school day before it).
    /// Non-school days are skipped, so a weekend or a 农忙假 never breaks a streak; so are school
    /// days nobody recorded with no mark for the child: not knowing is not being present.
    pub fn unexcused_streak(&self, calendar: &Calendar, term_start: NaiveDate, today: NaiveDate) -> usize {
        self.unexcused_streak_over(&calendar.school_days(term_start, today))
    }

    /// The same streak over school days already worked out (in order): one school's term days,
    /// listed once for all its children.
    pub fn unexcused_streak_over(&self, school_days: &[NaiveDate]) -> usize {
        self.unexcused_tail(school_days).count()
    }

    /// The days of that streak, first to last.
    pub fn unexcused_run(&self, calendar: &Calendar, term_start: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
        let mut run: Vec<NaiveDate> = self.unexcused_tail(&calendar.school_days(term_start, today)).collect();
        run.reverse();
        run
    }

    /// The streak's days, last to first.
    fn unexcused_tail<'d>(&'d self, school_days: &'d [NaiveDate]) -> impl Iterator<Item = NaiveDate> + 'd {
        school_days
            .iter()
            .rev()
            .filter_map(|day| self.known(*day).map(|kind| (*day, kind)))
            .take_while(|(_, kind)| *kind == MarkKind::Unexcused)
            .map(|(day, _)| day)
    }

    /// Count of school days in `days` on which the student was absent (any kind).
    pub fn absent_days(&self, days: &[NaiveDate]) -> usize {
        days.iter().filter(|day| self.on(**day).is_absent()).count()
    }

    /// Count of school days in `days` with an unexcused absence.
    pub fn unexcused_days(&self, days: &[NaiveDate]) -> usize {
        days.iter().filter(|day| self.on(**day) == MarkKind::Unexcused).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{DayKind, Term};

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn mark(n: u128, date: &str, kind: MarkKind) -> AttendanceMark {
        AttendanceMark {
            id: RecordId::from_u128(n),
            student: StudentId::from_u128(1),
            day: day(date),
            half: None,
            kind,
        }
    }

    #[test]
    fn a_holiday_inside_a_run_of_absences_neither_breaks_nor_counts() {
        let mut calendar = Calendar {
            terms: vec![Term { name: "秋".into(), start: day("2026-09-01"), end: day("2027-01-20") }],
            exceptions: Default::default(),
        };
        calendar.exceptions.insert(day("2026-10-12"), DayKind::FarmBreak);
        // Fri 9th unexcused, weekend, Mon 12th farm break, Tue 13th unexcused.
        let marks = [mark(1, "2026-10-09", MarkKind::Unexcused), mark(2, "2026-10-13", MarkKind::Unexcused)];
        let days = DayMarks::new(&marks, recorded(&["2026-10-08", "2026-10-09", "2026-10-13"]));
        assert_eq!(days.unexcused_streak(&calendar, day("2026-09-01"), day("2026-10-13")), 2);
        // A present day (recorded, no mark) breaks it.
        let marks = [mark(1, "2026-10-08", MarkKind::Unexcused), mark(2, "2026-10-13", MarkKind::Unexcused)];
        let days = DayMarks::new(&marks, recorded(&["2026-10-08", "2026-10-09", "2026-10-13"]));
        assert_eq!(days.unexcused_streak(&calendar, day("2026-09-01"), day("2026-10-13")), 1);
    }

    fn recorded(days: &[&str]) -> BTreeSet<NaiveDate> {
        days.iter().map(|text| day(text)).collect()
    }

    /// A day nobody recorded, with no mark, is unknown: it neither breaks a run of unexcused
    /// days nor counts in it, and it is not a present day.
    #[test]
    fn an_unrecorded_day_inside_an_absence_run_does_not_break_it() {
        let calendar = Calendar {
            terms: vec![Term { name: "秋".into(), start: day("2026-09-01"), end: day("2027-01-20") }],
            exceptions: Default::default(),
        };
        // Thu 8th unexcused; Fri 9th and Mon 12th nobody handed the register in; Tue 13th unexcused.
        let marks = [mark(1, "2026-10-08", MarkKind::Unexcused), mark(2, "2026-10-13", MarkKind::Unexcused)];
        let days = DayMarks::new(&marks, recorded(&["2026-10-08", "2026-10-13"]));
        assert_eq!(days.known(day("2026-10-09")), None);
        assert_eq!(days.unexcused_streak(&calendar, day("2026-09-01"), day("2026-10-13")), 2);
    }

    #[test]
    fn a_day_counts_as_the_worse_half() {
        let mut morning = mark(1, "2026-10-09", MarkKind::Present);
        morning.half = Some(HalfDay::Morning);
        let mut afternoon = mark(2, "2026-10-09", MarkKind::Unexcused);
        afternoon.half = Some(HalfDay::Afternoon);
        assert_eq!(DayMarks::new(&[morning, afternoon], BTreeSet::new()).on(day("2026-10-09")), MarkKind::Unexcused);
    }

    #[test]
    fn tapping_cycles_through_every_kind() {
        let mut kind = MarkKind::Present;
        let mut seen = vec![kind];
        for _ in 0..4 {
            kind = kind.next();
            seen.push(kind);
        }
        assert_eq!(kind.next(), MarkKind::Present);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 5);
    }
}
