use super::Text;
use baoxue_domain::case::CaseStatus;

/// The conflicts page. `{0}`, `{1}` are filled in by `fill`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictText {
    Title,
    Intro,
    Loading,
    None,
    Showing,
    Other,
    By,
    Keep,
    Saving,
    Resolved,
    StatusOn,
    AttendanceOn,
    CaseStatus,
    CaseOutcome,
    Morning,
    Afternoon,
    UnknownStudent,
    NotJoined,
}

impl Text for ConflictText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            ConflictText::Title => ("冲突", "Conflicts"),
            ConflictText::Intro => (
                "两部手机在没看到对方修改时改了同一项。请选择保留哪个版本，选择会同步到学校的所有手机。",
                "Two phones changed the same thing without seeing each other's change. Choose the version to keep; the choice reaches every phone of the school.",
            ),
            ConflictText::Loading => ("正在读取冲突…", "Reading conflicts…"),
            ConflictText::None => ("没有待处理的冲突", "No conflicts to resolve"),
            ConflictText::Showing => ("当前显示", "Shown now"),
            ConflictText::Other => ("另一版本", "Other version"),
            ConflictText::By => ("{0} · {1}", "{0} · {1}"),
            ConflictText::Keep => ("保留“{0}”", "Keep “{0}”"),
            ConflictText::Saving => ("正在保存…", "Saving…"),
            ConflictText::Resolved => ("已处理并同步", "Resolved and synced"),
            ConflictText::StatusOn => ("{0} 的学籍状态（{1}）", "{0}'s status on {1}"),
            ConflictText::AttendanceOn => ("{0} 的考勤（{1}）", "{0}'s attendance on {1}"),
            ConflictText::CaseStatus => ("{0} 的劝返个案状态", "{0}'s persuasion case status"),
            ConflictText::CaseOutcome => ("{0} 的劝返结果", "{0}'s persuasion case outcome"),
            ConflictText::Morning => ("上午", "morning"),
            ConflictText::Afternoon => ("下午", "afternoon"),
            ConflictText::UnknownStudent => ("（本机没有的学生）", "(a student not on this phone)"),
            ConflictText::NotJoined => ("本机还没有加入学校：请先在“同步”页输入注册码", "This phone has not joined the school: type the code on the Sync page first"),
        }
    }
}

/// A persuasion case's status, as on the conflicts page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseStatusName(pub CaseStatus);

impl Text for CaseStatusName {
    fn pair(self) -> (&'static str, &'static str) {
        match self.0 {
            CaseStatus::Open => ("劝返中", "Open"),
            CaseStatus::Returned => ("已返校", "Returned"),
            CaseStatus::Closed => ("已结案", "Closed"),
            CaseStatus::Escalated => ("已上报乡镇", "Escalated to the town"),
        }
    }
}
