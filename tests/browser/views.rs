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
