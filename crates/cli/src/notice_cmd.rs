//! `liaison notice`: read a notice and its history, and move it through its
//! lifecycle — each step checked by `model`, stored as a new version with its
//! audit record.

use std::io::Write;

use anyhow::{bail, Context, Result};
use audit::Action;
use model::{visibility, NeutralityChecklist, Notice, Viewer};
use store::{NoticeId, Store};

use crate::data::{checkpoint, now_ms, runtime, user_entry, DataArgs, DataDir};
use crate::with_store;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// The user acting.
    #[arg(long = "as", global = true, default_value = "")]
    user: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Lists the notices the user may see (id, type, status, title) as JSON lines.
    List {
        /// Only in this status (draft, in-review, published, expired, cancelled).
        #[arg(long)]
        status: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Why, for the audit log.
        #[arg(long, default_value = "list")]
        purpose: String,
    },
    /// Prints a notice as JSON, with the fields the user may see.
    Show {
        id: NoticeId,
        /// Why, for the audit log.
        #[arg(long)]
        purpose: String,
    },
    /// Prints a notice's versions as JSON lines (owning agency only).
    History { id: NoticeId },
    /// Draft → in review.
    Submit { id: NoticeId },
    /// In review → published, after the neutrality checklist.
    Approve {
        id: NoticeId,
        /// Confirms: no political, military, religious or racial character, and the
        /// subject is not a refugee fleeing the requesting state.
        #[arg(long)]
        neutrality_checked: bool,
    },
    /// In review → draft, with reasons.
    Reject {
        id: NoticeId,
        #[arg(long)]
        reasons: String,
    },
    /// Extends the review period on a recorded decision.
    Extend {
        id: NoticeId,
        #[arg(long)]
        decision: String,
        #[arg(long)]
        days: u32,
    },
    /// Cancels the notice everywhere.
    Cancel {
        id: NoticeId,
        #[arg(long)]
        reason: String,
    },
}

pub fn run(a: Args) -> Result<()> {
    let data = DataDir::open(&a.data.data_dir)?;
    runtime()?.block_on(async {
        let db = data.store().await?;
        with_store!(&db, |s| {
            if a.user.is_empty() {
                bail!("--as: say which user acts");
            }
            let (user, _) = s.user(&a.user).await?.with_context(|| format!("--as {}: no such user", a.user))?;
            let agreements: Vec<_> = s.agreements().await?.into_iter().map(|(_, ag)| ag).collect();
            let now = jiff::Timestamp::now();
            let viewer = Viewer { agency: &user.agency, roles: &user.roles };
            if let Command::List { status, limit, purpose } = &a.command {
                let status = status.as_deref().map(model::Status::parse).transpose().context("--status")?;
                let mut out = std::io::stdout().lock();
                let (mut after, mut listed) = (0, 0usize);
                'pages: loop {
                    let page = s.notices(&store::NoticeFilter { after_id: after, limit: 5_000, ..Default::default() }).await?;
                    let Some(last) = page.last() else { break };
                    after = last.id;
                    for sn in &page {
                        if visibility(&viewer, &sn.notice, &agreements, now).is_none() {
                            continue;
                        }
                        let st = sn.notice.status_at(now);
                        if status.is_some_and(|want| want != st) {
                            continue;
                        }
                        if listed == *limit {
                            break 'pages;
                        }
                        let c = sn.notice.content();
                        writeln!(
                            out,
                            "{}",
                            serde_json::json!({"id": sn.id, "type": c.kind.as_str(), "owner": c.owner.as_str(),
                                "status": st.as_str(), "title": c.title, "version": sn.version})
                        )?;
                        listed += 1;
                    }
                }
                let mut e = user_entry(&user, Action::Search, "notice list", purpose);
                e.result_count = listed as u64;
                s.append_audit(vec![e]).await?;
                checkpoint(&data, s).await?;
                return Ok(());
            }
            let id = match &a.command {
                Command::List { .. } => unreachable!("handled above"),
                Command::Show { id, .. }
                | Command::History { id }
                | Command::Submit { id }
                | Command::Approve { id, .. }
                | Command::Reject { id, .. }
                | Command::Extend { id, .. }
                | Command::Cancel { id, .. } => *id,
            };
            // A notice the user may not see is "not found", exactly like a missing one.
            let not_found = || anyhow::anyhow!("notice {id}: not found");
            let stored = s.notice(id).await?.ok_or_else(not_found)?;
            let fields = visibility(&viewer, &stored.notice, &agreements, now).ok_or_else(not_found)?;
            let mut notice: Notice = stored.notice.clone();
            let (result, kind) = match &a.command {
                Command::Show { purpose, .. } => {
                    let mut e = user_entry(&user, Action::Read, format!("notice {id}"), purpose);
                    e.result_count = 1;
                    s.append_audit(vec![e]).await?;
                    let mut v = serde_json::to_value(notice.redacted(fields))?;
                    v["id"] = id.into();
                    v["version"] = stored.version.into();
                    v["status"] = notice.status_at(now).as_str().into();
                    println!("{v}");
                    checkpoint(&data, s).await?;
                    return Ok(());
                }
                Command::History { .. } => {
                    if notice.owner() != &user.agency {
                        return Err(not_found());
                    }
                    let versions = s.notice_history(id).await?;
                    let mut e = user_entry(&user, Action::Read, format!("notice {id} history"), "history");
                    e.result_count = versions.len() as u64;
                    s.append_audit(vec![e]).await?;
                    let mut out = std::io::stdout().lock();
                    for v in versions {
                        let at = jiff::Timestamp::from_millisecond(v.at_ms).map(|t| t.to_string()).unwrap_or_default();
                        let life = v.notice.lifecycle();
                        writeln!(
                            out,
                            "{}",
                            serde_json::json!({"version": v.version, "at": at, "actor": v.actor, "change": v.change,
                                "status": life.status.as_str(), "reason": life.last_reason, "title": v.notice.content().title})
                        )?;
                    }
                    return Ok(());
                }
                Command::Submit { .. } => (notice.submit(&user).map(|_| "submitted"), Action::Change),
                Command::Approve { neutrality_checked, .. } => {
                    let checklist =
                        if *neutrality_checked { NeutralityChecklist::CLEAR } else { NeutralityChecklist::default() };
                    (notice.approve(&user, &checklist, now).map(|_| "approved"), Action::Review)
                }
                Command::Reject { reasons, .. } => (notice.reject(&user, reasons).map(|_| "rejected"), Action::Review),
                Command::Extend { decision, days, .. } => {
                    (notice.extend(&user, decision, *days, now).map(|_| "extended"), Action::Review)
                }
                Command::Cancel { reason, .. } => (notice.cancel(&user, reason).map(|_| "cancelled"), Action::Change),
                Command::List { .. } => unreachable!("handled above"),
            };
            let change = result.with_context(|| format!("notice {id}"))?;
            let entry = user_entry(&user, kind, format!("notice {id} {change}"), change);
            let v = s.update_notice(id, stored.version, &notice, &user.username, change, now_ms(), entry).await?;
            checkpoint(&data, s).await?;
            eprintln!("notice {id} {change} (version {v}, now {})", notice.status_at(now).as_str());
            anyhow::Ok(())
        })
    })
}
