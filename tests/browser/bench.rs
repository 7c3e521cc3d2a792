//! The browser benchmark: the large org from the core's generator, stored in a fresh
//! profile and opened by the release build, with the app's own `performance.measure`
//! entries (read, decode, validate, score, boot, first frame), `JSON.parse` of the same
//! workspace in the same page as the reference, interactions at that scale, memory,
//! transfer size and Lighthouse.
//!
//! `./scripts/bench-browser` runs it five times and prints medians with min–max; the test
//! suite runs it once and checks that every figure is produced. Nothing here asserts a
//! timing: machines are noisy, and the goals are recorded in BENCHMARKS.md.
//!
//! A second benchmark times the workshop: a session with 12 units in scope, 6 areas and
//! 8 participants, prepared with the core's workshop commands and stored the same way,
//! in a 12-unit organisation and inside the large org; each vote cast and each reveal is
//! timed to the end of style and layout of the updated screen.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::{json, Value};

use crate::harness::*;
use latitude::core::generate::{generate, GenSpec};
use latitude::core::workshop::{RoundId, Step, WorkshopId};
use latitude::core::{apply, AreaId, AreaRef, Command as Edit, Level, Name, Rung, UnitId, Workspace};
use latitude::storage::file::export_workspace;
use latitude::storage::store::encode_stored;

/// Every figure, in print order: key, what it is, unit, goal (for the table).
const FIGURES: &[(&str, &str, &str, &str)] = &[
    ("transfer_kb", "transfer: first view of the overview, wasm + js + css, gzip", "KB", "≤ 250"),
    ("transfer_embed_kb", "transfer: the map embed", "KB", "≤ 200"),
    ("transfer_all_kb", "transfer: the whole build (after the idle prefetch)", "KB", ""),
    ("read_ms", "cold start: localStorage read", "ms", ""),
    ("decode_ms", "cold start: decode (compact → workspace)", "ms", ""),
    ("unpack_ms", "  of which: characters to bytes", "ms", ""),
    ("inflate_ms", "  of which: inflate", "ms", ""),
    ("records_ms", "  of which: records other than check-ins", "ms", ""),
    ("checkins_ms", "  of which: check-in columns", "ms", ""),
    ("validate_ms", "cold start: validate", "ms", ""),
    ("decode_validate_ms", "cold start: decode + validate", "ms", ""),
    ("json_parse_ms", "JSON.parse of the same workspace (reference)", "ms", ""),
    ("decode_vs_json", "decode + validate ÷ JSON.parse", "×", "≤ 1.5"),
    ("score_ms", "cold start: score", "ms", ""),
    ("boot_ms", "cold start: read + decode + score + overview rendered", "ms", "≤ 300"),
    ("first_frame_ms", "cold start: until the next frame", "ms", ""),
    ("edit_ms", "check-in saved in the sweep → scores and row updated", "ms", "≤ 16"),
    ("edit_core_ms", "  of which: apply the edit, keep undo", "ms", ""),
    ("rescore_ms", "  of which: rescore", "ms", ""),
    ("edit_layout_ms", "  of which: style and layout", "ms", ""),
    ("save_ms", "debounced save after the edits (off the frame)", "ms", ""),
    ("unit_switch_ms", "switch to another unit's page", "ms", "≤ 50"),
    ("unit_switch_layout_ms", "  of which: style and layout", "ms", ""),
    ("as_of_step_ms", "as-of date one week back (overview)", "ms", "≤ 50"),
    ("as_of_layout_ms", "  of which: style and layout", "ms", ""),
    ("checkins_open_ms", "open the check-in sweep (its first 100 rows)", "ms", ""),
    ("open_units_ms", "first open, once the idle prefetch is done: units", "ms", "≤ before + 50"),
    ("open_unit_ms", "  a unit's page", "ms", "≤ before + 50"),
    ("open_todo_ms", "  to-do", "ms", "≤ before + 50"),
    ("open_decisions_ms", "  decisions", "ms", "≤ before + 50"),
    ("open_workshop_ms", "  workshop", "ms", "≤ before + 50"),
    ("open_settings_ms", "  settings", "ms", "≤ before + 50"),
    ("prefetched_ms", "idle prefetch: from its start until every part is loaded", "ms", ""),
    ("js_heap_mb", "memory: JS heap (after GC)", "MB", ""),
    ("wasm_memory_mb", "memory: wasm linear memory", "MB", ""),
    ("memory_mb", "memory: JS heap + wasm, large org open", "MB", "≤ 60"),
    ("memory_after_edits_mb", "memory: same, after the edits (undo kept)", "MB", "≤ 60"),
    ("lh_mobile_performance", "Lighthouse mobile: performance", "", "≥ 95"),
    ("lh_plain_host_performance", "Lighthouse mobile: performance, a host that does not compress", "", "≥ 90"),
    ("lh_mobile_accessibility", "Lighthouse mobile: accessibility", "", "≥ 95"),
    ("lh_mobile_best_practices", "Lighthouse mobile: best practices", "", "≥ 95"),
    ("lh_mobile_seo", "Lighthouse mobile: SEO", "", "≥ 95"),
    ("lh_desktop_performance", "Lighthouse desktop: performance", "", "≥ 95"),
    ("lh_desktop_accessibility", "Lighthouse desktop: accessibility", "", "≥ 95"),
    ("lh_desktop_best_practices", "Lighthouse desktop: best practices", "", "≥ 95"),
    ("lh_desktop_seo", "Lighthouse desktop: SEO", "", "≥ 95"),
];

/// Samples of each figure across runs (interactions give several per run).
type Samples = BTreeMap<&'static str, Vec<f64>>;

fn add(samples: &mut Samples, key: &'static str, value: f64) {
    samples.entry(key).or_default().push(value);
}

/// Resolves after every pending microtask (all of the app's reactive updates) and a
/// forced style and layout: the work a change costs before the browser can paint it.
const SETTLE: &str = "
    const settle = () => new Promise(resolve => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => { const before = performance.now(); void document.body.offsetHeight; const t = performance.now(); window.__layoutMs = t - before; resolve(t); };
        channel.port2.postMessage(0);
    });";

/// The last `latitude:<name>` measure's duration, if any.
const LAST_MEASURE: &str = "
    const last = name => { const e = performance.getEntriesByName('latitude:' + name, 'measure'); return e.length ? e[e.length - 1].duration : null; };";

#[tokio::test]
async fn benchmark_produces_every_figure() {
    chromium_only!("CPU profiles, heap size and Lighthouse come from the DevTools protocol");
    let runs: usize = std::env::var("LATITUDE_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let ws = generate(42, &GenSpec::large_org());
    let stored = encode_stored(&ws, 1, "bench", "2026-01-01T00:00:00Z");
    // The same workspace as JSON, served to the page from another loopback origin.
    let json_dir = std::env::temp_dir().join(format!("latitude-bench-{}", std::process::id()));
    std::fs::create_dir_all(&json_dir).expect("temp dir");
    // Without the export's indentation (15.7 MB rather than 28.4 MB): whitespace would
    // slow `JSON.parse` and flatter the ratio.
    let export: Value = serde_json::from_str(&export_workspace(&ws)).expect("the export is JSON");
    std::fs::write(json_dir.join("workspace.json"), export.to_string()).expect("write JSON");
    let json_server = StaticServer::start(&json_dir, "/", vec![("Access-Control-Allow-Origin".into(), "*".into())]);
    let json_url = json_server.url("/workspace.json");

    let mut samples = Samples::new();
    add(&mut samples, "transfer_all_kb", transfer_bytes() as f64 / 1000.0);
    let b = Browser::start_with("bench-transfer", (1280, 900), None).await;
    let r = first_views(&b, &mut samples).await;
    b.finish(r).await;
    for run in 0..runs {
        eprintln!("bench: run {} of {runs}", run + 1);
        let b = Browser::start_with(&format!("bench-{run}"), (1280, 900), None).await;
        let r = one_run(&b, &ws, &stored, &json_url, &mut samples).await;
        b.finish(r).await;
        for preset in ["mobile", "desktop", "plain_host"] {
            let scores = lighthouse(preset).unwrap_or_else(|e| panic!("Lighthouse ({preset}): {e}"));
            let scores = if preset == "plain_host" { scores.into_iter().filter(|(c, _)| *c == "performance").collect() } else { scores };
            for (category, score) in scores {
                let key: &'static str = FIGURES.iter().map(|f| f.0).find(|k| *k == format!("lh_{preset}_{category}")).expect("a known category");
                add(&mut samples, key, score);
            }
        }
    }
    json_server.stop();
    let _ = std::fs::remove_dir_all(&json_dir);

    let table = report(&samples, runs, &ws);
    println!("{table}");
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-browser.md");
    std::fs::write(&out, &table).expect("write the report");
    println!("bench: report written to {}", out.display());
    // A build in one wasm has no idle prefetch to time.
    let not_applicable = |k: &str| k == "prefetched_ms" && !split_build();
    let missing: Vec<&str> = FIGURES.iter().map(|f| f.0).filter(|k| !not_applicable(k) && samples.get(k).is_none_or(|v| v.is_empty() || v.iter().any(|x| !x.is_finite()))).collect();
    assert!(missing.is_empty(), "figures not produced: {missing:?}");
}

async fn one_run(b: &Browser, ws: &Workspace, stored: &str, json_url: &str, samples: &mut Samples) -> R {
    // The wasm instance, to read its memory: Trunk's start script announces it.
    b.before_load("addEventListener('TrunkApplicationStarted', e => { window.__latitudeWasm = e.detail.wasm; });").await?;
    b.open("").await?;
    b.seed_workspace(stored, ws.name.as_str()).await?;
    let profile = Profile::start(b, "boot").await?;
    b.reload().await?;
    b.wait_for("org-map").await?;
    profile.stop(b).await?;
    eventually("the first frame measured", || async { Ok(b.js("return performance.getEntriesByName('latitude:first-frame').length > 0;", vec![]).await?.as_bool() == Some(true)) }).await?;
    let boot = b
        .js(
            &format!("{LAST_MEASURE} const first = name => {{ const e = performance.getEntriesByName('latitude:' + name, 'measure'); return e.length ? e[0].duration : null; }};
             return {{ read: first('read'), decode: first('decode'), unpack: first('decode-unpack'), inflate: first('decode-inflate'), records: first('decode-records'), checkins: first('decode-checkins'), validate: first('validate'), score: first('score'), boot: first('boot'), frame: first('first-frame') }};"),
            vec![],
        )
        .await?;
    let (decode, validate) = (get(&boot, "decode")?, get(&boot, "validate")?);
    add(samples, "read_ms", get(&boot, "read")?);
    add(samples, "decode_ms", decode);
    for (key, name) in [("unpack_ms", "unpack"), ("inflate_ms", "inflate"), ("records_ms", "records"), ("checkins_ms", "checkins")] {
        add(samples, key, get(&boot, name)?);
    }
    add(samples, "validate_ms", validate);
    add(samples, "decode_validate_ms", decode + validate);
    add(samples, "score_ms", get(&boot, "score")?);
    add(samples, "boot_ms", get(&boot, "boot")?);
    add(samples, "first_frame_ms", get(&boot, "frame")?);

    // The browser's own parser on the same workspace, in the same page.
    let parse = b
        .client
        .execute_async(
            "const [url, done] = arguments;
             fetch(url).then(r => r.text()).then(text => {
                 const t0 = performance.now();
                 const value = JSON.parse(text);
                 const t1 = performance.now();
                 done({ ms: t1 - t0, units: value.workspace.units.length });
             }).catch(e => done({ error: String(e) }));",
            vec![json!(json_url)],
        )
        .await?;
    ensure(parse["units"].as_u64() == Some(ws.units.len() as u64), format!("the JSON reference parsed: {parse}"))?;
    let json_ms = get(&parse, "ms")?;
    add(samples, "json_parse_ms", json_ms);
    add(samples, "decode_vs_json", (decode + validate) / json_ms);

    let (heap, wasm) = memory(b).await?;
    add(samples, "js_heap_mb", heap);
    add(samples, "wasm_memory_mb", wasm);
    add(samples, "memory_mb", heap + wasm);

    // As of the last week with data, so that commitments are open and charts are full.
    let last = ws.last_date().ok_or("the generated org has dates")?;
    let last = latitude::core::format_date(latitude::core::dates::week_end(last));
    b.js("const input = document.querySelector('[data-testid=as-of]'); input.value = arguments[0]; input.dispatchEvent(new Event('change', { bubbles: true }));", vec![json!(last)]).await?;
    let profile = Profile::start(b, "as-of").await?;
    for _ in 0..3 {
        let step = b
            .client
            .execute_async(
                &format!(
                    "const done = arguments[0]; {SETTLE}
                 const input = document.querySelector('[data-testid=as-of]'); const before = input.value;
                 const t0 = performance.now();
                 document.querySelector('[data-testid=as-of-back]').click();
                 settle().then(t1 => done({{ ms: t1 - t0, layout: window.__layoutMs, changed: input.value !== before }}));"
                ),
                vec![],
            )
            .await?;
        ensure(step["changed"] == json!(true), format!("the as-of date moved: {step}"))?;
        add(samples, "as_of_step_ms", get(&step, "ms")?);
        add(samples, "as_of_layout_ms", get(&step, "layout")?);
    }
    profile.stop(b).await?;

    // Each later view's first open, once the idle prefetch has loaded every part (a build
    // in one wasm has no parts and no prefetch). The check-in sweep's is measured below.
    if split_build() {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while b.js("return performance.getEntriesByName('latitude:prefetched', 'measure').length;", vec![]).await?.as_u64() != Some(1) {
            ensure(std::time::Instant::now() < deadline, "the idle prefetch loads every part within a minute")?;
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let prefetched = b.js(&format!("{LAST_MEASURE} return last('prefetched');"), vec![]).await?;
        add(samples, "prefetched_ms", prefetched.as_f64().ok_or("no prefetched measure")?);
    }
    let unit = ws.units[0].name.as_str();
    let views = [
        ("open_units_ms", "#/units".to_owned(), "Units"),
        ("open_unit_ms", format!("#/units/{}", ws.units[0].id.0), unit),
        ("open_todo_ms", "#/to-do".to_owned(), "To do"),
        ("open_decisions_ms", "#/decisions".to_owned(), "Decisions"),
        ("open_workshop_ms", "#/workshop".to_owned(), "Workshop"),
        ("open_settings_ms", "#/settings".to_owned(), "Settings"),
    ];
    for (key, hash, title) in views {
        let open = b
            .client
            .execute_async(
                &format!("const [hash, done] = arguments; {SETTLE}
                 const t0 = performance.now();
                 addEventListener('hashchange', () => settle().then(t1 => {{ const h = document.querySelector('main h1'); done({{ ms: t1 - t0, heading: h ? h.textContent : '' }}); }}), {{ once: true }});
                 location.hash = hash;"),
                vec![json!(hash)],
            )
            .await?;
        ensure(open["heading"].as_str().is_some_and(|h| h.contains(title)), format!("{hash} shows “{title}” once settled: {open}"))?;
        add(samples, key, get(&open, "ms")?);
    }

    // Unit pages: the first opens, then each switch to the next unit is measured.
    b.js("location.hash = arguments[0];", vec![json!(format!("#/units/{}", ws.units[0].id.0))]).await?;
    b.wait_for("unit-page").await?;
    for unit in &ws.units[1..4] {
        let switch = b
            .client
            .execute_async(
                &format!("const [hash, name, done] = arguments; {SETTLE}
                 const t0 = performance.now();
                 addEventListener('hashchange', () => settle().then(t1 => done({{ ms: t1 - t0, layout: window.__layoutMs, shown: document.querySelector('h1').textContent.includes(name) }})), {{ once: true }});
                 location.hash = hash;"),
                vec![json!(format!("#/units/{}", unit.id.0)), json!(unit.name.as_str())],
            )
            .await?;
        ensure(switch["shown"] == json!(true), format!("the unit page shows {}: {switch}", unit.name.as_str()))?;
        add(samples, "unit_switch_ms", get(&switch, "ms")?);
        add(samples, "unit_switch_layout_ms", get(&switch, "layout")?);
    }

    // The check-in sweep: open it, then save three check-ins.
    let open = b
        .client
        .execute_async(
            &format!(
                "const done = arguments[0]; {SETTLE}
             const t0 = performance.now();
             addEventListener('hashchange', () => settle().then(t1 => done({{ ms: t1 - t0, rows: document.querySelectorAll('[data-testid=sweep-row]').length,
                 more: (document.querySelector('[data-testid=show-all-open-commitments]') || {{}}).textContent }})), {{ once: true }});
             location.hash = '#/check-ins';"
            ),
            vec![],
        )
        .await?;
    ensure(open["rows"].as_u64() == Some(100) && open["more"].as_str().unwrap_or("").contains("Showing 100 of"), format!("the sweep lists the first open commitments and offers the rest: {open}"))?;
    add(samples, "checkins_open_ms", get(&open, "ms")?);
    let profile = Profile::start(b, "edit").await?;
    for row in 0..3 {
        let edit = save_checkin(b, ws, row).await?;
        ensure(edit["rescored"] == json!(true) && !edit["result"].as_str().unwrap_or("").is_empty(), format!("the saved row shows its new scores: {edit}"))?;
        add(samples, "edit_ms", get(&edit, "ms")?);
        add(samples, "edit_layout_ms", get(&edit, "layout")?);
        add(samples, "edit_core_ms", get(&edit, "edit")?);
        add(samples, "rescore_ms", get(&edit, "score")?);
    }
    profile.stop(b).await?;
    eventually("the edits saved", || async { Ok(b.js("return performance.getEntriesByName('latitude:save', 'measure').length > 0;", vec![]).await?.as_bool() == Some(true)) }).await?;
    let save = b.js(&format!("{LAST_MEASURE} return last('save');"), vec![]).await?;
    add(samples, "save_ms", save.as_f64().ok_or("no save measure")?);
    let (heap, wasm) = memory(b).await?;
    add(samples, "memory_after_edits_mb", heap + wasm);
    no_console_errors(b).await?;
    Ok(())
}

/// The workshop's figures, for the 12-unit organisation and inside the large org.
const WORKSHOP_FIGURES: &[(&str, &str, &str, &str)] = &[
    ("small_vote_ms", "12-unit org: vote cast → count and cards updated", "ms", "≤ 16"),
    ("small_vote_edit_ms", "  of which: apply the command, keep undo", "ms", ""),
    ("small_vote_layout_ms", "  of which: style and layout", "ms", ""),
    ("small_reveal_ms", "12-unit org: reveal → every card, spread and median shown", "ms", "≤ 16"),
    ("small_reveal_edit_ms", "  of which: apply the command, keep undo", "ms", ""),
    ("small_reveal_layout_ms", "  of which: style and layout", "ms", ""),
    ("large_vote_ms", "large org: vote cast → count and cards updated", "ms", "≤ 16"),
    ("large_vote_edit_ms", "  of which: apply the command, keep undo", "ms", ""),
    ("large_vote_layout_ms", "  of which: style and layout", "ms", ""),
    ("large_reveal_ms", "large org: reveal → every card, spread and median shown", "ms", "≤ 16"),
    ("large_reveal_edit_ms", "  of which: apply the command, keep undo", "ms", ""),
    ("large_reveal_layout_ms", "  of which: style and layout", "ms", ""),
];

/// The participants of the benchmark's workshop.
const PARTICIPANTS: [&str; 8] = ["Ana", "Bo", "Chen", "Dara", "Eli", "Farah", "Gus", "Hana"];
/// Rounds played (and timed) in the browser per run: 8 votes and a reveal each.
const WORKSHOP_ROUNDS: usize = 4;
/// Rounds already agreed in the stored workshop, so the page lists them as it would.
const AGREED_ROUNDS: usize = 6;

#[tokio::test]
async fn workshop_benchmark_produces_every_figure() {
    let runs: usize = std::env::var("LATITUDE_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let mut samples = Samples::new();
    let mut described = Vec::new();
    for (prefix, ws) in [("small", generate(42, &GenSpec::small())), ("large", generate(42, &GenSpec::large_org()))] {
        let ws = with_workshop(ws).unwrap_or_else(|e| panic!("prepare the workshop: {e}"));
        described.push(format!("{prefix}: {} units, {} check-ins", ws.units.len(), ws.checkin_count()));
        let stored = encode_stored(&ws, 1, "bench", "2026-01-01T00:00:00Z");
        for run in 0..runs {
            eprintln!("bench: workshop in the {prefix} org, run {} of {runs}", run + 1);
            let b = Browser::start_with(&format!("bench-workshop-{prefix}-{run}"), (1280, 900), None).await;
            let r = workshop_run(&b, &ws, &stored, prefix, &mut samples).await;
            b.finish(r).await;
        }
    }
    let what = format!("Workshop: 12 units in scope, 6 areas, 8 participants, {AGREED_ROUNDS} rounds agreed before, {WORKSHOP_ROUNDS} rounds played per run ({})", described.join("; "));
    let table = table(&what, WORKSHOP_FIGURES, &samples, runs);
    println!("{table}");
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-browser-workshop-{}.md", engine().name()));
    std::fs::write(&out, &table).expect("write the report");
    println!("bench: report written to {}", out.display());
    let missing: Vec<&str> = WORKSHOP_FIGURES.iter().map(|f| f.0).filter(|k| samples.get(k).is_none_or(|v| v.is_empty() || v.iter().any(|x| !x.is_finite()))).collect();
    assert!(missing.is_empty(), "figures not produced: {missing:?}");
}

/// `ws` with an open workshop at step 3 (delegation poker), made with the core's
/// commands: 8 participants, its first 12 units and 6 areas in scope, and
/// [`AGREED_ROUNDS`] rounds voted by everyone, revealed and agreed.
fn with_workshop(mut ws: Workspace) -> Result<Workspace, String> {
    let run = |ws: &mut Workspace, c: Edit| apply(ws, &c).map_err(|e| format!("{c:?}: {e}"));
    let date = ws.last_date().ok_or("the generated org has dates")?;
    let units: Vec<UnitId> = ws.units.iter().take(12).map(|u| u.id).collect();
    let areas: Vec<AreaId> = ws.areas.iter().take(6).map(|a| a.id).collect();
    if units.len() < 12 || areas.len() < 6 {
        return Err(format!("{} units and {} areas: too few", units.len(), areas.len()));
    }
    let workshop: WorkshopId = *run(&mut ws, Edit::StartWorkshop { date, title: None })?.workshops.added.first().ok_or("a workshop started")?;
    let participants: Vec<Name> = PARTICIPANTS.iter().map(|p| Name::new(*p).map_err(|e| e.to_string())).collect::<Result<_, _>>()?;
    run(&mut ws, Edit::SetParticipants { workshop, participants: participants.clone() })?;
    run(&mut ws, Edit::SetWorkshopScope { workshop, units: units.clone(), areas: areas.clone() })?;
    run(&mut ws, Edit::GoToStep { workshop, step: Step::RecordAutonomy, now_ms: 0 })?;
    for i in 0..AGREED_ROUNDS {
        run(&mut ws, Edit::OpenRound { workshop, unit: units[i], area: AreaRef::Existing(areas[i % areas.len()]) })?;
        let round: RoundId = ws.workshops.iter().find(|s| s.id == workshop).and_then(|s| s.rounds.last()).map(|r| r.id).ok_or("the round opened")?;
        for (k, participant) in participants.iter().enumerate() {
            let level = Level::new(2 + ((i + k) % 4) as u8).map_err(|e| e.to_string())?;
            run(&mut ws, Edit::CastVote { workshop, round, participant: participant.clone(), level })?;
        }
        run(&mut ws, Edit::RevealRound { workshop, round })?;
        let (level, rung) = (Level::new(4).map_err(|e| e.to_string())?, Rung::new(2).map_err(|e| e.to_string())?);
        run(&mut ws, Edit::AgreeRound { workshop, round, level, rung, granted_by: None, reason: String::new() })?;
    }
    Ok(ws)
}

/// One run of the workshop benchmark: the stored workshop opens at step 3, then
/// [`WORKSHOP_ROUNDS`] rounds are played through the page — opened, eight private
/// votes, the reveal, the agreed grant — timing each vote and each reveal.
async fn workshop_run(b: &Browser, ws: &Workspace, stored: &str, prefix: &str, samples: &mut Samples) -> R {
    let key = |what: &str| -> R<&'static str> { WORKSHOP_FIGURES.iter().map(|f| f.0).find(|k| *k == format!("{prefix}_{what}")).ok_or_else(|| format!("no figure {prefix}_{what}").into()) };
    b.open("").await?;
    b.seed_workspace(stored, ws.name.as_str()).await?;
    b.reload().await?;
    b.open("#/workshop").await?;
    b.wait_for("poker-open-form").await?;
    let agreed = b.find_all("poker-agreed-list").await?;
    ensure(agreed.len() == 1, "the rounds agreed before are listed")?;
    let session = ws.workshops.iter().next().ok_or("the stored workshop")?;
    for i in 0..WORKSHOP_ROUNDS {
        let (unit, area) = (session.units[AGREED_ROUNDS + i], session.areas[(AGREED_ROUNDS + i) % session.areas.len()]);
        b.js(
            "const set = (t, v) => { const el = document.querySelector(`[data-testid=${t}]`); el.value = v; el.dispatchEvent(new Event('change', { bubbles: true })); };
             set('poker-unit', arguments[0]); set('poker-area', arguments[1]);
             document.querySelector('[data-testid=poker-open-form]').requestSubmit();",
            vec![json!(unit.0.to_string()), json!(area.0.to_string())],
        )
        .await?;
        b.wait_for("poker-vote-form").await?;
        let title = b.text("poker-round-title").await?;
        ensure(title.starts_with(ws.unit_name(unit)), format!("the round is for {}: {title:?}", ws.unit_name(unit)))?;
        for (k, who) in PARTICIPANTS.iter().enumerate() {
            let level = 1 + (i + 2 * k) % 7;
            let vote = b
                .client
                .execute_async(
                    &format!(
                        "const [who, level, done] = arguments; {SETTLE} {LAST_MEASURE}
                 const set = (t, v) => {{ const el = document.querySelector(`[data-testid=${{t}}]`); el.value = v; el.dispatchEvent(new Event('change', {{ bubbles: true }})); }};
                 set('poker-who', who);
                 const card = document.querySelector(`[data-testid=poker-cast-${{level}}]`);
                 const edits = performance.getEntriesByName('latitude:edit', 'measure').length;
                 const t0 = performance.now();
                 card.click();
                 settle().then(t1 => done({{ ms: t1 - t0, layout: window.__layoutMs, edited: performance.getEntriesByName('latitude:edit', 'measure').length > edits, edit: last('edit'), saves: performance.getEntriesByName('latitude:save', 'measure').filter(e => e.startTime >= t0 && e.startTime <= t1).length,
                     count: (document.querySelector('[data-testid=poker-count]') || {{}}).textContent, cards: document.querySelector('[data-testid=poker-cards]').textContent,
                     who: document.querySelector('[data-testid=poker-who]').value }}));"
                    ),
                    vec![json!(who), json!(level.to_string())],
                )
                .await?;
            let count = vote["count"].as_str().unwrap_or("");
            let counted = count == format!("{} of {} have voted", k + 1, PARTICIPANTS.len());
            ensure(
                vote["edited"] == json!(true) && counted && vote["cards"].as_str().unwrap_or("").contains(who) && vote["who"] == json!(""),
                format!("{who}'s vote is counted and the picker emptied: {vote}"),
            )?;
            over_a_frame(prefix, "vote", &vote);
            add(samples, key("vote_ms")?, get(&vote, "ms")?);
            add(samples, key("vote_edit_ms")?, get(&vote, "edit")?);
            add(samples, key("vote_layout_ms")?, get(&vote, "layout")?);
        }
        let reveal = b
            .client
            .execute_async(
                &format!(
                    "const done = arguments[0]; {SETTLE} {LAST_MEASURE}
                 const edits = performance.getEntriesByName('latitude:edit', 'measure').length;
                 const t0 = performance.now();
                 document.querySelector('[data-testid=poker-reveal]').click();
                 settle().then(t1 => done({{ ms: t1 - t0, layout: window.__layoutMs, edited: performance.getEntriesByName('latitude:edit', 'measure').length > edits, edit: last('edit'), saves: performance.getEntriesByName('latitude:save', 'measure').filter(e => e.startTime >= t0 && e.startTime <= t1).length,
                     levels: document.querySelectorAll('[data-testid=poker-card-level]').length, result: (document.querySelector('[data-testid=poker-result]') || {{}}).textContent }}));"
                ),
                vec![],
            )
            .await?;
        ensure(
            reveal["edited"] == json!(true) && reveal["levels"].as_u64() == Some(8) && reveal["result"].as_str().unwrap_or("").contains("Median"),
            format!("the reveal shows every card and the median: {reveal}"),
        )?;
        over_a_frame(prefix, "reveal", &reveal);
        add(samples, key("reveal_ms")?, get(&reveal, "ms")?);
        add(samples, key("reveal_edit_ms")?, get(&reveal, "edit")?);
        add(samples, key("reveal_layout_ms")?, get(&reveal, "layout")?);
        b.click("poker-record").await?;
        // A unit that holds more in this area is asked about first: the room confirms.
        if b.exists("poker-narrow-confirm").await? {
            b.click("poker-narrow-confirm").await?;
        }
        b.wait_for("poker-open-form").await?;
    }
    no_console_errors(b).await?;
    Ok(())
}

/// Says which timed interactions took longer than a frame, and whether the debounced
/// save of earlier edits ran inside them.
fn over_a_frame(prefix: &str, what: &str, sample: &Value) {
    if let Some(ms) = sample["ms"].as_f64().filter(|ms| *ms > 16.0) {
        let saves = sample["saves"].as_u64().unwrap_or(0);
        eprintln!("bench: {prefix} {what} took {ms:.1} ms (style and layout {:.1} ms; saves inside it: {saves})", sample["layout"].as_f64().unwrap_or(f64::NAN));
    }
}

/// With `LATITUDE_BENCH_PROFILE=<dir>`, a CPU profile of one stretch of the run, saved
/// as `<dir>/<name>.cpuprofile` (open it in the browser's performance tools) and
/// summarised as the functions with the most time of their own. Build with names kept
/// to read them (see BENCHMARKS.md).
pub(crate) struct Profile(Option<(PathBuf, &'static str)>);

impl Profile {
    pub(crate) async fn start(b: &Browser, name: &'static str) -> R<Profile> {
        let Ok(dir) = std::env::var("LATITUDE_BENCH_PROFILE") else { return Ok(Profile(None)) };
        b.cdp("Profiler.enable", json!({})).await?;
        b.cdp("Profiler.setSamplingInterval", json!({"interval": 100})).await?;
        b.cdp("Profiler.start", json!({})).await?;
        Ok(Profile(Some((PathBuf::from(dir), name))))
    }

    pub(crate) async fn stop(self, b: &Browser) -> R {
        let Some((dir, name)) = self.0 else { return Ok(()) };
        let profile = b.cdp("Profiler.stop", json!({})).await?["profile"].clone();
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("{name}.cpuprofile")), profile.to_string())?;
        let nodes = profile["nodes"].as_array().cloned().unwrap_or_default();
        let (samples, deltas) = (profile["samples"].as_array().cloned().unwrap_or_default(), profile["timeDeltas"].as_array().cloned().unwrap_or_default());
        let mut self_us: BTreeMap<i64, f64> = BTreeMap::new();
        for (s, d) in samples.iter().zip(deltas.iter().skip(1).chain(std::iter::once(&json!(0)))) {
            *self_us.entry(s.as_i64().unwrap_or(0)).or_default() += d.as_f64().unwrap_or(0.0);
        }
        let mut by_name: BTreeMap<String, f64> = BTreeMap::new();
        for n in &nodes {
            let f = &n["callFrame"];
            let label = format!("{} {}", f["functionName"].as_str().unwrap_or(""), f["url"].as_str().unwrap_or("").rsplit('/').next().unwrap_or(""));
            *by_name.entry(label).or_default() += self_us.get(&n["id"].as_i64().unwrap_or(-1)).copied().unwrap_or(0.0);
        }
        let mut top: Vec<_> = by_name.into_iter().collect();
        top.sort_by(|a, b| b.1.total_cmp(&a.1));
        println!("profile {name}: the functions with most time of their own");
        for (label, us) in top.iter().take(40) {
            println!("  {:8.2} ms  {label}", us / 1000.0);
        }
        Ok(())
    }
}

/// The figure `k` of a measurement the page returned.
fn get(v: &Value, k: &str) -> Result<f64, String> {
    v[k].as_f64().ok_or_else(|| format!("no figure {k} in {v}"))
}

/// Saves a check-in in row `row` of the open sweep, with a value in the commitment's
/// scale (its last reading, or the baseline: one far outside it would be questioned by
/// the sweep instead of saved), and times it from the submit until the page has settled
/// (style, layout and paint done): `ms`, `layout`, the row's `result`, whether the page
/// `rescored`, and the app's own `edit` and `score` measures.
async fn save_checkin(b: &Browser, ws: &Workspace, row: usize) -> R<Value> {
    let id = b.js("return document.querySelectorAll('[data-testid=sweep-row]')[arguments[0]].dataset.commitmentId;", vec![json!(row)]).await?;
    let c = id.as_str().and_then(|id| id.parse().ok()).and_then(|id| ws.commitment(latitude::core::CommitmentId(id))).ok_or(format!("row {row} names a stored commitment: {id}"))?;
    let value = c.checkins().last().map(|k| k.value.get()).or(c.baseline.map(|v| v.get())).unwrap_or(0.0);
    let edit = b
        .client
        .execute_async(
            &format!(
                "const [row, value, done] = arguments; {SETTLE} {LAST_MEASURE}
             const li = document.querySelectorAll('[data-testid=sweep-row]')[row];
             const input = li.querySelector('[data-testid=sweep-value]');
             input.value = String(value); input.dispatchEvent(new Event('input', {{ bubbles: true }}));
             const scored = performance.getEntriesByName('latitude:score', 'measure').length;
             const t0 = performance.now();
             li.querySelector('form').requestSubmit();
             settle().then(t1 => done({{ ms: t1 - t0, layout: window.__layoutMs, result: li.querySelector('[data-testid=sweep-result]').textContent,
                 rescored: performance.getEntriesByName('latitude:score', 'measure').length > scored, edit: last('edit'), score: last('score') }}));"
            ),
            vec![json!(row), json!(value)],
        )
        .await?;
    Ok(edit)
}

/// JS heap in use after a full garbage collection, and the wasm linear memory, in MB.
async fn memory(b: &Browser) -> R<(f64, f64)> {
    b.cdp("HeapProfiler.collectGarbage", json!({})).await?;
    let heap = b.cdp("Runtime.getHeapUsage", json!({})).await?;
    let wasm = b.js("return window.__latitudeWasm ? window.__latitudeWasm.memory.buffer.byteLength : null;", vec![]).await?;
    let heap = heap["usedSize"].as_f64().ok_or("no heap usage")?;
    let wasm = wasm.as_f64().ok_or("no wasm memory (TrunkApplicationStarted not seen)")?;
    Ok((heap / 1e6, wasm / 1e6))
}

/// What the first view of the overview and the map embed download, each in a page of its
/// own: the files of the build the page fetched before the idle prefetch of the other
/// views began (the measure `latitude:prefetch`; the embed page has none), counted as
/// [`transfer_bytes`] counts them.
async fn first_views(b: &Browser, samples: &mut Samples) -> R {
    let fetched = || async {
        let names = b
            .js(
                "const from = performance.getEntriesByName('latitude:prefetch', 'measure');
                 const before = from.length ? from[0].startTime : Infinity;
                 return [...new Set(performance.getEntriesByType('resource').filter((e) => e.startTime < before).map((e) => new URL(e.name).pathname.split('/').pop()))];",
                vec![],
            )
            .await?;
        R::<Vec<String>>::Ok(serde_json::from_value(names)?)
    };
    b.goto(&format!("{}?first-view#/", b.base)).await?;
    let overview = fetched().await?;
    add(samples, "transfer_kb", transfer_bytes_of(|n| overview.iter().any(|f| f == n)) as f64 / 1000.0);
    let ws = latitude::core::sample::sample_org(crate::common::d("2026-11-29"));
    let data = latitude::storage::snapshot::encode_map(&ws, crate::common::d("2026-11-29"));
    // Where the share panel's snippet points (`embed.html`); a build without the embed
    // page (one wasm) has only the app's embed route.
    let page = if dist().join("embed.html").is_file() { "embed.html" } else { "" };
    b.goto(&format!("{}{page}?embed#/embed/map/{data}", b.base)).await?;
    b.wait_for("embed-map").await?;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let embed = fetched().await?;
    add(samples, "transfer_embed_kb", transfer_bytes_of(|n| embed.iter().any(|f| f == n)) as f64 / 1000.0);
    Ok(())
}

/// Whether the build under test is in parts, as against one wasm.
fn split_build() -> bool {
    packs_in_build().expect("dist") > 0
}

/// What a browser downloads of the build: js and css gzip at the default level, and the
/// WebAssembly as the build compressed it (`.wasm.gz`; the plain `.wasm` beside it is
/// for browsers that cannot unpack it).
fn transfer_bytes() -> usize {
    transfer_bytes_of(|_| true)
}

/// [`transfer_bytes`] of the files of the build `fetched` names.
fn transfer_bytes_of(fetched: impl Fn(&str) -> bool) -> usize {
    let files: Vec<PathBuf> = std::fs::read_dir(dist()).expect("dist").filter_map(Result::ok).map(|e| e.path()).collect();
    let name = |p: &PathBuf| p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
    let packed: Vec<String> = files.iter().map(name).filter(|n| n.ends_with(".wasm.gz")).collect();
    files
        .iter()
        .filter_map(|p| {
            let n = name(p);
            if !fetched(&n) {
                return None;
            }
            let bytes = || std::fs::read(p).expect("read dist");
            if n.ends_with(".wasm.gz") {
                Some(bytes().len())
            } else if (n.ends_with(".wasm") && !packed.contains(&format!("{n}.gz"))) || ((n.ends_with(".js") || n.ends_with(".css")) && n != "sw.js") {
                Some(gzip_bytes(&bytes()).len())
            } else {
                None
            }
        })
        .sum()
}

/// Lighthouse 12.2.3 (npm, via scripts/setup) on the app's first visit, with Debian
/// Chromium: the four category scores, 0–100. `preset` is "mobile" or "desktop" on the
/// test server (which compresses, as most hosts do), or "plain_host": mobile, on a
/// host that sends every file uncompressed.
fn lighthouse(preset: &str) -> R<Vec<(&'static str, f64)>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let plain = (preset == "plain_host").then(|| StaticServer::start_uncompressed(&dist(), SUB_PATH));
    let url = plain.as_ref().unwrap_or_else(|| app_server()).url(SUB_PATH);
    let bin = root.join("tools/node_modules/.bin/lighthouse");
    let out = std::env::temp_dir().join(format!("latitude-lighthouse-{}-{preset}.json", std::process::id()));
    let mut cmd = Command::new(&bin);
    cmd.arg(&url)
        .arg("--quiet")
        .arg(format!("--chrome-flags={}", CHROME_ARGS.join(" ")))
        .arg("--output=json")
        .arg(format!("--output-path={}", out.display()))
        .arg("--only-categories=performance,accessibility,best-practices,seo")
        .env("CHROME_PATH", std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    if preset == "desktop" {
        cmd.arg("--preset=desktop");
    }
    let status = cmd.status().map_err(|e| format!("{}: {e} (./scripts/setup installs it)", bin.display()))?;
    ensure(status.success(), format!("lighthouse exited with {status}"))?;
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&out)?)?;
    let _ = std::fs::remove_file(&out);
    let categories = [("performance", "performance"), ("accessibility", "accessibility"), ("best_practices", "best-practices"), ("seo", "seo")];
    categories.iter().map(|(key, id)| report["categories"][id]["score"].as_f64().map(|s| (*key, (s * 100.0).round())).ok_or_else(|| format!("no {id} score").into())).collect()
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// The table BENCHMARKS.md records.
fn report(samples: &Samples, runs: usize, ws: &Workspace) -> String {
    let what = format!("Large org: {} units, {} commitments, {} check-ins", ws.units.len(), ws.commitments.len(), ws.checkin_count());
    table(&what, FIGURES, samples, runs)
}

/// A table of `figures`: median, min–max and the number of samples of each.
fn table(what: &str, figures: &[(&str, &str, &str, &str)], samples: &Samples, runs: usize) -> String {
    let browser = match engine() {
        Engine::Chromium => Command::new(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()))
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default(),
        other => other.name().to_owned(),
    };
    let mut t = format!("{what}; {runs} run(s), each in a fresh profile; {browser}\n\n| figure | median | min–max | samples | goal |\n|---|---|---|---|---|\n");
    for (key, what, unit, goal) in figures {
        let Some(v) = samples.get(key).filter(|v| !v.is_empty()) else {
            t.push_str(&format!("| {what} | missing | | 0 | {goal} |\n"));
            continue;
        };
        let (lo, hi) = v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
        let digits = if unit.is_empty() {
            0
        } else if *unit == "×" {
            2
        } else {
            1
        };
        let unit = if unit.is_empty() { String::new() } else { format!(" {unit}") };
        t.push_str(&format!("| {what} | {:.digits$}{unit} | {lo:.digits$}–{hi:.digits$} | {} | {goal} |\n", median(v), v.len()));
    }
    t
}

/// Figures of the before/after cold-start comparison.
const COLD_START_FIGURES: &[(&str, &str, &str, &str)] = &[
    ("before_boot_ms", "before: app start → overview rendered (read, decode, score, views)", "ms", ""),
    ("after_boot_ms", "after: app start → overview rendered (read, decode, score, views)", "ms", ""),
    ("before_painted_ms", "before: navigation → overview painted (the app's files, then style and layout)", "ms", ""),
    ("after_painted_ms", "after: navigation → overview painted (the app's files, then style and layout)", "ms", ""),
    ("painted_ratio", "after ÷ before, navigation → overview painted (per pair of runs)", "×", "≤ 1.10"),
    ("before_decode_ms", "before: decode + validate of the stored value", "ms", ""),
    ("after_decode_ms", "after: decode + validate of the stored value", "ms", ""),
    ("decode_ratio", "after ÷ before, decode + validate (per pair of runs)", "×", ""),
    ("before_edit_ms", "before: check-in saved in the sweep → scores and row updated (median of 3 per run)", "ms", ""),
    ("after_edit_ms", "after: check-in saved in the sweep → scores and row updated (median of 3 per run)", "ms", ""),
    ("edit_ratio", "after ÷ before, check-in saved (per pair of runs)", "×", "≤ 1.05"),
];

/// The large org's cold start to its rendered overview, then an edit in its check-in
/// sweep, in this build and in another one
/// (`LATITUDE_BENCH_BEFORE`: the dist folder of an earlier commit, which
/// `./scripts/bench-cold-start REV` builds), in one session, runs interleaved and the order
/// alternated so both builds see the same machine load. Without `LATITUDE_BENCH_BEFORE`
/// the build is compared with itself: the comparison runs and its figures are produced,
/// but nothing is compared (the test suite does that).
#[tokio::test]
async fn cold_start_before_and_after() {
    chromium_only!("the mark after the first painted frame is a script run before the page's own, added through the DevTools protocol");
    let runs: usize = std::env::var("LATITUDE_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let before_dist = std::env::var("LATITUDE_BENCH_BEFORE").map(PathBuf::from).unwrap_or_else(|_| dist());
    assert!(before_dist.join("index.html").exists(), "no build in {}", before_dist.display());
    let before_server = StaticServer::start(&before_dist, SUB_PATH, vec![]);
    let ws = generate(42, &GenSpec::large_org());
    let stored = encode_stored(&ws, 1, "bench", "2026-01-01T00:00:00Z");
    // An earlier build refuses a stored value of a newer schema. The schema number
    // changed only for what this workspace does not hold (workshops, schema 2), so the
    // same value is marked with the schema that build writes.
    assert!(ws.workshops.is_empty(), "the benchmark's workspace holds no workshop");
    let marked = |var: &str| match std::env::var(var).ok().and_then(|s| s.parse::<u32>().ok()) {
        Some(schema) => stored.replacen(&format!("\"schema\":{}", latitude::storage::store::STORED_SCHEMA), &format!("\"schema\":{schema}"), 1),
        None => stored.clone(),
    };
    let (stored_before, stored_after) = (marked("LATITUDE_BENCH_BEFORE_SCHEMA"), marked("LATITUDE_BENCH_AFTER_SCHEMA"));
    let mut samples = Samples::new();
    for run in 0..runs {
        let mut pair = [0.0; 2];
        let mut edits = [0.0; 2];
        let mut decodes = [0.0; 2];
        let order = if run % 2 == 0 { [true, false] } else { [false, true] };
        for before in order {
            let which = if before { "before" } else { "after" };
            eprintln!("bench: cold start, run {} of {runs}, {which}", run + 1);
            let mut b = Browser::start_with(&format!("bench-cold-{which}-{run}"), (1280, 900), None).await;
            if before {
                b.base = before_server.url(SUB_PATH);
            }
            let r = async {
                let (boot, painted) = cold_start(&b, if before { &stored_before } else { &stored_after }, &ws).await?;
                add(&mut samples, if before { "before_boot_ms" } else { "after_boot_ms" }, boot);
                let decode =
                    b.js("return ['decode', 'validate'].map(n => performance.getEntriesByName('latitude:' + n, 'measure')).reduce((t, e) => e.length ? t + e[0].duration : NaN, 0);", vec![]).await?;
                let decode = decode.as_f64().filter(|d| d.is_finite()).ok_or("no decode or validate measure")?;
                add(&mut samples, if before { "before_decode_ms" } else { "after_decode_ms" }, decode);
                decodes[usize::from(!before)] = decode;
                add(&mut samples, if before { "before_painted_ms" } else { "after_painted_ms" }, painted);
                pair[usize::from(!before)] = painted;
                // Then an edit in the same page: three check-ins saved in the sweep, as of
                // three weeks before the last week with data (where the benchmark above edits:
                // commitments are open).
                let last = latitude::core::dates::week_end(ws.last_date().ok_or("the generated org has dates")?) - time::Duration::days(21);
                let last = latitude::core::format_date(last);
                b.js("const input = document.querySelector('[data-testid=as-of]'); input.value = arguments[0]; input.dispatchEvent(new Event('change', { bubbles: true }));", vec![json!(last)])
                    .await?;
                b.js("location.hash = '#/check-ins';", vec![]).await?;
                b.wait_for("sweep-row").await?;
                let mut ms = Vec::new();
                for row in 0..3 {
                    let edit = save_checkin(&b, &ws, row).await?;
                    ensure(!edit["result"].as_str().unwrap_or("").is_empty(), format!("the saved row shows its result: {edit}"))?;
                    ms.push(get(&edit, "ms")?);
                }
                ms.sort_by(f64::total_cmp);
                add(&mut samples, if before { "before_edit_ms" } else { "after_edit_ms" }, ms[1]);
                edits[usize::from(!before)] = ms[1];
                Ok(())
            }
            .await;
            b.finish(r).await;
        }
        add(&mut samples, "painted_ratio", pair[1] / pair[0]);
        add(&mut samples, "edit_ratio", edits[1] / edits[0]);
        add(&mut samples, "decode_ratio", decodes[1] / decodes[0]);
    }
    before_server.stop();
    let what = format!(
        "Cold start of the large org ({} units, {} check-ins): {} (after) against {} (before)",
        ws.units.len(),
        ws.checkin_count(),
        std::env::var("LATITUDE_BENCH_AFTER_NAME").unwrap_or_else(|_| "this build".into()),
        std::env::var("LATITUDE_BENCH_BEFORE_NAME").unwrap_or_else(|_| "itself".into())
    );
    let table = table(&what, COLD_START_FIGURES, &samples, runs);
    println!("{table}");
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-cold-start-{}.md", engine().name()));
    std::fs::write(&out, &table).expect("write the report");
    println!("bench: report written to {}", out.display());
    let missing: Vec<&str> = COLD_START_FIGURES.iter().map(|f| f.0).filter(|k| samples.get(k).is_none_or(|v| v.len() != runs || v.iter().any(|x| !x.is_finite() || *x <= 0.0))).collect();
    assert!(missing.is_empty(), "figures not produced: {missing:?}");
}

/// Opens the stored large org in a fresh profile and returns the app's own `boot`
/// measure and the time from navigation until the first frame after the app started
/// was painted, once its overview shows every unit. That second mark is the test's own
/// (a frame callback, then a message, which runs after the frame's style, layout and
/// paint), so builds that measure themselves differently are timed alike.
async fn cold_start(b: &Browser, stored: &str, ws: &Workspace) -> R<(f64, f64)> {
    b.open("").await?;
    b.seed_workspace(stored, ws.name.as_str()).await?;
    b.before_load(
        "addEventListener('TrunkApplicationStarted', () => requestAnimationFrame(() => {
             const c = new MessageChannel(); c.port1.onmessage = () => { window.__latitudePainted = performance.now(); }; c.port2.postMessage(0);
         }));",
    )
    .await?;
    b.reload().await?;
    b.wait_for("org-map").await?;
    eventually("the painted frame marked", || async { Ok(b.js("return typeof window.__latitudePainted === 'number';", vec![]).await?.as_bool() == Some(true)) }).await?;
    let m = b
        .js(
            "const e = performance.getEntriesByName('latitude:boot', 'measure');
             return { boot: e.length ? e[0].duration : null, painted: window.__latitudePainted, points: document.querySelectorAll('[data-testid=org-map] [role=graphics-symbol], [data-testid=org-map] circle').length };",
            vec![],
        )
        .await?;
    let boot = m["boot"].as_f64().ok_or_else(|| format!("no boot measure: {m}"))?;
    let painted = m["painted"].as_f64().ok_or_else(|| format!("no painted mark: {m}"))?;
    ensure(m["points"].as_u64().unwrap_or(0) >= ws.units.len() as u64, format!("the overview's map draws every unit: {m}"))?;
    Ok((boot, painted))
}
