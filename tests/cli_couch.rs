//! `latitude-cli couch` against the pinned pouchdb-server: `setup` creates the database,
//! its `_security` and the design document once and then reports nothing changed (and
//! puts back what was altered); `member` creates users who log in through `_session`
//! and write as their role allows; `upload` shares a workspace file as a leader, which
//! a member then pulls whole; wrong credentials are refused clearly.
#![cfg(feature = "e2e")]

mod pouchdb;

use std::process::{Command, Output};

use latitude::core::generate::{generate, GenSpec};
use latitude::sync::*;
use pouchdb::*;
use serde_json::{json, Value};

/// Runs `latitude-cli couch ARGS` as the server admin `admin` with `admin_password`,
/// with LATITUDE_MEMBER_PASSWORD set to `member_password` or unset.
fn couch(args: &[&str], admin_password: &str, member_password: Option<&str>) -> Output {
    couch_as("admin", admin_password, args, member_password)
}

fn couch_as(user: &str, password: &str, args: &[&str], member_password: Option<&str>) -> Output {
    let mut cli = Command::new(env!("CARGO_BIN_EXE_latitude-cli"));
    cli.arg("couch").args(args).env("COUCHDB_USER", user).env("COUCHDB_PASSWORD", password);
    match member_password {
        Some(p) => cli.env("LATITUDE_MEMBER_PASSWORD", p),
        None => cli.env_remove("LATITUDE_MEMBER_PASSWORD"),
    };
    cli.output().unwrap()
}

/// Standard output of a run that must succeed.
fn ok(out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

fn setup(server: &Server) -> String {
    ok(couch(&["setup", "--url", &server.url(), "--db", "team"], "secret", None))
}

fn member(server: &Server, name: &str, role: &str, password: Option<&str>) -> String {
    ok(couch(&["member", "--url", &server.url(), "--db", "team", "--name", name, "--role", role], "secret", password))
}

fn without_rev(mut doc: Value) -> Value {
    doc.as_object_mut().unwrap().remove("_rev");
    doc
}

#[test]
fn setup_creates_the_database_security_and_design_document_once() {
    let server = start();
    let admin = make_admin(&server, "admin", "secret");

    let out = setup(&server);
    assert!(out.contains("database team: created") && out.contains("_security: set") && out.contains("_design/latitude: installed"), "{out}");
    let (status, security) = request(&server, "GET", "/team/_security", Some(&admin), None).unwrap();
    assert_eq!(status, 200);
    assert_eq!(security, security_object());
    let (status, design) = request(&server, "GET", &format!("/team/{DESIGN_ID}"), Some(&admin), None).unwrap();
    assert_eq!(status, 200);
    let rev = design["_rev"].clone();
    assert_eq!(without_rev(design), design_document("team"));
    let (status, _) = request(&server, "GET", "/team/_changes", None, None).unwrap();
    assert_eq!(status, 401, "without a session nothing is read");

    let again = setup(&server);
    assert!(again.contains("database team: already there") && again.contains("_security: unchanged") && again.contains("_design/latitude: unchanged"), "{again}");
    assert!(again.contains("nothing changed"), "{again}");
    let (_, design) = request(&server, "GET", &format!("/team/{DESIGN_ID}"), Some(&admin), None).unwrap();
    assert_eq!(design["_rev"], rev, "an unchanged design document is not rewritten");

    // Altered by hand (or installed by an older version): put back, on its revision.
    let mut old = design.clone();
    old["validate_doc_update"] = json!("function (newDoc, oldDoc, userCtx) {}");
    let (status, body) = request(&server, "PUT", &format!("/team/{DESIGN_ID}"), Some(&admin), Some(&old)).unwrap();
    assert_eq!(status, 201, "{body}");
    let (status, _) = request(&server, "PUT", "/team/_security", Some(&admin), Some(&json!({ "members": { "names": [], "roles": [] } }))).unwrap();
    assert_eq!(status, 200);
    let third = setup(&server);
    assert!(third.contains("_design/latitude: updated") && third.contains("_security: set") && !third.contains("nothing changed"), "{third}");
    let (_, design) = request(&server, "GET", &format!("/team/{DESIGN_ID}"), Some(&admin), None).unwrap();
    assert_ne!(design["_rev"], rev);
    assert_eq!(without_rev(design), design_document("team"));
    assert_eq!(request(&server, "GET", "/team/_security", Some(&admin), None).unwrap().1, security_object());
    assert!(setup(&server).contains("nothing changed"));
}

/// The password printed once for a generated one.
fn printed_password(out: &str) -> String {
    let line = out.lines().find(|l| l.contains("shown only now")).unwrap_or_else(|| panic!("no password in {out}"));
    line.rsplit(": ").next().unwrap().to_owned()
}

/// Writes `doc` as the logged-in user (with `by` set to them); the status and error.
fn write_as(server: &Server, cookie: &str, name: &str, doc: &Value) -> (u16, Value) {
    let mut doc = doc.clone();
    doc["by"] = json!(name);
    // A refreshed session cookie that came with the document is not part of it.
    doc.as_object_mut().unwrap().remove("__cookie");
    let id = doc["_id"].as_str().unwrap().to_owned();
    request(server, "PUT", &format!("/team/{id}"), Some(cookie), Some(&doc)).unwrap()
}

#[test]
fn members_log_in_and_write_as_their_role_allows() {
    let server = start();
    let admin = make_admin(&server, "admin", "secret");
    let out = couch(&["member", "--url", &server.url(), "--db", "team", "--name", "ana", "--role", "leader"], "secret", Some("ana-pw"));
    assert_eq!(out.status.code(), Some(5), "no database yet");
    assert!(String::from_utf8_lossy(&out.stderr).contains("couch setup"), "{}", String::from_utf8_lossy(&out.stderr));
    setup(&server);

    let out = member(&server, "ana", "leader", Some("ana-pw"));
    assert!(out.contains("user ana: created with role leader") && !out.contains("shown only now"), "{out}");
    let out = member(&server, "bruno", "member", None);
    assert!(out.contains("user bruno: created with role member"), "{out}");
    let bruno_pw = printed_password(&out);
    assert_eq!(bruno_pw.len(), 24);
    member(&server, "rita", "reader", Some("rita-pw"));
    let (_, user) = request(&server, "GET", "/_users/org.couchdb.user:rita", Some(&admin), None).unwrap();
    assert_eq!(user["roles"], json!(["reader"]));

    // Ana, the leader, shares a workspace through the design document's rules.
    let ana = login(&server, "ana", "ana-pw");
    let mut ws = generate(5, &GenSpec { units: 2, years: 1, cadence_days: 56, commitments_per_unit: 1, decisions_per_unit: 1, ..GenSpec::small() });
    let mut replica = Replica::new("ana");
    replica.upload(&mut ws, "2026-11-26T09:00:00Z");
    loop {
        let push = replica.push(200);
        if push.is_empty() {
            break;
        }
        let (status, answer) = request(&server, "POST", "/team/_bulk_docs", Some(&ana), Some(&push.body)).unwrap();
        assert_eq!(status, 201, "{answer}");
        let out = replica.on_pushed(&push, &answer).unwrap();
        assert!(out.refused.is_empty() && out.failed.is_empty() && out.conflicts.is_empty(), "{out:?}");
    }
    assert!(replica.is_idle());

    // Bruno, a member, edits a unit but may not grant; Rita, a reader, reads only.
    let bruno = login(&server, "bruno", &bruno_pw);
    let rita = login(&server, "rita", "rita-pw");
    let unit_id = format!("unit:{}", ws.units[0].id.0);
    let (status, unit) = request(&server, "GET", &format!("/team/{unit_id}"), Some(&rita), None).unwrap();
    assert_eq!(status, 200, "a reader reads");
    let (status, refused) = write_as(&server, &rita, "rita", &unit);
    assert_eq!((status, refused["error"].as_str()), (403, Some("forbidden")), "{refused}");
    let (status, written) = write_as(&server, &bruno, "bruno", &unit);
    assert_eq!(status, 201, "{written}");
    let (_, all) = request(&server, "GET", "/team/_all_docs?include_docs=true", Some(&bruno), None).unwrap();
    let grant = all["rows"].as_array().unwrap().iter().map(|r| r["doc"].clone()).find(|d| d["_id"].as_str().is_some_and(|id| id.starts_with("grant:"))).expect("a grant document");
    let (status, refused) = write_as(&server, &bruno, "bruno", &grant);
    assert_eq!(status, 403, "{refused}");
    assert!(refused["reason"].as_str().unwrap().contains("leader"), "{refused}");

    // Rita becomes a member: she keeps her password and may now write.
    let out = member(&server, "rita", "member", None);
    assert!(out.contains("user rita: role reader \u{2192} member") && out.contains("password kept"), "{out}");
    let rita = login(&server, "rita", "rita-pw");
    let (_, unit) = request(&server, "GET", &format!("/team/{unit_id}"), Some(&rita), None).unwrap();
    let (status, written) = write_as(&server, &rita, "rita", &unit);
    assert_eq!(status, 201, "{written}");
    let out = member(&server, "rita", "member", Some("rita-pw"));
    assert!(out.contains("user rita: unchanged (role member, same password)"), "{out}");

    // Bruno leads the first unit, by name: the check-ins he records may name it as
    // recorded by, and no other unit; the roles of another database are kept.
    let (first, second) = (&ws.units[0], &ws.units[1]);
    let (_, mut user) = request(&server, "GET", "/_users/org.couchdb.user:bruno", Some(&admin), None).unwrap();
    user["roles"] = json!(["member", "unit:9@other", "wiki-editor"]);
    assert_eq!(request(&server, "PUT", "/_users/org.couchdb.user:bruno", Some(&admin), Some(&user)).unwrap().0, 201);
    let unit_args = |units: &[&str]| {
        let mut args = vec!["member", "--url", &server.url(), "--db", "team", "--name", "bruno", "--role", "member"].into_iter().map(str::to_owned).collect::<Vec<_>>();
        for u in units {
            args.extend(["--unit".to_owned(), (*u).to_owned()]);
        }
        args
    };
    let run = |units: &[&str]| couch(&unit_args(units).iter().map(String::as_str).collect::<Vec<_>>(), "secret", None);
    let out = ok(run(&[&first.name.to_string().to_uppercase()]));
    assert!(out.contains(&format!("user bruno: leads {} (unit {}) in team", first.name, first.id.0)) && !out.contains("role"), "{out}");
    let (_, user) = request(&server, "GET", "/_users/org.couchdb.user:bruno", Some(&admin), None).unwrap();
    assert_eq!(user["roles"], json!(["unit:9@other", "wiki-editor", "member", format!("unit:{}@team", first.id.0)]));
    let out = ok(run(&[&first.id.0.to_string()]));
    assert!(out.contains("unchanged (role member, leads"), "{out}");
    let bruno = login(&server, "bruno", &bruno_pw);
    let commitment = ws.commitments[0].id;
    let checkin = |unit: latitude::core::UnitId, day: &str| json!({ "_id": format!("checkin:{}:{day}", commitment.0), "type": "checkin", "record": { "commitment": commitment.0, "checkin": { "date": day, "value": 2.0, "recorded_by": unit.0 } } });
    let (status, written) = write_as(&server, &bruno, "bruno", &checkin(first.id, "2031-01-05"));
    assert_eq!(status, 201, "{written}");
    let (status, refused) = write_as(&server, &bruno, "bruno", &checkin(second.id, "2031-01-06"));
    assert_eq!(status, 403, "{refused}");
    assert!(refused["reason"].as_str().unwrap().contains(&format!("leads unit {}", second.id.0)), "{refused}");
    // A unit that is not there, and `none`, which clears them.
    let out = run(&["Nowhere"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no unit \u{201c}Nowhere\u{201d}"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = ok(run(&["none"]));
    assert!(out.contains("user bruno: leads no unit in team"), "{out}");
    let (_, user) = request(&server, "GET", "/_users/org.couchdb.user:bruno", Some(&admin), None).unwrap();
    assert_eq!(user["roles"], json!(["unit:9@other", "wiki-editor", "member"]));

    // A new password replaces the old one.
    let out = member(&server, "bruno", "member", Some("bruno-new"));
    assert!(out.contains("user bruno: password changed") && !out.contains("role"), "{out}");
    login(&server, "bruno", "bruno-new");
    let (status, _) = request(&server, "POST", "/_session", None, Some(&json!({ "name": "bruno", "password": bruno_pw }))).unwrap();
    assert_eq!(status, 401, "the old password no longer works");
}

#[test]
fn a_wrong_admin_password_is_refused_and_changes_nothing() {
    let server = start();
    let admin = make_admin(&server, "admin", "secret");
    let out = couch(&["setup", "--url", &server.url(), "--db", "team"], "wrong", None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains(&server.url()) && err.contains("401") && err.contains("COUCHDB_USER"), "{err}");
    assert_eq!(request(&server, "GET", "/team", Some(&admin), None).unwrap().0, 404, "no database was made");
    let out = couch(&["member", "--url", &server.url(), "--db", "team", "--name", "ana", "--role", "leader"], "wrong", Some("pw"));
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(request(&server, "GET", "/_users/org.couchdb.user:ana", Some(&admin), None).unwrap().0, 404, "no user was made");
}

#[test]
fn a_leader_uploads_a_workspace_file_that_a_member_then_pulls_whole() {
    let server = start();
    let admin = make_admin(&server, "admin", "secret");
    setup(&server);
    member(&server, "ana", "leader", Some("ana-pw"));
    member(&server, "bruno", "member", Some("bruno-pw"));
    // More documents than one request carries.
    let ws = generate(7, &GenSpec { units: 6, years: 1, cadence_days: 7, commitments_per_unit: 2, decisions_per_unit: 1, ..GenSpec::small() });
    let file = std::env::temp_dir().join(format!("latitude-upload-{}-{}.json", std::process::id(), server.port));
    let text = latitude::storage::file::export_workspace(&ws);
    std::fs::write(&file, &text).unwrap();
    let upload = |user: &str, password: &str| couch_as(user, password, &["upload", "--url", &server.url(), "--db", "team", "--file", file.to_str().unwrap()], None);

    let out = upload("bruno", "bruno-pw");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not a leader"), "{err}");
    let out = upload("ana", "wrong");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("401"), "{err}");

    let out = couch_as("ana", "ana-pw", &["upload", "--url", &server.url(), "--db", "elsewhere", "--file", file.to_str().unwrap()], None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("elsewhere is not set up") && err.contains("couch setup"), "{err}");

    let out = ok(upload("ana", "ana-pw"));
    let mut expected = latitude::storage::file::import_workspace(&text).unwrap();
    canonicalize(&mut expected);
    let count = documents(&expected).len();
    assert!(count > 500, "{count} documents: more than one batch");
    assert!(out.contains(&format!("{count} documents")) && out.contains("by ana"), "{out}");

    // Bruno joins and gets the same workspace; every record says Ana wrote it.
    let bruno = login(&server, "bruno", "bruno-pw");
    let mut replica = Replica::new("bruno");
    let mut joined = latitude::core::Workspace::new(latitude::core::Name::new("Joining").unwrap());
    loop {
        let (status, answer) = request(&server, "GET", &format!("/team/{}", replica.changes_path(500)), Some(&bruno), None).unwrap();
        assert_eq!(status, 200, "{answer}");
        let rows = answer["results"].as_array().unwrap().len();
        let pulled = replica.on_changes(&mut joined, &answer).unwrap();
        assert!(pulled.unreadable.is_empty(), "{:?}", pulled.unreadable);
        if rows < 500 {
            break;
        }
    }
    assert_eq!(joined, expected);
    let (_, all) = request(&server, "GET", "/team/_all_docs?include_docs=true", Some(&admin), None).unwrap();
    let docs: Vec<&Value> = all["rows"].as_array().unwrap().iter().map(|r| &r["doc"]).filter(|d| !d["_id"].as_str().unwrap().starts_with("_design/")).collect();
    assert_eq!(docs.len(), count);
    assert!(docs.iter().all(|d| d["by"] == "ana"));

    // A database that holds a workspace is not uploaded into again.
    let out = upload("ana", "ana-pw");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("already holds documents"), "{err}");
    let _ = std::fs::remove_file(&file);
}

/// The CORS headers (lower-case names) of a preflight `OPTIONS path` from `origin`, as a
/// browser sends it before a `fetch` with credentials and a JSON body.
fn preflight(server: &Server, path: &str, origin: &str) -> Vec<(String, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    let request = format!(
        "OPTIONS {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nOrigin: {origin}\r\nAccess-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: content-type\r\nConnection: close\r\n\r\n",
        server.port
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let head = answer.split("\r\n\r\n").next().unwrap();
    head.lines().skip(1).filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned())).filter(|(k, _)| k.starts_with("access-control-")).collect()
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[test]
fn setup_prints_what_the_host_needs_and_the_cors_settings_when_not_told_the_apps_origin() {
    let server = start();
    let admin = make_admin(&server, "admin", "secret");
    let (_, before) = request(&server, "GET", "/_config/cors", Some(&admin), None).unwrap();
    let out = setup(&server);
    assert!(out.contains(&format!("Content-Security-Policy: connect-src 'self' {}\n", server.url())), "{out}");
    assert!(out.contains("/couch/") && out.contains("connect-src 'self' is enough") && out.contains("first-party"), "{out}");
    assert!(out.contains("CORS: not configured") && out.contains("cannot connect"), "{out}");
    for line in
        ["[chttpd]", "enable_cors = true", "[cors]", "origins = ", "credentials = true", "methods = GET, PUT, POST, HEAD, DELETE", "headers = accept, authorization, content-type, origin, referer"]
    {
        assert!(out.lines().any(|l| l.trim() == line || (line.ends_with(' ') && l.trim().starts_with(line))), "{line} in {out}");
    }
    let (_, after) = request(&server, "GET", "/_config/cors", Some(&admin), None).unwrap();
    assert_eq!(after, before, "without --app-origin the server's CORS is left alone");
}

#[test]
fn setup_configures_cors_for_the_apps_origins_once() {
    let server = start();
    let admin = make_admin(&server, "admin", "secret");
    let url = server.url();
    let run = |origins: &[&str]| {
        let mut args = vec!["setup", "--url", url.as_str(), "--db", "team"];
        for o in origins {
            args.extend(["--app-origin", o]);
        }
        couch(&args, "secret", None)
    };
    // pouchdb-server starts with origins "*": any site could use a member's session.
    assert_eq!(request(&server, "GET", "/_config/cors/origins", Some(&admin), None).unwrap().1, json!("*"));

    let out = ok(run(&["https://wiki.example.org/", "http://localhost:8080", "HTTPS://WIKI.example.org:443"]));
    assert!(out.contains("database team: created") && out.contains("CORS origins: https://wiki.example.org, http://localhost:8080 (was *)"), "{out}");
    assert!(out.contains("may now connect") && !out.contains("nothing changed") && !out.contains("CORS: not configured"), "{out}");
    assert!(out.contains(&format!("connect-src 'self' {url}\n")), "{out}");
    for origin in ["https://wiki.example.org", "http://localhost:8080"] {
        let headers = preflight(&server, "/team", origin);
        assert_eq!(header(&headers, "access-control-allow-origin"), Some(origin), "{headers:?}");
        assert_eq!(header(&headers, "access-control-allow-credentials"), Some("true"), "{headers:?}");
        let methods = header(&headers, "access-control-allow-methods").unwrap_or_default().to_ascii_uppercase();
        assert!(methods.contains("PUT") && methods.contains("DELETE"), "{headers:?}");
    }
    assert_eq!(header(&preflight(&server, "/team", "https://elsewhere.example.org"), "access-control-allow-origin"), None, "another site is not allowed");

    let again = ok(run(&["https://wiki.example.org", "http://localhost:8080"]));
    assert!(again.contains("CORS: unchanged") && again.contains("nothing changed"), "{again}");
    assert!(!again.contains("CORS origins:"), "{again}");

    // A second app's origin is added; the first stays.
    let third = ok(run(&["https://plan.example.org"]));
    assert!(third.contains("CORS origins: https://wiki.example.org, http://localhost:8080, https://plan.example.org (was https://wiki.example.org, http://localhost:8080)"), "{third}");
    assert!(!third.contains("nothing changed"), "{third}");
    assert_eq!(header(&preflight(&server, "/team", "https://wiki.example.org"), "access-control-allow-origin"), Some("https://wiki.example.org"));

    // Credentials turned off by hand are turned on again.
    request(&server, "PUT", "/_config/cors/credentials", Some(&admin), Some(&json!("false"))).unwrap();
    let fourth = ok(run(&["https://plan.example.org"]));
    assert!(fourth.contains("CORS credentials: true (was false)") && !fourth.contains("nothing changed"), "{fourth}");
    assert_eq!(header(&preflight(&server, "/team", "https://plan.example.org"), "access-control-allow-credentials"), Some("true"));

    // The app on CouchDB's own origin needs no CORS.
    let same = ok(run(&[&url]));
    assert!(same.contains("CORS: not needed") && same.contains("Content-Security-Policy: connect-src 'self'\n") && same.contains("nothing changed"), "{same}");
}

#[test]
fn setup_refuses_an_app_origin_that_is_not_one_before_sending_anything() {
    let server = start();
    let admin = make_admin(&server, "admin", "secret");
    for (origin, reason) in [
        ("https://wiki.example.org/latitude/", "has a path or query; the origin is https://wiki.example.org"),
        ("wiki.example.org", "must start with https:// or http://"),
        ("https://*.example.org", "wildcard"),
        ("https://wiki.example.org:99999", "not a port"),
    ] {
        let out = couch(&["setup", "--url", &server.url(), "--db", "team", "--app-origin", "https://ok.example.org", "--app-origin", origin], "secret", None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{origin}: {err}");
        assert!(err.contains("--app-origin") && err.contains(reason), "{origin}: {err}");
    }
    assert_eq!(request(&server, "GET", "/team", Some(&admin), None).unwrap().0, 404, "no database was made");
    assert_eq!(request(&server, "GET", "/_config/cors/origins", Some(&admin), None).unwrap().1, json!("*"), "CORS left alone");
}
