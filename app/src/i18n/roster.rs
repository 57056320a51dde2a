use super::Text;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RosterText {
    Title,
    Empty,
    Import,
    AddStudent,
    Search,
    Students,
    Unrecorded,
    Class,
}

impl Text for RosterText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            RosterText::Title => ("花名册", "Roster"),
            RosterText::Unrecorded => (
                "{0} 个上课日的出勤未核对，不计为出勤：去考勤核对",
                "{0} school days with attendance not checked, not counted as present: check them on the register",
            ),
            RosterText::Empty => (
                "还没有学生。导入学籍系统导出的花名册，或手动添加。",
                "No students yet. Import the roster exported from the 学籍 system, or add them by hand.",
            ),
            RosterText::Import => ("导入花名册", "Import roster"),
            RosterText::AddStudent => ("添加学生", "Add a student"),
            RosterText::Search => ("搜索姓名或学籍号", "Search name or student number"),
            RosterText::Students => ("名学生", "students"),
            RosterText::Class => ("班级", "Class"),
        }
    }
}
