//! The command line: scores files from `gen` and from the app's export, explains a
//! unit, renders charts, and rejects malformed files with a message and an exit code.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;
use latitude::core::{apply, AreaRef, Category, Command as Edit, Level, Name, Rung};
use latitude::storage::file::export_workspace;

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_latitude-cli"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("latitude-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn scores_a_generated_workspace_as_json() {
    let file = tmp("gen.json");
    let out = cli().args(["gen", file.to_str().unwrap(), "--size", "small", "--seed", "4"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = cli().args(["score", file.to_str().unwrap(), "--format", "json", "--as-of", "2025-12-28"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["as_of"], "2025-12-28");
    assert_eq!(v["units"].as_array().unwrap().len(), 12);
    for u in v["units"].as_array().unwrap() {
        let a = u["autonomy"].as_f64().unwrap();
        let s = u["supported"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&a) && (0.0..=100.0).contains(&s));
        assert!(["expand", "hold", "contract"].contains(&u["recommendation"].as_str().unwrap()));
    }
}

#[test]
fn scores_and_explains_a_file_exported_by_the_app() {
    let mut b = Builder::new();
    let u = b.unit("Checkout team", None);
    b.grant(u, ARCH, "2025-01-01", 3, 5);
    b.deliver(u, "Conversion", Category::CustomerValue, "2025-10-05", "2025-12-28", 1.0);
    let file = tmp("export.json");
    std::fs::write(&file, export_workspace(&b.build())).unwrap();
    let out = cli().args(["score", file.to_str().unwrap(), "--as-of", "2026-01-04"]).output().unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && table.contains("Checkout team"), "{table}");
    let out = cli().args(["explain", file.to_str().unwrap(), "checkout team", "--as-of", "2026-01-04"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Granted autonomy A = 40") && text.contains("Track record TR") && text.contains("Rigor R"), "{text}");
}

#[test]
fn renders_charts_to_svg_files() {
    let file = tmp("render.json");
    assert!(cli().args(["gen", file.to_str().unwrap(), "--size", "small"]).status().unwrap().success());
    let out_dir = tmp("charts");
    let out = cli().args(["render", file.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--unit", "2"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for name in ["org-map.svg", "scoreboard.svg", "org-rigor.svg", "unit-2-trend.svg", "unit-2-rigor.svg"] {
        let svg = std::fs::read_to_string(out_dir.join(name)).unwrap();
        assert!(roxmltree::Document::parse(&svg).is_ok(), "{name} is not well-formed");
    }
    // The scoreboard's picture says what its short headings mean.
    let board = std::fs::read_to_string(out_dir.join("scoreboard.svg")).unwrap();
    assert!(board.contains("TR track record and R rigor"), "{board}");
}

#[test]
fn rejects_malformed_files_naming_what_is_wrong() {
    let cases: [(&str, &str); 5] = [
        ("not-json", "not valid JSON"),
        (r#"{"some": "other app"}"#, "not a Latitude workspace"),
        (r#"{"app":"latitude","schema":99,"workspace":{}}"#, "newer Latitude"),
        (r#"{"app":"latitude","schema":1,"workspace":{"name":"x","units":[{"id":1,"name":"A","parent":1}]}}"#, "parent"),
        (r#"{"app":"latitude","schema":1,"workspace":{"name":"x","grants":[{"unit":1,"area":1,"date":"2025-01-01","rung":9,"level":2}]}}"#, "rung"),
    ];
    for (i, (content, expected)) in cases.iter().enumerate() {
        let file = tmp(&format!("bad-{i}.json"));
        std::fs::write(&file, content).unwrap();
        let out = cli().args(["score", file.to_str().unwrap()]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{content}: {err}");
        assert!(err.contains(expected), "{content}: expected {expected:?} in {err:?}");
    }
    let out = cli().args(["score", "/no/such/file.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let out = cli().args(["score", "/no/such/file.json", "--as-of", "yesterday"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn explanations_name_their_parameters_and_what_would_change_the_verdict() {
    let mut b = Builder::new();
    let u = b.unit("Growth squad", None);
    b.grant(u, ARCH, "2025-01-01", 4, 5);
    let c = b.commitment(u, "New revenue", Category::Revenue, "2025-10-05", "2026-03-29", 91);
    b.edit(c, |c| {
        c.record_checkin(latitude::core::CheckIn {
            date: d("2026-01-04"),
            value: latitude::core::Finite::new(50.0, "v").unwrap(),
            confidence: None,
            note: String::new(),
            evidence: "https://dash.example/revenue".into(),
            recorded_by: None,
        });
    });
    let b2 = b.unit("Delivered", None);
    b.deliver(b2, "Conversion", Category::CustomerValue, "2025-10-05", "2025-12-28", 0.75);
    let file = tmp("squad.json");
    std::fs::write(&file, export_workspace(&b.build())).unwrap();
    let out = cli().args(["explain", file.to_str().unwrap(), "growth squad", "--as-of", "2026-01-04"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    for needle in
        ["half-life 180 days", "prior 0.50", "prior strength 2 commitments", "weight speed 0.25", "window 182 days", "R = (0.08^0.25", "What would change the verdict", "check in every two weeks"]
    {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    let out = cli().args(["score", file.to_str().unwrap(), "--format", "json", "--as-of", "2026-01-04"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let squad = v["units"].as_array().unwrap().iter().find(|x| x["name"] == "Growth squad").unwrap();
    assert_eq!(squad["components_left_out"][0]["component"], "consequence");
    assert!(squad["counterfactuals"].as_array().unwrap().iter().any(|c| c["change"]["kind"] == "check_in_every"), "{squad}");
    let delivered = v["units"].as_array().unwrap().iter().find(|x| x["name"] == "Delivered").unwrap();
    assert_eq!(delivered["commitments"][0]["attainment"], 0.75);
}

#[test]
fn prints_a_workshops_summary_as_markdown() {
    let mut b = Builder::new();
    let u = b.unit("Checkout team", None);
    let mut ws = b.build();
    let id = apply(&mut ws, &Edit::StartWorkshop { date: d("2026-11-25"), title: None }).unwrap().workshops.added[0];
    let edits = [
        Edit::SetParticipants { workshop: id, participants: vec![Name::new("Ana").unwrap(), Name::new("Bruno").unwrap()] },
        Edit::OpenRound { workshop: id, unit: u, area: AreaRef::New(Name::new("Pricing").unwrap()) },
    ];
    for e in &edits {
        apply(&mut ws, e).unwrap();
    }
    let round = ws.workshop(id).unwrap().rounds[0].id;
    for (who, level) in [("Ana", 3), ("Bruno", 6)] {
        apply(&mut ws, &Edit::CastVote { workshop: id, round, participant: Name::new(who).unwrap(), level: Level::new(level).unwrap() }).unwrap();
    }
    apply(&mut ws, &Edit::RevealRound { workshop: id, round }).unwrap();
    apply(&mut ws, &Edit::AgreeRound { workshop: id, round, level: Level::new(5).unwrap(), rung: Rung::new(2).unwrap(), granted_by: None, reason: String::new() }).unwrap();
    let file = tmp("workshop.json");
    std::fs::write(&file, export_workspace(&ws)).unwrap();
    let out = cli().args(["workshop", file.to_str().unwrap()]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.starts_with("# Workshop of 2026-11-25") && text.contains("| Checkout team | Pricing | level 5 Advise at scope 2 Feature | Ana 3, Bruno 6 | 3 to 6 | between 3 and 6 |"), "{text}");
    let out = cli().args(["workshop", file.to_str().unwrap(), "--id", "9"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no workshop with id 9"));
}

/// `latitude-cli couch …` with the server admin's credentials in the environment.
fn couch(args: &[&str]) -> std::process::Output {
    cli().arg("couch").args(args).env("COUCHDB_USER", "admin").env("COUCHDB_PASSWORD", "secret").env_remove("LATITUDE_MEMBER_PASSWORD").output().unwrap()
}

#[test]
fn couch_commands_refuse_what_they_cannot_do_before_sending_anything() {
    let out = couch(&["member", "--url", "http://127.0.0.1:9", "--db", "team", "--name", "ana", "--role", "boss"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&latitude::sync::ROLES.join(", ")), "the roles are listed: {err}");
    let out = couch(&["setup", "--url", "http://127.0.0.1:9", "--db", "Team"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("\u{201c}Team\u{201d}") && err.contains("lower-case"), "{err}");
    let out = couch(&["setup", "--url", "couch.example.org", "--db", "team"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("http://"));
    let out = cli().args(["couch", "setup", "--url", "http://127.0.0.1:9", "--db", "team"]).env_remove("COUCHDB_USER").env_remove("COUCHDB_PASSWORD").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("COUCHDB_USER") && err.contains("COUCHDB_PASSWORD"), "{err}");
}

#[test]
fn couch_setup_names_a_server_it_cannot_reach() {
    // A loopback port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let out = couch(&["setup", "--url", &url, "--db", "team"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains(&format!("cannot reach CouchDB at {url}")), "{err}");
}
