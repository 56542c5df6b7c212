//! The `liaison` command.
//!
//! Human messages go to stderr; machine output (JSON lines) to stdout or files.

mod admin_cmd;
mod audit_cmd;
mod bench_cmd;
mod bench_server_cmd;
mod bench_store_cmd;
mod data;
mod demo_cmd;
mod formats;
mod freq_cmd;
mod import_cmd;
mod jsonl;
mod match_cmd;
mod notice_cmd;
mod screen_cmd;
mod serve_cmd;
mod synth;
mod tls;

use clap::{Parser, Subcommand};

/// mimalloc rather than the system allocator: watchlists are parsed on every
/// core into millions of small allocations, and glibc's per-thread arenas
/// fragmented them (about a third more resident memory at 1M entries).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Liaison: cross-border police cooperation — notices, sharing, screening, audit.
#[derive(Parser)]
#[command(name = "liaison", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Screen example queries against a generated watchlist, with explanations.
    Demo(demo_cmd::Args),
    /// Compare two names, or score a batch of pairs (JSON lines).
    Match(match_cmd::Args),
    /// Screen people (JSON lines or CSV) against a watchlist.
    Screen(screen_cmd::Args),
    /// Benchmark screening on a generated watchlist beside a brute-force peer.
    Bench(bench_cmd::Args),
    /// Load-test screening over HTTP beside the in-process figure, and time a restart's rebuild.
    BenchServer(bench_server_cmd::Args),
    /// Benchmark imports and audit verification on SQLite (and PostgreSQL) beside baselines.
    BenchStore(bench_store_cmd::Args),
    /// Regenerate the name-part frequency table from a corpus of identity groups.
    NamesFreq(freq_cmd::Args),
    /// Create a data directory: configuration, audit signing key, database.
    Init(admin_cmd::InitArgs),
    /// Add and list agencies.
    Agency(admin_cmd::AgencyArgs),
    /// Add and list users.
    User(admin_cmd::UserArgs),
    /// Record and list agreements between agencies.
    Agreement(admin_cmd::AgreementArgs),
    /// Import notices: UN consolidated list XML, FollowTheMoney JSON lines, notices as JSON lines or CSV.
    Import(import_cmd::ImportArgs),
    /// Export the notices a user may see: FollowTheMoney, JSON lines or CSV.
    Export(import_cmd::ExportArgs),
    /// Show a notice or its history; submit, approve, reject, extend or cancel it.
    Notice(notice_cmd::Args),
    /// Make a self-signed TLS certificate for trying `serve` over HTTPS.
    Cert(tls::CertArgs),
    /// Serve the HTTP API (and the live screening index) over the data directory.
    Serve(serve_cmd::Args),
    /// Verify, checkpoint, prune and read the audit log.
    Audit(audit_cmd::Args),
}

fn main() {
    if let Err(e) = run_quietly() {
        // The error and its context, one line, without a backtrace: for a reader.
        eprintln!("liaison: error: {e:#}");
        std::process::exit(1);
    }
}

fn run_quietly() -> anyhow::Result<()> {
    match run() {
        // `liaison match … | head`: a closed pipe ends the output, not in error
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            Ok(())
        }
        other => other,
    }
}

fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo(a) => demo_cmd::run(a),
        Command::Match(a) => match_cmd::run(a),
        Command::Bench(a) => bench_cmd::run(a),
        Command::BenchStore(a) => bench_store_cmd::run(a),
        Command::BenchServer(a) => bench_server_cmd::run(a),
        Command::Screen(a) => screen_cmd::run(a),
        Command::NamesFreq(a) => freq_cmd::run(a),
        Command::Init(a) => admin_cmd::init(a),
        Command::Agency(a) => admin_cmd::agency(a),
        Command::User(a) => admin_cmd::user(a),
        Command::Agreement(a) => admin_cmd::agreement(a),
        Command::Import(a) => import_cmd::import(a),
        Command::Export(a) => import_cmd::export(a),
        Command::Audit(a) => audit_cmd::run(a),
        Command::Notice(a) => notice_cmd::run(a),
        Command::Serve(a) => serve_cmd::run(a),
        Command::Cert(a) => tls::cert(a),
    }
}
