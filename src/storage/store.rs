//! Workspaces in a key–value store behind a small [`Backend`] trait, so native tests
//! inject faults (quota, unavailable, corrupt values) that browsers produce.
//!
//! Keys: `latitude/index` lists the workspaces; `latitude/ws/<id>` holds one envelope;
//! `latitude/recovered/<id>` keeps a raw value that could not be read.

use serde::{Deserialize, Serialize};

use crate::core::Workspace;
use crate::perf::Span;

use super::compact;
use super::envelope::{Envelope, EnvelopeError, APP, SCHEMA};
use super::file::{import_envelope, ImportError};

/// The first line of a stored value: the envelope without the workspace, which follows
/// in the compact encoding. Reading the rev needs only this line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredHeader {
    pub app: String,
    pub schema: u32,
    #[serde(default)]
    pub rev: u64,
    #[serde(default)]
    pub writer: String,
    #[serde(default)]
    pub saved_at: String,
    /// The encoding of what follows the first line.
    pub enc: String,
}

/// The current encoding.
/// The layout stored values are written in (older ones are still read).
pub const ENCODING: &str = compact::Layout::CURRENT.tag();

/// A stored value: the header line, a newline, the compact workspace.
pub fn encode_stored(ws: &Workspace, rev: u64, writer: &str, saved_at: &str) -> String {
    let header = StoredHeader { app: APP.to_owned(), schema: SCHEMA, rev, writer: writer.to_owned(), saved_at: saved_at.to_owned(), enc: ENCODING.to_owned() };
    let mut out = serde_json::to_string(&header).unwrap_or_default();
    out.push('\n');
    out.push_str(&compact::encode(ws));
    out
}

/// Reads a stored value in either form: compact (header line + body) or a JSON envelope.
pub fn decode_stored(raw: &str) -> Result<Envelope, ImportError> {
    let Some((first, body)) = raw.split_once('\n').filter(|(first, _)| first.contains("\"enc\"")) else {
        return import_envelope(raw);
    };
    let header: StoredHeader = serde_json::from_str(first).map_err(|e| super::file::json_error(first, e))?;
    if header.app != APP {
        return Err(ImportError::Envelope(EnvelopeError::Foreign));
    }
    if header.schema > SCHEMA {
        return Err(ImportError::Envelope(EnvelopeError::Newer { found: header.schema, known: SCHEMA }));
    }
    let Some(layout) = compact::Layout::from_tag(&header.enc) else {
        return Err(ImportError::Shape(format!("unknown encoding \u{201c}{}\u{201d}", header.enc)));
    };
    let span = Span::start("decode");
    let mut workspace = compact::decode(body, layout)?;
    workspace.normalize();
    span.end();
    let span = Span::start("validate");
    workspace.validate().map_err(ImportError::Invalid)?;
    span.end();
    Ok(Envelope { app: header.app, schema: SCHEMA, rev: header.rev, writer: header.writer, saved_at: header.saved_at, workspace })
}

pub const PREFIX: &str = "latitude/";
pub const INDEX_KEY: &str = "latitude/index";

pub fn workspace_key(id: &str) -> String {
    format!("{PREFIX}ws/{id}")
}

pub fn recovered_key(id: &str) -> String {
    format!("{PREFIX}recovered/{id}")
}

/// What a backend can fail with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StorageError {
    #[error("browser storage is full")]
    Quota,
    #[error("browser storage is not available here (private mode, a sandboxed frame or disabled storage)")]
    Unavailable,
    #[error("browser storage failed: {0}")]
    Other(String),
}

/// A string key–value store such as localStorage.
pub trait Backend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError>;
    fn remove(&mut self, key: &str) -> Result<(), StorageError>;
}

/// An in-memory backend: the fallback when storage is unavailable, and the test double.
#[derive(Debug, Default, Clone)]
pub struct MemoryBackend {
    pub map: std::collections::BTreeMap<String, String>,
    /// Fail writes whose value exceeds this many characters in total (quota).
    pub quota_chars: Option<usize>,
    /// Every call fails as unavailable.
    pub unavailable: bool,
    /// Number of successful writes (tests assert zero writes).
    pub writes: usize,
}

impl Backend for MemoryBackend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        if self.unavailable {
            return Err(StorageError::Unavailable);
        }
        Ok(self.map.get(key).cloned())
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        if self.unavailable {
            return Err(StorageError::Unavailable);
        }
        if let Some(limit) = self.quota_chars {
            let used: usize = self.map.iter().filter(|(k, _)| k.as_str() != key).map(|(k, v)| k.len() + v.len()).sum();
            if used + key.len() + value.len() > limit {
                return Err(StorageError::Quota);
            }
        }
        self.map.insert(key.to_owned(), value.to_owned());
        self.writes += 1;
        Ok(())
    }
    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        if self.unavailable {
            return Err(StorageError::Unavailable);
        }
        self.map.remove(key);
        Ok(())
    }
}

/// One workspace in the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceMeta {
    pub id: String,
    pub name: String,
}

/// The list of workspaces, which one is open, and the export reminder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreIndex {
    pub workspaces: Vec<WorkspaceMeta>,
    #[serde(default)]
    pub active: Option<String>,
    /// Date (YYYY-MM-DD) of the last export from this browser.
    #[serde(default)]
    pub last_export: Option<String>,
    /// Date (YYYY-MM-DD) this browser first saved Latitude data: with no export yet, the
    /// reminder counts from here, so a first visit is not nagged.
    #[serde(default)]
    pub since: Option<String>,
    /// Remind to export when the last export is older than this many days (0: never).
    #[serde(default = "default_reminder_days")]
    pub export_reminder_days: u32,
}

fn default_reminder_days() -> u32 {
    14
}

impl Default for StoreIndex {
    fn default() -> Self {
        StoreIndex { workspaces: Vec::new(), active: None, last_export: None, since: None, export_reminder_days: default_reminder_days() }
    }
}

/// What reading a stored workspace found.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadOutcome {
    Missing,
    Loaded(Box<Envelope>),
    /// Written by a newer schema: open read-only, never write.
    Newer {
        raw: String,
        found: u32,
    },
    /// Could not be read; the raw value is kept aside under `recovered_key`.
    Corrupt {
        raw: String,
        problem: String,
    },
}

/// Why a save did not happen. What was stored before is untouched in every case.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("another tab saved a newer version (rev {theirs}, this tab has rev {ours})")]
    Conflict { ours: u64, theirs: u64 },
    #[error("this workspace was written by a newer Latitude and is open read-only")]
    ReadOnly,
}

/// Workspaces over a backend.
pub struct Store<B: Backend> {
    pub backend: B,
    /// Identifies this tab in envelopes.
    pub writer: String,
}

impl<B: Backend> Store<B> {
    pub fn new(backend: B, writer: impl Into<String>) -> Self {
        Store { backend, writer: writer.into() }
    }

    pub fn index(&self) -> Result<StoreIndex, StorageError> {
        Ok(match self.backend.get(INDEX_KEY)? {
            Some(raw) => serde_json::from_str(&raw).unwrap_or_default(),
            None => StoreIndex::default(),
        })
    }

    pub fn save_index(&mut self, index: &StoreIndex) -> Result<(), StorageError> {
        let raw = serde_json::to_string(index).map_err(|e| StorageError::Other(e.to_string()))?;
        self.backend.set(INDEX_KEY, &raw)
    }

    /// Reads a workspace; a value that cannot be read is copied aside, never dropped.
    pub fn load(&mut self, id: &str) -> Result<LoadOutcome, StorageError> {
        let span = Span::start("read");
        let Some(raw) = self.backend.get(&workspace_key(id))? else { return Ok(LoadOutcome::Missing) };
        span.end();
        match decode_stored(&raw) {
            Ok(env) => Ok(LoadOutcome::Loaded(Box::new(env))),
            Err(ImportError::Envelope(EnvelopeError::Newer { found, .. })) => Ok(LoadOutcome::Newer { raw, found }),
            Err(e) => {
                // Best effort: if even the copy fails (quota), the original stays where it is.
                let _ = self.backend.set(&recovered_key(id), &raw);
                Ok(LoadOutcome::Corrupt { raw, problem: e.to_string() })
            }
        }
    }

    /// The rev currently stored for a workspace (0 when none or unreadable).
    pub fn stored_rev(&self, id: &str) -> Result<u64, StorageError> {
        #[derive(Deserialize)]
        struct RevOnly {
            #[serde(default)]
            rev: u64,
        }
        // Only the first line: a compact value's header, or a whole JSON envelope.
        Ok(self
            .backend
            .get(&workspace_key(id))?
            .and_then(|raw| {
                let first = raw.split_once('\n').map(|(f, _)| f).filter(|f| f.contains("\"enc\"")).unwrap_or(&raw);
                serde_json::from_str::<RevOnly>(first).ok()
            })
            .map(|r| r.rev)
            .unwrap_or(0))
    }

    /// Saves if the stored rev is still `base_rev` (read-check-write); returns the new rev.
    pub fn save(&mut self, id: &str, ws: &Workspace, base_rev: u64, saved_at: &str) -> Result<u64, SaveError> {
        let theirs = self.stored_rev(id)?;
        if theirs != base_rev {
            return Err(SaveError::Conflict { ours: base_rev, theirs });
        }
        let rev = base_rev + 1;
        let raw = encode_stored(ws, rev, &self.writer, saved_at);
        self.backend.set(&workspace_key(id), &raw)?;
        Ok(rev)
    }

    pub fn remove(&mut self, id: &str) -> Result<(), StorageError> {
        self.backend.remove(&workspace_key(id))
    }
}
