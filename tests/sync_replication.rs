//! Replication of a shared workspace against a simulated CouchDB (tests/couch_sim): a
//! member's edits are pushed as documents with their base revisions, others' edits are
//! pulled from the `_changes` checkpoint, and every disagreement — a 409 on push, an
//! unsent edit overtaken by another member's, `_conflicts` from two sites, a deletion
//! that lost to an edit — becomes a conflict item that only a person's choice settles.
//! The property: over random interleavings of two members' commands, pushes, pulls and
//! site replications, after a full sync both copies are equal to each other and to the
//! server's documents, and every edit is either in the winning history of its document,
//! in a recorded conflict, or moved with a record created under an id another member's
//! record took first.

mod couch_sim;
mod ops;

use std::collections::{BTreeMap, BTreeSet};

use couch_sim::Couch;
use latitude::core::generate::{generate, GenSpec};
use latitude::core::*;
use latitude::sync::*;
use proptest::prelude::*;
use serde_json::{json, Value};

fn name(text: &str) -> Name {
    Name::new(text).unwrap()
}

fn d(text: &str) -> time::Date {
    parse_date(text).unwrap()
}

/// One member: a replica, its local copy, the site it talks to, and what the test
/// remembers of its writes.
struct Member {
    replica: Replica,
    ws: Workspace,
    site: usize,
    /// Documents this member queued a write for, and whether the last one deleted it.
    recorded: BTreeMap<String, bool>,
    /// The content of this member's last write of each document (`None`: deleted).
    contents: BTreeMap<String, Option<Record>>,
    /// The newest revision the server gave each of this member's content writes.
    written: BTreeMap<String, String>,
    /// For each document, the revision this member's copy showed when it last edited it
    /// (what the person saw), and every revision its own writes made since.
    saw: BTreeMap<String, (Option<String>, Vec<String>)>,
    /// Documents whose unsent write met the same content from another member at a pull
    /// (two people recording the same): one record now, which anyone may edit later.
    met: BTreeSet<String>,
}

struct World {
    sites: Vec<Couch>,
    members: Vec<Member>,
    /// Every document that was ever in a conflict or left aside, on any member.
    recorded_conflicts: BTreeSet<String>,
    /// Records a member created under an id another's took first, moved to a fresh id
    /// (the old document id).
    moved: BTreeSet<String>,
    clock: u64,
}

const BATCH: usize = 25;

impl World {
    /// `ana` shares `ws`; `bruno` joins from an empty copy. With two sites, `bruno`
    /// talks to the second one and the sites replicate.
    fn new(mut ws: Workspace, sites: usize) -> World {
        let mut ana = Member {
            replica: Replica::new("ana"),
            ws: Workspace::new(name("…")),
            site: 0,
            recorded: BTreeMap::new(),
            contents: BTreeMap::new(),
            written: BTreeMap::new(),
            saw: BTreeMap::new(),
            met: BTreeSet::new(),
        };
        ana.replica.upload(&mut ws, "2026-11-26T09:00:00Z");
        ana.ws = ws;
        let bruno = Member {
            replica: Replica::new("bruno"),
            ws: Workspace::new(name("Joining")),
            site: sites - 1,
            recorded: BTreeMap::new(),
            contents: BTreeMap::new(),
            written: BTreeMap::new(),
            saw: BTreeMap::new(),
            met: BTreeSet::new(),
        };
        let mut w = World { sites: (0..sites).map(|_| Couch::new()).collect(), members: vec![ana, bruno], recorded_conflicts: BTreeSet::new(), moved: BTreeSet::new(), clock: 0 };
        w.push(0);
        w.replicate();
        w.pull(1);
        w
    }

    fn now(&mut self) -> String {
        self.clock += 1;
        format!("2026-11-26T10:{:02}:{:02}Z", (self.clock / 60) % 60, self.clock % 60)
    }

    /// Applies a command to a member's copy as the app does; `false` if refused.
    fn edit(&mut self, m: usize, command: &Command) -> bool {
        let at = self.now();
        let member = &mut self.members[m];
        let mut after = member.ws.clone();
        let Ok(change) = apply(&mut after, command) else { return false };
        let ids = member.replica.record(&member.ws, &mut after, &change, &at);
        for id in ids {
            member.saw.insert(id.clone(), (member.replica.revs.get(&id).cloned(), Vec::new()));
            let content = record_for(&after, &id.parse().unwrap());
            member.recorded.insert(id.clone(), content.is_none());
            member.met.remove(&id);
            member.contents.insert(id, content);
        }
        member.ws = after;
        true
    }

    /// One `_bulk_docs` request of at most `BATCH` writes.
    fn push_once(&mut self, m: usize) -> bool {
        let member = &mut self.members[m];
        let push = member.replica.push(BATCH);
        if push.is_empty() {
            return false;
        }
        let response = self.sites[member.site].bulk_docs(&push.body);
        let out = self.ack(m, &push, &response);
        assert!(out.refused.is_empty() && out.failed.is_empty(), "{out:?}");
        true
    }

    /// Hands the server's answer to a push to the member, checking each write.
    fn ack(&mut self, m: usize, push: &Push, response: &Value) -> PushOutcome {
        let member = &mut self.members[m];
        let out = member.replica.on_pushed(push, response).unwrap();
        // A write extends the revision its author saw (or the author's own newer one):
        // never one it did not see, which would overwrite someone's edit unseen. A new
        // record may take the id of one another member created and deleted meanwhile
        // (CouchDB writes a new document over a deleted one): nothing is overwritten.
        for (id, rev) in &out.written {
            let site = &self.sites[member.site];
            let parent = site.parent(id, rev);
            let (saw, own) = member.saw.entry(id.clone()).or_default();
            let over_deletion = saw.is_none() && parent.as_ref().is_some_and(|p| site.is_deletion(id, p));
            assert!(
                parent == *saw || over_deletion || parent.as_ref().is_some_and(|p| own.contains(p)),
                "{}'s write of {id} ({rev}) extends {parent:?}, which it never saw (saw {saw:?}, own {own:?})",
                member.replica.author
            );
            own.push(rev.clone());
        }
        member.written.extend(out.written.clone());
        self.recorded_conflicts.extend(out.conflicts.clone());
        out
    }

    fn push(&mut self, m: usize) {
        while self.push_once(m) {}
    }

    /// Pulls every change, `BATCH` at a time, fetching conflicting revisions.
    fn pull(&mut self, m: usize) {
        let pending: BTreeSet<String> = self.members[m].replica.outbox.iter().map(|w| w.id.clone()).collect();
        loop {
            let member = &mut self.members[m];
            let site = &self.sites[member.site];
            let response = site.get(&member.replica.changes_path(BATCH));
            let rows = response["results"].as_array().unwrap().len();
            let pulled = member.replica.on_changes(&mut member.ws, &response).unwrap();
            assert!(pulled.unreadable.is_empty());
            for (id, revs) in &pulled.fetch {
                member.replica.on_revisions(id, &site.open_revs(id, revs)).unwrap();
            }
            self.recorded_conflicts.extend(pulled.conflicts);
            self.moved.extend(pulled.moved.into_iter().map(|(old, _)| old).chain(pulled.refiled));
            if rows < BATCH {
                break;
            }
        }
        let orphans: Vec<String> = self.members[m].replica.orphans.keys().map(ToString::to_string).collect();
        self.recorded_conflicts.extend(orphans);
        // An unsent write that left the outbox at a pull, not for a conflict: the copy
        // holds exactly what this member wrote, so it met the same content.
        let member = &mut self.members[m];
        for id in pending {
            let gone = !member.replica.outbox.iter().any(|w| w.id == id) && !member.replica.conflicts.contains_key(&id);
            let mine = member.contents.get(&id).cloned();
            if gone && mine.is_some() && mine == Some(record_for(&member.ws, &id.parse().unwrap())) {
                member.met.insert(id);
            }
        }
    }

    fn replicate(&mut self) {
        if let [a, b] = &mut self.sites[..] {
            a.replicate_into(b);
            b.replicate_into(a);
        }
    }

    /// Pushes, replicates and pulls until nothing moves.
    fn sync(&mut self) {
        for _ in 0..20 {
            let before: Vec<u64> = self.sites.iter().map(Couch::seq).collect();
            for m in 0..self.members.len() {
                self.push(m);
            }
            self.replicate();
            for m in 0..self.members.len() {
                self.pull(m);
            }
            let after: Vec<u64> = self.sites.iter().map(Couch::seq).collect();
            if before == after && self.members.iter().all(|m| m.replica.is_idle()) {
                return;
            }
        }
        panic!("replication did not settle");
    }

    /// The workspace the first site's winning documents describe.
    fn server_workspace(&self) -> Assembled {
        let docs: BTreeMap<DocKey, Record> = self.sites[0]
            .winners()
            .into_iter()
            .filter(|(id, _)| !id.starts_with("_design/"))
            .map(|(id, (_, doc))| (id.parse().unwrap(), serde_json::from_str(&json!({ "type": doc["type"], "record": doc["record"] }).to_string()).unwrap()))
            .collect();
        workspace_from(&docs).unwrap()
    }

    /// After a full sync: the copies are equal to each other and to the server, and no
    /// member's edit is gone without a recorded conflict.
    fn check_converged(&self) {
        let [a, b] = &self.members[..] else { unreachable!() };
        assert!(a.replica.is_idle() && b.replica.is_idle());
        assert_eq!(a.ws, b.ws, "the two copies differ");
        assert_eq!(a.replica.orphans, b.replica.orphans);
        let server = self.server_workspace();
        assert_eq!(server.workspace, a.ws, "a copy differs from the server");
        assert_eq!(server.orphans, a.replica.orphans);
        let winners = self.sites[0].winners();
        for m in &self.members {
            for c in m.replica.conflicts.values() {
                assert!(c.is_ready(), "{c:?}");
            }
            for (id, deleted) in &m.recorded {
                let kept = m.written.get(id).is_some_and(|rev| self.sites[0].in_winning_history(id, rev));
                // Created and deleted before it was ever sent: nothing to keep.
                let never_sent = *deleted && !m.written.contains_key(id);
                // Another member wrote the same content (the two added the same record,
                // or one's write was answered too late): the edit's effect is there, or
                // was when the two met (someone may have edited the one record since).
                let on_server: Option<Record> = winners.get(id).map(|(_, doc)| serde_json::from_str(&json!({ "type": doc["type"], "record": doc["record"] }).to_string()).unwrap());
                let same = m.contents.get(id).is_some_and(|mine| *mine == on_server) || m.met.contains(id);
                // A record created under an id another member's took first lives on under
                // a fresh id.
                let moved = self.moved.contains(id);
                assert!(kept || never_sent || same || moved || self.recorded_conflicts.contains(id), "{}'s edit of {id} disappeared without a conflict", m.replica.author);
            }
            // A conflict the server holds is shown to every member, not only to the one
            // whose write lost.
            for id in self.sites[0].conflicted() {
                assert!(m.replica.conflicts.contains_key(&id), "{} is not shown the conflict on {id}", m.replica.author);
            }
        }
    }

    /// A person settles a conflict, having seen its current version.
    fn resolve(&mut self, m: usize, id: &str, choice: Resolution) {
        let member = &mut self.members[m];
        member.saw.insert(id.to_owned(), (member.replica.revs.get(id).cloned(), Vec::new()));
        let mut ws = member.ws.clone();
        member.replica.resolve(&mut ws, id, choice, "2026-11-26T12:00:00Z").unwrap();
        member.ws = ws;
    }

    fn conflicts(&self) -> usize {
        self.members.iter().map(|m| m.replica.conflicts.len()).sum()
    }
}

fn small_org() -> Workspace {
    let spec = GenSpec { units: 4, years: 1, cadence_days: 28, commitments_per_unit: 1, decisions_per_unit: 1, ..GenSpec::small() };
    generate(11, &spec)
}

fn first_commitment(ws: &Workspace) -> CommitmentId {
    ws.commitments[0].id
}

fn record_checkin(c: CommitmentId, date: &str, value: f64) -> Command {
    Command::RecordCheckIn { commitment: c, checkin: CheckIn::new(d(date), Finite::new(value, "v").unwrap()) }
}

fn rename_unit(ws: &Workspace, unit: UnitId, to: &str) -> Command {
    let u = ws.unit(unit).unwrap();
    Command::EditUnit { unit, name: name(to), kind: u.kind, parent: u.parent, role: u.role.clone() }
}

#[test]
fn a_shared_workspace_reaches_a_joining_member_whole_and_echoes_change_nothing() {
    let mut w = World::new(small_org(), 1);
    assert_eq!(w.members[1].ws, w.members[0].ws);
    assert!(w.members[0].replica.outbox.is_empty());
    // Pulling one's own writes back changes nothing.
    let before = w.members[0].ws.clone();
    let response = w.sites[0].get(&w.members[0].replica.changes_path(10_000));
    let Member { replica, ws, .. } = &mut w.members[0];
    let pulled = replica.on_changes(ws, &response).unwrap();
    assert!(pulled.applied.is_empty(), "{:?}", pulled.applied);
    assert_eq!(w.members[0].ws, before);
    // Every document names who recorded it.
    assert!(w.sites[0].winners().values().all(|(_, doc)| doc["by"] == "ana"));
    w.check_converged();
}

#[test]
fn edits_of_different_records_by_two_members_never_conflict() {
    let mut w = World::new(small_org(), 1);
    let c = first_commitment(&w.members[0].ws);
    let u = w.members[0].ws.units[1].id;
    assert!(w.edit(0, &record_checkin(c, "2026-03-02", 41.0)));
    let rename = rename_unit(&w.members[1].ws, u, "Renamed by Bruno");
    assert!(w.edit(1, &rename));
    let fields = CommitmentFields { target: Some(Finite::new(99.0, "t").unwrap()), ..w.members[1].ws.commitment(c).unwrap().fields() };
    assert!(w.edit(1, &Command::EditCommitment { commitment: c, fields }));
    w.sync();
    assert_eq!(w.conflicts(), 0);
    w.check_converged();
    let ws = &w.members[0].ws;
    assert_eq!(ws.commitment(c).unwrap().checkins().on(d("2026-03-02")).unwrap().value.get(), 41.0);
    assert_eq!(ws.commitment(c).unwrap().target.unwrap().get(), 99.0);
    assert_eq!(ws.unit(u).unwrap().name.as_str(), "Renamed by Bruno");
    // Each document names the member who wrote it last.
    let winners = w.sites[0].winners();
    assert_eq!(winners[&format!("checkin:{}:2026-03-02", c.0)].1["by"], "ana");
    assert_eq!(winners[&format!("unit:{}", u.0)].1["by"], "bruno");
}

#[test]
fn a_stale_push_is_a_conflict_with_both_versions_and_the_pick_is_written() {
    let mut w = World::new(small_org(), 1);
    let u = w.members[0].ws.units[0].id;
    let id = format!("unit:{}", u.0);
    let cmd = rename_unit(&w.members[0].ws, u, "Ana's name");
    assert!(w.edit(0, &cmd));
    let cmd = rename_unit(&w.members[1].ws, u, "Bruno's name");
    assert!(w.edit(1, &cmd));
    w.push(0);
    // Bruno's write is based on a revision that is no longer current: 409.
    let push = w.members[1].replica.push(BATCH);
    let response = w.sites[0].bulk_docs(&push.body);
    let out = w.ack(1, &push, &response);
    assert_eq!(out.conflicts, vec![id.clone()]);
    // The refused write moved into the conflict, and waits to be written beside Ana's
    // version as a conflicting revision.
    let waiting: Vec<(&str, bool)> = w.members[1].replica.outbox.iter().map(|x| (x.id.as_str(), x.sibling.is_some())).collect();
    assert_eq!(waiting, vec![(id.as_str(), true)]);
    let c = &w.members[1].replica.conflicts[&id];
    assert!(!c.is_ready(), "the server's version is not known yet");
    let mut copy = w.members[1].ws.clone();
    assert_eq!(w.members[1].replica.resolve(&mut copy, &id, Resolution::Keep(0), "t"), Err(SyncError::NotReady(id.clone())));
    assert_eq!(w.members[1].replica.resolve(&mut copy, "unit:999", Resolution::Keep(0), "t"), Err(SyncError::NoConflict("unit:999".into())));
    // Until the pull, the copy shows what Bruno typed.
    assert_eq!(w.members[1].ws.unit(u).unwrap().name.as_str(), "Bruno's name");
    w.pull(1);
    let c = w.members[1].replica.conflicts[&id].clone();
    assert!(c.is_ready());
    let versions: Vec<(&str, Option<&str>)> = c.versions().map(|v| (v.by.as_str(), v.record.as_ref().map(|r| if let Record::Unit(u) = r { u.name.as_str() } else { "?" }))).collect();
    assert_eq!(versions, vec![("ana", Some("Ana's name")), ("bruno", Some("Bruno's name"))]);
    assert!(c.versions().all(|v| !v.at.is_empty()), "each version says when");
    // Until someone chooses, every copy shows the server's version.
    assert_eq!(w.members[1].ws.unit(u).unwrap().name.as_str(), "Ana's name");
    w.sync();
    w.check_converged();
    // Both members see the conflict, with the same two versions: Bruno's is on the server
    // beside Ana's, which stays the one shown.
    assert_eq!(w.sites[0].conflicted(), vec![id.clone()]);
    for m in &w.members {
        let c = &m.replica.conflicts[&id];
        let versions: Vec<(&str, Option<&str>, bool)> =
            c.versions().map(|v| (v.by.as_str(), v.record.as_ref().map(|r| if let Record::Unit(u) = r { u.name.as_str() } else { "?" }), v.rev.is_some())).collect();
        assert_eq!(versions, vec![("ana", Some("Ana's name"), true), ("bruno", Some("Bruno's name"), true)], "{}", m.replica.author);
        assert_eq!(m.ws.unit(u).unwrap().name.as_str(), "Ana's name");
    }
    // Bruno keeps his: it is written over Ana's revision, and reaches Ana.
    w.resolve(1, &id, Resolution::Keep(1));
    assert_eq!(w.members[1].ws.unit(u).unwrap().name.as_str(), "Bruno's name");
    w.sync();
    assert_eq!(w.conflicts(), 0);
    w.check_converged();
    assert_eq!(w.members[0].ws.unit(u).unwrap().name.as_str(), "Bruno's name");
    assert!(w.sites[0].conflicted().is_empty());
}

#[test]
fn an_unsent_edit_overtaken_by_another_members_is_a_conflict_at_pull() {
    let mut w = World::new(small_org(), 1);
    let c = first_commitment(&w.members[0].ws);
    assert!(w.edit(0, &record_checkin(c, "2026-03-02", 1.0)));
    assert!(w.edit(1, &record_checkin(c, "2026-03-02", 2.0)));
    w.push(0);
    w.pull(1);
    let id = format!("checkin:{}:2026-03-02", c.0);
    let conflict = &w.members[1].replica.conflicts[&id];
    assert!(conflict.is_ready());
    assert_eq!(conflict.others[0].by, "bruno");
    assert!(w.members[1].replica.outbox.iter().all(|x| x.id != id), "not sent over Ana's");
    assert_eq!(w.members[1].ws.commitment(c).unwrap().checkins().on(d("2026-03-02")).unwrap().value.get(), 1.0);
    // A merged value settles it.
    let merged = Record::CheckIn { commitment: c, checkin: CheckIn::new(d("2026-03-02"), Finite::new(1.5, "v").unwrap()) };
    w.resolve(1, &id, Resolution::Merged(Some(merged)));
    w.sync();
    w.check_converged();
    assert_eq!(w.members[0].ws.commitment(c).unwrap().checkins().on(d("2026-03-02")).unwrap().value.get(), 1.5);
}

#[test]
fn two_versions_merge_field_by_field_and_the_merge_reaches_everyone() {
    let mut w = World::new(small_org(), 1);
    let c = first_commitment(&w.members[0].ws);
    let id = format!("commitment:{}", c.0);
    let fields = w.members[0].ws.commitment(c).unwrap().fields();
    let target = CommitmentFields { target: Some(Finite::new(99.0, "t").unwrap()), ..fields.clone() };
    assert!(w.edit(0, &Command::EditCommitment { commitment: c, fields: target }));
    let title = CommitmentFields { title: name("Faster refunds"), measure: "days".into(), ..fields.clone() };
    assert!(w.edit(1, &Command::EditCommitment { commitment: c, fields: title }));
    w.push(0);
    w.sync();
    let conflict = w.members[1].replica.conflicts[&id].clone();
    let records: Vec<&Record> = conflict.versions().map(|v| v.record.as_ref().unwrap()).collect();
    let merge = describe::merge_fields(&records);
    let labels: Vec<&str> = merge.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["measure", "target", "title"]);
    let before = fields.target.map_or("(none)".to_owned(), |t| t.get().to_string());
    assert_eq!(merge[1].values, ["99".to_owned(), before]);
    assert_eq!(merge[2].values, [fields.title.to_string(), "Faster refunds".to_owned()]);
    // Ana's target, Bruno's title and measure.
    let picks: Vec<usize> = merge.iter().map(|f| usize::from(f.label != "target")).collect();
    let merged = describe::merged(&records, &merge, &picks).unwrap();
    w.resolve(1, &id, Resolution::Merged(Some(merged)));
    w.sync();
    assert_eq!(w.conflicts(), 0);
    w.check_converged();
    for m in &w.members {
        let c = m.ws.commitment(c).unwrap();
        assert_eq!((c.title.as_str(), c.measure.as_str(), c.target.map(|t| t.get())), ("Faster refunds", "days", Some(99.0)));
    }
    // Picks that make no record are refused with the reason.
    assert!(describe::merged(&records, &merge, &[0, 5, 0]).is_err());
}

#[test]
fn two_sites_accepting_one_document_give_conflicts_that_one_choice_settles_everywhere() {
    let mut w = World::new(small_org(), 2);
    let c = first_commitment(&w.members[0].ws);
    assert!(w.edit(0, &record_checkin(c, "2026-03-02", 1.0)));
    assert!(w.edit(1, &record_checkin(c, "2026-03-02", 2.0)));
    w.push(0);
    w.push(1);
    w.sync();
    let id = format!("checkin:{}:2026-03-02", c.0);
    assert_eq!(w.sites[0].conflicted(), vec![id.clone()]);
    for m in &w.members {
        let conflict = &m.replica.conflicts[&id];
        assert!(conflict.is_ready(), "the losing revision was fetched");
        let mut by: Vec<&str> = conflict.versions().map(|v| v.by.as_str()).collect();
        by.sort();
        assert_eq!(by, ["ana", "bruno"]);
    }
    w.check_converged();
    // A wrong merge is refused and changes nothing.
    let mut ws = w.members[0].ws.clone();
    let wrong = Record::CheckIn { commitment: c, checkin: CheckIn::new(d("2026-03-03"), Finite::new(1.0, "v").unwrap()) };
    assert_eq!(w.members[0].replica.resolve(&mut ws, &id, Resolution::Merged(Some(wrong)), "t"), Err(SyncError::WrongRecord(id.clone())));
    assert_eq!(w.members[0].replica.resolve(&mut ws, &id, Resolution::Keep(5), "t"), Err(SyncError::NoVersion { id: id.clone(), index: 5 }));
    // Ana picks the current version: only the losing revision is deleted, and Bruno's
    // conflict goes away when that deletion reaches him.
    w.resolve(0, &id, Resolution::Keep(0));
    assert!(w.members[0].replica.outbox.iter().all(|x| x.prune && x.record.is_none()));
    w.sync();
    assert!(w.sites[0].conflicted().is_empty());
    assert_eq!(w.conflicts(), 0);
    w.check_converged();
}

#[test]
fn a_deletion_that_loses_to_an_edit_on_another_site_is_a_conflict_not_a_silent_loss() {
    let mut w = World::new(small_org(), 2);
    let c = first_commitment(&w.members[0].ws);
    let date = w.members[0].ws.commitment(c).unwrap().checkins()[0].date;
    let id = format!("checkin:{}:{}", c.0, format_date(date));
    assert!(w.edit(0, &Command::DeleteCheckIn { commitment: c, date }));
    assert!(w.edit(1, &Command::EditCheckIn { commitment: c, date, checkin: CheckIn::new(date, Finite::new(7.0, "v").unwrap()) }));
    w.sync();
    // CouchDB lets the edit win; Ana, who deleted it, is told.
    assert!(w.members[0].ws.commitment(c).unwrap().checkins().on(date).is_some());
    let conflict = &w.members[0].replica.conflicts[&id];
    assert!(conflict.others.iter().any(|v| v.by == "ana" && v.record.is_none()));
    w.check_converged();
    // Keeping the deletion deletes it everywhere.
    let deletion = conflict.versions().position(|v| v.record.is_none()).unwrap();
    w.resolve(0, &id, Resolution::Keep(deletion));
    w.sync();
    assert!(w.members[1].ws.commitment(c).unwrap().checkins().on(date).is_none());
    w.check_converged();
}

#[test]
fn a_refused_write_stays_in_the_outbox_with_the_reason_and_the_copy_intact() {
    let mut w = World::new(small_org(), 1);
    w.sites[0].validate = Some(Box::new(|doc: &Value| (doc["by"] == "bruno").then(|| ("forbidden".to_owned(), "You may read this workspace but not change it.".to_owned()))));
    let u = w.members[1].ws.units[0].id;
    let cmd = rename_unit(&w.members[1].ws, u, "Reader's try");
    assert!(w.edit(1, &cmd));
    let push = w.members[1].replica.push(BATCH);
    let response = w.sites[0].bulk_docs(&push.body);
    let out = w.ack(1, &push, &response);
    assert_eq!(out.refused, vec![(format!("unit:{}", u.0), "You may read this workspace but not change it.".to_owned())]);
    assert_eq!(w.members[1].replica.outbox.len(), 1);
    assert_eq!(w.members[1].replica.outbox[0].refused.as_deref(), Some("You may read this workspace but not change it."));
    assert_eq!(w.members[1].ws.unit(u).unwrap().name.as_str(), "Reader's try");
    // Not sent again by itself…
    assert!(w.members[1].replica.push(BATCH).is_empty());
    // …but once allowed and retried, it goes through.
    w.sites[0].validate = None;
    w.members[1].replica.retry_refused();
    w.sync();
    w.check_converged();
    assert_eq!(w.members[0].ws.unit(u).unwrap().name.as_str(), "Reader's try");
}

#[test]
fn garbage_answers_change_nothing() {
    let mut w = World::new(small_org(), 1);
    let u = w.members[0].ws.units[0].id;
    let cmd = rename_unit(&w.members[0].ws, u, "Kept");
    assert!(w.edit(0, &cmd));
    let state = w.members[0].replica.clone();
    let push = w.members[0].replica.push(BATCH);
    for garbage in [json!({"error": "oops"}), json!([]), json!([{"id": "unit:999", "rev": "1-a"}]), json!([{"id": format!("unit:{}", u.0)}])] {
        assert!(matches!(w.members[0].replica.on_pushed(&push, &garbage), Err(SyncError::Garbage(_))), "{garbage}");
        assert_eq!(w.members[0].replica, state);
    }
    let ws = w.members[0].ws.clone();
    for garbage in [json!("<html>"), json!({"results": []}), json!({"results": [{"id": "unit:1"}], "last_seq": 5}), json!({"last_seq": 5})] {
        let Member { replica, ws: copy, .. } = &mut w.members[0];
        assert!(matches!(replica.on_changes(copy, &garbage), Err(SyncError::Garbage(_))), "{garbage}");
        assert_eq!(w.members[0].replica, state);
        assert_eq!(w.members[0].ws, ws);
    }
    // A document that is not a Latitude record is named and left alone; the checkpoint moves.
    let odd = json!({"results": [{"seq": 99, "id": "unit:1", "changes": [{"rev": "9-x"}], "doc": {"_id": "unit:1", "_rev": "9-x", "type": "unit", "record": {"id": 2, "name": "Wrong id"}}}], "last_seq": 99});
    let Member { replica, ws: copy, .. } = &mut w.members[0];
    let pulled = replica.on_changes(copy, &odd).unwrap();
    assert_eq!(pulled.unreadable, vec!["unit:1".to_owned()]);
    assert_eq!(w.members[0].ws, ws);
    assert_eq!(w.members[0].replica.since, Some(json!(99)));
    assert!(w.members[0].replica.changes_path(10).ends_with("since=99"));
}

#[test]
fn the_outbox_and_checkpoint_survive_a_reload() {
    let mut w = World::new(small_org(), 1);
    let c = first_commitment(&w.members[0].ws);
    assert!(w.edit(0, &record_checkin(c, "2026-03-02", 1.0)));
    assert!(w.edit(0, &record_checkin(c, "2026-03-02", 2.0)));
    assert_eq!(w.members[0].replica.outbox.len(), 1, "a second edit before sending replaces the first");
    let saved = serde_json::to_string(&w.members[0].replica).unwrap();
    w.members[0].replica = serde_json::from_str(&saved).unwrap();
    assert_eq!(serde_json::to_string(&w.members[0].replica).unwrap(), saved);
    w.sync();
    w.check_converged();
    assert_eq!(w.members[1].ws.commitment(c).unwrap().checkins().on(d("2026-03-02")).unwrap().value.get(), 2.0);
    // The checkpoint is kept: a reloaded replica asks only for what is new.
    let since = w.members[1].replica.since.clone();
    let reloaded: Replica = serde_json::from_str(&serde_json::to_string(&w.members[1].replica).unwrap()).unwrap();
    assert_eq!(reloaded.since, since);
    assert_eq!(w.sites[0].get(&reloaded.changes_path(100))["results"].as_array().unwrap().len(), 0);
}

#[test]
fn an_edit_made_while_its_document_is_on_the_way_is_sent_on_the_new_revision() {
    let mut w = World::new(small_org(), 1);
    let u = w.members[0].ws.units[0].id;
    let cmd = rename_unit(&w.members[0].ws, u, "First");
    assert!(w.edit(0, &cmd));
    let push = w.members[0].replica.push(BATCH);
    let response = w.sites[0].bulk_docs(&push.body);
    let cmd = rename_unit(&w.members[0].ws, u, "Second");
    assert!(w.edit(0, &cmd));
    w.ack(0, &push, &response);
    assert_eq!(w.members[0].replica.outbox.len(), 1);
    w.sync();
    assert_eq!(w.conflicts(), 0);
    w.check_converged();
    assert_eq!(w.members[1].ws.unit(u).unwrap().name.as_str(), "Second");
}

#[test]
fn a_record_created_and_deleted_before_it_was_sent_sends_nothing() {
    let mut w = World::new(small_org(), 1);
    let (unit, area) = (w.members[1].ws.units[0].id, w.members[1].ws.areas[0].id);
    let log = Command::LogDecision { unit, area, date: d("2026-03-02"), title: name("Vendor"), expected: String::new(), review_date: None };
    let id = format!("decision:{}", w.members[1].ws.next_decision_id().0);
    assert!(w.edit(1, &log));
    assert!(w.edit(1, &Command::RemoveUnit { unit }));
    let push = w.members[1].replica.push(10_000);
    assert!(!push.is_empty());
    assert!(push.body["docs"].as_array().unwrap().iter().all(|doc| doc["_id"] != id.as_str()), "no deletion of what the server never had");
    w.sync();
    // Ana's own decision of that id is no one's conflict.
    let unit = w.members[0].ws.units[0].id;
    assert!(w.edit(0, &Command::LogDecision { unit, area, date: d("2026-03-03"), title: name("Pricing"), expected: String::new(), review_date: None }));
    w.sync();
    assert_eq!(w.conflicts(), 0);
    w.check_converged();
}

#[test]
fn records_two_members_create_apart_under_one_id_are_both_kept_under_two_ids() {
    let mut w = World::new(small_org(), 1);
    let area = w.members[0].ws.areas[0].id;
    let next = w.members[0].ws.next_unit_id();
    assert_eq!(next, w.members[1].ws.next_unit_id());
    let add = |n: &str| Command::AddUnit { name: name(n), kind: UnitKind::Team, parent: None, role: String::new() };
    assert!(w.edit(0, &add("Billing")));
    assert!(w.edit(1, &add("Payments")));
    // Bruno gives his new team a commitment, a grant and a decision before he syncs.
    let fields = CommitmentFields::new(next, name("Refunds in a day"), Category::Revenue, d("2026-03-01"));
    assert!(w.edit(1, &Command::AddCommitment { fields }));
    let commitment = w.members[1].ws.commitments.iter().find(|c| c.owner == next).unwrap().id;
    assert!(w.edit(1, &record_checkin(commitment, "2026-03-05", 3.0)));
    let grant =
        Command::Grant { unit: next, area: AreaRef::Existing(area), date: d("2026-03-01"), rung: Rung::new(2).unwrap(), level: Level::new(4).unwrap(), granted_by: None, reason: "New team".into() };
    assert!(w.edit(1, &grant));
    // Ana's team reached the server first: Bruno's push of his is refused (409).
    w.push(0);
    w.sync();
    assert_eq!(w.conflicts(), 0, "two different teams are no conflict");
    w.check_converged();
    for m in &w.members {
        let billing = m.ws.units.iter().find(|u| u.name.as_str() == "Billing").unwrap();
        let payments = m.ws.units.iter().find(|u| u.name.as_str() == "Payments").unwrap();
        assert_eq!(billing.id, next, "the first on the server keeps the id");
        assert!(payments.id > next);
        // Everything Bruno gave his team went with it.
        let c = m.ws.commitments.iter().find(|c| c.title.as_str() == "Refunds in a day").unwrap();
        assert_eq!(c.owner, payments.id);
        assert_eq!(c.checkins().on(d("2026-03-05")).unwrap().value.get(), 3.0);
        assert!(m.ws.grants.iter().any(|g| g.unit == payments.id && g.area == area));
        assert!(m.ws.grants.iter().all(|g| g.unit != billing.id));
        assert!(m.ws.validate().is_ok());
    }
    // The unit moved, and its grant's document with it (filed under the unit's id).
    assert_eq!(w.moved, BTreeSet::from([format!("grant:{}:{}:2026-03-01", next.0, area.0), format!("unit:{}", next.0)]));
    // The documents say the same: Bruno's grant is filed under his team's new id only.
    let winners = w.sites[0].winners();
    assert!(winners.keys().all(|id| !id.starts_with(&format!("grant:{}:", next.0))));
}

#[test]
fn two_members_adding_one_team_of_the_same_name_apart_is_a_conflict_they_settle() {
    let mut w = World::new(small_org(), 1);
    let add = Command::AddUnit { name: name("Billing"), kind: UnitKind::Team, parent: None, role: String::new() };
    assert!(w.edit(0, &add));
    let add = Command::AddUnit { name: name("billing"), kind: UnitKind::Person, parent: None, role: String::new() };
    assert!(w.edit(1, &add));
    w.push(0);
    w.sync();
    let id = format!("unit:{}", w.members[0].ws.units.iter().find(|u| u.name.as_str() == "Billing").unwrap().id.0);
    assert!(w.members[1].replica.conflicts.contains_key(&id), "the people choose which of the two is the team");
    assert!(w.moved.is_empty());
    w.check_converged();
}

/// Two members add the same area apart (a workshop round each, the same new area): one
/// record, no conflict. When one then renames it, the other's add is not lost: it met
/// the same content, and the rename came after.
#[test]
fn the_same_area_added_apart_is_one_record_that_either_member_renames_later() {
    let mut w = World::new(small_org(), 1);
    for (m, date) in [(0, "2026-01-05"), (1, "2026-01-12")] {
        assert!(w.edit(m, &Command::StartWorkshop { date: d(date), title: None }));
        let workshop = w.members[m].ws.workshops[0].id;
        let unit = w.members[m].ws.units[0].id;
        assert!(w.edit(m, &Command::OpenRound { workshop, unit, area: AreaRef::New(name("Payments")) }));
    }
    let area = w.members[1].ws.areas.iter().find(|a| a.name.as_str() == "Payments").unwrap().id;
    assert_eq!(w.members[0].ws.areas.iter().find(|a| a.name.as_str() == "Payments").unwrap().id, area, "both took the same id");
    w.push(1);
    w.pull(0);
    let id = format!("area:{}", area.0);
    assert!(!w.members[0].replica.conflicts.contains_key(&id), "the same content is nothing to choose");
    assert!(w.members[0].met.contains(&id));
    assert!(w.edit(1, &Command::RenameArea { area, name: name("Payments and billing") }));
    w.sync();
    w.check_converged();
    let ws = &w.members[0].ws;
    assert_eq!(ws.areas.iter().filter(|a| a.name.as_str().starts_with("Payments")).count(), 1, "one area, not two");
    assert_eq!(ws.areas.iter().find(|a| a.id == area).unwrap().name.as_str(), "Payments and billing");
    // Both workshops (one moved to a fresh id) discuss that one area.
    assert_eq!(ws.workshops.len(), 2);
    assert!(ws.workshops.iter().all(|s| s.areas.contains(&area)), "{:?}", ws.workshops.iter().map(|s| &s.areas).collect::<Vec<_>>());
}

/// A member's record pulled a page before the record it names, while this member's own
/// record under that id waits to be sent: when this member's record moves to a fresh id,
/// the other's record keeps naming the other's (and nothing is written over it).
#[test]
fn a_record_pulled_before_the_one_it_names_keeps_naming_it_when_mine_moves() {
    let mut w = World::new(small_org(), 1);
    assert!(w.edit(1, &Command::StartWorkshop { date: d("2026-01-12"), title: None }));
    let workshop = w.members[1].ws.workshops[0].id;
    let unit = w.members[1].ws.units[0].id;
    assert!(w.edit(1, &Command::OpenRound { workshop, unit, area: AreaRef::New(name("Payments")) }));
    assert!(w.edit(0, &Command::AddArea { name: name("Vendor choice") }));
    let area = w.members[1].ws.areas.iter().find(|a| a.name.as_str() == "Payments").unwrap().id;
    assert_eq!(w.members[0].ws.areas.iter().find(|a| a.name.as_str() == "Vendor choice").unwrap().id, area, "both took the same id");
    w.push(1);
    // One document per page: the workshop comes before the area it names.
    loop {
        let Member { replica, ws, .. } = &mut w.members[0];
        let response = w.sites[0].get(&replica.changes_path(1));
        let pulled = replica.on_changes(ws, &response).unwrap();
        w.moved.extend(pulled.moved.into_iter().map(|(old, _)| old).chain(pulled.refiled));
        if response["results"].as_array().unwrap().is_empty() {
            break;
        }
    }
    let ws = &w.members[0].ws;
    let payments = ws.areas.iter().find(|a| a.name.as_str() == "Payments").unwrap().id;
    let hiring = ws.areas.iter().find(|a| a.name.as_str() == "Vendor choice").unwrap().id;
    assert_eq!(payments, area, "Bruno's area keeps its id");
    assert_ne!(hiring, area, "Ana's moved");
    assert_eq!(ws.workshops[0].areas, vec![payments], "Bruno's workshop still discusses his area");
    assert!(!w.members[0].replica.outbox.iter().any(|x| x.id.starts_with("workshop:")), "nothing is written over Bruno's workshop");
    w.sync();
    w.check_converged();
}

#[derive(Debug, Clone)]
enum Step {
    Edit(usize, ops::Op),
    Push(usize),
    PushOnce(usize),
    Pull(usize),
    Replicate,
    Resolve(usize, prop::sample::Index, prop::sample::Index),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => (0usize..2, ops::op()).prop_map(|(m, o)| Step::Edit(m, o)),
        2 => (0usize..2).prop_map(Step::Push),
        1 => (0usize..2).prop_map(Step::PushOnce),
        2 => (0usize..2).prop_map(Step::Pull),
        1 => Just(Step::Replicate),
        1 => (0usize..2, any::<prop::sample::Index>(), any::<prop::sample::Index>()).prop_map(|(m, c, v)| Step::Resolve(m, c, v)),
    ]
}

impl World {
    fn resolve_some(&mut self, m: usize, which: &prop::sample::Index, version: &prop::sample::Index) {
        let member = &mut self.members[m];
        let ready: Vec<(String, usize)> = member.replica.conflicts.values().filter(|c| c.is_ready()).map(|c| (c.id.clone(), c.versions().count())).collect();
        if ready.is_empty() {
            return;
        }
        let (id, n) = &ready[which.index(ready.len())];
        let (id, choice) = (id.clone(), Resolution::Keep(version.index(*n)));
        self.resolve(m, &id, choice);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn after_any_interleaving_and_a_full_sync_both_copies_are_equal_and_no_edit_vanished(two_sites in any::<bool>(), steps in prop::collection::vec(step(), 1..40)) {
        let mut w = World::new(small_org(), if two_sites { 2 } else { 1 });
        for s in &steps {
            match s {
                Step::Edit(m, o) => {
                    if let Some(c) = ops::resolve(&w.members[*m].ws, o, &[]) {
                        w.edit(*m, &c);
                    }
                }
                Step::Push(m) => w.push(*m),
                Step::PushOnce(m) => { w.push_once(*m); }
                Step::Pull(m) => w.pull(*m),
                Step::Replicate => w.replicate(),
                Step::Resolve(m, c, v) => w.resolve_some(*m, c, v),
            }
        }
        w.sync();
        w.check_converged();
        // People settle every conflict (the current version, from the second round on,
        // so concurrent choices end); then nothing is left in conflict anywhere.
        for round in 0..6 {
            for m in 0..2 {
                let ids: Vec<String> = w.members[m].replica.conflicts.keys().cloned().collect();
                for id in ids {
                    let n = w.members[m].replica.conflicts[&id].versions().count();
                    let pick = if round == 0 { (id.len() + m) % n } else { 0 };
                    w.resolve(m, &id, Resolution::Keep(pick));
                }
            }
            w.sync();
            if w.conflicts() == 0 {
                break;
            }
        }
        prop_assert_eq!(w.conflicts(), 0);
        prop_assert!(w.sites[0].conflicted().is_empty());
        w.check_converged();
    }
}
