//! A small builder so scenario tests read like the situations they describe.
#![allow(dead_code)]

use latitude::core::score::add_days;
use latitude::core::*;
use time::Date;

pub fn d(text: &str) -> Date {
    parse_date(text).expect("test date")
}

pub struct Builder {
    pub ws: Workspace,
    /// A unit that reviews commitments of units without a leader.
    pub board: UnitId,
}

/// The decision areas every scenario has, by index.
pub const ARCH: usize = 0;
pub const HIRING: usize = 1;
pub const BUDGET: usize = 2;
pub const RELEASE: usize = 3;

impl Builder {
    pub fn new() -> Builder {
        let mut ws = Workspace::new(Name::new("Scenario").unwrap());
        for (i, a) in ["Architecture", "Hiring", "Budget", "Release"].iter().enumerate() {
            ws.areas.push(DecisionArea { id: AreaId(i as u32 + 1), name: Name::new(*a).unwrap() });
        }
        let board = ws.add_unit(Name::new("Board").unwrap(), UnitKind::Team, None, String::new()).unwrap();
        Builder { ws, board }
    }

    pub fn area(&self, i: usize) -> AreaId {
        self.ws.areas[i].id
    }

    pub fn unit(&mut self, name: &str, parent: Option<UnitId>) -> UnitId {
        self.ws.add_unit(Name::new(name).unwrap(), UnitKind::Team, parent, String::new()).unwrap()
    }

    pub fn grant(&mut self, unit: UnitId, area: usize, date: &str, rung: u8, level: u8) {
        let by = self.ws.unit(unit).and_then(|u| u.parent);
        let area = self.area(area);
        self.ws.grants.push(Grant { unit, area, date: d(date), rung: Rung::new(rung).unwrap(), level: Level::new(level).unwrap(), granted_by: by, reason: String::new() });
    }

    /// A well-formed commitment from 0 to 100, public, reviewed by the leader or the board.
    pub fn commitment(&mut self, owner: UnitId, title: &str, category: Category, start: &str, due: &str, cadence: u16) -> CommitmentId {
        let reviewer = self.ws.unit(owner).and_then(|u| u.parent).unwrap_or(self.board);
        let id = self.ws.next_commitment_id();
        self.ws.commitments.push(Commitment::new(
            id,
            CommitmentFields {
                owner,
                title: Name::new(title).unwrap(),
                category,
                measure: "%".into(),
                direction: Direction::Higher,
                baseline: Some(Finite::new(0.0, "baseline").unwrap()),
                target: Some(Finite::new(100.0, "target").unwrap()),
                start: d(start),
                due: Some(d(due)),
                cadence_days: Some(cadence),
                weight: Weight::default(),
                visibility: Visibility::Public,
                reviewer: Some(reviewer),
            },
        ));
        id
    }

    pub fn edit(&mut self, id: CommitmentId, f: impl FnOnce(&mut Commitment)) {
        f(self.ws.commitment_mut(id).unwrap());
    }

    /// Check-ins every `every` days from start + every up to the due date, progressing
    /// linearly to `final_attainment` of the target, with evidence if asked.
    pub fn track(&mut self, id: CommitmentId, every: i64, final_attainment: f64, evidence: bool) {
        let c = self.ws.commitment_mut(id).unwrap();
        let (start, due) = (c.start, c.due.unwrap());
        let total = score::days_between(start, due) as f64;
        let mut day = add_days(start, every);
        while day <= due {
            let t = score::days_between(start, day) as f64 / total;
            c.record_checkin(CheckIn {
                date: day,
                value: Finite::new(100.0 * final_attainment * t, "value").unwrap(),
                confidence: None,
                note: String::new(),
                evidence: if evidence { "https://dash.example/metric".into() } else { String::new() },
                recorded_by: None,
            });
            day = add_days(day, every);
        }
        // The final reading on the due date.
        if c.checkins().last().map(|k| k.date) != Some(due) {
            c.record_checkin(CheckIn {
                date: due,
                value: Finite::new(100.0 * final_attainment, "value").unwrap(),
                confidence: None,
                note: String::new(),
                evidence: if evidence { "https://dash.example/metric".into() } else { String::new() },
                recorded_by: None,
            });
        }
    }

    /// A commitment delivered (or not) with diligent weekly measurement.
    pub fn deliver(&mut self, owner: UnitId, title: &str, category: Category, start: &str, due: &str, final_attainment: f64) -> CommitmentId {
        let id = self.commitment(owner, title, category, start, due, 7);
        self.track(id, 7, final_attainment, true);
        id
    }

    pub fn review(&mut self, unit: UnitId, date: &str, verdict: Verdict) {
        let reviewer = self.ws.unit(unit).and_then(|u| u.parent);
        self.ws.reviews.push(Review { unit, date: d(date), reviewer, verdict, note: String::new() });
    }

    pub fn decision(&mut self, unit: UnitId, area: usize, date: &str, outcome: Outcome, accountable: &[UnitId]) -> DecisionId {
        let id = self.ws.next_decision_id();
        let area = self.area(area);
        self.ws.decisions.push(Decision {
            id,
            unit,
            area,
            date: d(date),
            title: Name::new(format!("Decision {}", id.0)).unwrap(),
            expected: String::new(),
            review_date: Some(add_days(d(date), 60)),
            outcome: Some(outcome),
            accountable: accountable.to_vec(),
        });
        id
    }

    pub fn pulse(&mut self, unit: UnitId, date: &str, score: f64) {
        self.ws.pulses.push(Pulse { unit, date: d(date), score: PulseScore::new(score).unwrap() });
    }

    pub fn build(mut self) -> Workspace {
        self.ws.normalize();
        self.ws.validate().expect("scenario workspace is valid");
        self.ws
    }
}

/// Every text a workspace holds only in its records (commitment titles, check-in notes
/// and evidence, decisions, review notes): what a scores-only link must never carry.
pub fn private_texts(ws: &Workspace) -> Vec<String> {
    let mut out = Vec::new();
    for c in ws.commitments.iter() {
        out.push(c.title.to_string());
        for k in c.checkins().iter() {
            out.push(k.evidence.clone());
            out.push(k.note.clone());
        }
    }
    for dcs in ws.decisions.iter() {
        out.push(dcs.title.to_string());
        out.push(dcs.expected.clone());
    }
    for r in ws.reviews.iter() {
        out.push(r.note.clone());
    }
    out.retain(|t| t.trim().chars().count() >= 6);
    out
}
