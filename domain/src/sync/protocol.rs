//! What travels between a phone and the server, as JSON. Cursors are server sequence numbers,
//! never timestamps: a phone's clock can be wrong, and two mutations committed in the same
//! millisecond must still both be pulled.

use crate::ids::{DeviceId, MutationId};
use crate::mutation::Mutation;
use crate::sync::batch::Gap;
use crate::sync::conflict::{ContestedSlot, Version};
use crate::sync::references::RecordRef;
use crate::sync::rejection::RejectionReason;
use serde::{Deserialize, Serialize};

/// The most mutations one push may carry. A phone with more sends several batches, each
/// answered only after it is committed.
pub const MAX_BATCH: usize = 500;

/// The most mutations one pull page holds, and what a pull without a limit gets.
pub const MAX_PULL: u32 = 1_000;
pub const DEFAULT_PULL: u32 = 500;

/// One device's mutations, in counter order, starting anywhere at or before the first one the
/// server has not acknowledged: resending acknowledged ones is harmless.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushBatch {
    pub device: DeviceId,
    pub mutations: Vec<Mutation>,
}

/// The server's answer to a push, sent only after its transaction committed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushReceipt {
    /// The device's counter up to which everything is settled: applied, already there, or
    /// refused for a reason listed in `rejected`. The phone removes all of these from its
    /// outbox and resends the rest.
    pub accepted_through: u64,
    /// Mutations applied by this push.
    pub applied: usize,
    /// Mutations the server already had (a resent batch whose answer was lost).
    pub skipped_duplicates: usize,
    /// Mutations refused, each with a reason the app shows to the teacher.
    pub rejected: Vec<Rejection>,
    /// Where the batch stopped because a counter was missing: the mutations from `found` on
    /// were neither applied nor refused, and the phone sends them again after the missing ones.
    pub gap: Option<Gap>,
    /// Where the batch stopped because a change names a record the school does not hold (yet):
    /// that change and the rest were neither applied nor refused, and the phone sends them
    /// again at its next sync, after it sent back what a restored server lacks. Absent from
    /// servers before it, and then `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<Held>,
    /// The server's clock, for the phone to correct its own (milliseconds since 1970).
    pub server_time_ms: u64,
}

/// A change the server holds back, and the record it names that the school lacks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    pub seq: u64,
    pub id: MutationId,
    pub missing: RecordRef,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub seq: u64,
    pub id: MutationId,
    pub reason: RejectionReason,
}

/// `GET /api/pull?after=<cursor>&limit=<n>`: the school's mutations after a cursor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    /// The last server sequence the phone has written; 0 for a new phone.
    #[serde(default)]
    pub after: u64,
    pub limit: Option<u32>,
    /// The server epoch the phone pulled `after` under (`PullPage::epoch`); absent for a new
    /// phone or an app from before epochs. Another epoch than the server's gets
    /// `ResyncRequired`: the cursor counts in a history the server no longer has.
    #[serde(default)]
    pub epoch: Option<String>,
}

impl PullRequest {
    /// The page size the server uses: the asked limit, at least 1 and at most `MAX_PULL`.
    pub fn page_size(&self) -> u32 {
        self.limit.unwrap_or(DEFAULT_PULL).clamp(1, MAX_PULL)
    }
}

/// One page of a school's mutations in server order. The phone writes the mutations and
/// `next` in one transaction, so a crash between pages resumes where it stopped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullPage {
    /// `(server_seq, mutation)`, in rising server sequence.
    pub mutations: Vec<(u64, Mutation)>,
    /// The cursor for the next pull: the last sequence on this page, or `after` if empty.
    pub next: u64,
    /// Whether more mutations follow: pull again at once.
    pub more: bool,
    pub server_time_ms: u64,
    /// The database's epoch: a random id that changes when the operator restores a backup.
    /// The phone keeps it with the cursor and sends it on its next pull.
    #[serde(default)]
    pub epoch: String,
}

/// The answer to a pull: a page, or a request to start over because the cursor is not one
/// this server can continue from (the database was restored from a backup older than the
/// phone, or the phone talked to another server). A resync pulls from 0 and keeps the
/// phone's unsent changes in its outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PullAnswer {
    Page(PullPage),
    ResyncRequired {
        /// The highest sequence the server has for the school; a cursor above it is unknown.
        latest: u64,
        server_time_ms: u64,
        /// The server's epoch now; the resync's pages carry it too.
        #[serde(default)]
        epoch: String,
    },
}

/// A device's chain as the server holds it: its last settled counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DeviceHead {
    pub device: DeviceId,
    pub seq: u64,
}

/// `GET /api/heads`: where the server stands on each device of the phone's school (revoked
/// ones included). After a resync a phone compares it with what it holds and sends back what
/// the server lacks (`relay::lacking`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHeads {
    pub epoch: String,
    pub heads: Vec<DeviceHead>,
}

/// `POST /api/relay`: mutations of *other* devices of the school that the server lacks (after
/// a restore from an older backup), sent by a phone that pulled them before. Each device's run
/// is in counter order and must continue the chain the server holds for that device: the
/// hashes prove the content is what that device made. At most `MAX_BATCH`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayBatch {
    pub mutations: Vec<Mutation>,
}

/// The answer to a relay: how many mutations were taken, and the heads of the devices named
/// in the batch afterwards. A run that does not continue a chain is not taken (nothing is
/// recorded against a device for what another phone sent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayReceipt {
    pub applied: usize,
    pub heads: Vec<DeviceHead>,
}

/// `PullAnswer` as the phone reads it: a plain struct rather than serde's internally tagged
/// enum, whose buffering compiled the whole `Mutation` decoder a second time into the app's
/// wasm (38 KB of gzip on the first visit). `kind` is `page` or `resync_required`; the fields
/// of a `resync_required` answer are a subset, the rest take their defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct PullWire {
    pub kind: String,
    #[serde(default)]
    pub mutations: Vec<(u64, Mutation)>,
    #[serde(default)]
    pub next: u64,
    #[serde(default)]
    pub more: bool,
    pub server_time_ms: u64,
    #[serde(default)]
    pub epoch: String,
}

/// `GET /api/conflicts`: the open conflicts of the device's school, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictList {
    pub conflicts: Vec<OpenConflict>,
}

/// A conflict no one has resolved yet. There is no endpoint to resolve one: a person resolves
/// it by editing the slot again on a phone that was shown it (the edit's `base` covers both
/// versions, `conflict::choice`), and the server marks every open conflict of that
/// slot the edit covers resolved when it arrives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenConflict {
    /// Stable while the conflict is open: `<showing mutation id>_<other mutation id>`.
    pub id: String,
    pub slot: ContestedSlot,
    /// The version last-writer-wins shows (the higher stamp).
    pub showing: Version,
    /// The concurrent version that would otherwise be lost.
    pub other: Version,
}

impl OpenConflict {
    /// The id of the conflict between two versions.
    pub fn id_of(showing: MutationId, other: MutationId) -> String {
        format!("{showing}_{other}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_size_is_kept_in_bounds() {
        let request = |limit| PullRequest { after: 0, limit, epoch: None };
        assert_eq!(request(None).page_size(), DEFAULT_PULL);
        assert_eq!(request(Some(0)).page_size(), 1);
        assert_eq!(request(Some(1_000_000)).page_size(), MAX_PULL);
    }

    #[test]
    fn a_pull_answer_says_which_kind_it_is() {
        let answer = PullAnswer::ResyncRequired { latest: 4, server_time_ms: 9, epoch: "e2".into() };
        let json = serde_json::to_value(&answer).unwrap();
        assert_eq!(json["kind"], "resync_required");
        assert_eq!(serde_json::from_value::<PullAnswer>(json).unwrap(), answer);
    }
}

/// `POST /api/share-links`: a school's phone makes a link that shows the school's figures
/// (totals only) to a supervisor, until it expires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewShareLink {
    /// How long the link works, in days (1 to [`MAX_SHARE_DAYS`]).
    pub expires_days: u32,
    /// Who the link is for ("镇教办"), shown in the list of links.
    #[serde(default)]
    pub label: String,
    /// The address the phone reaches the server at (`location.origin`): the link and its QR
    /// code are made with it, so they work wherever the phone's own page works.
    pub origin: String,
}

/// The longest a link made from a phone works.
pub const MAX_SHARE_DAYS: u32 = 365;

/// The answer to [`NewShareLink`]: the link, shown once (the server keeps only its hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareLinkMade {
    pub id: uuid::Uuid,
    pub url: String,
    pub expires_ms: i64,
    /// The link as a QR code, an SVG image to scan from another phone.
    pub qr_svg: String,
}

/// A link of the phone's school, as `GET /api/share-links` lists it (never its token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolShareLink {
    pub id: uuid::Uuid,
    pub label: String,
    pub created_ms: i64,
    pub expires_ms: i64,
    pub revoked_ms: Option<i64>,
}

/// `GET /api/share-links`: the links to the phone's school, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolShareLinks {
    pub links: Vec<SchoolShareLink>,
}
