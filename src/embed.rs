//! An embedded view, for a wiki's frame: the org map or the scoreboard alone, with its
//! caption and a link to the same data in the app. Plain markup and DOM calls, no
//! Leptos: the embed page (`embed.html`, whose small WebAssembly is
//! `src/bin/latitude-embed.rs`) and the app's own embed route draw it with this code.
//!
//! The markup is built here as text (names escaped); in the browser, [`mount`] puts it
//! in place, draws the map for the frame's size and follows the frame's size and the
//! page's colour scheme.

use time::Date;

use crate::charts::{self, without_unit_pages, Theme};
use crate::core::format_date;
use crate::core::series::{MapPoint, MapRegions};
use crate::storage::snapshot::{BoardRow, MapOnly, BOARD_HEADINGS, BOARD_KEY, BOARD_NUMERIC};
use crate::ui::route::EmbedKind;

/// What an embed shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub kind: EmbedKind,
    /// The workspace's name, in the caption.
    pub name: String,
    pub as_of: Date,
    pub points: Vec<MapPoint>,
    pub regions: MapRegions,
    /// The scoreboard's rows, in the order shown.
    pub rows: Vec<BoardRow>,
    /// The same data in the app, read-only; none where this is the app already.
    pub open: Option<String>,
    /// The data is a link's scores only (scope `m` or `b`), which carry either the map's
    /// points or the scoreboard's rows: the other view has nothing to show.
    pub scores_only: bool,
}

impl Shown {
    /// An embed of a map or scoreboard link's scores.
    pub fn of_scores(kind: EmbedKind, mut scores: MapOnly, open: Option<String>) -> Shown {
        crate::storage::snapshot::by_gap(&mut scores.rows);
        Shown {
            kind,
            name: crate::storage::snapshot::shown_name(&scores.name).to_string(),
            as_of: scores.as_of,
            points: scores.points,
            regions: MapRegions::default(),
            rows: scores.rows,
            open,
            scores_only: true,
        }
    }

    /// "Northwind · as of 2026-11-29".
    pub fn caption(&self) -> String {
        format!("{} · as of {}", self.name, format_date(self.as_of))
    }

    /// The inside of the embed's `<main>`: the map's figure (drawn by [`Shown::map_svg`]
    /// once its size is known), the scoreboard, or why there is nothing to show.
    pub fn markup(&self) -> String {
        let open =
            self.open.as_ref().map(|href| format!(" · <a class=\"embed__open\" href=\"{}\" target=\"_blank\" rel=\"noopener\" data-testid=\"embed-open\">Open in Latitude</a>", charts::escape(href)));
        let caption = format!("<span data-testid=\"embed-as-of\">{}</span>{}", charts::escape(&self.caption()), open.unwrap_or_default());
        let kind = self.kind.as_str();
        if self.scores_only && self.points.is_empty() && self.rows.is_empty() {
            return format!("<div class=\"embed__board\" data-testid=\"embed-{kind}\"><p class=\"embed__empty\">No units to show yet.</p><p class=\"embed__caption\">{caption}</p></div>");
        }
        match self.kind {
            EmbedKind::Map if self.scores_only && self.points.is_empty() => error("embed-map", "This link shares the scoreboard, not the org map."),
            EmbedKind::Scoreboard if self.scores_only && self.rows.is_empty() => error("embed-scoreboard", "This link shares only the org map, not the scoreboard."),
            EmbedKind::Map => format!(
                "<figure class=\"embed__figure\" data-testid=\"embed-map\"><div class=\"embed__svg\"></div><p class=\"embed__readout\" aria-live=\"polite\" data-testid=\"embed-readout\">{READOUT}</p><figcaption class=\"embed__caption\">{caption}</figcaption></figure>"
            ),
            EmbedKind::Scoreboard => {
                let headings: String = BOARD_HEADINGS
                    .iter()
                    .enumerate()
                    .map(|(i, h)| {
                        let num = if BOARD_NUMERIC.contains(&i) { " class=\"num\"" } else { "" };
                        // A phone's frame shows the long heading short.
                        if *h == "Recommendation" {
                            format!("<th scope=\"col\"{num}><span class=\"embed__long\">{h}</span><span class=\"embed__short\">Rec.</span></th>")
                        } else {
                            format!("<th scope=\"col\"{num}><span>{h}</span></th>")
                        }
                    })
                    .collect();
                format!(
                    "<div class=\"embed__board\" data-testid=\"embed-scoreboard\"><div class=\"embed__table\" tabindex=\"0\" role=\"region\" aria-label=\"Scoreboard\"><table class=\"table\"><thead><tr>{headings}</tr></thead><tbody>{}</tbody></table></div><p class=\"embed__key\" data-testid=\"embed-key\">{BOARD_KEY}</p><p class=\"embed__caption\">{caption}</p></div>",
                    board_body(&self.rows)
                )
            }
        }
    }

    /// The org map drawn for a width and, where the frame leaves room, a height to fill.
    pub fn map_svg(&self, theme: Theme, width: u32, height: u32) -> String {
        without_unit_pages(charts::org_map_with(&self.points, theme, width, (height >= 240).then_some(height), &self.regions))
    }
}

/// What the readout under the map says before a point is chosen.
pub const READOUT: &str = "Tap or point at a unit, or use the arrow keys on the map, to read its figures.";

/// Why an embedded view cannot be shown, as its page says it.
pub fn cannot_show(problem: &str) -> String {
    format!("This embedded view cannot be shown: {problem}.")
}

fn error(testid: &str, text: &str) -> String {
    format!("<p class=\"embed__error\" data-testid=\"{testid}\">{}</p>", charts::escape(text))
}

/// The scoreboard's rows as markup, text escaped: the name, the figures and the flags as
/// chips in their own column, or (on a phone) on a line under the row. One string for
/// all rows: a view per cell would cost the app's embed a function to prepare for each
/// kind of cell.
pub fn board_body(rows: &[BoardRow]) -> String {
    use std::fmt::Write;
    let mut html = String::new();
    for r in rows {
        let cells = r.cells();
        let chips: String = r.flags.iter().map(|f| format!("<span class=\"embed__flag\">{}</span>", charts::escape(f))).collect();
        let _ = write!(html, "<tr data-testid=\"embed-row\"><th scope=\"row\">{}</th>", charts::escape(&cells[0]));
        // The last cell (the flags as text) is shown as chips instead.
        for (i, c) in cells.iter().enumerate().take(cells.len() - 1).skip(1) {
            let class = if BOARD_NUMERIC.contains(&i) { " class=\"num\"" } else { "" };
            let _ = write!(html, "<td{class}>{}</td>", charts::escape(c));
        }
        let _ = write!(html, "<td class=\"embed__flags\" data-testid=\"embed-flags\">{chips}</td></tr>");
        // On a phone the flags column is hidden and the flags take a line of their own
        // under the row, across the table, rather than a narrow stack under the name.
        if !chips.is_empty() {
            let _ = write!(html, "<tr class=\"embed__flags-row\"><td colspan=\"{}\">{chips}</td></tr>", cells.len());
        }
    }
    html
}

/// Whether an embed page's fragment names no chart: none at all (a snippet cut before
/// its `#`), or one cut inside `#/embed/…` before its data.
pub fn names_no_chart(hash: &str) -> bool {
    let path = hash.trim_start_matches(['#', '/']);
    path.is_empty() || (path.starts_with("embed") && !matches!(crate::ui::route::Route::parse(path), crate::ui::route::Route::Embed(..)))
}

/// The app's page for an embed page's address: the folder it is in (`…/embed.html` →
/// `…/`), without the fragment.
pub fn app_page_of(embed_page: &str) -> String {
    let page = embed_page.split('#').next().unwrap_or_default();
    let page = page.split('?').next().unwrap_or_default();
    match page.rfind('/') {
        Some(i) if page[i + 1..] == *"embed.html" => page[..=i].to_owned(),
        _ => page.to_owned(),
    }
}

#[cfg(target_arch = "wasm32")]
pub use dom::{mount, move_among_points, point_focused, start_page, Mounted};

#[cfg(target_arch = "wasm32")]
mod dom {
    use std::cell::Cell;
    use std::rc::Rc;

    use wasm_bindgen::{closure::Closure, JsCast};

    use super::{names_no_chart, Shown};
    use crate::charts::Theme;
    use crate::storage::snapshot;
    use crate::ui::route::Route;

    /// An embed on the page: dropping it stops following the frame's size and colour
    /// scheme.
    pub struct Mounted {
        _following: Option<Following>,
    }

    /// What a map follows, and the handlers kept alive while it does.
    struct Following {
        observer: Option<web_sys::ResizeObserver>,
        query: Option<web_sys::MediaQueryList>,
        on_scheme: Closure<dyn FnMut(web_sys::Event)>,
        _read_point: Closure<dyn FnMut(web_sys::Event)>,
        _keys: Closure<dyn FnMut(web_sys::KeyboardEvent)>,
        _focused: Closure<dyn FnMut(web_sys::Event)>,
        _resized: Closure<dyn FnMut()>,
    }

    impl Drop for Following {
        fn drop(&mut self) {
            if let Some(observer) = &self.observer {
                observer.disconnect();
            }
            if let Some(query) = &self.query {
                let _ = query.remove_event_listener_with_callback("change", self.on_scheme.as_ref().unchecked_ref());
            }
        }
    }

    fn window() -> web_sys::Window {
        web_sys::window().expect("a page")
    }

    fn dark_query() -> Option<web_sys::MediaQueryList> {
        window().match_media("(prefers-color-scheme: dark)").ok().flatten()
    }

    /// Puts an embed into `host` (its `<main>`): the map is drawn for the size its holder
    /// is given, first in a task of its own right after (before the next frame is
    /// painted), then again on the next animation frame after each change of size, and
    /// for the page's colour scheme, also when it changes. The point tapped, focused or
    /// pointed at is read out under the map: on a phone most names have no room on it.
    pub fn mount(host: &web_sys::Element, shown: Shown) -> Mounted {
        host.set_inner_html(&shown.markup());
        let (Some(holder), Some(readout)) = (host.query_selector(".embed__svg").ok().flatten(), host.query_selector(".embed__readout").ok().flatten()) else {
            return Mounted { _following: None };
        };
        let query = dark_query();
        let dark = Rc::new(Cell::new(query.as_ref().is_some_and(web_sys::MediaQueryList::matches)));
        // The size drawn for, rounded down to 8 so that a scroll bar coming and going does
        // not redraw; nothing is drawn before the holder has been measured.
        let drawn = Rc::new(Cell::new((0u32, 0u32, false)));
        let draw = {
            let holder = holder.clone();
            let dark = dark.clone();
            Rc::new(move || {
                let size = ((holder.client_width().max(0) as u32) / 8 * 8, (holder.client_height().max(0) as u32) / 8 * 8, dark.get());
                if size.0 == 0 || size == drawn.get() {
                    return;
                }
                drawn.set(size);
                let theme = if size.2 { Theme::Dark } else { Theme::Light };
                // A point that has the keyboard's focus keeps it through the redraw: the
                // map is new markup, and a focused element removed sends the focus back
                // to the top of the page.
                let focused = focused_point(&holder);
                holder.set_inner_html(&shown.map_svg(theme, size.0, size.1));
                if let Some(i) = focused {
                    let hits = hit_elements(&holder);
                    if let Some(el) = hits.get(i as usize) {
                        make_tab_stop(&hits, el);
                        if let Some(el) = el.dyn_ref::<web_sys::SvgElement>() {
                            let _ = el.focus();
                        }
                    }
                }
            })
        };
        let first = draw.clone();
        let first = Closure::once_into_js(move || first());
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(first.unchecked_ref(), 0);
        let resized = {
            let draw = draw.clone();
            Closure::<dyn FnMut()>::new(move || {
                let draw = draw.clone();
                let next = Closure::once_into_js(move || draw());
                let _ = window().request_animation_frame(next.unchecked_ref());
            })
        };
        let observer = web_sys::ResizeObserver::new(resized.as_ref().unchecked_ref()).ok();
        if let Some(observer) = &observer {
            observer.observe(&holder);
        }
        let on_scheme = {
            let draw = draw.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
                dark.set(ev.unchecked_into::<web_sys::MediaQueryListEvent>().matches());
                draw();
            })
        };
        if let Some(query) = &query {
            let _ = query.add_event_listener_with_callback("change", on_scheme.as_ref().unchecked_ref());
        }
        let read_point = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let label = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|el| el.get_attribute("aria-label"));
            if let Some(label) = label.filter(|l| !l.is_empty()) {
                readout.set_text_content(Some(&label));
            }
        });
        for event in ["focusin", "mouseover", "click"] {
            let _ = holder.add_event_listener_with_callback(event, read_point.as_ref().unchecked_ref());
        }
        // Two closures: a key moves the focus, whose `focusin` runs while the key's
        // closure still does (one closure for both would be invoked recursively).
        let keys = {
            let holder = holder.clone();
            Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| move_among_points(&holder, &ev))
        };
        let focused = {
            let holder = holder.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| point_focused(&holder, &ev))
        };
        let _ = holder.add_event_listener_with_callback("keydown", keys.as_ref().unchecked_ref());
        let _ = holder.add_event_listener_with_callback("focusin", focused.as_ref().unchecked_ref());
        Mounted { _following: Some(Following { observer, query, on_scheme, _read_point: read_point, _keys: keys, _focused: focused, _resized: resized }) }
    }

    /// The map's points in `holder`, in the order drawn.
    fn hit_elements(holder: &web_sys::Element) -> Vec<web_sys::Element> {
        let Ok(list) = holder.query_selector_all(".chart__hit") else { return Vec::new() };
        (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect()
    }

    /// `at` becomes the map's one Tab stop.
    fn make_tab_stop(hits: &[web_sys::Element], at: &web_sys::Element) {
        for h in hits {
            let _ = h.set_attribute("tabindex", if h == at { "0" } else { "-1" });
        }
    }

    /// Whether `el` is one of a map's points.
    fn is_point(el: &web_sys::Element) -> bool {
        el.matches(".chart__hit").unwrap_or(false)
    }

    /// A point that took the focus (a click, a tap, an arrow key) is where Tab comes back to.
    pub fn point_focused(holder: &web_sys::Element, ev: &web_sys::Event) {
        if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).filter(is_point) {
            make_tab_stop(&hit_elements(holder), &el);
        }
    }

    /// On a map's point, the arrow keys, Home and End move the focus to another point in
    /// the order they are seen (`charts::step_among`); the keys do not scroll the page,
    /// even where nothing lies further that way.
    pub fn move_among_points(holder: &web_sys::Element, ev: &web_sys::KeyboardEvent) {
        let key = ev.key();
        if !matches!(key.as_str(), "ArrowRight" | "ArrowLeft" | "ArrowUp" | "ArrowDown" | "Home" | "End") || ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).filter(is_point) else { return };
        let hits = hit_elements(holder);
        // Whole pixels as drawn (read as integers: a float parser would be 8 KB of a frame's code).
        let coord = |el: &web_sys::Element, name: &str| el.get_attribute(name).and_then(|v| v.parse::<i32>().ok()).map_or(0.0, f64::from);
        let points: Vec<(f64, f64)> = hits.iter().map(|el| (coord(el, "cx"), coord(el, "cy"))).collect();
        let Some(from) = hits.iter().position(|el| *el == target) else { return };
        ev.prevent_default();
        if let Some(to) = crate::charts::step_among(&points, from, &key) {
            make_tab_stop(&hits, &hits[to]);
            if let Some(el) = hits[to].dyn_ref::<web_sys::SvgElement>() {
                let _ = el.focus();
            }
        }
    }

    /// Which of the map's points has the focus, by its place among them.
    fn focused_point(holder: &web_sys::Element) -> Option<u32> {
        let active = window().document()?.active_element()?;
        if !holder.contains(Some(&active)) {
            return None;
        }
        let hits = holder.query_selector_all(".chart__hit").ok()?;
        (0..hits.length()).find(|i| hits.item(*i).is_some_and(|n| n.is_same_node(Some(&active))))
    }

    /// The embed page's start (`embed.html`): the view its fragment names, in place of the
    /// loading text. A link to a whole workspace or a unit, or a fragment that names a page
    /// of the app, opens in the app itself, which reads records; a fragment that names no
    /// chart is a snippet cut short, said as much. Another fragment later reloads.
    pub fn start_page() {
        let w = window();
        let Some(doc) = w.document() else { return };
        let location = w.location();
        let here = location.href().unwrap_or_default();
        let hash = location.hash().unwrap_or_default();
        let app = super::app_page_of(&here);
        let route = Route::parse(hash.trim_start_matches('#'));
        let in_app = || {
            let _ = location.replace(&format!("{app}{hash}"));
        };
        let shown = match &route {
            Route::Embed(kind, data) => match snapshot::decode_scores_only(data) {
                Ok(Some((_, scores))) => Ok(Shown::of_scores(*kind, scores, Some(format!("{app}{}", Route::Snapshot(data.clone()).href())))),
                Ok(None) => return in_app(),
                Err(e) => Err(crate::charts::escape(&super::cannot_show(&e.to_string()))),
            },
            // No chart named (a snippet cut before its `#`, or inside `#/embed/…` before its
            // data): said here, not the app with someone's own workspace inside another
            // site's page.
            _ if names_no_chart(&hash) => Err(format!(
                "This frame's address names no chart, or was cut short when it was copied: copy the frame again from Latitude's share panel. <a href=\"{}\" target=\"_blank\" rel=\"noopener\">Open Latitude</a>",
                crate::charts::escape(&app)
            )),
            // A snapshot or a page of the app: the app shows it.
            _ => return in_app(),
        };
        doc.set_title(&format!("{} · Latitude", route.title()));
        let Ok(main) = doc.create_element("main") else { return };
        main.set_class_name("embed");
        let _ = main.set_attribute("data-testid", "page");
        if let Some(boot) = doc.get_element_by_id("boot") {
            boot.remove();
        }
        if let Some(body) = doc.body() {
            let _ = body.append_child(&main);
        }
        match shown {
            Ok(shown) => std::mem::forget(mount(&main, shown)),
            Err(problem) => main.set_inner_html(&format!("<p class=\"embed__error\" data-testid=\"snapshot-error\">{problem}</p>")),
        }
        // Another link in this frame is another view: start afresh from it.
        let reload = Closure::<dyn FnMut()>::new(move || {
            let _ = window().location().reload();
        });
        let _ = w.add_event_listener_with_callback("hashchange", reload.as_ref().unchecked_ref());
        reload.forget();
    }
}
