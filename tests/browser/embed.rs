//! Embeds as a wiki editor meets them: the generated snippet on a page of another
//! origin, the app on a plain static host with no headers (also with storage blocked),
//! a frame that cannot start; links that carry only what they show; snapshots that are
//! read-only on every route; charts that fit every screen.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::{d, private_texts};
use crate::harness::*;
use latitude::core::generate::{generate, GenSpec};
use latitude::core::sample::sample_org;
use latitude::core::Workspace;
use latitude::storage::snapshot::{decode, encode, encode_at, Scope};

/// The app's base address on a server.
fn app_url(server: &StaticServer) -> String {
    server.url(SUB_PATH)
}

/// A wiki page with the given body, served by its own server (another origin).
fn wiki_page(name: &str, body: &str) -> (StaticServer, String) {
    let dir = std::env::temp_dir().join(format!("latitude-wiki-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("index.html"), format!("<!doctype html><html lang=en><meta charset=utf-8><title>Team wiki</title><h1>Team page</h1>{body}</html>")).expect("wiki page");
    let server = StaticServer::start(&dir, "/wiki/", Vec::new());
    let url = server.url("/wiki/");
    (server, url)
}

/// The snippet's `src`, unescaped.
fn snippet_src(snippet: &str) -> String {
    let start = snippet.find("src=\"").expect("src") + 5;
    snippet[start..].split('"').next().unwrap_or("").replace("&amp;", "&")
}

/// Reads a share panel field's value.
async fn field(b: &Browser, testid: &str) -> R<String> {
    let v = b.js(&format!("return document.querySelector('[data-testid={testid}]').value;"), vec![]).await?;
    Ok(v.as_str().unwrap_or("").to_owned())
}

/// Opens the sample on `base`, opens the share panel and returns the two snippets.
async fn snippets(b: &Browser, base: &str) -> R<(String, String)> {
    b.goto(base).await?;
    b.click("overview-load-sample").await?;
    b.wait_for("org-map").await?;
    b.click("share-toggle").await?;
    b.wait_for("share-embed-map").await?;
    Ok((field(b, "share-embed-map").await?, field(b, "share-embed-scoreboard").await?))
}

/// Enters the `index`th frame of the page (scrolled into view first: frames load lazily).
async fn enter_frame(b: &Browser, index: usize) -> R {
    b.js("document.querySelectorAll('iframe')[arguments[0]].scrollIntoView();", vec![json!(index)]).await?;
    b.client.clone().enter_frame(index as u16).await?;
    Ok(())
}

/// Checks the map and scoreboard frames of the wiki page render and agree on the date.
async fn both_frames_render(b: &Browser, units: u64) -> R {
    let mut dates = Vec::new();
    for (frame, testid) in [(0, "embed-map"), (1, "embed-scoreboard")] {
        enter_frame(b, frame).await?;
        b.wait_for(testid).await?;
        ensure(!b.exists("brand").await?, "no app chrome in an embed")?;
        if testid == "embed-map" {
            eventually("every point on the map", || async {
                let n = b.js("return document.querySelectorAll('.embed__svg .chart__hit').length;", vec![]).await?;
                Ok(n.as_u64() == Some(units))
            })
            .await?;
            // Drawn for the frame: as wide as the frame, no taller than it.
            let fit = b.js("const s = document.querySelector('.embed__svg svg').getBoundingClientRect(); return { w: s.width, h: s.height, vw: innerWidth, vh: innerHeight };", vec![]).await?;
            let (w, vw, h, vh) = (fit["w"].as_f64().unwrap_or(0.0), fit["vw"].as_f64().unwrap_or(0.0), fit["h"].as_f64().unwrap_or(0.0), fit["vh"].as_f64().unwrap_or(0.0));
            ensure(w <= vw && w >= vw - 40.0 && h <= vh, format!("the map fills the frame: {fit}"))?;
        } else {
            eventually("every row", || async { Ok(b.find_all("embed-row").await?.len() as u64 == units) }).await?;
            // The header stays in view while the rows scroll.
            let sticky = b
                .js(
                    "const box = document.querySelector('.embed__table'); box.scrollTop = box.scrollHeight; \
                 const head = box.querySelector('thead').getBoundingClientRect(); return { head: head.top, box: box.getBoundingClientRect().top, scrolled: box.scrollTop };",
                    vec![],
                )
                .await?;
            ensure((sticky["head"].as_f64().unwrap_or(-99.0) - sticky["box"].as_f64().unwrap_or(0.0)).abs() < 2.0, format!("header stays visible: {sticky}"))?;
        }
        dates.push(b.text("embed-as-of").await?);
        b.client.clone().enter_parent_frame().await?;
    }
    ensure(dates[0] == dates[1] && dates[0].contains("as of"), format!("one as-of for both views: {dates:?}"))?;
    Ok(())
}

#[tokio::test]
async fn the_generated_snippets_load_from_a_plain_static_host_in_a_frame_on_another_origin() {
    let b = Browser::start("embed_plain").await;
    let r = async {
        // No CORS, no framing headers: an ordinary static host.
        let app = StaticServer::start(&dist(), SUB_PATH, Vec::new());
        let (map, board) = snippets(&b, &app_url(&app)).await?;
        ensure(map.contains("sandbox=\"allow-scripts allow-same-origin") && map.contains("width=\"100%\"") && map.contains("aspect-ratio"), map.clone())?;
        ensure(!map.contains("height=\"720\""), "no fixed tall height")?;
        let (_wiki, url) = wiki_page("plain", &format!("{map}\n<p>Between the frames.</p>\n{board}"));
        b.client.goto(&url).await?;
        both_frames_render(&b, 17).await?;
        let errors = b.console_errors().await?;
        ensure(errors.iter().all(|e| !e.contains("panicked") && !e.contains("CORS")), format!("errors: {errors:?}"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn the_snippets_load_with_storage_blocked_in_every_frame() {
    chromium_only!("blocks storage with a script run before every page load, through the DevTools protocol");
    let b = Browser::start("embed_no_storage").await;
    let r = async {
        let app = StaticServer::start(&dist(), SUB_PATH, Vec::new());
        let (map, board) = snippets(&b, &app_url(&app)).await?;
        // From now on every frame's storage throws, as in a browser that blocks it.
        b.before_load(
            "for (const name of ['localStorage', 'sessionStorage', 'indexedDB']) { \
               Object.defineProperty(window, name, { configurable: true, get() { throw new DOMException('blocked', 'SecurityError'); } }); }",
        )
        .await?;
        let (_wiki, url) = wiki_page("nostorage", &format!("{map}\n{board}"));
        b.client.goto(&url).await?;
        enter_frame(&b, 0).await?;
        b.wait_for("embed-map").await?;
        let blocked = b.js("try { window.localStorage; return false; } catch (e) { return true; }", vec![]).await?;
        ensure(blocked.as_bool() == Some(true), "storage is blocked inside the frame")?;
        b.client.clone().enter_parent_frame().await?;
        both_frames_render(&b, 17).await?;
        let errors = b.console_errors().await?;
        ensure(errors.iter().all(|e| !e.contains("panicked")), format!("errors: {errors:?}"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// A copy of the build with one file removed, as when a host or a filter blocks it.
fn broken_dist(name: &str, remove: impl Fn(&str) -> bool) -> PathBuf {
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

#[tokio::test]
async fn a_frame_that_cannot_start_says_so_with_a_link_to_open_the_view() {
    // A known gap, not a driver limit: WebKitGTK reports no error event for the missing
    // wasm, so that frame keeps its loading text (the blocked module is caught).
    not_in!(Webkit, "WebKit raises no error event when the wasm is missing: the start-up watch misses it (known gap)");
    let b = Browser::start("embed_broken").await;
    let r = async {
        let data = encode_at(&sample_org(d("2026-11-29")), Scope::Map, d("2026-11-29"));
        // One host lost the WebAssembly, another blocks the start-up module.
        let no_wasm = StaticServer::start(&broken_dist("wasm", |f| f.ends_with(".wasm")), SUB_PATH, Vec::new());
        let no_module = StaticServer::start(&broken_dist("module", |f| f.starts_with("start-") && f.ends_with(".js")), SUB_PATH, Vec::new());
        let frames: Vec<String> = [&no_wasm, &no_module]
            .iter()
            .map(|s| format!("<iframe title=\"map\" width=\"600\" height=\"400\" sandbox=\"allow-scripts allow-same-origin allow-popups\" src=\"{}#/embed/map/{data}\"></iframe>", app_url(s)))
            .collect();
        let (_wiki, url) = wiki_page("broken", &frames.join("\n"));
        b.client.goto(&url).await?;
        for frame in 0..2 {
            enter_frame(&b, frame).await?;
            let link = b.wait_for("boot-open").await?;
            eventually("the failure message shows", || async {
                let v = b.js("const f = document.querySelector('.boot__failed'); return f && getComputedStyle(f).visibility === 'visible' && getComputedStyle(document.querySelector('.boot__status')).display === 'none';", vec![]).await?;
                Ok(v.as_bool() == Some(true))
            })
            .await?;
            let text = b.js("return document.body.innerText;", vec![]).await?;
            ensure(text.as_str().is_some_and(|t| t.contains("could not start") && !t.contains("Loading…")), format!("frame {frame}: {text}"))?;
            let href = link.attr("href").await?.unwrap_or_default();
            ensure(href.contains("#/embed/map/") && link.attr("target").await?.as_deref() == Some("_blank"), format!("frame {frame}: link {href}"))?;
            b.client.clone().enter_parent_frame().await?;
        }
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn embed_links_carry_names_scores_and_flags_and_no_records() {
    let b = Browser::start("embed_privacy").await;
    let r = async {
        open_sample(&b).await?;
        eventually("saved", || async { Ok(b.local_storage("latitude/ws/default").await?.is_some()) }).await?;
        let ws: Workspace = serde_json::from_str(&stored_text(&b, "latitude/ws/default").await?)?;
        let private = private_texts(&ws);
        ensure(private.len() > 20, "the workspace has records")?;
        b.click("share-toggle").await?;
        // The panel says what each link holds before anything is copied.
        for testid in ["share-contains-map-frame", "share-contains-board-frame"] {
            let says = b.text(testid).await?;
            ensure(says.contains("No commitments, notes, evidence or decisions"), format!("{testid}: {says}"))?;
        }
        ensure(b.text("share-contains").await?.contains("whole workspace"), "the workspace link says it carries everything")?;
        for (testid, scope) in [("share-embed-map", Scope::Map), ("share-embed-scoreboard", Scope::Board), ("share-map-link", Scope::Map)] {
            let value = field(&b, testid).await?;
            let src = if value.starts_with("<iframe") { snippet_src(&value) } else { value };
            let data = src.rsplit('/').next().unwrap_or("");
            let snap = decode(data).map_err(|e| format!("{testid}: {e}"))?;
            ensure(snap.scope == scope && snap.workspace.commitments.is_empty() && snap.workspace.decisions.is_empty(), format!("{testid}: scope {:?}", snap.scope))?;
            let shown = serde_json::to_string(&snap.map)?;
            for text in &private {
                ensure(!shown.contains(text.as_str()), format!("{testid} carries {text:?}"))?;
            }
            if scope == Scope::Board {
                ensure(shown.contains("flags"), "the scoreboard carries its flags")?;
            }
            // No unit ids or kinds, numbers rounded.
            let payload = latitude::storage::snapshot::payload_json(data).map_err(|e| e.to_string())?.unwrap_or_default().to_string();
            ensure(!payload.contains("\"unit\"") && !payload.contains("\"kind\"") && !payload.contains("issued"), format!("{testid} carries ids or kinds: {payload}"))?;
        }
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// Enabled form controls in the page's main area, described as `testid|text`.
async fn enabled_controls(b: &Browser) -> R<Vec<String>> {
    let v = b
        .js(
            "return Array.from(document.querySelectorAll('main input, main select, main textarea, main button'))
               .filter(e => !e.disabled && e.offsetParent !== null)
               .map(e => (e.getAttribute('data-testid') || '') + '|' + (e.getAttribute('aria-label') || e.textContent || e.id || '').trim().slice(0, 40));",
            vec![],
        )
        .await?;
    Ok(v.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default())
}

/// Controls that change only what is shown: the as-of date, sorting and filters, chart
/// tables and exports, "Show all", the share panel, the workshop's steps and timer.
fn changes_only_the_view(control: &str) -> bool {
    let (testid, text) = control.split_once('|').unwrap_or((control, ""));
    let by_id = ["as-of", "sort-", "team-filter", "decision-filter", "-toggle-table", "-export-svg", "-export-png", "share-", "workshop-back", "workshop-next", "timer-toggle", "presenter-toggle"];
    let by_text = ["Show all", "Show fewer", "Reset", "Chart", "Scoreboard table"];
    (!testid.is_empty() && by_id.iter().any(|p| testid.contains(p))) || by_text.iter().any(|t| text.starts_with(t)) || text.chars().next().is_some_and(|c| c.is_ascii_digit())
}

#[tokio::test]
async fn every_route_of_a_snapshot_is_read_only_with_one_notice() {
    let b = Browser::start("snapshot_read_only").await;
    let r = async {
        let ws = sample_org(d("2026-11-29"));
        b.goto(&format!("{}#/snapshot/{}", b.base, encode(&ws, Scope::Workspace))).await?;
        b.wait_for("banner-snapshot").await?;
        let mut routes: Vec<String> = ["#/", "#/units", "#/check-ins", "#/decisions", "#/workshop", "#/settings"].iter().map(|s| s.to_string()).collect();
        routes.extend(ws.units.iter().take(6).map(|u| format!("#/units/{}", u.id.0)));
        for route in &routes {
            b.js("location.hash = arguments[0];", vec![json!(route)]).await?;
            tokio::time::sleep(std::time::Duration::from_millis(400)).await;
            // Long lists shown whole too, so nothing hides behind "Show all".
            b.js("document.querySelectorAll('.show-all button').forEach(b => b.textContent.includes('Show all') && b.click());", vec![]).await?;
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            ensure(b.exists("banner-snapshot").await?, format!("{route}: the notice"))?;
            let notices = b.find_all("banner-snapshot").await?.len();
            ensure(notices == 1, format!("{route}: {notices} notices"))?;
            let writes: Vec<String> = enabled_controls(&b).await?.into_iter().filter(|c| !changes_only_the_view(c)).collect();
            ensure(writes.is_empty(), format!("{route}: enabled controls that write: {writes:?}"))?;
        }
        // The sweep no longer takes a check-in, and nothing says "Saved".
        b.js("location.hash = '#/check-ins';", vec![]).await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let sweep = b.js("const v = document.querySelector('[data-testid=sweep-value]'); return v ? v.disabled : null;", vec![]).await?;
        ensure(sweep.as_bool() != Some(false), format!("sweep input disabled or absent: {sweep}"))?;
        let text = b.js("return document.querySelector('main').innerText;", vec![]).await?;
        ensure(!text.as_str().unwrap_or("").contains("Saved ✓"), "no saved message")?;
        // "Save as new workspace" is the way to keep the data.
        ensure(b.find("snapshot-save").await?.is_enabled().await?, "save as new workspace stays available")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn sharing_a_unit_opens_its_page_and_the_popover_behaves() {
    let b = Browser::start("share_unit").await;
    let r = async {
        open_sample(&b).await?;
        b.cdp("Browser.grantPermissions", json!({"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})).await.ok();
        let ws = sample_org(d("2026-11-29"));
        let unit = ws.units.iter().find(|u| ws.children(u.id).count() > 0).unwrap();
        b.open(&format!("#/units/{}", unit.id.0)).await?;
        b.wait_for("unit-page").await?;
        b.click("share-toggle").await?;
        ensure(b.text("share-contains").await?.contains("this unit and everyone under it"), "says what the unit link holds")?;
        let private = b.text("share-private").await?;
        ensure(private.contains("marked private") && private.contains("Share a file instead"), format!("the unit link warns of private commitments: {private}"))?;
        // Copy says it copied.
        b.click("share-copy-link").await?;
        eventually("Copied", || async { Ok(b.text("share-copy-link").await?.contains("Copied") && b.text("share-status").await?.contains("Copied")) }).await?;
        let copied = b.client.execute_async("const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done('refused: ' + e));", vec![]).await?;
        // Reading the clipboard back needs a permission only Chromium's driver grants;
        // elsewhere a refused read leaves the "Copied" the app showed as the evidence.
        let unreadable = b.engine != Engine::Chromium && copied.as_str().is_some_and(|c| c.starts_with("refused:"));
        if unreadable {
            println!("{}: the clipboard cannot be read back here ({copied})", b.engine.name());
        } else {
            ensure(copied.as_str() == Some(field(&b, "share-link").await?.as_str()), format!("the clipboard holds the link: {copied}"))?;
        }
        // Esc closes and gives the focus back to the button.
        b.js("document.querySelector('[data-testid=share-link]').focus();", vec![]).await?;
        b.js("document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));", vec![]).await?;
        eventually("closed by Esc", || async { Ok(!b.exists("share-panel").await?) }).await?;
        let focused = b.js("return document.activeElement && document.activeElement.getAttribute('data-testid');", vec![]).await?;
        ensure(focused.as_str() == Some("share-toggle"), format!("focus on {focused}"))?;
        // A click outside closes it too.
        b.click("share-toggle").await?;
        b.wait_for("share-panel").await?;
        let link = field(&b, "share-link").await?;
        b.js("document.querySelector('h1').dispatchEvent(new PointerEvent('pointerdown', {bubbles: true}));", vec![]).await?;
        eventually("closed by a click outside", || async { Ok(!b.exists("share-panel").await?) }).await?;
        // The unit's link opens on that unit's page.
        b.goto(&link).await?;
        b.client.refresh().await?;
        b.wait_for("banner-snapshot").await?;
        b.wait_for("unit-page").await?;
        ensure(b.text("unit-page").await?.contains(unit.name.as_str()), "the unit's own page")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// Widths the charts are checked and photographed at: phones, a tablet, laptops, a projector.
const WIDTHS: [u32; 5] = [320, 390, 768, 1366, 1920];

/// Every chart on the page fits its container and no chart text is under 11 CSS px.
async fn charts_fit(b: &Browser, what: &str) -> R {
    let v = b
        .js(
            "const out = [];
             for (const svg of document.querySelectorAll('.chart-figure__svg > svg, .embed__svg > svg')) {
               const box = svg.parentElement.getBoundingClientRect();
               const r = svg.getBoundingClientRect();
               const vb = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width ? svg.viewBox.baseVal.width : r.width;
               const scale = r.width / vb;
               if (r.width > box.width + 0.5) out.push('chart ' + r.width.toFixed(1) + ' wider than its box ' + box.width.toFixed(1));
               for (const t of svg.querySelectorAll('text')) {
                 if (!t.textContent.trim()) continue;
                 const px = parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize) * scale;
                 if (px < 11) out.push(JSON.stringify(t.textContent.trim().slice(0, 30)) + ' at ' + px.toFixed(1) + 'px');
               }
             }
             return { problems: out.slice(0, 8), charts: document.querySelectorAll('.chart-figure__svg > svg, .embed__svg > svg').length };",
            vec![],
        )
        .await?;
    ensure(v["charts"].as_u64().unwrap_or(0) > 0, format!("{what}: no chart"))?;
    ensure(v["problems"].as_array().is_some_and(|a| a.is_empty()), format!("{what}: {}", v["problems"]))
}

async fn at_width(b: &Browser, width: u32) -> R {
    b.cdp("Emulation.setDeviceMetricsOverride", json!({"width": width, "height": if width < 800 { 800 } else { 900 }, "deviceScaleFactor": 1, "mobile": width < 800})).await?;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    Ok(())
}

fn shots() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/fit")
}

async fn look(b: &Browser, dir: &Path, name: &str) -> R {
    for width in WIDTHS {
        at_width(b, width).await?;
        charts_fit(b, &format!("{name} at {width}px")).await?;
        b.full_screenshot(&dir.join(format!("{name}-{width}.png"))).await?;
    }
    Ok(())
}

#[tokio::test]
async fn charts_and_embeds_fit_every_screen_from_a_phone_to_a_projector() {
    chromium_only!("sets each screen width and device scale through the DevTools protocol");
    let b = Browser::start("fit").await;
    let r = async {
        let dir = shots();
        for (label, ws) in [("sample", sample_org(d("2026-11-29"))), ("large", generate(42, &GenSpec::large_org()))] {
            let as_of = ws.last_date().map(latitude::core::dates::week_end).unwrap();
            b.open("").await?;
            b.seed_local_storage("latitude/ws/default", &latitude::storage::store::encode_stored(&ws, 1, "test", "2026-01-01T00:00:00Z")).await?;
            b.seed_local_storage("latitude/index", &json!({"workspaces": [{"id": "default", "name": ws.name.as_str()}], "active": "default"}).to_string()).await?;
            b.reload().await?;
            b.wait_for("org-map").await?;
            b.type_into("as-of", &format!("{:02}/{:02}/{}", u8::from(as_of.month()), as_of.day(), as_of.year())).await.ok();
            look(&b, &dir, &format!("{label}-overview")).await?;
            let unit = ws.units.iter().find(|u| ws.children(u.id).count() > 0).unwrap().id;
            b.open(&format!("#/units/{}", unit.0)).await?;
            b.wait_for("trend-chart").await?;
            look(&b, &dir, &format!("{label}-unit")).await?;
            for (kind, scope) in [("map", Scope::Map), ("scoreboard", Scope::Board)] {
                b.goto(&format!("{}#/embed/{kind}/{}", b.base, encode_at(&ws, scope, as_of))).await?;
                b.client.refresh().await?;
                b.wait_for(&format!("embed-{kind}")).await?;
                for width in WIDTHS {
                    at_width(&b, width).await?;
                    if kind == "map" {
                        charts_fit(&b, &format!("{label} map embed at {width}px")).await?;
                    }
                    b.screenshot(&dir.join(format!("{label}-embed-{kind}-{width}.png"))).await?;
                }
            }
            b.cdp("Emulation.clearDeviceMetricsOverride", json!({})).await?;
        }
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

/// Frame sizes the generated snippets take in a wiki column: a phone's (its minimum
/// height) and a desktop's (its aspect ratio).
const FRAME_WIDTHS: [u32; 3] = [320, 375, 760];

#[tokio::test]
async fn embeds_fit_their_frame_at_phone_and_desktop_width_without_scrolling_inside() {
    let b = Browser::start("embed_fit").await;
    let r = async {
        let app = StaticServer::start(&dist(), SUB_PATH, Vec::new());
        let (map, board) = snippets(&b, &app_url(&app)).await?;
        // The snippets exactly as generated, each in a column of the wiki page.
        let body: String = FRAME_WIDTHS.iter().map(|w| format!("<div style=\"width:{w}px\">{map}</div><div style=\"width:{w}px\">{board}</div>")).collect();
        let (_wiki, url) = wiki_page("fit", &body);
        b.client.goto(&url).await?;
        for (i, width) in FRAME_WIDTHS.iter().enumerate() {
            enter_frame(&b, 2 * i).await?;
            b.wait_for("embed-map").await?;
            eventually("every point on the map", || async { Ok(b.js("return document.querySelectorAll('.embed__svg .chart__hit').length;", vec![]).await?.as_u64() == Some(17)) }).await?;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            let fit = b
                .js(
                    "const box = document.querySelector('.embed__svg'); const svg = box.querySelector('svg').getBoundingClientRect();
                     const texts = Array.from(box.querySelectorAll('svg text')).filter(t => t.textContent.trim()).map(t => t.getBoundingClientRect().bottom);
                     return { inner: box.scrollHeight - box.clientHeight, page: document.scrollingElement.scrollHeight - innerHeight, svg: svg.bottom, box: box.getBoundingClientRect().bottom,
                              lowest: Math.max(...texts), vw: innerWidth, right: svg.right };",
                    vec![],
                )
                .await?;
            let n = |k: &str| fit[k].as_f64().unwrap_or(f64::NAN);
            ensure(n("inner") <= 1.0 && n("page") <= 1.0, format!("the map scrolls inside its {width}px frame: {fit}"))?;
            ensure(n("svg") <= n("box") + 1.0 && n("lowest") <= n("box") + 1.0 && n("right") <= n("vw") + 1.0, format!("the map and its key fit the {width}px frame: {fit}"))?;
            b.client.clone().enter_parent_frame().await?;

            enter_frame(&b, 2 * i + 1).await?;
            b.wait_for("embed-scoreboard").await?;
            eventually("every row", || async { Ok(b.find_all("embed-row").await?.len() == 17) }).await?;
            let fit = b
                .js(
                    "const box = document.querySelector('.embed__table');
                     const chips = Array.from(document.querySelectorAll('.embed__flag')).filter(c => c.getClientRects().length > 0);
                     return { over: box.scrollWidth - box.clientWidth, page: document.scrollingElement.scrollWidth - innerWidth, vw: innerWidth,
                              right: Math.max(...chips.map(f => f.getBoundingClientRect().right)), chips: chips.length,
                              smallest: Math.min(...Array.from(document.querySelectorAll('.embed__table th, .embed__table td, .embed__flag')).map(e => parseFloat(getComputedStyle(e).fontSize))) };",
                    vec![],
                )
                .await?;
            let n = |k: &str| fit[k].as_f64().unwrap_or(f64::NAN);
            ensure(n("over") <= 1.0 && n("page") <= 1.0 && n("right") <= n("vw") + 0.5, format!("the scoreboard is clipped in its {width}px frame: {fit}"))?;
            ensure(n("chips") > 0.0 && n("smallest") >= 11.0, format!("flags shown as chips, text at least 11px: {fit}"))?;
            b.client.clone().enter_parent_frame().await?;
            b.js("document.querySelectorAll('iframe')[arguments[0]].scrollIntoView();", vec![json!(2 * i)]).await?;
            b.screenshot(&shots().join(format!("wiki-frames-{width}-{}.png", b.engine.name()))).await?;
        }
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn the_share_panel_warns_of_private_commitments_keeps_its_parts_apart_and_names_downloads() {
    let b = Browser::start_with("share_layout", (1366, 900), None).await;
    let r = async {
        open_sample(&b).await?;
        b.click("share-toggle").await?;
        b.wait_for("share-warning").await?;
        // No part of the panel runs over the next (the long-link warning over the heading after it).
        let overlaps = b
            .js(
                "const parts = Array.from(document.querySelector('[data-testid=share-panel]').children).filter(e => e.getBoundingClientRect().height > 0);
                 const out = [];
                 for (let i = 1; i < parts.length; i++) {
                   const a = parts[i - 1].getBoundingClientRect(), c = parts[i].getBoundingClientRect();
                   if (c.top < a.bottom - 0.5) out.push(parts[i - 1].className + ' (' + a.bottom.toFixed(1) + ') over ' + parts[i].className + ' (' + c.top.toFixed(1) + ')');
                   if (parts[i - 1].scrollHeight > parts[i - 1].clientHeight + 1 && parts[i - 1].tagName === 'P') out.push(parts[i - 1].className + ' is squeezed');
                 }
                 return out;",
                vec![],
            )
            .await?;
        ensure(overlaps.as_array().is_some_and(|a| a.is_empty()), format!("overlapping parts: {overlaps}"))?;
        b.screenshot(&shots().join(format!("share-panel-1366-{}.png", b.engine.name()))).await?;
        // The sample's private commitments are named before anything is copied.
        let private = b.text("share-private").await?;
        ensure(private.contains("commitments marked private") && private.contains("readable by anyone") && private.contains("carry no commitments"), private.clone())?;
        // Pictures are named by workspace, view and date.
        b.js("window.__names = []; HTMLAnchorElement.prototype.click = function () { window.__names.push(this.download); };", vec![]).await?;
        for testid in ["share-image-map-svg", "share-image-board-svg", "share-image-map-png"] {
            b.click(testid).await?;
        }
        eventually("three downloads", || async { Ok(b.js("return window.__names.length;", vec![]).await?.as_u64() == Some(3)) }).await?;
        let names = b.js("return window.__names;", vec![]).await?;
        let as_of = b.js("return document.querySelector('[data-testid=as-of]').value;", vec![]).await?;
        let as_of = as_of.as_str().unwrap_or("").to_owned();
        for (i, expected) in ["org-map", "scoreboard", "org-map"].iter().enumerate() {
            let name = names[i].as_str().unwrap_or("");
            let ext = if i == 2 { "png" } else { "svg" };
            ensure(name == format!("latitude-sample-northwind-analytics-{expected}-{as_of}.{ext}"), format!("download {i}: {name} (as of {as_of})"))?;
        }
        Ok(())
    }
    .await;
    b.finish(r).await;
}
