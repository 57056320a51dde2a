use super::Text;
use baoxue_domain::mutation::ChangeKind;
use baoxue_domain::sync::RejectionReason;

/// What a refused change wrote, as the sync screen lists it.
impl Text for ChangeKind {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            ChangeKind::Organisation => ("学校或班级信息", "School or class details"),
            ChangeKind::Student => ("学生信息", "Student details"),
            ChangeKind::Case => ("劝返案卷", "Return case"),
            ChangeKind::Calendar => ("校历", "School calendar"),
            ChangeKind::Rules => ("本校规则", "School rules"),
            ChangeKind::Resident => ("户籍名单", "Resident list"),
            ChangeKind::Mark => ("考勤", "Attendance"),
            ChangeKind::Status => ("学籍状态", "Enrolment status"),
            ChangeKind::Flag => ("学生标记", "Student flag"),
            ChangeKind::Investigation => ("摸排记录", "Investigation"),
            ChangeKind::Contact => ("家访或联系记录", "Home visit or contact"),
            ChangeKind::Notice => ("书面通知", "Written notice"),
            ChangeKind::Placement => ("复学安置", "Placement"),
            ChangeKind::FollowUp => ("复学跟踪", "Follow-up"),
            ChangeKind::Survey => ("满意度回访", "Survey"),
            ChangeKind::Retraction => ("撤销记录", "Retraction"),
        }
    }
}

/// The sync screen, the status line and enrollment. `{0}` is filled in by `fill`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncText {
    Title,
    JoinTitle,
    JoinHint,
    Code,
    CodeRequired,
    PhoneName,
    PhoneNameHint,
    Join,
    Joining,
    Joined,
    SetupCode,
    SetupCodeHint,
    SyncNow,
    Syncing,
    UnsentCount,
    AllSent,
    LastSynced,
    NeverSynced,
    LastError,
    StatusUnsent,
    StatusSynced,
    StatusNotJoined,
    StatusLabel,
    Offline,
    JoinOffline,
    Revoked,
    UnknownCode,
    CodeUsed,
    CodeExpired,
    DeviceTaken,
    UnknownDevice,
    ServerBusy,
    ServerProblem,
    StoreProblem,
    ChoiceRefused,
    NotEnrolled,
    OtherSchool,
    RefusedTitle,
    RefusedHint,
    SetAsideTitle,
    SetAsideHint,
    Resend,
    By,
    RejoinHint,
    ConflictsLink,
    Held,
}

impl Text for SyncText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            SyncText::Title => ("同步", "Sync"),
            SyncText::JoinTitle => ("加入学校", "Join the school"),
            SyncText::JoinHint => (
                "输入运维人员给的一次性注册码（如 7K3M-Q9TD-2XWA），本机的修改才能与学校的其他手机同步。",
                "Type the one-time code from the operator (as 7K3M-Q9TD-2XWA) so that this phone syncs with the school's other phones.",
            ),
            SyncText::Code => ("注册码", "Enrollment code"),
            SyncText::CodeRequired => ("请输入注册码", "Type the code first"),
            SyncText::PhoneName => ("本机名称", "Name of this phone"),
            SyncText::PhoneNameHint => ("如：王老师的手机", "as: Ms Wang's phone"),
            SyncText::Join => ("加入", "Join"),
            SyncText::Joining => ("正在加入…", "Joining…"),
            SyncText::Joined => ("本机已加入学校", "This phone has joined the school"),
            SyncText::SetupCode => ("注册码（可选）", "Enrollment code (optional)"),
            SyncText::SetupCodeHint => (
                "学校已在服务器上登记时填写：本机会先取回学校已有的数据，班级名称相同就是同一个班；县、乡镇和学校名称可不填。",
                "If the school is on the server: this phone first fetches the school's data; the same class name means the same class; the county, town and school may be left empty.",
            ),
            SyncText::SyncNow => ("立即同步", "Sync now"),
            SyncText::Syncing => ("正在同步…", "Syncing…"),
            SyncText::UnsentCount => ("{0} 条修改尚未发送", "{0} changes not yet sent"),
            SyncText::AllSent => ("所有修改都已发送", "All changes sent"),
            SyncText::LastSynced => ("上次同步：{0}", "Last synced: {0}"),
            SyncText::NeverSynced => ("尚未同步", "Not synced yet"),
            SyncText::LastError => ("上次同步出错：", "Last sync failed: "),
            SyncText::StatusUnsent => ("{0} 条未发送", "{0} unsent"),
            SyncText::StatusSynced => ("已同步 {0}", "Synced {0}"),
            SyncText::StatusNotJoined => ("未加入学校", "Not joined"),
            SyncText::StatusLabel => ("同步状态", "Sync status"),
            SyncText::Offline => (
                "没有信号：修改都保存在本机，有信号时会自动同步",
                "No signal: changes are kept on this phone and sync when there is a signal",
            ),
            SyncText::Revoked => (
                "运维人员已将这部手机从学校移除；本机 {0} 条未发送的修改都还保留着。请向运维人员要一个新的注册码，在下面重新加入，这些修改就会发送。",
                "This phone was removed from the school by the operator; your {0} unsent changes are kept. Ask the operator for a new code and join again below: they will be sent.",
            ),
            SyncText::JoinOffline => (
                "没有信号，无法加入学校：注册码没有用掉，有信号时再试一次",
                "No signal, so the phone cannot join: the code is not used up; try again with a signal",
            ),
            SyncText::UnknownCode => ("注册码不对，请核对后重新输入", "This code is not known: check it and type it again"),
            SyncText::CodeUsed => ("这个注册码已经用过了，请向运维人员要一个新的", "This code was already used: ask the operator for a new one"),
            SyncText::CodeExpired => ("这个注册码已过期，请向运维人员要一个新的", "This code has expired: ask the operator for a new one"),
            SyncText::DeviceTaken => ("这部手机的编号已被注册，请联系运维人员", "This phone's id is already enrolled: ask the operator"),
            SyncText::UnknownDevice => (
                "服务器不认识这部手机，请用新的注册码重新加入",
                "The server does not know this phone: join again with a new code",
            ),
            SyncText::ServerBusy => ("服务器暂时无法处理，请稍后再试", "The server cannot answer right now: try again later"),
            SyncText::ServerProblem => (
                "服务器的回答无法读取，请稍后再试或联系运维人员",
                "The server's answer cannot be read: try again later or ask the operator",
            ),
            SyncText::ChoiceRefused => (
                "这个版本不符合本机的核对规则，没有保存",
                "This version fails this phone's checks: it was not saved",
            ),
            SyncText::StoreProblem => ("本机存储出错，同步没有完成", "This phone's storage failed: the sync did not finish"),
            SyncText::NotEnrolled => ("本机还没有加入学校，不能同步", "This phone has not joined a school: it cannot sync"),
            SyncText::OtherSchool => (
                "本机建档的学校和注册码所属的学校不同，修改不会上传。请联系运维人员。",
                "This phone was set up for another school than the code's: its changes are not sent. Ask the operator.",
            ),
            SyncText::RefusedTitle => ("服务器拒收的修改", "Changes the server refused"),
            SyncText::RefusedHint => (
                "这些修改保留在本机，但不会计入学校的数据。",
                "These changes stay on this phone but do not count in the school's data.",
            ),
            SyncText::SetAsideTitle => ("已搁置的服务器数据", "Server data set aside"),
            SyncText::SetAsideHint => (
                "服务器发来的这些修改不符合规则，本机没有采用，也不会计入。请告诉运维人员。",
                "These changes from the server break its own rules: this phone did not take them in and does not count them. Tell the operator.",
            ),
            SyncText::Resend => ("重新发送", "Send again"),
            SyncText::By => ("记录人", "by"),
            SyncText::RejoinHint => (
                "输入运维人员给的新注册码。本机会换一个新的设备编号，未发送的修改会在新编号下重新发送，一条也不会丢。",
                "Type the new code from the operator. This phone gets a new device id, and its unsent changes are sent again under it: none is lost.",
            ),
            SyncText::ConflictsLink => ("处理冲突", "Resolve conflicts"),
            SyncText::Held => (
                "有修改提到了服务器上还没有的学生、班级或个案（通常是服务器从备份恢复后，另一部手机还没同步）。这些修改留在本机，下次同步时自动再发送。",
                "Some changes name a student, class or case the server does not hold yet (usually after the server was restored from a backup and another phone has not synced yet). They stay on this phone and are sent again at the next sync.",
            ),
        }
    }
}

/// Why the server refused a change, for the teacher.
pub fn refusal_words(reason: &RejectionReason) -> (&'static str, &'static str) {
    match reason {
        RejectionReason::CounterReused { .. } => (
            "本机的修改编号被重复使用（可能从旧备份恢复过），服务器保留了先到的那条",
            "This phone's change number was used twice (restored from an old backup?); the server keeps the first",
        ),
        RejectionReason::BrokenChain { .. } => (
            "本机的修改记录与服务器上的不连续（历史被改动或从备份恢复）",
            "This change does not follow this phone's earlier ones on the server (history altered or restored)",
        ),
        RejectionReason::WrongSchool { .. } => {
            ("这条修改属于另一所学校", "This change belongs to another school than this phone's")
        }
        RejectionReason::WrongDevice { .. } => ("这条修改是另一部手机做的", "This change was made on another phone"),
        RejectionReason::IdTaken { .. } => {
            ("这条修改的编号已被另一条修改占用", "This change's id is taken by another change")
        }
        RejectionReason::ZeroCounter => ("修改编号 0 无效", "Change number 0 is not valid"),
        RejectionReason::StampAhead { .. } => (
            "这条修改的时间比服务器时间晚一天以上（手机时钟不对？）",
            "This change is dated more than a day after the server's time (is the phone's clock wrong?)",
        ),
        RejectionReason::StampOfOtherDevice { .. } => {
            ("这条修改的时间戳属于另一部手机", "This change's time stamp names another phone")
        }
        RejectionReason::TextTooLong { .. } => (
            "这条修改中有文字超出长度限制（姓名最多 50 字，其他最多 2000 字）",
            "A text in this change is too long (names at most 50 characters, other text 2,000)",
        ),
        RejectionReason::ControlCharacter { .. } => {
            ("这条修改中的文字含有不可见的控制字符", "A text in this change holds an invisible control character")
        }
        RejectionReason::DateOutOfRange { .. } => {
            ("这条修改中的日期不在 1990 年到 2100 年之间", "A date in this change is not between 1990 and 2100")
        }
        RejectionReason::ChangeForOtherSchool { .. } => {
            ("这条修改写入了另一所学校的数据", "This change writes to another school's data")
        }
        RejectionReason::BaseAhead { .. } => (
            "这条修改声称替换了一个比它本身还晚的版本，这不可能",
            "This change claims to replace a version made after it, which cannot be",
        ),
        RejectionReason::RecordRefused { .. } => (
            "这条修改提到的学生、班级或个案记录被服务器拒收了；请先改正那条记录，再重新录入这一条",
            "This change names a student, class or case whose own record the server refused; correct that record, then enter this again",
        ),
    }
}
