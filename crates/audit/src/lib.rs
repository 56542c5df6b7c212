//! The audit log: who did what, when, why and with how many results — and the
//! proof that nobody changed, removed or reordered a record afterwards.
//!
//! # The key design decision
//!
//! Each record carries the SHA-256 of the previous record's hash and its own
//! fields, length-prefixed so no two field lists hash alike; sequence numbers are
//! dense. Changing a record breaks its own hash; deleting one leaves a gap in the
//! sequence; reordering breaks both; rewriting the whole tail after a change is
//! caught by periodic checkpoints — (sequence, hash, time) signed with an
//! ed25519 key the database does not hold. Verification streams: it keeps one
//! hash and the checkpoints in memory, whatever the length of the log.
//!
//! Retention drops whole prefixes only, up to a checkpoint, which then serves as
//! the signed anchor the verifier starts from.
//!
//! This crate is pure: the store persists records, the server appends them.
#![deny(missing_docs)]

use std::collections::BTreeMap;

use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use sha2::{Digest, Sha256};

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The hash before the first record.
pub const GENESIS: Hash = [0; 32];
/// Longest actor, agency, action or purpose field, in bytes.
pub const MAX_FIELD_BYTES: usize = 512;
/// Longest target (what was read or searched for), in bytes.
pub const MAX_TARGET_BYTES: usize = 2_048;
/// A checkpoint is due after this many records by default.
pub const DEFAULT_CHECKPOINT_EVERY: u64 = 10_000;

/// What the actor did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Logged in.
    Login,
    /// Failed to log in.
    LoginFailed,
    /// Read a notice.
    Read,
    /// Searched or listed notices.
    Search,
    /// Screened a person.
    Screen,
    /// Created something.
    Create,
    /// Changed something.
    Change,
    /// A review decision (approve, reject, extend).
    Review,
    /// Exported data.
    Export,
    /// Imported data.
    Import,
    /// Administration: agencies, users, agreements, retention.
    Admin,
}

impl Action {
    /// All actions.
    pub const ALL: [Action; 11] = [
        Action::Login,
        Action::LoginFailed,
        Action::Read,
        Action::Search,
        Action::Screen,
        Action::Create,
        Action::Change,
        Action::Review,
        Action::Export,
        Action::Import,
        Action::Admin,
    ];

    /// The name stored and hashed.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Login => "login",
            Action::LoginFailed => "login-failed",
            Action::Read => "read",
            Action::Search => "search",
            Action::Screen => "screen",
            Action::Create => "create",
            Action::Change => "change",
            Action::Review => "review",
            Action::Export => "export",
            Action::Import => "import",
            Action::Admin => "admin",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One audit record before it is chained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When, in Unix milliseconds.
    pub at_ms: i64,
    /// The user name (or system token name).
    pub actor: String,
    /// The actor's agency.
    pub agency: String,
    /// What they did.
    pub action: Action,
    /// What it was about: a notice id, the name searched for, a file.
    pub target: String,
    /// The stated purpose.
    pub purpose: String,
    /// How many results it returned or items it touched.
    pub result_count: u64,
}

impl Entry {
    /// Checks the bounds, so every stored record can be hashed and read back.
    pub fn check(&self) -> Result<(), AuditError> {
        for (field, v, max) in [
            ("actor", &self.actor, MAX_FIELD_BYTES),
            ("agency", &self.agency, MAX_FIELD_BYTES),
            ("purpose", &self.purpose, MAX_FIELD_BYTES),
            ("target", &self.target, MAX_TARGET_BYTES),
        ] {
            if v.len() > max {
                return Err(AuditError::TooLong { field, max });
            }
        }
        if self.actor.is_empty() {
            return Err(AuditError::Empty { field: "actor" });
        }
        Ok(())
    }
}

/// A chained record, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Position in the log, from 1, dense.
    pub seq: u64,
    /// The fields.
    pub entry: Entry,
    /// SHA-256 over the previous hash, the sequence number and the fields.
    pub hash: Hash,
}

/// The hash of record `seq` following `prev`.
pub fn chain_hash(prev: &Hash, seq: u64, e: &Entry) -> Hash {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(seq.to_be_bytes());
    h.update(e.at_ms.to_be_bytes());
    for field in [e.actor.as_str(), e.agency.as_str(), e.action.as_str(), e.target.as_str(), e.purpose.as_str()] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    h.update(e.result_count.to_be_bytes());
    h.finalize().into()
}

/// Chains an entry after a record (or after [`GENESIS`] at `seq` 0).
pub fn chain(prev_seq: u64, prev_hash: &Hash, entry: Entry) -> Record {
    let seq = prev_seq + 1;
    let hash = chain_hash(prev_hash, seq, &entry);
    Record { seq, entry, hash }
}

/// A signed statement that the log's record `seq` has hash `hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The sequence number it covers up to.
    pub seq: u64,
    /// The record's hash.
    pub hash: Hash,
    /// When signed, in Unix milliseconds.
    pub at_ms: i64,
    /// ed25519 signature over [`checkpoint_message`].
    pub signature: [u8; 64],
}

/// The bytes a checkpoint signs.
pub fn checkpoint_message(seq: u64, hash: &Hash, at_ms: i64) -> Vec<u8> {
    let mut m = b"liaison-audit-checkpoint-v1".to_vec();
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(hash);
    m.extend_from_slice(&at_ms.to_be_bytes());
    m
}

/// Holds the checkpoint signing key.
pub struct Signer(SigningKey);

impl Signer {
    /// A new random key.
    pub fn generate() -> Result<Signer, AuditError> {
        let mut seed = [0u8; 32];
        getrandom(&mut seed)?;
        Ok(Signer(SigningKey::from_bytes(&seed)))
    }

    /// A key from its 32-byte seed.
    pub fn from_seed(seed: &[u8; 32]) -> Signer {
        Signer(SigningKey::from_bytes(seed))
    }

    /// The seed, for saving.
    pub fn seed(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The public key that verifies its checkpoints.
    pub fn public_key(&self) -> [u8; 32] {
        self.0.verifying_key().to_bytes()
    }

    /// Signs a checkpoint for a record.
    pub fn checkpoint(&self, seq: u64, hash: Hash, at_ms: i64) -> Checkpoint {
        let signature = self.0.sign(&checkpoint_message(seq, &hash, at_ms)).to_bytes();
        Checkpoint { seq, hash, at_ms, signature }
    }
}

fn getrandom(buf: &mut [u8]) -> Result<(), AuditError> {
    // ed25519-dalek's rand_core feature would pull a whole RNG in; the OS is enough.
    use std::io::Read;
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(buf))
        .map_err(|e| AuditError::Key(format!("no randomness: {e}")))
}

/// What verification found wrong, at which record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    /// A record's hash does not follow from its fields and its predecessor: changed.
    #[error("record {seq}: hash does not match its contents or its predecessor (record changed)")]
    Changed {
        /// The record.
        seq: u64,
    },
    /// A sequence number is missing or out of place: deleted or reordered.
    #[error("record {found} where {expected} was expected (records deleted or reordered)")]
    Sequence {
        /// The expected sequence number.
        expected: u64,
        /// The one found.
        found: u64,
    },
    /// A checkpoint's signature does not verify.
    #[error("checkpoint at record {seq}: bad signature")]
    BadSignature {
        /// The checkpoint's sequence number.
        seq: u64,
    },
    /// The log disagrees with a signed checkpoint: rewritten.
    #[error("record {seq}: hash differs from the signed checkpoint (log rewritten)")]
    CheckpointMismatch {
        /// The record.
        seq: u64,
    },
    /// A checkpoint covers records that are no longer there: tail deleted.
    #[error("checkpoint at record {seq} but the log ends at {last} (records deleted)")]
    Truncated {
        /// The checkpoint.
        seq: u64,
        /// The last record present.
        last: u64,
    },
    /// The log starts after record 1 without a signed anchor for it.
    #[error("log starts at record {first} with no checkpoint at {anchor} to anchor it")]
    NoAnchor {
        /// The first record present.
        first: u64,
        /// The checkpoint needed.
        anchor: u64,
    },
    /// A field is over its bound.
    #[error("{field}: longer than {max} bytes")]
    TooLong {
        /// The field.
        field: &'static str,
        /// The bound.
        max: usize,
    },
    /// A required field is empty.
    #[error("{field}: empty")]
    Empty {
        /// The field.
        field: &'static str,
    },
    /// A key problem.
    #[error("key: {0}")]
    Key(String),
}

/// What a verification covered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Records checked.
    pub records: u64,
    /// First and last sequence numbers checked.
    pub range: Option<(u64, u64)>,
    /// Checkpoints whose signature and hash were checked.
    pub checkpoints: u64,
    /// Records after the last checkpoint: chained, but not yet signed.
    pub unsigned_tail: u64,
}

/// Streams records in sequence order and checks the chain and the checkpoints.
pub struct Verifier {
    prev: Hash,
    next_seq: u64,
    checkpoints: BTreeMap<u64, Checkpoint>,
    report: Report,
    last_checkpoint: u64,
}

impl Verifier {
    /// Starts a verification with the public key and every checkpoint; each
    /// signature is checked here.
    pub fn new(public_key: &[u8; 32], checkpoints: Vec<Checkpoint>) -> Result<Verifier, AuditError> {
        let key = VerifyingKey::from_bytes(public_key).map_err(|e| AuditError::Key(e.to_string()))?;
        let mut map = BTreeMap::new();
        for c in checkpoints {
            let sig = Signature::from_bytes(&c.signature);
            key.verify(&checkpoint_message(c.seq, &c.hash, c.at_ms), &sig)
                .map_err(|_| AuditError::BadSignature { seq: c.seq })?;
            map.insert(c.seq, c);
        }
        Ok(Verifier { prev: GENESIS, next_seq: 1, checkpoints: map, report: Report::default(), last_checkpoint: 0 })
    }

    /// Checks the next record.
    pub fn push(&mut self, r: &Record) -> Result<(), AuditError> {
        if self.report.records == 0 && r.seq != 1 {
            // Retention removed a prefix: a signed checkpoint must vouch for its end.
            let anchor = r.seq - 1;
            let c = self.checkpoints.get(&anchor).ok_or(AuditError::NoAnchor { first: r.seq, anchor })?;
            self.prev = c.hash;
            self.next_seq = r.seq;
            self.last_checkpoint = anchor;
        }
        if r.seq != self.next_seq {
            return Err(AuditError::Sequence { expected: self.next_seq, found: r.seq });
        }
        if chain_hash(&self.prev, r.seq, &r.entry) != r.hash {
            return Err(AuditError::Changed { seq: r.seq });
        }
        if let Some(c) = self.checkpoints.get(&r.seq) {
            if c.hash != r.hash {
                return Err(AuditError::CheckpointMismatch { seq: r.seq });
            }
            self.report.checkpoints += 1;
            self.last_checkpoint = r.seq;
        }
        self.prev = r.hash;
        self.next_seq += 1;
        self.report.records += 1;
        let first = self.report.range.map_or(r.seq, |(f, _)| f);
        self.report.range = Some((first, r.seq));
        Ok(())
    }

    /// Ends the verification: every checkpoint must have been reached.
    pub fn finish(self) -> Result<Report, AuditError> {
        let last = self.next_seq - 1;
        if let Some((&seq, _)) = self.checkpoints.range(last + 1..).next() {
            return Err(AuditError::Truncated { seq, last });
        }
        let mut report = self.report;
        report.unsigned_tail = last.saturating_sub(self.last_checkpoint);
        Ok(report)
    }
}

/// Hex of a hash, for display.
pub fn hex_hash(h: &Hash) -> String {
    hex::encode(h)
}
