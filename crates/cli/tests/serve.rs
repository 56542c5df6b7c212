//! `liaison demo` and `liaison serve` as processes: the demo comes up with its
//! agencies and notices, and a server killed (SIGKILL) in the middle of writes
//! loses none that it acknowledged.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_liaison"))
}

/// Starts a server process and waits for its "listening on" line; returns the base URL.
/// The caller kills and waits for the child (`kill`).
#[allow(clippy::zombie_processes)]
fn spawn(args: &[&str], dir: &Path) -> (Child, String) {
    let mut child = Command::new(bin())
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .arg("--listen")
        .arg("127.0.0.1:0")
        .env_remove("LIAISON_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        if err.read_line(&mut line).unwrap_or(0) == 0 {
            let status = child.wait();
            panic!("the server ended before listening: {status:?}");
        }
        if let Some(rest) = line.split("listening on ").nth(1) {
            let base = rest.split_whitespace().next().unwrap().to_string();
            std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
            return (child, base);
        }
    }
}

fn kill(child: &mut Child) {
    // SAFETY: kill has no memory-safety preconditions.
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    let _ = child.wait();
}

async fn login(http: &reqwest::Client, base: &str, user: &str, password: &str) -> String {
    let v: Value = http
        .post(format!("{base}/auth/login"))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["token"].as_str().unwrap_or_else(|| panic!("{v}")).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_serves_three_agencies_and_a_server_killed_mid_write_keeps_what_it_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let (mut demo, base) = spawn(&["demo", "--notices", "2000"], dir.path());
    let http = reqwest::Client::new();
    let pw = "liaison-demo-2026";
    let health: Value = http.get(format!("{base}/health")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["notices_live"].as_u64(), Some(2003));
    let tn = login(&http, &base, "tn.officer", pw).await;
    let fr = login(&http, &base, "fr.officer", pw).await;
    let q = json!({"name": "Abdellatif Hammouchi", "purpose": "border check"});
    let hits = |v: Value| v["hits"].as_array().map(|h| h.len()).unwrap_or(0);
    let v: Value =
        http.post(format!("{base}/screen")).bearer_auth(&tn).json(&q).send().await.unwrap().json().await.unwrap();
    assert_eq!(hits(v.clone()), 1, "{v}");
    assert_eq!(v["hits"][0]["matched_name"], "عبد اللطيف حموشي");
    let v: Value =
        http.post(format!("{base}/screen")).bearer_auth(&fr).json(&q).send().await.unwrap().json().await.unwrap();
    assert_eq!(hits(v), 0, "FR has no agreement");

    // Writes in flight from several clients; kill the server; every acknowledged one survives.
    let analyst = login(&http, &base, "ma.analyst", pw).await;
    let draft = |i: usize| {
        json!({"type": "person-warning", "owner": "MA", "title": format!("kill test {i}"),
               "person": {"names": [{"name": format!("Karim Salem {i}"), "original": true}]},
               "action": "Inform MA", "distribution": {"kind": "all"}, "tlp": "GREEN", "handling": {"code": "H0"},
               "review_days": 30})
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<i64>();
    let mut writers = Vec::new();
    for w in 0..4 {
        let (http, base, token, tx) = (http.clone(), base.clone(), analyst.clone(), tx.clone());
        writers.push(tokio::spawn(async move {
            for i in 0.. {
                let r =
                    http.post(format!("{base}/notices")).bearer_auth(&token).json(&draft(w * 100_000 + i)).send().await;
                match r {
                    Ok(r) if r.status() == 201 => {
                        let v: Value = r.json().await.unwrap_or(Value::Null);
                        if let Some(id) = v["id"].as_i64() {
                            let _ = tx.send(id);
                        }
                    }
                    _ => break,
                }
            }
        }));
    }
    drop(tx);
    let mut acked = Vec::new();
    while acked.len() < 60 {
        acked.push(rx.recv().await.unwrap());
    }
    kill(&mut demo);
    for w in writers {
        let _ = w.await;
    }
    while let Ok(id) = rx.try_recv() {
        acked.push(id);
    }
    let (mut again, base) = spawn(&["serve"], &dir.path().join(""));
    let analyst = login(&http, &base, "ma.analyst", pw).await;
    for id in &acked {
        let r = http.get(format!("{base}/notices/{id}?purpose=check")).bearer_auth(&analyst).send().await.unwrap();
        assert_eq!(r.status(), 200, "acknowledged notice {id} was lost");
    }
    // And the audit chain is intact after the kill.
    kill(&mut again);
    let out = Command::new(bin()).args(["audit", "verify", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_https_with_a_self_signed_certificate() {
    use rustls::pki_types::pem::PemObject;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(bin()).args(args).arg("--data-dir").arg(dir.path()).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&["init"]);
    let out = Command::new(bin()).args(["cert", "--out-dir"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let config = dir.path().join("liaison.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text = text.replace("# tls_cert", "tls_cert").replace("# tls_key", "tls_key");
    std::fs::write(&config, text).unwrap();
    let (mut srv, base) = spawn(&["serve"], dir.path());
    assert!(base.starts_with("https://"), "{base}");
    let addr = base.trim_start_matches("https://").split('/').next().unwrap().to_string();
    let mut roots = rustls::RootCertStore::empty();
    for c in rustls::pki_types::CertificateDer::pem_file_iter(dir.path().join("cert.pem")).unwrap() {
        roots.add(c.unwrap()).unwrap();
    }
    let client =
        rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(client));
    let tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut tls = connector.connect(name, tcp).await.unwrap();
    tls.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut response = String::new();
    tls.read_to_string(&mut response).await.unwrap_or_default();
    kill(&mut srv);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"status\":\"ok\""), "{response}");
}
