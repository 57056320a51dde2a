//! Sharing the school's figures with a supervisor: a link made on the server for this phone's
//! school, shown once with its QR code (an SVG the server draws, shown here as an image, so no
//! QR code is made in the app), and the school's links with a button to revoke each.

use crate::clock;
use crate::ctx::{use_app, AppCtx};
use crate::i18n::{fill, ShareText};
use crate::pages::sync::error_words;
use crate::sync::share_links;
use crate::sync::{use_sync, SyncCtx, SyncError};
use baoxue_domain::sync::protocol::{SchoolShareLink, ShareLinkMade};
use leptos::prelude::*;

/// The choices of how long a link works.
const DAYS: [u32; 4] = [7, 30, 90, 180];

/// An SVG as an image address: the page's policy allows `data:` images, not inline SVG markup.
fn svg_image(svg: &str) -> String {
    format!("data:image/svg+xml;charset=utf-8,{}", String::from(js_sys::encode_uri_component(svg)))
}

#[component]
fn MadeLink(made: ShareLinkMade) -> impl IntoView {
    let app = use_app();
    view! {
        <div class="card share-made" role="status">
            <p>{app.t(ShareText::Made)}</p>
            <input class="share-url" type="text" readonly value=made.url.clone() aria-label=move || app.tr(ShareText::Title)/>
            <p class="muted">{app.t(ShareText::Scan)}</p>
            <img class="share-qr" src=svg_image(&made.qr_svg) alt=move || app.tr(ShareText::QrAlt) width="240" height="240"/>
        </div>
    }
}

#[component]
fn LinkRow(
    app: AppCtx,
    sync: SyncCtx,
    link: SchoolShareLink,
    list: RwSignal<Option<Result<Vec<SchoolShareLink>, SyncError>>>,
) -> impl IntoView {
    let now = js_sys::Date::now() as i64;
    let state = if link.revoked_ms.is_some() {
        Some(ShareText::Revoked)
    } else if link.expires_ms <= now {
        Some(ShareText::Expired)
    } else {
        None
    };
    let until = clock::date_at(link.expires_ms).to_string();
    let id = link.id;
    let revoke = move |_| {
        leptos::task::spawn_local(async move {
            list.set(Some(share_links::revoke(sync, id).await));
        });
    };
    view! {
        <li>
            <span class="share-label">{link.label.clone()}</span>" "
            <span class="muted">{move || fill(app.tr(ShareText::Until), &[&until])}</span>
            {match state {
                Some(state) => view! { <strong>{app.t(state)}</strong> }.into_any(),
                None => view! { <button on:click=revoke>{app.t(ShareText::Revoke)}</button> }.into_any(),
            }}
        </li>
    }
}

#[component]
pub fn ShareLinks() -> impl IntoView {
    let app = use_app();
    let sync = use_sync();
    let days = RwSignal::new(30u32);
    let label = RwSignal::new(String::new());
    let made = RwSignal::new(None::<ShareLinkMade>);
    let list = RwSignal::new(None::<Result<Vec<SchoolShareLink>, SyncError>>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The credential is read after the store: list the links once it is there.
    Effect::new(move |_| {
        if sync.credential.with(Option::is_some) {
            leptos::task::spawn_local(async move { list.set(Some(share_links::list(sync).await)) });
        }
    });
    let make = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        problem.set(None);
        let (chosen, whom) = (days.get_untracked(), label.get_untracked());
        leptos::task::spawn_local(async move {
            match share_links::make(sync, chosen, whom).await {
                Ok(link) => {
                    made.set(Some(link));
                    list.set(Some(share_links::list(sync).await));
                }
                Err(error) => problem.set(Some(error_words(app, &error))),
            }
            busy.set(false);
        });
    };
    let links = move || match list.get() {
        None => ().into_any(),
        Some(Err(error)) => view! { <p class="error" role="alert">{error_words(app, &error)}</p> }.into_any(),
        Some(Ok(links)) if links.is_empty() => view! { <p class="muted">{app.t(ShareText::None)}</p> }.into_any(),
        Some(Ok(links)) => view! {
            <ul class="share-links">
                {links.into_iter().map(|link| view! { <LinkRow app sync link list/> }).collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <section class="page share">
            <h2>{app.t(ShareText::Title)}</h2>
            <p class="muted">{app.t(ShareText::Intro)}</p>
            {move || sync.credential.with(Option::is_none).then(|| view! {
                <p class="error" role="alert">{app.t(ShareText::NotJoined)}</p>
            })}
            <form class="card" on:submit=make>
                <label>
                    {app.t(ShareText::Label)}
                    <input type="text" maxlength="80" placeholder=move || app.tr(ShareText::LabelHint)
                        prop:value=label on:input=move |event| label.set(event_target_value(&event))/>
                </label>
                <label>
                    {app.t(ShareText::Days)}
                    <select on:change=move |event| {
                        if let Ok(chosen) = event_target_value(&event).parse() {
                            days.set(chosen);
                        }
                    }>
                        {DAYS.map(|choice| view! { <option value=choice.to_string() selected=choice == 30>{choice}</option> }).collect_view()}
                    </select>
                </label>
                <button class="primary" type="submit" disabled=move || busy.get() || sync.credential.with(Option::is_none)>
                    {move || app.tr(if busy.get() { ShareText::Making } else { ShareText::Make })}
                </button>
            </form>
            {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            {move || made.get().map(|made| view! { <MadeLink made/> })}
            <h3>{app.t(ShareText::Existing)}</h3>
            {links}
        </section>
    }
}
