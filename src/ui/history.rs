//! Undo and redo: recent versions of the workspace, plain data (no signals), so the
//! rules are tested natively (`tests/ui_state.rs`). `ui::state` keeps one and calls it
//! on every edit, undo and redo.

use crate::core::Workspace;

/// Recent versions of the workspace for undo and redo: up to [`History::STEPS`] steps,
/// each with the sentence of the edit that left it ("Added Platform"). Versions share
/// every list an edit did not touch (see [`crate::core::Shared`]), so a step usually
/// costs one commitment's check-ins; steps that replace much (an import, a sample) cost
/// more, and the oldest go once the kept versions weigh more than [`History::BUDGET`].
#[derive(Default)]
pub struct History {
    /// Each version with its [`Workspace::unshared_size`] relative to the next one, and
    /// what the edit after it did.
    undo: Vec<(Workspace, usize, String)>,
    redo: Vec<(Workspace, String)>,
}

impl History {
    /// The most steps kept.
    pub const STEPS: usize = 50;
    /// Check-ins' worth of memory kept across all versions (about 30 MB).
    pub const BUDGET: usize = 300_000;

    /// Records that an edit turned `before` into `after`; anything that could be redone
    /// is forgotten.
    pub fn push(&mut self, before: Workspace, after: &Workspace) {
        self.push_labelled(before, after, String::new());
    }

    /// [`History::push`], with the sentence saying what the edit did.
    pub fn push_labelled(&mut self, before: Workspace, after: &Workspace, label: String) {
        self.push_undo(before, after, label);
        self.redo.clear();
    }

    fn push_undo(&mut self, before: Workspace, after: &Workspace, label: String) {
        let size = before.unshared_size(after);
        self.undo.push((before, size, label));
        let mut total: usize = self.undo.iter().map(|(_, s, _)| s).sum();
        while self.undo.len() > Self::STEPS || (total > Self::BUDGET && self.undo.len() > 1) {
            total -= self.undo.remove(0).1;
        }
    }

    /// The version before `current`, if any; `current` becomes redoable.
    pub fn undo(&mut self, current: Workspace) -> Option<Workspace> {
        let (previous, _, label) = self.undo.pop()?;
        self.redo.push((current, label));
        Some(previous)
    }

    /// The version last taken back, if any; `current` becomes undoable again.
    pub fn redo(&mut self, current: Workspace) -> Option<Workspace> {
        let (next, label) = self.redo.pop()?;
        self.push_undo(current, &next, label);
        Some(next)
    }

    /// How many steps can be undone and redone (for the buttons).
    pub fn depth(&self) -> (usize, usize) {
        (self.undo.len(), self.redo.len())
    }

    /// What Undo would take back, if it has words.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|(_, _, l)| l.as_str()).filter(|l| !l.is_empty())
    }

    /// What Redo would apply again, if it has words.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|(_, l)| l.as_str()).filter(|l| !l.is_empty())
    }

    /// Forgets every step (another workspace was opened).
    pub fn clear(&mut self) {
        *self = History::default();
    }
}
