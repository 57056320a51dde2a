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
            SetupText::ClassNameHint => ("如：七年级(2)班", "e.g. 七年级(2)班"),
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
