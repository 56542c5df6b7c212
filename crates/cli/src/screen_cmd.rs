//! `liaison screen`: screen a batch of people against a watchlist.
//!
//! Watchlist (JSON lines, or CSV with a header): `id`, `names` (list; in CSV,
//! `;`-separated), optional `dob` (list of YYYY, YYYY-MM or YYYY-MM-DD),
//! `countries` (or `nationalities`), `documents`, `kind` (person|organization).
//! Queries: `id`, `name` (or `names`), optional `dob`, `nationality` (or
//! `country`), `document`.
//! Results (JSON lines, input order): `{"id", "hits": [{"id", "score", "name", ...}]}`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use screen::{Entry, EntryInput, Hit, Index, Query, Snapshot};

use crate::jsonl::{self, is_csv};
use crate::match_cmd::{explanation_json, round3};

/// Most watchlist entries one run accepts.
pub const MAX_WATCHLIST_ENTRIES: usize = 20_000_000;
/// Most queries one run accepts.
pub const MAX_QUERIES: usize = 10_000_000;

#[derive(clap::Args)]
pub struct Args {
    /// Watchlist: JSON lines or CSV (by extension).
    #[arg(long)]
    watchlist: PathBuf,
    /// Queries: JSON lines or CSV (by extension).
    #[arg(long)]
    input: PathBuf,
    /// Results, JSON lines, one per query in input order.
    #[arg(long)]
    output: PathBuf,
    /// Most hits per query.
    #[arg(long, default_value_t = screen::DEFAULT_LIMIT)]
    limit: usize,
    /// Report hits at or above this score.
    #[arg(long, default_value_t = screen::DEFAULT_THRESHOLD)]
    threshold: f32,
    /// Drop name hits scoring more than this below the query's best hit (1: keep all).
    #[arg(long, default_value_t = screen::DEFAULT_MARGIN)]
    margin: f32,
    /// Write timing figures (JSON) here.
    #[arg(long)]
    stats: Option<PathBuf>,
    /// Include each hit's explanation.
    #[arg(long)]
    explain: bool,
}

type Rows = Vec<(usize, serde_json::Map<String, serde_json::Value>)>;

fn read_rows(path: &Path, multi: &[&str]) -> Result<Rows> {
    if is_csv(path) {
        jsonl::read_csv_objects(path, multi)
    } else {
        jsonl::read_objects(path)
    }
}

fn first_list(
    path: &Path,
    line: usize,
    m: &serde_json::Map<String, serde_json::Value>,
    fields: &[&str],
) -> Result<Vec<String>> {
    for f in fields {
        if m.contains_key(*f) {
            return jsonl::string_list(path, line, m, f);
        }
    }
    Ok(Vec::new())
}

/// Read and check a watchlist; errors name the file, line and field. JSON
/// lines are streamed in chunks and parsed on all cores.
pub fn load_watchlist(path: &Path) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    let mut take = |rows: Rows| -> Result<()> {
        if entries.len() + rows.len() > MAX_WATCHLIST_ENTRIES {
            bail!("{}: more than {MAX_WATCHLIST_ENTRIES} entries; that is the most accepted", path.display());
        }
        let parsed = rows.par_iter().map(|(line, m)| entry_of(path, *line, m)).collect::<Result<Vec<_>>>()?;
        entries.extend(parsed);
        Ok(())
    };
    if is_csv(path) {
        take(jsonl::read_csv_objects(path, &["names", "dob", "countries", "nationalities", "documents"])?)?;
    } else {
        jsonl::for_each_chunk(path, take)?;
    }
    Ok(entries)
}

fn entry_of(path: &Path, line: usize, m: &serde_json::Map<String, serde_json::Value>) -> Result<Entry> {
    let id = jsonl::string_field(path, line, m, "id")?;
    let kind = match m.get("kind").and_then(|v| v.as_str()) {
        None | Some("person") => names::NameKind::Person,
        Some("organization") | Some("organisation") => names::NameKind::Organization,
        Some(k) => bail!("{}:{line}: field \"kind\": {k:?} is not person or organization", path.display()),
    };
    let input = EntryInput {
        id,
        names: first_list(path, line, m, &["names", "name"])?,
        dobs: first_list(path, line, m, &["dob", "dobs"])?,
        nationalities: first_list(path, line, m, &["countries", "nationalities"])?,
        documents: first_list(path, line, m, &["documents"])?,
        kind: Some(kind),
    };
    Entry::new(input).map_err(|e| anyhow::anyhow!("{}:{line}: {}", path.display(), field_of(&e, "names")))
}

/// A progress bar on stderr for `len` items of `what`.
pub fn bar(len: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {what} {{pos}}/{{len}} [{{bar:40}}] {{per_sec}} eta {{eta}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}

/// Screen every query on all cores, with a progress bar: each query's hits and
/// latency in milliseconds, in input order, and the wall time in seconds.
pub fn screen_all<T: Sync>(
    snap: &Snapshot,
    items: &[T],
    query: impl Fn(&T) -> &Query + Sync,
) -> (Vec<(Vec<Hit>, f64)>, f64) {
    let pb = bar(items.len() as u64, "screening");
    let t = Instant::now();
    let results = items
        .par_iter()
        .map(|item| {
            let t = Instant::now();
            let hits = snap.search(query(item));
            pb.inc(1);
            (hits, t.elapsed().as_secs_f64() * 1000.0)
        })
        .collect();
    let wall_s = t.elapsed().as_secs_f64();
    pb.finish_and_clear();
    (results, wall_s)
}

/// The error with the field it concerns, as the input file names it.
fn field_of(e: &screen::ScreenError, names_field: &str) -> String {
    match e {
        screen::ScreenError::Name { index, source } => format!("field \"{names_field}\"[{index}]: {source}"),
        screen::ScreenError::Date { index, source } => format!("field \"dob\"[{index}]: {source}"),
        screen::ScreenError::BadId => format!("field \"id\": {e}"),
        other => other.to_string(),
    }
}

pub fn run(a: Args) -> Result<()> {
    if a.limit == 0 || a.limit > screen::MAX_LIMIT {
        bail!("--limit must be 1 to {}", screen::MAX_LIMIT);
    }
    if !(0.0..=1.0).contains(&a.threshold) {
        bail!("--threshold must be within 0 to 1");
    }
    if !(0.0..=1.0).contains(&a.margin) {
        bail!("--margin must be within 0 to 1");
    }
    let t0 = Instant::now();
    let entries = load_watchlist(&a.watchlist)?;
    let n_entries = entries.len();
    let loaded_mib = crate::bench_cmd::peak_rss_mib();
    let index = Index::new(entries).with_context(|| format!("cannot index {}", a.watchlist.display()))?;
    let build_s = t0.elapsed().as_secs_f64();
    let snap = index.snapshot();
    let (n_names, n_postings) = snap.sizes();
    eprintln!(
        "indexed {n_entries} entries ({n_names} names, {n_postings} postings) in {build_s:.2} s; peak RSS {loaded_mib:.0} MiB loaded, {:.0} MiB indexed",
        crate::bench_cmd::peak_rss_mib()
    );

    let rows = read_rows(&a.input, &["names"])?;
    if rows.len() > MAX_QUERIES {
        bail!("{}: {} queries; at most {MAX_QUERIES} are accepted", a.input.display(), rows.len());
    }
    let qpath = &a.input;
    let queries: Vec<(String, Query)> = rows
        .par_iter()
        .map(|(line, m)| {
            let line = *line;
            let id = jsonl::string_field(qpath, line, m, "id")?;
            let names_ = first_list(qpath, line, m, &["name", "names"])?;
            let dob = m.get("dob").and_then(|v| v.as_str());
            let nat = m.get("nationality").or_else(|| m.get("country")).and_then(|v| v.as_str());
            let doc = m.get("document").and_then(|v| v.as_str());
            let mut q = Query::new(&names_, dob, nat, doc, Some(a.threshold), Some(a.limit)).map_err(|e| {
                let field = if m.contains_key("name") { "name" } else { "names" };
                anyhow::anyhow!("{}:{line}: {}", qpath.display(), field_of(&e, field))
            })?;
            q.margin = a.margin;
            Ok((id, q))
        })
        .collect::<Result<_>>()?;

    let (results, query_s) = screen_all(&snap, &queries, |(_, q)| q);

    let f = File::create(&a.output).with_context(|| format!("cannot create {}", a.output.display()))?;
    let mut w = BufWriter::new(f);
    for ((id, _), (hits, _)) in queries.iter().zip(&results) {
        let hits_json: Vec<serde_json::Value> = hits.iter().map(|h| hit_json(h, a.explain)).collect();
        serde_json::to_writer(&mut w, &serde_json::json!({"id": id, "hits": hits_json}))?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    let mut lat: Vec<f64> = results.iter().map(|(_, ms)| *ms).collect();
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| crate::bench_cmd::percentile(&lat, p);
    let n_hits: usize = results.iter().map(|(h, _)| h.len()).sum();
    eprintln!(
        "screened {} queries in {query_s:.2} s ({:.0} queries/s; p50 {:.3} ms, p99 {:.3} ms); {n_hits} hits",
        queries.len(),
        queries.len() as f64 / query_s.max(1e-9),
        pct(0.5),
        pct(0.99)
    );
    if let Some(path) = &a.stats {
        let st = serde_json::json!({
            "entries": n_entries, "names": n_names, "postings": n_postings, "build_s": build_s,
            "queries": queries.len(), "query_s": query_s, "p50_ms": pct(0.5), "p99_ms": pct(0.99),
            "threads": rayon::current_num_threads(), "hits": n_hits,
        });
        std::fs::write(path, serde_json::to_string_pretty(&st)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

pub fn hit_json(h: &Hit, explain: bool) -> serde_json::Value {
    let mut v = serde_json::json!({
        "id": h.id, "score": round3(h.score), "name": h.name, "name_score": round3(h.name_score),
        "dob": match h.dob {
            screen::DobEffect::Unknown => "unknown",
            screen::DobEffect::Agrees => "agrees",
            screen::DobEffect::AgreesPartly => "agrees_partly",
            screen::DobEffect::Near => "near",
            screen::DobEffect::Contradicts => "contradicts",
        },
    });
    if let Some(n) = h.nationality_agrees {
        v["nationality_agrees"] = n.into();
    }
    if h.document_match {
        v["document_match"] = true.into();
    }
    if explain {
        v["explanation"] = explanation_json(&h.explanation);
    }
    v
}
