//! App state: the open workspace and everything derived from it, in signals provided
//! as one context. Saving happens from one place ([`persist`]), never from views.

use leptos::prelude::*;
use time::Date;

use crate::charts::Theme;
use crate::core::{rescore_after, score, Name, Scores, Workspace};

use crate::storage::store::{Backend, LoadOutcome, MemoryBackend, SaveError, StorageError, Store, StoreIndex, WorkspaceMeta};

use super::browser;

/// localStorage when it works, memory otherwise.
pub enum AnyBackend {
    #[cfg(target_arch = "wasm32")]
    Local(crate::storage::local::LocalBackend),
    Memory(MemoryBackend),
}

impl Backend for AnyBackend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        match self {
            #[cfg(target_arch = "wasm32")]
            AnyBackend::Local(b) => b.get(key),
            AnyBackend::Memory(b) => b.get(key),
        }
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        match self {
            #[cfg(target_arch = "wasm32")]
            AnyBackend::Local(b) => b.set(key, value),
            AnyBackend::Memory(b) => b.set(key, value),
        }
    }
    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        match self {
            #[cfg(target_arch = "wasm32")]
            AnyBackend::Local(b) => b.remove(key),
            AnyBackend::Memory(b) => b.remove(key),
        }
    }
}

/// Where the data stands relative to browser storage.
#[derive(Debug, Clone, PartialEq)]
pub enum Persistence {
    /// Every change is stored.
    Saved,
    /// Storage cannot be used here: changes live only in this tab.
    MemoryOnly,
    /// The last save failed (quota or another error); the message says what to do.
    Failed(String),
    /// Another tab saved a newer version; this tab stops writing until the user chooses.
    Conflict,
    /// Written by a newer Latitude: shown read-only.
    ReadOnly(String),
    /// A snapshot from a link: read-only, and local workspaces are never touched.
    Snapshot,
}

/// What start-up found.
#[derive(Debug, Clone, PartialEq)]
pub enum Boot {
    Ready,
    /// The stored workspace could not be read; its raw value was kept aside.
    Corrupt {
        raw: String,
        problem: String,
    },
    /// A snapshot link that cannot be opened.
    BadSnapshot(String),
}

/// The app's shared state.
#[derive(Clone, Copy)]
pub struct AppCtx {
    pub ws: RwSignal<Workspace>,
    pub as_of: RwSignal<Date>,
    pub scores: Memo<Scores>,
    pub persistence: RwSignal<Persistence>,
    pub boot: RwSignal<Boot>,
    pub theme: RwSignal<Theme>,
    /// Stored rev this tab last read or wrote.
    rev: RwSignal<u64>,
    /// The open workspace's storage id.
    pub id: RwSignal<String>,
    /// Every workspace in this browser.
    pub index: RwSignal<StoreIndex>,
    store: StoredValue<Store<AnyBackend>>,
    /// Edits not yet written, and the timer that will write them.
    dirty: StoredValue<bool>,
    /// When the oldest unwritten edit was made (ms since the epoch).
    dirty_since: StoredValue<f64>,
    timer: StoredValue<Option<leptos::leptos_dom::helpers::TimeoutHandle>>,
    history: StoredValue<History>,
    /// How many steps can be undone and redone (for the buttons).
    pub undo_depth: RwSignal<(usize, usize)>,
    /// The map of a map-only snapshot link (no records).
    pub map_only: StoredValue<Option<crate::storage::snapshot::MapOnly>>,
}

/// Recent versions of the workspace for undo and redo: up to 50 steps. Versions share
/// every list an edit did not touch (see [`crate::core::Shared`]), so a step usually
/// costs one commitment's check-ins; steps that replace much (an import, a sample) cost
/// more, and the oldest go once the kept versions weigh more than the budget.
#[derive(Default)]
struct History {
    /// Each version with its [`Workspace::unshared_size`] relative to the next one.
    undo: Vec<(Workspace, usize)>,
    redo: Vec<Workspace>,
}

impl History {
    const STEPS: usize = 50;
    /// Check-ins' worth of memory kept across all versions (about 30 MB).
    const BUDGET: usize = 300_000;

    fn push(&mut self, before: Workspace, after: &Workspace) {
        let size = before.unshared_size(after);
        self.undo.push((before, size));
        self.redo.clear();
        let mut total: usize = self.undo.iter().map(|(_, s)| s).sum();
        while self.undo.len() > Self::STEPS || (total > Self::BUDGET && self.undo.len() > 1) {
            total -= self.undo.remove(0).1;
        }
    }
}

/// Milliseconds between the last edit and the write (edits in between are coalesced).
const SAVE_DEBOUNCE_MS: u64 = 300;
/// The longest an edit waits to be written while edits keep coming.
const SAVE_MAX_WAIT_MS: f64 = 2_000.0;

pub fn use_app() -> AppCtx {
    expect_context::<AppCtx>()
}

const DEFAULT_ID: &str = "default";

fn fresh_workspace() -> Workspace {
    Workspace::new(Name::new("My organisation").expect("fixed name is valid"))
}

impl AppCtx {
    /// Opens storage and the active workspace, and provides the context. A snapshot or
    /// embed link opens its own data instead, in memory, without reading or writing
    /// local workspaces.
    pub fn provide(snapshot: Option<&str>) -> AppCtx {
        if let Some(data) = snapshot {
            return Self::provide_snapshot(data);
        }
        #[cfg(target_arch = "wasm32")]
        let (backend, available) = match crate::storage::local::LocalBackend::open() {
            Some(b) => (AnyBackend::Local(b), true),
            None => (AnyBackend::Memory(MemoryBackend::default()), false),
        };
        #[cfg(not(target_arch = "wasm32"))]
        let (backend, available) = (AnyBackend::Memory(MemoryBackend::default()), false);
        let mut store = Store::new(backend, browser::tab_id());
        let index = store.index().unwrap_or_default();
        let id = index.active.clone().unwrap_or_else(|| DEFAULT_ID.to_owned());
        let mut persistence = if available { Persistence::Saved } else { Persistence::MemoryOnly };
        let mut boot = Boot::Ready;
        let (ws, rev) = match store.load(&id) {
            Ok(LoadOutcome::Loaded(env)) => (env.workspace, env.rev),
            Ok(LoadOutcome::Missing) => (fresh_workspace(), 0),
            Ok(LoadOutcome::Newer { found, .. }) => {
                persistence = Persistence::ReadOnly(format!("This workspace was saved by a newer version of Latitude (schema {found}). It is left untouched; update the app to open it."));
                (fresh_workspace(), 0)
            }
            Ok(LoadOutcome::Corrupt { raw, problem }) => {
                boot = Boot::Corrupt { raw, problem };
                (fresh_workspace(), 0)
            }
            Err(e) => {
                persistence = Persistence::Failed(e.to_string());
                (fresh_workspace(), 0)
            }
        };
        Self::assemble(ws, rev, id, index, store, persistence, boot, browser::today())
    }

    fn provide_snapshot(data: &str) -> AppCtx {
        let store = Store::new(AnyBackend::Memory(MemoryBackend::default()), browser::tab_id());
        let (ws, boot, as_of, map) = match crate::storage::snapshot::decode(data) {
            Ok(snap) => {
                let as_of = match &snap.map {
                    Some(m) => m.as_of,
                    None => snap.workspace.last_date().map(crate::core::dates::week_end).unwrap_or_else(browser::today),
                };
                (snap.workspace, Boot::Ready, as_of, snap.map)
            }
            Err(e) => (fresh_workspace(), Boot::BadSnapshot(e.to_string()), browser::today(), None),
        };
        let ctx = Self::assemble(ws, 0, "snapshot".into(), StoreIndex::default(), store, Persistence::Snapshot, boot, as_of);
        ctx.map_only.set_value(map);
        ctx
    }

    #[allow(clippy::too_many_arguments)]
    fn assemble(ws: Workspace, rev: u64, id: String, index: StoreIndex, store: Store<AnyBackend>, persistence: Persistence, boot: Boot, as_of: Date) -> AppCtx {
        let snapshot = matches!(persistence, Persistence::Snapshot);
        let ws = RwSignal::new(ws);
        let as_of = RwSignal::new(as_of);
        // The version last scored: an edit of a few check-ins re-scores only what they touch.
        let scored = StoredValue::new(None::<Workspace>);
        let scores = Memo::new(move |prev: Option<&Scores>| {
            let span = crate::perf::Span::start("score");
            let as_of = as_of.get();
            let scores = ws.with(|w| {
                let scores = scored.with_value(|before| match (prev, before) {
                    (Some(prev), Some(before)) => rescore_after(prev, before, w, as_of),
                    _ => score(w, &w.policy, as_of),
                });
                scored.set_value(Some(w.clone()));
                scores
            });
            span.end();
            scores
        });
        let ctx = AppCtx {
            ws,
            as_of,
            scores,
            persistence: RwSignal::new(persistence),
            boot: RwSignal::new(boot),
            theme: RwSignal::new(if browser::prefers_dark() { Theme::Dark } else { Theme::Light }),
            rev: RwSignal::new(rev),
            id: RwSignal::new(id),
            index: RwSignal::new(index),
            store: StoredValue::new(store),
            dirty: StoredValue::new(false),
            dirty_since: StoredValue::new(0.0),
            timer: StoredValue::new(None),
            history: StoredValue::new(History::default()),
            undo_depth: RwSignal::new((0, 0)),
            map_only: StoredValue::new(None),
        };
        provide_context(ctx);
        ctx.follow_theme();
        if !snapshot {
            ctx.persist();
            ctx.watch_other_tabs();
        }
        ctx
    }

    /// Keeps the snapshot being viewed as a new local workspace, then opens it.
    pub fn save_snapshot_as_workspace(self) -> Result<(), String> {
        #[cfg(target_arch = "wasm32")]
        {
            let backend = crate::storage::local::LocalBackend::open().ok_or("Browser storage is not available here, so the snapshot cannot be kept. Export it as a file from Settings instead.")?;
            let mut store = Store::new(AnyBackend::Local(backend), browser::tab_id());
            let id = format!("ws-{}", browser::tab_id().trim_start_matches("tab-"));
            let ws = self.ws.get_untracked();
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

    /// Charts follow the page's light or dark theme, also when it changes.
    fn follow_theme(self) {
        use wasm_bindgen::{closure::Closure, JsCast};
        let Some(query) = web_sys::window().and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten()) else { return };
        let theme = self.theme;
        let on_change = Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(move |ev: web_sys::MediaQueryListEvent| {
            theme.set(if ev.matches() { Theme::Dark } else { Theme::Light });
        });
        let _ = query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        // The app lives as long as the page.
        on_change.forget();
    }

    /// Saves every change from one place: an effect on the workspace.
    fn persist(self) {
        // An edit made just before the tab closes or reloads is written at once.
        let hide = window_event_listener(leptos::ev::pagehide, move |_| self.flush());
        let hidden = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if document().visibility_state() == web_sys::VisibilityState::Hidden {
                self.flush();
            }
        });
        on_cleanup(move || {
            hide.remove();
            hidden.remove();
        });
    }

    /// Writes soon: edits in quick succession are written once.
    fn schedule_save(self) {
        // Never postpone a write for long, however steadily someone types.
        let now = js_sys::Date::now();
        if !self.dirty.get_value() {
            self.dirty_since.set_value(now);
        } else if now - self.dirty_since.get_value() > SAVE_MAX_WAIT_MS {
            self.dirty.set_value(true);
            self.flush();
            return;
        }
        self.dirty.set_value(true);
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || self.flush(), std::time::Duration::from_millis(SAVE_DEBOUNCE_MS)).ok();
        self.timer.set_value(handle);
    }

    /// Writes pending edits now, if there are any. The only caller of `save_now` for edits.
    pub fn flush(self) {
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
            self.timer.set_value(None);
        }
        if self.dirty.get_value() {
            self.dirty.set_value(false);
            self.save_now();
        }
    }

    /// Writes the workspace now (read-check-write against the stored rev).
    pub fn save_now(self) {
        match self.persistence.get_untracked() {
            Persistence::MemoryOnly | Persistence::ReadOnly(_) | Persistence::Conflict | Persistence::Snapshot => return,
            _ => {}
        }
        if !matches!(self.boot.get_untracked(), Boot::Ready) {
            return;
        }
        let id = self.id.get_untracked();
        let base = self.rev.get_untracked();
        let span = crate::perf::Span::start("save");
        let result = self.ws.with_untracked(|ws| self.store.try_update_value(|s| s.save(&id, ws, base, &browser::now_iso())));
        span.end();
        match result {
            Some(Ok(rev)) => {
                self.rev.set(rev);
                if !matches!(self.persistence.get_untracked(), Persistence::Saved) {
                    self.persistence.set(Persistence::Saved);
                }
                self.remember_active(&id);
            }
            Some(Err(SaveError::Conflict { .. })) => self.persistence.set(Persistence::Conflict),
            Some(Err(SaveError::Storage(StorageError::Quota))) => {
                self.persistence.set(Persistence::Failed("Browser storage is full: your latest changes are kept in this tab only. Export the workspace from Settings to keep them.".into()))
            }
            Some(Err(e)) => self.persistence.set(Persistence::Failed(format!("Saving failed: {e}. Your changes are kept in this tab; export them from Settings."))),
            None => {}
        }
    }

    fn remember_active(self, id: &str) {
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

    /// Stores `ws` as a new workspace and opens it; the open one stays as it is.
    pub fn create_workspace(self, ws: Workspace) {
        let id = format!("ws-{}", browser::tab_id().trim_start_matches("tab-"));
        self.flush();
        self.forget_history();
        self.id.set(id.clone());
        self.rev.set(0);
        self.ws.set(ws);
        self.save_now();
        self.remember_active(&id);
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
            self.edit(|w| *w = sample);
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

    /// Another tab saved: take its newer version live (this tab has nothing unsaved,
    /// since it saves on every change).
    fn watch_other_tabs(self) {
        #[cfg(target_arch = "wasm32")]
        {
            let handle = window_event_listener(leptos::ev::storage, move |ev| {
                let id = self.id.get_untracked();
                if ev.key().as_deref() != Some(crate::storage::store::workspace_key(&id).as_str()) {
                    return;
                }
                self.reload_from_storage();
            });
            on_cleanup(move || handle.remove());
        }
    }

    /// Re-reads the stored workspace (after another tab wrote it).
    pub fn reload_from_storage(self) {
        let id = self.id.get_untracked();
        let loaded = self.store.try_update_value(|s| s.load(&id));
        if let Some(Ok(LoadOutcome::Loaded(env))) = loaded {
            let conflict = matches!(self.persistence.get_untracked(), Persistence::Conflict);
            if self.dirty.get_value() && !conflict {
                // This tab has edits not yet written: ask rather than drop either side.
                self.persistence.set(Persistence::Conflict);
                return;
            }
            if env.rev > self.rev.get_untracked() || conflict {
                self.dirty.set_value(false);
                self.rev.set(env.rev);
                self.ws.set(env.workspace);
                self.persistence.set(Persistence::Saved);
            }
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

    /// Applies an edit to the workspace (the only way views change data).
    pub fn edit(self, f: impl FnOnce(&mut Workspace)) {
        if matches!(self.persistence.get_untracked(), Persistence::ReadOnly(_) | Persistence::Snapshot) {
            return;
        }
        let span = crate::perf::Span::start("edit");
        // A cheap copy: the versions share every list the edit leaves alone.
        let before = self.ws.get_untracked();
        let mut after = before.clone();
        f(&mut after);
        if after == before {
            span.end();
            return;
        }
        self.history.update_value(|h| h.push(before, &after));
        self.ws.set(after);
        span.end();
        self.sync_depth();
        self.schedule_save();
    }

    fn sync_depth(self) {
        let depth = self.history.with_value(|h| (h.undo.len(), h.redo.len()));
        self.undo_depth.set(depth);
    }

    fn forget_history(self) {
        self.history.set_value(History::default());
        self.sync_depth();
    }

    /// Takes back the last edit.
    pub fn undo(self) {
        let Some((previous, _)) = self.history.try_update_value(|h| h.undo.pop()).flatten() else { return };
        let current = self.ws.get_untracked();
        self.history.update_value(|h| h.redo.push(current));
        self.ws.set(previous);
        self.sync_depth();
        self.schedule_save();
    }

    /// Applies again the last edit taken back.
    pub fn redo(self) {
        let Some(next) = self.history.try_update_value(|h| h.redo.pop()).flatten() else { return };
        let current = self.ws.get_untracked();
        self.history.update_value(|h| {
            let size = current.unshared_size(&next);
            h.undo.push((current, size));
        });
        self.ws.set(next);
        self.sync_depth();
        self.schedule_save();
    }

    pub fn storage_usage(self) -> (usize, usize) {
        #[cfg(target_arch = "wasm32")]
        {
            if matches!(self.persistence.get_untracked(), Persistence::MemoryOnly) {
                return (0, 0);
            }
            crate::storage::local::usage()
        }
        #[cfg(not(target_arch = "wasm32"))]
        (0, 0)
    }
}
