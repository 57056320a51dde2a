//! The child page's 控辍保学 section: what follows a suspected dropout. A suspected child is
//! confirmed (a case opens) or cleared; a child with a case shows its plan, contact log, legal
//! notices, return and follow-ups, each with the form that adds to it.

mod closing;
mod confirm;
mod contacts;
mod form;
mod notice;
mod placement;
mod plan;

use crate::clock;
use crate::ctx::use_app;
use crate::i18n::{fill, CaseText, FileText, ReportText};
use crate::router::Link;
use baoxue_domain::casework::{case_file, case_of, CaseFile};
use baoxue_domain::ids::StudentId;
use baoxue_domain::standing::Standing;
use closing::ClosingBlock;
use confirm::{ClearForm, ConfirmForm};
use contacts::ContactLog;
use leptos::prelude::*;
use notice::NoticeBlock;
use placement::{FollowUps, ReturnBlock};
use plan::CasePlan;

#[component]
pub fn CasePanel(id: StudentId) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let file =
        Memo::new(move |_| ctx.state.with(|state| case_of(state, id).and_then(|case| case_file(state, case.id))));
    let standing = Memo::new(move |_| {
        ctx.state.with(|state| state.student(id).map_or(Standing::InSchool, |child| Standing::of(state, &child, today)))
    });
    let has_case = move || standing.with(|standing| file.with(|file| standing.shows_case(file.as_ref())));
    let choosing = RwSignal::new(None::<bool>);
    let choice = move || {
        let (found, text, relapse) = match standing.get() {
            Standing::Suspected { since, relapse } => (since, CaseText::SuspectedNow, relapse),
            Standing::DroppedOut { since } => (since, CaseText::OnLedgerNoCase, None),
            Standing::InSchool => return ().into_any(),
        };
        let suspected = matches!(standing.get(), Standing::Suspected { .. });
        let reopen = relapse.as_ref().and_then(|relapse| relapse.case);
        let relapse_line = relapse.map(|relapse| {
            let returned_on = relapse.returned_on;
            view! { <p class="case-alert relapse">{move || fill(ctx.tr(CaseText::Relapse), &[&returned_on])}</p> }
        });
        match choosing.get() {
            Some(true) => view! { <ConfirmForm student=id found reopen on_done=move || choosing.set(None)/> }.into_any(),
            Some(false) => view! { <ClearForm student=id on_done=move || choosing.set(None)/> }.into_any(),
            None => view! {
                <p class="case-alert" role="status">{ctx.t(text)}</p>
                {relapse_line}
                <div class="actions">
                    <button type="button" class="primary confirm-dropout" on:click=move |_| choosing.set(Some(true))>
                        {ctx.t(if reopen.is_some() { CaseText::ReopenCase } else { CaseText::Confirm })}
                    </button>
                    {suspected.then(|| view! {
                        <button type="button" class="clear-suspected" on:click=move |_| choosing.set(Some(false))>{ctx.t(CaseText::ClearOpen)}</button>
                    })}
                </div>
            }
            .into_any(),
        }
    };
    view! {
        <Show when=move || has_case() || standing.get() != Standing::InSchool>
            <section class="case-panel">
                <h3>{ctx.t(CaseText::Section)}</h3>
                {move || if has_case() { view! { <CaseView id file/> }.into_any() } else { choice().into_any() }}
            </section>
        </Show>
    }
}

/// A case: its plan, contacts, notices, return and follow-ups.
#[component]
fn CaseView(id: StudentId, file: Memo<Option<CaseFile>>) -> impl IntoView {
    let ctx = use_app();
    // The case's id does not change while the page shows it; the parts redraw on their own.
    let case_id = file.with_untracked(|file| file.as_ref().map(|file| file.case.id));
    let Some(case_id) = case_id else { return ().into_any() };
    let case = Memo::new(move |_| file.with(|file| file.as_ref().map(|file| file.case.clone())));
    let contacts =
        Memo::new(move |_| file.with(|file| file.as_ref().map(|file| file.contacts.clone()).unwrap_or_default()));
    let notices =
        Memo::new(move |_| file.with(|file| file.as_ref().map(|file| file.notices.clone()).unwrap_or_default()));
    let placements =
        Memo::new(move |_| file.with(|file| file.as_ref().map(|file| file.placements.clone()).unwrap_or_default()));
    let follow_ups =
        Memo::new(move |_| file.with(|file| file.as_ref().map(|file| file.follow_ups.clone()).unwrap_or_default()));
    let returned = Signal::derive(move || !placements.with(Vec::is_empty));
    view! {
        <h4>{ctx.t(CaseText::CaseTitle)}</h4>
        <Link href=format!("/student/{id}/file") attr:class="button file-link">{ctx.t(FileText::Open)}</Link>
        <Link href=format!("/student/{id}/report") attr:class="button report-link">{ctx.t(ReportText::DropoutReportTitle)}</Link>
        <CasePlan case/>
        <ContactLog student=id case=case_id contacts/>
        <NoticeBlock student=id case notices/>
        <ReturnBlock case placements/>
        <ClosingBlock case/>
        <Show when=move || returned.get()>
            <FollowUps student=id case follow_ups/>
        </Show>
    }
    .into_any()
}
