//! Workspace management: the list of workspaces in this browser (the index), opening,
//! creating, deleting one, the sample organisation, the export reminder, keeping a
//! snapshot, and starting fresh after an unreadable value.

use leptos::prelude::*;

use super::{fresh_workspace, AnyBackend, AppCtx, Boot, Persistence};
use crate::core::Workspace;
use crate::storage::store::{LoadOutcome, Store, StoreIndex, WorkspaceMeta};
use crate::ui::browser;

impl AppCtx {
    /// Whether the stored workspace `id` is shared with a team database.
    pub fn is_shared(self, id: &str) -> bool {
        self.store.with_value(|s| s.team(id)).ok().flatten().is_some()
    }

    /// Keeps the snapshot being viewed as a new local workspace, then opens it.
    pub fn save_snapshot_as_workspace(self) -> Result<(), String> {
        #[cfg(target_arch = "wasm32")]
        {
            let backend = crate::storage::local::LocalBackend::open().ok_or("Browser storage is not available here, so the snapshot cannot be kept. Export it as a file from Settings instead.")?;
            let mut store = Store::new(AnyBackend::Local(backend), browser::tab_id());
            let id = store.free_id(browser::random_u32).map_err(|e| e.to_string())?;
            // A unit's part may name someone outside it; kept, it names no one.
            let ws = crate::storage::snapshot::keepable(&self.ws.get_untracked());
            store.save(&id, &ws, 0, &browser::now_iso()).map_err(|e| e.to_string())?;
            let mut index = store.index().unwrap_or_default();
            index.workspaces.push(WorkspaceMeta { id: id.clone(), name: ws.name.to_string() });
            index.active = Some(id);
            store.save_index(&index).map_err(|e| e.to_string())?;
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash("#/");
                let _ = w.location().reload();
            }
            Ok(())
        }
        #[cfg(not(target_arch = "wasm32"))]
        Err("only in the browser".into())
    }

    /// An id for a new workspace that nothing stored in this browser has (random when
    /// storage cannot be read: nothing can be written over then either).
    pub(super) fn free_id(self) -> String {
        self.store.try_update_value(|s| s.free_id(browser::random_u32)).and_then(Result::ok).unwrap_or_else(|| format!("ws-{:08x}", browser::random_u32()))
    }

    pub(super) fn remember_active(self, id: &str) {
        browser::set_tab_workspace(id);
        let name = self.ws.with_untracked(|w| w.name.to_string());
        let index = self.store.try_update_value(|s| {
            let mut index: StoreIndex = s.index().unwrap_or_default();
            let known = index.workspaces.iter().any(|m| m.id == id && m.name == name);
            if index.since.is_none() {
                index.since = Some(crate::core::format_date(browser::today()));
                let _ = s.save_index(&index);
            }
            if !known || index.active.as_deref() != Some(id) {
                match index.workspaces.iter_mut().find(|m| m.id == id) {
                    Some(m) => m.name = name,
                    None => index.workspaces.push(WorkspaceMeta { id: id.to_owned(), name }),
                }
                index.active = Some(id.to_owned());
                let _ = s.save_index(&index);
            }
            index
        });
        if let Some(index) = index {
            if self.index.get_untracked() != index {
                self.index.set(index);
            }
        }
    }

    /// Opens another stored workspace.
    pub fn open_workspace(self, id: &str) -> Result<(), String> {
        let loaded = self.store.try_update_value(|s| s.load(id));
        match loaded {
            Some(Ok(LoadOutcome::Loaded(env))) => {
                self.flush();
                self.forget_history();
                self.id.set(id.to_owned());
                self.rev.set(env.rev);
                self.ws.set(env.workspace);
                self.boot.set(Boot::Ready);
                self.remember_active(id);
                self.load_team();
                Ok(())
            }
            Some(Ok(LoadOutcome::Corrupt { raw, problem })) => {
                self.id.set(id.to_owned());
                self.boot.set(Boot::Corrupt { raw, problem });
                Ok(())
            }
            Some(Ok(LoadOutcome::Newer { found, .. })) => Err(format!("That workspace was saved by a newer Latitude (schema {found}); update the app to open it.")),
            Some(Ok(LoadOutcome::Missing)) => Err("That workspace is no longer stored in this browser.".into()),
            Some(Err(e)) => Err(e.to_string()),
            None => Err("Storage is not ready.".into()),
        }
    }

    /// Stores `ws` as a new workspace and opens it; the open one stays as it is. A name
    /// another workspace has is numbered ("Northwind (2)"), so that the list tells them
    /// apart. Returns the name it is stored under.
    pub fn create_workspace(self, mut ws: Workspace) -> String {
        let id = self.free_id();
        ws.name = self.index.with_untracked(|i| i.free_name(&ws.name, None, &id));
        let name = ws.name.to_string();
        self.flush();
        self.forget_history();
        self.id.set(id.clone());
        self.rev.set(0);
        self.ws.set(ws);
        self.save_now();
        self.remember_active(&id);
        self.load_team();
        name
    }

    /// Records an export now, for the export reminder.
    pub fn mark_exported(self) {
        let today = crate::core::format_date(browser::today());
        self.update_index(|i| i.last_export = Some(today));
    }

    pub fn set_reminder_days(self, days: u32) {
        self.update_index(|i| i.export_reminder_days = days);
    }

    fn update_index(self, f: impl FnOnce(&mut StoreIndex)) {
        let mut index = self.index.get_untracked();
        f(&mut index);
        self.store.update_value(|s| {
            let _ = s.save_index(&index);
        });
        self.index.set(index);
    }

    /// Days since the last export, if the reminder is due.
    pub fn export_overdue(self) -> Option<Option<i64>> {
        let index = self.index.get();
        if matches!(self.persistence.get(), Persistence::Snapshot) || index.export_reminder_days == 0 || self.ws.with(|w| w.units.is_empty()) {
            return None;
        }
        let today = browser::today();
        let date = |d: &Option<String>| d.as_deref().and_then(|d| crate::core::parse_date(d).ok());
        let age = |d| crate::core::score::days_between(d, today);
        match (date(&index.last_export), date(&index.since)) {
            (Some(d), _) => (age(d) > i64::from(index.export_reminder_days)).then_some(Some(age(d))),
            // Never exported: remind once the data has been here for the reminder's days.
            (None, Some(since)) => (age(since) > i64::from(index.export_reminder_days)).then_some(None),
            (None, None) => None,
        }
    }

    /// Opens the sample organisation, scored as of today (its history ends today, so
    /// nothing is recorded in the future): in place of an empty workspace, or as a new
    /// one, so that it never overwrites anyone's data.
    pub fn load_sample(self) {
        let end = browser::today();
        let sample = crate::core::sample::sample_org(end);
        let empty = self.ws.with_untracked(|w| w.units.is_empty() && w.commitments.is_empty() && w.areas.is_empty());
        if empty {
            // The sample is valid by construction; a refusal would leave the empty workspace.
            let _ = self.edit(crate::core::Command::ReplaceWorkspace { workspace: Box::new(sample) });
        } else {
            self.create_workspace(sample);
        }
        self.as_of.set(end);
    }

    /// Deletes a stored workspace (never the open one).
    pub fn delete_workspace(self, id: &str) {
        if id == self.id.get_untracked() {
            return;
        }
        let index = self.store.try_update_value(|s| {
            let _ = s.remove(id);
            let mut index = s.index().unwrap_or_default();
            index.workspaces.retain(|m| m.id != id);
            let _ = s.save_index(&index);
            index
        });
        if let Some(index) = index {
            self.index.set(index);
        }
    }

    /// Recovery: start a fresh workspace; the unreadable value stays under its recovery key.
    pub fn start_fresh(self) {
        self.forget_history();
        let id = self.id.get_untracked();
        let theirs = self.store.with_value(|s| s.stored_rev(&id)).unwrap_or(0);
        self.rev.set(theirs);
        self.boot.set(Boot::Ready);
        self.ws.set(fresh_workspace());
        self.save_now();
    }
}
