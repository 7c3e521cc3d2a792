//! Conflicts in words: which record a document holds ("the check-in of “Checkout
//! conversion” on 2026-11-20") and, for each version, only the fields in which it
//! differs from the others, so a person sees at a glance what to choose between.

use std::collections::BTreeMap;

use serde_json::Value;

use super::docs::{DocKey, Record};
use crate::core::{format_date, Workspace};

/// The record a document id names, in words, with the names `ws` knows.
pub fn what(ws: &Workspace, id: &str) -> String {
    let Ok(key) = id.parse::<DocKey>() else { return format!("the record {id}") };
    let unit = |u: crate::core::UnitId| ws.unit(u).map_or_else(|| format!("#{}", u.0), |u| format!("“{}”", u.name));
    let area = |a: crate::core::AreaId| ws.areas.iter().find(|x| x.id == a).map_or_else(|| format!("#{}", a.0), |a| format!("“{}”", a.name));
    let commitment = |c: crate::core::CommitmentId| ws.commitment(c).map_or_else(|| format!("#{}", c.0), |c| format!("“{}”", c.title));
    match key {
        DocKey::Workspace => "the workspace's name".into(),
        DocKey::Policy => "the scoring policy".into(),
        DocKey::Issued(_) => "the numbering of new records".into(),
        DocKey::Unit(u) => format!("the unit {}", unit(u)),
        DocKey::Area(a) => format!("the decision area {}", area(a)),
        DocKey::Grants(k) => format!("the grant to {} in {} on {}", unit(k.unit), area(k.area), format_date(k.date)),
        DocKey::Commitment(c) => format!("the commitment {}", commitment(c)),
        DocKey::CheckIn(k) => format!("the check-in of {} on {}", commitment(k.commitment), format_date(k.date)),
        DocKey::Decision(d) => ws.decisions.iter().find(|x| x.id == d).map_or_else(|| format!("decision #{}", d.0), |d| format!("the decision “{}”", d.title)),
        DocKey::Reviews(k) => format!("the autonomy review of {} on {}", unit(k.unit), format_date(k.date)),
        DocKey::Pulses(k) => format!("the pulse of {} on {}", unit(k.unit), format_date(k.date)),
        DocKey::Workshop(w) => format!("workshop #{}", w.0),
    }
}

/// What happened to a record created here that moved from document `old` to `new`
/// ([`crate::sync::Pulled::moved`]), in words.
pub fn moved(ws: &Workspace, old: &str, new: &str) -> String {
    let number = |id: &str| id.rsplit(':').next().unwrap_or("").to_owned();
    let what = capitalised(&what(ws, new));
    format!("{what}, which you added, is now number {}: another member added one as number {} at the same time. Both are kept.", number(new), number(old))
}

/// `text` with its first letter in upper case.
/// A server's message with each "unit <number>" it names followed by that unit's name
/// (the design document knows numbers only): "leads unit 11" → "leads unit 11 (Payments
/// team)".
pub fn unit_names(ws: &Workspace, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("unit ") {
        let (before, after) = rest.split_at(at + "unit ".len());
        out.push_str(before);
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (number, tail) = after.split_at(digits);
        out.push_str(number);
        if let Some(unit) = number.parse().ok().and_then(|n| ws.unit(crate::core::UnitId(n))) {
            out.push_str(&format!(" ({})", unit.name));
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// For each version, the fields in which it differs from at least one other version
/// ("value: 45 · note: counted twice"), or "deleted". Versions with the same content
/// read "the same as …" rather than an empty line.
pub fn differences(versions: &[Option<&Record>]) -> Vec<String> {
    let flat: Vec<Option<BTreeMap<String, Value>>> = versions.iter().map(|r| r.map(|r| flatten(&as_json(r)))).collect();
    let differing = differing_paths(flat.iter().map(Option::as_ref));
    flat.iter()
        .map(|f| match f {
            None => "deleted".to_owned(),
            Some(f) => {
                let parts: Vec<String> = differing.iter().map(|k| format!("{}: {}", label(k), shown(f.get(k)))).collect();
                if parts.is_empty() {
                    "the same content".to_owned()
                } else {
                    parts.join(" · ")
                }
            }
        })
        .collect()
}

/// One field in which the versions of a conflict differ, to merge them by picking, field
/// by field, which version's value to keep.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeField {
    /// Where the field is in the record (dotted, as [`merged`] reads it).
    pub path: String,
    /// The field in words.
    pub label: String,
    /// Each version's value, shown ("(none)" when it has none).
    pub values: Vec<String>,
}

/// The fields in which `versions` (none of them a deletion) differ: what a merge picks.
pub fn merge_fields(versions: &[&Record]) -> Vec<MergeField> {
    let flat: Vec<BTreeMap<String, Value>> = versions.iter().map(|r| flatten(&as_json(r))).collect();
    differing_paths(flat.iter().map(Some)).into_iter().map(|path| MergeField { label: label(&path), values: flat.iter().map(|f| shown(f.get(&path))).collect(), path }).collect()
}

/// The record that takes, for each of `fields` ([`merge_fields`]), the value of the
/// version `picks` names (by position), and everything else from the first version.
/// `Err` says why these picks make no record (a list of another length, a field the
/// record's type cannot take).
pub fn merged(versions: &[&Record], fields: &[MergeField], picks: &[usize]) -> Result<Record, String> {
    let first = versions.first().ok_or("no version to merge")?;
    let mut out = as_json(first);
    for (field, pick) in fields.iter().zip(picks) {
        let from = versions.get(*pick).ok_or("no such version")?;
        let value = flatten(&as_json(from)).remove(&field.path);
        set_path(out.get_mut("record").ok_or("a record without content")?, &field.path, value).map_err(|_| format!("{} cannot be merged field by field", label(&field.path)))?;
    }
    serde_json::from_str(&out.to_string()).map_err(|e| format!("the merged version is not a record: {e}"))
}

/// A record as JSON (`{"type", "record"}`), through text as everywhere else.
fn as_json(r: &Record) -> Value {
    serde_json::to_string(r).and_then(|t| serde_json::from_str(&t)).expect("a record serialises")
}

/// The paths whose value is not the same in every one of `flat` (`None`: a deletion,
/// which has none), in order.
fn differing_paths<'a>(flat: impl Iterator<Item = Option<&'a BTreeMap<String, Value>>> + Clone) -> Vec<String> {
    let mut keys: Vec<&String> = flat.clone().flatten().flat_map(BTreeMap::keys).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter().filter(|k| flat.clone().map(|f| f.and_then(|f| f.get(*k))).collect::<Vec<_>>().windows(2).any(|w| w[0] != w[1])).cloned().collect()
}

fn shown(v: Option<&Value>) -> String {
    match v {
        None => "(none)".to_owned(),
        Some(Value::String(s)) => s.clone(),
        // 99, not 99.0: as the app shows numbers.
        Some(Value::Number(n)) => n.as_f64().map_or_else(|| n.to_string(), |f| f.to_string()),
        Some(other) => other.to_string(),
    }
}

/// The leaves of a record's content by dotted path (list items of records numbered from
/// 1), empty texts and nulls left out: what tells two versions apart.
fn flatten(v: &Value) -> BTreeMap<String, Value> {
    fn walk(prefix: String, v: &Value, out: &mut BTreeMap<String, Value>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| walk(if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") }, v, out)),
            Value::Array(a) if a.iter().any(|x| x.is_object() || x.is_array()) => a.iter().enumerate().for_each(|(i, v)| walk(format!("{prefix}.{}", i + 1), v, out)),
            Value::String(s) if s.is_empty() => {}
            Value::Null => {}
            other => {
                out.insert(prefix, other.clone());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(String::new(), v.get("record").unwrap_or(v), &mut out);
    out
}

/// Sets (or with `None` removes) the leaf at `path` in `v`, creating objects on the way;
/// a list item must already be there.
fn set_path(v: &mut Value, path: &str, value: Option<Value>) -> Result<(), ()> {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    match v {
        Value::Object(m) => match rest {
            None => {
                match value {
                    Some(x) => m.insert(head.to_owned(), x),
                    None => m.remove(head),
                };
                Ok(())
            }
            Some(rest) => set_path(m.entry(head.to_owned()).or_insert_with(|| Value::Object(Default::default())), rest, value),
        },
        Value::Array(a) => {
            let i: usize = head.parse().map_err(|_| ())?;
            let item = a.get_mut(i.checked_sub(1).ok_or(())?).ok_or(())?;
            match rest {
                Some(rest) => set_path(item, rest, value),
                None => Err(()),
            }
        }
        _ => Err(()),
    }
}

/// A field path in words: its last names, underscores as spaces.
fn label(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').filter(|p| !matches!(*p, "checkin" | "fields")).collect();
    parts.join(" ").replace('_', " ")
}
