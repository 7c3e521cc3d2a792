//! Synchronisation rounds (`sync::round`) against a CouchDB database in memory, through a
//! transport that can fail the way a network and a server do: every fault ends the round
//! with its own message, keeps the local copy and the outbox, and the next round after
//! the cause is gone converges.

mod couch_sim;

use std::cell::RefCell;
use std::collections::VecDeque;

use couch_sim::{percent_decode, Couch};
use latitude::core::generate::{generate, GenSpec};
use latitude::core::*;
use latitude::sync::round::FIRST_PULL_BATCH;
use latitude::sync::*;
use serde_json::{json, Value};

/// What the transport does with a request instead of serving it.
#[derive(Clone)]
enum Fault {
    /// No answer (server down, network cut before the request arrived).
    Unreachable,
    /// The server did the work but the answer was lost (network cut mid-request).
    LostAnswer,
    /// This answer instead of the server's.
    Answer(u16, Value),
}

struct Net {
    couch: RefCell<Couch>,
    db: &'static str,
    faults: RefCell<VecDeque<Option<Fault>>>,
    requests: RefCell<Vec<String>>,
}

impl Net {
    fn new() -> Net {
        Net { couch: RefCell::new(Couch::new()), db: "team", faults: RefCell::new(VecDeque::new()), requests: RefCell::new(Vec::new()) }
    }
    /// The next requests meet these faults (`None`: served normally).
    fn fail(&self, faults: impl IntoIterator<Item = Option<Fault>>) {
        self.faults.borrow_mut().extend(faults);
    }
    fn serve(&self, method: &str, path: &str, body: Option<&Value>) -> Answer {
        let mut couch = self.couch.borrow_mut();
        if path == format!("/{}", self.db) {
            return Answer { status: 200, body: couch.info() };
        }
        let rest = path.strip_prefix(&format!("/{}/", self.db)).expect("requests go to the team database");
        match (method, rest) {
            ("GET", r) if r.starts_with("_all_docs?") => Answer { status: 200, body: couch.all_docs(&r["_all_docs?".len()..]) },
            ("POST", "_bulk_docs") => Answer { status: 201, body: couch.bulk_docs(body.unwrap()) },
            ("GET", r) if r.starts_with("_changes?") => Answer { status: 200, body: couch.get(r) },
            ("GET", r) => {
                let (id, query) = r.split_once("?open_revs=").expect("a document's open_revs");
                let revs: Vec<String> = serde_json::from_str(&percent_decode(query)).unwrap();
                Answer { status: 200, body: couch.open_revs(&percent_decode(id), &revs) }
            }
            _ => panic!("unexpected {method} {path}"),
        }
    }
}

impl Transport for Net {
    async fn send(&self, method: &'static str, path: &str, body: Option<&Value>) -> Result<Answer, Unreachable> {
        self.requests.borrow_mut().push(format!("{method} {path}"));
        match self.faults.borrow_mut().pop_front().flatten() {
            None => Ok(self.serve(method, path, body)),
            Some(Fault::Unreachable) => Err(Unreachable("connection refused".into())),
            Some(Fault::LostAnswer) => {
                self.serve(method, path, body);
                Err(Unreachable("the connection was reset".into()))
            }
            Some(Fault::Answer(status, body)) => Ok(Answer { status, body }),
        }
    }
}

/// One member's copy.
struct Member(RefCell<(Replica, Workspace)>);

impl LocalCopy for Member {
    fn replica<R>(&self, f: impl FnOnce(&mut Replica) -> R) -> R {
        LocalCopy::replica(&self.0, f)
    }
    fn both<R>(&self, f: impl FnOnce(&mut Replica, &mut Workspace) -> R) -> R {
        LocalCopy::both(&self.0, f)
    }
}

impl Member {
    fn sharing(author: &str, mut ws: Workspace) -> Member {
        let mut r = Replica::new(author);
        r.upload(&mut ws, "2026-11-26T09:00:00Z");
        Member(RefCell::new((r, ws)))
    }
    fn joining(author: &str) -> Member {
        Member(RefCell::new((Replica::new(author), Workspace::new(Name::new("Joining").unwrap()))))
    }
    fn edit(&self, command: &Command) {
        let mut copy = self.0.borrow_mut();
        let (r, ws) = &mut *copy;
        let mut after = ws.clone();
        let change = apply(&mut after, command).unwrap();
        r.record(ws, &mut after, &change, "2026-11-26T10:00:00Z");
        *ws = after;
    }
    fn ws(&self) -> Workspace {
        self.0.borrow().1.clone()
    }
    fn replica(&self) -> Replica {
        self.0.borrow().0.clone()
    }
    fn status(&self, last: Option<&RoundError>) -> Status {
        Status::of(&self.0.borrow().0, last)
    }
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
}

fn org() -> Workspace {
    generate(5, &GenSpec { units: 4, years: 1, cadence_days: 28, commitments_per_unit: 1, decisions_per_unit: 1, ..GenSpec::small() })
}

fn checkin(ws: &Workspace, date: &str, value: f64) -> Command {
    let c = ws.commitments[0].id;
    Command::RecordCheckIn { commitment: c, checkin: CheckIn::new(parse_date(date).unwrap(), Finite::new(value, "v").unwrap()) }
}

/// A leader who shared `org()` and a member who joined, both synced.
fn team(net: &Net) -> (Member, Member) {
    let ana = Member::sharing("ana", org());
    let report = run(round(net, net.db, &ana)).unwrap();
    assert!(report.pushed > 10, "{report:?}");
    assert_eq!(ana.status(None), Status::Synced);
    let bruno = Member::joining("bruno");
    assert_eq!(bruno.status(None), Status::Fetching);
    let report = run(round(net, net.db, &bruno)).unwrap();
    assert_eq!(report.pushed, 0);
    assert!(report.applied > 10, "{report:?}");
    assert_eq!(bruno.ws(), ana.ws());
    (ana, bruno)
}

#[test]
fn a_round_pushes_pulls_and_two_members_converge() {
    let net = Net::new();
    let (ana, bruno) = team(&net);
    bruno.edit(&checkin(&bruno.ws(), "2026-11-20", 41.0));
    assert_eq!(bruno.status(None), Status::Waiting(1));
    let report = run(round(&net, net.db, &bruno)).unwrap();
    assert_eq!((report.pushed, report.conflicts), (1, 0), "{report:?}");
    run(round(&net, net.db, &ana)).unwrap();
    assert_eq!(ana.ws(), bruno.ws());
    assert_eq!((ana.status(None), bruno.status(None)), (Status::Synced, Status::Synced));
    // A round with nothing new sends nothing and asks once.
    net.requests.borrow_mut().clear();
    let report = run(round(&net, net.db, &ana)).unwrap();
    assert_eq!(report, Report::default());
    assert_eq!(net.requests.borrow().len(), 1, "{:?}", net.requests.borrow());
}

#[test]
fn every_fault_ends_the_round_with_its_message_and_keeps_the_copy_and_the_outbox() {
    let garbage = || Fault::Answer(200, Value::Null);
    type Case = (Fault, fn(&RoundError) -> bool, &'static str);
    let cases: Vec<Case> = vec![
        (Fault::Unreachable, |e| matches!(e, RoundError::Offline(_)), "Offline · 1 edit waiting"),
        (Fault::Answer(500, json!({"error": "internal_server_error", "reason": "disk full"})), |e| matches!(e, RoundError::Server { status: 500, reason } if reason == "disk full"), "Sync error"),
        (garbage(), |e| matches!(e, RoundError::Garbage(_)), "Sync error"),
        (Fault::Answer(201, json!({"ok": true})), |e| matches!(e, RoundError::Garbage(_)), "Sync error"),
        (Fault::Answer(401, json!({"error": "unauthorized", "reason": "You are not authorized to access this db."})), |e| *e == RoundError::LoggedOut, "Logged out"),
        (Fault::Answer(403, json!({"error": "forbidden", "reason": "readers may not write"})), |e| *e == RoundError::Forbidden("readers may not write".into()), "Sync error"),
        (Fault::Answer(404, json!({"error": "not_found", "reason": "Database does not exist."})), |e| *e == RoundError::Missing("team".into()), "Sync error"),
    ];
    for (fault, is_expected, label) in cases {
        let net = Net::new();
        let (ana, bruno) = team(&net);
        bruno.edit(&checkin(&bruno.ws(), "2026-11-20", 41.0));
        let (ws, replica) = (bruno.ws(), bruno.replica());
        net.fail([Some(fault.clone())]);
        let error = run(round(&net, net.db, &bruno)).unwrap_err();
        assert!(is_expected(&error), "{error:?}");
        assert!(!error.to_string().is_empty());
        // Nothing local changed: the edit is still shown and still waits.
        assert_eq!((bruno.ws(), bruno.replica()), (ws, replica));
        let status = bruno.status(Some(&error));
        assert_eq!(status.label(), label, "{error:?}");
        assert!(status.is_problem());
        if !matches!(error, RoundError::LoggedOut) {
            assert!(status.detail().contains("1 edit not yet sent is kept here"), "{}", status.detail());
        }
        // The cause is gone: the next round sends the edit and both copies agree.
        run(round(&net, net.db, &bruno)).unwrap();
        run(round(&net, net.db, &ana)).unwrap();
        assert_eq!(ana.ws(), bruno.ws());
        assert_eq!(bruno.status(None), Status::Synced);
    }
}

#[test]
fn a_fault_on_the_pull_after_a_push_keeps_what_the_push_did() {
    let net = Net::new();
    let (ana, bruno) = team(&net);
    bruno.edit(&checkin(&bruno.ws(), "2026-11-20", 41.0));
    net.fail([None, Some(Fault::Unreachable)]);
    assert!(matches!(run(round(&net, net.db, &bruno)), Err(RoundError::Offline(_))));
    // The push went through: nothing waits, only the pull is to do again.
    assert!(bruno.replica().outbox.is_empty());
    assert_eq!(bruno.status(None), Status::Synced);
    run(round(&net, net.db, &ana)).unwrap();
    run(round(&net, net.db, &bruno)).unwrap();
    assert_eq!(ana.ws(), bruno.ws());
}

#[test]
fn a_push_whose_answer_was_lost_is_not_a_conflict_with_itself() {
    let net = Net::new();
    let (ana, bruno) = team(&net);
    bruno.edit(&checkin(&bruno.ws(), "2026-11-20", 41.0));
    // The server wrote the check-in but the answer never came back.
    net.fail([Some(Fault::LostAnswer)]);
    assert!(matches!(run(round(&net, net.db, &bruno)), Err(RoundError::Offline(_))));
    assert_eq!(bruno.status(None), Status::Waiting(1));
    // Sent again, it meets its own revision (409); the pull shows the same content: no
    // person is asked to choose between two identical versions.
    run(round(&net, net.db, &bruno)).unwrap();
    assert_eq!(bruno.status(None), Status::Synced, "{:?}", bruno.replica().conflicts);
    run(round(&net, net.db, &ana)).unwrap();
    assert_eq!(ana.ws(), bruno.ws());
}

/// Ana and Bruno record different values for one check-in apart; Ana's round goes
/// first. Bruno's round's report.
fn concurrent_checkins(net: &Net) -> (Member, Member, Report) {
    let (ana, bruno) = team(net);
    ana.edit(&checkin(&ana.ws(), "2026-11-20", 40.0));
    bruno.edit(&checkin(&bruno.ws(), "2026-11-20", 45.0));
    run(round(net, net.db, &ana)).unwrap();
    let report = run(round(net, net.db, &bruno)).unwrap();
    (ana, bruno, report)
}

#[test]
fn concurrent_edits_of_one_record_end_the_round_as_a_conflict_to_settle() {
    let net = Net::new();
    let (ana, bruno, report) = concurrent_checkins(&net);
    assert!(report.conflicts >= 1, "{report:?}");
    assert_eq!(bruno.status(None), Status::Conflicts(1));
    assert_eq!(bruno.status(None).label(), "1 conflict");
    // The same round wrote Bruno's version beside Ana's: her next round shows her the
    // conflict too, with her version still the one shown.
    assert!(bruno.replica().outbox.is_empty(), "{:?}", bruno.replica().outbox);
    run(round(&net, net.db, &ana)).unwrap();
    assert_eq!(ana.status(None), Status::Conflicts(1));
    let c = &ana.ws().commitments[0];
    assert_eq!(c.checkins().on(parse_date("2026-11-20").unwrap()).unwrap().value.get(), 40.0);
    // Bruno keeps his own version (the second one); Ana gets it on her next round, and
    // her conflict goes with his one choice.
    let id = bruno.replica().conflicts.keys().next().unwrap().clone();
    bruno.both(|r, ws| r.resolve(ws, &id, Resolution::Keep(1), "2026-11-26T11:00:00Z")).unwrap();
    run(round(&net, net.db, &bruno)).unwrap();
    run(round(&net, net.db, &ana)).unwrap();
    assert_eq!(ana.ws(), bruno.ws());
    let c = &ana.ws().commitments[0];
    assert_eq!(c.checkins().on(parse_date("2026-11-20").unwrap()).unwrap().value.get(), 45.0);
    assert_eq!((ana.status(None), bruno.status(None)), (Status::Synced, Status::Synced));
}

#[test]
fn refused_writes_are_reported_kept_and_not_resent_every_round() {
    let net = Net::new();
    let (_ana, bruno) = team(&net);
    bruno.edit(&checkin(&bruno.ws(), "2026-11-20", 41.0));
    let sent = bruno.replica().push(10);
    let id = sent.body["docs"][0]["_id"].as_str().unwrap().to_owned();
    net.fail([Some(Fault::Answer(201, json!([{ "id": id, "error": "forbidden", "reason": "readers may not write" }])))]);
    let report = run(round(&net, net.db, &bruno)).unwrap();
    assert_eq!(report.refused, vec![(id, "readers may not write".to_owned())]);
    let status = bruno.status(None);
    assert_eq!(status, Status::Refused { count: 1, why: "readers may not write".into() });
    assert!(status.detail().contains("kept here"));
    net.requests.borrow_mut().clear();
    run(round(&net, net.db, &bruno)).unwrap();
    assert!(net.requests.borrow().iter().all(|r| !r.contains("_bulk_docs")), "{:?}", net.requests.borrow());
}

#[test]
fn a_conflict_is_told_in_words_with_only_what_differs() {
    let net = Net::new();
    let (ana, bruno) = team(&net);
    ana.edit(&checkin(&ana.ws(), "2026-11-20", 40.0));
    bruno.edit(&checkin(&bruno.ws(), "2026-11-20", 45.0));
    run(round(&net, net.db, &ana)).unwrap();
    run(round(&net, net.db, &bruno)).unwrap();
    let conflict = bruno.replica().conflicts.values().next().unwrap().clone();
    let ws = bruno.ws();
    let title = ws.commitments[0].title.to_string();
    assert_eq!(describe::what(&ws, &conflict.id), format!("the check-in of “{title}” on 2026-11-20"));
    let versions: Vec<_> = conflict.versions().map(|v| v.record.as_ref()).collect();
    assert_eq!(describe::differences(&versions), vec!["value: 40".to_owned(), "value: 45".to_owned()]);
    // Against a deletion, the whole record is what differs.
    let against_deletion = describe::differences(&[versions[0], None]);
    assert!(against_deletion[0].contains("value: 40") && against_deletion[0].contains("date: 2026-11-20"), "{against_deletion:?}");
    assert_eq!(against_deletion[1], "deleted");
    assert_eq!(describe::differences(&[versions[0], versions[0]]), vec!["the same content".to_owned(); 2]);
    assert_eq!(describe::what(&ws, "unit:999"), "the unit #999");
}

#[test]
fn a_write_refused_for_want_of_a_login_waits_for_the_next_login() {
    let net = Net::new();
    let (_ana, bruno) = team(&net);
    bruno.edit(&checkin(&bruno.ws(), "2026-11-20", 41.0));
    let id = bruno.replica().push(10).body["docs"][0]["_id"].as_str().unwrap().to_owned();
    // The design document refuses a write without a session as `unauthorized`.
    net.fail([Some(Fault::Answer(201, json!([{ "id": id, "error": "unauthorized", "reason": "Log in to change this workspace." }])))]);
    let error = run(round(&net, net.db, &bruno)).unwrap_err();
    assert_eq!(error, RoundError::LoggedOut);
    let status = bruno.status(Some(&error));
    assert_eq!(status, Status::LoggedOut { waiting: 1 });
    assert!(status.detail().contains("1 edit not yet sent is kept here"), "{}", status.detail());
    // Logged in again, the same write goes.
    run(round(&net, net.db, &bruno)).unwrap();
    assert_eq!(bruno.status(None), Status::Synced);
}

#[test]
fn a_refused_write_can_be_discarded_and_the_copy_shows_the_servers_version_again() {
    let net = Net::new();
    let (ana, bruno) = team(&net);
    let before = bruno.ws();
    bruno.edit(&checkin(&bruno.ws(), "2026-11-20", 41.0));
    let id = bruno.replica().push(10).body["docs"][0]["_id"].as_str().unwrap().to_owned();
    net.fail([Some(Fault::Answer(201, json!([{ "id": id, "error": "forbidden", "reason": "readers may not write" }])))]);
    run(round(&net, net.db, &bruno)).unwrap();
    assert_ne!(bruno.ws(), ana.ws());
    // The server has no such check-in: discarding removes it here.
    bruno.both(|r, ws| r.discard(ws, &id, None)).unwrap();
    assert_eq!(bruno.ws(), before);
    assert_eq!(bruno.status(None), Status::Synced);
    // An edit of a record the server has: discarding brings the server's content back.
    let unit = ana.ws().units[0].id;
    let u = ana.ws().unit(unit).unwrap().clone();
    bruno.edit(&Command::EditUnit { unit, name: Name::new("Bruno's unit").unwrap(), kind: u.kind, parent: u.parent, role: u.role.clone() });
    let doc = net.couch.borrow().winners()[&format!("unit:{}", unit.0)].1.clone();
    bruno.both(|r, ws| r.discard(ws, &format!("unit:{}", unit.0), Some(&doc))).unwrap();
    assert_eq!(bruno.ws(), ana.ws());
    assert!(bruno.replica().outbox.is_empty());
}

#[test]
fn a_write_keeps_the_name_of_the_member_who_made_it_after_another_logs_in() {
    let net = Net::new();
    let (_ana, bruno) = team(&net);
    bruno.edit(&checkin(&bruno.ws(), "2026-11-20", 41.0));
    // Ana logs in on Bruno's browser before his edit was sent.
    bruno.0.borrow_mut().0.author = "ana".into();
    let push = bruno.replica().push(10);
    assert_eq!(push.body["docs"][0]["by"], "bruno");
    bruno.edit(&checkin(&bruno.ws(), "2026-11-21", 42.0));
    let push = bruno.replica().push(10);
    let by: Vec<&str> = push.body["docs"].as_array().unwrap().iter().filter(|d| d["_id"].as_str().unwrap().starts_with("checkin")).map(|d| d["by"].as_str().unwrap()).collect();
    assert_eq!(by, vec!["bruno", "ana"]);
}

#[test]
fn two_records_created_apart_under_one_id_are_both_kept_in_one_round() {
    let net = Net::new();
    let (ana, bruno) = team(&net);
    let unit = ana.ws().units[0].id;
    let area = ana.ws().areas[0].id;
    let decide = |title: &str| Command::LogDecision { unit, area, date: parse_date("2026-11-20").unwrap(), title: Name::new(title).unwrap(), expected: String::new(), review_date: None };
    let id = ana.ws().next_decision_id();
    ana.edit(&decide("Ana's decision"));
    bruno.edit(&decide("Bruno's decision"));
    run(round(&net, net.db, &ana)).unwrap();
    // Bruno's push is refused (409); the pull brings Ana's decision under that id, and
    // Bruno's moves to the next one and is pushed in the same round.
    let report = run(round(&net, net.db, &bruno)).unwrap();
    assert_eq!(report.moved, vec![(format!("decision:{}", id.0), format!("decision:{}", id.0 + 1))]);
    assert!(bruno.replica().conflicts.is_empty() && bruno.replica().outbox.is_empty());
    assert_eq!(
        describe::moved(&bruno.ws(), &report.moved[0].0, &report.moved[0].1),
        format!("The decision “Bruno's decision”, which you added, is now number {}: another member added one as number {} at the same time. Both are kept.", id.0 + 1, id.0)
    );
    run(round(&net, net.db, &ana)).unwrap();
    assert_eq!(bruno.ws(), ana.ws());
    let titles: Vec<(u32, String)> = ana.ws().decisions.iter().filter(|d| d.id >= id).map(|d| (d.id.0, d.title.to_string())).collect();
    assert_eq!(titles, vec![(id.0, "Ana's decision".to_owned()), (id.0 + 1, "Bruno's decision".to_owned())]);
}

/// A member's copy that writes each batch it takes in into the transport's request log,
/// so a test sees when a batch was applied against when the next was asked for.
struct Logged<'a>(&'a Member, &'a Net);

impl LocalCopy for Logged<'_> {
    fn replica<R>(&self, f: impl FnOnce(&mut Replica) -> R) -> R {
        LocalCopy::replica(self.0, f)
    }
    fn both<R>(&self, f: impl FnOnce(&mut Replica, &mut Workspace) -> R) -> R {
        self.1.requests.borrow_mut().push("apply".into());
        LocalCopy::both(self.0, f)
    }
}

/// An org of documents for three pages of a first pull (`FIRST_PULL_BATCH`), shared by Ana.
fn big_team(net: &Net) -> Member {
    let ws = generate(11, &GenSpec { units: 140, ..GenSpec::small() });
    let docs = documents(&ws).len();
    assert!(docs > 2 * FIRST_PULL_BATCH && docs < 3 * FIRST_PULL_BATCH, "{docs} documents");
    let ana = Member::sharing("ana", ws);
    run(round(net, net.db, &ana)).unwrap();
    ana
}

/// The request log with each `_changes` shortened to its checkpoint.
fn log(net: &Net) -> Vec<String> {
    net.requests.borrow().iter().map(|r| if r.contains("_changes?") { format!("changes since {}", r.rsplit("since=").next().unwrap()) } else { r.clone() }).collect()
}

#[test]
fn a_first_join_reads_all_docs_asking_for_each_page_before_it_applies_the_last() {
    let net = Net::new();
    let ana = big_team(&net);
    let seq = net.couch.borrow().seq();
    let bruno = Member::joining("bruno");
    net.requests.borrow_mut().clear();
    run(round(&net, net.db, &Logged(&bruno, &net))).unwrap();
    assert_eq!(bruno.ws(), ana.ws());
    assert_eq!(bruno.status(None), Status::Synced);
    // The database's update_seq first, then the pages of _all_docs, each asked for (after
    // the last id of the one before) before that one is applied; then _changes from the
    // update_seq read first.
    let log = log(&net);
    assert_eq!(log.len(), 9, "{log:?}");
    assert_eq!(log[0], "GET /team");
    assert!(log[1].ends_with(&format!("_all_docs?include_docs=true&conflicts=true&limit={FIRST_PULL_BATCH}")), "{log:?}");
    assert!(log[2].contains("&startkey=%22") && log[2].ends_with("&skip=1"), "{log:?}");
    assert_eq!(log[3], "apply");
    assert!(log[4].contains("&startkey=%22") && log[4] != log[2], "{log:?}");
    assert_eq!(&log[5..7], ["apply", "apply"], "{log:?}");
    assert_eq!(log[7], format!("changes since {seq}"));
    assert_eq!(log[8], "apply");
}

#[test]
fn a_pull_of_many_changes_asks_for_the_next_batch_before_it_applies_this_one() {
    // Ana shares a large workspace: her pull after the upload is not a first one (she
    // knows every revision), so it reads _changes, batch by batch.
    let net = Net::new();
    let ws = generate(11, &GenSpec { units: 30, ..GenSpec::small() });
    let ana = Member::sharing("ana", ws);
    run(round(&net, net.db, &Logged(&ana, &net))).unwrap();
    assert_eq!(ana.status(None), Status::Synced);
    let log: Vec<String> = log(&net).into_iter().filter(|r| !r.starts_with("POST")).collect();
    assert_eq!(log.len(), 6, "{log:?}");
    assert_eq!(log[0], "changes since 0");
    assert!(log[1].starts_with("changes since") && log[1] != log[0], "{log:?}");
    assert_eq!(log[2], "apply");
    assert!(log[3].starts_with("changes since") && log[3] != log[1], "{log:?}");
    assert_eq!(&log[4..], ["apply", "apply"], "{log:?}");
}

#[test]
fn a_first_join_cut_off_mid_way_keeps_what_it_took_and_resumes_with_changes() {
    let net = Net::new();
    let ana = big_team(&net);
    let bruno = Member::joining("bruno");
    // The database's information and the first page arrive; the second page does not.
    net.fail([None, None, Some(Fault::Unreachable)]);
    let cut = run(round(&net, net.db, &bruno)).unwrap_err();
    assert!(matches!(cut, RoundError::Offline(_)), "{cut:?}");
    let first = bruno.ws();
    assert!(first != Workspace::new(Name::new("Joining").unwrap()), "the first page is kept");
    assert!(first != ana.ws(), "only the first page");
    assert_eq!(bruno.status(Some(&cut)), Status::Offline { waiting: 0, why: "connection refused".into() });
    // The next round reads _changes from the start (the pages read are known revisions
    // now) and ends with the whole workspace.
    net.requests.borrow_mut().clear();
    run(round(&net, net.db, &bruno)).unwrap();
    assert_eq!(log(&net)[0], "changes since 0");
    assert_eq!(bruno.ws(), ana.ws());
    assert_eq!(bruno.status(None), Status::Synced);
}

#[test]
fn a_member_who_joins_after_a_conflict_is_shown_it() {
    let net = Net::new();
    let (ana, _, _) = concurrent_checkins(&net);
    assert_eq!(net.couch.borrow().conflicted().len(), 1, "the server holds both versions");
    let carla = Member::joining("carla");
    run(round(&net, net.db, &carla)).unwrap();
    assert!(log(&net).iter().any(|r| r.contains("_all_docs?")), "a first pull");
    assert_eq!(carla.status(None), Status::Conflicts(1));
    let id = net.couch.borrow().conflicted()[0].clone();
    let c = &carla.replica().conflicts[&id];
    assert_eq!(c.others.len(), 1, "{c:?}");
    assert!(c.others[0].record.is_some(), "the other version was fetched: {c:?}");
    assert_eq!(carla.ws(), ana.ws(), "the version shown is the one the server picked");
}
