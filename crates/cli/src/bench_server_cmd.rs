//! `liaison bench-server`: a bounded load test of single-person screening over
//! HTTP on loopback, beside the same queries screened in-process, on a store of
//! N generated notices; and how long a restart takes to rebuild the index.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::{json, Value};
use server::live::Live;
use server::{App, Settings};
use store::{SqliteStore, Store};

use crate::bench_cmd::{peak_rss_mib, percentile};
use crate::data::runtime;
use crate::synth::{self, Rng};

/// Most notices a run generates.
pub const MAX_BENCH_NOTICES: usize = 5_000_000;
/// Most concurrent HTTP clients.
pub const MAX_CONCURRENCY: usize = 1_024;

#[derive(clap::Args)]
pub struct Args {
    /// Generated notices in the store.
    #[arg(long, default_value_t = 1_000_000)]
    notices: usize,
    /// Seconds of HTTP load.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Concurrent HTTP clients (each sends its next request when the last is answered).
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Seed.
    #[arg(long, default_value_t = 11)]
    seed: u64,
    /// Make the notices' names and the queries from a file of identity groups
    /// (such as ../shared/data/arabic-names-dev.jsonl, read at run time): given
    /// and family names recombined, on file in Arabic or one attested Latin
    /// spelling, queried half as other spellings of notices, half as people on file
    /// under no spelling — as `../shared/eval/scale_bench.py` builds its watchlists.
    /// Without it, the project's own synthetic names, which make about forty
    /// namesakes of every name at a million notices.
    #[arg(long)]
    names: Option<std::path::PathBuf>,
}

/// (Arabic, Latin spellings) of given names and of family names from identity groups.
type Parts = Vec<(String, Vec<String>)>;

fn name_parts(path: &std::path::Path) -> Result<(Parts, Parts)> {
    let (mut given, mut family) = (Vec::new(), Vec::new());
    for (i, line) in
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?.lines().enumerate()
    {
        let g: Value = serde_json::from_str(line).with_context(|| format!("{}:{}", path.display(), i + 1))?;
        let (names, scripts) = (g["names"].as_array(), g["scripts"].as_array());
        let (Some(names), Some(scripts)) = (names, scripts) else { continue };
        let pick = |want: &str| -> Vec<Vec<String>> {
            names
                .iter()
                .zip(scripts)
                .filter(|(_, s)| s.as_str() == Some(want))
                .filter_map(|(n, _)| n.as_str())
                .map(|n| n.split_whitespace().map(String::from).collect())
                .collect()
        };
        let (ar, la) = (pick("Arab"), pick("Latn"));
        let Some(at) = ar.first() else { continue };
        let lts: Vec<&Vec<String>> = la.iter().filter(|l| l.len() == at.len()).collect();
        if at.len() >= 2 && !lts.is_empty() {
            given.push((at[0].clone(), lts.iter().map(|l| l[0].clone()).collect()));
            family.push((at[at.len() - 1].clone(), lts.iter().map(|l| l[l.len() - 1].clone()).collect()));
        }
    }
    anyhow::ensure!(!given.is_empty(), "{}: no usable identity groups", path.display());
    Ok((given, family))
}

/// Notices named from identity groups, and the queries.
fn from_groups(path: &std::path::Path, n: usize, seed: u64) -> Result<(Vec<model::UncheckedNotice>, Vec<String>)> {
    let (given, family) = name_parts(path)?;
    let mut rng = Rng::new(seed);
    let owners = [model::AgencyCode::new("MA")?, model::AgencyCode::new("TN")?];
    let mut notices = Vec::with_capacity(n);
    let mut people = Vec::new();
    for i in 0..n {
        let (g, f) = (rng.below(given.len()), rng.below(family.len()));
        let arabic = rng.below(10) < 4;
        let name = if arabic {
            format!("{} {}", given[g].0, family[f].0)
        } else {
            format!("{} {}", rng.pick(&given[g].1), rng.pick(&family[f].1))
        };
        let owner = &owners[usize::from(rng.below(10) >= 7)];
        let mut c = synth::notice(&mut rng, i, owner, &[]);
        if let Some(p) = c.person.as_mut() {
            p.names = vec![model::NameRecord {
                script: Some(if arabic { "Arab" } else { "Latn" }.into()),
                name: name.clone(),
                original: true,
            }];
        }
        if let Some(d) = c.document.as_mut() {
            d.holder = Some(name.clone());
        }
        c.title = name;
        if people.len() < 10_000 {
            people.push((g, f, arabic));
        }
        notices.push(c);
    }
    let queries = (0..10_000)
        .map(|i| {
            if i % 2 == 0 && !people.is_empty() {
                let (g, f, arabic) = people[i % people.len()];
                if arabic || rng.below(2) == 0 {
                    format!("{} {}", rng.pick(&given[g].1), rng.pick(&family[f].1))
                } else {
                    format!("{} {}", given[g].0, family[f].0)
                }
            } else {
                let (g, f) = (rng.below(given.len()), rng.below(family.len()));
                format!("{} {}", rng.pick(&given[g].1), rng.pick(&family[f].1))
            }
        })
        .collect();
    Ok((notices, queries))
}

fn summary(name: &str, lat_ms: &mut [f64], secs: f64) -> Value {
    lat_ms.sort_by(f64::total_cmp);
    let (p50, p99) = (percentile(lat_ms, 0.50), percentile(lat_ms, 0.99));
    let rps = lat_ms.len() as f64 / secs;
    eprintln!(
        "{name:<22} {:>8} requests in {secs:>5.1} s: {rps:>8.0}/s   p50 {p50:>6.2} ms   p99 {p99:>6.2} ms",
        lat_ms.len()
    );
    json!({"path": name, "requests": lat_ms.len(), "per_second": rps, "p50_ms": p50, "p99_ms": p99})
}

pub fn run(a: Args) -> Result<()> {
    anyhow::ensure!((1..=MAX_BENCH_NOTICES).contains(&a.notices), "--notices: 1 to {MAX_BENCH_NOTICES}");
    anyhow::ensure!((1..=MAX_CONCURRENCY).contains(&a.concurrency), "--concurrency: 1 to {MAX_CONCURRENCY}");
    let dir = tempfile::tempdir()?;
    runtime()?.block_on(async {
        let s = SqliteStore::open(&dir.path().join("bench.db")).await?;
        s.migrate().await?;
        let named = match &a.names {
            Some(path) => Some(from_groups(path, a.notices, a.seed)?),
            None => None,
        };
        let generated = if named.is_some() { 0 } else { a.notices };
        crate::demo_cmd::populate(&s, generated, a.seed).await?;
        if let Some((notices, _)) = &named {
            crate::demo_cmd::import_published(&s, notices.clone()).await?;
        }
        // What a restart does: rebuild the live index from the store.
        let (live, stats) = Live::rebuild(&s, |_| {}).await?;
        eprintln!(
            "restart: index rebuilt from the store in {:.1} s ({} published notices, {} indexed)",
            stats.seconds, stats.notices, stats.indexed
        );
        let app = App::start(s.clone(), live, audit::Signer::from_seed(&[1; 32]), Settings::default()).await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}/api/v1", listener.local_addr()?);
        let served = Arc::clone(&app);
        tokio::spawn(async move { axum::serve(listener, server::api::router(served)).await });
        // Queries: other spellings of generated people, as officers type them.
        let mut rng = Rng::new(a.seed ^ 0x5eed);
        let queries: Vec<String> = match named {
            Some((_, q)) => q,
            None => (0..10_000).map(|_| synth::query_name(&synth::person(&mut rng), &mut rng)).collect(),
        };
        let http = reqwest::Client::builder().pool_max_idle_per_host(a.concurrency).build()?;
        let login: Value = http
            .post(format!("{base}/auth/login"))
            .json(&json!({"username": "tn.officer", "password": crate::demo_cmd::DEMO_PASSWORD}))
            .send()
            .await?
            .json()
            .await?;
        let token = login["token"].as_str().context("log-in")?.to_string();
        let principal = app.principal(&token).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        // In-process: the same queries straight into the app, on every core.
        let t0 = Instant::now();
        let mut inproc: Vec<f64> = {
            use rayon::prelude::*;
            queries
                .par_iter()
                .map(|name| {
                    let q = server::api::query_of(name, None, None, None, None, None).ok();
                    let t = Instant::now();
                    if let Some(q) = q {
                        std::hint::black_box(app.screen_one(&principal, &q));
                    }
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect()
        };
        let inproc_s = t0.elapsed().as_secs_f64();
        // Over HTTP: closed-loop clients for a fixed time.
        let queries = Arc::new(queries);
        let deadline = Instant::now() + Duration::from_secs(a.seconds);
        let t0 = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..a.concurrency {
            let (http, base, token, queries) = (http.clone(), base.clone(), token.clone(), Arc::clone(&queries));
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0u64;
                let mut i = c;
                while Instant::now() < deadline {
                    let body = json!({"name": queries[i % queries.len()], "purpose": "load test"});
                    let t = Instant::now();
                    let ok = match http.post(format!("{base}/screen")).bearer_auth(&token).json(&body).send().await {
                        Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    if ok {
                        lat.push(t.elapsed().as_secs_f64() * 1e3);
                    } else {
                        errors += 1;
                    }
                    i += a.concurrency;
                }
                (lat, errors)
            }));
        }
        let mut http_lat = Vec::new();
        let mut errors = 0;
        for t in tasks {
            let (l, e) = t.await?;
            http_lat.extend(l);
            errors += e;
        }
        let http_s = t0.elapsed().as_secs_f64();
        eprintln!(
            "{} notices, {} concurrent clients, queries as tn.officer (visibility applied):",
            a.notices, a.concurrency
        );
        let h = summary("HTTP /api/v1/screen", &mut http_lat, http_s);
        let i = summary("in-process screen_one", &mut inproc, inproc_s);
        eprintln!("errors: {errors}; peak RSS {:.0} MiB (server and client in one process)", peak_rss_mib());
        println!(
            "{}",
            json!({"notices": a.notices, "rebuild_s": stats.seconds, "http": h, "in_process": i, "errors": errors,
                   "peak_rss_mib": peak_rss_mib()})
        );
        anyhow::Ok(())
    })
}
