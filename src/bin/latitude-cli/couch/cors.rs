//! What the app's host and the CouchDB server need so that the web app, served from
//! its own origin, can talk to the team's database: the origins the app is served from
//! (`--app-origin`), CouchDB's CORS settings (configured through its admin config API,
//! or printed for the admin to apply) and the Content-Security-Policy `connect-src`.

use serde_json::{json, Value};

use super::Server;
use crate::cli::Failure;

/// What CORS must allow for the app: its requests (`fetch` with credentials) use these
/// methods and headers.
const METHODS: [&str; 5] = ["GET", "PUT", "POST", "HEAD", "DELETE"];
const HEADERS: [&str; 5] = ["accept", "authorization", "content-type", "origin", "referer"];

/// A web origin as a browser sends it in `Origin`: the scheme (http or https), the host
/// in lower case and the port only when it is not the scheme's default. CouchDB compares
/// origins as exact strings, so this is the one spelling that matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin(String);

impl Origin {
    /// Parses `https://wiki.example.org` or `http://localhost:8080`; refuses a path, a
    /// query, a name and password, a wildcard and any other scheme, saying why.
    pub fn parse(text: &str) -> Result<Origin, String> {
        let trimmed = text.trim();
        let lower = trimmed.to_ascii_lowercase();
        let (scheme, rest) = if lower.starts_with("https://") {
            ("https", &trimmed[8..])
        } else if lower.starts_with("http://") {
            ("http", &trimmed[7..])
        } else {
            return Err(format!("\u{201c}{text}\u{201d} is not an origin: it must start with https:// or http://"));
        };
        // A lone trailing slash is how addresses are often pasted; anything after it is a path.
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains('@') {
            return Err(format!("\u{201c}{text}\u{201d}: an origin holds no name or password"));
        }
        if let Some(at) = rest.find(['/', '?', '#']) {
            return Err(format!("\u{201c}{text}\u{201d} is not an origin: it has a path or query; the origin is {scheme}://{}", &rest[..at]));
        }
        if rest.contains('*') {
            return Err(format!("\u{201c}{text}\u{201d}: name each origin; a wildcard would let any site use the members' sessions"));
        }
        let (host, port) = if let Some(inner) = rest.strip_prefix('[') {
            // An IPv6 address: [::1] or [::1]:8080.
            let (addr, after) = inner.split_once(']').ok_or_else(|| format!("\u{201c}{text}\u{201d}: the IPv6 address has no closing ]"))?;
            if addr.is_empty() || !addr.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') {
                return Err(format!("\u{201c}{text}\u{201d}: [{addr}] is not an IPv6 address"));
            }
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':').ok_or_else(|| format!("\u{201c}{text}\u{201d}: unexpected \u{201c}{p}\u{201d} after the address"))?),
            };
            (format!("[{}]", addr.to_ascii_lowercase()), port)
        } else {
            let (host, port) = match rest.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (rest, None),
            };
            let label_ok = |l: &str| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if host.is_empty() || !host.split('.').all(label_ok) {
                return Err(format!("\u{201c}{text}\u{201d}: \u{201c}{host}\u{201d} is not a host name (letters, digits, - and dots; an international name in its xn-- form)"));
            }
            (host.to_ascii_lowercase(), port)
        };
        let port = match port {
            None => None,
            Some(p) => match p.parse::<u16>() {
                Ok(n) if n > 0 && p.chars().all(|c| c.is_ascii_digit()) => Some(n),
                _ => return Err(format!("\u{201c}{text}\u{201d}: \u{201c}{p}\u{201d} is not a port (1 to 65535)")),
            },
        };
        let default = if scheme == "https" { 443 } else { 80 };
        Ok(Origin(match port {
            Some(p) if p != default => format!("{scheme}://{host}:{p}"),
            _ => format!("{scheme}://{host}"),
        }))
    }

    /// The origin of a server address (`https://couch.example.org/couch` gives
    /// `https://couch.example.org`).
    pub fn of_url(url: &str) -> Result<Origin, String> {
        let lower = url.to_ascii_lowercase();
        let start = if lower.starts_with("https://") { 8 } else { 7 };
        let end = url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i);
        Origin::parse(&url[..end])
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The lines that tell the app's host what it needs: the CSP `connect-src`, and the
/// alternative that needs neither CORS nor another origin.
pub fn host_settings(couch: &Origin, same_origin: bool) -> Vec<String> {
    let mut lines = vec!["The app's host needs:".to_owned()];
    if same_origin {
        lines.push("  Content-Security-Policy: connect-src 'self'".to_owned());
        lines.push("  (CouchDB is served from the app's own origin: no CORS is needed and the session cookie is first-party)".to_owned());
    } else {
        lines.push(format!("  Content-Security-Policy: connect-src 'self' {}", couch.as_str()));
        lines.push(
            "  Or serve CouchDB under the app's own origin through the reverse proxy (e.g. /couch/ \u{2192} CouchDB): then connect-src 'self' is enough, no CORS is needed, and the session cookie stays first-party, which browsers that block third-party cookies require. See docs/DEPLOY-COUCHDB.md."
                .to_owned(),
        );
    }
    lines
}

/// The ini lines an admin applies when `setup` was not told the app's origin.
pub fn manual_settings() -> Vec<String> {
    let mut lines = vec![
        "CORS: not configured (no --app-origin). Without it a browser on another origin cannot connect to this CouchDB (not needed when CouchDB is served under the app's own origin).".to_owned(),
        "  Run setup again with --app-origin https://<where the app is served>, or put into CouchDB's local.ini".to_owned(),
        "  ([httpd] instead of [chttpd] before CouchDB 3.2; origins: the app's origins, comma-separated, never *):".to_owned(),
        "  [chttpd]".to_owned(),
        "  enable_cors = true".to_owned(),
        "  [cors]".to_owned(),
        "  origins = https://app.example.org".to_owned(),
        "  credentials = true".to_owned(),
    ];
    lines.push(format!("  methods = {}", METHODS.join(", ")));
    lines.push(format!("  headers = {}", HEADERS.join(", ")));
    lines
}

/// Where the server's configuration is read and written.
struct ConfigApi {
    /// `/_node/_local/_config` (CouchDB 2 and 3) or `/_config` (CouchDB 1, pouchdb-server).
    prefix: &'static str,
    /// The whole configuration: `{section: {key: value}}`.
    config: Value,
    /// The sections `enable_cors` is read from, first found wins: `[chttpd]` then
    /// `[httpd]` since CouchDB 3.2, only `[httpd]` before.
    enable_cors_in: &'static [&'static str],
    /// Nodes of the cluster (`/_membership`); the configuration written is the answering
    /// node's only.
    nodes: usize,
}

impl ConfigApi {
    fn find(server: &Server) -> Result<ConfigApi, Failure> {
        let node = server.request("GET", "/_node/_local/_config", None)?;
        if node.status == 200 {
            let version = server.expect("reading the server's version", "GET", "/", None, &[200])?.body["version"].as_str().map(str::to_owned).unwrap_or_default();
            let enable_cors_in: &'static [&'static str] = if before_3_2(&version) { &["httpd"] } else { &["chttpd", "httpd"] };
            let membership = server.request("GET", "/_membership", None)?;
            let nodes = if membership.status == 200 { cluster_nodes(&membership.body) } else { 1 };
            return Ok(ConfigApi { prefix: "/_node/_local/_config", config: node.body, enable_cors_in, nodes });
        }
        if ![400, 404].contains(&node.status) {
            return Err(Failure::server(format!("{}: reading the configuration (/_node/_local/_config): refused ({}: {})", server.base, node.status, node.reason())));
        }
        let old = server.request("GET", "/_config", None)?;
        if old.status == 200 {
            return Ok(ConfigApi { prefix: "/_config", config: old.body, enable_cors_in: &["httpd"], nodes: 1 });
        }
        Err(Failure::server(format!(
            "{}: no configuration API answered (/_node/_local/_config: {}, /_config: {} {}): apply the CORS settings by hand (run setup without --app-origin to see them)",
            server.base,
            node.status,
            old.status,
            old.reason()
        )))
    }

    fn get(&self, section: &str, key: &str) -> Option<&str> {
        self.config.get(section).and_then(|s| s.get(key)).and_then(Value::as_str)
    }

    fn put(&self, server: &Server, section: &str, key: &str, value: &str) -> Result<(), Failure> {
        server.expect(&format!("setting [{section}] {key}"), "PUT", &format!("{}/{section}/{key}", self.prefix), Some(&json!(value)), &[200])?;
        Ok(())
    }
}

/// How many nodes a `/_membership` answer lists in the cluster (at least one).
fn cluster_nodes(membership: &Value) -> usize {
    membership["cluster_nodes"].as_array().map_or(1, |n| n.len().max(1))
}

/// Whether a CouchDB version string is older than 3.2 (where `enable_cors` moved to `[chttpd]`).
fn before_3_2(version: &str) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), Some(minor)) => (major, minor) < (3, 2),
        _ => false,
    }
}

/// A comma-separated list as CouchDB reads it (items trimmed, empty ones dropped).
fn split(list: &str) -> Vec<String> {
    list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// `existing` with each of `wanted` that it lacks (compared by `same`) appended; `None`
/// when nothing is lacking.
fn with_all(existing: &[String], wanted: &[String], same: impl Fn(&str, &str) -> bool) -> Option<Vec<String>> {
    let missing: Vec<String> = wanted.iter().filter(|w| !existing.iter().any(|e| same(e, w))).cloned().collect();
    if missing.is_empty() {
        None
    } else {
        Some(existing.iter().cloned().chain(missing).collect())
    }
}

/// Configures CouchDB's CORS so that `origins` may make requests with credentials,
/// changing only what differs: origins other applications named stay, a `*` is removed
/// (with credentials it would let any site use a member's session), methods and headers
/// are widened only by what the app lacks. Returns one line per change (or one saying
/// nothing changed) and whether anything changed.
pub fn configure(server: &Server, origins: &[Origin]) -> Result<(Vec<String>, bool), Failure> {
    let api = ConfigApi::find(server)?;
    let mut lines = Vec::new();
    let names: Vec<&str> = origins.iter().map(Origin::as_str).collect();

    let enabled = api.enable_cors_in.iter().find_map(|s| api.get(s, "enable_cors")).is_some_and(|v| v.trim() == "true");
    if !enabled {
        let section = api.enable_cors_in[0];
        api.put(server, section, "enable_cors", "true")?;
        lines.push(format!("CORS: enabled ([{section}] enable_cors = true)"));
    }

    let old_origins = api.get("cors", "origins").unwrap_or("");
    let kept: Vec<String> = split(old_origins).into_iter().filter(|o| o != "*").collect();
    let wanted: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
    let had_wildcard = split(old_origins).iter().any(|o| o == "*");
    let new_origins = with_all(&kept, &wanted, |a, b| a == b).or_else(|| had_wildcard.then(|| kept.clone()));
    if let Some(list) = new_origins {
        let value = list.join(", ");
        api.put(server, "cors", "origins", &value)?;
        lines.push(format!("CORS origins: {value} (was {})", if old_origins.trim().is_empty() { "none".to_owned() } else { old_origins.to_owned() }));
    }

    let credentials = api.get("cors", "credentials").unwrap_or("");
    if credentials.trim() != "true" {
        api.put(server, "cors", "credentials", "true")?;
        lines.push(format!("CORS credentials: true (was {})", if credentials.is_empty() { "unset" } else { credentials }));
    }

    for (key, wanted) in [("methods", &METHODS[..]), ("headers", &HEADERS[..])] {
        let old = api.get("cors", key).unwrap_or("");
        let wanted: Vec<String> = wanted.iter().map(|s| (*s).to_owned()).collect();
        if let Some(list) = with_all(&split(old), &wanted, |a, b| a.eq_ignore_ascii_case(b)) {
            let value = list.join(", ");
            api.put(server, "cors", key, &value)?;
            lines.push(format!("CORS {key}: {value} (was {})", if old.is_empty() { "unset" } else { old }));
        }
    }

    let changed = !lines.is_empty();
    if changed {
        lines.push(format!("CORS: {} may now connect with the members' sessions (set through {})", names.join(", "), api.prefix));
    } else {
        lines.push(format!("CORS: unchanged ({} may connect with the members' sessions)", names.join(", ")));
    }
    if api.nodes > 1 {
        lines.push(format!(
            "CORS: this server is a cluster of {} nodes and only the node that answered was checked: apply the same settings on every node (its local.ini or /_node/<node>/_config)",
            api.nodes
        ));
    }
    Ok((lines, changed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(text: &str) -> Result<String, String> {
        Origin::parse(text).map(|o| o.0)
    }

    #[test]
    fn origins_are_written_as_browsers_send_them() {
        for (text, expected) in [
            ("https://wiki.example.org", "https://wiki.example.org"),
            ("HTTPS://Wiki.Example.ORG/", "https://wiki.example.org"),
            ("https://wiki.example.org:443", "https://wiki.example.org"),
            ("http://localhost:80", "http://localhost"),
            ("http://localhost:8080", "http://localhost:8080"),
            ("https://wiki.example.org:8443", "https://wiki.example.org:8443"),
            ("http://127.0.0.1:5984", "http://127.0.0.1:5984"),
            ("http://[::1]:8080", "http://[::1]:8080"),
            ("  https://xn--bcher-kva.example  ", "https://xn--bcher-kva.example"),
        ] {
            assert_eq!(origin(text).as_deref(), Ok(expected), "{text}");
        }
    }

    #[test]
    fn what_is_not_an_origin_is_refused_with_the_reason() {
        for (text, reason) in [
            ("wiki.example.org", "must start with https://"),
            ("ftp://wiki.example.org", "must start with https://"),
            ("https://wiki.example.org/latitude/", "has a path or query; the origin is https://wiki.example.org"),
            ("https://wiki.example.org?x=1", "has a path or query"),
            ("https://ana:pw@wiki.example.org", "no name or password"),
            ("https://*.example.org", "wildcard"),
            ("https://", "not a host name"),
            ("https://wiki..example.org", "not a host name"),
            ("https://wiki_example.org", "not a host name"),
            ("https://bücher.example", "xn--"),
            ("https://wiki.example.org:0", "not a port"),
            ("https://wiki.example.org:65536", "not a port"),
            ("https://wiki.example.org:+80", "not a port"),
            ("https://wiki.example.org:", "not a port"),
            ("http://[::1", "no closing ]"),
            ("http://[zz]", "not an IPv6 address"),
        ] {
            let err = origin(text).expect_err(text);
            assert!(err.contains(reason), "{text}: {err}");
        }
    }

    #[test]
    fn a_servers_origin_drops_its_path() {
        assert_eq!(Origin::of_url("https://app.example.org/couch").map(|o| o.0).as_deref(), Ok("https://app.example.org"));
        assert_eq!(Origin::of_url("http://127.0.0.1:5984").map(|o| o.0).as_deref(), Ok("http://127.0.0.1:5984"));
        assert_eq!(Origin::of_url("HTTPS://Couch.Example.org:443").map(|o| o.0).as_deref(), Ok("https://couch.example.org"));
    }

    #[test]
    fn a_cluster_is_counted_by_its_members() {
        assert_eq!(cluster_nodes(&json!({ "all_nodes": ["a@x", "b@x", "c@x"], "cluster_nodes": ["a@x", "b@x", "c@x"] })), 3);
        assert_eq!(cluster_nodes(&json!({ "all_nodes": ["nonode@nohost"], "cluster_nodes": ["nonode@nohost"] })), 1);
        assert_eq!(cluster_nodes(&json!({ "cluster_nodes": [] })), 1);
        assert_eq!(cluster_nodes(&Value::Null), 1);
    }

    #[test]
    fn enable_cors_moved_to_chttpd_in_3_2() {
        assert!(before_3_2("3.1.2"));
        assert!(before_3_2("2.3.1"));
        assert!(!before_3_2("3.2.0"));
        assert!(!before_3_2("3.5.1"));
        assert!(!before_3_2("4.0.0"));
        assert!(!before_3_2("garbage"), "an unknown version is taken as a current one");
    }

    #[test]
    fn lists_are_widened_only_by_what_they_lack() {
        let v = |s: &str| split(s);
        let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        assert_eq!(with_all(&v("GET, HEAD, POST, PUT, DELETE, COPY"), &v("GET, PUT, POST, HEAD, DELETE"), same), None);
        assert_eq!(with_all(&v("GET,PUT"), &v("GET, PUT, DELETE"), same), Some(v("GET, PUT, DELETE")));
        assert_eq!(with_all(&[], &v("accept"), same), Some(v("accept")));
        assert_eq!(with_all(&v("Accept, Authorization"), &v("accept, authorization"), same), None);
    }

    #[test]
    fn the_host_is_told_its_connect_src() {
        let couch = Origin::parse("https://couch.example.org").unwrap();
        let lines = host_settings(&couch, false).join("\n");
        assert!(lines.contains("connect-src 'self' https://couch.example.org"), "{lines}");
        assert!(lines.contains("/couch/") && lines.contains("first-party"), "{lines}");
        let lines = host_settings(&couch, true).join("\n");
        assert!(lines.contains("connect-src 'self'\n") && !lines.contains("couch.example.org"), "{lines}");
    }
}
