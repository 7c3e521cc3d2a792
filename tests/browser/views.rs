//! Every view, empty and with the sample organisation, at desktop and phone sizes:
//! no console errors, no serious or critical accessibility violations. Screenshots go
//! to target/screenshots for people to look at.

use std::path::PathBuf;

use crate::harness::*;

const VIEWS: [(&str, &str); 8] = [
    ("overview", "#/"),
    ("units", "#/units"),
    ("unit", "#/units/2"),
    ("check-ins", "#/check-ins"),
    ("to-do", "#/to-do"),
    ("decisions", "#/decisions"),
    ("workshop", "#/workshop"),
    ("settings", "#/settings"),
];

async fn sweep(name: &str, size: (u32, u32), with_sample: bool) {
    let b = Browser::start_with(name, size, None).await;
    let r = async {
        if with_sample {
            load_sample(&b).await?;
        }
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        let mut problems = Vec::new();
        for (view, route) in VIEWS {
            if view == "unit" && !with_sample {
                continue;
            }
            b.open(route).await?;
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            b.full_screenshot(&dir.join(format!("{name}-{view}.png"))).await?;
            let errors = b.console_errors().await?;
            if !errors.is_empty() {
                problems.push(format!("{view}: console errors {errors:?}"));
            }
            let violations = axe_violations(&b).await?;
            if !violations.is_empty() {
                problems.push(format!("{view}: {violations:?}"));
            }
        }
        ensure(problems.is_empty(), problems.join("\n"))
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn every_view_is_clean_and_accessible_with_the_sample_on_a_desktop() {
    sweep("sample-desktop", (1280, 900), true).await;
}

#[tokio::test]
async fn every_view_is_clean_and_accessible_with_the_sample_on_a_phone() {
    sweep("sample-phone", (390, 844), true).await;
}

#[tokio::test]
async fn every_view_is_clean_and_accessible_when_empty() {
    sweep("empty-desktop", (1280, 900), false).await;
    sweep("empty-phone", (390, 844), false).await;
}

/// On a 320 px phone no unit page is wider than the screen and no table on it is wider
/// than its box: the grant history becomes one block per grant, each value after its
/// column's name.
#[tokio::test]
async fn every_unit_page_fits_a_320_px_phone() {
    let b = Browser::start_with("unit-320", (320, 700), None).await;
    let r = async {
        open_sample(&b).await?;
        b.open("#/units").await?;
        b.wait_for("unit-list").await?;
        let links = b.js("return [...document.querySelectorAll('[data-testid=unit-link]')].map(a => a.getAttribute('href'));", vec![]).await?;
        let links: Vec<String> = links.as_array().ok_or("unit links")?.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
        ensure(links.len() > 10, format!("the sample's units are listed: {links:?}"))?;
        let mut problems = Vec::new();
        let mut stacked = 0;
        for link in &links {
            b.open(link).await?;
            b.wait_for("grants").await?;
            let m = b
                .js(
                    "const history = document.querySelector('[data-testid=grant-history]');
                     const cell = history && history.querySelector('td');
                     return {
                       page: document.scrollingElement.scrollWidth, screen: window.innerWidth,
                       wide: [...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.getAttribute('aria-label')),
                       label: cell ? getComputedStyle(cell, '::before').content : null,
                     };",
                    vec![],
                )
                .await?;
            if m["page"].as_u64() > m["screen"].as_u64() {
                problems.push(format!("{link}: the page is {} px wide on a {} px screen", m["page"], m["screen"]));
            }
            if m["wide"].as_array().is_some_and(|w| !w.is_empty()) {
                problems.push(format!("{link}: wider than their box: {}", m["wide"]));
            }
            if let Some(label) = m["label"].as_str() {
                ensure(label == "\"From\"", format!("{link}: a grant's first line is labelled From, not {label}"))?;
                stacked += 1;
            }
        }
        if problems.is_empty() {
            ensure(stacked > 0, "some unit page has a grant history")?;
        }
        b.full_screenshot(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/unit-320.png")).await?;
        ensure(problems.is_empty(), problems.join("\n"))?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}
