//! Saving: the one place that writes the open workspace. An edit asks
//! [`SavePlan`](crate::ui::save_plan::SavePlan) when to write (debounced, with a
//! maximum wait); the timer or a page hide flushes; [`AppCtx::save_now`] writes over the
//! revision this tab last read and reports failures instead of losing data.

use leptos::prelude::*;

use super::{AppCtx, Boot, Persistence};
use crate::storage::store::{SaveError, StorageError};
use crate::ui::browser;
use crate::ui::save_plan::{After, SavePlan};

impl AppCtx {
    /// Writes pending edits, and keeps typed text, when the page is hidden or closed.
    pub(super) fn persist(self) {
        // An edit made just before the tab closes or reloads is written at once.
        let hide = window_event_listener(leptos::ev::pagehide, move |_| {
            self.keep_on_leaving();
            self.flush();
            self.keep_typed();
        });
        let hidden = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if document().visibility_state() == web_sys::VisibilityState::Hidden {
                self.flush();
                self.keep_typed();
            }
        });
        on_cleanup(move || {
            hide.remove();
            hidden.remove();
        });
    }

    /// Writes soon: edits in quick succession are written once.
    pub(super) fn schedule_save(self) {
        let after = self.plan.try_update_value(|p| p.edited(js_sys::Date::now()));
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
            self.timer.set_value(None);
        }
        match after {
            Some(After::Write) => self.flush(),
            Some(After::WaitMs(ms)) => {
                let handle = set_timeout_with_handle(move || self.flush(), std::time::Duration::from_millis(ms)).ok();
                self.timer.set_value(handle);
            }
            None => {}
        }
    }

    /// Writes pending edits now, if there are any. The only caller of `save_now` for edits.
    pub fn flush(self) {
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
            self.timer.set_value(None);
        }
        if self.plan.try_update_value(SavePlan::take).unwrap_or(false) {
            self.save_now();
        }
    }

    /// Whether this tab has edits not yet written.
    pub(super) fn unwritten(self) -> bool {
        self.plan.with_value(SavePlan::is_dirty)
    }

    /// Drops the pending write (the version in storage replaces this tab's).
    pub(super) fn discard_pending(self) {
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
            self.timer.set_value(None);
        }
        self.plan.update_value(|p| {
            p.take();
        });
    }

    /// Writes the workspace now (read-check-write against the stored rev).
    pub fn save_now(self) {
        if !self.persistence.get_untracked().allows_writes() || !matches!(self.boot.get_untracked(), Boot::Ready) {
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
                if self.lost.get_untracked() != 0 {
                    self.lost.set(0);
                }
                self.written.set_value(Some((id.clone(), rev)));
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
}
