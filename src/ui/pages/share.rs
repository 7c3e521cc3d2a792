//! Sharing: read-only snapshot links, embeds for wikis (a frame, an image, or files
//! rendered on a schedule), and the embedded views themselves.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::charts::{self, Theme};
use crate::core::format_date;
use crate::core::series::{map_points, MapRegions};
use crate::core::UnitId;
use crate::embed::Shown;
use crate::storage::snapshot::{self, board_rows, BoardRow, Scope, BOARD_HEADINGS, BOARD_KEY, BOARD_NUMERIC, CHAT_LIMIT, WIKI_LIMIT};
use crate::ui::browser;
use crate::ui::file_name::export_file_name;
use crate::ui::route::EmbedKind;
use crate::ui::state::{use_app, AppCtx};
use crate::ui::widgets::{export_heading, export_png};

/// The app's address without its fragment (the local build's, also from the team build).
fn base_url() -> String {
    browser::app_page()
}

/// Where a frame's snippet points: the embed page beside the app (`embed.html`, written
/// by the release build: a small WebAssembly of its own, no app around it), or the app
/// itself in a build without it (`scripts/serve`).
fn embed_page() -> String {
    let app = base_url();
    if cfg!(latitude_split) {
        format!("{}embed.html", &app[..app.rfind('/').map_or(app.len(), |i| i + 1)])
    } else {
        app
    }
}

/// Why the page's own address will not reach a wiki's readers, if it will not: one on
/// this computer only (loopback) or a file.
fn local_only(base: &str) -> Option<&'static str> {
    let authority = base.split("://").nth(1).unwrap_or("").split('/').next().unwrap_or("");
    let host = if authority.starts_with('[') { authority.split(']').next().unwrap_or("").trim_start_matches('[') } else { authority.split(':').next().unwrap_or("") };
    if base.starts_with("file:") {
        Some("This page is opened from a file: frames and links made here point to this computer only. Serve Latitude from a web address the wiki's readers can open, and copy them from there.")
    } else if host == "localhost" || host.starts_with("127.") || host == "::1" || host.ends_with(".localhost") {
        Some("This page's address is on this computer only: the wiki's readers will not reach frames and links made here. Serve Latitude from a web address they can open, and copy them from there.")
    } else {
        None
    }
}

/// Escapes text for an HTML attribute value in the embed snippet.
fn attr(text: &str) -> String {
    charts::escape(text)
}

/// The sandbox of the generated frame. `allow-same-origin` keeps the app's own origin,
/// which a frame on another origin than the wiki needs to load its module script and
/// WebAssembly from a host that sends no CORS header; it gives no access to the wiki,
/// which is another origin. See docs/EMBEDDING.md before serving the app from the
/// wiki's own origin.
pub const SANDBOX: &str = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox";

/// The `<iframe>` snippet for a wiki page: full width; the map's height from an aspect
/// ratio (and a fixed one where the wiki strips style attributes), the scoreboard's from
/// its `rows` ([`board_height`]).
pub fn snippet(src: &str, title: &str, kind: EmbedKind, rows: usize) -> String {
    let size = match kind {
        // On a phone the ratio alone leaves the map a plot a finger wide under its key
        // and legend: the minimum height gives it room.
        EmbedKind::Map => "height=\"640\" style=\"width:100%;height:auto;aspect-ratio:6 / 5;min-height:480px;border:0\"".to_owned(),
        // A table is as tall as its rows, at any width: a ratio cut the sample's 17 rows
        // to 12 on a desktop and 5 on a phone.
        EmbedKind::Scoreboard => {
            let h = board_height(rows);
            format!("height=\"{h}\" style=\"width:100%;height:{h}px;border:0\"")
        }
    };
    format!("<iframe src=\"{}\" title=\"{}\" width=\"100%\" {size} sandbox=\"{SANDBOX}\" referrerpolicy=\"no-referrer\" loading=\"lazy\"></iframe>", attr(src), attr(title))
}

/// A scoreboard frame's height in CSS pixels for `rows` rows: the heading, the key and
/// the caption, and a row's height with a line of flags (a phone's row); from 25 rows on
/// the table scrolls inside the frame.
pub fn board_height(rows: usize) -> usize {
    const CHROME: usize = 130;
    const ROW: usize = 44;
    CHROME + ROW * rows.clamp(3, 25)
}

/// Which copy button last copied, for its "Copied" feedback.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Copied {
    Link,
    MapLink,
    MapFrame,
    BoardFrame,
}

/// "Share or embed": what each link contains, the links, frames for wikis, images
/// for wikis without frames. A popover: Esc or a click outside closes it and gives the
/// focus back to its button; the focus leaving it (Tab past its end) closes it too.
#[component]
pub fn SharePanel(
    /// Share one unit and its reports instead of the whole workspace.
    #[prop(optional)]
    unit: Option<UnitId>,
) -> impl IntoView {
    let ctx = use_app();
    let open = RwSignal::new(false);
    let copied = RwSignal::new(None::<Copied>);
    let status = RwSignal::new(String::new());
    let root = NodeRef::<leptos::html::Div>::new();
    let toggle = NodeRef::<leptos::html::Button>::new();
    let scope = unit.map(Scope::Unit).unwrap_or(Scope::Workspace);
    // Every link of one opening shows the same as-of: the date on screen.
    let encoded = move |scope: Scope| Memo::new(move |_| if open.get() { ctx.ws.with(|w| snapshot::encode_at(w, scope, ctx.as_of.get())) } else { String::new() });
    let data = encoded(scope);
    let private = Memo::new(move |_| if open.get() { ctx.ws.with(|w| snapshot::private_commitments(w, scope)) } else { 0 });
    let map_data = encoded(Scope::Map);
    let board_data = encoded(Scope::Board);
    let link = move || format!("{}#/snapshot/{}", base_url(), data.get());
    let map_link = move || format!("{}#/snapshot/{}", base_url(), map_data.get());
    let frame = move |kind: EmbedKind| {
        let payload = if kind == EmbedKind::Map { map_data.get() } else { board_data.get() };
        let src = format!("{}#/embed/{}/{}", embed_page(), kind.as_str(), payload);
        let what = if kind == EmbedKind::Map { "org map" } else { "scoreboard" };
        let title = ctx.ws.with(|w| format!("Latitude {what} of {}, as of {}", w.name, format_date(ctx.as_of.get())));
        let rows = ctx.ws.with(|w| w.units.len());
        snippet(&src, &title, kind, rows)
    };
    let warning = move || {
        let n = link().chars().count();
        if n > WIKI_LIMIT {
            Some(format!("This link is {n} characters long: too long for most chat tools and wiki editors. Share the workspace as a file (Settings → Export) instead."))
        } else if n > CHAT_LIMIT {
            Some(format!("This link is {n} characters long: some chat tools cut links over {CHAT_LIMIT} characters. Wikis and e-mail take it; for chat, share the file instead."))
        } else {
            None
        }
    };
    let close = move |focus_button: bool| {
        open.set(false);
        copied.set(None);
        status.set(String::new());
        if focus_button {
            if let Some(b) = toggle.get_untracked() {
                let _ = b.focus();
            }
        }
    };
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if open.get_untracked() && ev.key() == "Escape" {
            ev.prevent_default();
            close(true);
        }
    });
    let clicks = window_event_listener(leptos::ev::pointerdown, move |ev| {
        if !open.get_untracked() {
            return;
        }
        let inside = match (root.get_untracked(), ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok())) {
            (Some(r), Some(t)) => r.contains(Some(&t)),
            _ => false,
        };
        if !inside {
            // Focus goes where the click puts it; the button gets it back otherwise.
            let focus_inside = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element()).zip(root.get_untracked()).is_some_and(|(a, r)| r.contains(Some(&*a)));
            close(focus_inside);
        }
    });
    on_cleanup(move || {
        keys.remove();
        clicks.remove();
    });
    // Where the browser refuses the clipboard, the text is selected for the keyboard instead.
    let copy = move |what: Copied, text: String| {
        let field = match what {
            Copied::Link => "share-link",
            Copied::MapLink => "share-map-link",
            Copied::MapFrame => "share-embed-map",
            Copied::BoardFrame => "share-embed-board",
        };
        leptos::task::spawn_local(async move {
            match browser::copy_text(&text).await {
                Ok(()) => {
                    copied.set(Some(what));
                    status.set("Copied to the clipboard.".into());
                    set_timeout(
                        move || {
                            copied.update(|c| {
                                if *c == Some(what) {
                                    *c = None
                                }
                            })
                        },
                        std::time::Duration::from_secs(3),
                    );
                }
                Err(why) => {
                    copied.set(None);
                    browser::select_field(field);
                    status.set(format!("Not copied: {why}. The text is selected: press Ctrl+C (⌘C on a Mac) to copy it."));
                }
            }
        });
    };
    let copy_button = move |what: Copied, label: &'static str| {
        view! {
            <button type="button" class="button button--small share__copy" aria-label=label data-testid=format!("share-copy-{}", match what { Copied::Link => "link", Copied::MapLink => "map-link", Copied::MapFrame => "map-frame", Copied::BoardFrame => "board-frame" })
                on:click=move |_| copy(what, match what { Copied::Link => link(), Copied::MapLink => map_link(), Copied::MapFrame => frame(EmbedKind::Map), Copied::BoardFrame => frame(EmbedKind::Scoreboard) })>
                {move || if copied.get() == Some(what) { "Copied ✓" } else { "Copy" }}
            </button>
        }
    };
    let image = move |kind: EmbedKind, png: bool| {
        let theme = Theme::Light;
        let heading = export_heading();
        let (svg, stem) = match kind {
            EmbedKind::Map => {
                let (points, regions) = ctx.scores.with_untracked(|s| ctx.ws.with_untracked(|w| (map_points(w, s), MapRegions::from_policy(&w.policy))));
                (charts::with_heading(&charts::org_map_with(&points, theme, 960, None, &regions), &heading, theme), "org-map")
            }
            EmbedKind::Scoreboard => {
                let rows = ctx.scores.with_untracked(|s| ctx.ws.with_untracked(|w| board_rows(w, s)));
                (board_image(&rows, &heading, theme, 960), "scoreboard")
            }
        };
        let name = |ext: &str| ctx.ws.with_untracked(|w| export_file_name(w.name.as_str(), stem, &format_date(ctx.as_of.get_untracked()), ext));
        if png {
            export_png(&svg, &name("png"));
        } else {
            let _ = browser::download(&name("svg"), "image/svg+xml", &svg);
        }
    };
    view! {
        // Tab past the panel's last control (or Shift+Tab before its button) closes it:
        // the focus never lands on the page hidden behind it.
        <div class="share" data-view="" node_ref=root on:focusout=move |ev: leptos::ev::FocusEvent| {
            let to = ev.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            if let (true, Some(to), Some(r)) = (open.get_untracked(), to, root.get_untracked()) {
                if !r.contains(Some(&to)) {
                    close(false);
                }
            }
        }>
            <button type="button" class="button" data-testid="share-toggle" node_ref=toggle aria-expanded=move || open.get().to_string() aria-controls="share-panel"
                on:click=move |_| if open.get_untracked() { close(false) } else { open.set(true) }>
                {if unit.is_some() { "Share this unit" } else { "Share or embed" }}
            </button>
            {move || open.get().then(|| view! {
                <div class="share__panel card" id="share-panel" role="region" aria-label="Share" data-testid="share-panel">
                    <p class="muted">"The data travels inside the link, after the #: it is never sent to a server. Anyone with a link sees what it contains, read-only; their own data is untouched."</p>
                    <p class="share__status" role="status" data-testid="share-status">{move || status.get()}</p>
                    <h3 class="share__heading">{if unit.is_some() { "Read-only link to this unit" } else { "Read-only link to the workspace" }}</h3>
                    <p class="share__contains" data-testid="share-contains">{scope.contents()}</p>
                    {move || (private.get() > 0).then(|| view! {
                        <p class="share__private" role="note" data-testid="share-private">
                            {move || {
                                let n = private.get();
                                let (these, are) = if n == 1 { ("1 commitment marked private".to_owned(), "is") } else { (format!("{n} commitments marked private"), "are") };
                                format!("This link includes {these}: {} title, check-ins, notes and evidence {are} readable by anyone who has the link. {}", if n == 1 { "its" } else { "their" }, if unit.is_some() { "Share a file instead if they must stay private." } else { "The map link and the frames below carry no commitments, private or not: only names, scores, flags and the date." })
                            }}
                        </p>
                    })}
                    <label for="share-link">"Link"</label>
                    <div class="share__row">
                        <input id="share-link" type="text" readonly=true data-testid="share-link" prop:value=link/>
                        {copy_button(Copied::Link, "Copy the read-only link")}
                    </div>
                    <p class="share__size" data-testid="share-size">{move || format!("{} characters", link().chars().count())}</p>
                    {move || warning().map(|w| view! { <p class="field__error" data-testid="share-warning">{w}</p> })}
                    {unit.is_none().then(|| view! {
                        <h3 class="share__heading">"Link to the map only"</h3>
                        <p class="share__contains" data-testid="share-contains-map">{Scope::Map.contents()}</p>
                        <label for="share-map-link">"Map link"</label>
                        <div class="share__row">
                            <input id="share-map-link" type="text" readonly=true data-testid="share-map-link" prop:value=map_link/>
                            {copy_button(Copied::MapLink, "Copy the map link")}
                        </div>
                        <p class="share__size">{move || format!("{} characters", map_link().chars().count())}</p>
                        <h3 class="share__heading">"Embed in a wiki page"</h3>
                        {local_only(&base_url()).map(|why| view! { <p class="field__error" data-testid="share-local-only">{why}</p> })}
                        <p class="muted">"Three ways, by what the wiki accepts. Frames and images show the data as of the date shown here, with the workspace's name: they do not change when the workspace does, so copy them again (or render them on a schedule, below) to show newer figures. Wikis and site generators that accept HTML (Confluence's iframe macro, Docusaurus, MkDocs, Hugo or Jekyll pages) take a frame's snippet; Notion's embed block takes the address inside src. A frame loads from this app's address whenever the wiki page is read, so it shows nothing while that address cannot be reached; an image is kept by the wiki. An image suits wikis that take only Markdown and pictures (GitHub and GitLab wikis, Azure DevOps, README files)."</p>
                        <label for="share-embed-map">"Frame: the org map"</label>
                        <p class="share__contains" data-testid="share-contains-map-frame">{Scope::Map.contents()}</p>
                        <div class="share__row">
                            <textarea id="share-embed-map" rows="3" readonly=true data-testid="share-embed-map" prop:value=move || frame(EmbedKind::Map)></textarea>
                            {copy_button(Copied::MapFrame, "Copy the org map frame")}
                        </div>
                        <label for="share-embed-board">"Frame: the scoreboard"</label>
                        <p class="share__contains" data-testid="share-contains-board-frame">{Scope::Board.contents()}</p>
                        <div class="share__row">
                            <textarea id="share-embed-board" rows="3" readonly=true data-testid="share-embed-scoreboard" prop:value=move || frame(EmbedKind::Scoreboard)></textarea>
                            {copy_button(Copied::BoardFrame, "Copy the scoreboard frame")}
                        </div>
                        <p class="share__label">"Image, for wikis without frames (the workspace name and the date are in the picture)"</p>
                        <div class="share__images">
                            <button type="button" class="button button--small" data-testid="share-image-map-svg" on:click=move |_| image(EmbedKind::Map, false)>"Org map SVG"</button>
                            <button type="button" class="button button--small" data-testid="share-image-map-png" on:click=move |_| image(EmbedKind::Map, true)>"Org map PNG"</button>
                            <button type="button" class="button button--small" data-testid="share-image-board-svg" on:click=move |_| image(EmbedKind::Scoreboard, false)>"Scoreboard SVG"</button>
                            <button type="button" class="button button--small" data-testid="share-image-board-png" on:click=move |_| image(EmbedKind::Scoreboard, true)>"Scoreboard PNG"</button>
                        </div>
                        <p class="share__label">"Rendered on a schedule"</p>
                        <p class="muted">"Export the workspace (Settings → Export), then in a scheduled job run "<code>"latitude-cli render workspace.json --out charts/"</code>" and publish the SVG files with the wiki: the same org map and scoreboard, with the name and date."</p>
                    })}
                </div>
            })}
        </div>
    }
}

/// The scoreboard as an SVG picture with a heading.
pub fn board_image(rows: &[BoardRow], heading: &str, theme: Theme, width: u32) -> String {
    let cells: Vec<Vec<String>> = rows.iter().map(BoardRow::cells).collect();
    charts::with_footnote(&charts::table_image(heading, &BOARD_HEADINGS, &cells, &BOARD_NUMERIC, theme, width), BOARD_KEY, theme)
}

/// The org map of the open data, drawn for a width (and a height to fill): a map-only
/// snapshot's points, or the workspace's scores.
pub fn map_svg(ctx: AppCtx, width: u32, height: Option<u32>) -> String {
    let theme = ctx.theme.get();
    if let Some(points) = ctx.map_only.with_value(|m| m.as_ref().map(|m| m.points.clone())) {
        // A map-only link has no unit pages to open.
        return charts::without_unit_pages(charts::org_map_at(&points, theme, width, height));
    }
    let scores = ctx.scores.get();
    ctx.ws.with(|w| charts::org_map_with(&map_points(w, &scores), theme, width, height, &MapRegions::from_policy(&w.policy)))
}

/// A chart or the scoreboard alone, for an iframe: it fills the frame, the map drawn
/// for the frame's size, the scoreboard with its header fixed and its rows scrolling.
/// Drawn by the embed page's code (`crate::embed`): a map or scoreboard link opens there
/// (`embed.html`); this route shows older frames' links of a whole workspace, scored here.
#[component]
pub fn Embed(kind: EmbedKind) -> impl IntoView {
    let ctx = use_app();
    // In a frame, the same data in the app, read-only, rather than this bare view again;
    // in the app (a scoreboard link opened), nothing: this is the app.
    let here = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let page = here.split('#').next().unwrap_or_default().to_owned();
    let open = match crate::ui::route::Route::parse(&browser::hash()) {
        crate::ui::route::Route::Embed(_, data) => Some(format!("{page}{}", crate::ui::route::Route::Snapshot(data).href())),
        _ => None,
    };
    let shown = match ctx.map_only.get_value() {
        Some(scores) => Shown::of_scores(kind, scores, open),
        None => {
            let scores = ctx.scores.get_untracked();
            ctx.ws.with_untracked(|w| Shown {
                kind,
                name: w.name.to_string(),
                as_of: ctx.as_of.get_untracked(),
                points: map_points(w, &scores),
                regions: MapRegions::from_policy(&w.policy),
                rows: board_rows(w, &scores),
                open,
                scores_only: false,
            })
        }
    };
    let host = NodeRef::<leptos::html::Div>::new();
    let mounted = StoredValue::new_local(None::<crate::embed::Mounted>);
    Effect::new(move |_| {
        if let Some(el) = host.get() {
            let shown = shown.clone();
            mounted.set_value(Some(crate::embed::mount(&el, shown)));
        }
    });
    on_cleanup(move || mounted.set_value(None));
    view! { <div class="embed__host" node_ref=host></div> }
}
