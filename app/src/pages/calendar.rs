//! The school calendar (校历): a month at a time, each day in its colour and with a word for
//! what it is, one tap to change a day, and the national holidays of the school year offered
//! as a default the school confirms. Every change is a `SetDay` through the one write path,
//! so it syncs to every phone of the school. What a day is, what a tap makes it and what the
//! default holds are the domain's (`Calendar::status`, `Calendar::after_tap`,
//! `holidays::default_days`).

use crate::clock;
use crate::ctx::use_app;
use crate::i18n::{fill, CalendarText, DayMarker};
use baoxue_domain::calendar::DayStatus;
use baoxue_domain::holidays::{default_days, holiday_on};
use baoxue_domain::mutation::Change;
use chrono::{Datelike, Months, NaiveDate, Weekday};
use leptos::prelude::*;

/// The cells of a month, Monday first: blanks before its first day, then its days.
fn month_cells(first: NaiveDate) -> Vec<Option<NaiveDate>> {
    let blanks = first.weekday().num_days_from_monday() as usize;
    let days = first.iter_days().take_while(|day| day.month() == first.month());
    std::iter::repeat_n(None, blanks).chain(days.map(Some)).collect()
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The class of a day's cell: its colour, and a border style that tells the kinds apart in
/// grey as well.
fn cell_class(status: DayStatus) -> &'static str {
    match status {
        DayStatus::SchoolDay => "day day-school",
        DayStatus::MakeUpDay => "day day-makeup",
        DayStatus::Weekend => "day day-weekend",
        DayStatus::Holiday => "day day-holiday",
        DayStatus::FarmBreak => "day day-farm",
        DayStatus::OutsideTerm => "day day-outside",
    }
}

const WEEK: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

const KEY: [DayStatus; 6] = [
    DayStatus::SchoolDay,
    DayStatus::Weekend,
    DayStatus::Holiday,
    DayStatus::FarmBreak,
    DayStatus::MakeUpDay,
    DayStatus::OutsideTerm,
];

#[component]
pub fn CalendarPage() -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let month = RwSignal::new(first_of_month(today));
    let outcome = RwSignal::new(None::<Result<CalendarText, CalendarText>>);
    let school = move || ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school));
    let calendar = Memo::new(move |_| school().map(|school| ctx.state.with(|state| state.calendar(school))));
    let has_term =
        move || calendar.with(|calendar| calendar.as_ref().is_some_and(|calendar| !calendar.terms.is_empty()));
    let offer = Memo::new(move |_| match (school(), calendar.get()) {
        (Some(school), Some(calendar)) => default_days(&calendar, school),
        _ => Default::default(),
    });

    let write = move |changes: Vec<Change>, done: Option<CalendarText>| {
        leptos::task::spawn_local(async move {
            // A `SetDay` has no field to get wrong: only the store can fail it.
            let result = ctx.write(changes).await.map(|()| done).map_err(|_| CalendarText::SaveFailed);
            outcome.set(match result {
                Ok(Some(text)) => Some(Ok(text)),
                Ok(None) => None,
                Err(text) => Some(Err(text)),
            });
        });
    };
    let tap = move |date: NaiveDate| {
        let (Some(school), Some(kind)) =
            (school(), calendar.with_untracked(|calendar| calendar.as_ref()?.after_tap(date)))
        else {
            return;
        };
        write(vec![Change::SetDay { school, date, kind }], None);
    };
    let confirm = move |_| {
        let changes = offer.with_untracked(|offer| offer.changes.clone());
        write(changes, Some(CalendarText::Confirmed));
    };
    let shift = move |forward: bool| {
        outcome.set(None);
        month.update(|first| {
            let moved = if forward {
                first.checked_add_months(Months::new(1))
            } else {
                first.checked_sub_months(Months::new(1))
            };
            *first = moved.unwrap_or(*first);
        });
    };

    let status_of = move |date: NaiveDate| {
        calendar.with(|calendar| calendar.as_ref().map_or(DayStatus::OutsideTerm, |calendar| calendar.status(date)))
    };
    let day_cell = move |date: NaiveDate| {
        let status = move || status_of(date);
        let festival = move || (status() == DayStatus::Holiday).then(|| holiday_on(date)).flatten();
        // Read aloud and found by tests: the date, then what it is ("2026-10-02 节假日 国庆节").
        let label = move || {
            let festival = festival().map(|festival| ctx.tr(festival)).unwrap_or_default();
            format!("{date} {} {festival}", ctx.tr(status())).trim_end().to_owned()
        };
        view! {
            <button
                class=move || {
                    let class = cell_class(status());
                    if date == today { format!("{class} today") } else { class.to_owned() }
                }
                aria-label=label
                disabled=move || status() == DayStatus::OutsideTerm
                on:click=move |_| tap(date)
            >
                <span class="num">{date.day()}</span>
                <span class="marker">{move || ctx.tr(DayMarker(status(), festival()))}</span>
            </button>
        }
    };

    view! {
        <section class="page calendar">
            <h2>{ctx.t(CalendarText::Title)}</h2>
            <Show when=has_term fallback=move || view! { <p class="warning">{ctx.t(CalendarText::NoTerm)}</p> }>
                {move || offer.with(|offer| (!offer.is_empty()).then(|| {
                    let words = fill(ctx.tr(CalendarText::Offer), &[&offer.holidays, &offer.make_up_days]);
                    view! {
                        <div class="card offer" role="region" aria-label=ctx.t(CalendarText::Confirm)>
                            <p>{words}</p>
                            <button class="primary" on:click=confirm>{ctx.t(CalendarText::Confirm)}</button>
                        </div>
                    }
                }))}
            </Show>
            {move || outcome.get().map(|outcome| match outcome {
                Ok(text) => view! { <p class="done" role="status">{ctx.tr(text)}</p> }.into_any(),
                Err(text) => view! { <p class="error" role="alert">{ctx.tr(text)}</p> }.into_any(),
            })}
            <div class="month-picker">
                <button on:click=move |_| shift(false) aria-label=ctx.t(CalendarText::PreviousMonth)>"‹"</button>
                <h3 aria-live="polite">
                    {move || { let first = month.get(); fill(ctx.tr(CalendarText::Month), &[&first.year(), &first.month()]) }}
                </h3>
                <button on:click=move |_| shift(true) aria-label=ctx.t(CalendarText::NextMonth)>"›"</button>
            </div>
            <div class="month">
                {WEEK.into_iter().map(|weekday| view! {
                    <span class="weekday" aria-hidden="true">{ctx.t(CalendarText::Weekday(weekday))}</span>
                }).collect_view()}
                {move || month_cells(month.get()).into_iter().map(|cell| match cell {
                    Some(date) => day_cell(date).into_any(),
                    None => view! { <span class="blank"></span> }.into_any(),
                }).collect_view()}
            </div>
            <p class="muted hint">{ctx.t(CalendarText::TapHint)}</p>
            <h3>{ctx.t(CalendarText::Legend)}</h3>
            <ul class="legend">
                {KEY.into_iter().map(|status| view! {
                    <li>
                        <span class=cell_class(status)>
                            <span class="marker">{move || ctx.tr(DayMarker(status, None))}</span>
                        </span>
                        {ctx.t(status)}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
