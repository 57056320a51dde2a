//! Changing this phone's profile after the first run (the head teacher's name).

use super::{Profile, Store, StoreError};

impl Store {
    /// Replaces the stored profile; no mutation is written, the profile never leaves the phone.
    /// Through the write path's transaction, so it cannot interleave with a write.
    pub async fn save_profile(&self, profile: &Profile) -> Result<(), StoreError> {
        self.commit(Vec::new(), Some(profile), 0, || [0; 10]).await.map(drop)
    }
}
