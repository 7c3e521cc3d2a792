//! Read-only means read-only. While a snapshot from a link (or a workspace written by a
//! newer version) is open, `AppCtx::edit` refuses every change, and this guard disables
//! every form control in the page that is not marked as changing only the view
//! (`data-view` on the control or a container: the as-of date, sorting, filters, chart
//! tables and exports, the share panel). Disabling is the default, so a control added
//! later is read-only in a snapshot unless it is marked as a view control. The banner
//! says once, for the whole page, why the controls are disabled and how to keep the data
//! ("Save as new workspace").

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// What the guard disables, and what it leaves alone.
const CONTROLS: &str = "input, select, textarea, button";
const VIEW: &str = "[data-view]";

/// Disables every data-changing control under `root` now.
fn disable_writes(root: &web_sys::Element) {
    let Ok(list) = root.query_selector_all(CONTROLS) else { return };
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        if el.closest(VIEW).ok().flatten().is_some() || el.has_attribute("disabled") {
            continue;
        }
        let _ = el.set_attribute("disabled", "");
        let _ = el.set_attribute("data-read-only", "");
        let _ = el.set_attribute("title", "Read-only snapshot: save it as a new workspace to change it");
    }
}

/// Keeps every data-changing control under `root` disabled, including those rendered
/// later or re-enabled by their page, until the page is left.
pub fn guard(root: &web_sys::Element) {
    disable_writes(root);
    let target = root.clone();
    let on_change = Closure::<dyn FnMut()>::new(move || disable_writes(&target));
    let Ok(observer) = web_sys::MutationObserver::new(on_change.as_ref().unchecked_ref()) else { return };
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_attributes(true);
    options.set_attribute_filter(&js_sys::Array::of1(&"disabled".into()));
    if observer.observe_with_options(root, &options).is_ok() {
        // The shell lives as long as the page: the observer and its callback do too.
        on_change.forget();
        std::mem::forget(observer);
    }
}
