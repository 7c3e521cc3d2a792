//! The step timers: one per step, kept while switching steps, with an editable budget,
//! the overrun shown (`+1:20`) and an optional beep at zero. The arithmetic is
//! [`crate::ui::step_timer`]; this module holds the signals and the clock tick.

use leptos::leptos_dom::helpers::set_interval_with_handle;
use leptos::prelude::*;

use crate::ui::step_timer::{clock_text, parse_budget, StepTimer};

/// Every step's timer, the current time (ticking) and whether zero beeps.
#[derive(Clone, Copy)]
pub struct StepClock {
    pub timers: RwSignal<Vec<StepTimer>>,
    pub now: RwSignal<f64>,
    pub sound: RwSignal<bool>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl StepClock {
    pub fn new(budgets: Vec<i64>) -> StepClock {
        let clock = StepClock { timers: RwSignal::new(budgets.into_iter().map(StepTimer::new).collect()), now: RwSignal::new(now_ms()), sound: RwSignal::new(false) };
        // One tick a quarter second; the time shown is computed from each run's start.
        if let Ok(h) = set_interval_with_handle(
            move || {
                let before = clock.now.get_untracked();
                let now = now_ms();
                clock.now.set(now);
                if clock.sound.get_untracked() && clock.timers.with_untracked(|t| t.iter().any(|t| t.crossed_zero(before, now))) {
                    beep();
                }
            },
            std::time::Duration::from_millis(250),
        ) {
            on_cleanup(move || h.clear());
        }
        clock
    }

    pub fn timer(self, step: usize) -> StepTimer {
        self.timers.with(|t| t[step])
    }

    fn update(self, step: usize, f: impl FnOnce(StepTimer) -> StepTimer) {
        let now = now_ms();
        self.now.set(now);
        self.timers.update(|t| t[step] = f(t[step]));
    }

    /// Starts or pauses a step's timer.
    pub fn toggle(self, step: usize) {
        let now = now_ms();
        self.update(step, |t| t.toggle(now));
    }

    pub fn reset(self, step: usize) {
        self.update(step, StepTimer::reset);
    }

    pub fn set_budget(self, step: usize, secs: i64) {
        self.update(step, |t| t.with_budget(secs));
    }
}

/// A short beep through WebAudio (the timer reached zero).
fn beep() {
    let Ok(ctx) = web_sys::AudioContext::new() else { return };
    let (Ok(osc), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else { return };
    osc.frequency().set_value(880.0);
    gain.gain().set_value(0.2);
    let _ = osc.connect_with_audio_node(&gain);
    let _ = gain.connect_with_audio_node(&ctx.destination());
    let t = ctx.current_time();
    let _ = osc.start();
    let _ = osc.stop_with_when(t + 0.6);
}

/// The current step's clock, its start/pause and reset, its budget and the sound setting.
#[component]
pub fn ClockView(clock: StepClock, step: RwSignal<usize>) -> impl IntoView {
    let remaining = move || clock.timer(step.get()).remaining_at(clock.now.get());
    let editing = RwSignal::new(false);
    let budget = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let save_budget = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match parse_budget(&budget.get_untracked()) {
            Ok(secs) => {
                clock.set_budget(step.get_untracked(), secs);
                editing.set(false);
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <div class="workshop__timer" data-view="">
            <span role="timer" aria-label="Time left for this step" class="workshop__clock" class=("workshop__clock--over", move || remaining() < 0) data-testid="workshop-clock">{move || clock_text(remaining())}</span>
            <button type="button" class="button button--small" data-testid="timer-toggle" aria-keyshortcuts="T" on:click=move |_| clock.toggle(step.get_untracked())>
                {move || if clock.timer(step.get()).running() { "Pause" } else { "Start timer" }}
            </button>
            <button type="button" class="button button--small" data-testid="timer-reset" on:click=move |_| clock.reset(step.get_untracked())>"Reset"</button>
            <button type="button" class="button button--small" data-testid="timer-edit" aria-expanded=move || editing.get().to_string() on:click=move |_| {
                let secs = clock.timer(step.get_untracked()).budget_secs;
                budget.set(format!("{}:{:02}", secs / 60, secs % 60));
                editing.update(|e| *e = !*e);
            }>"Time…"</button>
            <label class="workshop__sound">
                <input type="checkbox" data-testid="timer-sound" prop:checked=move || clock.sound.get() on:change=move |ev| clock.sound.set(event_target_checked(&ev))/>
                " Beep at zero"
            </label>
            {move || editing.get().then(|| view! {
                <form class="workshop__budget" data-testid="timer-budget-form" on:submit=save_budget>
                    <label for="timer-budget">"Time for this step (minutes, or m:ss)"</label>
                    <input id="timer-budget" type="text" inputmode="numeric" size="6" data-testid="timer-budget" aria-describedby="timer-budget-error"
                        prop:value=move || budget.get() on:input=move |ev| budget.set(event_target_value(&ev))/>
                    <button type="submit" class="button button--small" data-testid="timer-budget-save">"Set"</button>
                    <p id="timer-budget-error" class="field__error" role="alert">{move || error.get()}</p>
                </form>
            })}
        </div>
    }
}
