//! Tab coordination: another tab's write arrives by the `storage` event. With nothing
//! unwritten here, this tab takes the newer version live; with unwritten edits it stops
//! writing and asks ([`Persistence::Conflict`]) until the user keeps one side.

use leptos::prelude::*;

use super::{AppCtx, Persistence};
use crate::storage::store::LoadOutcome;
use crate::ui::save_plan::{on_other_tab_write, Incoming};

impl AppCtx {
    /// Listens for other tabs' writes of the open workspace.
    pub(super) fn watch_other_tabs(self) {
        #[cfg(target_arch = "wasm32")]
        {
            let handle = window_event_listener(leptos::ev::storage, move |ev| {
                let id = self.id.get_untracked();
                if ev.key().as_deref() == Some(crate::storage::store::team_key(&id).as_str()) {
                    self.other_tab_synced();
                    return;
                }
                if ev.key().as_deref() != Some(crate::storage::store::workspace_key(&id).as_str()) {
                    return;
                }
                self.other_tab_wrote();
            });
            on_cleanup(move || handle.remove());
        }
    }

    fn other_tab_wrote(self) {
        let id = self.id.get_untracked();
        let Some(Ok(theirs)) = self.store.try_with_value(|s| s.stored_rev(&id)) else { return };
        let conflict = matches!(self.persistence.get_untracked(), Persistence::Conflict);
        match on_other_tab_write(self.unwritten(), conflict, theirs, self.rev.get_untracked()) {
            Incoming::Ask => self.persistence.set(Persistence::Conflict),
            Incoming::Take => self.reload_from_storage(),
            Incoming::Ignore => {}
        }
    }

    /// Re-reads the stored workspace in place of this tab's (another tab wrote it; after
    /// a conflict, the user chose "load the newer version").
    pub fn reload_from_storage(self) {
        let id = self.id.get_untracked();
        let loaded = self.store.try_update_value(|s| s.load(&id));
        if let Some(Ok(LoadOutcome::Loaded(env))) = loaded {
            self.discard_pending();
            self.rev.set(env.rev);
            self.ws.set(env.workspace);
            self.persistence.set(Persistence::Saved);
            self.load_team();
        }
    }

    /// After a conflict: keep this tab's version, overwriting the other tab's.
    pub fn keep_mine(self) {
        let id = self.id.get_untracked();
        let theirs = self.store.with_value(|s| s.stored_rev(&id)).unwrap_or(0);
        self.rev.set(theirs);
        self.persistence.set(Persistence::Saved);
        self.save_now();
    }
}
