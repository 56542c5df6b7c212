//! What the server tests share: a real server on a loopback port over a real
//! SQLite store, with three agencies (MA and TN share under an agreement, FR
//! has none), their users, and an HTTP client.
#![allow(dead_code)]

use audit::Action;
use model::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use store::{SqliteStore, Store};

/// The audit checkpoint key's seed in the tests.
pub const SEED: [u8; 32] = [5; 32];

/// Checkpoints every few records, so that tests see the server make them.
pub fn settings() -> server::Settings {
    server::Settings { checkpoint_every: 5, ..server::Settings::default() }
}

pub const PASSWORD: &str = "correct horse battery staple";

pub struct Server {
    pub base: String,
    pub _dir: tempfile::TempDir,
    pub store: SqliteStore,
}

pub fn entry() -> audit::Entry {
    audit::Entry {
        at_ms: 0,
        actor: "setup".into(),
        agency: "-".into(),
        action: Action::Admin,
        target: "setup".into(),
        purpose: "test".into(),
        result_count: 0,
    }
}

pub async fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.db")).await.unwrap();
    store.migrate().await.unwrap();
    for code in ["MA", "TN", "FR"] {
        let a = Agency::new(UncheckedAgency {
            code: code.into(),
            country: code.into(),
            name_ar: "وكالة".into(),
            name_fr: "Agence".into(),
            name_en: "Agency".into(),
        })
        .unwrap();
        store.put_agency(&a, entry()).await.unwrap();
    }
    let hash = {
        use argon2::PasswordHasher;
        argon2::Argon2::default().hash_password(PASSWORD.as_bytes()).unwrap().to_string()
    };
    for (name, agency, roles) in [
        ("ma.analyst", "MA", vec![Role::Analyst]),
        ("ma.reviewer", "MA", vec![Role::Reviewer]),
        ("ma.officer", "MA", vec![Role::Officer]),
        ("ma.auditor", "MA", vec![Role::Auditor]),
        ("ma.admin", "MA", vec![Role::Admin]),
        ("tn.officer", "TN", vec![Role::Officer]),
        ("tn.analyst", "TN", vec![Role::Analyst]),
        ("fr.officer", "FR", vec![Role::Officer, Role::Analyst]),
    ] {
        let u =
            User::new(UncheckedUser { username: name.into(), agency: agency.into(), display_name: name.into(), roles })
                .unwrap();
        store.put_user(&u, Some(&hash), entry()).await.unwrap();
    }
    let ag = Agreement::new(UncheckedAgreement {
        a: "MA".into(),
        b: "TN".into(),
        a_to_b: vec![NoticeType::WantedPerson, NoticeType::SanctionsListing],
        b_to_a: vec![],
        tlp_max: Tlp::Amber,
        in_force_from: jiff::civil::date(2026, 1, 1),
        in_force_to: None,
        signatories: vec!["x".into()],
    })
    .unwrap();
    store.add_agreement(&ag, entry()).await.unwrap();
    let (live, _) = server::live::Live::rebuild(&store, |_| {}).await.unwrap();
    let app = server::App::start(store.clone(), live, audit::Signer::from_seed(&SEED), settings()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, server::api::router(app)).await });
    Server { base: format!("http://{addr}/api/v1"), _dir: dir, store }
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

impl Server {
    pub async fn login(&self, user: &str) -> Client {
        let http = reqwest::Client::new();
        let r = http
            .post(format!("{}/auth/login", self.base))
            .json(&json!({"username": user, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{user}");
        let v: Value = r.json().await.unwrap();
        Client { http, base: self.base.clone(), token: v["token"].as_str().unwrap().to_string() }
    }
}

impl Client {
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self.http.get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let r =
            self.http.post(format!("{}{path}", self.base)).bearer_auth(&self.token).json(&body).send().await.unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

pub fn wanted(title: &str, names: &[&str], tlp: &str, distribution: Value) -> Value {
    json!({
        "type": "wanted-person", "owner": "MA", "title": title,
        "person": {"names": names.iter().enumerate().map(|(i, n)| json!({"name": n, "original": i == 0})).collect::<Vec<_>>(),
                   "dobs": ["1966"], "nationalities": ["MA"], "documents": [{"number": "XK1234567", "kind": "passport"}]},
        "judicial": {"offence": "fraud", "law": "Penal Code art. 540", "max_penalty": "5 years", "warrant_ref": "W-1",
                     "warrant_authority": "Tribunal de Rabat", "facts": "Facts known to MA only"},
        "warnings": ["escape-risk"], "action": "Detain and call MA at once",
        "distribution": distribution, "tlp": tlp, "handling": {"code": "H1"}, "review_days": 365
    })
}

/// Drafts, submits and approves a notice of MA; returns its id.
pub async fn publish(analyst: &Client, reviewer: &Client, notice: Value) -> i64 {
    let (s, v) = analyst.post("/notices", notice).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();
    let (s, v) = analyst.post(&format!("/notices/{id}/submit"), json!({"version": 1})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let checklist = json!({"not_political": true, "not_military": true, "not_religious": true, "not_racial": true,
                           "not_refugee_from_requester": true});
    let (s, v) = reviewer.post(&format!("/notices/{id}/approve"), json!({"version": 2, "checklist": checklist})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    id
}
