//! Team workspaces in the local build (`dist/`, without the `team` feature): a
//! workspace shared with a team database opens in the team build (`dist/team/`), which
//! carries the sync code, so a local workspace and an embed never download it. Both
//! builds read and write the same browser storage.

use leptos::prelude::*;

use super::AppCtx;
use crate::core::{Change, Workspace};
use crate::ui::browser;

/// What the views show about the open workspace's team database: in this build the
/// open workspace is never a shared one.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamInfo {
    pub db: String,
}

/// The team side of the app state: always empty here.
#[derive(Clone, Copy)]
pub struct Team {
    pub info: RwSignal<Option<TeamInfo>>,
    /// Documents two people changed at once: none in a local workspace.
    pub conflicts: RwSignal<Vec<()>>,
}

impl Team {
    pub(super) fn new() -> Team {
        Team { info: RwSignal::new(None), conflicts: RwSignal::new(Vec::new()) }
    }
}

impl AppCtx {
    /// If the open workspace is shared (opened from the list, or shared by another tab),
    /// continues in the team build at the same page, once what is unsaved is written.
    pub(super) fn load_team(self) {
        if self.is_shared(&self.id.get_untracked()) {
            self.flush();
            browser::open_team_build(&browser::hash());
        }
    }

    pub(super) fn follow_team(self) {}

    /// Another tab stored the open workspace's team link: it has been shared there.
    pub(super) fn other_tab_synced(self) {
        self.load_team();
    }

    pub(super) fn team_refusal(self, _before: &Workspace, _after: &Workspace, _change: &Change) -> Option<String> {
        None
    }

    pub(super) fn team_record(self, _before: &Workspace, _after: &mut Workspace, _change: &Change) {}

    pub(super) fn team_record_replaced(self, _before: &Workspace, _after: &mut Workspace) {}

    /// Check-ins recorded in a local workspace name no recorder.
    pub fn recording_unit(self) -> Option<crate::core::UnitId> {
        None
    }
}
