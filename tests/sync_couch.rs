//! The replication state machine and the design document against a real CouchDB API:
//! the pinned pouchdb-server (tools/package.json) on a free loopback port with a fresh
//! data folder. A leader shares a workspace, a member joins and edits, a stale write is
//! a conflict, a reader's write and a write claiming another author are refused by
//! `validate_doc_update`, and a request without a session is refused by `_security`.
#![cfg(feature = "e2e")]

mod pouchdb;

use latitude::core::generate::{generate, GenSpec};
use latitude::core::*;
use latitude::sync::*;
use pouchdb::*;
use serde_json::json;
use std::cell::RefCell;
use std::future::Future;
use std::task::{Context, Poll, Waker};

fn push_all(server: &Server, auth: &str, replica: &mut Replica) -> PushOutcome {
    let mut all = PushOutcome::default();
    loop {
        let push = replica.push(200);
        if push.is_empty() {
            return all;
        }
        let (status, answer) = request(server, "POST", "/team/_bulk_docs", Some(auth), Some(&push.body)).unwrap();
        assert_eq!(status, 201, "{answer}");
        let out = replica.on_pushed(&push, &answer).unwrap_or_else(|e| panic!("{e}: {answer}"));
        let stop = out.written.is_empty() && out.pruned.is_empty() && out.siblings.is_empty();
        all.written.extend(out.written);
        all.siblings.extend(out.siblings);
        all.conflicts.extend(out.conflicts);
        all.refused.extend(out.refused);
        all.failed.extend(out.failed);
        if stop {
            return all;
        }
    }
}

fn pull_all(server: &Server, auth: &str, replica: &mut Replica, ws: &mut Workspace) {
    loop {
        let (status, answer) = request(server, "GET", &format!("/team/{}", replica.changes_path(500)), Some(auth), None).unwrap();
        assert_eq!(status, 200, "{answer}");
        let rows = answer["results"].as_array().unwrap().len();
        let pulled = replica.on_changes(ws, &answer).unwrap();
        assert!(pulled.unreadable.is_empty(), "{:?}", pulled.unreadable);
        for (id, revs) in pulled.fetch {
            let path = format!("/team/{id}?open_revs={}", serde_json::Value::from(revs).to_string().replace('"', "%22"));
            let (status, answer) = request(server, "GET", &path, Some(auth), None).unwrap();
            assert_eq!(status, 200, "{answer}");
            replica.on_revisions(&id, &answer).unwrap();
        }
        if rows < 500 {
            return;
        }
    }
}

fn edit(replica: &mut Replica, ws: &mut Workspace, command: &Command) {
    let mut after = ws.clone();
    let change = apply(&mut after, command).unwrap();
    replica.record(ws, &mut after, &change, "2026-11-26T10:00:00Z");
    *ws = after;
}

/// A server with the team database, its `_security` and design document, and three
/// users: ana (leader), bruno (member), rita (reader), each with the password "pw"; the
/// admin's credentials header.
fn team_server() -> (Server, String) {
    let server = start();
    let admin = make_admin(&server, "admin", "secret");
    for (name, role) in [("ana", "leader"), ("bruno", "member"), ("rita", "reader")] {
        let user = json!({ "_id": format!("org.couchdb.user:{name}"), "name": name, "password": "pw", "roles": [role], "type": "user" });
        let (status, body) = request(&server, "PUT", &format!("/_users/org.couchdb.user:{name}"), Some(&admin), Some(&user)).unwrap();
        assert!(status == 201 || status == 202, "{body}");
    }
    assert_eq!(request(&server, "PUT", "/team", Some(&admin), None).unwrap().0, 201);
    assert_eq!(request(&server, "PUT", "/team/_security", Some(&admin), Some(&security_object())).unwrap().0, 200);
    let (status, body) = request(&server, "PUT", &format!("/team/{DESIGN_ID}"), Some(&admin), Some(&design_document("team"))).unwrap();
    assert_eq!(status, 201, "{body}");
    (server, admin)
}

/// `sync::round`'s transport over the tests' blocking client, as a logged-in member.
struct Member<'a> {
    server: &'a Server,
    auth: String,
    requests: RefCell<Vec<String>>,
}

impl Transport for Member<'_> {
    async fn send(&self, method: &'static str, path: &str, body: Option<&serde_json::Value>) -> Result<Answer, Unreachable> {
        self.requests.borrow_mut().push(format!("{method} {path}"));
        request(self.server, method, path, Some(&self.auth), body).map(|(status, body)| Answer { status, body }).map_err(|e| Unreachable(e.to_string()))
    }
}

/// Runs a round whose transport answers at once (the blocking client): it never waits.
fn now<F: Future>(f: F) -> F::Output {
    match std::pin::pin!(f).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("a round over a blocking client does not wait"),
    }
}

#[test]
fn a_member_joins_a_workspace_of_several_pages_through_all_docs() {
    let (server, _) = team_server();
    let ana = Member { server: &server, auth: login(&server, "ana", "pw"), requests: RefCell::new(Vec::new()) };
    let mut ws = generate(11, &GenSpec { units: 140, ..GenSpec::small() });
    assert!(documents(&ws).len() > 2 * round::FIRST_PULL_BATCH, "more than two pages");
    let mut replica = Replica::new("ana");
    replica.upload(&mut ws, "2026-11-26T09:00:00Z");
    let ana_copy = RefCell::new((replica, ws));
    now(round::round(&ana, "team", &ana_copy)).unwrap();
    assert_eq!(Status::of(&ana_copy.borrow().0, None), Status::Synced);
    // Bruno's first pull reads every page of _all_docs (ids quoted as JSON keys), then
    // _changes from the update_seq read before the first page.
    let bruno = Member { server: &server, auth: login(&server, "bruno", "pw"), requests: RefCell::new(Vec::new()) };
    let copy = RefCell::new((Replica::new("bruno"), Workspace::new(Name::new("Joining").unwrap())));
    now(round::round(&bruno, "team", &copy)).unwrap();
    let requests = bruno.requests.borrow();
    assert_eq!(requests.iter().filter(|r| r.contains("/_all_docs?")).count(), 3, "{requests:?}");
    assert!(requests.last().unwrap().contains("/_changes?"), "{requests:?}");
    let (replica, joined) = &*copy.borrow();
    assert_eq!(joined, &ana_copy.borrow().1);
    assert_eq!(Status::of(replica, None), Status::Synced);
    assert_eq!(replica.revs, ana_copy.borrow().0.revs, "every revision known");
}

#[test]
fn members_share_a_workspace_through_pouchdb_server_under_the_design_documents_rules() {
    let (server, admin) = team_server();

    // Without a session nothing is read.
    let (status, _) = request(&server, "GET", "/team/_changes", None, None).unwrap();
    assert_eq!(status, 401);

    // Ana, a leader, shares a workspace.
    let ana_auth = login(&server, "ana", "pw");
    let mut ana_ws = generate(3, &GenSpec { units: 3, years: 1, cadence_days: 28, commitments_per_unit: 1, decisions_per_unit: 1, ..GenSpec::small() });
    let mut ana = Replica::new("ana");
    ana.upload(&mut ana_ws, "2026-11-26T09:00:00Z");
    let out = push_all(&server, &ana_auth, &mut ana);
    assert!(out.refused.is_empty() && out.failed.is_empty() && out.conflicts.is_empty(), "{out:?}");
    assert!(ana.is_idle());

    // Bruno, a member, joins and gets the same workspace.
    let bruno_auth = login(&server, "bruno", "pw");
    let mut bruno = Replica::new("bruno");
    let mut bruno_ws = Workspace::new(Name::new("Joining").unwrap());
    pull_all(&server, &bruno_auth, &mut bruno, &mut bruno_ws);
    assert_eq!(bruno_ws, ana_ws);

    // Both edit the same unit: Bruno's write is stale, a conflict with both versions.
    let unit = ana_ws.units[0].clone();
    let rename = |to: &str| Command::EditUnit { unit: unit.id, name: Name::new(to).unwrap(), kind: unit.kind, parent: unit.parent, role: unit.role.clone() };
    edit(&mut ana, &mut ana_ws, &rename("Ana's name"));
    edit(&mut bruno, &mut bruno_ws, &rename("Bruno's name"));
    let c = ana_ws.commitments[0].id;
    edit(&mut bruno, &mut bruno_ws, &Command::RecordCheckIn { commitment: c, checkin: CheckIn::new(parse_date("2025-12-01").unwrap(), Finite::new(3.0, "v").unwrap()) });
    assert!(push_all(&server, &ana_auth, &mut ana).conflicts.is_empty());
    let out = push_all(&server, &bruno_auth, &mut bruno);
    let id = format!("unit:{}", unit.id.0);
    assert_eq!(out.conflicts, vec![id.clone()]);
    assert_eq!(out.written.len(), 1, "the check-in went through: {out:?}");
    // Once the pull has brought Ana's version, Bruno's goes beside it as a conflicting
    // revision, through the design document's rules (`new_edits: false` is validated too).
    pull_all(&server, &bruno_auth, &mut bruno, &mut bruno_ws);
    let out = push_all(&server, &bruno_auth, &mut bruno);
    assert_eq!(out.siblings.len(), 1, "{out:?}");
    assert!(out.refused.is_empty() && out.failed.is_empty(), "{out:?}");
    pull_all(&server, &bruno_auth, &mut bruno, &mut bruno_ws);
    pull_all(&server, &ana_auth, &mut ana, &mut ana_ws);
    // Apache CouchDB keeps it (`tests/sync_replication.rs` checks that both members are
    // then shown the conflict); pouchdb-server answers but drops `new_edits: false`
    // writes made by a member's session. Either way Bruno keeps his conflict with both
    // versions, and Ana's version stays the one shown.
    let (_, leaves) = request(&server, "GET", &format!("/team/{id}?open_revs=all"), Some(&admin), None).unwrap();
    let kept = leaves.as_array().map_or(0, Vec::len) == 2;
    let shown_to: Vec<&str> = if kept { vec!["bruno", "ana"] } else { vec!["bruno"] };
    for (who, replica, ws) in [("bruno", &bruno, &bruno_ws), ("ana", &ana, &ana_ws)] {
        assert_eq!(ws.unit(unit.id).unwrap().name.as_str(), "Ana's name", "{who}");
        if !shown_to.contains(&who) {
            assert!(replica.conflicts.is_empty(), "{who}");
            continue;
        }
        let conflict = &replica.conflicts[&id];
        assert!(conflict.is_ready(), "{who}");
        assert_eq!(conflict.versions().map(|v| v.by.as_str()).collect::<Vec<_>>(), ["ana", "bruno"], "{who}");
    }
    bruno.resolve(&mut bruno_ws, &id, Resolution::Keep(1), "2026-11-26T11:00:00Z").unwrap();
    assert!(push_all(&server, &bruno_auth, &mut bruno).conflicts.is_empty());
    pull_all(&server, &ana_auth, &mut ana, &mut ana_ws);
    pull_all(&server, &bruno_auth, &mut bruno, &mut bruno_ws);
    assert_eq!(ana_ws, bruno_ws);
    assert_eq!(ana_ws.unit(unit.id).unwrap().name.as_str(), "Bruno's name");
    assert!(ana.conflicts.is_empty() && bruno.conflicts.is_empty(), "one choice settles it for both");

    // A member cannot record a grant; the write is kept, refused with the reason.
    let grant = Command::Grant {
        unit: unit.id,
        area: AreaRef::Existing(ana_ws.areas[0].id),
        date: parse_date("2026-11-26").unwrap(),
        rung: Rung::new(2).unwrap(),
        level: Level::new(3).unwrap(),
        granted_by: None,
        reason: "Owns the release train".into(),
    };
    edit(&mut bruno, &mut bruno_ws, &grant);
    let out = push_all(&server, &bruno_auth, &mut bruno);
    assert_eq!(out.refused.len(), 1, "{out:?}");
    assert!(out.refused[0].1.contains("leader"), "{out:?}");
    assert_eq!(bruno.outbox.len(), 1);

    // A reader cannot write at all.
    let rita_auth = login(&server, "rita", "pw");
    let mut rita = Replica::new("rita");
    let mut rita_ws = Workspace::new(Name::new("Joining").unwrap());
    pull_all(&server, &rita_auth, &mut rita, &mut rita_ws);
    assert_eq!(rita_ws, ana_ws);
    edit(&mut rita, &mut rita_ws, &rename("Rita's try"));
    let out = push_all(&server, &rita_auth, &mut rita);
    assert_eq!(out.refused.len(), 1, "{out:?}");
    assert_eq!(rita_ws.unit(unit.id).unwrap().name.as_str(), "Rita's try", "the local copy is intact");

    // Nobody writes a record in another's name.
    let (_, current) = request(&server, "GET", &format!("/team/{id}"), Some(&bruno_auth), None).unwrap();
    let mut forged = current.clone();
    forged["by"] = json!("ana");
    let (status, answer) = request(&server, "POST", "/team/_bulk_docs", Some(&bruno_auth), Some(&json!({ "docs": [forged] }))).unwrap();
    assert_eq!(status, 201);
    assert_eq!(answer[0]["error"], "forbidden", "{answer}");
}
