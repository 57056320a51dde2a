//! `/notice/<id>`: a 《限期复学通知书》 as the A4 paper it is printed on, filled from the case
//! and the child's record (nothing is typed again), with a print button. The print stylesheet
//! in style.css keeps only the paper.

use crate::ctx::use_app;
use crate::i18n::{fill, CaseText, GenderName, NoticeText, Text};
use crate::router::Link;
use baoxue_domain::ids::RecordId;
use baoxue_domain::notice_paper::{notice_paper, NoticePaper};
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

#[component]
pub fn NoticePage(id: String) -> impl IntoView {
    let ctx = use_app();
    let id = id.parse::<RecordId>().ok();
    let found = Memo::new(move |_| id.and_then(|id| ctx.state.with(|state| notice_paper(state, id))));
    move || match found.get() {
        None => view! {
            <section class="page notice">
                <p class="muted">{ctx.t(CaseText::NoticeNotFound)}</p>
            </section>
        }
        .into_any(),
        Some(paper) => view! { <PaperView paper/> }.into_any(),
    }
}

#[component]
fn PaperView(paper: NoticePaper) -> impl IntoView {
    let ctx = use_app();
    let student = paper.notice.student;
    let text = move || {
        let lang = ctx.lang.get();
        let say = |text: NoticeText, values: &[&dyn std::fmt::Display]| fill(text.in_lang(lang), values);
        let date = |day: NaiveDate| say(NoticeText::Date, &[&day.year(), &day.month(), &day.day()]);
        let deadline = paper.notice.deadline.map(date).unwrap_or_default();
        let gender = GenderName(paper.gender).in_lang(lang);
        // A child without a 学籍号 (added by hand, not yet in the national system): said nothing
        // of it, rather than an empty "学籍号，".
        let number = if paper.number.is_empty() { String::new() } else { say(NoticeText::Number, &[&paper.number]) };
        view! {
            <p class="paper-number">{paper.notice.number.clone()}</p>
            <h2 class="paper-title">{NoticeText::Title.in_lang(lang)}</h2>
            <p class="paper-salutation">{say(NoticeText::Salutation, &[&paper.guardian, &paper.child])}</p>
            <p class="paper-body">
                {say(NoticeText::Facts, &[&paper.child, &gender, &date(paper.born), &number, &paper.school, &paper.class, &paper.address, &date(paper.since), &paper.contacts])}
            </p>
            <p class="paper-body">{NoticeText::Law.in_lang(lang)}</p>
            <p class="paper-body paper-order">{say(NoticeText::Order, &[&deadline, &paper.child, &paper.school])}</p>
            <p class="paper-body">{NoticeText::Closing.in_lang(lang)}</p>
            <p class="paper-signature">{paper.notice.issuer.clone()}<br/>{date(paper.notice.issued_on)}</p>
            <p class="paper-receipt">{NoticeText::Receipt.in_lang(lang)}</p>
            <p class="paper-copies">{NoticeText::Copies.in_lang(lang)}</p>
        }
    };
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <section class="page notice">
            <div class="actions no-print">
                <button type="button" class="primary" on:click=print>{ctx.t(CaseText::NoticePrint)}</button>
                <Link href=format!("/student/{student}") attr:class="button">{ctx.t(CaseText::NoticeBack)}</Link>
            </div>
            <article class="paper">{text}</article>
        </section>
    }
}
