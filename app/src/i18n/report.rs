use super::Text;

/// The papers: 学校辍学月报表 on screen, on A4 and as CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportText {
    MonthlyTitle,
    MonthlyLink,
    // {0}: the year, {1}: the month, {2}: the last day counted.
    MonthlyPeriod,
    PreviousMonth,
    NextMonth,
    NotBegun,
    Print,
    DownloadCsv,
    DownloadXlsx,
    DownloadFailed,
    // The columns as schools file them.
    School,
    Class,
    Name,
    Gender,
    Number,
    Since,
    Reasons,
    Whereabouts,
    Responsible,
    Standing,
    Measures,
    NoRows,
    TotalsTitle,
    // {0}: the stage.
    DropoutRateOf,
    OnLedgerAtEnd,
    ReturnedInMonth,
    LeftOtherwise,
    Primary,
    Junior,
    // 劝返情况.
    TransferUnconfirmed,
    // {0}: the date, {1}: how the child left.
    LeftOn,
    // {0}: contacts in the month.
    ContactsInMonth,
    NoticeIssued,
    PreparedBy,
    Principal,
    FiledOn,
    // The list of 无辍学班.
    ClassListTitle,
    ClassListLink,
    Ordinal,
    HeadTeacher,
    OnRollInTerm,
    AttendanceRate,
    RankInStage,
    // {0}: classes without a dropout, {1}: the stage's classes.
    ClassesWithoutDropoutOf,
    NoClassWithoutDropout,
    // The 家访登记表.
    VisitRegisterTitle,
    VisitRegisterLink,
    VisitDate,
    Visitors,
    Met,
    FamilySaid,
    VisitOutcome,
    NextStep,
    NoVisits,
}

impl Text for ReportText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            ReportText::MonthlyTitle => ("学校辍学月报表", "Monthly dropout report"),
            ReportText::MonthlyLink => ("月报表：学校辍学月报表", "Monthly dropout report"),
            ReportText::MonthlyPeriod => ("{0}年{1}月（统计至 {2}）", "{1}/{0} (counted to {2})"),
            ReportText::PreviousMonth => ("上个月", "Previous month"),
            ReportText::NextMonth => ("下个月", "Next month"),
            ReportText::NotBegun => ("这个月还没有开始。", "This month has not begun."),
            ReportText::Print => ("打印", "Print"),
            ReportText::DownloadCsv => ("下载 CSV 表格", "Download as CSV"),
            ReportText::DownloadXlsx => ("下载 Excel 表格", "Download as Excel"),
            ReportText::DownloadFailed => (
                "没有下载：表格模块还没有下载到手机上，或出错了。请联网后重试。",
                "Not downloaded: the spreadsheet module is not on the phone yet, or failed. Try again online.",
            ),
            ReportText::School => ("学校", "School"),
            ReportText::Class => ("年级班级", "Class"),
            ReportText::Name => ("姓名", "Name"),
            ReportText::Gender => ("性别", "Gender"),
            ReportText::Number => ("学籍号", "Student number"),
            ReportText::Since => ("辍学时间", "Out since"),
            ReportText::Reasons => ("原因", "Reasons"),
            ReportText::Whereabouts => ("去向", "Whereabouts"),
            ReportText::Responsible => ("承包老师/责任人", "Teacher / people responsible"),
            ReportText::Standing => ("劝返情况", "Persuasion"),
            ReportText::Measures => ("处理措施", "Measures"),
            ReportText::NoRows => ("本月没有辍学学生。", "No child was out of school this month."),
            ReportText::TotalsTitle => ("本月合计", "This month's totals"),
            ReportText::DropoutRateOf => ("{0}辍学率", "{0} dropout rate"),
            ReportText::OnLedgerAtEnd => ("月末辍学台账人数", "On the dropout ledger at the month's end"),
            ReportText::ReturnedInMonth => ("本月复学人数", "Returned this month"),
            ReportText::LeftOtherwise => ("本月其他销号人数", "Left the ledger otherwise this month"),
            ReportText::Primary => ("小学", "Primary"),
            ReportText::Junior => ("初中", "Junior secondary"),
            ReportText::TransferUnconfirmed => {
                ("转出未收到回执（按辍学统计）", "Transferred out, no receipt (counted as a dropout)")
            }
            ReportText::LeftOn => ("{0} {1}", "{1} on {0}"),
            ReportText::ContactsInMonth => ("本月联系 {0} 次", "{0} contacts this month"),
            ReportText::NoticeIssued => ("已发《限期复学通知书》", "Notice to return issued"),
            ReportText::PreparedBy => ("填报人：", "Prepared by: "),
            ReportText::Principal => ("校长（签字）：", "Principal (signature): "),
            ReportText::FiledOn => ("填报日期：", "Date: "),
            ReportText::ClassListTitle => ("无辍学班名单", "Classes without a dropout"),
            ReportText::ClassListLink => ("名单：无辍学班", "Classes without a dropout"),
            ReportText::Ordinal => ("序号", "No."),
            ReportText::HeadTeacher => ("班主任", "Head teacher"),
            ReportText::OnRollInTerm => ("本学期在籍人数", "On the roll this term"),
            ReportText::AttendanceRate => ("出勤率", "Attendance"),
            ReportText::RankInStage => ("量化评比名次", "Place in the ranking"),
            ReportText::ClassesWithoutDropoutOf => ("无辍学班 {0} 个，共 {1} 个班", "{0} of {1} classes"),
            ReportText::VisitRegisterTitle => ("家访登记表", "Home visit register"),
            ReportText::VisitRegisterLink => ("登记表：家访登记表", "Home visit register"),
            ReportText::VisitDate => ("家访日期", "Date"),
            ReportText::Visitors => ("家访人", "Visited by"),
            ReportText::Met => ("接待人", "Met"),
            ReportText::FamilySaid => ("家长意见", "What the family said"),
            ReportText::VisitOutcome => ("家访结果", "Outcome"),
            ReportText::NextStep => ("下一步", "Next step"),
            ReportText::NoVisits => ("本学期还没有家访记录。", "No home visit recorded this term."),
            ReportText::NoClassWithoutDropout => {
                ("本学段没有无辍学班。", "No class of this stage is without a dropout.")
            }
        }
    }
}
