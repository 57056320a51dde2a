//! The school's 控辍保学 rules on the settings screen: after how many unexcused days a child is
//! a suspected dropout, the deadlines of the reporting chain (the timers behind 今天要做), the
//! follow-up checks after a return, and the contacts before the legal notice is offered. Every
//! number is a local setting with the national notice's default; the school's phones share it
//! (a `SetRules` mutation), and the domain checks each is in a sensible range.

use crate::ctx::{use_app, WriteError};
use crate::i18n::{fill, RulesText};
use baoxue_domain::mutation::Change;
use baoxue_domain::settings::Rules;
use baoxue_domain::validate::ValidationError;
use leptos::prelude::*;

/// One number of the form: its words, the rule's name as the domain's range check names it,
/// and how it is read from and written to `Rules`.
struct Setting {
    label: RulesText,
    rule: &'static str,
    get: fn(&Rules) -> u32,
    set: fn(&mut Rules, u32),
}

const SETTINGS: [Setting; 9] = [
    Setting {
        label: RulesText::SuspectedAfter,
        rule: "suspected_after_unexcused_days",
        get: |r| r.suspected_after_unexcused_days,
        set: |r, v| r.suspected_after_unexcused_days = v,
    },
    Setting {
        label: RulesText::ReceiptDays,
        rule: "transfer_receipt_days",
        get: |r| r.transfer_receipt_days,
        set: |r, v| r.transfer_receipt_days = v,
    },
    Setting {
        label: RulesText::VisitWithin,
        rule: "timers.visit_within_days",
        get: |r| r.timers.visit_within_days,
        set: |r, v| r.timers.visit_within_days = v,
    },
    Setting {
        label: RulesText::WrittenReport,
        rule: "timers.written_report_days",
        get: |r| r.timers.written_report_days,
        set: |r, v| r.timers.written_report_days = v,
    },
    Setting {
        label: RulesText::MonthlyReport,
        rule: "timers.monthly_report_day",
        get: |r| r.timers.monthly_report_day,
        set: |r, v| r.timers.monthly_report_day = v,
    },
    Setting {
        label: RulesText::FirstCheck,
        rule: "timers.follow_up_first_days",
        get: |r| r.timers.follow_up_first_days,
        set: |r, v| r.timers.follow_up_first_days = v,
    },
    Setting {
        label: RulesText::SecondCheck,
        rule: "timers.follow_up_second_days",
        get: |r| r.timers.follow_up_second_days,
        set: |r, v| r.timers.follow_up_second_days = v,
    },
    Setting {
        label: RulesText::ContactsBeforeNotice,
        rule: "timers.failed_contacts_before_notice",
        get: |r| r.timers.failed_contacts_before_notice,
        set: |r, v| r.timers.failed_contacts_before_notice = v,
    },
    Setting {
        label: RulesText::VisitQuota,
        rule: "visits_per_head_teacher",
        get: |r| r.visits_per_head_teacher,
        set: |r, v| r.visits_per_head_teacher = v,
    },
];

#[component]
pub fn RulesCard() -> impl IntoView {
    let ctx = use_app();
    let school = move || ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school));
    let rules = Memo::new(move |_| school().map(|school| ctx.state.with(|state| state.rules(school))));
    let editing = RwSignal::new(false);
    view! {
        <div class="card rules">
            <h3>{ctx.t(RulesText::Title)}</h3>
            {move || {
                let Some(current) = rules.get() else { return ().into_any() };
                if editing.get() {
                    return view! { <RulesForm current on_done=move || editing.set(false)/> }.into_any();
                }
                view! {
                    {SETTINGS.iter().map(|setting| {
                        let value = (setting.get)(&current);
                        let label = setting.label;
                        view! {
                            <div class="figure">
                                <span>{ctx.t(label)}</span>
                                <strong>{value}</strong>
                            </div>
                        }
                    }).collect_view()}
                    <button type="button" on:click=move |_| editing.set(true)>{ctx.t(RulesText::Edit)}</button>
                }
                .into_any()
            }}
        </div>
    }
}

#[component]
fn RulesForm(current: Rules, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = use_app();
    let typed: Vec<RwSignal<String>> =
        SETTINGS.iter().map(|setting| RwSignal::new((setting.get)(&current).to_string())).collect();
    // Each field's problem, by its place in SETTINGS.
    let problems = RwSignal::new(Vec::<(usize, String)>::new());
    let saving = RwSignal::new(false);
    let fields = typed.clone();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(school) = ctx.profile.with_untracked(|profile| profile.as_ref().map(|profile| profile.school)) else {
            return;
        };
        let mut rules = current.clone();
        let mut found = Vec::new();
        for (index, (setting, text)) in SETTINGS.iter().zip(&fields).enumerate() {
            match text.get_untracked().trim().parse::<u32>() {
                Ok(value) => (setting.set)(&mut rules, value),
                Err(_) => found.push((index, ctx.tr(RulesText::NotANumber).to_owned())),
            }
        }
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        saving.set(true);
        leptos::task::spawn_local(async move {
            let result = ctx.write(vec![Change::SetRules { school, rules }]).await;
            saving.set(false);
            match result {
                Ok(()) => {
                    problems.set(Vec::new());
                    on_done();
                }
                Err(WriteError::Invalid(errors)) => problems.set(
                    errors
                        .iter()
                        .filter_map(|(_, error)| match error {
                            ValidationError::RuleOutOfRange { rule, min, max, .. } => {
                                let index = SETTINGS.iter().position(|setting| rule.starts_with(setting.rule))?;
                                Some((index, fill(ctx.tr(RulesText::OutOfRange), &[min, max])))
                            }
                            _ => None,
                        })
                        .collect(),
                ),
                Err(WriteError::Store(_)) => problems.set(vec![(0, ctx.tr(RulesText::NotSaved).to_owned())]),
            }
        });
    };
    view! {
        <form class="rules-form" on:submit=save novalidate>
            {SETTINGS.iter().zip(typed).enumerate().map(|(index, (setting, value))| {
                let label = setting.label;
                view! {
                    <label class="field">
                        <span>{ctx.t(label)}</span>
                        <input type="number" inputmode="numeric" name=setting.rule bind:value=value/>
                    </label>
                    {move || problems.with(|problems| problems.iter().find(|(at, _)| *at == index).map(|(_, text)| {
                        view! { <p class="error field-problem" role="alert">{text.clone()}</p> }
                    }))}
                }
            }).collect_view()}
            <div class="actions">
                <button type="submit" class="primary" disabled=move || saving.get()>{ctx.t(RulesText::Save)}</button>
                <button type="button" on:click=move |_| on_done()>{ctx.t(RulesText::Cancel)}</button>
            </div>
        </form>
    }
}
