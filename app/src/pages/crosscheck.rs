//! `/crosscheck`: the cross-check (四查三比对) of a list of resident children against the rolls.
//! The import module reads the list with the roster's forgiving reader (`roster::residents`);
//! `domain::crosscheck` matches each child: on a roll for certain (the same ID), to decide (the
//! same name and birth date only: a person says whether it is the same child), or possibly out
//! of school. Saving writes the resident list (one `PutResident` per child, in one write), which
//! is the denominator of the 巩固率 and the 适龄儿童台账; a list imported again updates its
//! children rather than adding them twice. A child possibly out of school is one tap from a new
//! row of the 疑似辍学台账: put on the roll of a class as a suspected dropout, in the same write.

use crate::clock;
use crate::components::figures::rate_text;
use crate::ctx::{use_app, AppCtx, WriteError};
use crate::i18n::{fill, CrossText, GenderName, Text};
use crate::importer::{self, ImporterError};
use crate::pages::import::{lines, not_read, said};
use crate::router::Link;
use baoxue_domain::crosscheck::{certain_link, cross_check, onto_suspected_ledger, residents_of, Found, Listed};
use baoxue_domain::ids::{ClassId, RecordId, ResidentId, StudentId};
use baoxue_domain::mutation::Change;
use baoxue_import::wire::{ResidentsRead, Said};
use leptos::prelude::*;
use std::collections::BTreeMap;

#[derive(Clone)]
enum Step {
    Pick,
    Reading,
    Refused(Said),
    Failed(ImporterError),
    Read { read: ResidentsRead, found: Vec<Found> },
    Saved(usize),
}

async fn read_list(ctx: AppCtx, file: web_sys::File) -> Step {
    let bytes = match importer::bytes_of(&file).await {
        Ok(bytes) => bytes,
        Err(error) => return Step::Failed(error),
    };
    match importer::residents(&bytes, &file.name()).await {
        Ok(Ok(read)) => {
            let found = ctx.state.with_untracked(|state| cross_check(state, &read.listed));
            Step::Read { read, found }
        }
        Ok(Err(refused)) => Step::Refused(refused),
        Err(error) => Step::Failed(error),
    }
}

#[component]
pub fn CrossCheckPage() -> impl IntoView {
    let ctx = use_app();
    let step = RwSignal::new(Step::Pick);
    let on_change = move |event: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        step.set(Step::Reading);
        leptos::task::spawn_local(async move { step.set(read_list(ctx, file).await) });
    };
    view! {
        <section class="page crosscheck">
            <h2>{ctx.t(CrossText::Title)}</h2>
            <p class="muted">{ctx.t(CrossText::Intro)}</p>
            <label class="button file-button">
                <input type="file" accept=".xlsx,.csv" class="visually-hidden" on:change=on_change/>
                <span>{ctx.t(CrossText::PickFile)}</span>
            </label>
            {move || match step.get() {
                Step::Pick => ().into_any(),
                Step::Reading => view! { <p class="muted" role="status">{ctx.t(CrossText::Reading)}</p> }.into_any(),
                Step::Refused(refused) => not_read(ctx, said(ctx, refused)).into_any(),
                Step::Failed(error) => not_read(ctx, ctx.t(error.text()).into()).into_any(),
                Step::Read { read, found } => view! { <Matches read found step/> }.into_any(),
                Step::Saved(count) => view! { <SavedList count/> }.into_any(),
            }}
        </section>
    }
}

/// A student as a candidate is shown: name, class, birth date.
fn student_line(ctx: AppCtx, student: StudentId) -> String {
    ctx.state.with_untracked(|state| {
        state.student(student).map_or_else(String::new, |child| {
            let class = state.classes.get(&child.class).map(|class| class.value.name.clone()).unwrap_or_default();
            format!("{}（{class}，{}）", child.name, child.birth_date)
        })
    })
}

fn listed_line(ctx: AppCtx, child: &Listed) -> String {
    let gender = GenderName(child.gender).in_lang(ctx.lang.get_untracked());
    format!("{} · {gender} · {} · {}", child.name, child.birth_date, child.village)
}

#[component]
fn Matches(read: ResidentsRead, found: Vec<Found>, step: RwSignal<Step>) -> impl IntoView {
    let ctx = use_app();
    // The person's decision for each child to decide, by the child's place in the list: the
    // student accepted, or `None` for none of them.
    let decided = RwSignal::new(BTreeMap::<usize, Option<StudentId>>::new());
    // Why the list was not saved, when it was not.
    let failed = RwSignal::new(None::<CrossText>);
    let count = |wanted: fn(&Found) -> bool| found.iter().filter(|found| wanted(found)).count();
    let (on_roll, to_decide, missing) = (
        count(|f| matches!(f, Found::OnRoll(_))),
        count(|f| matches!(f, Found::Uncertain(_))),
        count(|f| matches!(f, Found::Missing)),
    );
    let total = read.listed.len();
    let summary = move || fill(ctx.tr(CrossText::Summary), &[&total, &on_roll, &to_decide, &missing]);
    let pairs: Vec<(usize, Listed, Found)> =
        read.listed.iter().cloned().zip(found.iter().cloned()).enumerate().map(|(i, (l, f))| (i, l, f)).collect();
    let uncertain = pairs
        .iter()
        .filter_map(|(index, child, found)| match found {
            Found::Uncertain(candidates) => Some((*index, child.clone(), candidates.clone())),
            _ => None,
        })
        .map(|(index, child, candidates)| {
            let choice = move |student: Option<StudentId>| {
                view! {
                    <button
                        type="button"
                        aria-pressed=move || (decided.with(|d| d.get(&index) == Some(&student))).to_string()
                        on:click=move |_| decided.update(|d| { d.insert(index, student); })
                    >
                        {match student {
                            Some(student) => format!("{}：{}", ctx.tr(CrossText::SameChild), student_line(ctx, student)),
                            None => ctx.tr(CrossText::NotThisOne).to_owned(),
                        }}
                    </button>
                }
            };
            let listed = fill(ctx.tr(CrossText::ListedAs), &[&child.birth_date, &child.village]);
            view! {
                <li class="to-decide">
                    <strong class="name">{child.name.clone()}</strong>
                    <p class="muted">{listed}</p>
                    <div class="actions">
                        {candidates.into_iter().map(|student| choice(Some(student))).collect_view()}
                        {choice(None)}
                    </div>
                </li>
            }
        })
        .collect_view();
    // The children of the list to put on the suspected ledger on saving, each with its class.
    let onto_ledger = RwSignal::new(BTreeMap::<usize, ClassId>::new());
    let (school, phone_class) = ctx
        .profile
        .with_untracked(|profile| (profile.as_ref().map(|p| p.school), profile.as_ref().and_then(|p| p.class)));
    let school_classes =
        ctx.state.with_untracked(|state| school.map(|school| state.class_names_at(school)).unwrap_or_default());
    let first_class = phone_class.or_else(|| school_classes.first().map(|(id, _)| *id));
    let missing_list = pairs
        .iter()
        .filter(|(_, _, found)| *found == Found::Missing)
        .map(|(index, child, _)| {
            let index = *index;
            let classes = school_classes.clone();
            let chosen = move || onto_ledger.with(|chosen| chosen.get(&index).copied());
            let toggle = move |_| {
                onto_ledger.update(|chosen| {
                    if chosen.remove(&index).is_none() {
                        if let Some(class) = first_class {
                            chosen.insert(index, class);
                        }
                    }
                })
            };
            view! {
                <li class="missing-child">
                    <span class="missing-line">{listed_line(ctx, child)}</span>
                    <button type="button" aria-pressed=move || chosen().is_some().to_string() on:click=toggle>
                        {ctx.t(CrossText::OntoLedger)}
                    </button>
                    {move || chosen().map(|class| {
                        let classes = classes.clone();
                        let options = classes.clone();
                        view! {
                            <label class="field">
                                <span>{ctx.t(CrossText::IntoClass)}</span>
                                <select on:change=move |event| {
                                    let picked = event_target_value(&event).parse::<usize>().ok().and_then(|i| classes.get(i).map(|(id, _)| *id));
                                    if let Some(picked) = picked {
                                        onto_ledger.update(|chosen| { chosen.insert(index, picked); });
                                    }
                                }>
                                    {options.into_iter().enumerate().map(|(i, (id, name))| view! {
                                        <option value=i.to_string() selected=id == class>{name}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                        }
                    })}
                </li>
            }
        })
        .collect_view();
    let on_roll_list = pairs
        .iter()
        .filter_map(|(_, child, found)| match found {
            Found::OnRoll(student) => Some(view! { <li>{child.name.clone()}" → "{student_line(ctx, *student)}</li> }),
            _ => None,
        })
        .collect_view();
    let bad = read.bad.clone();
    let bad_count = bad.len();
    let undecided = move || to_decide - decided.with(BTreeMap::len);
    let blocked = move || undecided() > 0;
    let listed = read.listed.clone();
    let save = move |_: leptos::ev::MouseEvent| {
        if undecided() > 0 {
            return;
        }
        let links: Vec<Option<StudentId>> = found
            .iter()
            .enumerate()
            .map(|(index, found)| {
                certain_link(found).or_else(|| decided.with_untracked(|d| d.get(&index).copied().flatten()))
            })
            .collect();
        let Some(school) = ctx.profile.with_untracked(|profile| profile.as_ref().map(|profile| profile.school)) else {
            return;
        };
        let residents = ctx.state.with_untracked(|state| {
            residents_of(state, school, &listed, &links, || ResidentId::new_v7(clock::now_ms(), clock::random10()))
        });
        let count = residents.len();
        let today = clock::today();
        let changes: Vec<Change> = ctx.state.with_untracked(|state| {
            residents
                .into_iter()
                .enumerate()
                .flat_map(|(index, resident)| {
                    let class = onto_ledger.with_untracked(|chosen| chosen.get(&index).copied());
                    match class.and_then(|class| state.classes.get(&class)) {
                        Some(class) => onto_suspected_ledger(
                            &resident,
                            &class.value,
                            today,
                            StudentId::new_v7(clock::now_ms(), clock::random10()),
                            RecordId::new_v7(clock::now_ms(), clock::random10()),
                        ),
                        None => vec![Change::PutResident(resident)],
                    }
                })
                .collect()
        });
        leptos::task::spawn_local(async move {
            match ctx.write(changes).await {
                Ok(()) => step.set(Step::Saved(count)),
                Err(WriteError::Invalid(_)) => failed.set(Some(CrossText::NotSavedInvalid)),
                Err(WriteError::Store(_)) => failed.set(Some(CrossText::NothingSaved)),
            }
        });
    };
    view! {
        <p class="crosscheck-summary" role="status">{summary}</p>
        {(!bad.is_empty()).then(|| view! {
            <h3>{move || fill(ctx.tr(CrossText::BadRows), &[&bad_count])}</h3>
            {lines(ctx, bad)}
        })}
        {(to_decide > 0).then(|| view! {
            <h3>{ctx.t(CrossText::ToDecide)}</h3>
            <ul class="list decide-list">{uncertain}</ul>
        })}
        {(missing > 0).then(|| view! {
            <h3>{ctx.t(CrossText::Missing)}</h3>
            <p class="muted">{ctx.t(CrossText::MissingHint)}</p>
            <ul class="list missing-list">{missing_list}</ul>
        })}
        {(on_roll > 0).then(|| view! {
            <details class="on-roll-list">
                <summary>{ctx.t(CrossText::OnRoll)}" "{on_roll}</summary>
                <ul class="list">{on_roll_list}</ul>
            </details>
        })}
        {move || (undecided() > 0).then(|| view! { <p class="warning">{fill(ctx.tr(CrossText::StillToDecide), &[&undecided()])}</p> })}
        {move || failed.get().map(|why| view! { <p class="error" role="alert">{ctx.t(why)}</p> })}
        <div class="actions">
            <button type="button" class="primary" disabled=blocked on:click=save>{ctx.t(CrossText::Save)}</button>
        </div>
    }
}

/// After saving: how many, the 巩固率 the list gives, and the 适龄儿童台账.
#[component]
fn SavedList(count: usize) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let rate = move || {
        let school = ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school))?;
        ctx.state.with(|state| {
            let inputs = baoxue_domain::figures::FigureInputs::new(state);
            let scope = baoxue_domain::figures::Scope::School(school);
            inputs.consolidation_of(&scope, today)
        })
    };
    view! {
        <p class="done" role="status">{move || fill(ctx.tr(CrossText::Saved), &[&count])}</p>
        {move || rate().map(|ratio| view! {
            <p data-rate="consolidation">
                <span class="rate-label">{ctx.t(CrossText::Consolidation)}</span>" "
                <span class="rate-value">{rate_text(|text| ctx.tr(text), ratio)}</span>
            </p>
        })}
        <p><Link href="/report/residents">{ctx.t(crate::i18n::ReportText::AgeLedgerTitle)}</Link></p>
    }
}
