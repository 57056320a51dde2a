use super::Text;

/// Strings of the app's frame, shared by every screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Common {
    AppName,
    SwitchLanguage,
    StoreFailed,
    Loading,
    UpdateReady,
    UpdateNow,
    NotLoaded,
    TryAgain,
}

impl Text for Common {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            Common::AppName => ("保学", "Baoxue"),
            Common::SwitchLanguage => ("English", "中文"),
            Common::StoreFailed => {
                ("无法打开本机存储，请检查浏览器设置", "Cannot open this phone's storage: check the browser settings")
            }
            Common::Loading => ("正在加载…", "Loading…"),
            Common::UpdateReady => (
                "新版本已下载。保存好正在填写的内容后再更新。",
                "A new version is ready. Save what you are typing, then update.",
            ),
            Common::UpdateNow => ("立即更新", "Update now"),
            Common::NotLoaded => (
                "这一页还没有下载到手机上（没有信号？）。有信号时会自动再试。",
                "This page is not on the phone yet (no signal?). It is fetched again when there is a signal.",
            ),
            Common::TryAgain => ("再试一次", "Try again"),
        }
    }
}
