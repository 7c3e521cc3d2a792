//! Small reusable pieces: a chart figure with its text alternative and exports, an
//! empty state, explanation sections.

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

use super::browser;
use crate::core::explain::Section;

/// Calls `measure` once the view that holds the element has mounted and whenever the
/// element changes size (`ResizeObserver`), until the element leaves the page.
///
/// Neither call is made in the task that triggers it. The first comes in a task of its
/// own right after the mount (before the next frame is painted), so that a page's start
/// does not also draw its charts in one long task and mounting forces no layout. The
/// later ones wait for the next animation frame, so that a redraw which changes the
/// element's height is seen by the observer in that frame rather than looping in this
/// one ("ResizeObserver loop completed with undelivered notifications").
fn on_resize(el: &web_sys::Element, measure: impl Fn() + 'static) {
    let measure = std::rc::Rc::new(measure);
    let first = measure.clone();
    set_timeout(move || first(), std::time::Duration::ZERO);
    let in_next_frame = move || {
        let measure = measure.clone();
        request_animation_frame(move || measure());
    };
    let callback = Closure::<dyn FnMut()>::new(in_next_frame);
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(el);
        let kept = send_wrapper::SendWrapper::new((observer, callback));
        on_cleanup(move || {
            let (observer, _callback) = kept.take();
            observer.disconnect();
        });
    }
}

/// Follows an element's content width in CSS pixels, rounded down to 8 so that a scroll
/// bar coming and going does not redraw. The width stays 0 (draw nothing yet) until the
/// element has been measured, which happens before the first frame it is painted in.
pub fn observe_width(el: &web_sys::Element, width: RwSignal<u32>) {
    let target = el.clone();
    on_resize(el, move || {
        let w = (target.client_width().max(0) as u32) / 8 * 8;
        if w > 0 && width.try_get_untracked().is_some_and(|old| old != w) {
            width.try_set(w);
        }
    });
}

/// Follows an element's content width and height (for a view that fills its frame).
pub fn observe_size(el: &web_sys::Element, size: RwSignal<(u32, u32)>) {
    let target = el.clone();
    on_resize(el, move || {
        let now = ((target.client_width().max(0) as u32) / 8 * 8, (target.client_height().max(0) as u32) / 8 * 8);
        if now.0 > 0 && size.try_get_untracked().is_some_and(|old| old != now) {
            size.try_set(now);
        }
    });
}

/// The heading exported charts and images carry: the workspace and the date shown.
pub fn export_heading() -> String {
    let ctx = super::state::use_app();
    format!("{} · as of {}", ctx.ws.with_untracked(|w| w.name.to_string()), crate::core::format_date(ctx.as_of.get_untracked()))
}

/// Says how many records of a list are dated after the as-of date, which the list leaves
/// out: a page viewed as of a past date shows what was known then.
#[component]
pub fn LaterNote(
    /// How many records are dated after the as-of date.
    #[prop(into)]
    count: Signal<usize>,
    /// The record's name, singular and plural.
    what: (&'static str, &'static str),
) -> impl IntoView {
    let ctx = super::state::use_app();
    move || {
        let n = count.get();
        (n > 0).then(|| {
            let what = if n == 1 { what.0 } else { what.1 };
            view! { <p class="muted later-note" data-testid="later-hidden">{format!("{n} {what} dated after {} not shown: the page is as of that date.", crate::core::format_date(ctx.as_of.get()))}</p> }
        })
    }
}

/// Width exported charts are drawn at, whatever the screen.
const EXPORT_WIDTH: u32 = 960;

/// A chart (an SVG string from `charts`, drawn for the width it is shown at and drawn
/// again when that width changes) with a table behind a toggle for screen readers, and
/// SVG/PNG export with the workspace's name and date.
#[component]
pub fn ChartFigure(
    /// Draws the chart's SVG for a width in CSS pixels (markup already escaped by `charts`).
    svg: Callback<u32, String>,
    /// File name stem for exports.
    #[prop(into)]
    name: String,
    /// Caption shown under the chart.
    #[prop(into)]
    caption: Signal<String>,
    /// Column headings of the text alternative.
    headings: Vec<&'static str>,
    /// Rows of the text alternative.
    #[prop(into)]
    rows: Signal<Vec<Vec<String>>>,
    /// `data-testid` of the figure.
    #[prop(into)]
    testid: String,
    /// Points that name a unit (`data-unit`) open its page on click, tap, Enter or Space.
    #[prop(optional)]
    open_units: bool,
) -> impl IntoView {
    let show_table = RwSignal::new(false);
    // The unit a click, tap or key press landed on, if points open units here.
    let unit_at = move |ev: &web_sys::Event| -> Option<String> {
        if !open_units {
            return None;
        }
        let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
        el.closest("[data-unit]").ok()??.get_attribute("data-unit").filter(|u| u.parse::<u32>().is_ok())
    };
    let open_unit = move |unit: String| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash(&format!("/units/{unit}"));
        }
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        if let Some(unit) = unit_at(&ev) {
            ev.prevent_default();
            open_unit(unit);
        }
    };
    let holder = NodeRef::<leptos::html::Div>::new();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if let Some(el) = holder.get_untracked() {
            crate::embed::move_among_points(&el, &ev);
        }
        if !matches!(ev.key().as_str(), "Enter" | " " | "Spacebar") {
            return;
        }
        if let Some(unit) = unit_at(&ev) {
            ev.prevent_default();
            open_unit(unit);
        }
    };
    // What the focused or hovered point says, read out beside the chart.
    let readout = RwSignal::new(String::new());
    let read_point = move |ev: web_sys::Event| {
        if let (Some(el), "focusin") = (holder.get_untracked(), ev.type_().as_str()) {
            crate::embed::point_focused(&el, &ev);
        }
        let label = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|el| el.get_attribute("aria-label"));
        if let Some(label) = label.filter(|l| !l.is_empty()) {
            readout.set(label);
        }
    };
    let width = RwSignal::new(0u32);
    Effect::new(move |_| {
        if let Some(el) = holder.get() {
            observe_width(&el, width);
        }
    });
    let drawn = Memo::new(move |_| match width.get() {
        0 => String::new(),
        w => svg.run(w),
    });
    let exported = move || {
        let theme = super::state::use_app().theme.get_untracked();
        crate::charts::with_heading(&svg.run(EXPORT_WIDTH), &export_heading(), theme)
    };
    // Named by the workspace, the chart and the date shown.
    let ctx = super::state::use_app();
    let stem = StoredValue::new(name);
    let file = move |ext: &str| stem.with_value(|stem| ctx.ws.with_untracked(|w| super::file_name::export_file_name(w.name.as_str(), stem, &crate::core::format_date(ctx.as_of.get_untracked()), ext)));
    let export_svg = move |_| {
        let _ = browser::download(&file("svg"), "image/svg+xml", &exported());
    };
    let export_png = move |_| export_png(&exported(), &file("png"));
    let table_id = format!("{testid}-table");
    view! {
        <figure class="chart-figure" data-testid=testid.clone()>
            <div class="chart-figure__svg" node_ref=holder tabindex="0" role="region" aria-label="Chart" inner_html=move || drawn.get()
                on:focusin=move |ev| read_point(ev.into()) on:mouseover=move |ev| read_point(ev.into())
                on:click=on_click on:keydown=on_key></div>
            <p class="chart-figure__readout" aria-live="polite" data-testid=format!("{testid}-readout")>{move || readout.get()}</p>
            <figcaption class="chart-figure__caption">
                <span data-testid=format!("{testid}-caption")>{move || caption.get()}</span>
                <span class="chart-figure__actions" data-view="">
                    <button type="button" class="button button--small" aria-expanded=move || show_table.get().to_string() aria-controls=table_id.clone()
                        data-testid=format!("{testid}-toggle-table") on:click=move |_| show_table.update(|v| *v = !*v)>
                        {move || if show_table.get() { "Hide table" } else { "Show as table" }}
                    </button>
                    <button type="button" class="button button--small" data-testid=format!("{testid}-export-svg") on:click=export_svg>"SVG"</button>
                    <button type="button" class="button button--small" data-testid=format!("{testid}-export-png") on:click=export_png>"PNG"</button>
                </span>
            </figcaption>
            <div id=table_id class="chart-figure__table" tabindex="0" role="region" aria-label="Chart data" hidden=move || !show_table.get()>
                <table class="table">
                    <thead><tr>{headings.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr></thead>
                    // Rows are built only while the table is shown: a hidden table of a large
                    // organisation would cost a rebuild on every change for nothing.
                    <tbody>
                        {move || show_table.get().then(|| rows.get().into_iter().map(|r| view! {
                            <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                        }).collect_view())}
                    </tbody>
                </table>
            </div>
        </figure>
    }
}

/// Renders the SVG on a canvas at twice its size and downloads it as PNG (for slides).
pub fn export_png(svg: &str, filename: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(svg));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/svg+xml");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let Ok(img) = web_sys::HtmlImageElement::new() else { return };
    let filename = filename.to_owned();
    let img2 = img.clone();
    let url2 = url.clone();
    let onload = Closure::once(move || {
        let (w, h) = (img2.natural_width().max(1), img2.natural_height().max(1));
        let Ok(canvas) = document.create_element("canvas").map(|c| c.unchecked_into::<web_sys::HtmlCanvasElement>()) else { return };
        canvas.set_width(w * 2);
        canvas.set_height(h * 2);
        if let Ok(Some(ctx)) = canvas.get_context("2d") {
            let ctx: web_sys::CanvasRenderingContext2d = ctx.unchecked_into();
            let _ = ctx.scale(2.0, 2.0);
            let _ = ctx.draw_image_with_html_image_element(&img2, 0.0, 0.0);
            if let Ok(data) = canvas.to_data_url_with_type("image/png") {
                let _ = browser::download_url(&data, &filename);
            }
        }
        let _ = web_sys::Url::revoke_object_url(&url2);
    });
    img.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    img.set_src(&url);
}

/// A question asked before an edit the user may not mean (narrowing a grant, finishing
/// with open items): the question and two buttons, as an alert dialog. The buttons carry
/// `{testid}-confirm` and `{testid}-cancel`.
#[component]
pub fn Confirm(
    #[prop(into)] testid: String,
    #[prop(into)] question: String,
    confirm: &'static str,
    cancel: &'static str,
    /// The confirming button in the danger colour (the edit takes something away).
    #[prop(optional)]
    danger: bool,
    #[prop(into)] on_confirm: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let (text_id, labelled_by) = (format!("{testid}-text"), format!("{testid}-text"));
    let (confirm_id, cancel_id) = (format!("{testid}-confirm"), format!("{testid}-cancel"));
    // As an alert dialog does, the question takes the focus when it opens, on the answer
    // that changes nothing; focusing it also scrolls it into view.
    browser::focus_after_render(format!("[data-testid=\"{cancel_id}\"]"));
    view! {
        <div class="confirm" class=("confirm--danger", danger) role="alertdialog" aria-labelledby=labelled_by data-testid=testid>
            <p id=text_id><strong>{question}</strong></p>
            <div class="button-row">
                <button type="button" class="button" class=("button--danger", danger) data-testid=confirm_id on:click=move |_| on_confirm.run(())>{confirm}</button>
                <button type="button" class="button" data-testid=cancel_id on:click=move |_| on_cancel.run(())>{cancel}</button>
            </div>
        </div>
    }
}

/// What to do when there is nothing to show yet.
#[component]
pub fn EmptyState(#[prop(into)] title: String, #[prop(into)] testid: String, children: Children) -> impl IntoView {
    view! {
        <section class="empty" data-testid=testid>
            <h2 class="empty__title">{title}</h2>
            <div class="empty__body">{children()}</div>
        </section>
    }
}

/// Explanations of numbers: each a disclosure with its arithmetic.
#[component]
pub fn Explanations(#[prop(into)] sections: Signal<Vec<Section>>) -> impl IntoView {
    view! {
        <div class="explain" data-testid="explanations">
            {move || sections.get().into_iter().map(|s| {
                let testid = format!("explain-{}", s.title.to_lowercase().split_whitespace().next().unwrap_or("x").to_owned());
                view! {
                    <details class="explain__item" data-testid=testid>
                        <summary class="explain__summary">
                            <span class="explain__title">{s.title.clone()}</span>
                            <span class="explain__value">{s.value.clone()}</span>
                        </summary>
                        <p class="explain__formula">{s.formula.clone()}</p>
                        <ul class="explain__lines">
                            {s.lines.iter().cloned().map(|l| view! { <li>{l}</li> }).collect_view()}
                        </ul>
                        {(!s.parameters.is_empty()).then(|| view! { <p class="explain__params muted">{format!("Policy: {}.", s.parameters_line())}</p> })}
                    </details>
                }
            }).collect_view()}
        </div>
    }
}

/// A select of scope rungs (1–5) or delegation levels (1–7) with the policy's names.
#[component]
pub fn ScaleSelect(
    /// Element id (and `data-testid`).
    id: &'static str,
    label: &'static str,
    /// Rungs when true, levels when false.
    rungs: bool,
    /// The chosen value, as its number.
    value: RwSignal<String>,
    /// The form's refusal, shown beside the select when it is about it.
    #[prop(optional)]
    error: Option<super::form::FormError>,
) -> impl IntoView {
    let ctx = super::state::use_app();
    let max = if rungs { 5u8 } else { 7 };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id data-testid=id aria-describedby=format!("{id}-error") prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                {move || ctx.ws.with(|w| (1..=max).map(|n| {
                    let name = if rungs { w.policy.rung_label(n) } else { w.policy.level_label(n) };
                    view! { <option value=n.to_string()>{format!("{n} {name}")}</option> }
                }).collect_view())}
            </select>
            {error.map(|e| view! { <super::form::FieldError error=e field=id/> })}
        </div>
    }
}

/// Chooses a decision area, or names a new one. A workspace with no areas yet shows only
/// the name of its first one, with a hint, so the first grant needs no other step.
#[component]
pub fn AreaPicker(
    /// Prefix of the element ids and `data-testid`s (`{prefix}-area`, `{prefix}-new-area`).
    prefix: &'static str,
    /// The chosen area id, or "new".
    area: RwSignal<String>,
    new_area: RwSignal<String>,
    /// The form's refusal, shown beside the new area's name when it is about it.
    #[prop(optional)]
    error: Option<super::form::FormError>,
) -> impl IntoView {
    let ctx = super::state::use_app();
    let select_id = format!("{prefix}-area");
    let input_id = format!("{prefix}-new-area");
    let none_yet = Memo::new(move |_| ctx.ws.with(|w| w.areas.is_empty()));
    let chooser = {
        let select_id = select_id.clone();
        move || {
            (!none_yet.get()).then(|| {
                let select_id = select_id.clone();
                view! {
                    <div class="field">
                        <label for=select_id.clone()>"Decision area"</label>
                        <select id=select_id.clone() data-testid=select_id.clone() aria-describedby=format!("{select_id}-error") on:change=move |ev| area.set(event_target_value(&ev))>
                            // The choice shown is the one held (it may come back from text kept across a reload).
                            {move || ctx.ws.with(|w| w.areas.iter().map(|a| {
                                let value = a.id.0.to_string();
                                let held = value.clone();
                                view! { <option value=value selected=move || area.with(|x| *x == held)>{a.name.to_string()}</option> }
                            }).collect_view())}
                            <option value="new" selected=move || area.with(|x| x == "new")>"New area…"</option>
                        </select>
                        {error.map(|e| view! { <super::form::FieldError error=e field=select_id.clone()/> })}
                    </div>
                }
            })
        }
    };
    view! {
        {chooser}
        {move || (area.get() == "new" || none_yet.get()).then(|| {
            let id = input_id.clone();
            let first = none_yet.get();
            let hint = format!("{id}-hint");
            let described = if first { format!("{hint} {id}-error") } else { format!("{id}-error") };
            view! {
                <div class="field">
                    <label for=id.clone()>{if first { "First decision area" } else { "New area name" }}</label>
                    <input id=id.clone() type="text" maxlength="120" placeholder="e.g. Architecture" data-testid=id.clone() aria-describedby=described aria-required=first.then_some("true")
                        prop:value=move || new_area.get() on:input=move |ev| new_area.set(event_target_value(&ev))/>
                    {first.then(|| view! {
                        <p class="field__hint" id=hint.clone() data-testid=hint.clone()>"No decision areas yet: name the first one (what is decided, such as Architecture or Hiring)."</p>
                    })}
                    {error.map(|e| view! { <super::form::FieldError error=e field=id.clone()/> })}
                    // With no chooser shown, a refusal about the area is shown here.
                    {error.filter(|_| first).map(|e| view! { <super::form::FieldError error=e field=select_id.clone()/> })}
                </div>
            }
        })}
    }
}

/// "Showing 25 of 274 flags · Show all", while a long list shows only its `first` items.
#[component]
pub fn ShowAll(first: usize, total: usize, what: &'static str, show_all: RwSignal<bool>) -> impl IntoView {
    let shown = total.min(first);
    (total > first).then(|| {
        view! {
            <p class="show-all muted" data-view="" data-testid=format!("show-all-{}", what.replace(' ', "-"))>
                {move || if show_all.get() { format!("Showing all {total} {what}. ") } else { format!("Showing {shown} of {total} {what}. ") }}
                <button type="button" class="button button--small" on:click=move |_| show_all.update(|v| *v = !*v)>
                    {move || if show_all.get() { "Show fewer" } else { "Show all" }}
                </button>
            </p>
        }
    })
}
