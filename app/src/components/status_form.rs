//! Recording a change of a child's 学籍 status (辍学, 复学, 转出, 休学, …) as a dated event with
//! its evidence. Status is never edited: each change is a new event, and the domain's
//! validation says what a change needs (a date not after today, evidence to leave the dropout
//! ledger or to confirm a transfer) before anything is written.

use crate::clock;
use crate::components::checked_save::save_checked;
use crate::ctx::use_app;
use crate::i18n::{StatusName, StudentProblem, StudentText};
use baoxue_domain::date_text::parse_date;
use baoxue_domain::ids::{RecordId, StudentId};
use baoxue_domain::mutation::Change;
use baoxue_domain::status::{Status, StatusEvent};
use leptos::prelude::*;

#[component]
pub fn StatusForm(student: StudentId, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let status = RwSignal::new(Status::SuspectedDropout);
    let date = RwSignal::new(today.to_string());
    let evidence = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<StudentProblem>);
    let saving = RwSignal::new(false);

    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let Ok(date) = parse_date(&date.get_untracked()) else {
            problem.set(Some(StudentProblem::StatusDateNotADate));
            return;
        };
        let change = Change::RecordStatus(StatusEvent {
            id: RecordId::new_v7(clock::now_ms(), clock::random10()),
            student,
            date,
            status: status.get_untracked(),
            evidence: evidence.get_untracked().trim().to_owned(),
        });
        save_checked(ctx, change, today, problem, saving, on_done);
    };

    view! {
        <form class="status-form" on:submit=save novalidate>
            <label class="field">
                <span>{ctx.t(StudentText::NewStatus)}</span>
                <select
                    name="status"
                    on:change=move |event| {
                        let chosen = event_target_value(&event).parse::<usize>().ok().and_then(|index| Status::ALL.get(index));
                        if let Some(chosen) = chosen {
                            status.set(*chosen);
                        }
                    }
                >
                    {Status::ALL
                        .into_iter()
                        .enumerate()
                        .map(|(index, option)| {
                            view! {
                                <option value=index.to_string() selected=move || status.get() == option>
                                    {ctx.t(StatusName(option))}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{ctx.t(StudentText::StatusDate)}</span>
                <input type="date" name="date" max=today.to_string() bind:value=date/>
            </label>
            <label class="field">
                <span>{ctx.t(StudentText::StatusEvidence)}</span>
                <textarea name="evidence" rows="3" bind:value=evidence placeholder=move || ctx.tr(StudentText::StatusEvidenceHint)></textarea>
            </label>
            {move || problem.get().map(|problem| view! { <p class="error" role="alert">{ctx.tr(problem)}</p> })}
            <div class="actions">
                <button type="submit" class="primary" disabled=move || saving.get()>
                    {ctx.t(StudentText::SaveStatus)}
                </button>
                <button type="button" on:click=move |_| on_done()>
                    {ctx.t(StudentText::Cancel)}
                </button>
            </div>
        </form>
    }
}
