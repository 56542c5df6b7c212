//! The administration verbs end to end, on SQLite and on a real PostgreSQL
//! server: agencies, users, agreements, imports (UN XML, FollowTheMoney, CSV),
//! exports through the visibility rule, the audit log and its verification, bad
//! records reported with file, line and field, and a SIGKILL in the middle of an
//! import leaving all of the batch or none of it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use store::testing::TempPostgres;

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_liaison"))
}

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn pg() -> &'static TempPostgres {
    static PG: OnceLock<TempPostgres> = OnceLock::new();
    PG.get_or_init(|| TempPostgres::start().unwrap_or_else(|e| panic!("PostgreSQL for the CLI tests: {e}")))
}

/// A data directory on SQLite, or on a fresh PostgreSQL database.
struct Site {
    dir: tempfile::TempDir,
    db_url: Option<String>,
}

impl Site {
    fn new(pg_db: Option<&str>) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let db_url = pg_db.map(|name| pg().create_database(name).unwrap());
        let s = Site { dir, db_url };
        s.ok(&["init"]);
        s
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.args(args).arg("--data-dir").arg(self.dir.path()).env_remove("LIAISON_DATABASE_URL");
        if let Some(url) = &self.db_url {
            c.env("LIAISON_DATABASE_URL", url);
        }
        c
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        use std::io::Write;
        let mut child =
            self.cmd(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args, "");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args, "");
        assert!(!out.status.success(), "{args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    fn setup(&self) {
        for (code, en) in [("MA", "Morocco DGSN"), ("TN", "Tunisia DGSN"), ("FR", "Police nationale")] {
            self.ok(&[
                "agency",
                "add",
                "--code",
                code,
                "--country",
                code,
                "--name-ar",
                "مديرية",
                "--name-fr",
                en,
                "--name-en",
                en,
            ]);
        }
        let out = self.run(
            &[
                "user",
                "add",
                "--username",
                "amina",
                "--agency",
                "MA",
                "--name",
                "Amina",
                "--role",
                "analyst",
                "--role",
                "reviewer",
                "--password-stdin",
            ],
            "correct horse battery staple\n",
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        self.ok(&["user", "add", "--username", "sami", "--agency", "TN", "--name", "Sami", "--role", "officer"]);
        self.ok(&["user", "add", "--username", "lina", "--agency", "TN", "--name", "Lina", "--role", "analyst"]);
        self.ok(&["user", "add", "--username", "jean", "--agency", "FR", "--name", "Jean", "--role", "analyst"]);
        self.ok(&[
            "agreement",
            "add",
            "--a",
            "MA",
            "--b",
            "TN",
            "--a-to-b",
            "sanctions-listing,wanted-person",
            "--tlp-max",
            "AMBER",
            "--from",
            "2026-01-01",
            "--signatory",
            "DGSN Rabat",
            "--signatory",
            "DGSN Tunis",
        ]);
    }
}

fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect()
}

fn admin_flow(site: &Site) {
    site.setup();
    let bad = site.fails(&["user", "add", "--username", "x", "--agency", "ZZ", "--name", "X", "--role", "officer"]);
    assert!(bad.contains("username"), "{bad}");
    let bad = site.fails(&["user", "add", "--username", "xy", "--agency", "ZZ", "--name", "X", "--role", "officer"]);
    assert!(bad.contains("agency ZZ: unknown"), "{bad}");
    let agencies = json_lines(&site.ok(&["agency", "list"]));
    assert_eq!(agencies.len(), 3);
    // UN list: three individuals, the entity left out; the Arabic name is the original.
    let un = data("un-consolidated-sample.xml");
    let r = json_lines(&site.ok(&["import", "--format", "un-xml", &un, "--as", "amina", "--publish"]));
    assert_eq!((r[0]["created"].as_u64(), r[0]["unchanged"].as_u64()), (Some(3), Some(0)));
    let r = json_lines(&site.ok(&["import", "--format", "un-xml", &un, "--as", "amina", "--publish"]));
    assert_eq!((r[0]["created"].as_u64(), r[0]["unchanged"].as_u64()), (Some(0), Some(3)), "idempotent");
    // Only a reviewer publishes at import.
    let e = site.fails(&["import", "--format", "un-xml", &un, "--as", "jean", "--publish"]);
    assert!(e.contains("not a reviewer"), "{e}");
    let ftm = data("ftm-sample.jsonl");
    let r = json_lines(&site.ok(&[
        "import",
        "--format",
        "ftm",
        "--type",
        "person-warning",
        &ftm,
        "--as",
        "amina",
        "--publish",
    ]));
    assert_eq!(r[0]["created"].as_u64(), Some(2));
    // The owner sees everything; TN sees the sanctions listings under the agreement
    // (its officer without the summary), FR nothing.
    let own = json_lines(&site.ok(&["export", "--format", "jsonl", "--as", "amina"]));
    assert_eq!(own.len(), 5);
    let first = &own[0];
    assert_eq!(first["person"]["names"][0]["name"], "عبد اللطيف حموشي");
    assert_eq!(first["person"]["names"][0]["original"], true);
    assert_eq!(first["person"]["names"][0]["script"], "Arab");
    let tn_officer = json_lines(&site.ok(&["export", "--format", "jsonl", "--as", "sami"]));
    assert_eq!(tn_officer.len(), 3);
    assert!(tn_officer.iter().all(|n| n["type"] == "sanctions-listing" && n["summary"] == ""));
    let tn_analyst = json_lines(&site.ok(&["export", "--format", "jsonl", "--as", "lina"]));
    assert!(tn_analyst[0]["summary"].as_str().is_some_and(|s| s.contains("QDi.901")));
    assert_eq!(site.ok(&["export", "--format", "jsonl", "--as", "jean"]), "");
    // FollowTheMoney and CSV exports re-import as "unchanged".
    let ftm_out = site.path("out.ftm.jsonl");
    site.ok(&["export", "--format", "ftm", "--as", "amina", "--owner", "MA", "-o", &ftm_out]);
    let entities = json_lines(&std::fs::read_to_string(&ftm_out).unwrap());
    assert_eq!(entities.len(), 5);
    assert!(entities.iter().all(|e| e["schema"] == "Person"));
    let csv_out = site.path("out.csv");
    site.ok(&["export", "--format", "csv", "--as", "amina", "-o", &csv_out]);
    let r = json_lines(&site.ok(&["import", "--format", "csv", &csv_out, "--as", "amina", "--publish"]));
    assert_eq!(
        (r[0]["created"].as_u64(), r[0]["updated"].as_u64(), r[0]["unchanged"].as_u64()),
        (Some(0), Some(0), Some(5))
    );
    // A bad record names file, line and field, and nothing is written.
    let text = std::fs::read_to_string(&csv_out).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[2] = lines[2].replace(",CLEAR,", ",BEIGE,").replace("un-sc:QDi.902", "un-sc:new");
    lines.push(lines[1].replace("un-sc:QDi.901", "un-sc:also-new"));
    let bad_csv = site.path("bad.csv");
    std::fs::write(&bad_csv, lines.join("\n")).unwrap();
    let e = site.fails(&["import", "--format", "csv", &bad_csv, "--as", "amina", "--publish"]);
    assert!(e.contains(&format!("{bad_csv}:3: tlp")) && e.contains("BEIGE"), "{e}");
    let bad_xml = site.path("bad.xml");
    std::fs::write(&bad_xml, std::fs::read_to_string(&un).unwrap().replace("<YEAR>1988</YEAR>", "<YEAR>88</YEAR>"))
        .unwrap();
    let e = site.fails(&["import", "--format", "un-xml", &bad_xml, "--as", "amina", "--publish"]);
    assert!(e.contains("INDIVIDUAL QDi.903: YEAR") && e.contains("bad.xml:46:"), "{e}");
    let dup_csv = site.path("dup.csv");
    let mut dup: Vec<String> = text.lines().map(String::from).collect();
    dup.push(dup[1].clone());
    std::fs::write(&dup_csv, dup.join("\n")).unwrap();
    let e = site.fails(&["import", "--format", "csv", &dup_csv, "--as", "amina", "--publish"]);
    assert!(e.contains(&format!("{dup_csv}:7: source_ref")) && e.contains("already on line 2"), "{e}");
    // A file over the import bound is refused whole, in every format, not read in
    // part (a sparse file: nothing is written to disk).
    let huge = site.path("huge.jsonl");
    std::fs::File::create(&huge).unwrap().set_len((1 << 30) + 1).unwrap();
    for format in ["jsonl", "ftm", "csv", "un-xml"] {
        let e = site.fails(&["import", "--format", format, "--type", "person-warning", &huge, "--as", "amina"]);
        assert!(e.contains(&format!("{huge}: larger than")), "{format}: {e}");
    }
    assert_eq!(json_lines(&site.ok(&["export", "--format", "jsonl", "--as", "amina"])).len(), 5, "nothing written");
    // The lifecycle: drafts from a CSV, four eyes, the neutrality checklist, cancellation.
    site.ok(&["user", "add", "--username", "karim", "--agency", "MA", "--name", "Karim", "--role", "reviewer"]);
    let drafts_csv = site.path("drafts.csv");
    let wanted = "type,title,names,dobs,nationalities,action,tlp,handling,distribution,review_days,offence,law,\
max_penalty,warrant_ref,warrant_authority,facts\n\
wanted-person,Hammouchi,عبد اللطيف حموشي|Abdellatif Hammouchi,1966,MA,Arrest,AMBER,H1,named:TN,365,fraud,\
Penal Code art. 540,5 years,W-2026-1,Tribunal de Rabat,Facts\n";
    std::fs::write(&drafts_csv, wanted).unwrap();
    site.ok(&["import", "--format", "csv", &drafts_csv, "--as", "amina"]);
    let mine = json_lines(&site.ok(&["notice", "list", "--as", "amina", "--status", "draft"]));
    assert_eq!(mine.len(), 1);
    let id = mine[0]["id"].as_i64().unwrap().to_string();
    let hidden = site.fails(&["notice", "show", &id, "--as", "sami", "--purpose", "border check"]);
    assert!(hidden.contains(&format!("notice {id}: not found")), "a draft is invisible to partners: {hidden}");
    site.ok(&["notice", "submit", &id, "--as", "amina"]);
    let e = site.fails(&["notice", "approve", &id, "--as", "amina", "--neutrality-checked"]);
    assert!(e.contains("four eyes"), "{e}");
    let e = site.fails(&["notice", "approve", &id, "--as", "karim"]);
    assert!(e.contains("neutrality checklist"), "{e}");
    site.ok(&["notice", "approve", &id, "--as", "karim", "--neutrality-checked"]);
    let seen = json_lines(&site.ok(&["notice", "show", &id, "--as", "sami", "--purpose", "border check"]));
    assert_eq!(seen[0]["status"], "published");
    assert!(seen[0].get("judicial").is_none(), "an officer sees no judicial data: {}", seen[0]);
    assert!(site.fails(&["notice", "show", &id, "--as", "jean", "--purpose", "x"]).contains("not found"));
    let history = json_lines(&site.ok(&["notice", "history", &id, "--as", "karim"]));
    let steps: Vec<&str> = history.iter().filter_map(|v| v["change"].as_str()).collect();
    assert_eq!(steps, ["import", "submitted", "approved"]);
    site.ok(&["notice", "cancel", &id, "--as", "karim", "--reason", "arrested"]);
    assert!(site.fails(&["notice", "show", &id, "--as", "sami", "--purpose", "x"]).contains("not found"));
    // The audit log has every change, import and export, and verifies.
    let log = json_lines(&site.ok(&["audit", "show", "--limit", "1000"]));
    let actions: Vec<&str> = log.iter().filter_map(|r| r["action"].as_str()).collect();
    for a in ["admin", "import", "export", "read", "search", "review", "change"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    assert!(log.iter().any(|r| r["actor"] == "sami" && r["action"] == "export" && r["results"] == 3));
    site.ok(&["audit", "checkpoint"]);
    let v = json_lines(&site.ok(&["audit", "verify"]));
    assert_eq!(v[0]["ok"], true);
    assert_eq!(v[0]["records"].as_u64(), Some(log.len() as u64));
    assert!(log.iter().any(|r| r["actor"] == "sami" && r["action"] == "read" && r["purpose"] == "border check"));
    assert_eq!(v[0]["checkpoints"].as_u64(), Some(1));
    // Another key does not verify the checkpoints.
    let e = site.fails(&["audit", "verify", "--public-key", &"11".repeat(32)]);
    assert!(e.contains("FAILED") || e.contains("key"), "{e}");
}

#[test]
fn admin_flow_on_sqlite() {
    let site = Site::new(None);
    admin_flow(&site);
    // Tamper with the database file behind Liaison's back.
    let db = site.dir.path().join("liaison.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", db.display())).await.unwrap();
        sqlx::query("UPDATE audit_log SET actor = 'nobody' WHERE seq = 5").execute(&pool).await.unwrap();
        pool.close().await;
    });
    let e = site.fails(&["audit", "verify"]);
    assert!(e.contains("record 5: hash does not match"), "{e}");
}

#[test]
fn admin_flow_on_postgres() {
    let site = Site::new(Some("cli_admin_flow"));
    admin_flow(&site);
    assert!(!site.dir.path().join("liaison.db").exists(), "the data went to PostgreSQL");
}

/// A CSV of `n` distinct published notices.
fn big_csv(path: &Path, n: usize) {
    let mut s = String::from("type,title,names,dobs,action,tlp,handling,distribution,review_days,source_ref\n");
    for i in 0..n {
        s.push_str(&format!(
            "sanctions-listing,Person {i},Karim Salem {i}|كريم سالم,19{:02},Refuse entry,CLEAR,H0,all,365,gen:{i}\n",
            i % 100
        ));
    }
    std::fs::write(path, s).unwrap();
}

fn count(site: &Site) -> usize {
    site.ok(&["export", "--format", "jsonl", "--as", "amina"]).lines().count()
}

fn killed_import_leaves_all_or_nothing(site: &Site) {
    site.setup();
    let n = 30_000;
    let file = site.path("big.csv");
    big_csv(Path::new(&file), n);
    let mut child = site
        .cmd(&["import", "--format", "csv", &file, "--as", "amina", "--publish"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("storing") {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0, "import ended before storing");
    }
    std::thread::sleep(std::time::Duration::from_millis(150));
    // SAFETY: kill has no memory-safety preconditions.
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    let status = child.wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGKILL), "the import finished before the kill: make it longer");
    let after_kill = count(site);
    assert_eq!(after_kill, 0, "a killed import leaves none of its batch");
    site.ok(&["audit", "verify"]);
    // The store is still sound: the same import now completes, all of it.
    site.ok(&["import", "--format", "csv", &file, "--as", "amina", "--publish"]);
    assert_eq!(count(site), n);
}

#[test]
fn killed_import_on_sqlite() {
    killed_import_leaves_all_or_nothing(&Site::new(None));
}

#[test]
fn killed_import_on_postgres() {
    killed_import_leaves_all_or_nothing(&Site::new(Some("cli_killed_import")));
}
