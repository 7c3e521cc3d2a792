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

/// The role that lets a member of database `db` name `unit` as a check-in's "recorded
/// by": `unit:<id>@<db>` (CouchDB roles are the server's, so the database is part of the
/// name). A server admin gives it with `latitude-cli couch member --unit`; the design
/// document refuses a check-in that names a unit its writer holds no role for.
pub fn unit_role(db: &str, unit: crate::core::UnitId) -> String {
    format!("unit:{}@{db}", unit.0)
}

/// The units that `roles` let their member name as "recorded by" in `db`, in the roles'
/// order.
pub fn led_units(db: &str, roles: &[String]) -> Vec<crate::core::UnitId> {
    roles.iter().filter_map(|r| r.strip_prefix("unit:")?.strip_suffix(db)?.strip_suffix('@')?.parse().ok()).map(crate::core::UnitId).collect()
}

/// Whether `roles` let their member record check-ins as recorded by any unit: a leader
/// (who records the team's history, an uploaded workspace's included) or a server admin.
pub fn records_for_any_unit(roles: &[String]) -> bool {
    roles.iter().any(|r| r == "leader" || r == "_admin")
}

/// The units a member with `roles` may name as "recorded by" in `db`, among the
/// workspace's units `existing` (in that order): every one for a leader, else those their
/// roles name.
pub fn recordable_units(db: &str, roles: &[String], existing: impl IntoIterator<Item = crate::core::UnitId>) -> Vec<crate::core::UnitId> {
    let led = led_units(db, roles);
    let any = records_for_any_unit(roles);
    existing.into_iter().filter(|u| any || led.contains(u)).collect()
}

/// The unit the check-ins a member records name as "recorded by": the one they `chosen`
/// if they may name it, else the only one they may name (none if they may name several
/// and chose none, or none at all).
pub fn recording_unit(db: &str, roles: &[String], chosen: Option<crate::core::UnitId>, existing: impl IntoIterator<Item = crate::core::UnitId>) -> Option<crate::core::UnitId> {
    let may = recordable_units(db, roles, existing);
    match chosen {
        Some(u) if may.contains(&u) => Some(u),
        _ if may.len() == 1 && !records_for_any_unit(roles) => Some(may[0]),
        _ => None,
    }
}

/// The command that records document `id`'s check-in again as the unit its member
/// records as now, if it is a check-in naming a unit their `roles` no longer let them
/// name (a server admin changed the member's unit): what "Send again" sends in place of
/// the refused write. `None` for anything else.
pub fn restamped(ws: &crate::core::Workspace, db: &str, roles: &[String], chosen: Option<crate::core::UnitId>, id: &str) -> Option<crate::core::Command> {
    let DocKey::CheckIn(k) = id.parse().ok()? else { return None };
    let units = || ws.units.iter().map(|u| u.id);
    let may = recordable_units(db, roles, units());
    let mut checkin = ws.commitment(k.commitment)?.checkins().on(k.date)?.clone();
    if checkin.recorded_by.is_none_or(|u| may.contains(&u)) {
        return None;
    }
    checkin.recorded_by = recording_unit(db, roles, chosen, units());
    Some(crate::core::Command::RecordCheckIn { commitment: k.commitment, checkin })
}

/// Why a member with `roles` may not make `change` from `before` to `after`, if so: the
/// design document would refuse it, so the app refuses it first and nothing is shown that
/// the team will not have. A reader changes nothing; a member changes no grant, autonomy
/// review or scoring policy. Roles not known (an older link) refuse nothing: the server
/// decides.
pub fn refusal(roles: &[String], before: &crate::core::Workspace, after: &crate::core::Workspace, change: &crate::core::Change) -> Option<String> {
    if roles.is_empty() || records_for_any_unit(roles) {
        return None;
    }
    if !roles.iter().any(|r| r == "member") {
        return Some("your login may read this team workspace but not change it: a server admin gives you the member role with `latitude-cli couch member`".into());
    }
    let leaders_only = changed_documents(before, after, change)
        .into_iter()
        .filter(|(key, _)| matches!(key, DocKey::Policy | DocKey::Grants(_) | DocKey::Reviews(_)))
        .any(|(key, now)| now != record_for(before, &key));
    leaders_only.then(|| "only a leader may record grants, autonomy reviews and the scoring policy of a team workspace".into())
}

/// A team server's address as a member types it, checked and normalised: without a
/// trailing slash; `https://` added to a bare host name, with its port if any (`http://`
/// for this machine's own, `localhost`, `127.*` or `[::1]`, where a test or a tunnel
/// listens); a path on the app's own origin (`/couch`) kept as it is. Anything else that
/// cannot be an address (a space, another scheme, a port that is not a number) is
/// refused with a message that says what one looks like.
pub fn server_address(text: &str) -> Result<String, String> {
    let t = text.trim().trim_end_matches('/');
    if t.is_empty() {
        return Err("Give the address of the team's CouchDB server, e.g. https://couch.example.org.".into());
    }
    let refused = || format!("“{t}” is not a server address: it starts with https:// (or is a path on this site, such as /couch).");
    if t.contains(char::is_whitespace) || t.starts_with("//") {
        return Err(refused());
    }
    if t.starts_with('/') {
        return Ok(t.to_owned());
    }
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return if t.split_once("://").is_some_and(|(_, host)| !host.is_empty()) { Ok(t.to_owned()) } else { Err(refused()) };
    }
    if t.contains("://") || !t.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '[') {
        return Err(refused());
    }
    let host = lower.split(['/', ':']).next().unwrap_or_default();
    let port = lower.strip_prefix(host).and_then(|r| r.strip_prefix(':')).map(|r| r.split('/').next().unwrap_or_default());
    if port.is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) && !lower.starts_with('[') {
        return Err(refused());
    }
    let own = host == "localhost" || host.starts_with("127.") || lower.starts_with("[::1]");
    Ok(format!("{}://{t}", if own { "http" } else { "https" }))
}

/// The database's `_security` object: only users with one of [`ROLES`] get in, so a
/// request without a session is refused (401) before any document is read.
pub fn security_object() -> serde_json::Value {
    serde_json::json!({ "admins": { "names": [], "roles": [] }, "members": { "names": [], "roles": ROLES } })
}

/// The id of the design document the app installs.
pub const DESIGN_ID: &str = "_design/latitude";

/// The design document of database `db` as CouchDB stores it: `{"_id":
/// "_design/latitude", "validate_doc_update": "<function>", "database": "<db>"}`. The
/// function reads the database's name from CouchDB's `userCtx.db`, and from `database`
/// where a server does not give it (pouchdb-server, for documents written one by one).
pub fn design_document(db: &str) -> serde_json::Value {
    serde_json::json!({ "_id": DESIGN_ID, "language": "javascript", "validate_doc_update": DESIGN_JS.trim(), "database": db })
}
