use super::Text;

/// The page where a school shares its figures with a supervisor. `{0}` is filled by `fill`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareText {
    Link,
    Title,
    Intro,
    Days,
    Label,
    LabelHint,
    Make,
    Making,
    Made,
    Scan,
    QrAlt,
    Existing,
    None,
    Until,
    Revoked,
    Expired,
    Revoke,
    NotJoined,
}

impl Text for ShareText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            ShareText::Link => ("分享给上级（汇总链接）", "Share with a supervisor (summary link)"),
            ShareText::Title => ("分享给上级", "Share with a supervisor"),
            ShareText::Intro => (
                "生成一个链接，让镇、县教育部门查看本校的汇总数字：只有人数和比率，1–4 的人数显示为“<5”，没有任何学生的姓名或信息。链接到期或撤销后即失效。",
                "Make a link that shows your school's figures to the town or county bureau: counts and rates only, counts from 1 to 4 as \"<5\", never a child's name or details. The link stops working when it expires or is revoked.",
            ),
            ShareText::Days => ("有效天数", "Works for (days)"),
            ShareText::Label => ("给谁", "For whom"),
            ShareText::LabelHint => ("如：镇教办", "e.g. the town's education office"),
            ShareText::Make => ("生成链接", "Make the link"),
            ShareText::Making => ("正在生成…", "Making…"),
            ShareText::Made => (
                "链接已生成。请现在复制或扫码：服务器不保存链接本身，之后无法再次显示。",
                "The link is made. Copy it or scan it now: the server does not keep the link itself and cannot show it again.",
            ),
            ShareText::Scan => ("用手机扫码打开", "Scan with a phone to open"),
            ShareText::QrAlt => ("汇总链接的二维码", "QR code of the summary link"),
            ShareText::Existing => ("本校的链接", "This school's links"),
            ShareText::None => ("还没有链接。", "No links yet."),
            ShareText::Until => ("有效期至 {0}", "works until {0}"),
            ShareText::Revoked => ("已撤销", "revoked"),
            ShareText::Expired => ("已过期", "expired"),
            ShareText::Revoke => ("撤销", "Revoke"),
            ShareText::NotJoined => (
                "这部手机还没有加入学校的服务器：先在“同步”中用注册码加入。",
                "This phone has not joined the school's server yet: join with a code under Sync first.",
            ),
        }
    }
}
