//! The daily register (班级出席日报): one screen per class and day, everyone present by
//! default, one tap to cycle a child's mark, the day's summary, and a prompt to report a child
//! the register raises as a suspected dropout the same day.

use crate::clock;
use crate::ctx::use_app;
use crate::i18n::{fill, AttendanceText, CalendarText, ReportText, StatusName};
use crate::router::Link;
use baoxue_domain::attendance::{AttendanceMark, DayRecord, MarkKind};
use baoxue_domain::calendar::DayStatus;
use baoxue_domain::holidays::holiday_on;
use baoxue_domain::ids::{RecordId, StudentId};
use baoxue_domain::ledger::SuspectedSource;
use baoxue_domain::mutation::Change;
use baoxue_domain::register::{apart_from_register, class_register, raised_by_absence, report_of, DaySummary};
use chrono::{Days, NaiveDate};
use leptos::prelude::*;

#[component]
pub fn Attendance() -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let day = RwSignal::new(today);
    // Why the last tap or report was not saved, in words; shown under the day it was for.
    let failed = RwSignal::new(None::<AttendanceText>);
    let place =
        move || ctx.profile.with(|profile| profile.as_ref().and_then(|p| p.class.map(|class| (p.school, class))));
    let day_status = Memo::new(move |_| {
        place().map_or(DayStatus::OutsideTerm, |(school, _)| {
            ctx.state.with(|state| state.calendar(school).status(day.get()))
        })
    });
    let school_day = move || day_status.get().is_school_day();
    // Why no attendance is taken on the day, in words: the weekend, the holiday by its name,
    // the 农忙假, or a day outside the term.
    let why_not = move || {
        let day = day.get();
        match day_status.get() {
            DayStatus::Weekend => ctx.tr(CalendarText::WhyWeekend).to_owned(),
            DayStatus::Holiday => match holiday_on(day) {
                Some(festival) => fill(ctx.tr(CalendarText::WhyFestival), &[&ctx.tr(festival)]),
                None => ctx.tr(CalendarText::WhyHoliday).to_owned(),
            },
            DayStatus::FarmBreak => ctx.tr(CalendarText::WhyFarmBreak).to_owned(),
            DayStatus::OutsideTerm | DayStatus::SchoolDay | DayStatus::MakeUpDay => {
                ctx.tr(CalendarText::WhyOutsideTerm).to_owned()
            }
        }
    };
    let rows = Memo::new(move |_| match place() {
        Some((_, class)) => ctx.state.with(|state| class_register(state, class, day.get())),
        None => Vec::new(),
    });
    let apart = Memo::new(move |_| match place() {
        Some((_, class)) => ctx.state.with(|state| apart_from_register(state, class, day.get())),
        None => Vec::new(),
    });
    // Whether the day's register was handed in; a day still to come cannot be.
    let recorded = Memo::new(move |_| match place() {
        Some((_, class)) => ctx.state.with(|state| state.is_recorded(class, day.get())),
        None => false,
    });
    let summary = Memo::new(move |_| rows.with(|rows| DaySummary::of(rows, recorded.get())));
    let confirm = move |_| {
        let Some((_, class)) = place() else { return };
        let record =
            DayRecord { id: RecordId::new_v7(clock::now_ms(), clock::random10()), class, date: day.get_untracked() };
        leptos::task::spawn_local(async move {
            failed.set(ctx.write(vec![Change::RecordDay(record)]).await.err().map(|error| AttendanceText::of(&error)));
        });
    };
    let raised = Memo::new(move |_| match place() {
        Some((school, class)) => ctx.state.with(|state| raised_by_absence(state, school, class, today)),
        None => Vec::new(),
    });

    // One tap: the next kind, as a new append-only mark (the newest counts), checked by the
    // domain before it is written.
    let tap = move |student: StudentId, current: MarkKind| {
        let mark = AttendanceMark {
            id: RecordId::new_v7(clock::now_ms(), clock::random10()),
            student,
            day: day.get_untracked(),
            half: None,
            kind: current.next(),
        };
        let change = Change::Mark(mark);
        leptos::task::spawn_local(async move {
            failed.set(ctx.write(vec![change]).await.err().map(|error| AttendanceText::of(&error)));
        });
    };
    let report = move |student: StudentId, streak: usize, first_day: NaiveDate| {
        let id = RecordId::new_v7(clock::now_ms(), clock::random10());
        let event = report_of(id, student, streak, first_day, today);
        leptos::task::spawn_local(async move {
            failed
                .set(ctx.write(vec![Change::RecordStatus(event)]).await.err().map(|error| AttendanceText::of(&error)));
        });
    };
    let shift = move |days: i64| {
        failed.set(None);
        day.update(|day| {
            *day = if days < 0 {
                day.checked_sub_days(Days::new(days.unsigned_abs())).unwrap_or(*day)
            } else {
                day.checked_add_days(Days::new(days as u64)).unwrap_or(*day)
            }
        })
    };

    let figure = move |label: AttendanceText, value: fn(&DaySummary) -> usize| {
        view! { <div class="figure"><span class="value">{move || summary.with(value)}</span><span class="label">{ctx.t(label)}</span></div> }
    };
    view! {
        <section class="page attendance">
            <h2>{ctx.t(AttendanceText::Title)}</h2>
            <div class="day-picker">
                <button on:click=move |_| shift(-1) aria-label=ctx.t(AttendanceText::PreviousDay)>"‹"</button>
                <input type="date" prop:value=move || day.get().to_string() on:change=move |event| {
                    if let Ok(picked) = event_target_value(&event).parse::<NaiveDate>() { day.set(picked) }
                }/>
                <button on:click=move |_| shift(1) aria-label=ctx.t(AttendanceText::NextDay)>"›"</button>
            </div>
            {move || failed.get().map(|text| view! { <p class="error" role="alert">{ctx.tr(text)}</p> })}
            <For each=move || raised.get() key=|row| row.student let:row>
                {
                    let (streak, first_day) = match row.source {
                        SuspectedSource::UnexcusedAbsence { streak, first_day } => (streak, first_day),
                        _ => (0, row.raised_on),
                    };
                    let student = row.student;
                    view! {
                        <div class="alert" role="alert">
                            <p><strong>{row.name.clone()}</strong>" · "{ctx.t(AttendanceText::RaisedDays)}": "{streak}</p>
                            <p>{ctx.t(AttendanceText::Raised)}</p>
                            <button class="primary" on:click=move |_| report(student, streak, first_day)>{ctx.t(AttendanceText::ReportNow)}</button>
                        </div>
                    }
                }
            </For>
            <Show when=move || place().is_some() fallback=move || view! { <p class="muted">{ctx.t(AttendanceText::NoClass)}</p> }>
                <Show when=school_day fallback=move || view! {
                    <div class="not-school-day" role="status">
                        <p>{why_not}</p>
                        <Link href="/calendar" attr:class="button">{ctx.t(CalendarText::Title)}</Link>
                    </div>
                }>
                    <div class="summary" aria-live="polite">
                        {figure(AttendanceText::Expected, |s| s.expected)}
                        {figure(AttendanceText::Present, |s| s.present)}
                        {figure(AttendanceText::Late, |s| s.late)}
                        {figure(AttendanceText::Sick, |s| s.sick)}
                        {figure(AttendanceText::Personal, |s| s.personal)}
                        {figure(AttendanceText::Unexcused, |s| s.unexcused)}
                    </div>
                    <p class="muted hint">{ctx.t(AttendanceText::TapHint)}</p>
                    {move || match (recorded.get(), day.get() > today) {
                        (true, _) => view! { <p class="done" role="status">{ctx.tr(AttendanceText::Recorded)}</p> }.into_any(),
                        (false, true) => ().into_any(),
                        (false, false) => view! {
                            <div class="unrecorded">
                                <p class="warning">{ctx.tr(AttendanceText::NotRecorded)}</p>
                                <button class="primary" on:click=confirm>
                                    {ctx.tr(if day.get() == today { AttendanceText::ConfirmToday } else { AttendanceText::ConfirmDay })}
                                </button>
                            </div>
                        }.into_any(),
                    }}
                    <ul class="register">
                        <For each=move || rows.get() key=|row| (row.student.id, row.mark) let:row>
                            {
                                let (student, mark, marked) = (row.student.id, row.mark, row.marked);
                                // Unmarked on a day not handed in: not known, so not shown as present.
                                let unknown = move || !marked && !recorded.get();
                                view! {
                                    <li>
                                        <button
                                            class=move || if unknown() { "mark mark-unknown".to_owned() } else { format!("mark mark-{mark:?}").to_lowercase() }
                                            on:click=move |_| tap(student, mark)
                                        >
                                            <span class="name">{row.student.name.clone()}</span>
                                            <span class="kind">{move || if unknown() { ctx.tr(AttendanceText::Unchecked) } else { ctx.tr(mark) }}</span>
                                        </button>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                    <p>{move || view! { <Link href=format!("/report/class-day/{}", day.get())>{ctx.t(ReportText::ClassDayTitle)}</Link> }}</p>
                    <Show when=move || !apart.with(Vec::is_empty)>
                        <h3>{ctx.t(AttendanceText::Apart)}</h3>
                        <ul class="list apart">
                            {move || apart.get().into_iter().map(|(student, status)| view! {
                                <li><span class="name">{student.name}</span>" "<span class="muted">{ctx.tr(StatusName(status))}</span></li>
                            }).collect_view()}
                        </ul>
                    </Show>
                </Show>
            </Show>
        </section>
    }
}
