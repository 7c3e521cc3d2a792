//! Every parameter of the scoring model in one place, with PRODUCT.md's defaults.
//! A workspace carries its own policy, so a shared file scores the same everywhere.

use serde::{Deserialize, Serialize};

use super::error::ModelError;

/// Weights of the six rigor components in the weighted geometric mean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RigorWeights {
    pub speed: f64,
    pub clarity: f64,
    pub outcome_focus: f64,
    pub objectivity: f64,
    pub visibility: f64,
    pub consequence: f64,
}

impl Default for RigorWeights {
    fn default() -> Self {
        RigorWeights { speed: 0.25, clarity: 0.20, outcome_focus: 0.20, objectivity: 0.15, visibility: 0.10, consequence: 0.10 }
    }
}

impl RigorWeights {
    pub fn as_array(&self) -> [f64; 6] {
        [self.speed, self.clarity, self.outcome_focus, self.objectivity, self.visibility, self.consequence]
    }
}

/// The scoring model's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Labels of scope rungs 1..=5.
    pub rung_labels: [String; 5],
    /// Labels of delegation levels 1..=7.
    pub level_labels: [String; 7],
    /// Attainment is clamped to [0, cap].
    pub attainment_cap: f64,
    /// Days after the due date in which a late check-in still counts.
    pub grace_days: u32,
    /// Half-life, in days, of a due commitment's weight in the track record.
    pub half_life_days: f64,
    /// The track record a unit starts from.
    pub prior: f64,
    /// How many commitments the prior is worth.
    pub prior_strength: f64,
    /// Look-back window of rigor, in days (26 weeks).
    pub rigor_window_days: u32,
    /// A median gap between check-ins of this many days or less is full speed.
    pub speed_target_days: f64,
    pub rigor_weights: RigorWeights,
    /// Days after a due date within which a review closes the loop.
    pub consequence_window_days: u32,
    /// Expand when TR ≥ this …
    pub expand_min_track_record: f64,
    /// … and S − A ≥ this.
    pub expand_margin: f64,
    /// Contract when A − S > this …
    pub contract_gap: f64,
    /// … or TR < this.
    pub contract_track_record: f64,
    /// After an expansion or contraction (a review with that verdict, or a grant change
    /// that raised or lowered A), the recommendation holds until this many of the unit's
    /// commitments due after it have been scored; then the law speaks again. 0 turns the
    /// rule off.
    pub results_after_action: u32,
    /// Overextended when A − S > this.
    pub overextended_gap: f64,
    /// Starved when S − A > this with TR ≥ `starved_track_record`.
    pub starved_gap: f64,
    pub starved_track_record: f64,
    /// Stale when no check-in for more than this many cadences.
    pub stale_cadences: f64,
    /// Shield when a leader answered for less than this share of delegated bad/mixed outcomes.
    pub shield_share: f64,
    /// "Leader without results" from this granted autonomy up.
    pub leader_without_results_autonomy: f64,
    /// Leadership ratio below this is flagged.
    pub leadership_ratio_min: f64,
    /// Profiles need at least this many due commitments or reviewed decisions.
    pub profile_min_evidence: u32,
    /// Profiles: mean attainment from which results count as met …
    pub profile_met: f64,
    /// … and below which they count as missed.
    pub profile_missed: f64,
    /// Profiles: share of good outcomes from which decisions count as good.
    pub profile_good_decisions: f64,
    /// Profiles: speed from which check-ins count as frequent activity.
    pub profile_busy_speed: f64,
    /// Profiles: "busy but ineffective" needs at least this many due commitments.
    pub profile_min_due: u32,
    /// Profiles: decisions are judged good or not from this many reviewed outcomes.
    pub profile_min_decisions: u32,
    /// Profiles: a trusted operator's rigor is at least this …
    pub profile_trusted_rigor: f64,
    /// … and, if decisions were judged, at least this share of them turned out good.
    pub profile_trusted_good_decisions: f64,
    /// Days from a decision to its review, when the decision is logged.
    pub decision_review_days: u32,
    /// A commitment is on its path within this much attainment of the straight line.
    pub path_tolerance: f64,
}

impl Default for Policy {
    fn default() -> Self {
        let s = |v: &str| v.to_owned();
        Policy {
            rung_labels: [s("Task"), s("Feature"), s("System"), s("Product"), s("Strategy")],
            level_labels: [s("Tell"), s("Sell"), s("Consult"), s("Agree"), s("Advise"), s("Inquire"), s("Delegate")],
            attainment_cap: 1.2,
            grace_days: 14,
            half_life_days: 180.0,
            prior: 0.5,
            prior_strength: 2.0,
            rigor_window_days: 182,
            speed_target_days: 7.0,
            rigor_weights: RigorWeights::default(),
            consequence_window_days: 30,
            expand_min_track_record: 0.75,
            expand_margin: 10.0,
            contract_gap: 15.0,
            contract_track_record: 0.40,
            results_after_action: 1,
            overextended_gap: 15.0,
            starved_gap: 15.0,
            starved_track_record: 0.75,
            stale_cadences: 2.0,
            shield_share: 0.5,
            leader_without_results_autonomy: 50.0,
            leadership_ratio_min: 1.0,
            profile_min_evidence: 3,
            profile_met: 0.8,
            profile_missed: 0.5,
            profile_good_decisions: 0.67,
            profile_busy_speed: 0.75,
            profile_min_due: 2,
            profile_min_decisions: 2,
            profile_trusted_rigor: 0.5,
            profile_trusted_good_decisions: 0.5,
            decision_review_days: 90,
            path_tolerance: 0.1,
        }
    }
}

/// Where a unit's gap A − S falls against the policy's margins ([`Policy::gap_band`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapBand {
    /// More autonomy granted than the evidence supports, beyond the overextended margin.
    Overextended,
    /// Within the margins.
    Balanced,
    /// More supported than granted, beyond the starved margin: room to grant more.
    Headroom,
}

impl GapBand {
    /// The band of a gap A − S between an overextended and a starved margin.
    pub fn of(gap: f64, overextended: f64, starved: f64) -> GapBand {
        if gap > overextended {
            GapBand::Overextended
        } else if -gap > starved {
            GapBand::Headroom
        } else {
            GapBand::Balanced
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GapBand::Overextended => "overextended",
            GapBand::Balanced => "balanced",
            GapBand::Headroom => "headroom",
        }
    }
}

impl Policy {
    /// The longest grace after a due date, in days.
    pub const MAX_GRACE_DAYS: u32 = 365;
    /// The longest look-back, consequence or review window, in days (ten years).
    pub const MAX_WINDOW_DAYS: u32 = 3650;
    /// The largest evidence count a profile may ask for.
    pub const MAX_COUNT: u32 = 1000;
    /// The longest label of a rung or level, in characters.
    pub const MAX_LABEL_CHARS: usize = 40;

    pub fn rung_label(&self, rung: u8) -> &str {
        self.rung_labels.get(usize::from(rung.saturating_sub(1))).map(String::as_str).unwrap_or("?")
    }
    pub fn level_label(&self, level: u8) -> &str {
        self.level_labels.get(usize::from(level.saturating_sub(1))).map(String::as_str).unwrap_or("?")
    }

    /// Where a gap A − S falls, for the scoreboard's colours: above the overextended
    /// margin, below minus the starved margin, or in between.
    pub fn gap_band(&self, gap: f64) -> GapBand {
        GapBand::of(gap, self.overextended_gap, self.starved_gap)
    }

    /// A gap A − S as text, rounded so that it reads on the same side of every margin the
    /// flags and the recommendation compare it with: 15.4 next to an Overextended flag
    /// (A − S > 15) reads "+15.4", not "+15"; a gap clear of every margin stays whole.
    pub fn gap_text(&self, gap: f64) -> String {
        let text = signed_against(gap, &self.gap_margins());
        // "+0" and "-0" for a gap under half a point: no side to read.
        if text.parse::<f64>() == Ok(0.0) {
            return "0".into();
        }
        text
    }

    /// The gap A − S as text beside A and S shown as whole numbers: the difference of the
    /// numbers shown (A 76 and S 83 read a gap of -7, where the gap itself, 75.6 − 83.4,
    /// rounds to -8), unless that difference lies on the other side of a margin the flags
    /// compare the gap with; then the gap itself, with a decimal or more (as many as keep
    /// it on its side).
    pub fn gap_between(&self, autonomy: f64, supported: f64) -> String {
        gap_between(autonomy, supported, &self.gap_margins())
    }

    /// How many points A and S are apart, as the gap beside them reads without its sign
    /// ([`Policy::gap_between`]): a flag's or a recommendation's "67 points less" is the
    /// gap of -67 shown beside it.
    pub fn points_between(&self, autonomy: f64, supported: f64) -> String {
        self.gap_between(autonomy, supported).trim_start_matches(['+', '-']).to_owned()
    }

    /// The margins a gap is compared with: overextended, contract, starved, expand.
    fn gap_margins(&self) -> [f64; 4] {
        gap_margins(self.overextended_gap, self.contract_gap, self.starved_gap, self.expand_margin)
    }

    /// Brings the whole numbers and labels into the limits the Settings page accepts. A
    /// value stored before these limits existed (an imported policy was not held to
    /// them) is opened clamped instead of being refused: stored data stays reachable.
    pub fn clamp_to_limits(&mut self) {
        self.grace_days = self.grace_days.min(Self::MAX_GRACE_DAYS);
        self.rigor_window_days = self.rigor_window_days.clamp(1, Self::MAX_WINDOW_DAYS);
        self.consequence_window_days = self.consequence_window_days.min(Self::MAX_WINDOW_DAYS);
        for n in [&mut self.profile_min_evidence, &mut self.profile_min_due, &mut self.profile_min_decisions] {
            *n = (*n).clamp(1, Self::MAX_COUNT);
        }
        self.decision_review_days = self.decision_review_days.clamp(1, Self::MAX_WINDOW_DAYS);
        for label in self.rung_labels.iter_mut().chain(self.level_labels.iter_mut()) {
            if label.trim().chars().count() > Self::MAX_LABEL_CHARS {
                *label = label.trim().chars().take(Self::MAX_LABEL_CHARS).collect::<String>().trim_end().to_owned();
            }
        }
    }

    /// Every number finite and in a range where the model means something, and every
    /// whole number and label within what the Settings page accepts.
    pub fn validate(&self) -> Result<(), ModelError> {
        let days = |field: &'static str, v: u32, min: u32, max: u32| -> Result<(), ModelError> {
            if (min..=max).contains(&v) {
                Ok(())
            } else {
                Err(ModelError::OutOfRange { field, min: i64::from(min), max: i64::from(max), value: i64::from(v) })
            }
        };
        days("policy grace days", self.grace_days, 0, Self::MAX_GRACE_DAYS)?;
        days("policy rigor window", self.rigor_window_days, 1, Self::MAX_WINDOW_DAYS)?;
        days("policy consequence window", self.consequence_window_days, 0, Self::MAX_WINDOW_DAYS)?;
        days("policy profile evidence", self.profile_min_evidence, 1, Self::MAX_COUNT)?;
        days("policy profile due commitments", self.profile_min_due, 1, Self::MAX_COUNT)?;
        days("policy profile decisions", self.profile_min_decisions, 1, Self::MAX_COUNT)?;
        days("policy decision review days", self.decision_review_days, 1, Self::MAX_WINDOW_DAYS)?;
        let unit = |field: &'static str, v: f64| -> Result<(), ModelError> {
            if v.is_finite() && (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(ModelError::Policy { field, problem: "must be between 0 and 1" })
            }
        };
        let points = |field: &'static str, v: f64| -> Result<(), ModelError> {
            if v.is_finite() && (0.0..=100.0).contains(&v) {
                Ok(())
            } else {
                Err(ModelError::Policy { field, problem: "must be between 0 and 100" })
            }
        };
        let positive = |field: &'static str, v: f64| -> Result<(), ModelError> {
            if v.is_finite() && v > 0.0 && v <= 100_000.0 {
                Ok(())
            } else {
                Err(ModelError::Policy { field, problem: "must be a positive number" })
            }
        };
        if !(self.attainment_cap.is_finite() && (1.0..=10.0).contains(&self.attainment_cap)) {
            return Err(ModelError::Policy { field: "attainment cap", problem: "must be between 1 and 10" });
        }
        positive("half-life", self.half_life_days)?;
        unit("prior", self.prior)?;
        if !(self.prior_strength.is_finite() && (0.0..=1000.0).contains(&self.prior_strength)) {
            return Err(ModelError::Policy { field: "prior strength", problem: "must be between 0 and 1000" });
        }
        positive("speed target", self.speed_target_days)?;
        let w = self.rigor_weights.as_array();
        if w.iter().any(|x| !x.is_finite() || *x < 0.0) || w.iter().sum::<f64>() <= 0.0 {
            return Err(ModelError::Policy { field: "rigor weights", problem: "must be non-negative and not all zero" });
        }
        unit("expand track record", self.expand_min_track_record)?;
        points("expand margin", self.expand_margin)?;
        points("contract gap", self.contract_gap)?;
        unit("contract track record", self.contract_track_record)?;
        if self.results_after_action > 100 {
            return Err(ModelError::Policy { field: "results after an action", problem: "must be between 0 and 100" });
        }
        points("overextended gap", self.overextended_gap)?;
        points("starved gap", self.starved_gap)?;
        unit("starved track record", self.starved_track_record)?;
        positive("stale cadences", self.stale_cadences)?;
        unit("shield share", self.shield_share)?;
        points("leader without results autonomy", self.leader_without_results_autonomy)?;
        positive("leadership ratio", self.leadership_ratio_min)?;
        unit("profile met", self.profile_met)?;
        unit("profile missed", self.profile_missed)?;
        unit("profile good decisions", self.profile_good_decisions)?;
        unit("profile busy speed", self.profile_busy_speed)?;
        unit("profile trusted rigor", self.profile_trusted_rigor)?;
        unit("profile trusted good decisions", self.profile_trusted_good_decisions)?;
        unit("path tolerance", self.path_tolerance)?;
        if self.rung_labels.iter().chain(self.level_labels.iter()).any(|l| l.trim().is_empty()) {
            return Err(ModelError::Policy { field: "scale labels", problem: "must not be empty" });
        }
        if self.rung_labels.iter().chain(self.level_labels.iter()).any(|l| l.trim().chars().count() > Self::MAX_LABEL_CHARS) {
            return Err(ModelError::Policy { field: "scale labels", problem: "must be at most 40 characters" });
        }
        Ok(())
    }
}

/// The margins a gap A − S is compared with, as signed gaps: above the overextended and
/// contract margins, below the starved and expand ones.
pub fn gap_margins(overextended: f64, contract: f64, starved: f64, expand: f64) -> [f64; 4] {
    [overextended, contract, -starved, -expand]
}

/// The gap A − S written beside A and S shown whole, compared with `margins`: the
/// difference of the two numbers shown where it sits on the same side of every margin as
/// the gap itself, else the gap with the decimals that keep it there. See
/// [`Policy::gap_between`]; the org map, which knows only its regions' margins, says the
/// same.
pub fn gap_between(autonomy: f64, supported: f64, margins: &[f64]) -> String {
    let gap = autonomy - supported;
    let whole = |x: f64| format!("{x:.0}").parse::<f64>().unwrap_or(x);
    let difference = whole(autonomy) - whole(supported);
    let side = |v: f64, t: f64| v.partial_cmp(&t);
    if margins.iter().all(|&t| side(difference, t) == side(gap, t)) {
        return if difference == 0.0 { "0".into() } else { format!("{difference:+.0}") };
    }
    // With a decimal at least: a whole number here would read as the difference.
    rounded_against(gap, 1, margins, true)
}

/// `value` with a sign and the fewest decimals (up to three) at which the rounded number
/// sits on the same side of each threshold as the value itself (or on it when the value
/// is on it).
pub fn signed_against(value: f64, thresholds: &[f64]) -> String {
    rounded_against(value, 0, thresholds, true)
}

/// `value` with at least `min_decimals` decimals, more (up to four) where fewer would put
/// the rounded number on the other side of a threshold it is compared with: a track
/// record of 0.3996 against 0.40 reads "0.3996 is below 0.40", not "0.40 is below 0.40".
pub fn against(value: f64, min_decimals: usize, thresholds: &[f64]) -> String {
    rounded_against(value, min_decimals, thresholds, false)
}

fn rounded_against(value: f64, min_decimals: usize, thresholds: &[f64], signed: bool) -> String {
    let side = |v: f64, t: f64| v.partial_cmp(&t).unwrap_or(std::cmp::Ordering::Equal);
    let text = |decimals: usize| if signed { format!("{value:+.decimals$}") } else { format!("{value:.decimals$}") };
    let most = min_decimals.max(3) + usize::from(min_decimals >= 2);
    for decimals in min_decimals..=most {
        let shown = text(decimals);
        let rounded: f64 = shown.parse().unwrap_or(value);
        if thresholds.iter().all(|&t| side(rounded, t) == side(value, t)) {
            return shown;
        }
    }
    // Still on a threshold after rounding (0.39997 against 0.40): cut the digits toward
    // the value's side instead of rounding, "0.3999" or "0.4001".
    let scale = 10f64.powi(most as i32);
    for cut in [(value * scale).floor() / scale, (value * scale).ceil() / scale] {
        if thresholds.iter().all(|&t| side(cut, t) == side(value, t)) {
            return if signed { format!("{cut:+.most$}") } else { format!("{cut:.most$}") };
        }
    }
    text(most)
}
