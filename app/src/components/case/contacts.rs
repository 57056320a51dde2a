//! The contact log of a case (家访登记): every visit and call, newest first, and the form that
//! logs one.

use super::form::{names, new_record, read_date, save_changes, FieldProblem, Problems};
use crate::clock;
use crate::ctx::use_app;
use crate::i18n::{fill, CaseField, CaseProblem, CaseText, MethodName};
use baoxue_domain::contact::{Contact, ContactMethod};
use baoxue_domain::ids::{CaseId, StudentId};
use baoxue_domain::mutation::Change;
use leptos::prelude::*;

#[component]
pub fn ContactLog(student: StudentId, case: CaseId, contacts: Memo<Vec<Contact>>) -> impl IntoView {
    let ctx = use_app();
    let adding = RwSignal::new(false);
    let count = move || {
        contacts.with(|contacts| {
            let visits = contacts.iter().filter(|contact| contact.method == ContactMethod::HomeVisit).count();
            fill(ctx.tr(CaseText::ContactCount), &[&contacts.len(), &visits])
        })
    };
    view! {
        <h4>{ctx.t(CaseText::Contacts)}</h4>
        <p class="muted contact-count">{count}</p>
        {move || match adding.get() {
            true => view! { <ContactForm student case on_done=move || adding.set(false)/> }.into_any(),
            false => view! {
                <button type="button" class="primary add-contact" on:click=move |_| adding.set(true)>{ctx.t(CaseText::AddContact)}</button>
            }
            .into_any(),
        }}
        <Show when=move || !contacts.with(Vec::is_empty) fallback=move || view! { <p class="muted">{ctx.t(CaseText::NoContacts)}</p> }>
            <ol class="contacts">
                {move || contacts.get().into_iter().rev().map(|contact| view! { <ContactItem contact/> }).collect_view()}
            </ol>
        </Show>
    }
}

#[component]
fn ContactItem(contact: Contact) -> impl IntoView {
    let ctx = use_app();
    let lines = [
        (CaseText::Met, contact.met),
        (CaseText::Said, contact.said),
        (CaseText::ContactOutcome, contact.outcome),
        (CaseText::NextStep, contact.next_step),
    ];
    view! {
        <li class="contact">
            <span class="contact-head">
                <span class="timeline-date">{contact.date.to_string()}</span>
                <span class="contact-method">{ctx.t(MethodName(contact.method))}</span>
                <span class="muted">{contact.visitors.join("、")}</span>
            </span>
            {lines
                .into_iter()
                .filter(|(_, text)| !text.trim().is_empty())
                .map(|(label, text)| view! { <span class="contact-line"><b>{ctx.t(label)}</b>" "{text}</span> })
                .collect_view()}
            {contact.next_date.map(|date| view! { <span class="contact-line"><b>{ctx.t(CaseText::NextDate)}</b>" "{date.to_string()}</span> })}
        </li>
    }
}

#[component]
fn ContactForm(student: StudentId, case: CaseId, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let teacher = ctx.profile.with_untracked(|profile| profile.as_ref().map(|p| p.teacher.clone()).unwrap_or_default());
    let date = RwSignal::new(today.to_string());
    // No method until the teacher picks one: a default would record a visit that was a call.
    let method = RwSignal::new(None::<ContactMethod>);
    let visitors = RwSignal::new(teacher);
    let met = RwSignal::new(String::new());
    let said = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let next_step = RwSignal::new(String::new());
    let next_date = RwSignal::new(String::new());
    let problems: Problems = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut found = Vec::new();
        let date = read_date(&date.get_untracked(), CaseField::Date, &mut found);
        let next = next_date.get_untracked();
        let next_date = match next.trim() {
            "" => Some(None),
            text => read_date(text, CaseField::NextDate, &mut found).map(Some),
        };
        let Some(method) = method.get_untracked() else {
            found.push((CaseField::Method, CaseProblem::NoMethod));
            problems.set(found);
            return;
        };
        let (Some(date), Some(next_date)) = (date, next_date) else {
            problems.set(found);
            return;
        };
        let contact = Contact {
            id: new_record(),
            student,
            case: Some(case),
            date,
            method,
            visitors: names(&visitors.get_untracked()),
            met: met.get_untracked().trim().to_owned(),
            said: said.get_untracked().trim().to_owned(),
            outcome: outcome.get_untracked().trim().to_owned(),
            next_step: next_step.get_untracked().trim().to_owned(),
            next_date,
        };
        save_changes(ctx, vec![Change::LogContact(contact)], today, problems, saving, on_done);
    };
    let text = move |label: CaseText, name: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span>{ctx.t(label)}</span>
                <input type="text" name=name bind:value=value/>
            </label>
        }
    };
    view! {
        <form class="case-form contact-form" on:submit=save novalidate>
            <label class="field">
                <span>{ctx.t(CaseText::ContactDate)}</span>
                <input type="date" name="date" max=today.to_string() bind:value=date/>
            </label>
            <FieldProblem field=CaseField::Date problems/>
            <label class="field">
                <span>{ctx.t(CaseText::Method)}</span>
                <select
                    name="method"
                    on:change=move |event| {
                        method.set(event_target_value(&event).parse::<usize>().ok().and_then(|index| MethodName::ALL.get(index).copied()))
                    }
                >
                    <option value="" selected=move || method.get().is_none()>{ctx.t(CaseText::ChooseMethod)}</option>
                    {MethodName::ALL
                        .into_iter()
                        .enumerate()
                        .map(|(index, option)| view! {
                            <option value=index.to_string() selected=move || method.get() == Some(option)>{ctx.t(MethodName(option))}</option>
                        })
                        .collect_view()}
                </select>
            </label>
            <FieldProblem field=CaseField::Method problems/>
            {text(CaseText::Visitors, "visitors", visitors)}
            <FieldProblem field=CaseField::Visitors problems/>
            {text(CaseText::Met, "met", met)}
            <label class="field">
                <span>{ctx.t(CaseText::Said)}</span>
                <textarea name="said" rows="3" bind:value=said></textarea>
            </label>
            {text(CaseText::ContactOutcome, "outcome", outcome)}
            {text(CaseText::NextStep, "next_step", next_step)}
            <label class="field">
                <span>{ctx.t(CaseText::NextDate)}</span>
                <input type="date" name="next_date" bind:value=next_date/>
            </label>
            <FieldProblem field=CaseField::NextDate problems/>
            <FieldProblem field=CaseField::Form problems/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || saving.get()>{ctx.t(CaseText::SaveContact)}</button>
                <button type="button" on:click=move |_| on_done()>{ctx.t(CaseText::Cancel)}</button>
            </div>
        </form>
    }
}
