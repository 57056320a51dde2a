//! The first-run flow: school, class and head teacher, once per phone.

use crate::clock;
use crate::ctx::{use_app, AppCtx};
use crate::i18n::{fill, Common, GradeName, Lang, SettingsText, SetupText, SyncText, Text};
use crate::later::{use_later, Later};
use crate::router::use_navigate;
use crate::store::Profile;
use crate::sync::{use_sync, SyncCtx, SyncError};
use baoxue_domain::calendar::Term;
use baoxue_domain::calendar::{usual_term, TermDates};
use baoxue_domain::class_name::{class_of_grade, ClassKey, ClassNameError};
use baoxue_domain::ids::{ClassId, CountyId, DeviceId, SchoolId, TownId};
use baoxue_domain::org::{Grade, SchoolKind};
use baoxue_domain::setup::{find_or_make, FreshIds, SetupForm};
use baoxue_domain::validate::ValidationError;
use chrono::NaiveDate;
use leptos::prelude::*;

/// The grade chosen on the form; None if the select holds anything but 1 to 9.
fn grade_of(value: &str) -> Option<Grade> {
    value.parse::<u8>().ok().and_then(|value| Grade::new(value).ok())
}

/// What is said under the class field: the name the class will have, or why the typed name is
/// no class of the grade chosen.
fn class_words(lang: Lang, grade: Option<Grade>, typed: &str) -> Option<Result<String, String>> {
    let grade = grade?;
    if typed.trim().is_empty() {
        return None;
    }
    Some(class_of_grade(grade, typed).map(|key| fill(SetupText::ClassWillBe.in_lang(lang), &[&key.name()])).map_err(
        |error| match error {
            ClassNameError::OtherGrade { typed, written, chosen } => fill(
                SetupText::ClassOtherGrade.in_lang(lang),
                &[&typed, &GradeName(written).in_lang(lang), &GradeName(chosen).in_lang(lang)],
            ),
            ClassNameError::Empty | ClassNameError::NoNumber { .. } => {
                SetupText::ClassNoNumber.in_lang(lang).to_owned()
            }
        },
    ))
}

#[component]
pub fn Setup() -> impl IntoView {
    let ctx = use_app();
    let navigate = use_navigate();
    // The teacher corrects the dates; the domain only guesses them.
    let usual = usual_term(clock::today());
    let county = RwSignal::new(String::new());
    let town = RwSignal::new(String::new());
    let school = RwSignal::new(String::new());
    let kind = RwSignal::new("nine".to_owned());
    let teacher = RwSignal::new(String::new());
    let grade = RwSignal::new("7".to_owned());
    let class_name = RwSignal::new(String::new());
    let start = RwSignal::new(usual.start.to_string());
    let end = RwSignal::new(usual.end.to_string());
    let problem = RwSignal::new(None::<SetupText>);
    let sync = use_sync();
    let later = use_later();
    let code = RwSignal::new(String::new());
    let join_problem = RwSignal::new(None::<String>);

    let term_problem = RwSignal::new(None::<SetupText>);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problem.set(None);
        term_problem.set(None);
        let typed_code = code.get_untracked().trim().to_owned();
        let [county_name, town_name, school_name, teacher_name, class_label] =
            [county, town, school, teacher, class_name].map(|field| field.get_untracked().trim().to_owned());
        // With a code the school's names come from the server: only the class and its teacher
        // are needed to find this phone's class there.
        let names_missing = [&county_name, &town_name, &school_name].iter().any(|name| name.is_empty());
        if teacher_name.is_empty() || class_label.is_empty() || (typed_code.is_empty() && names_missing) {
            problem.set(Some(SetupText::Required));
            return;
        }
        let (Ok(first), Ok(last)) =
            (start.get_untracked().parse::<NaiveDate>(), end.get_untracked().parse::<NaiveDate>())
        else {
            term_problem.set(Some(SetupText::TermNotADate));
            return;
        };
        // Checked before the code is spent on enrolling: the domain's rule for a term.
        if baoxue_domain::validate::term_problem(&Term { name: format!("{first}-{last}"), start: first, end: last })
            .is_some()
        {
            term_problem.set(Some(SetupText::TermOrder));
            return;
        }
        // The grade is asked once: the class is read as a class of it, and a name of another
        // grade is shown beside the field (`class_words`), not saved.
        let Some(chosen) = grade_of(&grade.get_untracked()) else {
            problem.set(Some(SetupText::Required));
            return;
        };
        let Ok(class_key): Result<ClassKey, _> = class_of_grade(chosen, &class_label) else {
            return;
        };
        let kind = match kind.get_untracked().as_str() {
            "primary" => SchoolKind::Primary,
            "junior" => SchoolKind::Junior,
            _ => SchoolKind::NineYear,
        };
        let form = SetupForm {
            county: county_name,
            town: town_name,
            school: school_name,
            kind,
            class: class_key,
            head_teacher: teacher_name.clone(),
            term: TermDates { start: first, end: last },
        };
        let typed_code = code.get_untracked().trim().to_owned();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            // With a code, the phone joins the school on the server first and takes its school
            // id, and reuses the school, class and term other phones already made.
            let joined = if typed_code.is_empty() {
                None
            } else if let Some(credential) = sync.credential.get_untracked() {
                // Enrolled by an earlier try of this form: the code is spent, the phone joined.
                Some(credential)
            } else {
                let enrolled = match later.code().await {
                    Ok(code) => (code.enroll)(sync, ctx, typed_code, teacher_name.clone()).await,
                    Err(not_loaded) => Err(SyncError::Offline(not_loaded.to_string())),
                };
                match enrolled {
                    Ok(credential) => {
                        sync_now(later, sync, ctx).await;
                        Some(credential)
                    }
                    Err(error) => {
                        join_problem.set(Some(crate::pages::sync::join_error_words(ctx, &error)));
                        return;
                    }
                }
            };
            let now = clock::now_ms();
            let school_id =
                joined.as_ref().map_or_else(|| SchoolId::new_v7(now, clock::random10()), |joined| joined.school);
            let device =
                joined.as_ref().map_or_else(|| DeviceId::new_v7(now, clock::random10()), |joined| joined.device);
            let fresh = FreshIds {
                county: CountyId::new_v7(now, clock::random10()),
                town: TownId::new_v7(now, clock::random10()),
                class: ClassId::new_v7(now, clock::random10()),
            };
            // A school the server holds nothing of yet (this is its first phone) needs its names.
            if names_missing && !ctx.state.with_untracked(|state| state.schools.contains_key(&school_id)) {
                problem.set(Some(SetupText::SchoolNamesNeeded));
                return;
            }
            // After the sync above, so a joined phone finds what other phones already made.
            let setup = ctx.state.with_untracked(|state| find_or_make(state, school_id, form, fresh));
            let profile = Profile { device, school: school_id, class: Some(setup.class), teacher: teacher_name };
            let changes = setup.changes;
            let Ok(code) = later.code().await else {
                problem.set(Some(SetupText::NotLoaded));
                return;
            };
            match (code.set_up)(ctx, profile, changes).await {
                Ok(()) => {
                    if joined.is_some() {
                        sync_now(later, sync, ctx).await;
                    }
                    navigate("/roster")
                }
                Err(error) => match error.first_problem() {
                    Some(ValidationError::TermEndsBeforeStart { .. }) => term_problem.set(Some(SetupText::TermOrder)),
                    _ => problem.set(Some(SetupText::SaveFailed)),
                },
            }
        });
    };

    // No `required`: the browser's bubble would stop a code-only form, and says less than ours.
    let field = move |label: SetupText, value: RwSignal<String>, input_type: &'static str| {
        view! {
            <label class="field">
                <span>{ctx.t(label)}</span>
                <input type=input_type bind:value=value/>
            </label>
        }
    };
    view! {
        <section class="page">
            <h2>{ctx.t(SetupText::Title)}</h2>
            <p class="muted">{ctx.t(SetupText::Intro)}</p>
            <div class="card restore">
                <h3>{ctx.t(SettingsText::NewPhone)}</h3>
                <p class="muted">{ctx.t(SettingsText::NewPhoneHint)}</p>
                {move || match later.ready() {
                    Some(code) => (code.restore_backup)(SettingsText::Restore),
                    // The restore control comes with the later code, a moment after the form.
                    None if !later.failed() => view! { <p class="muted">{ctx.t(Common::Loading)}</p> }.into_any(),
                    None => ().into_any(),
                }}
            </div>
            <form on:submit=submit>
                {field(SetupText::County, county, "text")}
                {field(SetupText::Town, town, "text")}
                {field(SetupText::School, school, "text")}
                <label class="field">
                    <span>{ctx.t(SetupText::SchoolKind)}</span>
                    <select bind:value=kind>
                        <option value="primary">{ctx.t(SetupText::Primary)}</option>
                        <option value="junior">{ctx.t(SetupText::Junior)}</option>
                        <option value="nine">{ctx.t(SetupText::NineYear)}</option>
                    </select>
                </label>
                {field(SetupText::Teacher, teacher, "text")}
                <label class="field">
                    <span>{ctx.t(SetupText::Grade)}</span>
                    <select bind:value=grade>
                        {(1..=9u8)
                            .filter_map(|value| Grade::new(value).ok())
                            .map(|grade| view! { <option value=grade.get().to_string()>{ctx.t(GradeName(grade))}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{ctx.t(SetupText::ClassName)}</span>
                    <input type="text" bind:value=class_name placeholder=ctx.t(SetupText::ClassNameHint)/>
                </label>
                {move || class_words(ctx.lang.get(), grade_of(&grade.get()), &class_name.get()).map(|words| match words {
                    Ok(name) => view! { <p class="muted hint class-name" role="status">{name}</p> }.into_any(),
                    Err(problem) => view! { <p class="error class-name" role="alert">{problem}</p> }.into_any(),
                })}
                {field(SetupText::TermStart, start, "date")}
                {field(SetupText::TermEnd, end, "date")}
                {move || term_problem.get().map(|text| view! { <p class="error" role="alert">{ctx.tr(text)}</p> })}
                <label class="field">
                    <span>{ctx.t(SyncText::SetupCode)}</span>
                    <input type="text" bind:value=code autocomplete="off" autocapitalize="characters" placeholder="7K3M-Q9TD-2XWA"/>
                </label>
                // Outside the label, so the field's name stays short for screen readers.
                <p class="muted hint">{ctx.t(SyncText::SetupCodeHint)}</p>
                {move || problem.get().map(|text| view! { <p class="error" role="alert">{ctx.tr(text)}</p> })}
                {move || join_problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                <button type="submit" class="primary">{ctx.t(SetupText::Start)}</button>
            </form>
        </section>
    }
}

/// One sync through the later code (the sync client lives there); without it there is no
/// signal to sync with anyway.
async fn sync_now(later: Later, sync: SyncCtx, ctx: AppCtx) {
    if let Ok(code) = later.code().await {
        (code.sync_now)(sync, ctx).await;
    }
}
