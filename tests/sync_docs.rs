//! Records as documents: ids are stable and read back; a workspace and its documents
//! round-trip exactly; documents applied one at a time, in any order, build the same
//! workspace; and the documents a command's `Change` names are exactly those whose
//! content it changed.

mod ops;

use std::collections::BTreeMap;

use latitude::core::generate::{generate, GenSpec};
use latitude::core::*;
use latitude::sync::*;
use ops::{op, resolve};
use proptest::prelude::*;

fn name(text: &str) -> Name {
    Name::new(text).unwrap()
}

fn d(text: &str) -> time::Date {
    parse_date(text).unwrap()
}

/// A workspace built by a random sequence of commands (same-day grants and reviews,
/// removals, edits: every shape a workspace can take), in canonical order.
fn by_commands(ops: &[ops::Op]) -> Workspace {
    let mut ws = Workspace::new(name("Property"));
    let mut versions = Vec::new();
    for o in ops {
        if let Some(c) = resolve(&ws, o, &versions) {
            let before = ws.clone();
            if apply(&mut ws, &c).is_ok() {
                versions.push(before);
            }
        }
    }
    canonicalize(&mut ws);
    ws
}

/// The documents of `before` patched with `changed`, the highest issued ids aside
/// (members merge those by maximum).
fn patched(before: &Workspace, changed: &[(DocKey, Option<Record>)]) -> BTreeMap<DocKey, Record> {
    let mut docs = documents(before);
    for (key, record) in changed {
        match record {
            Some(r) => docs.insert(key.clone(), r.clone()),
            None => docs.remove(key),
        };
    }
    without_issued(docs)
}

fn without_issued(mut docs: BTreeMap<DocKey, Record>) -> BTreeMap<DocKey, Record> {
    docs.remove(&DocKey::Issued(None));
    docs
}

#[test]
fn document_ids_are_the_records_natural_keys_and_read_back() {
    let cases = [
        (DocKey::Workspace, "workspace"),
        (DocKey::Policy, "policy"),
        (DocKey::Issued(None), "issued"),
        (DocKey::Issued(Some("ana".into())), "issued:ana"),
        (DocKey::Unit(UnitId(12)), "unit:12"),
        (DocKey::Area(AreaId(3)), "area:3"),
        (DocKey::Grants(GrantKey { unit: UnitId(4), area: AreaId(2), date: d("2026-11-20") }), "grant:4:2:2026-11-20"),
        (DocKey::Commitment(CommitmentId(7)), "commitment:7"),
        (DocKey::CheckIn(CheckInKey { commitment: CommitmentId(7), date: d("2026-11-20") }), "checkin:7:2026-11-20"),
        (DocKey::Decision(DecisionId(9)), "decision:9"),
        (DocKey::Workshop(latitude::core::workshop::WorkshopId(4)), "workshop:4"),
        (DocKey::Reviews(DatedKey { unit: UnitId(4), date: d("2026-01-05") }), "review:4:2026-01-05"),
        (DocKey::Pulses(DatedKey { unit: UnitId(4), date: d("2026-01-05") }), "pulse:4:2026-01-05"),
    ];
    for (key, id) in cases {
        assert_eq!(key.to_string(), id);
        assert_eq!(id.parse::<DocKey>().unwrap(), key);
        assert_eq!(serde_json::to_value(&key).unwrap(), serde_json::json!(id));
    }
    // Only the one spelling of each id names a document.
    for bad in ["", "unit", "unit:", "unit:07", "unit:x", "unit:1:2", "checkin:7", "checkin:7:2026-1-5", "checkin:7:2026-02-30", "grant:1:2", "_design/latitude", "issued:", "team:1"] {
        assert!(bad.parse::<DocKey>().is_err(), "{bad} was read");
    }
}

#[test]
fn a_document_is_its_record_tagged_with_its_type() {
    let checkin = CheckIn { note: "after the fix".into(), ..CheckIn::new(d("2026-11-20"), Finite::new(10.5, "v").unwrap()) };
    let r = Record::CheckIn { commitment: CommitmentId(7), checkin };
    assert_eq!(serde_json::to_value(&r).unwrap(), serde_json::json!({ "type": "checkin", "record": { "commitment": 7, "checkin": { "date": "2026-11-20", "value": 10.5, "note": "after the fix" } } }));
    assert!(r.fits(&"checkin:7:2026-11-20".parse().unwrap()));
    assert!(!r.fits(&"checkin:7:2026-11-21".parse().unwrap()));
    assert!(!r.fits(&"checkin:8:2026-11-20".parse().unwrap()));
    assert!(!Record::Grants(Vec::new()).fits(&"grant:1:1:2026-11-20".parse().unwrap()), "an empty group is not a document");
}

#[test]
fn the_sample_and_a_generated_org_round_trip_through_documents() {
    for mut ws in [latitude::core::sample::sample_org(d("2026-11-20")), generate(7, &GenSpec::small())] {
        canonicalize(&mut ws);
        let docs = documents(&ws);
        let back = workspace_from(&docs).unwrap();
        assert!(back.orphans.is_empty());
        assert_eq!(back.workspace, ws);
        // One document per check-in: the most numerous records never share a document.
        assert!(docs.len() > ws.checkin_count());
    }
}

#[test]
fn without_the_workspace_document_there_is_no_workspace() {
    let mut docs = documents(&generate(1, &GenSpec::small()));
    docs.remove(&DocKey::Workspace);
    assert_eq!(workspace_from(&docs).unwrap_err(), DocError::NoWorkspace);
}

#[test]
fn a_check_in_without_its_commitment_is_kept_aside_not_lost() {
    let mut ws = generate(3, &GenSpec::small());
    canonicalize(&mut ws);
    let mut docs = documents(&ws);
    let c = ws.commitments[0].id;
    docs.remove(&DocKey::Commitment(c));
    let back = workspace_from(&docs).unwrap();
    assert_eq!(back.orphans.len(), ws.commitments[0].checkins().len());
    assert!(back.orphans.keys().all(|k| matches!(k, DocKey::CheckIn(ck) if ck.commitment == c)));
    // When the commitment arrives, it takes its check-ins back.
    let mut partial = back.workspace;
    let mut orphans = back.orphans;
    put_record(&mut partial, &mut orphans, &DocKey::Commitment(c), record_for(&ws, &DocKey::Commitment(c)).as_ref());
    assert!(orphans.is_empty());
    assert_eq!(partial, ws);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn generated_orgs_round_trip_exactly(seed in any::<u64>(), units in 1u32..8) {
        let spec = GenSpec { units, years: 1, commitments_per_unit: 2, decisions_per_unit: 2, ..GenSpec::small() };
        let mut ws = generate(seed, &spec);
        canonicalize(&mut ws);
        let back = workspace_from(&documents(&ws)).unwrap();
        prop_assert!(back.orphans.is_empty());
        prop_assert_eq!(back.workspace, ws);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_workspace_round_trips_and_documents_ignore_list_order(ops in prop::collection::vec(op(), 1..40), seed in any::<u64>()) {
        let ws = by_commands(&ops);
        let docs = documents(&ws);
        let back = workspace_from(&docs).unwrap();
        prop_assert!(back.orphans.is_empty());
        prop_assert_eq!(&back.workspace, &ws);
        // The same records in another order are the same documents.
        let mut shuffled = ws.clone();
        let mut rng = seed;
        let mut next = || { rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407); (rng >> 33) as usize };
        shuffled.units.reverse();
        shuffled.commitments.reverse();
        shuffled.decisions.reverse();
        let n = shuffled.areas.len();
        if n > 1 { shuffled.areas.swap(0, next() % n); }
        prop_assert_eq!(documents(&shuffled), docs);
    }

    #[test]
    fn documents_applied_one_by_one_in_any_order_build_the_same_workspace(ops in prop::collection::vec(op(), 1..40), seed in any::<u64>()) {
        let ws = by_commands(&ops);
        let mut docs: Vec<(DocKey, Record)> = documents(&ws).into_iter().collect();
        // A deterministic shuffle: check-ins may come before their commitment.
        let mut rng = seed | 1;
        for i in (1..docs.len()).rev() {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
            docs.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let mut built = Workspace::new(name("Joining"));
        let mut orphans = BTreeMap::new();
        for (key, record) in &docs {
            put_record(&mut built, &mut orphans, key, Some(record));
        }
        prop_assert!(orphans.is_empty());
        prop_assert_eq!(&built, &ws);
        // And deleting every document but the three that always exist empties it.
        for (key, _) in &docs {
            put_record(&mut built, &mut orphans, key, None);
        }
        let mut empty = Workspace::new(ws.name.clone());
        empty.policy = ws.policy.clone();
        empty.issued = ws.issued;
        prop_assert_eq!(built, empty);
        prop_assert!(orphans.is_empty());
    }

    #[test]
    fn a_change_names_exactly_the_documents_its_command_changed(ops in prop::collection::vec(op(), 1..30), last in op()) {
        let mut before = by_commands(&ops);
        let Some(command) = resolve(&before, &last, std::slice::from_ref(&before)) else { return Ok(()) };
        let mut after = before.clone();
        let Ok(change) = apply(&mut after, &command) else { return Ok(()) };
        canonicalize(&mut after);
        canonicalize(&mut before);
        let changed = changed_documents(&before, &after, &change);
        // Patching the documents before with the changed ones gives the documents after.
        prop_assert_eq!(patched(&before, &changed), without_issued(documents(&after)));
        // Nothing is sent for what did not change.
        for (key, record) in &changed {
            prop_assert_ne!(record_for(&before, key), record.clone(), "{} listed but unchanged", key);
        }
        if change.is_empty() {
            prop_assert!(changed.is_empty());
        }
    }
}

/// Every record of `ws` that has an id of its own.
fn record_ids(ws: &Workspace) -> Vec<latitude::core::renumber::RecordId> {
    use latitude::core::renumber::RecordId;
    let mut ids: Vec<RecordId> = ws.units.iter().map(|u| RecordId::Unit(u.id)).collect();
    ids.extend(ws.areas.iter().map(|a| RecordId::Area(a.id)));
    ids.extend(ws.commitments.iter().map(|c| RecordId::Commitment(c.id)));
    ids.extend(ws.decisions.iter().map(|d| RecordId::Decision(d.id)));
    ids.extend(ws.workshops.iter().map(|w| RecordId::Workshop(w.id)));
    ids
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A record moved to a fresh id takes every reference with it: the documents that
    /// differ are exactly those its change names, the workspace is as valid as before,
    /// nothing names the old id, and moving it back gives the workspace back.
    #[test]
    fn a_record_moved_to_a_fresh_id_takes_every_reference_with_it(ops in prop::collection::vec(op(), 1..40), pick in any::<prop::sample::Index>()) {
        use latitude::core::renumber::{renumber, RecordId};
        let before = by_commands(&ops);
        let ids = record_ids(&before);
        prop_assume!(!ids.is_empty());
        let from = ids[pick.index(ids.len())];
        let to = from.next_in(&before);
        let mut after = before.clone();
        let change = renumber(&mut after, from, to).expect("a fresh id");
        prop_assert!(!from.exists_in(&after) && to.exists_in(&after));
        prop_assert_eq!(before.validate().is_ok(), after.validate().is_ok());
        prop_assert_eq!(to.next_in(&after), to.with_number(to.number() + 1), "the new id counts as issued");
        canonicalize(&mut after);
        let changed = changed_documents(&before, &after, &change);
        prop_assert_eq!(patched(&before, &changed), without_issued(documents(&after)));
        // No reference to the old number is left: moving it back restores the workspace.
        let mut back = after.clone();
        prop_assert!(renumber(&mut back, to, from).is_some());
        canonicalize(&mut back);
        back.issued = before.issued;
        prop_assert_eq!(back, before);
        // A taken id or another kind is refused, changing nothing.
        let mut same = after.clone();
        prop_assert!(renumber(&mut same, to, to).is_none());
        let other = if matches!(to, RecordId::Unit(_)) { RecordId::Area(AreaId(999)) } else { RecordId::Unit(UnitId(999)) };
        prop_assert!(renumber(&mut same, to, other).is_none());
        prop_assert_eq!(same, after);
    }
}
