//! What the crash journal ([`crate::storage::journal`]) kept, put back at start.

use leptos::prelude::*;

use super::{AppCtx, Boot, Persistence};
use crate::storage::journal;

/// What the start says when it put back what the browser had not stored.
const RESTORED: &str = "The latest changes were restored: the browser closed before it had stored them.";

impl AppCtx {
    /// Puts back what the journal kept of writes the browser had not stored, and takes
    /// the open workspace from it if it was one of them.
    /// `tab_had`: this tab noted the workspace it showed before (a reload): that one
    /// stays open whatever the journal's list opened last. `reading`: the journal's
    /// entries, read before this start wrote anything ([`journal::start_reading`]).
    pub(super) fn restore_from_journal(self, tab_had: bool, reading: wasm_bindgen_futures::JsFuture) {
        // A workspace stored unreadable may be read from the journal's copy instead.
        let unreadable = matches!(self.boot.get_untracked(), Boot::Corrupt { .. });
        if !matches!(self.persistence.get_untracked(), Persistence::Saved) || !(unreadable || matches!(self.boot.get_untracked(), Boot::Ready)) {
            return;
        }
        leptos::task::spawn_local(async move {
            let id = self.id.get_untracked();
            let entries = journal::read(reading).await;
            let Some(Ok((restored, index_restored))) = self.store.try_update_value(|s| s.restore_journal(&entries)) else { return };
            if restored.is_empty() && !index_restored {
                return;
            }
            self.refresh_index();
            // The list put back opens the workspace it had open, as a start with it would
            // (a browser that crashed had the list's earlier write: another workspace).
            let active = self.index.with_untracked(|i| i.active.clone()).filter(|a| *a != id && index_restored && !tab_had);
            let said = if let Some(active) = active {
                let _ = self.open_workspace(&active);
                RESTORED
            } else if unreadable && restored.contains(&id) {
                // The recovery page gives way to the version the journal kept.
                let _ = self.open_workspace(&id);
                "This workspace's stored data could not be read, so the last version this browser saved was opened from its journal. The unreadable data is kept aside in this browser."
            } else if restored.contains(&id) {
                // As if another tab had written it: taken at once, or asked about if this
                // tab has edits not yet written.
                self.other_tab_wrote();
                RESTORED
            } else {
                RESTORED
            };
            // Said beside what the start has to say already (a repaired list…).
            self.storage_notice.update(|n| *n = Some(n.take().map_or_else(|| said.to_owned(), |before| format!("{before} {said}"))));
        });
    }
}
