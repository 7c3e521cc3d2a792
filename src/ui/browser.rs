//! Small helpers over the browser: today's date, theme, downloads, the location hash.
//! (The clock is read here, in the UI, never in the core.)

use time::{Date, Month};

pub use super::file_name::safe_file_name;
use wasm_bindgen::JsCast;

/// Today's civil date in the user's time zone.
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    let month = Month::try_from(now.get_month() as u8 + 1).unwrap_or(Month::January);
    Date::from_calendar_date(now.get_full_year() as i32, month, now.get_date() as u8).unwrap_or(Date::MIN)
}

/// Now on this device's clock, to the minute: "2026-11-29 05:01".
pub fn now_to_the_minute() -> String {
    let now = js_sys::Date::new_0();
    format!("{} {:02}:{:02}", crate::core::format_date(today()), now.get_hours(), now.get_minutes())
}

/// Now as an ISO 8601 timestamp.
pub fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default()
}

/// Resolves after `ms` milliseconds (a `setTimeout`).
#[cfg(feature = "team")]
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A random number, for identifiers.
pub fn random_u32() -> u32 {
    (js_sys::Math::random() * f64::from(u32::MAX)) as u32
}

/// Where a tab notes the workspace it shows (session storage: this tab only), so that
/// a reload opens that one again, not the one another tab opened since.
const TAB_WORKSPACE: &str = "latitude/open";

/// The workspace this tab showed before a reload, if it noted one.
pub fn tab_workspace() -> Option<String> {
    web_sys::window()?.session_storage().ok().flatten()?.get_item(TAB_WORKSPACE).ok().flatten()
}

/// Notes the workspace this tab shows (see [`tab_workspace`]).
pub fn set_tab_workspace(id: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = storage.set_item(TAB_WORKSPACE, id);
    }
}

/// A random identifier for this tab.
pub fn tab_id() -> String {
    format!("tab-{:08x}", random_u32())
}

pub fn prefers_dark() -> bool {
    web_sys::window().and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten()).map(|m| m.matches()).unwrap_or(false)
}

/// The location hash without its leading `#`.
pub fn hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).map(|h| h.trim_start_matches('#').to_owned()).unwrap_or_default()
}

/// The value of `name` in the fragment's query (`#/units/3?to=review`): where a link
/// from the to-do list points inside a page.
pub fn hash_param(name: &str) -> Option<String> {
    let h = hash();
    let (_, query) = h.split_once('?')?;
    query.split('&').find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')).map(str::to_owned)
}

/// Replaces the fragment (without `#`) in place: no history entry, no `hashchange`.
pub fn replace_hash(hash: &str) {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(w) = web_sys::window() else { return };
    let Ok(history) = js_sys::Reflect::get(&w, &JsValue::from_str("history")) else { return };
    let Ok(replace) = js_sys::Reflect::get(&history, &JsValue::from_str("replaceState")) else { return };
    if let Ok(replace) = replace.dyn_into::<js_sys::Function>() {
        let _ = replace.call3(&history, &JsValue::NULL, &JsValue::from_str(""), &JsValue::from_str(&format!("#{hash}")));
    }
}

/// What the page's link asks of the as-of date while `keep` is shown: a date that can be
/// shown (not in the future, a four-digit year), or why it cannot.
pub fn linked_as_of(keep: Date) -> super::route::LinkedAsOf {
    super::route::linked_as_of(&hash(), today(), keep)
}

/// Offers `content` as a file download; returns the name it is offered under (made safe
/// on every operating system by [`safe_file_name`]).
pub fn download(filename: &str, mime: &str, content: &str) -> Result<String, String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|_| "could not create the file".to_owned())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "could not create a download link".to_owned())?;
    let saved = download_url(&url, filename);
    let _ = web_sys::Url::revoke_object_url(&url);
    saved
}

/// Offers what `url` points to (a blob or data URL) as a file download, under a safe
/// name; every download of the app goes through here.
pub fn download_url(url: &str, filename: &str) -> Result<String, String> {
    let name = safe_file_name(filename);
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").map_err(|_| "no link")?.dyn_into().map_err(|_| "no link")?;
    a.set_href(url);
    a.set_download(&name);
    a.click();
    Ok(name)
}

/// Copies `text` to the clipboard where the browser permits it. `Err` when it does not
/// (no Clipboard API, or the write was refused): the caller then offers the text
/// selected, to copy with the keyboard.
pub async fn copy_text(text: &str) -> Result<(), String> {
    use wasm_bindgen::JsValue;
    let window = web_sys::window().ok_or("no window")?;
    let navigator: JsValue = window.navigator().into();
    // Undefined outside secure contexts and in some embedded browsers.
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).map_err(|_| "no clipboard")?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err("this browser does not offer the clipboard here".into());
    }
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text)).await.map(|_| ()).map_err(|_| "the browser refused the clipboard".into())
}

/// The bottom edge, in the viewport, of what stays in view at the top while the page
/// scrolls: the sticky header and the banners under it (`.shell__sticky`), or nothing
/// (0) once a static header (phones) has scrolled away and no banner stays.
fn sticky_bottom(document: &web_sys::Document) -> f64 {
    [".shell__header", ".shell__sticky"]
        .iter()
        .filter_map(|sel| document.query_selector(sel).ok().flatten())
        .filter(|el| el.get_bounding_client_rect().height() > 0.0)
        .map(|el| el.get_bounding_client_rect().bottom())
        .fold(0.0, f64::max)
}

/// Keeps a control taking the focus clear of the sticky header and the banners that stay
/// under it. Browsers scroll a focused control into view, but WebKit does not leave
/// `scroll-padding-top` free when it does: a control brought back from above the
/// viewport would land under the header.
pub fn keep_focus_clear_of_header() {
    let Some(window) = web_sys::window() else { return };
    let handler = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let Some(window) = web_sys::window() else { return };
        let Some(document) = window.document() else { return };
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let inside = |sel: &str| document.query_selector(sel).ok().flatten().is_some_and(|el| el.contains(Some(&target)));
        if inside(".shell__header") || inside(".shell__sticky") {
            return;
        }
        let bottom = sticky_bottom(&document);
        let top = target.get_bounding_client_rect().top();
        if bottom > 0.0 && top < bottom {
            window.scroll_by_with_x_and_y(0.0, top - bottom - 8.0);
        }
    });
    let _ = window.add_event_listener_with_callback("focusin", handler.as_ref().unchecked_ref());
    handler.forget();
}

/// Keeps `--shell-header-height` and `--shell-sticky-height` on the root element equal to
/// the header's height and to the banners' that stay under it (`.shell__sticky`), so the
/// style places those banners right under the sticky header and leaves both free when
/// the browser scrolls a control into view (`scroll-padding-top`).
pub fn follow_sticky_heights() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let (Some(header), Some(sticky)) = (document.query_selector(".shell__header").ok().flatten(), document.query_selector(".shell__sticky").ok().flatten()) else { return };
    let Some(root) = document.document_element().and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
    let (h, s) = (header.clone(), sticky.clone());
    let measure = move || {
        let style = root.style();
        let _ = style.set_property("--shell-header-height", &format!("{}px", h.get_bounding_client_rect().height().ceil()));
        let _ = style.set_property("--shell-sticky-height", &format!("{}px", s.get_bounding_client_rect().height().ceil()));
    };
    // Measured before the first paint, but not in the task that mounts the app: reading
    // sizes there would force a layout of the whole page in the middle of its start.
    let first = measure.clone();
    leptos::prelude::request_animation_frame(first);
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(measure);
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&header);
        observer.observe(&sticky);
        // The shell stays for the page's life: so do the observer and its callback.
        std::mem::forget(observer);
    }
    callback.forget();
}

/// Focuses the text field or text area with this id and selects its text.
pub fn select_field(id: &str) {
    let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) else { return };
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        let _ = input.focus();
        input.select();
    } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        let _ = area.focus();
        area.select();
    }
}

/// Shows a readable message instead of a dead page when the app panics. A fault of the
/// WebAssembly that is no panic (a trap) gets the same message from static/boot.js.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(body) = document.body() else { return };
        if document.get_element_by_id("panic").is_some() {
            return;
        }
        if let Ok(el) = document.create_element("div") {
            el.set_id("panic");
            el.set_class_name("panic");
            let _ = el.set_attribute("role", "alert");
            let _ = el.set_attribute("data-testid", "panic");
            let message = info.to_string();
            let heading = document.create_element("h1").ok();
            let para = document.create_element("p").ok();
            let detail = document.create_element("pre").ok();
            if let (Some(h), Some(p), Some(d)) = (heading, para, detail) {
                h.set_text_content(Some("Latitude stopped because of an internal error"));
                p.set_text_content(Some(
                    "Your data is safe: everything saved before this moment is in this browser. Reload the page to continue; if it happens again, export your workspace from Settings and report the message below.",
                ));
                d.set_text_content(Some(&message));
                let _ = el.append_child(&h);
                let _ = el.append_child(&p);
                let _ = el.append_child(&d);
            }
            let _ = body.prepend_with_node_1(&el);
        }
    }));
}

/// Where the team build lives, relative to the local build's page (`dist/team/`).
const TEAM_DIR: &str = "team/";

/// The address of the team build's page at `hash` (`#/settings`), from the local build.
#[cfg(not(feature = "team"))]
pub fn team_build_href(hash: &str) -> String {
    format!("{TEAM_DIR}{hash}")
}

/// Continues in the team build at the page `hash` (the route without its `#`); the
/// local build's page is replaced in the history, so Back does not return to it.
#[cfg(not(feature = "team"))]
pub fn open_team_build(hash: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(&team_build_href(&if hash.is_empty() { String::new() } else { format!("#{hash}") }));
    }
}

/// The address, without fragment, of the local build's page: what embeds and links
/// made for others point to (it loads no team code). In the team build, the page's
/// folder's parent.
pub fn app_page() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let page = href.split('#').next().unwrap_or_default();
    if cfg!(feature = "team") {
        let folder = &page[..page.rfind('/').map_or(page.len(), |i| i + 1)];
        if let Some(parent) = folder.strip_suffix(TEAM_DIR) {
            return parent.to_owned();
        }
    }
    page.to_owned()
}

/// Registers the offline service worker (sw.js, written by the build), and resolves once
/// it is active (it has cached the build) or after `wait` ms, whichever is first. Where
/// service workers are not allowed (a sandboxed frame, a development server) or the
/// registration is refused, it resolves at once: the app works online without it.
pub async fn register_service_worker(wait: i32) {
    use wasm_bindgen::JsValue;
    use wasm_bindgen_futures::JsFuture;
    let Some(window) = web_sys::window() else { return };
    let navigator: JsValue = window.navigator().into();
    // Reading the property throws in opaque-origin frames, hence Reflect.
    let Ok(container) = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker")) else { return };
    if container.is_undefined() || container.is_null() {
        return;
    }
    let Ok(register) = js_sys::Reflect::get(&container, &JsValue::from_str("register")) else { return };
    let Ok(register) = register.dyn_into::<js_sys::Function>() else { return };
    // One worker, beside the local build's page, caches both builds (the team build's
    // page is in a folder below it, within the worker's scope).
    let script = if cfg!(feature = "team") { "../sw.js" } else { "./sw.js" };
    let Ok(registered) = register.call1(&container, &JsValue::from_str(script)).and_then(|p| p.dyn_into::<js_sys::Promise>()) else { return };
    if JsFuture::from(registered).await.is_err() {
        return;
    }
    let Ok(ready) = js_sys::Reflect::get(&container, &JsValue::from_str("ready")).and_then(|p| p.dyn_into::<js_sys::Promise>()) else { return };
    let timeout = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, wait);
    });
    let _ = JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(&ready, &timeout))).await;
}

/// Moves the keyboard focus to the element `selector` names, once the page has rendered
/// (the element that had it may have been replaced), making it focusable if it is not.
pub fn focus_after_render(selector: String) {
    leptos::prelude::request_animation_frame(move || {
        let found = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(&selector).ok().flatten());
        if let Some(el) = found.and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok()) {
            if el.tab_index() < 0 && !el.has_attribute("tabindex") {
                let _ = el.set_attribute("tabindex", "-1");
            }
            let _ = el.focus();
        }
    });
}

/// Moves the keyboard focus to the heading of the view shown.
pub fn focus_heading() {
    focus_after_render("main h1".into());
}

/// Scrolls the page back to its top, as a new page starts.
pub fn scroll_to_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// Leaves a snapshot for this browser's own workspace: a fresh start at the overview.
pub fn go_home() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash("#/");
        let _ = w.location().reload();
    }
}

/// Runs `f` once the browser is idle (`requestIdleCallback`, at the latest after 3 s),
/// or after a second where there is no such call (Safari before 18).
pub fn when_idle(f: impl FnOnce() + 'static) {
    use wasm_bindgen::{closure::Closure, JsValue};
    let Some(window) = web_sys::window() else { return };
    let callback = Closure::once_into_js(f);
    let idle = js_sys::Reflect::get(&window, &JsValue::from_str("requestIdleCallback")).ok().and_then(|v| v.dyn_into::<js_sys::Function>().ok());
    match idle {
        Some(idle) => {
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &JsValue::from_str("timeout"), &JsValue::from_f64(3000.0));
            let _ = idle.call2(&window, &callback, &options);
        }
        None => {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), 1000);
        }
    }
}
