//! The views as parts of the WebAssembly that load when first opened.
//!
//! Each function below is a split point: `scripts/build` cuts the code reachable only
//! from it into a file of its own (`split_<name>_….wasm`), which the browser fetches
//! the first time the view is shown; code that several views share goes into a chunk
//! they load together. The shell, the storage decoder and the scoring core stay in the
//! first file. After the first view has rendered, [`prefetch_when_idle`] fetches every
//! other part while the browser is idle, so a click rarely waits.
//!
//! A part that cannot be fetched (offline on a new build, a network error) shows
//! [`failed`], with a retry, never a blank page. A failed load is not remembered: the
//! retry fetches again.
//!
//! Without the split step (a plain `trunk serve`) the functions are ordinary calls.

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use super::pages;
use super::route::EmbedKind;
use crate::core::UnitId;

/// A view's code, once its part is loaded.
type Loaded = Result<AnyView, SplitLoaderError>;

#[wasm_split(overview, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_overview))]
fn overview() -> Loaded {
    Ok(view! { <pages::Overview/> }.into_any())
}

#[wasm_split(units, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_units))]
fn units() -> Loaded {
    Ok(view! { <pages::Units/> }.into_any())
}

#[wasm_split(unit, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_unit))]
fn unit(id: UnitId) -> Loaded {
    Ok(view! { <pages::UnitPage id=id/> }.into_any())
}

#[wasm_split(checkins, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_checkins))]
fn checkins() -> Loaded {
    Ok(view! { <pages::CheckIns/> }.into_any())
}

#[wasm_split(todo, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_todo))]
fn todo() -> Loaded {
    Ok(view! { <pages::Todo/> }.into_any())
}

#[wasm_split(decisions, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_decisions))]
fn decisions() -> Loaded {
    Ok(view! { <pages::Decisions/> }.into_any())
}

#[wasm_split(workshop, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_workshop))]
fn workshop() -> Loaded {
    Ok(view! { <pages::Workshop/> }.into_any())
}

#[wasm_split(settings, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_settings))]
fn settings() -> Loaded {
    Ok(view! { <pages::Settings/> }.into_any())
}

#[wasm_split(embed, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_embed))]
fn embed(kind: EmbedKind) -> Loaded {
    Ok(view! { <pages::Embed kind=kind/> }.into_any())
}

/// One of the views that load as parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Overview,
    Units,
    Unit(UnitId),
    CheckIns,
    Todo,
    Decisions,
    Workshop,
    Settings,
    Embed(EmbedKind),
}

impl View {
    async fn load(self) -> Loaded {
        match self {
            View::Overview => overview().await,
            View::Units => units().await,
            View::Unit(id) => unit(id).await,
            View::CheckIns => checkins().await,
            View::Todo => todo().await,
            View::Decisions => decisions().await,
            View::Workshop => workshop().await,
            View::Settings => settings().await,
            View::Embed(kind) => embed(kind).await,
        }
    }
}

/// The view, shown as soon as its part is loaded; until then a quiet "Loading…", and if
/// the part cannot be fetched, [`failed`] with a retry.
pub fn show(view: View) -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=|| view! { <p class="part__loading" role="status" data-testid="part-loading">"Loading this view…"</p> }>
            {move || {
                attempt.track();
                Suspend::new(send_wrapper::SendWrapper::new(async move {
                    match view.load().await {
                        Ok(v) => v,
                        Err(_) => failed(attempt),
                    }
                }))
            }}
        </Suspense>
    }
}

/// What a view whose part could not be fetched shows: what happened, that nothing is
/// lost, and a retry.
fn failed(attempt: RwSignal<u32>) -> AnyView {
    view! {
        <section class="error-page" role="alert" data-testid="part-failed">
            <h1>"This view could not be loaded"</h1>
            <p>"Its code is downloaded the first time it is opened, and that download failed: the network may be down, or this site may have just been updated. Your data is safe in this browser."</p>
            <p><button type="button" class="button button--primary" data-testid="part-retry" on:click=move |_| attempt.update(|n| *n += 1)>"Try again"</button></p>
        </section>
    }
    .into_any()
}

/// Fetches every part while the browser is idle, once the first view is on screen, so
/// later views open without waiting. Failures are ignored here: opening the view tries
/// again and says so.
pub fn prefetch_when_idle() {
    super::browser::when_idle(|| {
        leptos::task::spawn_local(async {
            // The likeliest next views first.
            let _ = preload_overview().await;
            let _ = preload_unit().await;
            let _ = preload_todo().await;
            let _ = preload_checkins().await;
            let _ = preload_units().await;
            let _ = preload_settings().await;
            let _ = preload_decisions().await;
            let _ = preload_workshop().await;
        });
    });
}
