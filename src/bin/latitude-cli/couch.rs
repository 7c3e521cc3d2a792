//! `latitude-cli couch`: sets up a team's CouchDB database for a shared workspace (the
//! database, its `_security` and the design document) and its members (CouchDB users
//! with one of [`ROLES`]), and uploads a workspace file into it as a leader. The name
//! and password (the server admin's, or the leader's for `upload`) come from the
//! environment (`COUCHDB_USER`, `COUCHDB_PASSWORD`), never from the command line, where
//! other users of the machine could read them. Every request has its own deadline.

use std::cell::RefCell;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use clap::Subcommand;
use latitude::core::UnitId;
use latitude::sync::{design_document, security_object, Replica, DESIGN_ID, ROLES};
use serde_json::{json, Value};
use ureq::http;

use crate::cli::Failure;

mod cors;
use cors::Origin;

#[derive(Subcommand)]
pub enum Couch {
    /// Create the team's database (if missing), its `_security` and the design
    /// document that enforces who may write what, and with --app-origin CouchDB's CORS
    /// for the app; then print the Content-Security-Policy connect-src the app's host
    /// needs. Safe to run again: it changes only what differs. Server admin from
    /// COUCHDB_USER and COUCHDB_PASSWORD.
    Setup {
        /// The server, e.g. https://couch.example.org (http://127.0.0.1:5984 locally).
        #[arg(long)]
        url: String,
        /// The database's name (lower-case letters, digits and _$()+-/, starting with a letter).
        #[arg(long)]
        db: String,
        /// An origin the app is served from, e.g. https://wiki.example.org (repeat for
        /// several). CORS is then configured so that the app there may connect with the
        /// members' sessions; without it, the settings are printed for the admin.
        #[arg(long = "app-origin", value_name = "ORIGIN")]
        app_origin: Vec<String>,
    },
    /// Create or update a member: a CouchDB user with one role (leader, member or
    /// reader). The password is LATITUDE_MEMBER_PASSWORD or, for a new user when it is
    /// not set, a generated one printed once; an existing user keeps theirs unless
    /// LATITUDE_MEMBER_PASSWORD is set. Server admin from COUCHDB_USER and COUCHDB_PASSWORD.
    Member {
        #[arg(long)]
        url: String,
        /// The team's database (it must have been set up).
        #[arg(long)]
        db: String,
        /// The member's user name (what they log in with).
        #[arg(long)]
        name: String,
        /// leader (writes everything), member (everything but grants, autonomy reviews
        /// and the policy) or reader (reads only).
        #[arg(long)]
        role: String,
        /// A unit the member leads in this workspace, by number or by name (repeat for
        /// several; `none` for none): the check-ins they record may name it as "recorded
        /// by", which the server checks. Replaces the units given before; without it they
        /// are kept.
        #[arg(long = "unit", value_name = "UNIT")]
        units: Vec<String>,
    },
    /// Share a workspace file (exported from the app) with the team: upload it into a
    /// freshly set-up database as the leader COUCHDB_USER (password COUCHDB_PASSWORD),
    /// who is recorded as the author of every record.
    Upload {
        #[arg(long)]
        url: String,
        #[arg(long)]
        db: String,
        /// The workspace file.
        #[arg(long)]
        file: PathBuf,
    },
}

/// Documents per `_bulk_docs` request of an upload.
const BATCH: usize = 500;

/// What to do after an upload stopped part-way.
const RESTART: &str = "The documents written stay: to start again, the server admin deletes the database and runs `latitude-cli couch setup` again";

/// How long one request may take, connecting included.
const DEADLINE: Duration = Duration::from_secs(30);

pub fn run(command: Couch) -> Result<(), Failure> {
    match command {
        Couch::Setup { url, db, app_origin } => {
            let base = server_url(&url)?;
            check_db_name(&db)?;
            let mut origins: Vec<Origin> = Vec::new();
            for text in &app_origin {
                let origin = Origin::parse(text).map_err(|e| Failure::usage(format!("--app-origin: {e}")))?;
                if !origins.contains(&origin) {
                    origins.push(origin);
                }
            }
            let server = Server::as_admin(base)?;
            for line in setup(&server, &db, &origins)? {
                println!("{line}");
            }
        }
        Couch::Member { url, db, name, role, units } => {
            let base = server_url(&url)?;
            check_db_name(&db)?;
            check_user_name(&name)?;
            if !ROLES.contains(&role.as_str()) {
                return Err(Failure::usage(format!("--role: no role \u{201c}{role}\u{201d}; the roles are {}", ROLES.join(", "))));
            }
            let password = match std::env::var("LATITUDE_MEMBER_PASSWORD") {
                Ok(p) if p.is_empty() => return Err(Failure::usage("LATITUDE_MEMBER_PASSWORD is empty: unset it to have a password generated")),
                Ok(p) => Some(p),
                Err(_) => None,
            };
            let server = Server::as_admin(base)?;
            let units = if units.is_empty() { None } else { Some(led_units(&server, &db, &units)?) };
            for line in member(&server, &db, &name, &role, units.as_deref(), password)? {
                println!("{line}");
            }
        }
        Couch::Upload { url, db, file } => {
            let base = server_url(&url)?;
            check_db_name(&db)?;
            let (user, password) = credentials()?;
            let ws = crate::cli::load(&file)?;
            let server = Server::as_leader(base, &user, &password)?;
            for line in upload(&server, &db, &user, ws)? {
                println!("{line}");
            }
        }
    }
    Ok(())
}

/// `COUCHDB_USER` and `COUCHDB_PASSWORD`, both set.
fn credentials() -> Result<(String, String), Failure> {
    let user = std::env::var("COUCHDB_USER").unwrap_or_default();
    let password = std::env::var("COUCHDB_PASSWORD").unwrap_or_default();
    if user.is_empty() || password.is_empty() {
        return Err(Failure::usage("set COUCHDB_USER and COUCHDB_PASSWORD to the CouchDB user's name and password (the server admin's; a leader's for upload)"));
    }
    Ok((user, password))
}

/// The server's address without a trailing slash; only http and https.
fn server_url(url: &str) -> Result<String, Failure> {
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed.strip_prefix("http://").or_else(|| trimmed.strip_prefix("https://"));
    match rest {
        // Credentials in the address would be on the command line for all to see.
        Some(host) if host.split('/').next().is_some_and(|h| h.contains('@')) => Err(Failure::usage("--url: put the name and password in COUCHDB_USER and COUCHDB_PASSWORD, not in the address")),
        Some(host) if !host.is_empty() && !host.contains(['?', '#']) => match Origin::of_url(trimmed) {
            Ok(_) => Ok(trimmed.to_owned()),
            Err(e) => Err(Failure::usage(format!("--url: {e}"))),
        },
        _ => Err(Failure::usage(format!("--url: \u{201c}{url}\u{201d} is not an http:// or https:// address of a server"))),
    }
}

/// CouchDB's rule for database names, checked before anything is sent.
fn check_db_name(db: &str) -> Result<(), Failure> {
    let mut chars = db.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    if first_ok && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_$()+-/".contains(c)) {
        Ok(())
    } else {
        Err(Failure::usage(format!("--db: CouchDB does not accept the name \u{201c}{db}\u{201d}: it must start with a lower-case letter and hold only lower-case letters, digits and _$()+-/")))
    }
}

/// A user name CouchDB's `_users` accepts and HTTP basic authentication can carry.
fn check_user_name(name: &str) -> Result<(), Failure> {
    if name.is_empty() || name.starts_with('_') || name.contains(':') || name.chars().any(char::is_control) {
        return Err(Failure::usage(format!("--name: \u{201c}{name}\u{201d} cannot be a CouchDB user name (not empty, not starting with _, no colon)")));
    }
    Ok(())
}

/// A path segment with everything but unreserved characters percent-encoded.
fn segment(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A CouchDB server reached as its admin (basic authentication) or as a member (a
/// `_session` cookie, replaced when the server refreshes it).
struct Server {
    base: String,
    agent: ureq::Agent,
    /// The header that authenticates each request: its name and value.
    auth: RefCell<(&'static str, String)>,
}

/// An answer: the status and the body as JSON (`Null` when it is not JSON).
struct Answer {
    status: u16,
    body: Value,
}

impl Answer {
    /// CouchDB's `reason` (or `error`) for a refusal.
    fn reason(&self) -> String {
        let text = |k: &str| self.body.get(k).and_then(Value::as_str).map(str::to_owned);
        text("reason").or_else(|| text("error")).unwrap_or_else(|| format!("status {}", self.status))
    }
}

impl Server {
    /// Connects with the admin's credentials from the environment and checks that they
    /// are a server admin's.
    fn as_admin(base: String) -> Result<Server, Failure> {
        let (user, password) = credentials()?;
        let authorization = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")));
        let server = Server::new(base, ("authorization", authorization));
        let answer = server.request("GET", "/_session", None)?;
        match answer.status {
            200 => {}
            401 => return Err(Failure::server(format!("{}: the server refused COUCHDB_USER \u{201c}{user}\u{201d} with this password (401: {})", server.base, answer.reason()))),
            s => return Err(Failure::server(format!("{}/_session answered {s} ({}): is this a CouchDB server?", server.base, answer.reason()))),
        }
        let roles = &answer.body["userCtx"]["roles"];
        if !roles.as_array().is_some_and(|r| r.iter().any(|x| x == "_admin")) {
            return Err(Failure::server(format!("{}: \u{201c}{user}\u{201d} is not a server admin of this CouchDB (roles {roles})", server.base)));
        }
        Ok(server)
    }

    fn new(base: String, auth: (&'static str, String)) -> Server {
        let config = ureq::Agent::config_builder().timeout_global(Some(DEADLINE)).http_status_as_error(false).build();
        Server { base, agent: config.into(), auth: RefCell::new(auth) }
    }

    /// Logs in through `_session` as the app does and checks the user is a leader.
    fn as_leader(base: String, user: &str, password: &str) -> Result<Server, Failure> {
        let server = Server::new(base, ("cookie", String::new()));
        let answer = server.request("POST", "/_session", Some(&json!({ "name": user, "password": password })))?;
        match answer.status {
            200 => {}
            401 => return Err(Failure::server(format!("{}: the server refused COUCHDB_USER \u{201c}{user}\u{201d} with this password (401: {})", server.base, answer.reason()))),
            s => return Err(Failure::server(format!("{}/_session answered {s} ({}): is this a CouchDB server?", server.base, answer.reason()))),
        }
        if server.auth.borrow().1.is_empty() {
            return Err(Failure::server(format!("{}/_session gave no session cookie", server.base)));
        }
        if !answer.body["roles"].as_array().is_some_and(|r| r.iter().any(|x| x == "leader")) {
            return Err(Failure::usage(format!("\u{201c}{user}\u{201d} is not a leader (roles {}): only a leader uploads a workspace", answer.body["roles"])));
        }
        Ok(server)
    }

    fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Answer, Failure> {
        let mut builder = http::Request::builder().method(method).uri(format!("{}{path}", self.base)).header("accept", "application/json");
        {
            let auth = self.auth.borrow();
            if !auth.1.is_empty() {
                builder = builder.header(auth.0, &auth.1);
            }
        }
        let sent = match body {
            Some(b) => builder.header("content-type", "application/json").body(b.to_string()).map(|r| self.agent.run(r)),
            None => builder.body(ureq::SendBody::none()).map(|r| self.agent.run(r)),
        };
        let unreachable = |e: &dyn std::fmt::Display| Failure::server(format!("cannot reach CouchDB at {}: {e}", self.base));
        let mut response = sent.map_err(|e| Failure::usage(format!("--url: {e}")))?.map_err(|e| unreachable(&e))?;
        let status = response.status().as_u16();
        let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).and_then(|c| c.split(';').next()).filter(|c| c.starts_with("AuthSession="));
        let by_cookie = self.auth.borrow().0 == "cookie";
        if let (Some(c), true) = (cookie, by_cookie) {
            self.auth.borrow_mut().1 = c.to_owned();
        }
        let text = response.body_mut().read_to_string().map_err(|e| unreachable(&e))?;
        Ok(Answer { status, body: serde_json::from_str(&text).unwrap_or(Value::Null) })
    }

    /// A request that must succeed with one of `ok`; anything else is a failure naming
    /// what was being done and the server's reason.
    fn expect(&self, what: &str, method: &str, path: &str, body: Option<&Value>, ok: &[u16]) -> Result<Answer, Failure> {
        let answer = self.request(method, path, body)?;
        if ok.contains(&answer.status) {
            Ok(answer)
        } else {
            Err(Failure::server(format!("{}: {what}: refused ({}: {})", self.base, answer.status, answer.reason())))
        }
    }
}

/// Creates the database, `_security` and design document where they are missing or
/// differ, and configures CORS for the app's `origins` (other than CouchDB's own); one
/// line for each, saying what was done, then what the app's host needs.
fn setup(server: &Server, db: &str, origins: &[Origin]) -> Result<Vec<String>, Failure> {
    let path = format!("/{}", segment(db));
    let mut lines = Vec::new();
    let mut changed = false;

    let exists = server.expect(&format!("looking up database {db}"), "GET", &path, None, &[200, 404])?.status == 200;
    if exists {
        lines.push(format!("database {db}: already there"));
    } else {
        let answer = server.request("PUT", &path, None)?;
        match answer.status {
            201 | 202 => {
                lines.push(format!("database {db}: created"));
                changed = true;
            }
            // Made in between by someone else: fine.
            412 => lines.push(format!("database {db}: already there")),
            400 => return Err(Failure::usage(format!("--db: CouchDB refused the name \u{201c}{db}\u{201d}: {}", answer.reason()))),
            s => return Err(Failure::server(format!("{}: creating database {db}: refused ({s}: {})", server.base, answer.reason()))),
        }
    }

    let wanted = security_object();
    let security = server.expect("reading _security", "GET", &format!("{path}/_security"), None, &[200])?.body;
    if security == wanted {
        lines.push(format!("_security: unchanged (only the roles {} get in)", ROLES.join(", ")));
    } else {
        server.expect("writing _security", "PUT", &format!("{path}/_security"), Some(&wanted), &[200, 201])?;
        lines.push(format!("_security: set (only the roles {} get in)", ROLES.join(", ")));
        changed = true;
    }

    let design_path = format!("{path}/{DESIGN_ID}");
    let wanted = design_document(db);
    let installed = server.expect("reading the design document", "GET", &design_path, None, &[200, 404])?;
    if installed.status == 404 {
        server.expect("installing the design document", "PUT", &design_path, Some(&wanted), &[201, 202])?;
        lines.push(format!("{DESIGN_ID}: installed"));
        changed = true;
    } else if same_design(&installed.body, &wanted) {
        lines.push(format!("{DESIGN_ID}: unchanged"));
    } else {
        let mut doc = wanted.clone();
        doc["_rev"] = installed.body["_rev"].clone();
        server.expect("updating the design document", "PUT", &design_path, Some(&doc), &[201, 202])?;
        lines.push(format!("{DESIGN_ID}: updated to this version's rules"));
        changed = true;
    }

    let couch = Origin::of_url(&server.base).map_err(|e| Failure::usage(format!("--url: {e}")))?;
    // The app served from CouchDB's own origin needs no CORS.
    let others: Vec<Origin> = origins.iter().filter(|o| **o != couch).cloned().collect();
    let same_origin = !origins.is_empty() && others.is_empty();
    if same_origin {
        lines.push(format!("CORS: not needed (the app and CouchDB share the origin {})", couch.as_str()));
    } else if !others.is_empty() {
        let (cors_lines, cors_changed) = cors::configure(server, &others).map_err(|mut f| {
            f.message = format!("{}. The database is set up; run setup again once CORS can be configured", f.message);
            f
        })?;
        lines.extend(cors_lines);
        changed |= cors_changed;
    }
    lines.push(if changed { format!("{db} is ready: add members with `latitude-cli couch member`") } else { format!("nothing changed: {db} was already set up") });
    if origins.is_empty() {
        lines.extend(cors::manual_settings());
    }
    lines.extend(cors::host_settings(&couch, same_origin));
    Ok(lines)
}

/// The installed design document holds what `wanted` holds (revision aside).
fn same_design(installed: &Value, wanted: &Value) -> bool {
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Some(m) = v.as_object_mut() {
            m.remove("_rev");
        }
        v
    };
    strip(installed) == strip(wanted)
}

/// The units `given` (numbers or names, or `none`) among the workspace's units in `db`,
/// with their names.
fn led_units(server: &Server, db: &str, given: &[String]) -> Result<Vec<(UnitId, String)>, Failure> {
    if given.iter().any(|u| u.trim().eq_ignore_ascii_case("none")) {
        return if given.len() == 1 { Ok(Vec::new()) } else { Err(Failure::usage("--unit none stands alone: it clears the units")) };
    }
    check_db(server, db)?;
    let path = format!("/{}/_all_docs?include_docs=true&startkey=%22unit%3A%22&endkey=%22unit%3A%EF%BF%B0%22", segment(db));
    let answer = server.expect(&format!("reading the units of {db}"), "GET", &path, None, &[200])?;
    let units: Vec<(UnitId, String)> = answer.body["rows"]
        .as_array()
        .map(|rows| rows.iter().filter_map(|r| Some((UnitId(r["doc"]["record"]["id"].as_u64()?.try_into().ok()?), r["doc"]["record"]["name"].as_str()?.to_owned()))).collect())
        .unwrap_or_default();
    let mut out: Vec<(UnitId, String)> = Vec::new();
    for text in given {
        let text = text.trim();
        let found = match text.parse::<u32>() {
            Ok(n) => units.iter().find(|(id, _)| id.0 == n),
            Err(_) => {
                let named: Vec<_> = units.iter().filter(|(_, n)| n.eq_ignore_ascii_case(text)).collect();
                if named.len() > 1 {
                    let numbers: Vec<String> = named.iter().map(|(id, _)| id.0.to_string()).collect();
                    return Err(Failure::usage(format!("--unit: {} units of {db} are named \u{201c}{text}\u{201d}: give the number ({})", named.len(), numbers.join(" or "))));
                }
                named.first().copied()
            }
        };
        match found {
            Some(u) if !out.contains(u) => out.push(u.clone()),
            Some(_) => {}
            None if units.is_empty() => return Err(Failure::usage(format!("--unit: {db} holds no units yet: share a workspace into it first"))),
            None => return Err(Failure::usage(format!("--unit: {db} has no unit \u{201c}{text}\u{201d} (give its number or its name as the app shows it)"))),
        }
    }
    Ok(out)
}

fn check_db(server: &Server, db: &str) -> Result<(), Failure> {
    let db_path = format!("/{}", segment(db));
    if server.expect(&format!("looking up database {db}"), "GET", &db_path, None, &[200, 404])?.status == 404 {
        return Err(Failure::server(format!("{}: there is no database {db}: run `latitude-cli couch setup --url {} --db {db}` first", server.base, server.base)));
    }
    Ok(())
}

/// Creates or updates the user `name` with the Latitude role `role` and, if `units` is
/// given, the units they lead in `db` (replacing those given before); other roles the
/// user holds (for other databases or applications on the server) are kept.
fn member(server: &Server, db: &str, name: &str, role: &str, units: Option<&[(UnitId, String)]>, password: Option<String>) -> Result<Vec<String>, Failure> {
    check_db(server, db)?;
    let is_latitude = |r: &str| ROLES.contains(&r) || !latitude::sync::led_units(db, &[r.to_owned()]).is_empty();
    let unit_roles = |units: &[(UnitId, String)]| units.iter().map(|(id, _)| latitude::sync::unit_role(db, *id)).collect::<Vec<_>>();
    let leads = |units: &[(UnitId, String)]| {
        if units.is_empty() {
            "no unit".to_owned()
        } else {
            units.iter().map(|(id, n)| format!("{n} (unit {})", id.0)).collect::<Vec<_>>().join(", ")
        }
    };
    let path = format!("/_users/{}", segment(&format!("org.couchdb.user:{name}")));
    let existing = server.expect(&format!("looking up user {name}"), "GET", &path, None, &[200, 404])?;
    let mut lines = Vec::new();
    if existing.status == 404 {
        let (password, generated) = match password {
            Some(p) => (p, false),
            None => (generate_password()?, true),
        };
        let mut roles = vec![role.to_owned()];
        roles.extend(unit_roles(units.unwrap_or_default()));
        let user = json!({ "_id": format!("org.couchdb.user:{name}"), "name": name, "type": "user", "roles": roles, "password": password });
        server.expect(&format!("creating user {name}"), "PUT", &path, Some(&user), &[201, 202])?;
        lines.push(format!("user {name}: created with role {role}"));
        if let Some(units) = units {
            lines.push(format!("user {name}: leads {} in {db}", leads(units)));
        }
        lines.push(if generated { format!("password for {name} (shown only now; pass it on privately): {password}") } else { format!("password for {name}: from LATITUDE_MEMBER_PASSWORD") });
        return Ok(lines);
    }

    let mut user = existing.body;
    let old: Vec<String> = user["roles"].as_array().map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default();
    let was: Vec<&str> = old.iter().map(String::as_str).filter(|r| ROLES.contains(r)).collect();
    let old_units = latitude::sync::led_units(db, &old);
    let mut roles: Vec<String> = old.iter().filter(|r| !is_latitude(r)).cloned().collect();
    roles.push(role.to_owned());
    match units {
        Some(units) => roles.extend(unit_roles(units)),
        None => roles.extend(old_units.iter().map(|u| latitude::sync::unit_role(db, *u))),
    }
    let role_changed = was != [role];
    let units_changed = units.is_some_and(|u| {
        let mut given: Vec<UnitId> = u.iter().map(|(id, _)| *id).collect();
        let mut before = old_units.clone();
        given.sort();
        before.sort();
        given != before
    });
    // A password given again is checked by logging in with it: the same one is no change.
    let password_changed = match &password {
        Some(p) => !logs_in(server, name, p)?,
        None => false,
    };
    if roles == old && !password_changed {
        lines.push(format!(
            "user {name}: unchanged (role {role}{}{})",
            if units.is_some() { format!(", leads {}", leads(units.unwrap_or_default())) } else { String::new() },
            if password.is_some() { ", same password" } else { "" }
        ));
        return Ok(lines);
    }
    user["roles"] = json!(roles);
    if let (true, Some(p)) = (password_changed, &password) {
        user["password"] = json!(p);
    }
    server.expect(&format!("updating user {name}"), "PUT", &path, Some(&user), &[201, 202])?;
    if role_changed {
        lines.push(format!("user {name}: role {} \u{2192} {role}", if was.is_empty() { "none".to_owned() } else { was.join(", ") }));
    }
    if let (true, Some(units)) = (units_changed, units) {
        lines.push(format!("user {name}: leads {} in {db}", leads(units)));
    }
    lines.push(if password_changed { format!("user {name}: password changed (from LATITUDE_MEMBER_PASSWORD)") } else { format!("user {name}: password kept") });
    Ok(lines)
}

/// Whether `name` logs in with `password` through `_session` (without the admin's
/// credentials, as the member would).
fn logs_in(server: &Server, name: &str, password: &str) -> Result<bool, Failure> {
    let request = http::Request::builder()
        .method("POST")
        .uri(format!("{}/_session", server.base))
        .header("accept", "application/json")
        .header("content-type", "application/json")
        .body(json!({ "name": name, "password": password }).to_string())
        .map_err(|e| Failure::usage(format!("--url: {e}")))?;
    let response = server.agent.run(request).map_err(|e| Failure::server(format!("cannot reach CouchDB at {}: {e}", server.base)))?;
    Ok(response.status().as_u16() == 200)
}

/// Uploads `ws` into a set-up database that holds no workspace yet, in batches, as the
/// logged-in leader `user`.
fn upload(server: &Server, db: &str, user: &str, mut ws: latitude::core::Workspace) -> Result<Vec<String>, Failure> {
    let path = format!("/{}", segment(db));
    let design = server.expect(&format!("reading database {db}"), "GET", &format!("{path}/{DESIGN_ID}"), None, &[200, 404])?;
    if design.status == 404 {
        return Err(Failure::server(format!("{}: database {db} is not set up (no {DESIGN_ID}): the server admin runs `latitude-cli couch setup` first", server.base)));
    }
    // Latitude's document ids start with a lower-case letter; design documents with _.
    let held = server.expect(&format!("reading database {db}"), "GET", &format!("{path}/_all_docs?limit=1&startkey=%22a%22"), None, &[200])?;
    if held.body["rows"].as_array().is_none_or(|r| !r.is_empty()) {
        return Err(Failure::usage(format!(
            "{}: database {db} already holds documents: a workspace is uploaded only into a freshly set-up database (members join a shared one in the app)",
            server.base
        )));
    }
    let mut replica = Replica::new(user);
    replica.upload(&mut ws, &now());
    let total = replica.outbox.len();
    let mut written = 0;
    loop {
        let push = replica.push(BATCH);
        if push.is_empty() {
            break;
        }
        let stopped = |f: Failure| Failure::server(format!("{}; uploading stopped after {written} of {total} documents. {RESTART}", f.message));
        let answer = server.expect("uploading", "POST", &format!("{path}/_bulk_docs"), Some(&push.body), &[201]).map_err(stopped)?;
        let out = replica.on_pushed(&push, &answer.body).map_err(|e| Failure::server(format!("{}: uploading stopped after {written} of {total} documents: {e}. {RESTART}", server.base)))?;
        written += out.written.len();
        let problems: Vec<String> = out.refused.iter().chain(&out.failed).map(|(id, why)| format!("{id}: {why}")).chain(out.conflicts.iter().map(|id| format!("{id}: already there (409)"))).collect();
        if !problems.is_empty() {
            let shown: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
            return Err(Failure::server(format!(
                "{}: uploading stopped after {written} of {total} documents; the server refused {} ({}{}). {RESTART}",
                server.base,
                problems.len(),
                shown.join("; "),
                if problems.len() > shown.len() { "; …" } else { "" }
            )));
        }
        if out.written.is_empty() {
            return Err(Failure::server(format!("{}: uploading stopped after {written} of {total} documents: the server wrote none of a batch. {RESTART}", server.base)));
        }
    }
    Ok(vec![format!(
        "uploaded \u{201c}{}\u{201d} into {db}: {written} documents ({} units, {} commitments, {} check-ins) by {user}",
        ws.name,
        ws.units.len(),
        ws.commitments.len(),
        ws.checkin_count()
    )])
}

/// The current time as the documents' `at` (UTC, to the second).
fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!("{}T{:02}:{:02}:{:02}Z", latitude::core::format_date(t.date()), t.hour(), t.minute(), t.second())
}

/// 24 letters and digits from the operating system's random source (about 142 bits).
fn generate_password() -> Result<String, Failure> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut out = String::new();
    while out.len() < 24 {
        let mut bytes = [0u8; 64];
        getrandom::fill(&mut bytes).map_err(|e| Failure::io(format!("no random source for a password: {e}")))?;
        // Rejection sampling keeps every character equally likely.
        let limit = 256 - 256 % ALPHABET.len();
        out.extend(bytes.iter().filter(|&&b| (b as usize) < limit).map(|&b| ALPHABET[b as usize % ALPHABET.len()] as char).take(24 - out.len()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_follow_couchdbs_rule() {
        for ok in ["team", "acme-leaders", "a1_$()+-/b"] {
            assert!(check_db_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Team", "1team", "_users", "team!", "équipe"] {
            assert!(check_db_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_are_encoded() {
        assert_eq!(segment("a/b+c"), "a%2Fb%2Bc");
        assert_eq!(segment("org.couchdb.user:ana maria"), "org.couchdb.user%3Aana%20maria");
    }

    #[test]
    fn generated_passwords_differ_and_use_the_alphabet() {
        let a = generate_password().unwrap();
        let b = generate_password().unwrap();
        assert_eq!(a.len(), 24);
        assert_ne!(a, b);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn urls_must_be_http() {
        assert_eq!(server_url("http://127.0.0.1:5984/").ok().as_deref(), Some("http://127.0.0.1:5984"));
        assert!(server_url("https://couch.example.org").is_ok());
        assert!(server_url("couch.example.org").is_err());
        assert!(server_url("ftp://x").is_err());
        assert!(server_url("https://admin:secret@couch.example.org").is_err());
        assert_eq!(server_url("https://couch.example.org/couch/").ok().as_deref(), Some("https://couch.example.org/couch"));
    }
}
