//! Edits, undo and redo over the workspace signal: every change to the open workspace
//! is one core [`Command`] applied by [`AppCtx::edit`], which keeps the version before it
//! in [`History`](crate::ui::history::History) with the change's sentence, hands the
//! [`Change`] to the incremental rescore and schedules the write.

use leptos::prelude::*;

use super::AppCtx;
use crate::core::{apply, Change, Command, CommandError};
use crate::ui::history::History;

impl AppCtx {
    /// Applies one command to the open workspace: the only way views change data. On a
    /// refusal nothing changes and the error names the field it is about.
    pub fn edit(self, command: Command) -> Result<Change, CommandError> {
        if !self.persistence.get_untracked().allows_edits() {
            return Err(CommandError::Invalid { field: "workspace", message: "this workspace is shown read-only: nothing in it can be changed here".into() });
        }
        let span = crate::perf::Span::start("edit");
        // A cheap copy: the versions share every list the command leaves alone.
        let before = self.ws.get_untracked();
        let mut after = before.clone();
        let change = match apply(&mut after, &command) {
            Ok(change) => change,
            Err(e) => {
                span.end();
                return Err(e);
            }
        };
        if change.is_empty() {
            span.end();
            return Ok(change);
        }
        if let Some(message) = self.team_refusal(&before, &after, &change) {
            span.end();
            return Err(CommandError::Invalid { field: "workspace", message });
        }
        self.team_record(&before, &mut after, &change);
        let before_for_scores = before.clone();
        self.history.update_value(|h| h.push_labelled(before, &after, change.summary.clone()));
        // The scores read what changed instead of comparing the two versions.
        self.last_change.set_value(Some((before_for_scores, change.clone())));
        self.ws.set(after);
        span.end();
        self.sync_depth();
        self.schedule_save();
        Ok(change)
    }

    /// Takes back the last edit, and says which.
    pub fn undo(self) {
        self.step(true);
    }

    /// Applies again the last edit taken back, and says which.
    pub fn redo(self) {
        self.step(false);
    }

    fn step(self, back: bool) {
        let current = self.ws.get_untracked();
        let taken = self.history.try_update_value(|h| if back { h.undo(current.clone()) } else { h.redo(current.clone()) }).flatten();
        let Some(mut version) = taken else { return };
        self.team_record_replaced(&current, &mut version);
        self.ws.set(version);
        self.sync_depth();
        self.schedule_save();
        // What was taken back is now what Redo would apply again, and the reverse.
        let label = self.undo_labels.with_untracked(|(undo, redo)| if back { redo.clone() } else { undo.clone() });
        let (done, unnamed) = if back { ("Undone", "the last edit") } else { ("Redone", "the last edit taken back") };
        self.history_said.set(Some(format!("{done}: {}", label.as_deref().unwrap_or(unnamed))));
    }

    fn sync_depth(self) {
        let depth = self.history.with_value(History::depth);
        self.undo_depth.set(depth);
        let labels = self.history.with_value(|h| (h.undo_label().map(str::to_owned), h.redo_label().map(str::to_owned)));
        if self.undo_labels.get_untracked() != labels {
            self.undo_labels.set(labels);
        }
    }

    /// Forgets every step: another workspace was opened, or another tab's version
    /// replaced the one shown.
    pub(super) fn forget_history(self) {
        self.history.update_value(History::clear);
        self.sync_depth();
    }
}
