//! `liaison import` and `liaison export`.
//!
//! An import reads and checks the whole file first; the first bad record stops
//! it with `file:line: field: what` and nothing is written. Then it is stored in
//! one transaction (all or nothing, even if the process is killed), and
//! re-importing the same source makes new versions only of what changed.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read as _, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use audit::Action;
use model::{visibility, FieldSet, Handling, Notice, NoticeType, Role, Tlp, User, Viewer};
use store::{ImportItem, NoticeFilter, Store};

use crate::data::{checkpoint, now_ms, runtime, user_entry, DataArgs, DataDir};
use crate::formats::{self, Defaults, MAX_IMPORT_BYTES};
use crate::with_store;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// The UN Security Council consolidated list (XML).
    UnXml,
    /// FollowTheMoney entities, JSON lines (OpenSanctions).
    Ftm,
    /// Liaison notices, JSON lines.
    Jsonl,
    /// Liaison notices, CSV.
    Csv,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The file's format.
    #[arg(long, value_enum)]
    format: Format,
    /// The file.
    file: PathBuf,
    /// The user importing; the notices belong to their agency.
    #[arg(long = "as")]
    user: String,
    /// Notice type for un-xml and ftm (un-xml: sanctions-listing).
    #[arg(long = "type")]
    kind: Option<String>,
    /// Publish at once (needs the reviewer role; for authoritative lists),
    /// rather than importing drafts for review.
    #[arg(long)]
    publish: bool,
    /// TLP label for un-xml and ftm.
    #[arg(long, default_value = "CLEAR")]
    tlp: String,
    /// Review period in days for un-xml and ftm.
    #[arg(long, default_value_t = 365)]
    review_days: u32,
    /// Action to take on a hit, for un-xml and ftm.
    #[arg(long)]
    action: Option<String>,
    /// Why, for the audit log.
    #[arg(long, default_value = "import")]
    purpose: String,
}

/// Opens a file to import, refusing one larger than [`MAX_IMPORT_BYTES`]:
/// every reader also stops at the bound, so a larger file would otherwise be
/// read in part without a word.
fn open_import(path: &Path) -> Result<File> {
    let f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let len = f.metadata().with_context(|| format!("reading {}", path.display()))?.len();
    if len > MAX_IMPORT_BYTES {
        bail!("{}: larger than {MAX_IMPORT_BYTES} bytes", path.display());
    }
    Ok(f)
}

pub fn read_text(path: &Path) -> Result<String> {
    let f = open_import(path)?;
    let mut text = String::new();
    f.take(MAX_IMPORT_BYTES + 1).read_to_string(&mut text).with_context(|| format!("reading {}", path.display()))?;
    if text.len() as u64 > MAX_IMPORT_BYTES {
        bail!("{}: larger than {MAX_IMPORT_BYTES} bytes", path.display());
    }
    Ok(text)
}

/// Reads and checks a file into notices owned by `user`'s agency.
pub fn read_notices(a: &ImportArgs, user: &User, now: jiff::Timestamp) -> Result<Vec<ImportItem>> {
    let file = a.file.display().to_string();
    let kind = match (&a.kind, a.format) {
        (Some(k), _) => NoticeType::parse(k).context("--type")?,
        (None, Format::UnXml) => NoticeType::SanctionsListing,
        (None, Format::Ftm) => bail!("--type: say which notice type FollowTheMoney persons become"),
        (None, _) => NoticeType::SanctionsListing,
    };
    let defaults = Defaults {
        owner: user.agency.clone(),
        kind,
        tlp: Tlp::parse(&a.tlp).context("--tlp")?,
        handling: Handling::H0,
        review_days: a.review_days,
        action: a.action.clone().unwrap_or_else(|| match kind {
            NoticeType::SanctionsListing => "Verify identity; apply the sanctions measures; inform the owner".into(),
            _ => "Verify identity and inform the owning agency at once".into(),
        }),
    };
    let reads = match a.format {
        Format::UnXml => {
            let list = formats::un::read(&read_text(&a.file)?, &file, &defaults)?;
            if list.entities_skipped > 0 {
                eprintln!("{file}: {} entities (organisations) left out", list.entities_skipped);
            }
            dropped(&file, list.items_dropped);
            list.notices
        }
        Format::Ftm => {
            let f = open_import(&a.file)?;
            let r = formats::ftm::read(BufReader::new(f.take(MAX_IMPORT_BYTES)), &file, &defaults)?;
            if r.other_schemas > 0 {
                eprintln!("{file}: {} entities of other schemas than Person left out", r.other_schemas);
            }
            dropped(&file, r.items_dropped);
            r.notices
        }
        Format::Jsonl => {
            let f = open_import(&a.file)?;
            formats::notices::read_jsonl(BufReader::new(f.take(MAX_IMPORT_BYTES)), &file, &user.agency)?
        }
        Format::Csv => {
            let f = open_import(&a.file)?;
            formats::notices::read_csv(f, &file, &user.agency)?
        }
    };
    if reads.len() > store::MAX_IMPORT_BATCH {
        bail!("{file}: more than {} notices in one import", store::MAX_IMPORT_BATCH);
    }
    let mut seen = std::collections::HashMap::new();
    for r in &reads {
        if let Some(s) = &r.notice.source_ref {
            if let Some(first) = seen.insert(s.clone(), r.line) {
                bail!("{file}:{}: source_ref: {s:?} already on line {first}", r.line);
            }
        }
    }
    let source = a.file.file_name().map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
    reads
        .into_iter()
        .map(|r| {
            let n =
                if a.publish { Notice::imported(r.notice, &source, user, now) } else { Notice::draft(r.notice, user) };
            n.map(|notice| ImportItem { notice }).map_err(|e| anyhow::anyhow!("{file}:{}: {e}", r.line))
        })
        .collect()
}

/// External lists are not ours to refuse: a person with more aliases than a
/// notice holds keeps the first ones, and the import says how many it left out.
fn dropped(file: &str, n: usize) {
    if n > 0 {
        eprintln!(
            "{file}: {n} names, dates, nationalities or documents left out past the bounds of a notice \
             ({} names, {} of each other item)",
            model::MAX_NAMES,
            model::MAX_ITEMS
        );
    }
}

pub fn import(a: ImportArgs) -> Result<()> {
    let data = DataDir::open(&a.data.data_dir)?;
    runtime()?.block_on(async {
        let db = data.store().await?;
        with_store!(&db, |s| {
            let (user, _) = s.user(&a.user).await?.with_context(|| format!("--as {}: no such user", a.user))?;
            if a.publish && !user.has(Role::Reviewer) {
                bail!("--publish: {} is not a reviewer of {}", user.username, user.agency);
            }
            if !a.publish && !user.has(Role::Analyst) {
                bail!(
                    "{} is not an analyst of {}: drafts need one (or use --publish as a reviewer)",
                    user.username,
                    user.agency
                );
            }
            let t0 = std::time::Instant::now();
            let items = read_notices(&a, &user, jiff::Timestamp::now())?;
            let read_s = t0.elapsed().as_secs_f64();
            let n = items.len();
            eprintln!("storing {n} notices in one transaction");
            let bar = crate::screen_cmd::bar(n as u64, "storing (one transaction)");
            let entry = user_entry(&user, Action::Import, a.file.display().to_string(), &a.purpose);
            let report = s.import(items, &user.username, now_ms(), entry).await?;
            bar.finish_and_clear();
            checkpoint(&data, s).await?;
            let total_s = t0.elapsed().as_secs_f64();
            eprintln!(
                "{}: {n} notices read in {read_s:.1} s; {} created, {} updated, {} unchanged; {total_s:.1} s in all",
                a.file.display(),
                report.created,
                report.updated,
                report.unchanged
            );
            println!(
                "{}",
                serde_json::json!({"file": a.file, "read": n, "created": report.created, "updated": report.updated,
                    "unchanged": report.unchanged, "seconds": (total_s * 1000.0).round() / 1000.0})
            );
            anyhow::Ok(())
        })
    })
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    /// FollowTheMoney entities, JSON lines.
    Ftm,
    /// Liaison notices, JSON lines.
    Jsonl,
    /// Liaison notices, CSV.
    Csv,
}

enum Sink {
    Csv(Box<csv::Writer<Box<dyn Write>>>),
    Lines(BufWriter<Box<dyn Write>>),
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The format.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// The user exporting: exactly what they may see, with the fields they may see.
    #[arg(long = "as")]
    user: String,
    /// Only this owner's notices.
    #[arg(long)]
    owner: Option<String>,
    /// Where to write (default: standard output).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Why, for the audit log.
    #[arg(long, default_value = "export")]
    purpose: String,
}

pub fn export(a: ExportArgs) -> Result<()> {
    let data = DataDir::open(&a.data.data_dir)?;
    runtime()?.block_on(async {
        let db = data.store().await?;
        with_store!(&db, |s| {
            let (user, _) = s.user(&a.user).await?.with_context(|| format!("--as {}: no such user", a.user))?;
            let agreements: Vec<_> = s.agreements().await?.into_iter().map(|(_, ag)| ag).collect();
            let owner = a.owner.as_deref().map(model::AgencyCode::new).transpose().context("--owner")?;
            let out: Box<dyn Write> = match &a.output {
                Some(p) => Box::new(File::create(p).with_context(|| format!("creating {}", p.display()))?),
                None => Box::new(std::io::stdout().lock()),
            };
            let mut sink = match a.format {
                ExportFormat::Csv => {
                    let mut w = csv::Writer::from_writer(out);
                    w.write_record(formats::notices::CSV_COLUMNS)?;
                    Sink::Csv(Box::new(w))
                }
                _ => Sink::Lines(BufWriter::new(out)),
            };
            let viewer = Viewer { agency: &user.agency, roles: &user.roles };
            let now = jiff::Timestamp::now();
            let (mut after, mut written) = (0, 0u64);
            loop {
                let page = s
                    .notices(&NoticeFilter {
                        owner: owner.clone(),
                        after_id: after,
                        limit: 5_000,
                        ..Default::default()
                    })
                    .await?;
                let Some(last) = page.last() else { break };
                after = last.id;
                for sn in &page {
                    // Every notice read goes through the one visibility rule.
                    let Some(fields) = visibility(&viewer, &sn.notice, &agreements, now) else { continue };
                    let mut c = sn.notice.redacted(fields);
                    if c.source_ref.is_none() && fields == FieldSet::Full {
                        c.source_ref = Some(format!("liaison:{}:{}", c.owner, sn.id));
                    }
                    match (&mut sink, a.format) {
                        (Sink::Csv(w), _) => w.write_record(formats::notices::csv_row(&c))?,
                        (Sink::Lines(out), ExportFormat::Ftm) => {
                            let id = c.source_ref.clone().unwrap_or_else(|| format!("liaison-{}-{}", c.owner, sn.id));
                            match formats::ftm::entity(&id, &c) {
                                Some(e) => writeln!(out, "{e}")?,
                                None => continue,
                            }
                        }
                        (Sink::Lines(out), _) => writeln!(out, "{}", serde_json::to_string(&c)?)?,
                    }
                    written += 1;
                }
            }
            match &mut sink {
                Sink::Csv(w) => w.flush()?,
                Sink::Lines(w) => w.flush()?,
            }
            let mut entry = user_entry(
                &user,
                Action::Export,
                format!("export {}", owner.map(|o| o.to_string()).unwrap_or("all".into())),
                &a.purpose,
            );
            entry.result_count = written;
            s.append_audit(vec![entry]).await?;
            checkpoint(&data, s).await?;
            eprintln!("{written} notices exported");
            anyhow::Ok(())
        })
    })
}
