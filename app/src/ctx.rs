//! What every screen reaches through Leptos context: the store, the merged state, this phone's
//! profile and chain, the language. `commit` is the one way a screen writes.

use crate::clock;
use crate::i18n::{Lang, Text};
use crate::store::{Profile, Store, StoreError};
use baoxue_domain::hlc::Hlc;
use baoxue_domain::mutation::{Change, DeviceChain, Mutation};
use baoxue_domain::state::State;
use baoxue_domain::sync::conflict::base_for;
use leptos::prelude::*;
use std::rc::Rc;

#[derive(Clone, Copy)]
pub struct AppCtx {
    pub store: StoredValue<Option<Rc<Store>>, LocalStorage>,
    pub state: RwSignal<State>,
    pub profile: RwSignal<Option<Profile>>,
    pub chain: StoredValue<Option<DeviceChain>>,
    pub lang: RwSignal<Lang>,
    pub unsent: RwSignal<u32>,
    /// False until the store has been read: screens show "loading" rather than "empty".
    pub loaded: RwSignal<bool>,
    pub store_error: RwSignal<Option<StoreError>>,
}

impl AppCtx {
    pub fn new() -> Self {
        AppCtx {
            store: StoredValue::new_local(None),
            state: RwSignal::new(State::default()),
            profile: RwSignal::new(None),
            chain: StoredValue::new(None),
            lang: RwSignal::new(Lang::default()),
            unsent: RwSignal::new(0),
            loaded: RwSignal::new(false),
            store_error: RwSignal::new(None),
        }
    }

    /// The text in the current language; reactive when called inside a view closure.
    pub fn tr(&self, text: impl Text) -> &'static str {
        text.in_lang(self.lang.get())
    }

    /// The text as a signal that follows the language. Views take this rather than a closure
    /// of their own: every `Signal<&str>` shares one rendering code path, where each distinct
    /// closure would compile its own, and that made the wasm grow by kilobytes per screen.
    pub fn t(&self, text: impl Text + Send + Sync + 'static) -> Signal<&'static str> {
        let lang = self.lang;
        Signal::derive(move || text.in_lang(lang.get()))
    }

    /// Opens the store and reads everything into memory.
    pub async fn load(self) {
        let result = async {
            let store = Rc::new(Store::open().await?);
            let loaded = store.load().await?;
            Ok::<_, StoreError>((store, loaded))
        }
        .await;
        match result {
            Ok((store, loaded)) => {
                self.store.set_value(Some(store.clone()));
                self.state.set(loaded.state);
                self.profile.set(loaded.profile);
                self.chain.set_value(loaded.chain);
                self.unsent.set(loaded.unsent);
                if let Some(snapshot) = loaded.new_snapshot {
                    // After the frame with the first screen: handing megabytes to IndexedDB
                    // takes the main thread for a while. A snapshot that fails to save only
                    // makes the next start slower, so the error is not shown.
                    request_animation_frame(move || {
                        set_timeout(
                            move || {
                                leptos::task::spawn_local(async move {
                                    let _ = store.write_snapshot(&snapshot).await;
                                })
                            },
                            std::time::Duration::ZERO,
                        )
                    });
                }
            }
            Err(error) => self.store_error.set(Some(error)),
        }
        self.loaded.set(true);
    }

    /// Waits until the store is loaded (or failed to open): the first-run form can be filled in
    /// while the later code that loads it is still arriving.
    pub async fn until_loaded(self) {
        while !self.loaded.get_untracked() {
            clock::sleep_ms(50).await;
        }
    }

    /// Writes `changes` as this phone's mutations (one transaction) and merges them into the
    /// state on screen. Nothing is shown as saved until IndexedDB has committed it. A change of
    /// a contested slot names what the phone held there (`sync::conflict::base_for`), so the
    /// server can tell an edit made after seeing another phone's from a concurrent one.
    pub async fn commit(self, changes: Vec<Change>) -> Result<(), StoreError> {
        let changes = self.state.with_untracked(|state| {
            changes
                .into_iter()
                .map(|change| {
                    let base = base_for(state, &change);
                    (change, base)
                })
                .collect()
        });
        self.commit_based(changes).await
    }

    /// `commit` with each change's `base` given: a conflict's resolution names both versions.
    pub async fn commit_based(self, changes: Vec<(Change, Option<Vec<Hlc>>)>) -> Result<(), StoreError> {
        let store = self.store.get_value().ok_or(StoreError::NotSetUp)?;
        let profile = self.profile.get_untracked().ok_or(StoreError::NotSetUp)?;
        let mut chain = self.chain.get_value().unwrap_or_else(|| DeviceChain::new(profile.device));
        let mutations = store
            .commit(&mut chain, &profile.teacher, profile.school, changes, clock::now_ms(), clock::random10)
            .await?;
        self.chain.set_value(Some(chain));
        self.absorb(&mutations);
        Ok(())
    }

    /// Merges this phone's newly written mutations into the state on screen.
    fn absorb(self, mutations: &[Mutation]) {
        self.state.update(|state| {
            for mutation in mutations {
                state.apply(mutation);
            }
        });
        self.unsent.update(|unsent| *unsent += mutations.len() as u32);
    }

    /// The first run: saves this phone's profile with the first changes, in one transaction.
    pub async fn set_up(self, profile: Profile, changes: Vec<Change>) -> Result<(), StoreError> {
        let store = self.store.get_value().ok_or(StoreError::NotSetUp)?;
        let (chain, mutations) = store.set_up(&profile, changes, clock::now_ms(), clock::random10).await?;
        self.chain.set_value(Some(chain));
        self.absorb(&mutations);
        self.profile.set(Some(profile));
        Ok(())
    }
}

pub fn use_app() -> AppCtx {
    expect_context::<AppCtx>()
}
