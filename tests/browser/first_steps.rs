//! A brand-new workspace, as someone starting from nothing meets it: the to-do page
//! telling them what to add first, and a first grant that names the first decision area.

use std::path::PathBuf;

use fantoccini::Locator;

use crate::harness::*;

/// Where people look at what these tests saw.
fn screenshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots").join(format!("{name}-{}.png", engine().name()))
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
            ensure(b.find("todo-empty-start").await?.attr("href").await?.as_deref() == Some("#/units"), "the way on is the Units page")?;
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
