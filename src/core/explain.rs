//! Every number with its "why": turns a unit's scores into sections of plain sentences
//! with the inputs and the arithmetic. The app and the CLI render the same sections.

use serde::Serialize;

use super::counterfactual::Counterfactual;
use super::dates::format_date;
use super::model::{Commitment, Workspace};
use super::policy::Policy;
use super::score::{Action, ComponentKind, Rigor, UnitScore};

/// A policy parameter an explanation used, with its value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameter {
    pub name: String,
    pub value: String,
}

fn param(name: &str, value: impl Into<String>) -> Parameter {
    Parameter { name: name.to_owned(), value: value.into() }
}

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
    /// Every policy parameter the number used, with its value.
    pub parameters: Vec<Parameter>,
}

impl Section {
    /// The parameters as one line, e.g. "half-life 180 days · prior 0.50".
    pub fn parameters_line(&self) -> String {
        self.parameters.iter().map(|p| format!("{} {}", p.name, p.value)).collect::<Vec<_>>().join(" · ")
    }
}

/// Formats a number without trailing zeros (180, 0.25, 2).
pub fn num(v: f64) -> String {
    let t = format!("{v:.4}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t.is_empty() || t == "-0" {
        "0".into()
    } else {
        t.to_owned()
    }
}

/// Formats a 0..=1 share with two decimals.
pub fn f2(v: f64) -> String {
    format!("{v:.2}")
}

/// Formats a 0..=100 score with no decimals.
pub fn f0(v: f64) -> String {
    format!("{v:.0}")
}

/// "100 × R × TR = S" in numbers that multiply to the S shown: R and TR with two
/// decimals, more where two would not (100 × 0.97 × 0.85 is 82.45, not the 83 of R
/// 0.9743 and TR 0.8512), and "≈" if even four do not.
pub fn law_in_numbers(rigor: f64, track_record: f64, supported: f64) -> String {
    let shown = |x: f64, d: usize| format!("{x:.d$}");
    for d in 2..=4 {
        let (r, tr) = (shown(rigor, d), shown(track_record, d));
        let product = 100.0 * r.parse::<f64>().unwrap_or(rigor) * tr.parse::<f64>().unwrap_or(track_record);
        if f0(product) == f0(supported) {
            return format!("100 × {r} × {tr} = {}", f0(supported));
        }
    }
    format!("100 × {} × {} ≈ {}", shown(rigor, 4), shown(track_record, 4), f0(supported))
}

/// All sections for one unit, in the order the law composes them.
pub fn explain_unit(ws: &Workspace, policy: &Policy, s: &UnitScore) -> Vec<Section> {
    let p = policy;
    let mut out = vec![autonomy(ws, policy, s), track_record(ws, s, policy), rigor_section("Rigor R", &s.rigor, policy)];
    out.push(Section {
        title: "Supported autonomy S".into(),
        value: f0(s.supported),
        formula: "S = 100 × R × TR: the autonomy the accountability system can vouch for.".into(),
        lines: vec![law_in_numbers(s.rigor.value, s.track_record, s.supported), format!("Gap A − S = {} − {} = {}", f0(s.autonomy), f0(s.supported), p.gap_between(s.autonomy, s.supported))],
        parameters: Vec::new(),
    });
    let mut lines = vec![s.recommendation.reason.clone()];
    if let Some(w) = &s.recommendation.waiting {
        lines.push(format!("{} on {}; results due after it and scored so far: {} of the {} the policy waits for.", w.past_tense(), format_date(w.date), w.results_since, p.results_after_action));
    }
    out.push(Section {
        title: "Recommendation".into(),
        value: s.recommendation.verdict.as_str().into(),
        formula: format!(
            "Expand if TR ≥ {:.2} and S − A ≥ {:.0}; contract if A − S > {:.0} or TR < {:.2}, never below the lowest rung and level; otherwise hold. After an expansion or contraction, hold until {} commitment{} due after it {} been scored.",
            p.expand_min_track_record,
            p.expand_margin,
            p.contract_gap,
            p.contract_track_record,
            p.results_after_action,
            if p.results_after_action == 1 { "" } else { "s" },
            if p.results_after_action == 1 { "has" } else { "have" }
        ),
        lines,
        parameters: vec![
            param("expand track record", f2(p.expand_min_track_record)),
            param("expand margin", num(p.expand_margin)),
            param("contract gap", num(p.contract_gap)),
            param("contract track record", f2(p.contract_track_record)),
            param("results after an expansion or contraction", p.results_after_action.to_string()),
        ],
    });
    out.push(flags_section(s, policy));
    if let Some(l) = &s.leadership {
        let mut lines = vec![
            format!("{} direct report{}.", l.reports.len(), if l.reports.len() == 1 { "" } else { "s" }),
            format!("Reviewed outcomes of their own and their reports' decisions: {}; accountable for {}.", l.reviewed, l.accountable),
            format!("Delegated bad or mixed outcomes: {}; accepted accountability for {} (shield below {} of them).", l.delegated_bad, l.delegated_bad_accepted, f2(p.shield_share)),
        ];
        match l.ratio {
            Some(r) => lines.push(format!("({} ÷ {}) ÷ ({} ÷ 100) = {}", l.accountable, l.reviewed, f0(s.autonomy), f2(r))),
            None => lines.push("No ratio yet: it needs reviewed outcomes and some granted autonomy.".into()),
        }
        out.push(Section {
            title: "Leadership ratio".into(),
            value: l.ratio.map(f2).unwrap_or_else(|| "–".into()),
            formula: format!(
                "Share of reviewed outcomes the leader answered for ÷ (A/100). Below {}: the leader exercises more autonomy than the accountability they accept.",
                num(p.leadership_ratio_min)
            ),
            lines,
            parameters: vec![param("leadership ratio minimum", num(p.leadership_ratio_min)), param("shield share", f2(p.shield_share))],
        });
    }
    let mut lines = vec![s.profile_description().into(), format!("Evidence: {} due commitments and reviewed decisions.", s.evidence)];
    if !s.assessment.strong.is_empty() {
        lines.push(format!("Strong: {}.", s.assessment.strong.join("; ")));
    }
    if !s.assessment.missing.is_empty() {
        lines.push(format!("Missing: {}.", s.assessment.missing.join("; ")));
    }
    out.push(Section {
        title: "Profile".into(),
        value: s.profile.label().into(),
        formula: format!(
            "Needs at least {} due commitments or reviewed decisions; it describes evidence, not character, and never calls trusted a unit whose verdict is to contract.",
            p.profile_min_evidence
        ),
        lines,
        parameters: vec![
            param("minimum evidence", p.profile_min_evidence.to_string()),
            param("results met from", f2(p.profile_met)),
            param("results missed below", f2(p.profile_missed)),
            param("good decisions from", f2(p.profile_good_decisions)),
            param("busy from speed", f2(p.profile_busy_speed)),
            param("trusted from track record", f2(p.expand_min_track_record)),
            param("busy from due commitments", p.profile_min_due.to_string()),
            param("decisions judged from", p.profile_min_decisions.to_string()),
            param("trusted from rigor", f2(p.profile_trusted_rigor)),
            param("trusted from good decisions", f2(p.profile_trusted_good_decisions)),
        ],
    });
    out
}

/// The flags' rules with their thresholds, and which hold for the unit.
fn flags_section(s: &UnitScore, p: &Policy) -> Section {
    let mut lines: Vec<String> = s.flags.iter().map(|f| format!("{}: {}", f.kind.label(), f.reason)).collect();
    if lines.is_empty() {
        lines.push("No flag holds.".into());
    }
    lines.push(format!(
        "Overextended when A − S > {}; starved when S − A > {} with TR ≥ {}; stale when an open commitment has no check-in for more than {} × its cadence; leader without results from A ≥ {}.",
        num(p.overextended_gap),
        num(p.starved_gap),
        f2(p.starved_track_record),
        num(p.stale_cadences),
        num(p.leader_without_results_autonomy)
    ));
    Section {
        title: "Flags".into(),
        value: s.flags.len().to_string(),
        formula: "Each flag is a rule over the numbers above; the essay's sentence behind each is quoted beside it.".into(),
        lines,
        parameters: vec![
            param("overextended gap", num(p.overextended_gap)),
            param("starved gap", num(p.starved_gap)),
            param("starved track record", f2(p.starved_track_record)),
            param("stale cadences", num(p.stale_cadences)),
            param("shield share", f2(p.shield_share)),
            param("leader without results from A", num(p.leader_without_results_autonomy)),
            param("leadership ratio minimum", num(p.leadership_ratio_min)),
        ],
    }
}

/// What is said where no single change `does` anything ("moves the verdict or clears a
/// flag", "clears it"): while an expansion or contraction waits for its results, scope is
/// not among the changes looked for, and that is said rather than "no change to scope".
pub fn no_single_change(waiting: Option<&Action>, does: &str) -> String {
    match waiting {
        None => format!("No single change to measurement, results or scope {does}."),
        Some(a) => {
            let next = a.next_due.map(|d| format!(" (the next falls due on {})", format_date(d))).unwrap_or_default();
            format!(
                "{} on {}: scope is not changed again until results due after that are scored{next}. No single change to measurement or results {does} before then.",
                a.past_tense(),
                format_date(a.date)
            )
        }
    }
}

/// What would change the verdict or clear a flag, one line per computed change.
pub fn counterfactual_section(cfs: &[Counterfactual], waiting: Option<&Action>) -> Section {
    let mut lines: Vec<String> = cfs.iter().map(|c| c.summary.clone()).collect();
    if lines.is_empty() {
        lines.push(no_single_change(waiting, "moves the verdict or clears a flag"));
    }
    Section {
        title: "What would change the verdict or clear a flag".into(),
        value: cfs.len().to_string(),
        formula: "Each change is applied to a copy of the workspace and scored again with the same law and policy; one offered only for the flags it clears ends \"the verdict stays …\".".into(),
        lines,
        parameters: Vec::new(),
    }
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
    let scale = |labels: &[String]| labels.iter().enumerate().map(|(i, l)| format!("{} {l}", i + 1)).collect::<Vec<_>>().join(", ");
    Section {
        title: "Granted autonomy A".into(),
        value: f0(s.autonomy),
        formula: "Mean over decision areas of rung/5 × (level−1)/6, from the grants in force, × 100.".into(),
        lines,
        parameters: vec![param("scope rungs", scale(&policy.rung_labels)), param("delegation levels", scale(&policy.level_labels))],
    }
}

fn track_record(ws: &Workspace, s: &UnitScore, p: &Policy) -> Section {
    let w = &s.track_why;
    let mut lines: Vec<String> = w
        .terms
        .iter()
        .map(|t| {
            let c = ws.commitment(t.commitment);
            let title = c.map(|c| c.title.as_str()).unwrap_or("(removed)");
            // Unverified for one of two reasons: no reading by the due day and grace, or
            // readings that cannot be a share of the target.
            let why = match c.and_then(Commitment::unmeasured) {
                Some(lack) if t.unverified => format!(" (unverified: {lack}, so its check-ins cannot be scored)"),
                _ if t.unverified => " (unverified: no check-in by the due date + grace)".to_owned(),
                _ => String::new(),
            };
            format!("{title}: attainment {}{why}, weight {} × 0.5^({} days / {}) = {}", f2(t.attainment), f2(t.weight), t.age_days, num(p.half_life_days), f2(t.decayed_weight))
        })
        .collect();
    if lines.is_empty() {
        lines.push("No commitment is due yet: the track record is the prior, not a result, since one win proves nothing.".into());
    }
    lines.push(format!("({} + {} × {}) ÷ ({} + {}) = {}", f2(w.weighted_sum), num(w.prior_strength), f2(w.prior), f2(w.weight_sum), num(w.prior_strength), f2(s.track_record)));
    Section {
        title: "Track record TR".into(),
        value: f2(s.track_record),
        formula: format!(
            "Recency-weighted mean attainment (capped at 1) of due commitments, weights halving every {} days, shrunk toward the prior {} with the strength of {} commitments.",
            num(p.half_life_days),
            f2(p.prior),
            num(p.prior_strength)
        ),
        lines,
        parameters: vec![
            param("half-life", format!("{} days", num(p.half_life_days))),
            param("prior", f2(p.prior)),
            param("prior strength", format!("{} commitments", num(p.prior_strength))),
            param("grace", format!("{} days after the due date", p.grace_days)),
            param("attainment cap", num(p.attainment_cap)),
        ],
    }
}

/// The final step of rigor in numbers: R = (Π cᵢ^wᵢ)^(1/Σwᵢ) over the parts in the mean.
pub fn rigor_combination(r: &Rigor) -> String {
    let used: Vec<_> = r.components.iter().filter(|c| c.measured && c.weight > 0.0).collect();
    if used.is_empty() {
        return format!("R = {}: no part can be measured.", f2(r.value));
    }
    let weights: f64 = used.iter().map(|c| c.weight).sum();
    let product = used.iter().map(|c| format!("{}^{}", f2(c.value), num(c.weight))).collect::<Vec<_>>().join(" × ");
    let mut line = format!("R = ({product})^(1/{}) = {}", num(weights), f2(r.value));
    if let Some(zero) = zero_part(r) {
        line.push_str(&format!(": {zero} is 0, so R is 0"));
    }
    line
}

/// The first part of rigor in the mean that is 0, which makes rigor 0 whatever the others
/// (lower case, as in a sentence).
pub fn zero_part(r: &Rigor) -> Option<String> {
    r.components.iter().find(|c| c.measured && c.weight > 0.0 && c.value <= 0.0).map(|c| c.kind.label().to_lowercase())
}

/// Explains a rigor value (a unit's or the org's).
pub fn rigor_section(title: &str, r: &Rigor, policy: &Policy) -> Section {
    let mut lines = vec![format!("{} commitment{} active in the last {} days, {} check-ins.", r.commitments, if r.commitments == 1 { "" } else { "s" }, policy.rigor_window_days, r.checkins)];
    for c in &r.components {
        let detail = match c.kind {
            ComponentKind::Speed if c.denominator > 0.0 && c.numerator > 0.0 => {
                format!("median gap {} days over {} gaps → min(1, {} ÷ {})", c.numerator, c.denominator, num(policy.speed_target_days), c.numerator)
            }
            ComponentKind::Speed if c.denominator > 0.0 => "every check-in on the day measured (a gap of 0 days) → 1".to_string(),
            ComponentKind::Speed => "no check-in: no speed".to_string(),
            ComponentKind::OutcomeFocus => format!("weight {} of {} in customer value, revenue, system performance", f2(c.numerator), f2(c.denominator)),
            ComponentKind::Consequence if !c.measured => format!("nothing due more than {} days ago yet: left out of the mean", policy.consequence_window_days),
            ComponentKind::Consequence => format!("{} of {} due commitments followed within {} days by a review", c.numerator, c.denominator, policy.consequence_window_days),
            _ => format!("{} of {}", c.numerator, c.denominator),
        };
        lines.push(format!("{} = {} (weight {}): {}", c.kind.label(), f2(c.value), num(c.weight), detail));
    }
    for (kind, why) in r.left_out() {
        lines.push(format!("{} is left out of the mean: {why}.", kind.label()));
    }
    lines.push(format!("Weighted geometric mean, one weak part drags the whole down and a zero part makes it zero: {}.", rigor_combination(r)));
    let w = &policy.rigor_weights;
    Section {
        title: title.into(),
        value: f2(r.value),
        formula: "Weighted geometric mean of speed, clarity, outcome focus, objectivity, visibility and consequence: R = (Π partᵢ^weightᵢ)^(1/Σ weightᵢ).".into(),
        lines,
        parameters: vec![
            param("window", format!("{} days", policy.rigor_window_days)),
            param("speed target", format!("{} days", num(policy.speed_target_days))),
            param("grace", format!("{} days", policy.grace_days)),
            param("consequence window", format!("{} days", policy.consequence_window_days)),
            param("weight speed", num(w.speed)),
            param("weight clarity", num(w.clarity)),
            param("weight outcome focus", num(w.outcome_focus)),
            param("weight objectivity", num(w.objectivity)),
            param("weight visibility", num(w.visibility)),
            param("weight consequence", num(w.consequence)),
        ],
    }
}
