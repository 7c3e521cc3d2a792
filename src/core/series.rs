//! Weekly series for the trend charts and the org-map points, from the same scorer.

use serde::{Deserialize, Serialize};
use time::Date;

use super::model::{UnitId, UnitKind, Verdict, Workspace};
use super::policy::{GapBand, Policy};
use super::score::{add_days, days_between, FlagKind, Scorer, Scores};

/// One week of a unit's history.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SeriesPoint {
    #[serde(with = "crate::core::dates::iso")]
    pub date: Date,
    /// Granted autonomy, 0..=100.
    pub autonomy: f64,
    /// Supported autonomy, 0..=100.
    pub supported: f64,
    /// Track record, 0..=1.
    pub track_record: f64,
    /// Rigor, 0..=1.
    pub rigor: f64,
    /// No commitment of the unit was due yet: `track_record` is the policy's prior, not
    /// a delivered result, and charts draw it apart ("no results yet").
    pub no_results: bool,
}

/// Week-end dates from `from` to `to` inclusive, ending exactly on `to`.
pub fn weeks(from: Date, to: Date) -> Vec<Date> {
    if from > to {
        return vec![to];
    }
    let n = days_between(from, to) / 7;
    (0..=n).rev().map(|k| add_days(to, -7 * k)).collect()
}

/// A unit's weekly series between two dates.
pub fn unit_series(ws: &Workspace, policy: &Policy, unit: UnitId, from: Date, to: Date) -> Vec<SeriesPoint> {
    let scorer = Scorer::new(ws, policy);
    weeks(from, to)
        .into_iter()
        .filter_map(|date| {
            scorer.unit_by_id(unit, date).map(|s| SeriesPoint { date, autonomy: s.autonomy, supported: s.supported, track_record: s.track_record, rigor: s.rigor.value, no_results: s.no_results() })
        })
        .collect()
}

/// A unit on the org map: x = supported autonomy S, y = granted autonomy A.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapPoint {
    pub unit: UnitId,
    pub name: String,
    pub kind: UnitKind,
    pub leader: bool,
    pub x: f64,
    pub y: f64,
    pub verdict: Verdict,
    pub evidence: u32,
    /// The point lies in the starved region, but the Starved flag is withheld: why (the
    /// track record is below the policy's threshold). The map draws such a point hollow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<String>,
}

/// The org map's regions: the same margins the Overextended and Starved flags use.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MapRegions {
    /// Overextended when A − S is more than this.
    pub overextended_gap: f64,
    /// Starved when S − A is more than this …
    pub starved_gap: f64,
    /// … and the track record is at least this.
    pub starved_track_record: f64,
    /// The recommendations' margins (contract above, expand below), which a point's gap
    /// is written against, as the scoreboard writes it ([`Policy::gap_between`]).
    #[serde(default = "default_contract_gap")]
    pub contract_gap: f64,
    #[serde(default = "default_expand_margin")]
    pub expand_margin: f64,
}

fn default_contract_gap() -> f64 {
    Policy::default().contract_gap
}

fn default_expand_margin() -> f64 {
    Policy::default().expand_margin
}

impl MapRegions {
    pub fn from_policy(p: &Policy) -> MapRegions {
        MapRegions { overextended_gap: p.overextended_gap, starved_gap: p.starved_gap, starved_track_record: p.starved_track_record, contract_gap: p.contract_gap, expand_margin: p.expand_margin }
    }

    /// The gap A − S of a point at x = S, y = A as the scoreboard and the flags write it.
    pub fn gap_text(&self, x: f64, y: f64) -> String {
        super::policy::gap_between(y, x, &super::policy::gap_margins(self.overextended_gap, self.contract_gap, self.starved_gap, self.expand_margin))
    }

    /// The region a point at x = S, y = A lies in, by the flags' comparisons.
    pub fn region(&self, x: f64, y: f64) -> GapBand {
        GapBand::of(y - x, self.overextended_gap, self.starved_gap)
    }
}

impl Default for MapRegions {
    fn default() -> Self {
        MapRegions::from_policy(&Policy::default())
    }
}

/// The org-map points of a scoring run (scored with the workspace's policy).
pub fn map_points(ws: &Workspace, scores: &Scores) -> Vec<MapPoint> {
    let p = &ws.policy;
    let regions = MapRegions::from_policy(p);
    scores
        .units
        .iter()
        .filter_map(|s| {
            let u = ws.unit(s.unit)?;
            let withheld = (regions.region(s.supported, s.autonomy) == GapBand::Headroom && !s.has_flag(FlagKind::Starved)).then(|| {
                format!(
                    "in the starved region but not flagged Starved: track record {} is below {:.2}, so a wider grant is not yet earned",
                    super::policy::against(s.track_record, 2, &[p.starved_track_record]),
                    p.starved_track_record
                )
            });
            Some(MapPoint {
                unit: s.unit,
                name: u.name.to_string(),
                kind: u.kind,
                leader: s.is_leader(),
                x: s.supported,
                y: s.autonomy,
                verdict: s.recommendation.verdict,
                evidence: s.evidence,
                withheld,
            })
        })
        .collect()
}
