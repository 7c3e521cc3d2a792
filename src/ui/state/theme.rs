//! Theme: charts follow the page's light or dark colour scheme.

use leptos::prelude::*;

use super::AppCtx;
use crate::charts::Theme;
use crate::ui::browser;

/// The theme the page starts in.
pub(super) fn initial() -> Theme {
    if browser::prefers_dark() {
        Theme::Dark
    } else {
        Theme::Light
    }
}

impl AppCtx {
    /// Charts follow the page's light or dark theme, also when it changes.
    pub(super) fn follow_theme(self) {
        use wasm_bindgen::{closure::Closure, JsCast};
        let Some(query) = web_sys::window().and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten()) else { return };
        let theme = self.theme;
        let on_change = Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(move |ev: web_sys::MediaQueryListEvent| {
            theme.set(if ev.matches() { Theme::Dark } else { Theme::Light });
        });
        let _ = query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        // The app lives as long as the page.
        on_change.forget();
    }
}
