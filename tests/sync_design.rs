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
    let script = r#"
        const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        const validate = eval('(' + input.source + ')');
        const out = input.cases.map(([doc, user]) => {
            try { validate(doc, null, user, {}); return 'ok'; }
            catch (e) { return e.forbidden ? 'forbidden: ' + e.forbidden : e.unauthorized ? 'unauthorized: ' + e.unauthorized : 'threw ' + String(e); }
        });
        process.stdout.write(JSON.stringify(out));
    "#;
    let mut child = Command::new("node").args(["-e", script]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("node runs (scripts/setup installs it)");
    let input = json!({ "source": DESIGN_JS, "cases": cases });
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
    let design = design_document();
    assert_eq!(design["_id"], DESIGN_ID);
    assert!(design["validate_doc_update"].as_str().unwrap().starts_with("function (newDoc, oldDoc, userCtx, secObj)"));
    let security = security_object();
    assert_eq!(security["members"]["roles"], json!(["leader", "member", "reader"]));
    assert_eq!(security["admins"]["names"], json!([]));
}
