//! The team database over the browser's `fetch`: a [`Transport`] for sync rounds, and
//! the `_session` login. Every request carries the CouchDB session cookie
//! (`credentials: "include"`) and has its own deadline (an `AbortController`): a server
//! that does not answer makes the round fail as offline instead of hanging it. The
//! password goes to `_session` once and is never kept.

use js_sys::Reflect;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestCredentials, RequestInit, RequestMode, Response};

use crate::sync::{Answer, Transport, Unreachable};

/// How long a request may take before it is given up.
const DEADLINE_MS: i32 = 20_000;

/// The team database's server: its URL without a trailing slash (absolute, or a path on
/// the app's own origin such as `/couch`).
#[derive(Debug, Clone, PartialEq)]
pub struct Server(pub String);

impl Server {
    /// Checks and normalises a server address as typed ([`crate::sync::server_address`]).
    pub fn parse(text: &str) -> Result<Server, String> {
        crate::sync::server_address(text).map(Server)
    }
}

impl Transport for Server {
    async fn send(&self, method: &'static str, path: &str, body: Option<&Value>) -> Result<Answer, Unreachable> {
        fetch(&format!("{}{path}", self.0), method, body).await
    }
}

/// How long a wait for other members' changes stays open before it is asked again.
const WATCH_MS: i32 = 25_000;

/// Waits until the database has a change after `since` (a longpoll `_changes` with
/// `limit=1`, given up after [`WATCH_MS`] by this side: pouchdb-server does not honour
/// the server-side `timeout`). `Ok(true)`: something changed; `Ok(false)`: nothing
/// within the wait.
pub async fn changed_since(server: &Server, db: &str, since: &str) -> Result<bool, Unreachable> {
    let url = format!("{}/{}/_changes?feed=longpoll&limit=1&timeout={WATCH_MS}&since={}", server.0, crate::sync::replica::percent_encode(db), crate::sync::replica::percent_encode(since));
    match fetch_within(&url, "GET", None, WATCH_MS + 2_000).await {
        // An answer without CouchDB's list of changes (a proxy's error page) is a fault
        // to wait out, not "nothing changed": asking again at once would loop.
        Ok(a) if a.status == 200 => a.body.get("results").and_then(Value::as_array).map(|r| !r.is_empty()).ok_or_else(|| Unreachable("the answer is not CouchDB's".into())),
        Ok(a) => Err(Unreachable(format!("HTTP {}", a.status))),
        Err(e) if e.0.starts_with("no answer within") => Ok(false),
        Err(e) => Err(e),
    }
}

async fn fetch(url: &str, method: &str, body: Option<&Value>) -> Result<Answer, Unreachable> {
    fetch_within(url, method, body, DEADLINE_MS).await
}

async fn fetch_within(url: &str, method: &str, body: Option<&Value>, deadline_ms: i32) -> Result<Answer, Unreachable> {
    let window = web_sys::window().ok_or_else(|| Unreachable("no window".into()))?;
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::Include);
    init.set_mode(RequestMode::Cors);
    let controller = AbortController::new().ok();
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    if let Some(b) = body {
        init.set_body(&JsValue::from_str(&b.to_string()));
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(|e| Unreachable(js_text(&e)))?;
    let headers = request.headers();
    let _ = headers.set("Accept", "application/json");
    if body.is_some() {
        let _ = headers.set("Content-Type", "application/json");
    }
    let timer = controller.clone().and_then(|c| {
        let abort = wasm_bindgen::closure::Closure::once_into_js(move || c.abort());
        window.set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), deadline_ms).ok()
    });
    let outcome = JsFuture::from(window.fetch_with_request(&request)).await;
    let response: Response = match outcome {
        Ok(r) => r.unchecked_into(),
        Err(e) => {
            if let Some(t) = timer {
                window.clear_timeout_with_handle(t);
            }
            let aborted = Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).is_some_and(|n| n == "AbortError");
            let why = if aborted { format!("no answer within {} s", deadline_ms / 1000) } else { "the network or the server did not answer".to_owned() };
            return Err(Unreachable(why));
        }
    };
    let status = response.status();
    let text = match response.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    if let Some(t) = timer {
        window.clear_timeout_with_handle(t);
    }
    Ok(Answer { status, body: serde_json::from_str(&text).unwrap_or(Value::Null) })
}

fn js_text(e: &JsValue) -> String {
    Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).or_else(|| e.as_string()).unwrap_or_else(|| "unknown error".into())
}

/// Logs in with CouchDB's cookie session; returns the user's name and roles.
pub async fn log_in(server: &Server, name: &str, password: &str) -> Result<(String, Vec<String>), LoginError> {
    let body = serde_json::json!({ "name": name, "password": password });
    let answer = fetch(&format!("{}/_session", server.0), "POST", Some(&body))
        .await
        .map_err(|Unreachable(why)| LoginError::Other(format!("Cannot reach {}: {why}. Check the address, and that the server allows this site (CORS).", server.0)))?;
    match answer.status {
        200 if answer.body.get("ok").is_some() => Ok(session_user(&answer.body).unwrap_or_else(|| (name.to_owned(), Vec::new()))),
        200 => Err(LoginError::Other(format!("{} answered, but not as a CouchDB server does: check the address.", server.0))),
        401 => Err(LoginError::Wrong),
        s => Err(LoginError::Other(format!("The server refused the login (HTTP {s})."))),
    }
}

/// Why a login failed.
pub enum LoginError {
    /// The server does not know this name with this password.
    Wrong,
    /// Anything else, in words.
    Other(String),
}

impl LoginError {
    pub fn message(self) -> String {
        match self {
            LoginError::Wrong => "The name or password is not right.".into(),
            LoginError::Other(why) => why,
        }
    }
}

/// Who is logged in now, with their roles (`None`: nobody, or the session has ended).
/// Asking `_session` answers 200 either way, where a request to the database would be
/// refused with a 401.
pub async fn session(server: &Server) -> Result<Option<(String, Vec<String>)>, Unreachable> {
    let answer = fetch(&format!("{}/_session", server.0), "GET", None).await?;
    if answer.status != 200 || answer.body.get("userCtx").is_none() {
        return Err(Unreachable(format!("the answer to a session check is not CouchDB's (HTTP {})", answer.status)));
    }
    Ok(session_user(&answer.body).filter(|(n, _)| !n.is_empty()))
}

/// Ends the session (the cookie is CouchDB's to clear).
pub async fn log_out(server: &Server) {
    let _ = fetch(&format!("{}/_session", server.0), "DELETE", None).await;
}

fn session_user(body: &Value) -> Option<(String, Vec<String>)> {
    let ctx = body.get("userCtx").unwrap_or(body);
    let name = ctx.get("name")?.as_str()?.to_owned();
    let roles = ctx.get("roles").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default();
    Some((name, roles))
}

/// What a database holds: `Ok(true)` if it is set up and empty (a workspace may be
/// shared into it), `Ok(false)` if it already holds a workspace (members join it).
pub async fn database_state(server: &Server, db: &str) -> Result<bool, String> {
    let path = format!("/{}", crate::sync::replica::percent_encode(db));
    let reach = |Unreachable(why)| format!("Cannot reach {}: {why}.", server.0);
    let design = server.send("GET", &format!("{path}/{}", crate::sync::DESIGN_ID), None).await.map_err(reach)?;
    match design.status {
        200 => {}
        401 | 403 => return Err(format!("You are not a member of the team database “{db}”: a server admin adds you with `latitude-cli couch member`.")),
        404 if design.body.get("reason").and_then(Value::as_str).is_some_and(|r| r.contains("atabase")) => {
            return Err(format!("There is no team database “{db}” on {}: a server admin creates it with `latitude-cli couch setup`.", server.0))
        }
        404 => return Err(format!("The database “{db}” is not set up for Latitude: a server admin runs `latitude-cli couch setup` first.")),
        s => return Err(format!("The server answered HTTP {s} for the database “{db}”.")),
    }
    let held = server.send("GET", &format!("{path}/_all_docs?limit=1&startkey=%22a%22"), None).await.map_err(reach)?;
    let rows = held.body.get("rows").and_then(Value::as_array).ok_or_else(|| format!("The server answered HTTP {} when listing “{db}”.", held.status))?;
    Ok(rows.is_empty())
}
