//! The school's term on the settings screen. The term decides which days are school days, so
//! every rate and streak hangs on it: the teacher sees its dates and its number of school days,
//! corrects the dates set at the first run, and begins the next term when this one is over.
//! Which term is "this term" and what the next one should be are the domain's (`Calendar`).

use crate::clock;
use crate::ctx::{use_app, WriteError};
use crate::i18n::{fill, TermText};
use baoxue_domain::calendar::{Term, TermDates};
use baoxue_domain::mutation::Change;
use baoxue_domain::validate::ValidationError;
use chrono::NaiveDate;
use leptos::prelude::*;

/// What the form is doing: correcting a term's dates (it keeps its name, so it stays the same
/// term), or beginning a new one.
#[derive(Clone, PartialEq)]
enum Editing {
    Dates(Term),
    Next,
}

#[component]
pub fn TermCard() -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let school = move || ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school));
    let calendar = Memo::new(move |_| school().map(|school| ctx.state.with(|state| state.calendar(school))));
    let this_term = move || calendar.with(|calendar| calendar.as_ref()?.this_term(today).cloned());
    let next = move || calendar.with(|calendar| calendar.as_ref()?.next_term(today));
    let school_days = move |term: &Term| {
        calendar
            .with(|calendar| calendar.as_ref().map_or(0, |calendar| calendar.school_days(term.start, term.end).len()))
    };

    let editing = RwSignal::new(None::<Editing>);
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<(), TermText>>);
    let open = move |what: Editing, dates: TermDates| {
        start.set(dates.start.to_string());
        end.set(dates.end.to_string());
        outcome.set(None);
        editing.set(Some(what));
    };

    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(what), Some(school)) = (editing.get_untracked(), school()) else { return };
        let (Ok(first), Ok(last)) =
            (start.get_untracked().parse::<NaiveDate>(), end.get_untracked().parse::<NaiveDate>())
        else {
            outcome.set(Some(Err(TermText::NotADate)));
            return;
        };
        let term = match what {
            Editing::Dates(term) => Term { start: first, end: last, ..term },
            Editing::Next => TermDates { start: first, end: last }.new_term(),
        };
        leptos::task::spawn_local(async move {
            let result = ctx.write(vec![Change::SetTerm { school, term }]).await;
            let result = result.map_err(|error| match error {
                WriteError::Invalid(problems) => match problems.first().map(|(_, problem)| problem) {
                    Some(ValidationError::TermsOverlap { .. }) => TermText::Overlaps,
                    _ => TermText::Order,
                },
                WriteError::Store(_) => TermText::SaveFailed,
            });
            if result.is_ok() {
                editing.set(None);
            }
            outcome.set(Some(result));
        });
    };

    view! {
        <div class="card term">
            <h3>{ctx.t(TermText::Heading)}</h3>
            {move || match this_term() {
                None => view! { <p class="warning">{ctx.tr(TermText::None)}</p> }.into_any(),
                Some(term) => {
                    let days = fill(ctx.tr(TermText::SchoolDays), &[&school_days(&term)]);
                    let over = term.end < today;
                    let dates = TermDates { start: term.start, end: term.end };
                    view! {
                        <div class="figure"><span>{ctx.tr(TermText::Start)}</span><strong>{term.start.to_string()}</strong></div>
                        <div class="figure"><span>{ctx.tr(TermText::End)}</span><strong>{term.end.to_string()}</strong></div>
                        <p class="muted">{days}</p>
                        {over.then(|| view! { <p class="warning">{ctx.tr(TermText::Over)}</p> })}
                        <Show when=move || editing.get().is_none()>
                            <button on:click={
                                let term = term.clone();
                                move |_| open(Editing::Dates(term.clone()), dates)
                            }>{ctx.t(TermText::EditDates)}</button>
                        </Show>
                    }
                    .into_any()
                }
            }}
            {move || next().filter(|_| editing.get().is_none()).map(|dates| view! {
                <button class="primary" on:click=move |_| open(Editing::Next, dates)>{ctx.t(TermText::StartNext)}</button>
            })}
            <Show when=move || editing.get().is_some()>
                <form on:submit=save>
                    <Show when=move || editing.get() == Some(Editing::Next)>
                        <h4>{ctx.t(TermText::NextHeading)}</h4>
                    </Show>
                    <label class="field">
                        <span>{ctx.t(TermText::Start)}</span>
                        <input type="date" bind:value=start on:input=move |_| outcome.set(None)/>
                    </label>
                    <label class="field">
                        <span>{ctx.t(TermText::End)}</span>
                        <input type="date" bind:value=end on:input=move |_| outcome.set(None)/>
                    </label>
                    {move || match outcome.get() {
                        Some(Err(text)) => Some(view! { <p class="error" role="alert">{ctx.tr(text)}</p> }),
                        _ => None,
                    }}
                    <button type="submit" class="primary">{ctx.t(TermText::Save)}</button>
                    <button type="button" on:click=move |_| editing.set(None)>{ctx.t(TermText::Cancel)}</button>
                </form>
            </Show>
            {move || (outcome.get() == Some(Ok(()))).then(|| view! { <p class="done" role="status">{ctx.tr(TermText::Saved)}</p> })}
        </div>
    }
}
