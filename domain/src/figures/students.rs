//! The figures counted student by student: 辍学率, 劝返复学率 (and still attending after N days),
//! attendance rate and chronic absence. Each student adds 0 or 1 to each count (school days
//! for attendance), so the figures of any set of students are the sum over its students.

use super::inputs::{FigureInputs, SchoolDays};
use super::{PerStage, Period, Ratio};
use crate::attendance::DayMarks;
use crate::settings::Rules;
use crate::status::{Status, StatusEvent, Timeline};
use crate::student::Student;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The student-by-student figures of a set of students over a period, cut at today. A
/// student's stage is that of the grade they are in now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentFigures {
    /// 辍学率. Numerator: students who dropped out at least once in the period, counted once
    /// however often they left. Dropping out is the day the status became 辍学 or 劝返中, or
    /// the day a transfer out (转出) still had no receipt after `transfer_receipt_days`, even
    /// if the receipt came later. A confirmed transfer, a death, graduation, 中职分流 and 送教上门
    /// are not dropouts. Denominator: students on the roll (在读, 疑似辍学, 已复学, 转入, 休学,
    /// 送教上门) the day before the period starts, plus those who came onto the roll during it
    /// (new enrolment, transfer in, return), plus any dropout of the period the records never
    /// showed on the roll (a child found out of school by the door-to-door check), so the
    /// dropouts are always part of the denominator.
    pub dropout: Ratio,
    /// 劝返复学率. Denominator: students who were dropouts (辍学 or 劝返中) at any time in the
    /// period, including those already out when it began. Numerator: those of them recorded as
    /// returned (已复学) in the period after being a dropout in it. Counted once per student.
    pub returned: Ratio,
    /// Returned and still attending after `returned_still_attending_days` days. Denominator:
    /// students of the returned numerator whose check day (return + N days) is today or
    /// earlier; with several returns, the latest such one is checked. Numerator: those of them
    /// on the roll on the check day.
    pub still_attending: Ratio,
    /// Attendance rate. Denominator: student-days on the roll on school days whose attendance
    /// is known (weekends, holidays and 农忙假 do not count; a day counts once the class's
    /// register was handed in, or the student has a mark that day). Numerator: those days the
    /// student was present or late; on a recorded day a child with no mark was present, as the
    /// class register has it. A day nobody recorded is in neither: see `registers_recorded`.
    pub attendance: Ratio,
    /// Chronic absence. Denominator: students on the roll on the last day counted (the end of
    /// the period, or today if that is earlier). Numerator: those of them absent (sick,
    /// personal or unexcused) on at least `chronic_absence_bp` / 10000 of the school days they
    /// were on the roll in the period: absent × 10000 ≥ bp × days, with at least one such day. Pass the term so far as the
    /// period for the seeds' "missed ≥10% of school days so far this term".
    pub chronic_absence: Ratio,
}

add_field_by_field!(StudentFigures { dropout, returned, still_attending, attendance, chronic_absence });

impl FigureInputs<'_> {
    /// The student figures of `students` over `period`, cut at `today`, per stage: the sum of
    /// each student's own contribution.
    pub fn student_figures<'s>(
        &self,
        students: impl IntoIterator<Item = &'s Student>,
        period: Period,
        today: NaiveDate,
    ) -> PerStage<StudentFigures> {
        let mut figures = PerStage::<StudentFigures>::default();
        for (student, own) in self.each_student_figures(students, period, today) {
            let stage = figures.get_mut(student.grade.stage());
            *stage = *stage + own;
        }
        figures
    }

    /// Each student's own part of [`Self::student_figures`] (each ratio 0/0, 0/1 or 1/1): the
    /// children behind a figure's numerator and denominator, one tap from the figure.
    pub fn each_student_figures<'s>(
        &self,
        students: impl IntoIterator<Item = &'s Student>,
        period: Period,
        today: NaiveDate,
    ) -> Vec<(&'s Student, StudentFigures)> {
        self.each_student(students, period, today, |one, days| one.figures(days, today))
    }

    /// Each student's 辍学率 part alone: what a dropout limit or a month's trend reads, without
    /// walking the school days.
    pub(crate) fn each_student_dropout<'s>(
        &self,
        students: impl IntoIterator<Item = &'s Student>,
        period: Period,
        today: NaiveDate,
    ) -> Vec<(&'s Student, Ratio)> {
        self.each_student(students, period, today, |one, _| one.dropout())
    }

    /// The attendance of `students` in each of `parts` (in order, within `period`), each cut at
    /// today: a term's weeks, with one walk through each child's days for all of them.
    pub(crate) fn attendance_by_part<'s>(
        &self,
        students: impl IntoIterator<Item = &'s Student>,
        period: Period,
        parts: &[Period],
        today: NaiveDate,
    ) -> Vec<Ratio> {
        let mut sums = vec![Ratio::default(); parts.len()];
        for (_, own) in self.each_student(students, period, today, |one, days| {
            parts
                .iter()
                .map(|part| {
                    let from = days.partition_point(|day| *day < part.start());
                    let to = days.partition_point(|day| *day <= part.end());
                    one.attendance_on(&days[from..to.max(from)])
                })
                .collect::<Vec<Ratio>>()
        }) {
            for (sum, part) in sums.iter_mut().zip(own) {
                *sum = *sum + part;
            }
        }
        sums
    }

    /// `read` of each student's records over `period` cut at today, with the school days of
    /// each school listed once.
    fn each_student<'s, T>(
        &self,
        students: impl IntoIterator<Item = &'s Student>,
        period: Period,
        today: NaiveDate,
        read: impl Fn(&OneStudent<'_>, &[NaiveDate]) -> T,
    ) -> Vec<(&'s Student, T)> {
        let Some(period) = period.up_to(today) else {
            return Vec::new();
        };
        let mut school_days = SchoolDays::new(period);
        students
            .into_iter()
            .map(|student| {
                let one = OneStudent {
                    timeline: self.timeline(student.id),
                    marks: self.day_marks(student.id),
                    rules: self.rules(student.school),
                    period,
                };
                let days = school_days.of(self, student.school);
                (student, read(&one, days))
            })
            .collect()
    }

    /// Whether the student dropped out at least once in `period` (already cut at today).
    pub(super) fn dropped_out_in(&self, student: &Student, period: Period) -> bool {
        let receipt_days = self.rules(student.school).transfer_receipt_days;
        self.timeline(student.id).dropout_starts(receipt_days).into_iter().any(|day| period.contains(day))
    }
}

/// One student's records, read for one period that ends no later than today.
struct OneStudent<'r> {
    timeline: &'r Timeline,
    marks: &'r DayMarks,
    rules: &'r Rules,
    period: Period,
}

impl OneStudent<'_> {
    fn figures(&self, school_days: &[NaiveDate], today: NaiveDate) -> StudentFigures {
        let (returned, still_attending) = self.returns(today);
        let (attendance, chronic_absence) = self.attendance(school_days);
        StudentFigures { dropout: self.dropout(), returned, still_attending, attendance, chronic_absence }
    }

    fn status_on(&self, day: NaiveDate) -> Option<Status> {
        self.timeline.status_on(day, self.rules.transfer_receipt_days)
    }

    /// The counted status when the period opens: at the end of the day before it.
    fn status_at_open(&self) -> Option<Status> {
        self.period.start().pred_opt().and_then(|eve| self.status_on(eve))
    }

    fn events_in_period(&self) -> impl Iterator<Item = &StatusEvent> {
        let period = self.period;
        self.timeline.events().iter().filter(move |event| period.contains(event.date))
    }

    fn dropout(&self) -> Ratio {
        let dropped_out = self
            .timeline
            .dropout_starts(self.rules.transfer_receipt_days)
            .into_iter()
            .any(|day| self.period.contains(day));
        let on_roll_at_open = self.status_at_open().is_some_and(Status::on_roll);
        let came_onto_roll = self.events_in_period().any(|event| event.status.on_roll());
        if dropped_out || on_roll_at_open || came_onto_roll {
            Ratio::one(dropped_out)
        } else {
            Ratio::default()
        }
    }

    /// The returned ratio and the still-attending ratio, from one walk through the period.
    fn returns(&self, today: NaiveDate) -> (Ratio, Ratio) {
        let mut was_dropout = self.status_at_open().is_some_and(Status::is_dropout);
        let mut return_days = Vec::new();
        for event in self.events_in_period() {
            if event.status.is_dropout() {
                was_dropout = true;
            } else if event.status == Status::Returned && was_dropout {
                return_days.push(event.date);
            }
        }
        if !was_dropout {
            return (Ratio::default(), Ratio::default());
        }
        let returned = Ratio::one(!return_days.is_empty());

        let after = Days::new(u64::from(self.rules.returned_still_attending_days));
        let latest_check = return_days
            .iter()
            .rev()
            .filter_map(|day| day.checked_add_days(after))
            .find(|check_day| *check_day <= today);
        let still_attending = match latest_check {
            Some(check_day) => Ratio::one(self.status_on(check_day).is_some_and(Status::on_roll)),
            None => Ratio::default(),
        };
        (returned, still_attending)
    }

    /// The attendance ratio (present days of the recorded days on roll) and the chronic-absence
    /// ratio. A day whose attendance is unknown (no mark, register not handed in) is in neither
    /// the numerator nor the denominator: an untouched day is not a present day.
    fn attendance(&self, school_days: &[NaiveDate]) -> (Ratio, Ratio) {
        let attendance = self.attendance_on(school_days);
        let (on_roll_days, absent_days) = (attendance.denominator, attendance.denominator - attendance.numerator);
        let chronic_absence = if self.status_on(self.period.end()).is_some_and(Status::on_roll) {
            Ratio::one(Ratio::new(absent_days, on_roll_days).reaches_bp(self.rules.chronic_absence_bp))
        } else {
            Ratio::default()
        };
        (attendance, chronic_absence)
    }

    /// Present days of the recorded school days on the roll, among `school_days`.
    fn attendance_on(&self, school_days: &[NaiveDate]) -> Ratio {
        let mut on_roll_days = 0u64;
        let mut absent_days = 0u64;
        for day in school_days {
            let Some(kind) = self.marks.known(*day) else { continue };
            if self.status_on(*day).is_some_and(Status::on_roll) {
                on_roll_days += 1;
                if kind.is_absent() {
                    absent_days += 1;
                }
            }
        }
        Ratio::new(on_roll_days - absent_days, on_roll_days)
    }
}
