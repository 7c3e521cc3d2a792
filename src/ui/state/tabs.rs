//! Tab coordination: another tab's write arrives by the `storage` event. With nothing
//! unwritten here, this tab takes the newer version live; with unwritten edits it stops
//! writing and asks ([`Persistence::Conflict`]) until the user keeps one side. The side
//! not chosen is kept as a workspace of its own, as is this tab's when the page is left
//! while it asks: neither is lost.

use leptos::prelude::*;

use super::{AppCtx, Persistence};
use crate::storage::store::{LoadOutcome, StorageError};
use crate::ui::browser;
use crate::ui::save_plan::{on_other_tab_write, Incoming};

impl AppCtx {
    /// Listens for other tabs' writes of the open workspace.
    pub(super) fn watch_other_tabs(self) {
        #[cfg(target_arch = "wasm32")]
        {
            let handle = window_event_listener(leptos::ev::storage, move |ev| {
                let id = self.id.get_untracked();
                // Another tab made, renamed, kept or deleted a workspace: Settings' list follows.
                if ev.key().as_deref() == Some(crate::storage::store::INDEX_KEY) {
                    self.refresh_index();
                    return;
                }
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

    pub(super) fn other_tab_wrote(self) {
        let id = self.id.get_untracked();
        let Some(Ok((theirs, writer))) = self.store.try_with_value(|s| s.stored_head(&id)) else { return };
        let conflict = matches!(self.persistence.get_untracked(), Persistence::Conflict);
        // Two tabs that wrote at the same moment both wrote the rev after the one they
        // read, the later over the earlier: this tab's version, written, is stored no
        // more. It is asked about as an unwritten edit is.
        let mine = self.store.with_value(|s| s.writer.clone());
        let overwritten = self.written.with_value(|w| w.as_ref() == Some(&(id.clone(), theirs))) && writer.as_deref() != Some(mine.as_str());
        if overwritten {
            self.lost.set(theirs);
        }
        match on_other_tab_write(self.unwritten() || overwritten, conflict, theirs, self.rev.get_untracked()) {
            Incoming::Ask => self.persistence.set(Persistence::Conflict),
            Incoming::Take => {
                let shown = self.rev.get_untracked();
                let had_steps = self.undo_depth.get_untracked() != (0, 0);
                self.reload_from_storage();
                // The steps are gone with the version they were taken on: said, not silent.
                if had_steps {
                    self.storage_notice
                        .set(Some("Another tab's changes were loaded here, so Undo starts again from them: this tab's earlier steps would have taken back that tab's edits too.".into()));
                }
                self.tell_if_replaced(&id, shown);
            }
            Incoming::Ignore => {}
        }
    }

    /// After taking another tab's version: if that tab wrote it over the revision shown
    /// here (it kept its own version after a conflict), says where the one shown here
    /// was kept.
    fn tell_if_replaced(self, id: &str, shown: u64) {
        let Some(Ok(Some(kept))) = self.store.try_with_value(|s| s.kept(id)) else { return };
        if kept.rev == shown && shown != 0 {
            self.refresh_index();
            self.storage_notice.set(Some(format!(
                "Another tab kept its own version of this workspace in place of the one shown here. The one shown here is kept as the workspace \u{201c}{}\u{201d}: open it from Settings, under Workspaces.",
                kept.name
            )));
        }
    }

    /// Re-reads the stored workspace in place of this tab's (another tab wrote it; after
    /// a conflict, the user chose "load the newer version").
    fn reload_from_storage(self) {
        let id = self.id.get_untracked();
        let loaded = self.store.try_update_value(|s| s.load(&id));
        if let Some(Ok(LoadOutcome::Loaded(env))) = loaded {
            self.discard_pending();
            self.aside.set_value(None);
            // This tab's undo steps were taken on the version it showed: applied to
            // another tab's, they would take back that tab's edits too.
            self.forget_history();
            self.rev.set(env.rev);
            self.lost.set(0);
            self.replaced.update(|n| *n += 1);
            self.ws.set(env.workspace);
            self.persistence.set(Persistence::Saved);
            self.load_team();
        }
    }

    /// After a conflict: load the newer version. This tab's, which it replaces, is first
    /// kept as a workspace of its own, listed after this one, and the notice says where.
    /// If that copy cannot be written (storage full), nothing is loaded over this tab's
    /// version and the notice says why this tab still waits.
    pub fn load_theirs(self) {
        match self.keep_this_tabs_aside() {
            Ok(name) => {
                self.reload_from_storage();
                self.refresh_index();
                self.storage_notice.set(Some(format!("This tab's version is kept as the workspace \u{201c}{name}\u{201d}: open it from Settings, under Workspaces.")));
            }
            Err(e) => self.storage_notice.set(Some(format!(
                "This tab's version could not be kept aside ({e}), so the newer version was not loaded over it. Export this tab's version from Settings, or delete a workspace you no longer need, then choose again."
            ))),
        }
    }

    /// The page is left (closed, reloaded, navigated away) while a conflict waits: this
    /// tab's version is kept as a workspace of its own, and the next start says so.
    pub(super) fn keep_on_leaving(self) {
        if matches!(self.persistence.get_untracked(), Persistence::Conflict) {
            if let Ok(name) = self.keep_this_tabs_aside() {
                let _ = self.store.try_update_value(|s| s.note_set_aside(&name));
            }
        }
    }

    /// Stores this tab's version as a workspace of its own, listed after this one: once
    /// per conflict (kept again, as when the page comes back from the browser's page
    /// cache and the user then loads the newer version, it replaces the same copy).
    fn keep_this_tabs_aside(self) -> Result<String, StorageError> {
        let id = self.id.get_untracked();
        let copy_id = self.aside.get_value().unwrap_or_else(|| self.free_id());
        let kept = self.ws.with_untracked(|ws| self.store.try_update_value(|s| s.keep_aside(&id, &copy_id, ws, &set_aside_label(), &browser::now_iso()))).ok_or(StorageError::Unavailable)?;
        if kept.is_ok() {
            self.aside.set_value(Some(copy_id));
        }
        kept
    }

    /// After a conflict: keep this tab's version. The other tab's version, which it
    /// replaces, is first kept as a workspace of its own, listed after this one, and the
    /// notice says where: neither is lost. If that copy cannot be written (storage full),
    /// nothing is overwritten and the notice says why this tab still waits.
    pub fn keep_mine(self) {
        let id = self.id.get_untracked();
        let copy_id = self.free_id();
        let Some(kept) = self.store.try_update_value(|s| s.keep_copy(&id, &copy_id, &set_aside_label(), &browser::now_iso())) else { return };
        match kept {
            Ok(Some(name)) => {
                self.refresh_index();
                self.storage_notice.set(Some(format!("The other tab's version is kept as the workspace \u{201c}{name}\u{201d}: open it from Settings, under Workspaces.")));
            }
            Ok(None) => {}
            Err(e) => {
                self.storage_notice.set(Some(format!(
                    "The other tab's version could not be kept aside ({e}), so this tab did not write over it. Export this tab's version from Settings, or delete a workspace you no longer need, then choose again."
                )));
                return;
            }
        }
        let theirs = self.store.with_value(|s| s.stored_rev(&id)).unwrap_or(0);
        self.aside.set_value(None);
        self.rev.set(theirs);
        self.persistence.set(Persistence::Saved);
        self.save_now();
    }

    /// Reads the workspace list again (another tab or a copy changed it).
    pub(super) fn refresh_index(self) {
        if let Some(Ok(index)) = self.store.try_update_value(|s| s.index()) {
            if self.index.get_untracked() != index {
                self.index.set(index);
            }
        }
    }
}

/// How a version kept aside in a conflict is named after its workspace: when, which
/// means the same in every tab and in Settings later ("this tab" would not).
fn set_aside_label() -> String {
    format!("set aside {}", browser::now_to_the_minute())
}
