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

/// For each version, the fields in which it differs from at least one other version
/// ("value: 45 · note: counted twice"), or "deleted". Versions with the same content
/// read "the same as …" rather than an empty line.
pub fn differences(versions: &[Option<&Record>]) -> Vec<String> {
    let flat: Vec<Option<BTreeMap<String, String>>> =
        versions.iter().map(|r| r.map(|r| flatten(&serde_json::to_string(r).and_then(|t| serde_json::from_str(&t)).expect("a record serialises")))).collect();
    let mut keys: Vec<&String> = flat.iter().flatten().flat_map(BTreeMap::keys).collect();
    keys.sort();
    keys.dedup();
    let differing: Vec<&String> = keys.into_iter().filter(|k| flat.iter().map(|f| f.as_ref().and_then(|f| f.get(*k))).collect::<Vec<_>>().windows(2).any(|w| w[0] != w[1])).collect();
    flat.iter()
        .map(|f| match f {
            None => "deleted".to_owned(),
            Some(f) => {
                let parts: Vec<String> = differing.iter().map(|k| format!("{}: {}", label(k), f.get(*k).map_or("(none)", String::as_str))).collect();
                if parts.is_empty() {
                    "the same content".to_owned()
                } else {
                    parts.join(" · ")
                }
            }
        })
        .collect()
}

fn flatten(v: &Value) -> BTreeMap<String, String> {
    fn walk(prefix: String, v: &Value, out: &mut BTreeMap<String, String>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| walk(if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") }, v, out)),
            Value::Array(a) if a.iter().any(|x| x.is_object() || x.is_array()) => a.iter().enumerate().for_each(|(i, v)| walk(format!("{prefix}.{}", i + 1), v, out)),
            Value::String(s) if s.is_empty() => {}
            Value::String(s) => {
                out.insert(prefix, s.clone());
            }
            Value::Null => {}
            other => {
                out.insert(prefix, other.to_string());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(String::new(), v.get("record").unwrap_or(v), &mut out);
    out
}

/// A field path in words: its last names, underscores as spaces.
fn label(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').filter(|p| !matches!(*p, "checkin" | "fields")).collect();
    parts.join(" ").replace('_', " ")
}
