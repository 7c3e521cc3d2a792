//! One member's copy of a shared workspace and its replication state, as a pure state
//! machine: it says what to send and takes in what the server answered; the caller
//! speaks HTTP, keeps the clock and stores the [`Replica`] (it is plain serde data, so
//! the outbox and the checkpoint survive a reload).
//!
//! The steps, after the ideas of CouchDB's replication protocol:
//! 1. A local edit: the app applies a [`Command`](crate::core::Command) as always, then
//!    calls [`Replica::record`] with the versions before and after and the
//!    [`Change`]: the documents it touched are queued in the outbox, each with the
//!    revision it was based on (`_rev`) and the member as author (`by`). A second edit of
//!    a document not yet sent replaces the first in the outbox (same base).
//! 2. Push: [`Replica::push`] gives the `_bulk_docs` body (`new_edits` true: the server
//!    refuses a write whose base is not its current revision with a 409);
//!    [`Replica::on_pushed`] takes the per-document results: a new revision is kept; a
//!    409 turns the write into a [`Conflict`] (the local version kept beside the
//!    server's); a 401/403 keeps the write, marked refused with the server's reason.
//! 3. Pull: [`Replica::changes_path`] is the `_changes` request from the checkpoint
//!    (`since`), with the documents and their conflicts; [`Replica::on_changes`] applies
//!    each document to the local workspace and moves the checkpoint. A document that
//!    arrives while the outbox holds an unsent edit of it on an older base is a
//!    concurrent edit: a conflict, never a silent overwrite. A record this member created
//!    under an id another member's record took on the server first is moved to a fresh
//!    id instead, with every reference ([`Pulled::moved`]): two records, both kept. A document that arrives with
//!    `_conflicts` (two sites or a cluster accepted two edits) is a conflict too; the
//!    bodies of the other revisions are fetched (`open_revs`, [`Replica::on_revisions`]).
//!    A member's first pull ([`Replica::first_pull`]) reads the database's `update_seq`,
//!    then the pages of `_all_docs` ([`Replica::on_all_docs`]), then `_changes` from that
//!    `update_seq` ([`Replica::pulled_up_to`]).
//! 4. Resolve: [`Replica::resolve`] with the version the person picked or a merged one
//!    queues the writes: the chosen content on the current revision and the deletion of
//!    each losing revision — only by that choice is a revision deleted.
//!
//! The local copy always shows the server's winning revision of a conflicted document
//! (so every member sees the same workspace); the other versions wait in the conflict.
//! Requests are made in order (push, then pull); a pull asks for its next page while it
//! applies the one it has, and nothing else overlaps.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use thiserror::Error;

use super::docs::{changed_documents, documents, max_issued, put_record, record_for, DocKey, Record};
use crate::core::{Change, Workspace};

/// One write waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Write {
    /// The document id.
    pub id: String,
    /// The revision this write is based on (`None`: a new document).
    pub base: Option<String>,
    /// The new content; `None` deletes the document.
    pub record: Option<Record>,
    /// When the member made it (the caller's clock, as text).
    pub at: String,
    /// Deletes a losing revision of a resolved conflict (not the document's content).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub prune: bool,
    /// Why the server refused it (401/403): kept, not resent until [`Replica::retry_refused`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
    /// Which write this is: a later edit of the same document gets a new number.
    pub n: u64,
    /// The member who made it (`None` in outboxes stored before this was kept: the
    /// replica's member). A write is sent under its own member's name, so logging in as
    /// someone else never passes one person's edit off as another's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// An edit the server refused with a 409, written beside the server's version as a
    /// conflicting revision (`new_edits: false`, this revision, a child of `base`), so
    /// that every member sees the conflict, not only the one whose write lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sibling: Option<String>,
}

/// One version of a conflicted document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// Its revision on the server (`None`: it exists only here, refused with a 409, until
    /// it is written beside the server's version).
    pub rev: Option<String>,
    /// Its content (`None`: deleted).
    pub record: Option<Record>,
    /// Who recorded it (the CouchDB user).
    pub by: String,
    /// When.
    pub at: String,
    /// A record this member created that the server already held under the same id
    /// (another member created one while apart): two records, not two edits of one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub created: bool,
    /// The revision this local version was written as, beside the server's version
    /// (`rev` is set once a pull lists it: a server that answered but did not keep it —
    /// pouchdb-server drops members' `new_edits: false` writes — leaves it here alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_as: Option<String>,
}

/// A document with more than one version: shown to the people, never settled silently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub id: String,
    /// The server's winning version, which the local workspace shows (`None` until the
    /// pull after a 409 brings it).
    pub current: Option<Version>,
    /// The other versions: a local edit the server refused, or losing revisions.
    pub others: Vec<Version>,
    /// Losing revisions whose content is still to be fetched (`open_revs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

impl Conflict {
    /// Whether every version is known, so the conflict can be resolved.
    pub fn is_ready(&self) -> bool {
        self.current.is_some() && self.missing.is_empty()
    }
    /// Every version: the current one first, then the others.
    pub fn versions(&self) -> impl Iterator<Item = &Version> {
        self.current.iter().chain(&self.others)
    }
}

/// What the person chose for a conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Resolution {
    /// One of [`Conflict::versions`], by position.
    Keep(usize),
    /// A merged content (`None`: delete the document).
    Merged(Option<Record>),
}

/// A `_bulk_docs` request to send, and which writes it carries (in order).
#[derive(Debug, Clone, PartialEq)]
pub struct Push {
    /// The body: `{"docs": […], "new_edits": true}`, or `false` for refused edits
    /// written as conflicting revisions (each with its `_rev` and `_revisions`).
    pub body: Value,
    writes: Vec<(String, u64)>,
    siblings: bool,
}

impl Push {
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
    pub fn len(&self) -> usize {
        self.writes.len()
    }
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PushOutcome {
    /// Documents written, with their new revisions.
    pub written: Vec<(String, String)>,
    /// Losing revisions deleted (a resolution), with the deletion's revision.
    pub pruned: Vec<(String, String)>,
    /// Refused edits now on the server beside the winning version, as conflicting
    /// revisions every member sees.
    pub siblings: Vec<(String, String)>,
    /// Documents whose write was refused with a 409 and became conflicts.
    pub conflicts: Vec<String>,
    /// Documents the server refused to let this member write, with its reason.
    pub refused: Vec<(String, String)>,
    /// Other failures (kept in the outbox, sent again next time).
    pub failed: Vec<(String, String)>,
    /// A write was refused because nobody is logged in (`unauthorized`): the session
    /// ended. The write is kept as it was, to be sent after the next login.
    pub logged_out: bool,
}

/// What a pull did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pulled {
    /// Documents whose content changed the local workspace.
    pub applied: Vec<String>,
    /// Documents that have a conflict now (new or updated).
    pub conflicts: Vec<String>,
    /// Revisions to fetch with `GET /db/<id>?open_revs=[…]`, then [`Replica::on_revisions`].
    pub fetch: Vec<(String, Vec<String>)>,
    /// Documents that could not be read (left alone, named for the status line).
    pub unreadable: Vec<String>,
    /// Records this member created under an id another member's record took on the server
    /// first, each moved to a fresh id (old document id, new one): both records are kept.
    pub moved: Vec<(String, String)>,
    /// Other documents of those records that moved with them (a grant of a moved unit is
    /// filed under its new id): deleted under the old id, written under the new one.
    pub refiled: Vec<String>,
}

/// A server answer that does not have the shape it must have, or a resolution that
/// cannot be applied. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SyncError {
    #[error("the server's answer could not be read: {0}")]
    Garbage(String),
    #[error("no conflict on “{0}”")]
    NoConflict(String),
    #[error("the conflict on “{0}” is not ready: a version is still being fetched")]
    NotReady(String),
    #[error("there is no version {index} of “{id}”")]
    NoVersion { id: String, index: usize },
    #[error("the merged content does not belong to “{0}”")]
    WrongRecord(String),
}

/// A member's replication state for one shared workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replica {
    /// The logged-in member: the author of every write.
    pub author: String,
    /// The `_changes` checkpoint (opaque: a number or a string, as the server gave it).
    #[serde(default)]
    pub since: Option<Value>,
    /// The current revision known for each document (deleted ones included).
    #[serde(default)]
    pub revs: BTreeMap<String, String>,
    /// Unsent writes, oldest first.
    #[serde(default)]
    pub outbox: Vec<Write>,
    /// Conflicts waiting for a person, by document id.
    #[serde(default)]
    pub conflicts: BTreeMap<String, Conflict>,
    /// Check-ins whose commitment is not in the workspace (removed by one member while
    /// another recorded them), by document id.
    #[serde(default)]
    pub orphans: BTreeMap<DocKey, Record>,
    #[serde(default)]
    next: u64,
    /// Documents pulled from another member's write while this member had a record
    /// created here and not yet on the server: those may name the other member's record
    /// under the same id, which a move of this member's record must leave alone. Kept
    /// only while such a record waits, and not stored: a reload between the page that
    /// brings the other's record and the page that brings the record it names forgets
    /// it (a known edge, in docs/TEAM-WORKSPACES.md).
    #[serde(skip)]
    theirs: std::collections::BTreeSet<String>,
}

impl Replica {
    /// A member's fresh state: nothing pulled, nothing to send. Joining a team workspace
    /// starts here with an empty workspace; the first pull fills it.
    pub fn new(author: impl Into<String>) -> Replica {
        Replica {
            author: author.into(),
            since: None,
            revs: BTreeMap::new(),
            outbox: Vec::new(),
            conflicts: BTreeMap::new(),
            orphans: BTreeMap::new(),
            next: 0,
            theirs: std::collections::BTreeSet::new(),
        }
    }

    /// Shares a local workspace: every document of it is queued as new. The workspace is
    /// put in canonical order first (the order it will have everywhere).
    pub fn upload(&mut self, ws: &mut Workspace, at: &str) {
        super::docs::canonicalize(ws);
        let docs = documents(ws);
        self.outbox.reserve(docs.len());
        // `queue` looks for a write of the same document to replace: for a large org's
        // 190,000 documents that search would be quadratic, so only ids already waiting
        // (none, when a workspace is first shared) go through it.
        let waiting: std::collections::HashSet<String> = self.outbox.iter().map(|w| w.id.clone()).collect();
        for (key, record) in docs {
            let id = key.to_string();
            if waiting.contains(&id) {
                self.queue(id, Some(record), at);
                continue;
            }
            self.next += 1;
            let base = self.revs.get(&id).cloned();
            self.outbox.push(Write { id, base, record: Some(record), at: at.to_owned(), prune: false, refused: None, n: self.next, by: Some(self.author.clone()), sibling: None });
        }
    }

    /// Whether nothing waits to be sent (refused writes count as waiting).
    pub fn is_idle(&self) -> bool {
        self.outbox.is_empty()
    }

    /// Queues the documents a local command changed. `after` is put in canonical order
    /// and its highest issued ids never go below `before`'s (another member's may be
    /// higher). Returns the ids queued.
    pub fn record(&mut self, before: &Workspace, after: &mut Workspace, change: &Change, at: &str) -> Vec<String> {
        super::docs::canonicalize(after);
        after.issued = max_issued(before.issued, after.issued);
        let mut ids = Vec::new();
        for (key, record) in changed_documents(before, after, change) {
            let id = key.to_string();
            self.queue(id.clone(), record, at);
            ids.push(id);
        }
        if after.issued != before.issued {
            let id = DocKey::Issued(Some(self.author.clone())).to_string();
            self.queue(id.clone(), record_for(after, &DocKey::Issued(None)), at);
            ids.push(id);
        }
        ids
    }

    fn queue(&mut self, id: String, record: Option<Record>, at: &str) {
        self.next += 1;
        let n = self.next;
        match self.outbox.iter_mut().find(|w| w.id == id && !w.prune && w.sibling.is_none()) {
            Some(w) => {
                w.record = record;
                w.at = at.to_owned();
                w.refused = None;
                w.n = n;
                w.by = Some(self.author.clone());
            }
            None => {
                let base = self.revs.get(&id).cloned();
                self.outbox.push(Write { id, base, record, at: at.to_owned(), prune: false, refused: None, n, by: Some(self.author.clone()), sibling: None });
            }
        }
    }

    /// Lets writes the server refused be sent again (after a login as another member).
    pub fn retry_refused(&mut self) {
        for w in &mut self.outbox {
            w.refused = None;
        }
    }

    /// Lets the refused write of document `id` be sent again (its member may write it now).
    pub fn retry(&mut self, id: &str) {
        for w in self.outbox.iter_mut().filter(|w| w.id == id) {
            w.refused = None;
        }
    }

    /// Gives up this member's unsent or refused write of document `id`: the write leaves
    /// the outbox and the local copy shows the server's version again — `server` is the
    /// answer to `GET /db/<id>` (`None`: the server has no such document).
    pub fn discard(&mut self, ws: &mut Workspace, id: &str, server: Option<&Value>) -> Result<(), SyncError> {
        let key: DocKey = id.parse().map_err(|_| SyncError::WrongRecord(id.to_owned()))?;
        let version = match server {
            Some(doc) => Some(read_doc(id, doc).ok_or_else(|| SyncError::Garbage(format!("the server's “{id}” cannot be read")))?.version),
            None => None,
        };
        self.outbox.retain(|w| w.id != id || w.prune);
        match version {
            Some(v) => {
                if let Some(rev) = &v.rev {
                    self.revs.insert(id.to_owned(), rev.clone());
                }
                put_record(ws, &mut self.orphans, &key, v.record.as_ref());
            }
            None => put_record(ws, &mut self.orphans, &key, None),
        }
        Ok(())
    }

    /// The next `_bulk_docs` request: up to `limit` writes, oldest first, refused ones
    /// left out. A record created and deleted here before the server ever had it is
    /// dropped rather than sent as a deletion (with requests one at a time, no earlier
    /// push is on its way whose answer could still give it a revision).
    pub fn push(&mut self, limit: usize) -> Push {
        self.outbox.retain(|w| w.base.is_some() || w.record.is_some());
        let mut docs = Vec::new();
        let mut writes = Vec::new();
        // One write per document in a request: answers are matched by id (pouchdb-server
        // does not keep the request's order), and a second write of the same document (a
        // resolution's deletions) waits for the next request.
        let mut ids = std::collections::BTreeSet::new();
        // Conflicting revisions go first, in a request of their own (`new_edits` false).
        let siblings = self.outbox.iter().any(|w| self.sibling_ready(w));
        for w in self.outbox.iter().filter(|w| w.refused.is_none() && if siblings { self.sibling_ready(w) } else { w.sibling.is_none() }) {
            if writes.len() == limit {
                break;
            }
            if ids.insert(w.id.as_str()) {
                docs.push(self.doc_json(w));
                writes.push((w.id.clone(), w.n));
            }
        }
        Push { body: json!({ "docs": docs, "new_edits": !siblings }), writes, siblings }
    }

    /// Whether a refused edit is to be written beside the server's version now: once
    /// the pull has brought that version and it differs (a write whose answer was lost
    /// meets its own revision, which is no conflict at all).
    fn sibling_ready(&self, w: &Write) -> bool {
        w.refused.is_none() && w.sibling.is_some() && self.conflicts.get(&w.id).is_some_and(|c| c.current.as_ref().is_some_and(|cur| cur.record != w.record))
    }

    /// Whether refused edits wait to be written beside the server's versions (a round
    /// pushes again after its pull).
    pub fn siblings_waiting(&self) -> bool {
        self.outbox.iter().any(|w| self.sibling_ready(w))
    }

    fn doc_json(&self, w: &Write) -> Value {
        let mut doc = match &w.record {
            // Through text: the app's JSON writer and reader for records are already in
            // the wasm (files, storage); a `Value` serializer would be a second copy.
            Some(r) => match serde_json::to_string(r).and_then(|t| serde_json::from_str(&t)) {
                Ok(Value::Object(m)) => m,
                _ => unreachable!("a record serialises to an object"),
            },
            None => Map::new(),
        };
        doc.insert("_id".into(), Value::String(w.id.clone()));
        if let Some(rev) = &w.sibling {
            // The new revision and its parent, as replication writes them.
            let (start, hash) = split_rev(rev);
            let mut ids = vec![Value::String(hash.to_owned())];
            if let Some(base) = &w.base {
                ids.push(Value::String(split_rev(base).1.to_owned()));
            }
            doc.insert("_rev".into(), Value::String(rev.clone()));
            doc.insert("_revisions".into(), json!({ "start": start, "ids": ids }));
        } else if let Some(rev) = &w.base {
            doc.insert("_rev".into(), Value::String(rev.clone()));
        }
        if w.record.is_none() {
            doc.insert("_deleted".into(), Value::Bool(true));
        }
        doc.insert("by".into(), Value::String(w.by.clone().unwrap_or_else(|| self.author.clone())));
        doc.insert("at".into(), Value::String(w.at.clone()));
        Value::Object(doc)
    }

    /// Takes in the `_bulk_docs` answer to `push` (a JSON array, one result per document,
    /// matched by id). The local workspace keeps showing a refused version until the pull
    /// brings the server's.
    pub fn on_pushed(&mut self, push: &Push, response: &Value) -> Result<PushOutcome, SyncError> {
        let results = response.as_array().ok_or_else(|| SyncError::Garbage("_bulk_docs did not answer with a list".into()))?;
        if push.siblings {
            return self.on_siblings_pushed(push, results);
        }
        if results.len() != push.writes.len() {
            return Err(SyncError::Garbage(format!("{} results for {} documents", results.len(), push.writes.len())));
        }
        let mut matched: Vec<(&Value, &(String, u64))> = Vec::with_capacity(results.len());
        for r in results {
            let id = r.get("id").and_then(Value::as_str).ok_or_else(|| SyncError::Garbage("a result without an id".into()))?;
            let w = push.writes.iter().find(|(sent, _)| sent == id).ok_or_else(|| SyncError::Garbage(format!("a result for “{id}”, which was not sent")))?;
            if matched.iter().any(|(_, m)| m.0 == id) {
                return Err(SyncError::Garbage(format!("two results for “{id}”")));
            }
            if r.get("rev").and_then(Value::as_str).is_none() && r.get("error").and_then(Value::as_str).is_none() {
                return Err(SyncError::Garbage(format!("the result for “{id}” has neither a revision nor an error")));
            }
            matched.push((r, w));
        }
        let mut out = PushOutcome::default();
        // The writes done, taken out of the outbox in one pass (a large upload's answers
        // one by one would each search and shift the whole outbox).
        let done: std::collections::HashMap<(&str, u64), &str> =
            matched.iter().filter_map(|(r, (id, n))| r.get("rev").and_then(Value::as_str).filter(|_| r.get("error").is_none()).map(|rev| ((id.as_str(), *n), rev))).collect();
        let mut pruned = std::collections::HashSet::new();
        self.outbox.retain(|w| {
            let sent = done.contains_key(&(w.id.as_str(), w.n));
            if sent && w.prune {
                pruned.insert((w.id.clone(), w.n));
            }
            !sent
        });
        // An edit made while this write was on its way (it took the write's place in the
        // outbox, under a new number) builds on it.
        let rebase: std::collections::HashMap<&str, &str> = done.iter().filter(|((id, n), _)| !pruned.contains(&((*id).to_owned(), *n))).map(|((id, _), rev)| (*id, *rev)).collect();
        if !rebase.is_empty() {
            for w in self.outbox.iter_mut().filter(|w| !w.prune) {
                if let Some(rev) = rebase.get(w.id.as_str()) {
                    w.base = Some((*rev).to_owned());
                }
            }
        }
        for (r, (id, n)) in matched {
            if let Some(rev) = done.get(&(id.as_str(), *n)) {
                if pruned.contains(&(id.clone(), *n)) {
                    out.pruned.push((id.clone(), (*rev).to_owned()));
                } else {
                    self.revs.insert(id.clone(), (*rev).to_owned());
                    out.written.push((id.clone(), (*rev).to_owned()));
                }
                continue;
            }
            let at = self.outbox.iter().position(|w| w.id == *id && w.n == *n);
            let prune = at.is_some_and(|i| self.outbox[i].prune);
            let error = r.get("error").and_then(Value::as_str).unwrap_or("");
            let reason = r.get("reason").and_then(Value::as_str).unwrap_or(error).to_owned();
            match error {
                "conflict" => {
                    if prune {
                        // The losing revision is already gone: someone resolved it too.
                        if let Some(i) = at {
                            self.outbox.remove(i);
                        }
                        continue;
                    }
                    // The newest local content of the document is the version kept, and
                    // it is written beside the server's as a conflicting revision.
                    let Some(i) = self.outbox.iter().position(|w| w.id == *id && !w.prune && w.sibling.is_none()) else { continue };
                    let mut w = self.outbox.remove(i);
                    let created = w.base.is_none() && w.record.is_some();
                    let mine = Version { rev: None, record: w.record.clone(), by: w.by.clone().unwrap_or_else(|| self.author.clone()), at: w.at.clone(), created, written_as: None };
                    self.conflict(id).others.push(mine);
                    out.conflicts.push(id.clone());
                    // A deletion that lost needs no revision: the server's version stands.
                    if w.record.is_some() {
                        w.sibling = Some(sibling_rev(&w));
                        self.outbox.push(w);
                    }
                }
                // Nobody is logged in: not a verdict on this write.
                "unauthorized" => out.logged_out = true,
                "forbidden" => {
                    if let Some(i) = at {
                        self.outbox[i].refused = Some(reason.clone());
                    }
                    out.refused.push((id.clone(), reason));
                }
                _ => out.failed.push((id.clone(), reason)),
            }
        }
        Ok(out)
    }

    /// The `_changes` request from the checkpoint, path and query relative to the database.
    pub fn changes_path(&self, limit: usize) -> String {
        Self::changes_path_since(self.since.as_ref().unwrap_or(&Value::from(0)), limit)
    }

    /// The `_changes` request from the checkpoint `since` (a number or a string, as the
    /// server gave it in `last_seq`).
    pub fn changes_path_since(since: &Value, limit: usize) -> String {
        let since = match since {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        format!("_changes?style=all_docs&conflicts=true&include_docs=true&limit={limit}&since={}", percent_encode(&since))
    }

    /// Takes in a `_changes` answer: applies each document to `ws` (kept canonical), records
    /// conflicts and moves the checkpoint. Nothing changes if the answer cannot be read.
    pub fn on_changes(&mut self, ws: &mut Workspace, response: &Value) -> Result<Pulled, SyncError> {
        let results = response.get("results").and_then(Value::as_array).ok_or_else(|| SyncError::Garbage("_changes has no results".into()))?;
        let last_seq = response.get("last_seq").filter(|v| !v.is_null()).ok_or_else(|| SyncError::Garbage("_changes has no last_seq".into()))?.clone();
        let mut rows = Vec::with_capacity(results.len());
        for row in results {
            let id = row.get("id").and_then(Value::as_str).ok_or_else(|| SyncError::Garbage("a change without an id".into()))?;
            let doc = row.get("doc").filter(|d| d.is_object()).ok_or_else(|| SyncError::Garbage(format!("the change of “{id}” carries no document (include_docs)")))?;
            let leaves: Vec<String> =
                row.get("changes").and_then(Value::as_array).map(|l| l.iter().filter_map(|c| c.get("rev").and_then(Value::as_str).map(str::to_owned)).collect()).unwrap_or_default();
            rows.push((id.to_owned(), doc, leaves));
        }
        let out = self.take_rows(ws, rows);
        self.since = Some(last_seq);
        Ok(out)
    }

    /// Whether the next pull is a member's first: nothing pulled yet and no revision of
    /// the server known. It reads the database with `_all_docs` (the winning revisions
    /// with their conflicts, without the deleted documents a copy that holds nothing
    /// has no use for), which a server answers faster than the whole `_changes` feed.
    pub fn first_pull(&self) -> bool {
        self.since.is_none() && self.revs.is_empty()
    }

    /// The `_all_docs` request of a first pull: `limit` documents with their conflicts,
    /// from the first id after `after`.
    pub fn all_docs_path(after: Option<&str>, limit: usize) -> String {
        let mut path = format!("_all_docs?include_docs=true&conflicts=true&limit={limit}");
        if let Some(id) = after {
            path.push_str(&format!("&startkey={}&skip=1", percent_encode(&Value::from(id).to_string())));
        }
        path
    }

    /// Takes in a page of `_all_docs` (a first pull) as [`Replica::on_changes`] takes in
    /// changes. The checkpoint is not moved: a first pull ends at the `update_seq` the
    /// database had before its first page ([`Replica::pulled_up_to`]), so what changed
    /// while the pages were read comes again with the next `_changes`.
    pub fn on_all_docs(&mut self, ws: &mut Workspace, response: &Value) -> Result<Pulled, SyncError> {
        let results = response.get("rows").and_then(Value::as_array).ok_or_else(|| SyncError::Garbage("_all_docs has no rows".into()))?;
        let mut rows = Vec::with_capacity(results.len());
        for row in results {
            let id = row.get("id").and_then(Value::as_str).ok_or_else(|| SyncError::Garbage("a row without an id".into()))?;
            let doc = row.get("doc").filter(|d| d.is_object()).ok_or_else(|| SyncError::Garbage(format!("the row of “{id}” carries no document (include_docs)")))?;
            rows.push((id.to_owned(), doc, Vec::new()));
        }
        Ok(self.take_rows(ws, rows))
    }

    /// Ends a first pull: the next `_changes` starts at `seq`.
    pub fn pulled_up_to(&mut self, seq: Value) {
        self.since = Some(seq);
    }

    /// Applies pulled documents (id, winning revision's document, leaf revisions).
    fn take_rows(&mut self, ws: &mut Workspace, rows: Vec<(String, &Value, Vec<String>)>) -> Pulled {
        let mut out = Pulled::default();
        let incoming: Vec<(String, Option<Incoming>, Vec<String>)> = rows
            .into_iter()
            .filter(|(id, _, _)| !id.starts_with("_design/"))
            .map(|(id, doc, leaves)| {
                let i = read_doc(&id, doc);
                (id, i, leaves)
            })
            .collect();
        // Records created here under ids the server gave another member's record move
        // first, so that the other member's records of this page that name theirs are not
        // taken for references to this member's.
        for (id, i, _) in &incoming {
            if let Some(i) = i {
                if let Some((moved, refiled)) = self.move_aside(ws, id, i) {
                    out.moved.push(moved);
                    out.refiled.extend(refiled);
                }
            }
        }
        let waiting_create = self.outbox.iter().any(|w| w.base.is_none() && w.record.is_some() && !w.prune) || self.conflicts.values().any(|c| c.others.iter().any(|v| v.created && v.rev.is_none()));
        if !waiting_create {
            self.theirs.clear();
        }
        for (id, i, leaves) in incoming {
            match i {
                Some(i) => {
                    if waiting_create && i.version.by != self.author {
                        self.theirs.insert(id.clone());
                    }
                    self.take_in(ws, &id, i, &leaves, &mut out)
                }
                None => out.unreadable.push(id),
            }
        }
        out
    }

    /// If this member created the record `id` and the server never took it, while the
    /// server holds another record under that id (`incoming`: another member created one
    /// while the two were apart), moves this member's record to a fresh id with every
    /// reference to it and queues those writes; the other record then takes the id here
    /// too. Nothing is moved when the server's record is this member's own (a write whose
    /// answer was lost) or when the id is a natural key (a check-in of a day, a grant…:
    /// two of those are one record, and a disagreement is a conflict).
    fn move_aside(&mut self, ws: &mut Workspace, id: &str, incoming: &Incoming) -> Option<((String, String), Vec<String>)> {
        let from = incoming.key.record_id()?;
        if self.revs.contains_key(id) {
            return None;
        }
        let created = |w: &Write| w.id == id && w.base.is_none() && w.record.is_some() && !w.prune;
        let pending = self.outbox.iter().find(|w| created(w) && w.sibling.is_none());
        let refused = self.conflicts.get(id).and_then(|c| c.others.iter().find(|v| v.created && v.rev.is_none()));
        let at = pending.map(|w| w.at.clone()).or_else(|| refused.map(|v| v.at.clone()))?;
        let mine = record_for(ws, &incoming.key);
        // A deleted document is no record: a create is written over it.
        if mine.is_none() || incoming.version.record.is_none() || mine == incoming.version.record {
            return None;
        }
        // Two units (or areas) of one name are one team added twice: the people choose
        // between the two versions, as for any conflict, rather than keep a double.
        match (&mine, &incoming.version.record) {
            (Some(Record::Unit(a)), Some(Record::Unit(b))) if a.name.same_as(&b.name) => return None,
            (Some(Record::Area(a)), Some(Record::Area(b))) if a.name.same_as(&b.name) => return None,
            _ => {}
        }
        let before = ws.clone();
        let to = from.next_in(ws);
        let change = crate::core::renumber::renumber(ws, from, to)?;
        super::docs::canonicalize(ws);
        self.outbox.retain(|w| !created(w));
        if let Some(c) = self.conflicts.get_mut(id) {
            c.others.retain(|v| !(v.created && v.rev.is_none()));
            if c.others.is_empty() && c.missing.is_empty() {
                self.conflicts.remove(id);
            }
        }
        let new_id = DocKey::from_record_id(to).to_string();
        let mut refiled = Vec::new();
        for (key, record) in changed_documents(&before, ws, &change) {
            let k = key.to_string();
            // Another member's record pulled in an earlier page names that member's
            // record under the old id (this member's was never on the server): it stays
            // as the server has it.
            if self.theirs.contains(&k) && !self.outbox.iter().any(|w| w.id == k) {
                put_record(ws, &mut self.orphans, &key, record_for(&before, &key).as_ref());
                continue;
            }
            if k != id {
                if record.is_none() {
                    refiled.push(k.clone());
                }
                self.queue(k, record, &at);
            }
        }
        if ws.issued != before.issued {
            self.queue(DocKey::Issued(Some(self.author.clone())).to_string(), record_for(ws, &DocKey::Issued(None)), &at);
        }
        Some(((id.to_owned(), new_id), refiled))
    }

    fn take_in(&mut self, ws: &mut Workspace, id: &str, incoming: Incoming, leaves: &[String], out: &mut Pulled) {
        let Incoming { key, version, conflicts } = incoming;
        let rev = version.rev.clone().expect("read_doc requires a revision");
        let known = self.revs.get(id) == Some(&rev);
        let mut conflicted = false;
        // A record created and deleted here, never sent: nothing to say about another's.
        self.outbox.retain(|w| w.id != id || w.base.is_some() || w.record.is_some());
        // This member's own revision is still a leaf but lost to another branch. A losing
        // deletion is not listed in `_conflicts` (CouchDB lets an edit win over a
        // concurrent deletion), so it is caught here: the deletion becomes a version.
        if let Some(mine) = self.revs.get(id).filter(|r| !known && leaves.contains(r) && !conflicts.contains(r)).cloned() {
            let lost = Version { rev: Some(mine), record: None, by: self.author.clone(), at: String::new(), created: false, written_as: None };
            let c = self.conflict(id);
            if !c.others.contains(&lost) {
                c.others.push(lost);
            }
            conflicted = true;
        }
        // An unsent local edit on an older base: the two edits were concurrent.
        if !known {
            if let Some(i) = self.outbox.iter().position(|w| w.id == id && !w.prune && w.sibling.is_none() && w.base.as_ref() != Some(&rev)) {
                let w = self.outbox.remove(i);
                // The same content on both sides (this member's own write whose answer
                // was lost, or two people recording the same): nothing to choose.
                if w.record != version.record {
                    let created = w.base.is_none() && w.record.is_some();
                    let mine = Version { rev: None, record: w.record, by: w.by.unwrap_or_else(|| self.author.clone()), at: w.at, created, written_as: None };
                    self.conflict(id).others.push(mine);
                    conflicted = true;
                }
            }
        }
        if let Some(c) = self.conflicts.get_mut(id) {
            // A local version written beside the server's is that revision now, if the
            // server lists it (as a conflict, or as the winner).
            for v in c.others.iter_mut().filter(|v| v.rev.is_none()) {
                if let Some(r) = v.written_as.take() {
                    if conflicts.contains(&r) || r == rev {
                        v.rev = Some(r);
                    }
                }
            }
            c.current = Some(version.clone());
            // A conflicting revision written from here may have won: it is the current one.
            c.others.retain(|v| v.rev.as_ref() != Some(&rev));
            // A local version refused with a 409 that the server now holds anyway.
            c.others.retain(|v| v.rev.is_some() || v.record != version.record);
            // Losing revisions no longer listed were deleted by someone's resolution.
            c.others.retain(|v| v.rev.as_ref().is_none_or(|r| conflicts.contains(r) || (v.record.is_none() && leaves.contains(r))));
            c.missing.retain(|r| conflicts.contains(r));
            conflicted = true;
        }
        if !conflicts.is_empty() {
            let c = self.conflict(id);
            c.current = Some(version.clone());
            let missing: Vec<String> = conflicts.iter().filter(|r| !c.others.iter().any(|v| v.rev.as_ref() == Some(*r)) && !c.missing.contains(r)).cloned().collect();
            c.missing.extend(missing.iter().cloned());
            if !c.missing.is_empty() {
                out.fetch.push((id.to_owned(), c.missing.clone()));
            }
            conflicted = true;
        }
        // A refused edit not yet written beside the server's version is written only while
        // its version is still one of the conflict's (the server may hold it already).
        let waiting: Vec<Option<Record>> = self.conflicts.get(id).map(|c| c.others.iter().filter(|v| v.rev.is_none()).map(|v| v.record.clone()).collect()).unwrap_or_default();
        self.outbox.retain(|w| w.id != id || w.sibling.is_none() || waiting.contains(&w.record));
        if self.conflicts.get(id).is_some_and(|c| c.others.is_empty() && c.missing.is_empty()) {
            self.conflicts.remove(id);
        } else if conflicted {
            out.conflicts.push(id.to_owned());
        }
        if known {
            return;
        }
        self.revs.insert(id.to_owned(), rev);
        let issued = ws.issued;
        if record_for_key(ws, &self.orphans, &key) != version.record {
            put_record(ws, &mut self.orphans, &key, version.record.as_ref());
            if !matches!(key, DocKey::Issued(_)) || ws.issued != issued {
                out.applied.push(id.to_owned());
            }
        }
    }

    fn conflict(&mut self, id: &str) -> &mut Conflict {
        self.conflicts.entry(id.to_owned()).or_insert_with(|| Conflict { id: id.to_owned(), current: None, others: Vec::new(), missing: Vec::new() })
    }

    /// Takes in the answer to `GET /db/<id>?open_revs=[…]` (a list of `{"ok": doc}` or
    /// `{"missing": rev}`): the losing versions of a conflict.
    pub fn on_revisions(&mut self, id: &str, response: &Value) -> Result<(), SyncError> {
        let list = response.as_array().ok_or_else(|| SyncError::Garbage("open_revs did not answer with a list".into()))?;
        let mut found = Vec::new();
        let mut gone = Vec::new();
        for item in list {
            if let Some(doc) = item.get("ok") {
                let v = read_doc(id, doc).ok_or_else(|| SyncError::Garbage(format!("a revision of “{id}” cannot be read")))?;
                found.push(v.version);
            } else if let Some(rev) = item.get("missing").and_then(Value::as_str) {
                gone.push(rev.to_owned());
            } else {
                return Err(SyncError::Garbage("open_revs item is neither ok nor missing".into()));
            }
        }
        let Some(c) = self.conflicts.get_mut(id) else { return Ok(()) };
        for v in found {
            let rev = v.rev.clone();
            if c.missing.iter().any(|m| Some(m) == rev.as_ref()) {
                c.missing.retain(|m| Some(m) != rev.as_ref());
                c.others.push(v);
            }
        }
        c.missing.retain(|m| !gone.contains(m));
        if c.others.is_empty() && c.missing.is_empty() {
            self.conflicts.remove(id);
        }
        Ok(())
    }

    /// Settles a conflict as the person chose: the chosen content is written on the
    /// current revision (if it differs) and applied to `ws`; each losing revision on the
    /// server is deleted; versions that exist only here are dropped.
    pub fn resolve(&mut self, ws: &mut Workspace, id: &str, choice: Resolution, at: &str) -> Result<(), SyncError> {
        let c = self.conflicts.get(id).ok_or_else(|| SyncError::NoConflict(id.to_owned()))?;
        if !c.is_ready() {
            return Err(SyncError::NotReady(id.to_owned()));
        }
        let key: DocKey = id.parse().map_err(|_| SyncError::WrongRecord(id.to_owned()))?;
        let chosen = match choice {
            Resolution::Keep(i) => c.versions().nth(i).ok_or(SyncError::NoVersion { id: id.to_owned(), index: i })?.record.clone(),
            Resolution::Merged(r) => {
                if r.as_ref().is_some_and(|r| !r.fits(&key)) {
                    return Err(SyncError::WrongRecord(id.to_owned()));
                }
                r
            }
        };
        let c = self.conflicts.remove(id).expect("checked above");
        let current = c.current.expect("ready");
        // A version not yet written beside the server's needs writing no more.
        self.outbox.retain(|w| w.id != id || w.sibling.is_none());
        if chosen != current.record {
            self.queue(id.to_owned(), chosen.clone(), at);
            put_record(ws, &mut self.orphans, &key, chosen.as_ref());
        }
        // A losing deletion is already a deleted leaf: nothing to delete.
        for loser in c.others.into_iter().filter(|v| v.record.is_some()).filter_map(|v| v.rev) {
            self.next += 1;
            self.outbox.push(Write { id: id.to_owned(), base: Some(loser), record: None, at: at.to_owned(), prune: true, refused: None, n: self.next, by: Some(self.author.clone()), sibling: None });
        }
        Ok(())
    }
}

impl Replica {
    /// Takes in the answer to a push of conflicting revisions (`new_edits` false): CouchDB
    /// lists only the documents it refused, pouchdb-server may list every one.
    fn on_siblings_pushed(&mut self, push: &Push, results: &[Value]) -> Result<PushOutcome, SyncError> {
        let mut out = PushOutcome::default();
        for (id, n) in &push.writes {
            let result = results.iter().find(|r| r.get("id").and_then(Value::as_str) == Some(id.as_str()));
            let error = result.and_then(|r| r.get("error")).and_then(Value::as_str).unwrap_or("");
            let reason = result.and_then(|r| r.get("reason")).and_then(Value::as_str).unwrap_or(error).to_owned();
            let Some(i) = self.outbox.iter().position(|w| w.id == *id && w.n == *n) else { continue };
            match error {
                "" => {
                    let w = self.outbox.remove(i);
                    let rev = w.sibling.clone().expect("a push of conflicting revisions");
                    // The local version is that revision once the server lists it.
                    if let Some(v) = self.conflicts.get_mut(id).and_then(|c| c.others.iter_mut().find(|v| v.rev.is_none() && v.record == w.record)) {
                        v.written_as = Some(rev.clone());
                    }
                    out.siblings.push((id.clone(), rev));
                }
                "unauthorized" => out.logged_out = true,
                "forbidden" => {
                    self.outbox[i].refused = Some(reason.clone());
                    out.refused.push((id.clone(), reason));
                }
                _ => out.failed.push((id.clone(), reason)),
            }
        }
        Ok(out)
    }
}

/// A revision's generation and hash (`"3-ab12…"` → `(3, "ab12…")`).
fn split_rev(rev: &str) -> (u64, &str) {
    let (n, hash) = rev.split_once('-').unwrap_or(("0", rev));
    (n.parse().unwrap_or(0), hash)
}

/// The revision a refused edit is written as: a child of its base, named from its
/// content (the same edit gets the same revision). Its hash starts with zeros, so that
/// beside a concurrent edit of the same generation it loses: the version the server
/// accepted first stays the one every member sees until someone chooses.
fn sibling_rev(w: &Write) -> String {
    use std::hash::{Hash, Hasher};
    let generation = w.base.as_deref().map_or(0, |b| split_rev(b).0) + 1;
    let content = serde_json::to_string(&w.record).unwrap_or_default();
    let part = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (salt, &w.id, &w.base, &content, &w.by, &w.at).hash(&mut h);
        h.finish()
    };
    format!("{generation}-0000{:012x}{:016x}", part(1) >> 16, part(2))
}

/// The record `ws` (or the orphans) holds under `key`, as stored.
fn record_for_key(ws: &Workspace, orphans: &BTreeMap<DocKey, Record>, key: &DocKey) -> Option<Record> {
    match key {
        DocKey::CheckIn(k) if ws.commitment(k.commitment).is_none() => orphans.get(key).cloned(),
        // `issued` documents merge by maximum: always applied.
        DocKey::Issued(_) => None,
        _ => record_for(ws, key),
    }
}

struct Incoming {
    key: DocKey,
    version: Version,
    conflicts: Vec<String>,
}

/// A document as the server sends it, or `None` if it is not a readable Latitude record
/// under its id.
fn read_doc(id: &str, doc: &Value) -> Option<Incoming> {
    let key: DocKey = id.parse().ok()?;
    if doc.get("_id").and_then(Value::as_str) != Some(id) {
        return None;
    }
    let rev = doc.get("_rev").and_then(Value::as_str)?.to_owned();
    let deleted = doc.get("_deleted").and_then(Value::as_bool).unwrap_or(false);
    let text = |f: &str| doc.get(f).and_then(Value::as_str).unwrap_or("").to_owned();
    let record = if deleted {
        None
    } else {
        // Through text, as in `doc_json`.
        let r: Record = serde_json::from_str(&json!({ "type": doc.get("type")?, "record": doc.get("record")? }).to_string()).ok()?;
        if !r.fits(&key) {
            return None;
        }
        Some(r)
    };
    let conflicts = match doc.get("_conflicts") {
        None => Vec::new(),
        Some(v) => v.as_array()?.iter().map(|r| r.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>()?,
    };
    Some(Incoming { key, version: Version { rev: Some(rev), record, by: text("by"), at: text("at"), created: false, written_as: None }, conflicts })
}

/// Percent-encodes everything but unreserved characters (a checkpoint in a query).
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
