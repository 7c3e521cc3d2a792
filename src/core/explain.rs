//! Every number with its "why": turns a unit's scores into sections of plain sentences
//! with the inputs and the arithmetic. The app and the CLI render the same sections.

use serde::Serialize;

use super::dates::format_date;
use super::model::Workspace;
use super::policy::Policy;
use super::score::{ComponentKind, Rigor, UnitScore};

/// One explained number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// What is explained, e.g. "Granted autonomy A".
    pub title: String,
    /// The number, formatted.
    pub value: String,
    /// The formula in words.
    pub formula: String,
    /// The inputs and intermediate steps, one per line.
    pub lines: Vec<String>,
}

/// Formats a 0..=1 share with two decimals.
pub fn f2(v: f64) -> String {
    format!("{v:.2}")
}

/// Formats a 0..=100 score with no decimals.
pub fn f0(v: f64) -> String {
    format!("{v:.0}")
}

/// All sections for one unit, in the order the law composes them.
pub fn explain_unit(ws: &Workspace, policy: &Policy, s: &UnitScore) -> Vec<Section> {
    let mut out = vec![autonomy(ws, policy, s), track_record(ws, s), rigor_section("Rigor R", &s.rigor, policy)];
    out.push(Section {
        title: "Supported autonomy S".into(),
        value: f0(s.supported),
        formula: "S = 100 × R × TR: the autonomy the accountability system can vouch for.".into(),
        lines: vec![format!("100 × {} × {} = {}", f2(s.rigor.value), f2(s.track_record), f0(s.supported)), format!("Gap A − S = {} − {} = {}", f0(s.autonomy), f0(s.supported), f0(s.gap))],
    });
    out.push(Section {
        title: "Recommendation".into(),
        value: s.recommendation.verdict.as_str().into(),
        formula: format!(
            "Expand if TR ≥ {:.2} and S − A ≥ {:.0}; contract if A − S > {:.0} or TR < {:.2}; otherwise hold.",
            policy.expand_min_track_record, policy.expand_margin, policy.contract_gap, policy.contract_track_record
        ),
        lines: vec![s.recommendation.reason.clone()],
    });
    if let Some(l) = &s.leadership {
        let mut lines = vec![
            format!("{} direct report{}.", l.reports.len(), if l.reports.len() == 1 { "" } else { "s" }),
            format!("Reviewed outcomes of their own and their reports' decisions: {}; accountable for {}.", l.reviewed, l.accountable),
            format!("Delegated bad or mixed outcomes: {}; accepted accountability for {}.", l.delegated_bad, l.delegated_bad_accepted),
        ];
        match l.ratio {
            Some(r) => lines.push(format!("({} ÷ {}) ÷ ({} ÷ 100) = {}", l.accountable, l.reviewed, f0(s.autonomy), f2(r))),
            None => lines.push("No ratio yet: it needs reviewed outcomes and some granted autonomy.".into()),
        }
        out.push(Section {
            title: "Leadership ratio".into(),
            value: l.ratio.map(f2).unwrap_or_else(|| "–".into()),
            formula: "Share of reviewed outcomes the leader answered for ÷ (A/100). Below 1: the leader exercises more autonomy than the accountability they accept.".into(),
            lines,
        });
    }
    out.push(Section {
        title: "Profile".into(),
        value: s.profile.label().into(),
        formula: format!("Needs at least {} due commitments or reviewed decisions; it describes evidence, not character.", policy.profile_min_evidence),
        lines: vec![s.profile.description().into(), format!("Evidence: {} due commitments and reviewed decisions.", s.evidence)],
    });
    out
}

fn autonomy(ws: &Workspace, policy: &Policy, s: &UnitScore) -> Section {
    let mut lines: Vec<String> = s
        .autonomy_terms
        .iter()
        .map(|t| {
            format!(
                "{}: rung {} {} × level {} {} since {} → {}/5 × ({}−1)/6 = {}",
                ws.area_name(t.area),
                t.rung,
                policy.rung_label(t.rung),
                t.level,
                policy.level_label(t.level),
                format_date(t.since),
                t.rung,
                t.level,
                f2(t.value)
            )
        })
        .collect();
    if lines.is_empty() {
        lines.push("No grant in force: nothing has been delegated.".into());
    } else {
        lines.push(format!("Mean of {} area{} × 100 = {}", s.autonomy_terms.len(), if s.autonomy_terms.len() == 1 { "" } else { "s" }, f0(s.autonomy)));
    }
    Section { title: "Granted autonomy A".into(), value: f0(s.autonomy), formula: "Mean over decision areas of rung/5 × (level−1)/6, from the grants in force, × 100.".into(), lines }
}

fn track_record(ws: &Workspace, s: &UnitScore) -> Section {
    let w = &s.track_why;
    let mut lines: Vec<String> = w
        .terms
        .iter()
        .map(|t| {
            let title = ws.commitment(t.commitment).map(|c| c.title.as_str()).unwrap_or("(removed)");
            format!(
                "{title}: attainment {}{}, weight {} × 0.5^({} days / half-life) = {}",
                f2(t.attainment),
                if t.unverified { " (unverified: no check-in by the due date + grace)" } else { "" },
                f2(t.weight),
                t.age_days,
                f2(t.decayed_weight)
            )
        })
        .collect();
    if lines.is_empty() {
        lines.push("No commitment is due yet: the track record is the prior, since one win proves nothing.".into());
    }
    lines.push(format!("({} + {} × {}) ÷ ({} + {}) = {}", f2(w.weighted_sum), f2(w.prior_strength), f2(w.prior), f2(w.weight_sum), f2(w.prior_strength), f2(s.track_record)));
    Section { title: "Track record TR".into(), value: f2(s.track_record), formula: "Recency-weighted mean attainment (capped at 1) of due commitments, shrunk toward the prior.".into(), lines }
}

/// Explains a rigor value (a unit's or the org's).
pub fn rigor_section(title: &str, r: &Rigor, policy: &Policy) -> Section {
    let mut lines = vec![format!("{} commitment{} active in the last {} days, {} check-ins.", r.commitments, if r.commitments == 1 { "" } else { "s" }, policy.rigor_window_days, r.checkins)];
    for c in &r.components {
        let detail = match c.kind {
            ComponentKind::Speed if c.denominator > 0.0 && c.numerator > 0.0 => {
                format!("median gap {} days over {} gaps → min(1, {} ÷ {})", c.numerator, c.denominator, policy.speed_target_days, c.numerator)
            }
            ComponentKind::Speed => "no check-in: no speed".to_string(),
            ComponentKind::OutcomeFocus => format!("weight {} of {} in customer value, revenue, system performance", f2(c.numerator), f2(c.denominator)),
            _ if !c.measured => "nothing due long enough to judge yet: left out of the mean".to_string(),
            _ => format!("{} of {}", c.numerator, c.denominator),
        };
        lines.push(format!("{} = {} (weight {}): {}", c.kind.label(), f2(c.value), f2(c.weight), detail));
    }
    lines.push("Weighted geometric mean: one weak part drags the whole down, a zero part makes it zero.".into());
    Section { title: title.into(), value: f2(r.value), formula: "Speed, clarity, outcome focus, objectivity, visibility and consequence, weighted.".into(), lines }
}
