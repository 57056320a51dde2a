use super::Text;
use crate::ctx::WriteError;
use crate::store::StoreError;
use baoxue_domain::attendance::MarkKind;
use baoxue_domain::validate::ValidationError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttendanceText {
    Title,
    PreviousDay,
    NextDay,
    NotASchoolDay,
    NoClass,
    Expected,
    Present,
    Late,
    Sick,
    Personal,
    Unexcused,
    TapHint,
    Raised,
    RaisedDays,
    ReportNow,
    SaveFailed,
    FutureDay,
    StorageFull,
    Reported,
}

impl AttendanceText {
    /// Why a tap was not saved, as the teacher reads it under the day.
    pub fn of(error: &WriteError) -> AttendanceText {
        match error {
            WriteError::Invalid(_) => match error.first_problem() {
                Some(ValidationError::InFuture { .. }) => AttendanceText::FutureDay,
                Some(ValidationError::NotASchoolDay { .. }) => AttendanceText::NotASchoolDay,
                _ => AttendanceText::SaveFailed,
            },
            WriteError::Store(StoreError::Full) => AttendanceText::StorageFull,
            WriteError::Store(_) => AttendanceText::SaveFailed,
        }
    }
}

impl Text for AttendanceText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            AttendanceText::Title => ("班级出席日报", "Daily attendance"),
            AttendanceText::PreviousDay => ("前一天", "Previous day"),
            AttendanceText::NextDay => ("后一天", "Next day"),
            AttendanceText::NotASchoolDay => ("这一天不是上课日，不记考勤。", "Not a school day: no attendance is taken."),
            AttendanceText::NoClass => ("本机没有设置班级。", "This phone has no class set."),
            AttendanceText::Expected => ("应到", "Expected"),
            AttendanceText::Present => ("实到", "Present"),
            AttendanceText::Late => ("迟到", "Late"),
            AttendanceText::Sick => ("病假", "Sick"),
            AttendanceText::Personal => ("事假", "Personal"),
            AttendanceText::Unexcused => ("旷课", "Unexcused"),
            AttendanceText::TapHint => ("默认全部出勤。点一下学生切换：迟到 → 病假 → 事假 → 旷课 → 出勤。", "Everyone is present unless marked. Tap a child to cycle: late → sick → personal → unexcused → present."),
            AttendanceText::Raised => ("疑似辍学：辍学上报不过夜，请今天上报", "Suspected dropout: report it today (辍学上报不过夜)"),
            AttendanceText::RaisedDays => ("已连续旷课（天）", "Unexcused days in a row"),
            AttendanceText::ReportNow => ("上报疑似辍学", "Report as suspected dropout"),
            AttendanceText::SaveFailed => ("没有保存，请重试", "Not saved: try again"),
            AttendanceText::FutureDay => ("这一天还没到，不能记考勤。", "This day has not come yet: no attendance can be taken."),
            AttendanceText::StorageFull => (
                "手机存储已满，没有保存。请删除不用的照片或应用后再点。",
                "The phone's storage is full, nothing was saved. Delete photos or apps you do not need, then tap again.",
            ),
            AttendanceText::Reported => ("已上报", "Reported"),
        }
    }
}

/// How a mark reads on the register.
impl Text for MarkKind {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            MarkKind::Present => ("出勤", "Present"),
            MarkKind::Late => ("迟到", "Late"),
            MarkKind::Sick => ("病假", "Sick"),
            MarkKind::Personal => ("事假", "Personal"),
            MarkKind::Unexcused => ("旷课", "Unexcused"),
        }
    }
}
