//! `liaison bench-store`: importing notices and verifying the audit log, on
//! SQLite and PostgreSQL, each beside the obvious baseline in the same run.
//!
//! - import: the full path of `liaison import` (read a CSV file, check every
//!   record into a `Notice`, store it with its first version and an audit record
//!   in one transaction), against the floor of the same database: the same
//!   rows' JSON inserted into a bare two-column table in one transaction.
//! - audit: appending N records (with a signed checkpoint every 10,000), then
//!   `verify` (chain, sequence and every checkpoint signature), against a plain
//!   read of the same records without hashing.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use audit::Action;
use model::{Agency, Notice, Role, UncheckedAgency, UncheckedUser, User};
use store::{ImportItem, PgStore, SqliteStore, Store};

use crate::data::{now_ms, runtime};
use crate::formats::notices::{csv_row, read_csv, CSV_COLUMNS};
use crate::synth::{self, Rng};

/// Most notices a run generates.
pub const MAX_BENCH_NOTICES: usize = 1_000_000;
/// Most audit records a run appends.
pub const MAX_BENCH_AUDIT: u64 = 10_000_000;
/// Audit records per append transaction.
const AUDIT_BATCH: u64 = 10_000;

#[derive(clap::Args)]
pub struct Args {
    /// Notices to import.
    #[arg(long, default_value_t = 100_000)]
    notices: usize,
    /// Audit records to append and verify.
    #[arg(long, default_value_t = 1_000_000)]
    audit_records: u64,
    /// Also run on a throwaway PostgreSQL server started for the run (Debian's postgresql).
    #[arg(long)]
    postgres: bool,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

fn agency_and_user() -> Result<(Agency, User)> {
    let agency = Agency::new(UncheckedAgency {
        code: "MA".into(),
        country: "MA".into(),
        name_ar: "المديرية العامة للأمن الوطني".into(),
        name_fr: "Direction générale de la sûreté nationale".into(),
        name_en: "General Directorate for National Security".into(),
    })?;
    let user = User::new(UncheckedUser {
        username: "importer".into(),
        agency: "MA".into(),
        display_name: "Importer".into(),
        roles: vec![Role::Reviewer, Role::Analyst],
    })?;
    Ok((agency, user))
}

fn entry(action: Action, target: &str) -> audit::Entry {
    audit::Entry {
        at_ms: now_ms(),
        actor: "importer".into(),
        agency: "MA".into(),
        action,
        target: target.into(),
        purpose: "benchmark".into(),
        result_count: 1,
    }
}

struct Figures {
    import_s: f64,
    baseline_s: f64,
    append_s: f64,
    verify_s: f64,
    scan_s: f64,
}

async fn run_on<S: Store>(s: &S, csv: &Path, n: usize, m: u64, baseline: impl AsyncBaseline) -> Result<Figures> {
    let (agency, user) = agency_and_user()?;
    s.put_agency(&agency, entry(Action::Admin, "agency MA")).await?;
    s.put_user(&user, None, entry(Action::Admin, "user importer")).await?;
    // import, the whole path
    let t0 = Instant::now();
    let file = std::fs::File::open(csv)?;
    let reads = read_csv(file, &csv.display().to_string(), &agency.code)?;
    let now = jiff::Timestamp::now();
    let items = reads
        .into_iter()
        .map(|r| Ok(ImportItem { notice: Notice::imported(r.notice, "bench", &user, now)? }))
        .collect::<Result<Vec<_>>>()?;
    let report = s.import(items, "importer", now_ms(), entry(Action::Import, "bench.csv")).await?;
    let import_s = t0.elapsed().as_secs_f64();
    anyhow::ensure!(report.created as usize == n, "imported {} of {n}", report.created);
    // the floor: the same JSON into a bare table
    let t0 = Instant::now();
    baseline.run(n).await?;
    let baseline_s = t0.elapsed().as_secs_f64();
    // audit
    let signer = audit::Signer::from_seed(&[9; 32]);
    let bar = crate::screen_cmd::bar(m, "appending audit records");
    let t0 = Instant::now();
    let mut done = 0;
    while done < m {
        let k = AUDIT_BATCH.min(m - done);
        let batch = (0..k).map(|i| entry(Action::Screen, &format!("query {}", done + i))).collect();
        s.append_audit(batch).await?;
        s.checkpoint_if_due(&signer, AUDIT_BATCH, now_ms()).await?;
        done += k;
        bar.set_position(done);
    }
    bar.finish_and_clear();
    let append_s = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    let report = store::verify_audit(s, &signer.public_key(), |_| {}).await?.context("verification")?;
    let verify_s = t0.elapsed().as_secs_f64();
    anyhow::ensure!(report.records >= m, "verified {} of {m}", report.records);
    let t0 = Instant::now();
    let (mut after, mut read) = (0, 0u64);
    loop {
        let page = s.audit_records(after, store::VERIFY_PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        read += page.len() as u64;
    }
    let scan_s = t0.elapsed().as_secs_f64();
    anyhow::ensure!(read == report.records, "scan read {read}, verify {}", report.records);
    Ok(Figures { import_s, baseline_s, append_s, verify_s, scan_s })
}

/// The baseline insert, per database.
trait AsyncBaseline {
    fn run(&self, n: usize) -> impl std::future::Future<Output = Result<()>>;
}

struct Rows(Vec<(String, String)>);

macro_rules! baseline {
    ($name:ident, $pool:ty) => {
        struct $name<'a>(&'a $pool, &'a Rows);
        impl AsyncBaseline for $name<'_> {
            async fn run(&self, n: usize) -> Result<()> {
                let mut tx = self.0.begin().await?;
                sqlx::query("CREATE TABLE bench_baseline (source_ref TEXT PRIMARY KEY, body TEXT NOT NULL)")
                    .execute(&mut *tx)
                    .await?;
                for (r, body) in self.1 .0.iter().take(n) {
                    sqlx::query("INSERT INTO bench_baseline (source_ref, body) VALUES ($1, $2)")
                        .bind(r)
                        .bind(body)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }
        }
    };
}
baseline!(SqliteBaseline, sqlx::SqlitePool);
baseline!(PgBaseline, sqlx::PgPool);

fn print(db: &str, n: usize, m: u64, f: &Figures) {
    eprintln!(
        "{db:<10} import {n} notices: {:>6.2} s ({:>7.0}/s) | bare-table insert of the same JSON: {:>6.2} s ({:.1}x)",
        f.import_s,
        n as f64 / f.import_s,
        f.baseline_s,
        f.import_s / f.baseline_s
    );
    eprintln!(
        "{db:<10} audit: append {m} records {:>6.2} s ({:>7.0}/s) | verify {:>6.2} s ({:>7.0}/s) | plain read {:>6.2} s ({:.1}x)",
        f.append_s,
        m as f64 / f.append_s,
        f.verify_s,
        m as f64 / f.verify_s,
        f.scan_s,
        f.verify_s / f.scan_s
    );
    println!(
        "{}",
        serde_json::json!({"database": db, "notices": n, "import_s": f.import_s, "baseline_insert_s": f.baseline_s,
            "audit_records": m, "audit_append_s": f.append_s, "audit_verify_s": f.verify_s, "audit_plain_read_s": f.scan_s})
    );
}

pub fn run(a: Args) -> Result<()> {
    anyhow::ensure!((1..=MAX_BENCH_NOTICES).contains(&a.notices), "--notices: 1 to {MAX_BENCH_NOTICES}");
    anyhow::ensure!((1..=MAX_BENCH_AUDIT).contains(&a.audit_records), "--audit-records: 1 to {MAX_BENCH_AUDIT}");
    let dir = tempfile::tempdir()?;
    let csv_path = dir.path().join("bench.csv");
    let mut rng = Rng::new(a.seed);
    let owner = model::AgencyCode::new("MA")?;
    let mut w = csv::Writer::from_path(&csv_path)?;
    w.write_record(CSV_COLUMNS)?;
    let mut rows = Vec::with_capacity(a.notices);
    for i in 0..a.notices {
        let n = synth::notice(&mut rng, i, &owner, &[]);
        w.write_record(csv_row(&n))?;
        rows.push((format!("gen:{i}"), serde_json::to_string(&n)?));
    }
    w.flush()?;
    let rows = Rows(rows);
    eprintln!("generated {} notices ({:.1} MB of CSV)", a.notices, std::fs::metadata(&csv_path)?.len() as f64 / 1e6);
    let rt = runtime()?;
    rt.block_on(async {
        let s = SqliteStore::open(&dir.path().join("bench.db")).await?;
        s.migrate().await?;
        let f = run_on(&s, &csv_path, a.notices, a.audit_records, SqliteBaseline(s.pool(), &rows)).await?;
        print("sqlite", a.notices, a.audit_records, &f);
        if a.postgres {
            let pg = store::testing::TempPostgres::start().map_err(anyhow::Error::msg)?;
            let url = pg.create_database("bench").map_err(anyhow::Error::msg)?;
            let s = PgStore::connect(&url).await?;
            s.migrate().await?;
            let f = run_on(&s, &csv_path, a.notices, a.audit_records, PgBaseline(s.pool(), &rows)).await?;
            print("postgresql", a.notices, a.audit_records, &f);
        }
        anyhow::Ok(())
    })
}
