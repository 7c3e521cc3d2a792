//! Workspaces in a key–value store behind a small [`Backend`] trait, so native tests
//! inject faults (quota, unavailable, corrupt values) that browsers produce.
//!
//! Keys: `latitude/index` lists the workspaces; `latitude/ws/<id>` holds one envelope;
//! `latitude/recovered/<id>` keeps a raw value that could not be read (`…/index` for the
//! list itself; a second unreadable value of the same key goes to `…/<id>.2`, and so on).
//!
//! Nothing stored becomes unreachable: a list that cannot be read is kept aside and
//! rebuilt from the stored workspaces themselves, and a workspace stored but missing
//! from the list is listed again ([`Store::read_index`]).

use serde::{Deserialize, Serialize};

use crate::core::{Name, Workspace};
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

/// The schema a stored value's header names: the envelope's [`SCHEMA`] through layout
/// `c2`, 3 from layout `c3` on. A build that knows only `c1` and `c2` also knows only
/// schema 2, so it leaves a `c3` value untouched and says it was saved by a newer
/// Latitude (read-only, nothing written), where an unknown layout would have sent it to
/// the recovery page as damaged data: a tab still running the earlier build while another
/// tab saves with this one. Files (export, import) keep the envelope's [`SCHEMA`].
pub const STORED_SCHEMA: u32 = 3;

/// A stored value: the header line, a newline, the compact workspace.
pub fn encode_stored(ws: &Workspace, rev: u64, writer: &str, saved_at: &str) -> String {
    let header = StoredHeader { app: APP.to_owned(), schema: STORED_SCHEMA, rev, writer: writer.to_owned(), saved_at: saved_at.to_owned(), enc: ENCODING.to_owned() };
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
    if header.schema > STORED_SCHEMA {
        return Err(ImportError::Envelope(EnvelopeError::Newer { found: header.schema, known: STORED_SCHEMA }));
    }
    let Some(layout) = compact::Layout::from_tag(&header.enc) else {
        return Err(ImportError::Shape(format!("unknown encoding \u{201c}{}\u{201d}", header.enc)));
    };
    let span = Span::start("decode");
    let mut workspace = compact::decode(body, layout)?;
    workspace.normalize();
    // Limits added to the policy later never make a stored workspace unreadable.
    workspace.policy.clamp_to_limits();
    span.end();
    let span = Span::start("validate");
    workspace.validate().map_err(ImportError::Invalid)?;
    span.end();
    Ok(Envelope { app: header.app, schema: SCHEMA, rev: header.rev, writer: header.writer, saved_at: header.saved_at, workspace })
}

pub const PREFIX: &str = "latitude/";
pub const INDEX_KEY: &str = "latitude/index";

/// The revision and writer in a stored workspace's header (its first line: a compact
/// value's header, or a whole JSON envelope).
pub fn head_of(raw: &str) -> Option<(u64, Option<String>)> {
    #[derive(Deserialize)]
    struct Head {
        #[serde(default)]
        rev: u64,
        #[serde(default)]
        writer: Option<String>,
    }
    let first = raw.split_once('\n').map(|(f, _)| f).filter(|f| f.contains("\"enc\"")).unwrap_or(raw);
    serde_json::from_str::<Head>(first).ok().map(|h| (h.rev, h.writer))
}

pub fn workspace_key(id: &str) -> String {
    format!("{PREFIX}ws/{id}")
}

/// Where a shared workspace keeps its link to the team database (its replica: outbox,
/// checkpoint, revisions and conflicts), beside the workspace itself.
pub fn team_key(id: &str) -> String {
    format!("{PREFIX}team/{id}")
}

/// How many keys a shared workspace's revisions are spread over: an edit rewrites the
/// one its document falls in, not all of them.
pub const REV_BUCKETS: usize = 64;

/// Which of the [`REV_BUCKETS`] a document's revision is kept in (FNV-1a of its id).
pub fn rev_bucket(id: &str) -> usize {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    (h % REV_BUCKETS as u64) as usize
}

/// Where one bucket of a shared workspace's revisions is kept.
pub fn team_revs_key(id: &str, bucket: usize) -> String {
    format!("{PREFIX}team-revs/{id}/{bucket}")
}

pub fn recovered_key(id: &str) -> String {
    format!("{PREFIX}recovered/{id}")
}

/// Where a tab that kept its own version of a workspace over another tab's says which
/// revision it copied aside, and as what ([`Kept`]): the tabs that showed that revision
/// tell their user when the replacing version arrives.
pub fn kept_key(id: &str) -> String {
    format!("{PREFIX}kept/{id}")
}

/// A revision of a workspace copied aside before another version was written over it,
/// stored as two lines: the revision, then the name (no JSON: nothing else reads it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The revision copied.
    pub rev: u64,
    /// The name of the workspace it was copied to.
    pub name: String,
}

/// Where a tab that closed during a conflict names the workspace its own version was
/// kept as, until the next start has said so ([`Store::note_set_aside`]).
pub const SET_ASIDE_KEY: &str = "latitude/set-aside";

/// Where an unreadable workspace list is kept aside.
pub const RECOVERED_INDEX_KEY: &str = "latitude/recovered/index";

/// The workspace id a `latitude/ws/<id>` key holds, if it is one.
pub fn workspace_id(key: &str) -> Option<&str> {
    key.strip_prefix(PREFIX)?.strip_prefix("ws/").filter(|id| !id.is_empty())
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
    /// A value saved by a newer version of Latitude, which this one cannot copy.
    #[error("it was saved by a newer version of Latitude (schema {0}), which this one cannot copy")]
    Newer(u32),
}

/// A string key–value store such as localStorage.
pub trait Backend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError>;
    fn remove(&mut self, key: &str) -> Result<(), StorageError>;
    /// Every stored key that starts with `prefix`, in any order.
    fn keys(&self, prefix: &str) -> Result<Vec<String>, StorageError>;
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
    fn keys(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        if self.unavailable {
            return Err(StorageError::Unavailable);
        }
        Ok(self.map.keys().filter(|k| k.starts_with(prefix)).cloned().collect())
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

impl StoreIndex {
    /// A name for the workspace `id` that no other listed workspace has: `base`, or
    /// `base` with `label` in brackets, numbered from the second ("Northwind (2)",
    /// "Northwind (other tab's version 2)"), `base` shortened so that the whole fits
    /// [`Name::MAX_CHARS`].
    pub fn free_name(&self, base: &Name, label: Option<&str>, id: &str) -> Name {
        let taken = |name: &str| self.workspaces.iter().any(|m| m.id != id && m.name == name);
        (1..=self.workspaces.len() + 1)
            .map(|n| match (label, n) {
                (None, 1) => String::new(),
                (None, n) => format!(" ({n})"),
                (Some(label), 1) => format!(" ({label})"),
                (Some(label), n) => format!(" ({label} {n})"),
            })
            .filter_map(|suffix| {
                let room = Name::MAX_CHARS.saturating_sub(suffix.chars().count());
                let kept: String = base.as_str().chars().take(room).collect();
                Name::new(format!("{}{suffix}", kept.trim_end())).ok()
            })
            .find(|name| !taken(name.as_str()))
            .unwrap_or_else(|| base.clone())
    }
}

/// What reading the workspace list found.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRead {
    pub index: StoreIndex,
    /// Set when the stored list was not usable as it was.
    pub recovery: Option<IndexRecovery>,
}

/// How the workspace list was repaired.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRecovery {
    /// What could not be read in the stored list (empty when it was only incomplete).
    pub problems: Vec<String>,
    /// Where the unreadable value was copied (`None` when nothing needed copying, or
    /// the copy failed, in which case the stored list was not overwritten either).
    pub kept_at: Option<String>,
    /// Workspaces found in storage that the list did not name, now listed again.
    pub relisted: Vec<WorkspaceMeta>,
    /// Whether the repaired list was written back (so the next start finds it whole).
    pub written: bool,
}

impl IndexRecovery {
    /// What to tell the user, once.
    pub fn message(&self) -> String {
        let names = self.relisted.iter().map(|m| format!("\u{201c}{}\u{201d}", m.name)).collect::<Vec<_>>().join(", ");
        let found = match self.relisted.len() {
            0 => "no workspace was missing".to_owned(),
            1 => format!("1 stored workspace ({names}) is listed again"),
            n => format!("{n} stored workspaces ({names}) are listed again"),
        };
        let mut text = if self.problems.is_empty() {
            format!("The list of workspaces in this browser was incomplete: {found}.")
        } else {
            format!("The list of workspaces in this browser could not be read ({}), so it was rebuilt from the workspaces stored here: {found}.", self.problems.join("; "))
        };
        match (&self.kept_at, self.problems.is_empty()) {
            (Some(key), _) => text.push_str(&format!(" The unreadable list is kept under \u{201c}{key}\u{201d}.")),
            (None, false) => text.push_str(" The unreadable list could not be copied aside (storage is full), so it was left as it is."),
            (None, true) => {}
        }
        if !self.written {
            text.push_str(" The repaired list is not saved yet.");
        }
        text
    }
}

/// Copies an unreadable value aside under `key`, or `key.2`, `key.3`… when `key` already
/// keeps another value (a copy is never overwritten). Returns where it is kept.
fn keep_aside<B: Backend>(backend: &mut B, key: &str, raw: &str) -> Result<String, StorageError> {
    for n in 1..=1000u32 {
        let slot = if n == 1 { key.to_owned() } else { format!("{key}.{n}") };
        match backend.get(&slot)? {
            Some(kept) if kept == raw => return Ok(slot),
            Some(_) => continue,
            None => {
                backend.set(&slot, raw)?;
                return Ok(slot);
            }
        }
    }
    Err(StorageError::Other(format!("too many values kept aside under {key}")))
}

/// Reads a stored workspace list field by field: what is readable is kept, each field
/// that is not is named. Fields a newer version may add are ignored.
fn parse_index(raw: &str) -> (StoreIndex, Vec<String>) {
    use serde_json::Value;
    let mut index = StoreIndex::default();
    let mut problems = Vec::new();
    let value: Value = match serde_json::from_str(raw) {
        Ok(v) => v,
        Err(_) if raw.trim().is_empty() => return (index, vec!["it was empty".into()]),
        Err(e) if e.is_eof() => return (index, vec!["it was cut short".into()]),
        Err(_) => return (index, vec!["it was not valid JSON".into()]),
    };
    let Value::Object(map) = value else {
        let what = match value {
            Value::Number(_) => "a number",
            Value::String(_) => "a piece of text",
            Value::Array(_) => "a bare list",
            Value::Bool(_) => "true or false",
            _ => "null",
        };
        return (index, vec![format!("it held {what} instead of a list of workspaces")]);
    };
    match map.get("workspaces") {
        Some(Value::Array(list)) => {
            let mut bad = 0;
            for entry in list {
                match serde_json::from_value::<WorkspaceMeta>(entry.clone()) {
                    Ok(m) if !m.id.is_empty() && !index.workspaces.iter().any(|w| w.id == m.id) => index.workspaces.push(m),
                    Ok(m) if !m.id.is_empty() => {}
                    _ => bad += 1,
                }
            }
            if bad > 0 {
                problems.push(format!("{bad} of its {} entries could not be read", list.len()));
            }
        }
        Some(_) => problems.push("its \u{201c}workspaces\u{201d} field was not a list".into()),
        None => problems.push("it was not Latitude\u{2019}s list (no \u{201c}workspaces\u{201d} field)".into()),
    }
    match map.get("active") {
        None | Some(Value::Null) => {}
        Some(Value::String(id)) => index.active = Some(id.clone()),
        Some(_) => problems.push("which workspace was open could not be read".into()),
    }
    for (field, slot, words) in [("last_export", &mut index.last_export, "the date of the last export"), ("since", &mut index.since, "the date of the first save")] {
        match map.get(field) {
            None | Some(Value::Null) => {}
            Some(Value::String(d)) if crate::core::parse_date(d).is_ok() => *slot = Some(d.clone()),
            Some(_) => problems.push(format!("{words} could not be read")),
        }
    }
    match map.get("export_reminder_days") {
        None => {}
        Some(v) => match v.as_u64().and_then(|d| u32::try_from(d).ok()) {
            Some(d) => index.export_reminder_days = d,
            None => problems.push("the export reminder\u{2019}s days could not be read".into()),
        },
    }
    (index, problems)
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

    /// The workspace list, repaired if needed (see [`Store::read_index`]).
    pub fn index(&mut self) -> Result<StoreIndex, StorageError> {
        Ok(self.read_index()?.index)
    }

    /// Reads the workspace list. Whatever it cannot use is never replaced by a default:
    /// an unreadable value (or unreadable fields of it) is copied aside under
    /// [`RECOVERED_INDEX_KEY`], the list is rebuilt from the stored workspaces (their keys
    /// and their own names), and the repaired list is written only once the copy is safe.
    /// A workspace stored but missing from a readable list is listed again. The
    /// [`IndexRecovery`] says what happened, for the user to be told once. With no list
    /// stored at all, the stored workspaces are listed and nothing is written or told.
    pub fn read_index(&mut self) -> Result<IndexRead, StorageError> {
        let raw = self.backend.get(INDEX_KEY)?;
        let (mut index, problems) = match &raw {
            Some(raw) => parse_index(raw),
            None => (StoreIndex::default(), Vec::new()),
        };
        let mut relisted = Vec::new();
        let mut ids: Vec<String> = self.backend.keys(PREFIX)?.iter().filter_map(|k| workspace_id(k)).map(str::to_owned).collect();
        ids.sort();
        for id in ids {
            if index.workspaces.iter().any(|m| m.id == id) {
                continue;
            }
            let name = self.stored_name(&id)?;
            let meta = WorkspaceMeta { id, name };
            index.workspaces.push(meta.clone());
            relisted.push(meta);
        }
        if index.active.is_none() && !index.workspaces.is_empty() {
            // Nothing readable says which one was open: the usual first one, else the first.
            let default = index.workspaces.iter().find(|m| m.id == "default").unwrap_or(&index.workspaces[0]);
            index.active = Some(default.id.clone());
        }
        // No list at all is how a browser starts (or how the first release left it before
        // its first save): list what is stored, and let the next save write the list.
        // This also keeps a value from a newer version opening without a single write.
        if (problems.is_empty() && relisted.is_empty()) || raw.is_none() {
            return Ok(IndexRead { index, recovery: None });
        }
        let kept_at = match (&raw, problems.is_empty()) {
            (Some(raw), false) => keep_aside(&mut self.backend, RECOVERED_INDEX_KEY, raw).ok(),
            _ => None,
        };
        // Overwrite an unreadable list only once it is safe elsewhere.
        let safe = problems.is_empty() || kept_at.is_some();
        let written = safe && self.save_index(&index).is_ok();
        Ok(IndexRead { index, recovery: Some(IndexRecovery { problems, kept_at, relisted, written }) })
    }

    /// A stored workspace's own name, for listing it again.
    fn stored_name(&self, id: &str) -> Result<String, StorageError> {
        let Some(raw) = self.backend.get(&workspace_key(id))? else { return Ok(format!("Workspace {id}")) };
        Ok(match decode_stored(&raw) {
            Ok(env) => env.workspace.name.to_string(),
            Err(ImportError::Envelope(EnvelopeError::Newer { .. })) => format!("Workspace {id} (from a newer Latitude)"),
            Err(_) => format!("Workspace {id} (cannot be read)"),
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
                let _ = keep_aside(&mut self.backend, &recovered_key(id), &raw);
                Ok(LoadOutcome::Corrupt { raw, problem: e.to_string() })
            }
        }
    }

    /// The rev currently stored for a workspace (0 when none or unreadable).
    pub fn stored_rev(&self, id: &str) -> Result<u64, StorageError> {
        Ok(self.stored_head(id)?.0)
    }

    /// The rev currently stored for a workspace (0 when none or unreadable) and the tab
    /// that wrote it, read from the header alone.
    pub fn stored_head(&self, id: &str) -> Result<(u64, Option<String>), StorageError> {
        Ok(self.backend.get(&workspace_key(id))?.and_then(|raw| head_of(&raw)).unwrap_or((0, None)))
    }

    /// Puts back what the browser's crash journal kept of writes the browser had not
    /// stored when it closed (`entries`: its keys and values). The workspace list is put
    /// back only where none is stored; a workspace only as a later revision than the one
    /// stored ([`Store::restore_journaled`]), and listed again if the list stored lacks
    /// it; the workspace opened last is the journal's where the list stored names
    /// another. Returns the ids of the workspaces put back, and whether the list (or the
    /// workspace it opens) was.
    pub fn restore_journal(&mut self, entries: &[(String, String)]) -> Result<(Vec<String>, bool), StorageError> {
        let journaled_index = entries.iter().find(|(k, _)| k == INDEX_KEY).and_then(|(_, v)| serde_json::from_str::<StoreIndex>(v).ok());
        let mut index_restored = false;
        if let Some(index) = &journaled_index {
            if self.backend.get(INDEX_KEY)?.is_none() {
                self.save_index(index)?;
                index_restored = true;
            } else if let Some(active) = index.active.as_deref() {
                // The list stored is an earlier write than the journal's: the workspace
                // opened last is the journal's, where it is stored or journaled.
                let mut stored = self.index()?;
                let there = self.backend.get(&workspace_key(active))?.is_some() || entries.iter().any(|(k, _)| *k == workspace_key(active));
                if stored.active.as_deref() != Some(active) && there {
                    stored.active = Some(active.to_owned());
                    self.save_index(&stored)?;
                    index_restored = true;
                }
            }
        }
        let journal_lists = |id: &str| journaled_index.as_ref().is_some_and(|i| i.workspaces.iter().any(|m| m.id == id));
        let mut restored = Vec::new();
        for (key, value) in entries {
            let Some(id) = workspace_id(key) else { continue };
            if self.restore_journaled(key, value, journal_lists(id))? {
                restored.push(id.to_owned());
            }
        }
        // A workspace put back that the stored list lacks (made just before the browser
        // closed) is listed again, under the name the journal's list gave it.
        let mut index = self.index()?;
        let mut listed_again = false;
        for id in &restored {
            if !index.workspaces.iter().any(|m| m.id == *id) {
                let name = journaled_index.as_ref().and_then(|i| i.workspaces.iter().find(|m| m.id == *id)).map(|m| m.name.clone()).unwrap_or_else(|| id.clone());
                index.workspaces.push(WorkspaceMeta { id: id.clone(), name });
                listed_again = true;
            }
        }
        if listed_again {
            self.save_index(&index)?;
        }
        Ok((restored, index_restored))
    }

    /// Puts back a workspace's value kept by the browser's crash journal, if it is a
    /// later revision than the one stored (the browser was closed or crashed before it
    /// had stored the last writes). A value whose workspace is not stored is put back only
    /// if a list names it (the one stored, or the journal's: `listed_in_journal`); else it
    /// was deleted. Returns whether it was put back.
    pub fn restore_journaled(&mut self, key: &str, journaled: &str, listed_in_journal: bool) -> Result<bool, StorageError> {
        let Some(id) = workspace_id(key) else { return Ok(false) };
        // A shared workspace's sync state is not journaled: its edits come back from the
        // team's database instead.
        if self.team(id)?.is_some() {
            return Ok(false);
        }
        let stored = self.backend.get(key)?;
        if stored.is_none() && !listed_in_journal && !self.index()?.workspaces.iter().any(|m| m.id == id) {
            return Ok(false);
        }
        let rev = |raw: &str| head_of(raw).map(|(rev, _)| rev).unwrap_or(0);
        if rev(journaled) <= stored.as_deref().map(rev).unwrap_or(0) {
            return Ok(false);
        }
        // Only a value this version can read is put back (a stored value that cannot be
        // read has been copied aside by [`Store::load`] already).
        if decode_stored(journaled).is_err() {
            return Ok(false);
        }
        self.backend.set(key, journaled)?;
        Ok(true)
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

    /// Copies the stored workspace `id` aside ([`Store::keep_aside`]) and notes the
    /// revision copied ([`Store::kept`]): what a tab does before it writes its own
    /// version over another tab's. Returns the copy's name; `None` when nothing readable
    /// is stored under `id` (an unreadable value is copied aside by [`Store::load`]
    /// instead); an error, and nothing written, when the stored value is from a newer
    /// version of Latitude.
    pub fn keep_copy(&mut self, id: &str, copy_id: &str, label: &str, saved_at: &str) -> Result<Option<String>, StorageError> {
        let env = match self.load(id)? {
            LoadOutcome::Loaded(env) => env,
            // This version cannot read it, so cannot copy it: the caller must not write.
            LoadOutcome::Newer { found, .. } => return Err(StorageError::Newer(found)),
            LoadOutcome::Missing | LoadOutcome::Corrupt { .. } => return Ok(None),
        };
        let name = self.keep_aside(id, copy_id, &env.workspace, label, saved_at)?;
        self.backend.set(&kept_key(id), &format!("{}\n{name}", env.rev))?;
        Ok(Some(name))
    }

    /// An id for a new workspace that no workspace listed or stored has, nor any value
    /// kept under a workspace's id: `ws-` and eight hex digits of `random`, drawn again
    /// while taken, numbered after a few draws that all were.
    pub fn free_id(&mut self, mut random: impl FnMut() -> u32) -> Result<String, StorageError> {
        let listed = self.index()?.workspaces;
        let keys = self.backend.keys(PREFIX)?;
        let taken = |id: &str| listed.iter().any(|m| m.id == id) || keys.iter().any(|k| k.ends_with(&format!("/{id}")) || k.contains(&format!("/{id}/")));
        let mut id = String::new();
        for draw in 0.. {
            id = match draw {
                0..8 => format!("ws-{:08x}", random()),
                n => format!("{}-{n}", &id[..11]),
            };
            if !taken(&id) {
                break;
            }
        }
        Ok(id)
    }

    /// Stores `ws`, a version of workspace `id`, as the workspace `copy_id`, named after
    /// it with `label` in brackets (numbered from the second copy; its name shortened to
    /// fit [`Name::MAX_CHARS`]) and listed right after `id`. Storing it again under the
    /// same `copy_id` replaces it under the same name. The copy is local (no team link)
    /// and starts a history of its own. Returns the copy's name; on an error nothing is
    /// listed and the workspace `id` is untouched.
    pub fn keep_aside(&mut self, id: &str, copy_id: &str, ws: &Workspace, label: &str, saved_at: &str) -> Result<String, StorageError> {
        // The list is read before the copy is stored: read after, it would list the
        // copy once as found in storage, and again below.
        let mut index = self.index()?;
        let listed = index.workspaces.iter().any(|m| m.id == copy_id);
        index.workspaces.retain(|m| m.id != copy_id);
        // A second copy of the same workspace and label is numbered: "(set aside 2026-11-29 05:01 2)".
        let mut copy = ws.clone();
        copy.name = index.free_name(&ws.name, Some(label), copy_id);
        self.backend.set(&workspace_key(copy_id), &encode_stored(&copy, 1, &self.writer, saved_at))?;
        let name = copy.name.to_string();
        let meta = WorkspaceMeta { id: copy_id.to_owned(), name: name.clone() };
        match index.workspaces.iter().position(|m| m.id == id) {
            Some(at) => index.workspaces.insert(at + 1, meta),
            None => index.workspaces.push(meta),
        }
        if let Err(e) = self.save_index(&index) {
            // Not listed, so not kept: take a new copy back rather than leave it unseen.
            if !listed {
                let _ = self.backend.remove(&workspace_key(copy_id));
            }
            return Err(e);
        }
        Ok(name)
    }

    /// Notes that a tab, closing or reloading while it waited on a conflict, kept its own
    /// version aside as the workspace `name`: the next start says so once
    /// ([`Store::take_set_aside`]).
    pub fn note_set_aside(&mut self, name: &str) -> Result<(), StorageError> {
        self.backend.set(SET_ASIDE_KEY, name)
    }

    /// The name [`Store::note_set_aside`] noted, removed as it is read.
    pub fn take_set_aside(&mut self) -> Result<Option<String>, StorageError> {
        let name = self.backend.get(SET_ASIDE_KEY)?;
        if name.is_some() {
            self.backend.remove(SET_ASIDE_KEY)?;
        }
        Ok(name)
    }

    /// The last revision of workspace `id` a tab copied aside before writing over it.
    pub fn kept(&self, id: &str) -> Result<Option<Kept>, StorageError> {
        Ok(self.backend.get(&kept_key(id))?.and_then(|raw| {
            let (rev, name) = raw.split_once('\n')?;
            Some(Kept { rev: rev.parse().ok()?, name: name.to_owned() })
        }))
    }

    /// Removes a workspace and its team link.
    pub fn remove(&mut self, id: &str) -> Result<(), StorageError> {
        for bucket in 0..REV_BUCKETS {
            self.backend.remove(&team_revs_key(id, bucket))?;
        }
        self.backend.remove(&team_key(id))?;
        self.backend.remove(&kept_key(id))?;
        self.backend.remove(&workspace_key(id))
    }

    /// The stored team link of a shared workspace, as written by [`Store::set_team`].
    pub fn team(&self, id: &str) -> Result<Option<String>, StorageError> {
        self.backend.get(&team_key(id))
    }

    /// One bucket of a shared workspace's revisions, as written by [`Store::set_team_revs`].
    pub fn team_revs(&self, id: &str, bucket: usize) -> Result<Option<String>, StorageError> {
        self.backend.get(&team_revs_key(id, bucket))
    }

    /// Stores (or, with `None`, removes) one bucket of a workspace's revisions.
    pub fn set_team_revs(&mut self, id: &str, bucket: usize, raw: Option<&str>) -> Result<(), StorageError> {
        match raw {
            Some(raw) => self.backend.set(&team_revs_key(id, bucket), raw),
            None => self.backend.remove(&team_revs_key(id, bucket)),
        }
    }

    /// Stores (or, with `None`, removes) a workspace's team link.
    pub fn set_team(&mut self, id: &str, raw: Option<&str>) -> Result<(), StorageError> {
        match raw {
            Some(raw) => self.backend.set(&team_key(id), raw),
            None => self.backend.remove(&team_key(id)),
        }
    }
}
