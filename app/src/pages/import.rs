//! Importing a roster file: pick it, see what it would do (new, updated and unchanged students,
//! and every bad row with its row number, column, value and what is wrong), then confirm.
//! Nothing is written before the confirmation, and then everything in one transaction.

use crate::clock;
use crate::ctx::{use_app, AppCtx};
use crate::i18n::{fill, ImportText, Lang, Text};
use crate::importer::{self, ImporterError};
use crate::router::use_navigate;
use baoxue_import::wire::{ClassChoice, ClassShown, Context, FieldShown, Line, Said, Shown};
use leptos::prelude::*;

/// Where the screen is.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Pick,
    Reading,
    Preview {
        file_name: String,
        shown: Shown,
    },
    /// The file cannot be imported, in the module's words.
    Refused(Said),
    Failed(ImporterError),
}

/// A text worded by the import module, following the language. Views take this signal rather
/// than closures of their own: every `Signal<String>` shares one rendering code path (see
/// `AppCtx::t`).
pub(crate) fn said(ctx: AppCtx, said: Said) -> Signal<String> {
    let lang = ctx.lang;
    Signal::derive(move || match lang.get() {
        Lang::Zh => said.zh.clone(),
        Lang::En => said.en.clone(),
    })
}

/// Why a file was not read, and that nothing changed.
pub(crate) fn not_read(ctx: AppCtx, why: Signal<String>) -> impl IntoView {
    view! {
        <div class="alert" role="alert">
            <p class="error">{why}</p>
            <p>{ctx.t(ImportText::NothingChanged)}</p>
        </div>
    }
}

/// One of the screen's texts with a number put in, following the language.
fn counted(ctx: AppCtx, text: ImportText, count: usize) -> Signal<String> {
    let lang = ctx.lang;
    Signal::derive(move || fill(text.in_lang(lang.get()), &[&count]))
}

/// Reads `file` and asks the import module what it would do, with the phone's class and the
/// places the teacher chose so far for the file's classes.
async fn read_preview(ctx: AppCtx, file: web_sys::File, chosen: Vec<ClassChoice>) -> Step {
    let bytes = match importer::bytes_of(&file).await {
        Ok(bytes) => bytes,
        Err(error) => return Step::Failed(error),
    };
    let Some((school, class)) =
        ctx.profile.with_untracked(|profile| profile.as_ref().map(|profile| (profile.school, profile.class)))
    else {
        return Step::Failed(ImporterError::ModuleFailed);
    };
    let context = ctx.state.with_untracked(|state| Context::of(state, school)).placing(class, chosen);
    match importer::preview(&bytes, &file.name(), &context, clock::today()).await {
        Ok(Ok(shown)) => Step::Preview { file_name: file.name(), shown },
        Ok(Err(refused)) => Step::Refused(refused),
        Err(error) => Step::Failed(error),
    }
}

#[component]
pub fn Import() -> impl IntoView {
    let ctx = use_app();
    let step = RwSignal::new(Step::Pick);
    // The file picked, read again with each change of where its classes go.
    let picked = StoredValue::new_local(None::<web_sys::File>);
    let chosen = StoredValue::new(Vec::<ClassChoice>::new());
    let choose = move |choice: ClassChoice| {
        chosen.update_value(|chosen| {
            chosen.retain(|old| old.file_class != choice.file_class);
            chosen.push(choice);
        });
        let Some(file) = picked.get_value() else {
            return;
        };
        leptos::task::spawn_local(async move { step.set(read_preview(ctx, file, chosen.get_value()).await) });
    };
    let on_change = move |event: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Cleared so that picking the same file again reads it again.
        input.set_value("");
        step.set(Step::Reading);
        picked.set_value(Some(file.clone()));
        chosen.set_value(Vec::new());
        leptos::task::spawn_local(async move { step.set(read_preview(ctx, file, Vec::new()).await) });
    };
    view! {
        <section class="page import">
            <h2>{ctx.t(ImportText::Title)}</h2>
            <p class="muted">{ctx.t(ImportText::Intro)}</p>
            <label class="button file-button">
                <input type="file" accept=".xlsx,.csv" class="visually-hidden" on:change=on_change/>
                <span>{move || ctx.tr(if matches!(step.get(), Step::Pick) { ImportText::PickFile } else { ImportText::PickAnother })}</span>
            </label>
            {move || match step.get() {
                Step::Pick => ().into_any(),
                Step::Reading => view! { <p class="muted" role="status">{ctx.t(ImportText::Reading)}</p> }.into_any(),
                Step::Refused(refused) => not_read(ctx, said(ctx, refused)).into_any(),
                Step::Failed(error) => not_read(ctx, ctx.t(error.text()).into()).into_any(),
                Step::Preview { file_name, shown } => view! { <Preview file_name shown choose/> }.into_any(),
            }}
        </section>
    }
}

/// A list of worded items: each heading in bold, its lines below, then every field a student
/// item writes, those a re-import changes marked. One view for every list of the screen, so
/// they share their rendering code.
pub(crate) fn lines(ctx: AppCtx, items: Vec<Line>) -> impl IntoView {
    view! {
        <ul class="list">
            {items
                .into_iter()
                .map(|line| view! {
                    <li>
                        <strong>{said(ctx, line.head)}</strong>
                        {(!line.body.zh.is_empty()).then(|| view! {
                            <p class="hint line-body">{said(ctx, line.body)}</p>
                        })}
                        {(!line.fields.is_empty()).then(|| fields(ctx, line.fields))}
                    </li>
                })
                .collect_view()}
        </ul>
    }
}

/// The fields a student item writes, as the student page lays out details.
fn fields(ctx: AppCtx, fields: Vec<FieldShown>) -> impl IntoView {
    view! {
        <dl class="details import-fields">
            {fields
                .into_iter()
                .map(|field| view! {
                    <div class:changed=field.changed>
                        <dt>{said(ctx, field.name)}</dt>
                        <dd>
                            {said(ctx, field.value)}
                            {field.changed.then(|| view! { " " <span class="changed-mark">{ctx.t(ImportText::Changed)}</span> })}
                        </dd>
                    </div>
                })
                .collect_view()}
        </dl>
    }
}

/// Each class of the file and a choice of where its children go; a choice reads the file again.
fn destinations(ctx: AppCtx, classes: Vec<ClassShown>, choose: impl Fn(ClassChoice) + Copy + 'static) -> impl IntoView {
    let value = |to: Option<baoxue_domain::ids::ClassId>| to.map_or_else(|| "new".to_owned(), |id| id.to_string());
    view! {
        <div class="card destinations">
            <h3>{ctx.t(ImportText::Destinations)}</h3>
            <p class="hint">{ctx.t(ImportText::DestinationsHint)}</p>
            {classes
                .into_iter()
                .map(|class| {
                    let file_class = class.file_class;
                    let places: Vec<Option<baoxue_domain::ids::ClassId>> = class.places.iter().map(|place| place.to).collect();
                    let on_change = move |event: leptos::ev::Event| {
                        let picked = event_target_value(&event);
                        if let Some(to) = places.iter().copied().find(|to| value(*to) == picked) {
                            choose(ClassChoice { file_class, to });
                        }
                    };
                    view! {
                        <label class="field">
                            <span>{said(ctx, class.head)}</span>
                            <select on:change=on_change>
                                {class
                                    .places
                                    .into_iter()
                                    .map(|place| view! {
                                        <option value=value(place.to) selected=place.to == class.chosen>{said(ctx, place.label)}</option>
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn Preview(
    file_name: String,
    shown: Shown,
    choose: impl Fn(ClassChoice) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_app();
    let navigate = use_navigate();
    let saving = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let nothing = shown.changes.is_empty();
    let changes = StoredValue::new(shown.changes);
    // The roster opens on the class that received the children.
    let receiving = shown.receiving.map_or_else(|| "/roster".to_owned(), |class| format!("/roster/{class}"));
    let confirm = move |_| {
        saving.set(true);
        failed.set(false);
        let navigate = navigate.clone();
        let receiving = receiving.clone();
        leptos::task::spawn_local(async move {
            match ctx.write(changes.get_value()).await {
                Ok(()) => navigate(&receiving),
                Err(_) => {
                    saving.set(false);
                    failed.set(true);
                }
            }
        });
    };
    let figure = |count: usize, label: ImportText| {
        view! {
            <div class="figure">
                <span class="value">{count}</span>
                <span class="label">{ctx.t(label)}</span>
            </div>
        }
    };
    let (new_count, updated_count, bad_rows) = (shown.new.len(), shown.updated.len(), shown.bad.len());
    let new_classes = shown.new_classes.join("、");
    view! {
        <p class="file-name">{file_name}</p>
        <div class="summary">
            {figure(new_count, ImportText::New)}
            {figure(updated_count, ImportText::Updated)}
            {figure(shown.unchanged, ImportText::Unchanged)}
        </div>
        {(bad_rows > 0).then(|| view! {
            <div class="alert">
                <p class="error">{counted(ctx, ImportText::BadRows, bad_rows)}</p>
                {lines(ctx, shown.bad)}
                <p class="hint">{ctx.t(ImportText::BadRowsHint)}</p>
            </div>
        })}
        {(!shown.classes.is_empty()).then(|| destinations(ctx, shown.classes, choose))}
        {(!new_classes.is_empty()).then(|| view! { <p>{ctx.t(ImportText::NewClasses)} ": " {new_classes}</p> })}
        {(new_count > 0).then(|| view! {
            <details>
                <summary>{counted(ctx, ImportText::NewStudents, new_count)}</summary>
                {lines(ctx, shown.new)}
            </details>
        })}
        {(updated_count > 0).then(|| view! {
            <details open>
                <summary>{counted(ctx, ImportText::UpdatedStudents, updated_count)}</summary>
                {lines(ctx, shown.updated)}
            </details>
        })}
        {move || failed.get().then(|| view! { <p class="error" role="alert">{ctx.t(ImportText::SaveFailed)}</p> })}
        <div class="actions">
            <Show when=move || !nothing fallback=move || view! { <p class="muted" role="status">{ctx.t(ImportText::NothingToImport)}</p> }>
                <button class="primary" on:click=confirm.clone() disabled=move || saving.get()>
                    {move || ctx.tr(if saving.get() { ImportText::Saving } else { ImportText::Confirm })}
                </button>
            </Show>
        </div>
    }
}
