//! Each figure against numbers worked out by hand; the working is beside each test. Unless a
//! test says otherwise: the autumn term of 2026 starts Tuesday 1 September, a transfer receipt
//! is due within 15 days, "still attending" is checked 30 days after a return, chronic absence
//! is 1000 bp (10%), and the quotas are 15 visits per head teacher and 3 per relapsing child.

use crate::attendance::MarkKind;
use crate::calendar::DayKind;
use crate::contact::ContactMethod;
use crate::figures::{Figures, PerStage, Period, Ratio, SchoolLimit, Scope, StudentFigures, VisitRow, Visited, Visits};
use crate::org::{SchoolKind, Stage};
use crate::settings::Rules;
use crate::status::Status::*;
use crate::test_school::{day, TestSchool};

fn period(start: &str, end: &str) -> Period {
    Period::new(day(start), day(end)).unwrap()
}

#[test]
fn dropout_rate_counts_each_child_once_and_only_real_dropouts() {
    let mut f = TestSchool::empty();
    let school = f.one_school(SchoolKind::NineYear);
    let class = f.class(school, 8, "王老师");
    // On the roll on 31 August: 8 plain students and 5 with a story.
    f.enrolled(class, "2026-08-25", 8);
    f.student_with(
        class,
        &[
            ("2026-08-25", Enrolled),
            ("2026-09-08", DroppedOut),
            ("2026-09-14", Returned),
            ("2026-09-21", DroppedOut),
            ("2026-09-28", Returned),
        ],
    );
    f.student_with(
        class,
        &[("2026-08-25", Enrolled), ("2026-09-03", TransferOutPending), ("2026-09-10", TransferOutConfirmed)],
    );
    // Receipt due by 17 September, came on the 25th: a dropout from the 17th.
    f.student_with(
        class,
        &[("2026-08-25", Enrolled), ("2026-09-02", TransferOutPending), ("2026-09-25", TransferOutConfirmed)],
    );
    f.student_with(class, &[("2026-08-25", Enrolled), ("2026-09-15", Deceased)]);
    f.student_with(class, &[("2026-08-25", Enrolled), ("2026-09-20", DroppedOut), ("2026-09-22", BeingPersuaded)]);
    // Came onto the roll in September.
    f.student_with(class, &[("2026-09-10", TransferredIn)]);
    f.student_with(class, &[("2026-09-07", Enrolled)]);
    // Never on the roll in September.
    f.student_with(class, &[("2023-09-01", Enrolled), ("2026-07-01", Graduated)]);
    f.student_with(class, &[("2026-10-08", Enrolled)]);
    f.student_with(class, &[("2025-09-01", Enrolled), ("2026-06-10", DroppedOut)]);

    let figures = f.inputs().figures(&Scope::School(school), period("2026-09-01", "2026-09-30"), day("2026-10-20"));
    let junior = figures.students.junior;
    // 3 dropouts (the twice-gone child once, the late receipt, the one being persuaded) of
    // 13 on the roll on 31 August + 2 who came onto it = 3/15.
    assert_eq!(junior.dropout, Ratio::new(3, 15));
    // Dropouts at some time in September: the twice-gone child, the one being persuaded, and
    // the one out since June; only the first came back = 1/3. The late receipt was a
    // suspected dropout, never on the dropout ledger.
    assert_eq!(junior.returned, Ratio::new(1, 3));
    // The twice-gone child's latest return whose 30 days are up by 20 October is the one of
    // 14 September; on 14 October the child is on the roll = 1/1.
    assert_eq!(junior.still_attending, Ratio::new(1, 1));
    assert_eq!(figures.students.primary.dropout, Ratio::new(0, 0));
    assert_eq!(figures.students.primary.dropout.value(), None);
    assert_eq!(
        f.inputs().figures(&Scope::Class(class), period("2026-09-01", "2026-09-30"), day("2026-10-20")).students,
        figures.students
    );
    // The children behind the figures, one by one: three in the dropout numerator, the one
    // who came back in the return numerator, and each ratio of one child is 0/0, 0/1 or 1/1.
    let inputs = f.inputs();
    let students = inputs.students_in(&Scope::School(school));
    let each =
        inputs.each_student_figures(students.iter().copied(), period("2026-09-01", "2026-09-30"), day("2026-10-20"));
    let count =
        |pick: fn(&StudentFigures) -> Ratio| each.iter().fold(Ratio::default(), |sum, (_, own)| sum + pick(own));
    assert_eq!(count(|own| own.dropout), Ratio::new(3, 15));
    assert_eq!(count(|own| own.returned), Ratio::new(1, 3));
    assert!(each
        .iter()
        .all(|(_, own)| own.dropout.numerator <= own.dropout.denominator && own.dropout.denominator <= 1));
}

#[test]
fn returned_and_still_attending_thirty_days_later() {
    let mut f = TestSchool::empty();
    let school = f.one_school(SchoolKind::Junior);
    let class = f.class(school, 7, "王老师");
    f.student_with(class, &[("2026-08-25", Enrolled), ("2026-09-07", DroppedOut), ("2026-09-14", Returned)]);
    f.student_with(
        class,
        &[("2026-08-25", Enrolled), ("2026-09-07", DroppedOut), ("2026-09-21", Returned), ("2026-10-12", DroppedOut)],
    );
    f.student_with(class, &[("2026-08-25", Enrolled), ("2026-09-07", DroppedOut), ("2026-10-20", Returned)]);

    let junior = f
        .inputs()
        .figures(&Scope::School(school), period("2026-09-01", "2027-01-20"), day("2026-11-10"))
        .students
        .junior;
    // All three dropped out and came back = 3/3.
    assert_eq!(junior.returned, Ratio::new(3, 3));
    // Checked on 14 October: on the roll. Checked on 21 October: out again since the 12th.
    // The return of 20 October is checked on 19 November, after today: not yet counted = 1/2.
    assert_eq!(junior.still_attending, Ratio::new(1, 2));
    assert_eq!(junior.dropout, Ratio::new(3, 3));
}

#[test]
fn attendance_counts_school_days_on_the_roll_and_skips_a_holiday_inside_absences() {
    let mut f = TestSchool::empty();
    let school = f.one_school(SchoolKind::NineYear);
    for holiday in ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"] {
        f.day_kind(school, holiday, DayKind::Holiday);
    }
    let class = f.class(school, 3, "李老师");
    let truant = f.student_with(class, &[("2026-08-25", Enrolled)]);
    // Absent Tuesday 29 and Wednesday 30 September, (National Day week), Thursday 8 October:
    // a run broken by a holiday. The marks typed on holidays count for nothing.
    for date in ["2026-09-29", "2026-09-30", "2026-10-01", "2026-10-05", "2026-10-08"] {
        f.mark(truant, date, MarkKind::Unexcused);
    }
    f.mark(truant, "2026-10-09", MarkKind::Late);
    let sick = f.student_with(class, &[("2026-08-25", Enrolled)]);
    f.mark(sick, "2026-09-28", MarkKind::Sick);
    f.student_with(class, &[("2026-09-30", Enrolled)]);
    // Counted before the registers are handed in: only the marked days are known. Truant: 3
    // absent, 1 late; sick: 1 absent; the newcomer: nothing known = 1 of 5.
    let unrecorded = f.inputs().figures(&Scope::Class(class), period("2026-09-28", "2026-10-09"), day("2026-10-20"));
    assert_eq!(unrecorded.students.primary.attendance, Ratio::new(1, 5));
    // And the figures say why: none of the class's 5 past school days was handed in.
    assert_eq!(unrecorded.registers_recorded.primary, Ratio::new(0, 5));
    f.record_days(school, class, "2026-09-28", "2026-10-09");
    let recorded = f.inputs().figures(&Scope::Class(class), period("2026-09-28", "2026-10-09"), day("2026-10-20"));
    assert_eq!(recorded.registers_recorded.primary, Ratio::new(5, 5));

    let primary = f
        .inputs()
        .figures(&Scope::Class(class), period("2026-09-28", "2026-10-09"), day("2026-10-20"))
        .students
        .primary;
    // School days: 28, 29, 30 September, 8, 9 October = 5. Truant: present on the 28th
    // (unmarked) and late on the 9th = 2 of 5. Sick: 4 of 5. New from the 30th: 3 of 3.
    // 2 + 4 + 3 = 9 of 5 + 5 + 3 = 13.
    assert_eq!(primary.attendance, Ratio::new(9, 13));
    // Absent 3 of 5 (60%) and 1 of 5 (20%) are chronic at 10%; 0 of 3 is not = 2/3.
    assert_eq!(primary.chronic_absence, Ratio::new(2, 3));
}

#[test]
fn chronic_absence_is_at_least_the_share_of_school_days_so_far() {
    let mut f = TestSchool::empty();
    let school = f.one_school(SchoolKind::Junior);
    let class = f.class(school, 8, "王老师");
    let at_the_line = f.student_with(class, &[("2026-08-25", Enrolled)]);
    f.mark(at_the_line, "2026-09-03", MarkKind::Sick);
    f.mark(at_the_line, "2026-09-04", MarkKind::Unexcused);
    let below = f.student_with(class, &[("2026-08-25", Enrolled)]);
    f.mark(below, "2026-09-08", MarkKind::Personal);
    f.mark(below, "2026-09-12", MarkKind::Unexcused); // A Saturday.
    let gone = f.student_with(class, &[("2026-08-25", Enrolled), ("2026-09-14", DroppedOut)]);
    for date in ["2026-09-07", "2026-09-08", "2026-09-09", "2026-09-10", "2026-09-11"] {
        f.mark(gone, date, MarkKind::Unexcused);
    }
    f.student_with(class, &[("2026-08-25", Enrolled)]);
    let newcomer = f.student_with(class, &[("2026-09-21", TransferredIn)]);
    f.mark(newcomer, "2026-09-22", MarkKind::Unexcused);
    f.record_days(school, class, "2026-09-01", "2026-09-28");

    let term_so_far = period("2026-09-01", "2027-01-20");
    let today = day("2026-09-28");
    let junior = f.inputs().figures(&Scope::School(school), term_so_far, today).students.junior;
    // 20 school days from 1 to 28 September. 2 of 20 is exactly 10%: chronic. 1 of 20 is
    // not. The newcomer was on the roll 6 school days and missed 1 (16.7%): chronic. The
    // dropout is off the roll on the 28th; the last one missed nothing. = 2/4.
    assert_eq!(junior.chronic_absence, Ratio::new(2, 4));

    // At 15%: 10% is no longer chronic, 16.7% still is = 1/4.
    f.rules(school, Rules { chronic_absence_bp: 1500, ..Rules::default() });
    let junior = f.inputs().figures(&Scope::School(school), term_so_far, today).students.junior;
    assert_eq!(junior.chronic_absence, Ratio::new(1, 4));
}

#[test]
fn consolidation_counts_resident_children_of_six_to_fifteen_on_a_roll() {
    let mut f = TestSchool::empty();
    let county = f.county();
    let town = f.town(county);
    let school = f.school(town, SchoolKind::NineYear);
    let elsewhere = f.school(town, SchoolKind::Junior);
    let class = f.class(school, 1, "李老师");
    let other_class = f.class(elsewhere, 7, "赵老师");
    let six_today = f.student_with(class, &[("2026-09-01", Enrolled)]);
    let dropout = f.student_with(class, &[("2026-09-01", Enrolled), ("2026-09-14", DroppedOut)]);
    let at_another_school = f.student_with(other_class, &[("2026-09-01", Enrolled)]);
    f.resident(school, "适龄儿童", "2020-09-30", Some(six_today));
    f.resident(school, "适龄儿童", "2020-10-01", Some(six_today)); // Still 5.
    f.resident(school, "适龄儿童", "2011-01-01", Some(dropout));
    f.resident(school, "适龄儿童", "2010-09-30", None); // 16 today.
    f.resident(school, "适龄儿童", "2015-05-05", None);
    f.resident(school, "适龄儿童", "2014-02-02", Some(at_another_school));

    let inputs = f.inputs();
    // Aged 6 to 15 on 30 September: 4. On a roll: the six-year-old and the child at another
    // school = 2/4. The dropout and the unmatched child are not enrolled.
    let on_the_day = inputs.consolidation(inputs.residents_in(&Scope::School(school)), day("2026-09-30"));
    assert_eq!(on_the_day, Ratio::new(2, 4));
    let figures = inputs.figures(&Scope::School(school), period("2026-09-01", "2026-09-30"), day("2026-10-20"));
    assert_eq!(figures.consolidation, Ratio::new(2, 4));
    assert_eq!(
        inputs.figures(&Scope::Class(class), period("2026-09-01", "2026-09-30"), day("2026-10-20")).consolidation,
        Ratio::new(0, 0)
    );
}

#[test]
fn cohort_consolidation_leaves_out_deaths_and_confirmed_transfers() {
    let mut f = TestSchool::empty();
    let school = f.one_school(SchoolKind::Junior);
    let class = f.class(school, 9, "王老师");
    let entered = ("2024-09-01", Enrolled);
    let mut cohort = Vec::new();
    for _ in 0..3 {
        cohort.push(f.student_with(class, &[entered, ("2027-07-01", Graduated)]));
    }
    cohort.push(f.student_with(class, &[entered, ("2026-03-01", Deceased)]));
    cohort.push(
        f.student_with(class, &[entered, ("2025-10-01", TransferOutPending), ("2025-10-05", TransferOutConfirmed)]),
    );
    cohort.push(f.student_with(class, &[entered, ("2026-11-01", DroppedOut)]));
    cohort.push(f.student_with(class, &[entered, ("2026-05-01", TransferOutPending)]));
    cohort.push(f.student_with(class, &[entered, ("2026-06-01", VocationalTrack)]));

    // 8 entrants − 1 death − 1 confirmed transfer − 1 中职分流 = 5; 3 graduated = 3/5. The
    // dropout and the transfer never confirmed stay in the denominator.
    let ratio = f.inputs().cohort_consolidation(cohort.iter().copied().chain([cohort[0]]), day("2027-07-10"));
    assert_eq!(ratio, Ratio::new(3, 5));
}

#[test]
fn visits_are_counted_per_head_teacher_and_per_relapsing_child() {
    let mut f = TestSchool::empty();
    let county = f.county();
    let town = f.town(county);
    let school = f.school(town, SchoolKind::NineYear);
    let neighbour = f.school(town, SchoolKind::Junior);
    let eight_one = f.class(school, 8, "王老师");
    let eight_two = f.class(school, 8, "李老师");
    let nine_one = f.class(school, 9, "王老师"); // Heads two classes: one quota.
    f.class(school, 3, " "); // No head teacher recorded: no row.
    let kid = f.student_with(eight_one, &[("2026-08-25", Enrolled)]);
    let other_kid = f.student_with(eight_two, &[("2026-08-25", Enrolled)]);
    let relapsing = f.student_with(
        nine_one,
        &[("2026-08-25", Enrolled), ("2026-09-07", DroppedOut), ("2026-09-21", Returned), ("2026-10-12", DroppedOut)],
    );
    for date in ["2026-09-10", "2026-09-20", "2026-10-05"] {
        f.contact(kid, date, ContactMethod::HomeVisit);
    }
    f.contact_by(other_kid, "2026-10-15", ContactMethod::HomeVisit, &["王老师", "李老师"]);
    f.contact(kid, "2026-10-16", ContactMethod::Phone);
    f.contact(kid, "2026-08-28", ContactMethod::HomeVisit); // Before the term.
    let mistake = f.contact(kid, "2026-11-02", ContactMethod::HomeVisit);
    f.retract(mistake);
    f.contact(kid, "2026-12-05", ContactMethod::HomeVisit); // After today.
    f.contact(relapsing, "2026-10-13", ContactMethod::HomeVisit);
    f.contact_by(relapsing, "2026-10-20", ContactMethod::HomeVisit, &["村干部"]);
    for n in 0..15 {
        let date = day("2026-10-19") + chrono::Days::new(n);
        f.contact_by(other_kid, &date.to_string(), ContactMethod::HomeVisit, &["李老师"]);
    }
    // A namesake at the neighbouring school: their visits are theirs.
    let neighbour_class = f.class(neighbour, 7, "王老师");
    let neighbour_kid = f.student_with(neighbour_class, &[("2026-08-25", Enrolled)]);
    f.contact(neighbour_kid, "2026-10-01", ContactMethod::HomeVisit);

    let inputs = f.inputs();
    let term = period("2026-09-01", "2027-01-20");
    let today = day("2026-12-01");
    let mut rows = inputs.visit_rows(&Scope::School(school), term, today);
    rows.sort_by(|a, b| a.visited.cmp(&b.visited));
    let row = |visited: Visited, done: u64, quota: u64| VisitRow { school, visited, done, quota };
    // 王老师: 3 to the kid + 1 joint + 1 to the relapsing child = 5 of 15. 李老师: 1 joint +
    // 15 = 16 of 15. The relapsing child (dropped out 7 September and 12 October): 2 of 3.
    assert_eq!(
        rows,
        vec![
            row(Visited::HeadTeacher("李老师".into()), 16, 15),
            row(Visited::HeadTeacher("王老师".into()), 5, 15),
            row(Visited::RelapsingChild(relapsing), 2, 3),
        ]
    );
    let figures = inputs.figures(&Scope::School(school), term, today);
    // Toward the quota: 5 + 15 (李老师's 16th is over quota) = 20 of 30; 1 of 2 met it.
    assert_eq!(
        figures.head_teacher_visits,
        Visits { done: 21, toward_quota: Ratio::new(20, 30), on_quota: Ratio::new(1, 2) }
    );
    assert_eq!(
        figures.relapsing_child_visits,
        Visits { done: 2, toward_quota: Ratio::new(2, 3), on_quota: Ratio::new(0, 1) }
    );
    // The town adds the neighbour's 王老师: 1 of 15.
    let town_figures = inputs.figures(&Scope::Town(town), term, today);
    assert_eq!(town_figures.head_teacher_visits.toward_quota, Ratio::new(21, 45));
}

#[test]
fn classes_without_dropout_in_the_term() {
    let mut f = TestSchool::empty();
    let school = f.one_school(SchoolKind::NineYear);
    let with_dropout = f.class(school, 7, "王老师");
    f.enrolled(with_dropout, "2026-08-25", 3);
    f.student_with(with_dropout, &[("2026-08-25", Enrolled), ("2026-09-15", DroppedOut)]);
    let dropout_last_term = f.class(school, 7, "李老师");
    f.enrolled(dropout_last_term, "2026-08-25", 3);
    f.student_with(dropout_last_term, &[("2025-09-01", Enrolled), ("2026-06-10", DroppedOut)]);
    let unconfirmed_transfer = f.class(school, 8, "赵老师");
    // Receipt due by 16 September and never came: a dropout in the term.
    f.student_with(unconfirmed_transfer, &[("2026-08-25", Enrolled), ("2026-09-01", TransferOutPending)]);
    f.class(school, 9, "钱老师"); // No students.
    let primary = f.class(school, 3, "孙老师");
    f.enrolled(primary, "2026-08-25", 2);

    let figures = f.inputs().figures(&Scope::School(school), period("2026-09-01", "2026-09-30"), day("2026-10-20"));
    // Junior: the class whose dropout left in June and the empty class = 2/4. Primary: 1/1.
    assert_eq!(figures.classes_without_dropout, PerStage { primary: Ratio::new(1, 1), junior: Ratio::new(2, 4) });
}

#[test]
fn schools_over_their_limit_per_stage() {
    let mut f = TestSchool::empty();
    let county = f.county();
    let town = f.town(county);
    let nine_year = f.school(town, SchoolKind::NineYear);
    f.rules(nine_year, Rules { dropout_limit_primary_bp: 500, dropout_limit_junior_bp: 1000, ..Rules::default() });
    let junior = f.school(town, SchoolKind::Junior); // Default limit: 100 bp.
    for (school, grade, students) in [(nine_year, 8, 10), (nine_year, 2, 10), (junior, 7, 20)] {
        let class = f.class(school, grade, "王老师");
        let on_roll = f.enrolled(class, "2026-08-25", students);
        f.status(on_roll[0], "2026-09-10", DroppedOut, "家访确认");
    }

    let inputs = f.inputs();
    let term = period("2026-09-01", "2027-01-20");
    let today = day("2026-10-20");
    let limit = |school, stage, dropout, limit_bp, over| SchoolLimit { school, stage, dropout, limit_bp, over };
    // Nine-year junior: 1 of 10 = 1000 bp, at its limit of 1000, not over it. Nine-year
    // primary: 1 of 10 = 1000 bp over 500. Junior school: 1 of 20 = 500 bp over 100.
    assert_eq!(
        inputs.school_limits(&Scope::Town(town), term, today),
        vec![
            limit(nine_year, Stage::Primary, Ratio::new(1, 10), 500, true),
            limit(nine_year, Stage::Junior, Ratio::new(1, 10), 1000, false),
            limit(junior, Stage::Junior, Ratio::new(1, 20), 100, true),
        ]
    );
    let figures = inputs.figures(&Scope::Town(town), term, today);
    assert_eq!(figures.schools_over_limit, PerStage { primary: Ratio::new(1, 1), junior: Ratio::new(1, 2) });
    assert_eq!(figures.students.junior.dropout, Ratio::new(2, 30));
}

#[test]
fn an_empty_class_has_no_rates_and_no_panic() {
    let mut f = TestSchool::empty();
    let school = f.one_school(SchoolKind::Junior);
    let class = f.class(school, 7, "王老师");
    let figures = f.inputs().figures(&Scope::Class(class), period("2026-09-01", "2027-01-20"), day("2026-10-20"));
    assert_eq!(figures.students, PerStage::<StudentFigures>::default());
    assert!(figures
        .ratios()
        .iter()
        .filter(|(name, _)| name.starts_with("junior.") && *name != "junior.classes_without_dropout")
        .all(|(_, ratio)| ratio.value().is_none()));
    // No dropout in an empty class: a 无辍学班. Its head teacher still owes 15 visits.
    assert_eq!(figures.classes_without_dropout.junior, Ratio::new(1, 1));
    assert_eq!(figures.head_teacher_visits.toward_quota, Ratio::new(0, 15));
}

#[test]
fn a_period_not_begun_has_empty_figures() {
    let mut f = TestSchool::empty();
    let school = f.one_school(SchoolKind::Junior);
    let class = f.class(school, 7, "王老师");
    f.enrolled(class, "2026-08-25", 2);
    let figures = f.inputs().figures(&Scope::School(school), period("2026-09-01", "2027-01-20"), day("2026-08-31"));
    assert_eq!(figures, Figures::default());
}

#[test]
fn a_transfer_is_no_dropout_until_its_receipt_is_overdue() {
    let mut f = TestSchool::empty();
    let school = f.one_school(SchoolKind::Junior);
    let class = f.class(school, 7, "王老师");
    f.student_with(class, &[("2026-08-25", Enrolled), ("2026-09-20", TransferOutPending)]);
    let term = period("2026-09-01", "2027-01-20");
    let dropout_on = |today: &str| f.inputs().figures(&Scope::School(school), term, day(today)).students.junior.dropout;
    // Recorded 20 September, receipt due within 15 days: overdue from 5 October.
    assert_eq!(dropout_on("2026-10-04"), Ratio::new(0, 1));
    assert_eq!(dropout_on("2026-10-05"), Ratio::new(1, 1));
}

#[test]
fn a_retracted_dropout_does_not_count() {
    let mut f = TestSchool::empty();
    let school = f.one_school(SchoolKind::Junior);
    let class = f.class(school, 7, "王老师");
    let child = f.student_with(class, &[("2026-08-25", Enrolled)]);
    let mistake = f.status(child, "2026-09-10", DroppedOut, "家访确认");
    f.retract(mistake);
    let junior = f
        .inputs()
        .figures(&Scope::School(school), period("2026-09-01", "2027-01-20"), day("2026-10-20"))
        .students
        .junior;
    assert_eq!(junior.dropout, Ratio::new(0, 1));
    assert_eq!(junior.returned, Ratio::new(0, 0));
}

#[test]
fn figures_survive_json() {
    let mut f = TestSchool::empty();
    let school = f.one_school(SchoolKind::NineYear);
    let class = f.class(school, 8, "王老师");
    f.student_with(class, &[("2026-08-25", Enrolled), ("2026-09-10", DroppedOut)]);
    let figures = f.inputs().figures(&Scope::School(school), period("2026-09-01", "2027-01-20"), day("2026-10-20"));
    let back: Figures = serde_json::from_str(&serde_json::to_string(&figures).unwrap()).unwrap();
    assert_eq!(back, figures);
}

#[test]
fn a_child_found_out_of_school_counts_in_both_parts_of_the_dropout_rate() {
    let mut f = TestSchool::empty();
    let school = f.one_school(SchoolKind::Junior);
    let class = f.class(school, 8, "王老师");
    f.enrolled(class, "2026-08-25", 4);
    // Found by the door-to-door check, never on the roll in these records.
    f.student_with(class, &[("2026-09-15", DroppedOut)]);
    let junior = f
        .inputs()
        .figures(&Scope::School(school), period("2026-09-01", "2026-09-30"), day("2026-10-20"))
        .students
        .junior;
    // 1 dropout of 4 on the roll + the child found = 1/5, never 1/4 (or 1/0 for a class of one).
    assert_eq!(junior.dropout, Ratio::new(1, 5));
}
