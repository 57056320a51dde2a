//! The one translation table. Every visible string is a variant of a `Text` enum with both
//! languages on one line, so a missing translation does not compile. The table is split by
//! screen (one file each) only so that it stays readable.

mod common;

pub use common::Common;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The `lang` attribute of the page.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language of a `lang` tag written by `tag`; None for any other.
    pub fn of_tag(tag: &str) -> Option<Lang> {
        [Lang::Zh, Lang::En].into_iter().find(|lang| lang.tag() == tag)
    }
}

/// A string in both languages: (Chinese, English).
pub trait Text: Copy {
    fn pair(self) -> (&'static str, &'static str);

    fn in_lang(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.pair().0,
            Lang::En => self.pair().1,
        }
    }
}

mod attendance;
mod board;
mod calendar;
mod casework;
mod child_file;
mod conflicts;
mod crosscheck;
mod dashboard;
mod import;
mod nav;
mod report;
mod roster;
mod settings;
mod setup;
mod share;
mod student;
mod survey;
mod sync;
mod term;

pub use attendance::AttendanceText;
pub use board::{factor_words, fill, reason_words, BoardText, FlagName, GradeName, LevelName};
pub use calendar::{CalendarText, DayMarker};
pub use casework::{
    CaseField, CaseProblem, CaseText, ClearingName, ExitName, MeasureName, MethodName, NoticeText, ReasonName,
    RulesText,
};
pub use child_file::FileText;
pub use conflicts::{CaseStatusName, ConflictText};
pub use crosscheck::CrossText;
pub use dashboard::DashText;
pub use import::ImportText;
pub use nav::Nav;
pub use report::ReportText;
pub use roster::RosterText;
pub use settings::SettingsText;
pub use setup::SetupText;
pub use share::ShareText;
pub use student::{GenderName, StatusName, StudentProblem, StudentText};
pub use survey::SurveyText;
pub use sync::{refusal_words, SyncText};
pub use term::TermText;
