//! A workshop step's timer as plain data (no signals, no clock), so it is tested
//! natively (`tests/ui_state.rs`). A running timer stores when it was started, not a
//! countdown: the time left is computed from that timestamp, so a reload or a visit
//! to another page resumes it where it stands.

/// One step's timer: its budget, the time already spent in earlier runs, and when the
/// current run started (milliseconds since the epoch), if it runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepTimer {
    /// The step's allotted time, in seconds.
    pub budget_secs: i64,
    /// Seconds spent in runs that were paused.
    pub spent_secs: i64,
    /// When the current run started, if the timer runs.
    pub started_ms: Option<f64>,
}

impl StepTimer {
    /// A stopped timer with the whole budget left.
    pub fn new(budget_secs: i64) -> StepTimer {
        StepTimer { budget_secs, spent_secs: 0, started_ms: None }
    }

    pub fn running(&self) -> bool {
        self.started_ms.is_some()
    }

    /// Seconds spent at `now_ms`, counting the current run.
    pub fn spent_at(&self, now_ms: f64) -> i64 {
        let run = self.started_ms.map(|s| ((now_ms - s) / 1000.0).floor().max(0.0) as i64).unwrap_or(0);
        self.spent_secs + run
    }

    /// Seconds left at `now_ms`; negative once the step overruns.
    pub fn remaining_at(&self, now_ms: f64) -> i64 {
        self.budget_secs - self.spent_at(now_ms)
    }

    /// Starts the timer at `now_ms` (nothing if it runs).
    pub fn start(self, now_ms: f64) -> StepTimer {
        if self.running() {
            return self;
        }
        StepTimer { started_ms: Some(now_ms), ..self }
    }

    /// Pauses the timer at `now_ms`, keeping the time spent.
    pub fn pause(self, now_ms: f64) -> StepTimer {
        StepTimer { spent_secs: self.spent_at(now_ms), started_ms: None, ..self }
    }

    /// Starts a paused timer or pauses a running one.
    pub fn toggle(self, now_ms: f64) -> StepTimer {
        if self.running() {
            self.pause(now_ms)
        } else {
            self.start(now_ms)
        }
    }

    /// A new budget (the step's default edited); the time spent is kept.
    pub fn with_budget(self, budget_secs: i64) -> StepTimer {
        StepTimer { budget_secs: budget_secs.max(0), ..self }
    }

    /// Back to the whole budget, stopped.
    pub fn reset(self) -> StepTimer {
        StepTimer::new(self.budget_secs)
    }

    /// Whether the timer reached zero between `before_ms` and `now_ms` (for the sound).
    pub fn crossed_zero(&self, before_ms: f64, now_ms: f64) -> bool {
        self.running() && self.remaining_at(before_ms) > 0 && self.remaining_at(now_ms) <= 0
    }
}

/// The clock as shown: `12:05` while time is left, `+1:20` once the step overruns.
pub fn clock_text(remaining_secs: i64) -> String {
    if remaining_secs < 0 {
        let over = -remaining_secs;
        format!("+{}:{:02}", over / 60, over % 60)
    } else {
        format!("{:02}:{:02}", remaining_secs / 60, remaining_secs % 60)
    }
}

/// Reads a budget typed as minutes (`15`) or minutes and seconds (`7:30`); at most 4 hours.
pub fn parse_budget(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let refuse = || format!("“{t}” is not a time: type minutes, such as 15 or 7:30.");
    let secs = match t.split_once(':') {
        Some((m, s)) => {
            let m: i64 = m.trim().parse().map_err(|_| refuse())?;
            let s: i64 = s.trim().parse().map_err(|_| refuse())?;
            if !(0..60).contains(&s) || m < 0 {
                return Err(refuse());
            }
            m * 60 + s
        }
        None => t.parse::<i64>().map_err(|_| refuse())?.checked_mul(60).ok_or_else(refuse)?,
    };
    if !(1..=4 * 3600).contains(&secs) {
        return Err(format!("A step takes between 0:01 and 240 minutes, not “{t}”."));
    }
    Ok(secs)
}
