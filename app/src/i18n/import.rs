//! The roster import screen. What is wrong with a file or a row is worded by the import module
//! itself (import/src/text.rs), in both languages; these are the screen's own words.

use super::Text;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportText {
    Title,
    Intro,
    PickFile,
    Reading,
    New,
    Updated,
    Unchanged,
    BadRows,
    BadRowsHint,
    Row,
    NewStudents,
    UpdatedStudents,
    NewClasses,
    Destinations,
    DestinationsHint,
    NothingToImport,
    Confirm,
    Saving,
    PickAnother,
    NothingChanged,
    ModuleMissing,
    ReadFileFailed,
    SaveFailed,
    Changed,
}

impl Text for ImportText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            ImportText::Title => ("导入花名册", "Import roster"),
            ImportText::Intro => (
                "选择学籍系统导出的 Excel (.xlsx) 或 CSV 文件。点“确认导入”之前，不会保存任何内容。",
                "Pick the Excel (.xlsx) or CSV file exported from the 学籍 system. Nothing is saved until you tap Import.",
            ),
            ImportText::PickFile => ("选择文件", "Pick a file"),
            ImportText::Reading => ("正在读取文件…", "Reading the file…"),
            ImportText::New => ("新增", "New"),
            ImportText::Updated => ("更新", "Updated"),
            ImportText::Unchanged => ("无变化", "Unchanged"),
            ImportText::BadRows => ("{0} 行有问题，不会导入", "{0} rows have problems and will not be imported"),
            ImportText::BadRowsHint => (
                "可以先导入其他学生，在 Excel 中改正这些行后再导入一次。",
                "You can import the other students now, fix these rows in Excel and import the file again.",
            ),
            ImportText::Row => ("第 {0} 行", "Row {0}"),
            ImportText::NewStudents => ("新增的学生（{0} 名）", "New students ({0})"),
            ImportText::UpdatedStudents => ("信息有变化的学生（{0} 名）", "Students whose details change ({0})"),
            ImportText::NewClasses => ("将新建班级", "Classes to create"),
            ImportText::NothingToImport => (
                "文件中的学生都已在花名册上，信息没有变化。",
                "Every student in the file is on the roster already, unchanged.",
            ),
            ImportText::Confirm => ("确认导入", "Import"),
            ImportText::Saving => ("正在保存…", "Saving…"),
            ImportText::PickAnother => ("换一个文件", "Pick another file"),
            ImportText::NothingChanged => ("本机的记录没有改变。", "Nothing on this phone was changed."),
            ImportText::ModuleMissing => (
                "导入功能还没有下载到本机。请联网后打开此页面一次。",
                "The import feature is not on this phone yet. Open this page once with a connection.",
            ),
            ImportText::Destinations => ("学生放入哪个班级", "Which class the students go to"),
            ImportText::DestinationsHint => (
                "文件中每个班级的学生都会放入下面选定的班级。导入后花名册显示接收学生的班级。",
                "The students of each class in the file go to the class chosen below. After the import the roster shows the class that received them.",
            ),
            ImportText::ReadFileFailed => ("无法读取这个文件，请重新选择。", "The file cannot be read: pick it again."),
            ImportText::Changed => ("有变化", "changed"),
            ImportText::SaveFailed => (
                "保存失败，没有导入任何学生。请重试。",
                "Could not save: no student was imported. Try again.",
            ),
        }
    }
}
