//! The sync screen (join the school with the operator's code, what is not sent yet, when the
//! last sync was, what went wrong, the changes the server refused) and the status line under
//! the header that leads to it.

use crate::ctx::{use_app, AppCtx};
use crate::i18n::{fill, refusal_words, Lang, SyncText};
use crate::router::Link;
use crate::sync::{use_sync, SyncCtx, SyncError};
use baoxue_domain::ids::MutationId;
use baoxue_domain::sync::RejectionReason;
use leptos::prelude::*;

/// A time as the teacher reads it: "14:05" today, "11-20 14:05" on another day.
pub fn time_words(ms: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let today = js_sys::Date::new_0();
    let time = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
    if date.to_date_string() == today.to_date_string() {
        time
    } else {
        format!("{:02}-{:02} {time}", date.get_month() + 1, date.get_date())
    }
}

/// The error as the teacher reads it; a revoked phone is told how many changes it keeps.
pub fn error_words(app: AppCtx, error: &SyncError) -> String {
    let text = app.tr(error.text());
    match error.text() {
        SyncText::Revoked => fill(text, &[&app.unsent.get()]),
        _ => text.to_owned(),
    }
}

/// An enrollment error as the teacher reads it: no signal says the code is still good.
pub fn join_error_words(app: AppCtx, error: &SyncError) -> String {
    match error {
        SyncError::Offline(_) => app.tr(SyncText::JoinOffline).to_owned(),
        _ => error_words(app, error),
    }
}

/// One line under the header: unsent changes, the last sync or its error. Taps open /sync.
#[component]
pub fn SyncStatusLine() -> impl IntoView {
    let app = use_app();
    let sync = use_sync();
    let words = move || {
        if sync.credential.with(Option::is_none) {
            return app.tr(SyncText::StatusNotJoined).to_owned();
        }
        if sync.running.get() {
            return app.tr(SyncText::Syncing).to_owned();
        }
        let unsent = app.unsent.get();
        let mut parts = Vec::new();
        if unsent > 0 {
            parts.push(fill(app.tr(SyncText::StatusUnsent), &[&unsent]));
        }
        match (sync.error.get(), sync.last_synced_ms.get()) {
            (Some(error), _) => parts.push(error_words(app, &error)),
            (None, Some(ms)) => parts.push(fill(app.tr(SyncText::StatusSynced), &[&time_words(ms)])),
            (None, None) => parts.push(app.tr(SyncText::NeverSynced).to_owned()),
        }
        parts.join(" · ")
    };
    let failing = move || if sync.error.with(Option::is_some) { "sync-line failing" } else { "sync-line" };
    view! {
        <Show when=move || app.profile.with(Option::is_some)>
            <div class=failing role="region" aria-live="polite" aria-label=app.t(SyncText::StatusLabel)>
                <Link href="/sync">{words}</Link>
            </div>
        </Show>
    }
}

/// The form that trades the operator's code for this phone's credential.
#[component]
fn JoinForm(app: AppCtx, sync: SyncCtx) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let label = RwSignal::new(app.profile.get_untracked().map(|profile| profile.teacher).unwrap_or_default());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = code.get_untracked();
        if typed.trim().is_empty() {
            problem.set(Some(app.tr(SyncText::CodeRequired).to_owned()));
            return;
        }
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            match sync.enroll(app, &typed, &label.get_untracked()).await {
                Ok(_) => sync.run(app).await,
                Err(error) => {
                    leptos::logging::warn!("保学 enroll: {error}");
                    problem.set(Some(join_error_words(app, &error)));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form on:submit=submit>
            <h3>{app.t(SyncText::JoinTitle)}</h3>
            <p class="muted">{app.t(SyncText::JoinHint)}</p>
            <label class="field">
                <span>{app.t(SyncText::Code)}</span>
                <input type="text" bind:value=code autocomplete="off" autocapitalize="characters" placeholder="7K3M-Q9TD-2XWA"/>
            </label>
            <label class="field">
                <span>{app.t(SyncText::PhoneName)}</span>
                <input type="text" bind:value=label placeholder=app.t(SyncText::PhoneNameHint)/>
            </label>
            {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            <button type="submit" class="primary" disabled=busy>
                {move || app.tr(if busy.get() { SyncText::Joining } else { SyncText::Join })}
            </button>
        </form>
    }
}

#[component]
pub fn SyncPage() -> impl IntoView {
    let app = use_app();
    let sync = use_sync();
    let unsent = move || {
        let count = app.unsent.get();
        if count == 0 {
            app.tr(SyncText::AllSent).to_owned()
        } else {
            fill(app.tr(SyncText::UnsentCount), &[&count])
        }
    };
    let last = move || match sync.last_synced_ms.get() {
        Some(ms) => fill(app.tr(SyncText::LastSynced), &[&time_words(ms)]),
        None => app.tr(SyncText::NeverSynced).to_owned(),
    };
    let sync_now = move |_| leptos::task::spawn_local(sync.run(app));
    let resend = move |id: MutationId| {
        leptos::task::spawn_local(async move {
            match app.reissue(None, &[id]).await {
                Ok(_) => {
                    sync.forget_refused(id);
                    sync.run(app).await;
                }
                Err(error) => sync.error.set(Some(error.into())),
            }
        })
    };
    // Each refused change in words: what, which child, which day, why; and where sending it
    // again can succeed, the button that does.
    let refused = move || {
        let lang = app.lang.get();
        sync.refused
            .get()
            .into_iter()
            .map(|change| {
                let reason = refusal_words(&change.reason);
                let reason = if lang == Lang::Zh { reason.0 } else { reason.1 };
                let subject = change.mutation.change.subject();
                let child = subject
                    .student
                    .and_then(|student| app.state.with_untracked(|state| state.student(student)))
                    .map(|student| student.name);
                let what = [Some(app.tr(subject.kind).to_owned()), child, subject.day.map(|day| day.to_string())]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · ");
                let id = change.mutation.id;
                let can_resend = change.reason.resend_can_succeed()
                    || matches!(change.reason, RejectionReason::WrongDevice { .. });
                view! {
                    <li>
                        <strong>{what}</strong>
                        <span class="muted">{format!(" {} · {}", app.tr(SyncText::By), change.mutation.author)}</span>
                        <p>{reason}</p>
                        {can_resend.then(|| view! { <button on:click=move |_| resend(id)>{app.t(SyncText::Resend)}</button> })}
                    </li>
                }
            })
            .collect_view()
    };
    // Pulled changes set aside: whose, and why, in the same words as a refusal.
    let set_aside = move || {
        let lang = app.lang.get();
        sync.set_aside
            .get()
            .into_iter()
            .map(|change| {
                let reason = refusal_words(&change.reason);
                let reason = if lang == Lang::Zh { reason.0 } else { reason.1 };
                let what = app.tr(change.mutation.change.subject().kind).to_owned();
                view! {
                    <li>
                        <strong>{what}</strong>
                        <span class="muted">{format!(" {} · {}", app.tr(SyncText::By), change.mutation.author)}</span>
                        <p>{reason}</p>
                    </li>
                }
            })
            .collect_view()
    };
    // A removed (or unknown) phone joins again with a new code, under a new device id.
    let must_rejoin = move || {
        sync.error.with(|error| {
            matches!(error.as_ref().map(SyncError::text), Some(SyncText::Revoked | SyncText::UnknownDevice))
        })
    };
    view! {
        <section class="page sync">
            <h2>{app.t(SyncText::Title)}</h2>
            <Show
                when=move || sync.credential.with(Option::is_some)
                fallback=move || view! { <div class="card"><JoinForm app sync/></div> }
            >
                <div class="card">
                    <p>{app.t(SyncText::Joined)}</p>
                    <p class="unsent"><strong>{unsent}</strong></p>
                    <Show when=move || sync.held.get()>
                        <p class="muted held">{app.t(SyncText::Held)}</p>
                    </Show>
                    <p>{last}</p>
                    {move || sync.error.get().map(|error| view! {
                        <p class="error" role="alert">{app.t(SyncText::LastError)}{error_words(app, &error)}</p>
                    })}
                    <div class="actions">
                        <button class="primary" on:click=sync_now disabled=sync.running>
                            {move || app.tr(if sync.running.get() { SyncText::Syncing } else { SyncText::SyncNow })}
                        </button>
                        <Link href="/conflicts" attr:class="button">{app.t(SyncText::ConflictsLink)}</Link>
                    </div>
                </div>
                <Show when=must_rejoin>
                    <div class="card rejoin">
                        <p class="muted">{app.t(SyncText::RejoinHint)}</p>
                        <JoinForm app sync/>
                    </div>
                </Show>
            </Show>
            <Show when=move || sync.refused.with(|refused| !refused.is_empty())>
                <div class="card">
                    <h3>{app.t(SyncText::RefusedTitle)}</h3>
                    <p class="muted">{app.t(SyncText::RefusedHint)}</p>
                    <ul class="refused">{refused}</ul>
                </div>
            </Show>
            <Show when=move || sync.set_aside.with(|set_aside| !set_aside.is_empty())>
                <div class="card">
                    <h3>{app.t(SyncText::SetAsideTitle)}</h3>
                    <p class="muted">{app.t(SyncText::SetAsideHint)}</p>
                    <ul class="refused set-aside">{set_aside}</ul>
                </div>
            </Show>
        </section>
    }
}
