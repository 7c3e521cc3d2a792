//! The compact encoding of a stored workspace: the workspace without its check-ins as
//! JSON, the check-ins as columns (delta-coded dates, values as scaled integers where that
//! is exact, flag bytes, strings last), all deflated and packed 15 bits to a character.
//! Large organisations fit in localStorage this way; every value loads back bit for bit.

use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;

use crate::core::{CheckIn, CheckInLog, Confidence, Finite, UnitId, Workspace};
use crate::perf::Span;

/// First code point of the packing alphabet: 32,768 consecutive BMP characters that are
/// neither surrogates nor noncharacters, so any string store keeps them intact.
const BASE: u32 = 0x4E00;
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
}

impl Layout {
    /// What stored values are written with.
    pub const CURRENT: Layout = Layout::C2;

    pub const fn tag(self) -> &'static str {
        match self {
            Layout::C1 => "c1",
            Layout::C2 => "c2",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Layout> {
        match tag {
            "c1" => Some(Layout::C1),
            "c2" => Some(Layout::C2),
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
    pack(&compress_to_vec(&payload(ws, layout), LEVEL))
}

/// Decodes what [`encode`] wrote in `layout`. The result still needs validating.
pub fn decode(text: &str, layout: Layout) -> Result<Workspace, CompactError> {
    let span = Span::start("decode-unpack");
    let bytes = unpack(text)?;
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
    for c in &mut meta.commitments {
        c.set_checkins(CheckInLog::default());
    }
    let json = serde_json::to_vec(&meta).unwrap_or_default();
    let n = ws.checkin_count();
    let mut out = Vec::with_capacity(json.len() + n * 8 + 16);
    put_varint(&mut out, json.len() as u64);
    out.extend_from_slice(&json);
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
    for c in &ws.commitments {
        let mut prev = [0i64; 5];
        for k in c.checkins() {
            let v = k.value.get();
            match scaled(v) {
                Some((scale, i)) => {
                    out.push(scale as u8);
                    put_varint(&mut out, zigzag(i.wrapping_sub(prev[scale])));
                    prev[scale] = i;
                }
                None => {
                    out.push(RAW);
                    out.extend_from_slice(&v.to_bits().to_le_bytes());
                }
            }
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
    let mut prev = "";
    for s in strings.filter(|s| !s.is_empty()) {
        match layout {
            Layout::C1 => put_str(out, s),
            Layout::C2 => {
                let shared = s.bytes().zip(prev.bytes()).take_while(|(a, b)| a == b).count();
                put_varint(out, shared as u64);
                put_varint(out, (s.len() - shared) as u64);
                out.extend_from_slice(&s.as_bytes()[shared..]);
            }
        }
        prev = s;
    }
}

const RAW: u8 = 0xFF;

/// `v` as `i / 10^scale` when that is exact (so decoding gives the same bits).
fn scaled(v: f64) -> Option<(usize, i64)> {
    const POW: [f64; 5] = [1.0, 10.0, 100.0, 1_000.0, 10_000.0];
    for (scale, p) in POW.iter().enumerate() {
        let x = (v * p).round();
        if x.abs() < 9.0e15 && (x / p).to_bits() == v.to_bits() {
            return Some((scale, x as i64));
        }
    }
    None
}

fn from_payload(raw: &[u8], layout: Layout) -> Result<Workspace, CompactError> {
    let mut r = Reader { bytes: raw, pos: 0 };
    let json_len = r.len()?;
    let json = r.take(json_len)?;
    let span = Span::start("decode-records");
    let mut ws: Workspace = serde_json::from_slice(json).map_err(|_| CompactError::Shape(super::locate::locate_in::<Workspace>(json)))?;
    span.end();
    let span = Span::start("decode-checkins");
    let mut counts = Vec::with_capacity(ws.commitments.len());
    let mut total = 0usize;
    for _ in 0..ws.commitments.len() {
        let n = r.len()?;
        total = total.checked_add(n).ok_or(CompactError::Damaged("counts"))?;
        counts.push(n);
    }
    if total > raw.len() {
        return Err(CompactError::Damaged("counts"));
    }
    let mut dates = Vec::with_capacity(total);
    for (c, &n) in ws.commitments.iter().zip(&counts) {
        let mut prev = i64::from(c.start.to_julian_day());
        for _ in 0..n {
            prev += unzigzag(r.varint()?);
            let day = i32::try_from(prev).map_err(|_| CompactError::Damaged("dates"))?;
            dates.push(time::Date::from_julian_day(day).map_err(|_| CompactError::Damaged("dates"))?);
        }
    }
    let mut values = Vec::with_capacity(total);
    for &n in &counts {
        let mut prev = [0i64; 5];
        for _ in 0..n {
            let tag = r.byte()?;
            let v = if tag == RAW {
                let b = r.take(8)?;
                f64::from_bits(u64::from_le_bytes(b.try_into().map_err(|_| CompactError::Damaged("values"))?))
            } else if (tag as usize) < prev.len() {
                let s = tag as usize;
                prev[s] = prev[s].wrapping_add(unzigzag(r.varint()?));
                prev[s] as f64 / [1.0, 10.0, 100.0, 1_000.0, 10_000.0][s]
            } else {
                return Err(CompactError::Damaged("values"));
            };
            values.push(Finite::new(v, "value").map_err(|e| CompactError::Shape(e.to_string()))?);
        }
    }
    let flags = r.take(total)?.to_vec();
    let mut recorded = Vec::new();
    for f in &flags {
        if f & 16 != 0 {
            let id = u32::try_from(r.varint()?).map_err(|_| CompactError::Damaged("recorded by"))?;
            recorded.push(UnitId(id));
        }
    }
    let notes = r.strings(flags.iter().filter(|f| *f & 4 != 0).count(), layout)?;
    let evidence = r.strings(flags.iter().filter(|f| *f & 8 != 0).count(), layout)?;
    if r.pos != raw.len() {
        return Err(CompactError::Damaged("trailing data"));
    }
    let (mut rec, mut note, mut evid) = (recorded.into_iter(), notes.into_iter(), evidence.into_iter());
    // The columns, walked together: each has `total` entries, the sum of the counts.
    let mut columns = flags.iter().zip(dates).zip(values);
    for (c, &n) in ws.commitments.iter_mut().zip(&counts) {
        let list = columns
            .by_ref()
            .take(n)
            .map(|((&f, date), value)| CheckIn {
                date,
                value,
                confidence: match f & 3 {
                    1 => Some(Confidence::OnTrack),
                    2 => Some(Confidence::AtRisk),
                    3 => Some(Confidence::OffTrack),
                    _ => None,
                },
                note: if f & 4 != 0 { note.next().unwrap_or_default() } else { String::new() },
                evidence: if f & 8 != 0 { evid.next().unwrap_or_default() } else { String::new() },
                recorded_by: if f & 16 != 0 { rec.next() } else { None },
            })
            .collect();
        let log = CheckInLog::from_vec(list).map_err(|date| CompactError::Shape(format!("check-ins of \u{201c}{}\u{201d}: two on {}", c.title, crate::core::format_date(date))))?;
        c.set_checkins(log);
    }
    span.end();
    Ok(ws)
}

// The hot loops of saving and loading: inlined even in a build optimised for size.
#[inline(always)]
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

#[inline(always)]
fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

#[inline(always)]
fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    #[inline(always)]
    fn byte(&mut self) -> Result<u8, CompactError> {
        let b = *self.bytes.get(self.pos).ok_or(CompactError::Damaged("unexpected end"))?;
        self.pos += 1;
        Ok(b)
    }
    #[inline(always)]
    fn varint(&mut self) -> Result<u64, CompactError> {
        // A plain loop: `step_by` is not inlined in a build optimised for size.
        let (mut v, mut shift) = (0u64, 0u32);
        while shift < 64 {
            let b = self.byte()?;
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Ok(v);
            }
            shift += 7;
        }
        Err(CompactError::Damaged("number too long"))
    }
    #[inline(always)]
    fn len(&mut self) -> Result<usize, CompactError> {
        let v = self.varint()?;
        let n = usize::try_from(v).map_err(|_| CompactError::Damaged("length"))?;
        if n > self.bytes.len() {
            return Err(CompactError::Damaged("length"));
        }
        Ok(n)
    }
    #[inline(always)]
    fn take(&mut self, n: usize) -> Result<&'a [u8], CompactError> {
        let end = self.pos.checked_add(n).ok_or(CompactError::Damaged("length"))?;
        let s = self.bytes.get(self.pos..end).ok_or(CompactError::Damaged("unexpected end"))?;
        self.pos = end;
        Ok(s)
    }
    /// A column of `count` strings written by [`put_strings`].
    fn strings(&mut self, count: usize, layout: Layout) -> Result<Vec<String>, CompactError> {
        let mut out: Vec<String> = Vec::with_capacity(count.min(self.bytes.len()));
        for _ in 0..count {
            let shared = match layout {
                Layout::C1 => 0,
                Layout::C2 => usize::try_from(self.varint()?).map_err(|_| CompactError::Damaged("text"))?,
            };
            let prev = out.last().map(String::as_bytes).unwrap_or_default();
            let head = prev.get(..shared).ok_or(CompactError::Damaged("text"))?;
            let n = self.len()?;
            let mut bytes = Vec::with_capacity(shared + n);
            bytes.extend_from_slice(head);
            bytes.extend_from_slice(self.take(n)?);
            out.push(String::from_utf8(bytes).map_err(|_| CompactError::Damaged("text"))?);
        }
        Ok(out)
    }
}

/// Bytes to characters, 15 bits each; the first character holds how many pad bits the
/// last one carries.
fn pack(bytes: &[u8]) -> String {
    let bits = bytes.len() * 8;
    let chars = bits.div_ceil(15);
    let pad = chars * 15 - bits;
    // Each character is three bytes of UTF-8; written directly.
    let mut out = Vec::with_capacity((chars + 1) * 3);
    let mut put = |c: u32| out.extend_from_slice(&[0xE0 | (c >> 12) as u8, 0x80 | ((c >> 6) & 0x3F) as u8, 0x80 | (c & 0x3F) as u8]);
    put(BASE + pad as u32);
    let (mut acc, mut n) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        n += 8;
        while n >= 15 {
            n -= 15;
            put(BASE + ((acc >> n) & 0x7FFF));
        }
        acc &= (1 << n) - 1;
    }
    if n > 0 {
        put(BASE + ((acc << (15 - n)) & 0x7FFF));
    }
    String::from_utf8(out).unwrap_or_default()
}

fn unpack(text: &str) -> Result<Vec<u8>, CompactError> {
    // Every character of the alphabet is three bytes of UTF-8 (U+4E00..U+CE00): decode
    // them directly, three bytes at a time.
    let bytes = text.as_bytes();
    let char_at = |i: usize| -> Option<u32> {
        let b = bytes.get(i * 3..i * 3 + 3)?;
        (b[0] & 0xF0 == 0xE0).then(|| (u32::from(b[0] & 0x0F) << 12) | (u32::from(b[1] & 0x3F) << 6) | u32::from(b[2] & 0x3F))
    };
    let pad = char_at(0).filter(|c| (BASE..BASE + 15).contains(c)).ok_or(CompactError::Damaged("header"))? - BASE;
    let count = bytes.len() / 3 - 1;
    if bytes.len() % 3 != 0 {
        return Err(CompactError::Alphabet(text.char_indices().position(|(b, c)| b % 3 != 0 || c.len_utf8() != 3).unwrap_or(0)));
    }
    let mut out = vec![0u8; count * 15 / 8 + 2];
    let (mut acc, mut n, mut at) = (0u32, 0u32, 0usize);
    for i in 1..=count {
        let v = char_at(i).and_then(|c| c.checked_sub(BASE)).filter(|v| *v < 0x8000).ok_or(CompactError::Alphabet(i))?;
        acc = (acc << 15) | v;
        n += 15;
        while n >= 8 {
            n -= 8;
            out[at] = (acc >> n) as u8;
            at += 1;
        }
        acc &= (1 << n) - 1;
    }
    let total_bits = count * 15;
    let bits = total_bits.checked_sub(pad as usize).ok_or(CompactError::Damaged("length"))?;
    if bits % 8 != 0 || bits / 8 > at {
        return Err(CompactError::Damaged("length"));
    }
    out.truncate(bits / 8);
    Ok(out)
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
    pack(&compress_to_vec(&out, LEVEL))
}

/// Reads what [`encode_revs`] wrote.
pub fn decode_revs(text: &str) -> Result<Vec<(String, String)>, CompactError> {
    let raw = decompress_to_vec_with_limit(&unpack(text)?, MAX_INFLATED).map_err(|_| CompactError::Damaged("inflate"))?;
    let mut r = Reader { bytes: &raw, pos: 0 };
    let count = r.len()?;
    let ids = r.strings(count, Layout::C2)?;
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
                let n = r.len()?;
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
