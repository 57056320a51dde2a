use super::Text;

/// The school's term (学期) on the settings screen: seen, its dates corrected, the next begun.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermText {
    Heading,
    None,
    Start,
    End,
    SchoolDays,
    Over,
    EditDates,
    StartNext,
    NextHeading,
    Save,
    Cancel,
    Saved,
    NotADate,
    Order,
    Overlaps,
    SaveFailed,
}

impl Text for TermText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            TermText::Heading => ("本学期", "This term"),
            TermText::None => (
                "还没有学期：出勤和比率按学期的上课日计算，请先填写",
                "No term yet: attendance and rates count the term's school days, so fill it in first",
            ),
            TermText::Start => ("开学日期", "First day"),
            TermText::End => ("结束日期", "Last day"),
            // {0}: the number of school days, weekdays of the term less holidays.
            TermText::SchoolDays => {
                ("{0} 个上课日（周一至周五，除去节假日）", "{0} school days (Monday to Friday, less holidays)")
            }
            TermText::Over => ("这个学期已经结束", "This term is over"),
            TermText::EditDates => ("修改学期日期", "Correct the dates"),
            TermText::StartNext => ("开始新学期", "Start the next term"),
            TermText::NextHeading => ("新学期", "Next term"),
            TermText::Save => ("保存", "Save"),
            TermText::Cancel => ("取消", "Cancel"),
            TermText::Saved => ("学期日期已保存", "Term dates saved"),
            TermText::NotADate => ("请填写开学和结束日期", "Fill in the first and last day"),
            TermText::Order => ("结束日期要晚于开学日期", "The last day must come after the first"),
            TermText::Overlaps => (
                "与学校的另一个学期有重叠的日子：一天只属于一个学期",
                "Shares days with another term of the school: a day belongs to one term",
            ),
            TermText::SaveFailed => {
                ("没有保存：本机存储出错，请重试", "Not saved: the phone's storage failed; try again")
            }
        }
    }
}
