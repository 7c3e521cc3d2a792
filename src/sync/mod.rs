//! Team workspaces: one organisation's workspace shared through a CouchDB database,
//! local-first. Pure, like the core: no clock, no I/O and no web crate; the code that
//! speaks HTTP feeds this module the server's answers and sends what it asks for.
//!
//! - [`docs`]: records as documents — the deterministic mapping between a
//!   [`Workspace`](crate::core::Workspace) and a set of documents with stable ids, and
//!   which documents a command's [`Change`](crate::core::Change) touches.
//! - [`replica`]: the replication state machine of one member's copy — the persistent
//!   outbox of unsent writes with their base revisions, the `_changes` checkpoint,
//!   incoming documents applied to the local workspace, and conflicts kept as items
//!   until someone picks or merges.
//! - [`DESIGN_JS`]: the design document's `validate_doc_update`, which the server runs
//!   on every write (including replicated ones) to enforce who may write what, and
//!   [`security_object`], which keeps out anyone without a role.
//!
//! See docs/TEAM-WORKSPACES.md for the design and what is not yet wired into the app.

pub mod describe;
pub mod docs;
pub mod replica;
pub mod round;

pub use docs::{canonicalize, changed_documents, documents, put_record, record_for, workspace_from, Assembled, DocError, DocKey, Record};
pub use replica::{Conflict, Pulled, Push, PushOutcome, Replica, Resolution, SyncError, Version, Write};
pub use round::{round, Answer, LocalCopy, Report, RoundError, Status, Transport, Unreachable};

/// The `validate_doc_update` function of the design document `_design/latitude`,
/// shipped with the app (see [`design_document`]).
pub const DESIGN_JS: &str = include_str!("design.js");

/// The roles a team workspace's members hold (CouchDB user roles): a `leader` may write
/// every record, a `member` everything but grants, autonomy reviews and the policy, a
/// `reader` nothing.
pub const ROLES: [&str; 3] = ["leader", "member", "reader"];

/// The database's `_security` object: only users with one of [`ROLES`] get in, so a
/// request without a session is refused (401) before any document is read.
pub fn security_object() -> serde_json::Value {
    serde_json::json!({ "admins": { "names": [], "roles": [] }, "members": { "names": [], "roles": ROLES } })
}

/// The id of the design document the app installs.
pub const DESIGN_ID: &str = "_design/latitude";

/// The design document as CouchDB stores it: `{"_id": "_design/latitude",
/// "validate_doc_update": "<function>"}`.
pub fn design_document() -> serde_json::Value {
    serde_json::json!({ "_id": DESIGN_ID, "language": "javascript", "validate_doc_update": DESIGN_JS.trim() })
}
