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
    load_sample_here(b).await?;
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
            // One Tab stop for the map, however many units: a wiki's reader tabs past it.
            let stops = b.js("return document.querySelectorAll('.embed__svg .chart__hit[tabindex=\"0\"]').length;", vec![]).await?;
            ensure(stops.as_u64() == Some(1), format!("points in the Tab order: {stops}"))?;
            // → moves to another point, without an error (an engine that does not focus a
            // chart's point from script, WebKit, has no key to press there).
            b.js("window.__keyErrors = []; window.addEventListener('error', (e) => window.__keyErrors.push(String(e.message))); document.querySelector('.embed__svg .chart__hit[tabindex=\"0\"]').focus();", vec![]).await?;
            if b.js("return document.activeElement.classList.contains('chart__hit');", vec![]).await?.as_bool() == Some(true) {
                let first = b.js("return document.activeElement.getAttribute('aria-label');", vec![]).await?;
                for key in [fantoccini::key::Key::Right, fantoccini::key::Key::Right, fantoccini::key::Key::Left] {
                    b.client.active_element().await?.send_keys(&key.to_string()).await?;
                }
                let now = b.js("return [document.activeElement.getAttribute('aria-label'), document.activeElement.getAttribute('tabindex'), window.__keyErrors];", vec![]).await?;
                ensure(now[0] != first && now[1] == "0" && now[2] == json!([]), format!("the arrow keys move among the points: from {first} to {now}"))?;
            }
            // A point tapped is read out under the map (on a phone most names have no room on
            // it), and no label promises a unit page, which an embed cannot open.
            let label =
                b.js("const p = document.querySelector('.embed__svg .chart__hit'); p.dispatchEvent(new MouseEvent('click', { bubbles: true })); return p.getAttribute('aria-label');", vec![]).await?;
            let label = label.as_str().unwrap_or_default().to_owned();
            ensure(label.contains("granted A") && !label.contains("Opens the unit page"), format!("point label: {label}"))?;
            eventually("the point read out", || async { Ok(b.text("embed-readout").await? == label) }).await?;
            // Tabbing through the points keeps the focus on each in turn, also where its
            // longer readout makes the map redraw: the focus never falls back to the top.
            let lost = b
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))));
                     (async () => {
                       const lost = [];
                       const count = document.querySelectorAll('.embed__svg .chart__hit').length;
                       for (let i = 0; i < count; i++) {
                         const p = document.querySelectorAll('.embed__svg .chart__hit')[i];
                         const label = p.getAttribute('aria-label');
                         p.focus();
                         // An engine that does not focus a chart's point from script
                         // (WebKit) has nothing to keep.
                         if (document.activeElement !== p) continue;
                         await frames();
                         const now = document.activeElement;
                         if (!now || now.getAttribute('aria-label') !== label) lost.push(label);
                       }
                       return lost;
                     })().then(done, (e) => done(['failed: ' + e]));",
                    vec![],
                )
                .await?;
            ensure(lost.as_array().is_some_and(Vec::is_empty), format!("the focus was lost from the points {lost}"))?;
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
        // "Open in Latitude" opens the same data in the app, not this bare view again.
        let open = b.find("embed-open").await?.attr("href").await?.unwrap_or_default();
        ensure(open.contains("#/snapshot/") && !open.contains("/embed/"), format!("open in Latitude: {open}"))?;
        b.client.clone().enter_parent_frame().await?;
    }
    ensure(dates[0] == dates[1] && dates[0].contains("as of"), format!("one as-of for both views: {dates:?}"))?;
    Ok(())
}

/// A host that does not compress sends the page's scripts and stylesheet as written: the
/// build minifies them (scripts/finish_dist.py), in both builds. Minified, each is a line
/// or two; as written by wasm-bindgen, Trunk and the sources, hundreds.
#[test]
fn the_pages_scripts_and_stylesheet_are_minified_in_both_builds() {
    for folder in [dist(), dist().join("team")] {
        let mut seen = 0;
        for entry in std::fs::read_dir(&folder).expect("a build folder").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !(name.ends_with(".js") || name.ends_with(".css")) || name == "sw.js" {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).expect("a text file");
            assert!(text.lines().count() <= 3, "{}: {} lines, not minified", entry.path().display(), text.lines().count());
            seen += 1;
        }
        // boot.js, start-*.js, latitude-*.js, parts-*.js and app-*.css.
        assert!(seen >= 5, "{}: only {seen} scripts and stylesheets", folder.display());
    }
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
        // The frames load the embed page beside the app, not the app itself.
        for snippet in [&map, &board] {
            ensure(snippet_src(snippet).starts_with(&format!("{}embed.html#/embed/", app_url(&app))), format!("the snippet's page: {snippet}"))?;
        }
        let (_wiki, url) = wiki_page("plain", &format!("{map}\n<p>Between the frames.</p>\n{board}"));
        b.client.goto(&url).await?;
        both_frames_render(&b, 17).await?;
        let errors = b.console_errors().await?;
        ensure(errors.iter().all(|e| !e.contains("panicked") && !e.contains("CORS")), format!("errors: {errors:?}"))?;
        // The scoreboard's frame is as tall as its 17 rows, on a desktop and on a phone,
        // and says what its short headings mean.
        for (w, h) in [(1366, 900), (390, 844)] {
            b.client.set_window_size(w, h).await?;
            enter_frame(&b, 1).await?;
            eventually(&format!("every row in view at {w} px"), || async {
                let fit = b
                    .js("const t = document.querySelector('.embed__table'); return t.scrollHeight <= t.clientHeight + 2 && document.querySelectorAll('[data-testid=embed-row]').length === 17;", vec![])
                    .await?;
                Ok(fit.as_bool() == Some(true))
            })
            .await?;
            ensure(b.text("embed-key").await?.contains("TR track record and R rigor"), "the key under the scoreboard")?;
            b.client.clone().enter_parent_frame().await?;
        }
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn tabbing_into_a_frame_below_the_fold_brings_it_into_view() {
    let b = Browser::start("embed_tab_scroll").await;
    let r = async {
        let app = StaticServer::start(&dist(), SUB_PATH, Vec::new());
        let (map, _) = snippets(&b, &app_url(&app)).await?;
        // A wiki page whose frame starts below the fold, with a link above it.
        let (_wiki, url) = wiki_page("tabscroll", &format!("<p><a id=before href=\"#top\">Before the frame</a></p><div style=\"height:2000px\"></div>\n{map}"));
        b.client.goto(&url).await?;
        enter_frame(&b, 0).await?;
        eventually("the map drawn", || async { Ok(b.js("return document.querySelectorAll('.embed__svg .chart__hit').length;", vec![]).await?.as_u64() == Some(17)) }).await?;
        b.client.clone().enter_parent_frame().await?;
        b.js("window.scrollTo(0, 0); document.getElementById('before').focus();", vec![]).await?;
        // Tab from the link moves the focus into the frame: the page scrolls to show it.
        // (WebKit scrolls no page around a frame of another origin for the focus inside
        // it, whatever the frame's page is, nor for the frame's own scrollIntoView: there
        // only the focus is checked.)
        b.client.active_element().await?.send_keys("\u{e004}").await?;
        let scrolls = engine() != Engine::Webkit;
        eventually("the focus in the frame, the frame in view", || async {
            let seen = b.js("const f = document.querySelector('iframe').getBoundingClientRect(); return { inside: document.activeElement && document.activeElement.tagName === 'IFRAME', top: f.top, bottom: f.bottom, height: innerHeight };", vec![]).await?;
            let (top, bottom, height) = (seen["top"].as_f64().unwrap_or(9e9), seen["bottom"].as_f64().unwrap_or(-1.0), seen["height"].as_f64().unwrap_or(0.0));
            Ok(seen["inside"] == json!(true) && (!scrolls || (bottom > 0.0 && top < height)))
        })
        .await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn the_snippets_load_with_storage_blocked_in_every_frame() {
    let b = Browser::start("embed_no_storage").await;
    let r = async {
        // Without allow-same-origin each frame has an opaque origin, which has no storage
        // at all in every engine; the host then sends CORS headers (docs/EMBEDDING.md).
        let app = StaticServer::start(&dist(), SUB_PATH, vec![("Access-Control-Allow-Origin".into(), "*".into())]);
        let (map, board) = snippets(&b, &app_url(&app)).await?;
        let opaque = |snippet: &str| snippet.replace(" allow-same-origin", "");
        ensure(!opaque(&map).contains("allow-same-origin") && opaque(&map).contains("sandbox=\"allow-scripts"), opaque(&map))?;
        let (_wiki, url) = wiki_page("nostorage", &format!("{}\n{}", opaque(&map), opaque(&board)));
        b.client.goto(&url).await?;
        for frame in 0..2 {
            enter_frame(&b, frame).await?;
            b.wait_for(if frame == 0 { "embed-map" } else { "embed-scoreboard" }).await?;
            let blocked = b.js("try { window.localStorage.length; return false; } catch (e) { return true; }", vec![]).await?;
            ensure(blocked.as_bool() == Some(true), format!("storage is blocked inside frame {frame}"))?;
            b.client.clone().enter_parent_frame().await?;
        }
        both_frames_render(&b, 17).await?;
        let errors = b.console_errors().await?;
        ensure(errors.iter().all(|e| !e.contains("panicked")), format!("errors: {errors:?}"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// Waits for the start-up failure message and returns what it says and the href of its
/// "Open in a new tab" link when that shows.
async fn start_failure(b: &Browser, what: &str) -> R<(String, Option<String>)> {
    let read = || async {
        b.js(
            "const f = document.querySelector('.boot__failed'), a = document.getElementById('boot-open');
             if (!f || getComputedStyle(f).visibility !== 'visible' || getComputedStyle(document.querySelector('.boot__status')).display !== 'none') return null;
             return { text: document.body.innerText, link: a && a.offsetParent !== null ? a.href + ' ' + a.target : null };",
            vec![],
        )
        .await
    };
    // WebKit reports no failed start: its watch decides from 8 s after the frame loaded,
    // once the WebAssembly arrived 4 s before; this waits longer than `eventually` does.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(40);
    while read().await?.is_null() {
        ensure(std::time::Instant::now() < deadline, format!("{what}: the failure message shows within 40 s"))?;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let said = read().await?;
    let text = said["text"].as_str().unwrap_or("").to_owned();
    ensure(text.contains("could not start") && !text.contains("Loading…"), format!("{what}: {text}"))?;
    Ok((text, said["link"].as_str().map(str::to_owned)))
}

#[tokio::test]
async fn a_frame_that_cannot_start_says_why_and_links_to_the_view_only_where_that_helps() {
    let b = Browser::start("embed_broken").await;
    let r = async {
        let data = encode_at(&sample_org(d("2026-11-29")), Scope::Map, d("2026-11-29"));
        // One host lost the WebAssembly, one the start-up module; a third host's policy
        // lets only the start-up watch run (and the test's error capture), as a filter
        // that blocks module scripts would.
        let no_wasm = StaticServer::start(&broken_dist("wasm", |f| f.ends_with(".wasm") || f.ends_with(".wasm.gz")), SUB_PATH, Vec::new());
        let no_module = StaticServer::start(&broken_dist("module", |f| f.starts_with("start-") && f.ends_with(".js")), SUB_PATH, Vec::new());
        let policy = format!("script-src http://127.0.0.1:*{SUB_PATH}boot.js http://127.0.0.1:*{CAPTURE_PATH}");
        let blocked = StaticServer::start(&broken_dist("blocked", |_| false), SUB_PATH, vec![("Content-Security-Policy".into(), policy)]);
        // A fourth host's policy allows its scripts but not WebAssembly (no 'wasm-unsafe-eval').
        let no_webassembly = StaticServer::start(&broken_dist("nowasm-policy", |_| false), SUB_PATH, vec![("Content-Security-Policy".into(), "script-src 'self'".into())]);
        // A fifth host is fine, but the wiki's editor took allow-same-origin out of the
        // snippet's sandbox: the frame's own files become cross-origin requests.
        let plain = StaticServer::start(&broken_dist("plain", |_| false), SUB_PATH, Vec::new());
        let mut frames: Vec<String> = [&no_wasm, &no_module, &blocked, &no_webassembly]
            .iter()
            .map(|s| {
                format!("<iframe title=\"map\" width=\"600\" height=\"400\" sandbox=\"allow-scripts allow-same-origin allow-popups\" src=\"{}embed.html#/embed/map/{data}\"></iframe>", app_url(s))
            })
            .collect();
        frames.push(format!("<iframe title=\"map\" width=\"600\" height=\"400\" sandbox=\"allow-scripts allow-popups\" src=\"{}embed.html#/embed/map/{data}\"></iframe>", app_url(&plain)));
        // A sixth frame's editor emptied the sandbox: no script runs at all.
        frames.push(format!("<iframe title=\"map\" width=\"600\" height=\"400\" sandbox=\"\" src=\"{}embed.html#/embed/map/{data}\"></iframe>", app_url(&plain)));
        let (_wiki, url) = wiki_page("broken", &frames.join("\n"));
        b.client.goto(&url).await?;
        for (frame, lost) in [(0, "the wasm"), (1, "the module")] {
            enter_frame(&b, frame).await?;
            // A file missing on the server: a new tab would fail the same way.
            let (text, link) = start_failure(&b, lost).await?;
            ensure(text.contains("missing from the server") && !text.contains("blocked"), format!("{lost}: {text}"))?;
            ensure(link.is_none(), format!("{lost}: no link to the same failing view: {link:?}"))?;
            b.client.clone().enter_parent_frame().await?;
        }
        enter_frame(&b, 2).await?;
        let (text, link) = start_failure(&b, "blocked").await?;
        ensure(text.contains("blocked its script") && !text.contains("missing") && !text.contains("sandbox"), format!("blocked: {text}"))?;
        let link = link.unwrap_or_default();
        ensure(link.contains("#/embed/map/") && link.ends_with(" _blank"), format!("blocked: the link opens the view in a new tab: {link}"))?;
        b.client.clone().enter_parent_frame().await?;
        enter_frame(&b, 3).await?;
        let (text, link) = start_failure(&b, "WebAssembly refused").await?;
        ensure(text.contains("cannot run WebAssembly here") && !text.contains("missing"), format!("WebAssembly refused: {text}"))?;
        ensure(link.unwrap_or_default().contains("#/embed/map/"), "WebAssembly refused: the link opens the view in a new tab")?;
        b.client.clone().enter_parent_frame().await?;
        enter_frame(&b, 4).await?;
        let (text, link) = start_failure(&b, "sandbox without allow-same-origin").await?;
        ensure(text.contains("sandbox") && text.contains("allow-same-origin"), format!("sandboxed: the message names the cause: {text}"))?;
        ensure(link.unwrap_or_default().contains("#/embed/map/"), "sandboxed: the link opens the view in a new tab")?;
        b.client.clone().enter_parent_frame().await?;
        // Without scripts the page says what to put back at once, not "Loading…".
        enter_frame(&b, 5).await?;
        let said = b.client.find(fantoccini::Locator::Css(".noscript")).await?.text().await?;
        ensure(said.contains("sandbox") && said.contains("allow-scripts allow-same-origin"), format!("no scripts: {said}"))?;
        for hidden in [".boot__status", ".boot__failed"] {
            ensure(!b.client.find(fantoccini::Locator::Css(hidden)).await?.is_displayed().await?, format!("no scripts: {hidden} is hidden"))?;
        }
        b.client.clone().enter_parent_frame().await?;
        // Opened by itself, a view whose wasm is missing offers no link either.
        b.client.goto(&format!("{}embed.html#/embed/map/{data}", app_url(&no_wasm))).await?;
        let (text, link) = start_failure(&b, "the wasm, top level").await?;
        ensure(text.contains("missing from the server") && link.is_none(), format!("top level: {text} {link:?}"))?;
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
        // Tab past its last control closes it: the focus never lands on the page behind it.
        b.click("share-toggle").await?;
        b.wait_for("share-panel").await?;
        b.js(
            "const f = [...document.querySelectorAll('#share-panel a[href], #share-panel button, #share-panel input, #share-panel textarea')].filter(e => !e.disabled); f[f.length - 1].focus();",
            vec![],
        )
        .await?;
        b.client.active_element().await?.send_keys("\u{e004}").await?;
        eventually("closed by Tab past its end", || async { Ok(!b.exists("share-panel").await?) }).await?;
        // A click outside closes it too.
        b.click("share-toggle").await?;
        b.wait_for("share-panel").await?;
        let link = field(&b, "share-link").await?;
        b.js("document.querySelector('h1').dispatchEvent(new PointerEvent('pointerdown', {bubbles: true}));", vec![]).await?;
        eventually("closed by a click outside", || async { Ok(!b.exists("share-panel").await?) }).await?;
        // The unit's link opens on that unit's page.
        b.goto(&link).await?;
        b.refresh().await?;
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

/// Every chart on the page fits its container; its text, laid out with this engine's
/// fonts, is no smaller than 11 CSS px, inside the chart and clear of other text.
async fn charts_fit(b: &Browser, what: &str) -> R {
    // The charts are redrawn for a new width when the page sees it: allowed up to 10 s
    // (a large org's map takes a while in WebKit under load).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match chart_problems(b, what).await {
            Err(_) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            }
            done => return done,
        }
    }
}

async fn chart_problems(b: &Browser, what: &str) -> R {
    let v = b
        .js(
            "const out = [];
             for (const svg of document.querySelectorAll('.chart-figure__svg > svg, .embed__svg > svg')) {
               const box = svg.parentElement.getBoundingClientRect();
               const r = svg.getBoundingClientRect();
               const vb = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width ? svg.viewBox.baseVal.width : r.width;
               const scale = r.width / vb;
               if (r.width > box.width + 0.5) out.push('chart ' + r.width.toFixed(1) + ' wider than its box ' + box.width.toFixed(1));
               const labels = [];
               for (const t of svg.querySelectorAll('text')) {
                 if (!t.textContent.trim()) continue;
                 const name = JSON.stringify(t.textContent.trim().slice(0, 30));
                 const px = parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize) * scale;
                 if (px < 11) out.push(name + ' at ' + px.toFixed(1) + 'px');
                 // Laid out by this engine's fonts: inside the chart, clear of every other label.
                 // Its box (glyph cells, the same measure in every engine) on the page,
                 // through any rotation (axis titles).
                 const g = t.getBBox(), m = t.getScreenCTM();
                 if (!g.width || !g.height || !m) continue;
                 const ps = [[g.x, g.y], [g.x + g.width, g.y], [g.x, g.y + g.height], [g.x + g.width, g.y + g.height]].map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
                 const b = { left: Math.min(...ps.map(p => p.x)), top: Math.min(...ps.map(p => p.y)), right: Math.max(...ps.map(p => p.x)), bottom: Math.max(...ps.map(p => p.y)) };
                 b.width = b.right - b.left; b.height = b.bottom - b.top;
                 if (b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1 || b.bottom > r.bottom + 1) out.push(name + ' outside its chart: ' + [b.left, b.top, b.right, b.bottom].map(Math.round).join(',') + ' in ' + [r.left, r.top, r.right, r.bottom].map(Math.round).join(',') + ' (' + (svg.closest('[data-testid]') || svg).getAttribute('data-testid') + ')');
                 for (const o of labels) {
                   const w = Math.min(b.right, o.b.right) - Math.max(b.left, o.b.left), h = Math.min(b.bottom, o.b.bottom) - Math.max(b.top, o.b.top);
                   if (w > 1 && h > 0.3 * Math.min(b.height, o.b.height)) out.push(name + ' overlaps ' + o.name);
                 }
                 labels.push({ b, name });
               }
             }
             return { problems: out.slice(0, 8), charts: document.querySelectorAll('.chart-figure__svg > svg, .embed__svg > svg').length };",
            vec![],
        )
        .await?;
    ensure(v["charts"].as_u64().unwrap_or(0) > 0, format!("{what}: no chart"))?;
    ensure(v["problems"].as_array().is_some_and(|a| a.is_empty()), format!("{what}: {}", v["problems"]))
}

/// Numbers each page a framed screen opens.
static VISITS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How the test gives the app a screen width. Chromium emulates the device through the
/// DevTools protocol. Other engines show the app in a frame of that width on a page of
/// the app's own origin (so it shares the app's storage): media queries and the charts
/// see the frame's width, and the browser's window never has to be as narrow as a phone.
enum Screen {
    Emulated,
    Framed { _host: StaticServer, page: String },
}

impl Screen {
    async fn new(b: &Browser) -> R<Screen> {
        if b.engine == Engine::Chromium {
            return Ok(Screen::Emulated);
        }
        let dir = broken_dist("fit", |_| false);
        std::fs::write(dir.join("fit.html"), "<!doctype html><html lang=en><meta charset=utf-8><title>Screens</title><style>body{margin:0}iframe{border:0;display:block}</style><iframe id=fit title=Latitude width=1280 height=900></iframe></html>")?;
        let host = StaticServer::start(&dir, SUB_PATH, Vec::new());
        let page = host.url(SUB_PATH);
        b.client.goto(&format!("{page}fit.html")).await?;
        // Wide enough for the widest screen (a projector's 1920 px).
        b.client.set_window_size(1960, 1100).await?;
        Ok(Screen::Framed { _host: host, page })
    }

    /// Opens `route` as a new page (snapshot routes read their data once, at start) and
    /// waits for `testid`.
    async fn open(&self, b: &Browser, route: &str, testid: &str) -> R {
        match self {
            Screen::Emulated => {
                b.goto(&format!("{}{route}", b.base)).await?;
                b.refresh().await?;
            }
            Screen::Framed { page, .. } => {
                b.client.clone().enter_parent_frame().await?;
                // A query of its own makes every visit a new page; the host ignores it.
                let visit = format!("?visit={}-", VISITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
                b.js("document.getElementById('fit').src = arguments[0] + arguments[1] + arguments[2];", vec![json!(page), json!(visit), json!(route)]).await?;
                // The frame is entered once the new page has replaced the old one and shows
                // `testid`, both seen from this page: entered while the old page was being
                // left, a driver can keep looking in the page that went. A large org on a
                // busy machine gets a minute.
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
                loop {
                    let seen = b
                        .js(
                            "const d = document.getElementById('fit').contentDocument;
                             if (!d) return { shown: false, state: 'no document' };
                             return { shown: d.URL.includes(arguments[0]) && !!d.querySelector('[data-testid=\"' + arguments[1] + '\"]'),
                                      state: d.URL + ' ' + d.readyState + ': ' + (d.body ? d.body.innerText.slice(0, 300) : 'no body') };",
                            vec![json!(visit), json!(testid)],
                        )
                        .await?;
                    if seen["shown"].as_bool() == Some(true) {
                        break;
                    }
                    if std::time::Instant::now() > deadline {
                        return Err(format!("no {testid} in the frame within 60 s; the frame shows {}", seen["state"]).into());
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                b.client.clone().enter_frame(0).await?;
            }
        }
        b.wait_for(testid).await?;
        Ok(())
    }

    async fn width(&self, b: &Browser, width: u32) -> R {
        let height = if width < 800 { 800 } else { 900 };
        match self {
            Screen::Emulated => {
                b.cdp("Emulation.setDeviceMetricsOverride", json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 800})).await?;
            }
            Screen::Framed { .. } => {
                b.client.clone().enter_parent_frame().await?;
                b.js("const f = document.getElementById('fit'); f.width = arguments[0]; f.height = arguments[1];", vec![json!(width), json!(height)]).await?;
                b.client.clone().enter_frame(0).await?;
                let inner = b.js("return innerWidth;", vec![]).await?;
                ensure(inner.as_u64() == Some(u64::from(width)), format!("the frame is {inner} px wide, not {width}"))?;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        Ok(())
    }

    /// A screenshot of the page at the current width: the whole page, or what a screen
    /// shows. In a frame, the frame is first made as tall as its page for a whole one.
    async fn shot(&self, b: &Browser, file: &Path, whole: bool) -> R {
        match self {
            Screen::Emulated if whole => b.full_screenshot(file).await,
            Screen::Emulated => b.screenshot(file).await,
            Screen::Framed { .. } => {
                let tall = b.js("return Math.min(document.documentElement.scrollHeight, 4000);", vec![]).await?;
                b.client.clone().enter_parent_frame().await?;
                let before = b.js("const f = document.getElementById('fit'); const h = f.height; if (arguments[0]) f.height = arguments[1]; return h;", vec![json!(whole), tall]).await?;
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                let width = b.js("return document.getElementById('fit').width;", vec![]).await?;
                // The engine's name goes into the file name, as full_screenshot puts it.
                let taken = if whole { b.full_screenshot(file).await } else { b.screenshot(&file.with_extension(format!("{}.png", b.engine.name()))).await };
                b.js("document.getElementById('fit').height = arguments[0];", vec![before]).await?;
                b.client.clone().enter_frame(0).await?;
                taken.map_err(|e| format!("screenshot at {width} px: {e}").into())
            }
        }
    }

    async fn done(&self, b: &Browser) -> R {
        if let Screen::Emulated = self {
            b.cdp("Emulation.clearDeviceMetricsOverride", json!({})).await?;
        }
        Ok(())
    }
}

fn shots() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/fit")
}

async fn look(b: &Browser, screen: &Screen, dir: &Path, name: &str) -> R {
    for width in WIDTHS {
        screen.width(b, width).await?;
        screen.shot(b, &dir.join(format!("{name}-{width}.png")), true).await?;
        charts_fit(b, &format!("{name} at {width}px")).await?;
    }
    Ok(())
}

#[tokio::test]
async fn charts_and_embeds_fit_every_screen_from_a_phone_to_a_projector() {
    let b = Browser::start("fit").await;
    let r = async {
        let dir = shots();
        let screen = Screen::new(&b).await?;
        for (label, ws) in [("sample", sample_org(d("2026-11-29"))), ("large", generate(42, &GenSpec::large_org()))] {
            let as_of = ws.last_date().map(latitude::core::dates::week_end).unwrap();
            screen.open(&b, "", "page").await?;
            b.seed_workspace(&latitude::storage::store::encode_stored(&ws, 1, "test", "2026-01-01T00:00:00Z"), ws.name.as_str()).await?;
            screen.open(&b, "", "org-map").await?;
            // The week of the last record, or today when that week has not ended yet.
            let today = time::OffsetDateTime::now_utc().date();
            b.type_date("as-of", &latitude::core::format_date(as_of.min(today))).await?;
            look(&b, &screen, &dir, &format!("{label}-overview")).await?;
            let unit = ws.units.iter().find(|u| ws.children(u.id).count() > 0).unwrap().id;
            screen.open(&b, &format!("#/units/{}", unit.0), "trend-chart").await?;
            look(&b, &screen, &dir, &format!("{label}-unit")).await?;
            for (kind, scope) in [("map", Scope::Map), ("scoreboard", Scope::Board)] {
                screen.open(&b, &format!("#/embed/{kind}/{}", encode_at(&ws, scope, as_of)), &format!("embed-{kind}")).await?;
                for width in WIDTHS {
                    screen.width(&b, width).await?;
                    if kind == "map" {
                        charts_fit(&b, &format!("{label} map embed at {width}px")).await?;
                    }
                    screen.shot(&b, &dir.join(format!("{label}-embed-{kind}-{width}.png")), false).await?;
                }
            }
            screen.done(&b).await?;
        }
        // Firefox reports a frame resized under a chart's ResizeObserver as "ResizeObserver
        // loop completed with undelivered notifications": the spec's notice that the
        // observation goes on in the next frame, not a failure.
        let errors = b.console_errors().await?;
        let errors: Vec<_> = errors.into_iter().filter(|e| !e.starts_with("ResizeObserver loop")).collect();
        ensure(errors.is_empty(), format!("console errors: {errors:?}"))
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
            // Six frames start the app at once: on a loaded machine the first takes longer.
            b.wait_css_within("[data-testid=embed-map]", 40).await?;
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
        // Served from loopback, as here, frames would reach no wiki reader: it says so.
        ensure(b.text("share-local-only").await?.contains("on this computer only"), "the loopback address is named as local")?;
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

/// On a 320 px phone no unit page is wider than the screen: the grant history becomes one
/// block per grant, each value after its column's name, and fits its box; another table
/// wider than its box scrolls inside it with a shadow at the edge where more of it lies.
#[tokio::test]
async fn every_unit_page_fits_a_320_px_phone() {
    let b = Browser::start("unit-320").await;
    let r = async {
        let screen = Screen::new(&b).await?;
        let ws = sample_org(d("2026-11-29"));
        screen.open(&b, "", "page").await?;
        b.seed_workspace(&latitude::storage::store::encode_stored(&ws, 1, "test", "2026-01-01T00:00:00Z"), ws.name.as_str()).await?;
        screen.width(&b, 320).await?;
        let mut problems = Vec::new();
        let mut stacked = 0;
        for unit in ws.units.iter() {
            let link = format!("#/units/{}", unit.id.0);
            screen.open(&b, &link, "grants").await?;
            let m = b
                .js(
                    "const history = document.querySelector('[data-testid=grant-history]');
                     const cell = history && history.querySelector('td');
                     return {
                       page: document.scrollingElement.scrollWidth, screen: window.innerWidth,
                       history: history ? history.parentElement.scrollWidth - history.parentElement.clientWidth : 0,
                       wide: [...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1 && !w.classList.contains('table-wrap--cue')).map(w => w.getAttribute('aria-label')),
                       label: cell ? getComputedStyle(cell, '::before').content : null,
                       labelled: cell ? cell.dataset.label : null,
                     };",
                    vec![],
                )
                .await?;
            ensure(m["screen"].as_u64() == Some(320), format!("the screen is a 320 px phone's, not {}", m["screen"]))?;
            if m["page"].as_u64() > m["screen"].as_u64() {
                problems.push(format!("{}: the page is {} px wide on a {} px screen", unit.name, m["page"], m["screen"]));
            }
            if m["history"].as_i64().is_some_and(|over| over > 1) {
                problems.push(format!("{}: the grant history is {} px wider than its box", unit.name, m["history"]));
            }
            if m["wide"].as_array().is_some_and(|w| !w.is_empty()) {
                problems.push(format!("{}: wider than their box, with no shadow to say so: {}", unit.name, m["wide"]));
            }
            if let Some(label) = m["label"].as_str() {
                // Chromium and WebKit resolve `attr()` in the computed content; Firefox
                // reports it as written, so the attribute it reads is checked instead.
                let resolved = if label == "attr(data-label)" { m["labelled"].as_str().map(|l| format!("\"{l}\"")).unwrap_or_default() } else { label.to_owned() };
                ensure(resolved == "\"From\"", format!("{}: a grant's first line is labelled From, not {label}", unit.name))?;
                stacked += 1;
                if stacked == 1 {
                    screen.shot(&b, &shots().join("unit-320.png"), true).await?;
                }
            }
        }
        screen.done(&b).await?;
        ensure(problems.is_empty(), problems.join("\n"))?;
        ensure(stacked > 0, "some unit page has a grant history")?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

/// Whether the page fetched the plain WebAssembly, asked until it has (Firefox lists a
/// download a moment after the app it holds has started) or 10 s have passed.
async fn fetched_plain_wasm(b: &Browser) -> R<bool> {
    for _ in 0..50 {
        if wasm_fetched(b).await?.iter().any(|f| f == "_bg.wasm") {
            return Ok(true);
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    Ok(false)
}

/// The WebAssembly files the page fetched, by the end of their names (`_bg.wasm.gz`,
/// `_bg.wasm`), each once (WebKit fetches a preloaded file again).
async fn wasm_fetched(b: &Browser) -> R<Vec<String>> {
    let script = "return [...new Set(performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /_bg\\.wasm(\\.gz)?$/.test(n)).map((n) => n.endsWith('.gz') ? '_bg.wasm.gz' : '_bg.wasm'))].sort();";
    // geckodriver has answered null just after a navigation: asked again.
    for _ in 0..50 {
        let fetched: Vec<String> = serde_json::from_value(b.js(script, vec![]).await?).unwrap_or_default();
        if !fetched.is_empty() {
            return Ok(fetched);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err("the page lists no WebAssembly among its downloads".into())
}

#[tokio::test]
async fn the_app_starts_from_the_compressed_wasm_and_from_the_plain_one_where_the_browser_cannot_unpack_it() {
    let b = Browser::start("wasm_packed").await;
    let r = async {
        // The build's page fetches the compressed file only, on a host that sends files
        // as they are, as on one that compresses them.
        let plain_host = StaticServer::start_uncompressed(&dist(), SUB_PATH);
        for (host, url) in [("compressing", app_url(app_server())), ("plain", app_url(&plain_host))] {
            b.goto(&format!("{url}#/units")).await?;
            ensure(wasm_fetched(&b).await? == ["_bg.wasm.gz"], format!("{host} host: {:?}", wasm_fetched(&b).await?))?;
            let errors = b.console_errors().await?;
            ensure(errors.is_empty(), format!("{host} host: {errors:?}"))?;
        }
        // A browser without DecompressionStream (as Safari before 16.4) fetches the plain file.
        let dir = broken_dist("no-unpack", |_| false);
        std::fs::copy(dist().join("sw.js"), dir.join("sw.js"))?;
        std::fs::write(dir.join("no-unpack.js"), "delete window.DecompressionStream;\n")?;
        let index = std::fs::read_to_string(dir.join("index.html"))?;
        std::fs::write(dir.join("index.html"), index.replacen("<script type=\"module\"", "<script src=\"./no-unpack.js\"></script><script type=\"module\"", 1))?;
        let old_browser = StaticServer::start(&dir, SUB_PATH, Vec::new());
        b.goto(&format!("{}#/units", app_url(&old_browser))).await?;
        // (geckodriver has answered null just after a navigation: asked until it answers.)
        eventually("the page has no DecompressionStream", || async { Ok(b.js("return typeof DecompressionStream;", vec![]).await? == "undefined") }).await?;
        ensure(fetched_plain_wasm(&b).await?, format!("no DecompressionStream: {:?}", wasm_fetched(&b).await?))?;
        // The view's parts too.
        eventually("the view's parts", || async { Ok(!crate::parts::part_files(&b).await?.is_empty()) }).await?;
        let parts = crate::parts::part_files(&b).await?;
        ensure(parts.iter().all(|f| f.ends_with(".wasm")), format!("no DecompressionStream: the parts fetched {parts:?}"))?;
        let errors = b.console_errors().await?;
        ensure(errors.is_empty(), format!("no DecompressionStream: {errors:?}"))?;
        // A host that lost the compressed file (copied without it): the plain one.
        let dir = broken_dist("no-packed", |f| f.ends_with(".wasm.gz"));
        std::fs::copy(dist().join("sw.js"), dir.join("sw.js"))?;
        let lost = StaticServer::start(&dir, SUB_PATH, Vec::new());
        b.goto(&format!("{}#/units", app_url(&lost))).await?;
        ensure(fetched_plain_wasm(&b).await?, format!("no .wasm.gz on the host: {:?}", wasm_fetched(&b).await?))?;
        eventually("the view's plain parts", || async { Ok(crate::parts::part_files(&b).await?.iter().any(|f| f.ends_with(".wasm"))) }).await?;
        let errors = b.console_errors().await?;
        ensure(errors.iter().all(|e| e.contains(".wasm.gz")), format!("no .wasm.gz on the host: only its 404 is an error: {errors:?}"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn on_a_slow_connection_the_loading_screen_waits_for_the_app_without_a_false_alarm() {
    chromium_only!("throttles the network through the DevTools protocol");
    let b = Browser::start("boot_slow").await;
    let r = async {
        // About 200 kbit/s: the compressed main module (some 330 KB) takes some 13 s,
        // longer than the start-up watch waits before it asks the server (3 s) and
        // judges (from 8 s).
        b.cdp("Network.enable", json!({})).await?;
        b.cdp("Network.emulateNetworkConditions", json!({"offline": false, "latency": 150, "downloadThroughput": 25_000, "uploadThroughput": 25_000})).await?;
        b.client.goto(&format!("{}#/units", app_url(app_server()))).await?;
        let start = std::time::Instant::now();
        loop {
            let state = b
                .js(
                    "const boot = document.getElementById('boot');
                     return { failed: !!boot && boot.classList.contains('boot--failed'), text: boot ? boot.innerText : '', mounted: !!document.querySelector('[data-testid=\"page\"]') };",
                    vec![],
                )
                .await?;
            ensure(state["failed"] != true, format!("after {:.1} s the loading screen says the app failed: {}", start.elapsed().as_secs_f64(), state["text"]))?;
            if state["mounted"] == true {
                break;
            }
            ensure(start.elapsed() < std::time::Duration::from_secs(90), "the app did not start within 90 s")?;
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        ensure(start.elapsed() > std::time::Duration::from_secs(9), format!("the download was throttled long enough to meet the watch ({:.1} s)", start.elapsed().as_secs_f64()))?;
        b.cdp("Network.emulateNetworkConditions", json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}
