use serde_json::json;
use crate::harness::*;
use latitude::core::generate::{generate, GenSpec};
use latitude::storage::store::encode_stored;
#[tokio::test]
async fn zz_dom_size() {
    let b = Browser::start("zz").await;
    let r = async {
        b.open("").await?;
        let ws = generate(42, &GenSpec::large_org());
        b.seed_local_storage("latitude/ws/default", &encode_stored(&ws, 1, "t", "")).await?;
        b.seed_local_storage("latitude/index", &json!({"workspaces": [{"id": "default", "name": "x"}], "active": "default"}).to_string()).await?;
        b.reload().await?;
        b.wait_for("org-map").await?;
        b.js("const input = document.querySelector('[data-testid=as-of]'); input.value = '2025-12-28'; input.dispatchEvent(new Event('change', { bubbles: true }));", vec![]).await?;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let step = "const done = arguments[0]; const settle = () => new Promise(resolve => { const ch = new MessageChannel(); ch.port1.onmessage = () => { const t = performance.now(); void document.body.offsetHeight; resolve([t, performance.now()]); }; ch.port2.postMessage(0); }); const t0 = performance.now(); document.querySelector('[data-testid=as-of-back]').click(); settle().then(([t1, t2]) => done([t1 - t0, t2 - t1]));";
        for label in ["as is", "as is", "as is", "no scoreboard", "no scoreboard", "no flags too", "no flags too", "no map too", "no map too"] {
            match label {
                "no scoreboard" => { b.js("document.querySelector('[data-testid=scoreboard]').style.display='none'", vec![]).await?; }
                "no flags too" => { b.js("document.querySelector('[data-testid=flags]').style.display='none'", vec![]).await?; }
                "no map too" => { b.js("document.querySelector('.chart-figure__svg').style.display='none'", vec![]).await?; }
                _ => {}
            }
            let v = b.client.execute_async(step, vec![]).await?;
            println!("{label}: scripts+effects {:.1} ms, layout {:.1} ms", v[0].as_f64().unwrap(), v[1].as_f64().unwrap());
        }
        let v = b.js("return [document.querySelectorAll('[data-testid=flag]').length, document.querySelector('[data-testid=flags]').getBoundingClientRect().height, document.querySelector('[data-testid=scoreboard]').getBoundingClientRect().top]", vec![]).await?;
        println!("{v}");
        Ok(())
    }.await;
    b.finish(r).await;
}
