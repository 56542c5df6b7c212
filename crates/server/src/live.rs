//! Here is a published notice; make it findable by screening at once.
//!
//! The live index is the `screen` index over every published notice with a
//! person or a document, plus a small head of each notice (owner, type, labels,
//! distribution, expiry, title, warnings, action) so that screening can apply
//! the visibility rule and answer without touching the database. Publishing,
//! changing, expiring or cancelling a notice updates both at once: the index
//! through an atomic snapshot swap (readers never wait), the heads under a
//! lock held for one map operation.

use std::collections::BTreeMap;
use std::sync::RwLock;
use std::time::Instant;

use jiff::Timestamp;
use model::{AgencyCode, Distribution, Handling, Notice, NoticeHead, NoticeType, Status, Tlp, Warning};
use rayon::prelude::*;
use screen::{Entry, EntryInput, Index};
use store::{NoticeFilter, Store, StoreError};

/// What screening keeps of a notice.
#[derive(Debug, Clone)]
pub struct Head {
    /// Owner.
    pub owner: AgencyCode,
    /// Type.
    pub kind: NoticeType,
    /// TLP label.
    pub tlp: Tlp,
    /// Handling code.
    pub handling: Handling,
    /// Distribution.
    pub distribution: Distribution,
    /// When it expires.
    pub expires_at: Option<Timestamp>,
    /// Title.
    pub title: String,
    /// Warning markers.
    pub warnings: Vec<Warning>,
    /// Action to take on a hit.
    pub action: String,
}

impl Head {
    /// The visibility rule's view of it at `now`.
    pub fn rule_head(&self, now: Timestamp) -> NoticeHead<'_> {
        let status = match self.expires_at {
            Some(e) if now >= e => Status::Expired,
            _ => Status::Published,
        };
        NoticeHead { owner: &self.owner, kind: self.kind, tlp: self.tlp, distribution: &self.distribution, status }
    }
}

/// The live index.
pub struct Live {
    /// The screening index; entry ids are notice ids.
    pub index: Index,
    heads: RwLock<BTreeMap<i64, Head>>,
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy)]
pub struct RebuildStats {
    /// Published notices read.
    pub notices: usize,
    /// Of which indexed (with a name or document).
    pub indexed: usize,
    /// Seconds.
    pub seconds: f64,
}

/// Notices read per page while rebuilding.
pub const REBUILD_PAGE: i64 = 10_000;

fn entry_of(id: i64, n: &Notice) -> Option<Entry> {
    let c = n.content();
    let mut names = Vec::new();
    let mut input = EntryInput { id: id.to_string(), ..Default::default() };
    if let Some(p) = &c.person {
        names.extend(p.names.iter().map(|x| x.name.clone()));
        input.dobs = p.dobs.clone();
        input.nationalities = p.nationalities.clone();
        input.documents.extend(p.documents.iter().map(|d| d.number.clone()));
    }
    if let Some(d) = &c.document {
        input.documents.push(d.number.clone());
        names.extend(d.holder.clone());
    }
    input.documents.truncate(screen::MAX_ATTRIBUTES_PER_ENTRY);
    input.dobs.truncate(screen::MAX_ATTRIBUTES_PER_ENTRY);
    input.nationalities.truncate(screen::MAX_ATTRIBUTES_PER_ENTRY);
    // A name the matcher cannot read is left out rather than losing the notice.
    input.names = names.into_iter().filter(|x| names::parse(x, names::NameKind::Person).is_ok()).collect();
    input.names.truncate(screen::MAX_NAMES_PER_ENTRY);
    Entry::new(input).ok()
}

fn head_of(n: &Notice) -> Head {
    let c = n.content();
    Head {
        owner: c.owner.clone(),
        kind: c.kind,
        tlp: c.tlp,
        handling: c.handling.clone(),
        distribution: c.distribution.clone(),
        expires_at: n.expires_at(),
        title: c.title.clone(),
        warnings: c.warnings.clone(),
        action: c.action.clone(),
    }
}

impl Live {
    /// Builds the index from every published notice in the store.
    pub async fn rebuild<S: Store>(
        store: &S,
        mut progress: impl FnMut(usize),
    ) -> Result<(Live, RebuildStats), StoreError> {
        let t0 = Instant::now();
        let mut entries = Vec::new();
        let mut heads = BTreeMap::new();
        let mut after = 0;
        let mut read = 0;
        loop {
            let page = store
                .notices(&NoticeFilter {
                    status: Some(Status::Published),
                    after_id: after,
                    limit: REBUILD_PAGE,
                    ..Default::default()
                })
                .await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            read += page.len();
            let built: Vec<(i64, Option<Entry>, Head)> =
                page.par_iter().map(|s| (s.id, entry_of(s.id, &s.notice), head_of(&s.notice))).collect();
            for (id, e, h) in built {
                if let Some(e) = e {
                    entries.push(e);
                    heads.insert(id, h);
                }
            }
            progress(read);
        }
        let indexed = entries.len();
        let index = Index::new(entries).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let live = Live { index, heads: RwLock::new(heads) };
        Ok((live, RebuildStats { notices: read, indexed, seconds: t0.elapsed().as_secs_f64() }))
    }

    /// Brings a notice's presence in the index up to date after a write:
    /// indexed while published, gone otherwise.
    pub fn update(&self, id: i64, n: &Notice, now: Timestamp) {
        let entry = (n.status_at(now) == Status::Published).then(|| entry_of(id, n)).flatten();
        let key = id.to_string();
        match entry {
            Some(e) => {
                // The head first: a reader that finds the entry finds its head.
                self.heads_write().insert(id, head_of(n));
                if let Err(err) = self.index.apply(vec![e], &[]) {
                    // Over an index bound: the notice is stored and visible by id, but not screened.
                    eprintln!("liaison serve: notice {id} not added to the screening index: {err}");
                }
            }
            None => {
                if let Err(err) = self.index.apply(Vec::new(), std::slice::from_ref(&key)) {
                    eprintln!("liaison serve: notice {id} not removed from the screening index: {err}");
                }
                self.heads_write().remove(&id);
            }
        }
    }

    /// Removes the notices whose review period has ended; returns how many.
    pub fn sweep_expired(&self, now: Timestamp) -> usize {
        let expired: Vec<i64> = self
            .heads_read()
            .iter()
            .filter(|(_, h)| h.expires_at.is_some_and(|e| now >= e))
            .map(|(id, _)| *id)
            .collect();
        if expired.is_empty() {
            return 0;
        }
        let keys: Vec<String> = expired.iter().map(|id| id.to_string()).collect();
        if let Err(err) = self.index.apply(Vec::new(), &keys) {
            eprintln!("liaison serve: expired notices not removed from the screening index: {err}");
        }
        let mut heads = self.heads_write();
        for id in &expired {
            heads.remove(id);
        }
        expired.len()
    }

    /// A notice's head, if it is live.
    pub fn head(&self, id: i64) -> Option<Head> {
        self.heads_read().get(&id).cloned()
    }

    /// Runs `f` over the heads (read-locked for the duration: keep it short).
    pub fn with_heads<R>(&self, f: impl FnOnce(&BTreeMap<i64, Head>) -> R) -> R {
        f(&self.heads_read())
    }

    /// How many notices are live.
    pub fn len(&self) -> usize {
        self.heads_read().len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn heads_read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<i64, Head>> {
        // A panic while holding the lock cannot leave a half-written map entry
        // (each write is one insert or remove), so a poisoned lock is still sound.
        self.heads.read().unwrap_or_else(|p| p.into_inner())
    }

    fn heads_write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<i64, Head>> {
        self.heads.write().unwrap_or_else(|p| p.into_inner())
    }
}
