//! A brand-new workspace, as someone starting from nothing meets it: the to-do page
//! telling them what to add first.

use std::path::PathBuf;


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
