//! How a workshop step's timer is shown and set, as plain functions (no signals, no
//! clock), tested natively (`tests/ui_state.rs`). The timer itself is data in the
//! workshop ([`crate::core::workshop::StepTimer`]): a running one stores when it
//! started, so the time left is computed and a reload resumes it where it stands.

use crate::core::workshop::StepTimer;

/// The clock as shown: `12:05` while time is left (a started second counts as left),
/// `+1:20` once the step overruns.
pub fn clock_text(remaining_ms: i64) -> String {
    if remaining_ms < 0 {
        let over = (-remaining_ms) / 1000;
        format!("+{}:{:02}", over / 60, over % 60)
    } else {
        let left = (remaining_ms + 999) / 1000;
        format!("{:02}:{:02}", left / 60, left % 60)
    }
}

/// Whether a running timer reached zero between `before_ms` and `now_ms` (for the beep).
pub fn crossed_zero(timer: &StepTimer, before_ms: i64, now_ms: i64) -> bool {
    timer.is_running() && timer.remaining_ms_at(before_ms) > 0 && timer.remaining_ms_at(now_ms) <= 0
}

/// Reads a step's time typed as minutes (`15`) or minutes and seconds (`7:30`), in
/// seconds; between one second and [`StepTimer::MAX_SECS`].
pub fn parse_budget(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let refuse = || format!("“{t}” is not a time: type minutes, such as 15 or 7:30.");
    let secs: u64 = match t.split_once(':') {
        Some((m, s)) => {
            let m: u64 = m.trim().parse().map_err(|_| refuse())?;
            let s: u64 = s.trim().parse().map_err(|_| refuse())?;
            if s >= 60 {
                return Err(refuse());
            }
            m.saturating_mul(60).saturating_add(s)
        }
        None => t.parse::<u64>().map_err(|_| refuse())?.saturating_mul(60),
    };
    if secs == 0 || secs > u64::from(StepTimer::MAX_SECS) {
        return Err(format!("A step takes between 0:01 and {} minutes, not “{t}”.", StepTimer::MAX_SECS / 60));
    }
    Ok(secs as u32)
}
