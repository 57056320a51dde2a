//! A small router, in place of leptos_router (60 KB of gzip wasm less for the few things the
//! app uses): the path is a signal read from `location.pathname`, moved by links and
//! `navigate` with `history.pushState`, and by the browser's back and forward (`popstate`).
//! app.rs matches the path to a page.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// The router in context: the path the page shows, `/` and the segments after it.
#[derive(Clone, Copy)]
pub struct Router {
    path: RwSignal<String>,
}

fn location_path() -> String {
    window().location().pathname().unwrap_or_else(|_| "/".to_owned())
}

impl Router {
    /// Makes the router and follows the browser's back and forward buttons.
    pub fn provide() -> Router {
        let router = Router { path: RwSignal::new(location_path()) };
        provide_context(router);
        let _ = window_event_listener(leptos::ev::popstate, move |_| router.path.set(location_path()));
        router
    }

    pub fn path(self) -> RwSignal<String> {
        self.path
    }

    /// Shows `to`: a new entry in the browser's history, or in place of the current one.
    pub fn go(self, to: &str, replace: bool) {
        if self.path.with_untracked(|path| path == to) {
            return;
        }
        if let Ok(history) = window().history() {
            let _ = if replace {
                history.replace_state_with_url(&JsValue::NULL, "", Some(to))
            } else {
                history.push_state_with_url(&JsValue::NULL, "", Some(to))
            };
        }
        self.path.set(to.to_owned());
        if !replace {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

/// What leptos_router's `use_navigate` gave: a function that shows another page.
pub fn use_navigate() -> impl Fn(&str) + Clone + 'static {
    let router = use_router();
    move |to: &str| router.go(to, false)
}

/// A link within the app: followed without reloading the page, unless the click asks for a
/// new tab or window. `aria-current="page"` marks the link to the page shown (or one below it).
#[component]
pub fn Link(#[prop(into)] href: String, children: Children) -> impl IntoView {
    let router = use_router();
    let current = {
        let href = href.clone();
        move || {
            router.path.with(|path| {
                let below =
                    path.strip_prefix(href.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
                (below && href != "/").then_some("page")
            })
        }
    };
    let target = href.clone();
    let on_click = move |event: leptos::ev::MouseEvent| {
        let plain =
            event.button() == 0 && !(event.meta_key() || event.ctrl_key() || event.shift_key() || event.alt_key());
        if plain && !event.default_prevented() {
            event.prevent_default();
            router.go(&target, false);
        }
    };
    view! { <a href=href aria-current=current on:click=on_click>{children()}</a> }
}

/// Goes to `path` in place of the page being shown (as a page that only sends elsewhere).
#[component]
pub fn Redirect(path: &'static str) -> impl IntoView {
    let router = use_router();
    queue_microtask(move || router.go(path, true));
}
