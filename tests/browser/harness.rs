//! Browser end-to-end harness: a static file server on loopback serving the release
//! build from a sub-path, chromedriver + headless Chromium driven through fantoccini,
//! and helpers so tests read like what a user does.

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

/// The sub-path the app is served from, as on a static host with no rewrite rules.
pub const SUB_PATH: &str = "/some/sub/path/";

/// The release build under test.
pub fn dist() -> PathBuf {
    let dir = std::env::var("LATITUDE_DIST").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(dir.join("index.html").exists(), "no build in {}: run ./scripts/test, which builds it first", dir.display());
    dir
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
                            let _ = serve(stream, &root, &prefix, &headers, &stopped);
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

fn serve(mut stream: TcpStream, root: &Path, prefix: &str, headers: &[(String, String)], stopped: &AtomicBool) -> std::io::Result<()> {
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
        let path = request_line.split_whitespace().nth(1).unwrap_or("/").split(['?', '#']).next().unwrap_or("/").to_owned();
        let (status, body, ctype) = match path.strip_prefix(prefix).or_else(|| (path.clone() + "/" == prefix).then_some("")) {
            Some(rest) if !rest.contains("..") => {
                let file = if rest.is_empty() { root.join("index.html") } else { root.join(rest) };
                match std::fs::read(&file) {
                    Ok(b) => ("200 OK", b, content_type(&file)),
                    Err(_) => ("404 Not Found", b"not found".to_vec(), "text/plain"),
                }
            }
            _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
        };
        // Text and wasm are sent compressed when the client accepts it, as static hosts do.
        let compress = gzip && status.starts_with("200") && ctype != "image/png" && ctype != "application/octet-stream";
        let (body, encoding) = if compress { (gzip_bytes(&body), "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n") } else { (body, "") };
        let mut head = format!("HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n{encoding}", body.len());
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(if keep_alive { "Connection: keep-alive\r\n\r\n" } else { "Connection: close\r\n\r\n" });
        stream.write_all(head.as_bytes())?;
        stream.write_all(&body)?;
        if !keep_alive {
            return Ok(());
        }
    }
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

/// One browser: its own chromedriver, its own fresh profile.
pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
    pub name: String,
    pub base: String,
}

impl Browser {
    /// A browser with a fresh profile, at desktop size.
    pub async fn start(name: &str) -> Browser {
        Browser::start_with(name, (1280, 900), None).await
    }

    /// A browser with a given window size; `profile` reuses a profile folder (two windows
    /// of one browser share storage only through one profile).
    pub async fn start_with(name: &str, size: (u32, u32), profile: Option<PathBuf>) -> Browser {
        let port = free_port();
        let driver = Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (apt-get install chromium-driver; ./scripts/test installs it)");
        let profile = profile.unwrap_or_else(|| std::env::temp_dir().join(format!("latitude-e2e-{}-{}", std::process::id(), free_port())));
        let mut args: Vec<String> = CHROME_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push(format!("--window-size={},{}", size.0, size.1));
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), json!({"binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()), "args": args}));
        caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new()).capabilities(caps.clone()).connect(&format!("http://127.0.0.1:{port}")).await {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("could not start Chromium through chromedriver: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        let base = app_server().url(SUB_PATH);
        Browser { client, driver, profile, name: name.to_owned(), base }
    }

    /// Opens a route of the app (e.g. `#/units`) and waits until the app has rendered.
    pub async fn open(&self, route: &str) -> R {
        self.goto(&format!("{}{route}", self.base)).await
    }

    /// Opens any URL and waits for the app shell.
    pub async fn goto(&self, url: &str) -> R {
        self.client.goto(url).await?;
        self.wait_for("page").await?;
        Ok(())
    }

    pub async fn reload(&self) -> R {
        self.client.refresh().await?;
        self.wait_for("page").await?;
        Ok(())
    }

    fn css(testid: &str) -> String {
        format!("[data-testid=\"{testid}\"]")
    }

    /// Waits up to 10 s for an element with this `data-testid`.
    pub async fn wait_for(&self, testid: &str) -> R<Element> {
        let sel = Self::css(testid);
        Ok(self.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(&sel)).await.map_err(|e| format!("no [data-testid={testid}] within 10 s: {e}"))?)
    }

    pub async fn find(&self, testid: &str) -> R<Element> {
        self.wait_for(testid).await
    }

    pub async fn find_all(&self, testid: &str) -> R<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(&Self::css(testid))).await?)
    }

    pub async fn exists(&self, testid: &str) -> R<bool> {
        Ok(!self.find_all(testid).await?.is_empty())
    }

    pub async fn click(&self, testid: &str) -> R {
        self.find(testid).await?.click().await?;
        Ok(())
    }

    /// Clears a field and types into it.
    pub async fn type_into(&self, testid: &str, text: &str) -> R {
        let el = self.find(testid).await?;
        el.clear().await?;
        el.send_keys(text).await?;
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

    pub async fn seed_local_storage(&self, key: &str, value: &str) -> R {
        self.js("window.localStorage.setItem(arguments[0], arguments[1]);", vec![json!(key), json!(value)]).await?;
        Ok(())
    }

    /// Severe console messages since the last call (errors, uncaught exceptions, panics).
    pub async fn console_errors(&self) -> R<Vec<String>> {
        let v = self.client.issue_cmd(Raw { method: http::Method::POST, path: "se/log".into(), body: Some(json!({"type": "browser"})) }).await?;
        Ok(v.as_array().map(|a| a.iter().filter(|e| e["level"] == "SEVERE").filter_map(|e| e["message"].as_str().map(str::to_owned)).collect()).unwrap_or_default())
    }

    /// Runs a script before any page script on every page load (Chrome DevTools).
    pub async fn before_load(&self, source: &str) -> R {
        self.client
            .issue_cmd(Raw { method: http::Method::POST, path: "goog/cdp/execute".into(), body: Some(json!({"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": source}})) })
            .await?;
        Ok(())
    }

    /// Sends a Chrome DevTools command.
    pub async fn cdp(&self, cmd: &str, params: Value) -> R<Value> {
        Ok(self.client.issue_cmd(Raw { method: http::Method::POST, path: "goog/cdp/execute".into(), body: Some(json!({"cmd": cmd, "params": params})) }).await?)
    }

    /// The whole page, not just the viewport, as PNG.
    pub async fn full_screenshot(&self, file: &Path) -> R {
        use base64::Engine;
        let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await?;
        let size = &metrics["cssContentSize"];
        let (w, h) = (size["width"].as_f64().unwrap_or(1280.0), size["height"].as_f64().unwrap_or(900.0).min(12000.0));
        let shot = self.cdp("Page.captureScreenshot", json!({"format": "png", "captureBeyondViewport": true, "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": 1}})).await?;
        let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap_or(""))?;
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(file, png)?;
        Ok(())
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
                let shot = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e-failures").join(format!("{}.png", self.name));
                let saved = self.screenshot(&shot).await.is_ok();
                Some(format!("{}: {e}{}", self.name, if saved { format!(" (screenshot: {})", shot.display()) } else { String::new() }))
            }
        };
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
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
    b.click("overview-load-sample").await?;
    b.wait_for("org-map").await?;
    Ok(())
}

/// Emulates the page's light or dark colour scheme.
pub async fn emulate_scheme(b: &Browser, scheme: &str) -> R {
    b.cdp("Emulation.setEmulatedMedia", json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]})).await?;
    Ok(())
}
