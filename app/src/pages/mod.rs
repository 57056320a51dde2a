//! One file per screen.

pub mod attendance;
pub mod attendance_papers;
pub mod board;
pub mod calendar;
pub mod child_file;
pub mod class_list;
pub mod conflicts;
pub mod crosscheck;
pub mod dashboard;
pub mod dropout_report;
pub mod home;
pub mod import;
pub mod ledger_papers;
pub mod ledgers;
pub mod monthly_report;
pub mod notice;
pub mod roster;
pub mod settings;
pub mod setup;
pub mod share;
pub mod student;
pub mod survey;
pub mod sync;
pub mod today;
pub mod visit_register;

use crate::case_code::{CasePage, CaseScreen};
use crate::components::backup_reminder::BackupReminder;
use baoxue_domain::date_text::{parse_year_month, YearMonth};
use chrono::NaiveDate;
use ledger_papers::LedgerPaper;
use leptos::prelude::*;

/// The pages of the later code (crate::later): all but the first-run form, which the app shell
/// draws itself.
#[derive(Clone, PartialEq)]
pub enum LaterPage {
    /// The roster of the phone's class, or of the class named (`/roster/<class id>`).
    Roster(Option<String>),
    Import,
    Attendance,
    Board,
    Calendar,
    NewStudent,
    Student(String),
    /// The child's file, `/student/<id>/file`.
    ChildFile(String),
    /// The child's 辍学学生情况报告表, `/student/<id>/report`.
    DropoutReport(String),
    Settings,
    Sync,
    Conflicts,
    Today,
    Ledgers,
    Dashboard,
    /// `/report/monthly` (this month) or `/report/monthly/<yyyy-mm>`.
    MonthlyReport(Option<YearMonth>),
    /// `/report/classes`: the list of 无辍学班.
    ClassList,
    /// `/report/visits`: the 家访登记表.
    VisitRegister,
    /// `/crosscheck`: the cross-check of a resident list against the rolls.
    CrossCheck,
    /// `/survey`: the satisfaction survey and its summary.
    Survey,
    /// `/report/suspected`, `/report/dropouts`, `/report/returned`, `/report/residents`: a
    /// ledger as a paper.
    LedgerPaper(LedgerPaper),
    /// `/report/class-day` (today) or `/report/class-day/<yyyy-mm-dd>`: the 班级出席日报表.
    ClassDay(Option<NaiveDate>),
    /// `/report/school-day` (today) or `/report/school-day/<yyyy-mm-dd>`: the 教导处出席日统计表.
    SchoolDay(Option<NaiveDate>),
    Notice(String),
    /// `/supervisors`: links that show the school's figures to a supervisor.
    ShareLinks,
}

impl LaterPage {
    /// The page at `path`, if it is one of these.
    pub fn of(path: &str) -> Option<LaterPage> {
        Some(match path {
            "/roster" => LaterPage::Roster(None),
            "/import" => LaterPage::Import,
            "/attendance" => LaterPage::Attendance,
            "/board" => LaterPage::Board,
            "/calendar" => LaterPage::Calendar,
            "/student/new" => LaterPage::NewStudent,
            "/settings" => LaterPage::Settings,
            "/sync" => LaterPage::Sync,
            "/conflicts" => LaterPage::Conflicts,
            "/today" => LaterPage::Today,
            "/ledgers" => LaterPage::Ledgers,
            "/dashboard" => LaterPage::Dashboard,
            "/report/monthly" => LaterPage::MonthlyReport(None),
            "/report/classes" => LaterPage::ClassList,
            "/report/visits" => LaterPage::VisitRegister,
            "/report/suspected" => LaterPage::LedgerPaper(LedgerPaper::Suspected),
            "/report/dropouts" => LaterPage::LedgerPaper(LedgerPaper::Dropouts),
            "/report/returned" => LaterPage::LedgerPaper(LedgerPaper::Returned),
            "/report/residents" => LaterPage::LedgerPaper(LedgerPaper::AgeAppropriate),
            "/crosscheck" => LaterPage::CrossCheck,
            "/survey" => LaterPage::Survey,
            "/supervisors" => LaterPage::ShareLinks,
            "/report/class-day" => LaterPage::ClassDay(None),
            "/report/school-day" => LaterPage::SchoolDay(None),
            _ => {
                let below = |prefix: &str| {
                    path.strip_prefix(prefix).filter(|id| !id.is_empty() && !id.contains('/')).map(str::to_owned)
                };
                // `/student/<id>/file` first: `/student/<id>` takes no further segment.
                let file = path.strip_prefix("/student/").and_then(|rest| rest.strip_suffix("/file"));
                let report = path.strip_prefix("/student/").and_then(|rest| rest.strip_suffix("/report"));
                if let Some(id) = file.filter(|id| !id.is_empty() && !id.contains('/')) {
                    LaterPage::ChildFile(id.to_owned())
                } else if let Some(id) = report.filter(|id| !id.is_empty() && !id.contains('/')) {
                    LaterPage::DropoutReport(id.to_owned())
                } else if let Some(id) = below("/student/") {
                    LaterPage::Student(id)
                } else if let Some(month) = below("/report/monthly/") {
                    LaterPage::MonthlyReport(Some(parse_year_month(&month).ok()?))
                } else if let Some(date) = below("/report/class-day/") {
                    LaterPage::ClassDay(Some(date.parse().ok()?))
                } else if let Some(date) = below("/report/school-day/") {
                    LaterPage::SchoolDay(Some(date.parse().ok()?))
                } else if let Some(notice) = below("/notice/") {
                    LaterPage::Notice(notice)
                } else if let Some(class) = below("/roster/") {
                    LaterPage::Roster(Some(class))
                } else {
                    return None;
                }
            }
        })
    }

    /// The page, under the reminder to sync or back up: drawn here rather than in the shell
    /// beside the update banner, because it reads the store's figures and the shell is in the
    /// first-run form's module, which stays small.
    pub fn view(self) -> AnyView {
        let page = match self {
            LaterPage::Roster(class) => view! { <roster::Roster class/> }.into_any(),
            LaterPage::Import => view! { <import::Import/> }.into_any(),
            LaterPage::Attendance => view! { <attendance::Attendance/> }.into_any(),
            LaterPage::Board => view! { <board::Board/> }.into_any(),
            LaterPage::Calendar => view! { <calendar::CalendarPage/> }.into_any(),
            LaterPage::NewStudent => view! { <student::NewStudent/> }.into_any(),
            LaterPage::Student(id) => view! { <student::StudentPage id/> }.into_any(),
            LaterPage::ChildFile(id) => view! { <CaseScreen page=CasePage::ChildFile(id)/> }.into_any(),
            LaterPage::DropoutReport(id) => view! { <CaseScreen page=CasePage::DropoutReport(id)/> }.into_any(),
            LaterPage::Settings => view! { <settings::Settings/> }.into_any(),
            LaterPage::Sync => view! { <sync::SyncPage/> }.into_any(),
            LaterPage::Conflicts => view! { <conflicts::Conflicts/> }.into_any(),
            LaterPage::Today => view! { <today::Today/> }.into_any(),
            LaterPage::Ledgers => view! { <CaseScreen page=CasePage::Ledgers/> }.into_any(),
            LaterPage::Dashboard => view! { <CaseScreen page=CasePage::Dashboard/> }.into_any(),
            LaterPage::MonthlyReport(month) => view! { <CaseScreen page=CasePage::MonthlyReport(month)/> }.into_any(),
            LaterPage::ClassList => view! { <CaseScreen page=CasePage::ClassList/> }.into_any(),
            LaterPage::VisitRegister => view! { <CaseScreen page=CasePage::VisitRegister/> }.into_any(),
            LaterPage::CrossCheck => view! { <CaseScreen page=CasePage::CrossCheck/> }.into_any(),
            LaterPage::Survey => view! { <CaseScreen page=CasePage::Survey/> }.into_any(),
            LaterPage::LedgerPaper(paper) => view! { <CaseScreen page=CasePage::LedgerPaper(paper)/> }.into_any(),
            LaterPage::ClassDay(date) => view! { <CaseScreen page=CasePage::ClassDay(date)/> }.into_any(),
            LaterPage::SchoolDay(date) => view! { <CaseScreen page=CasePage::SchoolDay(date)/> }.into_any(),
            LaterPage::Notice(id) => view! { <CaseScreen page=CasePage::Notice(id)/> }.into_any(),
            LaterPage::ShareLinks => view! { <CaseScreen page=CasePage::ShareLinks/> }.into_any(),
        };
        view! {
            <BackupReminder/>
            {page}
        }
        .into_any()
    }
}

/// In headless Chromium (`cargo test -p baoxue-app --target wasm32-unknown-unknown --lib`).
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::{LaterPage, LedgerPaper};
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_childs_file_is_told_from_the_childs_page() {
        assert!(matches!(LaterPage::of("/student/abc/file"), Some(LaterPage::ChildFile(id)) if id == "abc"));
        assert!(matches!(LaterPage::of("/student/abc"), Some(LaterPage::Student(id)) if id == "abc"));
        assert!(LaterPage::of("/student//file").is_none());
        assert!(LaterPage::of("/student/abc/file/more").is_none());
        assert!(
            matches!(LaterPage::of("/report/monthly/2026-10"), Some(LaterPage::MonthlyReport(Some(month))) if month.to_string() == "2026-10")
        );
        assert!(matches!(LaterPage::of("/report/monthly"), Some(LaterPage::MonthlyReport(None))));
        assert!(matches!(LaterPage::of("/report/classes"), Some(LaterPage::ClassList)));
        assert!(matches!(LaterPage::of("/report/visits"), Some(LaterPage::VisitRegister)));
        assert!(matches!(LaterPage::of("/report/class-day"), Some(LaterPage::ClassDay(None))));
        assert!(matches!(LaterPage::of("/student/abc/report"), Some(LaterPage::DropoutReport(id)) if id == "abc"));
        assert!(matches!(LaterPage::of("/crosscheck"), Some(LaterPage::CrossCheck)));
        assert!(matches!(LaterPage::of("/report/dropouts"), Some(LaterPage::LedgerPaper(LedgerPaper::Dropouts))));
        assert!(matches!(LaterPage::of("/report/school-day/2026-10-09"), Some(LaterPage::SchoolDay(Some(_)))));
        assert!(LaterPage::of("/report/class-day/2026-13-40").is_none());
        assert!(LaterPage::of("/report/monthly/not-a-month").is_none());
    }
}
