//! Edits, undo and redo over the workspace signal: every change to the open workspace
//! goes through [`AppCtx::edit`], which keeps the version before it in
//! [`History`](crate::ui::history::History) and schedules the write.

use leptos::prelude::*;

use super::AppCtx;
use crate::core::Workspace;
use crate::ui::history::History;

impl AppCtx {
    /// Applies an edit to the workspace (the only way views change data).
    pub fn edit(self, f: impl FnOnce(&mut Workspace)) {
        if !self.persistence.get_untracked().allows_edits() {
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

    /// Takes back the last edit.
    pub fn undo(self) {
        let current = self.ws.get_untracked();
        let Some(previous) = self.history.try_update_value(|h| h.undo(current)).flatten() else { return };
        self.ws.set(previous);
        self.sync_depth();
        self.schedule_save();
    }

    /// Applies again the last edit taken back.
    pub fn redo(self) {
        let current = self.ws.get_untracked();
        let Some(next) = self.history.try_update_value(|h| h.redo(current)).flatten() else { return };
        self.ws.set(next);
        self.sync_depth();
        self.schedule_save();
    }

    fn sync_depth(self) {
        let depth = self.history.with_value(History::depth);
        self.undo_depth.set(depth);
    }

    /// Forgets every step: another workspace was opened.
    pub(super) fn forget_history(self) {
        self.history.update_value(History::clear);
        self.sync_depth();
    }
}
