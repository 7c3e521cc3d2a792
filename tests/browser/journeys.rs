//! The main journeys of the app, as people walk them.

use fantoccini::key::Key;
use fantoccini::Locator;

use crate::harness::*;

#[tokio::test]
async fn a_newcomer_loads_the_sample_and_reaches_a_flagged_units_explanation() {
    let b = Browser::start("newcomer").await;
    let r = async {
        open_sample(&b).await?;
        let flag = b.wait_css("[data-testid=flag][data-flag=overextended] a").await?;
        let unit = flag.text().await?;
        flag.click().await?;
        b.wait_for("unit-page").await?;
        ensure(b.text("unit-flag").await?.contains("Overextended"), "the flag is on the unit page")?;
        let details = b.find("explain-supported").await?;
        details.find(Locator::Css("summary")).await?.click().await?;
        let text = details.text().await?;
        ensure(text.contains("100 ×") && text.contains("Gap A − S"), format!("{unit}: explanation {text:?}"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

async fn stored_workspace(b: &Browser) -> R<latitude::core::Workspace> {
    let id = b.js("return (JSON.parse(localStorage.getItem('latitude/index') || '{}').active) || 'default';", vec![]).await?;
    Ok(serde_json::from_str(&stored_text(b, &format!("latitude/ws/{}", id.as_str().unwrap_or("default"))).await?)?)
}

#[tokio::test]
async fn a_lead_sweeps_ten_check_ins_with_the_keyboard_only() {
    let b = Browser::start("sweep").await;
    let r = async {
        open_sample(&b).await?;
        b.open("#/check-ins").await?;
        let rows = b.find_all("sweep-row").await?;
        ensure(rows.len() >= 10, format!("{} open commitments", rows.len()))?;
        // Each row gets a value in its commitment's scale (its last reading, or the
        // baseline): a value far outside it would be asked about first.
        eventually("the sample is stored", || async { Ok(stored_workspace(&b).await.is_ok()) }).await?;
        let mut values = Vec::new();
        for row in rows.iter().take(10) {
            let id: u32 = row.attr("data-commitment-id").await?.unwrap_or_default().parse()?;
            let ws = stored_workspace(&b).await?;
            let c = ws.commitment(latitude::core::CommitmentId(id)).ok_or("the commitment is stored")?;
            values.push(c.checkins().last().map(|k| k.value.get()).or(c.baseline.map(|v| v.get())).unwrap_or(0.0));
        }
        b.js("document.querySelector('[data-sweep-index=\"0\"]').focus();", vec![]).await?;
        for (i, value) in values.iter().enumerate() {
            let active = b.client.active_element().await?;
            ensure(active.attr("data-sweep-index").await?.as_deref() == Some(&i.to_string()), format!("focus on row {i}"))?;
            // Value, Tab to evidence, type, Enter saves and moves on.
            active.send_keys(&value.to_string()).await?;
            active.send_keys(&Key::Tab.to_string()).await?;
            let evidence = b.client.active_element().await?;
            ensure(evidence.attr("data-testid").await?.as_deref() == Some("sweep-evidence"), "Tab reaches evidence")?;
            evidence.send_keys(&format!("https://dash/{i}{}", Key::Enter)).await?;
            eventually(&format!("row {i} saved"), || async { Ok(b.text("sweep-saved").await? == format!("{} saved", i + 1)) }).await?;
        }
        let done = b.client.find_all(Locator::Css(".sweep__row--done")).await?.len();
        ensure(done == 10, format!("{done} rows marked saved"))?;
        eventually("all ten are stored", || async {
            let id = b.js("return (JSON.parse(localStorage.getItem('latitude/index') || '{}').active) || 'default';", vec![]).await?;
            let text = stored_text(&b, &format!("latitude/ws/{}", id.as_str().unwrap_or("default"))).await?;
            Ok((0..10).all(|i| text.contains(&format!("https://dash/{i}\""))))
        })
        .await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_reviewer_records_a_review_from_the_recommendation() {
    let b = Browser::start("review").await;
    let r = async {
        open_sample(&b).await?;
        let link = b.wait_css("[data-testid=flag][data-flag=overextended] a").await?;
        link.click().await?;
        b.wait_for("review-form").await?;
        let verdict = b.find("unit-verdict").await?.text().await?.to_lowercase();
        let selected = b.js("return document.querySelector('[data-testid=review-verdict]').value;", vec![]).await?;
        ensure(verdict.contains(selected.as_str().unwrap_or("?")), format!("prefilled {selected} for {verdict:?}"))?;
        // The recommendation's reason is what an empty reason records: said in the field.
        let placeholder = b.js("return document.querySelector('[data-testid=review-note]').placeholder;", vec![]).await?;
        let reason = b.text("unit-recommendation").await?;
        let stands_in = placeholder.as_str().and_then(|p| p.strip_prefix("Left empty, the recommendation's reason is recorded: ")).unwrap_or_default().to_owned();
        ensure(!stands_in.is_empty() && reason.contains(&stands_in), format!("the reason offered: {placeholder}"))?;
        b.click("review-save").await?;
        eventually("recorded", || async { Ok(b.text("review-status").await?.contains("Review recorded: contract")) }).await?;
        ensure(b.text("review-history").await?.to_lowercase().contains("contract"), "the review is in the history")?;
        let stored = b.js("return location.hash;", vec![]).await?;
        let unit = stored.as_str().and_then(|h| h.strip_prefix("#/units/")).map(|u| u.split(['?', '/']).next().unwrap_or("").to_owned()).ok_or("a unit's page")?;
        // The contraction waits for its results: the overview's flag says so, as the
        // unit's page does.
        b.open("#/").await?;
        eventually("the overextended flag says the contraction waits", || async {
            let said = b.js("const f = document.querySelector(`[data-testid=flag][data-flag=overextended] a[href='#/units/${arguments[0]}']`); const w = f && f.parentElement.querySelector('[data-testid=flag-waiting]'); return w ? w.textContent : '';", vec![serde_json::json!(unit)]).await?;
            Ok(said.as_str().is_some_and(|t| t.starts_with("Contracted on ") && t.contains("holds until results due after that are scored")))
        })
        .await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn replaying_the_as_of_date_moves_the_map() {
    let b = Browser::start("replay").await;
    let r = async {
        open_sample(&b).await?;
        let positions = || async {
            let v = b.js("return Array.from(document.querySelectorAll('[data-testid=org-map] .chart__hit')).map(c => c.getAttribute('cx') + ',' + c.getAttribute('cy')).join(' ');", vec![]).await?;
            R::Ok(v.as_str().unwrap_or("").to_owned())
        };
        let now = positions().await?;
        for _ in 0..26 {
            b.click("as-of-back").await?;
        }
        eventually("the map changed", || async { Ok(positions().await? != now) }).await?;
        let half_year_ago = positions().await?;
        ensure(!half_year_ago.is_empty(), "points are drawn")?;
        b.click("as-of-today").await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}
