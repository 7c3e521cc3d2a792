//! Where in a workspace file a problem is, in a person's words. The position serde_json
//! stopped at is read back into a path through the JSON ([`path_at`]), which becomes
//! `checkins[12].value in “Checkout conversion”`, and serde's messages (`invalid type:
//! string "NaN", expected f64`) become sentences (`“NaN” is not a number`).
//!
//! Reading the position back, rather than tracking the path while the records are
//! read, keeps one copy of the model's deserialisation code in the wasm: a tracking
//! deserializer is generic, and every record type was compiled again for it.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A place in a workspace file: the path from the workspace's top, and the record it
/// passes through named as the user knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// E.g. `commitments[3].checkins[12].value` (empty for the file as a whole).
    pub path: String,
    /// The record, e.g. `“Checkout conversion”`, and the path below it, e.g.
    /// `checkins[12].value`.
    pub record: Option<(String, String)>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.record {
            Some((label, rest)) if rest.is_empty() => f.write_str(label),
            Some((label, rest)) => write!(f, "{rest} in {label}"),
            None if self.path.is_empty() => f.write_str("the file"),
            None => f.write_str(&self.path),
        }
    }
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

fn join(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

impl Location {
    /// Locates the value where serde_json stopped reading `json`, at `line` (from 1) and
    /// `column` (bytes from the line's start; see [`path_at`]). The envelope's
    /// `workspace.` is dropped: people think in records, not in the envelope. `text` is
    /// the file, read again only for the names of records.
    pub fn at(json: &[u8], line: usize, column: usize, text: &str) -> Location {
        Location::from_steps(path_at(json, offset_of(json, line, column)), text)
    }

    /// Where `json` was refused as a record, and why, in words. A check of the model
    /// (`name: must not be empty`) is reported by serde_json at the end of the record
    /// that holds the field; the field it names is then added to the place.
    pub fn refused(json: &[u8], e: &serde_json::Error, text: &str) -> (Location, String) {
        let mut steps = path_at(json, offset_of(json, e.line(), e.column()));
        let message = e.to_string();
        if let Some((field, _)) = message.split_once(": ") {
            let is_key = !field.is_empty() && field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            if is_key && !matches!(steps.last(), Some(Step::Key(k)) if k == field) {
                steps.push(Step::Key(field.to_owned()));
            }
        }
        (Location::from_steps(steps, text), plain(&message))
    }

    fn from_steps(mut steps: Vec<Step>, text: &str) -> Location {
        if steps.len() > 1 && steps[0] == Step::Key("workspace".into()) {
            steps.remove(0);
        }
        let record = match steps.as_slice() {
            [Step::Key(list), Step::Index(i), rest @ ..] => Names::read(text).label(list, *i).map(|label| (label, join(rest))),
            _ => None,
        };
        Location { path: join(&steps), record }
    }
}

/// The names of a file's records, read leniently: numbers are skipped without being
/// parsed, so a file refused for an out-of-range number still names its records.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Names {
    units: Vec<Rec>,
    areas: Vec<Rec>,
    commitments: Vec<Rec>,
    decisions: Vec<Rec>,
    grants: Vec<Rec>,
    reviews: Vec<Rec>,
    pulses: Vec<Rec>,
    workshops: Vec<Rec>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Rec {
    id: Loose,
    name: Loose,
    title: Loose,
    unit: Loose,
    date: Loose,
}

/// A field read whatever its type: text and whole numbers are kept, the rest skipped.
#[derive(Debug, Default, Clone, PartialEq)]
enum Loose {
    #[default]
    Other,
    Text(String),
    Int(u64),
}

impl Loose {
    fn text(&self) -> Option<&str> {
        match self {
            Loose::Text(t) if !t.trim().is_empty() => Some(t),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Loose, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("anything")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Loose, E> {
                Ok(Loose::Text(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Loose, E> {
                Ok(Loose::Int(v))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Loose, E> {
                Ok(Loose::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Loose, E> {
                Ok(Loose::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Loose, E> {
                Ok(Loose::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Loose, E> {
                Ok(Loose::Other)
            }
            fn visit_none<E: de::Error>(self) -> Result<Loose, E> {
                Ok(Loose::Other)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
                Loose::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
        }
        d.deserialize_any(V)
    }
}

impl Names {
    /// The records of a file in the current envelope, or of a schema-0 file (fields at
    /// the top). Nothing when the file is too broken to read even this way.
    fn read(text: &str) -> Names {
        #[derive(Deserialize)]
        struct Top {
            workspace: Option<Names>,
        }
        match serde_json::from_str::<Top>(text) {
            Ok(Top { workspace: Some(names) }) => names,
            _ => serde_json::from_str(text).unwrap_or_default(),
        }
    }

    /// How a person names record `i` of `list`.
    fn label(&self, list: &str, i: usize) -> Option<String> {
        let quoted = |t: &str| {
            let short: String = t.chars().take(60).collect();
            format!("\u{201c}{short}{}\u{201d}", if short.len() < t.len() { "…" } else { "" })
        };
        let unit_name = |r: &Rec| match &r.unit {
            Loose::Int(id) => self.units.iter().find(|u| u.id == Loose::Int(*id)).and_then(|u| u.name.text()).map(quoted),
            _ => None,
        };
        let on = |r: &Rec| r.date.text().map(|d| format!(" on {}", d.chars().take(10).collect::<String>())).unwrap_or_default();
        fn records(l: &[Rec], i: usize) -> Option<&Rec> {
            l.get(i)
        }
        match list {
            "units" => records(&self.units, i)?.name.text().map(quoted),
            "areas" => records(&self.areas, i)?.name.text().map(|n| format!("the decision area {}", quoted(n))),
            "commitments" => records(&self.commitments, i)?.title.text().map(quoted),
            "decisions" => records(&self.decisions, i)?.title.text().map(|t| format!("the decision {}", quoted(t))),
            "grants" => records(&self.grants, i).and_then(|r| Some(format!("the grant to {}{}", unit_name(r)?, on(r)))),
            "reviews" => records(&self.reviews, i).and_then(|r| Some(format!("the review of {}{}", unit_name(r)?, on(r)))),
            "pulses" => records(&self.pulses, i).and_then(|r| Some(format!("the pulse of {}{}", unit_name(r)?, on(r)))),
            "workshops" => records(&self.workshops, i)?.title.text().map(|t| format!("the workshop {}", quoted(t))),
            _ => None,
        }
    }
}

/// Where and what the first problem is in JSON that was refused as a `T` (read again
/// only on the error path, so good values cost nothing).
pub fn locate_in<T: serde::de::DeserializeOwned>(json: &[u8]) -> String {
    let value: serde_json::Value = match serde_json::from_slice(json) {
        Ok(v) => v,
        Err(e) if e.is_eof() => return "the data ends early".into(),
        Err(e) => return format!("{} (line {}, column {})", syntax_words(&e.to_string()), e.line(), e.column()),
    };
    drop(value);
    match serde_json::from_slice::<T>(json) {
        Err(e) => {
            let (at, problem) = Location::refused(json, &e, std::str::from_utf8(json).unwrap_or(""));
            format!("{at}: {problem}")
        }
        Ok(_) => "it could not be read".into(),
    }
}

/// The byte offset of serde_json's `line` (from 1) and `column` (bytes from the line's
/// start) in `json`.
fn offset_of(json: &[u8], line: usize, column: usize) -> usize {
    let start: usize = json.split_inclusive(|&b| b == b'\n').take(line.saturating_sub(1)).map(<[u8]>::len).sum();
    (start + column).min(json.len())
}

/// Where the JSON string whose opening quote is at `start` ends: just after its closing
/// quote (or at the end of `json`, if it is cut short).
pub(crate) fn string_end(json: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < json.len() && json[i] != b'"' {
        i += if json[i] == b'\\' { 2 } else { 1 };
    }
    (i + 1).min(json.len())
}

/// One open list or record while [`path_at`] reads.
enum Open {
    /// A record: the key of the value being read, if one was read.
    Record(Option<String>),
    /// A list: the index of the value being read, if one was started.
    List(Option<usize>),
}

/// The path to the value that JSON's reader had reached at byte `offset`, as serde_json
/// reports it for a value that does not fit: just after a scalar, at the `{` or `[` of a
/// record or list refused by its type, just after the `}` or `]` of a record missing a
/// field or a list of the wrong length (then the record or list is the place). Every
/// token that starts before `offset` is read.
fn path_at(json: &[u8], offset: usize) -> Vec<Step> {
    let mut open: Vec<Open> = Vec::new();
    let mut i = 0;
    let skip_space = |mut i: usize| {
        while json.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    // A value starts in the innermost list: it is the next item.
    let start_value = |open: &mut Vec<Open>| {
        if let Some(Open::List(at)) = open.last_mut() {
            *at = Some(at.map_or(0, |n| n + 1));
        }
    };
    loop {
        i = skip_space(i);
        if i >= offset.min(json.len()) {
            break;
        }
        match json[i] {
            b'{' => {
                start_value(&mut open);
                open.push(Open::Record(None));
                i += 1;
            }
            b'[' => {
                start_value(&mut open);
                open.push(Open::List(None));
                i += 1;
            }
            b'}' | b']' => {
                open.pop();
                i += 1;
            }
            b',' => {
                if let Some(Open::Record(key)) = open.last_mut() {
                    *key = None;
                }
                i += 1;
            }
            b':' => i += 1,
            b'"' => {
                let start = i;
                i = string_end(json, i);
                match open.last_mut() {
                    Some(Open::Record(key @ None)) => *key = Some(serde_json::from_slice(&json[start..i]).unwrap_or_default()),
                    _ => start_value(&mut open),
                }
            }
            _ => {
                start_value(&mut open);
                while i < json.len() && !matches!(json[i], b',' | b'}' | b']' | b':') && !json[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
        }
    }
    open.into_iter()
        .filter_map(|o| match o {
            Open::Record(key) => key.map(Step::Key),
            Open::List(at) => at.map(Step::Index),
        })
        .collect()
}

/// serde's message about a value that does not fit, as a sentence. Messages written by
/// the model's own checks (`rung: must be between 1 and 5, got 9`) keep their words
/// after the field name, which the location already gives.
pub fn plain(message: &str) -> String {
    let message = strip_position(message);
    let tick = |s: &str| s.replace('`', "");
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return format!("{} is not {}", shown(found), expected_words(expected, false));
        }
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return format!("{} is out of range: expected {}", shown(found), expected_words(expected, true));
        }
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        if let Some((n, expected)) = rest.split_once(", expected ") {
            if expected.starts_with("struct ") {
                return "is a list, not a record with fields".into();
            }
            return format!("has {n} items; expected {}", expected_words(expected, false));
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            let allowed = tick(expected.trim_start_matches("one of "));
            return format!("\u{201c}{}\u{201d} is not one of the allowed words ({allowed})", tick(found));
        }
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("the field \u{201c}{}\u{201d} is missing", tick(field));
    }
    if let Some(field) = message.strip_prefix("duplicate field ") {
        return format!("the field \u{201c}{}\u{201d} appears twice", tick(field));
    }
    // The model's messages start with the field they concern ("name: must not be empty").
    match message.split_once(": ") {
        Some((field, problem)) if !field.is_empty() && field.chars().all(|c| c.is_ascii_lowercase() || c == ' ' || c == '_') => problem.to_owned(),
        _ => message.to_owned(),
    }
}

/// serde_json appends " at line L column C" to messages about text.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => &message[..i],
        _ => message,
    }
}

/// serde's description of what it found, as the user wrote it.
fn shown(found: &str) -> String {
    let short = |s: &str| {
        let t: String = s.chars().take(40).collect();
        if t.len() < s.len() {
            format!("{t}…")
        } else {
            t
        }
    };
    if let Some(s) = found.strip_prefix("string ") {
        let inner = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(s);
        return format!("\u{201c}{}\u{201d}", short(&inner.replace("\\\"", "\"")));
    }
    for prefix in ["integer ", "floating point ", "boolean ", "character "] {
        if let Some(v) = found.strip_prefix(prefix) {
            return short(v.trim_matches('`'));
        }
    }
    match found {
        "map" => "a record".into(),
        "sequence" => "a list".into(),
        "unit value" | "null" | "Option value" => "null".into(),
        other => short(other),
    }
}

/// serde's (or a Rust type's) name for what it expected, in words.
fn expected_words(expected: &str, range: bool) -> String {
    let whole = |max: &str| if range { format!("a whole number from 0 to {max}") } else { "a whole number".to_owned() };
    match expected {
        "f64" | "f32" | "a number" => "a number".into(),
        "u8" => whole("255"),
        "u16" => whole("65535"),
        "u32" => whole("4294967295"),
        "u64" | "usize" => whole("18446744073709551615"),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".into(),
        "a string" | "a borrowed string" | "a char" => "text".into(),
        "a boolean" => "true or false".into(),
        "a sequence" | "a tuple" => "a list".into(),
        e if e.starts_with("an array of length ") => format!("a list of {} items", e.trim_start_matches("an array of length ")),
        e if e.starts_with("struct ") || e == "a map" => "a record with fields".into(),
        e if e.starts_with("enum ") || e.contains("variant") => "one of the allowed words".into(),
        e => e.replace('`', ""),
    }
}

/// serde_json's syntax messages, as a person would say them.
pub fn syntax_words(message: &str) -> String {
    let m = message.split(" at line ").next().unwrap_or(message);
    match m {
        "expected value" => "a value is missing or is not JSON (text needs double quotes; NaN and Infinity are not JSON)".into(),
        "expected `,` or `}`" => "a comma or a closing } is missing".into(),
        "expected `,` or `]`" => "a comma or a closing ] is missing".into(),
        "expected `:`" => "a colon is missing after a field name".into(),
        "key must be a string" => "a field name is not in double quotes".into(),
        "trailing comma" => "a comma stands before a closing bracket".into(),
        "trailing characters" => "there is more after the end of the JSON".into(),
        "invalid number" => "a number is malformed".into(),
        "expected ident" => "a word such as true, false or null is misspelt".into(),
        "number out of range" => "a number is out of range".into(),
        "recursion limit exceeded" => format!("lists or records nest more than {} levels deep", super::file::MAX_NESTING),
        m if m.contains("escape") || m.contains("surrogate") || m.contains("code point") || m.contains("control character") => "a piece of text holds an invalid character or escape".into(),
        m => m.replace('`', ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path [`path_at`] reads at the first occurrence of `mark` in `json`, plus `skip`
    /// bytes (where serde_json stops: after a scalar, at a refused bracket).
    fn at(json: &str, mark: &str, skip: usize) -> String {
        join(&path_at(json.as_bytes(), json.find(mark).expect("the mark is in the JSON") + skip))
    }

    #[test]
    fn the_path_is_read_back_from_where_the_reader_stopped() {
        let json = r#"{"workspace":{"units":[{"id":1,"name":"A"},{"id":2,"name":"B, [}\"]{"}],"commitments":[{"checkins":[{"value":1},{"value":"NaN"}],"owner":1}]}}"#;
        // Just after a scalar: that scalar's field.
        assert_eq!(at(json, r#""NaN""#, 5), "workspace.commitments[0].checkins[1].value");
        assert_eq!(at(json, r#""id":2"#, 6), "workspace.units[1].id");
        // Brackets and escaped quotes inside a string are text.
        assert_eq!(at(json, r#"{"}"#, 2), "workspace.units[1].name");
        // Just after a record's `}`: the record.
        assert_eq!(at(json, r#"{"value":1}"#, 11), "workspace.commitments[0].checkins[0]");
        // At a `[` or `{` refused by its type: the field it is the value of.
        assert_eq!(at(json, r#"[{"value""#, 0), "workspace.commitments[0].checkins");
        // The whole file.
        assert_eq!(at(json, r#"{"workspace""#, 0), "");
    }

    #[test]
    fn indented_files_are_located_by_line_and_column() {
        let json = "{\n  \"units\": [\n    {\"id\": 1},\n    {\"id\": -4}\n  ]\n}\n";
        // Column 13 of line 4 is just after -4.
        assert_eq!(offset_of(json.as_bytes(), 4, 13), json.find("-4").unwrap() + 2);
        let err = serde_json::from_str::<std::collections::BTreeMap<String, Vec<std::collections::BTreeMap<String, u32>>>>(json).unwrap_err();
        assert_eq!(err.line(), 4, "{err}");
        assert_eq!(Location::at(json.as_bytes(), err.line(), err.column(), json).path, "units[1].id");
    }
}
