//! App state: the open workspace and everything derived from it, in signals provided
//! as one context ([`AppCtx`], reached with [`use_app`]). One module per job:
//!
//! - [`history`]: edits, undo and redo (the rules live in [`crate::ui::history`]);
//! - [`saving`]: the one place that writes (its decisions live in [`crate::ui::save_plan`]);
//! - [`tabs`]: other tabs' writes and the conflict choice;
//! - [`team`]: a shared workspace's link to its team database, and sync rounds (in the
//!   team build; the local build's `team_local.rs` opens a shared workspace there);
//! - [`workspaces`]: the index of workspaces, open, create, delete, sample, export reminder;
//! - [`theme`]: light or dark charts;
//! - [`typed`]: text typed into a form and not recorded yet, kept across a reload;
//! - [`backend`]: localStorage or memory under the [`Store`].

mod backend;
mod history;
#[cfg(target_arch = "wasm32")]
mod journal;
mod saving;
mod tabs;
#[cfg(feature = "team")]
mod team;
#[cfg(not(feature = "team"))]
#[path = "team_local.rs"]
mod team;
mod theme;
mod typed;
mod workspaces;

use leptos::prelude::*;
use time::Date;

use crate::charts::Theme;
use crate::core::{rescore_after, rescore_change, score, Change, Name, Scores, Workspace};
use crate::storage::store::{LoadOutcome, MemoryBackend, Store, StoreIndex};
use crate::ui::history::History;
use crate::ui::route::LinkedAsOf;
use crate::ui::save_plan::SavePlan;

pub use crate::ui::save_plan::Persistence;
use backend::AnyBackend;
#[cfg(feature = "team")]
pub use team::TeamInfo;

use super::browser;

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
    /// Stored rev this tab last read or wrote: it rises with each write, so what was
    /// recorded at a lower one is stored.
    pub rev: RwSignal<u64>,
    /// How many times another tab's version replaced the one this tab showed: a value
    /// that was only in this tab's is then gone from the page, not undone.
    pub replaced: RwSignal<u32>,
    /// The rev of this tab's write that another tab's write of the same rev replaced
    /// (0: none since this tab last wrote or read): what that write first held is not
    /// stored ([`crate::ui::save_plan::recorded_is_stored`]).
    pub lost: RwSignal<u64>,
    /// The workspace and rev this tab last wrote: another tab that writes the same rev
    /// at the same moment replaces this tab's version ([`tabs`]).
    written: StoredValue<Option<(String, u64)>>,
    /// The open workspace's storage id.
    pub id: RwSignal<String>,
    /// Every workspace in this browser.
    pub index: RwSignal<StoreIndex>,
    store: StoredValue<Store<AnyBackend>>,
    /// Edits not yet written, and since when.
    plan: StoredValue<SavePlan>,
    /// The timer that will write them.
    timer: StoredValue<Option<leptos::leptos_dom::helpers::TimeoutHandle>>,
    history: StoredValue<History>,
    /// How many steps can be undone and redone (for the buttons).
    pub undo_depth: RwSignal<(usize, usize)>,
    /// What Undo and Redo would take back or apply again, in words.
    pub undo_labels: RwSignal<(Option<String>, Option<String>)>,
    /// What the last Undo or Redo did ("Undone: …"), which the shell shows for a while.
    pub history_said: RwSignal<Option<String>>,
    /// The last command's change and the version it was applied to, for the rescore.
    last_change: StoredValue<Option<(Workspace, Change)>>,
    /// The map of a map-only snapshot link (no records).
    pub map_only: StoredValue<Option<crate::storage::snapshot::MapOnly>>,
    /// Why the as-of date a link asked for is not shown (a future date, say), until
    /// dismissed or another date is chosen.
    pub as_of_notice: RwSignal<Option<String>>,
    /// What happened in storage that the user must hear of once, until dismissed: the
    /// workspace list repaired at start, or a version of this workspace (another tab's,
    /// this tab's, a closed tab's) kept aside as a workspace of its own.
    pub storage_notice: RwSignal<Option<String>>,
    /// The workspace this tab's version was kept as during the conflict it waits on.
    aside: StoredValue<Option<String>>,
    /// The team database of a shared workspace, its status and conflicts.
    pub team: team::Team,
    /// Text typed into forms and not recorded yet ([`typed`]).
    typed: StoredValue<typed::Typed>,
}

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
        // The crash journal is read before this start writes anything (a repaired list).
        #[cfg(target_arch = "wasm32")]
        let reading = crate::storage::journal::start_reading();
        let (backend, available) = AnyBackend::open();
        let mut store = Store::new(backend, browser::tab_id());
        // An unreadable list is rebuilt from the stored workspaces, never defaulted; say so once.
        let read = store.read_index();
        let repaired = read.as_ref().ok().and_then(|r| r.recovery.as_ref()).map(|r| r.message());
        // A tab closed while it waited on a conflict kept its version aside: say where, once.
        let set_aside = store.take_set_aside().ok().flatten().map(|name| {
            format!(
                "A tab was closed or reloaded while another tab's newer version waited, so its own version is kept as the workspace \u{201c}{name}\u{201d}: open it from Settings, under Workspaces."
            )
        });
        let told = match (repaired, set_aside) {
            (Some(a), Some(b)) => Some(format!("{a} {b}")),
            (a, b) => a.or(b),
        };
        let index = read.map(|r| r.index).unwrap_or_default();
        // The workspace this tab showed before a reload, though another tab has opened
        // another since; else the one opened last.
        let tab_had = browser::tab_workspace().filter(|id| index.workspaces.iter().any(|m| m.id == *id));
        #[cfg(target_arch = "wasm32")]
        let tab_knew = tab_had.is_some();
        let id = tab_had.or_else(|| index.active.clone()).unwrap_or_else(|| DEFAULT_ID.to_owned());
        browser::set_tab_workspace(&id);
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
        // A link to a past view (`?asof=…` in the fragment) opens on that date; one it
        // cannot show opens on today and says why.
        let today = browser::today();
        let (as_of, notice) = match browser::linked_as_of(today) {
            LinkedAsOf::Date(d) => (d, None),
            LinkedAsOf::Refused(why) => (today, Some(why)),
            LinkedAsOf::Absent => (today, None),
        };
        let ctx = Self::assemble(ws, rev, id, index, store, persistence, boot, as_of);
        ctx.as_of_notice.set(notice);
        ctx.storage_notice.set(told);
        ctx.typed.set_value(typed::read_typed());
        #[cfg(target_arch = "wasm32")]
        ctx.restore_from_journal(tab_knew, reading);
        ctx
    }

    fn provide_snapshot(data: &str) -> AppCtx {
        let store = Store::new(AnyBackend::Memory(MemoryBackend::default()), browser::tab_id());
        let (ws, boot, as_of, map) = match crate::storage::snapshot::decode(data) {
            Ok(snap) => {
                // Every view of one link shows the date the link carries.
                let as_of = snap.as_of.unwrap_or_else(browser::today);
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
        let last_change = StoredValue::new(None::<(Workspace, Change)>);
        let scores = Memo::new(move |prev: Option<&Scores>| {
            let span = crate::perf::Span::start("score");
            let as_of = as_of.get();
            let change = last_change.try_update_value(Option::take).flatten();
            let scores = ws.with(|w| {
                let scores = scored.with_value(|before| match (prev, before, change) {
                    // A command's change describes what it touched, when it was applied
                    // to the version last scored.
                    (Some(prev), Some(before), Some((from, change))) if *before == from => rescore_change(prev, w, &change, as_of),
                    // Undo, redo, another tab's version: compare the versions.
                    (Some(prev), Some(before), _) => rescore_after(prev, before, w, as_of),
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
            theme: RwSignal::new(theme::initial()),
            rev: RwSignal::new(rev),
            replaced: RwSignal::new(0),
            lost: RwSignal::new(0),
            written: StoredValue::new(None),
            id: RwSignal::new(id),
            index: RwSignal::new(index),
            store: StoredValue::new(store),
            plan: StoredValue::new(SavePlan::default()),
            timer: StoredValue::new(None),
            history: StoredValue::new(History::default()),
            undo_depth: RwSignal::new((0, 0)),
            undo_labels: RwSignal::new((None, None)),
            history_said: RwSignal::new(None),
            last_change,
            map_only: StoredValue::new(None),
            as_of_notice: RwSignal::new(None),
            storage_notice: RwSignal::new(None),
            aside: StoredValue::new(None),
            team: team::Team::new(),
            typed: StoredValue::new(typed::Typed::new()),
        };
        provide_context(ctx);
        ctx.follow_theme();
        if !snapshot {
            ctx.persist();
            ctx.watch_other_tabs();
            ctx.load_team();
            ctx.follow_team();
        }
        ctx
    }

    /// Characters this workspace and the whole site use in browser storage.
    pub fn storage_usage(self) -> (usize, usize) {
        // Read again once this tab has written (a save is debounced after the edit), and
        // as a shared workspace's sync state is stored.
        self.rev.track();
        self.team.info.track();
        #[cfg(feature = "team")]
        self.team.status.track();
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
