//! Read-only snapshot links: a workspace (or one unit's part of it) compressed into the
//! URL fragment, which browsers never send to a server. Versioned, size-checked and
//! validated like any import.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::core::series::MapPoint;
use crate::core::{Name, UnitId, Workspace};
use serde::{Deserialize, Serialize};

use super::compact;

/// The snapshot format this build writes and reads.
pub const VERSION: u32 = 1;
/// Fragments longer than this are refused before decoding.
pub const MAX_FRAGMENT_CHARS: usize = 4_000_000;
/// Links longer than this are cut or refused by common chat tools.
pub const CHAT_LIMIT: usize = 2_000;
/// Links longer than this are too long for most wiki editors.
pub const WIKI_LIMIT: usize = 8_000;

/// What a snapshot shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Workspace,
    /// One unit and its direct reports.
    Unit(UnitId),
    /// Only the org map's points: names and the two scores, no records.
    Map,
}

/// A map-only snapshot: what the org map shows and nothing more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapOnly {
    pub name: String,
    #[serde(with = "crate::core::dates::iso")]
    pub as_of: time::Date,
    pub points: Vec<MapPoint>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub scope: Scope,
    /// The records shared (an empty workspace for a map-only snapshot).
    pub workspace: Workspace,
    /// The map of a map-only snapshot.
    pub map: Option<MapOnly>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SnapshotError {
    #[error("the link is {0} characters long; links longer than {MAX_FRAGMENT_CHARS} are not opened")]
    TooLong(usize),
    #[error("the link is not a Latitude snapshot, or it was cut short when it was copied")]
    Malformed,
    #[error("the link was made by a newer version of Latitude (snapshot format {0}); open it with an up-to-date copy")]
    Newer(u32),
    #[error("the snapshot's data is damaged: {0}")]
    Damaged(String),
}

/// The part of the workspace a unit's snapshot shares: the unit and its direct reports,
/// with their records; references to anyone else are dropped.
pub fn unit_part(ws: &Workspace, unit: UnitId) -> Workspace {
    let keep: Vec<UnitId> = std::iter::once(unit).chain(ws.children(unit).map(|u| u.id)).collect();
    let mut part = ws.clone();
    let others: Vec<UnitId> = part.units.iter().map(|u| u.id).filter(|id| !keep.contains(id)).collect();
    for id in others {
        part.remove_unit(id);
    }
    if let Some(u) = part.units.iter_mut().find(|u| u.id == unit) {
        u.parent = None;
    }
    part
}

/// Encodes a snapshot as `VERSION.scope.data` (base64url of the compact bytes). A map
/// scope shares the map of the workspace as scored on `as_of`.
pub fn encode(ws: &Workspace, scope: Scope) -> String {
    let (tag, part) = match scope {
        Scope::Workspace => ("w".to_owned(), ws.clone()),
        Scope::Unit(u) => (format!("u{}", u.0), unit_part(ws, u)),
        Scope::Map => {
            let as_of = ws.last_date().unwrap_or(time::Date::MIN);
            return encode_map(ws, as_of);
        }
    };
    format!("{VERSION}.{tag}.{}", URL_SAFE_NO_PAD.encode(compact::to_bytes(&part)))
}

/// A map-only snapshot of the workspace as scored on `as_of`.
pub fn encode_map(ws: &Workspace, as_of: time::Date) -> String {
    let scores = crate::core::score(ws, &ws.policy, as_of);
    let map = MapOnly { name: ws.name.to_string(), as_of, points: crate::core::series::map_points(ws, &scores) };
    let json = serde_json::to_vec(&map).unwrap_or_default();
    format!("{VERSION}.m.{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&json, 9)))
}

fn decode_map(bytes: &[u8]) -> Result<MapOnly, SnapshotError> {
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, 64 << 20).map_err(|_| SnapshotError::Damaged("compressed stream".into()))?;
    let map: MapOnly = serde_json::from_slice(&json).map_err(|e| SnapshotError::Damaged(e.to_string()))?;
    for p in &map.points {
        let ok = [p.x, p.y].iter().all(|v| v.is_finite() && (0.0..=100.0).contains(v)) && Name::new(&p.name).is_ok();
        if !ok {
            return Err(SnapshotError::Damaged(format!("a point of \u{201c}{}\u{201d} is out of range", p.name.chars().take(40).collect::<String>())));
        }
    }
    Ok(map)
}

/// Decodes and validates a snapshot fragment.
pub fn decode(text: &str) -> Result<Snapshot, SnapshotError> {
    let len = text.chars().count();
    if len > MAX_FRAGMENT_CHARS {
        return Err(SnapshotError::TooLong(len));
    }
    let mut parts = text.splitn(3, '.');
    let (Some(version), Some(tag), Some(data)) = (parts.next(), parts.next(), parts.next()) else { return Err(SnapshotError::Malformed) };
    let version: u32 = version.parse().map_err(|_| SnapshotError::Malformed)?;
    if version > VERSION {
        return Err(SnapshotError::Newer(version));
    }
    if version == 0 {
        return Err(SnapshotError::Malformed);
    }
    let scope = match tag {
        "w" => Scope::Workspace,
        "m" => Scope::Map,
        t if t.starts_with('u') => Scope::Unit(UnitId(t[1..].parse().map_err(|_| SnapshotError::Malformed)?)),
        _ => return Err(SnapshotError::Malformed),
    };
    let bytes = URL_SAFE_NO_PAD.decode(data.trim_end_matches('=')).map_err(|_| SnapshotError::Malformed)?;
    if scope == Scope::Map {
        let map = decode_map(&bytes)?;
        let name = Name::new(&map.name).unwrap_or_else(|_| Name::new("Shared map").expect("fixed name"));
        return Ok(Snapshot { scope, workspace: Workspace::new(name), map: Some(map) });
    }
    let mut workspace = compact::from_bytes(&bytes).map_err(|e| SnapshotError::Damaged(e.to_string()))?;
    workspace.normalize();
    workspace.validate().map_err(|errors| SnapshotError::Damaged(errors.iter().take(3).map(ToString::to_string).collect::<Vec<_>>().join("; ")))?;
    if let Scope::Unit(u) = scope {
        if workspace.unit(u).is_none() {
            return Err(SnapshotError::Damaged("the unit it shows is missing".into()));
        }
    }
    Ok(Snapshot { scope, workspace, map: None })
}
