//! `liaison audit`: verify, checkpoint, prune and read the audit log.

use std::io::Write;

use anyhow::{bail, Context, Result};
use audit::Action;
use store::Store;

use crate::data::{now_ms, operator_entry, parse_key, runtime, DataArgs, DataDir};
use crate::with_store;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Checks the whole log against its chain and its signed checkpoints.
    Verify {
        /// The checkpoint public key in hex (default: the data directory's).
        #[arg(long)]
        public_key: Option<String>,
    },
    /// Signs a checkpoint at the current end of the log.
    Checkpoint,
    /// Deletes records older than the configured retention, up to a checkpoint.
    Prune,
    /// Prints records as JSON lines.
    Show {
        /// Records after this sequence number.
        #[arg(long, default_value_t = 0)]
        after: u64,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
}

pub fn run(a: Args) -> Result<()> {
    let data = DataDir::open(&a.data.data_dir)?;
    runtime()?.block_on(async {
        let db = data.store().await?;
        with_store!(&db, |s| {
            match &a.command {
                Command::Verify { public_key } => {
                    let key = match public_key {
                        Some(k) => parse_key(k).context("--public-key")?,
                        None => data.public_key()?,
                    };
                    let head = s.audit_head().await?.0;
                    let bar = crate::screen_cmd::bar(head, "verifying");
                    let t0 = std::time::Instant::now();
                    let result = store::verify_audit(s, &key, |n| bar.set_position(n)).await?;
                    bar.finish_and_clear();
                    let secs = t0.elapsed().as_secs_f64();
                    match result {
                        Ok(r) => {
                            let (first, last) = r.range.unwrap_or((0, 0));
                            eprintln!(
                                "audit log intact: records {first}-{last} ({} records) in {secs:.2} s; {} signed checkpoints \
                                 verified; {} records after the last checkpoint",
                                r.records, r.checkpoints, r.unsigned_tail
                            );
                            println!(
                                "{}",
                                serde_json::json!({"ok": true, "records": r.records, "first": first, "last": last,
                                    "checkpoints": r.checkpoints, "unsigned_tail": r.unsigned_tail, "seconds": secs})
                            );
                        }
                        Err(e) => {
                            println!("{}", serde_json::json!({"ok": false, "error": e.to_string()}));
                            bail!("audit log verification FAILED: {e}");
                        }
                    }
                }
                Command::Checkpoint => {
                    let signer = data.signer()?;
                    match s.checkpoint_if_due(&signer, 1, now_ms()).await? {
                        Some(c) => eprintln!("checkpoint signed at record {} ({})", c.seq, audit::hex_hash(&c.hash)),
                        None => eprintln!("no new records since the last checkpoint"),
                    }
                }
                Command::Prune => {
                    let cutoff = now_ms() - i64::from(data.config.audit.retention_days) * 86_400_000;
                    // The newest checkpoint whose record is older than the cutoff.
                    let mut through = None;
                    for c in s.checkpoints().await?.iter().rev() {
                        let rec = s.audit_records(c.seq - 1, 1).await?;
                        if rec.first().is_some_and(|r| r.seq == c.seq && r.entry.at_ms < cutoff) {
                            through = Some(c.seq);
                            break;
                        }
                    }
                    match through {
                        Some(seq) => {
                            let entry = operator_entry(Action::Admin, format!("prune audit through {seq}"), 0);
                            let n = s.prune_audit(seq, entry).await?;
                            eprintln!(
                                "pruned {n} records through {seq} (retention {} days)",
                                data.config.audit.retention_days
                            );
                        }
                        None => eprintln!(
                            "nothing to prune: no checkpoint older than {} days",
                            data.config.audit.retention_days
                        ),
                    }
                }
                Command::Show { after, limit } => {
                    let mut out = std::io::stdout().lock();
                    for r in s.audit_records(*after, *limit).await? {
                        let e = &r.entry;
                        let at = jiff::Timestamp::from_millisecond(e.at_ms).map(|t| t.to_string()).unwrap_or_default();
                        writeln!(
                            out,
                            "{}",
                            serde_json::json!({"seq": r.seq, "at": at, "actor": e.actor, "agency": e.agency,
                                "action": e.action.as_str(), "target": e.target, "purpose": e.purpose,
                                "results": e.result_count, "hash": audit::hex_hash(&r.hash)})
                        )?;
                    }
                }
            }
            anyhow::Ok(())
        })
    })
}
