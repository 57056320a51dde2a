use super::Text;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupText {
    Title,
    Intro,
    County,
    Town,
    School,
    SchoolKind,
    Primary,
    Junior,
    NineYear,
    Teacher,
    Grade,
    ClassName,
    ClassNameHint,
    ClassWillBe,
    ClassNoNumber,
    ClassOtherGrade,
    TermStart,
    TermEnd,
    Start,
    Required,
    TermOrder,
    TermNotADate,
    SchoolNamesNeeded,
    SaveFailed,
    NotLoaded,
}

impl Text for SetupText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            SetupText::Title => ("开始使用", "Get started"),
            SetupText::Intro => (
                "填写学校和班级，只需一次。数据保存在本机，没有网络也能用。",
                "Enter your school and class once. Data stays on this phone and works without signal.",
            ),
            SetupText::County => ("县（区）", "County"),
            SetupText::Town => ("乡镇", "Town"),
            SetupText::School => ("学校名称", "School"),
            SetupText::SchoolKind => ("学校类型", "Kind of school"),
            SetupText::Primary => ("小学", "Primary"),
            SetupText::Junior => ("初中", "Junior secondary"),
            SetupText::NineYear => ("九年一贯制", "Nine-year school"),
            SetupText::Teacher => ("班主任姓名", "Head teacher's name"),
            SetupText::Grade => ("年级", "Grade"),
            SetupText::ClassName => ("班级", "Class"),
            SetupText::ClassNameHint => ("班号，如 2", "Class number, e.g. 2"),
            SetupText::ClassWillBe => ("班级名称：{0}", "Class name: {0}"),
            SetupText::ClassNoNumber => (
                "请填写班号，如 2，或完整班名，如 七年级(2)班",
                "Write the class number, e.g. 2, or the full name, e.g. 七年级(2)班",
            ),
            // {0}: what was typed; {1}, {2}: the grade it names and the grade chosen.
            SetupText::ClassOtherGrade => (
                "“{0}”是{1}的班级，与所选年级（{2}）不一致：请改年级或班级",
                "\"{0}\" is a class of {1}, not of the grade chosen ({2}): change the grade or the class",
            ),
            SetupText::TermStart => ("本学期开学日期", "First day of term"),
            SetupText::TermEnd => ("本学期结束日期", "Last day of term"),
            SetupText::Start => ("保存并开始", "Save and start"),
            SetupText::Required => ("请填写所有项目", "Please fill in every field"),
            SetupText::TermOrder => ("结束日期要晚于开学日期", "The last day must come after the first"),
            SetupText::TermNotADate => ("请填写学期的开学和结束日期", "Fill in the first and last day of the term"),
            SetupText::SchoolNamesNeeded => (
                "服务器上这所学校还没有数据：请填写县、乡镇和学校名称",
                "The server holds nothing of this school yet: fill in the county, town and school",
            ),
            SetupText::SaveFailed => ("保存失败，请重试", "Could not save: try again"),
            SetupText::NotLoaded => (
                "应用还没有下载完（没有信号？）。有信号时再点一次保存，填好的内容不会丢。",
                "The app has not finished downloading (no signal?). Tap save again when there is a signal; what you typed stays.",
            ),
        }
    }
}
