//! The built-in sample organisation: a plausible company with a year of history ending
//! on a given date, in which every situation of the essay appears at least once, so a
//! first visit teaches the idea. Pure: the caller passes the end date.

use time::Date;

use super::model::*;
use super::score::add_days;

/// Builds the sample with records up to `end` (usually the current week).
pub fn sample_org(end: Date) -> Workspace {
    let mut s = Sample::new(end);
    s.build();
    s.ws.normalize();
    s.ws
}

struct Sample {
    ws: Workspace,
    start: Date,
}

const ARCH: usize = 0;
const HIRING: usize = 1;
const BUDGET: usize = 2;
const RELEASE: usize = 3;
const PRICING: usize = 4;
const ROADMAP: usize = 5;

impl Sample {
    fn new(end: Date) -> Sample {
        let mut ws = Workspace::new(Name::new("Sample: Northwind Analytics").expect("fixed name"));
        for (i, a) in ["Architecture", "Hiring", "Budget", "Release", "Pricing", "Roadmap"].iter().enumerate() {
            ws.areas.push(DecisionArea { id: AreaId(i as u32 + 1), name: Name::new(*a).expect("fixed name") });
        }
        Sample { ws, start: add_days(end, -364) }
    }

    /// Day `n` of the sample year.
    fn day(&self, n: i64) -> Date {
        add_days(self.start, n)
    }

    fn unit(&mut self, name: &str, kind: UnitKind, parent: Option<UnitId>, role: &str) -> UnitId {
        self.ws.add_unit(Name::new(name).expect("fixed name"), kind, parent, role.to_owned()).expect("parent exists")
    }

    fn grant(&mut self, unit: UnitId, area: usize, day: i64, rung: u8, level: u8, reason: &str) {
        let by = self.ws.unit(unit).and_then(|u| u.parent);
        let date = self.day(day);
        self.ws.grants.push(Grant {
            unit,
            area: AreaId(area as u32 + 1),
            date,
            rung: Rung::new(rung).expect("in range"),
            level: Level::new(level).expect("in range"),
            granted_by: by,
            reason: reason.to_owned(),
        });
    }

    /// A commitment from day `from` to day `to`, with check-ins every `every` days that
    /// progress linearly to `reach` of the way from baseline to target.
    #[allow(clippy::too_many_arguments)]
    fn commit(
        &mut self,
        owner: UnitId,
        title: &str,
        category: Category,
        measure: &str,
        baseline: f64,
        target: f64,
        from: i64,
        to: i64,
        every: i64,
        reach: f64,
        evidence: bool,
        public: bool,
    ) -> CommitmentId {
        let id = self.ws.next_commitment_id();
        let reviewer = self.ws.unit(owner).and_then(|u| u.parent);
        let (start, due) = (self.day(from), self.day(to));
        let mut checkins = Vec::new();
        let mut d = from + every;
        let mut k = 0;
        let last = to.min(364);
        while d <= last {
            let t = (d - from) as f64 / (to - from).max(1) as f64;
            // A little week-to-week wobble, deterministic.
            let wobble = [0.0, 0.02, -0.015, 0.01, -0.02][k % 5];
            let progress = (reach * t + wobble * reach).max(0.0);
            let value = baseline + (target - baseline) * progress;
            checkins.push(CheckIn {
                date: self.day(d),
                value: Finite::new((value * 100.0).round() / 100.0, "value").expect("finite"),
                confidence: Some(Confidence::from_progress(progress, t)),
                note: String::new(),
                evidence: if evidence && k % 6 != 5 { "Dashboard link".to_owned() } else { String::new() },
                recorded_by: None,
            });
            d += every;
            k += 1;
        }
        self.ws.commitments.push(
            Commitment::new(
                id,
                CommitmentFields {
                    owner,
                    title: Name::new(title).expect("fixed name"),
                    category,
                    measure: measure.to_owned(),
                    direction: if target < baseline { Direction::Lower } else { Direction::Higher },
                    baseline: Some(Finite::new(baseline, "baseline").expect("finite")),
                    target: Some(Finite::new(target, "target").expect("finite")),
                    start,
                    due: Some(due),
                    cadence_days: Some(every as u16),
                    weight: Weight::default(),
                    visibility: if public { Visibility::Public } else { Visibility::Private },
                    reviewer,
                },
            )
            .with_checkins(CheckInLog::from_vec(checkins).expect("one check-in per day")),
        );
        id
    }

    /// Four quarterly commitments, each followed by a review two weeks after its due date.
    #[allow(clippy::too_many_arguments)]
    fn quarters(&mut self, owner: UnitId, title: &str, category: Category, measure: &str, baseline: f64, target: f64, reach: [f64; 4], every: i64, evidence: bool, public: bool, reviewed: bool) {
        for (q, r) in reach.iter().enumerate() {
            let from = 91 * q as i64;
            let to = from + 84;
            self.commit(owner, &format!("{title} (Q{})", q + 1), category, measure, baseline, target, from, to, every, *r, evidence, public);
            if reviewed && to + 10 <= 364 {
                self.review(owner, to + 10, Verdict::Hold, "Quarterly results review");
            }
        }
    }

    fn review(&mut self, unit: UnitId, day: i64, verdict: Verdict, note: &str) {
        let reviewer = self.ws.unit(unit).and_then(|u| u.parent);
        let date = self.day(day);
        self.ws.reviews.push(Review { unit, date, reviewer, verdict, note: note.to_owned() });
    }

    fn decide(&mut self, unit: UnitId, area: usize, day: i64, title: &str, outcome: Option<Outcome>, accountable: &[UnitId]) {
        let id = self.ws.next_decision_id();
        let date = self.day(day);
        self.ws.decisions.push(Decision {
            id,
            unit,
            area: AreaId(area as u32 + 1),
            date,
            title: Name::new(title).expect("fixed name"),
            expected: String::new(),
            review_date: Some(add_days(date, 60)),
            outcome,
            accountable: if outcome.is_some() { accountable.to_vec() } else { Vec::new() },
        });
    }

    fn pulses(&mut self, unit: UnitId, score: f64) {
        for m in 0..12 {
            let wobble = [0.0, 0.1, -0.1, 0.2][m % 4];
            let date = self.day(m as i64 * 30 + 7);
            self.ws.pulses.push(Pulse { unit, date, score: PulseScore::new((score + wobble).clamp(1.0, 5.0)).expect("in range") });
        }
    }

    fn build(&mut self) {
        use Category::*;
        let board = self.unit("Board", UnitKind::Team, None, "Reviews the chief executive");
        let ceo = self.unit("Alex Moreno", UnitKind::Person, Some(board), "Chief executive");
        let product = self.unit("Sam Lee", UnitKind::Person, Some(ceo), "Head of product");
        let cto = self.unit("Jordan Kim", UnitKind::Person, Some(ceo), "Chief technology officer");
        let sales = self.unit("Marco Ricci", UnitKind::Person, Some(ceo), "Sales lead");
        let vpe = self.unit("Rita Osei", UnitKind::Person, Some(cto), "VP engineering");
        let priya = self.unit("Priya Nair", UnitKind::Person, Some(cto), "Staff engineer");
        let growth = self.unit("Growth squad", UnitKind::Team, Some(product), "Experiments");
        let search = self.unit("Search team", UnitKind::Team, Some(product), "Product team");
        let design = self.unit("Design team", UnitKind::Team, Some(product), "Product design");
        let payments = self.unit("Payments team", UnitKind::Team, Some(vpe), "Platform team");
        let billing = self.unit("Billing team", UnitKind::Team, Some(vpe), "Platform team");
        let onboarding = self.unit("Onboarding team", UnitKind::Team, Some(vpe), "Product team");
        let mobile = self.unit("Mobile team", UnitKind::Team, Some(vpe), "Apps");
        let data = self.unit("Data platform", UnitKind::Team, Some(vpe), "Platform team");
        let success = self.unit("Customer success", UnitKind::Team, Some(sales), "Accounts");
        let support = self.unit("Support team", UnitKind::Team, Some(success), "Service desk");

        // The CEO answers for the company's results and for delegated outcomes.
        self.grant(ceo, BUDGET, 0, 5, 6, "Board mandate");
        self.grant(ceo, ROADMAP, 0, 4, 6, "Board mandate");
        self.quarters(ceo, "Annual recurring revenue", Revenue, "M€", 10.0, 11.0, [1.0, 0.95, 1.0, 0.9], 7, true, true, true);

        // Head of product: delegates and accepts accountability for what the teams decide.
        self.grant(product, ROADMAP, 0, 5, 6, "Owns the product roadmap");
        self.grant(product, PRICING, 0, 4, 6, "Pricing within guard rails");
        self.quarters(product, "Net revenue retention", Revenue, "%", 100.0, 106.0, [0.9, 1.0, 0.95, 1.0], 7, true, true, true);

        // The CTO: wide autonomy, no results of their own, rarely answers for outcomes.
        self.grant(cto, ARCH, 0, 5, 7, "Technology strategy");
        self.grant(cto, HIRING, 0, 5, 6, "Engineering hiring");
        self.grant(cto, BUDGET, 0, 4, 6, "Engineering budget");

        // VP engineering: delegates architecture, deflects when it goes wrong.
        self.grant(vpe, ARCH, 0, 4, 6, "Runs engineering");
        self.grant(vpe, RELEASE, 0, 4, 6, "Runs engineering");
        self.quarters(vpe, "Change failure rate", SystemPerformance, "%", 18.0, 10.0, [0.8, 0.9, 0.85, 0.9], 7, true, true, true);

        // Supercar: wide autonomy, measured quarterly, private, no evidence.
        self.grant(growth, PRICING, 0, 4, 7, "Move fast on experiments");
        self.grant(growth, RELEASE, 0, 4, 7, "Move fast on experiments");
        self.grant(growth, ROADMAP, 0, 3, 6, "Move fast on experiments");
        self.commit(growth, "Trial-to-paid conversion", CustomerValue, "%", 4.0, 6.0, 0, 182, 91, 0.8, false, false);
        self.commit(growth, "Trial-to-paid conversion (H2)", CustomerValue, "%", 4.0, 6.0, 182, 360, 91, 0.5, false, false);

        // Self-correction: poor first half, scope contracted, strong second half.
        self.grant(search, ARCH, 0, 3, 5, "Own the search stack");
        self.grant(search, RELEASE, 0, 3, 5, "Own the search stack");
        self.commit(search, "Search success rate (H1)", CustomerValue, "%", 60.0, 75.0, 0, 84, 7, 0.2, true, true);
        self.commit(search, "Query latency p95 (H1)", SystemPerformance, "ms", 900.0, 400.0, 0, 84, 7, 0.3, true, true);
        self.review(search, 95, Verdict::Contract, "Two commitments missed: narrow to feature scope until results recover");
        self.grant(search, ARCH, 95, 2, 3, "Contracted after a missed quarter");
        self.grant(search, RELEASE, 95, 2, 4, "Contracted after a missed quarter");
        for (q, from) in [(2, 98i64), (3, 189), (4, 273)] {
            self.commit(search, &format!("Search success rate (Q{q})"), CustomerValue, "%", 60.0, 75.0, from, from + 77, 7, 1.05, true, true);
            self.commit(search, &format!("Query latency p95 (Q{q})"), SystemPerformance, "ms", 900.0, 400.0, from, from + 77, 7, 1.0, true, true);
            if from + 87 <= 364 {
                self.review(search, from + 87, Verdict::Hold, "Delivered; keep measuring weekly");
            }
        }

        // Felt autonomy high, results poor, only activity measured.
        self.grant(design, ROADMAP, 0, 3, 6, "Design direction");
        self.grant(design, RELEASE, 0, 2, 5, "Design direction");
        self.commit(design, "Design reviews held", Activity, "count", 0.0, 40.0, 0, 350, 14, 0.6, true, true);
        self.pulses(design, 4.6);

        // Trusted operator: wide autonomy matched by results and rigor.
        self.grant(payments, ARCH, 0, 5, 7, "Earned over two years");
        self.grant(payments, RELEASE, 0, 5, 7, "Earned over two years");
        self.quarters(payments, "Payment success rate", SystemPerformance, "%", 97.0, 99.0, [1.0, 1.05, 1.0, 1.1], 7, true, true, true);
        self.quarters(payments, "Checkout conversion", CustomerValue, "%", 31.0, 34.0, [1.0, 0.95, 1.05, 1.0], 7, true, true, false);

        // The quiet deliverer: results every quarter, scope never grows.
        self.grant(billing, RELEASE, 0, 1, 3, "New team");
        self.grant(billing, ARCH, 0, 1, 2, "New team");
        self.quarters(billing, "Invoice accuracy", CustomerValue, "%", 96.0, 99.5, [1.0, 1.05, 1.1, 1.05], 7, true, true, true);
        self.quarters(billing, "Days sales outstanding", Revenue, "days", 45.0, 38.0, [1.0, 1.0, 1.05, 1.1], 7, true, true, false);

        // Busy but ineffective: weekly check-ins, commitments missed.
        self.grant(onboarding, RELEASE, 0, 3, 5, "Own the onboarding flow");
        self.grant(onboarding, ROADMAP, 0, 2, 5, "Own the onboarding flow");
        self.quarters(onboarding, "Activation within 7 days", CustomerValue, "%", 35.0, 50.0, [0.3, 0.25, 0.35, 0.3], 7, true, true, true);

        // Vague commitments: no baseline or target.
        self.grant(mobile, RELEASE, 0, 3, 5, "Own the apps");
        self.quarters(mobile, "App store rating", CustomerValue, "stars", 4.1, 4.5, [0.9, 1.0, 0.9, 1.0], 7, true, true, true);
        let vague = self.commit(mobile, "Improve app quality", Activity, "", 0.0, 1.0, 200, 360, 14, 0.5, false, true);
        if let Some(c) = self.ws.commitment_mut(vague) {
            c.baseline = None;
            c.target = None;
        }

        // Stale: an open commitment not read for weeks.
        self.grant(data, ARCH, 0, 4, 6, "Own the data platform");
        self.grant(data, RELEASE, 0, 4, 6, "Own the data platform");
        self.quarters(data, "Pipeline freshness", SystemPerformance, "min", 60.0, 15.0, [1.0, 0.95, 1.0, 1.0], 7, true, true, true);
        let stale = self.commit(data, "Warehouse cost per query", Revenue, "€", 0.8, 0.5, 250, 450, 7, 0.6, true, true);
        if let Some(c) = self.ws.commitment_mut(stale) {
            let cutoff = add_days(self.start, 300);
            c.retain_checkins(|k| k.date <= cutoff);
        }

        // Brilliant but idle: decisions turn out well, little delivered.
        self.grant(priya, ARCH, 0, 4, 6, "Architecture lead");
        self.commit(priya, "Migrate reporting to the new engine", SystemPerformance, "%", 0.0, 100.0, 0, 150, 30, 0.25, true, true);
        self.commit(priya, "Cut report latency", SystemPerformance, "s", 12.0, 3.0, 150, 300, 30, 0.2, true, true);
        for (d, t) in [(20, "Adopt columnar storage"), (80, "Split the reporting service"), (140, "Drop the legacy cache"), (200, "Standardise on one queue")] {
            self.decide(priya, ARCH, d, t, Some(Outcome::Good), &[priya]);
        }

        // Self-serving: activity met, customer results missed.
        self.grant(sales, PRICING, 0, 3, 6, "Discounts up to 20%");
        self.grant(sales, HIRING, 0, 2, 5, "Sales hiring");
        self.quarters(sales, "Sales calls made", Activity, "count", 0.0, 300.0, [1.1, 1.15, 1.1, 1.2], 7, true, true, false);
        self.quarters(sales, "Customer retention", CustomerValue, "%", 85.0, 92.0, [0.2, 0.1, 0.3, 0.2], 7, true, true, false);

        self.grant(success, ROADMAP, 0, 3, 6, "Customer programmes");
        self.grant(success, PRICING, 0, 3, 5, "Renewal discounts");
        self.quarters(success, "Gross revenue retention", Revenue, "%", 88.0, 93.0, [0.9, 0.85, 0.95, 0.9], 7, true, true, true);
        self.grant(support, RELEASE, 0, 4, 6, "Help-centre content");
        self.grant(support, ROADMAP, 0, 4, 6, "Support tooling");
        self.quarters(support, "First-response time", CustomerValue, "h", 10.0, 4.0, [1.0, 1.0, 0.95, 1.05], 7, true, true, true);

        // Decisions delegated to the VP's teams that went wrong: the VP does not answer for them.
        self.grant(payments, ROADMAP, 0, 2, 5, "Payment roadmap");
        for (u, d, t, o) in [
            (onboarding, 30, "Rebuild signup on the new framework", Outcome::Bad),
            (mobile, 60, "Ship the redesign without a beta", Outcome::Bad),
            (data, 100, "Move ingestion to streaming", Outcome::Mixed),
            (payments, 150, "Switch card processor", Outcome::Good),
            (onboarding, 210, "Remove the setup wizard", Outcome::Mixed),
        ] {
            let area = if t.contains("Ship") || t.contains("wizard") { RELEASE } else { ARCH };
            self.decide(u, area, d, t, Some(o), &[u]);
        }
        // The head of product answers for the teams' decisions, good or bad.
        for (u, d, t, o) in [
            (search, 40, "Replace the ranking model", Outcome::Bad),
            (growth, 70, "Free tier for students", Outcome::Mixed),
            (design, 120, "New navigation", Outcome::Good),
            (search, 250, "Query suggestions", Outcome::Good),
        ] {
            let area = if u == growth {
                PRICING
            } else if u == design {
                ROADMAP
            } else {
                ARCH
            };
            self.decide(u, area, d, t, Some(o), &[u, product]);
        }
        // The CTO's own calls, reviewed; the CTO seldom lists themselves as accountable.
        self.decide(cto, ARCH, 45, "Move to a single cloud provider", Some(Outcome::Mixed), &[vpe, ceo]);
        self.decide(cto, HIRING, 110, "Hire a platform team", Some(Outcome::Good), &[cto, ceo]);
        self.decide(cto, BUDGET, 190, "Cut the tooling budget", Some(Outcome::Bad), &[vpe, ceo]);
        self.decide(priya, ARCH, 280, "Deprecate the v1 API", None, &[]);
        self.decide(ceo, BUDGET, 300, "Open a second office", None, &[]);
    }
}
