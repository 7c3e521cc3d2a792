//! Presenter mode for a projector: the workshop full screen (the Fullscreen API where
//! the browser allows it; else the app's header, navigation and footer are hidden and
//! the workshop fills the window), projector-sized type, high contrast; keyboard
//! shortcuts that never fire while typing in a field, listed on a help overlay.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::storage::local::{device_setting, set_device_setting};

/// The class on `<html>` that hides the app chrome while presenting (style/workshop.css).
const PRESENTING: &str = "is-presenting";

#[derive(Clone, Copy)]
pub struct Presenter {
    pub on: RwSignal<bool>,
    /// Whether the browser's full screen is in use (else the chrome is hidden).
    pub fullscreen: RwSignal<bool>,
    root: NodeRef<leptos::html::Div>,
}

/// Where this browser remembers that the workshop is presented, so a reload or a
/// browser restart in the middle of a session comes back in presenter mode (without
/// the browser's full screen, which only a click or a key may ask for).
const REMEMBERED: &str = "latitude/presenter";

fn remembered() -> bool {
    device_setting(REMEMBERED).is_some_and(|v| v == "1")
}

fn remember(on: bool) {
    set_device_setting(REMEMBERED, on.then_some("1"));
}

fn set_presenting(on: bool) {
    if let Some(el) = document().document_element() {
        let _ = if on { el.class_list().add_1(PRESENTING) } else { el.class_list().remove_1(PRESENTING) };
    }
}

impl Presenter {
    pub fn new(root: NodeRef<leptos::html::Div>) -> Presenter {
        let again = remembered();
        let p = Presenter { on: RwSignal::new(again), fullscreen: RwSignal::new(false), root };
        set_presenting(again);
        // Leaving full screen with the browser's own key (Escape) leaves presenter mode.
        let listener = Closure::<dyn Fn()>::new(move || {
            let full = document().fullscreen_element().is_some();
            let was = p.fullscreen.get_untracked();
            p.fullscreen.set(full);
            if was && !full {
                p.on.set(false);
                set_presenting(false);
                remember(false);
            }
        });
        let _ = document().add_event_listener_with_callback("fullscreenchange", listener.as_ref().unchecked_ref());
        let listener = SendWrapper::new(listener);
        on_cleanup(move || {
            let _ = document().remove_event_listener_with_callback("fullscreenchange", listener.as_ref().unchecked_ref());
            set_presenting(false);
            if document().fullscreen_element().is_some() {
                document().exit_fullscreen();
            }
        });
        p
    }

    pub fn toggle(self) {
        let on = !self.on.get_untracked();
        self.on.set(on);
        set_presenting(on);
        remember(on);
        let doc = document();
        if on {
            if doc.fullscreen_enabled() {
                if let Some(el) = self.root.get_untracked() {
                    // Refused without a user gesture or by policy: the hidden chrome stays the fallback.
                    let _ = el.request_fullscreen();
                }
            }
        } else if doc.fullscreen_element().is_some() {
            doc.exit_fullscreen();
        }
    }
}

/// The workshop's keyboard shortcuts.
pub struct Shortcuts {
    pub presenter: Presenter,
    pub help: RwSignal<bool>,
}

/// Each shortcut, as the help overlay lists it.
pub const KEYS: [(&str, &str); 8] = [
    ("→ or Page Down", "Next step"),
    ("← or Page Up", "Previous step"),
    ("R", "Reveal the votes"),
    ("T", "Start or pause the timer"),
    ("F", "Presenter mode on or off"),
    ("Escape", "Leave presenter mode"),
    ("Ctrl+Z, Ctrl+Shift+Z", "Undo, redo the last change (outside a field)"),
    ("?", "This list (Escape closes it)"),
];

/// Whether a key press is typing: in a field, an editable element or with a modifier.
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return true;
    }
    ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()).map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.is_content_editable()).unwrap_or(false)
}

/// Clicks the control that carries (the step's buttons, the timer, the reveal) `data-shortcut="{name}"`, if it is there and enabled.
fn press(name: &str) {
    if let Ok(Some(el)) = document().query_selector(&format!("[data-shortcut=\"{name}\"]:not([disabled])")) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            el.click();
        }
    }
}

impl Shortcuts {
    pub fn install(self) {
        let Shortcuts { presenter, help } = self;
        let keys = window_event_listener(leptos::ev::keydown, move |ev| {
            if typing(&ev) {
                return;
            }
            let key = ev.key();
            if help.get_untracked() {
                if key == "Escape" || key == "?" {
                    ev.prevent_default();
                    help.set(false);
                }
                return;
            }
            let handled = match key.as_str() {
                "ArrowRight" | "PageDown" => {
                    press("next");
                    true
                }
                "ArrowLeft" | "PageUp" => {
                    press("back");
                    true
                }
                "r" | "R" => {
                    press("reveal");
                    true
                }
                "t" | "T" => {
                    press("timer");
                    true
                }
                "f" | "F" => {
                    presenter.toggle();
                    true
                }
                "?" => {
                    help.set(true);
                    true
                }
                "Escape" if presenter.on.get_untracked() && !presenter.fullscreen.get_untracked() => {
                    presenter.toggle();
                    true
                }
                _ => false,
            };
            if handled {
                ev.prevent_default();
            }
        });
        on_cleanup(move || keys.remove());
    }
}

/// The list of shortcuts, over the workshop.
#[component]
pub fn Help(open: RwSignal<bool>) -> impl IntoView {
    let close = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if open.get() {
            if let Some(b) = close.get() {
                let _ = b.focus();
            }
        }
    });
    move || {
        open.get().then(|| {
            view! {
                <div class="workshop__help" role="dialog" aria-modal="true" aria-labelledby="workshop-help-title" data-testid="shortcuts-overlay">
                    <div class="workshop__help-box">
                        <h2 id="workshop-help-title">"Keyboard shortcuts"</h2>
                        <dl>
                            {KEYS.iter().map(|(k, what)| view! { <dt><kbd>{*k}</kbd></dt><dd>{*what}</dd> }).collect_view()}
                        </dl>
                        <p>"They do nothing while you type in a field."</p>
                        <button type="button" class="button button--primary" data-view="" data-testid="shortcuts-close" node_ref=close on:click=move |_| open.set(false)>"Close"</button>
                    </div>
                </div>
            }
        })
    }
}
