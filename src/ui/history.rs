//! Undo and redo: recent versions of the workspace, plain data (no signals), so the
//! rules are tested natively (`tests/ui_state.rs`). `ui::state` keeps one and calls it
//! on every edit, undo and redo.

use crate::core::Workspace;

/// Recent versions of the workspace for undo and redo: up to [`History::STEPS`] steps.
/// Versions share every list an edit did not touch (see [`crate::core::Shared`]), so a
/// step usually costs one commitment's check-ins; steps that replace much (an import, a
/// sample) cost more, and the oldest go once the kept versions weigh more than
/// [`History::BUDGET`].
#[derive(Default)]
pub struct History {
    /// Each version with its [`Workspace::unshared_size`] relative to the next one.
    undo: Vec<(Workspace, usize)>,
    redo: Vec<Workspace>,
}

impl History {
    /// The most steps kept.
    pub const STEPS: usize = 50;
    /// Check-ins' worth of memory kept across all versions (about 30 MB).
    pub const BUDGET: usize = 300_000;

    /// Records that an edit turned `before` into `after`; anything that could be redone
    /// is forgotten.
    pub fn push(&mut self, before: Workspace, after: &Workspace) {
        self.push_undo(before, after);
        self.redo.clear();
    }

    fn push_undo(&mut self, before: Workspace, after: &Workspace) {
        let size = before.unshared_size(after);
        self.undo.push((before, size));
        let mut total: usize = self.undo.iter().map(|(_, s)| s).sum();
        while self.undo.len() > Self::STEPS || (total > Self::BUDGET && self.undo.len() > 1) {
            total -= self.undo.remove(0).1;
        }
    }

    /// The version before `current`, if any; `current` becomes redoable.
    pub fn undo(&mut self, current: Workspace) -> Option<Workspace> {
        let (previous, _) = self.undo.pop()?;
        self.redo.push(current);
        Some(previous)
    }

    /// The version last taken back, if any; `current` becomes undoable again.
    pub fn redo(&mut self, current: Workspace) -> Option<Workspace> {
        let next = self.redo.pop()?;
        self.push_undo(current, &next);
        Some(next)
    }

    /// How many steps can be undone and redone (for the buttons).
    pub fn depth(&self) -> (usize, usize) {
        (self.undo.len(), self.redo.len())
    }

    /// Forgets every step (another workspace was opened).
    pub fn clear(&mut self) {
        *self = History::default();
    }
}
