//! The app shell: header, navigation, storage banners, and the routed page.

use leptos::prelude::*;

use super::browser;
use super::pages;
use super::parts::{self, View};
use super::route::{EmbedKind, LinkedAsOf, Route, NAV};
use super::state::{AppCtx, Boot, Persistence};
use crate::core::format_date;
use crate::storage::snapshot::{peek_scope, Scope};

/// Reads the app's state (the workspace from storage, or the data of the link opened) and
/// provides it as the context [`App`] is mounted in.
pub fn provide_state() {
    AppCtx::provide(Route::parse(&browser::hash()).snapshot_data());
}

/// The whole app, mounted where [`provide_state`] has provided its state.
#[component]
pub fn App() -> impl IntoView {
    let first = Route::parse(&browser::hash());
    let ctx = super::state::use_app();
    let embedded = matches!(first, Route::Embed(..));
    let booted_with = first.snapshot_data().map(str::to_owned);
    // A unit's link opens on that unit's page; a scoreboard link on the scoreboard.
    let shared_scope = first.snapshot_data().and_then(peek_scope);
    // Where a link's own view is, for the pages a map or scoreboard link cannot show.
    let shared_home = first.href();
    // Every change of the link (`linked`), and the route it names (`route`): following a
    // link to the page already shown (another as-of date) keeps that page mounted.
    let linked = RwSignal::new(first);
    let route = Memo::new(move |_| linked.get());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        let next = Route::parse(&browser::hash());
        // A link to a past view opened in this tab moves the as-of date there.
        // One it cannot show keeps the date shown and says why.
        match browser::linked_as_of(ctx.as_of.get_untracked()) {
            LinkedAsOf::Date(d) if d != ctx.as_of.get_untracked() => {
                ctx.as_of_notice.set(None);
                ctx.as_of.set(d);
            }
            LinkedAsOf::Refused(why) => ctx.as_of_notice.set(Some(why)),
            _ => {}
        }
        // Another snapshot (or the first one) is another app state: start afresh from it.
        if let Some(data) = next.snapshot_data() {
            if booted_with.as_deref() != Some(data) {
                browser::reload();
                return;
            }
        }
        linked.set(next);
        browser::scroll_to_top();
    });
    // What Undo or Redo just did (wherever it was asked: here, or a sweep row's keys),
    // said for a few seconds: the page may show nothing of it (an edit made on another
    // page, a check-in far down a list).
    let said_for = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        if ctx.history_said.with(Option::is_some) {
            if let Some(h) = said_for.get_value() {
                h.clear();
            }
            let gone = set_timeout_with_handle(
                move || {
                    ctx.history_said.try_set(None);
                },
                std::time::Duration::from_secs(6),
            )
            .ok();
            said_for.set_value(gone);
        }
    });
    // Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) undo and redo edits, except while typing in a field,
    // where the browser's own text undo applies.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        use wasm_bindgen::JsCast;
        let in_field = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")).unwrap_or(false);
        if in_field || !(ev.ctrl_key() || ev.meta_key()) {
            return;
        }
        match ev.key().to_lowercase().as_str() {
            "z" if ev.shift_key() => {
                ev.prevent_default();
                ctx.redo();
            }
            "z" => {
                ev.prevent_default();
                ctx.undo();
            }
            "y" => {
                ev.prevent_default();
                ctx.redo();
            }
            _ => {}
        }
    });
    on_cleanup(move || {
        handle.remove();
        keys.remove();
    });
    // The as-of date lives in the link (`?asof=…`) while it is not today, so a past view
    // can be bookmarked or sent and opens on the same date; today's view has no date.
    Effect::new(move |_| {
        let as_of = ctx.as_of.get();
        linked.track();
        let current = browser::hash();
        let wanted = super::route::with_as_of(&current, (as_of != browser::today()).then_some(as_of));
        if wanted != current && !(current.is_empty() && wanted == "/") {
            browser::replace_hash(&wanted);
        }
    });
    // The word about a link's refused date stands until another date is shown.
    Effect::new(move |shown: Option<time::Date>| {
        let as_of = ctx.as_of.get();
        if shown.is_some_and(|d| d != as_of) {
            ctx.as_of_notice.set(None);
        }
        as_of
    });
    // Keep the document title in step with the page.
    Effect::new(move |_| {
        let title = format!("{} · Latitude", route.get().title());
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(&title);
        }
    });
    // Read-only is read-only: in a snapshot every control that would change data is disabled.
    let main = NodeRef::<leptos::html::Main>::new();
    Effect::new(move |_| {
        if let Some(el) = main.get() {
            if matches!(ctx.persistence.get_untracked(), Persistence::Snapshot | Persistence::ReadOnly(_)) {
                super::read_only::guard(&el);
            }
        }
    });
    if embedded {
        // No app chrome: the chart or table alone, sized to the iframe.
        return view! {
            <main class="embed" data-testid="page">
                {move || match (ctx.boot.get(), route.get()) {
                    (Boot::BadSnapshot(msg), _) => view! { <p class="embed__error" data-testid="snapshot-error">{format!("This embedded view cannot be shown: {msg}.")}</p> }.into_any(),
                    (_, Route::Embed(kind, _)) => parts::show(View::Embed(kind)).into_any(),
                    _ => view! { <p class="embed__error">"Open this view in Latitude itself."</p> }.into_any(),
                }}
            </main>
        }
        .into_any();
    }
    view! {
        <a class="skip-link" href="#main" on:click=move |ev| {
            ev.prevent_default();
            if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("main")) {
                use wasm_bindgen::JsCast;
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        }>"Skip to content"</a>
        <header class="shell__header">
            <a class="shell__brand" href="#/" data-testid="brand">
                <span class="shell__logo" aria-hidden="true">"◭"</span>
                <span>"Latitude"</span>
            </a>
            <nav class="shell__nav" aria-label="Main">
                {NAV.iter().map(|r| {
                    let r = r.clone();
                    let target = r.clone();
                    let current = Signal::derive(move || route.get().section() == target);
                    // The to-do entry carries the number of things owed.
                    let count = (r == Route::Todo).then(pages::todo_count);
                    view! {
                        <a
                            class="shell__link"
                            class=("shell__link--active", move || current.get())
                            href=r.href()
                            aria-current=move || current.get().then_some("page")
                            data-testid=format!("nav-{}", r.title().to_lowercase().replace(' ', "-"))
                        >{r.title()}{count.map(|n| view! { " " <span class="shell__count" data-testid="todo-count" aria-label="things owed" hidden=move || n.get() == 0>{move || n.get().to_string()}</span> })}</a>
                    }
                }).collect_view()}
            </nav>
            <pages::SyncBadge/>
            <div class="shell__history" role="group" aria-label="Edit history">
                <button type="button" class="button button--small" data-testid="undo" title=move || ctx.undo_labels.with(|(u, _)| u.as_ref().map(|l| format!("Undo: {l} (Ctrl+Z)")).unwrap_or_else(|| "Undo (Ctrl+Z)".into()))
                    disabled=move || ctx.undo_depth.get().0 == 0 on:click=move |_| ctx.undo()>"↶ Undo"</button>
                <button type="button" class="button button--small" data-testid="redo" title=move || ctx.undo_labels.with(|(_, r)| r.as_ref().map(|l| format!("Redo: {l} (Ctrl+Shift+Z)")).unwrap_or_else(|| "Redo (Ctrl+Shift+Z)".into()))
                    disabled=move || ctx.undo_depth.get().1 == 0 on:click=move |_| ctx.redo()>"↷ Redo"</button>
            </div>
        </header>
        // A live region that is always there, so that screen readers announce what it says.
        <p class="shell__said" role="status" data-testid="history-said" class:shell__said--shown=move || ctx.history_said.with(Option::is_some)>{move || ctx.history_said.get()}</p>
        <Banners route=route/>
        <main id="main" class="shell__main" tabindex="-1" data-testid="page" node_ref=main>
            {move || match ctx.boot.get() {
                Boot::Corrupt { raw, problem } => view! { <pages::Recovery raw=raw problem=problem/> }.into_any(),
                Boot::BadSnapshot(msg) => view! {
                    <section class="error-page" data-testid="snapshot-error">
                        <h1>"This link cannot be opened"</h1>
                        <p>{format!("{msg}.")}</p>
                        <p>"Ask for a new link, or for the workspace as a file. Nothing in this browser was changed."</p>
                        <p><button type="button" class="button button--primary" on:click=move |_| browser::go_home()>"Go to your own workspace"</button></p>
                    </section>
                }.into_any(),
                // A map or scoreboard link has names and scores, no records: the other
                // pages would read as an empty workspace.
                Boot::Ready if ctx.map_only.with_value(Option::is_some) && !matches!(route.get(), Route::Snapshot(_) | Route::Overview | Route::Embed(..)) => view! {
                    <section class="error-page" data-testid="map-only-page">
                        <h1>{route.get_untracked().title()}</h1>
                        <p>{format!("This link shares only unit names and scores as of {}: it has no records to show here.", format_date(ctx.as_of.get_untracked()))}</p>
                        <p><a class="button button--primary" href=shared_home.clone()>"Back to what the link shares"</a></p>
                    </section>
                }.into_any(),
                Boot::Ready => match route.get() {
                    Route::Snapshot(_) => match shared_scope {
                        Some(Scope::Unit(id)) => parts::show(View::Unit(id)).into_any(),
                        Some(Scope::Board) => parts::show(View::Embed(EmbedKind::Scoreboard)).into_any(),
                        _ => parts::show(View::Overview).into_any(),
                    },
                    Route::Overview => parts::show(View::Overview).into_any(),
                    Route::Embed(kind, _) => parts::show(View::Embed(kind)).into_any(),
                    Route::Units => parts::show(View::Units).into_any(),
                    Route::Unit(id) => parts::show(View::Unit(id)).into_any(),
                    Route::CheckIns => parts::show(View::CheckIns).into_any(),
                    Route::Todo => parts::show(View::Todo).into_any(),
                    Route::Decisions => parts::show(View::Decisions).into_any(),
                    Route::Workshop => parts::show(View::Workshop).into_any(),
                    Route::Settings => parts::show(View::Settings).into_any(),
                    Route::NotFound(path) => view! { <pages::NotFound path=path/> }.into_any(),
                },
            }}
        </main>
        <footer class="shell__footer">
            "The autonomy you can grant is proportional to the rigor of the accountability system that measures what people deliver."
        </footer>
    }
    .into_any()
}

/// Storage messages: they stay until the situation is resolved.
#[component]
fn Banners(route: Memo<Route>) -> impl IntoView {
    let ctx = super::state::use_app();
    let dismissed = RwSignal::new(false);
    let reminder = move || {
        if dismissed.get() {
            return None;
        }
        ctx.export_overdue().map(|age| match age {
            Some(days) => format!("Your last export of this browser's data was {days} days ago."),
            None => "This workspace has never been exported. Browser storage can be cleared; a file is a safe copy.".to_owned(),
        })
    };
    // One as-of for every view: when it is not today, say so on every page, with the
    // date a check-in entered now is recorded on, and a way back.
    let past = move || {
        let as_of = ctx.as_of.get();
        (as_of != browser::today() && !matches!(ctx.persistence.get(), Persistence::Snapshot)).then_some(as_of)
    };
    view! {
        {move || ctx.storage_notice.get().map(|text| view! {
            <div class="banner banner--warning" role="alert" data-testid="banner-recovered">
                <span>{text}</span>
                " "
                <button type="button" class="banner__action" data-testid="banner-recovered-dismiss" on:click=move |_| ctx.storage_notice.set(None)>"Dismiss"</button>
            </div>
        })}
        {move || ctx.as_of_notice.get().map(|why| view! {
            <div class="banner banner--warning" role="alert" data-testid="banner-as-of-refused">
                <span>{format!("From this link: {why}")}</span>
                " "
                <button type="button" class="banner__action" data-testid="banner-as-of-refused-dismiss" on:click=move |_| ctx.as_of_notice.set(None)>"Dismiss"</button>
            </div>
        })}
        // The date edits are recorded on, and a conflict with another tab (the sweep's
        // rows point to it), stay in view under the header while the page scrolls (the
        // sweep is long); the wrapper is there, empty, when neither is shown.
        <div class="shell__sticky">
            {move || matches!(ctx.persistence.get(), Persistence::Conflict).then(|| view! {
                <div class="banner banner--error" role="alert" data-testid="banner-conflict">
                    <span>"Another tab saved a newer version of this workspace, so this tab has stopped saving. Choose the version to go on with: the other is kept in Settings as a workspace of its own (so is this tab's if you leave the page first)."</span>
                    " "
                    <button type="button" class="banner__action" data-testid="conflict-load-theirs" on:click=move |_| ctx.load_theirs()>"Load the newer version"</button>
                    <button type="button" class="banner__action" data-testid="conflict-keep-mine" on:click=move |_| ctx.keep_mine()>"Keep this tab's version"</button>
                </div>
            })}
            {move || past().map(|as_of| view! {
                <div class="banner banner--info" role="status" data-testid="banner-as-of">
                    <span>{move || if route.get().section() == Route::Workshop {
                        // A workshop shows and records its own day, whatever the other pages show.
                        format!("Viewing as of {} on the other pages. A workshop shows the scores of its own day and records on it.", format_date(as_of))
                    } else {
                        format!("Viewing as of {} — edits are recorded on {}.", format_date(as_of), format_date(as_of))
                    }}</span>
                    " "
                    <button type="button" class="banner__action" data-testid="banner-as-of-today" on:click=move |_| ctx.as_of.set(browser::today())>"Back to today"</button>
                </div>
            })}
        </div>
        {move || reminder().map(|text| view! {
            <div class="banner banner--info" role="status" data-testid="banner-export-reminder">
                <span>{text}</span>
                " "
                <a href="#/settings" class="banner__action">"Export now"</a>
                <button type="button" class="banner__action" on:click=move |_| dismissed.set(true)>"Later"</button>
            </div>
        })}
        {move || match ctx.persistence.get() {
            Persistence::Saved => ().into_any(),
            Persistence::MemoryOnly => view! {
                <div class="banner banner--warning" role="status" data-testid="banner-memory">
                    "Browser storage is not available here, so changes last only while this tab is open. Export the workspace from Settings to keep it."
                </div>
            }.into_any(),
            Persistence::Failed(msg) => view! {
                <div class="banner banner--error" role="alert" data-testid="banner-save-failed">
                    <span>{msg}</span>
                    " "
                    <a href="#/settings" class="banner__action">"Export"</a>
                    <button type="button" class="banner__action" on:click=move |_| ctx.save_now()>"Try again"</button>
                </div>
            }.into_any(),
            // In the banners that stay in view, above.
            Persistence::Conflict => ().into_any(),
            Persistence::ReadOnly(msg) => view! {
                <div class="banner banner--warning" role="status" data-testid="banner-read-only">{msg}</div>
            }.into_any(),
            // A map or scoreboard link carries names and scores, no records: nothing to keep.
            Persistence::Snapshot if ctx.map_only.with_value(Option::is_some) => view! {
                <div class="banner banner--info" role="status" data-testid="banner-snapshot">
                    <span>{format!("A read-only view from a link: unit names and scores as of {}, the date it was made. It carries no records, so it cannot be kept as a workspace, and nothing in this browser was changed.", format_date(ctx.as_of.get_untracked()))}</span>
                    " "
                    <button type="button" class="banner__action" data-testid="snapshot-close" on:click=move |_| browser::go_home()>"Close"</button>
                </div>
            }.into_any(),
            Persistence::Snapshot => {
                let error = RwSignal::new(None::<String>);
                view! {
                    <div class="banner banner--info" role="status" data-testid="banner-snapshot">
                        <span>"A read-only snapshot from a link: nothing in it can be changed here, nothing is saved in this browser, and your own workspaces are untouched. To work with this data, save it as a new workspace."</span>
                        " "
                        <button type="button" class="banner__action" data-testid="snapshot-save" on:click=move |_| {
                            if let Err(e) = ctx.save_snapshot_as_workspace() { error.set(Some(e)) }
                        }>"Save as new workspace"</button>
                        <button type="button" class="banner__action" data-testid="snapshot-close" on:click=move |_| browser::go_home()>"Close the snapshot"</button>
                        <span>{move || error.get()}</span>
                    </div>
                }.into_any()
            }
        }}
    }
}
