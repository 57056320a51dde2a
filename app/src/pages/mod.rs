//! One file per screen.

pub mod attendance;
pub mod board;
pub mod conflicts;
pub mod home;
pub mod import;
pub mod roster;
pub mod settings;
pub mod setup;
pub mod student;
pub mod sync;

use crate::app::Page;
use leptos::prelude::*;

/// The pages of the later code (crate::later): all but the first-run form, which the app shell
/// draws itself.
pub fn later_page(page: Page) -> AnyView {
    match page {
        Page::Roster => view! { <roster::Roster/> }.into_any(),
        Page::Import => view! { <import::Import/> }.into_any(),
        Page::Attendance => view! { <attendance::Attendance/> }.into_any(),
        Page::Board => view! { <board::Board/> }.into_any(),
        Page::NewStudent => view! { <student::NewStudent/> }.into_any(),
        Page::Student(id) => view! { <student::StudentPage id/> }.into_any(),
        Page::Settings => view! { <settings::Settings/> }.into_any(),
        Page::Sync => view! { <sync::SyncPage/> }.into_any(),
        Page::Conflicts => view! { <conflicts::Conflicts/> }.into_any(),
        Page::Home | Page::Setup => view! { <home::Home/> }.into_any(),
    }
}
