//! The register of one class over the term so far. Everyone is present unless marked, so only
//! the other marks are made. Most children miss a day or two; illness comes in runs of days and
//! in flu weeks that go through a class; farm work keeps children home in the harvest and the
//! days after National Day see more empty seats; unexcused absence is likelier for 动摇生, 学困
//! and 留守 children and in grade 8; a chronic few miss a tenth of the term or more.

use crate::clock::beijing_ms;
use crate::dice::Dice;
use crate::episodes::Course;
use crate::people::Pupil;
use baoxue_domain::attendance::{AttendanceMark, MarkKind};
use baoxue_domain::ids::RecordId;
use chrono::NaiveDate;

/// Daily chances of a child with no particular risk.
const SICK: f64 = 0.005;
const PERSONAL: f64 = 0.002;
const UNEXCUSED: f64 = 0.0004;
const LATE: f64 = 0.004;

/// What about a child changes their chances.
pub(crate) struct Propensity {
    /// Every kind of absence, times this.
    pub absence: f64,
    /// Unexcused absence, times this again.
    pub unexcused: f64,
    pub late: f64,
}

impl Propensity {
    pub fn new(
        dice: &mut Dice,
        grade: u8,
        flags: &crate::episodes::Risk,
        left_behind: bool,
        boarding: bool,
    ) -> (Propensity, bool) {
        // About one child in seventeen misses school often: 10–25% of days, where the rest
        // miss one or two in a hundred.
        let chronic = dice.chance(0.06);
        let absence = if chronic { dice.between(8.0, 18.0) } else { dice.between(0.3, 1.7) };
        let mut unexcused = 1.0;
        if flags.wavering {
            unexcused *= 10.0;
        }
        if flags.learning_difficulty {
            unexcused *= 3.0;
        }
        if left_behind {
            unexcused *= 1.5;
        }
        if flags.hardship {
            unexcused *= 1.3;
        }
        unexcused *= match grade {
            1..=3 => 0.3,
            7 | 9 => 1.5,
            8 => 2.5,
            _ => 1.0,
        };
        let late = if boarding { 0.3 } else { 1.0 };
        (Propensity { absence, unexcused, late }, chronic)
    }
}

/// What the school days of one school are like.
pub(crate) struct SchoolDays<'a> {
    pub days: &'a [NaiveDate],
    /// Per day: in the harvest (farm work keeps children home).
    pub farm_season: Vec<bool>,
    /// Per day: the town gives a 农忙假 this season, so fewer children are kept home.
    pub has_farm_break: bool,
    /// Per day: one of the first two school days after the National Day week.
    pub after_holiday: Vec<bool>,
}

pub(crate) struct Register<'a> {
    pub dice: &'a mut Dice,
    pub ids: &'a mut Dice,
    pub school_days: &'a SchoolDays<'a>,
    /// Flu weeks of this class: first and last school day index.
    pub flu: Vec<(usize, usize)>,
    /// Minutes after 08:00 this class's register is taken.
    pub register_minute: u32,
    pub marks: &'a mut Vec<AttendanceMark>,
}

impl Register<'_> {
    fn mark(&mut self, pupil: &Pupil, day: NaiveDate, kind: MarkKind, hour: u32) {
        let ms = beijing_ms(day, hour, self.register_minute, u64::from(pupil.seat) * 3_000);
        self.marks.push(AttendanceMark {
            id: RecordId::new_v7(ms, self.ids.id_bytes()),
            student: pupil.student.id,
            day,
            half: None,
            kind,
        });
    }

    /// The marks of one child over the school days so far.
    pub fn child(&mut self, pupil: &Pupil, course: &Course, propensity: &Propensity) {
        if course.never_in_class {
            return;
        }
        let days = self.school_days.days;
        let mut previous = MarkKind::Present;
        let mut run = 0;
        for (index, day) in days.iter().copied().enumerate().skip(course.first_day) {
            if course.gone_from.is_some_and(|gone| index >= gone) {
                break;
            }
            if course.away.is_some_and(|(from, until)| (from..until).contains(&index)) {
                continue;
            }
            if course.unexcused.contains(&index) {
                self.mark(pupil, day, MarkKind::Unexcused, 8);
                previous = MarkKind::Unexcused;
                continue;
            }
            let kind = self.draw(index, previous, run, propensity, course);
            if kind == previous && kind != MarkKind::Present {
                run += 1;
            } else {
                run = 1;
            }
            previous = kind;
            if kind == MarkKind::Present {
                continue;
            }
            self.mark(pupil, day, kind, 8);
            // Now and then a parent calls later in the morning: the teacher changes 旷课 to leave.
            if kind == MarkKind::Unexcused && self.dice.chance(0.02) {
                let leave = if self.dice.chance(0.6) { MarkKind::Sick } else { MarkKind::Personal };
                self.mark(pupil, day, leave, 11);
            }
        }
        if let Some((sick_days, found)) = &course.corrected_to_sick {
            let found_on = days[*found];
            for index in sick_days {
                // Made on the day of the visit, so the correction outranks the first mark.
                let ms = beijing_ms(found_on, 17, 0, u64::from(pupil.seat) * 3_000 + *index as u64);
                self.marks.push(AttendanceMark {
                    id: RecordId::new_v7(ms, self.ids.id_bytes()),
                    student: pupil.student.id,
                    day: days[*index],
                    half: None,
                    kind: MarkKind::Sick,
                });
            }
        }
    }

    fn draw(
        &mut self,
        index: usize,
        previous: MarkKind,
        run: u32,
        propensity: &Propensity,
        course: &Course,
    ) -> MarkKind {
        // Illness lasts a few days; leave for a family matter now and then two.
        if previous == MarkKind::Sick && run < 5 && self.dice.chance(0.5) {
            return MarkKind::Sick;
        }
        if previous == MarkKind::Personal && run < 3 && self.dice.chance(0.3) {
            return MarkKind::Personal;
        }
        if previous == MarkKind::Unexcused && run < 2 && self.dice.chance(0.25) {
            return MarkKind::Unexcused;
        }
        let days = self.school_days;
        let mut sick = SICK * propensity.absence;
        let mut personal = PERSONAL * propensity.absence;
        let mut unexcused = UNEXCUSED * propensity.absence * propensity.unexcused;
        if self.flu.iter().any(|(from, until)| (*from..=*until).contains(&index)) {
            sick *= 4.0;
        }
        if days.farm_season[index] {
            personal *= 2.5;
            unexcused *= if days.has_farm_break { 1.3 } else { 2.0 };
        }
        if days.after_holiday[index] {
            personal *= 2.0;
            unexcused *= 2.5;
        }
        if course.returned_from.is_some_and(|from| index >= from) {
            personal *= 3.0;
            unexcused *= 3.0;
        }
        let late = LATE * propensity.late;
        let roll = self.dice.unit();
        if roll < sick {
            MarkKind::Sick
        } else if roll < sick + personal {
            MarkKind::Personal
        } else if roll < sick + personal + unexcused {
            MarkKind::Unexcused
        } else if roll < sick + personal + unexcused + late {
            MarkKind::Late
        } else {
            MarkKind::Present
        }
    }
}
