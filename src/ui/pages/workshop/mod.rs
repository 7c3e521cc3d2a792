//! Workshop: a guided 60–90 minute session on one laptop and a projector — from a blank
//! or sample workspace, through a delegation-poker round per decision area, to the map
//! and agreed actions. One module per part: [`steps`] the six steps, [`presenter`] the
//! projector mode (full screen, shortcuts, help overlay), [`clock`] the step timers.

mod clock;
mod presenter;
mod steps;

use leptos::prelude::*;

use super::PageHeader;
use clock::StepClock;
use presenter::{Presenter, Shortcuts};
use steps::{ActionsStep, MapStep, PokerStep, ResultsStep, StartStep, TeamsStep};

pub(super) struct Step {
    pub title: &'static str,
    pub minutes: u32,
    pub what: &'static str,
}

pub(super) const STEPS: [Step; 6] = [
    Step {
        title: "Set the scene",
        minutes: 10,
        what: "Read the law aloud: the autonomy you can grant is proportional to the rigor of the accountability system. Start from a blank workspace or from the sample organisation.",
    },
    Step { title: "Name the teams", minutes: 10, what: "Add every team and person in scope, leaders first." },
    Step {
        title: "Record today's autonomy",
        minutes: 20,
        what: "For each decision area, everyone votes a delegation level in private, then all votes are revealed together. Discuss the spread, agree one level and a scope, and record it.",
    },
    Step { title: "Enter last quarter's results", minutes: 15, what: "For each unit, the results it committed to and the value reached, with evidence someone else can check." },
    Step { title: "Reveal the map", minutes: 15, what: "Above the diagonal, autonomy outruns measurement; below it, results earn more scope than granted." },
    Step { title: "Agree actions and export", minutes: 10, what: "Record a review for each unit that needs one, starting from the recommendation, then export the result for everyone." },
];

#[component]
pub fn Workshop() -> impl IntoView {
    let step = RwSignal::new(0usize);
    let root = NodeRef::<leptos::html::Div>::new();
    let presenter = Presenter::new(root);
    let clock = StepClock::new(STEPS.iter().map(|s| i64::from(s.minutes) * 60).collect());
    let help = RwSignal::new(false);
    let go = move |to: usize| step.set(to.min(STEPS.len() - 1));
    Shortcuts { presenter, help, step_count: STEPS.len(), step, clock }.install();
    let total: u32 = STEPS.iter().map(|s| s.minutes).sum();
    view! {
        <div class="workshop" class=("workshop--presenter", move || presenter.on.get()) data-testid="workshop" node_ref=root
            data-fullscreen=move || presenter.fullscreen.get().to_string()>
            <PageHeader title="Workshop" lead=format!("A guided {total}-minute session on one laptop and a projector: from today's autonomy to agreed actions.")>
                <button type="button" class="button" data-view="" data-testid="shortcuts-help" aria-keyshortcuts="?" on:click=move |_| help.set(true)>"Shortcuts"</button>
            </PageHeader>
            <nav class="workshop__progress" aria-label="Workshop steps" data-view="">
                <ol>
                    {STEPS.iter().enumerate().map(|(i, s)| view! {
                        <li>
                            <button type="button" class="workshop__dot" class=("workshop__dot--current", move || step.get() == i)
                                aria-current=move || (step.get() == i).then_some("step") data-testid=format!("workshop-goto-{}", i + 1) on:click=move |_| go(i)>
                                <span class="workshop__num">{i + 1}</span>
                                <span class="workshop__label">{s.title}</span>
                            </button>
                        </li>
                    }).collect_view()}
                </ol>
                <div class="workshop__bar">
                    // In presenter mode the step buttons sit up here, leaving the screen to the step.
                    {move || presenter.on.get().then(|| view! {
                        <button type="button" class="button" data-testid="presenter-back" aria-keyshortcuts="ArrowLeft" disabled=move || step.get() == 0 on:click=move |_| go(step.get_untracked().saturating_sub(1))>"← Back"</button>
                        <button type="button" class="button button--primary" data-testid="presenter-next" aria-keyshortcuts="ArrowRight" disabled=move || step.get() + 1 == STEPS.len() on:click=move |_| go(step.get_untracked() + 1)>"Next →"</button>
                    })}
                    <button type="button" class="button workshop__present" data-view="" data-testid="presenter-toggle" aria-keyshortcuts="F" aria-pressed=move || presenter.on.get().to_string()
                        on:click=move |_| presenter.toggle()>
                        {move || if presenter.on.get() { "Exit presenter" } else { "Presenter mode" }}
                    </button>
                </div>
            </nav>
            <section class="card workshop__stage" data-testid="workshop-stage">
                <div class="workshop__head">
                    <h2 class="workshop__title" data-testid="workshop-step-title" aria-live="polite">{move || format!("{}. {}", step.get() + 1, STEPS[step.get()].title)}</h2>
                    <clock::ClockView clock=clock step=step/>
                </div>
                <p class="workshop__what" class=("workshop__what--map", move || step.get() == 4)>{move || STEPS[step.get()].what}</p>
                {move || match step.get() {
                    0 => view! { <StartStep on_done=Callback::new(move |_| go(1))/> }.into_any(),
                    1 => view! { <TeamsStep/> }.into_any(),
                    2 => view! { <PokerStep/> }.into_any(),
                    3 => view! { <ResultsStep/> }.into_any(),
                    4 => view! { <MapStep presenter=presenter.on/> }.into_any(),
                    _ => view! { <ActionsStep/> }.into_any(),
                }}
                <div class="workshop__nav" data-view="">
                    <button type="button" class="button" data-testid="workshop-back" aria-keyshortcuts="ArrowLeft" disabled=move || step.get() == 0 on:click=move |_| go(step.get_untracked().saturating_sub(1))>"← Back"</button>
                    <button type="button" class="button button--primary" data-testid="workshop-next" aria-keyshortcuts="ArrowRight" disabled=move || step.get() + 1 == STEPS.len() on:click=move |_| go(step.get_untracked() + 1)>"Next step →"</button>
                </div>
            </section>
            <presenter::Help open=help/>
        </div>
    }
}
