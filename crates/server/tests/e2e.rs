//! The console end to end in headless Chromium (Debian's chromium and
//! chromium-driver, which scripts/test and .ci/run install), driven over the
//! W3C WebDriver protocol: an officer of TN screens "Abdellatif Hammouchi" and
//! finds the notice MA filed as "عبد اللطيف حموشي" and shared with TN, reports
//! the hit in two clicks; MA's reviewer sees it in the inbox and confirms it; an
//! officer of FR, with no agreement, finds nothing — in English, Arabic
//! (right-to-left) and French. Screenshots of each page go to
//! target/e2e-screenshots/.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::*;
use serde_json::{json, Value};
use store::Store;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    child: Child,
    http: reqwest::Client,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Driver {
    async fn start() -> Driver {
        let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("chromedriver not found: scripts/test installs Debian's chromium and chromium-driver");
        let port = free_port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let t0 = Instant::now();
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(t0.elapsed() < Duration::from_secs(30), "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1100,1000", format!("--user-data-dir={}", profile.path().display())]}}}});
        let v: Value = http.post(format!("{base}/session")).json(&caps).send().await.unwrap().json().await.unwrap();
        let session = v["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {v}")).to_string();
        Driver { child, http, base, session, _profile: profile }
    }

    async fn try_cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, Value> {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut r = self.http.request(method, url);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let v: Value = r.send().await.unwrap().json().await.unwrap();
        if v["value"].get("error").is_some() {
            return Err(v);
        }
        Ok(v["value"].clone())
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.try_cmd(method, path, body).await.unwrap_or_else(|v| panic!("webdriver {path}: {v}"))
    }

    /// Finds `css` and acts on it, again while a navigation replaces the page
    /// under it (no such element, stale element), for up to 15 s.
    async fn on(&self, css: &str, method: reqwest::Method, action: &str, body: Option<Value>) -> Value {
        let t0 = Instant::now();
        loop {
            let find = json!({"using": "css selector", "value": css});
            let result = match self.try_cmd(reqwest::Method::POST, "/element", Some(find)).await {
                Ok(e) => {
                    let e = e[ELEMENT].as_str().unwrap_or("").to_string();
                    self.try_cmd(method.clone(), &format!("/element/{e}{action}"), body.clone()).await
                }
                Err(v) => Err(v),
            };
            match result {
                Ok(v) => return v,
                Err(v) if t0.elapsed() > Duration::from_secs(15) => panic!("webdriver {css} {action}: {v}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    async fn go(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({"url": url}))).await;
    }

    async fn count(&self, css: &str) -> usize {
        let v =
            self.cmd(reqwest::Method::POST, "/elements", Some(json!({"using": "css selector", "value": css}))).await;
        v.as_array().map_or(0, |a| a.len())
    }

    /// Waits until the page shows `css` (after a navigation a click started).
    async fn wait(&self, css: &str) {
        let t0 = Instant::now();
        while self.count(css).await == 0 {
            assert!(t0.elapsed() < Duration::from_secs(15), "the page never showed {css}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the first element matching `css` reads `want`.
    async fn wait_text(&self, css: &str, want: &str) {
        let t0 = Instant::now();
        loop {
            let first =
                self.try_cmd(reqwest::Method::POST, "/element", Some(json!({"using": "css selector", "value": css})));
            let read = match first.await {
                Ok(e) => {
                    let e = e[ELEMENT].as_str().unwrap_or("").to_string();
                    self.try_cmd(reqwest::Method::GET, &format!("/element/{e}/text"), None).await.ok()
                }
                Err(_) => None,
            };
            if read.as_ref().and_then(|v| v.as_str()) == Some(want) {
                return;
            }
            assert!(t0.elapsed() < Duration::from_secs(15), "{css} never read {want:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn fill(&self, css: &str, text: &str) {
        self.on(css, reqwest::Method::POST, "/clear", Some(json!({}))).await;
        self.on(css, reqwest::Method::POST, "/value", Some(json!({"text": text}))).await;
    }

    async fn click(&self, css: &str) {
        self.on(css, reqwest::Method::POST, "/click", Some(json!({}))).await;
    }

    async fn text(&self, css: &str) -> String {
        self.on(css, reqwest::Method::GET, "/text", None).await.as_str().unwrap_or("").to_string()
    }

    async fn attr(&self, css: &str, name: &str) -> String {
        self.on(css, reqwest::Method::GET, &format!("/attribute/{name}"), None).await.as_str().unwrap_or("").to_string()
    }

    async fn screenshot(&self, name: &str) {
        let v = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap()).unwrap();
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    async fn cookie(&self, name: &str) -> String {
        let v = self.cmd(reqwest::Method::GET, &format!("/cookie/{name}"), None).await;
        v["value"].as_str().unwrap_or("").to_string()
    }

    async fn logout(&self) {
        self.cmd(reqwest::Method::DELETE, "/cookie", None).await;
    }
}

const TEXTS: [(&str, &str, &str, &str); 3] = [
    // (lang, dir, "no notice" text, "confirmed" text)
    ("en", "ltr", "No notice you may see matches.", "Confirmed"),
    ("ar", "rtl", "لا توجد نشرة متاحة لك تطابق هذا الاسم.", "مؤكَّد"),
    ("fr", "ltr", "Aucune notice qui vous est accessible ne correspond.", "Confirmée"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn officers_screen_report_and_owners_confirm_in_three_languages() {
    let srv = start().await;
    let site = srv.base.trim_end_matches("/api/v1").to_string();
    let (ma_a, ma_r) = (srv.login("ma.analyst").await, srv.login("ma.reviewer").await);
    let notice = wanted("Hammouchi", &["عبد اللطيف حموشي"], "AMBER", json!({"kind": "named", "agencies": ["TN"]}));
    let id = publish(&ma_a, &ma_r, notice).await;
    let d = Driver::start().await;
    let login = |user: &'static str, lang: &'static str| {
        let (d, site) = (&d, site.clone());
        async move {
            d.logout().await;
            d.go(&format!("{site}/console/login?lang={lang}")).await;
            d.fill("#username", user).await;
            d.fill("#password", PASSWORD).await;
            d.click("#login").await;
            d.wait("#screen").await;
        }
    };
    for (lang, dir, none, confirmed) in TEXTS {
        // TN's officer screens a Latin spelling and finds the Arabic filing.
        login("tn.officer", lang).await;
        assert_eq!(d.attr("html", "dir").await, dir, "{lang}");
        d.fill("#name", "Abdellatif Hammouchi").await;
        d.click("#screen").await;
        d.wait("#results").await;
        let results = d.text("#results").await;
        assert!(results.contains("عبد اللطيف حموشي"), "{lang}: {results}");
        assert_eq!(d.count("#results article.hit").await, 1, "{lang}");
        d.screenshot(&format!("{lang}-1-screening")).await;
        // Two clicks: "Report a hit", then send.
        d.click("#results a.report").await;
        d.wait("#place").await;
        d.fill("#place", "Tunis-Carthage").await;
        d.screenshot(&format!("{lang}-2-report")).await;
        d.click("#send-hit").await;
        d.wait("article.hit").await;
        assert!(d.text("main").await.contains("Tunis-Carthage"), "{lang}: the reporter sees the hit");
        // MA's reviewer finds it in the inbox and confirms it.
        login("ma.reviewer", lang).await;
        d.go(&format!("{site}/console/hits")).await;
        d.wait("article.hit button.step-confirmed").await;
        d.screenshot(&format!("{lang}-3-inbox")).await;
        d.click("article.hit button.step-confirmed").await;
        d.wait_text("article.hit .status", confirmed).await;
        d.screenshot(&format!("{lang}-4-confirmed")).await;
        // FR's officer, with no agreement, finds nothing.
        login("fr.officer", lang).await;
        d.fill("#name", "Abdellatif Hammouchi").await;
        d.click("#screen").await;
        d.wait("#results").await;
        assert_eq!(d.count("#results article.hit").await, 0, "{lang}");
        assert!(d.text("#results").await.contains(none), "{lang}");
        d.screenshot(&format!("{lang}-5-nothing-for-fr")).await;
    }
    // The review queue: MA's analyst submits a draft, MA's reviewer approves it
    // after ticking the neutrality checklist; MA's auditor reads who did what.
    let (_, v) = ma_a.post("/notices", wanted("Review me", &["Karim Bennani"], "GREEN", json!({"kind": "all"}))).await;
    let draft = v["id"].as_i64().unwrap();
    for (lang, dir, ..) in TEXTS {
        let _ = dir;
        if lang != "fr" {
            continue;
        }
        login("ma.analyst", lang).await;
        d.go(&format!("{site}/console/notices/{draft}")).await;
        d.wait("button.step-submit").await;
        d.click("button.step-submit").await;
        d.wait_text(".status", "En examen").await;
        login("ma.reviewer", lang).await;
        d.go(&format!("{site}/console/notices?status=in-review")).await;
        d.wait(&format!("a[href='/console/notices/{draft}']")).await;
        d.screenshot(&format!("{lang}-6-review-queue")).await;
        d.click(&format!("a[href='/console/notices/{draft}']")).await;
        d.wait("button.step-approve").await;
        for item in ["not_political", "not_military", "not_religious", "not_racial", "not_refugee"] {
            d.click(&format!("input[name={item}]")).await;
        }
        d.screenshot(&format!("{lang}-7-approve")).await;
        d.click("button.step-approve").await;
        d.wait_text(".status", "Publiée").await;
        login("ma.auditor", lang).await;
        d.go(&format!("{site}/console/audit")).await;
        d.wait("table").await;
        let log = d.text("main").await;
        assert!(log.contains("ma.reviewer") && log.contains(&format!("notice {draft} approved")), "{log}");
        d.screenshot(&format!("{lang}-8-audit")).await;
    }
    // Batch screening: an officer uploads a CSV, watches the progress, downloads the results.
    let csv = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(csv.path(), "id,name,dob\np1,Abdellatif Hammouchi,1966\np2,Jean Dupont,\n").unwrap();
    login("tn.officer", "en").await;
    d.go(&format!("{site}/console/batch")).await;
    d.wait("#file").await;
    d.fill("#file", &csv.path().display().to_string()).await;
    d.screenshot("en-9-batch").await;
    d.click("#start-batch").await;
    d.wait("#download").await;
    d.screenshot("en-10-batch-done").await;
    assert!(d.text("main").await.contains("People with at least one hit: 1."), "{}", d.text("main").await);
    let href = format!("{site}{}", d.attr("#download", "href").await);
    let session = d.cookie("liaison_session").await;
    let results = reqwest::Client::new()
        .get(&href)
        .header("cookie", format!("liaison_session={session}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = results.lines().collect();
    assert_eq!(lines[0], "id,name,rank,notice_id,score,owner,type,title,action");
    assert!(lines.iter().any(|l| l.starts_with(&format!("p1,Abdellatif Hammouchi,1,{id},"))), "{results}");
    assert!(lines.iter().any(|l| l.starts_with("p2,Jean Dupont,,")), "{results}");

    // Drafting in Arabic, with names in two scripts.
    login("ma.analyst", "ar").await;
    d.go(&format!("{site}/console/notices/new")).await;
    d.wait("#save-notice").await;
    d.fill("#title", "سمير الطاهري").await;
    d.fill("#names", "سمير الطاهري\nSamir Tahiri").await;
    d.fill("#dobs", "1980").await;
    d.fill("#action", "إبلاغ الجهة المالكة فورًا").await;
    d.fill("#offence", "احتيال").await;
    d.fill("#law", "القانون الجنائي").await;
    d.fill("#max_penalty", "5").await;
    d.fill("#warrant_ref", "W-7").await;
    d.fill("#warrant_authority", "الرباط").await;
    d.fill("#facts", "وقائع").await;
    d.screenshot("ar-9-new-notice").await;
    d.click("#save-notice").await;
    d.wait("button.step-submit").await;
    let page = d.text("main").await;
    assert!(page.contains("Samir Tahiri") && page.contains("مسودة"), "{page}");
    d.screenshot("ar-10-draft").await;

    // Every main page in Arabic and French, for the screenshots (and that each renders).
    for lang in ["ar", "fr"] {
        login("tn.officer", lang).await;
        for (page, css) in [("batch", "#file"), ("notices", "table"), ("agreements", "table"), ("hits", "article.hit")]
        {
            d.go(&format!("{site}/console/{page}")).await;
            d.wait(css).await;
            d.screenshot(&format!("{lang}-page-{page}")).await;
        }
        login("ma.auditor", lang).await;
        d.go(&format!("{site}/console/audit")).await;
        d.wait("table").await;
        d.screenshot(&format!("{lang}-page-audit")).await;
        d.go(&format!("{site}/console/login")).await;
        d.screenshot(&format!("{lang}-page-login")).await;
    }

    let hits = srv.store.hits(&model::AgencyCode::new("MA").unwrap(), 0, 100).await.unwrap();
    assert_eq!(hits.len(), 3, "the batch reports no hit by itself");
    assert!(hits.iter().all(|h| h.hit.notice_id == id && h.hit.status == model::HitStatus::Confirmed));
}
