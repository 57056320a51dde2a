//! Every count that appears on more than one screen or paper is the same number, for generated
//! schools with cases, returns and relapses: the dashboard, the monthly reports, the ledgers,
//! the 家访登记表 and the lists behind each rate. "不能一个部门一个数字": one record, one count, everywhere.

use baoxue_datagen::{generate, Size, Spec};
use baoxue_domain::attendance_day::school_day;
use baoxue_domain::dashboard::{children_behind, school_dashboard, Rate};
use baoxue_domain::figures::{FigureInputs, Period, Ratio, StudentFigures, Visited};
use baoxue_domain::ledger::{dropouts, ledgers, ExitCategory};
use baoxue_domain::monthly_report::{monthly_report, Standing};
use baoxue_domain::risk::{at_risk_board, EarlyWarningTable, Level};
use baoxue_domain::visit_register::visit_register;
use chrono::Datelike;

#[test]
fn the_dashboard_the_monthly_reports_and_the_ledgers_agree() {
    let (mut schools_with_cases, mut visits_listed, mut returns_listed) = (0, 0, 0);
    for seed in 0..3 {
        let dataset = generate(&Spec::new(seed, Size::School));
        let state = dataset.state();
        let today = dataset.spec.today;
        let school = dataset.schools[0].school.id;
        let board = school_dashboard(&state, school, today, &EarlyWarningTable::default()).unwrap();
        let ledgers = ledgers(&state, school, today);
        schools_with_cases += usize::from(!state.cases().is_empty());

        // The classes add up to the school, and their 无辍学班 are the figure's numerator.
        let summed: StudentFigures = board.classes.iter().map(|line| line.figures).sum();
        assert_eq!(summed, board.figures.students.both(), "seed {seed}");
        let without = board.classes.iter().filter(|line| line.without_dropout()).count() as u64;
        assert_eq!(without, board.figures.classes_without_dropout.both().numerator, "seed {seed}");

        // The children listed behind each rate are as many as its numerator says.
        let students = state.students_at(school);
        let inputs = FigureInputs::new(&state);
        for rate in [Rate::Dropout, Rate::Returned, Rate::StillAttending, Rate::ChronicAbsence] {
            let (behind, rest) = children_behind(&inputs, &students, board.period, today, rate);
            let shown = rate.of(&board.figures.students.both(), 0);
            assert_eq!(
                Ratio::new(behind.len() as u64, (behind.len() + rest.len()) as u64),
                shown,
                "seed {seed} {rate:?}"
            );
        }
        let (warned, _) = children_behind(&inputs, &students, board.period, today, Rate::AbsenceWarning);
        assert_eq!(warned.len() as u64, board.absence_warning.both().numerator, "seed {seed}");

        // The 家访登记表 lists the visits the dashboard's quota table counts: as many per head
        // teacher, and the same quota lines.
        let register = visit_register(&state, school, today).unwrap();
        assert_eq!(register.quota, board.visits, "seed {seed}");
        for row in &board.visits {
            if let Visited::HeadTeacher(name) = &row.visited {
                let listed = register.entries.iter().filter(|entry| entry.visitors.iter().any(|v| v.trim() == name));
                assert_eq!(listed.count() as u64, row.done, "seed {seed} {name}");
            }
        }
        visits_listed += register.entries.len();

        // Each month's report: its dropouts are the dashboard's monthly trend, its rows at the
        // month's end are the dropout ledger of that day, and the month's 动态销号 are the
        // rows that left.
        assert!(!board.monthly_dropout.is_empty());
        for point in &board.monthly_dropout {
            let report = monthly_report(&state, school, point.from, today).unwrap();
            assert_eq!(report.totals.dropout.both(), point.ratio, "seed {seed} {}", point.from);
            let ledger = dropouts(&state, school, report.until);
            assert_eq!(report.totals.on_ledger_at_end, ledger.rows.len(), "seed {seed}");
            let out = report.rows.iter().filter(|row| matches!(row.standing, Standing::Out(_))).count();
            assert_eq!(out, ledger.rows.len(), "seed {seed}");
            let left: Vec<_> =
                ledger.cleared_in_month_of(point.from).filter(|row| row.left_on <= report.until).collect();
            let returned = left.iter().filter(|row| row.category() == ExitCategory::Returned).count();
            assert_eq!((report.totals.returned, report.totals.left_otherwise), (returned, left.len() - returned));
            let unconfirmed =
                report.rows.iter().filter(|row| matches!(row.standing, Standing::TransferUnconfirmed)).count();
            assert_eq!(report.rows.len(), ledger.rows.len() + left.len() + unconfirmed, "seed {seed}");
            assert_eq!((report.year, report.month), (point.from.year(), point.from.month()));
        }

        // The 复学学生名单 of the term lists the returns the term's monthly reports count.
        let returned_on_reports: usize = board
            .monthly_dropout
            .iter()
            .map(|point| monthly_report(&state, school, point.from, today).unwrap().totals.returned)
            .sum();
        let period = board.period.up_to(today).unwrap();
        assert_eq!(ledgers.dropouts.returned_in(period).count(), returned_on_reports, "seed {seed}");
        returns_listed += returned_on_reports;

        // The 教导处出席日统计表 of each past school day: its registers handed in add up to the
        // dashboard's registers figure, and its total is the sum of its classes' lines.
        let mut registers = Ratio::default();
        for day in state.calendar(school).school_days(period.start(), period.end()) {
            let paper = school_day(&state, school, day);
            for class in &paper.classes {
                if day < today || class.recorded {
                    registers = registers + Ratio::one(class.recorded);
                }
            }
            let expected: usize = paper.classes.iter().map(|class| class.summary.expected).sum();
            assert_eq!(paper.total.expected, expected, "seed {seed} {day}");
        }
        assert_eq!(registers, board.figures.registers_recorded.both(), "seed {seed}");

        // The report of the month in progress ends today, with today's ledgers.
        let now = monthly_report(&state, school, today, today).unwrap();
        assert_eq!(now.totals.on_ledger_at_end, ledgers.dropouts.rows.len(), "seed {seed}");
        // The term's 辍学率 counts every child who dropped out in the term: each of them is on
        // some month's report.
        let on_reports: std::collections::BTreeSet<_> = board
            .monthly_dropout
            .iter()
            .flat_map(|point| monthly_report(&state, school, point.from, today).unwrap().rows)
            .map(|row| row.student)
            .collect();
        let (term_dropouts, _) = children_behind(&inputs, &students, board.period, today, Rate::Dropout);
        for child in term_dropouts {
            let events: Vec<_> = state.timeline(child).events().iter().map(|e| (e.date, e.status)).collect();
            assert!(on_reports.contains(&child), "seed {seed}: a dropout of the term on no monthly report: {events:?}");
        }
    }
    assert!(schools_with_cases > 0, "the generated schools should have cases");
    assert!(visits_listed > 0, "the generated schools should have home visits");
    assert!(returns_listed > 0, "the generated schools should have children back in school");
}

/// The dashboard works out a whole school's risk levels and trends at once, through the
/// figures' indexes; the at-risk board and the figures of one week or month read the records
/// child by child. Over a school year (the spring term's dashboard, the autumn behind it) and
/// over one term, both ways give the same numbers.
#[test]
fn the_dashboards_risk_counts_and_trends_are_those_worked_out_child_by_child() {
    for spec in [Spec::school_year(3, Size::School), Spec::new(4, Size::School)] {
        let dataset = generate(&spec);
        let state = dataset.state();
        let today = dataset.spec.today;
        let school = dataset.schools[0].school.id;
        let table = EarlyWarningTable::default();
        let board = school_dashboard(&state, school, today, &table).unwrap();

        let at_risk = at_risk_board(&state, None, today, &table);
        let level = |wanted: Level| at_risk.rows.iter().filter(|row| row.assessment.level == wanted).count();
        assert_eq!((board.risk.high, board.risk.medium), (level(Level::High), level(Level::Medium)), "{today}");
        assert_eq!(board.risk.low, at_risk.low_count, "{today}");
        assert!(board.risk.high + board.risk.medium > 0, "{today}: the generated school should have children at risk");

        let students = state.students_at(school);
        let inputs = FigureInputs::new(&state);
        let sum = |part, rate: Rate| -> Ratio {
            inputs.each_student_figures(&students, part, today).iter().map(|(_, own)| rate.of(own, 0)).sum()
        };
        assert!(board.weekly_attendance.len() > 10, "{today}");
        for (point, next) in board.weekly_attendance.iter().zip(board.weekly_attendance.iter().skip(1)) {
            let week = Period::new(point.from, next.from.pred_opt().unwrap()).unwrap();
            assert_eq!(point.ratio, sum(week, Rate::Attendance), "week of {}", point.from);
        }
        let ends = board.monthly_dropout.iter().skip(1).map(|next| next.from.pred_opt().unwrap());
        for (point, end) in board.monthly_dropout.iter().zip(ends.chain([board.period.end()])) {
            let month = Period::new(point.from, end).unwrap();
            assert_eq!(point.ratio, sum(month, Rate::Dropout), "month of {}", point.from);
        }
        assert!(board.monthly_dropout.iter().any(|point| point.ratio.numerator > 0), "{today}: no dropout in a month");
    }
}
