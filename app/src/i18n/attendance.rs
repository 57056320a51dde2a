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
    Recorded,
    NotRecorded,
    Unchecked,
    ConfirmToday,
    ConfirmDay,
    Apart,
}

impl AttendanceText {
    /// Why a tap was not saved, as the teacher reads it under the day.
    pub fn of(error: &WriteError) -> AttendanceText {
        match error {
            WriteError::Invalid(_) => match error.first_problem() {
                Some(ValidationError::InFuture { .. }) => AttendanceText::FutureDay,
                Some(ValidationError::NotASchoolDay { .. } | ValidationError::DayNotASchoolDay { .. }) => {
                    AttendanceText::NotASchoolDay
                }
                Some(ValidationError::DayNotYetCome { .. }) => AttendanceText::FutureDay,
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
            AttendanceText::TapHint => ("点一下学生切换：迟到 → 病假 → 事假 → 旷课 → 出勤。核对这一天后，没有标记的学生算作出勤。", "Tap a child to cycle: late → sick → personal → unexcused → present. Once the day is confirmed, unmarked children count as present."),
            AttendanceText::Raised => ("疑似辍学：辍学上报不过夜，请今天上报", "Suspected dropout: report it today (辍学上报不过夜)"),
            AttendanceText::RaisedDays => ("已连续旷课（天）", "Unexcused days in a row"),
            AttendanceText::ReportNow => ("上报疑似辍学", "Report as suspected dropout"),
            AttendanceText::SaveFailed => ("没有保存，请重试", "Not saved: try again"),
            AttendanceText::Recorded => (
                "本日出勤已核对。仍可修改，修改会留在记录中。",
                "This day's attendance is confirmed. It can still be changed; changes stay in the history.",
            ),
            AttendanceText::NotRecorded => (
                "这一天的出勤还没有核对：没有标记的学生显示“未核对”，不算出勤。",
                "This day's attendance is not confirmed yet: an unmarked child shows as not checked, not as present.",
            ),
            AttendanceText::Unchecked => ("未核对", "Not checked"),
            AttendanceText::ConfirmToday => ("今日出勤已核对", "Today's attendance is checked"),
            AttendanceText::ConfirmDay => ("这一天的出勤已核对", "This day's attendance is checked"),
            AttendanceText::Apart => ("不在本日点名中", "Not on this day's register"),
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
