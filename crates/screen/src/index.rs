//! Here is a query; give me the entries that may match it, from an immutable snapshot.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use names::{Name, Role};
use rayon::prelude::*;

use crate::{
    adjust, Entry, Hit, Query, ScreenError, COMMON_POSTINGS, DELTA_MAX, FILTER_HEADROOM, MAX_INDEXED_NAMES, MAX_SCORED,
};

/// Seeds taken from a common key when a query has no rare key at all.
const COMMON_SEED_MAX: usize = 65_536;

/// An immutable set of entries with its key index (CSR posting lists).
#[derive(Debug, Default)]
pub struct Segment {
    entries: Vec<Entry>,
    /// name id → (entry index, name number within the entry)
    names: Vec<(u32, u8)>,
    /// name id → number of identifying parts
    part_counts: Vec<u8>,
    keys: Vec<u32>,
    offsets: Vec<u32>,
    postings: Vec<u32>,
    documents: HashMap<String, Vec<u32>>,
    /// entry indexes sorted by id, for lookups by id without a second copy of the ids
    by_id: Vec<u32>,
}

fn hash_bytes(tag: u8, b: &[u8]) -> u32 {
    // FNV-1a, folded to 32 bits: small, fast, stable. Keys only select
    // candidates, so a rare collision costs one more candidate, never a hit.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(tag);
    for &x in b {
        h ^= u64::from(x);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h ^ (h >> 32)) as u32
}

fn keyable(p: &names::Part) -> bool {
    keyable_with(p, &p.skeleton())
}

/// [`keyable`] for a part whose skeleton is already at hand.
fn keyable_with(p: &names::Part, skeleton: &[u8]) -> bool {
    !matches!(p.role, Role::Particle | Role::LegalForm) && p.initial.is_none() && !p.generic && !skeleton.is_empty()
}

/// Evidence a key gives when it is found: the part's exact skeleton (or two
/// parts joined) is strong; a one-deletion variant is weak.
const APPROX_SHARE: f32 = 0.4;
/// Names keyed per parallel chunk while building a segment.
const BUILD_CHUNK_NAMES: usize = 1 << 18;
/// Expected keys per name (measured: about 9), to size the build buffer once.
const KEYS_PER_NAME_ESTIMATE: usize = 10;

/// Low bits of a posting that hold the entry part a key came from; the name id
/// is in the high bits.
const PART_BITS: u32 = 4;
const PART_MASK: u32 = (1 << PART_BITS) - 1;

/// Pre-ranking cost of each part of a candidate name that no query key found.
const UNMATCHED_PART_COST: f32 = 0.1;
/// Flag in a key's part byte: this key is a one-deletion variant.
const APPROX: u8 = 0x80;

/// Two skeletons written as one word into `buf`, the letter at the seam once
/// (Abdel + Latif: "bdl" + "ltf" = "bdltf").
fn join_skeletons(a: &[u8], b: &[u8], buf: &mut Vec<u8>) {
    buf.clear();
    buf.extend_from_slice(a);
    for &c in b {
        if buf.last() != Some(&c) {
            buf.push(c);
        }
    }
}

/// Shortest skeleton of a compound's distinctive element that is a key of its
/// own (the "l" of Abdullah is not).
pub const COMPOUND_STEM_KEY_MIN: usize = 2;

/// The blocking keys of a name, each with the part it stands for: every part's
/// skeleton and its one-deletion variants (flagged [`APPROX`]), and every pair
/// of adjacent parts joined (Abdel + Aziz = Abdelaziz). For a query
/// (`query`), a joined pair's key stands for both of its parts, so that an
/// entry found through "بن زرعه" = "Benzaraa" counts as meeting both.
pub fn name_keys(name: &Name, query: bool, out: &mut Vec<(u32, u8)>) {
    let parts = &name.parts;
    let skeletons: Vec<Vec<u8>> = parts.iter().map(|p| p.skeleton()).collect();
    let mut buf: Vec<u8> = Vec::with_capacity(32);
    for (i, p) in parts.iter().enumerate().take(16) {
        // A particle joined with the name after it (Ben + Khedda = Benkhedda).
        if p.role == Role::Particle
            && !skeletons[i].is_empty()
            && parts.get(i + 1).is_some_and(|q| keyable_with(q, &skeletons[i + 1]))
        {
            join_skeletons(&skeletons[i], &skeletons[i + 1], &mut buf);
            out.push((hash_bytes(0, &buf), (i + 1) as u8));
        }
        if !keyable_with(p, &skeletons[i]) {
            continue;
        }
        let sk = &skeletons[i];
        out.push((hash_bytes(0, sk), i as u8));
        if let Some(v) = &p.variant {
            out.push((hash_bytes(0, &names::symbols::skeleton(v)), i as u8));
        }
        // A compound's distinctive element alone: sources shorten Abdel Monsef to
        // Monsef and Houssem Eddine to Houssem.
        if let Some(c) = &p.compound {
            let (kind, stem) = &**c;
            let stem = names::symbols::skeleton(stem);
            if *kind != names::Compound::Kunya && stem.len() >= COMPOUND_STEM_KEY_MIN {
                out.push((hash_bytes(0, &stem), i as u8 | APPROX));
            }
        }
        if p.script == names::Script::Latin {
            for alt in names::symbols::alternate_skeletons(&p.syms) {
                out.push((hash_bytes(0, &alt), i as u8));
            }
        }
        if sk.len() <= 3 {
            // short: one confusion leaves no shared deletion variant
            out.push((hash_bytes(1, &names::symbols::coarse_key(sk)), i as u8 | APPROX));
        }
        if sk.len() >= 3 {
            for d in 0..sk.len() {
                buf.clear();
                buf.extend_from_slice(&sk[..d]);
                buf.extend_from_slice(&sk[d + 1..]);
                out.push((hash_bytes(0, &buf), i as u8 | APPROX));
            }
        }
        // joined with the next part (a particle in between joins too: Ben + Ali)
        if let Some(q) = parts.get(i + 1) {
            if q.role != Role::LegalForm && q.initial.is_none() && !skeletons[i + 1].is_empty() {
                join_skeletons(sk, &skeletons[i + 1], &mut buf);
                out.push((hash_bytes(0, &buf), i as u8));
                if query && i + 1 < 1 << PART_BITS {
                    out.push((hash_bytes(0, &buf), (i + 1) as u8));
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
}

thread_local! {
    /// Per-thread scratch of candidate generation: query-part bits and entry-part
    /// bits per name, and the names touched (to reset them cheaply).
    static SCRATCH: RefCell<(Vec<u32>, Vec<u16>, Vec<u32>)> = const { RefCell::new((Vec::new(), Vec::new(), Vec::new())) };
}

impl Segment {
    /// Build a segment over entries. Entries with the same id: the last wins.
    /// Errors with more than [`MAX_INDEXED_NAMES`] names.
    pub fn build(mut entries: Vec<Entry>) -> Result<Segment, ScreenError> {
        let total: usize = entries.iter().map(|e| e.names.len()).sum();
        if total > MAX_INDEXED_NAMES {
            return Err(ScreenError::TooMany { what: "names in one index", got: total, max: MAX_INDEXED_NAMES });
        }
        // keep the last of duplicate ids
        let mut order: Vec<u32> = (0..entries.len() as u32).collect();
        order.sort_by(|&x, &y| entries[x as usize].id.cmp(&entries[y as usize].id).then(y.cmp(&x)));
        let mut keep = vec![true; entries.len()];
        for w in order.windows(2) {
            if entries[w[0] as usize].id == entries[w[1] as usize].id {
                keep[w[1] as usize] = false; // the earlier one (sorted last among equals)
            }
        }
        if keep.iter().any(|k| !k) {
            let mut k = keep.into_iter();
            entries.retain(|_| k.next().unwrap_or(true));
        }
        let mut by_id: Vec<u32> = (0..entries.len() as u32).collect();
        by_id.sort_by(|&x, &y| entries[x as usize].id.cmp(&entries[y as usize].id));
        let mut names = Vec::new();
        for (ei, e) in entries.iter().enumerate() {
            for ni in 0..e.names.len() {
                names.push((ei as u32, ni as u8));
            }
        }
        let part_counts: Vec<u8> = names
            .iter()
            .map(|&(ei, ni)| {
                entries[ei as usize].names[ni as usize].parts.iter().filter(|p| keyable(p)).count().min(255) as u8
            })
            .collect();
        // (key, posting) pairs, built a chunk of names at a time into one vector
        // sized once: no doubling of the largest transient buffer.
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(names.len() * KEYS_PER_NAME_ESTIMATE);
        for (c, chunk) in names.chunks(BUILD_CHUNK_NAMES).enumerate() {
            let base = c * BUILD_CHUNK_NAMES;
            let part: Vec<(u32, u32)> = chunk
                .par_iter()
                .enumerate()
                .flat_map_iter(|(k, &(ei, ni))| {
                    let nid = (base + k) as u32;
                    let mut ks = Vec::with_capacity(24);
                    name_keys(&entries[ei as usize].names[ni as usize], false, &mut ks);
                    let mut v: Vec<(u32, u32)> =
                        ks.into_iter().map(|(k, p)| (k, nid << PART_BITS | u32::from(p & 0x0F))).collect();
                    v.dedup();
                    v.into_iter()
                })
                .collect();
            pairs.extend_from_slice(&part);
        }
        pairs.par_sort_unstable();
        pairs.dedup();
        let mut keys = Vec::new();
        let mut offsets = Vec::new();
        let mut postings = Vec::with_capacity(pairs.len());
        for (k, nid) in pairs {
            if keys.last() != Some(&k) {
                keys.push(k);
                offsets.push(postings.len() as u32);
            }
            postings.push(nid);
        }
        offsets.push(postings.len() as u32);
        let mut documents: HashMap<String, Vec<u32>> = HashMap::new();
        for (ei, e) in entries.iter().enumerate() {
            for d in &e.documents {
                documents.entry(d.clone()).or_default().push(ei as u32);
            }
        }
        Ok(Segment { entries, names, part_counts, keys, offsets, postings, documents, by_id })
    }

    /// The index of the entry with this id.
    fn position(&self, id: &str) -> Option<u32> {
        self.by_id.binary_search_by(|&i| self.entries[i as usize].id.as_str().cmp(id)).ok().map(|k| self.by_id[k])
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the segment is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of names.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// Number of postings (key, name) in the index.
    pub fn posting_count(&self) -> usize {
        self.postings.len()
    }

    fn postings_of(&self, key: u32) -> &[u32] {
        match self.keys.binary_search(&key) {
            Ok(i) => &self.postings[self.offsets[i] as usize..self.offsets[i + 1] as usize],
            Err(_) => &[],
        }
    }

    /// Candidate names for one query name's keys: (name id, evidence), best first,
    /// at most `max`.
    fn candidates(&self, keys: &[(u32, u8)], part_weight: &[f32], max: usize) -> Vec<(u32, f32)> {
        if self.names.is_empty() {
            return Vec::new();
        }
        let lists: Vec<(&[u32], u8)> =
            keys.iter().map(|&(k, p)| (self.postings_of(k), p)).filter(|(l, _)| !l.is_empty()).collect();
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let (masks, emasks, touched) = &mut *s;
            if masks.len() < self.names.len() {
                masks.resize(self.names.len(), 0);
                emasks.resize(self.names.len(), 0);
            }
            touched.clear();
            let mut common: Vec<(&[u32], u8)> = Vec::new();
            let mut visit = |l: &[u32], p: u8, limit: usize, touched: &mut Vec<u32>| {
                let bit = part_bit(p);
                for &x in l.iter().take(limit) {
                    let n = x >> PART_BITS;
                    let m = &mut masks[n as usize];
                    if *m == 0 {
                        touched.push(n);
                    }
                    *m |= bit;
                    emasks[n as usize] |= 1 << (x & PART_MASK);
                }
            };
            let mut rare_exact = false;
            for &(l, p) in &lists {
                if l.len() > COMMON_POSTINGS {
                    common.push((l, p));
                } else {
                    rare_exact |= p & APPROX == 0;
                    visit(l, p, usize::MAX, touched);
                }
            }
            // Names that share two common parts with the query ("Ahmed Ali" for
            // "Ahmed Tahlil Ali", "Hayat Mohamed" for حياه محمد) when no rare part
            // of the query is on file as it is spelt: the names on both of the two
            // shortest exact common lists of different query parts are candidates.
            let mut exact: Vec<(&[u32], u8)> =
                if rare_exact { Vec::new() } else { common.iter().copied().filter(|(_, p)| p & APPROX == 0).collect() };
            exact.sort_by_key(|(l, _)| l.len());
            if let Some(&(l1, p1)) = exact.first() {
                if let Some(&(l2, p2)) = exact.iter().find(|(_, p)| p & 0x0F != p1 & 0x0F) {
                    let (s1, s2) = intersect_names(l1, l2, COMMON_SEED_MAX);
                    visit(&s1, p1, usize::MAX, touched);
                    visit(&s2, p2, usize::MAX, touched);
                }
            }
            if touched.is_empty() && !common.is_empty() {
                // Only common keys: seed from the shortest list.
                common.sort_by_key(|(l, _)| l.len());
                let (l, p) = common.remove(0);
                visit(l, p, COMMON_SEED_MAX, touched);
            }
            // Probe the common keys for the candidates found: both sorted, so a
            // galloping merge walks each long list once, in steps.
            if !common.is_empty() {
                touched.sort_unstable();
            }
            for &(l, p) in &common {
                let bit = part_bit(p);
                let mut k = 0;
                for &n in touched.iter() {
                    k += gallop(&l[k..], n << PART_BITS);
                    while k < l.len() && l[k] >> PART_BITS == n {
                        masks[n as usize] |= bit;
                        emasks[n as usize] |= 1 << (l[k] & PART_MASK);
                        k += 1;
                    }
                    if k == l.len() {
                        break;
                    }
                }
            }
            let mut out: Vec<(u32, f32)> = touched
                .iter()
                .map(|&n| {
                    let m = masks[n as usize];
                    let query_parts = ((m | (m >> 16)) & 0xFFFF).count_ones();
                    let entry_parts = emasks[n as usize].count_ones();
                    let unmatched = u32::from(self.part_counts[n as usize]).saturating_sub(entry_parts);
                    let found: f32 = (0..16)
                        .map(|b| {
                            let w = part_weight.get(b).copied().unwrap_or(0.0);
                            if m & (1 << b) != 0 {
                                w
                            } else if m & (1 << (b + 16)) != 0 {
                                w * APPROX_SHARE
                            } else {
                                0.0
                            }
                        })
                        .sum();
                    // One entry part cannot stand for two query parts (Mohamed and
                    // Mahmoud share a skeleton): scale by the parts really met.
                    let share = if query_parts > entry_parts { entry_parts as f32 / query_parts as f32 } else { 1.0 };
                    (n, found * share - UNMATCHED_PART_COST * unmatched as f32)
                })
                .collect();
            for &n in touched.iter() {
                masks[n as usize] = 0;
                emasks[n as usize] = 0;
            }
            if out.len() > max {
                out.select_nth_unstable_by(max, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                out.truncate(max);
            }
            out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            out
        })
    }
}

/// The postings of `a` and of `b` whose names are on both lists (sorted by
/// name, then part), for at most `limit` names.
fn intersect_names(a: &[u32], b: &[u32], limit: usize) -> (Vec<u32>, Vec<u32>) {
    let (mut ra, mut rb) = (Vec::new(), Vec::new());
    let (mut i, mut k, mut names) = (0, 0, 0);
    while i < a.len() && k < b.len() && names < limit {
        let n = a[i] >> PART_BITS;
        k += gallop(&b[k..], n << PART_BITS);
        if k < b.len() && b[k] >> PART_BITS == n {
            names += 1;
            while i < a.len() && a[i] >> PART_BITS == n {
                ra.push(a[i]);
                i += 1;
            }
            while k < b.len() && b[k] >> PART_BITS == n {
                rb.push(b[k]);
                k += 1;
            }
        } else {
            while i < a.len() && a[i] >> PART_BITS == n {
                i += 1;
            }
        }
    }
    (ra, rb)
}

/// Number of leading elements of sorted `l` below `target`, by exponential
/// then binary search (cheap when the answer is near the start).
fn gallop(l: &[u32], target: u32) -> usize {
    let mut hi = 1;
    while hi < l.len() && l[hi] < target {
        hi *= 2;
    }
    let lo = hi / 2;
    let hi = hi.min(l.len());
    lo + l[lo..hi].partition_point(|&x| x < target)
}

/// The mask bit of a key's part: low 16 bits exact, high 16 approximate.
fn part_bit(p: u8) -> u32 {
    let part = u32::from(p & 0x0F);
    if p & APPROX != 0 {
        1 << (part + 16)
    } else {
        1 << part
    }
}

/// Dead-entry bitset over a base segment.
#[derive(Debug, Clone, Default)]
struct Tombstones(Vec<u64>);

impl Tombstones {
    fn get(&self, i: u32) -> bool {
        self.0.get((i / 64) as usize).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
    fn set(&mut self, i: u32) {
        let w = (i / 64) as usize;
        if self.0.len() <= w {
            self.0.resize(w + 1, 0);
        }
        self.0[w] |= 1 << (i % 64);
    }
    fn count(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }
}

/// An immutable view of the index that queries read.
#[derive(Debug)]
pub struct Snapshot {
    base: Arc<Segment>,
    dead: Arc<Tombstones>,
    delta: Arc<Segment>,
    /// Increases with every change.
    pub version: u64,
}

impl Snapshot {
    /// Live entries.
    pub fn len(&self) -> usize {
        self.base.len() - self.dead.count() + self.delta.len()
    }

    /// Whether there is no live entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Names of live entries and postings, for statistics.
    pub fn sizes(&self) -> (usize, usize) {
        (self.base.name_count() + self.delta.name_count(), self.base.posting_count() + self.delta.posting_count())
    }

    /// Call `f` on every live entry (for brute-force peers and exports).
    pub fn for_each_entry(&self, mut f: impl FnMut(&Entry)) {
        for (i, e) in self.base.entries.iter().enumerate() {
            if !self.dead.get(i as u32) {
                f(e);
            }
        }
        self.delta.entries.iter().for_each(f);
    }

    /// The live entry with this id, if any.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        if let Some(i) = self.delta.position(id) {
            return Some(&self.delta.entries[i as usize]);
        }
        match self.base.position(id) {
            Some(i) if !self.dead.get(i) => Some(&self.base.entries[i as usize]),
            _ => None,
        }
    }

    /// Screen one query: ranked hits at or above its threshold, at most its limit.
    pub fn search(&self, q: &Query) -> Vec<Hit> {
        self.search_inner(q, None)
    }

    /// Screen one query among the entries `allow` accepts (those the asking user
    /// may see). Rejected entries are skipped before scoring, so they neither
    /// spend the scoring budget nor set the margin; up to [`FILTER_HEADROOM`]
    /// times [`MAX_SCORED`] candidates are walked to find [`MAX_SCORED`] allowed.
    pub fn search_where(&self, q: &Query, allow: &dyn Fn(&str) -> bool) -> Vec<Hit> {
        self.search_inner(q, Some(allow))
    }

    fn search_inner(&self, q: &Query, allow: Option<&dyn Fn(&str) -> bool>) -> Vec<Hit> {
        // (is_delta, entry) → best (score, name score, query name, entry name, document)
        struct Best {
            score: f32,
            name_score: f32,
            qn: usize,
            ni: u8,
            document: bool,
        }
        let mut best: HashMap<(bool, u32), Best> = HashMap::new();
        let segs: [(bool, &Segment); 2] = [(false, &self.base), (true, &self.delta)];
        let mut keys = Vec::with_capacity(48);
        for (qi, qn) in q.names.iter().enumerate() {
            keys.clear();
            name_keys(qn, true, &mut keys);
            let weights: Vec<f32> = qn.parts.iter().map(|p| if keyable(p) { p.weight } else { 0.0 }).collect();
            for &(is_delta, seg) in &segs {
                let walk = if allow.is_some() { MAX_SCORED * FILTER_HEADROOM } else { MAX_SCORED };
                let mut scored = 0;
                for (nid, _) in seg.candidates(&keys, &weights, walk) {
                    let (ei, ni) = seg.names[nid as usize];
                    if !is_delta && self.dead.get(ei) {
                        continue;
                    }
                    let e = &seg.entries[ei as usize];
                    if allow.is_some_and(|f| !f(&e.id)) {
                        continue;
                    }
                    if scored == MAX_SCORED {
                        break;
                    }
                    scored += 1;
                    let name_score = names::score(qn, &e.names[ni as usize]);
                    let (score, _, _) = adjust(name_score, e, q);
                    let slot = best.entry((is_delta, ei)).or_insert(Best {
                        score: -1.0,
                        name_score,
                        qn: qi,
                        ni,
                        document: false,
                    });
                    if score > slot.score {
                        *slot = Best { score, name_score, qn: qi, ni, document: false };
                    }
                }
            }
        }
        // An exact document number is decisive whatever the name.
        if let Some(doc) = &q.document {
            for &(is_delta, seg) in &segs {
                for &ei in seg.documents.get(doc).map(Vec::as_slice).unwrap_or(&[]) {
                    if !is_delta && self.dead.get(ei) {
                        continue;
                    }
                    if allow.is_some_and(|f| !f(&seg.entries[ei as usize].id)) {
                        continue;
                    }
                    let slot = best.entry((is_delta, ei)).or_insert(Best {
                        score: 0.0,
                        name_score: 0.0,
                        qn: 0,
                        ni: 0,
                        document: true,
                    });
                    slot.document = true;
                    slot.score = 1.0;
                }
            }
        }
        let mut ranked: Vec<((bool, u32), Best)> =
            best.into_iter().filter(|(_, b)| b.document || b.score >= q.threshold).collect();
        let id_of = |k: &(bool, u32)| {
            if k.0 {
                &self.delta.entries[k.1 as usize].id
            } else {
                &self.base.entries[k.1 as usize].id
            }
        };
        ranked.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then_with(|| id_of(&a.0).cmp(id_of(&b.0))));
        // The margin rule: a much weaker name hit than the best is not reported.
        if let Some(top) = ranked.iter().filter(|(_, b)| !b.document).map(|(_, b)| b.score).reduce(f32::max) {
            ranked.retain(|(_, b)| b.document || b.score >= top - q.margin);
        }
        ranked.truncate(q.limit);
        // Explanations only for the hits reported.
        ranked
            .into_iter()
            .map(|((is_delta, ei), b)| {
                let seg = if is_delta { &self.delta } else { &self.base };
                let e = &seg.entries[ei as usize];
                let (explanation, name, query_name) = match (q.names.get(b.qn), e.names.get(b.ni as usize)) {
                    (Some(qn), Some(en)) => {
                        (names::compare(qn, en).explanation, e.raw_names[b.ni as usize].clone(), qn.normalised.clone())
                    }
                    _ => {
                        (names::Explanation::default(), e.raw_names.first().cloned().unwrap_or_default(), String::new())
                    }
                };
                let (_, dob, nat) = adjust(b.name_score, e, q);
                Hit {
                    id: e.id.clone(),
                    score: b.score,
                    name_score: b.name_score,
                    name,
                    query_name,
                    explanation,
                    dob,
                    nationality_agrees: nat,
                    document_match: b.document,
                }
            })
            .collect()
    }
}

/// The live index: readers take a [`Snapshot`]; writers publish a new one atomically.
#[derive(Debug)]
pub struct Index {
    current: ArcSwap<Snapshot>,
    writer: Mutex<()>,
}

impl Index {
    /// Build an index over entries.
    pub fn new(entries: Vec<Entry>) -> Result<Index, ScreenError> {
        let snap = Snapshot {
            base: Arc::new(Segment::build(entries)?),
            dead: Arc::new(Tombstones::default()),
            delta: Arc::new(Segment::default()),
            version: 0,
        };
        Ok(Index { current: ArcSwap::from_pointee(snap), writer: Mutex::new(()) })
    }

    /// The current snapshot. Holding it keeps it alive; later changes do not affect it.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// Add or replace entries (by id), and remove the entries with the given ids,
    /// publishing one new snapshot: readers see all of the change or none of it.
    /// On error nothing is published.
    pub fn apply(&self, upserts: Vec<Entry>, removals: &[String]) -> Result<(), ScreenError> {
        let _guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let cur = self.current.load_full();
        let mut dead = (*cur.dead).clone();
        let mut gone: std::collections::HashSet<&str> = removals.iter().map(String::as_str).collect();
        for e in &upserts {
            gone.insert(e.id.as_str());
        }
        for id in &gone {
            if let Some(i) = cur.base.position(id) {
                dead.set(i);
            }
        }
        let mut delta_entries: Vec<Entry> =
            cur.delta.entries.iter().filter(|e| !gone.contains(e.id.as_str())).cloned().collect();
        delta_entries.extend(upserts);
        let version = cur.version + 1;
        let snap = if delta_entries.len() > DELTA_MAX {
            // Compaction: fold the delta into a new base.
            let mut all: Vec<Entry> = cur
                .base
                .entries
                .iter()
                .enumerate()
                .filter(|(i, _)| !dead.get(*i as u32))
                .map(|(_, e)| e.clone())
                .collect();
            all.extend(delta_entries);
            Snapshot {
                base: Arc::new(Segment::build(all)?),
                dead: Arc::new(Tombstones::default()),
                delta: Arc::new(Segment::default()),
                version,
            }
        } else {
            Snapshot {
                base: Arc::clone(&cur.base),
                dead: Arc::new(dead),
                delta: Arc::new(Segment::build(delta_entries)?),
                version,
            }
        };
        self.current.store(Arc::new(snap));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(raw: &str, query: bool) -> Vec<(u32, u8)> {
        let name = names::parse(raw, names::NameKind::Person).unwrap_or_else(|e| panic!("{raw}: {e}"));
        let mut out = Vec::new();
        name_keys(&name, query, &mut out);
        out
    }

    /// Whether an exact key of the query's part `qp` is an exact key of the entry's part `ep`.
    fn meet(query: &str, qp: u8, entry: &str, ep: u8) -> bool {
        let e = keys(entry, false);
        keys(query, true).iter().any(|&(k, p)| p == qp && e.contains(&(k, ep)))
    }

    #[test]
    fn spellings_of_one_name_meet_on_an_exact_key() {
        // th as ذ, dh as ظ, zh as ظ+ه, a final -at as ة
        assert!(meet("علي الذوادي", 1, "Ali al-Thawadi", 1));
        assert!(meet("ظافر", 0, "Dhafer", 0));
        assert!(meet("مظهر", 0, "Mazhar", 0));
        assert!(meet("حياه", 0, "Hayat", 0));
        // a compound's distinctive element alone, as an approximate key of the entry
        let e = keys("Abdel Monsef", false);
        assert!(keys("Monsef", true).iter().any(|&(k, p)| p == 0 && e.contains(&(k, APPROX))));
        assert!(!meet("Hayat", 0, "Hamid", 0));
    }

    #[test]
    fn a_joined_key_of_a_query_stands_for_both_its_parts() {
        assert!(meet("بن زرعه", 0, "Benzaraa", 0));
        assert!(meet("بن زرعه", 1, "Benzaraa", 0));
        // an entry's joined key stands for its first part only (no doubled postings)
        let (entry, query) = (keys("بن زرعه", false), keys("بن زرعه", true));
        assert!(entry.len() < query.len());
        assert!(query.iter().all(|x| entry.contains(x) || x.1 == 1));
    }

    #[test]
    fn names_on_two_lists_are_intersected_with_their_parts() {
        let p = |n: u32, part: u32| n << PART_BITS | part;
        let a = [p(1, 0), p(3, 0), p(3, 2), p(7, 0), p(9, 1)];
        let b = [p(2, 1), p(3, 1), p(7, 3), p(8, 0), p(9, 0)];
        let (ra, rb) = intersect_names(&a, &b, usize::MAX);
        assert_eq!(ra, vec![p(3, 0), p(3, 2), p(7, 0), p(9, 1)]);
        assert_eq!(rb, vec![p(3, 1), p(7, 3), p(9, 0)]);
        let (ra, _) = intersect_names(&a, &b, 1);
        assert_eq!(ra, vec![p(3, 0), p(3, 2)]);
    }
}
