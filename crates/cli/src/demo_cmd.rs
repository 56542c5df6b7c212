//! `liaison demo`: the main job on its embedded default — a generated watchlist
//! in several scripts, screened with example queries, hits explained.
//!
//! Until the server lands this shows screening end to end without any set-up.

use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;
use screen::{Entry, EntryInput, Index, Query};

use crate::bench_cmd::generate;
use crate::synth::Rng;

#[derive(clap::Args)]
pub struct Args {
    /// Generated entries beside the named demo notices.
    #[arg(long, default_value_t = 100_000)]
    entries: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

/// Demo notices, as agency A would file them.
const NOTICES: &[(&str, &[&str], &str, &str)] = &[
    ("A-2026-0001", &["عبد اللطيف حموشي"], "1966-01-01", "XK1234567"),
    ("A-2026-0002", &["Abdellatif Hammoumi"], "1970-02-03", "MA998877"),
    ("A-2026-0003", &["نور الدين بن علي الإدريسي", "Noureddine Ben Ali Drissi"], "1975", "TN5544332"),
    ("A-2026-0004", &["Yahya Hammouda"], "1988-11-30", "DZ1029384"),
];

const QUERIES: &[(&str, Option<&str>, Option<&str>)] = &[
    ("Abdellatif Hammouchi", None, None),
    ("Abd al-Latif al-Hamushi", Some("1966-01-01"), None),
    ("Nour Eddine Drissi", None, None),
    ("يحيى حمودة", None, None),
    ("Jean Dupont", None, Some("DZ 1029384")),
];

pub fn run(a: Args) -> Result<()> {
    let t0 = Instant::now();
    let mut rng = Rng::new(a.seed);
    // the demo notices' family roots are left out of the generated crowd, so
    // that what the queries find is the notice, not a synthetic namesake
    let notice_roots: Vec<usize> = crate::synth::ROOTS
        .iter()
        .enumerate()
        .filter(|(_, (ar, _))| ["حموش", "إدريس"].contains(ar))
        .map(|(i, _)| i)
        .collect();
    let (mut inputs, _) = generate(a.entries, &mut rng, &notice_roots);
    for (id, names_, dob, doc) in NOTICES {
        inputs.push(EntryInput {
            id: id.to_string(),
            names: names_.iter().map(|s| s.to_string()).collect(),
            dobs: vec![dob.to_string()],
            nationalities: vec!["MA".into()],
            documents: vec![doc.to_string()],
            kind: None,
        });
    }
    let entries: Vec<Entry> =
        inputs.into_par_iter().map(Entry::new).collect::<Result<_, _>>().context("a demo entry was rejected")?;
    let index = Index::new(entries).context("cannot build the index")?;
    let snap = index.snapshot();
    eprintln!(
        "demo watchlist: {} entries ({} generated in Arabic and Latin script, {} demo notices), indexed in {:.2} s",
        snap.len(),
        a.entries,
        NOTICES.len(),
        t0.elapsed().as_secs_f64()
    );
    for (name, dob, doc) in QUERIES {
        let q = Query::new(&[name.to_string()], *dob, None, *doc, None, None)?;
        let t = Instant::now();
        let hits = snap.search(&q);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let extra = [dob.map(|d| format!("born {d}")), doc.map(|d| format!("document {d}"))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        println!("\nscreening {name:?} {extra} — {} hit(s) in {ms:.2} ms", hits.len());
        for h in hits.iter().take(3) {
            let why = if h.document_match { " [document number matches]".to_string() } else { String::new() };
            println!("  {:<12} {:.3}  {}{}  (date of birth: {:?})", h.id, h.score, h.name, why, h.dob);
            crate::match_cmd::write_explanation(&mut std::io::stdout(), &h.explanation)?;
        }
    }
    Ok(())
}
