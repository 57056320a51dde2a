//! Making, listing, revoking and opening shared links. A link's token is 32 random bytes (256
//! bits) as 64 hex digits; the server keeps only its SHA-256, so a copy of the database opens
//! no link, and the token is shown once, when the link is made.

use crate::credentials::{hash_secret, new_uuid, random_hex, RandomError};
use crate::storage::{ShareLinkRow, ShareUnit, Storage, StorageError};

/// Why a token opens no view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Closed {
    #[error("this link is not known: check that it was copied whole, or ask for a new one")]
    Unknown,
    #[error("this link was revoked by whoever shared it; ask them for a new one")]
    Revoked,
    #[error("this link has expired; ask whoever shared it for a new one")]
    Expired,
}

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    // Both become the API's own errors of the same kind (`ApiError::from`).
    #[error(transparent)]
    Random(#[from] RandomError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// A link just made: its row and its token, shown this once.
#[derive(Clone, Debug)]
pub struct NewLink {
    pub row: ShareLinkRow,
    pub token: String,
}

/// The longest label kept; a longer one is cut.
const MAX_LABEL_CHARS: usize = 80;

/// Makes a link to `unit` that works until `now_ms + expires_in_ms`.
pub async fn create(
    storage: &impl Storage,
    unit: ShareUnit,
    label: &str,
    expires_in_ms: i64,
    now_ms: i64,
) -> Result<NewLink, LinkError> {
    let token = random_hex::<32>()?;
    let row = ShareLinkRow {
        id: new_uuid(now_ms)?,
        unit,
        label: label.trim().chars().take(MAX_LABEL_CHARS).collect(),
        created_ms: now_ms,
        expires_ms: now_ms.saturating_add(expires_in_ms),
        revoked_ms: None,
    };
    storage.add_share_link(&row, &hash_secret(&token)).await?;
    Ok(NewLink { row, token })
}

/// Whether a token could be one of ours (64 lowercase hex digits): anything else is answered
/// "unknown" without asking the database.
fn could_be_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
}

/// The link `token` opens at `now_ms`, or why it opens nothing.
pub async fn open(
    storage: &impl Storage,
    token: &str,
    now_ms: i64,
) -> Result<Result<ShareLinkRow, Closed>, StorageError> {
    if !could_be_token(token) {
        return Ok(Err(Closed::Unknown));
    }
    let Some(link) = storage.share_link(&hash_secret(token)).await? else {
        return Ok(Err(Closed::Unknown));
    };
    Ok(if link.revoked_ms.is_some() {
        Err(Closed::Revoked)
    } else if now_ms >= link.expires_ms {
        Err(Closed::Expired)
    } else {
        Ok(link)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_64_lowercase_hex_digits_can_be_a_token() {
        assert!(could_be_token(&"a1".repeat(32)));
        assert!(!could_be_token(&"A1".repeat(32)));
        assert!(!could_be_token(&"a1".repeat(31)));
        assert!(!could_be_token(&format!("{}/..", "a".repeat(60))));
    }
}
