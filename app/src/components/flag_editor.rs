//! A student's flags (动摇生, 留守儿童, …): those set, with their evidence and date, and a control
//! to set or clear each one with a note. A flag is never edited: setting and clearing are dated
//! events, so the history of who said what, and when, stays.

use crate::clock;
use crate::components::checked_save::save_checked;
use crate::ctx::use_app;
use crate::i18n::{fill, FlagName, StudentProblem, StudentText};
use baoxue_domain::ids::{RecordId, StudentId};
use baoxue_domain::mutation::Change;
use baoxue_domain::student::{flags_on, ActiveFlag, Flag, FlagEvent};
use chrono::NaiveDate;
use leptos::prelude::*;

/// The flags in the order a head teacher looks for them: 动摇生 first, the most direct sign.
fn flags_in_order() -> impl Iterator<Item = Flag> {
    std::iter::once(Flag::Wavering).chain(Flag::ALL.into_iter().filter(|flag| *flag != Flag::Wavering))
}

#[component]
pub fn FlagEditor(student: StudentId) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let active = Memo::new(move |_| ctx.state.with(|state| flags_on(&state.flag_events_of(student), today)));
    // The flag whose note form is open, if any.
    let open = RwSignal::new(None::<Flag>);
    view! {
        <ul class="flags">
            {flags_in_order()
                .map(|flag| {
                    let held = move || active.with(|active| active.iter().find(|held| held.flag == flag).cloned());
                    view! { <FlagRow student flag held=Signal::derive(held) open today/> }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn FlagRow(
    student: StudentId,
    flag: Flag,
    held: Signal<Option<ActiveFlag>>,
    open: RwSignal<Option<Flag>>,
    today: NaiveDate,
) -> impl IntoView {
    let ctx = use_app();
    let note = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<StudentProblem>);
    let saving = RwSignal::new(false);
    let is_open = move || open.get() == Some(flag);
    let name = move || ctx.tr(FlagName(flag));

    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let evidence = note.get_untracked().trim().to_owned();
        // Clearing a flag needs a note too: the history should say why a wavering child is no
        // longer watched.
        if evidence.is_empty() {
            problem.set(Some(StudentProblem::EvidenceBlank));
            return;
        }
        let set = held.get_untracked().is_none();
        let change = Change::RecordFlag(FlagEvent {
            id: RecordId::new_v7(clock::now_ms(), clock::random10()),
            student,
            flag,
            set,
            date: today,
            evidence,
        });
        save_checked(ctx, change, today, problem, saving, move || {
            note.set(String::new());
            open.set(None);
        });
    };
    let toggle = move |_| {
        problem.set(None);
        open.set(if is_open() { None } else { Some(flag) });
    };

    view! {
        <li class="flag" class=("flag-on", move || held.with(Option::is_some))>
            <div class="flag-head">
                <div class="flag-what">
                    <span class="flag-name">{name}</span>
                    {move || {
                        held.get()
                            .map(|held| {
                                view! {
                                    <span class="flag-since">
                                        {fill(ctx.tr(StudentText::FlagSince), &[&held.since])}
                                    </span>
                                    <span class="flag-evidence">{held.evidence}</span>
                                }
                            })
                    }}
                </div>
                <button type="button" class="flag-toggle" aria-expanded=move || is_open().to_string() on:click=toggle>
                    {move || {
                        let text = if held.with(Option::is_some) { StudentText::ClearFlag } else { StudentText::SetFlag };
                        fill(ctx.tr(text), &[&name()])
                    }}
                </button>
            </div>
            <Show when=is_open>
                <form class="flag-note" on:submit=save novalidate>
                    <label class="field">
                        <span>{ctx.t(StudentText::Note)}</span>
                        <textarea
                            rows="3"
                            bind:value=note
                            required
                            placeholder=move || {
                                ctx.tr(if held.with(Option::is_some) { StudentText::NoteHintClear } else { StudentText::NoteHintSet })
                            }
                        ></textarea>
                        {move || problem.get().map(|problem| view! { <p class="error" role="alert">{ctx.tr(problem)}</p> })}
                    </label>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || saving.get()>
                            {ctx.t(StudentText::SaveFlag)}
                        </button>
                        <button type="button" on:click=move |_| open.set(None)>
                            {ctx.t(StudentText::Cancel)}
                        </button>
                    </div>
                </form>
            </Show>
        </li>
    }
}
