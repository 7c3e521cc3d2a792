//! The step timers on screen: one per step, stored in the workshop (so they are kept
//! while switching steps and resume after a reload), with an editable time, the
//! overrun shown (`+1:20`) and an optional beep at zero. How they are shown and read
//! is [`crate::ui::step_timer`]; this module holds the clock tick.

use leptos::leptos_dom::helpers::set_interval_with_handle;
use leptos::prelude::*;

use super::session::{with_session, with_session_untracked};
use crate::core::workshop::{Step, WorkshopId};
use crate::core::Command;
use crate::ui::state::use_app;
use crate::ui::step_timer::{clock_text, crossed_zero, parse_budget};

/// The current time, ticking, and whether zero beeps (a setting of this screen, off by default).
#[derive(Clone, Copy)]
pub struct StepClock {
    pub now: RwSignal<i64>,
    pub sound: RwSignal<bool>,
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

impl StepClock {
    pub fn new(current: Memo<Option<WorkshopId>>) -> StepClock {
        let ctx = use_app();
        let clock = StepClock { now: RwSignal::new(now_ms()), sound: RwSignal::new(false) };
        // A tick a quarter second; the time shown is computed from each run's start.
        if let Ok(h) = set_interval_with_handle(
            move || {
                let before = clock.now.get_untracked();
                let now = now_ms();
                clock.now.set(now);
                if clock.sound.get_untracked() {
                    let zero = current.get_untracked().and_then(|id| with_session_untracked(ctx, id, |s| s.timers.iter().any(|t| crossed_zero(t, before, now)))).unwrap_or(false);
                    if zero {
                        beep();
                    }
                }
            },
            std::time::Duration::from_millis(250),
        ) {
            on_cleanup(move || h.clear());
        }
        clock
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

/// The current step's clock, its start/pause and reset, its time and the sound setting.
#[component]
pub fn ClockView(clock: StepClock, id: WorkshopId, step: Memo<Step>) -> impl IntoView {
    let ctx = use_app();
    let timer = move || with_session(ctx, id, |s| *s.timer(step.get()));
    let remaining = move || timer().map(|t| t.remaining_ms_at(clock.now.get())).unwrap_or(0);
    let running = move || timer().is_some_and(|t| t.is_running());
    let editing = RwSignal::new(false);
    let budget = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // The editor belongs to the step it was opened on: another step closes it.
    Effect::new(move |prev: Option<Step>| {
        let now = step.get();
        if prev.is_some_and(|p| p != now) {
            editing.set(false);
            error.set(None);
        }
        now
    });
    let toggle = move |_| {
        let s = step.get_untracked();
        let now = now_ms();
        clock.now.set(now);
        let running = with_session_untracked(ctx, id, |x| x.timer(s).is_running()).unwrap_or(false);
        let command = if running { Command::PauseTimer { workshop: id, step: s, now_ms: now } } else { Command::StartTimer { workshop: id, step: s, now_ms: now } };
        let _ = ctx.edit(command);
    };
    let save_budget = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match parse_budget(&budget.get_untracked()).and_then(|seconds| ctx.edit(Command::SetTimerDefault { workshop: id, step: step.get_untracked(), seconds }).map_err(|e| e.to_string())) {
            Ok(_) => {
                editing.set(false);
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    // The whole workshop's time: every step's, against the time all of them are given.
    let whole = move || with_session(ctx, id, |s| s.clock_at(clock.now.get()));
    view! {
        <div class="workshop__timer" data-view="">
            <span role="timer" aria-label="Time left for this step" class="workshop__clock" class=("workshop__clock--over", move || remaining() < 0) data-testid="workshop-clock">{move || clock_text(remaining())}</span>
            // Over the map (presenter mode, step 5) the button shows only its sign, so that
            // it keeps clear of the map's title; its name stays the words.
            <button type="button" class="button button--small workshop__timer-toggle" data-testid="timer-toggle" data-shortcut="timer" aria-keyshortcuts="T" on:click=toggle>
                <span class="workshop__timer-sign" aria-hidden="true">{move || if running() { "❚❚" } else { "▶" }}</span>
                <span class="workshop__timer-words">{move || if running() { "Pause" } else { "Start timer" }}</span>
            </button>
            <button type="button" class="button button--small" data-testid="timer-reset" on:click=move |_| { let _ = ctx.edit(Command::ResetTimer { workshop: id, step: step.get_untracked() }); }>"Reset"</button>
            <button type="button" class="button button--small" data-testid="timer-edit" aria-expanded=move || editing.get().to_string() on:click=move |_| {
                let secs = timer().map(|t| t.default_secs).unwrap_or(0);
                budget.set(format!("{}:{:02}", secs / 60, secs % 60));
                editing.update(|e| *e = !*e);
            }>"Time…"</button>
            <span class="workshop__total" class=("workshop__total--over", move || whole().is_some_and(|c| c.elapsed_ms > c.budget_ms)) data-testid="workshop-total">
                {move || whole().map(|c| format!("All steps: {} of {} min", c.elapsed_ms / 60_000, c.budget_ms / 60_000))}
            </span>
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
