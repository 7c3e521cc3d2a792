//! The pinned pouchdb-server (tools/package.json, installed by scripts/setup) on a free
//! loopback port with a fresh data folder, and requests to it through hyper: what the
//! tests against a real CouchDB API share.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use serde_json::{json, Value};

/// pouchdb-server, stopped and its data folder removed when dropped.
pub struct Server {
    child: std::sync::Mutex<Child>,
    pub port: u16,
    dir: PathBuf,
    runtime: tokio::runtime::Runtime,
    http: Client<HttpConnector, Full<Bytes>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// pouchdb-server on `port`, its data and its config.json (admins, CORS, the session
/// secret) in `dir`.
fn spawn(port: u16, dir: &std::path::Path) -> Child {
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/node_modules/.bin/pouchdb-server");
    assert!(bin.exists(), "{} is missing: run scripts/setup", bin.display());
    std::process::Command::new(bin)
        .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--dir", dir.to_str().unwrap()])
        // It keeps its config.json and log in the working folder: a fresh one.
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pouchdb-server starts")
}

impl Server {
    /// Stops the server (its data stays): requests fail as with a server that is down.
    pub fn stop(&self) {
        let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Starts the stopped server again on its port, with its data and configuration.
    pub fn restart(&self) {
        *self.child.lock().unwrap_or_else(|e| e.into_inner()) = spawn(self.port, &self.dir);
        self.wait_until_up();
    }

    fn wait_until_up(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while request(self, "GET", "/", None, None).is_err() {
            assert!(Instant::now() < deadline, "pouchdb-server did not answer within 60 s");
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

pub fn start() -> Server {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = std::env::temp_dir().join(format!("latitude-couch-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let child = std::sync::Mutex::new(spawn(port, &dir));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    // A fresh connection per request: Node closes a connection idle for 5 s, and a
    // request sent on a pooled one as it closes fails with `IncompleteMessage` (a POST is
    // not retried). Between requests the tests compute for longer than that.
    let http = Client::builder(hyper_util::rt::TokioExecutor::new()).pool_max_idle_per_host(0).build_http();
    let server = Server { child, port, dir, runtime, http };
    server.wait_until_up();
    server
}

pub type Failure = Box<dyn std::error::Error + Send + Sync>;

/// How long a request may wait for its answer. The tests are not timed: in CI one request
/// of the join of a 20,000-document workspace passed 30 s, where each takes under a
/// second on a quiet machine.
const ANSWER_WITHIN: Duration = Duration::from_secs(120);

/// One request through hyper's client; the status and the JSON body (`Null` when the
/// body is not JSON), with the session cookie a response sets under `__cookie`.
pub fn request(server: &Server, method: &str, path: &str, auth: Option<&str>, body: Option<&Value>) -> Result<(u16, Value), Failure> {
    let mut req = http::Request::builder().method(method).uri(format!("http://127.0.0.1:{}{path}", server.port)).header("accept", "application/json").header("content-type", "application/json");
    if let Some((name, value)) = auth.and_then(|a| a.split_once(": ")) {
        req = req.header(name, value);
    }
    let req = req.body(Full::new(Bytes::from(body.map(Value::to_string).unwrap_or_default())))?;
    let started = Instant::now();
    let answer = server.runtime.block_on(async {
        let res = tokio::time::timeout(ANSWER_WITHIN, server.http.request(req)).await??;
        let status = res.status().as_u16();
        let cookie = res.headers().get(http::header::SET_COOKIE).and_then(|v| v.to_str().ok()).map(|c| c.split(';').next().unwrap_or("").to_owned());
        let raw = res.into_body().collect().await?.to_bytes();
        let mut value: Value = serde_json::from_slice(&raw).unwrap_or(Value::Null);
        if let (Some(c), Value::Object(m)) = (cookie, &mut value) {
            m.insert("__cookie".into(), json!(c));
        }
        Ok::<_, Failure>((status, value))
    });
    // Which request failed, and after how long, is what a CI log needs to tell a hung
    // server from a slow one.
    answer.map_err(|e| format!("{method} {path}: {e} after {:.1} s", started.elapsed().as_secs_f64()).into())
}

pub fn basic(name: &str, password: &str) -> String {
    format!("Authorization: Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{name}:{password}")))
}

/// Logs in through `_session` as the app will; the cookie header to send.
pub fn login(server: &Server, name: &str, password: &str) -> String {
    let (status, body) = request(server, "POST", "/_session", None, Some(&json!({ "name": name, "password": password }))).unwrap();
    assert_eq!(status, 200, "{body}");
    format!("Cookie: {}", body["__cookie"].as_str().expect("a session cookie"))
}

impl Server {
    /// The server's address, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Makes `name` a server admin with `password` (a fresh server has none: everyone is admin).
pub fn make_admin(server: &Server, name: &str, password: &str) -> String {
    let (status, body) = request(server, "PUT", &format!("/_config/admins/{name}"), None, Some(&json!(password))).unwrap();
    assert_eq!(status, 200, "{body}");
    basic(name, password)
}
