//! A CouchDB database simulated in memory, for native tests of replication: revision
//! trees with `_bulk_docs` in both modes (`new_edits` true: a stale or missing `_rev`
//! is a 409 `conflict`; false: revisions with their `_revisions` history are merged into
//! the tree, as replication does, so two sites' edits of one document become
//! `_conflicts`), `_changes?since=` with `style=all_docs`, `conflicts` and
//! `include_docs`, `open_revs`, and one replication between two databases. `_bulk_docs`
//! answers in reverse order (pouchdb-server reorders its answers too). The winning
//! revision is CouchDB's: non-deleted first, then the longest path, then the highest
//! revision id.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Map, Value};

#[derive(Debug, Clone)]
struct Leaf {
    /// Revisions from the root to this leaf.
    path: Vec<String>,
    deleted: bool,
}

#[derive(Debug, Clone, Default)]
struct Tree {
    leaves: Vec<Leaf>,
    /// Every revision's body (fields without `_`), and whether it is a deletion.
    bodies: HashMap<String, (Map<String, Value>, bool)>,
    seq: u64,
}

impl Tree {
    fn winner(&self) -> &Leaf {
        self.leaves.iter().max_by(|a, b| (!a.deleted, a.path.len(), a.path.last()).cmp(&(!b.deleted, b.path.len(), b.path.last()))).expect("a tree has a leaf")
    }
    fn conflicts(&self) -> Vec<String> {
        let w = self.winner().path.last().cloned();
        let mut c: Vec<String> = self.leaves.iter().filter(|l| !l.deleted && l.path.last() != w.as_ref()).map(|l| l.path.last().unwrap().clone()).collect();
        c.sort();
        c.reverse();
        c
    }
}

/// A refusal the test installs in place of `validate_doc_update`: given the document
/// written, `Some((error, reason))` refuses it.
pub type Validate = Box<dyn Fn(&Value) -> Option<(String, String)>>;

#[derive(Default)]
pub struct Couch {
    docs: BTreeMap<String, Tree>,
    seq: u64,
    pub validate: Option<Validate>,
    /// Every `_bulk_docs` request made with `new_edits` true, for tests to count.
    pub pushes: usize,
}

fn fnv(text: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn body_of(doc: &Value) -> (Map<String, Value>, bool) {
    let mut body = doc.as_object().cloned().unwrap_or_default();
    let deleted = body.get("_deleted").and_then(Value::as_bool).unwrap_or(false);
    body.retain(|k, _| !k.starts_with('_'));
    (body, deleted)
}

impl Couch {
    pub fn new() -> Couch {
        Couch::default()
    }

    /// `POST /db/_bulk_docs`.
    pub fn bulk_docs(&mut self, request: &Value) -> Value {
        let new_edits = request.get("new_edits").and_then(Value::as_bool).unwrap_or(true);
        let docs = request.get("docs").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut out = Vec::new();
        if new_edits {
            self.pushes += 1;
        }
        for doc in docs {
            let id = doc.get("_id").and_then(Value::as_str).expect("every document has an id").to_owned();
            if new_edits {
                out.push(self.write(&id, &doc));
            } else if let Some((error, reason)) = self.validate.as_ref().and_then(|v| v(&doc)) {
                // `validate_doc_update` runs on replicated revisions too; CouchDB lists
                // only the refused documents when `new_edits` is false.
                out.push(json!({ "id": id, "error": error, "reason": reason }));
            } else {
                self.merge(&id, &doc);
            }
        }
        // CouchDB answers in the request's order; pouchdb-server does not always: the
        // results come back reversed so that clients match them by id.
        out.reverse();
        Value::Array(out)
    }

    fn write(&mut self, id: &str, doc: &Value) -> Value {
        if let Some(v) = &self.validate {
            if let Some((error, reason)) = v(doc) {
                return json!({ "id": id, "error": error, "reason": reason });
            }
        }
        let conflict = || json!({ "id": id, "error": "conflict", "reason": "Document update conflict." });
        let base = doc.get("_rev").and_then(Value::as_str);
        let (body, deleted) = body_of(doc);
        let leaf = match (self.docs.get(id), base) {
            (None, None) => None,
            (None, Some(_)) => return conflict(),
            (Some(t), None) => {
                let w = t.winner();
                if !w.deleted {
                    return conflict();
                }
                t.leaves.iter().position(|l| l.path == w.path)
            }
            (Some(t), Some(rev)) => match t.leaves.iter().position(|l| l.path.last().map(String::as_str) == Some(rev)) {
                Some(i) => Some(i),
                None => return conflict(),
            },
        };
        let tree = self.docs.entry(id.to_owned()).or_default();
        let parent = leaf.map(|i| tree.leaves[i].path.clone()).unwrap_or_default();
        let generation = parent.len() + 1;
        let rev = format!("{generation}-{:016x}", fnv(&format!("{}\u{0}{}\u{0}{deleted}", parent.last().map(String::as_str).unwrap_or(""), Value::Object(body.clone()))));
        let mut path = parent;
        path.push(rev.clone());
        match leaf {
            Some(i) => tree.leaves[i] = Leaf { path, deleted },
            None => tree.leaves.push(Leaf { path, deleted }),
        }
        tree.bodies.insert(rev.clone(), (body, deleted));
        self.seq += 1;
        tree.seq = self.seq;
        json!({ "ok": true, "id": id, "rev": rev })
    }

    /// A revision with its history, as replication writes it (`new_edits: false`).
    fn merge(&mut self, id: &str, doc: &Value) {
        let revisions = doc.get("_revisions").expect("replicated documents carry _revisions");
        let start = revisions["start"].as_u64().unwrap() as usize;
        let ids: Vec<&str> = revisions["ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let path: Vec<String> = ids.iter().rev().enumerate().map(|(i, h)| format!("{}-{h}", start + 1 - ids.len() + i)).collect();
        let (body, deleted) = body_of(doc);
        let tree = self.docs.entry(id.to_owned()).or_default();
        let rev = path.last().unwrap().clone();
        if tree.leaves.iter().any(|l| l.path.contains(&rev)) {
            return;
        }
        match tree.leaves.iter().position(|l| path.starts_with(&l.path)) {
            Some(i) => tree.leaves[i] = Leaf { path, deleted },
            None => tree.leaves.push(Leaf { path, deleted }),
        }
        tree.bodies.insert(rev, (body, deleted));
        self.seq += 1;
        tree.seq = self.seq;
    }

    fn doc_json(id: &str, rev: &str, body: &Map<String, Value>, deleted: bool) -> Value {
        let mut doc = body.clone();
        doc.insert("_id".into(), json!(id));
        doc.insert("_rev".into(), json!(rev));
        if deleted {
            doc.insert("_deleted".into(), json!(true));
        }
        Value::Object(doc)
    }

    /// `GET /db/_changes?…` for the path a replica asks for (`since` and `limit` read).
    pub fn get(&self, path: &str) -> Value {
        let query = path.strip_prefix("_changes?").expect("a _changes request");
        let mut since = 0;
        let mut limit = usize::MAX;
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap();
            match k {
                "since" => since = v.parse().expect("this server's checkpoints are numbers"),
                "limit" => limit = v.parse().unwrap(),
                _ => {}
            }
        }
        self.changes(since, limit)
    }

    pub fn changes(&self, since: u64, limit: usize) -> Value {
        let mut rows: Vec<(&String, &Tree)> = self.docs.iter().filter(|(_, t)| t.seq > since).collect();
        rows.sort_by_key(|(_, t)| t.seq);
        rows.truncate(limit);
        let last_seq = rows.last().map(|(_, t)| t.seq).unwrap_or(since);
        let results: Vec<Value> = rows
            .iter()
            .map(|(id, t)| {
                let w = t.winner();
                let rev = w.path.last().unwrap();
                let (body, deleted) = &t.bodies[rev];
                let mut doc = Couch::doc_json(id, rev, body, *deleted);
                let conflicts = t.conflicts();
                if !conflicts.is_empty() {
                    doc["_conflicts"] = json!(conflicts);
                }
                let mut row = json!({ "seq": t.seq, "id": id, "changes": t.leaves.iter().map(|l| json!({ "rev": l.path.last().unwrap() })).collect::<Vec<_>>(), "doc": doc });
                if *deleted {
                    row["deleted"] = json!(true);
                }
                row
            })
            .collect();
        json!({ "results": results, "last_seq": last_seq, "pending": 0 })
    }

    /// `GET /db`: the database's information (its `update_seq`).
    pub fn info(&self) -> Value {
        json!({ "db_name": "team", "doc_count": self.winners().len(), "update_seq": self.seq })
    }

    /// `GET /db/_all_docs?include_docs=true&conflicts=true&limit=…[&startkey="…"&skip=1]`:
    /// the winning revision of each document not deleted, by id, with its `_conflicts`.
    pub fn all_docs(&self, query: &str) -> Value {
        let (mut limit, mut start, mut skip) = (usize::MAX, None::<String>, 0);
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap();
            match k {
                "limit" => limit = v.parse().unwrap(),
                "startkey" => start = Some(serde_json::from_str(&percent_decode(v)).expect("a JSON key")),
                "skip" => skip = v.parse().unwrap(),
                "include_docs" | "conflicts" => assert_eq!(v, "true"),
                other => panic!("_all_docs does not take {other}"),
            }
        }
        let rows: Vec<Value> = self
            .docs
            .iter()
            .filter(|(id, t)| !t.winner().deleted && start.as_ref().is_none_or(|s| id.as_str() >= s.as_str()))
            .skip(skip)
            .take(limit)
            .map(|(id, t)| {
                let rev = t.winner().path.last().unwrap();
                let mut doc = Couch::doc_json(id, rev, &t.bodies[rev].0, false);
                let conflicts = t.conflicts();
                if !conflicts.is_empty() {
                    doc["_conflicts"] = json!(conflicts);
                }
                json!({ "id": id, "key": id, "value": { "rev": rev }, "doc": doc })
            })
            .collect();
        json!({ "total_rows": self.winners().len(), "offset": 0, "rows": rows })
    }

    /// `GET /db/<id>?open_revs=[…]`.
    pub fn open_revs(&self, id: &str, revs: &[String]) -> Value {
        let tree = self.docs.get(id);
        Value::Array(
            revs.iter()
                .map(|r| match tree.and_then(|t| t.bodies.get(r)) {
                    Some((body, deleted)) => json!({ "ok": Couch::doc_json(id, r, body, *deleted) }),
                    None => json!({ "missing": r }),
                })
                .collect(),
        )
    }

    /// Replicates every leaf of this database into `target`, as CouchDB's replicator
    /// does (`_bulk_docs` with `new_edits: false` and each revision's history).
    pub fn replicate_into(&self, target: &mut Couch) {
        let mut docs = Vec::new();
        for (id, t) in &self.docs {
            for leaf in &t.leaves {
                let rev = leaf.path.last().unwrap();
                let (body, deleted) = &t.bodies[rev];
                let mut doc = Couch::doc_json(id, rev, body, *deleted);
                let ids: Vec<String> = leaf.path.iter().rev().map(|r| r.split_once('-').unwrap().1.to_owned()).collect();
                doc["_revisions"] = json!({ "start": leaf.path.len(), "ids": ids });
                docs.push(doc);
            }
        }
        target.bulk_docs(&json!({ "docs": docs, "new_edits": false }));
    }

    /// The winning revision of each document and its body (deleted ones left out).
    pub fn winners(&self) -> BTreeMap<String, (String, Value)> {
        self.docs
            .iter()
            .filter_map(|(id, t)| {
                let w = t.winner();
                let rev = w.path.last().unwrap();
                (!w.deleted).then(|| (id.clone(), (rev.clone(), Couch::doc_json(id, rev, &t.bodies[rev].0, false))))
            })
            .collect()
    }

    /// Whether `rev` is the winning revision of `id` or one of its ancestors.
    pub fn in_winning_history(&self, id: &str, rev: &str) -> bool {
        self.docs.get(id).is_some_and(|t| t.winner().path.iter().any(|r| r == rev))
    }

    /// The revision `rev` was written on (`None`: it is the first).
    pub fn parent(&self, id: &str, rev: &str) -> Option<String> {
        let t = self.docs.get(id)?;
        let path = &t.leaves.iter().find(|l| l.path.iter().any(|r| r == rev))?.path;
        let i = path.iter().position(|r| r == rev)?;
        i.checked_sub(1).map(|p| path[p].clone())
    }

    /// Whether revision `rev` of `id` is a deletion.
    pub fn is_deletion(&self, id: &str, rev: &str) -> bool {
        self.docs.get(id).and_then(|t| t.bodies.get(rev)).is_some_and(|(_, deleted)| *deleted)
    }

    /// Documents with more than one non-deleted leaf.
    pub fn conflicted(&self) -> Vec<String> {
        self.docs.iter().filter(|(_, t)| !t.conflicts().is_empty()).map(|(id, _)| id.clone()).collect()
    }

    /// The leaves of a document: (revision, deleted).
    pub fn leaves(&self, id: &str) -> Vec<(String, bool)> {
        self.docs.get(id).map(|t| t.leaves.iter().map(|l| (l.path.last().unwrap().clone(), l.deleted)).collect()).unwrap_or_default()
    }

    /// The last sequence number.
    pub fn seq(&self) -> u64 {
        self.seq
    }
}

/// Decodes a percent-encoded query value.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
