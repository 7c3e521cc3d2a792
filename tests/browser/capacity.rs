//! Capacity in a real browser: the large org stored in localStorage, opened by the app,
//! and the largest generated workspace that fits the origin's quota. Prints the figures
//! BENCHMARKS.md records; asserts only what must hold (it fits, it opens, nothing lost).

use serde_json::json;

use crate::harness::*;
use latitude::core::generate::{generate, GenSpec};
use latitude::storage::store::encode_stored;

#[tokio::test]
async fn the_large_org_fits_in_local_storage_and_opens() {
    let b = Browser::start("capacity").await;
    let r = async {
        b.open("").await?;
        let ws = generate(42, &GenSpec::large_org());
        let value = encode_stored(&ws, 1, "test", "2026-01-01T00:00:00Z");
        let chars = value.encode_utf16().count();
        let per = chars as f64 / ws.checkin_count() as f64;
        println!("capacity: large org = {} check-ins, stored in {chars} UTF-16 characters: {per:.2} per check-in", ws.checkin_count());
        ensure(per <= 8.0, format!("{per:.2} characters per check-in"))?;
        b.seed_workspace(&value, ws.name.as_str()).await?;
        let stored_len = b.js("return localStorage.getItem('latitude/ws/default').length;", vec![]).await?;
        ensure(stored_len.as_u64() == Some(chars as u64), "the browser kept every character")?;
        b.reload().await?;
        b.open("#/units").await?;
        eventually("300 units listed", || async { Ok(b.find_all("unit-row").await?.len() == 300) }).await?;
        // The overview lists the first rows of a long scoreboard and shows all on request.
        b.open("#/").await?;
        eventually("50 scoreboard rows", || async { Ok(b.find_all("scoreboard-row").await?.len() == 50) }).await?;
        let note = b.text("show-all-units").await?;
        ensure(note.contains("50 of 300"), format!("says how many are shown: {note}"))?;
        b.js("document.querySelector('[data-testid=show-all-units] button').click();", vec![]).await?;
        eventually("all 300 rows", || async { Ok(b.find_all("scoreboard-row").await?.len() == 300) }).await?;
        // So does the decision log, the latest first.
        b.open("#/decisions").await?;
        eventually("100 decisions", || async { Ok(b.find_all("decision").await?.len() == 100) }).await?;
        let note = b.text("show-all-decisions").await?;
        let total: usize = note.split(" of ").nth(1).and_then(|t| t.split(' ').next()).and_then(|n| n.parse().ok()).ok_or(format!("a count in {note:?}"))?;
        ensure(total > 100 && total <= ws.decisions.len(), format!("says how many are shown: {note} ({} decisions)", ws.decisions.len()))?;
        b.js("document.querySelector('[data-testid=show-all-decisions] button').click();", vec![]).await?;
        eventually("every decision", || async { Ok(b.find_all("decision").await?.len() == total) }).await?;
        let back = stored_text(&b, "latitude/ws/default").await?;
        let decoded: latitude::core::Workspace = serde_json::from_str(&back)?;
        ensure(decoded == ws, "the stored workspace decodes to the generated one")?;

        // The largest generated workspace (in units, three years of weekly check-ins) that fits.
        b.js("localStorage.clear();", vec![]).await?;
        let mut largest = (0u32, 0usize, 0usize);
        for units in [300u32, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000] {
            let spec = GenSpec { units, ..GenSpec::large_org() };
            let ws = generate(42, &spec);
            let value = encode_stored(&ws, 1, "test", "");
            let fits = b
                .js("try { localStorage.setItem('latitude/probe-size', arguments[0]); localStorage.removeItem('latitude/probe-size'); return true; } catch (e) { return false; }", vec![json!(value)])
                .await?;
            if fits.as_bool() != Some(true) {
                break;
            }
            largest = (units, ws.checkin_count(), value.encode_utf16().count());
        }
        println!("capacity: largest that fits = {} units, {} check-ins, {} characters", largest.0, largest.1, largest.2);
        ensure(largest.0 >= 1_000, "well beyond the large org")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}
