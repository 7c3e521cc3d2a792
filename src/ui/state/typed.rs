//! Text typed into a form and not recorded yet (a check-in row of the sweep, a unit's
//! verdict and actions in a workshop). It outlives the form: another page and back
//! finds it again. It is kept in the tab's session storage half a second after it is
//! typed and whenever the page is hidden, so a reload, or a tab the browser reopens
//! (after a crash too, where the browser restores its tabs), finds it too. Keys name
//! the workspace, the form and the field; blank text is not kept.

use std::cell::Cell;

use leptos::prelude::*;

use super::AppCtx;

/// How long after a keystroke the typed text is written to session storage (one write
/// for a burst of typing).
const KEEP_AFTER_MS: u64 = 500;

thread_local! {
    /// A write of the typed text is waiting.
    static WAITING: Cell<bool> = const { Cell::new(false) };
}

/// Where a tab keeps its typed text across a reload (session storage: this tab only).
const KEY: &str = "latitude/typed";

/// Typed text by key: a few dozen at most, so a list (a map's code cost the first
/// load 6 KB of wasm).
pub type Typed = Vec<(String, String)>;

impl AppCtx {
    /// The text typed under `key`, or empty.
    pub fn typed(self, key: &str) -> String {
        self.typed.with_value(|t| t.iter().find(|(k, _)| k == key).map(|(_, text)| text.clone())).unwrap_or_default()
    }

    /// Keeps `text` under `key`; blank text removes it.
    pub fn set_typed(self, key: &str, text: &str) {
        self.typed.update_value(|t| match (t.iter().position(|(k, _)| k == key), text.trim().is_empty()) {
            (Some(at), true) => {
                t.remove(at);
            }
            (Some(at), false) => text.clone_into(&mut t[at].1),
            (None, false) => t.push((key.to_owned(), text.to_owned())),
            (None, true) => {}
        });
        // Kept soon, not only when the page is hidden: a crash gives no such moment.
        if !WAITING.with(|w| w.replace(true)) {
            set_timeout(
                move || {
                    WAITING.with(|w| w.set(false));
                    self.keep_typed();
                },
                std::time::Duration::from_millis(KEEP_AFTER_MS),
            );
        }
    }

    /// Whether any text is typed under a key that starts with `prefix`.
    pub fn has_typed(self, prefix: &str) -> bool {
        self.typed.with_value(|t| t.iter().any(|(k, text)| k.starts_with(prefix) && !text.trim().is_empty()))
    }

    /// Forgets every text whose key starts with `prefix` (the form was recorded).
    pub fn forget_typed(self, prefix: &str) {
        self.typed.update_value(|t| t.retain(|(k, _)| !k.starts_with(prefix)));
    }

    /// A form field's signal that starts with what was typed under `key` (or `default`)
    /// and keeps what is typed there, unless it is `default`.
    pub fn typed_field(self, key: String, default: String) -> RwSignal<String> {
        let typed = self.typed(&key);
        let field = RwSignal::new(if typed.is_empty() { default.clone() } else { typed });
        Effect::new(move |_| {
            let text = field.get();
            self.set_typed(&key, if text == default { "" } else { &text });
        });
        field
    }

    /// Writes the typed text to the tab's session storage (the page is being hidden).
    pub(super) fn keep_typed(self) {
        let Some(storage) = session() else { return };
        let kept = self.typed.with_value(|t| if t.is_empty() { None } else { serde_json::to_string(t).ok() });
        // Full or refused: the text stays in this page, as before.
        let _ = match kept {
            Some(raw) => storage.set_item(KEY, &raw),
            None => storage.remove_item(KEY),
        };
    }
}

/// What this tab kept before a reload.
pub(super) fn read_typed() -> Typed {
    session().and_then(|s| s.get_item(KEY).ok().flatten()).and_then(|raw| serde_json::from_str(&raw).ok()).unwrap_or_default()
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}
