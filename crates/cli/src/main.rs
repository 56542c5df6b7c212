//! The `liaison` command.
//!
//! Human messages go to stderr; machine output (JSON lines) to stdout or files.

mod bench_cmd;
mod demo_cmd;
mod freq_cmd;
mod jsonl;
mod match_cmd;
mod screen_cmd;
mod synth;

use clap::{Parser, Subcommand};

/// mimalloc rather than the system allocator: watchlists are parsed on every
/// core into millions of small allocations, and glibc's per-thread arenas
/// fragmented them (about a third more resident memory at 1M entries).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Liaison: cross-border police cooperation — name matching and screening.
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
    /// Regenerate the name-part frequency table from a corpus of identity groups.
    NamesFreq(freq_cmd::Args),
}

fn main() -> anyhow::Result<()> {
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
        Command::Screen(a) => screen_cmd::run(a),
        Command::NamesFreq(a) => freq_cmd::run(a),
    }
}
