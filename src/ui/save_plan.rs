//! When to write the open workspace, as plain decisions (no signals, no timers), so
//! they are tested natively (`tests/ui_state.rs`). `ui::state::saving` owns the timer
//! and the store and asks this module what to do.
//!
//! Edits in quick succession are written once, [`DEBOUNCE_MS`] after the last one, but
//! never later than [`MAX_WAIT_MS`] after the oldest unwritten one; a write is refused
//! while the data is read-only, a snapshot, memory-only or in conflict with another tab.

/// Milliseconds between the last edit and the write (edits in between are coalesced).
pub const DEBOUNCE_MS: u64 = 300;
/// The longest an edit waits to be written while edits keep coming, in milliseconds.
pub const MAX_WAIT_MS: f64 = 2_000.0;

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

impl Persistence {
    /// Whether a write may be attempted now (a failed one is retried on the next edit).
    pub fn allows_writes(&self) -> bool {
        matches!(self, Persistence::Saved | Persistence::Failed(_))
    }

    /// Whether the workspace may be edited at all.
    pub fn allows_edits(&self) -> bool {
        !matches!(self, Persistence::ReadOnly(_) | Persistence::Snapshot)
    }
}

/// What to do after an edit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum After {
    /// Write now: the oldest unwritten edit has waited long enough.
    Write,
    /// (Re)start the timer: write after this many milliseconds without another edit.
    WaitMs(u64),
}

/// Unwritten edits and since when they wait.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct SavePlan {
    /// When the oldest unwritten edit was made (ms since the epoch), if any.
    dirty_since: Option<f64>,
}

impl SavePlan {
    /// Notes an edit made at `now` and says when to write it.
    pub fn edited(&mut self, now: f64) -> After {
        match self.dirty_since {
            None => {
                self.dirty_since = Some(now);
                After::WaitMs(DEBOUNCE_MS)
            }
            Some(since) if now - since > MAX_WAIT_MS => After::Write,
            Some(_) => After::WaitMs(DEBOUNCE_MS),
        }
    }

    /// Whether some edit is not written yet.
    pub fn is_dirty(&self) -> bool {
        self.dirty_since.is_some()
    }

    /// Takes the pending edits for a write: true if there is something to write.
    pub fn take(&mut self) -> bool {
        self.dirty_since.take().is_some()
    }
}

/// What to do when another tab has written the open workspace.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Incoming {
    /// This tab has unwritten edits: stop writing and ask the user (keep mine / load theirs).
    Ask,
    /// Take the other tab's version: this tab has nothing unwritten.
    Take,
    /// Nothing to do: not newer than what this tab has, or the user is already choosing.
    Ignore,
}

/// Decides what another tab's write means for this one: `unwritten` edits here, already
/// in `conflict` (the question is on screen), the stored revision and the one this tab
/// last read or wrote. Only the user resolves a conflict, never a further write.
pub fn on_other_tab_write(unwritten: bool, conflict: bool, theirs: u64, ours: u64) -> Incoming {
    if conflict {
        Incoming::Ignore
    } else if unwritten {
        Incoming::Ask
    } else if theirs > ours {
        Incoming::Take
    } else {
        Incoming::Ignore
    }
}

/// Whether a value this tab recorded while it showed revision `recorded_at` is stored,
/// now that it shows `rev`: a write of this tab's followed it (each write stores the
/// revision after the one it read), unless that first write, of `recorded_at + 1`, is
/// the one another tab's write of the same revision replaced (`lost`; 0 for none). A
/// later write of this tab's, holding the value again, clears `lost`.
pub fn recorded_is_stored(recorded_at: u64, rev: u64, lost: u64) -> bool {
    rev > recorded_at && lost != recorded_at + 1
}
