//! A deterministic synthetic workspace of any size, for benchmarks, demos and tests:
//! the same seed and spec give the same workspace on every machine.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use time::macros::date;
use time::Date;

use super::model::*;
use super::score::add_days;

/// The size and shape of a generated workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct GenSpec {
    pub units: u32,
    pub years: u32,
    /// Days between check-ins of a diligent unit (units that check in rarely use more).
    pub cadence_days: u16,
    pub commitments_per_unit: u32,
    pub decisions_per_unit: u32,
    pub start: Date,
}

impl GenSpec {
    /// 300 units, 1,200 commitments, 3 years of weekly check-ins (~187,000), 3,000 decisions.
    pub fn large_org() -> GenSpec {
        GenSpec { units: 300, years: 3, cadence_days: 7, commitments_per_unit: 4, decisions_per_unit: 10, start: date!(2023 - 01 - 02) }
    }
    /// The large org scaled by `factor` in units (0.1× → 30 units, 10× → 3,000 units).
    pub fn scaled(factor: f64) -> GenSpec {
        let mut s = GenSpec::large_org();
        s.units = ((f64::from(s.units) * factor).round() as u32).max(1);
        s
    }
    /// A small org for tests and quick demos.
    pub fn small() -> GenSpec {
        GenSpec { units: 12, years: 1, cadence_days: 7, commitments_per_unit: 3, decisions_per_unit: 4, start: date!(2025 - 01 - 06) }
    }
    /// The last day of the generated history.
    pub fn end(&self) -> Date {
        add_days(self.start, i64::from(self.years) * 364)
    }
}

/// How a generated unit behaves: the mix the essay describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Archetype {
    Trusted,
    Supercar,
    QuietDeliverer,
    BrilliantIdle,
    BusyIneffective,
    SelfServing,
    Improving,
    Declining,
}

const ARCHETYPES: [Archetype; 8] =
    [Archetype::Trusted, Archetype::Supercar, Archetype::QuietDeliverer, Archetype::BrilliantIdle, Archetype::BusyIneffective, Archetype::SelfServing, Archetype::Improving, Archetype::Declining];

const AREAS: [&str; 8] = ["Architecture", "Hiring", "Budget", "Release", "Pricing", "Roadmap", "Vendors", "Process"];
const TEAMS: [&str; 16] =
    ["Payments", "Search", "Checkout", "Platform", "Mobile", "Growth", "Data", "Identity", "Billing", "Support tools", "Onboarding", "Reliability", "Catalog", "Partners", "Security", "Insights"];
const PEOPLE: [&str; 20] = ["Ana", "Bo", "Chen", "Dara", "Eli", "Farah", "Gus", "Hana", "Ivo", "Jun", "Kemi", "Lars", "Mei", "Nils", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tomas"];
const RESULTS: [(&str, Category, &str, f64, f64); 8] = [
    ("Weekly active customers", Category::CustomerValue, "k", 40.0, 55.0),
    ("Net revenue retention", Category::Revenue, "%", 98.0, 108.0),
    ("p95 latency", Category::SystemPerformance, "ms", 420.0, 250.0),
    ("Customer satisfaction", Category::CustomerValue, "CSAT", 72.0, 85.0),
    ("New annual revenue", Category::Revenue, "k€", 0.0, 600.0),
    ("Availability", Category::SystemPerformance, "%", 99.5, 99.95),
    ("Tickets closed", Category::Activity, "count", 0.0, 400.0),
    ("Releases shipped", Category::Activity, "count", 0.0, 24.0),
];

/// Generates a workspace from a seed and a spec.
pub fn generate(seed: u64, spec: &GenSpec) -> Workspace {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut ws = Workspace::new(Name::new(format!("Synthetic org ({} units, seed {seed})", spec.units)).expect("fixed name is valid"));
    for (i, a) in AREAS.iter().enumerate() {
        ws.areas.push(DecisionArea { id: AreaId(i as u32 + 1), name: Name::new(*a).expect("fixed name is valid") });
    }
    let end = spec.end();
    let span = i64::from(spec.years) * 364;

    // A tree: one head, then every unit reports to an earlier one, about six per leader.
    let mut archetypes = Vec::with_capacity(spec.units as usize);
    for i in 0..spec.units {
        let id = UnitId(i + 1);
        let parent = if i == 0 { None } else { Some(UnitId((i - 1) / 6 + 1)) };
        let team = i == 0 || (i - 1) / 6 + 1 <= spec.units / 6;
        let name = if team { format!("{} {}", TEAMS[i as usize % TEAMS.len()], i / TEAMS.len() as u32 + 1) } else { format!("{} {}", PEOPLE[i as usize % PEOPLE.len()], i) };
        let kind = if team { UnitKind::Team } else { UnitKind::Person };
        let role = if parent.is_none() {
            "Head of organisation"
        } else if team {
            "Team lead"
        } else {
            "Engineer"
        };
        ws.units.push(Unit { id, name: Name::new(name).expect("generated name is valid"), kind, parent, role: role.to_owned() });
        archetypes.push(ARCHETYPES[rng.random_range(0..ARCHETYPES.len())]);
    }

    for (ui, arch) in archetypes.iter().copied().enumerate() {
        let unit = ws.units[ui].clone();
        let leader = unit.parent;
        // Grants: two to four areas, rung and level shaped by the archetype, revisited yearly.
        let n_areas = rng.random_range(2..=4usize);
        let first_area = rng.random_range(0..AREAS.len());
        for k in 0..n_areas {
            let area = AreaId(((first_area + k) % AREAS.len()) as u32 + 1);
            let (rung, level) = match arch {
                Archetype::Supercar | Archetype::BrilliantIdle | Archetype::Declining => (rng.random_range(3..=5), rng.random_range(5..=7)),
                Archetype::QuietDeliverer | Archetype::Improving => (rng.random_range(1..=2), rng.random_range(1..=3)),
                _ => (rng.random_range(2..=4), rng.random_range(3..=6)),
            };
            let mut date = spec.start;
            let mut rung: u8 = rung;
            let mut level: u8 = level;
            while date <= end {
                ws.grants.push(Grant {
                    unit: unit.id,
                    area,
                    date,
                    rung: Rung::new(rung).expect("in range"),
                    level: Level::new(level).expect("in range"),
                    granted_by: leader,
                    reason: "Yearly autonomy review".to_owned(),
                });
                date = add_days(date, 364 + rng.random_range(0..21));
                match arch {
                    Archetype::Improving | Archetype::Trusted => {
                        rung = (rung + 1).min(5);
                        level = (level + 1).min(7);
                    }
                    Archetype::Declining | Archetype::BusyIneffective => {
                        level = level.saturating_sub(1).max(1);
                    }
                    _ => {}
                }
            }
        }

        // Commitments: all start at the beginning, due dates staggered over the span;
        // their measure keeps being reported weekly, as real KPIs are.
        for k in 0..spec.commitments_per_unit {
            let (title, mut category, measure, baseline, target) = RESULTS[rng.random_range(0..RESULTS.len())];
            if arch == Archetype::SelfServing {
                category = if k % 2 == 0 { Category::Activity } else { Category::CustomerValue };
            }
            // Due dates fall in the later part of the span, so that several are due (and
            // recent) by its end and track records have something to rest on.
            let due = add_days(spec.start, span * 2 / 5 + span * 3 / 5 * i64::from(k + 1) / i64::from(spec.commitments_per_unit.max(1)));
            let sparse = matches!(arch, Archetype::Supercar);
            let cadence = if sparse { 91 } else { spec.cadence_days };
            let vague = rng.random_bool(0.08) || (sparse && rng.random_bool(0.5));
            let direction = if target < baseline { Direction::Lower } else { Direction::Higher };
            let id = CommitmentId(ws.commitments.len() as u32 + 1);
            let mut checkins = Vec::new();
            let mut day = add_days(spec.start, i64::from(cadence));
            let reviewer = leader.filter(|l| *l != unit.id);
            while day <= end {
                let t = days_between_f(spec.start, day) / days_between_f(spec.start, due).max(1.0);
                let skill = match arch {
                    Archetype::Trusted | Archetype::QuietDeliverer => 1.05,
                    Archetype::Supercar => 0.7,
                    Archetype::BrilliantIdle | Archetype::BusyIneffective => 0.3,
                    Archetype::SelfServing => {
                        if category == Category::Activity {
                            1.1
                        } else {
                            0.2
                        }
                    }
                    Archetype::Improving => 0.3 + 0.9 * days_between_f(spec.start, day) / span as f64,
                    Archetype::Declining => 1.1 - 0.9 * days_between_f(spec.start, day) / span as f64,
                };
                let progress = (t.min(1.0) * skill + rng.random_range(-0.05..0.05)).max(0.0);
                let value = baseline + (target - baseline) * progress;
                let evidence = if rng.random_bool(if sparse { 0.2 } else { 0.8 }) { format!("https://dash.example/{}/{}", id.0, checkins.len()) } else { String::new() };
                checkins.push(CheckIn {
                    date: day,
                    value: Finite::new((value * 100.0).round() / 100.0, "value").expect("finite"),
                    confidence: Some(Confidence::from_progress(progress, t)),
                    note: String::new(),
                    evidence,
                    recorded_by: None,
                });
                day = add_days(day, i64::from(cadence));
            }
            ws.commitments.push(
                Commitment::new(
                    id,
                    CommitmentFields {
                        owner: unit.id,
                        title: Name::new(title).expect("fixed name is valid"),
                        category,
                        measure: measure.to_owned(),
                        direction,
                        baseline: if vague { None } else { Some(Finite::new(baseline, "baseline").expect("finite")) },
                        target: Some(Finite::new(target, "target").expect("finite")),
                        start: spec.start,
                        due: Some(due),
                        cadence_days: Some(cadence),
                        weight: Weight::new(if k == 0 { 3.0 } else { 2.0 }).expect("valid weight"),
                        visibility: if sparse || rng.random_bool(0.1) { Visibility::Private } else { Visibility::Public },
                        reviewer,
                    },
                )
                .with_checkins(CheckInLog::from_vec(checkins).expect("one check-in per day")),
            );
            // Most due commitments lead to a review of the unit within a month.
            if due <= end && (arch != Archetype::Supercar) && rng.random_bool(0.9) {
                let verdict = match arch {
                    Archetype::Trusted | Archetype::QuietDeliverer | Archetype::Improving => Verdict::Expand,
                    Archetype::BusyIneffective | Archetype::Declining => Verdict::Contract,
                    _ => Verdict::Hold,
                };
                ws.reviews.push(Review { unit: unit.id, date: add_days(due, rng.random_range(1..25)), reviewer: leader, verdict, note: String::new() });
            }
        }

        // Decisions with outcomes; leaders who shield rarely answer for their reports' outcomes.
        for k in 0..spec.decisions_per_unit {
            let day = add_days(spec.start, rng.random_range(0..span.max(1)));
            let review = add_days(day, 90);
            let good_p = match arch {
                Archetype::BrilliantIdle | Archetype::Trusted | Archetype::QuietDeliverer => 0.85,
                Archetype::BusyIneffective | Archetype::Supercar => 0.3,
                _ => 0.55,
            };
            let roll: f64 = rng.random();
            let outcome = if review > end {
                None
            } else if roll < good_p {
                Some(Outcome::Good)
            } else if roll < good_p + (1.0 - good_p) / 2.0 {
                Some(Outcome::Mixed)
            } else {
                Some(Outcome::Bad)
            };
            let mut accountable = vec![unit.id];
            if let (Some(l), Some(_)) = (leader, outcome) {
                let leader_accepts = archetypes.get(l.0 as usize - 1).is_some_and(|la| !matches!(la, Archetype::Supercar | Archetype::SelfServing));
                if leader_accepts && rng.random_bool(0.8) {
                    accountable.push(l);
                }
            }
            let area = ws.grants.iter().rev().find(|g| g.unit == unit.id).map(|g| g.area).unwrap_or(AreaId(1));
            let id = DecisionId(ws.decisions.len() as u32 + 1);
            ws.decisions.push(Decision {
                id,
                unit: unit.id,
                area,
                date: day,
                title: Name::new(format!("Decision {} of {}", k + 1, unit.name)).unwrap_or_else(|_| Name::new("Decision").expect("fixed name is valid")),
                expected: String::new(),
                review_date: Some(review),
                outcome,
                accountable: if outcome.is_some() { accountable } else { Vec::new() },
            });
        }

        // Felt autonomy, monthly, for a third of the units.
        if ui % 3 == 0 {
            let mut day = spec.start;
            while day <= end {
                let felt = match arch {
                    Archetype::Supercar | Archetype::BrilliantIdle => rng.random_range(4.0..5.0),
                    Archetype::QuietDeliverer => rng.random_range(1.5..3.0),
                    _ => rng.random_range(2.5..4.5),
                };
                ws.pulses.push(Pulse { unit: unit.id, date: day, score: PulseScore::new((felt * 10.0f64).round() / 10.0).expect("in range") });
                day = add_days(day, 28);
            }
        }
    }
    ws.normalize();
    ws
}

fn days_between_f(a: Date, b: Date) -> f64 {
    super::score::days_between(a, b) as f64
}
