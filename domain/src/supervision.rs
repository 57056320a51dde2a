//! What a supervisor's shared link shows (issue #14): a school's figures as counts only, the
//! sum of many schools' counts, and the table a town or county sees, with small counts masked.
//!
//! The server works out each school's [`SchoolSummary`] with the phones' own rules (the
//! dashboard's), keeps it, and sums the summaries of the schools under a unit; the view is
//! built from those sums alone, so nothing behind a link can name a child: no name, 学籍号,
//! address, phone or free text is in any type of this module.

use crate::campaign::{Campaign, Series};
use crate::class_name::ClassKey;
use crate::dashboard::{case_counts_of, risk_counts, CaseCounts, RiskCounts};
use crate::figures::{FigureInputs, Figures, Period, Ratio, Scope};
use crate::hierarchy::Branch;
use crate::ids::{ClassId, RecordId, SchoolId};
use crate::org::Grade;
use crate::risk::EarlyWarningTable;
use crate::state::State;
use crate::student::Student;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Add;

/// One school's figures for the term that holds `taken_on`, as counts: what the server keeps per
/// school and day, and adds up for a town or county.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolSummary {
    /// The term the figures are of ("2026年秋季学期"); empty for a sum of schools whose terms
    /// differ.
    pub term: String,
    pub figures: Figures,
    pub risk: RiskCounts,
    pub cases: CaseCounts,
    /// How the records were kept this term, so under-reporting shows (counts of records, never
    /// of children). Absent from rows kept before it: zero.
    #[serde(default)]
    pub records: RecordKeeping,
    /// The campaign's progress week by week and month by month (the school's; none in a grade).
    #[serde(default)]
    pub campaign: Campaign,
}

/// Records of a term entered long after the day they are about, and records removed: a school
/// that fills its registers in at the end of the month, or retracts dropouts, shows here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordKeeping {
    /// Attendance marks and status changes (not a child's 在读, the roster's baseline) of a day of
    /// the term, written more than [`LATE_AFTER_DAYS`] days after that day (Beijing time of the
    /// writing phone's clock).
    pub entered_late: u64,
    /// Attendance marks and status events removed in the term (retracted: a tombstone written
    /// between its start and today): the records the attendance and dropout figures count.
    pub removed: u64,
    /// The school's phones whose chain of changes broke (a change refused for reusing a number
    /// or not following the one before): a phone restored from an old backup, or a history
    /// altered. Only the server knows it; it sets this before the view is made.
    #[serde(default)]
    pub chain_breaks: u64,
}

crate::figures::add_field_by_field!(RecordKeeping { entered_late, removed, chain_breaks });

/// A mark or a status change written more than a week after its day was entered after the fact:
/// the register is meant to be kept on the day.
pub const LATE_AFTER_DAYS: i64 = 7;

/// The day in China (UTC+8, no daylight saving) of a clock reading (ms since 1970): the day a
/// record was written, and the server's "today" for the figures it keeps.
pub fn china_day(wall_ms: u64) -> Option<NaiveDate> {
    let ms = i64::try_from(wall_ms).ok()?.checked_add(8 * 3_600_000)?;
    chrono::DateTime::from_timestamp_millis(ms).map(|time| time.date_naive())
}

/// How `school`'s records of `period` were kept (see [`RecordKeeping`]).
fn record_keeping(state: &State, school: SchoolId, period: Period) -> RecordKeeping {
    let of_school = |student| state.school_of(student) == Some(school);
    let late = |day: NaiveDate, wall_ms: u64| {
        period.contains(day) && china_day(wall_ms).is_some_and(|written| (written - day).num_days() > LATE_AFTER_DAYS)
    };
    let marks = state.marks.values().filter(|stamped| of_school(stamped.value.student));
    // A child's 在读 is the roster's baseline, dated from the term's start whenever the roster is
    // typed in: not a record kept late. Backdated dropouts, returns and transfers are.
    let statuses = state
        .status_events
        .values()
        .filter(|stamped| of_school(stamped.value.student) && stamped.value.status != crate::status::Status::Enrolled);
    let written: Vec<(RecordId, NaiveDate, u64)> = marks
        .map(|stamped| (stamped.value.id, stamped.value.day, stamped.stamp.wall_ms))
        .chain(statuses.map(|stamped| (stamped.value.id, stamped.value.date, stamped.stamp.wall_ms)))
        .collect();
    let entered_late = written.iter().filter(|(_, day, wall_ms)| late(*day, *wall_ms)).count();
    let removed = written
        .iter()
        .filter_map(|(id, _, _)| state.retracted.get(id))
        .filter(|tombstone| china_day(tombstone.stamp.wall_ms).is_some_and(|day| period.contains(day)))
        .count();
    let wide = |count: usize| u64::try_from(count).unwrap_or(u64::MAX);
    RecordKeeping { entered_late: wide(entered_late), removed: wide(removed), chain_breaks: 0 }
}

/// A school's figures as the server keeps them: its own summary, and below it each grade's
/// with children on its roll (in grade order), and below each grade its classes' (by name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolFigures {
    pub school: SchoolSummary,
    pub grades: Vec<GradeFigures>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeFigures {
    pub grade: Grade,
    pub summary: SchoolSummary,
    /// Each class's name (no child's) and summary.
    pub classes: Vec<(String, SchoolSummary)>,
}

impl SchoolFigures {
    /// The school as a branch of a county's tree: its grades below it, each grade's classes
    /// below that. `line` makes a unit's line from its name and summary.
    pub fn branch(self, name: String, line: impl Fn(String, SchoolSummary) -> UnitLine) -> Branch {
        let grades = self
            .grades
            .into_iter()
            .map(|grade| Branch {
                key: None,
                line: line(ClassKey { grade: grade.grade, number: None }.name(), grade.summary),
                below: grade.classes.into_iter().map(|(name, summary)| Branch::leaf(line(name, summary))).collect(),
            })
            .collect();
        Branch { key: None, line: line(name, self.school), below: grades }
    }
}

/// The figures of `school` on `today` ([`SchoolFigures`]), from one reading of the records;
/// `None` before the school's first term. A grade and a class hold their children's figures,
/// risk and cases; school-wide counts (stages over the limit, residents, how records were kept,
/// the campaign) are the school's alone.
pub fn school_figures(state: &State, school: SchoolId, today: NaiveDate) -> Option<SchoolFigures> {
    let calendar = state.calendar(school);
    let term = calendar.this_term(today)?;
    let period = Period::of_term(term).ok()?;
    let inputs = FigureInputs::new(state);
    let summary_of = |scope: Scope, holds: &dyn Fn(&Student) -> bool| {
        let students: Vec<&Student> = inputs.students_in(&scope);
        SchoolSummary {
            term: term.name.clone(),
            figures: inputs.figures(&scope, period, today),
            risk: risk_counts(&inputs, &students, today, &EarlyWarningTable::default()),
            cases: case_counts_of(state, school, today, holds),
            records: RecordKeeping::default(),
            campaign: Campaign::default(),
        }
    };
    let mut whole = summary_of(Scope::School(school), &|_| true);
    if let Some(so_far) = period.up_to(today) {
        whole.records = record_keeping(state, school, so_far);
        whole.campaign = Campaign::of(&inputs, state, school, so_far);
    }
    let mut classes: BTreeMap<Grade, std::collections::BTreeSet<(String, ClassId)>> = BTreeMap::new();
    for student in inputs.students_in(&Scope::School(school)) {
        let name = state.classes.get(&student.class).map(|class| class.value.name.clone()).unwrap_or_default();
        classes.entry(student.grade).or_default().insert((name, student.class));
    }
    let grades = classes
        .into_iter()
        .map(|(grade, classes)| GradeFigures {
            grade,
            summary: summary_of(Scope::Grade { school, grade }, &|student| student.grade == grade),
            classes: classes
                .into_iter()
                .map(|(name, class)| (name, summary_of(Scope::Class(class), &|student| student.class == class)))
                .collect(),
        })
        .collect();
    Some(SchoolFigures { school: whole, grades })
}

impl Add for SchoolSummary {
    type Output = SchoolSummary;
    fn add(self, other: SchoolSummary) -> SchoolSummary {
        let term = if self.term == other.term || other.term.is_empty() {
            self.term
        } else if self.term.is_empty() {
            other.term
        } else {
            String::new()
        };
        SchoolSummary {
            term,
            figures: self.figures + other.figures,
            risk: self.risk + other.risk,
            cases: self.cases + other.cases,
            records: self.records + other.records,
            campaign: self.campaign + other.campaign,
        }
    }
}

/// A count a supervisor's table shows, each with a stable name. Rates are pairs of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// On the roll in the term (辍学率's denominator).
    Enrolled,
    /// Dropped out in the term (辍学率's numerator).
    Dropouts,
    /// Were dropouts in the term (劝返复学率's denominator).
    WereOut,
    /// Of those, returned (劝返复学率's numerator).
    Returned,
    /// Student-days recorded and present (attendance's numerator and denominator).
    DaysPresent,
    DaysRecorded,
    /// Missed 10% or more of school days (chronic absence), of those on the roll at the end.
    ChronicAbsent,
    OnRollNow,
    /// Children by early-warning level today.
    HighRisk,
    MediumRisk,
    LowRisk,
    /// Persuasion cases open today, and of them past their plan's deadline.
    OpenCases,
    OverdueCases,
    /// 无辍学班: classes without a dropout, of classes.
    ClassesWithoutDropout,
    Classes,
    /// School stages over their dropout limit, of school stages.
    StagesOverLimit,
    Stages,
    /// 巩固率: resident children of compulsory age on a roll, of those listed.
    ResidentsOnRoll,
    Residents,
    /// How the records were kept ([`RecordKeeping`]): marks and status changes entered late,
    /// removed, and phones whose chain broke.
    EnteredLate,
    Removed,
    ChainBreaks,
    /// Head teachers' home visits toward their quota (each counting at most their own), of the
    /// quota; head teachers who met theirs, of head teachers with one.
    VisitsTowardQuota,
    VisitQuota,
    TeachersOnQuota,
    TeachersWithQuota,
}

impl Measure {
    pub const ALL: [Measure; 26] = [
        Measure::Enrolled,
        Measure::Dropouts,
        Measure::WereOut,
        Measure::Returned,
        Measure::DaysPresent,
        Measure::DaysRecorded,
        Measure::ChronicAbsent,
        Measure::OnRollNow,
        Measure::HighRisk,
        Measure::MediumRisk,
        Measure::LowRisk,
        Measure::OpenCases,
        Measure::OverdueCases,
        Measure::ClassesWithoutDropout,
        Measure::Classes,
        Measure::StagesOverLimit,
        Measure::Stages,
        Measure::ResidentsOnRoll,
        Measure::Residents,
        Measure::EnteredLate,
        Measure::Removed,
        Measure::ChainBreaks,
        Measure::VisitsTowardQuota,
        Measure::VisitQuota,
        Measure::TeachersOnQuota,
        Measure::TeachersWithQuota,
    ];

    /// Where the measure is in [`Measure::ALL`] (its order of declaration).
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The count of children this count of things follows from: a class without a dropout has
    /// none, a stage over its limit has some. Masked wherever that count is (and with partners
    /// of its own), or it would tell a masked count's 0 from its 1 to 4 and give a partner away.
    pub fn follows(self) -> Option<Measure> {
        match self {
            Measure::ClassesWithoutDropout | Measure::StagesOverLimit => Some(Measure::Dropouts),
            _ => None,
        }
    }

    /// Counts of things rather than of children are never masked for themselves: a count of student-days,
    /// classes, school stages, records, phones, visits or head teachers names no child.
    pub fn counts_children(self) -> bool {
        !matches!(
            self,
            Measure::DaysPresent
                | Measure::DaysRecorded
                | Measure::ClassesWithoutDropout
                | Measure::Classes
                | Measure::StagesOverLimit
                | Measure::Stages
                | Measure::EnteredLate
                | Measure::Removed
                | Measure::ChainBreaks
                | Measure::VisitsTowardQuota
                | Measure::VisitQuota
                | Measure::TeachersOnQuota
                | Measure::TeachersWithQuota
        )
    }
}

/// The rates a view shows, each as (numerator, denominator).
pub const RATES: [(&str, Measure, Measure); 9] = [
    ("dropout", Measure::Dropouts, Measure::Enrolled),
    ("returned", Measure::Returned, Measure::WereOut),
    ("attendance", Measure::DaysPresent, Measure::DaysRecorded),
    ("chronic_absence", Measure::ChronicAbsent, Measure::OnRollNow),
    ("classes_without_dropout", Measure::ClassesWithoutDropout, Measure::Classes),
    ("over_limit", Measure::StagesOverLimit, Measure::Stages),
    ("consolidation", Measure::ResidentsOnRoll, Measure::Residents),
    ("visits", Measure::VisitsTowardQuota, Measure::VisitQuota),
    ("teachers_on_quota", Measure::TeachersOnQuota, Measure::TeachersWithQuota),
];

impl SchoolSummary {
    /// Every measure's count, both stages together, in the order of [`Measure::ALL`]: an array,
    /// not a map, for a county's thousands of units.
    pub fn count_of_each(&self) -> [u64; Measure::ALL.len()] {
        let students = self.figures.students.both();
        let pairs = [
            (Measure::Dropouts, Measure::Enrolled, students.dropout),
            (Measure::Returned, Measure::WereOut, students.returned),
            (Measure::DaysPresent, Measure::DaysRecorded, students.attendance),
            (Measure::ChronicAbsent, Measure::OnRollNow, students.chronic_absence),
            (Measure::ClassesWithoutDropout, Measure::Classes, self.figures.classes_without_dropout.both()),
            (Measure::StagesOverLimit, Measure::Stages, self.figures.schools_over_limit.both()),
            (Measure::ResidentsOnRoll, Measure::Residents, self.figures.consolidation),
            (Measure::VisitsTowardQuota, Measure::VisitQuota, self.figures.head_teacher_visits.toward_quota),
            (Measure::TeachersOnQuota, Measure::TeachersWithQuota, self.figures.head_teacher_visits.on_quota),
        ];
        let mut counts = [0; Measure::ALL.len()];
        let mut put = |measure: Measure, count: u64| counts[measure.index()] = count;
        for (numerator, denominator, Ratio { numerator: top, denominator: bottom }) in pairs {
            put(numerator, top);
            put(denominator, bottom);
        }
        let wide = |count: usize| u64::try_from(count).unwrap_or(u64::MAX);
        put(Measure::HighRisk, wide(self.risk.high));
        put(Measure::MediumRisk, wide(self.risk.medium));
        put(Measure::LowRisk, wide(self.risk.low));
        put(Measure::OpenCases, wide(self.cases.open));
        put(Measure::OverdueCases, wide(self.cases.overdue));
        put(Measure::EnteredLate, self.records.entered_late);
        put(Measure::Removed, self.records.removed);
        put(Measure::ChainBreaks, self.records.chain_breaks);
        counts
    }
}

/// A count as published: itself, or "<5" (masked, small or masked with a small one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shown {
    Count(u64),
    Masked,
}

impl Shown {
    pub fn count(self) -> Option<u64> {
        match self {
            Shown::Count(count) => Some(count),
            Shown::Masked => None,
        }
    }
}

/// One unit's line of a view: a town of a county, a school of a town.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewRow {
    pub name: String,
    /// When the unit's newest change reached the server (ms since 1970), if it ever sent one.
    pub last_synced_ms: Option<i64>,
    /// Schools under the unit, and of them those with a change this week.
    pub schools: u64,
    pub reported_this_week: u64,
    pub counts: BTreeMap<Measure, Shown>,
    /// How far below the view's own units the row is: 0 for a unit just below it (a grade of a
    /// school), 1 for one below that (a class of that grade), which follows its unit.
    #[serde(default)]
    pub depth: u8,
}

impl ViewRow {
    /// A rate as it may be shown: `None` when its numerator or denominator is masked.
    pub fn rate(&self, numerator: Measure, denominator: Measure) -> Option<Ratio> {
        let top = self.counts.get(&numerator)?.count()?;
        let bottom = self.counts.get(&denominator)?.count()?;
        Some(Ratio::new(top, bottom))
    }
}

/// What a shared link shows: the unit, the units below it and their total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisorView {
    pub unit: String,
    /// The term the figures are of, when all schools share it.
    pub term: String,
    /// When the figures were taken (ms since 1970).
    pub taken_ms: i64,
    pub rows: Vec<ViewRow>,
    pub total: ViewRow,
    /// The unit's campaign, by weeks' parts and by month, masked with the tree
    /// (`hierarchy`): nothing follows from the weeks, the months, or another unit's.
    #[serde(default)]
    pub weekly: Vec<(NaiveDate, BTreeMap<Series, Shown>)>,
    #[serde(default)]
    pub monthly: Vec<(NaiveDate, BTreeMap<Series, Shown>)>,
}

/// A unit below the link's, before masking.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitLine {
    pub name: String,
    pub last_synced_ms: Option<i64>,
    pub schools: u64,
    pub reported_this_week: u64,
    pub summary: SchoolSummary,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{PerStage, StudentFigures};
    use crate::hierarchy::UnitTree;

    /// The school's own summary (`None` before its first term).
    fn school_summary(state: &State, school: SchoolId, today: NaiveDate) -> Option<SchoolSummary> {
        school_figures(state, school, today).map(|figures| figures.school)
    }

    /// The view of a unit with `lines` below it and nothing further down: their sum as its
    /// total, masked as a [`UnitTree`] of one level.
    fn supervisor_view(unit: &str, taken_ms: i64, lines: Vec<UnitLine>) -> SupervisorView {
        let top = Branch::sum(unit, lines.into_iter().map(Branch::leaf).collect());
        UnitTree::new(top).view(0, unit, taken_ms, 1)
    }

    impl SchoolSummary {
        /// Every measure's count by name, for asserting on one.
        fn counts(&self) -> BTreeMap<Measure, u64> {
            Measure::ALL.into_iter().zip(self.count_of_each()).collect()
        }
    }

    /// A school's grades add up to the school in every count of children; the school's view
    /// of its grades keeps its own school-wide counts in its total.
    #[test]
    fn a_schools_grades_add_up_to_it_and_its_view_keeps_the_school_wide_counts() {
        use crate::status::Status;
        use crate::test_school::{day, TestSchool, CLASS_1, CLASS_7, SCHOOL};
        let mut f = TestSchool::new();
        let first_graders = f.enrolled(CLASS_1, "2026-08-25", 6);
        let seventh_graders = f.enrolled(CLASS_7, "2026-08-25", 9);
        f.status(first_graders[0], "2026-10-09", Status::DroppedOut, "外出");
        f.status(seventh_graders[0], "2026-10-09", Status::DroppedOut, "外出");
        f.status(seventh_graders[1], "2026-10-12", Status::DroppedOut, "外出");
        let figures = school_figures(&f.state, SCHOOL, day("2026-10-20")).unwrap();
        let (whole, grades) = (figures.school.clone(), figures.grades.clone());
        assert_eq!(grades.iter().map(|grade| grade.grade.get()).collect::<Vec<_>>(), vec![1, 7]);
        let summed = grades.iter().fold(SchoolSummary::default(), |sum, grade| sum + grade.summary.clone());
        for grade in &grades {
            let classes = grade.classes.iter().fold(SchoolSummary::default(), |sum, (_, class)| sum + class.clone());
            assert_eq!(grade.classes.len(), 1, "one class in each grade");
            assert_eq!(classes.counts(), grade.summary.counts(), "a grade is its classes");
        }
        for measure in Measure::ALL.into_iter().filter(|measure| measure.counts_children()) {
            if !matches!(measure, Measure::Residents | Measure::ResidentsOnRoll) {
                assert_eq!(summed.counts()[&measure], whole.counts()[&measure], "{measure:?}");
            }
        }
        assert_eq!((whole.counts()[&Measure::Enrolled], whole.counts()[&Measure::Dropouts]), (15, 3));
        assert_eq!(whole.counts()[&Measure::Stages], 2, "a nine-year school has two stages");
        assert_eq!(summed.counts()[&Measure::Stages], 0, "a grade has no stage of its own");
        let line = |name: String, summary| UnitLine { name, schools: 1, summary, ..Default::default() };
        let tree = UnitTree::new(figures.branch("某镇中心校".into(), line));
        let view = tree.view(0, "某镇中心校", 0, 1);
        assert_eq!(view.total.counts[&Measure::Stages], Shown::Count(2));
        assert_eq!(view.total.counts[&Measure::Enrolled], Shown::Count(15));
        assert_eq!(view.total.counts[&Measure::Dropouts], Shown::Masked, "3 is a small count");
        assert!(view.rows.iter().all(|row| row.counts[&Measure::Dropouts] == Shown::Masked));
        assert_eq!(
            view.rows.iter().map(|row| row.counts[&Measure::Enrolled]).collect::<Vec<_>>(),
            vec![Shown::Count(6), Shown::Count(9)]
        );
        // Two levels down: each grade followed by its classes.
        let deeper = tree.view(0, "某镇中心校", 0, 2);
        let rows: Vec<(&str, u8)> = deeper.rows.iter().map(|row| (row.name.as_str(), row.depth)).collect();
        let class_1 = f.state.classes[&CLASS_1].value.name.clone();
        let class_7 = f.state.classes[&CLASS_7].value.name.clone();
        assert_eq!(rows, [("一年级", 0), (class_1.as_str(), 1), ("七年级", 0), (class_7.as_str(), 1)]);
    }

    /// Marks and status changes written more than a week after their day, and those removed,
    /// in the term so far, are counted; on-time writing and records outside the term are not.
    #[test]
    fn records_entered_late_or_removed_this_term_are_counted() {
        use crate::attendance::MarkKind;
        use crate::status::Status;
        use crate::test_school::{day, TestSchool, CLASS_7, SCHOOL};
        let mut f = TestSchool::new();
        let child = f.student(CLASS_7);
        f.at("2026-10-20");
        f.mark(child, "2026-10-19", MarkKind::Unexcused);
        f.mark(child, "2026-10-13", MarkKind::Unexcused); // exactly a week: on time
        let late = f.mark(child, "2026-10-05", MarkKind::Unexcused);
        f.mark(child, "2026-10-12", MarkKind::Sick);
        f.status(child, "2026-09-30", Status::SuspectedDropout, "补录");
        f.mark(child, "2026-08-20", MarkKind::Sick); // before the term
        f.status(child, "2026-09-01", Status::Enrolled, "花名册"); // the roster's baseline
        f.at("2026-10-21");
        f.retract(late);
        let summary = school_summary(&f.state, SCHOOL, day("2026-10-21")).unwrap();
        assert_eq!(summary.records, RecordKeeping { entered_late: 3, removed: 1, chain_breaks: 0 });
        let counts = summary.counts();
        assert_eq!((counts[&Measure::EnteredLate], counts[&Measure::Removed]), (3, 1));
        // A town sums its schools' records, never masked: they name no child.
        let view = supervisor_view("某镇", 0, vec![line("甲校", summary.clone()), line("乙校", summary)]);
        assert_eq!(view.total.counts[&Measure::EnteredLate], Shown::Count(6));
        assert_eq!(view.rows[0].counts[&Measure::Removed], Shown::Count(1));
    }

    fn school(enrolled: u64, dropouts: u64) -> SchoolSummary {
        let students = StudentFigures { dropout: Ratio::new(dropouts, enrolled), ..Default::default() };
        SchoolSummary {
            term: "2026年秋季学期".into(),
            figures: Figures {
                students: PerStage { primary: students, junior: Default::default() },
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn line(name: &str, summary: SchoolSummary) -> UnitLine {
        UnitLine { name: name.into(), schools: 1, summary, ..Default::default() }
    }

    #[test]
    fn a_small_count_is_masked_with_a_partner_so_the_total_does_not_give_it_away() {
        let view = supervisor_view(
            "和平镇",
            0,
            vec![line("甲校", school(300, 2)), line("乙校", school(200, 9)), line("丙校", school(100, 7))],
        );
        let dropouts: Vec<Shown> = view.rows.iter().map(|row| row.counts[&Measure::Dropouts]).collect();
        let by_name: BTreeMap<&str, Shown> =
            view.rows.iter().map(|row| row.name.as_str()).zip(dropouts.iter().copied()).collect();
        assert_eq!(by_name["甲校"], Shown::Masked, "2 is a small count");
        assert_eq!(view.total.counts[&Measure::Dropouts], Shown::Count(18));
        assert_eq!(dropouts.iter().filter(|shown| **shown == Shown::Masked).count(), 2, "and one partner");
        // The masked school's 辍学率 is masked too; the town's is shown with its counts.
        let first = view.rows.iter().find(|row| row.name == "甲校").unwrap();
        assert_eq!(first.rate(Measure::Dropouts, Measure::Enrolled), None);
        assert_eq!(view.total.rate(Measure::Dropouts, Measure::Enrolled), Some(Ratio::new(18, 600)));
        // Student-days are no children: shown as they are.
        assert!(view.rows.iter().all(|row| row.counts[&Measure::DaysRecorded] == Shown::Count(0)));
    }

    #[test]
    fn a_unit_alone_masks_its_own_small_counts() {
        let view = supervisor_view("甲校", 0, Vec::new());
        assert_eq!(view.total.counts[&Measure::Dropouts], Shown::Count(0), "zero names nobody");
        let mut lines = vec![line("一年级", school(40, 3))];
        let one = supervisor_view("甲校", 0, std::mem::take(&mut lines));
        assert_eq!(one.rows[0].counts[&Measure::Dropouts], Shown::Masked);
        assert_eq!(one.total.counts[&Measure::Dropouts], Shown::Masked, "the total of one row is that row");
        assert_eq!(one.total.counts[&Measure::Enrolled], Shown::Count(40));
    }

    /// The summary keeps the dashboard's own counts: one rule for the phone and the server.
    #[test]
    fn a_school_summary_is_the_dashboards_figures_risk_and_cases() {
        use crate::attendance::MarkKind;
        use crate::test_school::{day, TestSchool, CLASS_7, SCHOOL};
        let mut school = TestSchool::new();
        let children = school.enrolled(CLASS_7, "2026-09-01", 2);
        let child = children[0];
        for date in ["2026-11-16", "2026-11-17", "2026-11-18"] {
            school.mark(child, date, MarkKind::Unexcused);
        }
        let today = day("2026-11-18");
        let summary = school_summary(&school.state, SCHOOL, today).unwrap();
        let dashboard =
            crate::dashboard::school_dashboard(&school.state, SCHOOL, today, &EarlyWarningTable::default()).unwrap();
        assert_eq!(summary.term, dashboard.term);
        assert_eq!(summary.figures, dashboard.figures);
        assert_eq!(summary.risk, dashboard.risk);
        assert_eq!(summary.cases, dashboard.cases);
        assert_eq!(summary.counts()[&Measure::Enrolled], 2);
    }

    #[test]
    fn each_measure_is_at_its_index() {
        for (index, measure) in Measure::ALL.into_iter().enumerate() {
            assert_eq!(measure.index(), index, "{measure:?}");
        }
    }

    #[test]
    fn summaries_add_up_and_keep_a_shared_term() {
        let sum = school(300, 2) + school(200, 9);
        assert_eq!(sum.counts()[&Measure::Dropouts], 11);
        assert_eq!(sum.counts()[&Measure::Enrolled], 500);
        assert_eq!(sum.term, "2026年秋季学期");
        let other = SchoolSummary { term: "2027年春季学期".into(), ..school(1, 0) };
        assert_eq!((sum + other).term, "", "schools in different terms share none");
    }
}
