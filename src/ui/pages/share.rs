//! Sharing: read-only snapshot links, embed snippets for wikis, and the embedded views.

use leptos::prelude::*;

use crate::charts;
use crate::core::explain::{f0, f2};
use crate::core::series::map_points;
use crate::core::UnitId;
use crate::storage::snapshot::{self, Scope, CHAT_LIMIT, WIKI_LIMIT};
use crate::ui::browser;
use crate::ui::route::EmbedKind;
use crate::ui::state::use_app;

/// The page's address without its fragment.
fn base_url() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).map(|h| h.split('#').next().unwrap_or_default().to_owned()).unwrap_or_default()
}

/// Escapes text for an HTML attribute value in the embed snippet.
fn attr(text: &str) -> String {
    crate::charts::escape(text)
}

/// "Share read-only link": the link, its length against common limits, embed snippets.
#[component]
pub fn SharePanel(
    /// Share one unit and its reports instead of the whole workspace.
    #[prop(optional)]
    unit: Option<UnitId>,
) -> impl IntoView {
    let ctx = use_app();
    let open = RwSignal::new(false);
    let data = Memo::new(move |_| {
        if !open.get() {
            return String::new();
        }
        let scope = unit.map(Scope::Unit).unwrap_or(Scope::Workspace);
        ctx.ws.with(|w| snapshot::encode(w, scope))
    });
    let map_data = Memo::new(move |_| {
        if !open.get() || unit.is_some() {
            return String::new();
        }
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| snapshot::encode_map(w, as_of))
    });
    let link = move || format!("{}#/snapshot/{}", base_url(), data.get());
    let map_link = move || format!("{}#/snapshot/{}", base_url(), map_data.get());
    let snippet = move |kind: EmbedKind| {
        // The map embed shares the map only; the scoreboard needs the records.
        let payload = if kind == EmbedKind::Map { map_data.get() } else { data.get() };
        let src = format!("{}#/embed/{}/{}", base_url(), kind.as_str(), payload);
        let title = ctx.ws.with(|w| format!("Latitude {} of {}", if kind == EmbedKind::Map { "org map" } else { "scoreboard" }, w.name));
        format!(
            "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{}\" sandbox=\"allow-scripts allow-downloads\" referrerpolicy=\"no-referrer\" loading=\"lazy\"></iframe>",
            attr(&src),
            attr(&title),
            if kind == EmbedKind::Map { 720 } else { 480 }
        )
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
    // Where the browser refuses the clipboard, the text is selected for the keyboard instead.
    let copied = RwSignal::new(None::<String>);
    let copy = move |text: String, field: &'static str| {
        leptos::task::spawn_local(async move {
            match browser::copy_text(&text).await {
                Ok(()) => copied.set(Some("Copied to the clipboard.".into())),
                Err(why) => {
                    browser::select_field(field);
                    copied.set(Some(format!("Not copied: {why}. The text is selected: press Ctrl+C (⌘C on a Mac) to copy it.")));
                }
            }
        });
    };
    view! {
        <div class="share">
            <button type="button" class="button" data-testid="share-toggle" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                {if unit.is_some() { "Share this unit" } else { "Share read-only link" }}
            </button>
            {move || open.get().then(|| view! {
                <div class="share__panel card" data-testid="share-panel">
                    <p class="muted">"The data travels inside the link, after the #: it is never sent to a server. Anyone with the link sees it read-only; their own data is untouched."</p>
                    <label for="share-link">"Read-only link"</label>
                    <div class="share__row">
                        <input id="share-link" type="text" readonly=true data-testid="share-link" prop:value=link/>
                        <button type="button" class="button button--small" on:click=move |_| copy(link(), "share-link") data-testid="share-copy-link">"Copy"</button>
                    </div>
                    <p class="share__copied" role="status" data-testid="share-copy-status">{move || copied.get()}</p>
                    <p class="share__size" data-testid="share-size">{move || format!("{} characters", link().chars().count())}</p>
                    {move || warning().map(|w| view! { <p class="field__error" role="status" data-testid="share-warning">{w}</p> })}
                    {unit.is_none().then(|| view! {
                        <label for="share-map-link">"Read-only link to the map only (names and the two scores, no records)"</label>
                        <div class="share__row">
                            <input id="share-map-link" type="text" readonly=true data-testid="share-map-link" prop:value=map_link/>
                            <button type="button" class="button button--small" on:click=move |_| copy(map_link(), "share-map-link") data-testid="share-copy-map-link">"Copy"</button>
                        </div>
                        <p class="share__size">{move || format!("{} characters", map_link().chars().count())}</p>
                        <label for="share-embed-map">"Embed the org map in a wiki page"</label>
                        <div class="share__row">
                            <textarea id="share-embed-map" rows="3" readonly=true data-testid="share-embed-map" prop:value=move || snippet(EmbedKind::Map)></textarea>
                            <button type="button" class="button button--small" on:click=move |_| copy(snippet(EmbedKind::Map), "share-embed-map") data-testid="share-copy-embed-map">"Copy"</button>
                        </div>
                        <label for="share-embed-board">"Embed the scoreboard"</label>
                        <div class="share__row">
                            <textarea id="share-embed-board" rows="3" readonly=true data-testid="share-embed-scoreboard" prop:value=move || snippet(EmbedKind::Scoreboard)></textarea>
                            <button type="button" class="button button--small" on:click=move |_| copy(snippet(EmbedKind::Scoreboard), "share-embed-board") data-testid="share-copy-embed-scoreboard">"Copy"</button>
                        </div>
                    })}
                </div>
            })}
        </div>
    }
}

/// The org map of the open data: a map-only snapshot's points, or the workspace's scores.
pub fn map_svg(ctx: crate::ui::state::AppCtx) -> String {
    let theme = ctx.theme.get();
    if let Some(points) = ctx.map_only.with_value(|m| m.as_ref().map(|m| m.points.clone())) {
        return charts::org_map(&points, theme);
    }
    let scores = ctx.scores.get();
    ctx.ws.with(|w| charts::org_map(&map_points(w, &scores), theme))
}

/// A chart or the scoreboard alone, for an iframe.
#[component]
pub fn Embed(kind: EmbedKind) -> impl IntoView {
    let ctx = use_app();
    let name = move || ctx.ws.with(|w| w.name.to_string());
    match kind {
        EmbedKind::Map => view! {
            <figure class="embed__figure" data-testid="embed-map">
                <div class="embed__svg" inner_html=move || map_svg(ctx)></div>
                <figcaption class="embed__caption">{move || format!("{} · as of {} · Latitude", name(), crate::core::format_date(ctx.as_of.get()))}</figcaption>
            </figure>
        }
        .into_any(),
        EmbedKind::Scoreboard if ctx.map_only.with_value(Option::is_some) => view! {
            <p class="embed__error" data-testid="embed-scoreboard">"This link shares only the org map, not the scoreboard."</p>
        }
        .into_any(),
        EmbedKind::Scoreboard => view! {
            <div class="embed__table" data-testid="embed-scoreboard">
                <table class="table">
                    <caption>{move || format!("{} · as of {}", name(), crate::core::format_date(ctx.as_of.get()))}</caption>
                    <thead><tr><th scope="col">"Unit"</th><th scope="col" class="num">"A"</th><th scope="col" class="num">"S"</th><th scope="col" class="num">"Gap"</th><th scope="col" class="num">"TR"</th><th scope="col" class="num">"R"</th><th scope="col">"Recommendation"</th><th scope="col">"Flags"</th></tr></thead>
                    <tbody>
                        {move || {
                            let scores = ctx.scores.get();
                            ctx.ws.with(|w| scores.units.iter().map(|s| view! {
                                <tr>
                                    <th scope="row">{w.unit_name(s.unit).to_owned()}</th>
                                    <td class="num">{f0(s.autonomy)}</td><td class="num">{f0(s.supported)}</td><td class="num">{format!("{:+.0}", s.gap)}</td>
                                    <td class="num">{f2(s.track_record)}</td><td class="num">{f2(s.rigor.value)}</td>
                                    <td>{s.recommendation.verdict.as_str()}</td>
                                    <td>{s.flags.iter().map(|f| f.kind.label()).collect::<Vec<_>>().join(", ")}</td>
                                </tr>
                            }).collect_view())
                        }}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    }
}
