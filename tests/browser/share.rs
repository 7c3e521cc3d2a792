//! Share and embed: snapshot links never touch local data, broken links explain
//! themselves, embeds work in a sandboxed iframe on another origin, the app boots
//! under a strict CSP, and works offline after one visit.

use serde_json::json;

use crate::common::d;
use crate::harness::*;
use latitude::core::sample::sample_org;
use latitude::storage::snapshot::{encode, Scope};

fn sample_link_data() -> String {
    encode(&sample_org(d("2026-11-29")), Scope::Workspace)
}

#[tokio::test]
async fn a_snapshot_link_in_a_fresh_profile_is_read_only_and_leaves_storage_identical() {
    let b = Browser::start("snapshot_fresh").await;
    let r = async {
        b.open("").await?;
        let before = b.all_local_storage().await?;
        b.goto(&format!("{}#/snapshot/{}", b.base, sample_link_data())).await?;
        b.wait_for("banner-snapshot").await?;
        eventually("17 units scored", || async { Ok(b.find_all("scoreboard-row").await?.len() == 17) }).await?;
        // Edits are refused in a snapshot: the form's controls are disabled.
        b.js("location.hash = '#/units';", vec![]).await?;
        b.wait_for("unit-list").await?;
        ensure(!b.find("unit-name").await?.is_enabled().await? && !b.find("unit-add").await?.is_enabled().await?, "a snapshot is read-only")?;
        let after = b.all_local_storage().await?;
        ensure(before == after, format!("localStorage changed: {before} → {after}"))?;
        no_console_errors(&b).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_snapshot_opened_beside_local_data_leaves_it_unchanged_until_saved_as_new() {
    let b = Browser::start("snapshot_local").await;
    let r = async {
        b.open("#/units").await?;
        b.type_into("unit-name", "My own team").await?;
        b.click("unit-add").await?;
        eventually("saved", || async { Ok(stored_text(&b, "latitude/ws/default").await?.contains("My own team")) }).await?;
        let before = b.all_local_storage().await?;
        b.goto(&format!("{}#/snapshot/{}", b.base, sample_link_data())).await?;
        b.refresh().await?;
        b.wait_for("banner-snapshot").await?;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        ensure(b.all_local_storage().await? == before, "local data untouched by viewing")?;
        b.click("snapshot-save").await?;
        eventually("opened as a new workspace", || async { Ok(b.exists("scoreboard-row").await? && !b.exists("banner-snapshot").await?) }).await?;
        let index = b.local_storage("latitude/index").await?.unwrap_or_default();
        ensure(index.contains("Northwind") && index.contains("default"), format!("both workspaces listed: {index}"))?;
        ensure(stored_text(&b, "latitude/ws/default").await?.contains("My own team"), "the own workspace is kept")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_corrupted_or_future_snapshot_link_shows_a_clear_error() {
    let b = Browser::start("snapshot_bad").await;
    let r = async {
        let data = sample_link_data();
        for (fragment, expected) in [(data[..data.len() / 3].to_owned(), "damaged"), (data.replacen("2.", "9.", 1), "newer version"), ("garbage".to_owned(), "not a Latitude snapshot")] {
            b.goto(&format!("{}#/snapshot/{fragment}", b.base)).await?;
            b.refresh().await?;
            let text = b.text("snapshot-error").await?;
            ensure(text.contains(expected) || text.contains("cut short"), format!("{expected}: {text:?}"))?;
        }
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn the_share_panel_offers_a_link_that_opens_the_same_data() {
    let b = Browser::start("share_panel").await;
    let r = async {
        open_sample(&b).await?;
        b.click("share-toggle").await?;
        let link = b.js("return document.querySelector('[data-testid=share-link]').value;", vec![]).await?;
        let link = link.as_str().unwrap_or("").to_owned();
        ensure(link.contains("#/snapshot/2.w."), format!("link {link}"))?;
        let size = b.text("share-size").await?;
        ensure(size.contains("characters"), size.clone())?;
        ensure(b.exists("share-warning").await?, "a sample-sized link is longer than chat tools take, and says so")?;
        let snippet = b.js("return document.querySelector('[data-testid=share-embed-map]').value;", vec![]).await?;
        let snippet = snippet.as_str().unwrap_or("");
        ensure(snippet.starts_with("<iframe") && snippet.contains("sandbox=\"allow-scripts") && snippet.contains("referrerpolicy=\"no-referrer\""), snippet.to_owned())?;
        b.goto(&link).await?;
        b.refresh().await?;
        b.wait_for("banner-snapshot").await?;
        eventually("same units", || async { Ok(b.find_all("scoreboard-row").await?.len() == 17) }).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn the_embed_route_renders_in_a_sandboxed_iframe_on_another_origin() {
    let b = Browser::start("embed").await;
    let r = async {
        let data = sample_link_data();
        let dir = std::env::temp_dir().join(format!("latitude-host-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let app = b.base.clone();
        std::fs::write(
            dir.join("index.html"),
            format!(
                "<!doctype html><html lang=en><title>Wiki page</title><h1>Team page</h1>\
                 <iframe id=map title=map width=800 height=700 sandbox=\"allow-scripts\" referrerpolicy=\"no-referrer\" src=\"{app}#/embed/map/{data}\"></iframe>\
                 <iframe id=board title=board width=800 height=500 sandbox=\"allow-scripts\" src=\"{app}#/embed/scoreboard/{data}\"></iframe>"
            ),
        )?;
        let host = StaticServer::start(&dir, "/wiki/", Vec::new());
        b.client.goto(&host.url("/wiki/")).await?;
        for (frame, testid) in [(0u16, "embed-map"), (1, "embed-scoreboard")] {
            b.client.clone().enter_frame(frame).await?;
            b.wait_for(testid).await?;
            ensure(!b.exists("brand").await?, "no app chrome in an embed")?;
            if testid == "embed-map" {
                b.wait_css(".chart__hit").await?;
                let points = b.js("return document.querySelectorAll('.chart__hit').length;", vec![]).await?;
                ensure(points.as_u64() == Some(17), format!("{points} points"))?;
            }
            b.client.clone().enter_parent_frame().await?;
        }
        let errors = b.console_errors().await?;
        ensure(errors.iter().all(|e| !e.contains("panicked")), format!("errors: {errors:?}"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

#[tokio::test]
async fn the_app_boots_under_a_strict_csp_without_a_single_violation() {
    let b = Browser::start("csp").await;
    let r = async {
        let server = StaticServer::start(&dist(), SUB_PATH, vec![("Content-Security-Policy".into(), CSP.into())]);
        let base = server.url(SUB_PATH);
        b.goto(&base).await?;
        load_sample_here(&b).await?;
        for route in ["#/", "#/units/3", "#/check-ins", "#/decisions", "#/workshop", "#/settings"] {
            b.goto(&format!("{base}{route}")).await?;
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            let v = b.csp_violations().await?;
            ensure(v.is_empty(), format!("{route}: CSP violations {v:?}"))?;
        }
        // The embed page, which a wiki's frame loads, under the same policy.
        let ws = sample_org(d("2026-11-29"));
        for (kind, scope) in [("map", Scope::Map), ("scoreboard", Scope::Board)] {
            b.goto(&format!("{base}embed.html?{kind}#/embed/{kind}/{}", latitude::storage::snapshot::encode_at(&ws, scope, d("2026-11-29")))).await?;
            b.wait_for(&format!("embed-{kind}")).await?;
            if kind == "map" {
                b.wait_css(".embed__svg .chart__hit").await?;
            }
            let v = b.csp_violations().await?;
            ensure(v.is_empty(), format!("the embed page's {kind}: CSP violations {v:?}"))?;
        }
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn after_one_visit_the_app_loads_with_the_server_gone() {
    let b = Browser::start("offline").await;
    let r = async {
        let server = StaticServer::start(&dist(), SUB_PATH, Vec::new());
        let base = server.url(SUB_PATH);
        b.goto(&format!("{base}#/units")).await?;
        // The worker is installed and active (navigator.serviceWorker.ready), then the page
        // is controlled: sw.js claims its clients as it activates; a page that is still
        // not controlled is reloaded by itself (the driver's refresh is a forced reload in
        // Firefox, which bypasses service workers), a few times within 30 s.
        let state = b
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 if (!navigator.serviceWorker) return done('no service worker');
                 navigator.serviceWorker.ready.then((r) => done(r.active ? 'active' : 'not active'), (e) => done(String(e)));",
                vec![],
            )
            .await?;
        ensure(state == json!("active"), format!("the service worker: {state}"))?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut reloads = 0;
        loop {
            let controlled = b
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     if (navigator.serviceWorker.controller) return done(true);
                     navigator.serviceWorker.addEventListener('controllerchange', () => done(true));
                     setTimeout(() => done(!!navigator.serviceWorker.controller), 3000);",
                    vec![],
                )
                .await?;
            if controlled == json!(true) {
                println!("{}: the service worker controls the page after {reloads} reloads", b.engine.name());
                break;
            }
            ensure(std::time::Instant::now() < deadline, "the service worker controls the page within 30 s")?;
            reloads += 1;
            b.js("window.__before_reload = true; setTimeout(() => location.reload(), 0);", vec![]).await?;
            eventually("the page reloads", || async {
                Ok(b.js("return !window.__before_reload && !!document.querySelector('[data-testid=unit-name]');", vec![]).await.ok().and_then(|v| v.as_bool()) == Some(true))
            })
            .await?;
        }
        b.type_into("unit-name", "Offline team").await?;
        b.click("unit-add").await?;
        eventually("saved", || async { Ok(b.text("unit-list").await?.contains("Offline team")) }).await?;
        // With local workspaces only, nothing of the team build (team/) was downloaded.
        let cached = || async {
            let urls = b
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     if (typeof caches === 'undefined') return done('no caches');
                     (async () => {
                       const urls = [];
                       for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) urls.push(r.url);
                       return JSON.stringify(urls);
                     })().then(done, (e) => done('failed: ' + e));",
                    vec![],
                )
                .await?;
            // geckodriver answered null once, just after the team build's page opened: nothing yet.
            if urls.is_null() {
                return R::<Vec<String>>::Ok(Vec::new());
            }
            R::<Vec<String>>::Ok(serde_json::from_str(urls.as_str().unwrap_or_default()).map_err(|_| format!("the caches: {urls}"))?)
        };
        let urls = cached().await?;
        // The compressed WebAssembly, which the page loads; not the plain one, which only
        // a browser that cannot unpack it asks for.
        ensure(
            urls.iter().any(|u| u.ends_with(".wasm.gz")) && !urls.iter().any(|u| u.ends_with(".wasm")) && !urls.iter().any(|u| u.contains("/team/")),
            format!("cached with local workspaces only: {urls:?}"),
        )?;
        // The team build, opened once, is cached as it loads (it reads the same storage).
        // (geckodriver has answered the navigation before the local page was left: the
        // page asked is checked to be the team build's, and a question the page leaving
        // cuts short is asked again.)
        b.goto(&format!("{base}team/#/units")).await?;
        eventually("the team build shows the workspace", || async {
            let team = b.js("return location.pathname;", vec![]).await.ok().and_then(|p| p.as_str().map(|p| p.ends_with("/team/")));
            Ok(team == Some(true) && b.text("unit-list").await?.contains("Offline team"))
        })
        .await?;
        eventually("the team build is cached", || async { Ok(cached().await.unwrap_or_default().iter().filter(|u| u.contains("/team/")).any(|u| u.ends_with(".wasm.gz"))) }).await?;
        b.goto(&format!("{base}#/units")).await?;
        server.stop();
        drop(server);
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        // The page reloads itself, as the reload button does: geckodriver's refresh is a
        // forced reload, which bypasses service workers.
        b.js("window.__before_reload = true; setTimeout(() => location.reload(), 0);", vec![]).await?;
        eventually("a new page", || async {
            Ok(b.js("return !window.__before_reload && !!document.querySelector('[data-testid=unit-list]');", vec![]).await.ok().and_then(|v| v.as_bool()) == Some(true))
        })
        .await?;
        ensure(b.text("unit-list").await?.contains("Offline team"), "the app and its data load offline")?;
        // Every view's part of the app came with the first visit.
        for (route, title) in [("#/", "Overview"), ("#/check-ins", "Check-ins"), ("#/to-do", "To do"), ("#/decisions", "Decisions"), ("#/workshop", "Workshop"), ("#/settings", "Settings")] {
            b.open(route).await?;
            let h1 = b.js("const h = document.querySelector('main h1'); return h ? h.textContent : '';", vec![]).await?;
            ensure(h1.as_str() == Some(title), format!("{route} offline shows {h1}"))?;
        }
        b.js("window.__before_reload = true; location.href = arguments[0];", vec![json!(format!("{base}team/#/units"))]).await?;
        eventually("the team build's page", || async {
            Ok(b.js("return !window.__before_reload && !!document.querySelector('[data-testid=unit-list]');", vec![]).await.ok().and_then(|v| v.as_bool()) == Some(true))
        })
        .await?;
        ensure(b.text("unit-list").await?.contains("Offline team"), "the team build loads offline too")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_map_only_link_shows_the_map_and_nothing_else() {
    let b = Browser::start("map_only").await;
    let r = async {
        let ws = sample_org(d("2026-11-29"));
        let data = latitude::storage::snapshot::encode_map(&ws, d("2026-11-29"));
        b.open("").await?;
        let before = b.all_local_storage().await?;
        b.goto(&format!("{}#/snapshot/{data}", b.base)).await?;
        b.wait_for("map-only").await?;
        b.wait_css("[data-testid=org-map] .chart__hit").await?;
        let points = b.js("return document.querySelectorAll('[data-testid=org-map] .chart__hit').length;", vec![]).await?;
        ensure(points.as_u64() == Some(17), format!("{points} points"))?;
        ensure(!b.exists("scoreboard").await?, "no scoreboard in a map-only link")?;
        // Its scores are for one date, and there are no records to keep: no date
        // controls that would change nothing, no "Save as new workspace".
        ensure(b.text("as-of-fixed").await?.contains("2026-11-29") && !b.exists("as-of-back").await?, "the link's date, fixed")?;
        ensure(b.text("banner-snapshot").await?.contains("cannot be kept as a workspace") && !b.exists("snapshot-save").await?, "nothing to save")?;
        // The other pages say there is nothing of theirs in the link, and lead back to it.
        b.click("nav-units").await?;
        let page = b.wait_for("map-only-page").await?.text().await?;
        ensure(page.contains("only unit names and scores") && !page.contains("No units yet"), format!("the units page of a map link: {page}"))?;
        b.click_el(&b.wait_css("[data-testid=map-only-page] a").await?).await?;
        b.wait_css("[data-testid=org-map] .chart__hit").await?;
        ensure(b.all_local_storage().await? == before, "local storage untouched")?;
        // The same data embeds as a map.
        b.goto(&format!("{}#/embed/map/{data}", b.base)).await?;
        b.wait_for("embed-map").await?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_unit_link_naming_someone_outside_shows_the_units_flags_and_keeps_as_a_workspace() {
    let b = Browser::start("snapshot_unit_keep").await;
    let r = async {
        let ws = sample_org(d("2026-11-29"));
        let mobile = ws.units.iter().find(|u| u.name.as_str() == "Mobile team").unwrap().id;
        let whole = latitude::core::score(&ws, &ws.policy, d("2026-11-29"));
        let flags: Vec<&str> = whole.unit(mobile).unwrap().flags.iter().map(|f| f.kind.label()).collect();
        ensure(!flags.is_empty(), "the mobile team has flags to show")?;
        b.open("").await?;
        b.goto(&format!("{}#/snapshot/{}", b.base, encode(&ws, Scope::Unit(mobile)))).await?;
        // Reload only once the page has loaded: a reload while WebKit still preloads the
        // wasm reports the cancelled preload as a failed load.
        b.wait_for("banner-snapshot").await?;
        b.refresh().await?;
        b.wait_for("banner-snapshot").await?;
        b.wait_for("unit-page").await?;
        // The flags the unit has in the whole workspace, and no other.
        b.js("location.hash = '#/';", vec![]).await?;
        eventually("the unit's row", || async { Ok(b.find_all("scoreboard-row").await?.len() == 1) }).await?;
        let row = b.text("scoreboard-row").await?;
        for label in ["Overextended", "Starved", "Stale", "Vague", "Feelings only"] {
            ensure(row.contains(label) == flags.contains(&label), format!("{label}: the link's row {row:?}, the workspace's flags {flags:?}"))?;
        }
        b.click("snapshot-save").await?;
        eventually("opened as a new workspace", || async { Ok(b.exists("scoreboard-row").await? && !b.exists("banner-snapshot").await?) }).await?;
        b.refresh().await?;
        b.wait_for("scoreboard-row").await?;
        ensure(!b.exists("recovery").await?, "the kept workspace reads back")?;
        ensure(b.text("scoreboard-row").await?.contains("Mobile team"), "the unit is kept")?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}
