//! A brand-new workspace, as someone starting from nothing meets it: the as-of banner
//! that stays in view, the to-do page telling them what to add first, and a first grant
//! that names the first decision area.

use std::path::PathBuf;

use fantoccini::Locator;
use serde_json::json;

use crate::harness::*;

/// Where people look at what these tests saw.
fn screenshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots").join(format!("{name}-{}.png", engine().name()))
}

/// The viewport's height and the top and bottom edges, in the viewport, of the header,
/// the as-of banner and the element named, if any.
async fn edges(b: &Browser, testid: &str) -> R<serde_json::Value> {
    b.js(
        "const r = s => { const el = document.querySelector(s); if (!el) return null; const b = el.getBoundingClientRect(); return [b.top, b.bottom]; };
         return { view: window.innerHeight, scrolled: window.scrollY, header: r('.shell__header'), banner: r('[data-testid=banner-as-of]'), el: r('[data-testid=\"' + arguments[0] + '\"]') };",
        vec![json!(testid)],
    )
    .await
}

fn pair(v: &serde_json::Value, key: &str) -> (f64, f64) {
    (v[key][0].as_f64().unwrap_or(f64::NAN), v[key][1].as_f64().unwrap_or(f64::NAN))
}

#[tokio::test]
async fn the_as_of_banner_stays_in_view_down_the_sweep_and_never_covers_a_focused_row() {
    for (name, size) in [("desktop", (1366, 900)), ("phone", (390, 844))] {
        let b = Browser::start_with(&format!("as_of_banner_{name}"), size, None).await;
        let r = async {
            open_sample(&b).await?;
            // Eight weeks back: the sample (built up to today) has a long sweep then.
            let past = latitude::core::format_date(time::OffsetDateTime::now_utc().date() - time::Duration::weeks(8));
            b.open(&format!("#/check-ins?asof={past}")).await?;
            b.wait_for("banner-as-of").await?;
            ensure(b.find_all("sweep-row").await?.len() >= 10, "a long sweep")?;
            // At the bottom of the sweep the date edits are recorded on is still in view,
            // under the header where the header stays (desktop), at the top where it does not.
            b.js("window.scrollTo(0, document.documentElement.scrollHeight);", vec![]).await?;
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            let v = edges(&b, "banner-as-of").await?;
            let (top, bottom) = pair(&v, "banner");
            let (_, header) = pair(&v, "header");
            let view = v["view"].as_f64().unwrap_or(0.0);
            ensure(v["scrolled"].as_f64().unwrap_or(0.0) > view, format!("{name}: the sweep scrolled further than a screen: {v}"))?;
            ensure(top >= -0.5 && bottom <= view + 0.5, format!("{name}: the banner is in the viewport at the bottom of the sweep: {v}"))?;
            ensure(top >= header.max(0.0) - 1.0, format!("{name}: the banner is not under the header: {v}"))?;
            ensure(b.text("banner-as-of").await?.contains(&past), "the banner names the date")?;
            b.screenshot(&screenshot_path(&format!("as-of-banner-sweep-bottom-{name}"))).await?;
            // A row near the top, focused from the bottom of the page, lands below both.
            b.js("document.querySelector('[data-sweep-index=\"0\"]').focus();", vec![]).await?;
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            let focused = b.js("return document.activeElement && document.activeElement.getAttribute('data-sweep-index');", vec![]).await?;
            ensure(focused == "0", format!("{name}: the first row's value has the focus: {focused}"))?;
            let v = edges(&b, "sweep-value").await?;
            let (field, _) = pair(&v, "el");
            let (_, banner) = pair(&v, "banner");
            let (_, header) = pair(&v, "header");
            ensure(field >= banner.max(header) - 0.5, format!("{name}: the focused row is under the header or the banner: {v}"))?;
            b.screenshot(&screenshot_path(&format!("as-of-banner-sweep-focus-{name}"))).await?;
            // Back to today: no banner, and nothing left standing under the header.
            b.click("banner-as-of-today").await?;
            eventually("the banner goes", || async { Ok(!b.exists("banner-as-of").await?) }).await?;
            let left = b.js("return document.querySelector('.shell__sticky').getBoundingClientRect().height;", vec![]).await?;
            ensure(left.as_f64() == Some(0.0), format!("{name}: nothing stays under the header: {left}"))?;
            Ok(())
        }
        .await;
        b.finish(r).await;
    }
}

#[tokio::test]
async fn a_new_workspaces_to_do_says_there_is_nothing_yet_and_what_to_add_first() {
    for (name, size) in [("desktop", (1366, 900)), ("phone", (390, 844))] {
        let b = Browser::start_with(&format!("first_to_do_{name}"), size, None).await;
        let r = async {
            // Nothing exists yet: nothing to do, and where to start.
            b.open("#/to-do").await?;
            let empty = b.text("todo-empty").await?;
            ensure(empty.contains("Nothing to do yet") && empty.contains("no units yet"), format!("{name}: {empty:?}"))?;
            ensure(!empty.contains("within its cadence"), format!("{name}: an empty workspace is not said to be up to date: {empty:?}"))?;
            b.screenshot(&screenshot_path(&format!("first-steps-todo-{name}"))).await?;
            b.click("todo-empty-start").await?;
            b.wait_for("unit-name").await?;
            add_unit(&b, "Payments team").await?;
            // A unit, but no commitment: still nothing to do, and what to add next.
            b.open("#/to-do").await?;
            let empty = b.text("todo-empty").await?;
            ensure(empty.contains("Nothing to do yet") && empty.contains("No unit has a commitment yet"), format!("{name}: {empty:?}"))?;
            // The attribute as written (WebKit's driver answers with the resolved URL).
            let href = b.js("return document.querySelector('[data-testid=todo-empty-start]').getAttribute('href');", vec![]).await?;
            ensure(href.as_str() == Some("#/units"), format!("the way on is the Units page, not {href}"))?;
            Ok(())
        }
        .await;
        b.finish(r).await;
    }
}

async fn add_unit(b: &Browser, unit: &str) -> R {
    b.type_into("unit-name", unit).await?;
    b.click("unit-add").await?;
    eventually("the unit is listed", || async { Ok(b.exists("unit-link").await? && b.text("unit-list").await?.contains(unit)) }).await
}

#[tokio::test]
async fn the_first_grant_of_a_new_workspace_names_its_first_decision_area() {
    for (name, size) in [("desktop", (1366, 900)), ("phone", (390, 844))] {
        let b = Browser::start_with(&format!("first_grant_{name}"), size, None).await;
        let r = async {
            b.open("#/units").await?;
            add_unit(&b, "Payments team").await?;
            // No areas to choose from: the first one to name, said up front.
            b.click("unit-link").await?;
            b.wait_for("grant-form").await?;
            ensure(!b.exists("grant-area").await?, format!("{name}: no chooser of areas when there are none"))?;
            ensure(b.text("grant-new-area-hint").await?.contains("name the first one"), format!("{name}: the hint says to name the first area"))?;
            let label = b.client.find(Locator::Css("label[for=grant-new-area]")).await?.text().await?;
            ensure(label.contains("First decision area"), format!("{name}: the field's label: {label:?}"))?;
            // Granting without a name says what is missing and puts the cursor there.
            b.click("grant-add").await?;
            eventually("the refusal names the first area", || async { Ok(b.text("grant-new-area-error").await?.contains("name the first decision area")) }).await?;
            let focused = b.js("return document.activeElement && document.activeElement.getAttribute('data-testid');", vec![]).await?;
            ensure(focused == "grant-new-area", format!("{name}: the area's name has the focus: {focused}"))?;
            b.screenshot(&screenshot_path(&format!("first-steps-grant-{name}"))).await?;
            // With a name typed, the first try records it.
            b.type_into("grant-new-area", "Architecture").await?;
            b.type_into("grant-reason", "Owns the payments platform").await?;
            b.click("grant-add").await?;
            eventually("the grant is listed", || async { Ok(b.exists("grant-history").await? && b.text("grant-history").await?.contains("Architecture")) }).await?;
            // From now on there is an area to choose.
            eventually("the chooser is shown", || async { b.exists("grant-area").await }).await?;
            ensure(!b.exists("grant-new-area").await?, format!("{name}: the new area's field gives way to the chooser"))?;
            Ok(())
        }
        .await;
        b.finish(r).await;
    }
}

#[tokio::test]
async fn the_sample_opened_on_a_phone_starts_at_the_top_with_the_focus_on_its_heading() {
    let b = Browser::start_with("first_steps_sample_phone", (390, 844), None).await;
    let r = async {
        b.open("").await?;
        // Nothing is owed in an empty workspace: the header shows no count.
        ensure(b.find("todo-count").await?.attr("hidden").await?.is_some(), "no to-do count on an empty workspace")?;
        // The button sits below the fold on a phone: scrolled to, then pressed.
        b.js("document.querySelector('[data-testid=overview-load-sample]').scrollIntoView();", vec![]).await?;
        ensure(b.js("return window.scrollY;", vec![]).await?.as_f64().unwrap_or(0.0) > 0.0, "the page scrolled to the button")?;
        b.click("overview-load-sample").await?;
        b.wait_css("[data-testid=org-map] .chart__hit").await?;
        eventually("at the top, the focus on the heading", || async {
            let at = b.js("return { y: window.scrollY, heading: !!document.activeElement && document.activeElement.matches('main h1') };", vec![]).await?;
            Ok(at["y"].as_f64() == Some(0.0) && at["heading"] == json!(true))
        })
        .await?;
        let count: usize = b.text("todo-count").await?.trim().parse()?;
        ensure(count > 0 && b.find("todo-count").await?.attr("hidden").await?.is_none(), "the header counts what the sample owes")?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}
