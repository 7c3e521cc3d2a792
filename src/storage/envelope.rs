//! The versioned envelope every stored or exported workspace travels in, and the
//! migrations from every released schema to the current one (pure functions on JSON).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::Workspace;

/// The schema this build writes.
pub const SCHEMA: u32 = 2;

/// The tag that tells a Latitude file from any other JSON.
pub const APP: &str = "latitude";

/// A workspace with what is needed to store it safely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub app: String,
    pub schema: u32,
    /// Incremented on every save: a tab holding an older rev must not overwrite a newer one.
    #[serde(default)]
    pub rev: u64,
    /// Which tab (or tool) wrote it.
    #[serde(default)]
    pub writer: String,
    /// When it was written (ISO 8601, from the writer's clock; informative only).
    #[serde(default)]
    pub saved_at: String,
    pub workspace: Workspace,
}

impl Envelope {
    pub fn new(workspace: Workspace, rev: u64, writer: &str, saved_at: &str) -> Envelope {
        Envelope { app: APP.to_owned(), schema: SCHEMA, rev, writer: writer.to_owned(), saved_at: saved_at.to_owned(), workspace }
    }
}

/// Why an envelope could not be opened.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("this is not a Latitude workspace (no \u{201c}app\u{201d}: \u{201c}latitude\u{201d} tag)")]
    Foreign,
    #[error("written by a newer Latitude (schema {found}; this version reads up to {known}): update the app to open it")]
    Newer { found: u32, known: u32 },
    #[error("schema {found} is not a version Latitude ever wrote")]
    UnknownSchema { found: u32 },
}

/// Brings a JSON envelope of any released schema up to [`SCHEMA`].
///
/// Schema 0 (the first development format) held the workspace fields at the top level
/// and called commitments' owner `unit`; schema 1 wraps them in an envelope; schema 2
/// may hold workshops (`workspace.workshops`), which a schema-1 reader would drop
/// without a word on its next save, so it refuses them as newer instead. A schema-1
/// file is a schema-2 file without workshops.
pub fn migrate(mut value: Value) -> Result<Value, EnvelopeError> {
    let obj = value.as_object().ok_or(EnvelopeError::Foreign)?;
    if obj.get("app").and_then(Value::as_str) != Some(APP) {
        return Err(EnvelopeError::Foreign);
    }
    let schema = obj.get("schema").and_then(Value::as_u64).ok_or(EnvelopeError::Foreign)?;
    let schema = u32::try_from(schema).map_err(|_| EnvelopeError::UnknownSchema { found: u32::MAX })?;
    if schema > SCHEMA {
        return Err(EnvelopeError::Newer { found: schema, known: SCHEMA });
    }
    if schema == 0 {
        value = migrate_0_to_1(value);
    }
    if schema <= 1 {
        value = migrate_1_to_2(value);
    }
    Ok(value)
}

/// Nothing to change but the number: workshops are absent, which reads as none.
fn migrate_1_to_2(mut value: Value) -> Value {
    if let Value::Object(top) = &mut value {
        top.insert("schema".into(), Value::from(2));
    }
    value
}

fn migrate_0_to_1(value: Value) -> Value {
    let Value::Object(mut top) = value else { return value };
    let mut workspace = serde_json::Map::new();
    for key in ["name", "units", "areas", "grants", "commitments", "decisions", "reviews", "pulses", "policy"] {
        if let Some(v) = top.remove(key) {
            workspace.insert(key.to_owned(), v);
        }
    }
    if let Some(Value::Array(commitments)) = workspace.get_mut("commitments") {
        for c in commitments.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(owner) = c.remove("unit") {
                c.insert("owner".into(), owner);
            }
        }
    }
    top.insert("schema".into(), Value::from(1));
    top.insert("workspace".into(), Value::Object(workspace));
    Value::Object(top)
}
