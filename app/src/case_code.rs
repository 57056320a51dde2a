//! The case work, a third wasm module: the child page's 控辍保学 section (`components::case`),
//! the ledgers, the 《限期复学通知书》, the child's file, the school dashboard and the papers. A head teacher opens it on some
//! days, not on every start, so it is fetched when a page first needs it, not with the later
//! code (crate::later) that every start compiles before the roster is drawn: that kept the
//! load to a usable roster from growing with the case work (docs/code-splitting.md). The
//! service worker precaches it with the rest of the app, so it opens without a signal too.
//!
//! Entered once, through `case_code`, which hands back plain function pointers, as the later
//! code is. Without the `baoxue_split` cfg (tests, debug builds) it is ordinary code.

use crate::app::Fetching;
use crate::later::NotLoaded;
use baoxue_domain::date_text::YearMonth;
use baoxue_domain::ids::StudentId;
use chrono::NaiveDate;
use leptos::prelude::*;

/// The pages of the case work.
#[derive(Clone, PartialEq)]
pub enum CasePage {
    Ledgers,
    /// The school dashboard (学校统计).
    Dashboard,
    /// The 学校辍学月报表 of a month (this month when none).
    MonthlyReport(Option<YearMonth>),
    /// The list of 无辍学班 of the term.
    ClassList,
    /// The 家访登记表 of the term.
    VisitRegister,
    /// The cross-check of a resident list.
    CrossCheck,
    /// The satisfaction survey.
    Survey,
    /// A ledger as a paper.
    LedgerPaper(crate::pages::ledger_papers::LedgerPaper),
    /// The 班级出席日报表 of a day (today when none).
    ClassDay(Option<NaiveDate>),
    /// The 教导处出席日统计表 of a day (today when none).
    SchoolDay(Option<NaiveDate>),
    /// The notice with this id, as printed.
    Notice(String),
    /// The child's file, `/student/<id>/file`.
    ChildFile(String),
    /// The child's 辍学学生情况报告表, `/student/<id>/report`.
    DropoutReport(String),
    /// Links that show the school's figures to a supervisor, `/supervisors`: rarely used, so
    /// here rather than in the code fetched at start.
    ShareLinks,
}

/// The entry points into the case work.
#[derive(Clone, Copy)]
pub struct CaseCode {
    /// The child page's 控辍保学 section.
    panel: fn(StudentId) -> AnyView,
    page: fn(CasePage) -> AnyView,
}

#[cfg_attr(baoxue_split, leptos::wasm_split::wasm_split(cases, wasm_split_path = leptos::wasm_split, fallible))]
fn case_code() -> Result<CaseCode, NotLoaded> {
    Ok(CaseCode { panel: panel_view, page: page_view })
}

fn panel_view(id: StudentId) -> AnyView {
    use crate::components::case::CasePanel;
    view! { <CasePanel id/> }.into_any()
}

fn page_view(page: CasePage) -> AnyView {
    use crate::pages::{
        attendance_papers, child_file, class_list, crosscheck, dashboard, dropout_report, ledger_papers, ledgers,
        monthly_report, notice, share, survey, visit_register,
    };
    match page {
        CasePage::Ledgers => view! { <ledgers::LedgersPage/> }.into_any(),
        CasePage::Dashboard => view! { <dashboard::DashboardPage/> }.into_any(),
        CasePage::MonthlyReport(month) => view! { <monthly_report::MonthlyReportPage month/> }.into_any(),
        CasePage::ClassList => view! { <class_list::ClassListPage/> }.into_any(),
        CasePage::VisitRegister => view! { <visit_register::VisitRegisterPage/> }.into_any(),
        CasePage::CrossCheck => view! { <crosscheck::CrossCheckPage/> }.into_any(),
        CasePage::Survey => view! { <survey::SurveyPage/> }.into_any(),
        CasePage::LedgerPaper(paper) => view! { <ledger_papers::LedgerPaperPage paper/> }.into_any(),
        CasePage::ClassDay(date) => view! { <attendance_papers::ClassDayPage date/> }.into_any(),
        CasePage::SchoolDay(date) => view! { <attendance_papers::SchoolDayPage date/> }.into_any(),
        CasePage::Notice(id) => view! { <notice::NoticePage id/> }.into_any(),
        CasePage::ChildFile(id) => view! { <child_file::ChildFilePage id/> }.into_any(),
        CasePage::DropoutReport(id) => view! { <dropout_report::DropoutReportPage id/> }.into_any(),
        CasePage::ShareLinks => view! { <share::ShareLinks/> }.into_any(),
    }
}

/// Whether the case work is here, on its way, or could not be fetched; in Leptos context,
/// provided by the shell so that it outlives the pages.
#[derive(Clone, Copy)]
pub struct CaseWork {
    /// None until it is asked for, and while it is being fetched.
    code: RwSignal<Option<Result<CaseCode, NotLoaded>>>,
}

impl CaseWork {
    pub fn provide() {
        provide_context(CaseWork { code: RwSignal::new(None) });
    }

    /// Fetches the case work unless it is here; a failed fetch is tried again by the next call.
    /// Callers at once share the splitter's one fetch.
    async fn fetch(self) {
        if self.code.with_untracked(|code| matches!(code, Some(Ok(_)))) {
            return;
        }
        if self.code.with_untracked(Option::is_some) {
            self.code.set(None);
        }
        #[cfg(baoxue_split)]
        let fetched = case_code().await;
        #[cfg(not(baoxue_split))]
        let fetched = case_code();
        self.code.set(Some(fetched));
    }

    fn ready(self) -> Option<CaseCode> {
        self.code.with(|code| code.and_then(Result::ok))
    }

    fn failed(self) -> bool {
        self.code.with(|code| matches!(code, Some(Err(_))))
    }
}

/// The child page's 控辍保学 section, once the case work is here.
#[component]
pub fn CaseSection(id: StudentId) -> impl IntoView {
    drawn_by_case_work(move |code| (code.panel)(id))
}

/// A page of the case work, once it is here.
#[component]
pub fn CaseScreen(page: CasePage) -> impl IntoView {
    drawn_by_case_work(move |code| (code.page)(page.clone()))
}

fn drawn_by_case_work(draw: impl Fn(CaseCode) -> AnyView + Send + Sync + 'static) -> impl IntoView {
    let work = expect_context::<CaseWork>();
    leptos::task::spawn_local(work.fetch());
    let retry = Callback::new(move |()| leptos::task::spawn_local(work.fetch()));
    move || match work.ready() {
        Some(code) => draw(code),
        None => view! { <Fetching failed=Signal::derive(move || work.failed()) retry/> }.into_any(),
    }
}
