//! Team workspaces in the app: a shared workspace keeps its link to the team database
//! (server, database and the [`Replica`]: outbox, checkpoint, conflicts) in storage
//! beside the workspace, so a reload resumes where it was; the documents' revisions,
//! one per record, are kept compactly in [`REV_BUCKETS`] keys of their own, written at
//! the end of each sync round (with the checkpoint), only the buckets that changed. Every edit is
//! recorded in the outbox by [`AppCtx::edit`] (through [`AppCtx::team_record`]); a sync
//! round runs after an edit, every few seconds while the page is visible, when the
//! browser comes back online and on "Sync now", one at a time. What other members
//! changed is applied to the open workspace as it arrives.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppCtx;
use crate::core::{Change, Workspace};
use crate::storage::compact::{decode_revs, encode_revs};
use crate::storage::store::{rev_bucket, REV_BUCKETS};
use crate::sync::{round, Conflict, LocalCopy, Replica, Resolution, RoundError, Status, Transport};
use crate::ui::browser;
use crate::ui::couch::Server;

/// How long to wait before watching again after the watch failed (offline, logged out).
const RETRY_MS: u64 = 8_000;

/// What is stored for a shared workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamLink {
    /// The server's address (absolute, or a path on the app's origin).
    pub server: String,
    pub db: String,
    pub replica: Replica,
    /// The unit the logged-in member chose to record as, among those they may name (see
    /// [`crate::sync::recording_unit`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<crate::core::UnitId>,
    /// The logged-in member's roles on the server, as their last login or session check
    /// gave them (kept so that an offline start records as the same unit): which units
    /// they lead, so that the check-ins they record name one as "recorded by" and a value
    /// recorded by someone other than the commitment's owner counts for the rigor
    /// component *objectivity*. The design document checks the same roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

/// What the views show about the open workspace's team database.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamInfo {
    pub server: String,
    pub db: String,
    /// The member every edit is recorded by.
    pub user: String,
    /// The unit the member chose to record as.
    pub unit: Option<crate::core::UnitId>,
    /// The member's roles on the server.
    pub roles: Vec<String>,
}

/// The team side of the app state (part of [`AppCtx`]).
#[derive(Clone, Copy)]
pub struct Team {
    link: StoredValue<Option<TeamLink>>,
    /// The open workspace's team database (`None`: a local workspace).
    pub info: RwSignal<Option<TeamInfo>>,
    /// Its status (`None`: a local workspace).
    pub status: RwSignal<Option<Status>>,
    /// Documents two people changed at once, waiting for a choice.
    pub conflicts: RwSignal<Vec<Conflict>>,
    /// Writes the server refused to their member: document id and reason.
    pub refused: RwSignal<Vec<(String, String)>>,
    /// Writes not yet on the server, refused ones included.
    pub unsent: RwSignal<usize>,
    /// Check-ins recorded for commitments someone removed (kept, not shown).
    pub orphans: RwSignal<usize>,
    /// Records added here that took a fresh number because another member's took theirs
    /// at the same time, in words (this session's).
    pub moved: RwSignal<Vec<String>>,
    /// A round is running.
    pub syncing: RwSignal<bool>,
    /// Another round is wanted when this one ends.
    again: StoredValue<bool>,
    /// Which watch of the database is the current one (see [`AppCtx::watch_team`]).
    watching: StoredValue<u64>,
    /// A hash of each stored bucket of revisions (to write only the changed ones).
    rev_hashes: StoredValue<Vec<u64>>,
    /// The running round is the first pull of a member who just joined: the status says
    /// "Fetching…" until it ends, not "Synced" after its first batch.
    first_pull: StoredValue<bool>,
    last_error: StoredValue<Option<RoundError>>,
}

impl Team {
    pub(super) fn new() -> Team {
        Team {
            link: StoredValue::new(None),
            info: RwSignal::new(None),
            status: RwSignal::new(None),
            conflicts: RwSignal::new(Vec::new()),
            refused: RwSignal::new(Vec::new()),
            unsent: RwSignal::new(0),
            orphans: RwSignal::new(0),
            moved: RwSignal::new(Vec::new()),
            syncing: RwSignal::new(false),
            again: StoredValue::new(false),
            watching: StoredValue::new(0),
            first_pull: StoredValue::new(false),
            rev_hashes: StoredValue::new(vec![0; REV_BUCKETS]),
            last_error: StoredValue::new(None),
        }
    }
}

/// The open workspace as a sync round sees it, bound to the workspace the round started
/// for: if another workspace is opened meanwhile, the round's next request fails and
/// nothing reaches the newly opened one.
struct Bound {
    ctx: AppCtx,
    id: String,
    server: Server,
}

impl Bound {
    fn current(&self) -> bool {
        self.ctx.id.get_untracked() == self.id && self.ctx.team.link.with_value(Option::is_some)
    }
}

impl Transport for Bound {
    async fn send(&self, method: &'static str, path: &str, body: Option<&serde_json::Value>) -> Result<crate::sync::Answer, crate::sync::Unreachable> {
        if !self.current() {
            return Err(crate::sync::Unreachable("the workspace was closed".into()));
        }
        self.server.send(method, path, body).await
    }
}

impl LocalCopy for Bound {
    fn replica<R>(&self, f: impl FnOnce(&mut Replica) -> R) -> R {
        let mut scratch = Replica::new("");
        let r = if self.current() { self.ctx.team.link.try_update_value(|l| f(&mut l.as_mut().expect("current").replica)).expect("the link is stored") } else { f(&mut scratch) };
        // Stored at the end of the round, with the revisions and the checkpoint.
        self.ctx.refresh_team();
        r
    }

    fn both<R>(&self, f: impl FnOnce(&mut Replica, &mut Workspace) -> R) -> R {
        if !self.current() {
            return f(&mut Replica::new(""), &mut self.ctx.ws.get_untracked());
        }
        let before = self.ctx.ws.get_untracked();
        let mut ws = before.clone();
        let r = self.ctx.team.link.try_update_value(|l| f(&mut l.as_mut().expect("current").replica, &mut ws)).expect("the link is stored");
        if ws != before {
            // Undo must never take back another member's edit: the steps recorded before
            // it no longer apply to this version.
            self.ctx.forget_history();
            self.ctx.ws.set(ws);
            self.ctx.schedule_save();
        }
        self.ctx.refresh_team();
        r
    }
}

impl AppCtx {
    /// Reads the open workspace's team link from storage (none: a local workspace) and
    /// starts synchronising if there is one.
    pub(super) fn load_team(self) {
        let id = self.id.get_untracked();
        let (link, hashes) = self.read_team(&id);
        let shared = link.is_some();
        self.team.link.set_value(link);
        self.team.rev_hashes.set_value(hashes);
        self.team.last_error.set_value(None);
        self.refresh_team();
        if shared {
            self.resume_team();
        }
    }

    /// The stored link of workspace `id` with its revisions, and the hash of each bucket.
    fn read_team(self, id: &str) -> (Option<TeamLink>, Vec<u64>) {
        let mut hashes = vec![0; REV_BUCKETS];
        let link = self.store.with_value(|s| s.team(id)).ok().flatten().and_then(|raw| serde_json::from_str::<TeamLink>(&raw).ok());
        let Some(mut link) = link else { return (None, hashes) };
        for (bucket, hash) in hashes.iter_mut().enumerate() {
            let raw = self.store.with_value(|s| s.team_revs(id, bucket)).ok().flatten();
            // A bucket that cannot be read leaves its documents' revisions unknown: a
            // write of one is then refused by the server (409) and shown as a conflict,
            // never applied over someone else's.
            if let Some(entries) = raw.and_then(|raw| decode_revs(&raw).ok()) {
                *hash = bucket_hash(entries.iter().map(|(a, b)| (a.as_str(), b.as_str())));
                link.replica.revs.extend(entries);
            }
        }
        (Some(link), hashes)
    }

    /// Writes the buckets of revisions that changed since they were last written.
    fn store_team_revs(self) {
        let id = self.id.get_untracked();
        let changed: Vec<(usize, Option<String>, u64)> = self.team.link.with_value(|l| {
            let mut buckets: Vec<Vec<(&str, &str)>> = vec![Vec::new(); REV_BUCKETS];
            if let Some(l) = l {
                for (doc, rev) in &l.replica.revs {
                    buckets[rev_bucket(doc)].push((doc.as_str(), rev.as_str()));
                }
            }
            self.team.rev_hashes.with_value(|old| {
                buckets
                    .iter()
                    .enumerate()
                    .filter_map(|(b, entries)| {
                        let hash = bucket_hash(entries.iter().copied());
                        (hash != old[b]).then(|| (b, (!entries.is_empty()).then(|| encode_revs(entries.iter().copied())), hash))
                    })
                    .collect()
            })
        });
        for (bucket, raw, hash) in changed {
            match self.store.try_update_value(|s| s.set_team_revs(&id, bucket, raw.as_deref())) {
                Some(Ok(())) => self.team.rev_hashes.update_value(|h| h[bucket] = hash),
                Some(Err(e)) => {
                    self.persistence.set(super::Persistence::Failed(format!(
                        "The team workspace's sync state could not be stored ({e}): it is kept in this tab; after a reload, edits of records whose state was lost come back as conflicts to settle."
                    )));
                    return;
                }
                None => return,
            }
        }
    }

    /// On opening a shared workspace: if the session has ended, says so without asking
    /// the database (which would refuse with a 401); otherwise syncs.
    fn resume_team(self) {
        let Some(server) = self.team.link.with_value(|l| l.as_ref().and_then(|l| Server::parse(&l.server).ok())) else { return };
        let id = self.id.get_untracked();
        leptos::task::spawn_local(async move {
            let who = crate::ui::couch::session(&server).await;
            if self.id.get_untracked() != id {
                return;
            }
            match who {
                Ok(None) => self.team_logged_out(),
                Ok(Some((name, roles))) => {
                    // The roles may have changed since the last login (a unit given or
                    // taken by a server admin).
                    self.team_roles(&name, roles);
                    self.sync_now();
                }
                Err(_) => self.sync_now(),
            }
            // Watching starts once it is known whether anyone is logged in.
            self.watch_team();
        });
    }

    /// The server's session names `name` with `roles`: kept if `name` is the member
    /// edits are recorded by.
    fn team_roles(self, name: &str, roles: Vec<String>) {
        let changed = self.team.link.try_update_value(|l| match l {
            Some(l) if l.replica.author == name && l.roles != roles => {
                l.roles = roles;
                true
            }
            _ => false,
        });
        if changed == Some(true) {
            self.store_team();
            self.refresh_team();
        }
    }

    /// The member logged out (or the session is known to have ended): edits wait, and no
    /// round runs until the next login.
    pub fn team_logged_out(self) {
        self.team.last_error.set_value(Some(RoundError::LoggedOut));
        self.refresh_team();
    }

    fn logged_out(self) -> bool {
        self.team.last_error.with_value(|e| matches!(e, Some(RoundError::LoggedOut)))
    }

    /// Another tab of the same shared workspace stored its link (its round moved the
    /// checkpoint, or it recorded an edit): this tab takes it, keeping its own waiting
    /// writes of documents the other tab has not queued, so neither tab's edits are lost.
    pub(super) fn other_tab_synced(self) {
        let id = self.id.get_untracked();
        let (theirs, hashes) = self.read_team(&id);
        self.team.rev_hashes.set_value(hashes);
        let mine = self.team.link.get_value();
        let merged = match (theirs, mine) {
            (Some(mut theirs), Some(mine)) => {
                let extra: Vec<_> = mine.replica.outbox.into_iter().filter(|w| !theirs.replica.outbox.iter().any(|t| t.id == w.id)).collect();
                let keep = !extra.is_empty();
                theirs.replica.outbox.extend(extra);
                self.team.link.set_value(Some(theirs));
                keep
            }
            (theirs, _) => {
                self.team.link.set_value(theirs);
                false
            }
        };
        if merged {
            self.store_team();
        } else {
            self.refresh_team();
        }
    }

    /// Writes the team link beside the workspace (its revisions are written by
    /// [`AppCtx::store_team_revs`]).
    fn store_team(self) {
        let id = self.id.get_untracked();
        let raw = self
            .team
            .link
            .try_update_value(|l| {
                l.as_mut().map(|l| {
                    let revs = std::mem::take(&mut l.replica.revs);
                    let raw = serde_json::to_string(l).expect("a link serialises");
                    l.replica.revs = revs;
                    raw
                })
            })
            .flatten();
        let result = self.store.try_update_value(|s| s.set_team(&id, raw.as_deref()));
        if let Some(Err(e)) = result {
            self.persistence.set(super::Persistence::Failed(format!("The team workspace's waiting edits could not be stored ({e}): they are kept in this tab and sent while it stays open.")));
        }
        self.refresh_team();
    }

    /// Sets the views' signals from the link.
    pub(super) fn refresh_team(self) {
        let last = self.team.last_error.get_value();
        let (info, status, conflicts, refused, unsent) = self.team.link.with_value(|l| match l {
            Some(l) => (
                Some(TeamInfo { server: l.server.clone(), db: l.db.clone(), user: l.replica.author.clone(), unit: l.unit, roles: l.roles.clone() }),
                Some(match Status::of(&l.replica, last.as_ref()) {
                    Status::Synced if self.team.first_pull.get_value() => Status::Fetching,
                    s => s,
                }),
                l.replica.conflicts.values().cloned().collect(),
                l.replica.outbox.iter().filter_map(|w| w.refused.as_ref().map(|r| (w.id.clone(), r.clone()))).collect::<Vec<_>>(),
                l.replica.outbox.iter().filter(|w| !w.prune).count(),
            ),
            None => (None, None, Vec::new(), Vec::new(), 0),
        });
        if self.team.refused.get_untracked() != refused {
            self.team.refused.set(refused);
        }
        if self.team.unsent.get_untracked() != unsent {
            self.team.unsent.set(unsent);
        }
        let orphans = self.team.link.with_value(|l| l.as_ref().map_or(0, |l| l.replica.orphans.len()));
        if self.team.orphans.get_untracked() != orphans {
            self.team.orphans.set(orphans);
        }
        if self.team.info.get_untracked() != info {
            self.team.info.set(info);
        }
        if self.team.status.get_untracked() != status {
            self.team.status.set(status);
        }
        if self.team.conflicts.get_untracked() != conflicts {
            self.team.conflicts.set(conflicts);
        }
    }

    /// Why the logged-in member may not make this change in the shared workspace (see
    /// [`crate::sync::refusal`]); `None` in a local workspace.
    pub(super) fn team_refusal(self, before: &Workspace, after: &Workspace, change: &Change) -> Option<String> {
        self.team.link.with_value(|l| l.as_ref().and_then(|l| crate::sync::refusal(&l.roles, before, after, change)))
    }

    /// Queues what an edit changed for the team database (nothing for a local
    /// workspace). `after` is put in the order every member's copy has.
    pub(super) fn team_record(self, before: &Workspace, after: &mut Workspace, change: &Change) {
        if self.team.link.with_value(Option::is_none) {
            return;
        }
        let at = browser::now_iso();
        self.team.link.update_value(|l| {
            if let Some(l) = l {
                l.replica.record(before, after, change, &at);
            }
        });
        self.store_team();
        self.sync_now();
    }

    /// Queues an undo or redo: every document that differs between the two versions.
    pub(super) fn team_record_replaced(self, before: &Workspace, after: &mut Workspace) {
        let mut change = Change::new(String::new());
        change.replaced = true;
        self.team_record(before, after, &change);
    }

    /// Runs a sync round now, or right after the one running.
    pub fn sync_now(self) {
        let Some((server, db)) = self.team.link.with_value(|l| l.as_ref().map(|l| (l.server.clone(), l.db.clone()))) else { return };
        // Logged out: edits wait for the next login, told in the status.
        if self.logged_out() {
            self.refresh_team();
            return;
        }
        if self.team.syncing.get_untracked() {
            self.team.again.set_value(true);
            return;
        }
        let Ok(server) = Server::parse(&server) else { return };
        self.team.syncing.set(true);
        self.team.first_pull.set_value(self.team.link.with_value(|l| l.as_ref().is_some_and(|l| l.replica.since.is_none())));
        let bound = Bound { ctx: self, id: self.id.get_untracked(), server };
        leptos::task::spawn_local(async move {
            loop {
                self.team.again.set_value(false);
                let result = round(&bound, &db, &bound).await;
                if !bound.current() {
                    break;
                }
                if let Some(report) = result.as_ref().ok().filter(|r| !r.moved.is_empty()) {
                    let ws = self.ws.get_untracked();
                    let lines = report.moved.iter().map(|(old, new)| crate::sync::describe::moved(&ws, old, new));
                    self.team.moved.update(|m| m.extend(lines));
                    // A unit's page open on a unit that moved follows it, rather than show
                    // the other member's unit that now has its number.
                    if let Some(w) = web_sys::window() {
                        let hash = w.location().hash().unwrap_or_default();
                        if let Some(to) = crate::ui::route::after_move(hash.trim_start_matches('#'), &report.moved) {
                            let _ = w.location().replace(&format!("#{to}"));
                        }
                    }
                }
                self.team.last_error.set_value(result.err());
                // Revisions first: another tab reads them when the link changes.
                self.store_team_revs();
                self.store_team();
                if !self.team.again.get_value() {
                    break;
                }
            }
            self.team.first_pull.set_value(false);
            self.team.syncing.set(false);
            self.refresh_team();
        });
    }

    /// Keeps a shared workspace in step: a round when the browser is back online or the
    /// page visible again, and as soon as the team database has a change (see
    /// [`AppCtx::watch_team`]).
    pub(super) fn follow_team(self) {
        let online = window_event_listener(leptos::ev::online, move |_| self.sync_now());
        let visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if document().visibility_state() == web_sys::VisibilityState::Visible {
                self.sync_now();
            }
        });
        on_cleanup(move || {
            online.remove();
            visible.remove();
        });
    }

    /// Watches the open shared workspace's database for other members' changes: a
    /// longpoll `_changes` from the checkpoint stays open, and when it answers with a
    /// change a round pulls it, so an edit shows up in the other members' browsers within
    /// about a second. One watch per opened workspace; it ends when another workspace is
    /// opened or the workspace stops syncing. After a failure it waits a few seconds and
    /// runs a round (which reports the cause) before watching again.
    fn watch_team(self) {
        let id = self.id.get_untracked();
        let generation = self.team.watching.get_value() + 1;
        self.team.watching.set_value(generation);
        leptos::task::spawn_local(async move {
            loop {
                let Some((server, db, since)) = self.team.link.with_value(|l| l.as_ref().and_then(|l| Server::parse(&l.server).ok().map(|s| (s, l.db.clone(), l.replica.since.clone())))) else {
                    return;
                };
                if self.team.watching.get_value() != generation || self.id.get_untracked() != id {
                    return;
                }
                // Nothing pulled yet (the first round is under way), or logged out: wait.
                let Some(since) = since.filter(|_| !self.logged_out()) else {
                    crate::ui::browser::sleep_ms(500).await;
                    continue;
                };
                let since = match since {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                let changed = crate::ui::couch::changed_since(&server, &db, &since).await;
                if self.team.watching.get_value() != generation || self.id.get_untracked() != id {
                    return;
                }
                match changed {
                    Ok(true) => self.sync_now(),
                    Ok(false) => {}
                    Err(_) => {
                        crate::ui::browser::sleep_ms(RETRY_MS as i32).await;
                        self.sync_now();
                    }
                }
                // Let the round move the checkpoint before watching from it again.
                while self.team.syncing.get_untracked() {
                    crate::ui::browser::sleep_ms(100).await;
                }
            }
        });
    }

    /// Shares the open local workspace into a set-up, empty team database as `user`
    /// (already logged in): every record is queued and sent.
    pub fn share_with_team(self, server: &Server, db: &str, user: &str, roles: Vec<String>) {
        self.flush();
        let mut ws = self.ws.get_untracked();
        let mut replica = Replica::new(user);
        replica.upload(&mut ws, &browser::now_iso());
        self.team.link.set_value(Some(TeamLink { server: server.0.clone(), db: db.to_owned(), replica, unit: None, roles }));
        self.team.last_error.set_value(None);
        self.forget_history();
        self.ws.set(ws);
        self.schedule_save();
        self.store_team();
        self.sync_now();
        self.watch_team();
    }

    /// Joins a team workspace as `user` (already logged in): a new workspace in this
    /// browser, filled by the first pull.
    pub fn join_team(self, server: &Server, db: &str, user: &str, roles: Vec<String>) {
        let ws = Workspace::new(crate::core::Name::new(db).unwrap_or_else(|_| crate::core::Name::new("Team workspace").expect("fixed name")));
        self.create_workspace(ws);
        self.team.link.set_value(Some(TeamLink { server: server.0.clone(), db: db.to_owned(), replica: Replica::new(user), unit: None, roles }));
        self.team.last_error.set_value(None);
        self.store_team();
        self.sync_now();
        self.watch_team();
    }

    /// After logging in again (as the same member, or another one): edits from now on
    /// are recorded by the member now logged in; waiting ones keep their own member's
    /// name (the server refuses them under another login until their member logs in).
    pub fn team_logged_in(self, user: &str, roles: Vec<String>) {
        self.team.link.update_value(|l| {
            if let Some(l) = l {
                if l.replica.author != user {
                    l.replica.author = user.to_owned();
                    l.unit = None;
                }
                l.roles = roles;
            }
        });
        self.team.last_error.set_value(None);
        self.store_team();
        self.sync_now();
    }

    /// The unit a check-in recorded here names as "recorded by": in a shared workspace,
    /// the unit the logged-in member leads by their roles on the server, or the one they
    /// chose among several (none in a local workspace).
    pub fn recording_unit(self) -> Option<crate::core::UnitId> {
        self.team.link.with_value(|l| {
            let l = l.as_ref()?;
            self.ws.with_untracked(|w| crate::sync::recording_unit(&l.db, &l.roles, l.unit, w.units.iter().map(|u| u.id)))
        })
    }

    /// Sets which unit, among those the logged-in member may name, their check-ins name
    /// as "recorded by" (kept in this browser only).
    pub fn set_team_unit(self, unit: Option<crate::core::UnitId>) {
        self.team.link.update_value(|l| {
            if let Some(l) = l {
                l.unit = unit;
            }
        });
        self.store_team();
    }

    /// Stops synchronising the open workspace in this browser: it stays here as a local
    /// workspace; edits not yet sent are not sent.
    pub fn leave_team(self) {
        self.team.link.set_value(None);
        self.team.last_error.set_value(None);
        self.store_team_revs();
        self.store_team();
    }

    /// Sends a refused write again (its member may write it now): the member's roles
    /// are read again first (a server admin may have given or taken a unit), and a
    /// check-in that names a unit they no longer lead names the one they record as now.
    pub async fn retry_refused(self, id: String) {
        let server = self.team.link.with_value(|l| l.as_ref().and_then(|l| Server::parse(&l.server).ok()));
        if let Some(server) = server {
            if let Ok(Some((name, roles))) = crate::ui::couch::session(&server).await {
                self.team_roles(&name, roles);
            }
        }
        let restamp = self.team.link.with_value(|l| l.as_ref().and_then(|l| self.ws.with_untracked(|w| crate::sync::restamped(w, &l.db, &l.roles, l.unit, &id))));
        if let Some(command) = restamp {
            // Recording it again queues the new version in place of the refused one.
            let _ = self.edit(command);
        }
        self.team.link.update_value(|l| {
            if let Some(l) = l {
                l.replica.retry(&id);
            }
        });
        self.store_team();
        self.refresh_team();
        self.sync_now();
    }

    /// Gives up a refused write: the local copy shows the team's version again.
    pub async fn discard_refused(self, id: String) -> Result<(), String> {
        let Some((server, db)) = self.team.link.with_value(|l| l.as_ref().and_then(|l| Server::parse(&l.server).ok().map(|s| (s, l.db.clone())))) else {
            return Err("This workspace is not shared.".into());
        };
        // Through `_all_docs` with the one key: a document the server does not have is a
        // row saying so, not a 404 (which a browser logs as a failed load).
        let path = format!("/{}/_all_docs?include_docs=true", crate::sync::replica::percent_encode(&db));
        let keys = serde_json::json!({ "keys": [id] });
        let answer = server.send("POST", &path, Some(&keys)).await.map_err(|e| format!("Cannot reach the team database: {}.", e.0))?;
        let doc = match answer.status {
            200 => answer.body.get("rows").and_then(|rows| rows.get(0)).and_then(|row| row.get("doc")).filter(|doc| doc.is_object()).cloned(),
            401 => return Err("Log in to the team database first: the team's version is read from it.".into()),
            s => return Err(format!("The team database answered HTTP {s}.")),
        };
        self.change_through_replica(|r, ws| r.discard(ws, &id, doc.as_ref()))
    }

    /// Changes the replica and the open workspace together (a discard, a resolution):
    /// the new version replaces the open one, undo forgets the steps before it, and both
    /// are stored.
    fn change_through_replica(self, f: impl FnOnce(&mut Replica, &mut Workspace) -> Result<(), crate::sync::SyncError>) -> Result<(), String> {
        let mut ws = self.ws.get_untracked();
        let result = self.team.link.try_update_value(|l| l.as_mut().map(|l| f(&mut l.replica, &mut ws))).flatten();
        match result {
            Some(Ok(())) => {
                self.forget_history();
                self.ws.set(ws);
                self.schedule_save();
                self.store_team();
                Ok(())
            }
            Some(Err(e)) => Err(e.to_string()),
            None => Err("This workspace is not shared.".into()),
        }
    }

    /// Settles a conflict as the person chose; the choice is sent at once.
    pub fn resolve_conflict(self, id: &str, choice: Resolution) -> Result<(), String> {
        let at = browser::now_iso();
        self.change_through_replica(|r, ws| r.resolve(ws, id, choice, &at))?;
        self.sync_now();
        Ok(())
    }
}

/// A bucket's content, to tell whether it changed (0: empty).
fn bucket_hash<'a>(entries: impl Iterator<Item = (&'a str, &'a str)>) -> u64 {
    let mut h: u64 = 0;
    for (doc, rev) in entries {
        for b in doc.bytes().chain([0]).chain(rev.bytes()).chain([1]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x100000001b3);
        }
        h = h.wrapping_add(1);
    }
    h
}
