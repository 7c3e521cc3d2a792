//! Timings for the browser benchmark: each [`Span`] becomes a `performance.measure`
//! entry named `latitude:<what>`, visible in the browser's performance tools and read by
//! `./scripts/bench-browser`. Outside the browser a span does nothing.

/// A timed stretch of work, measured from [`Span::start`] to [`Span::end`].
#[must_use = "a span measures until `end` is called"]
pub struct Span {
    #[cfg(target_arch = "wasm32")]
    name: &'static str,
    #[cfg(target_arch = "wasm32")]
    start: f64,
}

impl Span {
    pub fn start(name: &'static str) -> Span {
        #[cfg(target_arch = "wasm32")]
        {
            Span { name, start: now() }
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = name;
            Span {}
        }
    }

    /// Records the measure (start and duration, in ms since the page's time origin).
    pub fn end(self) {
        #[cfg(target_arch = "wasm32")]
        record(self.name, self.start, now());
    }
}

/// Milliseconds since the page's time origin (0 outside the browser).
pub fn now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
    }
    #[cfg(not(target_arch = "wasm32"))]
    0.0
}

/// Records `latitude:<name>` from `start` to `end` (both from [`now`]).
pub fn record(name: &str, start: f64, end: f64) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::{JsCast, JsValue};
        let Some(p) = web_sys::window().and_then(|w| w.performance()) else { return };
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &JsValue::from_str("start"), &JsValue::from_f64(start));
        let _ = js_sys::Reflect::set(&options, &JsValue::from_str("end"), &JsValue::from_f64(end));
        let measure = js_sys::Reflect::get(&p, &JsValue::from_str("measure")).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(measure) = measure {
            let _ = measure.call2(&p, &JsValue::from_str(&format!("latitude:{name}")), &options);
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (name, start, end);
}
