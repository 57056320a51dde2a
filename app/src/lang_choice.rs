//! The language the teacher chose, kept on this phone across reloads. It lives in
//! `localStorage`, not IndexedDB: it is read synchronously before the first paint, so a teacher
//! who chose English never sees a Chinese flash, and it is not a record to sync or back up.

use crate::i18n::Lang;

const KEY: &str = "baoxue.lang";

/// The language chosen on this phone before, else the default (zh-CN).
pub fn load() -> Lang {
    let saved = storage().and_then(|storage| storage.get_item(KEY).ok().flatten());
    saved.as_deref().and_then(Lang::of_tag).unwrap_or_default()
}

/// Keeps the choice. A phone that refuses storage (private mode) keeps it for this visit only.
pub fn keep(lang: Lang) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(KEY, lang.tag());
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
