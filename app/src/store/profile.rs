//! Changing this phone's profile after the first run (the head teacher's name).

use super::{write_error, Profile, Store, StoreError};

impl Store {
    /// Replaces the stored profile; no mutation is written, the profile never leaves the phone.
    pub async fn save_profile(&self, profile: &Profile) -> Result<(), StoreError> {
        let json = serde_json::to_string(profile).map_err(write_error)?;
        self.write_mutations(&[], &[("profile", json)]).await
    }
}
