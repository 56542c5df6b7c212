//! Here is a test that needs a real PostgreSQL server: start one.
//!
//! [`TempPostgres::start`] runs Debian's `initdb` and `postgres` in a fresh
//! temporary directory on a free loopback port, as the `postgres` system user
//! when the tests run as root (PostgreSQL refuses to run as root). The server
//! dies with the test process (`PR_SET_PDEATHSIG`, set from a thread that lives
//! as long as the process). Not finding PostgreSQL is an error, never a skip:
//! `scripts/test` installs it on a fresh machine.
//!
//! Useful for: integration tests of the store and the server. Not useful for:
//! production, where the operator runs PostgreSQL.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long to wait for a started server to accept connections.
pub const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running throwaway server.
pub struct TempPostgres {
    port: u16,
    dir: PathBuf,
}

fn bin_dir() -> Result<PathBuf, String> {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if p.join("initdb").exists() {
            return Ok(p);
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).filter(|p| p.join("initdb").exists()).collect())
        .unwrap_or_default();
    found.sort();
    found.pop().ok_or_else(|| {
        "PostgreSQL not found (no initdb under /usr/lib/postgresql/*/bin): run scripts/test, which installs \
         Debian's postgresql package"
            .to_string()
    })
}

fn run_as() -> Result<Option<(u32, u32)>, String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let id = |flag: &str| -> Result<u32, String> {
        let out = Command::new("id").args([flag, "postgres"]).output().map_err(|e| e.to_string())?;
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|_| "running as root and there is no 'postgres' user to run PostgreSQL as".to_string())
    };
    Ok(Some((id("-u")?, id("-g")?)))
}

fn as_user(cmd: &mut Command, who: Option<(u32, u32)>) -> &mut Command {
    if let Some((uid, gid)) = who {
        cmd.uid(uid).gid(gid);
    }
    cmd
}

/// Removes the directories of servers whose test process has ended.
fn remove_stale() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("liaison-pg-").and_then(|r| r.split('-').next()) else { continue };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

impl TempPostgres {
    /// Starts a server; the user `liaison` owns it, with trust authentication on loopback.
    pub fn start() -> Result<TempPostgres, String> {
        let bin = bin_dir()?;
        let who = run_as()?;
        remove_stale();
        let dir = std::env::temp_dir().join(format!("liaison-pg-{}-{}", std::process::id(), free_port()?));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        if let Some((uid, gid)) = who {
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).map_err(|e| e.to_string())?;
        }
        let data = dir.join("data");
        let out = as_user(&mut Command::new(bin.join("initdb")), who)
            .args(["-A", "trust", "-U", "liaison", "--no-sync", "-E", "UTF8", "--locale=C", "-D"])
            .arg(&data)
            .stdout(Stdio::null())
            .output()
            .map_err(|e| format!("initdb: {e}"))?;
        if !out.status.success() {
            return Err(format!("initdb failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let port = free_port()?;
        let postgres = bin.join("postgres");
        let (tx, rx) = mpsc::channel();
        let (data2, dir2) = (data.clone(), dir.clone());
        // The server must die with the process, and PR_SET_PDEATHSIG fires when the
        // spawning *thread* ends: spawn it from a thread that never does.
        std::thread::spawn(move || {
            let mut cmd = Command::new(postgres);
            as_user(&mut cmd, who)
                .arg("-D")
                .arg(&data2)
                .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
                .args(["-c", "max_connections=200", "-c"])
                .arg(format!("unix_socket_directories={}", dir2.display()))
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            // SAFETY: prctl is async-signal-safe and touches only this process.
            unsafe {
                cmd.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
            let _ = tx.send(cmd.spawn().map_err(|e| format!("postgres: {e}")).map(|_| ()));
            loop {
                std::thread::park();
            }
        });
        rx.recv().map_err(|e| e.to_string())??;
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > START_TIMEOUT {
                return Err(format!("postgres did not accept connections on port {port} in {START_TIMEOUT:?}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Accepting TCP is not yet accepting logins: wait for pg_isready too.
        while !Command::new(bin.join("pg_isready"))
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "liaison", "-q"])
            .status()
            .is_ok_and(|s| s.success())
        {
            if started.elapsed() > START_TIMEOUT {
                return Err("postgres never became ready".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(TempPostgres { port, dir })
    }

    /// The URL of a database on it.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://liaison@127.0.0.1:{}/{database}", self.port)
    }

    /// The temporary directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates a database and returns its URL.
    pub fn create_database(&self, name: &str) -> Result<String, String> {
        let bin = bin_dir()?;
        let out = Command::new(bin.join("createdb"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "liaison", name])
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("createdb {name}: {}", String::from_utf8_lossy(&out.stderr)));
        }
        Ok(self.url(name))
    }
}
