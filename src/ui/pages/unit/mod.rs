//! One unit: its scores with their arithmetic, its trend, the autonomy it holds per
//! decision area, its commitments, reviews, decisions and pulse.

mod commitments;
pub(crate) use commitments::{draft_prefix, CommitmentForm};
mod decisions;
mod grants;
mod pulse;
mod reports;
mod reviews;

use leptos::prelude::*;

use super::PageHeader;
use crate::charts;
use crate::core::counterfactual::unit_counterfactuals;
use crate::core::explain::{explain_unit, f0, f2};
use crate::core::series::unit_series;
use crate::core::*;
use crate::ui::state::use_app;
use crate::ui::widgets::{ChartFigure, Explanations};

#[component]
pub fn UnitPage(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    // Re-render the page only when the unit appears or disappears, not on every edit.
    let exists = Memo::new(move |_| ctx.ws.with(|w| w.unit(id).is_some()));
    view! {
        {move || if exists.get() {
            view! { <UnitContent id=id/> }.into_any()
        } else {
            view! {
                <section class="error-page" data-testid="unit-missing">
                    <h1>"No such unit"</h1>
                    <p>"This unit does not exist in the open workspace: it may have been deleted."</p>
                    <p><a class="button button--primary" href="#/units">"See all units"</a></p>
                </section>
            }.into_any()
        }}
    }
}

#[component]
fn UnitContent(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    let unit = move || ctx.ws.with(|w| w.unit(id).cloned());
    let name = move || unit().map(|u| u.name.to_string()).unwrap_or_default();
    let s = Memo::new(move |_| ctx.scores.with(|s| s.unit(id).cloned()));
    let lead = move || {
        ctx.ws.with(|w| {
            let Some(u) = w.unit(id) else { return String::new() };
            let kind = if u.kind == UnitKind::Team { "Team" } else { "Person" };
            let role = if u.role.is_empty() { String::new() } else { format!(" · {}", u.role) };
            let parent = u.parent.map(|p| format!(" · reports to {}", w.unit_name(p))).unwrap_or_default();
            format!("{kind}{role}{parent}")
        })
    };
    let num = move |f: fn(&crate::core::UnitScore) -> String| Signal::derive(move || s.get().map(|x| f(&x)).unwrap_or_else(|| "–".into()));
    let sections = Signal::derive(move || {
        let Some(score) = s.get() else { return Vec::new() };
        ctx.ws.with(|w| explain_unit(w, &w.policy, &score))
    });
    let trend = Callback::new(move |width: u32| {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| {
            let from = w.first_date().unwrap_or(as_of).min(as_of);
            let series = unit_series(w, &w.policy, id, from, as_of);
            charts::unit_trend_at(w.unit_name(id), &series, &charts::trend_events(w, id, from, as_of), as_of, ctx.theme.get(), width)
        })
    });
    let trend_rows = Signal::derive(move || {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| {
            let from = w.first_date().unwrap_or(as_of).min(as_of);
            unit_series(w, &w.policy, id, from, as_of)
                .into_iter()
                .rev()
                .step_by(4)
                .map(|p| vec![format_date(p.date), f0(p.autonomy), f0(p.supported), f0(p.track_record * 100.0), f2(p.rigor)])
                .collect()
        })
    });
    let rigor_svg = Callback::new(move |width: u32| s.get().map(|x| charts::rigor_breakdown_at(&name(), &x.rigor, ctx.theme.get(), width)).unwrap_or_default());
    let rigor_rows = Signal::derive(move || s.get().map(|x| x.rigor.components.iter().map(|c| vec![c.kind.label().to_owned(), f2(c.value), f2(c.weight)]).collect()).unwrap_or_default());
    view! {
        <div class="unit-page" data-testid="unit-page">
            <p class="breadcrumb"><a href="#/units">"Units"</a> " / " {name}</p>
            <PageHeader title=name() lead=lead()>
                <super::overview::AsOfPicker/>
                <super::SharePanel unit=id/>
            </PageHeader>
            <section class="unit-page__stats" data-testid="unit-scores" aria-label="Scores">
                <super::Stat label="Granted autonomy A" testid="unit-a" value=num(|x| f0(x.autonomy))/>
                <super::Stat label="Supported autonomy S" testid="unit-s" value=num(|x| f0(x.supported))/>
                <super::Stat label="Gap A − S" testid="unit-gap" value=Signal::derive(move || s.get().map(|x| ctx.ws.with(|w| w.policy.gap_between(x.autonomy, x.supported))).unwrap_or_else(|| "–".into()))/>
                <super::Stat label="Track record TR" testid="unit-tr" value=num(|x| f2(x.track_record))/>
                <super::Stat label="Rigor R" testid="unit-r" value=num(|x| f2(x.rigor.value))/>
                <super::Stat label="Recommendation" testid="unit-verdict" value=num(|x| x.recommendation.verdict.as_str().to_owned())/>
            </section>
            {move || s.get().map(|x| view! {
                <div class="card unit-page__why" data-testid="unit-recommendation">
                    <p><strong>{format!("Recommendation: {}. ", x.recommendation.verdict.as_str())}</strong>{x.recommendation.reason.clone()}</p>
                    {(!x.flags.is_empty()).then(|| view! {
                        <ul class="flags__list">
                            {x.flags.iter().map(|f| view! {
                                <li class="flag" data-testid="unit-flag" data-flag=f.kind.as_str()>
                                    <span class=format!("flag__badge flag__badge--s{}", f.kind.severity())>{f.kind.label()}</span>
                                    <span class="flag__reason">{f.reason.clone()}</span>
                                    {f.kind.quote_for(&x).map(|q| view! { <span class="flag__why">{q}</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                    <p class="muted">{format!("Profile: {}. {} Profiles describe evidence, not character.", x.profile.label(), x.profile_description())}</p>
                    {(!x.assessment.strong.is_empty()).then(|| view! { <p class="muted" data-testid="unit-strong">{format!("Strong: {}.", x.assessment.strong.join("; "))}</p> })}
                    {(!x.assessment.missing.is_empty()).then(|| view! { <p class="muted" data-testid="unit-missing">{format!("Missing: {}.", x.assessment.missing.join("; "))}</p> })}
                    <h3 class="card__subtitle">"What would change the verdict or clear a flag"</h3>
                    <ul class="unit-page__changes" data-testid="unit-counterfactuals">
                        {ctx.ws.with(|w| {
                            let list = unit_counterfactuals(w, &w.policy, &x, ctx.as_of.get_untracked());
                            if list.is_empty() {
                                view! { <li class="muted" data-testid="unit-no-counterfactual">{crate::core::explain::no_single_change(x.recommendation.waiting.as_ref(), "moves the verdict or clears a flag")}</li> }.into_any()
                            } else {
                                list.into_iter().map(|c| view! { <li data-testid="unit-counterfactual">{c.summary}</li> }).collect_view().into_any()
                            }
                        })}
                    </ul>
                </div>
            })}
            <ChartFigure svg=trend name=format!("trend-{}", id.0) caption="Weekly granted autonomy (steps), supported autonomy, delivered results and rigor. G marks a grant; E, H, C a review's verdict."
                headings=vec!["Week", "A", "S", "TR × 100", "R"] rows=trend_rows testid="trend-chart"/>
            <div class="unit-page__grid">
                <section class="card">
                    <h2 class="card__title">"How the numbers are made"</h2>
                    <Explanations sections=sections/>
                </section>
                <ChartFigure svg=rigor_svg name=format!("rigor-{}", id.0) caption=Signal::derive(move || {
                        let zero = s.get().and_then(|x| crate::core::explain::zero_part(&x.rigor));
                        match zero {
                            Some(part) => format!("The six parts of rigor, with the weights the policy gives them. Its {part} is 0, so rigor is 0: the mean multiplies the parts, and one at 0 makes the whole 0."),
                            None => "The six parts of rigor, with the weights the policy gives them.".to_owned(),
                        }
                    })
                    headings=vec!["Component", "Value", "Weight"] rows=rigor_rows testid="rigor-chart"/>
            </div>
            <grants::Grants id=id/>
            <commitments::Commitments id=id/>
            <reviews::Reviews id=id/>
            <reports::Reports id=id/>
            <decisions::UnitDecisions id=id/>
            <pulse::Pulses id=id/>
        </div>
    }
}
