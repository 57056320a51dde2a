//! Early warning (预警): how likely a child on the roll is to drop out, from this term's
//! attendance, the flags that hold today, the grade, the child's age for the grade and any
//! earlier dropout.

use super::{count, reaches, recorded_dropout_starts, Assessment, Factor, Reason};
use crate::age::school_year_start;
use crate::attendance::DayMarks;
use crate::calendar::Calendar;
use crate::figures::FigureInputs;
use crate::ids::{SchoolId, StudentId};
use crate::ledger::run_start;
use crate::org::Grade;
use crate::state::State;
use crate::status::Timeline;
use crate::student::{flags_on, Flag, FlagEvent, Student};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What the early warning looks at, for one child on one day. Plain numbers, so a test or a
/// what-if screen can build them without a `State`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EarlyWarningFacts {
    pub grade: Grade,
    /// Whole years of age on 1 September of the school year holding the day: the day
    /// [`Grade::typical_age`] speaks of, so a late birthday in the spring term is not "over age".
    pub age_years: i32,
    /// The flags that hold on the day.
    pub flags: BTreeSet<Flag>,
    /// School days of this term so far on which the child was absent, excused or not.
    pub absent_days: u32,
    /// School days of this term so far, today included.
    pub school_days_so_far: u32,
    /// Unexcused school days in a row, ending on the last school day up to today.
    pub unexcused_streak: u32,
    /// Absences (any kind) in the first [`EarlyWarningTable::early_term_school_days`] school
    /// days of this term.
    pub early_term_absences: u32,
    /// Times a recorded status of the child became 辍学 or 劝返中 up to the day. Unlike the
    /// rates, a transfer whose receipt is overdue is no dropout here: the child may only have moved.
    pub earlier_dropouts: u32,
}

/// Weights and cut points of the early warning. Points are on one scale: 30 is "someone should
/// look at this child this week", 60 is "visit now". See `docs/risk.md` for the table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EarlyWarningTable {
    /// Medium from this many points: one strong sign alone (动摇生, or missing a fifth of the
    /// term) is enough to ask the head teacher to look.
    pub medium_from: u32,
    /// High from this many points: two strong signs together, or one with a few background
    /// risks, the shape of most dropouts in the seeds.
    pub high_from: u32,
    /// The chronic-absence band, in basis points of school days (1000 = 10%): the national
    /// practice and `Rules::chronic_absence_bp`.
    pub chronic_absence_from_bp: u32,
    /// Points for chronic absence: a steady warning, weaker than a run of unexcused days.
    pub chronic_absence_points: u32,
    /// The severe-absence band (2000 = 20%): a child missing one day a week is halfway out.
    /// The two bands do not add up; only the higher band reached counts.
    pub severe_absence_from_bp: u32,
    /// Points for severe absence: a strong sign alone, so it reaches Medium by itself.
    pub severe_absence_points: u32,
    /// The rate counts only after this many school days of the term (two weeks): one absence in
    /// the first three days is not "33% absent". The early-term factor speaks for those weeks.
    pub absence_rate_min_school_days: u32,
    /// A run of unexcused days from this length: the seeds' trigger for a suspected dropout is 3,
    /// so 2 warns one day before it.
    pub unexcused_streak_from: u32,
    /// Points for the run: 旷课 in a row is how most dropouts begin.
    pub unexcused_streak_points: u32,
    /// How many school days count as "the first weeks of the term" (two weeks). The seeds hold
    /// the 家访动员 week in the second week for the children who did not come back.
    pub early_term_school_days: u32,
    /// Absences in those first days from which they count: one day may be a late bus home.
    pub early_term_absences_from: u32,
    /// Points for early-term absences: a strong early signal in the research on absence.
    pub early_term_absences_points: u32,
    /// 动摇生: the child has said they want to leave or go to work. The most direct sign, so
    /// alone it reaches Medium.
    pub wavering_points: u32,
    /// 学困: the seeds' summary names 学困生 as the ones who leave to work.
    pub learning_difficulty_points: u32,
    /// 家困/贫困: a cost that aid (帮扶) can lift, so a background risk.
    pub family_hardship_points: u32,
    /// 留守: no parent at home to notice or insist; the seeds' summary names it.
    pub left_behind_points: u32,
    /// 单亲: a background risk the seeds ask teachers to care for (关爱单亲生).
    pub single_parent_points: u32,
    /// 残疾: school is harder to reach and to follow; 送教上门 exists for the hardest cases.
    pub disability_points: u32,
    /// 偏科: small; the seeds list 偏科生 among the four to care for, not among the leavers.
    pub lopsided_subjects_points: u32,
    /// 寄宿: not a risk by itself; kept as a weight so a school can decide otherwise.
    pub boarding_points: u32,
    /// 孤儿: no parent to insist on school; relatives who care for the child may need the
    /// child's hands or a wage. DOMAIN.md names no weight; as 留守 plus a little.
    pub orphan_points: u32,
    /// 随迁子女: a child who moved with parents working away; the next move of the parents'
    /// work takes the child out of this school, often without a transfer. As 留守.
    pub migrant_points: u32,
    /// Points per grade, grade 1 first. 看住七年、保住八年、留住九年: the seeds' peak is grade 8,
    /// with grades 7 and 9 close behind.
    pub grade_points: [u32; 9],
    /// Over age from this many years above the grade's usual age on 1 September: one year is
    /// an early or late birthday or a repeated year; two years is a child far behind peers.
    pub over_age_from_years: u32,
    /// Points for being over age: an older child in a young class is drawn to work.
    pub over_age_points: u32,
    /// Points for one earlier dropout: a child who left once knows the way out.
    pub earlier_dropout_points: u32,
    /// Earlier dropouts from which the child counts as relapsing (the seeds' 反复辍学).
    pub repeated_dropouts_from: u32,
    /// Points for relapsing: replaces the single-dropout points, does not add to them.
    pub repeated_dropouts_points: u32,
}

impl Default for EarlyWarningTable {
    fn default() -> Self {
        EarlyWarningTable {
            medium_from: 30,
            high_from: 60,
            chronic_absence_from_bp: 1000,
            chronic_absence_points: 20,
            severe_absence_from_bp: 2000,
            severe_absence_points: 35,
            absence_rate_min_school_days: 10,
            unexcused_streak_from: 2,
            unexcused_streak_points: 25,
            early_term_school_days: 10,
            early_term_absences_from: 2,
            early_term_absences_points: 15,
            wavering_points: 30,
            learning_difficulty_points: 15,
            family_hardship_points: 10,
            left_behind_points: 10,
            single_parent_points: 5,
            disability_points: 10,
            lopsided_subjects_points: 5,
            boarding_points: 0,
            orphan_points: 15,
            migrant_points: 10,
            grade_points: [0, 0, 0, 0, 0, 0, 5, 10, 5],
            over_age_from_years: 2,
            over_age_points: 15,
            earlier_dropout_points: 30,
            repeated_dropouts_from: 2,
            repeated_dropouts_points: 45,
        }
    }
}

impl EarlyWarningTable {
    pub fn flag_points(&self, flag: Flag) -> u32 {
        match flag {
            Flag::LeftBehind => self.left_behind_points,
            Flag::SingleParent => self.single_parent_points,
            Flag::FamilyHardship => self.family_hardship_points,
            Flag::LearningDifficulty => self.learning_difficulty_points,
            Flag::LopsidedSubjects => self.lopsided_subjects_points,
            Flag::Disability => self.disability_points,
            Flag::Wavering => self.wavering_points,
            Flag::Boarding => self.boarding_points,
            Flag::Orphan => self.orphan_points,
            Flag::Migrant => self.migrant_points,
        }
    }

    pub fn points_for_grade(&self, grade: Grade) -> u32 {
        let index = usize::from(grade.get()) - 1; // A Grade is 1 to 9.
        self.grade_points.get(index).copied().unwrap_or(0)
    }
}

/// Scores the facts: every factor seen, with its points, heaviest first.
pub fn assess(facts: &EarlyWarningFacts, table: &EarlyWarningTable) -> Assessment {
    let mut reasons = Vec::new();
    let absence_points = absence_rate_points(facts, table);
    if absence_points > 0 {
        reasons.push(Reason {
            factor: Factor::AbsenceRate { absent_days: facts.absent_days, school_days: facts.school_days_so_far },
            points: absence_points,
        });
    }
    if reaches(facts.unexcused_streak, table.unexcused_streak_from) {
        reasons.push(Reason {
            factor: Factor::UnexcusedStreak { days: facts.unexcused_streak },
            points: table.unexcused_streak_points,
        });
    }
    if reaches(facts.early_term_absences, table.early_term_absences_from) {
        reasons.push(Reason {
            factor: Factor::EarlyTermAbsences {
                absent_days: facts.early_term_absences,
                first_school_days: table.early_term_school_days.min(facts.school_days_so_far),
            },
            points: table.early_term_absences_points,
        });
    }
    for flag in &facts.flags {
        reasons.push(Reason { factor: Factor::Flag { flag: *flag }, points: table.flag_points(*flag) });
    }
    reasons.push(Reason { factor: Factor::Grade { grade: facts.grade }, points: table.points_for_grade(facts.grade) });
    let typical_age = facts.grade.typical_age();
    let years_over = i64::from(facts.age_years) - i64::from(typical_age);
    if years_over >= i64::from(table.over_age_from_years.max(1)) {
        reasons.push(Reason {
            factor: Factor::OverAge { age_years: facts.age_years, typical_age },
            points: table.over_age_points,
        });
    }
    let dropout_points = earlier_dropout_points(facts.earlier_dropouts, table);
    if dropout_points > 0 {
        reasons
            .push(Reason { factor: Factor::EarlierDropouts { count: facts.earlier_dropouts }, points: dropout_points });
    }
    Assessment::from_reasons(reasons, table.medium_from, table.high_from)
}

/// The points of the highest absence band reached, or 0. Bands are compared as whole numbers
/// (absent × 10000 ≥ band × school days), so 4 of 40 days is exactly 10%.
fn absence_rate_points(facts: &EarlyWarningFacts, table: &EarlyWarningTable) -> u32 {
    let school_days = facts.school_days_so_far;
    if facts.absent_days == 0 || school_days == 0 || school_days < table.absence_rate_min_school_days {
        return 0;
    }
    let reaches_band =
        |from_bp: u32| u64::from(facts.absent_days) * 10_000 >= u64::from(from_bp) * u64::from(school_days);
    let bands = [
        (table.chronic_absence_from_bp, table.chronic_absence_points),
        (table.severe_absence_from_bp, table.severe_absence_points),
    ];
    bands.iter().filter(|(from_bp, _)| reaches_band(*from_bp)).map(|(_, points)| *points).max().unwrap_or(0)
}

/// The points of the higher dropout band reached (relapsing or once), or 0.
fn earlier_dropout_points(earlier_dropouts: u32, table: &EarlyWarningTable) -> u32 {
    let bands = [(1, table.earlier_dropout_points), (table.repeated_dropouts_from, table.repeated_dropouts_points)];
    bands.iter().filter(|(from, _)| reaches(earlier_dropouts, *from)).map(|(_, points)| *points).max().unwrap_or(0)
}

/// Gathers the facts for one student on `today` from the merged state, or `None` for an id the
/// state does not know. `table` gives the length of "the first weeks of the term".
pub fn facts(
    state: &State,
    student: StudentId,
    today: NaiveDate,
    table: &EarlyWarningTable,
) -> Option<EarlyWarningFacts> {
    let child = state.student(student)?;
    let calendar = state.calendar(child.school);
    // The child's own marks through the index, not every mark of the phone filtered: the board
    // asks this for each child of a class after each write.
    let marks = DayMarks::new(state.counted_marks_of(student), state.recorded_days_of(child.class));
    let records = ChildRecords {
        child: &child,
        marks: &marks,
        timeline: &state.timeline(student),
        flags: &state.flag_events_of(student),
    };
    Some(records.facts(TermDays::of(&calendar, today).as_ref(), today, table))
}

/// The facts of each of `students` on `today`, read through the figures' indexes, with each
/// school's term days worked out once: the risk counts of a whole school (the dashboard, the
/// server's figures) ask this for every child at once. The same facts as [`facts`].
pub(crate) fn facts_of_each<'s>(
    inputs: &FigureInputs<'_>,
    students: &[&'s Student],
    today: NaiveDate,
    table: &EarlyWarningTable,
) -> Vec<(&'s Student, EarlyWarningFacts)> {
    let state = inputs.state();
    let mut terms: BTreeMap<SchoolId, Option<TermDays>> = BTreeMap::new();
    students
        .iter()
        .map(|child| {
            let term = terms.entry(child.school).or_insert_with(|| TermDays::of(inputs.calendar(child.school), today));
            let records = ChildRecords {
                child,
                marks: inputs.day_marks(child.id),
                timeline: inputs.timeline(child.id),
                flags: &state.flag_events_of(child.id),
            };
            (*child, records.facts(term.as_ref(), today, table))
        })
        .collect()
}

/// One child's records, as the early warning reads them.
struct ChildRecords<'r> {
    child: &'r Student,
    marks: &'r DayMarks,
    timeline: &'r Timeline,
    flags: &'r [FlagEvent],
}

impl ChildRecords<'_> {
    fn facts(&self, term: Option<&TermDays>, today: NaiveDate, table: &EarlyWarningTable) -> EarlyWarningFacts {
        let attendance =
            term.map(|term| self.attendance(term, today, table.early_term_school_days)).unwrap_or_default();
        let earlier_dropouts = recorded_dropout_starts(self.timeline).filter(|start| *start <= today).count();
        EarlyWarningFacts {
            grade: self.child.grade,
            age_years: self.child.age_on(school_year_start(today)),
            flags: flags_on(self.flags, today).into_iter().map(|active| active.flag).collect(),
            absent_days: attendance.absent_days,
            school_days_so_far: attendance.school_days,
            unexcused_streak: attendance.unexcused_streak,
            early_term_absences: attendance.early_term_absences,
            earlier_dropouts: count(earlier_dropouts),
        }
    }

    fn attendance(&self, term: &TermDays, today: NaiveDate, early_days: u32) -> TermAttendance {
        let days = &term.days;
        let early_len = days.len().min(usize::try_from(early_days).unwrap_or(usize::MAX));
        // As on the suspected ledger: a child back in class starts a new streak.
        let back_in_class = self
            .timeline
            .events()
            .iter()
            .rev()
            .find(|event| event.date <= today && event.status.expected_in_class())
            .map(|event| event.date);
        let run_from = run_start(term.start, back_in_class);
        TermAttendance {
            school_days: count(days.len()),
            absent_days: count(self.marks.absent_days(days)),
            unexcused_streak: count(
                self.marks.unexcused_streak_over(&days[days.partition_point(|day| *day < run_from)..]),
            ),
            early_term_absences: count(self.marks.absent_days(&days[..early_len])),
        }
    }
}

/// The current term's school days so far: the term holding `today`, or in a holiday the last
/// term before it, so the winter break still shows last term's record.
struct TermDays {
    start: NaiveDate,
    days: Vec<NaiveDate>,
}

impl TermDays {
    fn of(calendar: &Calendar, today: NaiveDate) -> Option<TermDays> {
        let term = calendar.terms.iter().filter(|term| term.start <= today).max_by_key(|term| term.start)?;
        Some(TermDays { start: term.start, days: calendar.school_days(term.start, today.min(term.end)) })
    }
}

/// One child's attendance in the current term ([`TermDays`]); all zero before any term.
#[derive(Debug, Default)]
struct TermAttendance {
    school_days: u32,
    absent_days: u32,
    unexcused_streak: u32,
    early_term_absences: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::MarkKind;
    use crate::risk::tests::{arbitrary_table, check_scored, factors};
    use crate::risk::Level;
    use crate::status::Status;
    use crate::test_school::{day, TestSchool, SCHOOL};
    use proptest::prelude::*;

    fn grade(value: u8) -> Grade {
        Grade::new(value).unwrap()
    }

    /// A child with nothing to report: grade 3, usual age, present every day.
    fn quiet_child() -> EarlyWarningFacts {
        EarlyWarningFacts {
            grade: grade(3),
            age_years: 8,
            flags: BTreeSet::new(),
            absent_days: 0,
            school_days_so_far: 40,
            unexcused_streak: 0,
            early_term_absences: 0,
            earlier_dropouts: 0,
        }
    }

    #[test]
    fn a_child_back_in_class_has_no_streak_from_before() {
        let mut school = TestSchool::new();
        let student = crate::ledger::tests::absent_across_national_day(&mut school, "张小明");
        let table = EarlyWarningTable::default();
        assert_eq!(facts(&school.state, student, day("2026-10-09"), &table).unwrap().unexcused_streak, 3);
        school.status(student, "2026-10-09", Status::DroppedOut, "确认辍学");
        school.status(student, "2026-10-14", Status::Returned, "复学，编入七年级(2)班");
        assert_eq!(facts(&school.state, student, day("2026-10-14"), &table).unwrap().unexcused_streak, 0);
    }

    #[test]
    fn a_wavering_left_behind_grade_8_child_with_4_unexcused_days_is_high() {
        let mut school = TestSchool::empty();
        school.term(SCHOOL, "2026-09-01", "2027-01-20");
        // Thirteen on 1 September 2026: the usual age for grade 8.
        let child = school.student_of_grade(8, "2013-03-15");
        school.status(child, "2026-09-01", Status::Enrolled, "");
        school.flag(child, Flag::Wavering, "2026-09-10");
        school.flag(child, Flag::LeftBehind, "2026-09-01");
        for date in ["2026-09-25", "2026-09-28", "2026-09-29", "2026-09-30"] {
            school.mark(child, date, MarkKind::Unexcused);
        }
        let table = EarlyWarningTable::default();
        let today = day("2026-09-30");

        let facts = facts(&school.state, child, today, &table).unwrap();
        // 1–30 September 2026 holds 22 school days (the term starts on a Tuesday).
        assert_eq!(facts.school_days_so_far, 22);
        assert_eq!(facts.absent_days, 4);
        assert_eq!(facts.unexcused_streak, 4, "the weekend of 26–27 September does not break the run");
        assert_eq!(facts.early_term_absences, 0);
        assert_eq!(facts.age_years, 13);

        let assessment = assess(&facts, &table);
        assert_eq!(assessment.level, Level::High);
        assert_eq!(
            factors(&assessment),
            vec![
                (Factor::Flag { flag: Flag::Wavering }, 30),
                (Factor::UnexcusedStreak { days: 4 }, 25),
                (Factor::AbsenceRate { absent_days: 4, school_days: 22 }, 20),
                (Factor::Flag { flag: Flag::LeftBehind }, 10),
                (Factor::Grade { grade: grade(8) }, 10),
            ]
        );
        assert_eq!(assessment.points, 95);
        assert_eq!(crate::risk::early_warning(&school.state, child, today, &table), Some(assessment));
    }

    #[test]
    fn a_well_attending_grade_3_child_with_no_flags_is_low_with_no_reasons() {
        let assessment = assess(&quiet_child(), &EarlyWarningTable::default());
        assert_eq!(assessment, Assessment { level: Level::Low, points: 0, reasons: vec![] });

        let mut school = TestSchool::empty();
        school.term(SCHOOL, "2026-09-01", "2027-01-20");
        let child = school.student_of_grade(3, "2018-05-01");
        school.mark(child, "2026-09-08", MarkKind::Present);
        school.mark(child, "2026-09-09", MarkKind::Late);
        let table = EarlyWarningTable::default();
        let assessment = crate::risk::early_warning(&school.state, child, day("2026-10-30"), &table).unwrap();
        assert_eq!(assessment, Assessment { level: Level::Low, points: 0, reasons: vec![] });
    }

    #[test]
    fn the_absence_bands_do_not_double_count() {
        let table = EarlyWarningTable::default();
        let absent = |absent_days| assess(&EarlyWarningFacts { absent_days, ..quiet_child() }, &table);
        assert_eq!(absent(3).reasons, vec![]); // 7.5%
        assert_eq!(factors(&absent(4)), vec![(Factor::AbsenceRate { absent_days: 4, school_days: 40 }, 20)]); // 10%
        assert_eq!(factors(&absent(8)), vec![(Factor::AbsenceRate { absent_days: 8, school_days: 40 }, 35)]); // 20%
        assert_eq!(absent(8).points, 35, "the 10% band does not add to the 20% band");
        assert_eq!(absent(8).level, Level::Medium);
    }

    #[test]
    fn the_rate_waits_for_two_weeks_but_early_absences_speak_at_once() {
        let table = EarlyWarningTable::default();
        let first_week =
            EarlyWarningFacts { absent_days: 3, school_days_so_far: 5, early_term_absences: 3, ..quiet_child() };
        assert_eq!(
            factors(&assess(&first_week, &table)),
            vec![(Factor::EarlyTermAbsences { absent_days: 3, first_school_days: 5 }, 15)]
        );
    }

    #[test]
    fn two_years_over_age_counts_and_one_does_not() {
        let table = EarlyWarningTable::default();
        let aged = |age_years| assess(&EarlyWarningFacts { age_years, ..quiet_child() }, &table);
        assert_eq!(aged(9).reasons, vec![]);
        assert_eq!(factors(&aged(10)), vec![(Factor::OverAge { age_years: 10, typical_age: 8 }, 15)]);
    }

    #[test]
    fn grade_points_alone_never_lift_a_child_above_low() {
        // A school that weighs grade 8 at 40 points, above the medium cut point.
        let table = EarlyWarningTable { grade_points: [0, 0, 0, 0, 0, 0, 5, 40, 5], ..EarlyWarningTable::default() };
        let grade_8 = EarlyWarningFacts { grade: grade(8), age_years: 13, ..quiet_child() };
        let alone = assess(&grade_8, &table);
        assert_eq!(factors(&alone), vec![(Factor::Grade { grade: grade(8) }, 40)], "the grade is still shown");
        assert_eq!(alone.level, Level::Low, "every grade-8 child has these points: no sign of this child's own");

        // Beside a sign of the child's own, the grade's points count in full.
        let lopsided = EarlyWarningFacts { flags: [Flag::LopsidedSubjects].into_iter().collect(), ..grade_8 };
        let assessment = assess(&lopsided, &table);
        assert_eq!((assessment.points, assessment.level), (45, Level::Medium));
    }

    #[test]
    fn a_relapsing_child_counts_the_higher_band_only() {
        let table = EarlyWarningTable::default();
        let dropped = |earlier_dropouts| assess(&EarlyWarningFacts { earlier_dropouts, ..quiet_child() }, &table);
        assert_eq!(factors(&dropped(1)), vec![(Factor::EarlierDropouts { count: 1 }, 30)]);
        assert_eq!(factors(&dropped(3)), vec![(Factor::EarlierDropouts { count: 3 }, 45)]);
        assert_eq!(dropped(1).level, Level::Medium);
    }

    #[test]
    fn gathering_reads_flags_age_and_earlier_dropouts_as_they_stand_today() {
        let mut school = TestSchool::empty();
        school.term(SCHOOL, "2026-02-23", "2026-07-10");
        // Fifteen on 1 September 2025 and in grade 7 (usual age 12): three years over.
        let child = school.student_of_grade(7, "2010-06-01");
        school.status(child, "2025-09-01", Status::Enrolled, "");
        school.status(child, "2025-11-03", Status::DroppedOut, "");
        school.status(child, "2026-03-02", Status::Returned, "");
        school.flag(child, Flag::FamilyHardship, "2025-09-01");
        school.flag_cleared(child, Flag::FamilyHardship, "2026-03-01");
        school.flag(child, Flag::Wavering, "2026-05-01"); // Not yet on the day asked about.
        school.mark(child, "2026-02-23", MarkKind::Sick);
        school.mark(child, "2026-02-24", MarkKind::Unexcused);
        let retracted = school.mark(child, "2026-02-25", MarkKind::Unexcused);
        school.retract(retracted);
        // The registers were handed in: the unmarked days since were present days.
        let class = school.state.student(child).unwrap().class;
        school.record_days(SCHOOL, class, "2026-02-23", "2026-04-01");

        let facts = facts(&school.state, child, day("2026-04-01"), &EarlyWarningTable::default()).unwrap();
        assert_eq!(facts.age_years, 15);
        assert_eq!(facts.flags, BTreeSet::new());
        assert_eq!(facts.earlier_dropouts, 1);
        assert_eq!(facts.absent_days, 2);
        assert_eq!(facts.early_term_absences, 2);
        assert_eq!(facts.unexcused_streak, 0);
        assert_eq!(facts.school_days_so_far, 28); // 23 Feb to 1 Apr, weekdays.
        let unknown = StudentId::from_u128(999);
        assert_eq!(super::facts(&school.state, unknown, day("2026-04-01"), &EarlyWarningTable::default()), None);
    }

    #[test]
    fn a_transfer_without_receipt_is_no_previous_dropout() {
        let mut school = TestSchool::empty();
        school.term(SCHOOL, "2026-02-23", "2026-07-10");
        let child = school.student_of_grade(5, "2015-03-01");
        school.status(child, "2025-09-01", Status::Enrolled, "");
        // The receipt was due by 16 March and never came: counted as 疑似辍学 from then, for
        // the rates. The transfer fell through and the child was back on the roll in April.
        school.status(child, "2026-03-01", Status::TransferOutPending, "转往城关二中");
        school.status(child, "2026-04-07", Status::Enrolled, "转学未成，回校就读");
        let table = EarlyWarningTable::default();

        let facts = facts(&school.state, child, day("2026-05-06"), &table).unwrap();
        assert_eq!(facts.earlier_dropouts, 0, "no status recorded was 辍学 or 劝返中");
        let assessment = assess(&facts, &table);
        assert!(
            !assessment.reasons.iter().any(|reason| matches!(reason.factor, Factor::EarlierDropouts { .. })),
            "{assessment:?}"
        );
    }

    #[test]
    fn an_overdue_transfer_later_recorded_as_dropout_is_one_previous_dropout() {
        let mut school = TestSchool::empty();
        school.term(SCHOOL, "2026-02-23", "2026-07-10");
        let child = school.student_of_grade(5, "2015-03-01");
        school.status(child, "2025-09-01", Status::Enrolled, "");
        school.status(child, "2026-03-01", Status::TransferOutPending, "转往城关二中");
        // The visit after the deadline found the child at home: a real dropout, then back.
        school.status(child, "2026-03-20", Status::DroppedOut, "家访：未到城关二中报到");
        school.status(child, "2026-03-25", Status::BeingPersuaded, "");
        school.status(child, "2026-04-07", Status::Returned, "");
        // A dropout recorded after the day asked about is not yet an earlier one.
        let later = school.student_of_grade(5, "2015-03-01");
        school.status(later, "2025-09-01", Status::Enrolled, "");
        school.status(later, "2026-05-07", Status::DroppedOut, "");
        let table = EarlyWarningTable::default();

        assert_eq!(facts(&school.state, child, day("2026-05-06"), &table).unwrap().earlier_dropouts, 1);
        assert_eq!(facts(&school.state, later, day("2026-05-06"), &table).unwrap().earlier_dropouts, 0);
    }

    #[test]
    fn an_orphan_and_a_migrant_child_earn_their_weights() {
        let table = EarlyWarningTable::default();
        let facts = EarlyWarningFacts { flags: BTreeSet::from([Flag::Orphan, Flag::Migrant]), ..quiet_child() };
        let assessment = assess(&facts, &table);
        assert_eq!(
            assessment.reasons.iter().map(|reason| (reason.factor.clone(), reason.points)).collect::<Vec<_>>(),
            vec![(Factor::Flag { flag: Flag::Orphan }, 15), (Factor::Flag { flag: Flag::Migrant }, 10)]
        );
        assert_eq!(assessment.points, 25);
        // Background risks both: together still short of 中 without a sign from school.
        assert_eq!(assessment.level, Level::Low);
    }

    #[test]
    fn in_the_holidays_the_last_term_still_counts() {
        let mut school = TestSchool::empty();
        school.term(SCHOOL, "2026-09-01", "2026-09-30");
        let child = school.student_of_grade(5, "2016-01-01");
        school.mark(child, "2026-09-29", MarkKind::Unexcused);
        school.mark(child, "2026-09-30", MarkKind::Unexcused);
        let facts = facts(&school.state, child, day("2026-10-20"), &EarlyWarningTable::default()).unwrap();
        assert_eq!((facts.school_days_so_far, facts.absent_days, facts.unexcused_streak), (22, 2, 2));
        // Before any term there is no attendance to speak of.
        let before = super::facts(&school.state, child, day("2026-08-01"), &EarlyWarningTable::default()).unwrap();
        assert_eq!((before.school_days_so_far, before.absent_days), (0, 0));
    }

    fn arbitrary_facts() -> impl Strategy<Value = EarlyWarningFacts> {
        (
            1u8..=9,
            5i32..20,
            proptest::collection::btree_set(proptest::sample::select(Flag::ALL.to_vec()), 0..=10),
            0u32..120,
            0u32..=120,
            0u32..30,
            0u32..12,
            0u32..4,
        )
            .prop_map(
                |(grade_value, age_years, flags, school_days, absent, streak, early, earlier_dropouts)| {
                    let absent_days = absent.min(school_days);
                    EarlyWarningFacts {
                        grade: grade(grade_value),
                        age_years,
                        flags,
                        absent_days,
                        school_days_so_far: school_days,
                        unexcused_streak: streak.min(absent_days),
                        early_term_absences: early.min(absent_days),
                        earlier_dropouts,
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn points_are_the_sum_of_the_reasons(facts in arbitrary_facts(), table in arbitrary_table::<EarlyWarningTable>()) {
            check_scored(&assess(&facts, &table), table.medium_from, table.high_from)?;
        }

        #[test]
        fn adding_a_flag_never_lowers_the_level(
            facts in arbitrary_facts(),
            flag in proptest::sample::select(Flag::ALL.to_vec()),
            table in arbitrary_table::<EarlyWarningTable>(),
        ) {
            let before = assess(&facts, &table);
            let mut flagged = facts.clone();
            flagged.flags.insert(flag);
            let after = assess(&flagged, &table);
            prop_assert!(after.level >= before.level);
            prop_assert!(after.points >= before.points);
        }

        #[test]
        fn more_absence_never_lowers_the_level(facts in arbitrary_facts(), table in arbitrary_table::<EarlyWarningTable>()) {
            let before = assess(&facts, &table);
            let more = EarlyWarningFacts {
                absent_days: (facts.absent_days + 1).min(facts.school_days_so_far),
                ..facts.clone()
            };
            prop_assert!(assess(&more, &table).level >= before.level);
        }
    }
}
