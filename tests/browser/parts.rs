//! The app's code arrives in parts by view (src/ui/parts.rs, scripts/split_dist.py):
//! every route opens by deep link, an embed fetches only its own part (the embed page
//! none of the app's), the others are
//! fetched while the browser is idle, and a part that cannot be fetched says so and
//! loads on retry.

use serde_json::json;

use crate::harness::*;

/// The routes, the heading each view shows, and its pack.
const ROUTES: [(&str, &str, &str); 8] = [
    ("#/", "Overview", "overview"),
    ("#/units", "Units", "units"),
    ("#/units/2", "", "unit"),
    ("#/check-ins", "Check-ins", "checkins"),
    ("#/to-do", "To do", "todo"),
    ("#/decisions", "Decisions", "decisions"),
    ("#/workshop", "Workshop", "workshop"),
    ("#/settings", "Settings", "settings"),
];

/// The packs the page fetched for its first view: before the idle prefetch of the other
/// views began (the measure `latitude:prefetch`), by view.
async fn first_view_parts(b: &Browser) -> R<Vec<String>> {
    let names = b
        .js(
            "const from = performance.getEntriesByName('latitude:prefetch', 'measure');
             const before = from.length ? from[0].startTime : Infinity;
             return performance.getEntriesByType('resource').filter((e) => e.startTime < before).map((e) => e.name.split('/').pop()).filter((n) => n.startsWith('part-')).map((n) => n.split('-')[1]);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(names)?)
}

/// The packs of parts the page has fetched so far (`part-<view or shared>-<hash>.wasm`),
/// by view.
async fn fetched_parts(b: &Browser) -> R<Vec<String>> {
    let names = b.js("return performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()).filter((n) => n.startsWith('part-')).map((n) => n.split('-')[1]);", vec![]).await?;
    let mut names: Vec<String> = serde_json::from_value(names)?;
    names.sort();
    names.dedup();
    Ok(names)
}

/// The files of parts the page has fetched so far (`part-<view>-<hash>.wasm[.gz]`).
pub async fn part_files(b: &Browser) -> R<Vec<String>> {
    let files = b.js("return performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()).filter((n) => n.startsWith('part-'));", vec![]).await?;
    Ok(serde_json::from_value(files)?)
}

async fn heading(b: &Browser) -> R<String> {
    Ok(b.js("const h = document.querySelector('main h1'); return h ? h.textContent : '';", vec![]).await?.as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn every_route_opens_by_deep_link_and_the_other_parts_arrive_while_idle() {
    let b = Browser::start("parts_deep_links").await;
    let r = async {
        load_sample(&b).await?;
        for (n, (route, title, pack)) in ROUTES.into_iter().enumerate() {
            // A new document each time (another query), so the route's part is what the
            // page fetches first.
            b.goto(&format!("{}?visit={n}{route}", b.base)).await?;
            eventually(&format!("{route} shows “{title}”"), || async {
                let h = heading(&b).await?;
                Ok(!h.is_empty() && h.contains(title) && !h.contains("could not be loaded"))
            })
            .await?;
            ensure(!b.exists("part-failed").await?, format!("{route}: its part loaded"))?;
            // Its own pack and packs of shared code, never another view's.
            let first = first_view_parts(&b).await?;
            ensure(
                first.iter().all(|p| [pack, "embed", "common", "shared"].contains(&p.as_str())) && first.iter().any(|p| p == pack),
                format!("{route} fetched the packs {first:?} for its first view"),
            )?;
        }
        // After the first view, every other part is fetched while the browser is idle.
        eventually("every part fetched while idle", || async { Ok(fetched_parts(&b).await?.len() == packs_in_build()?) }).await?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn switching_views_faster_than_their_parts_load_ends_on_the_last_one() {
    let b = Browser::start("parts_fast_switch").await;
    let r = async {
        load_sample(&b).await?;
        // A new document whose parts are not loaded yet; five links followed at once,
        // then the same page again under another as-of date.
        b.goto(&format!("{}?fast#/", b.base)).await?;
        b.js("for (const h of ['#/units', '#/workshop', '#/settings', '#/decisions', '#/check-ins']) location.hash = h;", vec![]).await?;
        eventually("the last view shows", || async { Ok(heading(&b).await? == "Check-ins") }).await?;
        b.open("#/check-ins?asof=2026-10-01").await?;
        eventually("the earlier date", || async { Ok(b.exists("banner-as-of").await? && b.text("banner-as-of").await?.contains("2026-10-01")) }).await?;
        b.click("as-of-today").await?;
        eventually("back to today", || async { Ok(!b.exists("banner-as-of").await?) }).await?;
        ensure(!b.exists("panic").await?, "no internal error")?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn an_embed_fetches_only_its_own_part() {
    let b = Browser::start("parts_embed").await;
    let r = async {
        let ws = latitude::core::sample::sample_org(crate::common::d("2026-11-29"));
        let data = latitude::storage::snapshot::encode_map(&ws, crate::common::d("2026-11-29"));
        // Frames of earlier releases point to the app's page itself.
        b.goto(&format!("{}#/embed/map/{data}", b.base)).await?;
        b.wait_for("embed-map").await?;
        tokio::time::sleep(std::time::Duration::from_secs(4)).await;
        let parts = fetched_parts(&b).await?;
        ensure(parts == ["embed"], format!("an embed of the map fetched the parts {parts:?}"))?;
        // Nor does it store the app for offline use: a wiki's readers keep nothing of it.
        let workers = service_workers(&b).await?;
        ensure(workers == 0, format!("an embed registered service workers: {workers}"))?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

/// Every file the page has fetched so far, by name.
async fn fetched_files(b: &Browser) -> R<Vec<String>> {
    let names = b.js("return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.split('/').pop());", vec![]).await?;
    Ok(serde_json::from_value(names)?)
}

#[tokio::test]
async fn the_embed_page_downloads_neither_the_app_nor_its_parts_and_hands_other_links_to_the_app() {
    let b = Browser::start("parts_embed_page").await;
    let r = async {
        let as_of = crate::common::d("2026-11-29");
        let ws = latitude::core::sample::sample_org(as_of);
        let map = latitude::storage::snapshot::encode_map(&ws, as_of);
        b.goto(&format!("{}embed.html#/embed/map/{map}", b.base)).await?;
        b.wait_for("embed-map").await?;
        eventually("every point on the map", || async {
            let n = b.js("return document.querySelectorAll('.embed__svg .chart__hit').length;", vec![]).await?;
            Ok(n.as_u64() == Some(ws.units.len() as u64))
        })
        .await?;
        ensure(b.text("embed-as-of").await? == "Sample: Northwind Analytics · as of 2026-11-29", format!("caption: {}", b.text("embed-as-of").await?))?;
        let open = b.find("embed-open").await?.attr("href").await?.unwrap_or_default();
        ensure(open == format!("{}#/snapshot/{map}", b.base), format!("“Open in Latitude” opens the app's page: {open}"))?;
        ensure(b.js("return document.title;", vec![]).await? == "Embedded view · Latitude", "the title")?;
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let files = fetched_files(&b).await?;
        ensure(
            files.iter().any(|f| f.starts_with("embed-") && f.ends_with("_bg.wasm.gz")) && !files.iter().any(|f| f.starts_with("latitude-") || f.starts_with("part") || f == "sw.js"),
            format!("the embed page fetched {files:?}"),
        )?;
        ensure(service_workers(&b).await? == 0, "no service worker from an embed")?;
        // The scoreboard, with one row per unit.
        let board = latitude::storage::snapshot::encode_at(&ws, latitude::storage::snapshot::Scope::Board, as_of);
        b.goto(&format!("{}embed.html?board#/embed/scoreboard/{board}", b.base)).await?;
        eventually("every row", || async { Ok(b.find_all("embed-row").await?.len() == ws.units.len()) }).await?;
        // A link cut short says why, as the app does.
        b.goto(&format!("{}embed.html?damaged#/embed/map/2.m.2026-11-29.AAAA", b.base)).await?;
        b.wait_for("snapshot-error").await?;
        let said = b.text("snapshot-error").await?;
        ensure(said == "This embedded view cannot be shown: the link is not a Latitude snapshot, or it was cut short when it was copied.", format!("damaged link: {said}"))?;
        // A snippet cut before its fragment names no chart: said, not the app in the frame.
        b.goto(&format!("{}embed.html?cut", b.base)).await?;
        b.wait_for("snapshot-error").await?;
        let said = b.text("snapshot-error").await?;
        ensure(said.starts_with("This frame's address names no chart") && !b.exists("brand").await?, format!("no fragment: {said}"))?;
        // Nor does one cut inside `#/embed/…`, before its data.
        for cut in ["#/embed/", "#/embed/ma", "#/embed/map/"] {
            b.goto(&format!("{}embed.html?{}{cut}", b.base, cut.len())).await?;
            b.wait_for("snapshot-error").await?;
            let said = b.text("snapshot-error").await?;
            ensure(said.starts_with("This frame's address names no chart, or was cut short") && !b.exists("brand").await?, format!("{cut}: {said}"))?;
        }
        // A link that carries records (a frame made by an earlier build, of the whole
        // workspace) is scored by the app itself, at the same fragment.
        let whole = latitude::storage::snapshot::encode_at(&ws, latitude::storage::snapshot::Scope::Workspace, as_of);
        b.goto(&format!("{}embed.html#/embed/map/{whole}", b.base)).await?;
        eventually("the app shows the workspace's map", || async {
            let n = b.js("return document.querySelectorAll('.embed__svg .chart__hit').length;", vec![]).await?;
            Ok(n.as_u64() == Some(ws.units.len() as u64) && b.client.current_url().await?.as_str().ends_with(&format!("/#/embed/map/{whole}")))
        })
        .await?;
        // The app's embed route fetches its own part and no other.
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let parts = fetched_parts(&b).await?;
        ensure(parts == ["embed"], format!("the app's embed route fetched the parts {parts:?}"))?;
        ensure(!b.exists("panic").await?, "no internal error")?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_first_visit_to_a_page_that_is_no_view_still_stores_the_app_for_offline_use() {
    let b = Browser::start("parts_not_found").await;
    let r = async {
        // A mistyped link as the first visit: the page says so, and the app still
        // registers its service worker and fetches every part while idle.
        b.goto(&format!("{}#/no-such-page", b.base)).await?;
        b.wait_for("not-found").await?;
        eventually("the service worker registered", || async { Ok(service_workers(&b).await? == 1) }).await?;
        eventually("every part fetched while idle", || async { Ok(fetched_parts(&b).await?.len() == packs_in_build()?) }).await?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

/// How many service workers the page's origin has registered.
async fn service_workers(b: &Browser) -> R<i64> {
    let workers = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             if (!navigator.serviceWorker) return done(0);
             navigator.serviceWorker.getRegistrations().then((r) => done(r.length), () => done(-1));",
            vec![],
        )
        .await?;
    workers.as_i64().ok_or_else(|| format!("service workers: {workers}").into())
}

#[tokio::test]
async fn a_part_that_cannot_be_fetched_says_so_and_loads_on_retry() {
    let b = Browser::start("parts_retry").await;
    let r = async {
        // A copy of the build without the workshop's part (plain and compressed), as when
        // a host has the new page but not yet all of its files, or the network drops.
        // No service worker: it would fetch (and fail on) the whole build.
        let dir = broken_dist("parts-retry", |f| f.starts_with("part-workshop-"));
        let server = StaticServer::start(&dir, SUB_PATH, Vec::new());
        let base = server.url(SUB_PATH);
        b.goto(&format!("{base}#/")).await?;
        eventually("the overview", || async { Ok(heading(&b).await? == "Overview") }).await?;
        b.open_url_fragment("#/workshop").await?;
        let failed = b.wait_for("part-failed").await?.text().await?;
        ensure(failed.contains("could not be loaded") && failed.contains("Your data is safe"), format!("the message: {failed}"))?;
        ensure(heading(&b).await? == "This view could not be loaded", "the failure is the page's heading")?;
        // The files arrive; the retry fetches them again and shows the view.
        for entry in std::fs::read_dir(dist())?.flatten() {
            if entry.file_name().to_string_lossy().starts_with("part-workshop-") {
                std::fs::copy(entry.path(), dir.join(entry.file_name()))?;
            }
        }
        b.click("part-retry").await?;
        eventually("the workshop after the retry", || async { Ok(heading(&b).await?.contains("Workshop")) }).await?;
        ensure(!b.exists("part-failed").await?, "the message is gone")?;
        // The button that had the focus is gone: the focus is on the view's heading.
        eventually("the focus on the workshop's heading", || async { Ok(b.js("const a = document.activeElement; return !!a && a.matches('main h1');", vec![]).await? == json!(true)) }).await?;
        // Other views were never affected.
        b.open_url_fragment("#/units").await?;
        eventually("the units", || async { Ok(heading(&b).await?.contains("Units")) }).await?;
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// Adds bytes to the end of the workshop's pack: its modules, read by offset and length,
/// are intact, so only the integrity check can tell. `plain` also changes the plain pack;
/// the compressed one is always the plain pack plus the bytes, compressed.
fn tamper(dir: &std::path::Path, plain: bool) -> R {
    use std::io::Write;
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("part-workshop-") && name.ends_with(".wasm") {
            let mut bytes = std::fs::read(entry.path())?;
            bytes.extend_from_slice(b"not the build's");
            let mut packed = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            packed.write_all(&bytes)?;
            std::fs::write(dir.join(format!("{name}.gz")), packed.finish()?)?;
            if plain {
                std::fs::write(entry.path(), bytes)?;
            }
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_part_whose_bytes_are_not_the_builds_is_refused() {
    let b = Browser::start("parts_integrity").await;
    let r = async {
        // The compressed pack is not the build's (a proxy, a broken cache): refused by its
        // integrity hash, and the plain pack, which is intact, is used instead.
        let dir = broken_dist("parts-integrity-gz", |_| false);
        tamper(&dir, false)?;
        let server = StaticServer::start(&dir, SUB_PATH, Vec::new());
        b.goto(&format!("{}#/workshop", server.url(SUB_PATH))).await?;
        eventually("the workshop from its plain pack", || async { Ok(heading(&b).await?.contains("Workshop")) }).await?;
        drop(server);
        let _ = std::fs::remove_dir_all(&dir);
        // Both changed, though every module in them is whole: the view is not run from
        // them; it says it could not be loaded.
        let dir = broken_dist("parts-integrity-both", |_| false);
        tamper(&dir, true)?;
        let server = StaticServer::start(&dir, SUB_PATH, Vec::new());
        b.goto(&format!("{}?tampered#/workshop", server.url(SUB_PATH))).await?;
        let failed = b.wait_for("part-failed").await?.text().await?;
        ensure(failed.contains("could not be loaded"), format!("the message: {failed}"))?;
        ensure(!b.exists("panic").await?, "no internal error")?;
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn parts_arrive_compressed_from_a_host_that_does_not_compress() {
    let b = Browser::start("parts_packed").await;
    let r = async {
        let server = StaticServer::start_uncompressed(&dist(), SUB_PATH);
        b.goto(&format!("{}#/", server.url(SUB_PATH))).await?;
        eventually("the overview", || async { Ok(heading(&b).await? == "Overview") }).await?;
        eventually("every part fetched while idle", || async { Ok(fetched_parts(&b).await?.len() == packs_in_build()?) }).await?;
        let files = part_files(&b).await?;
        ensure(files.iter().all(|f| f.ends_with(".wasm.gz")), format!("the parts fetched: {files:?}"))?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

impl Browser {
    /// Follows a link within the page that is open (the fragment changes), then waits for
    /// the view's part.
    async fn open_url_fragment(&self, fragment: &str) -> R {
        self.js("location.hash = arguments[0];", vec![json!(fragment)]).await?;
        self.view_loaded().await
    }
}
