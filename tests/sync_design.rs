//! The design document's `validate_doc_update` (src/sync/design.js), run by Node as
//! CouchDB would run it: who may write what in a team workspace. The documents a replica
//! actually sends are among the cases, so the function and the Rust side agree.

use std::io::Write;
use std::process::{Command, Stdio};

use latitude::core::generate::{generate, GenSpec};
use latitude::sync::{design_document, security_object, Replica, DESIGN_ID, DESIGN_JS};
use serde_json::{json, Value};

/// Runs the function on each `(doc, userCtx)` and gives `"ok"`, or `"forbidden: …"` /
/// `"unauthorized: …"` as CouchDB would answer.
fn validate(cases: &[(Value, Value)]) -> Vec<String> {
    validate_over(&cases.iter().map(|(d, u)| (d.clone(), u.clone(), Value::Null)).collect::<Vec<_>>())
}

/// [`validate`] of `(doc, userCtx, oldDoc)`: a write over the document's current version.
fn validate_over(cases: &[(Value, Value, Value)]) -> Vec<String> {
    let script = r#"
        const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        const validate = eval('(' + input.source + ')');
        const out = input.cases.map(([doc, user, old]) => {
            try { validate.call(input.design, doc, old, user, {}); return 'ok'; }
            catch (e) { return e.forbidden ? 'forbidden: ' + e.forbidden : e.unauthorized ? 'unauthorized: ' + e.unauthorized : 'threw ' + String(e); }
        });
        process.stdout.write(JSON.stringify(out));
    "#;
    let mut child = Command::new("node").args(["-e", script]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("node runs (scripts/setup installs it)");
    // CouchDB calls the function with its design document as `this`.
    let input = json!({ "source": DESIGN_JS, "design": design_document("team"), "cases": cases });
    child.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn user(name: &str, roles: &[&str]) -> Value {
    json!({ "name": name, "roles": roles })
}

#[test]
fn who_may_write_what() {
    let checkin = |by: &str| json!({ "_id": "checkin:7:2026-11-20", "type": "checkin", "record": { "commitment": 7, "checkin": { "date": "2026-11-20", "value": 1.0 } }, "by": by, "at": "t" });
    let grant = json!({ "_id": "grant:4:2:2026-11-20", "type": "grant", "record": [], "by": "ana", "at": "t" });
    let review = json!({ "_id": "review:4:2026-11-20", "type": "review", "record": [], "by": "ana", "at": "t" });
    let policy = json!({ "_id": "policy", "type": "policy", "record": {}, "by": "ana", "at": "t" });
    let cases = [
        (checkin("ana"), user("ana", &["member"]), "ok"),
        (checkin("ana"), user("ana", &["leader"]), "ok"),
        (checkin("ana"), json!({ "name": null, "roles": [] }), "unauthorized"),
        (checkin("ana"), user("ana", &["reader"]), "forbidden"),
        (checkin("ana"), user("ana", &[]), "forbidden"),
        // A member cannot write a record claiming another author.
        (checkin("bruno"), user("ana", &["member"]), "forbidden"),
        (json!({ "_id": "checkin:7:2026-11-20", "type": "checkin", "record": {} }), user("ana", &["leader"]), "forbidden"),
        // Grants, autonomy reviews and the policy need a leader.
        (grant.clone(), user("ana", &["member"]), "forbidden"),
        (grant, user("ana", &["leader"]), "ok"),
        (review.clone(), user("ana", &["member"]), "forbidden"),
        (review, user("ana", &["leader"]), "ok"),
        (policy.clone(), user("ana", &["member"]), "forbidden"),
        (policy, user("ana", &["leader"]), "ok"),
        // Deleting is writing: the same rules.
        (json!({ "_id": "grant:4:2:2026-11-20", "_deleted": true, "by": "ana", "at": "t" }), user("ana", &["member"]), "forbidden"),
        (json!({ "_id": "checkin:7:2026-11-20", "_deleted": true, "by": "ana", "at": "t" }), user("ana", &["member"]), "ok"),
        (json!({ "_id": "checkin:7:2026-11-20", "_deleted": true }), user("ana", &["member"]), "forbidden"),
        // Each member records only its own issued ids.
        (json!({ "_id": "issued:ana", "type": "issued", "record": {}, "by": "ana" }), user("ana", &["member"]), "ok"),
        (json!({ "_id": "issued:bruno", "type": "issued", "record": {}, "by": "ana" }), user("ana", &["member"]), "forbidden"),
        (json!({ "_id": "issued", "type": "issued", "record": {}, "by": "ana" }), user("ana", &["member"]), "forbidden"),
        (json!({ "_id": "issued", "type": "issued", "record": {}, "by": "ana" }), user("ana", &["leader"]), "ok"),
        // Only Latitude records, each under its own kind of id.
        (json!({ "_id": "unit:1", "type": "grant", "record": [], "by": "ana" }), user("ana", &["leader"]), "forbidden"),
        (json!({ "_id": "secret:1", "type": "secret", "by": "ana" }), user("ana", &["leader"]), "forbidden"),
        // A server admin (setup, backups) is not held to these rules.
        (checkin("bruno"), user("admin", &["_admin"]), "ok"),
    ];
    let inputs: Vec<(Value, Value)> = cases.iter().map(|(d, u, _)| (d.clone(), u.clone())).collect();
    let got = validate(&inputs);
    for ((doc, user, want), got) in cases.iter().zip(&got) {
        assert!(got.starts_with(want), "{doc} by {user}: expected {want}, got {got}");
        if *want != "ok" {
            assert!(got.len() > want.len() + 5, "a refusal says why: {got}");
        }
    }
}

#[test]
fn only_a_member_who_leads_a_unit_may_name_it_as_a_check_ins_recorder() {
    let checkin = |recorded_by: Option<u32>| {
        let mut k = json!({ "date": "2026-11-20", "value": 1.0 });
        if let Some(u) = recorded_by {
            k["recorded_by"] = json!(u);
        }
        json!({ "_id": "checkin:7:2026-11-20", "type": "checkin", "record": { "commitment": 7, "checkin": k }, "by": "bruno", "at": "t" })
    };
    let bruno = |roles: &[&str]| json!({ "name": "bruno", "roles": roles, "db": "team" });
    let none = Value::Null;
    let cases = [
        // Naming the unit one leads in this database, or none, is fine.
        (checkin(Some(4)), bruno(&["member", "unit:4@team"]), none.clone(), "ok"),
        (checkin(None), bruno(&["member"]), none.clone(), "ok"),
        // Another unit, or the same unit in another team's database, is refused.
        (checkin(Some(5)), bruno(&["member", "unit:4@team"]), none.clone(), "forbidden"),
        (checkin(Some(4)), bruno(&["member", "unit:4@other"]), none.clone(), "forbidden"),
        // Where the server names no database, the design document's is the one.
        (checkin(Some(4)), json!({ "name": "bruno", "roles": ["member", "unit:4@team"] }), none.clone(), "ok"),
        (checkin(Some(4)), json!({ "name": "bruno", "roles": ["member", "unit:4@other"] }), none.clone(), "forbidden"),
        (checkin(Some(4)), bruno(&["member"]), none.clone(), "forbidden"),
        // Editing a check-in someone else recorded keeps their claim, not a new one.
        (checkin(Some(5)), bruno(&["member", "unit:4@team"]), checkin(Some(5)), "ok"),
        (checkin(Some(5)), bruno(&["member", "unit:4@team"]), checkin(Some(6)), "forbidden"),
        (checkin(None), bruno(&["member", "unit:4@team"]), checkin(Some(6)), "ok"),
        // A leader records the team's history (an uploaded workspace's check-ins).
        (checkin(Some(5)), bruno(&["leader"]), none.clone(), "ok"),
    ];
    let got = validate_over(&cases.iter().map(|(d, u, o, _)| (d.clone(), u.clone(), o.clone())).collect::<Vec<_>>());
    for ((doc, user, old, want), got) in cases.iter().zip(&got) {
        assert!(got.starts_with(want), "{doc} by {user} over {old}: expected {want}, got {got}");
    }
    assert!(got[2].contains("leads unit 5") && got[2].contains("--unit"), "{}", got[2]);
}

#[test]
fn unit_roles_are_named_per_database() {
    use latitude::core::UnitId;
    use latitude::sync::{led_units, records_for_any_unit, unit_role};
    assert_eq!(unit_role("team", UnitId(12)), "unit:12@team");
    let roles: Vec<String> = ["member", "unit:12@team", "unit:3@team", "unit:4@other", "unit:5@xteam", "unit:x@team"].map(String::from).to_vec();
    assert_eq!(led_units("team", &roles), [UnitId(12), UnitId(3)]);
    assert_eq!(led_units("other", &roles), [UnitId(4)]);
    assert!(!records_for_any_unit(&roles));
    assert!(records_for_any_unit(&["leader".to_owned()]));
}

#[test]
fn a_member_records_as_the_unit_their_login_names() {
    use latitude::core::UnitId;
    use latitude::sync::{recordable_units, recording_unit};
    let roles = |r: &[&str]| r.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let existing = [UnitId(1), UnitId(2), UnitId(3)];
    // One unit: it is the recorder without a choice; a choice of another is not taken.
    let one = roles(&["member", "unit:2@team"]);
    assert_eq!(recordable_units("team", &one, existing), [UnitId(2)]);
    assert_eq!(recording_unit("team", &one, None, existing), Some(UnitId(2)));
    assert_eq!(recording_unit("team", &one, Some(UnitId(3)), existing), Some(UnitId(2)));
    // A unit the workspace no longer has is none.
    assert_eq!(recording_unit("team", &one, None, [UnitId(1)]), None);
    // Several: the chosen one, else none.
    let two = roles(&["member", "unit:3@team", "unit:1@team"]);
    assert_eq!(recordable_units("team", &two, existing), [UnitId(1), UnitId(3)]);
    assert_eq!(recording_unit("team", &two, None, existing), None);
    assert_eq!(recording_unit("team", &two, Some(UnitId(3)), existing), Some(UnitId(3)));
    assert_eq!(recording_unit("team", &two, Some(UnitId(2)), existing), None);
    // None at all, or another team's.
    assert_eq!(recording_unit("team", &roles(&["member", "unit:2@other"]), Some(UnitId(2)), existing), None);
    // A leader names any unit, only by choice.
    let leader = roles(&["leader"]);
    assert_eq!(recordable_units("team", &leader, existing), existing);
    assert_eq!(recording_unit("team", &leader, None, existing), None);
    assert_eq!(recording_unit("team", &leader, Some(UnitId(1)), existing), Some(UnitId(1)));
}

#[test]
fn the_app_refuses_what_the_server_would_for_the_members_role() {
    use latitude::core::*;
    use latitude::sync::refusal;
    let ws = generate(5, &GenSpec { units: 3, years: 1, commitments_per_unit: 1, decisions_per_unit: 1, ..GenSpec::small() });
    let roles = |r: &[&str]| r.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let outcome = |command: Command, who: &[&str]| {
        let mut after = ws.clone();
        let change = apply(&mut after, &command).unwrap();
        refusal(&roles(who), &ws, &after, &change)
    };
    let mut policy = ws.policy.clone();
    policy.decision_review_days += 1;
    let set_policy = || Command::SetPolicy { policy: Box::new(policy.clone()) };
    let review = || Command::RecordReview { unit: ws.units[0].id, date: parse_date("2026-11-20").unwrap(), reviewer: None, verdict: Verdict::Expand, note: String::new() };
    let rename = || Command::RenameWorkspace { name: Name::new("Renamed").unwrap() };
    // A member: not the policy, not a review; the rest.
    assert!(outcome(set_policy(), &["member", "unit:1@team"]).is_some_and(|m| m.contains("only a leader")));
    assert!(outcome(review(), &["member"]).is_some());
    assert_eq!(outcome(rename(), &["member"]), None);
    // A leader: everything. Roles not known yet: the server decides.
    assert_eq!(outcome(set_policy(), &["leader"]), None);
    assert_eq!(outcome(review(), &[]), None);
    // A reader: nothing.
    assert!(outcome(rename(), &["reader"]).is_some_and(|m| m.contains("read this team workspace")));
    // Setting the policy to what it is changes nothing a leader must do.
    assert_eq!(outcome(Command::SetPolicy { policy: Box::new(ws.policy.clone()) }, &["member"]), None);
}

#[test]
fn a_check_in_naming_a_unit_no_longer_led_is_sent_again_as_the_unit_led_now() {
    use latitude::core::*;
    use latitude::sync::restamped;
    let mut ws = generate(5, &GenSpec { units: 3, years: 1, commitments_per_unit: 1, decisions_per_unit: 1, ..GenSpec::small() });
    let (old, new) = (ws.units[1].id, ws.units[2].id);
    let c = ws.commitments[0].id;
    let day = parse_date("2031-01-05").unwrap();
    let mut checkin = CheckIn::new(day, Finite::new(2.0, "value").unwrap());
    checkin.recorded_by = Some(old);
    apply(&mut ws, &Command::RecordCheckIn { commitment: c, checkin }).unwrap();
    let id = format!("checkin:{}:2031-01-05", c.0);
    let roles = |u: UnitId| vec!["member".to_owned(), latitude::sync::unit_role("team", u)];
    // Led now: another unit; the check-in is recorded again as that one, and only changes there.
    let Some(Command::RecordCheckIn { commitment, checkin }) = restamped(&ws, "team", &roles(new), None, &id) else { panic!("a check-in to record again") };
    assert_eq!((commitment, checkin.date, checkin.recorded_by, checkin.value.get()), (c, day, Some(new), 2.0));
    // Still led, or not a check-in: nothing to change.
    assert!(restamped(&ws, "team", &roles(old), None, &id).is_none());
    assert!(restamped(&ws, "team", &roles(new), None, &format!("unit:{}", old.0)).is_none());
    assert!(restamped(&ws, "team", &roles(new), None, "checkin:999:2031-01-05").is_none());
}

#[test]
fn a_refusal_names_the_units_it_numbers() {
    use latitude::sync::describe::unit_names;
    let ws = generate(5, &GenSpec { units: 3, years: 1, commitments_per_unit: 1, decisions_per_unit: 1, ..GenSpec::small() });
    let (id, name) = (ws.units[1].id.0, ws.units[1].name.to_string());
    assert_eq!(unit_names(&ws, &format!("Only someone who leads unit {id} may record")), format!("Only someone who leads unit {id} ({name}) may record"));
    assert_eq!(unit_names(&ws, "leads unit 999, a unit of another team"), "leads unit 999, a unit of another team");
}

#[test]
fn every_document_a_replica_sends_is_accepted_for_its_leader_and_refused_for_a_reader() {
    let mut ws = generate(5, &GenSpec { units: 3, years: 1, commitments_per_unit: 1, decisions_per_unit: 1, ..GenSpec::small() });
    let mut replica = Replica::new("ana");
    replica.upload(&mut ws, "2026-11-26T09:00:00Z");
    let docs = replica.push(usize::MAX).body["docs"].as_array().unwrap().clone();
    let kinds: std::collections::BTreeSet<&str> = docs.iter().map(|d| d["_id"].as_str().unwrap().split(':').next().unwrap()).collect();
    assert!(kinds.len() >= 9, "{kinds:?}");
    let as_leader: Vec<(Value, Value)> = docs.iter().map(|d| (d.clone(), user("ana", &["leader"]))).collect();
    assert!(validate(&as_leader).iter().all(|r| r == "ok"));
    let as_reader: Vec<(Value, Value)> = docs.iter().map(|d| (d.clone(), user("ana", &["reader"]))).collect();
    assert!(validate(&as_reader).iter().all(|r| r.starts_with("forbidden")));
    let as_other: Vec<(Value, Value)> = docs.iter().map(|d| (d.clone(), user("bruno", &["leader"]))).collect();
    assert!(validate(&as_other).iter().all(|r| r.starts_with("forbidden")));
}

#[test]
fn the_design_and_security_documents_have_couchdbs_shape() {
    let design = design_document("team");
    assert_eq!(design["_id"], DESIGN_ID);
    assert!(design["validate_doc_update"].as_str().unwrap().starts_with("function (newDoc, oldDoc, userCtx, secObj)"));
    let security = security_object();
    assert_eq!(security["members"]["roles"], json!(["leader", "member", "reader"]));
    assert_eq!(security["admins"]["names"], json!([]));
}

#[test]
fn a_server_address_is_checked_and_completed_as_typed() {
    use latitude::sync::server_address;
    for (typed, want) in [
        ("https://couch.example.org/", "https://couch.example.org"),
        (" http://10.0.0.5:5984 ", "http://10.0.0.5:5984"),
        ("couch.example.org", "https://couch.example.org"),
        ("couch.example.org:6984/db-proxy/", "https://couch.example.org:6984/db-proxy"),
        ("localhost:5984", "http://localhost:5984"),
        ("127.0.0.1:5984", "http://127.0.0.1:5984"),
        ("[::1]:5984", "http://[::1]:5984"),
        ("/couch/", "/couch"),
        ("HTTPS://Couch.Example.org", "HTTPS://Couch.Example.org"),
    ] {
        assert_eq!(server_address(typed).as_deref(), Ok(want), "{typed:?}");
    }
    for typed in ["", "   ", "//couch.example.org", "ftp://couch.example.org", "https://", "couch example.org", "-couch", "://x"] {
        let refused = server_address(typed).expect_err(typed);
        assert!(refused.contains("server"), "{typed:?}: {refused}");
    }
}
