//! The sync protocol between phones and the server, as pure rules: what travels on the wire
//! (`protocol`), the phone's decisions around its calls (`client`) and its pull loop's marks
//! (`marks`: cursor, epoch, send-back duty), how the server decides about each mutation of a pushed batch (`batch`), the
//! reasons it gives a teacher when it refuses one (`rejection`), what a phone sends back to a
//! server restored from an older backup (`relay`), what it checks before merging a pulled
//! page (`screen`), which records a change names (`references`), and which concurrent edits are
//! kept for a person to resolve (`conflict`). No I/O: the server's storage loads what a rule
//! needs, asks the rule, and writes what it answered, in one transaction.

pub mod batch;
pub mod client;
pub mod conflict;
pub mod marks;
pub mod protocol;
pub mod references;
pub mod rejection;
pub mod relay;
pub mod screen;

pub use batch::{check_batch, ChainHead, Gap, Plan, Step, StoredChain, StoredSlot};
pub use conflict::{Conflict, ConflictWatch, ContestedSlot, ContestedValue, Version};
pub use protocol::{
    ChainHeads, ConflictList, DeviceHead, OpenConflict, PullAnswer, PullPage, PullRequest, PushBatch, PushReceipt,
    Rejection, RelayBatch, RelayReceipt,
};
pub use references::RecordRef;
pub use rejection::RejectionReason;
