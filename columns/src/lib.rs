//! The column primitives of Latitude's stored format: bytes packed 15 bits to a
//! character, varints, zigzag deltas, decimal-scaled values and front-coded texts.
//!
//! They are a package of their own so that the release build, optimised for size, can
//! build them at full speed (`[profile.release.package.latitude-columns]`): loading a
//! stored workspace spends most of its time in these loops. The functions take and
//! return plain slices and vectors, never generic parameters, so their code is
//! generated here, at this package's level, and not in the caller's.

/// First code point of the packing alphabet: 32,768 consecutive BMP characters that are
/// neither surrogates nor noncharacters, so any string store keeps them intact.
pub const BASE: u32 = 0x4E00;

/// Why stored bytes could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// A character outside the packing alphabet, at this character position.
    Alphabet(usize),
    /// Truncated or damaged: what was being read.
    Damaged(&'static str),
}

/// Bytes to characters, 15 bits each; the first character holds how many pad bits the
/// last one carries.
pub fn pack(bytes: &[u8]) -> String {
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

/// Reads what [`pack`] wrote.
pub fn unpack(text: &str) -> Result<Vec<u8>, Error> {
    // Every character of the alphabet is three bytes of UTF-8 (U+4E00..U+CE00): decode
    // them directly, three bytes at a time.
    let bytes = text.as_bytes();
    if bytes.len() % 3 != 0 || bytes.is_empty() {
        let at = text.char_indices().position(|(b, c)| b % 3 != 0 || c.len_utf8() != 3).unwrap_or(0);
        return Err(if bytes.is_empty() { Error::Damaged("header") } else { Error::Alphabet(at) });
    }
    let char_of = |b: &[u8]| -> Option<u32> { (b[0] & 0xF0 == 0xE0).then(|| (u32::from(b[0] & 0x0F) << 12) | (u32::from(b[1] & 0x3F) << 6) | u32::from(b[2] & 0x3F)) };
    let mut chunks = bytes.chunks_exact(3);
    let pad = chunks.next().and_then(char_of).filter(|c| (BASE..BASE + 15).contains(c)).ok_or(Error::Damaged("header"))? - BASE;
    let count = bytes.len() / 3 - 1;
    let mut out = Vec::with_capacity(count * 15 / 8 + 2);
    let (mut acc, mut n) = (0u32, 0u32);
    for (i, b) in chunks.enumerate() {
        let v = char_of(b).and_then(|c| c.checked_sub(BASE)).filter(|v| *v < 0x8000).ok_or(Error::Alphabet(i + 1))?;
        acc = (acc << 15) | v;
        n += 15;
        while n >= 8 {
            n -= 8;
            out.push((acc >> n) as u8);
        }
        acc &= (1 << n) - 1;
    }
    let bits = (count * 15).checked_sub(pad as usize).ok_or(Error::Damaged("length"))?;
    if bits % 8 != 0 || bits / 8 > out.len() {
        return Err(Error::Damaged("length"));
    }
    out.truncate(bits / 8);
    Ok(out)
}

#[inline(always)]
pub fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

#[inline(always)]
pub fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

#[inline(always)]
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A length, then the bytes.
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Powers of ten of the decimal scales a value can be written at.
const POW: [f64; 5] = [1.0, 10.0, 100.0, 1_000.0, 10_000.0];
/// The tag of a value written as its raw bits.
const RAW: u8 = 0xFF;

/// A column of values, each as a decimal-scaled integer (`i / 10^scale`) delta-coded
/// against the previous value of its scale when that is exact, or as its raw bits.
/// [`Reader::values`] reads it back bit for bit.
#[derive(Debug, Default)]
pub struct ValueWriter {
    prev: [i64; 5],
}

impl ValueWriter {
    /// Starts a new run: the first value of each scale is written whole.
    pub fn restart(&mut self) {
        self.prev = [0; 5];
    }

    pub fn put(&mut self, out: &mut Vec<u8>, v: f64) {
        match scaled(v) {
            Some((scale, i)) => {
                out.push(scale as u8);
                put_varint(out, zigzag(i.wrapping_sub(self.prev[scale])));
                self.prev[scale] = i;
            }
            None => {
                out.push(RAW);
                out.extend_from_slice(&v.to_bits().to_le_bytes());
            }
        }
    }
}

/// `v` as `i / 10^scale` when that is exact (so decoding gives the same bits).
fn scaled(v: f64) -> Option<(usize, i64)> {
    for (scale, p) in POW.iter().enumerate() {
        let x = (v * p).round();
        if x.abs() < 9.0e15 && (x / p).to_bits() == v.to_bits() {
            return Some((scale, x as i64));
        }
    }
    None
}

/// Writes texts as a column, whole or front-coded: each then gives how many leading
/// bytes it shares with the previous one, then the rest.
#[derive(Debug, Default)]
pub struct TextWriter {
    prev: Vec<u8>,
}

impl TextWriter {
    pub fn put(&mut self, out: &mut Vec<u8>, s: &str, front_coded: bool) {
        if !front_coded {
            put_str(out, s);
            return;
        }
        let shared = s.bytes().zip(self.prev.iter()).take_while(|(a, b)| a == *b).count();
        put_varint(out, shared as u64);
        put_varint(out, (s.len() - shared) as u64);
        out.extend_from_slice(&s.as_bytes()[shared..]);
        self.prev.clear();
        self.prev.extend_from_slice(s.as_bytes());
    }
}

/// Reads columns from bytes, each read checked: damaged input gives an [`Error`], never
/// a panic or an allocation larger than the input allows.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// Whether every byte was read.
    pub fn is_at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    #[inline(always)]
    pub fn byte(&mut self) -> Result<u8, Error> {
        let b = *self.bytes.get(self.pos).ok_or(Error::Damaged("unexpected end"))?;
        self.pos += 1;
        Ok(b)
    }

    #[inline(always)]
    pub fn varint(&mut self) -> Result<u64, Error> {
        let (mut v, mut shift) = (0u64, 0u32);
        while shift < 64 {
            let b = self.byte()?;
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Ok(v);
            }
            shift += 7;
        }
        Err(Error::Damaged("number too long"))
    }

    /// A length or count: no larger than the input, so a damaged one cannot ask for a
    /// huge allocation.
    #[inline(always)]
    pub fn length(&mut self) -> Result<usize, Error> {
        let v = self.varint()?;
        let n = usize::try_from(v).map_err(|_| Error::Damaged("length"))?;
        if n > self.bytes.len() {
            return Err(Error::Damaged("length"));
        }
        Ok(n)
    }

    #[inline(always)]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self.pos.checked_add(n).ok_or(Error::Damaged("length"))?;
        let s = self.bytes.get(self.pos..end).ok_or(Error::Damaged("unexpected end"))?;
        self.pos = end;
        Ok(s)
    }

    /// `n` counts, and their sum, which is no larger than the input.
    pub fn counts(&mut self, n: usize) -> Result<(Vec<usize>, usize), Error> {
        let mut counts = Vec::with_capacity(n.min(self.bytes.len()));
        let mut total = 0usize;
        for _ in 0..n {
            let c = self.length()?;
            total = total.checked_add(c).filter(|t| *t <= self.bytes.len()).ok_or(Error::Damaged("counts"))?;
            counts.push(c);
        }
        Ok((counts, total))
    }

    /// `n` unsigned numbers, each no larger than `max`.
    pub fn numbers(&mut self, n: usize, max: u64) -> Result<Vec<u64>, Error> {
        let mut out = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            let v = self.varint()?;
            if v > max {
                return Err(Error::Damaged("number out of range"));
            }
            out.push(v);
        }
        Ok(out)
    }

    /// Runs of days: run `i` has `counts[i]` entries, each given as the zigzag
    /// difference from the one before, the first from `starts[i]`. Every day is checked
    /// to lie within `min..=max`.
    pub fn day_runs(&mut self, counts: &[usize], starts: &[i32], min: i32, max: i32) -> Result<Vec<i32>, Error> {
        if counts.len() != starts.len() {
            return Err(Error::Damaged("dates"));
        }
        let mut out = Vec::with_capacity(counts.iter().sum::<usize>().min(self.bytes.len()));
        for (&n, &start) in counts.iter().zip(starts) {
            let mut prev = i64::from(start);
            for _ in 0..n {
                prev = prev.wrapping_add(unzigzag(self.varint()?));
                if prev < i64::from(min) || prev > i64::from(max) {
                    return Err(Error::Damaged("dates"));
                }
                out.push(prev as i32);
            }
        }
        Ok(out)
    }

    /// Runs of values written by a [`ValueWriter`] restarted at each run. Every value is
    /// finite.
    pub fn value_runs(&mut self, counts: &[usize]) -> Result<Vec<f64>, Error> {
        let mut out = Vec::with_capacity(counts.iter().sum::<usize>().min(self.bytes.len()));
        for &n in counts {
            let mut prev = [0i64; 5];
            for _ in 0..n {
                let tag = self.byte()?;
                let v = if tag == RAW {
                    let b: [u8; 8] = self.take(8)?.try_into().map_err(|_| Error::Damaged("values"))?;
                    f64::from_bits(u64::from_le_bytes(b))
                } else if let Some(p) = prev.get_mut(tag as usize) {
                    *p = p.wrapping_add(unzigzag(self.varint()?));
                    *p as f64 / POW[tag as usize]
                } else {
                    return Err(Error::Damaged("values"));
                };
                if !v.is_finite() {
                    return Err(Error::Damaged("values"));
                }
                out.push(v);
            }
        }
        Ok(out)
    }

    /// A column of `count` texts written by a [`TextWriter`].
    pub fn texts(&mut self, count: usize, front_coded: bool) -> Result<Vec<String>, Error> {
        let mut out: Vec<String> = Vec::with_capacity(count.min(self.bytes.len()));
        for _ in 0..count {
            let shared = if front_coded { self.length()? } else { 0 };
            let prev = out.last().map(String::as_bytes).unwrap_or_default();
            let head = prev.get(..shared).ok_or(Error::Damaged("text"))?;
            let n = self.length()?;
            let tail = self.take(n)?;
            let mut bytes = Vec::with_capacity(shared + n);
            bytes.extend_from_slice(head);
            bytes.extend_from_slice(tail);
            out.push(String::from_utf8(bytes).map_err(|_| Error::Damaged("text"))?);
        }
        Ok(out)
    }
}
