//! `liaison serve`: the HTTP API over the data directory's store, with the
//! live screening index rebuilt from it at start.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use server::live::Live;
use server::{App, Settings};
use store::Store;

use crate::data::{runtime, DataArgs, DataDir};
use crate::with_store;

/// The environment variable that overrides the listening address.
pub const LISTEN_ENV: &str = "LIAISON_LISTEN";
/// How often expired notices leave the screening index, in seconds.
pub const SWEEP_EVERY_S: u64 = 30;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// Address to listen on (default: server.listen in liaison.toml, else 127.0.0.1:8080).
    #[arg(long, env = LISTEN_ENV)]
    pub listen: Option<SocketAddr>,
}

/// The default address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

pub fn run(a: Args) -> Result<()> {
    let data = DataDir::open(&a.data.data_dir)?;
    runtime()?.block_on(async {
        let db = data.store().await?;
        let listen = match a.listen.or(data.config.server.listen) {
            Some(l) => l,
            None => DEFAULT_LISTEN.parse()?,
        };
        with_store!(db, |s| serve(&data, s, listen, None).await)
    })
}

/// Rebuilds the index, starts the app and serves until interrupted; `ready` is
/// called with the bound address once the server accepts connections.
pub async fn serve<S: Store + Clone + 'static>(
    data: &DataDir,
    s: S,
    listen: SocketAddr,
    ready: Option<Box<dyn FnOnce(SocketAddr) + Send>>,
) -> Result<()> {
    let bar = crate::screen_cmd::bar(s.count_notices().await?.max(0) as u64, "rebuilding the screening index");
    let (live, stats) = Live::rebuild(&s, |n| bar.set_position(n as u64)).await?;
    bar.finish_and_clear();
    eprintln!(
        "screening index rebuilt: {} published notices read, {} indexed, in {:.1} s",
        stats.notices, stats.indexed, stats.seconds
    );
    let mut settings = Settings { checkpoint_every: data.config.audit.checkpoint_every, ..Settings::default() };
    if let Some(h) = data.config.server.session_hours {
        settings.session_ttl_s = i64::from(h) * 3600;
    }
    let app = App::start(s, live, data.signer()?, settings).await?;
    let sweeper = Arc::clone(&app);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(SWEEP_EVERY_S));
        loop {
            tick.tick().await;
            sweeper.live.sweep_expired(jiff::Timestamp::now());
        }
    });
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let addr = listener.local_addr()?;
    let router = server::api::router(app);
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let server = &data.config.server;
    match (&server.tls_cert, &server.tls_key) {
        (Some(cert), Some(key)) => {
            let config = crate::tls::server_config(&data.dir.join(cert), &data.dir.join(key))?;
            let tls = crate::tls::TlsListener::new(listener, config)?;
            eprintln!("liaison serve: listening on https://{addr}/api/v1 (OpenAPI at /api/v1/openapi.json)");
            if let Some(f) = ready {
                f(addr);
            }
            axum::serve(tls, router).with_graceful_shutdown(stop).await.context("serving")?;
        }
        _ => {
            eprintln!("liaison serve: listening on http://{addr}/api/v1 (OpenAPI at /api/v1/openapi.json)");
            if let Some(f) = ready {
                f(addr);
            }
            axum::serve(listener, router).with_graceful_shutdown(stop).await.context("serving")?;
        }
    }
    Ok(())
}
