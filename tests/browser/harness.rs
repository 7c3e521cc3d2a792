//! Browser end-to-end harness: a static file server on loopback serving the release
//! build from a sub-path, a browser engine driven through fantoccini over WebDriver,
//! and helpers so tests read like what a user does.
//!
//! `LATITUDE_ENGINE` picks the engine: `chromium` (the default: chromedriver and
//! headless Chromium), `firefox` (geckodriver and headless Firefox ESR) or `webkit`
//! (WebKitWebDriver and WebKitGTK's MiniBrowser, which needs a display: run under
//! `xvfb-run`). Tests that need a Chromium-only feature start with
//! `chromium_only!("why")`, which prints the skip and returns; ./scripts/test counts
//! those lines.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

pub type R<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A browser engine the suite runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Chromium,
    Firefox,
    Webkit,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
            Engine::Webkit => "webkit",
        }
    }
}

/// The engine of this run, from `LATITUDE_ENGINE` (default `chromium`).
pub fn engine() -> Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    *ENGINE.get_or_init(|| match std::env::var("LATITUDE_ENGINE").unwrap_or_default().to_ascii_lowercase().as_str() {
        "" | "chromium" | "chrome" => Engine::Chromium,
        "firefox" | "gecko" => Engine::Firefox,
        "webkit" | "webkitgtk" => Engine::Webkit,
        other => panic!("LATITUDE_ENGINE={other:?}: use chromium, firefox or webkit"),
    })
}

/// Reports a test that does not run in this engine, on the terminal even while test
/// output is captured (./scripts/test counts these lines), and why.
pub fn skip(reason: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("test");
    // One write of one whole line, so it never lands inside another test's output line.
    let line = format!("skipped in {}: {test} ({reason})\n", engine().name());
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// Ends the test early, reported as skipped, unless it runs in Chromium: for tests that
/// need the DevTools protocol (CPU profiles, heap size, Lighthouse, media emulation).
macro_rules! chromium_only {
    ($reason:expr) => {
        if $crate::harness::engine() != $crate::harness::Engine::Chromium {
            $crate::harness::skip(concat!("Chromium only: ", $reason));
            return;
        }
    };
}
pub(crate) use chromium_only;

/// Ends the test early, reported as skipped, in the engine named (`Webkit`…), for what
/// that engine's driver does not allow; the reason says what. No test needs it today:
/// every test that does not need the DevTools protocol runs in all three engines.
#[allow(unused_macros)]
macro_rules! not_in {
    ($engine:ident, $reason:expr) => {
        if $crate::harness::engine() == $crate::harness::Engine::$engine {
            $crate::harness::skip($reason);
            return;
        }
    };
}
#[allow(unused_imports)]
pub(crate) use not_in;

/// The sub-path the app is served from, as on a static host with no rewrite rules.
pub const SUB_PATH: &str = "/some/sub/path/";

/// The release build under test.
pub fn dist() -> PathBuf {
    let dir = std::env::var("LATITUDE_DIST").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(dir.join("index.html").exists(), "no build in {}: run ./scripts/test, which builds it first", dir.display());
    dir
}

/// How many packs of parts the build has (`part-<view or shared>-<hash>.wasm`); none
/// for a build in one wasm.
pub fn packs_in_build() -> R<usize> {
    Ok(std::fs::read_dir(dist())?.flatten().filter(|e| e.file_name().to_string_lossy().starts_with("part-") && e.file_name().to_string_lossy().ends_with(".wasm")).count())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free loopback port")
}

/// A static file server on 127.0.0.1, serving `root` under `prefix`, with optional
/// extra response headers (e.g. a Content-Security-Policy). Stops when dropped.
pub struct StaticServer {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

impl StaticServer {
    pub fn start(root: &Path, prefix: &str, headers: Vec<(String, String)>) -> StaticServer {
        StaticServer::start_with(root, prefix, headers, true)
    }

    /// A host that sends every file as it is, never compressed (`python3 -m http.server`,
    /// some object stores).
    pub fn start_uncompressed(root: &Path, prefix: &str) -> StaticServer {
        StaticServer::start_with(root, prefix, Vec::new(), false)
    }

    fn start_with(root: &Path, prefix: &str, headers: Vec<(String, String)>, compresses: bool) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("addr").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let root = root.to_path_buf();
        let prefix = prefix.to_owned();
        std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let root = root.clone();
                        let prefix = prefix.clone();
                        let headers = headers.clone();
                        let stopped = flag.clone();
                        std::thread::spawn(move || {
                            let _ = serve(stream, &root, &prefix, &headers, compresses, &stopped);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        StaticServer { port, stop }
    }

    pub fn url(&self, prefix: &str) -> String {
        format!("http://127.0.0.1:{}{prefix}", self.port)
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "png" => "image/png",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn serve(mut stream: TcpStream, root: &Path, prefix: &str, headers: &[(String, String)], compresses: bool, stopped: &AtomicBool) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 || stopped.load(Ordering::Relaxed) {
            return Ok(());
        }
        let mut keep_alive = true;
        let mut gzip = false;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
                break;
            }
            let h = h.to_ascii_lowercase();
            if h.starts_with("connection: close") {
                keep_alive = false;
            }
            if h.starts_with("accept-encoding:") && h.contains("gzip") {
                gzip = true;
            }
        }
        let head_only = request_line.starts_with("HEAD ");
        let path = request_line.split_whitespace().nth(1).unwrap_or("/").split(['?', '#']).next().unwrap_or("/").to_owned();
        let (status, body, ctype) = match path.strip_prefix(prefix).or_else(|| (path.clone() + "/" == prefix).then_some("")) {
            _ if path == CAPTURE_PATH => ("200 OK", CAPTURE.as_bytes().to_vec(), "text/javascript; charset=utf-8"),
            Some(rest) if !rest.contains("..") => {
                // A folder's address serves its index.html, as static hosts do.
                let file = if rest.is_empty() || rest.ends_with('/') { root.join(rest).join("index.html") } else { root.join(rest) };
                match std::fs::read(&file) {
                    Ok(b) if content_type(&file).starts_with("text/html") && engine() != Engine::Chromium => ("200 OK", with_capture(b), content_type(&file)),
                    Ok(b) => ("200 OK", b, content_type(&file)),
                    Err(_) => ("404 Not Found", b"not found".to_vec(), "text/plain"),
                }
            }
            _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
        };
        // Text and wasm are sent compressed when the client accepts it, as static hosts do.
        let compress = compresses && gzip && status.starts_with("200") && ctype != "image/png" && ctype != "application/octet-stream";
        let (body, encoding) = if compress { (gzip_bytes(&body), "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n") } else { (body, "") };
        let mut head = format!("HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n{encoding}", body.len());
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(if keep_alive { "Connection: keep-alive\r\n\r\n" } else { "Connection: close\r\n\r\n" });
        stream.write_all(head.as_bytes())?;
        // A HEAD answer has the GET answer's headers and no body.
        if !head_only {
            stream.write_all(&body)?;
        }
        if !keep_alive {
            return Ok(());
        }
    }
}

/// Records the page's errors (uncaught exceptions, unhandled rejections, console
/// errors, failed loads) and Content-Security-Policy violations in `window.__e2e`, and
/// the errors also in sessionStorage so they outlive a reload. Installed before any page
/// script: in Chromium through the DevTools protocol, elsewhere (no console log through
/// geckodriver's or WebKitWebDriver's W3C endpoints) as the first script of every HTML
/// page the test servers send, from the same origin so a strict CSP allows it.
pub const CAPTURE: &str = r#"(function () {
  if (window.__e2e) return;
  var e2e = window.__e2e = { errors: [], csp: [] };
  function keep(message) {
    e2e.errors.push(message);
    try {
      var all = JSON.parse(sessionStorage.getItem('__e2e_errors') || '[]');
      all.push(message);
      sessionStorage.setItem('__e2e_errors', JSON.stringify(all));
    } catch (e) {}
  }
  // An operation the browser aborts because the page is being left (Firefox reported an
  // AbortError while a test reloaded the page under the full suite's load).
  function aborted(e) { return /AbortError|operation was aborted/.test(String(e && e.name ? e.name + ': ' + e.message : e)); }
  // An error with its kind and message: WebKit's and Firefox's stacks leave them out (a
  // wasm trap's "RuntimeError: Unreachable code should not be executed" would read as
  // frames only).
  function describe(e, fallback) {
    if (!e || !e.stack) return String(e && (e.message || e) || fallback);
    var head = (e.name || 'Error') + ': ' + e.message;
    return e.stack.indexOf(head) === 0 ? e.stack : head + '\n' + e.stack;
  }
  window.addEventListener('beforeunload', function () { e2e.leaving = true; });
  window.addEventListener('pagehide', function () { e2e.leaving = true; });
  window.addEventListener('error', function (ev) {
    var t = ev.target;
    // A load the browser cancels because the page is being left (WebKit reports a
    // cancelled wasm preload as a failed one) is not the page's error.
    if (t && t !== window && t.tagName) { if (!e2e.leaving) keep('failed to load ' + t.tagName.toLowerCase() + ' ' + (t.src || t.href || '')); }
    else if (!(e2e.leaving && aborted(ev.error || ev.message))) keep(describe(ev.error, ev.message) + ' @' + ev.filename + ':' + ev.lineno);
  }, true);
  window.addEventListener('unhandledrejection', function (ev) {
    var r = ev.reason;
    if (e2e.leaving && aborted(r)) return;
    keep('unhandled rejection: ' + describe(r, String(r)));
  });
  var original = console.error;
  console.error = function () {
    try { keep(Array.prototype.map.call(arguments, function (a) { return String(a); }).join(' ')); } catch (e) {}
    return original.apply(console, arguments);
  };
  document.addEventListener('securitypolicyviolation', function (e) {
    e2e.csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 120) : '') + ' ' + e.sample + ' @' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber);
  });
})();
"#;

/// Where the test servers send [`CAPTURE`] from.
pub const CAPTURE_PATH: &str = "/__latitude_e2e/capture.js";

/// The HTML page with [`CAPTURE`] as its first script.
fn with_capture(html: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&html);
    let tag = format!("<script src=\"{CAPTURE_PATH}\"></script>");
    // After `<head …>`, or else after the doctype (a script before it would mean quirks mode).
    let lower = text.to_ascii_lowercase();
    let at = lower.find("<head").or_else(|| lower.starts_with("<!doctype").then_some(0)).and_then(|i| lower[i..].find('>').map(|j| i + j + 1)).unwrap_or(0);
    format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes()
}

/// gzip at the default level, as a static host compresses on the fly.
pub fn gzip_bytes(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).expect("gzip into memory");
    enc.finish().expect("gzip into memory")
}

/// The server for the build under test, shared by all tests of this process.
pub fn app_server() -> &'static StaticServer {
    static SERVER: OnceLock<StaticServer> = OnceLock::new();
    // Module scripts and the wasm are fetched with CORS; a sandboxed iframe without
    // allow-same-origin has an opaque origin, so the host sends this header (see README).
    SERVER.get_or_init(|| StaticServer::start(&dist(), SUB_PATH, vec![("Access-Control-Allow-Origin".into(), "*".into())]))
}

/// A raw WebDriver command (chromedriver's log and CDP endpoints).
#[derive(Debug)]
struct Raw {
    method: http::Method,
    path: String,
    body: Option<Value>,
}

impl WebDriverCompatibleCommand for Raw {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/{}", session_id.unwrap_or(""), self.path))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (self.method.clone(), self.body.as_ref().map(|b| b.to_string()))
    }
}

/// Flags Chromium needs here (root, no network beyond loopback).
pub const CHROME_ARGS: [&str; 9] =
    ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

/// WebKitGTK's browser for automation (Debian's webkit2gtk-driver pulls it in).
pub const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// An executable from the environment variable, else `~/.cargo/bin/NAME` when present,
/// else NAME on the PATH.
fn tool(var: &str, name: &str, fallback: &str) -> PathBuf {
    if let Ok(p) = std::env::var(var) {
        return PathBuf::from(p);
    }
    let cargo = std::env::var("HOME").map(|h| PathBuf::from(h).join(".cargo/bin").join(name));
    match cargo {
        Ok(p) if p.exists() => p,
        _ => PathBuf::from(fallback),
    }
}

/// One browser: its own driver, its own fresh profile and download folder.
pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
    /// Where this browser saves downloads (Chromium and Firefox; WebKit's MiniBrowser
    /// has no download folder setting through its driver).
    pub downloads: PathBuf,
    pub name: String,
    pub base: String,
    pub engine: Engine,
}

impl Browser {
    /// A browser with a fresh profile, at desktop size.
    pub async fn start(name: &str) -> Browser {
        Browser::start_with(name, (1280, 900), None).await
    }

    /// A browser with a given window size; `profile` reuses a profile folder (two windows
    /// of one browser share storage only through one profile).
    pub async fn start_with(name: &str, size: (u32, u32), profile: Option<PathBuf>) -> Browser {
        let engine = engine();
        let port = free_port();
        let unique = format!("{}-{}", std::process::id(), free_port());
        let fresh_profile = profile.is_none();
        let mut profile = profile.unwrap_or_else(|| std::env::temp_dir().join(format!("latitude-e2e-{unique}")));
        let downloads = std::env::temp_dir().join(format!("latitude-e2e-downloads-{unique}"));
        std::fs::create_dir_all(&profile).expect("a profile folder");
        std::fs::create_dir_all(&downloads).expect("a download folder");
        let (program, args, caps): (PathBuf, Vec<String>, Value) = match engine {
            Engine::Chromium => {
                let mut args: Vec<String> = CHROME_ARGS.iter().map(|s| s.to_string()).collect();
                args.push(format!("--user-data-dir={}", profile.display()));
                args.push(format!("--window-size={},{}", size.0, size.1));
                let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
                let prefs = json!({"download.default_directory": downloads, "download.prompt_for_download": false});
                let caps = json!({"goog:chromeOptions": {"binary": chromium, "args": args, "prefs": prefs}, "goog:loggingPrefs": {"browser": "ALL"}});
                (std::env::var("CHROMEDRIVER").map(PathBuf::from).unwrap_or_else(|_| "/usr/bin/chromedriver".into()), vec![format!("--port={port}")], caps)
            }
            Engine::Firefox => {
                let prefs = json!({
                    "browser.download.dir": downloads,
                    "browser.download.folderList": 2,
                    "browser.download.useDownloadDir": true,
                    "browser.download.always_ask_before_handling_new_types": false,
                    "browser.download.alwaysOpenPanel": false,
                    "browser.helperApps.neverAsk.saveToDisk": "application/json,text/csv,text/plain,image/svg+xml,image/png",
                });
                let firefox = std::env::var("FIREFOX").unwrap_or_else(|_| "/usr/bin/firefox-esr".into());
                let caps = json!({"browserName": "firefox", "moz:firefoxOptions": {"binary": firefox, "args": ["-headless", "-profile", profile], "prefs": prefs}});
                // Marionette (by default) and the BiDi socket on ports of their own: browsers run in parallel.
                (tool("GECKODRIVER", "geckodriver", "geckodriver"), vec![format!("--port={port}"), "--host=127.0.0.1".into(), "--websocket-port=0".into()], caps)
            }
            Engine::Webkit => {
                assert!(std::env::var_os("DISPLAY").is_some(), "WebKitGTK needs a display: run under xvfb-run -a -s \"-screen 0 1280x1024x24\" (./scripts/test does)");
                let caps = json!({"webkitgtk:browserOptions": {"binary": std::env::var("MINIBROWSER").unwrap_or_else(|_| MINIBROWSER.into()), "args": ["--automation"]}});
                (tool("WEBKITWEBDRIVER", "WebKitWebDriver", "/usr/bin/WebKitWebDriver"), vec![format!("--port={port}")], caps)
            }
        };
        let driver = Command::new(&program)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{} runs ({e}; ./scripts/test installs it)", program.display()));
        let mut caps = caps.as_object().cloned().unwrap_or_default();
        let deadline = Instant::now() + Duration::from_secs(45);
        let mut attempt = 0;
        let client = loop {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new()).capabilities(caps.clone()).connect(&format!("http://127.0.0.1:{port}")).await {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("could not start {} through {}: {e}", engine.name(), program.display()),
                Err(e) => {
                    // Under the full suite's load geckodriver once gave up reading the port of
                    // a Firefox still starting ("Failed to read marionette port"); that Firefox
                    // keeps its profile locked, so each later attempt with the same profile
                    // fails the same way. A fresh profile gets a fresh start.
                    if engine == Engine::Firefox && fresh_profile && e.to_string().contains("marionette") {
                        attempt += 1;
                        eprintln!("{name} in firefox: {e}; starting again with a fresh profile");
                        let _ = std::fs::remove_dir_all(&profile);
                        profile = std::env::temp_dir().join(format!("latitude-e2e-{unique}-{attempt}"));
                        std::fs::create_dir_all(&profile).expect("a profile folder");
                        if let Some(options) = caps.get_mut("moz:firefoxOptions") {
                            options["args"] = json!(["-headless", "-profile", profile]);
                        }
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
            }
        };
        let base = app_server().url(SUB_PATH);
        let b = Browser { client, driver, profile, downloads, name: name.to_owned(), base, engine };
        if engine == Engine::Chromium {
            b.before_load(CAPTURE).await.expect("the error capture is installed");
        } else {
            b.client.set_window_size(size.0, size.1).await.expect("the window takes the asked size");
        }
        b
    }

    /// Opens a route of the app (e.g. `#/units`) and waits until the app has rendered.
    ///
    /// On the app's own page already, only the fragment changes, as when a link is
    /// followed: WebKit reloads on a WebDriver navigation to the URL it shows (Chromium
    /// and Firefox do not), which would reset what the page holds, such as the as-of date.
    pub async fn open(&self, route: &str) -> R {
        let url = format!("{}{route}", self.base);
        let current = self.client.current_url().await?;
        let same_document = !route.is_empty() && current.as_str().split('#').next() == Some(self.base.as_str()) && self.exists("page").await?;
        if same_document {
            self.js("if (location.hash !== arguments[0]) location.hash = arguments[0];", vec![json!(route)]).await?;
            self.wait_for("page").await?;
            self.view_loaded().await
        } else {
            self.goto(&url).await
        }
    }

    /// Opens any URL and waits for the app shell.
    pub async fn goto(&self, url: &str) -> R {
        self.loaded().await;
        self.client.goto(url).await?;
        self.arrived(url).await;
        self.wait_for("page").await?;
        self.view_loaded().await
    }

    /// Waits (up to 10 s) until the tab shows `url`'s document, its fragment aside, and
    /// that document has run its first script. Under the full suite's load geckodriver
    /// once answered a navigation to another origin while the previous page was still
    /// shown, so the checks after it read the page being left and then the new one
    /// before its error capture was installed. Gives up silently: the checks that
    /// follow report what is wrong.
    async fn arrived(&self, url: &str) {
        let script = "const want = new URL(arguments[0], location.href).href.split('#')[0];
                      return location.href.split('#')[0] === want && (document.readyState !== 'loading' || !!window.__e2e);";
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.js(script, vec![json!(url)]).await.ok().and_then(|v| v.as_bool()) != Some(true) {
            if Instant::now() > deadline {
                let shown = self.js("return location.href;", vec![]).await.unwrap_or_default();
                eprintln!("{} in {}: after 10 s the tab shows {shown}, not {url}", self.name, self.engine.name());
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub async fn reload(&self) -> R {
        self.refresh().await?;
        self.wait_for("page").await?;
        self.view_loaded().await
    }

    /// Waits (up to 20 s) until the routed view's part of the app has loaded: its
    /// "Loading this view…" is gone (src/ui/parts.rs), replaced by the view or by the
    /// message that it could not be loaded.
    pub async fn view_loaded(&self) -> R {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.exists("part-loading").await? {
            ensure(Instant::now() < deadline, "the view's part did not load within 20 s")?;
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        Ok(())
    }

    /// Reloads the page once it has loaded (see [`Browser::loaded`]), without waiting for
    /// the app.
    pub async fn refresh(&self) -> R {
        self.loaded().await;
        self.client.refresh().await?;
        Ok(())
    }

    /// Waits (up to 10 s) until the page has loaded. A page is left or reloaded only then:
    /// WebKit reports a preload it cancels (the wasm, fetched again by the start-up
    /// script) as a failed load of the page left.
    pub async fn loaded(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && self.js("return document.readyState;", vec![]).await.ok().and_then(|v| v.as_str().map(str::to_owned)).is_some_and(|state| state != "complete") {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn css(testid: &str) -> String {
        format!("[data-testid=\"{testid}\"]")
    }

    /// Waits up to 20 s (a page starts in under a second on a quiet machine; the suite
    /// runs several browsers at once on two cores, where a start has taken over 10 s)
    /// for an element with this `data-testid`.
    pub async fn wait_for(&self, testid: &str) -> R<Element> {
        self.wait_css(&Self::css(testid)).await
    }

    pub async fn find(&self, testid: &str) -> R<Element> {
        self.wait_for(testid).await
    }

    /// Waits for an element by a CSS selector, as [`Browser::wait_for`] does by test id:
    /// for what is drawn after the view is mounted (a chart is measured and drawn in the
    /// task after the mount), a find without waiting may run before it exists.
    pub async fn wait_css(&self, sel: &str) -> R<Element> {
        self.wait_css_within(sel, 20).await
    }

    /// Waits up to `secs` for an element by a CSS selector: for a page that starts the
    /// app several times at once (a wiki page with six frames).
    ///
    /// A find is tried again when the driver answers "stale element": WebKitWebDriver
    /// finds by script and then makes a handle for each node, and a node the app removes
    /// in between (a view mounted again) fails the find though the page is fine.
    pub async fn wait_css_within(&self, sel: &str, secs: u64) -> R<Element> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let left = deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(100));
            match self.client.wait().at_most(left).for_element(Locator::Css(sel)).await {
                Err(e) if e.is_stale_element_reference() && Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(50)).await,
                found => return Ok(found.map_err(|e| format!("no {sel} within {secs} s: {e}"))?),
            }
        }
    }

    /// Every element with this `data-testid` now; tried again on "stale element" as
    /// [`Browser::wait_css_within`] is.
    pub async fn find_all(&self, testid: &str) -> R<Vec<Element>> {
        let mut tries = 0;
        loop {
            match self.client.find_all(Locator::Css(&Self::css(testid))).await {
                Err(e) if e.is_stale_element_reference() && tries < 20 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                found => return Ok(found?),
            }
        }
    }

    pub async fn exists(&self, testid: &str) -> R<bool> {
        Ok(!self.find_all(testid).await?.is_empty())
    }

    /// Clicks the element, brought to the middle of the viewport first, where a person
    /// would have it: drivers scroll a control they click to the top edge (WebKit always,
    /// Chromium when it is above the viewport), under the sticky header, which then takes
    /// the click.
    pub async fn click(&self, testid: &str) -> R {
        let el = self.find(testid).await?;
        self.click_el(&el).await
    }

    /// Clicks an element found some other way, brought to the middle of the viewport
    /// first for the same reason as [`Browser::click`].
    pub async fn click_el(&self, el: &Element) -> R {
        self.js("arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });", vec![serde_json::to_value(el)?]).await?;
        el.click().await?;
        Ok(())
    }

    /// Clears a field and types into it.
    pub async fn type_into(&self, testid: &str, text: &str) -> R {
        let el = self.find(testid).await?;
        if self.engine == Engine::Webkit {
            return self.type_into_el(&el, text).await;
        }
        el.clear().await?;
        el.send_keys(text).await?;
        Ok(())
    }

    /// Clears a field found some other way and types into it, brought to the middle of
    /// the viewport first: WebKitWebDriver answers clearing a field below the viewport
    /// with an empty error.
    pub async fn type_into_el(&self, el: &Element, text: &str) -> R {
        self.js("arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });", vec![serde_json::to_value(el)?]).await?;
        el.clear().await?;
        el.send_keys(text).await?;
        Ok(())
    }

    /// Clicks a field, then types into it with the keyboard (whatever text it had is
    /// selected and typed over), as a person does. For a field the driver will not type
    /// into by reference: WebKitWebDriver focuses the field from script first, and WebKit
    /// lets no script move the focus into a frame of another origin (an opaque one
    /// included) before the user has clicked in it, so it answers "element is not
    /// focusable"; a click is that user's action.
    pub async fn click_and_type(&self, testid: &str, text: &str) -> R {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let el = self.find(testid).await?;
        self.click_el(&el).await?;
        let focused = self.js("const f = arguments[0]; f.select(); return document.activeElement === f;", vec![serde_json::to_value(&el)?]).await?;
        ensure(focused == json!(true), format!("[data-testid={testid}] has the focus after a click"))?;
        let mut keys = KeyActions::new("keyboard".into());
        for c in text.chars() {
            keys = keys.then(KeyAction::Down { value: c }).then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(keys).await?;
        Ok(())
    }

    /// The element shown full screen (`document.fullscreenElement`), by its `data-testid`
    /// (or its tag name when it has none); `None` when nothing is. Every engine here has
    /// the unprefixed Fullscreen API; a request for it must come from a user's click
    /// (`Browser::click`), not from a script the test runs.
    pub async fn fullscreen_element(&self) -> R<Option<String>> {
        let v = self.js("const f = document.fullscreenElement; return f ? (f.getAttribute('data-testid') || f.tagName.toLowerCase()) : null;", vec![]).await?;
        Ok(v.as_str().map(str::to_owned))
    }

    /// Waits until the element with this `data-testid` is full screen (`Some`), or until
    /// nothing is (`None`): entering and leaving full screen are asynchronous.
    pub async fn wait_fullscreen(&self, testid: Option<&str>) -> R {
        let want = testid.map(str::to_owned);
        eventually(&format!("full screen: {want:?}"), || async { Ok(self.fullscreen_element().await? == want) }).await
    }

    /// Types a date (`YYYY-MM-DD`) into a date field: month, day and year into the
    /// segmented date control Chromium and WebKitGTK show (in the en-US order they use
    /// here; WebKit reports the change only when the field is left); the ISO
    /// text in Firefox, whose driver sets a date field's value from it (it does not type
    /// into the segments); the ISO text where a browser shows a plain text field.
    pub async fn type_date(&self, testid: &str, iso: &str) -> R {
        use fantoccini::key::Key;
        let el = self.find(testid).await?;
        let kind = self.js("return arguments[0].type;", vec![serde_json::to_value(&el)?]).await?;
        el.clear().await?;
        if self.engine == Engine::Firefox && kind == "date" {
            el.send_keys(iso).await?;
        } else if kind == "date" {
            let (y, md) = iso.split_at(4);
            let (m, d) = (&md[1..3], &md[4..6]);
            el.send_keys(&format!("{m}/{d}/{y}")).await?;
        } else {
            el.send_keys(&format!("{iso}{}", Key::Enter)).await?;
        }
        Ok(())
    }

    pub async fn text(&self, testid: &str) -> R<String> {
        Ok(self.find(testid).await?.text().await?)
    }

    /// Runs a script in the page and returns its value.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> R<Value> {
        Ok(self.client.execute(script, args).await?)
    }

    pub async fn local_storage(&self, key: &str) -> R<Option<String>> {
        let v = self.js("return window.localStorage.getItem(arguments[0]);", vec![json!(key)]).await?;
        Ok(v.as_str().map(str::to_owned))
    }

    /// Every localStorage entry, as a JSON object.
    pub async fn all_local_storage(&self) -> R<Value> {
        self.js("const o = {}; for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); o[k] = localStorage.getItem(k); } return o;", vec![]).await
    }

    /// Stores `value` under `key` as if it were what the browser keeps on disk: the crash
    /// journal's copy of that key, if any, goes too (it holds the page's own writes, which
    /// the next start would otherwise put back over a value seeded with a lower revision).
    pub async fn seed_local_storage(&self, key: &str, value: &str) -> R {
        self.js("window.localStorage.setItem(arguments[0], arguments[1]);", vec![json!(key), json!(value)]).await?;
        self.forget_journaled(Some(key)).await
    }

    /// Drops `key` (`None`: every key) from the crash journal, if the page made one.
    pub async fn forget_journaled(&self, key: Option<&str>) -> R {
        self.client
            .execute_async(
                "const key = arguments[0], done = arguments[arguments.length - 1];
                 const open = indexedDB.open('latitude-journal');
                 open.onerror = () => done(null);
                 open.onupgradeneeded = () => { open.transaction.abort(); };
                 open.onsuccess = () => {
                     const db = open.result;
                     try {
                         const tx = db.transaction('writes', 'readwrite');
                         const writes = tx.objectStore('writes');
                         if (key === null) writes.clear(); else writes.delete(key);
                         tx.oncomplete = () => { db.close(); done(null); };
                         tx.onerror = () => { db.close(); done(null); };
                     } catch (e) { db.close(); done(null); }
                 };",
                vec![json!(key)],
            )
            .await?;
        Ok(())
    }

    /// Stores a workspace value (as `storage::store::encode_stored` writes it) as the
    /// one active workspace, named `name`, as the app keeps it; the next load opens it.
    pub async fn seed_workspace(&self, stored: &str, name: &str) -> R {
        self.seed_local_storage("latitude/ws/default", stored).await?;
        self.seed_local_storage("latitude/index", &json!({"workspaces": [{"id": "default", "name": name}], "active": "default"}).to_string()).await
    }

    /// Severe console messages since the last call (errors, uncaught exceptions, panics,
    /// failed loads): Chromium's log through chromedriver; elsewhere what [`CAPTURE`]
    /// recorded in the page (and the pages before it in this tab).
    pub async fn console_errors(&self) -> R<Vec<String>> {
        if self.engine == Engine::Chromium {
            let v = self.client.issue_cmd(Raw { method: http::Method::POST, path: "se/log".into(), body: Some(json!({"type": "browser"})) }).await?;
            return Ok(v.as_array().map(|a| a.iter().filter(|e| e["level"] == "SEVERE").filter_map(|e| e["message"].as_str().map(str::to_owned)).collect()).unwrap_or_default());
        }
        // A document that has only just replaced the last one may not have run its
        // first script (the capture) yet: asked again for up to 5 s before it counts.
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && self.js("return !!window.__e2e;", vec![]).await.ok().and_then(|v| v.as_bool()) != Some(true) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let v = self
            .js(
                "let list = window.__e2e ? window.__e2e.errors.splice(0) : ['no error capture in this page: it was not served by the test server'];
                 try { const kept = JSON.parse(sessionStorage.getItem('__e2e_errors') || '[]'); sessionStorage.removeItem('__e2e_errors'); if (kept.length >= list.length) list = kept; } catch (e) {}
                 return list;",
                vec![],
            )
            .await?;
        Ok(v.as_array().map(|a| a.iter().filter_map(|e| e.as_str().map(str::to_owned)).collect()).unwrap_or_default())
    }

    /// Content-Security-Policy violations the page reported since it loaded.
    pub async fn csp_violations(&self) -> R<Vec<String>> {
        let v = self.js("return window.__e2e ? window.__e2e.csp : ['no violation listener in this page'];", vec![]).await?;
        Ok(v.as_array().map(|a| a.iter().filter_map(|e| e.as_str().map(str::to_owned)).collect()).unwrap_or_default())
    }

    /// Fails outside Chromium with what is missing.
    fn devtools(&self, what: &str) -> R {
        ensure(self.engine == Engine::Chromium, format!("{what} needs the Chrome DevTools protocol, which {} does not have", self.engine.name()))
    }

    /// Runs a script before any page script on every page load (Chrome DevTools).
    pub async fn before_load(&self, source: &str) -> R {
        self.devtools("a script before every page load")?;
        self.client
            .issue_cmd(Raw { method: http::Method::POST, path: "goog/cdp/execute".into(), body: Some(json!({"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": source}})) })
            .await?;
        Ok(())
    }

    /// Sends a Chrome DevTools command.
    pub async fn cdp(&self, cmd: &str, params: Value) -> R<Value> {
        self.devtools(cmd)?;
        Ok(self.client.issue_cmd(Raw { method: http::Method::POST, path: "goog/cdp/execute".into(), body: Some(json!({"cmd": cmd, "params": params})) }).await?)
    }

    /// The whole page, not just the viewport, as PNG: through the DevTools protocol in
    /// Chromium, geckodriver's full-page screenshot in Firefox; WebKitWebDriver has none,
    /// so there the window grows to the page's height for the shot (up to 4,000 pixels).
    /// Outside Chromium the engine's name goes into the file name (`….firefox.png`).
    pub async fn full_screenshot(&self, file: &Path) -> R {
        use base64::Engine as _;
        let file = &self.shot_name(file);
        let png = match self.engine {
            Engine::Chromium => {
                let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await?;
                let size = &metrics["cssContentSize"];
                let (w, h) = (size["width"].as_f64().unwrap_or(1280.0), size["height"].as_f64().unwrap_or(900.0).min(12000.0));
                let shot = self.cdp("Page.captureScreenshot", json!({"format": "png", "captureBeyondViewport": true, "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": 1}})).await?;
                base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap_or(""))?
            }
            Engine::Firefox => {
                let shot = self.client.issue_cmd(Raw { method: http::Method::GET, path: "moz/screenshot/full".into(), body: None }).await?;
                base64::engine::general_purpose::STANDARD.decode(shot.as_str().unwrap_or(""))?
            }
            Engine::Webkit => {
                let (w, h) = self.client.get_window_size().await?;
                let inner = self.js("return [window.innerHeight, document.documentElement.scrollHeight];", vec![]).await?;
                let (w, h) = (w as u32, h as u32);
                let (viewport, page) = (inner[0].as_u64().unwrap_or(u64::from(h)), inner[1].as_u64().unwrap_or(u64::from(h)));
                let grow = page.saturating_sub(viewport).min(4000) as u32;
                self.js("window.scrollTo(0, 0);", vec![]).await?;
                self.client.set_window_size(w, h + grow).await?;
                tokio::time::sleep(Duration::from_millis(300)).await;
                let png = self.client.screenshot().await;
                self.client.set_window_size(w, h).await?;
                png?
            }
        };
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(file, png)?;
        Ok(())
    }

    fn shot_name(&self, file: &Path) -> PathBuf {
        match self.engine {
            Engine::Chromium => file.to_path_buf(),
            e => file.with_extension(format!("{}.png", e.name())),
        }
    }

    pub async fn screenshot(&self, file: &Path) -> R {
        let png = self.client.screenshot().await?;
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(file, png)?;
        Ok(())
    }

    /// Ends the test: on failure saves a screenshot to target/e2e-failures, then panics
    /// with the error; always closes the browser.
    pub async fn finish(mut self, result: R) {
        let failure = match result {
            Ok(()) => None,
            Err(e) => {
                let shot = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e-failures").join(format!("{}-{}.png", self.name, self.engine.name()));
                let saved = self.screenshot(&shot).await.is_ok();
                // What the page itself reported, which a timeout would not say: its errors
                // since the last check, and the stop message if the app stopped.
                let errors = match self.console_errors().await {
                    Ok(errors) if !errors.is_empty() && !e.to_string().contains("console errors") => format!("; the page's errors: {errors:?}"),
                    _ => String::new(),
                };
                let stopped = match self.exists("panic").await {
                    Ok(true) => self.text("panic").await.map(|t| format!("; the page shows: {t}")).unwrap_or_default(),
                    _ => String::new(),
                };
                Some(format!("{} in {}: {e}{errors}{stopped}{}", self.name, self.engine.name(), if saved { format!(" (screenshot: {})", shot.display()) } else { String::new() }))
            }
        };
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
        let _ = std::fs::remove_dir_all(&self.downloads);
        if let Some(msg) = failure {
            panic!("{msg}");
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

/// Fails with a message unless `cond` holds.
pub fn ensure(cond: bool, msg: impl Into<String>) -> R {
    if cond {
        Ok(())
    } else {
        Err(msg.into().into())
    }
}

/// Polls `check` until it returns true or 10 s pass.
pub async fn eventually<F, Fut>(what: &str, mut check: F) -> R
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = R<bool>>,
{
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if check().await? {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("timed out waiting: {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// axe-core's serious and critical violations on the current page (axe-core comes from
/// the npm registry via scripts/setup).
pub async fn axe_violations(b: &Browser) -> R<Vec<String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e} (./scripts/test installs it)", path.display()))?;
    b.client.execute(&format!("{source}\nreturn true;"), vec![]).await?;
    let result = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ' nodes: ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ') + ')')))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await?;
    Ok(result.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default())
}

/// Loads the built-in sample organisation through Settings, as a user does.
pub async fn load_sample(b: &Browser) -> R {
    b.open("#/settings").await?;
    b.click("load-sample").await?;
    let status = b.text("transfer-status").await?;
    ensure(status.contains("sample"), format!("sample not loaded: {status}"))?;
    Ok(())
}

/// The stored workspace as JSON text (decoded from its compact form), or the raw value
/// when it cannot be decoded.
pub async fn stored_text(b: &Browser, key: &str) -> R<String> {
    let raw = b.local_storage(key).await?.unwrap_or_default();
    Ok(match latitude::storage::store::decode_stored(&raw) {
        Ok(env) => serde_json::to_string(&env.workspace)?,
        Err(_) => raw,
    })
}

/// Fails if the page logged an error since the last check.
pub async fn no_console_errors(b: &Browser) -> R {
    let errors = b.console_errors().await?;
    ensure(errors.is_empty(), format!("console errors: {errors:?}"))
}

/// Opens the sample organisation from the empty overview, as a newcomer does.
pub async fn open_sample(b: &Browser) -> R {
    b.open("").await?;
    load_sample_here(b).await
}

/// Clicks "Open the sample organisation" on the empty overview shown, and waits for the
/// map's points (drawn in the task after the mount, once its box is measured). Under the
/// full suite's load WebKitWebDriver once reported this click done while the page stayed
/// empty; if the button is still there after 10 s, it is clicked once more, and said so.
pub async fn load_sample_here(b: &Browser) -> R {
    const POINTS: &str = "[data-testid=org-map] .chart__hit";
    b.click("overview-load-sample").await?;
    if b.wait_css_within(POINTS, 10).await.is_err() && b.exists("overview-load-sample").await? {
        eprintln!("{} in {}: the sample was not open 10 s after the click; clicking again", b.name, b.engine.name());
        b.click("overview-load-sample").await?;
    }
    b.wait_css(POINTS).await?;
    Ok(())
}

/// Emulates the page's light or dark colour scheme (Chromium only: the DevTools protocol).
pub async fn emulate_scheme(b: &Browser, scheme: &str) -> R {
    b.cdp("Emulation.setEmulatedMedia", json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]})).await?;
    Ok(())
}

/// A copy of the build with one file removed, as when a host or a filter blocks it.
pub fn broken_dist(name: &str, remove: impl Fn(&str) -> bool) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("latitude-broken-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for entry in std::fs::read_dir(dist()).expect("dist").flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && !remove(&file) && file != "sw.js" {
            std::fs::copy(entry.path(), dir.join(&file)).expect("copy");
        }
    }
    dir
}
