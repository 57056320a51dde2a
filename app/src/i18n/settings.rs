use super::Text;

/// The settings screen, and restoring a backup on a new phone (offered by the first-run screen).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsText {
    Title,
    StorageHeading,
    Used,
    UsedOf,
    Unknown,
    Persistent,
    Yes,
    No,
    PersistentYes,
    PersistentNo,
    AskAgain,
    AskRefused,
    Unsent,
    LastBackup,
    NeverBackedUp,
    BackupReminder,
    OpenSettings,
    ProfileHeading,
    School,
    Class,
    Teacher,
    NotSetUp,
    Edit,
    Save,
    Cancel,
    Saved,
    Required,
    ClassNoNumber,
    ClassOtherGrade,
    ClassTaken,
    MergeOffer,
    Merge,
    Merged,
    BackupHeading,
    BackupIntro,
    Export,
    Exported,
    Import,
    ImportSummary,
    BadBackup,
    StoreProblem,
    StorageFull,
    OtherTabOpen,
    RecordDamaged,
    ReadFileFailed,
    ExportFailed,
    LanguageHeading,
    CurrentLanguage,
    NewPhone,
    NewPhoneHint,
    Restore,
}

impl Text for SettingsText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            SettingsText::Title => ("设置", "Settings"),
            SettingsText::StorageHeading => ("本机存储", "Storage on this phone"),
            SettingsText::Used => ("已用存储", "Storage used"),
            // {used} and {quota} are filled in, e.g. "2.3 MB / 1.2 GB".
            SettingsText::UsedOf => ("{used} / {quota}", "{used} / {quota}"),
            SettingsText::Unknown => ("无法查看", "Not shown by this browser"),
            SettingsText::Persistent => ("持久存储", "Persistent storage"),
            SettingsText::Yes => ("是", "Yes"),
            SettingsText::No => ("否", "No"),
            SettingsText::PersistentYes => (
                "手机空间不足时，浏览器也不会清除本机的记录。",
                "The browser will not clear the records when the phone runs low on space.",
            ),
            SettingsText::PersistentNo => (
                "手机空间不足时，浏览器可能清除本机的记录。请常导出备份。",
                "The browser may clear the records when the phone runs low on space. Export a backup often.",
            ),
            SettingsText::AskAgain => ("再次申请持久存储", "Ask the browser again"),
            SettingsText::AskRefused => (
                "浏览器没有同意。把保学添加到主屏幕后再试。",
                "The browser said no. Add Baoxue to the home screen, then try again.",
            ),
            SettingsText::Unsent => ("未同步的更改", "Changes not yet synced"),
            SettingsText::LastBackup => ("上次备份", "Last backup"),
            SettingsText::NeverBackedUp => ("从未备份", "Never"),
            // Shown on every page (components/backup_reminder.rs): {0} changes, {1} days.
            SettingsText::BackupReminder => (
                "有 {0} 条修改已 {1} 天没有发送到学校，也没有备份。请连上网络同步，或到设置中导出备份。",
                "{0} changes have not reached the school for {1} days, and there is no backup of them. Connect to sync, or export a backup in Settings.",
            ),
            SettingsText::OpenSettings => ("去设置", "Open Settings"),
            SettingsText::ProfileHeading => ("学校与班级", "School and class"),
            SettingsText::School => ("学校", "School"),
            SettingsText::Class => ("班级", "Class"),
            SettingsText::Teacher => ("班主任", "Head teacher"),
            SettingsText::NotSetUp => ("本机还没有设置学校和班级", "This phone has no school and class yet"),
            SettingsText::Edit => ("修改班主任或班级", "Edit teacher or class"),
            SettingsText::Save => ("保存修改", "Save changes"),
            SettingsText::Cancel => ("取消", "Cancel"),
            SettingsText::Saved => ("已保存", "Saved"),
            SettingsText::Required => ("请填写班主任和班级", "Please fill in the head teacher and the class"),
            SettingsText::ClassNoNumber => (
                "请填写本年级的班号，如 2，或完整班名，如 七年级(2)班",
                "Write a class number of this grade, e.g. 2, or the full name, e.g. 七年级(2)班",
            ),
            SettingsText::ClassOtherGrade => (
                "班名的年级与本班的年级不同：这里只能改班号，如填 3",
                "That name is of another grade than this class: only the class number can change here, e.g. 3",
            ),
            SettingsText::ClassTaken => (
                "本校已有同名班级，不能再建一个",
                "The school already has a class of that name; a second one cannot be made",
            ),
            SettingsText::MergeOffer => (
                "“{other}”已是本校的班级（{theirs} 名学生），不能再建一个同名班级。要把本班的 {ours} 名学生并入“{other}”，本机改用该班吗？",
                "\"{other}\" is already a class of the school ({theirs} students); a second class of that name cannot be made. Move this class's {ours} students into \"{other}\" and use that class on this phone?",
            ),
            SettingsText::Merge => ("并入该班", "Move them into it"),
            SettingsText::Merged => ("已并入，本机班级已改为该班", "Moved: this phone now uses that class"),
            SettingsText::BackupHeading => ("备份", "Backup"),
            SettingsText::BackupIntro => (
                "备份文件包含本机的全部记录。换手机或清理浏览器前，先导出备份。",
                "A backup file holds every record on this phone. Export one before changing phones or clearing the browser.",
            ),
            SettingsText::Export => ("导出备份", "Export a backup"),
            SettingsText::Exported => (
                "备份已导出，在手机的“下载”文件夹里。",
                "Backup exported: it is in the phone's Downloads folder.",
            ),
            SettingsText::Import => ("导入备份", "Import a backup"),
            // {in_file} and {added} are filled in.
            SettingsText::ImportSummary => (
                "已导入：文件中 {in_file} 条，新增 {added} 条",
                "Imported: {in_file} records in the file, {added} new",
            ),
            SettingsText::BadBackup => (
                "这个文件不是保学的备份，或已损坏。本机的记录没有改变。",
                "This file is not a Baoxue backup, or it is damaged. Nothing on this phone has changed.",
            ),
            SettingsText::StoreProblem => (
                "本机存储出错，没有完成。本机的记录没有改变，请重试。",
                "The phone's storage failed. Nothing on this phone has changed: try again.",
            ),
            SettingsText::StorageFull => (
                "手机存储已满，没有保存。请删除手机上不用的照片或应用，再点一次。",
                "The phone's storage is full, nothing was saved. Delete photos or apps you do not need, then tap again.",
            ),
            SettingsText::OtherTabOpen => (
                "保学在另一个标签页中以旧版本打开着。请关闭那个标签页，再刷新本页。",
                "Baoxue is open in another tab with an older version. Close that tab, then reload this page.",
            ),
            SettingsText::RecordDamaged => (
                "本机有一条记录已损坏，无法读取。其他记录还在：请先导出备份，再联系管理员。",
                "A record on this phone is damaged and cannot be read. The others are still there: export a backup, then contact the operator.",
            ),
            SettingsText::ReadFileFailed => ("无法打开这个文件，请重新选择", "Cannot open this file: choose it again"),
            SettingsText::ExportFailed => (
                "无法导出备份，请重试",
                "Could not export the backup: try again",
            ),
            SettingsText::LanguageHeading => ("语言", "Language"),
            SettingsText::CurrentLanguage => ("当前：中文", "Now: English"),
            SettingsText::NewPhone => ("换了新手机，或本机的记录不见了？", "A new phone, or this phone's records gone?"),
            SettingsText::NewPhoneHint => (
                "两种办法找回：用导出的备份文件恢复全部记录；或向运维人员要注册码，在下面只填班主任姓名、年级、班级和注册码，从服务器取回学校的全部数据。",
                "Two ways back: restore every record from an exported backup file; or ask the operator for a code and fill in only the teacher, grade, class and code below, to fetch the whole school from the server.",
            ),
            SettingsText::Restore => ("从备份恢复", "Restore from a backup"),
        }
    }
}
