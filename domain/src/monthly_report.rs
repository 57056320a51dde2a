//! 学校辍学月报表: the monthly dropout report a school hands in by a set day each month. One row
//! per child who was on the 辍学台账 at any time in the month, in the columns schools file
//! (学校, 年级班级, 姓名, 性别, 学籍号, 辍学时间, 原因, 去向, 承包老师/责任人, 劝返情况, 处理措施), and
//! the month's totals. Every column comes from the records the ledgers and the dashboard read,
//! so the report says what they say.

use crate::case::Measure;
use crate::casework::{case_file, case_of};
use crate::dashboard::Rate;
use crate::figures::{FigureInputs, PerStage, Period, Ratio, Scope};
use crate::ids::{SchoolId, StudentId};
use crate::investigation::DropoutReason;
use crate::ledger::{dropouts, ExitCategory};
use crate::state::State;
use crate::status::Status;
use crate::student::Gender;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::BTreeSet;

/// 劝返情况 at the end of the month (or today, for the month in progress).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Still on the dropout ledger: 辍学 or 劝返中.
    Out(Status),
    /// Left the ledger in the month: how, and when.
    Left(ExitCategory, NaiveDate),
    /// A transfer out whose receiving school's 回执 was overdue in the month: counted as a
    /// dropout by the 辍学率 from the day it became overdue, and on the 疑似辍学台账 until the
    /// receipt comes or the school confirms the child out.
    TransferUnconfirmed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthlyRow {
    pub student: StudentId,
    /// 年级班级, as the class is named.
    pub class: String,
    pub name: String,
    pub gender: Gender,
    /// 学籍号; empty for a child not yet in the national system.
    pub number: String,
    /// 辍学时间: the first day of the episode.
    pub since: NaiveDate,
    pub reasons: Vec<DropoutReason>,
    /// 去向: what the newest 排查台账 row says of where the child is.
    pub whereabouts: String,
    /// 承包老师/责任人: the case's people.
    pub responsible: Vec<String>,
    pub standing: Standing,
    /// 处理措施: the case's measures.
    pub measures: Vec<Measure>,
    /// Contacts of the case in the month (visits, calls, talks).
    pub contacts_in_month: usize,
    /// A 《限期复学通知书》 issued by the end of the month.
    pub notice_issued: bool,
}

/// The month's totals, each counted the way the dashboard and the ledgers count it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MonthlyTotals {
    /// 辍学率 of the month, per stage: children who dropped out in it ÷ children on the roll in
    /// it (as the dashboard's monthly trend).
    pub dropout: PerStage<Ratio>,
    /// On the dropout ledger at the end of the month.
    pub on_ledger_at_end: usize,
    /// Left the ledger in the month back to school (复学).
    pub returned: usize,
    /// Left the ledger in the month otherwise (transfer with receipt, 送教上门, exemption, ...).
    pub left_otherwise: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthlyReport {
    pub school: String,
    pub year: i32,
    pub month: u32,
    /// The last day counted: the month's last day, or today in the month in progress.
    pub until: NaiveDate,
    /// By 辍学时间, then name.
    pub rows: Vec<MonthlyRow>,
    pub totals: MonthlyTotals,
}

/// The month that holds `day`, from its first day to its last.
pub fn month_of(day: NaiveDate) -> Option<Period> {
    let first = day.with_day(1)?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Period::new(first, next - Days::new(1)).ok()
}

/// The report of `school` for the month that holds `day`, counted up to `today` (a month in
/// progress is counted so far). `None` for a month that has not begun.
pub fn monthly_report(state: &State, school: SchoolId, day: NaiveDate, today: NaiveDate) -> Option<MonthlyReport> {
    let month = month_of(day)?;
    if month.start() > today {
        return None;
    }
    let until = month.end().min(today);
    let ledger = dropouts(state, school, until);
    let cleared: Vec<_> = ledger.cleared_in_month_of(month.start()).filter(|row| row.left_on <= until).collect();
    let mut listed: Vec<(StudentId, NaiveDate, Standing)> = ledger
        .rows
        .iter()
        .map(|row| (row.student, row.since, Standing::Out(row.status)))
        .chain(cleared.iter().map(|row| (row.student, row.since, Standing::Left(row.category(), row.left_on))))
        .collect();

    let inputs = FigureInputs::new(state);
    let mut dropout = PerStage::<Ratio>::default();
    for (student, own) in inputs.each_student_figures(inputs.students_in(&Scope::School(school)), month, today) {
        let counted = Rate::Dropout.of(&own, 0);
        let stage = dropout.get_mut(student.grade.stage());
        *stage = *stage + counted;
        // A child the month's 辍学率 counts is on the report, even when no ledger row says so
        // (an overdue transfer): the report's rows and its totals name the same children.
        if counted.numerator > 0 && !listed.iter().any(|(listed, ..)| *listed == student.id) {
            let receipt_days = inputs.rules(student.school).transfer_receipt_days;
            let starts = inputs.timeline(student.id).dropout_starts(receipt_days);
            let since = starts.into_iter().filter(|start| month.contains(*start)).min().unwrap_or(month.start());
            listed.push((student.id, since, Standing::TransferUnconfirmed));
        }
    }
    let mut rows: Vec<MonthlyRow> = listed
        .into_iter()
        .filter_map(|(student, since, standing)| row_of(state, student, since, standing, month, until))
        .collect();
    crate::sorting::sort_by(&mut rows, |a, b| (a.since, &a.name, a.student).cmp(&(b.since, &b.name, b.student)));
    let returned = cleared.iter().filter(|row| row.category() == ExitCategory::Returned).count();
    let totals = MonthlyTotals {
        dropout,
        on_ledger_at_end: ledger.rows.len(),
        returned,
        left_otherwise: cleared.len() - returned,
    };
    let school_name = state.schools.get(&school).map(|school| school.value.name.clone()).unwrap_or_default();
    Some(MonthlyReport {
        school: school_name,
        year: month.start().year(),
        month: month.start().month(),
        until,
        rows,
        totals,
    })
}

fn row_of(
    state: &State,
    student: StudentId,
    since: NaiveDate,
    standing: Standing,
    month: Period,
    until: NaiveDate,
) -> Option<MonthlyRow> {
    let child = state.student(student)?;
    let class = state.classes.get(&child.class).map(|class| class.value.name.clone()).unwrap_or_default();
    let mut investigations: Vec<_> = state
        .investigations
        .values()
        .map(|stamped| &stamped.value)
        .filter(|row| row.student == student && row.found_on <= until && !state.is_retracted(row.id))
        .collect();
    crate::sorting::sort_by_key(&mut investigations, |row| (row.found_on, row.id));
    let reasons: BTreeSet<DropoutReason> =
        investigations.iter().filter(|row| row.found_on >= since).flat_map(|row| row.reasons.iter().copied()).collect();
    let whereabouts = investigations.last().map(|row| row.note.clone()).unwrap_or_default();
    let file = case_of(state, student).and_then(|case| case_file(state, case.id));
    let (responsible, measures, contacts_in_month, notice_issued) = match &file {
        Some(file) => (
            file.case.responsible.clone(),
            file.case.measures.clone(),
            file.contacts.iter().filter(|contact| month.contains(contact.date) && contact.date <= until).count(),
            file.notices.iter().any(|notice| notice.issued_on <= until),
        ),
        None => (Vec::new(), Vec::new(), 0, false),
    };
    Some(MonthlyRow {
        student,
        class,
        name: child.name,
        gender: child.gender,
        number: child.student_number.unwrap_or_default(),
        since,
        reasons: reasons.into_iter().collect(),
        whereabouts,
        responsible,
        standing,
        measures,
        contacts_in_month,
        notice_issued,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::casework::tests::{confirm_on_the_12th, form, return_on};
    use crate::contact::ContactMethod;
    use crate::ledger::tests::absent_across_national_day;
    use crate::test_school::{day, TestSchool, SCHOOL};

    /// October 2026 at 某镇中心校, worked out by hand: 张小明 absent from 30 September, confirmed
    /// on the 12th (found on the 9th) and back on the 20th; 李小红 out since 15 September and
    /// still out; 王小军 out since the 14th of October, transferred with a receipt on the 22nd.
    #[test]
    fn the_october_report_of_a_worked_school() {
        let mut school = TestSchool::new();
        let back = absent_across_national_day(&mut school, "张小明");
        let case = confirm_on_the_12th(&mut school, back);
        school.case_contact(back, case.id, "2026-10-13", ContactMethod::HomeVisit, None);
        school.case_contact(back, case.id, "2026-09-30", ContactMethod::Phone, None);
        school.notice(back, case.id, "2026-10-15", "2026-10-25");
        return_on(&mut school, &case, "2026-10-20");
        let out = school.enrol("李小红", Some("G530000201301010022"));
        school.status(out, "2026-09-15", Status::DroppedOut, "外出打工");
        let moved = school.enrol("王小军", None);
        school.status(moved, "2026-10-14", Status::BeingPersuaded, "连续旷课");
        school.status(moved, "2026-10-22", Status::TransferOutConfirmed, "回执：某县二中");
        school.enrol("赵小花", None);
        // Transferred out on 1 October with no receipt: overdue from the 16th (15 days).
        let transfer = school.enrol("钱小东", None);
        school.status(transfer, "2026-10-01", Status::TransferOutPending, "转往外省");

        let report = monthly_report(&school.state, SCHOOL, day("2026-10-05"), day("2026-11-03")).unwrap();
        assert_eq!((report.year, report.month, report.until), (2026, 10, day("2026-10-31")));
        let rows: Vec<(&str, NaiveDate, Standing)> =
            report.rows.iter().map(|row| (row.name.as_str(), row.since, row.standing)).collect();
        assert_eq!(
            rows,
            vec![
                ("李小红", day("2026-09-15"), Standing::Out(Status::DroppedOut)),
                ("张小明", day("2026-10-09"), Standing::Left(ExitCategory::Returned, day("2026-10-20"))),
                ("王小军", day("2026-10-14"), Standing::Left(ExitCategory::Transferred, day("2026-10-22"))),
                ("钱小东", day("2026-10-16"), Standing::TransferUnconfirmed),
            ]
        );
        let zhang = &report.rows[1];
        assert_eq!(zhang.reasons, form().reasons.into_iter().collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>());
        assert_eq!(zhang.whereabouts, "随父亲外出");
        assert_eq!(zhang.responsible, vec!["王老师".to_owned(), "李村主任".to_owned()]);
        // The September call is not October's.
        assert_eq!((zhang.contacts_in_month, zhang.notice_issued), (1, true));
        assert_eq!(report.rows[0].number, "G530000201301010022");
        // October: 张小明 (from the 9th), 王小军 (the 14th) and 钱小东 (the 16th) dropped out in
        // it, of the four on the roll (李小红 left in September and is not on it). All in grade
        // 7: junior.
        assert_eq!(report.totals.dropout.junior, Ratio::new(3, 4));
        assert_eq!((report.totals.on_ledger_at_end, report.totals.returned, report.totals.left_otherwise), (1, 1, 1));

        // The month in progress is counted up to today: on the 15th the transfer is not overdue.
        let so_far = monthly_report(&school.state, SCHOOL, day("2026-10-05"), day("2026-10-15")).unwrap();
        assert_eq!(so_far.until, day("2026-10-15"));
        assert!(so_far.rows.iter().all(|row| matches!(row.standing, Standing::Out(_))));
        assert_eq!(so_far.rows.len(), 3);
        assert_eq!(so_far.totals.on_ledger_at_end, 3);
        assert_eq!(monthly_report(&school.state, SCHOOL, day("2026-12-01"), day("2026-11-03")), None);
    }
}
