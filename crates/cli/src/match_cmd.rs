//! `liaison match`: compare two names, or score a batch of pairs.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use names::{NameKind, DEFAULT_THRESHOLD};
use rayon::prelude::*;

use crate::jsonl;

#[derive(clap::Args)]
pub struct Args {
    /// First name (with NAME_B; or use --input).
    name_a: Option<String>,
    /// Second name.
    name_b: Option<String>,
    /// Compare organisation names instead of persons.
    #[arg(long)]
    organization: bool,
    /// Pairs to score, JSON lines: {"id", "a", "b", "kind": "person"|"organization"}.
    #[arg(long, requires = "output")]
    input: Option<PathBuf>,
    /// Where to write scores, JSON lines: {"id", "score", "match"}.
    #[arg(long, requires = "input")]
    output: Option<PathBuf>,
    /// Include the explanation in each output line.
    #[arg(long)]
    explain: bool,
}

pub fn run(a: Args) -> Result<()> {
    match (&a.input, &a.output, &a.name_a, &a.name_b) {
        (Some(i), Some(o), None, None) => batch(i, o, a.explain),
        (None, None, Some(x), Some(y)) => {
            let kind = if a.organization { NameKind::Organization } else { NameKind::Person };
            single(x, y, kind)
        }
        _ => bail!("give two names, or --input PAIRS.jsonl --output SCORES.jsonl"),
    }
}

fn single(x: &str, y: &str, kind: NameKind) -> Result<()> {
    let na = names::parse(x, kind).with_context(|| format!("name A {x:?}"))?;
    let nb = names::parse(y, kind).with_context(|| format!("name B {y:?}"))?;
    let c = names::compare(&na, &nb);
    let mut out = std::io::stdout().lock();
    writeln!(out, "score    {:.3}", c.score)?;
    writeln!(out, "decision {} (threshold {DEFAULT_THRESHOLD:.2})", if c.is_match { "MATCH" } else { "no match" })?;
    write_explanation(&mut out, &c.explanation)?;
    Ok(())
}

/// Print an explanation for a reader.
pub fn write_explanation(out: &mut impl Write, ex: &names::Explanation) -> Result<()> {
    for p in &ex.aligned {
        let note = p.note.map(|n| format!("  ({n})")).unwrap_or_default();
        writeln!(
            out,
            "  aligned   {:<24} ~ {:<24} similarity {:.2}  weight {:.2}  [{} ~ {}]{note}",
            p.a, p.b, p.similarity, p.weight, p.a_sounds, p.b_sounds
        )?;
    }
    for u in ex.unaligned.iter().filter(|u| !u.contradiction) {
        writeln!(out, "  omitted   {} (side {}), weighs {:.2} against", u.text, u.side, u.penalty_weight)?;
    }
    for p in &ex.penalties {
        writeln!(out, "  penalty   ×{:.2} {}", p.factor, p.reason)?;
    }
    for r in &ex.read_as {
        writeln!(out, "  read      {r}")?;
    }
    Ok(())
}

/// The explanation as JSON.
pub fn explanation_json(ex: &names::Explanation) -> serde_json::Value {
    serde_json::json!({
        "aligned": ex.aligned.iter().map(|p| serde_json::json!({
            "a": p.a, "b": p.b, "similarity": round3(p.similarity), "weight": round3(p.weight),
            "contribution": round3(p.contribution),
        })).collect::<Vec<_>>(),
        "unaligned": ex.unaligned.iter().map(|u| serde_json::json!({
            "side": u.side.to_string(), "text": u.text, "contradiction": u.contradiction,
            "penalty_weight": round3(u.penalty_weight),
        })).collect::<Vec<_>>(),
        "penalties": ex.penalties.iter().map(|p| serde_json::json!({
            "reason": p.reason, "factor": round3(p.factor),
        })).collect::<Vec<_>>(),
    })
}

pub fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

struct Pair {
    id: String,
    a: String,
    b: String,
    kind: NameKind,
}

fn batch(input: &std::path::Path, output: &std::path::Path, explain: bool) -> Result<()> {
    let rows = jsonl::read_objects(input)?;
    let mut pairs = Vec::with_capacity(rows.len());
    for (lineno, m) in &rows {
        let id = jsonl::string_field(input, *lineno, m, "id")?;
        let a = jsonl::string_field(input, *lineno, m, "a")?;
        let b = jsonl::string_field(input, *lineno, m, "b")?;
        let kind = match m.get("kind").and_then(|v| v.as_str()).unwrap_or("person") {
            "person" => NameKind::Person,
            "organization" | "organisation" => NameKind::Organization,
            other => bail!(
                "{}:{lineno}: field \"kind\" must be \"person\" or \"organization\", not {other:?}",
                input.display()
            ),
        };
        pairs.push(Pair { id, a, b, kind });
    }
    let results: Vec<serde_json::Value> = pairs
        .par_iter()
        .map(|p| {
            let r = names::match_names(&p.a, &p.b, p.kind);
            match r {
                Ok(c) => {
                    let mut v = serde_json::json!({"id": p.id, "score": round3(c.score), "match": c.is_match});
                    if explain {
                        v["explanation"] = explanation_json(&c.explanation);
                    }
                    v
                }
                // A name that cannot be compared (empty, too long) is no match, with the reason.
                Err(e) => serde_json::json!({"id": p.id, "score": 0.0, "match": false, "error": e.to_string()}),
            }
        })
        .collect();
    let f = File::create(output).with_context(|| format!("cannot create {}", output.display()))?;
    let mut w = BufWriter::new(f);
    for v in &results {
        serde_json::to_writer(&mut w, v)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    eprintln!("scored {} pairs into {}", results.len(), output.display());
    Ok(())
}
