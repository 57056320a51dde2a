//! What follows a suspected dropout: confirming or clearing it, the case (一人一案), the contact
//! log, the 《限期复学通知书》, the return and the follow-ups, the ledgers and 今天要做; and every
//! problem the domain's validation finds with them, in words a head teacher acts on beside the
//! field it is about.

use super::Text;
use baoxue_domain::case::Measure;
use baoxue_domain::casework::Clearing;
use baoxue_domain::contact::ContactMethod;
use baoxue_domain::investigation::DropoutReason;
use baoxue_domain::ledger::ExitCategory;
use baoxue_domain::validate::ValidationError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseText {
    Section,
    SuspectedNow,
    OnLedgerNoCase,
    Confirm,
    ClearOpen,
    FoundOn,
    Reasons,
    Investigator,
    Note,
    Responsible,
    ResponsibleTeacher,
    ResponsibleLeader,
    ResponsibleCadre,
    Difficulty,
    Suggested,
    DifficultyNote,
    Measures,
    Deadline,
    SaveCase,
    Cancel,
    ClearWhy,
    ClearNote,
    SaveClear,
    Cleared,
    CaseTitle,
    CaseStatus,
    Outcome,
    EditCase,
    SaveEdit,
    Contacts,
    NoContacts,
    AddContact,
    ContactCount,
    ContactDate,
    Method,
    ChooseMethod,
    Visitors,
    Met,
    Said,
    ContactOutcome,
    NextStep,
    NextDate,
    SaveContact,
    NoticeTitle,
    NoticeOffered,
    IssueNotice,
    Issuer,
    NoticeNumber,
    IssuedOn,
    NoticeDeadline,
    SaveNotice,
    OpenNotice,
    NoticeIssued,
    ReturnTitle,
    RecordReturn,
    ReturnedOn,
    PlacementClass,
    CatchUp,
    SaveReturn,
    ReturnedTo,
    FollowUps,
    NoFollowUps,
    AddFollowUp,
    FollowUpDate,
    Attending,
    StillAttending,
    AbsentAgain,
    FollowUpNote,
    SaveFollowUp,
    Saved,
    Ledgers,
    SuspectedLedger,
    DropoutLedger,
    ClearedLedger,
    FilterOpen,
    FilterClosedThisMonth,
    AllClasses,
    NothingListed,
    RaisedOn,
    OutSince,
    LeftOn,
    NoCaseYet,
    DropoutRate,
    ReturnRate,
    RateOf,
    NoRate,
    TermFigures,
    NoTerm,
    VisitsTitle,
    GenderAge,
    VisitsOf,
    RelapsingChild,
    WhoCounted,
    SourceReported,
    SourceAbsence,
    SourceTransfer,
    ExitWithoutEvidence,
    Today,
    NothingDue,
    Overdue,
    DueOn,
    DutyReport,
    DutyVisit,
    DutyWrittenReport,
    DutyMonthlyReport,
    DutyNextStep,
    DutyEscalate,
    DutyFollowUp,
    ReopenCase,
    Relapse,
    RelapseVisits,
    CheckDue,
    CheckDone,
    Escalated,
    OpenLedgers,
    NoticePrint,
    NoticeBack,
    NoticeNotFound,
    CloseOther,
    ExitCategory,
    ChooseExit,
    ExitDate,
    ExitEvidence,
    EvidenceTransfer,
    EvidenceHomeTaught,
    EvidenceExempted,
    EvidenceDeferred,
    EvidenceAbroad,
    EvidenceDeceased,
    EvidenceWrongRecord,
    Withdrawn,
    WithdrawnRow,
    SaveExit,
}

impl CaseText {
    /// What the evidence box asks for, by how the child left.
    pub fn evidence_for(category: ExitCategory) -> CaseText {
        match category {
            ExitCategory::Transferred => CaseText::EvidenceTransfer,
            ExitCategory::HomeTaught => CaseText::EvidenceHomeTaught,
            ExitCategory::Exempted => CaseText::EvidenceExempted,
            ExitCategory::Deferred => CaseText::EvidenceDeferred,
            ExitCategory::MovedAbroad => CaseText::EvidenceAbroad,
            ExitCategory::Deceased => CaseText::EvidenceDeceased,
            ExitCategory::WrongRecord => CaseText::EvidenceWrongRecord,
            ExitCategory::Returned | ExitCategory::Other => CaseText::ExitEvidence,
        }
    }
}

impl Text for CaseText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            CaseText::Section => ("控辍保学", "Keeping in school"),
            CaseText::SuspectedNow => {
                ("疑似辍学：请确认辍学并立案，或排除", "Suspected dropout: confirm it and open a case, or clear it")
            }
            CaseText::OnLedgerNoCase => ("在辍学台账上，还没有劝返方案", "On the dropout ledger, no case yet"),
            CaseText::Confirm => ("确认辍学，建立劝返方案", "Confirm and open a case"),
            CaseText::ClearOpen => ("排除疑似", "Clear: not a dropout"),
            CaseText::FoundOn => ("发现日期", "Date found"),
            CaseText::Reasons => ("辍学原因（可多选）", "Reasons (all that apply)"),
            CaseText::Investigator => ("排查人", "Investigator"),
            CaseText::Note => ("情况说明", "Notes"),
            CaseText::Responsible => ("劝返责任人", "Responsible"),
            CaseText::ResponsibleTeacher => ("班主任", "Head teacher"),
            CaseText::ResponsibleLeader => ("学校领导", "School leader"),
            CaseText::ResponsibleCadre => ("村干部", "Village cadre"),
            CaseText::Difficulty => ("劝返难度", "Persuasion difficulty"),
            CaseText::Suggested => ("按记录估计：{0}", "From the records: {0}"),
            CaseText::DifficultyNote => {
                ("难度说明（与估计不同时写明原因）", "Why this difficulty (when not the suggested one)")
            }
            CaseText::Measures => ("劝返措施", "Measures"),
            CaseText::Deadline => ("劝返期限", "Deadline"),
            CaseText::SaveCase => ("保存并立案", "Save and open the case"),
            CaseText::Cancel => ("取消", "Cancel"),
            CaseText::ClearWhy => ("排除原因", "Why"),
            CaseText::ClearNote => ("说明（如：医院证明）", "Note (e.g. a doctor's note)"),
            CaseText::SaveClear => ("确认排除", "Clear"),
            CaseText::Cleared => ("已排除", "Cleared"),
            CaseText::CaseTitle => ("劝返复学方案（一人一案）", "Return plan (one per child)"),
            CaseText::CaseStatus => ("方案状态", "Status"),
            CaseText::Outcome => ("结果说明", "Outcome"),
            CaseText::EditCase => ("修改方案", "Edit the plan"),
            CaseText::SaveEdit => ("保存修改", "Save changes"),
            CaseText::Contacts => ("家访登记", "Contact log"),
            CaseText::NoContacts => ("还没有家访或电话记录", "No visits or calls yet"),
            CaseText::AddContact => ("登记一次家访或电话", "Log a visit or call"),
            CaseText::ContactCount => ("共联系 {0} 次，其中家访 {1} 次", "{0} contacts, {1} of them home visits"),
            CaseText::ContactDate => ("日期", "Date"),
            CaseText::Method => ("方式", "How"),
            CaseText::ChooseMethod => ("请选择方式", "Choose how"),
            CaseText::Visitors => ("走访人（多人用顿号分开）", "Who went (separate with 、)"),
            CaseText::Met => ("接待人（如：父亲、祖母）", "Whom you met (e.g. father)"),
            CaseText::Said => ("谈话内容", "What was said"),
            CaseText::ContactOutcome => ("结果", "Outcome"),
            CaseText::NextStep => ("下一步", "Next step"),
            CaseText::NextDate => ("下一步日期", "Next step by"),
            CaseText::SaveContact => ("保存记录", "Save the contact"),
            CaseText::NoticeTitle => ("限期复学通知书", "Notice to return by a deadline"),
            CaseText::NoticeOffered => (
                "已联系 {0} 次孩子仍未返校，可依法出具《限期复学通知书》",
                "{0} contacts and the child is still out: the notice to return may be issued",
            ),
            CaseText::IssueNotice => ("出具《限期复学通知书》", "Issue the notice to return"),
            CaseText::Issuer => ("发文单位", "Issued by"),
            CaseText::NoticeNumber => ("文号", "Number"),
            CaseText::IssuedOn => ("出具日期", "Issued on"),
            CaseText::NoticeDeadline => ("限期返校日期", "Return by"),
            CaseText::SaveNotice => ("保存通知书", "Save the notice"),
            CaseText::OpenNotice => ("查看 / 打印", "View / print"),
            CaseText::NoticeIssued => ("{0} 出具，限 {1} 前返校", "Issued {0}, return by {1}"),
            CaseText::ReturnTitle => ("复学安置", "Return"),
            CaseText::RecordReturn => ("登记复学", "Record the return"),
            CaseText::ReturnedOn => ("复学日期", "Back on"),
            CaseText::PlacementClass => ("编入班级", "Class"),
            CaseText::CatchUp => ("补课与帮扶计划", "Catch-up and support plan"),
            CaseText::SaveReturn => ("保存复学", "Save the return"),
            CaseText::ReturnedTo => ("{0} 复学，编入 {1}", "Back on {0}, in {1}"),
            CaseText::FollowUps => ("跟踪回访", "Follow-up"),
            CaseText::NoFollowUps => ("还没有回访", "No follow-up yet"),
            CaseText::AddFollowUp => ("登记回访", "Log a follow-up"),
            CaseText::FollowUpDate => ("回访日期", "Date"),
            CaseText::Attending => ("在校情况", "At school?"),
            CaseText::StillAttending => ("正常在校", "Attending"),
            CaseText::AbsentAgain => ("又有缺课", "Missing school again"),
            CaseText::FollowUpNote => ("说明", "Note"),
            CaseText::SaveFollowUp => ("保存回访", "Save the follow-up"),
            CaseText::Saved => ("已保存", "Saved"),
            CaseText::Ledgers => ("台账", "Ledgers"),
            CaseText::SuspectedLedger => ("疑似辍学台账", "Suspected dropouts"),
            CaseText::DropoutLedger => ("辍学台账", "Dropouts"),
            CaseText::ClearedLedger => ("动态销号", "Left the ledger"),
            CaseText::FilterOpen => ("在台账上", "On the ledger"),
            CaseText::FilterClosedThisMonth => ("本月销号", "Left this month"),
            CaseText::AllClasses => ("全部班级", "All classes"),
            CaseText::NothingListed => ("没有记录", "Nothing listed"),
            CaseText::RaisedOn => ("{0} 发现", "Found {0}"),
            CaseText::OutSince => ("{0} 起辍学", "Out since {0}"),
            CaseText::LeftOn => ("{0} 销号：{1}，{2}", "Left {0}: {1}, {2}"),
            CaseText::NoCaseYet => ("未立案", "No case"),
            CaseText::DropoutRate => ("辍学率", "Dropout rate"),
            CaseText::ReturnRate => ("劝返复学率", "Return rate"),
            CaseText::RateOf => ("{0}/{1}（{2}）", "{0} of {1} ({2})"),
            CaseText::NoRate => ("无", "none"),
            CaseText::TermFigures => ("本学期（{0}）", "This term ({0})"),
            CaseText::NoTerm => {
                ("还没有设置学期，无法计算本学期的比率", "No term is set, so the term's rates cannot be worked out")
            }
            CaseText::WhoCounted => ("计入的学生", "The children counted"),
            CaseText::GenderAge => ("{0}，{1}岁", "{0}, aged {1}"),
            CaseText::VisitsTitle => ("家访（本学期，至少次数）", "Home visits this term (quota)"),
            CaseText::VisitsOf => ("{0}：{1}/{2}", "{0}: {1} of {2}"),
            CaseText::RelapsingChild => ("{0}（反复辍学）", "{0} (dropped out again)"),
            CaseText::SourceReported => ("已上报疑似辍学", "Reported as suspected"),
            CaseText::SourceAbsence => ("连续旷课 {0} 天", "{0} unexcused days in a row"),
            CaseText::SourceTransfer => ("{0} 转出，未收到回执", "Transferred out {0}, no receipt"),
            CaseText::ExitWithoutEvidence => {
                ("{0} 记为{1}，但没有依据，仍在台账上", "Recorded as {1} on {0} without evidence: still on the ledger")
            }
            CaseText::Today => ("今天要做", "Due today"),
            CaseText::NothingDue => ("今天没有要做的事", "Nothing due today"),
            CaseText::Overdue => ("已逾期", "Overdue"),
            CaseText::DueOn => ("{0} 前", "By {0}"),
            CaseText::DutyReport => ("上报疑似辍学（辍学上报不过夜）", "Report the suspected dropout today"),
            CaseText::DutyVisit => ("家访", "Visit the family"),
            CaseText::DutyWrittenReport => ("填写排查台账", "Write the investigation row"),
            CaseText::DutyMonthlyReport => ("报送 {0} 辍学月报表", "File the dropout report of {0}"),
            CaseText::OpenLedgers => ("查看台账", "Open the ledgers"),
            CaseText::DutyNextStep => ("下一步：{0}", "Next step: {0}"),
            CaseText::DutyEscalate => (
                "《限期复学通知书》期限已过，孩子未返校：上报乡镇",
                "The notice's deadline passed and the child is not back: report to the town",
            ),
            CaseText::DutyFollowUp => ("复学后跟踪回访", "Follow-up check after the return"),
            CaseText::ReopenCase => ("重新启动劝返方案", "Reopen the case"),
            CaseText::Relapse => (
                "复学后再次辍学（{0} 复学）：原方案将重新启动，记录保留",
                "Out again after returning on {0}: the case reopens with its history",
            ),
            CaseText::RelapseVisits => {
                ("再次辍学后已家访 {0} 次，至少 {1} 次", "{0} home visits since the relapse, at least {1}")
            }
            CaseText::CheckDue => ("{0} 应回访", "Check due {0}"),
            CaseText::CheckDone => ("{0} 已回访", "Checked (due {0})"),
            CaseText::Escalated => {
                ("通知书期限 {0} 已过，视为已上报乡镇", "The notice's deadline {0} passed: escalated to the town")
            }
            CaseText::NoticePrint => ("打印", "Print"),
            CaseText::NoticeBack => ("返回学生页面", "Back to the child"),
            CaseText::NoticeNotFound => ("找不到这份通知书", "No such notice on this phone"),
            CaseText::CloseOther => {
                ("其他原因销号（转学、送教上门、免学等）", "Close: transfer, home teaching, exemption…")
            }
            CaseText::ExitCategory => ("销号原因", "How the child left"),
            CaseText::ChooseExit => ("请选择", "Choose"),
            CaseText::ExitDate => ("销号日期", "Date"),
            CaseText::ExitEvidence => ("依据", "What proves it"),
            CaseText::EvidenceTransfer => {
                ("接收学校及回执（哪所学校、何时收到）", "Receiving school and its receipt (which, when)")
            }
            CaseText::EvidenceHomeTaught => ("送教上门的批准文件", "The approval of home teaching"),
            CaseText::EvidenceExempted => {
                ("医院或残联的证明（名称、编号）", "The medical or disability certificate (name, number)")
            }
            CaseText::EvidenceDeferred => ("延缓入学的批准文件", "The approval of the deferral"),
            CaseText::EvidenceAbroad => {
                ("出境的证明（如出入境记录、家长说明）", "What shows the child left the country")
            }
            CaseText::EvidenceDeceased => ("死亡证明", "The death certificate"),
            CaseText::EvidenceWrongRecord => (
                "记录有误或重复的证明（如：与哪条学籍重复、核实人）",
                "What shows the record was wrong or a duplicate (which record, who checked)",
            ),
            CaseText::Withdrawn => {
                ("撤销的辍学记录（记录有误或重复）", "Dropout records withdrawn (wrong or duplicate)")
            }
            CaseText::WithdrawnRow => ("{0} 的{1}记录已撤销：{2}", "{1} of {0} withdrawn: {2}"),
            CaseText::SaveExit => ("保存并结案", "Save and close the case"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReasonName(pub DropoutReason);

impl Text for ReasonName {
    fn pair(self) -> (&'static str, &'static str) {
        match self.0 {
            DropoutReason::FamilyHardship => ("家庭经济困难", "Family hardship"),
            DropoutReason::LearningDifficulty => ("学习困难", "Learning difficulty"),
            DropoutReason::DislikesSchool => ("厌学", "Dislikes school"),
            DropoutReason::FamilyUpheaval => ("家庭变故", "Family upheaval"),
            DropoutReason::EarlyMarriage => ("早婚早育", "Early marriage"),
            DropoutReason::LeftToWork => ("外出打工", "Left to work"),
            DropoutReason::IllnessOrDisability => ("因病因残", "Illness or disability"),
            DropoutReason::Other => ("其他", "Other"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeasureName(pub Measure);

impl MeasureName {
    pub const ALL: [Measure; 9] = [
        Measure::HomeVisit,
        Measure::Phone,
        Measure::Counselling,
        Measure::FeeWaiver,
        Measure::Subsidy,
        Measure::Tutoring,
        Measure::Boarding,
        Measure::Aid,
        Measure::Legal,
    ];
}

impl Text for MeasureName {
    fn pair(self) -> (&'static str, &'static str) {
        match self.0 {
            Measure::HomeVisit => ("家访", "Home visit"),
            Measure::Phone => ("电话", "Phone"),
            Measure::Counselling => ("心理疏导", "Counselling"),
            Measure::Aid => ("其他帮扶", "Other aid"),
            Measure::FeeWaiver => ("帮扶：减免费用", "Aid: fees waived"),
            Measure::Subsidy => ("帮扶：生活补助", "Aid: subsidy"),
            Measure::Tutoring => ("帮扶：补课", "Aid: tutoring"),
            Measure::Boarding => ("帮扶：安排寄宿", "Aid: boarding"),
            Measure::Legal => ("依法劝返", "Legal route"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodName(pub ContactMethod);

impl MethodName {
    pub const ALL: [ContactMethod; 4] =
        [ContactMethod::HomeVisit, ContactMethod::Phone, ContactMethod::Message, ContactMethod::AtSchool];
}

impl Text for MethodName {
    fn pair(self) -> (&'static str, &'static str) {
        match self.0 {
            ContactMethod::HomeVisit => ("家访", "Home visit"),
            ContactMethod::Phone => ("电话", "Phone call"),
            ContactMethod::Message => ("微信或短信", "Message"),
            ContactMethod::AtSchool => ("家长来校", "Parent at school"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClearingName(pub Clearing);

impl Text for ClearingName {
    fn pair(self) -> (&'static str, &'static str) {
        match self.0 {
            Clearing::Ill => ("生病（缺课改为病假）", "Ill (the days become sick leave)"),
            Clearing::OnLeave => ("请了假（缺课改为事假）", "On leave (the days become personal leave)"),
            Clearing::WrongRecord => ("考勤记错了（撤销旷课记录）", "Wrong marks (the absences are withdrawn)"),
        }
    }
}

/// The field of a case form a problem is shown beside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseField {
    FoundOn,
    Reasons,
    Investigator,
    Responsible,
    Deadline,
    Date,
    Method,
    Visitors,
    NextDate,
    Issuer,
    Number,
    Class,
    Evidence,
    Form,
}

/// What is wrong with a case form, as the teacher reads it beside the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseProblem {
    NotADate,
    DateInFuture,
    NoReason,
    NoInvestigator,
    NoResponsible,
    DeadlinePassed,
    NoMethod,
    NoVisitor,
    NextBeforeContact,
    ContactBeforeFound,
    NoIssuer,
    NoticeDeadlineBeforeIssue,
    ReturnBeforeCaseOpened,
    NoCategory,
    NoEvidence,
    UnknownClass,
    Other,
}

impl CaseProblem {
    /// The field and words for a validation error of a case form.
    pub fn of(error: &ValidationError) -> (CaseField, CaseProblem) {
        match error {
            ValidationError::InFuture { .. } => (CaseField::Date, CaseProblem::DateInFuture),
            ValidationError::Blank { field, .. } if field.contains("辍学原因") => {
                (CaseField::Reasons, CaseProblem::NoReason)
            }
            ValidationError::Blank { field, .. } if field.contains("排查人") => {
                (CaseField::Investigator, CaseProblem::NoInvestigator)
            }
            ValidationError::Blank { field, .. } if field.contains("劝返责任人") => {
                (CaseField::Responsible, CaseProblem::NoResponsible)
            }
            ValidationError::Blank { field, .. } if field.contains("走访人") => {
                (CaseField::Visitors, CaseProblem::NoVisitor)
            }
            ValidationError::Blank { field, .. } if field.contains("发文单位") => {
                (CaseField::Issuer, CaseProblem::NoIssuer)
            }
            ValidationError::DeadlinePassed { .. } => (CaseField::Deadline, CaseProblem::DeadlinePassed),
            ValidationError::NextStepBeforeContact { .. } => (CaseField::NextDate, CaseProblem::NextBeforeContact),
            ValidationError::ContactBeforeFound { .. } => (CaseField::Date, CaseProblem::ContactBeforeFound),
            ValidationError::NoticeDeadlineBeforeIssue { .. } => {
                (CaseField::Deadline, CaseProblem::NoticeDeadlineBeforeIssue)
            }
            ValidationError::ReturnBeforeCaseOpened { .. } => (CaseField::Date, CaseProblem::ReturnBeforeCaseOpened),
            ValidationError::UnknownClass { .. } => (CaseField::Class, CaseProblem::UnknownClass),
            ValidationError::LeavesLedgerWithoutEvidence { .. }
            | ValidationError::TransferWithoutReceipt { .. }
            | ValidationError::RetractWithoutReason { .. } => (CaseField::Evidence, CaseProblem::NoEvidence),
            _ => (CaseField::Form, CaseProblem::Other),
        }
    }
}

impl Text for CaseProblem {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            CaseProblem::NotADate => {
                ("日期不对：请选择日期，或按 2026-11-23 的样子填写", "Not a date: pick one, or type it like 2026-11-23")
            }
            CaseProblem::DateInFuture => {
                ("日期晚于今天：记录发生过的事，请检查日期", "The date is after today: check it")
            }
            CaseProblem::NoReason => ("请至少选一个辍学原因", "Choose at least one reason"),
            CaseProblem::NoInvestigator => ("请填写排查人", "Write who investigated"),
            CaseProblem::NoResponsible => ("请至少填写一名劝返责任人", "Write at least one responsible person"),
            CaseProblem::DeadlinePassed => {
                ("期限已过：请定一个今天或以后的日期", "The deadline has passed: set today or later")
            }
            CaseProblem::NoMethod => ("请选择联系方式", "Choose how you contacted the family"),
            CaseProblem::NoVisitor => ("请填写走访人", "Write who went"),
            CaseProblem::NextBeforeContact => {
                ("下一步日期早于这次联系，请检查日期", "The next step is dated before this contact: check the date")
            }
            CaseProblem::ContactBeforeFound => (
                "这次联系早于发现孩子辍学的日期，请检查日期",
                "This contact is dated before the child was found out of school: check the date",
            ),
            CaseProblem::NoIssuer => {
                ("请填写发文单位，通常是乡镇人民政府", "Write who issues it, usually the township government")
            }
            CaseProblem::NoticeDeadlineBeforeIssue => {
                ("返校期限早于出具日期，请改正其中一个", "The deadline is before the issue date: correct one of them")
            }
            CaseProblem::ReturnBeforeCaseOpened => {
                ("复学日期早于立案日期，请检查日期", "The return is dated before the case was opened: check the date")
            }
            CaseProblem::UnknownClass => ("请从列表中选择班级", "Pick the class from the list"),
            CaseProblem::NoCategory => ("请选择销号原因", "Choose how the child left"),
            CaseProblem::NoEvidence => (
                "销号须写明依据（动态销号）：证明的名称、编号或回执",
                "Leaving the ledger needs evidence: the certificate, its number, or the receipt",
            ),
            CaseProblem::Other => ("没有保存：请检查表单后再试", "Not saved: check the form and try again"),
        }
    }
}

/// The 《限期复学通知书》 as printed: a legal paper for the guardian, filled from the case.
/// `{n}` are filled in by the print page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeText {
    Title,
    Salutation,
    Facts,
    Number,
    Law,
    Order,
    Closing,
    Receipt,
    Copies,
    Date,
}

impl Text for NoticeText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            NoticeText::Title => ("限期复学通知书", "Notice to Return to School by a Deadline"),
            NoticeText::Salutation => ("{0}（{1}的监护人）：", "To {0}, guardian of {1}:"),
            NoticeText::Facts => (
                "你的子女（被监护人）{0}，{1}，{2}出生{3}，系{4}{5}学生，家住{6}。该生自{7}起未到校上学，学校已上门家访或电话联系{8}次，至今仍未返校。",
                "Your child (ward) {0}, {1}, born {2}{3}, a pupil of {4}, {5}, living at {6}, has not come to school since {7}. The school has visited or called {8} times; the child has still not returned.",
            ),
            NoticeText::Number => ("，学籍号{0}", ", student number {0}"),
            NoticeText::Law => (
                "《中华人民共和国义务教育法》第五条规定，适龄儿童、少年的父母或者其他法定监护人应当依法保证其按时入学接受并完成义务教育；第五十八条规定，适龄儿童、少年的父母或者其他法定监护人无正当理由未依照本法规定送适龄儿童、少年入学接受义务教育的，由当地乡镇人民政府或者县级人民政府教育行政部门给予批评教育，责令限期改正。《中华人民共和国未成年人保护法》规定，未成年人的父母或者其他监护人应当尊重未成年人受教育的权利，保障适龄未成年人依法接受并完成义务教育。",
                "Article 5 of the Compulsory Education Law of the People's Republic of China requires the parents or other legal guardians of school-age children to ensure that they enrol on time and complete compulsory education; under Article 58, a guardian who without good reason does not send a school-age child to school is criticised and educated by the township government or the county education authority and ordered to put it right within a time limit. The Law on the Protection of Minors requires parents and other guardians to respect a minor's right to education and to ensure that a school-age minor receives and completes compulsory education.",
            ),
            NoticeText::Order => (
                "现责令你于{0}前送{1}返回{2}复学。逾期不改正的，将依法处理。",
                "You are hereby ordered to bring {1} back to {2} by {0}. If this is not done by then, the law will be applied.",
            ),
            NoticeText::Closing => ("特此通知。", "Hereby notified."),
            NoticeText::Receipt => ("监护人签收：＿＿＿＿＿＿　　签收日期：＿＿＿＿年＿＿月＿＿日", "Received by the guardian: __________    Date: __________"),
            NoticeText::Copies => (
                "本通知书一式三份，监护人、学校、乡镇人民政府各执一份。",
                "Three copies: one each for the guardian, the school and the township government.",
            ),
            NoticeText::Date => ("{0}年{1}月{2}日", "{2}/{1}/{0}"),
        }
    }
}

/// The school's 控辍保学 rules on the settings screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesText {
    Title,
    SuspectedAfter,
    ReceiptDays,
    VisitWithin,
    WrittenReport,
    MonthlyReport,
    FirstCheck,
    SecondCheck,
    ContactsBeforeNotice,
    VisitQuota,
    Edit,
    Save,
    Cancel,
    NotANumber,
    OutOfRange,
    NotSaved,
}

impl Text for RulesText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            RulesText::Title => ("控辍保学规则", "Dropout rules"),
            RulesText::SuspectedAfter => {
                ("连续旷课几天视为疑似辍学", "Unexcused days in a row before a child is suspected")
            }
            RulesText::ReceiptDays => ("转出后几天内应收到回执", "Days to receive a transfer's receipt"),
            RulesText::VisitWithin => {
                ("上报后几天内家访（0 为当天）", "Days to visit after a report (0: the same day)")
            }
            RulesText::WrittenReport => ("几天内填写排查台账", "Days to write the investigation row"),
            RulesText::MonthlyReport => ("辍学月报：次月几日前报送", "Monthly report: by this day of the next month"),
            RulesText::FirstCheck => ("复学后第几天首次回访", "First follow-up, days after the return"),
            RulesText::SecondCheck => ("复学后第几天第二次回访", "Second follow-up, days after the return"),
            RulesText::ContactsBeforeNotice => {
                ("联系几次未果后可出具通知书", "Failed contacts before the notice is offered")
            }
            RulesText::VisitQuota => ("每位班主任每学期家访次数", "Home visits per head teacher per term"),
            RulesText::Edit => ("修改规则", "Edit the rules"),
            RulesText::Save => ("保存规则", "Save the rules"),
            RulesText::Cancel => ("取消", "Cancel"),
            RulesText::NotANumber => ("请填写一个整数", "Write a whole number"),
            RulesText::OutOfRange => ("请填写 {0} 到 {1} 之间的数", "Write a number from {0} to {1}"),
            RulesText::NotSaved => ("没有保存，请再试一次", "Not saved: try again"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExitName(pub ExitCategory);

impl Text for ExitName {
    fn pair(self) -> (&'static str, &'static str) {
        match self.0 {
            ExitCategory::Returned => ("复学", "Returned"),
            ExitCategory::Transferred => ("转学（已收到回执）", "Transferred (receipt)"),
            ExitCategory::HomeTaught => ("送教上门", "Taught at home"),
            ExitCategory::Exempted => ("因病因残免学", "Exempted (illness or disability)"),
            ExitCategory::Deferred => ("延缓入学", "Entry deferred"),
            ExitCategory::MovedAbroad => ("出国（境）", "Moved abroad"),
            ExitCategory::Deceased => ("死亡", "Deceased"),
            ExitCategory::WrongRecord => ("记录有误或重复", "Wrong or duplicate record"),
            ExitCategory::Other => ("其他", "Other"),
        }
    }
}
