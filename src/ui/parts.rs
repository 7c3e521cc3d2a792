//! The views as parts of the WebAssembly that load when first opened.
//!
//! Each function made by [`part!`] is a split point: `scripts/build` cuts the code
//! reachable only from it into a module of its own, which the browser fetches the first
//! time the view is shown; code that several views share goes into chunks they load
//! together (`scripts/split_dist.py` packs them: a view fetches its own pack and
//! packs of shared code, never another view's). The shell, the storage decoder and the
//! scoring core stay in the first module. After the first view has rendered,
//! [`prefetch_when_idle`] fetches every other part while the browser is idle, so a click
//! rarely waits.
//!
//! A view is built in the ordinary reactive closure that shows it, once its part is
//! loaded: the part is fetched in a task of its own, which only sets a signal, and the
//! view is then built synchronously under the closure's owner (a loaded part's function
//! answers at once), so it lives and is disposed like any other view.
//!
//! A part that cannot be fetched (offline on a new build, a network error) shows
//! [`failed`], with a retry, never a blank page. A failed load is not remembered: the
//! retry fetches again.
//!
//! The split points exist only in the release build (`--cfg latitude_split`, set by
//! `scripts/build`); elsewhere (`scripts/serve`) the functions are ordinary calls.

use std::cell::Cell;
use std::future::Future;
use std::task::{Context, Poll, Waker};

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use super::pages;
use super::route::EmbedKind;
use crate::core::UnitId;

/// A view's code, once its part is loaded.
type Loaded = Result<AnyView, SplitLoaderError>;

/// A view's function and the function that only loads its part; a split point where
/// the build splits, an ordinary call elsewhere.
macro_rules! part {
    ($name:ident, $preload:ident, ($($arg:ident: $ty:ty),*) => $body:expr) => {
        #[cfg(latitude_split)]
        #[leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        fn $name($($arg: $ty),*) -> Loaded {
            Ok($body.into_any())
        }
        #[cfg(not(latitude_split))]
        async fn $name($($arg: $ty),*) -> Loaded {
            Ok($body.into_any())
        }
        #[cfg(not(latitude_split))]
        async fn $preload() -> Result<(), SplitLoaderError> {
            Ok(())
        }
    };
}

part!(overview, preload_overview, () => view! { <pages::Overview/> });
part!(units, preload_units, () => view! { <pages::Units/> });
part!(unit, preload_unit, (id: UnitId) => view! { <pages::UnitPage id=id/> });
part!(checkins, preload_checkins, () => view! { <pages::CheckIns/> });
part!(todo, preload_todo, () => view! { <pages::Todo/> });
part!(decisions, preload_decisions, () => view! { <pages::Decisions/> });
part!(workshop, preload_workshop, () => view! { <pages::Workshop/> });
part!(settings, preload_settings, () => view! { <pages::Settings/> });
part!(embed, preload_embed, (kind: EmbedKind) => view! { <pages::Embed kind=kind/> });

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

thread_local! {
    /// The parts loaded so far, one bit per [`View::bit`].
    static LOADED: Cell<u16> = const { Cell::new(0) };
}

impl View {
    fn bit(self) -> u16 {
        1 << match self {
            View::Overview => 0,
            View::Units => 1,
            View::Unit(_) => 2,
            View::CheckIns => 3,
            View::Todo => 4,
            View::Decisions => 5,
            View::Workshop => 6,
            View::Settings => 7,
            View::Embed(_) => 8,
        }
    }

    fn is_loaded(self) -> bool {
        LOADED.with(|l| l.get() & self.bit() != 0)
    }

    /// Fetches the view's part (once; a failure is not remembered).
    async fn load(self) -> Result<(), SplitLoaderError> {
        match self {
            View::Overview => preload_overview().await,
            View::Units => preload_units().await,
            View::Unit(_) => preload_unit().await,
            View::CheckIns => preload_checkins().await,
            View::Todo => preload_todo().await,
            View::Decisions => preload_decisions().await,
            View::Workshop => preload_workshop().await,
            View::Settings => preload_settings().await,
            View::Embed(_) => preload_embed().await,
        }?;
        LOADED.with(|l| l.set(l.get() | self.bit()));
        Ok(())
    }

    /// Builds the view, under the current owner, from its loaded part.
    fn build(self) -> Option<AnyView> {
        match self {
            View::Overview => at_once(overview()),
            View::Units => at_once(units()),
            View::Unit(id) => at_once(unit(id)),
            View::CheckIns => at_once(checkins()),
            View::Todo => at_once(todo()),
            View::Decisions => at_once(decisions()),
            View::Workshop => at_once(workshop()),
            View::Settings => at_once(settings()),
            View::Embed(kind) => at_once(embed(kind)),
        }
    }
}

/// The answer of a loaded part's function, which is ready on its first poll. (Called
/// only after [`View::load`] succeeded: `None` would mean the part is not loaded.)
fn at_once(call: impl Future<Output = Loaded>) -> Option<AnyView> {
    let mut call = std::pin::pin!(call);
    match call.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(view) => view.ok(),
        Poll::Pending => None,
    }
}

/// Where a view's part is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Loading,
    Ready,
    Failed,
}

/// The view, shown as soon as its part is loaded; until then a quiet "Loading…", and if
/// the part cannot be fetched, [`failed`] with a retry.
pub fn show(view: View) -> impl IntoView {
    let status = RwSignal::new(if view.is_loaded() { Status::Ready } else { Status::Loading });
    let fetch = move |retry: bool| {
        status.set(Status::Loading);
        leptos::task::spawn_local(async move {
            let loaded = view.load().await.is_ok();
            status.try_set(if loaded { Status::Ready } else { Status::Failed });
            // The retry button is gone with the message: focus goes to the view's
            // heading, not back to the top of the page.
            if loaded && retry {
                super::browser::focus_heading();
            }
            // An embed loads only what it shows; the app caches itself for offline use
            // and fetches the other views' parts once its first view is on screen.
            if loaded && !matches!(view, View::Embed(_)) {
                prefetch_when_idle();
            }
        });
    };
    if !view.is_loaded() {
        fetch(false);
    }
    let retry = move || fetch(true);
    move || match status.get() {
        Status::Loading => view! { <p class="part__loading" role="status" data-testid="part-loading">"Loading this view…"</p> }.into_any(),
        Status::Ready => view.build().unwrap_or_else(|| failed(retry)),
        Status::Failed => failed(retry),
    }
}

/// What a view whose part could not be fetched shows: what happened, that nothing is
/// lost, and a retry.
fn failed(retry: impl Fn() + Copy + Send + Sync + 'static) -> AnyView {
    view! {
        <section class="error-page" role="alert" data-testid="part-failed">
            <h1>"This view could not be loaded"</h1>
            <p>"Its code is downloaded the first time it is opened, and that download failed: the network may be down, or this site may have just been updated. Your data is safe in this browser."</p>
            <p><button type="button" class="button button--primary" data-testid="part-retry" on:click=move |_| retry()>"Try again"</button></p>
        </section>
    }
    .into_any()
}

/// Once the first view is on screen and the browser is idle, registers the offline
/// service worker, which caches the whole build, and then fetches every other part (from
/// that cache, where it could fill it), so later views open without waiting. Both wait
/// for the first view: on a slow connection they would otherwise compete with its part.
/// Once per page; the performance measure `latitude:prefetch` says when the parts'
/// fetch starts, `latitude:prefetched` how long until every part was loaded. Failures
/// are ignored here: opening the view tries again and says so.
/// An embed calls neither: it loads only what it shows and stores nothing. The pages
/// that are no view's part (not found, recovery) call it when shown.
pub(crate) fn prefetch_when_idle() {
    thread_local! {
        static STARTED: Cell<bool> = const { Cell::new(false) };
    }
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    super::browser::when_idle(|| {
        leptos::task::spawn_local(async {
            super::browser::register_service_worker(15_000).await;
            let start = crate::perf::now();
            crate::perf::record("prefetch", start, start);
            // The likeliest next views first.
            for view in [View::Overview, View::Unit(UnitId(0)), View::Todo, View::CheckIns, View::Units, View::Decisions, View::Settings, View::Workshop] {
                let _ = view.load().await;
            }
            crate::perf::record("prefetched", start, crate::perf::now());
        });
    });
}
