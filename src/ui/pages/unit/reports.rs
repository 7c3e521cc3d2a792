//! A leader's direct reports with their scores, and the leader's accountability record.

use leptos::prelude::*;

use crate::core::*;
use crate::ui::state::use_app;

/// A leader's direct reports with their scores, and the leader's accountability record.
#[component]
pub fn Reports(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    let rows = move || {
        let scores = ctx.scores.get();
        ctx.ws.with(|w| w.children(id).filter_map(|u| scores.unit(u.id).map(|s| (u.id, u.name.to_string(), s.autonomy, s.supported, s.recommendation.verdict))).collect::<Vec<_>>())
    };
    let leadership = move || ctx.scores.with(|s| s.unit(id).and_then(|u| u.leadership.clone()));
    view! {
        {move || leadership().map(|l| view! {
            <section class="card" data-testid="reports">
                <h2 class="card__title">"Reports and leadership"</h2>
                <p data-testid="leadership-ratio">{match l.ratio {
                    Some(r) => format!("Leadership ratio {r:.2}: accountable for {} of {} reviewed outcomes of their own and their reports' decisions, against granted autonomy. Below 1, the leader exercises more autonomy than the accountability they accept.", l.accountable, l.reviewed),
                    None => "No leadership ratio yet: it needs reviewed decisions and some granted autonomy.".to_owned(),
                }}</p>
                <p class="muted">{format!("Bad or mixed outcomes of decisions delegated to reports: {}, of which the leader answered for {}.", l.delegated_bad, l.delegated_bad_accepted)}</p>
                <div class="table-wrap table-wrap--cue" tabindex="0" role="region" aria-label="Reports">
                    <table class="table">
                        <thead><tr><th scope="col">"Report"</th><th scope="col" class="num">"A"</th><th scope="col" class="num">"S"</th><th scope="col">"Recommendation"</th></tr></thead>
                        <tbody>
                            {rows().into_iter().map(|(rid, name, a, s, v)| view! {
                                <tr><th scope="row"><a href=format!("#/units/{}", rid.0)>{name}</a></th><td class="num">{format!("{a:.0}")}</td><td class="num">{format!("{s:.0}")}</td>
                                <td><span class=format!("verdict verdict--{}", v.as_str())>{v.as_str()}</span></td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        })}
    }
}
