//! Workshop: a guided sequence for a 60–90 minute session with a team.

use leptos::prelude::*;

use super::PageHeader;
use crate::ui::state::use_app;

struct Step {
    title: &'static str,
    minutes: u32,
    what: &'static str,
    href: &'static str,
    action: &'static str,
}

const STEPS: [Step; 6] = [
    Step { title: "Set the scene", minutes: 10, what: "Read the law aloud: the autonomy you can grant is proportional to the rigor of the accountability system. Agree that the session measures results, not feelings.", href: "#/settings", action: "Choose a blank or the sample workspace" },
    Step { title: "Name the teams", minutes: 10, what: "Add every team and person in scope, leaders first, so each report names its leader.", href: "#/units", action: "Add units" },
    Step { title: "Record today's autonomy", minutes: 20, what: "For each decision area, everyone votes the delegation level privately, then reveals. Discuss the spread, agree one level and scope rung, and record it as a grant.", href: "#/units", action: "Open a unit and grant autonomy" },
    Step { title: "Enter last quarter's results", minutes: 15, what: "For each unit, the results it committed to: baseline, target, due date and the value reached, with evidence.", href: "#/check-ins", action: "Do the check-in sweep" },
    Step { title: "Reveal the map", minutes: 15, what: "Show the org map. Above the diagonal, autonomy outruns measurement; below it, results earn more scope than granted.", href: "#/", action: "Open the org map" },
    Step { title: "Agree actions and export", minutes: 10, what: "Record a review for each flagged unit, starting from the recommendation, then export the workspace for everyone.", href: "#/settings", action: "Export the workspace" },
];

#[component]
pub fn Workshop() -> impl IntoView {
    let ctx = use_app();
    let done = RwSignal::new([false; 6]);
    let units = move || ctx.ws.with(|w| w.units.len());
    let total: u32 = STEPS.iter().map(|s| s.minutes).sum();
    view! {
        <PageHeader title="Workshop" lead=format!("A guided {total}-minute session on one laptop and a projector: from today's autonomy to agreed actions.")/>
        <section class="card" data-testid="workshop">
            <p class="muted">{move || format!("The open workspace has {} unit{}. Tick each step as the group completes it.", units(), if units() == 1 { "" } else { "s" })}</p>
            <ol class="workshop__steps">
                {STEPS.iter().enumerate().map(|(i, s)| view! {
                    <li class="workshop__step" class=("workshop__step--done", move || done.get()[i]) data-testid="workshop-step">
                        <div class="workshop__head">
                            <input type="checkbox" id=format!("step-{i}") prop:checked=move || done.get()[i] on:change=move |ev| { let on = event_target_checked(&ev); done.update(|d| d[i] = on); }/>
                            <label for=format!("step-{i}") class="workshop__title">{format!("{}. {}", i + 1, s.title)}</label>
                            <span class="workshop__time">{format!("{} min", s.minutes)}</span>
                        </div>
                        <p>{s.what}</p>
                        <a class="button button--small" href=s.href>{s.action}</a>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
