//! One synchronisation round of a member's copy with the team database: push the outbox
//! with `_bulk_docs`, then pull `_changes` from the checkpoint, then fetch the losing
//! revisions of new conflicts with `open_revs`. Requests go one at a time, each through a
//! [`Transport`] (the browser's `fetch` in the app, a simulated or real server in tests),
//! and every answer is handed to the [`Replica`] state machine between requests, so an
//! edit made while a request is on its way is recorded as usual and sent next time.
//!
//! Whatever goes wrong — the server is unreachable, the session has ended, the database
//! is gone, a 500, a body that is not what CouchDB sends — ends the round with a
//! [`RoundError`] that says so in words; the local copy and the outbox are kept as they
//! were, and the next round starts again from the checkpoint. [`Status`] is what the app
//! shows: synced, N waiting, offline, conflicts, refused writes or an error.

use std::future::Future;

use serde_json::Value;

use super::replica::{percent_encode, Replica};
use crate::core::Workspace;

/// Writes per `_bulk_docs` request.
pub const PUSH_BATCH: usize = 200;
/// Changes per `_changes` request.
pub const PULL_BATCH: usize = 2_000;
/// Documents per page of a member's first pull (`_all_docs`): a server answers each
/// request with a fixed cost besides the documents (pouchdb-server read the large org's
/// 177,454 documents in 31 s in pages of 2,000, 15 s in pages of 10,000, 9 s at once),
/// and a first join shows "Fetching…" while it runs, so longer pages are worth the
/// longer work on each.
pub const FIRST_PULL_BATCH: usize = 10_000;

/// A server's answer: its status and its body (`Value::Null` if the body was not JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

/// The request did not get an answer: no network, the server is down, the deadline
/// passed, or the browser refused it (CORS, a Content-Security-Policy).
#[derive(Debug, Clone, PartialEq)]
pub struct Unreachable(pub String);

/// What speaks HTTP for a round: `path` is absolute on the server (`/db/_changes?…`).
pub trait Transport {
    fn send(&self, method: &'static str, path: &str, body: Option<&Value>) -> impl Future<Output = Result<Answer, Unreachable>>;
}

/// The member's copy as the round sees it: the replica and the workspace, reached only
/// between requests (so the app's edits interleave safely).
pub trait LocalCopy {
    /// Changes the replica alone.
    fn replica<R>(&self, f: impl FnOnce(&mut Replica) -> R) -> R;
    /// Changes the replica and the workspace (a pull applies other members' edits).
    fn both<R>(&self, f: impl FnOnce(&mut Replica, &mut Workspace) -> R) -> R;
}

/// A copy held in a cell: the replica and the workspace side by side (native callers
/// and tests; the app's copy lives in its signals).
impl LocalCopy for std::cell::RefCell<(Replica, Workspace)> {
    fn replica<R>(&self, f: impl FnOnce(&mut Replica) -> R) -> R {
        f(&mut self.borrow_mut().0)
    }
    fn both<R>(&self, f: impl FnOnce(&mut Replica, &mut Workspace) -> R) -> R {
        let mut copy = self.borrow_mut();
        let (r, ws) = &mut *copy;
        f(r, ws)
    }
}

/// Why a round stopped. The local copy and the outbox are kept in every case.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RoundError {
    #[error("cannot reach the team database: {0}")]
    Offline(String),
    #[error("your session with the team database has ended: log in again")]
    LoggedOut,
    #[error("the team database refused access: {0}")]
    Forbidden(String),
    #[error("the team database “{0}” is not on the server: it may have been deleted")]
    Missing(String),
    #[error("the team database failed ({status}): {reason}")]
    Server { status: u16, reason: String },
    #[error("the team database's answer could not be read: {0}")]
    Garbage(String),
}

/// What a round did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Documents written to the server.
    pub pushed: usize,
    /// Documents pulled that changed the local copy.
    pub applied: usize,
    /// Documents that became (or still are) conflicts.
    pub conflicts: usize,
    /// Writes the server refused to this member, with its reason.
    pub refused: Vec<(String, String)>,
    /// Writes that failed otherwise (sent again next round).
    pub failed: Vec<(String, String)>,
    /// Records created here that moved to a fresh id, another member's having taken
    /// theirs (old document id, new one).
    pub moved: Vec<(String, String)>,
}

/// One round: push everything waiting, pull everything new, fetch conflicting versions.
pub async fn round<T: Transport, C: LocalCopy>(transport: &T, db: &str, copy: &C) -> Result<Report, RoundError> {
    let base = format!("/{}", percent_encode(db));
    let mut report = Report::default();
    // A second pass when an edit refused with a 409 is to be written beside the version
    // the pull just brought, so that every member is shown the conflict.
    for pass in 0..2 {
        // Also when the pull moved a record created here to a fresh id: its writes go now.
        if pass == 1 && !copy.replica(|r| r.siblings_waiting()) && report.moved.is_empty() {
            break;
        }
        loop {
            let push = copy.replica(|r| r.push(PUSH_BATCH));
            if push.is_empty() {
                break;
            }
            let answer = expect(transport.send("POST", &format!("{base}/_bulk_docs"), Some(&push.body)).await, db, &[201, 200])?;
            let out = copy.replica(|r| r.on_pushed(&push, &answer)).map_err(|e| RoundError::Garbage(e.to_string()))?;
            if out.logged_out {
                return Err(RoundError::LoggedOut);
            }
            report.pushed += out.written.len() + out.pruned.len() + out.siblings.len();
            report.conflicts += out.conflicts.len();
            report.refused.extend(out.refused);
            let progress = !out.written.is_empty() || !out.pruned.is_empty() || !out.conflicts.is_empty() || !out.siblings.is_empty();
            let failed = !out.failed.is_empty();
            report.failed.extend(out.failed);
            // Refused writes are left out of the next push; failed ones would be sent again
            // at once: stop and try them next round.
            if !progress || failed {
                break;
            }
        }
        // A member's first pull reads the database's documents as they are now, then
        // goes on with `_changes` from the `update_seq` read before the first page.
        if pass == 0 && copy.replica(|r| r.first_pull()) {
            let info = expect(transport.send("GET", &base, None).await, db, &[200])?;
            let seq = info.get("update_seq").filter(|v| !v.is_null()).cloned().ok_or_else(|| RoundError::Garbage("the database's information has no update_seq".into()))?;
            pull(transport, &base, db, copy, Feed::AllDocs, &mut report).await?;
            copy.replica(|r| r.pulled_up_to(seq));
        }
        pull(transport, &base, db, copy, Feed::Changes, &mut report).await?;
    }
    Ok(report)
}

/// What a pull reads, page by page.
#[derive(Clone, Copy)]
enum Feed {
    /// `_changes` from the checkpoint.
    Changes,
    /// `_all_docs`: a member's first pull.
    AllDocs,
}

impl Feed {
    /// Documents per page.
    fn batch(self) -> usize {
        match self {
            Feed::Changes => PULL_BATCH,
            Feed::AllDocs => FIRST_PULL_BATCH,
        }
    }

    fn rows(self, answer: &Value) -> usize {
        let key = match self {
            Feed::Changes => "results",
            Feed::AllDocs => "rows",
        };
        answer.get(key).and_then(Value::as_array).map_or(0, Vec::len)
    }

    /// The first page's request.
    fn first<C: LocalCopy>(self, copy: &C) -> String {
        match self {
            Feed::Changes => copy.replica(|r| r.changes_path(PULL_BATCH)),
            Feed::AllDocs => Replica::all_docs_path(None, FIRST_PULL_BATCH),
        }
    }

    /// The request of the page after `answer`, read from it alone (before it is applied).
    fn after(self, answer: &Value) -> Option<String> {
        match self {
            Feed::Changes => answer.get("last_seq").map(|seq| Replica::changes_path_since(seq, PULL_BATCH)),
            Feed::AllDocs => {
                let last = answer.get("rows").and_then(Value::as_array).and_then(|rows| rows.last());
                last.and_then(|row| row.get("id")).and_then(Value::as_str).map(|id| Replica::all_docs_path(Some(id), FIRST_PULL_BATCH))
            }
        }
    }

    fn apply(self, replica: &mut Replica, ws: &mut Workspace, answer: &Value) -> Result<super::Pulled, super::SyncError> {
        match self {
            Feed::Changes => replica.on_changes(ws, answer),
            Feed::AllDocs => replica.on_all_docs(ws, answer),
        }
    }
}

/// Pulls every page of `feed`, then fetches the losing revisions of new conflicts. A full
/// page means more may follow: the next one is asked for before this one is applied, so
/// the server prepares it while the member's copy takes this one in.
async fn pull<T: Transport, C: LocalCopy>(transport: &T, base: &str, db: &str, copy: &C, feed: Feed, report: &mut Report) -> Result<(), RoundError> {
    let mut next = None;
    loop {
        let answer = match next.take() {
            Some(answer) => answer,
            None => transport.send("GET", &format!("{base}/{}", feed.first(copy)), None).await,
        };
        let answer = expect(answer, db, &[200])?;
        let rows = feed.rows(&answer);
        let apply = async { copy.both(|r, ws| feed.apply(r, ws, &answer)) };
        let pulled = match feed.after(&answer).filter(|_| rows >= feed.batch()) {
            Some(path) => {
                let (following, pulled) = futures_util::future::join(transport.send("GET", &format!("{base}/{path}"), None), apply).await;
                next = Some(following);
                pulled
            }
            None => apply.await,
        };
        let pulled = pulled.map_err(|e| RoundError::Garbage(e.to_string()))?;
        report.applied += pulled.applied.len();
        report.conflicts += pulled.conflicts.len();
        report.moved.extend(pulled.moved);
        for (id, revs) in pulled.fetch {
            let list = percent_encode(&Value::from(revs).to_string());
            let answer = expect(transport.send("GET", &format!("{base}/{}?open_revs={list}", percent_encode(&id)), None).await, db, &[200])?;
            copy.replica(|r| r.on_revisions(&id, &answer)).map_err(|e| RoundError::Garbage(e.to_string()))?;
        }
        if rows < feed.batch() {
            return Ok(());
        }
    }
}

/// The body of an expected answer, or the error the status means.
fn expect(answer: Result<Answer, Unreachable>, db: &str, ok: &[u16]) -> Result<Value, RoundError> {
    let answer = answer.map_err(|Unreachable(why)| RoundError::Offline(why))?;
    let reason = || {
        let field = |k: &str| answer.body.get(k).and_then(Value::as_str).map(str::to_owned);
        field("reason").or_else(|| field("error")).unwrap_or_else(|| format!("HTTP {}", answer.status))
    };
    match answer.status {
        s if ok.contains(&s) => Ok(answer.body),
        401 => Err(RoundError::LoggedOut),
        403 => Err(RoundError::Forbidden(reason())),
        404 => Err(RoundError::Missing(db.to_owned())),
        s if s >= 500 => Err(RoundError::Server { status: s, reason: reason() }),
        s => Err(RoundError::Garbage(format!("HTTP {s}: {}", reason()))),
    }
}

/// What the app shows about a shared workspace.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Everything sent, nothing to settle.
    Synced,
    /// Edits waiting to be sent (the next round sends them).
    Waiting(usize),
    /// Nothing has been pulled yet: the team's workspace is on its way (a member who
    /// just joined).
    Fetching,
    /// The last round could not reach the server; edits wait.
    Offline { waiting: usize, why: String },
    /// The session ended: the member logs in again; edits wait.
    LoggedOut { waiting: usize },
    /// Documents with two versions, waiting for someone to pick.
    Conflicts(usize),
    /// Writes the server refused to this member (kept, with the first reason).
    Refused { count: usize, why: String },
    /// The last round failed otherwise; edits wait.
    Error { waiting: usize, why: String },
}

impl Status {
    /// The status of `replica` after a round that ended with `last`.
    pub fn of(replica: &Replica, last: Option<&RoundError>) -> Status {
        let waiting = replica.outbox.iter().filter(|w| w.refused.is_none()).count();
        match last {
            Some(RoundError::Offline(why)) => return Status::Offline { waiting, why: why.clone() },
            Some(RoundError::LoggedOut) => return Status::LoggedOut { waiting },
            Some(e) => return Status::Error { waiting, why: e.to_string() },
            None => {}
        }
        if !replica.conflicts.is_empty() {
            return Status::Conflicts(replica.conflicts.len());
        }
        let refused: Vec<&str> = replica.outbox.iter().filter_map(|w| w.refused.as_deref()).collect();
        if let Some(first) = refused.first() {
            return Status::Refused { count: refused.len(), why: (*first).to_owned() };
        }
        if waiting > 0 {
            return Status::Waiting(waiting);
        }
        if replica.since.is_none() {
            return Status::Fetching;
        }
        Status::Synced
    }

    /// A few words for the status line.
    pub fn label(&self) -> String {
        let edits = |n: usize| if n == 1 { "1 edit".to_owned() } else { format!("{n} edits") };
        match self {
            Status::Synced => "Synced".into(),
            Status::Waiting(n) => format!("{} waiting", edits(*n)),
            Status::Fetching => "Fetching…".into(),
            Status::Offline { waiting: 0, .. } => "Offline".into(),
            Status::Offline { waiting, .. } => format!("Offline · {} waiting", edits(*waiting)),
            Status::LoggedOut { .. } => "Logged out".into(),
            Status::Conflicts(1) => "1 conflict".into(),
            Status::Conflicts(n) => format!("{n} conflicts"),
            Status::Refused { count: 1, .. } => "1 edit refused".into(),
            Status::Refused { count, .. } => format!("{count} edits refused"),
            Status::Error { .. } => "Sync error".into(),
        }
    }

    /// The whole story, for the status's title and the Settings panel.
    pub fn detail(&self) -> String {
        let kept = |n: usize| match n {
            0 => String::new(),
            1 => " Your 1 edit not yet sent is kept here and sent when it works again.".to_owned(),
            n => format!(" Your {n} edits not yet sent are kept here and sent when it works again."),
        };
        match self {
            Status::Synced => "Every edit is on the team database, and its latest edits are here.".into(),
            Status::Waiting(n) => format!("{} waiting to be sent to the team database.", if *n == 1 { "1 edit is".to_owned() } else { format!("{n} edits are") }),
            Status::Fetching => "Fetching the team's workspace for the first time.".into(),
            Status::Offline { waiting, why } => format!("Cannot reach the team database ({why}).{}", kept(*waiting)),
            Status::LoggedOut { waiting } => format!("Your session on the team database has ended, or you logged out: log in again under Settings → Team workspace.{}", kept(*waiting)),
            Status::Conflicts(n) => {
                format!("{n} record{} changed by two people who had not seen each other's edit: pick the version to keep in the To-do list.", if *n == 1 { " was" } else { "s were" })
            }
            Status::Refused { count, why } => {
                format!(
                    "The team database refused {} of your edits: {}. They are kept here and not shared: send them again or discard them under Settings → Team workspace.",
                    count,
                    why.trim_end_matches('.')
                )
            }
            Status::Error { waiting, why } => format!("Synchronising failed: {why}.{}", kept(*waiting)),
        }
    }

    /// Whether it is a state to act on (shown as a warning).
    pub fn is_problem(&self) -> bool {
        !matches!(self, Status::Synced | Status::Waiting(_) | Status::Fetching)
    }
}
