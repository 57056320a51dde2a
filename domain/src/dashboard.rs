//! The school dashboard, for the principal and the 教导处: the term's official figures of one
//! school per stage, its classes ranked for 量化评比, the at-risk children by level, the cases
//! open and overdue, home visits against the quota, trends by week and month, and who has not
//! come back since the term began. Every number is a [`Ratio`] or a count worked out by
//! [`crate::figures`] or the ledgers, so the dashboard says what the ledgers page and the
//! papers say.

use crate::attendance::MarkKind;
use crate::case::CaseStatus;
use crate::escalation::case_standing;
use crate::figures::{FigureInputs, Figures, PerStage, Period, Ratio, SchoolLimit, Scope, StudentFigures, VisitRow};
use crate::ids::{ClassId, SchoolId, StudentId};
use crate::org::{Grade, Stage};
use crate::risk::{early_warning_of_each, EarlyWarningTable, Level};
use crate::state::State;
use crate::student::Student;
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// One rate of the student figures, to list the children behind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rate {
    Dropout,
    Returned,
    StillAttending,
    Attendance,
    ChronicAbsence,
    /// Absent on at least half the chronic-absence share of the school days (5–10% with the
    /// default 10%) but not chronically absent: the warning band.
    AbsenceWarning,
}

impl Rate {
    pub const ALL: [Rate; 6] = [
        Rate::Dropout,
        Rate::Returned,
        Rate::StillAttending,
        Rate::Attendance,
        Rate::ChronicAbsence,
        Rate::AbsenceWarning,
    ];

    /// `self` of one student's (or a sum of students') figures, under the chronic-absence
    /// share of the student's school (`Rules::chronic_absence_bp`). The warning band is counted
    /// for one student at a time: a sum of students has no share of its own.
    pub fn of(self, figures: &StudentFigures, chronic_bp: u32) -> Ratio {
        match self {
            Rate::Dropout => figures.dropout,
            Rate::Returned => figures.returned,
            Rate::StillAttending => figures.still_attending,
            Rate::Attendance => figures.attendance,
            Rate::ChronicAbsence => figures.chronic_absence,
            Rate::AbsenceWarning => {
                if figures.chronic_absence.denominator == 0 {
                    return Ratio::default();
                }
                let days = figures.attendance.denominator;
                let absent = Ratio::new(days - figures.attendance.numerator.min(days), days);
                Ratio::one(figures.chronic_absence.numerator == 0 && absent.reaches_bp(absence_warning_bp(chronic_bp)))
            }
        }
    }
}

/// Where the warning band of chronic absence starts: half the chronic-absence share
/// (`Rules::chronic_absence_bp`), so 5% under the default 10%.
pub fn absence_warning_bp(chronic_bp: u32) -> u32 {
    chronic_bp / 2
}

/// One class of the school, with its term figures and its place in the ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassLine {
    pub class: ClassId,
    pub name: String,
    pub grade: Grade,
    pub head_teacher: String,
    pub figures: StudentFigures,
    /// Its place in the 量化评比 of its stage, 1 first; classes that tie share a place. A class
    /// with no children is not ranked.
    pub rank: Option<usize>,
}

impl ClassLine {
    /// 无辍学班: no child of the class dropped out this term.
    pub fn without_dropout(&self) -> bool {
        self.figures.dropout.numerator == 0
    }
}

/// The cases of the school's children as they stand today.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCounts {
    /// Open: the school is persuading the child.
    pub open: usize,
    /// Of the open ones, those past the deadline of their plan.
    pub overdue: usize,
    /// 已上报乡镇: recorded so, or a notice's deadline passed with the child still out.
    pub escalated: usize,
}

/// The children on the roll by their early-warning level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskCounts {
    pub high: usize,
    pub medium: usize,
    pub low: usize,
}

// Two schools' counts together (a town's, in a supervisor's view).
crate::figures::add_field_by_field!(CaseCounts { open, overdue, escalated });
crate::figures::add_field_by_field!(RiskCounts { high, medium, low });

/// One point of a trend: a week (from its Monday) or a month (from its first day), cut to the
/// term and to today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrendPoint {
    pub from: NaiveDate,
    pub ratio: Ratio,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolDashboard {
    pub school: SchoolId,
    /// The term the figures are of ("2026年秋季学期"), and its dates.
    pub term: String,
    pub period: Period,
    /// The stages the school has classes of: a 九年一贯制 school shows both apart.
    pub stages: Vec<Stage>,
    pub figures: Figures,
    /// The warning band of chronic absence ([`Rate::AbsenceWarning`]): children on the roll
    /// absent on 5–10% of the school days (with the default rule) ÷ children on the roll.
    pub absence_warning: PerStage<Ratio>,
    /// Each stage's 辍学率 against its limit.
    pub limits: Vec<SchoolLimit>,
    /// By stage, then by rank.
    pub classes: Vec<ClassLine>,
    pub risk: RiskCounts,
    pub cases: CaseCounts,
    pub visits: Vec<VisitRow>,
    /// Attendance rate week by week.
    pub weekly_attendance: Vec<TrendPoint>,
    /// 辍学率 month by month: children who dropped out in the month over those on the roll.
    pub monthly_dropout: Vec<TrendPoint>,
    /// Children on the roll who have not been in class a single recorded school day since the
    /// term began (the early-September check): each of those days marked absent.
    pub not_back: Vec<StudentId>,
    /// The children in each rate's numerator, per stage, by name: what one tap under a figure
    /// lists. Worked out with the figures, from the same pass.
    pub behind: PerStage<BTreeMap<Rate, Vec<StudentId>>>,
    /// 义务教育巩固率 on `today` once the school has a resident list (户籍, from the cross-check):
    /// its children of compulsory age on a roll over all of them. `None` without a list.
    pub consolidation: Option<Ratio>,
}

/// The dashboard of `school` for the term that holds `today` (or the nearest one), or `None`
/// when the school has no term yet.
pub fn school_dashboard(
    state: &State,
    school: SchoolId,
    today: NaiveDate,
    table: &EarlyWarningTable,
) -> Option<SchoolDashboard> {
    let term = state.calendar(school).this_term(today)?.clone();
    let period = Period::of_term(&term).ok()?;
    let inputs = FigureInputs::new(state);
    let scope = Scope::School(school);
    let students = inputs.students_in(&scope);
    let each = inputs.each_student_figures(students.iter().copied(), period, today);
    let classes = class_lines(&inputs, &scope, &each);
    let chronic_bp = inputs.rules(school).chronic_absence_bp;
    let mut absence_warning = PerStage::<Ratio>::default();
    let mut behind = PerStage::<BTreeMap<Rate, Vec<StudentId>>>::default();
    let mut by_name: Vec<&(&Student, StudentFigures)> = each.iter().collect();
    crate::sorting::sort_by(&mut by_name, |a, b| (&a.0.name, a.0.id).cmp(&(&b.0.name, b.0.id)));
    for (student, own) in by_name {
        let stage = student.grade.stage();
        let warning = absence_warning.get_mut(stage);
        *warning = *warning + Rate::AbsenceWarning.of(own, chronic_bp);
        for rate in Rate::ALL {
            if rate.of(own, chronic_bp).numerator > 0 {
                behind.get_mut(stage).entry(rate).or_default().push(student.id);
            }
        }
    }
    let mut stages: Vec<Stage> = classes.iter().map(|line| line.grade.stage()).collect();
    stages.dedup();
    Some(SchoolDashboard {
        school,
        term: term.name,
        period,
        stages,
        figures: inputs.figures(&scope, period, today),
        absence_warning,
        limits: inputs.school_limits(&scope, period, today),
        classes,
        risk: risk_counts(&inputs, &students, today, table),
        cases: case_counts(state, school, today),
        visits: inputs.visit_rows(&scope, period, today),
        // Only the rate a trend shows is worked out, for some twenty weeks and five months.
        weekly_attendance: trend(weeks(period), today, |weeks| {
            inputs.attendance_by_part(students.iter().copied(), period, weeks, today)
        }),
        monthly_dropout: trend(months(period), today, |months| {
            let dropout = |month: &Period| inputs.each_student_dropout(students.iter().copied(), *month, today);
            months.iter().map(|month| dropout(month).into_iter().map(|(_, own)| own).sum()).collect()
        }),
        not_back: not_back(&inputs, &students, period, today),
        behind,
        consolidation: inputs.consolidation_of(&scope, today),
    })
}

/// The children behind `rate` among `students` over `period`: those in its numerator, then
/// those in its denominator only, each by name. What one tap under a figure lists.
pub fn children_behind<'s>(
    inputs: &FigureInputs<'_>,
    students: impl IntoIterator<Item = &'s Student>,
    period: Period,
    today: NaiveDate,
    rate: Rate,
) -> (Vec<StudentId>, Vec<StudentId>) {
    let mut counted: Vec<(&Student, Ratio)> = inputs
        .each_student_figures(students, period, today)
        .into_iter()
        .map(|(student, own)| (student, rate.of(&own, inputs.rules(student.school).chronic_absence_bp)))
        .filter(|(_, ratio)| ratio.denominator > 0)
        .collect();
    crate::sorting::sort_by(&mut counted, |a, b| (&a.0.name, a.0.id).cmp(&(&b.0.name, b.0.id)));
    let (numerator, rest): (Vec<_>, Vec<_>) = counted.into_iter().partition(|(_, ratio)| ratio.numerator > 0);
    (numerator.into_iter().map(|(s, _)| s.id).collect(), rest.into_iter().map(|(s, _)| s.id).collect())
}

/// The 量化评比 of classes within a stage: fewest dropouts first (辍学率), then the best
/// attendance rate, then the least chronic absence. Rates are compared exactly, by cross
/// multiplication, so no rounding orders two classes.
pub fn ranking_order(a: &StudentFigures, b: &StudentFigures) -> Ordering {
    lower_first(a.dropout, b.dropout)
        .then_with(|| lower_first(b.attendance, a.attendance))
        .then_with(|| lower_first(a.chronic_absence, b.chronic_absence))
}

/// a's share against b's; an empty ratio (nothing counted) comes last either way.
fn lower_first(a: Ratio, b: Ratio) -> Ordering {
    match (a.denominator, b.denominator) {
        (0, 0) => Ordering::Equal,
        (0, _) => Ordering::Greater,
        (_, 0) => Ordering::Less,
        _ => (u128::from(a.numerator) * u128::from(b.denominator))
            .cmp(&(u128::from(b.numerator) * u128::from(a.denominator))),
    }
}

fn class_lines(inputs: &FigureInputs<'_>, scope: &Scope, each: &[(&Student, StudentFigures)]) -> Vec<ClassLine> {
    let mut lines: Vec<ClassLine> = inputs
        .classes_in(scope)
        .into_iter()
        .map(|class| ClassLine {
            class: class.id,
            name: class.name.clone(),
            grade: class.grade,
            head_teacher: class.head_teacher.clone(),
            figures: each.iter().filter(|(student, _)| student.class == class.id).map(|(_, own)| *own).sum(),
            rank: None,
        })
        .collect();
    for stage in [Stage::Primary, Stage::Junior] {
        let mut ranked: Vec<&mut ClassLine> = lines
            .iter_mut()
            .filter(|line| line.grade.stage() == stage && line.figures.dropout.denominator > 0)
            .collect();
        ranked.sort_by(|a, b| ranking_order(&a.figures, &b.figures));
        let mut place = 0;
        for index in 0..ranked.len() {
            let tied = index > 0 && ranking_order(&ranked[index - 1].figures, &ranked[index].figures).is_eq();
            if !tied {
                place = index + 1;
            }
            ranked[index].rank = Some(place);
        }
    }
    crate::sorting::sort_by(&mut lines, |a, b| {
        (a.grade.stage(), a.rank.is_none(), a.rank, a.grade, &a.name).cmp(&(
            b.grade.stage(),
            b.rank.is_none(),
            b.rank,
            b.grade,
            &b.name,
        ))
    });
    lines
}

pub(crate) fn risk_counts(
    inputs: &FigureInputs<'_>,
    students: &[&Student],
    today: NaiveDate,
    table: &EarlyWarningTable,
) -> RiskCounts {
    let on_roll: Vec<&Student> =
        students.iter().copied().filter(|student| inputs.counted_status(student, today).on_roll()).collect();
    let mut counts = RiskCounts::default();
    for (_, assessment) in early_warning_of_each(inputs, &on_roll, today, table) {
        match assessment.level {
            Level::High => counts.high += 1,
            Level::Medium => counts.medium += 1,
            Level::Low => counts.low += 1,
        }
    }
    counts
}

pub(crate) fn case_counts(state: &State, school: SchoolId, today: NaiveDate) -> CaseCounts {
    case_counts_of(state, school, today, |_| true)
}

/// [`case_counts`] of the cases of `school` whose child `holds`: one grade's.
pub(crate) fn case_counts_of(
    state: &State,
    school: SchoolId,
    today: NaiveDate,
    holds: impl Fn(&Student) -> bool,
) -> CaseCounts {
    let mut counts = CaseCounts::default();
    for case in state.cases() {
        if state.student(case.student).is_none_or(|student| student.school != school || !holds(&student)) {
            continue;
        }
        match case_standing(state, &case, today).status {
            CaseStatus::Open => {
                counts.open += 1;
                counts.overdue += usize::from(case.deadline < today);
            }
            CaseStatus::Escalated => counts.escalated += 1,
            CaseStatus::Returned | CaseStatus::Closed => {}
        }
    }
    counts
}

/// The Mondays of the weeks that overlap `period`, the first cut to its start.
pub(crate) fn weeks(period: Period) -> Vec<Period> {
    let mut parts = Vec::new();
    let mut from = period.start();
    while from <= period.end() {
        let monday = from - Days::new(u64::from(from.weekday().num_days_from_monday()));
        let to = (monday + Days::new(6)).min(period.end());
        parts.extend(Period::new(from, to).ok());
        from = to + Days::new(1);
    }
    parts
}

/// The calendar months that overlap `period`, cut to it.
pub(crate) fn months(period: Period) -> Vec<Period> {
    let mut parts = Vec::new();
    let mut from = period.start();
    while from <= period.end() {
        let next = if from.month() == 12 {
            NaiveDate::from_ymd_opt(from.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(from.year(), from.month() + 1, 1)
        };
        let Some(next) = next else { break };
        let to = (next - Days::new(1)).min(period.end());
        parts.extend(Period::new(from, to).ok());
        from = next;
    }
    parts
}

/// The points of a trend: of `parts`, those begun by `today`, each with its figure from
/// `figures` (given those parts, in order).
fn trend(parts: Vec<Period>, today: NaiveDate, figures: impl FnOnce(&[Period]) -> Vec<Ratio>) -> Vec<TrendPoint> {
    let begun: Vec<Period> = parts.into_iter().filter(|part| part.start() <= today).collect();
    let ratios = figures(&begun);
    debug_assert_eq!(ratios.len(), begun.len());
    begun.iter().zip(ratios).map(|(part, ratio)| TrendPoint { from: part.start(), ratio }).collect()
}

fn not_back(inputs: &FigureInputs<'_>, students: &[&Student], period: Period, today: NaiveDate) -> Vec<StudentId> {
    let Some(counted) = period.up_to(today) else { return Vec::new() };
    let mut school_days: BTreeMap<SchoolId, Vec<NaiveDate>> = BTreeMap::new();
    let mut out: Vec<&Student> = students
        .iter()
        .copied()
        .filter(|student| inputs.counted_status(student, today).on_roll())
        .filter(|student| {
            let marks = inputs.day_marks(student.id);
            let days = school_days
                .entry(student.school)
                .or_insert_with(|| inputs.calendar(student.school).school_days(counted.start(), counted.end()));
            // Absent on every day known, and at least one day known; the first day in class ends it.
            let mut known = days.iter().filter_map(|day| marks.known(*day)).peekable();
            known.peek().is_some() && known.all(MarkKind::is_absent)
        })
        .collect();
    crate::sorting::sort_by(&mut out, |a, b| (a.class, &a.name, a.id).cmp(&(b.class, &b.name, b.id)));
    out.into_iter().map(|student| student.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::SchoolKind;
    use crate::status::Status::*;
    use crate::test_school::{day, TestSchool};

    const TODAY: &str = "2026-10-20";

    fn dashboard(f: &TestSchool, school: SchoolId) -> SchoolDashboard {
        school_dashboard(&f.state, school, day(TODAY), &EarlyWarningTable::default()).unwrap()
    }

    /// A nine-year school: two junior classes and a primary one, each with a register handed
    /// in every school day from 1 September.
    fn three_classes() -> (TestSchool, SchoolId, [ClassId; 3]) {
        let mut f = TestSchool::empty();
        let school = f.one_school(SchoolKind::NineYear);
        let classes = [f.class(school, 7, "王老师"), f.class(school, 8, "李老师"), f.class(school, 3, "赵老师")];
        for class in classes {
            f.enrolled(class, "2026-08-25", 4);
            f.record_days(school, class, "2026-09-01", TODAY);
        }
        (f, school, classes)
    }

    #[test]
    fn classes_are_ranked_within_their_stage_by_dropouts_then_attendance() {
        let (mut f, school, [seven, eight, three]) = three_classes();
        // Grade 8 loses a child; grade 7 has one absence; both stages stay apart.
        let gone = f.student_with(eight, &[("2026-08-25", Enrolled), ("2026-10-09", DroppedOut)]);
        let absent = f.state.students_in_class(seven)[0].id;
        f.mark(absent, "2026-09-02", MarkKind::Sick);
        let board = dashboard(&f, school);
        let order: Vec<(ClassId, Option<usize>)> = board.classes.iter().map(|line| (line.class, line.rank)).collect();
        assert_eq!(order, vec![(three, Some(1)), (seven, Some(1)), (eight, Some(2))]);
        assert_eq!(board.stages, vec![Stage::Primary, Stage::Junior]);
        let eighth = board.classes.iter().find(|line| line.class == eight).unwrap();
        assert!(!eighth.without_dropout());
        assert_eq!(eighth.figures.dropout, Ratio::new(1, 5));
        let (behind, rest) =
            children_behind(&f.inputs(), &f.state.students_in_class(eight), board.period, day(TODAY), Rate::Dropout);
        assert_eq!((behind, rest.len()), (vec![gone], 4));
        assert_eq!(board.behind.junior.get(&Rate::Dropout), Some(&vec![gone]));

        // A fourth class as good as grade 7 shares its place; grade 8 comes third.
        let nine = f.class(school, 9, "孙老师");
        f.enrolled(nine, "2026-08-25", 4);
        f.record_days(school, nine, "2026-09-01", TODAY);
        let child = f.state.students_in_class(nine)[0].id;
        f.mark(child, "2026-09-03", MarkKind::Personal);
        let ranks: Vec<(ClassId, Option<usize>)> =
            dashboard(&f, school).classes.iter().map(|line| (line.class, line.rank)).collect();
        assert_eq!(ranks[1..], [(seven, Some(1)), (nine, Some(1)), (eight, Some(3))]);
    }

    /// Every count the dashboard shows in two places is the same number: its classes add up to
    /// the school's figures, and its 无辍学班 are the figure's numerator.
    #[test]
    fn the_classes_add_up_to_the_school() {
        let (mut f, school, [seven, eight, _]) = three_classes();
        f.student_with(eight, &[("2026-08-25", Enrolled), ("2026-10-09", DroppedOut)]);
        f.student_with(seven, &[("2026-08-25", Enrolled), ("2026-09-09", DroppedOut), ("2026-09-20", Returned)]);
        for (i, student) in f.state.students_in_class(seven).iter().enumerate() {
            f.mark(student.id, &format!("2026-09-{:02}", 2 + i), MarkKind::Unexcused);
        }
        let board = dashboard(&f, school);
        let summed: StudentFigures = board.classes.iter().map(|line| line.figures).sum();
        assert_eq!(summed, board.figures.students.both());
        for stage in [Stage::Primary, Stage::Junior] {
            let of_stage: Vec<&ClassLine> = board.classes.iter().filter(|line| line.grade.stage() == stage).collect();
            let without = of_stage.iter().filter(|line| line.without_dropout()).count() as u64;
            assert_eq!(Ratio::new(without, of_stage.len() as u64), *board.figures.classes_without_dropout.get(stage));
        }
        // The weeks partition the term so far: their attendance adds up to the term's.
        let weekly: Ratio = board.weekly_attendance.iter().map(|point| point.ratio).sum();
        assert_eq!(weekly, board.figures.students.both().attendance);
        assert_eq!(board.weekly_attendance[0].from, day("2026-09-01"));
        assert_eq!(board.weekly_attendance[1].from, day("2026-09-07"));
        assert_eq!(board.weekly_attendance.last().unwrap().from, day("2026-10-19"));
        let months: Vec<NaiveDate> = board.monthly_dropout.iter().map(|point| point.from).collect();
        assert_eq!(months, vec![day("2026-09-01"), day("2026-10-01")]);
        assert_eq!(board.monthly_dropout.iter().map(|point| point.ratio.numerator).collect::<Vec<_>>(), vec![1, 1]);
    }

    #[test]
    fn a_child_absent_every_recorded_day_of_the_term_has_not_come_back() {
        let (mut f, school, [seven, _, _]) = three_classes();
        let away = f.student_with(seven, &[("2026-08-25", Enrolled)]);
        let once_in = f.student_with(seven, &[("2026-08-25", Enrolled)]);
        for date in f.state.calendar(school).school_days(day("2026-09-01"), day(TODAY)) {
            let date = date.to_string();
            f.mark(away, &date, MarkKind::Unexcused);
            if date != "2026-09-03" {
                f.mark(once_in, &date, MarkKind::Sick);
            }
        }
        assert_eq!(dashboard(&f, school).not_back, vec![away]);
    }

    /// With the default 10%: absent on 3 of the 36 school days so far (8.3%) is the warning
    /// band, 4 (11.1%) chronic, 1 (2.8%) neither.
    #[test]
    fn the_warning_band_is_below_chronic_absence() {
        let (mut f, school, [seven, _, _]) = three_classes();
        let days = f.state.calendar(school).school_days(day("2026-09-01"), day(TODAY));
        assert_eq!(days.len(), 36);
        let children: Vec<StudentId> = f.state.students_in_class(seven).iter().map(|s| s.id).collect();
        for (child, absent) in children.iter().zip([3, 4, 1]) {
            for date in &days[..absent] {
                f.mark(*child, &date.to_string(), MarkKind::Sick);
            }
        }
        let board = dashboard(&f, school);
        assert_eq!(board.absence_warning.junior, Ratio::new(1, 8));
        assert_eq!(board.figures.students.junior.chronic_absence, Ratio::new(1, 8));
        let roll = f.state.students_in_class(seven);
        let (warned, _) = children_behind(&f.inputs(), &roll, board.period, day(TODAY), Rate::AbsenceWarning);
        assert_eq!(warned, vec![children[0]]);
    }

    #[test]
    fn open_overdue_and_escalated_cases_are_counted_apart() {
        let mut f = TestSchool::new();
        let one = f.enrol("张小明", None);
        let two = f.enrol("李小红", None);
        let three = f.enrol("王小刚", None);
        f.open_case(one);
        // Due on 30 November: open, not overdue on 20 October, overdue on 1 December.
        f.open_case(two);
        let escalated = f.open_case(three);
        f.case_status(escalated, CaseStatus::Escalated);
        let board = dashboard(&f, crate::test_school::SCHOOL);
        assert_eq!(board.cases, CaseCounts { open: 2, overdue: 0, escalated: 1 });
        let december =
            school_dashboard(&f.state, crate::test_school::SCHOOL, day("2026-12-01"), &EarlyWarningTable::default())
                .unwrap();
        assert_eq!(december.cases, CaseCounts { open: 2, overdue: 2, escalated: 1 });
    }

    #[test]
    fn weeks_start_on_mondays_and_months_on_the_first() {
        let term = Period::new(day("2026-09-01"), day("2026-10-04")).unwrap();
        let starts: Vec<NaiveDate> = weeks(term).iter().map(|week| week.start()).collect();
        assert_eq!(starts.first(), Some(&day("2026-09-01")));
        assert!(starts[1..].iter().all(|start| start.weekday() == chrono::Weekday::Mon));
        assert_eq!(weeks(term).last().unwrap().end(), day("2026-10-04"));
        let december = Period::new(day("2026-12-15"), day("2027-01-20")).unwrap();
        let parts: Vec<(NaiveDate, NaiveDate)> = months(december).iter().map(|m| (m.start(), m.end())).collect();
        assert_eq!(parts, vec![(day("2026-12-15"), day("2026-12-31")), (day("2027-01-01"), day("2027-01-20"))]);
    }
}
