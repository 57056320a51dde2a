//! The reminder at the top of every page of a set-up phone when its changes have stayed unsent
//! for days with no backup since (`domain::safety::backup_reminder` says when): until they
//! reach the server or a backup file, a lost or cleared phone loses them.

use crate::clock;
use crate::ctx::use_app;
use crate::i18n::{fill, SettingsText};
use crate::router::Link;
use baoxue_domain::safety::backup_reminder;
use leptos::prelude::*;

#[component]
pub fn BackupReminder() -> impl IntoView {
    let ctx = use_app();
    // Redrawn when a write, a sync or a backup changes the figures, and with each page; an
    // app left open for days shows it at the next tap that opens a page.
    let days = move || {
        if ctx.profile.with(Option::is_none) {
            return None;
        }
        backup_reminder(ctx.oldest_unsent_ms.get(), ctx.last_backup_ms.get(), clock::now_ms())
    };
    move || {
        days().map(|days| {
            let text = fill(ctx.tr(SettingsText::BackupReminder), &[&ctx.unsent.get(), &days]);
            view! {
                <div class="backup-reminder" role="status">
                    <span>{text}</span>
                    <Link href="/settings" attr:class="button">{ctx.t(SettingsText::OpenSettings)}</Link>
                </div>
            }
        })
    }
}
