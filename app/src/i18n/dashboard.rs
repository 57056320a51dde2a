use super::Text;

/// The school dashboard (学校统计): the term's figures for the principal and the 教导处.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DashText {
    Title,
    Link,
    // {0}: the term's name.
    Term,
    NoTerm,
    Primary,
    Junior,
    Attendance,
    // {0}: the chronic-absence share, as "10%".
    ChronicAbsence,
    // {0}: half of it, {1}: it.
    AbsenceWarning,
    // {0}: the days after a return.
    StillAttending,
    WithoutDropout,
    // {0}: the limit, as "0.6%".
    OverLimit,
    // {0}: registers handed in, {1}: of how many class-days.
    Registers,
    RiskTitle,
    // {0}: high, {1}: medium, {2}: low.
    RiskCounts,
    CasesTitle,
    // {0}: open, {1}: of them overdue, {2}: escalated to the town.
    CaseCounts,
    RankingTitle,
    RankingRule,
    Rank,
    Class,
    HeadTeacher,
    Dropouts,
    TrendsTitle,
    WeeklyAttendance,
    MonthlyDropout,
    // {0}: the week's Monday or the month, {1}: the value.
    TrendPoint,
    NotBackTitle,
    NotBackNone,
    NoValue,
}

impl Text for DashText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            DashText::Title => ("学校统计", "School figures"),
            DashText::Link => ("全校统计：辍学率、出勤率、班级评比", "School figures: rates, attendance, class ranking"),
            DashText::Term => ("{0}，截至今天", "{0}, up to today"),
            DashText::NoTerm => (
                "还没有学期：请先在设置里填写本学期的日期。",
                "No term yet: fill in this term's dates in Settings first.",
            ),
            DashText::Primary => ("小学", "Primary"),
            DashText::Junior => ("初中", "Junior secondary"),
            DashText::Attendance => ("出勤率", "Attendance rate"),
            DashText::ChronicAbsence => ("长期缺勤（缺勤≥{0}）", "Chronic absence (missed ≥{0})"),
            DashText::AbsenceWarning => ("缺勤预警（{0}–{1}）", "Absence warning ({0}–{1})"),
            DashText::StillAttending => ("复学{0}天后仍在读", "Still attending {0} days after return"),
            DashText::WithoutDropout => ("无辍学班", "Classes without a dropout"),
            DashText::OverLimit => ("超过控制线 {0}", "over the {0} limit"),
            DashText::Registers => (
                "考勤已交 {0}/{1} 个班级日；没交的日子不计入出勤。",
                "Registers handed in: {0} of {1} class-days; days not handed in count nowhere.",
            ),
            DashText::RiskTitle => ("预警学生（在读）", "Children at risk (on the roll)"),
            DashText::RiskCounts => ("高 {0} 人，中 {1} 人，低 {2} 人", "high {0}, medium {1}, low {2}"),
            DashText::CasesTitle => ("劝返案件", "Persuasion cases"),
            DashText::CaseCounts => (
                "进行中 {0} 件（其中逾期 {1} 件），已上报乡镇 {2} 件",
                "{0} open ({1} past their deadline), {2} escalated to the town",
            ),
            DashText::RankingTitle => ("班级量化评比（本学期）", "Class ranking this term"),
            DashText::RankingRule => (
                "按辍学率从低到高，相同时按出勤率从高到低，再按长期缺勤从低到高；完全相同的并列。",
                "By dropout rate, lowest first; then attendance, highest first; then chronic absence, lowest first; equal classes share a place.",
            ),
            DashText::Rank => ("名次", "Place"),
            DashText::Class => ("班级", "Class"),
            DashText::HeadTeacher => ("班主任", "Head teacher"),
            DashText::Dropouts => ("辍学", "Dropouts"),
            DashText::TrendsTitle => ("趋势", "Trends"),
            DashText::WeeklyAttendance => ("每周出勤率", "Attendance by week"),
            DashText::MonthlyDropout => ("每月辍学人数", "Dropouts by month"),
            DashText::TrendPoint => ("{0}：{1}", "{0}: {1}"),
            DashText::NotBackTitle => ("开学以来一天也没来的学生", "Not in class a single day since the term began"),
            DashText::NotBackNone => ("没有：每个在读学生开学后都来过。", "None: every child on the roll has come to class this term."),
            DashText::NoValue => ("—", "—"),
        }
    }
}
