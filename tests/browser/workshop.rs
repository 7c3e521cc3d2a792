//! A facilitator runs the whole workshop, from a blank workspace to the export.

use crate::harness::*;

#[tokio::test]
async fn a_facilitator_runs_the_workshop_from_blank_to_export() {
    let b = Browser::start("workshop").await;
    let r = async {
        b.open("#/workshop").await?;
        ensure(b.text("workshop-step-title").await?.contains("1. Set the scene"), "starts at step 1")?;
        b.click("workshop-blank").await?;
        eventually("step 2", || async { Ok(b.text("workshop-step-title").await?.contains("2. Name the teams")) }).await?;

        for (team, leader) in [("Platform", None), ("Payments", Some("Platform"))] {
            b.type_into("workshop-team-name", team).await?;
            if let Some(l) = leader {
                b.find("workshop-team-leader").await?.select_by_label(l).await?;
            }
            b.click("workshop-team-add").await?;
            eventually(team, || async { Ok(b.text("workshop-teams").await?.contains(team)) }).await?;
        }
        b.click("workshop-next").await?;

        // Delegation poker: hidden votes, reveal, spread, agreed grant.
        b.find("poker-unit").await?.select_by_label("Payments").await?;
        b.type_into("poker-new-area", "Release").await?;
        for (who, level) in [("Ana", "3"), ("Bo", "5"), ("Chen", "6")] {
            b.type_into("poker-who", who).await?;
            b.find("poker-vote").await?.select_by_value(level).await?;
            b.click("poker-add-vote").await?;
        }
        let cards = b.text("poker-cards").await?;
        ensure(cards.matches("voted").count() == 3 && !cards.contains("Advise"), format!("votes are hidden before the reveal: {cards:?}"))?;
        b.click("poker-reveal").await?;
        let result = b.text("poker-result").await?;
        ensure(result.contains("Spread: 3 to 6 (3 levels apart). Median 5."), format!("result {result:?}"))?;
        ensure(b.text("poker-cards").await?.contains("6 Inquire"), "revealed cards show the levels")?;
        b.find("poker-rung").await?.select_by_value("3").await?;
        b.click("poker-record").await?;
        eventually("recorded", || async { Ok(b.text("poker-status").await?.contains("Recorded level 5 Advise at scope System")) }).await?;

        b.click("workshop-next").await?;
        eventually("step 4", || async { Ok(b.text("workshop-step-title").await?.contains("4.")) }).await?;
        b.click("workshop-next").await?;
        b.wait_for("workshop-map").await?;
        let has_map = b.js("return !!document.querySelector('[data-testid=workshop-map] svg .org-map__hits');", vec![]).await?;
        ensure(has_map.as_bool() == Some(true), "the map is revealed")?;
        b.click("workshop-next").await?;
        b.wait_for("workshop-actions").await?;
        let actions = b.find_all("workshop-record-review").await?;
        ensure(!actions.is_empty(), "there are actions to agree")?;
        actions[0].click().await?;
        b.click("workshop-export").await?;
        eventually("exported", || async { Ok(b.text("workshop-export-status").await?.contains("Exported")) }).await?;

        // The grant from the poker round is on the unit page.
        b.open("#/units/2").await?;
        let grants = b.text("grant-history").await?;
        ensure(grants.contains("Release") && grants.contains("3 System") && grants.contains("5 Advise"), format!("grant history {grants:?}"))?;
        // The agreed action is a recorded review, kept in the browser's storage.
        eventually("the review is stored", || async {
            let id = b.js("return (JSON.parse(localStorage.getItem('latitude/index') || '{}').active) || 'default';", vec![]).await?;
            let key = format!("latitude/ws/{}", id.as_str().unwrap_or("default"));
            let ws: latitude::core::Workspace = serde_json::from_str(&stored_text(&b, &key).await?)?;
            Ok(ws.reviews.len() == 1 && ws.grants.len() == 1)
        })
        .await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn presenter_mode_is_large_keyboard_driven_and_timed() {
    let b = Browser::start("presenter").await;
    let r = async {
        b.open("#/workshop").await?;
        b.click("presenter-toggle").await?;
        let class = b.find("workshop").await?.attr("class").await?.unwrap_or_default();
        ensure(class.contains("workshop--presenter"), format!("class {class:?}"))?;
        let size = b.js("return parseFloat(getComputedStyle(document.querySelector('[data-testid=workshop]')).fontSize);", vec![]).await?;
        ensure(size.as_f64().unwrap_or(0.0) >= 20.0, format!("font size {size}"))?;
        b.js("document.activeElement && document.activeElement.blur();", vec![]).await?;
        b.js("window.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));", vec![]).await?;
        eventually("step 2 by keyboard", || async { Ok(b.text("workshop-step-title").await?.starts_with("2.")) }).await?;
        b.js("window.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowLeft', bubbles: true}));", vec![]).await?;
        eventually("back to step 1", || async { Ok(b.text("workshop-step-title").await?.starts_with("1.")) }).await?;
        ensure(b.text("workshop-clock").await? == "10:00", "each step has its time")?;
        b.click("timer-toggle").await?;
        eventually("the timer runs", || async { Ok(b.text("workshop-clock").await? != "10:00") }).await?;
        let violations = axe_violations(&b).await?;
        ensure(violations.is_empty(), format!("presenter mode: {violations:?}"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}
