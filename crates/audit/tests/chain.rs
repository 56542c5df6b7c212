//! Any change, deletion or reordering of records is found.

use audit::*;
use proptest::prelude::*;

fn entry(i: u64) -> Entry {
    Entry {
        at_ms: 1_780_000_000_000 + i as i64,
        actor: format!("user{}", i % 7),
        agency: "MA".into(),
        action: Action::ALL[(i % 11) as usize],
        target: format!("notice {i}"),
        purpose: "border check".into(),
        result_count: i % 3,
    }
}

fn log(n: u64, every: u64, signer: &Signer) -> (Vec<Record>, Vec<Checkpoint>) {
    let mut records = Vec::new();
    let mut cps = Vec::new();
    let (mut seq, mut hash) = (0, GENESIS);
    for i in 0..n {
        let r = chain(seq, &hash, entry(i));
        (seq, hash) = (r.seq, r.hash);
        if seq % every == 0 {
            cps.push(signer.checkpoint(seq, hash, 0));
        }
        records.push(r);
    }
    (records, cps)
}

fn verify(records: &[Record], cps: Vec<Checkpoint>, key: &[u8; 32]) -> Result<Report, AuditError> {
    let mut v = Verifier::new(key, cps)?;
    for r in records {
        v.push(r)?;
    }
    v.finish()
}

#[test]
fn an_untouched_log_verifies() {
    let s = Signer::from_seed(&[7; 32]);
    let (records, cps) = log(95, 10, &s);
    let r = verify(&records, cps, &s.public_key()).unwrap();
    assert_eq!(r, Report { records: 95, range: Some((1, 95)), checkpoints: 9, unsigned_tail: 5 });
}

#[test]
fn retention_keeps_a_verifiable_suffix_only_from_a_checkpoint() {
    let s = Signer::from_seed(&[7; 32]);
    let (records, cps) = log(95, 10, &s);
    let r = verify(&records[30..], cps.clone(), &s.public_key()).unwrap();
    assert_eq!(r.range, Some((31, 95)));
    assert_eq!(verify(&records[31..], cps, &s.public_key()), Err(AuditError::NoAnchor { first: 32, anchor: 31 }));
}

#[test]
fn forged_checkpoints_and_rewritten_tails_are_found() {
    let s = Signer::from_seed(&[7; 32]);
    let (mut records, mut cps) = log(50, 10, &s);
    let other = Signer::from_seed(&[8; 32]);
    let mut forged = cps.clone();
    forged[0] = other.checkpoint(10, records[9].hash, 0);
    assert_eq!(verify(&records, forged, &s.public_key()), Err(AuditError::BadSignature { seq: 10 }));
    // Change record 25 and re-chain everything after it: hashes agree, checkpoints do not.
    records[24].entry.target = "someone else".into();
    let mut prev = records[23].hash;
    for r in &mut records[24..] {
        r.hash = chain_hash(&prev, r.seq, &r.entry);
        prev = r.hash;
    }
    assert_eq!(verify(&records, cps.clone(), &s.public_key()), Err(AuditError::CheckpointMismatch { seq: 30 }));
    // Dropping the tail past a checkpoint.
    let (records, _) = log(50, 10, &s);
    assert_eq!(verify(&records[..44], cps.clone(), &s.public_key()), Err(AuditError::Truncated { seq: 50, last: 44 }));
    cps.clear();
    assert!(verify(&records[..44], cps, &s.public_key()).is_ok(), "without a checkpoint a tail cut is invisible");
}

#[derive(Debug, Clone)]
enum Tamper {
    Change(usize, u8),
    Delete(usize),
    Swap(usize, usize),
}

fn arb_tamper() -> impl Strategy<Value = Tamper> {
    prop_oneof![
        (0..60usize, 0..6u8).prop_map(|(i, f)| Tamper::Change(i, f)),
        (0..59usize).prop_map(Tamper::Delete),
        (0..60usize, 0..60usize).prop_filter("distinct", |(a, b)| a != b).prop_map(|(a, b)| Tamper::Swap(a, b)),
    ]
}

proptest! {
    #[test]
    fn every_change_deletion_or_reordering_is_found(t in arb_tamper()) {
        let s = Signer::from_seed(&[1; 32]);
        let (mut records, cps) = log(60, 16, &s);
        match t {
            Tamper::Change(i, f) => {
                let e = &mut records[i].entry;
                match f {
                    0 => e.actor.push('x'),
                    1 => e.at_ms += 1,
                    2 => e.action = if e.action == Action::Read { Action::Search } else { Action::Read },
                    3 => e.target.push('x'),
                    4 => e.purpose.clear(),
                    _ => e.result_count += 1,
                }
            }
            Tamper::Delete(i) => {
                records.remove(i);
            }
            Tamper::Swap(a, b) => records.swap(a, b),
        }
        prop_assert!(verify(&records, cps, &s.public_key()).is_err());
    }
}
