//! Settings: how safe the data is on this phone (storage used, persistence, changes not yet
//! synced), the school and class, a backup file out and in, the language. `RestoreBackup` is
//! also offered by the first-run screen, so a new phone can start from an old phone's backup.

use crate::clock;
use crate::ctx::{use_app, AppCtx, WriteError};
use crate::i18n::{CalendarText, Common, SettingsText, ShareText};
use crate::pages::sync::time_words;
use crate::router::use_navigate;
use crate::router::Link;
use crate::store::persist::{self, format_bytes};
use crate::store::{BackupSummary, StoreError};
use baoxue_domain::class_name::ClassNameError;
use baoxue_domain::class_rename::{merge_into, rename_class, Renaming};
use baoxue_domain::mutation::Change;
use baoxue_domain::org::Class;
use baoxue_domain::validate::ValidationError;
use leptos::prelude::*;

/// What a teacher is told when the store fails; the error itself is for the console.
fn error_text(error: &StoreError) -> SettingsText {
    leptos::logging::warn!("保学 settings: {error}");
    match error {
        StoreError::BadBackup(_) => SettingsText::BadBackup,
        StoreError::NotSetUp => SettingsText::NotSetUp,
        StoreError::Full => SettingsText::StorageFull,
        StoreError::Blocked => SettingsText::OtherTabOpen,
        StoreError::Damaged(_) => SettingsText::RecordDamaged,
        StoreError::Open(_) | StoreError::Write(_) | StoreError::Read(_) => SettingsText::StoreProblem,
    }
}

/// A text with `{name}` placeholders filled in.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    values.iter().fold(template.to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// `baoxue-backup-<school>-<date>.json`, with characters that file systems refuse replaced.
fn backup_file_name(school: &str, today: chrono::NaiveDate) -> String {
    let school = crate::download::file_name_part(school, "school");
    format!("baoxue-backup-{school}-{today}.json")
}

/// Reads the chosen file and imports it. The store adds nothing unless the whole file is a
/// valid backup, so a bad file changes nothing.
async fn import_file(ctx: AppCtx, file: web_sys::File) -> Result<BackupSummary, SettingsText> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.map_err(|_| SettingsText::ReadFileFailed)?;
    let text = text.as_string().ok_or(SettingsText::ReadFileFailed)?;
    ctx.restore_backup(&text).await.map_err(|error| error_text(&error))
}

/// A button that opens a backup file and imports it, then says what it added. On a phone
/// without a profile (the first-run screen) a backup that brings one opens the roster.
#[component]
pub fn RestoreBackup(label: SettingsText) -> impl IntoView {
    let ctx = use_app();
    let navigate = use_navigate();
    let outcome = RwSignal::new(None::<Result<BackupSummary, SettingsText>>);
    let busy = RwSignal::new(false);
    let on_change = move |event: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Cleared so that choosing the same file again imports it again.
        input.set_value("");
        let was_set_up = ctx.profile.with_untracked(Option::is_some);
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = import_file(ctx, file).await;
            busy.set(false);
            let restored = result.is_ok() && !was_set_up && ctx.profile.with_untracked(Option::is_some);
            outcome.set(Some(result));
            if restored {
                navigate("/roster");
            }
        });
    };
    view! {
        <label class="button file-button" class:busy=move || busy.get()>
            <input type="file" accept=".json,application/json" class="visually-hidden" on:change=on_change/>
            <span>{ctx.t(label)}</span>
        </label>
        {move || {
            outcome
                .get()
                .map(|result| match result {
                    Ok(summary) => {
                        let text = fill(
                            ctx.tr(SettingsText::ImportSummary),
                            &[("in_file", summary.in_file.to_string()), ("added", summary.added.to_string())],
                        );
                        view! { <p class="done" role="status">{text}</p> }.into_any()
                    }
                    Err(text) => view! { <p class="error" role="alert">{ctx.tr(text)}</p> }.into_any(),
                })
        }}
    }
}

#[component]
pub fn Settings() -> impl IntoView {
    view! {
        <section class="page settings">
            <h2>{move || use_app().tr(SettingsText::Title)}</h2>
            <StorageCard/>
            <ProfileCard/>
            <crate::components::term_card::TermCard/>
            <crate::components::rules_card::RulesCard/>
            <div class="card">
                <Link href="/calendar" attr:class="button">{move || use_app().tr(CalendarText::Link)}</Link>
            </div>
            <div class="card">
                <Link href="/supervisors" attr:class="button">{move || use_app().tr(ShareText::Link)}</Link>
            </div>
            <BackupCard/>
            <LanguageCard/>
        </section>
    }
}

/// One labelled figure: "已用存储   2.3 MB / 1.2 GB".
fn figure(ctx: AppCtx, label: SettingsText, value: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    view! {
        <div class="figure">
            <span>{ctx.t(label)}</span>
            <strong>{value}</strong>
        </div>
    }
}

#[component]
fn StorageCard() -> impl IntoView {
    let ctx = use_app();
    // None while the browser has not answered yet.
    let persisted = RwSignal::new(None::<bool>);
    let usage = RwSignal::new(None::<Option<(f64, f64)>>);
    let refused = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        persisted.set(Some(persist::persisted().await));
        usage.set(Some(persist::estimate().await));
    });
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            let granted = persist::request_persistence().await;
            persisted.set(Some(granted));
            refused.set(!granted);
        });
    };
    let used = move || match usage.get() {
        None => String::new(),
        Some(None) => ctx.tr(SettingsText::Unknown).to_owned(),
        Some(Some((used, quota))) => {
            fill(ctx.tr(SettingsText::UsedOf), &[("used", format_bytes(used)), ("quota", format_bytes(quota))])
        }
    };
    let persistent = move || match persisted.get() {
        None => String::new(),
        Some(true) => ctx.tr(SettingsText::Yes).to_owned(),
        Some(false) => ctx.tr(SettingsText::No).to_owned(),
    };
    let last_backup = move || match ctx.last_backup_ms.get() {
        Some(ms) => time_words(ms),
        None => ctx.tr(SettingsText::NeverBackedUp).to_owned(),
    };
    view! {
        <div class="card">
            <h3>{ctx.t(SettingsText::StorageHeading)}</h3>
            {figure(ctx, SettingsText::Used, used)}
            {figure(ctx, SettingsText::Persistent, persistent)}
            {move || {
                persisted
                    .get()
                    .map(|persistent| {
                        let (class, text) = if persistent {
                            ("muted", SettingsText::PersistentYes)
                        } else {
                            ("warning", SettingsText::PersistentNo)
                        };
                        view! { <p class=class>{ctx.tr(text)}</p> }
                    })
            }}
            <Show when=move || persisted.get() == Some(false)>
                <button on:click=ask>{ctx.t(SettingsText::AskAgain)}</button>
            </Show>
            <Show when=move || refused.get()>
                <p class="muted" role="status">{ctx.t(SettingsText::AskRefused)}</p>
            </Show>
            {figure(ctx, SettingsText::Unsent, move || ctx.unsent.get().to_string())}
            {figure(ctx, SettingsText::LastBackup, last_backup)}
        </div>
    }
}

#[component]
fn ProfileCard() -> impl IntoView {
    let ctx = use_app();
    let class = move || {
        let class = ctx.profile.with(|profile| profile.as_ref().and_then(|profile| profile.class))?;
        ctx.state.with(|state| state.classes.get(&class).map(|class| class.value.clone()))
    };
    let school = move || {
        let school = ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school))?;
        ctx.state.with(|state| state.schools.get(&school).map(|school| school.value.name.clone()))
    };
    let teacher_name = move || ctx.profile.with(|profile| profile.as_ref().map(|p| p.teacher.clone()));
    let editing = RwSignal::new(false);
    let teacher = RwSignal::new(String::new());
    let class_name = RwSignal::new(String::new());
    // What the last save did (`Saved`, `Merged`) or why it did not.
    let outcome = RwSignal::new(None::<Result<SettingsText, SettingsText>>);
    // The class of the school the typed name is, when it is not this phone's: merge into it?
    let merge_offer = RwSignal::new(None::<Class>);
    // The form starts from what is stored now, which an import may have changed.
    let edit = move |_| {
        teacher.set(teacher_name().unwrap_or_default());
        class_name.set(class().map(|class| class.name).unwrap_or_default());
        outcome.set(None);
        merge_offer.set(None);
        editing.set(true);
    };
    // The profile and the class in one write: both saved, or neither.
    let save_with = move |changes: Vec<Change>, profile, done: SettingsText| {
        leptos::task::spawn_local(async move {
            let changes = changes.into_iter().map(|change| (change, None)).collect();
            let result = ctx.write_as(changes, Some(profile)).await;
            editing.set(result.is_err());
            outcome.set(Some(result.map(|()| done).map_err(|error| {
                match error {
                    WriteError::Store(error) => error_text(&error),
                    WriteError::Invalid(problems)
                        if problems
                            .iter()
                            .any(|(_, problem)| matches!(problem, ValidationError::DuplicateClass { .. })) =>
                    {
                        SettingsText::ClassTaken
                    }
                    WriteError::Invalid(_) => SettingsText::ClassNoNumber,
                }
            })));
        });
    };

    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (new_teacher, new_class) =
            (teacher.get_untracked().trim().to_owned(), class_name.get_untracked().trim().to_owned());
        if new_teacher.is_empty() || new_class.is_empty() {
            outcome.set(Some(Err(SettingsText::Required)));
            return;
        }
        let Some(mut profile) = ctx.profile.get_untracked() else {
            outcome.set(Some(Err(SettingsText::NotSetUp)));
            return;
        };
        merge_offer.set(None);
        // A rename edits the class's own record; a name of another class of the school is
        // offered as a merge, never made a second class of that name.
        let renaming = match class() {
            Some(old) => ctx.state.with_untracked(|state| rename_class(state, &old, &new_class, &new_teacher)),
            None => Ok(Renaming::Renamed(Vec::new())),
        };
        match renaming {
            Err(ClassNameError::OtherGrade { .. }) => outcome.set(Some(Err(SettingsText::ClassOtherGrade))),
            Err(ClassNameError::Empty | ClassNameError::NoNumber { .. }) => {
                outcome.set(Some(Err(SettingsText::ClassNoNumber)))
            }
            Ok(Renaming::IsAnother { into }) => merge_offer.set(Some(into)),
            Ok(Renaming::Renamed(changes)) => {
                profile.teacher = new_teacher;
                save_with(changes, profile, SettingsText::Saved);
            }
        }
    };
    let merge = move |_| {
        let (Some(into), Some(from), Some(mut profile)) =
            (merge_offer.get_untracked(), class(), ctx.profile.get_untracked())
        else {
            return;
        };
        let teacher_name = teacher.get_untracked().trim().to_owned();
        let changes = ctx.state.with_untracked(|state| merge_into(state, &from, &into, &teacher_name));
        (profile.class, profile.teacher) = (Some(into.id), teacher_name);
        merge_offer.set(None);
        save_with(changes, profile, SettingsText::Merged);
    };
    let merge_words = move || {
        let into = merge_offer.get()?;
        let ours = class().map(|class| class.id);
        let counts = ctx.state.with(|state| {
            let ours = ours.map_or(0, |class| state.students_in_class(class).len());
            (state.students_in_class(into.id).len(), ours)
        });
        Some(fill(
            ctx.tr(SettingsText::MergeOffer),
            &[("other", into.name), ("theirs", counts.0.to_string()), ("ours", counts.1.to_string())],
        ))
    };

    view! {
        <div class="card">
            <h3>{ctx.t(SettingsText::ProfileHeading)}</h3>
            <Show
                when=move || ctx.profile.with(Option::is_some)
                fallback=move || view! { <p class="muted">{ctx.t(SettingsText::NotSetUp)}</p> }
            >
                {figure(ctx, SettingsText::School, move || school().unwrap_or_default())}
                {figure(ctx, SettingsText::Class, move || class().map(|class| class.name).unwrap_or_default())}
                {figure(ctx, SettingsText::Teacher, move || teacher_name().unwrap_or_default())}
                <Show
                    when=move || editing.get()
                    fallback=move || view! { <button on:click=edit>{ctx.t(SettingsText::Edit)}</button> }
                >
                <form on:submit=save>
                    <label class="field">
                        <span>{ctx.t(SettingsText::Teacher)}</span>
                        <input type="text" bind:value=teacher on:input=move |_| outcome.set(None)/>
                    </label>
                    <label class="field">
                        <span>{ctx.t(SettingsText::Class)}</span>
                        <input type="text" bind:value=class_name on:input=move |_| outcome.set(None)/>
                    </label>
                    <button type="submit" class="primary">{ctx.t(SettingsText::Save)}</button>
                    <button type="button" on:click=move |_| editing.set(false)>{ctx.t(SettingsText::Cancel)}</button>
                </form>
                {move || merge_words().map(|words| view! {
                    <div class="alert merge" role="alert">
                        <p>{words}</p>
                        <button class="primary" on:click=merge>{ctx.t(SettingsText::Merge)}</button>
                        <button type="button" on:click=move |_| merge_offer.set(None)>{ctx.t(SettingsText::Cancel)}</button>
                    </div>
                })}
                </Show>
                {move || {
                    outcome
                        .get()
                        .map(|result| match result {
                            Ok(done) => view! { <p class="done" role="status">{ctx.tr(done)}</p> }.into_any(),
                            Err(text) => view! { <p class="error" role="alert">{ctx.tr(text)}</p> }.into_any(),
                        })
                }}
            </Show>
        </div>
    }
}

#[component]
fn BackupCard() -> impl IntoView {
    let ctx = use_app();
    let exported = RwSignal::new(None::<Result<(), SettingsText>>);
    let export = move |_| {
        let school = ctx.profile.with_untracked(|profile| {
            let school = profile.as_ref()?.school;
            ctx.state.with_untracked(|state| state.schools.get(&school).map(|school| school.value.name.clone()))
        });
        leptos::task::spawn_local(async move {
            let result = async {
                let text = ctx.export_backup().await.map_err(|error| error_text(&error))?;
                let name = backup_file_name(&school.unwrap_or_default(), clock::today());
                crate::download::offer_text(&name, "application/json", &text).map_err(|_| SettingsText::ExportFailed)
            }
            .await;
            exported.set(Some(result));
        });
    };
    view! {
        <div class="card">
            <h3>{ctx.t(SettingsText::BackupHeading)}</h3>
            <p class="muted">{ctx.t(SettingsText::BackupIntro)}</p>
            <button class="primary" on:click=export>{ctx.t(SettingsText::Export)}</button>
            {move || {
                exported
                    .get()
                    .map(|result| match result {
                        Ok(()) => view! { <p class="done" role="status">{ctx.tr(SettingsText::Exported)}</p> }.into_any(),
                        Err(text) => view! { <p class="error" role="alert">{ctx.tr(text)}</p> }.into_any(),
                    })
            }}
            <RestoreBackup label=SettingsText::Import/>
        </div>
    }
}

#[component]
fn LanguageCard() -> impl IntoView {
    let ctx = use_app();
    view! {
        <div class="card">
            <h3>{ctx.t(SettingsText::LanguageHeading)}</h3>
            <p>{ctx.t(SettingsText::CurrentLanguage)}</p>
            <button on:click=move |_| ctx.lang.update(|lang| *lang = lang.other())>
                {ctx.t(Common::SwitchLanguage)}
            </button>
        </div>
    }
}
