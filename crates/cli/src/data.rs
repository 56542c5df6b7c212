//! The data directory: configuration, the audit signing key, and the store.
//!
//! ```text
//! liaison-data/
//!   liaison.toml        configuration (database URL, audit retention)
//!   liaison.db          the SQLite database (when the URL is sqlite:)
//!   audit-signing.key   ed25519 seed that signs audit checkpoints (mode 0600)
//!   audit-public.key    its public key, for `liaison audit verify`
//! ```

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use store::{PgStore, SqliteStore, Store};

/// The environment variable that overrides the configured database URL.
pub const DATABASE_URL_ENV: &str = "LIAISON_DATABASE_URL";
/// The default data directory.
pub const DEFAULT_DATA_DIR: &str = "liaison-data";

#[derive(clap::Args, Clone)]
pub struct DataArgs {
    /// The data directory (configuration, keys, SQLite database).
    #[arg(long, env = "LIAISON_DATA_DIR", default_value = DEFAULT_DATA_DIR, global = true)]
    pub data_dir: PathBuf,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub database: DatabaseConfig,
    pub audit: AuditConfig,
    #[serde(default)]
    pub server: ServerConfig,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on (`--listen` and `LIAISON_LISTEN` override it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<std::net::SocketAddr>,
    /// PEM certificate chain for TLS, relative to the data directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for TLS, relative to the data directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_key: Option<PathBuf>,
    /// Session lifetime in hours (default 8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_hours: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite:FILE` (relative to the data directory) or `postgres://…`.
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// Audit records older than this many days are pruned by `liaison audit prune`.
    pub retention_days: u32,
    /// A signed checkpoint after this many records.
    pub checkpoint_every: u64,
}

/// Longest session allowed, in hours.
pub const MAX_SESSION_HOURS: u32 = 24 * 7;
/// Longest retention allowed, in days (30 years).
pub const MAX_RETENTION_DAYS: u32 = 30 * 366;

impl Default for Config {
    fn default() -> Self {
        Config {
            database: DatabaseConfig { url: "sqlite:liaison.db".into() },
            audit: AuditConfig { retention_days: 5 * 366, checkpoint_every: audit::DEFAULT_CHECKPOINT_EVERY },
            server: ServerConfig::default(),
        }
    }
}

/// An opened store of either kind.
pub enum Db {
    Sqlite(SqliteStore),
    Pg(PgStore),
}

/// Runs `$body` with `$s` bound to the concrete store.
#[macro_export]
macro_rules! with_store {
    ($db:expr, |$s:ident| $body:expr) => {
        match $db {
            $crate::data::Db::Sqlite($s) => $body,
            $crate::data::Db::Pg($s) => $body,
        }
    };
}

pub struct DataDir {
    pub dir: PathBuf,
    pub config: Config,
}

impl DataDir {
    fn config_path(dir: &Path) -> PathBuf {
        dir.join("liaison.toml")
    }

    /// Creates the directory, configuration and signing key if missing.
    pub fn init(dir: &Path, database_url: Option<&str>) -> Result<(DataDir, bool)> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = Self::config_path(dir);
        let fresh = !path.exists();
        if fresh {
            let mut config = Config::default();
            if let Some(url) = database_url {
                config.database.url = url.to_string();
            }
            let text = format!(
                "# Liaison configuration. {DATABASE_URL_ENV} overrides database.url.\n\
                 [database]\n\
                 url = {url}\n\
                 \n\
                 [audit]\n\
                 retention_days = {retention}\n\
                 checkpoint_every = {every}\n\
                 \n\
                 [server]\n\
                 # listen = \"127.0.0.1:8080\"    # LIAISON_LISTEN and --listen override it\n\
                 # tls_cert = \"cert.pem\"        # `liaison cert` makes a self-signed pair for trying TLS\n\
                 # tls_key = \"key.pem\"\n\
                 # session_hours = 8\n",
                url = toml::Value::String(config.database.url.clone()),
                retention = config.audit.retention_days,
                every = config.audit.checkpoint_every,
            );
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        let key = dir.join("audit-signing.key");
        if !key.exists() {
            let signer = audit::Signer::generate()?;
            write_private(&key, &hex::encode(signer.seed()))?;
            std::fs::write(dir.join("audit-public.key"), hex::encode(signer.public_key()) + "\n")?;
        }
        Ok((DataDir::open(dir)?, fresh))
    }

    pub fn open(dir: &Path) -> Result<DataDir> {
        let path = Self::config_path(dir);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!("no configuration at {}: run `liaison init --data-dir {}` first", path.display(), dir.display())
        })?;
        let mut config: Config = toml::from_str(&text).with_context(|| format!("{}", path.display()))?;
        if let Ok(url) = std::env::var(DATABASE_URL_ENV) {
            config.database.url = url;
        }
        if config.audit.retention_days == 0 || config.audit.retention_days > MAX_RETENTION_DAYS {
            bail!("{}: audit.retention_days must be 1-{MAX_RETENTION_DAYS}", path.display());
        }
        if config.server.session_hours.is_some_and(|h| h == 0 || h > MAX_SESSION_HOURS) {
            bail!("{}: server.session_hours must be 1-{MAX_SESSION_HOURS}", path.display());
        }
        if config.server.tls_cert.is_some() != config.server.tls_key.is_some() {
            bail!("{}: server.tls_cert and server.tls_key go together", path.display());
        }
        if config.audit.checkpoint_every == 0 {
            bail!("{}: audit.checkpoint_every must be at least 1", path.display());
        }
        Ok(DataDir { dir: dir.to_path_buf(), config })
    }

    pub async fn store(&self) -> Result<Db> {
        let url = &self.config.database.url;
        let db = if let Some(file) = url.strip_prefix("sqlite:") {
            let file = file.trim_start_matches("//");
            let path = if Path::new(file).is_absolute() { PathBuf::from(file) } else { self.dir.join(file) };
            Db::Sqlite(SqliteStore::open(&path).await.with_context(|| format!("opening {}", path.display()))?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Db::Pg(PgStore::connect(url).await.context("connecting to PostgreSQL")?)
        } else {
            bail!("database.url {url:?}: expected sqlite:FILE or postgres://…");
        };
        with_store!(&db, |s| s.migrate().await.context("migrating the database")?);
        Ok(db)
    }

    pub fn signer(&self) -> Result<audit::Signer> {
        let path = self.dir.join("audit-signing.key");
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let seed: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|v| v.try_into().ok())
            .with_context(|| format!("{}: not a 32-byte hex seed", path.display()))?;
        Ok(audit::Signer::from_seed(&seed))
    }

    pub fn public_key(&self) -> Result<[u8; 32]> {
        let path = self.dir.join("audit-public.key");
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        parse_key(&text).with_context(|| format!("{}", path.display()))
    }
}

pub fn parse_key(text: &str) -> Result<[u8; 32]> {
    hex::decode(text.trim()).ok().and_then(|v| v.try_into().ok()).context("not a 32-byte hex key")
}

fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    writeln!(f, "{text}")?;
    Ok(())
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// The audit entry of an operator's command at the terminal.
pub fn operator_entry(action: audit::Action, target: impl Into<String>, count: u64) -> audit::Entry {
    let who = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    audit::Entry {
        at_ms: now_ms(),
        actor: format!("cli:{who}"),
        agency: "-".into(),
        action,
        target: target.into(),
        purpose: "administration".into(),
        result_count: count,
    }
}

/// The audit entry of a command run on behalf of a user.
pub fn user_entry(user: &model::User, action: audit::Action, target: impl Into<String>, purpose: &str) -> audit::Entry {
    audit::Entry {
        at_ms: now_ms(),
        actor: user.username.clone(),
        agency: user.agency.to_string(),
        action,
        target: target.into(),
        purpose: purpose.into(),
        result_count: 0,
    }
}

/// Signs a checkpoint if one is due.
pub async fn checkpoint<S: Store>(data: &DataDir, s: &S) -> Result<()> {
    let signer = data.signer()?;
    s.checkpoint_if_due(&signer, data.config.audit.checkpoint_every, now_ms()).await?;
    Ok(())
}

/// A two-worker tokio runtime for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().context("starting tokio")
}
