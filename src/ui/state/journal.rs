//! What the crash journal ([`crate::storage::journal`]) kept, put back at start.

use leptos::prelude::*;

use super::{AppCtx, Boot, Persistence};
use crate::storage::journal;
use crate::storage::store::workspace_key;

impl AppCtx {
    /// Puts back what the journal kept of writes the browser had not stored, and takes
    /// the open workspace from it if it was one of them.
    pub(super) fn restore_from_journal(self) {
        if !matches!(self.persistence.get_untracked(), Persistence::Saved) || !matches!(self.boot.get_untracked(), Boot::Ready) {
            return;
        }
        leptos::task::spawn_local(async move {
            let open = workspace_key(&self.id.get_untracked());
            let mut restored_open = false;
            for (key, value) in journal::entries().await {
                let restored = self.store.try_update_value(|s| s.restore_journaled(&key, &value));
                restored_open |= restored == Some(Ok(true)) && key == open;
            }
            if restored_open {
                // As if another tab had written it: taken at once, or asked about if
                // this tab has edits not yet written.
                self.other_tab_wrote();
                // Said beside what the start has to say already (a repaired list…).
                let restored = "The latest changes to this workspace were restored: the browser closed before it had stored them.";
                self.storage_notice.update(|n| *n = Some(n.take().map_or_else(|| restored.to_owned(), |said| format!("{said} {restored}"))));
            }
        });
    }
}
