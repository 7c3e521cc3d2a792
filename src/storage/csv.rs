//! Spreadsheets: check-ins imported from CSV with an error per bad row, and scores and
//! check-ins exported as CSV. Nothing is applied until the caller applies the good rows.

use crate::core::number::format_number;
use crate::core::score::Scores;
use crate::core::{format_date, parse_date, parse_typed_number, CheckIn, CommitmentId, Confidence, Workspace};

/// A row ready to apply.
#[derive(Debug, Clone, PartialEq)]
pub struct GoodRow {
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    pub commitment: CommitmentId,
    pub checkin: CheckIn,
}

/// A row that cannot be applied, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    pub line: usize,
    pub problem: String,
}

/// The outcome of reading a CSV file of check-ins.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CsvImport {
    pub good: Vec<GoodRow>,
    pub bad: Vec<BadRow>,
}

impl CsvImport {
    /// "12 rows ready, 2 rejected: line 4: value “n/a” is not a number; …"
    pub fn summary(&self) -> String {
        let mut s = format!("{} row{} ready", self.good.len(), if self.good.len() == 1 { "" } else { "s" });
        if !self.bad.is_empty() {
            let shown: Vec<String> = self.bad.iter().take(5).map(|b| format!("line {}: {}", b.line, b.problem)).collect();
            s.push_str(&format!(", {} rejected: {}", self.bad.len(), shown.join("; ")));
            if self.bad.len() > 5 {
                s.push_str(&format!("; and {} more", self.bad.len() - 5));
            }
        }
        s
    }
}

/// Files larger than this are refused before parsing.
pub const MAX_CSV_BYTES: usize = 16 * 1024 * 1024;

/// Reads check-ins: columns `commitment` (its title or id), `date` (YYYY-MM-DD), `value`
/// (read by [`parse_typed_number`]: "10,95" or "10.95", never a thousands separator),
/// and optionally `note`, `evidence` and `confidence` (on track / at risk / off track).
pub fn parse_checkins(ws: &Workspace, text: &str) -> Result<CsvImport, String> {
    if text.len() > MAX_CSV_BYTES {
        return Err(format!("the file is {} bytes; the limit is {MAX_CSV_BYTES} bytes", text.len()));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().map_err(|e| format!("the header row cannot be read: {e}"))?.iter().map(|h| h.trim().to_lowercase()).collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(c_commitment), Some(c_date), Some(c_value)) = (col("commitment"), col("date"), col("value")) else {
        return Err("the first row must name the columns: commitment, date, value (and optionally note, evidence, confidence)".into());
    };
    let (c_note, c_evidence, c_confidence) = (col("note"), col("evidence"), col("confidence"));
    let mut out = CsvImport::default();
    let mut seen = std::collections::HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.bad.push(BadRow { line, problem: format!("cannot be read: {e}") });
                continue;
            }
        };
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        let field = |c: usize| record.get(c).unwrap_or("").to_owned();
        let key = field(c_commitment);
        let commitment = match find_commitment(ws, &key) {
            Ok(id) => id,
            Err(p) => {
                out.bad.push(BadRow { line, problem: p });
                continue;
            }
        };
        let date = match parse_date(&field(c_date)) {
            Ok(d) => d,
            Err(e) => {
                out.bad.push(BadRow { line, problem: e.to_string() });
                continue;
            }
        };
        let value = match parse_typed_number(&field(c_value)) {
            Ok(v) => v,
            Err(e) => {
                out.bad.push(BadRow { line, problem: format!("value: {e}") });
                continue;
            }
        };
        let confidence = match c_confidence.map(field).unwrap_or_default() {
            c if c.is_empty() => None,
            c => match c.parse::<Confidence>() {
                Ok(c) => Some(c),
                Err(e) => {
                    out.bad.push(BadRow { line, problem: e.to_string() });
                    continue;
                }
            },
        };
        if !seen.insert((commitment, date)) {
            out.bad.push(BadRow { line, problem: format!("a second value for \u{201c}{key}\u{201d} on {}", format_date(date)) });
            continue;
        }
        let checkin = CheckIn { date, value, confidence, note: c_note.map(field).unwrap_or_default(), evidence: c_evidence.map(field).unwrap_or_default(), recorded_by: None };
        out.good.push(GoodRow { line, commitment, checkin });
    }
    Ok(out)
}

fn find_commitment(ws: &Workspace, key: &str) -> Result<CommitmentId, String> {
    if key.is_empty() {
        return Err("commitment: empty".into());
    }
    if let Ok(n) = key.parse::<u32>() {
        if ws.commitment(CommitmentId(n)).is_some() {
            return Ok(CommitmentId(n));
        }
    }
    let matches: Vec<CommitmentId> = ws.commitments.iter().filter(|c| c.title.as_str().eq_ignore_ascii_case(key)).map(|c| c.id).collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("commitment: no commitment titled \u{201c}{key}\u{201d}")),
        many => Err(format!("commitment: {} commitments are titled \u{201c}{key}\u{201d}; use the id instead", many.len())),
    }
}

/// Applies good rows: a value on a date that already has one replaces it.
pub fn apply_checkins(ws: &mut Workspace, rows: &[GoodRow]) {
    for row in rows {
        if let Some(c) = ws.commitment_mut(row.commitment) {
            c.record_checkin(row.checkin.clone());
        }
    }
}

fn write_rows(headers: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(headers);
    for r in rows {
        let _ = w.write_record(&r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Every unit's scores as CSV.
pub fn scores_csv(ws: &Workspace, scores: &Scores) -> String {
    write_rows(
        &["unit", "as_of", "granted_autonomy", "supported_autonomy", "gap", "track_record", "rigor", "recommendation", "reason", "flags", "profile"],
        scores.units.iter().map(|s| {
            vec![
                ws.unit_name(s.unit).to_owned(),
                format_date(scores.as_of),
                format!("{:.1}", s.autonomy),
                format!("{:.1}", s.supported),
                format!("{:.1}", s.gap),
                format!("{:.3}", s.track_record),
                format!("{:.3}", s.rigor.value),
                s.recommendation.verdict.as_str().to_owned(),
                s.recommendation.reason.clone(),
                s.flags.iter().map(|f| f.kind.as_str()).collect::<Vec<_>>().join(" "),
                s.profile.as_str().to_owned(),
            ]
        }),
    )
}

/// Every check-in as CSV, in the same columns the import reads.
pub fn checkins_csv(ws: &Workspace) -> String {
    write_rows(
        &["commitment", "unit", "date", "value", "confidence", "note", "evidence"],
        ws.commitments.iter().flat_map(|c| {
            c.checkins().iter().map(move |k| {
                vec![
                    c.id.0.to_string(),
                    ws.unit_name(c.owner).to_owned(),
                    format_date(k.date),
                    format_number(k.value),
                    match k.confidence {
                        Some(Confidence::OnTrack) => "on track",
                        Some(Confidence::AtRisk) => "at risk",
                        Some(Confidence::OffTrack) => "off track",
                        None => "",
                    }
                    .to_owned(),
                    k.note.clone(),
                    k.evidence.clone(),
                ]
            })
        }),
    )
}
