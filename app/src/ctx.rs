//! What every screen reaches through Leptos context: the store, the merged state, this phone's
//! profile, the language. `write` is the one way a screen writes.

use crate::clock;
use crate::i18n::{Lang, Text};
use crate::store::{BackupSummary, Profile, Store, StoreError};
use crate::tabs;
use crate::write_lock;
use baoxue_domain::hlc::Hlc;
use baoxue_domain::ids::MutationId;
use baoxue_domain::mutation::{Change, Mutation};
use baoxue_domain::state::State;
use baoxue_domain::sync::conflict::base_for;
use baoxue_domain::sync::references::creation_order;
use baoxue_domain::validate::{validate_batch, ValidationError};
use leptos::prelude::*;
use std::rc::Rc;

#[derive(Clone, Copy)]
pub struct AppCtx {
    pub store: StoredValue<Option<Rc<Store>>, LocalStorage>,
    pub state: RwSignal<State>,
    pub profile: RwSignal<Option<Profile>>,
    pub lang: RwSignal<Lang>,
    pub unsent: RwSignal<u32>,
    /// The stamp (wall time) of the oldest change not yet on the server; None when all are.
    pub oldest_unsent_ms: RwSignal<Option<u64>>,
    /// When the last backup file was made on this phone; None if never.
    pub last_backup_ms: RwSignal<Option<u64>>,
    /// False until the store has been read: screens show "loading" rather than "empty".
    pub loaded: RwSignal<bool>,
    pub store_error: RwSignal<Option<StoreError>>,
}

impl Default for AppCtx {
    fn default() -> Self {
        Self::new()
    }
}

impl AppCtx {
    pub fn new() -> Self {
        AppCtx {
            store: StoredValue::new_local(None),
            state: RwSignal::new(State::default()),
            profile: RwSignal::new(None),
            lang: RwSignal::new(crate::lang_choice::load()),
            unsent: RwSignal::new(0),
            oldest_unsent_ms: RwSignal::new(None),
            last_backup_ms: RwSignal::new(None),
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
                self.unsent.set(loaded.unsent);
                self.oldest_unsent_ms.set(loaded.oldest_unsent_ms);
                self.last_backup_ms.set(loaded.last_backup_ms);
                self.hear_other_tabs(store.clone());
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
            Err(error) => {
                leptos::logging::warn!("保学 store: {error}");
                self.store_error.set(Some(error));
            }
        }
        self.loaded.set(true);
    }

    /// Merges what another tab of this phone wrote or pulled (`tabs`), and re-reads the count
    /// of unsent changes, which that tab's writes and syncs move.
    fn hear_other_tabs(self, store: Rc<Store>) {
        tabs::listen(move |mutations| {
            self.state.update(|state| {
                for mutation in &mutations {
                    state.apply(mutation);
                }
            });
            let store = store.clone();
            leptos::task::spawn_local(async move {
                if let Ok(unsent) = store.unsent().await {
                    self.unsent.set(unsent);
                }
            });
        });
    }

    /// Merges mutations pulled from the server into the state on screen, and tells the other
    /// tabs.
    pub fn absorb_pulled(self, mutations: Vec<Mutation>) {
        self.state.update(|state| {
            for mutation in &mutations {
                state.apply(mutation);
            }
        });
        tabs::tell(&mutations);
    }

    /// Waits until the store is loaded (or failed to open): the first-run form can be filled in
    /// while the later code that loads it is still arriving.
    pub async fn until_loaded(self) {
        while !self.loaded.get_untracked() {
            clock::sleep_ms(50).await;
        }
    }

    /// The one way anything is written: `changes` are checked by the domain against the state
    /// as it will be (`validate_batch`), given each its `base` (`sync::conflict::base_for`: what
    /// the phone held of the slot, so the server tells an informed edit from a concurrent one),
    /// and written as this phone's next mutations in one IndexedDB transaction that also reads
    /// and advances the device chain. Writes take turns (`write_lock`), across tabs too, so each
    /// is checked against what the one before it left. Nothing shows as saved until IndexedDB
    /// has committed it; on any error nothing is written.
    pub async fn write(self, changes: Vec<Change>) -> Result<(), WriteError> {
        self.write_as(changes.into_iter().map(|change| (change, None)).collect(), None).await
    }

    /// `write` with the phone's profile saved in the same transaction (the first run, a class
    /// chosen in settings). A change given with `Some(base)` keeps it: a conflict's resolution
    /// names both versions it replaces.
    pub async fn write_as(
        self,
        changes: Vec<(Change, Option<Vec<Hlc>>)>,
        profile: Option<Profile>,
    ) -> Result<(), WriteError> {
        let store = self.store.get_value().ok_or(StoreError::NotSetUp)?;
        let _turn = write_lock::turn().await;
        let today = clock::today();
        let changes = self.state.with_untracked(|state| {
            let plain: Vec<Change> = changes.iter().map(|(change, _)| change.clone()).collect();
            validate_batch(state, &plain, today).map_err(WriteError::Invalid)?;
            let mut changes: Vec<(Change, Option<Vec<Hlc>>)> = changes
                .into_iter()
                .map(|(change, base)| {
                    let base = base.or_else(|| base_for(state, &change));
                    (change, base)
                })
                .collect();
            // The server takes the chain in order: a class before its students.
            creation_order(&mut changes, |(change, _)| change);
            Ok::<_, WriteError>(changes)
        })?;
        let written = store.commit(changes, profile.as_ref(), clock::now_ms(), clock::random10).await?;
        self.absorb(&written.mutations);
        tabs::tell(&written.mutations);
        if let Some(profile) = profile {
            self.profile.set(Some(profile));
        }
        Ok(())
    }

    /// Re-issues what can no longer reach the server as it is (`Store::reissue`): the outbox of
    /// the device this phone had before (`profile` names the new one), and the refused changes
    /// named. Not checked again: they were checked when first made, and the teacher's work
    /// must not be lost for a rule that changed since.
    pub async fn reissue(self, profile: Option<Profile>, refused: &[MutationId]) -> Result<usize, StoreError> {
        let store = self.store.get_value().ok_or(StoreError::NotSetUp)?;
        let _turn = write_lock::turn().await;
        let written = store.reissue(profile.as_ref(), refused, clock::now_ms(), clock::random10).await?;
        self.absorb(&written.mutations);
        tabs::tell(&written.mutations);
        self.unsent.set(store.unsent().await?);
        // The originals left the outbox, their re-issues entered it: read which is oldest now.
        // The re-issue is written whatever this read does; if it fails, the older time stays.
        if let Ok(oldest) = store.oldest_unsent_ms().await {
            self.oldest_unsent_ms.set(oldest);
        }
        if let Some(profile) = profile {
            self.profile.set(Some(profile));
        }
        Ok(written.mutations.len())
    }

    /// After a push: `left` changes are still unsent (`Store::settle`). When none are, nothing
    /// waits any more; when some are, the oldest of them is read again, since the sent ones
    /// may have been older.
    pub fn settled(self, left: u32) {
        self.unsent.set(left);
        if left == 0 {
            self.oldest_unsent_ms.set(None);
            return;
        }
        let Some(store) = self.store.get_value() else {
            return;
        };
        leptos::task::spawn_local(async move {
            // Only the reminder reads this: a failed read keeps the older time, which at worst
            // reminds the teacher early.
            if let Ok(oldest) = store.oldest_unsent_ms().await {
                self.oldest_unsent_ms.set(oldest);
            }
        });
    }

    /// Merges this phone's newly written mutations into the state on screen.
    fn absorb(self, mutations: &[Mutation]) {
        self.state.update(|state| {
            for mutation in mutations {
                state.apply(mutation);
            }
        });
        self.unsent.update(|unsent| *unsent += mutations.len() as u32);
        // The first of these is the oldest unsent change only when nothing else waits.
        // Set only when nothing waited: a tap among unsent changes notifies no one.
        if let Some(first) = mutations.first().filter(|_| self.oldest_unsent_ms.with_untracked(Option::is_none)) {
            self.oldest_unsent_ms.set(Some(first.stamp.wall_ms));
        }
    }

    /// A backup file of everything on the phone, as text; the time is recorded as the last
    /// backup. It is taken before the store is read, so a change stamped before it is in the
    /// file (the reminder to back up relies on that).
    pub async fn export_backup(self) -> Result<String, StoreError> {
        let store = self.store.get_value().ok_or(StoreError::NotSetUp)?;
        let at_ms = clock::now_ms();
        let text = store.export().await?;
        // The file matters more than the record of it: a phone too full to write a few bytes
        // still hands out its backup, and this session still knows when it was made.
        if let Err(error) = store.record_backup(at_ms).await {
            leptos::logging::warn!("保学 backup: the time of the backup was not recorded: {error}");
        }
        self.last_backup_ms.set(Some(at_ms));
        Ok(text)
    }

    /// Adds a backup file's records, then reads everything again (the file wrote behind the
    /// state on screen).
    pub async fn restore_backup(self, text: &str) -> Result<BackupSummary, StoreError> {
        let store = self.store.get_value().ok_or(StoreError::NotSetUp)?;
        let summary = {
            let _turn = write_lock::turn().await;
            store.import(text).await?
        };
        let loaded = store.load().await?;
        self.state.set(loaded.state);
        self.profile.set(loaded.profile);
        self.unsent.set(loaded.unsent);
        self.oldest_unsent_ms.set(loaded.oldest_unsent_ms);
        self.last_backup_ms.set(loaded.last_backup_ms);
        Ok(summary)
    }
}

/// Why a write did not happen. Nothing of it was written either way.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum WriteError {
    /// The domain's checks refused it: each problem with the index of its change, for the
    /// form to show beside the field.
    #[error("{} problem(s) found: {:?}", .0.len(), .0)]
    Invalid(Vec<(usize, ValidationError)>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl WriteError {
    /// The first problem the checks found, if that is why.
    pub fn first_problem(&self) -> Option<&ValidationError> {
        match self {
            WriteError::Invalid(problems) => problems.first().map(|(_, problem)| problem),
            WriteError::Store(_) => None,
        }
    }
}

pub fn use_app() -> AppCtx {
    expect_context::<AppCtx>()
}
