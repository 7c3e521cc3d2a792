//! The compact encoding of a stored workspace: the workspace without its check-ins as
//! JSON (from layout `c3` on, without its other long lists either: grants, commitments,
//! decisions, reviews and pulses are columns, `storage::record_columns`), the check-ins as
//! columns (delta-coded dates, values as scaled integers where that is exact, flag bytes,
//! strings last), all deflated and packed 15 bits to a character. Large organisations fit
//! in localStorage this way; every value loads back bit for bit. The column loops are in
//! the package `latitude-columns`, built at full speed.

use latitude_columns::{self as columns, put_str, put_varint, zigzag, Reader, TextWriter, ValueWriter};
use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;

use crate::core::{CheckIn, CheckInLog, Confidence, Finite, UnitId, Workspace};
use crate::perf::Span;

/// Refuse to inflate anything larger than this (a hostile or corrupt value).
const MAX_INFLATED: usize = 512 * 1024 * 1024;

/// Why a compact value could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompactError {
    #[error("the stored data contains a character outside its alphabet at position {0}")]
    Alphabet(usize),
    #[error("the stored data is truncated or damaged ({0})")]
    Damaged(&'static str),
    #[error("the stored workspace does not match the format: {0}")]
    Shape(String),
}

/// How the columns are laid out. Stored values name theirs (`enc` in the header);
/// links carry `C1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Notes and evidence written whole.
    C1,
    /// Notes and evidence front-coded: each gives how many leading bytes it shares with
    /// the previous one, then the rest. Links to one dashboard differ only at the end,
    /// so the payload of the large org shrinks from 5.5 MB to about 2.3 MB, and saving
    /// and loading both get faster.
    C2,
    /// As `C2`, and the records other than check-ins (grants, commitments, decisions,
    /// reviews, pulses) in columns too, not JSON (`storage::record_columns`).
    C3,
}

impl Layout {
    /// What stored values are written with.
    pub const CURRENT: Layout = Layout::C3;

    pub const fn tag(self) -> &'static str {
        match self {
            Layout::C1 => "c1",
            Layout::C2 => "c2",
            Layout::C3 => "c3",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Layout> {
        match tag {
            "c1" => Some(Layout::C1),
            "c2" => Some(Layout::C2),
            "c3" => Some(Layout::C3),
            _ => None,
        }
    }
}

/// Encodes a workspace to a string of packing characters, in [`Layout::CURRENT`].
pub fn encode(ws: &Workspace) -> String {
    encode_as(ws, Layout::CURRENT)
}

/// Encodes in a given layout (older layouts stay readable, and tested).
pub fn encode_as(ws: &Workspace, layout: Layout) -> String {
    columns::pack(&compress_to_vec(&payload(ws, layout), LEVEL))
}

/// Decodes what [`encode`] wrote in `layout`. The result still needs validating.
pub fn decode(text: &str, layout: Layout) -> Result<Workspace, CompactError> {
    let span = Span::start("decode-unpack");
    let bytes = columns::unpack(text)?;
    span.end();
    inflate_payload(&bytes, layout)
}

/// The deflated columnar bytes in [`Layout::C1`] (for links, which carry them as base64).
pub fn to_bytes(ws: &Workspace) -> Vec<u8> {
    compress_to_vec(&payload(ws, Layout::C1), LEVEL)
}

/// Deflate level: for the large org, level 4 is within 1.2% of level 9's size in a fifth
/// of the time (50 ms against 245 ms natively), and saving runs after every edit.
const LEVEL: u8 = 4;

/// Reads what [`to_bytes`] wrote.
pub fn from_bytes(bytes: &[u8]) -> Result<Workspace, CompactError> {
    inflate_payload(bytes, Layout::C1)
}

fn inflate_payload(bytes: &[u8], layout: Layout) -> Result<Workspace, CompactError> {
    let span = Span::start("decode-inflate");
    let raw = decompress_to_vec_with_limit(bytes, MAX_INFLATED).map_err(|_| CompactError::Damaged("compressed stream"))?;
    span.end();
    from_payload(&raw, layout)
}

fn payload(ws: &Workspace, layout: Layout) -> Vec<u8> {
    let mut meta = ws.clone();
    if layout == Layout::C3 {
        (meta.grants, meta.commitments, meta.decisions, meta.reviews, meta.pulses) = Default::default();
    }
    for c in &mut meta.commitments {
        c.set_checkins(CheckInLog::default());
    }
    let json = serde_json::to_vec(&meta).unwrap_or_default();
    let n = ws.checkin_count();
    let mut out = Vec::with_capacity(json.len() + n * 8 + 16);
    put_varint(&mut out, json.len() as u64);
    out.extend_from_slice(&json);
    if layout == Layout::C3 {
        super::record_columns::put(&mut out, ws);
    }
    // Column 1: counts per commitment.
    for c in &ws.commitments {
        put_varint(&mut out, c.checkins().len() as u64);
    }
    // Column 2: dates, as days after the previous one (the first after the start).
    for c in &ws.commitments {
        let mut prev = c.start.to_julian_day();
        for k in c.checkins() {
            let d = k.date.to_julian_day();
            put_varint(&mut out, zigzag(i64::from(d) - i64::from(prev)));
            prev = d;
        }
    }
    // Column 3: values, as decimal-scaled integers delta-coded per scale, or raw bits.
    let mut values = ValueWriter::default();
    for c in &ws.commitments {
        values.restart();
        for k in c.checkins() {
            values.put(&mut out, k.value.get());
        }
    }
    // Column 4: flags; column 5: who recorded; column 6: strings.
    let all = || ws.commitments.iter().flat_map(|c| c.checkins().iter());
    for k in all() {
        let conf = match k.confidence {
            None => 0,
            Some(Confidence::OnTrack) => 1,
            Some(Confidence::AtRisk) => 2,
            Some(Confidence::OffTrack) => 3,
        };
        out.push(conf | (u8::from(!k.note.is_empty()) << 2) | (u8::from(!k.evidence.is_empty()) << 3) | (u8::from(k.recorded_by.is_some()) << 4));
    }
    for k in all() {
        if let Some(u) = k.recorded_by {
            put_varint(&mut out, u64::from(u.0));
        }
    }
    put_strings(&mut out, all().map(|k| k.note.as_str()), layout);
    put_strings(&mut out, all().map(|k| k.evidence.as_str()), layout);
    out
}

/// A column of the non-empty strings, whole (`C1`) or front-coded (`C2`).
fn put_strings<'a>(out: &mut Vec<u8>, strings: impl Iterator<Item = &'a str>, layout: Layout) {
    let mut texts = TextWriter::default();
    for s in strings.filter(|s| !s.is_empty()) {
        texts.put(out, s, layout != Layout::C1);
    }
}

impl From<columns::Error> for CompactError {
    fn from(e: columns::Error) -> Self {
        match e {
            columns::Error::Alphabet(at) => CompactError::Alphabet(at),
            columns::Error::Damaged(what) => CompactError::Damaged(what),
        }
    }
}

fn from_payload(raw: &[u8], layout: Layout) -> Result<Workspace, CompactError> {
    let mut r = Reader::new(raw);
    let json_len = r.length()?;
    let json = r.take(json_len)?;
    let span = Span::start("decode-records");
    let mut ws: Workspace = serde_json::from_slice(json).map_err(|_| CompactError::Shape(super::locate::locate_in::<Workspace>(json)))?;
    if layout == Layout::C3 {
        super::record_columns::read(&mut r, &mut ws)?;
    }
    span.end();
    let span = Span::start("decode-checkins");
    let (counts, total) = r.counts(ws.commitments.len())?;
    let starts: Vec<i32> = ws.commitments.iter().map(|c| c.start.to_julian_day()).collect();
    let (min, max) = (time::Date::MIN.to_julian_day(), time::Date::MAX.to_julian_day());
    let days = r.day_runs(&counts, &starts, min, max)?;
    let values = r.value_runs(&counts)?;
    let flags = r.take(total)?;
    let recorded = r.numbers(flags.iter().filter(|f| *f & 16 != 0).count(), u64::from(u32::MAX))?;
    let front_coded = layout != Layout::C1;
    let notes = r.texts(flags.iter().filter(|f| *f & 4 != 0).count(), front_coded)?;
    let evidence = r.texts(flags.iter().filter(|f| *f & 8 != 0).count(), front_coded)?;
    if !r.is_at_end() {
        return Err(CompactError::Damaged("trailing data"));
    }
    let (mut rec, mut note, mut evid) = (recorded.into_iter(), notes.into_iter(), evidence.into_iter());
    // The columns, walked together: each has `total` entries, the sum of the counts.
    let mut columns = flags.iter().zip(days).zip(values);
    for (c, &n) in ws.commitments.iter_mut().zip(&counts) {
        let list = columns
            .by_ref()
            .take(n)
            .map(|((&f, day), value)| {
                Ok(CheckIn {
                    date: time::Date::from_julian_day(day).map_err(|_| CompactError::Damaged("dates"))?,
                    value: Finite::new(value, "value").map_err(|_| CompactError::Damaged("values"))?,
                    confidence: match f & 3 {
                        1 => Some(Confidence::OnTrack),
                        2 => Some(Confidence::AtRisk),
                        3 => Some(Confidence::OffTrack),
                        _ => None,
                    },
                    note: if f & 4 != 0 { note.next().unwrap_or_default() } else { String::new() },
                    evidence: if f & 8 != 0 { evid.next().unwrap_or_default() } else { String::new() },
                    recorded_by: if f & 16 != 0 { rec.next().map(|u| UnitId(u as u32)) } else { None },
                })
            })
            .collect::<Result<Vec<_>, CompactError>>()?;
        let log = CheckInLog::from_vec(list).map_err(|date| CompactError::Shape(format!("check-ins of \u{201c}{}\u{201d}: two on {}", c.title, crate::core::format_date(date))))?;
        c.set_checkins(log);
    }
    span.end();
    Ok(ws)
}

/// The deflated columnar bytes in a given layout: links carry them as base64 and name
/// the layout by their own version (see `storage::snapshot`).
pub fn to_bytes_as(ws: &Workspace, layout: Layout) -> Vec<u8> {
    compress_to_vec(&payload(ws, layout), LEVEL)
}

/// Reads what [`to_bytes_as`] wrote in `layout`. The result still needs validating.
pub fn from_bytes_as(bytes: &[u8], layout: Layout) -> Result<Workspace, CompactError> {
    inflate_payload(bytes, layout)
}

/// A team workspace's document revisions (id → `_rev`), compactly: ids front-coded in
/// order, each CouchDB revision (`<generation>-<32 hex digits>`) as a number and 16
/// bytes, any other revision as its text; deflated and packed like a workspace. A large
/// organisation has about 190,000 documents: as JSON their revisions would take more
/// than the whole of a site's localStorage.
pub fn encode_revs<'a>(entries: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> String {
    let mut out = Vec::new();
    put_varint(&mut out, entries.clone().count() as u64);
    put_strings(&mut out, entries.clone().map(|(id, _)| id), Layout::C2);
    for (_, rev) in entries {
        match couch_rev(rev) {
            Some((generation, hash)) => {
                out.push(0);
                put_varint(&mut out, generation);
                out.extend_from_slice(&hash);
            }
            None => {
                out.push(1);
                put_str(&mut out, rev);
            }
        }
    }
    columns::pack(&compress_to_vec(&out, LEVEL))
}

/// Reads what [`encode_revs`] wrote.
pub fn decode_revs(text: &str) -> Result<Vec<(String, String)>, CompactError> {
    let raw = decompress_to_vec_with_limit(&columns::unpack(text)?, MAX_INFLATED).map_err(|_| CompactError::Damaged("inflate"))?;
    let mut r = Reader::new(&raw);
    let count = r.length()?;
    let ids = r.texts(count, true)?;
    let mut out = Vec::with_capacity(count);
    for id in ids {
        let rev = match r.byte()? {
            0 => {
                let generation = r.varint()?;
                let hash = r.take(16)?;
                let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
                format!("{generation}-{hex}")
            }
            1 => {
                let n = r.length()?;
                String::from_utf8(r.take(n)?.to_vec()).map_err(|_| CompactError::Damaged("text"))?
            }
            _ => return Err(CompactError::Damaged("revision")),
        };
        out.push((id, rev));
    }
    Ok(out)
}

/// `<generation>-<32 lower-case hex digits>` as its parts.
fn couch_rev(rev: &str) -> Option<(u64, [u8; 16])> {
    let (generation, hex) = rev.split_once('-')?;
    if hex.len() != 32 || generation.starts_with('0') || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return None;
    }
    let generation: u64 = generation.parse().ok()?;
    let mut hash = [0u8; 16];
    for (i, h) in hash.iter_mut().enumerate() {
        *h = u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).ok()?;
    }
    Some((generation, hash))
}
