//! Persistence: here is a notice, an agency, an agreement or an audit record —
//! keep it, durably, and give it back.
//!
//! # The key design decision
//!
//! One trait, [`Store`], two implementations over the same SQL: [`SqliteStore`],
//! the embedded default (WAL, `synchronous=FULL`, so a commit survives a crash),
//! and [`PgStore`]. The statement texts are shared (`$n` parameters work in
//! both), and only the schema's identity columns and the way a write transaction
//! starts differ; one macro writes both implementations from one body, so the
//! two cannot drift, and one test suite runs against both.
//!
//! Every write of a notice, an agency, a user or an agreement appends its audit
//! record *in the same transaction*: a change without its record cannot be
//! committed. The chain's head lives in a one-row table updated in that
//! transaction, which serialises appends in both databases. The checkpoint key
//! is not here: the caller signs checkpoints ([`Store::checkpoint_if_due`]).
//!
//! The store decides no policy: who may see or change what is `model`'s.
#![deny(missing_docs)]

mod sql;
pub mod testing;

pub use sql::{PgStore, SqliteStore};

use model::{Agency, AgencyCode, Agreement, AgreementId, Hit, HitStatus, ModelError, Notice, Status, User};

/// A notice id, given by the store.
pub type NoticeId = i64;

/// Most rows one listing returns.
pub const MAX_PAGE: i64 = 10_000;
/// Most notices in one import batch (one transaction).
pub const MAX_IMPORT_BATCH: usize = 1_000_000;
/// Most audit entries appended in one call.
pub const MAX_AUDIT_BATCH: usize = 100_000;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored row no longer passes the domain checks.
    #[error("stored {what} {key} is invalid: {reason}")]
    Corrupt {
        /// Table.
        what: &'static str,
        /// Row key.
        key: String,
        /// Why.
        reason: String,
    },
    /// Someone else changed the notice since it was read.
    #[error("{id} is at version {found}, not {expected}: reload and retry")]
    Conflict {
        /// The notice.
        id: NoticeId,
        /// The version the writer read.
        expected: i64,
        /// The version stored.
        found: i64,
    },
    /// No such row.
    #[error("{what} {key} not found")]
    NotFound {
        /// Table.
        what: &'static str,
        /// Key.
        key: String,
    },
    /// Input over a bound or refused by the domain.
    #[error("{0}")]
    Invalid(String),
    /// An audit record over its bounds.
    #[error("audit: {0}")]
    Audit(#[from] audit::AuditError),
}

impl From<ModelError> for StoreError {
    fn from(e: ModelError) -> Self {
        StoreError::Invalid(e.to_string())
    }
}

/// A stored notice with its id and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNotice {
    /// Id.
    pub id: NoticeId,
    /// Version, from 1, one more at every change.
    pub version: i64,
    /// The notice.
    pub notice: Notice,
    /// Last change, Unix milliseconds.
    pub updated_ms: i64,
}

/// One version in a notice's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeVersion {
    /// Version number.
    pub version: i64,
    /// When, Unix milliseconds.
    pub at_ms: i64,
    /// Who.
    pub actor: String,
    /// What kind of change ("created", "submitted", "approved", "import", …).
    pub change: String,
    /// The notice as it was.
    pub notice: Notice,
}

/// Which notices to list.
#[derive(Debug, Clone, Default)]
pub struct NoticeFilter {
    /// Only this owner's.
    pub owner: Option<AgencyCode>,
    /// Only in this stored status.
    pub status: Option<Status>,
    /// Only ids above this (paging).
    pub after_id: NoticeId,
    /// At most this many (bounded by [`MAX_PAGE`]).
    pub limit: i64,
}

/// One notice to import: new when its (owner, source_ref) is unknown.
#[derive(Debug, Clone)]
pub struct ImportItem {
    /// The notice as the importer built it (its content carries the source_ref).
    pub notice: Notice,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// New notices.
    pub created: u64,
    /// Notices whose content changed (a new version each).
    pub updated: u64,
    /// Notices already stored exactly so.
    pub unchanged: u64,
}

/// A session or API token, as stored (the token itself is never stored, only its SHA-256).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    /// Id, for revoking.
    pub id: i64,
    /// Whose.
    pub username: String,
    /// "session" or "api".
    pub kind: String,
    /// A label ("login", "border-system-1").
    pub name: String,
    /// When it expires, Unix milliseconds (API tokens may not).
    pub expires_ms: Option<i64>,
    /// Whether revoked.
    pub revoked: bool,
}

/// One step of a hit's follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitEvent {
    /// When, Unix milliseconds.
    pub at_ms: i64,
    /// Who.
    pub actor: String,
    /// Their agency.
    pub agency: String,
    /// The status it moved to.
    pub status: HitStatus,
    /// What they said.
    pub note: String,
}

/// A stored hit with its id, version and follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredHit {
    /// Id.
    pub id: i64,
    /// Version, one more at each step.
    pub version: i64,
    /// The hit.
    pub hit: Hit,
    /// Its steps, oldest first.
    pub events: Vec<HitEvent>,
    /// When reported, Unix milliseconds.
    pub created_ms: i64,
}

/// Persistence of everything Liaison keeps. Every method that writes takes the
/// audit entry recording it and appends it in the same transaction.
pub trait Store: Send + Sync {
    /// Brings the schema up to date.
    fn migrate(&self) -> impl std::future::Future<Output = Result<(), StoreError>> + Send;
    /// Creates or replaces an agency.
    fn put_agency(
        &self,
        a: &Agency,
        audit: audit::Entry,
    ) -> impl std::future::Future<Output = Result<(), StoreError>> + Send;
    /// All agencies, by code.
    fn agencies(&self) -> impl std::future::Future<Output = Result<Vec<Agency>, StoreError>> + Send;
    /// Creates or replaces a user; `password_hash` None keeps the stored one.
    fn put_user(
        &self,
        u: &User,
        password_hash: Option<&str>,
        audit: audit::Entry,
    ) -> impl std::future::Future<Output = Result<(), StoreError>> + Send;
    /// A user and their password hash.
    fn user(
        &self,
        username: &str,
    ) -> impl std::future::Future<Output = Result<Option<(User, Option<String>)>, StoreError>> + Send;
    /// Users, of one agency or all.
    fn users(
        &self,
        agency: Option<&AgencyCode>,
    ) -> impl std::future::Future<Output = Result<Vec<User>, StoreError>> + Send;
    /// Records an agreement.
    fn add_agreement(
        &self,
        a: &Agreement,
        audit: audit::Entry,
    ) -> impl std::future::Future<Output = Result<AgreementId, StoreError>> + Send;
    /// All agreements.
    fn agreements(&self)
        -> impl std::future::Future<Output = Result<Vec<(AgreementId, Agreement)>, StoreError>> + Send;
    /// Stores a new notice as version 1.
    fn create_notice(
        &self,
        n: &Notice,
        actor: &str,
        now_ms: i64,
        audit: audit::Entry,
    ) -> impl std::future::Future<Output = Result<NoticeId, StoreError>> + Send;
    /// Stores a changed notice as the next version, if nobody changed it since
    /// `expected_version`; returns the new version.
    #[allow(clippy::too_many_arguments)]
    fn update_notice(
        &self,
        id: NoticeId,
        expected_version: i64,
        n: &Notice,
        actor: &str,
        change: &str,
        now_ms: i64,
        audit: audit::Entry,
    ) -> impl std::future::Future<Output = Result<i64, StoreError>> + Send;
    /// One notice.
    fn notice(
        &self,
        id: NoticeId,
    ) -> impl std::future::Future<Output = Result<Option<StoredNotice>, StoreError>> + Send;
    /// A notice's versions, oldest first.
    fn notice_history(
        &self,
        id: NoticeId,
    ) -> impl std::future::Future<Output = Result<Vec<NoticeVersion>, StoreError>> + Send;
    /// Notices by id, filtered and paged.
    fn notices(
        &self,
        f: &NoticeFilter,
    ) -> impl std::future::Future<Output = Result<Vec<StoredNotice>, StoreError>> + Send;
    /// How many notices there are.
    fn count_notices(&self) -> impl std::future::Future<Output = Result<i64, StoreError>> + Send;
    /// Imports a batch in one transaction: all of it or none. Known (owner,
    /// source_ref) pairs get a new version only when their content changed.
    fn import(
        &self,
        items: Vec<ImportItem>,
        actor: &str,
        now_ms: i64,
        audit: audit::Entry,
    ) -> impl std::future::Future<Output = Result<ImportReport, StoreError>> + Send;
    /// Appends audit entries (reads, searches, logins) in one transaction.
    fn append_audit(
        &self,
        entries: Vec<audit::Entry>,
    ) -> impl std::future::Future<Output = Result<Vec<audit::Record>, StoreError>> + Send;
    /// Audit records with `seq > after`, in order, at most `limit`.
    fn audit_records(
        &self,
        after: u64,
        limit: i64,
    ) -> impl std::future::Future<Output = Result<Vec<audit::Record>, StoreError>> + Send;
    /// The last record's sequence number and hash.
    fn audit_head(&self) -> impl std::future::Future<Output = Result<(u64, audit::Hash), StoreError>> + Send;
    /// Stores a signed checkpoint.
    fn add_checkpoint(&self, c: &audit::Checkpoint)
        -> impl std::future::Future<Output = Result<(), StoreError>> + Send;
    /// All checkpoints, by sequence number.
    fn checkpoints(&self) -> impl std::future::Future<Output = Result<Vec<audit::Checkpoint>, StoreError>> + Send;
    /// Deletes the audit records up to and including `through`, which must be a
    /// checkpoint (it becomes the verifier's anchor); returns how many.
    fn prune_audit(
        &self,
        through: u64,
        audit: audit::Entry,
    ) -> impl std::future::Future<Output = Result<u64, StoreError>> + Send;

    /// Stores a token's hash; returns its id.
    #[allow(clippy::too_many_arguments)]
    fn create_token(
        &self,
        hash: &str,
        username: &str,
        kind: &str,
        name: &str,
        expires_ms: Option<i64>,
        audit: audit::Entry,
    ) -> impl std::future::Future<Output = Result<i64, StoreError>> + Send;
    /// A token by its hash.
    fn token(&self, hash: &str) -> impl std::future::Future<Output = Result<Option<TokenRow>, StoreError>> + Send;
    /// Revokes a token of a user; returns whether there was one to revoke.
    fn revoke_token(
        &self,
        id: i64,
        username: &str,
        audit: audit::Entry,
    ) -> impl std::future::Future<Output = Result<bool, StoreError>> + Send;
    /// Stores a new hit with its first step; returns its id.
    fn create_hit(
        &self,
        hit: &Hit,
        now_ms: i64,
        audit: audit::Entry,
    ) -> impl std::future::Future<Output = Result<i64, StoreError>> + Send;
    /// One hit.
    fn hit(&self, id: i64) -> impl std::future::Future<Output = Result<Option<StoredHit>, StoreError>> + Send;
    /// Hits an agency takes part in (as owner or reporter), by id, after `after_id`.
    fn hits(
        &self,
        agency: &AgencyCode,
        after_id: i64,
        limit: i64,
    ) -> impl std::future::Future<Output = Result<Vec<StoredHit>, StoreError>> + Send;
    /// Stores the next step of a hit if nobody moved it since `expected_version`.
    fn update_hit(
        &self,
        id: i64,
        expected_version: i64,
        hit: &Hit,
        event: &HitEvent,
        audit: audit::Entry,
    ) -> impl std::future::Future<Output = Result<i64, StoreError>> + Send;

    /// Signs a checkpoint at the head when `every` records have passed since the
    /// last one; returns it if one was made.
    fn checkpoint_if_due(
        &self,
        signer: &audit::Signer,
        every: u64,
        now_ms: i64,
    ) -> impl std::future::Future<Output = Result<Option<audit::Checkpoint>, StoreError>> + Send {
        async move {
            let (seq, hash) = self.audit_head().await?;
            let last = self.checkpoints().await?.last().map_or(0, |c| c.seq);
            if seq == 0 || seq < last + every.max(1) {
                return Ok(None);
            }
            let c = signer.checkpoint(seq, hash, now_ms);
            self.add_checkpoint(&c).await?;
            Ok(Some(c))
        }
    }
}

pub(crate) fn content_hash(n: &Notice) -> Result<String, StoreError> {
    use sha2::Digest;
    let json = serde_json::to_vec(n.content()).map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok(hex::encode(sha2::Sha256::digest(&json)))
}

/// Records read per page when verifying the audit log.
pub const VERIFY_PAGE: i64 = 50_000;

/// Verifies the whole stored audit log against its checkpoints and the public
/// key, streaming it page by page; `progress` is told how many records are done.
pub async fn verify_audit<S: Store>(
    store: &S,
    public_key: &[u8; 32],
    mut progress: impl FnMut(u64),
) -> Result<Result<audit::Report, audit::AuditError>, StoreError> {
    let mut v = match audit::Verifier::new(public_key, store.checkpoints().await?) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let mut after = 0;
    let mut done = 0;
    loop {
        let page = store.audit_records(after, VERIFY_PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for r in &page {
            if let Err(e) = v.push(r) {
                return Ok(Err(e));
            }
        }
        done += page.len() as u64;
        progress(done);
    }
    let (head, hash) = store.audit_head().await?;
    if head != after || (head > 0 && page_hash_differs(store, head, &hash).await?) {
        return Ok(Err(audit::AuditError::Truncated { seq: head, last: after }));
    }
    Ok(v.finish())
}

async fn page_hash_differs<S: Store>(store: &S, head: u64, hash: &audit::Hash) -> Result<bool, StoreError> {
    let last = store.audit_records(head - 1, 1).await?;
    Ok(last.first().is_none_or(|r| &r.hash != hash))
}
