//! Charts in the app: hostile names stay text everywhere, points read out their values
//! on focus, and the charts follow a dark page theme.

use std::path::PathBuf;

use crate::common::*;
use crate::harness::*;
use latitude::core::*;
use latitude::storage::envelope::Envelope;

const HOSTILE: [&str; 4] = ["</text><script>window.__x=1</script>", "<img src=x onerror=window.__x=1>", "javascript:window.__x=1", "\"Quotes\" & 'apostrophes'"];

fn hostile_workspace() -> Workspace {
    let mut b = Builder::new();
    let lead = b.unit(HOSTILE[0], None);
    b.grant(lead, ARCH, "2025-01-01", 4, 6);
    for (i, name) in HOSTILE.iter().enumerate().skip(1) {
        let u = b.unit(name, Some(lead));
        b.grant(u, ARCH, "2025-01-01", 3, 5);
        let c = b.deliver(u, name, Category::CustomerValue, "2025-06-01", "2025-11-30", 0.5 + i as f64 * 0.1);
        b.edit(c, |c| {
            let first = c.checkins()[0].date;
            c.update_checkin(first, |k| k.evidence = HOSTILE[1].to_owned());
        });
        b.decision(u, ARCH, "2025-07-01", Outcome::Bad, &[u]);
        b.pulse(u, "2025-08-01", 4.0);
    }
    let mut ws = b.build();
    ws.name = Name::new(HOSTILE[1]).unwrap();
    ws.areas[0].name = Name::new(HOSTILE[2]).unwrap();
    ws
}

/// Puts a workspace into the browser's storage as the app would have saved it.
pub async fn seed_workspace(b: &Browser, ws: &Workspace) -> R {
    b.open("").await?;
    let env = serde_json::to_string(&Envelope::new(ws.clone(), 1, "test", "2026-01-01T00:00:00Z"))?;
    b.seed_workspace(&env, ws.name.as_str()).await?;
    b.reload().await?;
    Ok(())
}

#[tokio::test]
async fn hostile_names_stay_text_in_every_view_and_chart() {
    let b = Browser::start("xss").await;
    let r = async {
        let ws = hostile_workspace();
        seed_workspace(&b, &ws).await?;
        let mut routes: Vec<String> = ["#/", "#/units", "#/check-ins", "#/decisions", "#/workshop", "#/settings"].iter().map(|s| s.to_string()).collect();
        routes.extend(ws.units.iter().map(|u| format!("#/units/{}", u.id.0)));
        for route in &routes {
            b.open(route).await?;
            // Set the as-of date inside the data so every chart has content.
            b.type_into("as-of", "12/28/2025").await.ok();
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let state = b.js("return { x: typeof window.__x, imgs: document.querySelectorAll('img').length, scripts: document.querySelectorAll('body script').length, handlers: document.querySelectorAll('[onerror]').length };", vec![]).await?;
            ensure(state["x"] == "undefined", format!("{route}: window.__x was set"))?;
            ensure(state["imgs"] == 0 && state["scripts"] == 0 && state["handlers"] == 0, format!("{route}: markup injected: {state}"))?;
        }
        // The names show literally, in the org map's SVG text and in the page.
        b.open("#/").await?;
        b.type_into("as-of", "12/28/2025").await?;
        let texts = b.js("return Array.from(document.querySelectorAll('[data-testid=org-map] svg text')).map(t => t.textContent).join('\\n');", vec![]).await?;
        let page = b.js("return document.body.innerText;", vec![]).await?;
        for name in HOSTILE {
            ensure(texts.as_str().unwrap_or("").contains(name) || page.as_str().unwrap_or("").contains(name), format!("{name:?} is not shown literally"))?;
        }
        ensure(page.as_str().unwrap_or("").contains(HOSTILE[0]), "the first name shows in the page text")?;
        no_console_errors(&b).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn focusing_a_point_on_the_org_map_reads_out_its_values() {
    let b = Browser::start("map_focus").await;
    let r = async {
        open_sample(&b).await?;
        let hit = b.wait_css("[data-testid=org-map] .chart__hit").await?;
        let label = hit.attr("aria-label").await?.unwrap_or_default();
        ensure(label.contains("granted A") && label.contains("supported S"), format!("hit area label {label:?}"))?;
        b.js("document.querySelector('[data-testid=org-map] .chart__hit').focus();", vec![]).await?;
        eventually("the readout shows the point", || async { Ok(b.text("org-map-readout").await? == label) }).await?;
        // The map is one Tab stop; the arrow keys go on to the other points, and the one
        // reached is where Tab comes back to.
        let stops = b.js("return document.querySelectorAll('[data-testid=org-map] .chart__hit[tabindex=\"0\"]').length;", vec![]).await?;
        ensure(stops.as_u64() == Some(1), format!("points in the Tab order: {stops}"))?;
        b.js("document.querySelector('[data-testid=org-map] .chart__hit[tabindex=\"0\"]').focus();", vec![]).await?;
        // (An engine that does not focus a chart's point from script, WebKit, has no key to press there.)
        if b.js("return document.activeElement.classList.contains('chart__hit');", vec![]).await?.as_bool() == Some(true) {
            let at = "const a = document.activeElement; return [a.getAttribute('cx'), a.getAttribute('aria-label'), a.getAttribute('tabindex'), document.querySelectorAll('[data-testid=org-map] .chart__hit[tabindex=\"0\"]').length];";
            let before = b.js(at, vec![]).await?;
            b.client.active_element().await?.send_keys(&fantoccini::key::Key::Right.to_string()).await?;
            let after = b.js(at, vec![]).await?;
            let x = |v: &serde_json::Value| v[0].as_str().and_then(|x| x.parse::<f64>().ok()).unwrap_or(f64::NAN);
            ensure(after[1] != before[1] && x(&after) >= x(&before) && after[2] == "0" && after[3] == 1, format!("→ moves to the next point on the right: {before} then {after}"))?;
            let read = after[1].as_str().unwrap_or_default().to_owned();
            eventually("the readout follows", || async { Ok(b.text("org-map-readout").await? == read) }).await?;
            b.client.active_element().await?.send_keys(&fantoccini::key::Key::Left.to_string()).await?;
            ensure(b.js(at, vec![]).await?[1] == before[1], "← comes back")?;
        }
        // The table behind the toggle lists every unit.
        b.click("org-map-toggle-table").await?;
        let rows = b.js("return document.querySelectorAll('[data-testid=org-map] tbody tr').length;", vec![]).await?;
        let units = b.find_all("scoreboard-row").await?.len();
        ensure(rows.as_u64() == Some(units as u64), format!("{rows} table rows for {units} units"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn charts_follow_a_dark_page_theme() {
    chromium_only!("emulates a dark colour scheme through the DevTools protocol");
    let b = Browser::start("dark").await;
    let r = async {
        emulate_scheme(&b, "dark").await?;
        open_sample(&b).await?;
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        b.full_screenshot(&dir.join("dark-desktop-overview.png")).await?;
        // The chart background is the dark palette's.
        let fill = b.js("const r = document.querySelector('[data-testid=org-map] svg rect'); return r && r.getAttribute('fill');", vec![]).await?;
        ensure(fill.as_str().is_some_and(|f| f.contains("#16181D") || f.contains("#16181d")), format!("background fill {fill}"))?;
        b.open("#/units/2").await?;
        b.wait_css("[data-testid=trend-chart] .chart__hit--column").await?;
        b.full_screenshot(&dir.join("dark-desktop-unit.png")).await?;
        // Hovering a week of the trend reads out its values.
        b.js("document.querySelector('[data-testid=trend-chart] .chart__hit--column').dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));", vec![]).await?;
        eventually("the trend readout", || async { Ok(b.text("trend-chart-readout").await?.starts_with("Week of")) }).await?;
        // Switching the page to light redraws the charts light, without a reload.
        emulate_scheme(&b, "light").await?;
        eventually("light chart", || async {
            let fill = b.js("const r = document.querySelector('[data-testid=trend-chart] svg rect'); return r && r.getAttribute('fill');", vec![]).await?;
            Ok(fill.as_str().is_some_and(|f| f.eq_ignore_ascii_case("#FFFFFF")))
        })
        .await?;
        no_console_errors(&b).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn dark_charts_on_a_phone() {
    chromium_only!("emulates a dark colour scheme through the DevTools protocol");
    let b = Browser::start_with("dark_phone", (390, 844), None).await;
    let r = async {
        emulate_scheme(&b, "dark").await?;
        open_sample(&b).await?;
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        b.full_screenshot(&dir.join("dark-phone-overview.png")).await?;
        b.open("#/units/9").await?;
        b.wait_css("[data-testid=trend-chart] .chart__hit--column").await?;
        b.full_screenshot(&dir.join("dark-phone-unit.png")).await?;
        let violations = axe_violations(&b).await?;
        ensure(violations.is_empty(), format!("{violations:?}"))?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}
