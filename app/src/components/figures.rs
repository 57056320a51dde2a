//! How a figure is shown wherever it is shown (the ledgers page, the school dashboard): a rate
//! as its numerator and denominator with the children behind it one tap away, and home visits
//! against the quota. One way to draw them, so two screens never say one figure differently.

use crate::ctx::use_app;
use crate::i18n::{fill, CaseText, Lang, Text};

/// A text in the phone's language, as a label a figure's line takes.
pub fn label(text: impl Text + Send + Sync + 'static) -> Signal<String> {
    let ctx = use_app();
    Signal::derive(move || ctx.tr(text).to_owned())
}
use crate::router::Link;
use baoxue_domain::figures::{Ratio, VisitRow, Visited};
use baoxue_domain::ids::StudentId;
use baoxue_domain::state::State;
use leptos::prelude::*;

/// "3/122（2.46%）", or "无" for a rate with nothing counted.
pub fn rate_text(lang_text: impl Fn(CaseText) -> &'static str, ratio: Ratio) -> String {
    let share =
        ratio.value().map_or_else(|| lang_text(CaseText::NoRate).to_owned(), |value| format!("{:.2}%", value * 100.0));
    fill(lang_text(CaseText::RateOf), &[&ratio.numerator, &ratio.denominator, &share])
}

/// A rate, tapped open to list the children in its numerator (each a link to the child); `key`
/// names it for tests (`data-rate`).
#[component]
pub fn RateLine(
    key: &'static str,
    #[prop(into)] label: Signal<String>,
    ratio: Ratio,
    children: Vec<(StudentId, String)>,
    /// Said beside the figure when it is flagged (over the dropout limit).
    #[prop(optional)]
    flag: Option<Signal<String>>,
) -> impl IntoView {
    let ctx = use_app();
    let text = move || rate_text(|text| ctx.tr(text), ratio);
    view! {
        <details class="rate" data-rate=key>
            <summary>
                <span class="rate-label">{label}</span>" "
                <span class="rate-value">{text}</span>
                {flag.map(|flag| view! { <span class="rate-flag">{flag}</span> })}
            </summary>
            <p class="muted">{ctx.t(CaseText::WhoCounted)}</p>
            <ul class="rate-children">
                {children.into_iter().map(|(id, name)| view! { <li><Link href=format!("/student/{id}")>{name}</Link></li> }).collect_view()}
            </ul>
        </details>
    }
}

/// Whose visits a quota line counts: a head teacher's, or a relapsing child's (by name).
#[derive(Clone, PartialEq)]
pub enum Who {
    HeadTeacher(String),
    RelapsingChild(String),
}

/// The quota rows as lines: who, visits done, the quota.
pub fn visit_lines(state: &State, rows: &[VisitRow]) -> Vec<(Who, u64, u64)> {
    rows.iter()
        .map(|row| {
            let who = match &row.visited {
                Visited::HeadTeacher(name) => Who::HeadTeacher(name.clone()),
                Visited::RelapsingChild(child) => {
                    Who::RelapsingChild(state.student(*child).map(|child| child.name).unwrap_or_default())
                }
            };
            (who, row.done, row.quota)
        })
        .collect()
}

/// One quota line as words: "王老师：3/15".
pub fn visit_text(lang: Lang, who: &Who, done: u64, quota: u64) -> String {
    let who = match who {
        Who::HeadTeacher(name) => name.clone(),
        Who::RelapsingChild(name) => fill(CaseText::RelapsingChild.in_lang(lang), &[name]),
    };
    fill(CaseText::VisitsOf.in_lang(lang), &[&who, &done, &quota])
}

/// Home visits of the term against the quota: each head teacher's, each relapsing child's.
#[component]
pub fn VisitLines(visits: Vec<(Who, u64, u64)>) -> impl IntoView {
    let ctx = use_app();
    (!visits.is_empty()).then(|| {
        view! {
            <p class="visits-title">{ctx.t(CaseText::VisitsTitle)}</p>
            <ul class="visit-rows">
                {visits.into_iter().map(|(who, done, quota)| {
                    let met = done >= quota;
                    let text = move || visit_text(ctx.lang.get(), &who, done, quota);
                    view! { <li class=if met { "visit-row met" } else { "visit-row short" }>{text}</li> }
                }).collect_view()}
            </ul>
        }
    })
}
