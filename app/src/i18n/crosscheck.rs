use super::Text;

/// The cross-check of a resident list (四查三比对) and the 适龄儿童台账.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrossText {
    Title,
    Link,
    Intro,
    PickFile,
    Reading,
    // {0}: children read, {1}: on a roll, {2}: to decide, {3}: possibly out of school.
    Summary,
    // {0}: rows left out.
    BadRows,
    ToDecide,
    // {0}: the listed child's birth date, {1}: village.
    ListedAs,
    SameChild,
    NotThisOne,
    Missing,
    MissingHint,
    OnRoll,
    // {0}: children still to decide.
    StillToDecide,
    Save,
    // {0}: children saved.
    Saved,
    NothingSaved,
    NotSavedInvalid,
    Consolidation,
    NoResidentList,
    OntoLedger,
    IntoClass,
}

impl Text for CrossText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            CrossText::Title => ("户籍比对（四查三比对）", "Cross-check with the resident list"),
            CrossText::Link => ("比对：户籍名单", "Cross-check a resident list"),
            CrossText::Intro => (
                "导入本校服务区适龄儿童的户籍名单（Excel 或 CSV，需有姓名、性别、出生日期，最好有身份证号），与学籍逐一比对。",
                "Import the resident list of the school's catchment (Excel or CSV with name, gender and date of birth, ideally the ID number) and compare it with the rolls.",
            ),
            CrossText::PickFile => ("选择户籍名单文件", "Choose the list"),
            CrossText::Reading => ("正在读取……", "Reading…"),
            CrossText::Summary => (
                "名单共 {0} 人：在学籍 {1} 人，待确认 {2} 人，可能失学 {3} 人。",
                "{0} children on the list: {1} on a roll, {2} to decide, {3} possibly out of school.",
            ),
            CrossText::BadRows => ("{0} 行有问题，未读入：", "{0} rows could not be read:"),
            CrossText::ToDecide => ("待确认：姓名和出生日期相同，身份证号对不上", "To decide: same name and birth date, no matching ID"),
            CrossText::ListedAs => ("名单上：{0}，{1}", "On the list: {0}, {1}"),
            CrossText::SameChild => ("是同一人", "Same child"),
            CrossText::NotThisOne => ("不是同一人", "Not this child"),
            CrossText::Missing => ("可能失学：在户籍名单上，不在任何学籍上", "Possibly out of school: on the list, on no roll"),
            CrossText::MissingHint => (
                "请逐一上门核实（铁脚板摸排）。点“列入疑似辍学台账”，保存时把孩子编入班级并上报疑似辍学，核实后再确认辍学或排除。",
                "Check each one door to door. Tap “Put on the suspected ledger” and saving adds the child to a class as a suspected dropout, to confirm or clear once checked.",
            ),
            CrossText::OnRoll => ("在学籍", "On a roll"),
            CrossText::StillToDecide => ("还有 {0} 人待确认。", "{0} children still to decide."),
            CrossText::Save => ("保存名单", "Save the list"),
            CrossText::Saved => ("已保存 {0} 名适龄儿童。", "{0} children saved."),
            CrossText::NotSavedInvalid => (
                "没有保存：列入疑似辍学台账的孩子与所选班级不符（如年龄与年级相差太大）。请换一个班级，或先不列入。",
                "Not saved: a child put on the suspected ledger does not fit the class chosen (their age is far from the grade's). Pick another class, or leave them off for now.",
            ),
            CrossText::NothingSaved => (
                "没有保存：手机存储出错，名单未改变。请再试一次。",
                "Nothing was saved: the phone's storage failed and the list is unchanged. Try again.",
            ),
            CrossText::Consolidation => ("义务教育巩固率", "Consolidation rate"),
            CrossText::OntoLedger => ("列入疑似辍学台账", "Put on the suspected ledger"),
            CrossText::IntoClass => ("编入班级", "Into class"),
            CrossText::NoResidentList => (
                "义务教育巩固率：导入户籍名单后计算。",
                "Consolidation rate: counted once a resident list is imported.",
            ),
        }
    }
}
