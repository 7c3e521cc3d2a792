//! The error page and the recovery screen.

use leptos::prelude::*;

use crate::ui::browser;
use crate::ui::state::use_app;

/// An unknown route.
#[component]
pub fn NotFound(path: String) -> impl IntoView {
    // A first visit may end here: the app still caches itself for offline use.
    crate::ui::parts::prefetch_when_idle();
    view! {
        <section class="error-page" data-testid="not-found">
            <h1>"This page does not exist"</h1>
            <p>"Nothing lives at " <code>{format!("#{path}")}</code> ". The link may be mistyped or from a newer version of Latitude."</p>
            <p><a class="button button--primary" href="#/">"Go to the overview"</a></p>
        </section>
    }
}

/// Stored data that could not be read: never overwritten silently.
#[component]
pub fn Recovery(raw: String, problem: String) -> impl IntoView {
    let ctx = use_app();
    let size = raw.chars().count();
    let raw_for_download = raw.clone();
    crate::ui::parts::prefetch_when_idle();
    view! {
        <section class="error-page" data-testid="recovery">
            <h1>"Your stored workspace could not be read"</h1>
            <p>{format!("Latitude found {size} characters of data it cannot open: {problem}.")}</p>
            <p>"Nothing has been deleted. A copy of the raw data is kept aside in this browser. Download it before you start again, so nothing is lost."</p>
            <div class="button-row">
                <button type="button" class="button button--primary" data-testid="recovery-export" on:click=move |_| {
                    let _ = browser::download("latitude-recovered.txt", "text/plain", &raw_for_download);
                }>"Download the raw data"</button>
                <button type="button" class="button" data-testid="recovery-retry" on:click=move |_| {
                    if let Some(w) = web_sys::window() { let _ = w.location().reload(); }
                }>"Try again"</button>
                <button type="button" class="button button--danger" data-testid="recovery-fresh" on:click=move |_| ctx.start_fresh()>"Start a fresh workspace"</button>
            </div>
        </section>
    }
}
