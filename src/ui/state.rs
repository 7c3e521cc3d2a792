//! App state: the open workspace and everything derived from it, in signals provided
//! as one context. Saving happens from one place ([`persist`]), never from views.

use leptos::prelude::*;
use time::Date;

use crate::charts::Theme;
use crate::core::{score, Name, Scores, Workspace};
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
}

/// What start-up found.
#[derive(Debug, Clone, PartialEq)]
pub enum Boot {
    Ready,
    /// The stored workspace could not be read; its raw value was kept aside.
    Corrupt { raw: String, problem: String },
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
    /// Set while applying another tab's version, so it is not written back.
    applying_remote: RwSignal<bool>,
}

pub fn use_app() -> AppCtx {
    expect_context::<AppCtx>()
}

const DEFAULT_ID: &str = "default";

fn fresh_workspace() -> Workspace {
    Workspace::new(Name::new("My organisation").expect("fixed name is valid"))
}

impl AppCtx {
    /// Opens storage and the active workspace, and provides the context.
    pub fn provide() -> AppCtx {
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
                persistence = Persistence::ReadOnly(format!(
                    "This workspace was saved by a newer version of Latitude (schema {found}). It is left untouched; update the app to open it."
                ));
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
        let ws = RwSignal::new(ws);
        let as_of = RwSignal::new(browser::today());
        let scores = Memo::new(move |_| ws.with(|w| score(w, &w.policy, as_of.get())));
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
            applying_remote: RwSignal::new(false),
        };
        provide_context(ctx);
        ctx.follow_theme();
        ctx.persist();
        ctx.watch_other_tabs();
        ctx
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
        Effect::new(move |first: Option<()>| {
            self.ws.track();
            if first.is_none() || self.applying_remote.get_untracked() {
                return;
            }
            self.save_now();
        });
    }

    /// Writes the workspace now (read-check-write against the stored rev).
    pub fn save_now(self) {
        match self.persistence.get_untracked() {
            Persistence::MemoryOnly | Persistence::ReadOnly(_) | Persistence::Conflict => return,
            _ => {}
        }
        if !matches!(self.boot.get_untracked(), Boot::Ready) {
            return;
        }
        let id = self.id.get_untracked();
        let base = self.rev.get_untracked();
        let result = self.ws.with_untracked(|ws| self.store.try_update_value(|s| s.save(&id, ws, base, &browser::now_iso())));
        match result {
            Some(Ok(rev)) => {
                self.rev.set(rev);
                if !matches!(self.persistence.get_untracked(), Persistence::Saved) {
                    self.persistence.set(Persistence::Saved);
                }
                self.remember_active(&id);
            }
            Some(Err(SaveError::Conflict { .. })) => self.persistence.set(Persistence::Conflict),
            Some(Err(SaveError::Storage(StorageError::Quota))) => self.persistence.set(Persistence::Failed(
                "Browser storage is full: your latest changes are kept in this tab only. Export the workspace from Settings to keep them.".into(),
            )),
            Some(Err(e)) => self.persistence.set(Persistence::Failed(format!("Saving failed: {e}. Your changes are kept in this tab; export them from Settings."))),
            None => {}
        }
    }

    fn remember_active(self, id: &str) {
        let name = self.ws.with_untracked(|w| w.name.to_string());
        let index = self.store.try_update_value(|s| {
            let mut index: StoreIndex = s.index().unwrap_or_default();
            let known = index.workspaces.iter().any(|m| m.id == id && m.name == name);
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
                self.applying_remote.set(true);
                self.id.set(id.to_owned());
                self.rev.set(env.rev);
                self.ws.set(env.workspace);
                self.applying_remote.set(false);
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
        self.applying_remote.set(true);
        self.id.set(id.clone());
        self.rev.set(0);
        self.ws.set(ws);
        self.applying_remote.set(false);
        self.save_now();
        self.remember_active(&id);
    }

    /// Opens the sample organisation, scored as of this week: in place of an empty
    /// workspace, or as a new one, so that it never overwrites anyone's data.
    pub fn load_sample(self) {
        let end = crate::core::dates::week_end(browser::today());
        let sample = crate::core::sample::sample_org(end);
        let empty = self.ws.with_untracked(|w| w.units.is_empty() && w.commitments.is_empty() && w.areas.is_empty());
        if empty {
            self.ws.set(sample);
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
            if env.rev > self.rev.get_untracked() || matches!(self.persistence.get_untracked(), Persistence::Conflict) {
                self.applying_remote.set(true);
                self.rev.set(env.rev);
                self.ws.set(env.workspace);
                self.applying_remote.set(false);
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
        let id = self.id.get_untracked();
        let theirs = self.store.with_value(|s| s.stored_rev(&id)).unwrap_or(0);
        self.rev.set(theirs);
        self.boot.set(Boot::Ready);
        self.ws.set(fresh_workspace());
        self.save_now();
    }

    /// Applies an edit to the workspace (the only way views change data).
    pub fn edit(self, f: impl FnOnce(&mut Workspace)) {
        if matches!(self.persistence.get_untracked(), Persistence::ReadOnly(_)) {
            return;
        }
        self.ws.update(f);
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
