//! The Liaison server: here is an HTTP request from a user or a system of a
//! member agency; answer it with exactly what their agency may see.
//!
//! # The key design decision
//!
//! Every handler reaches notice data only through two doors that apply
//! `model`'s visibility rule: the store read followed by [`model::visibility`]
//! (one notice, lists, history, hits), and the live screening index
//! ([`live::Live`]) whose search skips, before scoring, every notice the asking
//! user may not see. A notice a user may not see is answered exactly like one
//! that does not exist (404), in results, counts, hits and error messages.
//!
//! Audit records of reads and searches go through one writer task that commits
//! them in groups (one transaction for whatever queued while the previous one
//! committed); a request answers only after its record is committed, so a
//! response never outruns its audit record. Writes commit their own record in
//! their own transaction (see `store`).
#![deny(missing_docs)]

pub mod api;
pub mod auth;
pub mod console;
pub mod error;
pub mod i18n;
pub mod live;
pub mod openapi;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use model::Agreement;
use store::Store;
use tokio::sync::{mpsc, oneshot};

pub use error::{ApiError, Problem};

/// Largest request body, in bytes.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// Most queries in one batch screening request.
pub const MAX_BATCH: usize = 1_000;
/// Longest name in a screening query, in characters (the matcher's own bound).
pub const MAX_QUERY_NAME_CHARS: usize = names::MAX_NAME_CHARS;
/// Audit entries waiting for the writer before requests wait for room.
pub const AUDIT_QUEUE: usize = 10_000;

/// Server settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A signed audit checkpoint after this many records.
    pub checkpoint_every: u64,
    /// Session lifetime, in seconds.
    pub session_ttl_s: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { checkpoint_every: audit::DEFAULT_CHECKPOINT_EVERY, session_ttl_s: 8 * 3600 }
    }
}

type AuditJob = (Vec<audit::Entry>, oneshot::Sender<Result<(), String>>);

/// Everything a request may need.
pub struct App<S> {
    /// The store.
    pub store: S,
    /// The live screening index.
    pub live: live::Live,
    /// Agreements, reloaded whenever one is added.
    agreements: RwLock<Arc<Vec<Agreement>>>,
    /// Tokens seen recently: hash → principal and expiry.
    pub(crate) tokens: Mutex<HashMap<String, auth::Cached>>,
    /// Failed log-ins per user name: count and when the last one was.
    pub(crate) failures: Mutex<HashMap<String, (u32, std::time::Instant)>>,
    audit_tx: mpsc::Sender<AuditJob>,
    /// Batch screenings started from the console, by id.
    pub(crate) batches: Mutex<HashMap<u64, Arc<Mutex<console::Batch>>>>,
    /// Settings.
    pub settings: Settings,
    metrics: metrics_exporter_prometheus::PrometheusHandle,
}

impl<S: Store + 'static> App<S> {
    /// Starts the application over a store whose live index was rebuilt; spawns
    /// the audit writer on the current tokio runtime.
    pub async fn start(
        store: S,
        live: live::Live,
        signer: audit::Signer,
        settings: Settings,
    ) -> Result<Arc<App<S>>, store::StoreError>
    where
        S: Clone,
    {
        let agreements = store.agreements().await?.into_iter().map(|(_, a)| a).collect();
        let (audit_tx, rx) = mpsc::channel(AUDIT_QUEUE);
        tokio::spawn(audit_writer(store.clone(), rx, signer, settings.checkpoint_every));
        let metrics = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        let handle = metrics.handle();
        // One process may start several apps (tests): only the first installs its recorder.
        let _ = metrics::set_global_recorder(metrics);
        Ok(Arc::new(App {
            store,
            live,
            agreements: RwLock::new(Arc::new(agreements)),
            tokens: Mutex::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
            audit_tx,
            batches: Mutex::new(HashMap::new()),
            settings,
            metrics: handle,
        }))
    }

    /// The agreements in force or not (the rule checks the dates).
    pub fn agreements(&self) -> Arc<Vec<Agreement>> {
        self.agreements.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Reloads the agreements after a change.
    pub async fn reload_agreements(&self) -> Result<(), ApiError> {
        let fresh: Vec<Agreement> = self.store.agreements().await?.into_iter().map(|(_, a)| a).collect();
        *self.agreements.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(fresh);
        Ok(())
    }

    /// Appends audit entries through the group-commit writer and waits until
    /// they are committed.
    pub async fn audit(&self, entries: Vec<audit::Entry>) -> Result<(), ApiError> {
        let (tx, rx) = oneshot::channel();
        self.audit_tx.send((entries, tx)).await.map_err(|_| ApiError::Internal("audit writer stopped".into()))?;
        rx.await.map_err(|_| ApiError::Internal("audit writer stopped".into()))?.map_err(ApiError::Internal)
    }

    /// The Prometheus text exposition.
    pub fn metrics_text(&self) -> String {
        self.metrics.render()
    }
}

async fn audit_writer<S: Store>(store: S, mut rx: mpsc::Receiver<AuditJob>, signer: audit::Signer, every: u64) {
    // The writer remembers the last checkpoint rather than reading them all back
    // after every group; other writers' records only move the chain further on.
    let mut last_checkpoint = store.checkpoints().await.ok().and_then(|c| c.last().map(|c| c.seq)).unwrap_or(0);
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        let mut count = jobs[0].0.len();
        while count < store::MAX_AUDIT_BATCH / 2 {
            match rx.try_recv() {
                Ok(job) => {
                    count += job.0.len();
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        let mut entries = Vec::with_capacity(count);
        for (e, _) in &mut jobs {
            entries.append(e);
        }
        let appended = store.append_audit(entries).await;
        if let Some(last) = appended.as_ref().ok().and_then(|r| r.last()) {
            if last.seq >= last_checkpoint + every.max(1) {
                let c = signer.checkpoint(last.seq, last.hash, now_ms());
                match store.add_checkpoint(&c).await {
                    Ok(()) => last_checkpoint = last.seq,
                    Err(e) => eprintln!("liaison serve: audit checkpoint failed: {e}"),
                }
            }
        }
        let result = appended.map(|_| ()).map_err(|e| e.to_string());
        metrics::counter!("liaison_audit_records_total").increment(count as u64);
        for (_, done) in jobs {
            let _ = done.send(result.clone());
        }
    }
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}
