//! `liaison bench`: the project's own reproducible screening benchmark.
//!
//! Generates a synthetic watchlist of any size from the name tables in
//! [`crate::synth`], indexes it, screens queries on all cores, and scores a
//! sample of the same queries by brute force (every name compared with
//! [`names::score`]) as the peer in the same run. Prints a table to stderr and
//! one JSON object to stdout.

use std::time::Instant;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use screen::{Entry, EntryInput, Index, Query};

use crate::screen_cmd::screen_all;
use crate::synth::{self, Rng};

/// Most entries a benchmark generates.
pub const MAX_BENCH_ENTRIES: usize = 20_000_000;

#[derive(clap::Args)]
pub struct Args {
    /// Watchlist entries to generate.
    #[arg(long, default_value_t = 1_000_000)]
    entries: usize,
    /// Queries to screen (half are other spellings of entries, half are not on file).
    #[arg(long, default_value_t = 10_000)]
    queries: usize,
    /// Queries also scored by brute force, the peer.
    #[arg(long, default_value_t = 50)]
    peer_queries: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

/// Peak resident memory of this process (VmHWM), in MiB; 0 where unknown.
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The value at quantile `p` (0 to 1) of sorted latencies; 0 for none.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        0.0
    } else {
        sorted[((sorted.len() - 1) as f64 * p).round() as usize]
    }
}

/// Generate `n` entries (ids "e0"…), deterministically from `rng`, leaving
/// out the family roots (indexes into [`synth::ROOTS`]) in `exclude`.
pub fn generate(n: usize, rng: &mut Rng, exclude: &[usize]) -> (Vec<EntryInput>, Vec<synth::Person>) {
    let mut inputs = Vec::with_capacity(n);
    let mut people = Vec::with_capacity(n);
    for i in 0..n {
        let mut p = synth::person(rng);
        while exclude.contains(&p.family.root) {
            p = synth::person(rng);
        }
        inputs.push(EntryInput {
            id: format!("e{i}"),
            names: vec![synth::file_name(&p, rng)],
            dobs: vec![synth::dob(rng)],
            nationalities: vec![rng.pick(synth::COUNTRIES).to_string()],
            documents: vec![],
            kind: None,
        });
        people.push(p);
    }
    (inputs, people)
}

pub fn run(a: Args) -> Result<()> {
    if a.entries == 0 || a.entries > MAX_BENCH_ENTRIES {
        bail!("--entries must be 1 to {MAX_BENCH_ENTRIES}");
    }
    if a.queries == 0 || a.queries > a.entries.max(2) * 2 {
        bail!("--queries must be 1 to twice the entries");
    }
    let mut rng = Rng::new(a.seed);
    eprintln!("generating {} entries (seed {})", a.entries, a.seed);
    let (inputs, people) = generate(a.entries, &mut rng, &[]);

    let t0 = Instant::now();
    let pb = crate::screen_cmd::bar(inputs.len() as u64, "parsing");
    let entries: Vec<Entry> = inputs
        .into_par_iter()
        .map(|e| {
            pb.inc(1);
            Entry::new(e)
        })
        .collect::<Result<_, _>>()
        .context("a generated entry was rejected")?;
    pb.finish_and_clear();
    let index = Index::new(entries).context("cannot build the index")?;
    let build_s = t0.elapsed().as_secs_f64();
    let snap = index.snapshot();
    let (n_names, n_postings) = snap.sizes();

    // Queries: the first half are other spellings of entries e0, e1, …; the rest
    // are recombinations that may or may not be on file.
    let mut queries: Vec<(Option<String>, Query)> = Vec::with_capacity(a.queries);
    for i in 0..a.queries {
        let (expect, p) = if i % 2 == 0 {
            let k = (i / 2) % people.len();
            (Some(format!("e{k}")), people[k])
        } else {
            (None, synth::person(&mut rng))
        };
        let name = synth::query_name(&p, &mut rng);
        let q = Query::new(std::slice::from_ref(&name), None, None, None, None, None)
            .with_context(|| format!("query {name:?}"))?;
        queries.push((expect, q));
    }
    let (results, query_s) = screen_all(&snap, &queries, |(_, q)| q);
    // A hit is right when its entry has the query person's name identity: the
    // generator makes namesakes on purpose, as real lists have them.
    let identity = |id: &str| id.strip_prefix('e').and_then(|k| k.parse::<usize>().ok()).map(|k| people[k].identity());
    let found = queries
        .iter()
        .zip(&results)
        .filter(|((expect, _), (hits, _))| {
            let want = expect.as_deref().and_then(identity);
            want.is_some() && hits.iter().any(|h| identity(&h.id) == want)
        })
        .count();
    let mut lat: Vec<f64> = results.iter().map(|r| r.1).collect();
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| percentile(&lat, p);
    let known = queries.iter().filter(|(e, _)| e.is_some()).count();
    let recall = found as f64 / known.max(1) as f64;

    // The peer: brute force over every name, one core, on a sample of the same queries.
    let sample: Vec<&Query> = queries.iter().map(|(_, q)| q).take(a.peer_queries).collect();
    let t2 = Instant::now();
    for q in &sample {
        let qn = &q.names[0];
        let mut best = 0.0f32;
        snap.for_each_entry(|e| {
            for n in &e.names {
                best = best.max(names::score(qn, n));
            }
        });
        std::hint::black_box(best);
    }
    let peer_ms = t2.elapsed().as_secs_f64() * 1000.0 / sample.len().max(1) as f64;
    let threads = rayon::current_num_threads();
    let per_core_ms = query_s * 1000.0 * threads as f64 / queries.len() as f64;
    let rss = peak_rss_mib();
    eprintln!("entries      {:>12}  ({n_names} names, {n_postings} postings)", a.entries);
    eprintln!("index build  {:>12.2} s  (parse + index, {threads} threads)", build_s);
    eprintln!("peak RSS     {:>12.0} MiB", rss);
    eprintln!(
        "screening    {:>12.0} queries/s  ({:.0} per core); p50 {:.3} ms, p99 {:.3} ms",
        queries.len() as f64 / query_s,
        queries.len() as f64 / query_s / threads as f64,
        pct(0.5),
        pct(0.99)
    );
    eprintln!("recall       {:>12.3}  (another spelling of a name on file finds an entry of that name)", recall);
    eprintln!("peer         {:>12.1} ms per query, brute force on one core ({} queries)", peer_ms, sample.len());
    eprintln!("speed-up     {:>12.0}×  per core over the peer", peer_ms / per_core_ms);
    let out = serde_json::json!({
        "entries": a.entries, "names": n_names, "postings": n_postings, "build_s": build_s,
        "peak_rss_mib": rss, "queries": queries.len(), "query_s": query_s, "qps": queries.len() as f64 / query_s,
        "p50_ms": pct(0.5), "p99_ms": pct(0.99), "recall": recall, "threads": threads,
        "peer": {"kind": "brute force, names::score over every name", "queries": sample.len(), "ms_per_query": peer_ms},
    });
    println!("{out}");
    Ok(())
}
