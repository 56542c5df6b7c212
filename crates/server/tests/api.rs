//! The real server on a loopback port, over a real SQLite store, with three
//! agencies: MA and TN share under an agreement, FR has none. Every endpoint
//! that returns notice data is checked for what each agency may see.

mod common;

use std::sync::Arc;

use audit::Action;
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use store::Store;

fn screen(name: &str) -> Value {
    json!({"name": name, "purpose": "border check"})
}

fn hit_ids(v: &Value) -> Vec<i64> {
    v["hits"].as_array().unwrap().iter().map(|h| h["notice_id"].as_i64().unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visibility_across_three_agencies_on_every_endpoint() {
    let srv = start().await;
    let (ma_a, ma_r, ma_o) =
        (srv.login("ma.analyst").await, srv.login("ma.reviewer").await, srv.login("ma.officer").await);
    let (tn, tn_an, fr) = (srv.login("tn.officer").await, srv.login("tn.analyst").await, srv.login("fr.officer").await);
    // A shared notice, a draft, and one MA keeps from TN by distribution.
    let shared = publish(
        &ma_a,
        &ma_r,
        wanted("t1", &["عبد اللطيف حموشي", "Abdellatif Hammouchi"], "AMBER", json!({"kind": "all"})),
    )
    .await;
    let (_, d) = ma_a.post("/notices", wanted("t2", &["Abdelkader Bennani"], "GREEN", json!({"kind": "all"}))).await;
    let draft = d["id"].as_i64().unwrap();
    let kept = publish(
        &ma_a,
        &ma_r,
        wanted("t3", &["Samir Tazi"], "GREEN", json!({"kind": "all-except", "agencies": ["TN"]})),
    )
    .await;
    let missing = 9_999;

    // GET /notices/{id}: TN sees the shared one cut to the screening fields; the rest
    // is a 404 exactly like a notice that does not exist.
    let (s, v) = tn.get(&format!("/notices/{shared}?purpose=check")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["fields"], "screening");
    assert!(v["notice"].get("judicial").is_none(), "an officer sees no judicial data");
    assert!(v.get("author").is_none());
    let (_, v) = tn_an.get(&format!("/notices/{shared}?purpose=check")).await;
    assert_eq!(v["fields"], "shared");
    assert_eq!(v["notice"]["judicial"]["offence"], "fraud");
    let (_, nf) = tn.get(&format!("/notices/{missing}?purpose=check")).await;
    for (who, id) in [(&tn, draft), (&tn, kept), (&fr, shared), (&fr, draft), (&fr, kept)] {
        let (s, v) = who.get(&format!("/notices/{id}?purpose=check")).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
        assert_eq!(
            v["detail"].as_str().unwrap().replace(&id.to_string(), "#"),
            nf["detail"].as_str().unwrap().replace(&missing.to_string(), "#")
        );
        let (s, _) = who.get(&format!("/notices/{id}/history")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    let (s, v) = ma_o.get(&format!("/notices/{draft}?purpose=check")).await;
    assert_eq!((s, v["fields"].as_str()), (StatusCode::OK, Some("full")), "the owner sees its drafts");

    // GET /notices: lists and counts.
    let ids = |v: &Value| -> Vec<i64> {
        v["notices"].as_array().unwrap().iter().map(|n| n["id"].as_i64().unwrap()).collect()
    };
    let (_, v) = tn.get("/notices?purpose=list").await;
    assert_eq!(ids(&v), [shared]);
    let (_, v) = fr.get("/notices?purpose=list").await;
    assert_eq!(ids(&v), Vec::<i64>::new());
    let (_, v) = ma_a.get("/notices?purpose=list").await;
    assert_eq!(ids(&v), [shared, draft, kept]);

    // POST /screen and /screen/batch: a Latin spelling finds the Arabic filing for TN only.
    let (s, v) = tn.post("/screen", screen("Abdellatif Hammouchi")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(hit_ids(&v), [shared]);
    assert!(!v["hits"][0]["explanation"]["aligned"].as_array().unwrap().is_empty());
    let (_, v) = tn.post("/screen", screen("Samir Tazi")).await;
    assert_eq!(hit_ids(&v), Vec::<i64>::new(), "distribution excludes TN");
    let (_, v) = fr.post("/screen", screen("Abdellatif Hammouchi")).await;
    assert_eq!(hit_ids(&v), Vec::<i64>::new());
    let (_, v) = fr.post("/screen", json!({"name": "", "document": "XK 1234567", "purpose": "doc check"})).await;
    assert_eq!(hit_ids(&v), Vec::<i64>::new(), "not even by document number");
    let batch = json!({"queries": [{"id": "1", "name": "Abd al-Latif al-Hamushi"}, {"id": "2", "name": "Samir Tazi"}], "purpose": "flight AT123"});
    let (_, v) = tn.post("/screen/batch", batch.clone()).await;
    assert_eq!(hit_ids(&v["results"][0]), [shared]);
    assert_eq!(hit_ids(&v["results"][1]), Vec::<i64>::new());
    let (_, v) = fr.post("/screen/batch", batch).await;
    assert!(v["results"].as_array().unwrap().iter().all(|r| hit_ids(r).is_empty()));

    // Hits: FR cannot report on what it cannot see; TN can, and MA sees it at once.
    let report = |id: i64| {
        json!({"notice_id": id, "place": "Tunis-Carthage", "seen_at": "2026-11-29T08:00:00Z",
                                  "context": "arriving from Istanbul", "query_name": "Abdellatif Hammouchi"})
    };
    let (s, _) = fr.post("/hits", report(shared)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = tn.post("/hits", report(kept)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, h) = tn.post("/hits", report(shared)).await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let hit = h["id"].as_i64().unwrap();
    let (_, inbox) = ma_r.get("/hits").await;
    assert_eq!(inbox["hits"][0]["id"].as_i64(), Some(hit));
    assert_eq!(inbox["hits"][0]["status"], "reported");
    let (_, v) = fr.get("/hits").await;
    assert!(v["hits"].as_array().unwrap().is_empty());
    let (s, _) = fr.get(&format!("/hits/{hit}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Only the owner confirms; then either records the action.
    let (s, v) = tn.post(&format!("/hits/{hit}/status"), json!({"version": 1, "status": "confirmed"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let (s, v) = ma_r
        .post(
            &format!("/hits/{hit}/status"),
            json!({"version": 1, "status": "confirmed", "note": "fingerprints match"}),
        )
        .await;
    assert_eq!((s, v["status"].as_str()), (StatusCode::OK, Some("confirmed")), "{v}");
    let (s, v) = tn
        .post(&format!("/hits/{hit}/status"), json!({"version": 2, "status": "action-taken", "note": "detained"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, v) = ma_o.get(&format!("/hits/{hit}")).await;
    let steps: Vec<&str> = v["events"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
    assert_eq!(steps, ["reported", "confirmed", "action-taken"]);

    // The audit log: MA's auditor reads MA's records; TN's searches are TN's.
    let aud = srv.login("ma.auditor").await;
    let (s, v) = aud.get("/audit?limit=500").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["records"].as_array().unwrap().iter().all(|r| r["agency"] == "MA"));
    assert!(v["records"].as_array().unwrap().iter().any(|r| r["action"] == "review"));
    let (s, _) = tn.get("/audit").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The server signed checkpoints as it went, and the whole log verifies.
    let report =
        store::verify_audit(&srv.store, &audit::Signer::from_seed(&SEED).public_key(), |_| {}).await.unwrap().unwrap();
    assert!(report.checkpoints >= 2, "{report:?}");
    let log = srv.store.audit_records(0, 10_000).await.unwrap();
    assert!(log.iter().any(|r| r.entry.actor == "tn.officer"
        && r.entry.action == Action::Screen
        && r.entry.target.contains("Abdellatif Hammouchi")
        && r.entry.purpose == "border check"
        && r.entry.result_count == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_and_cancelling_show_in_screening_at_once() {
    let srv = start().await;
    let (ma_a, ma_r, tn) =
        (srv.login("ma.analyst").await, srv.login("ma.reviewer").await, srv.login("tn.officer").await);
    let (_, v) = tn.post("/screen", screen("Noureddine Drissi")).await;
    assert!(hit_ids(&v).is_empty());
    let id = publish(&ma_a, &ma_r, wanted("n", &["نور الدين الإدريسي"], "GREEN", json!({"kind": "all"}))).await;
    let (_, v) = tn.post("/screen", screen("Noureddine Drissi")).await;
    assert_eq!(hit_ids(&v), [id], "visible to screening as soon as the approval returned");
    let (s, v) = ma_r.post(&format!("/notices/{id}/cancel"), json!({"version": 3, "reason": "arrested"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, v) = tn.post("/screen", screen("Noureddine Drissi")).await;
    assert!(hit_ids(&v).is_empty(), "gone as soon as the cancellation returned");
    // A stale version is refused.
    let other = publish(&ma_a, &ma_r, wanted("o", &["Karim Salem"], "GREEN", json!({"kind": "all"}))).await;
    let (s, v) = ma_r.post(&format!("/notices/{other}/extend"), json!({"version": 2, "reason": "x", "days": 10})).await;
    assert_eq!((s, v["code"].as_str()), (StatusCode::CONFLICT, Some("version-conflict")), "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_problems_that_say_what_and_where() {
    let srv = start().await;
    let tn = srv.login("tn.officer").await;
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", srv.base);
    // Malformed JSON: where.
    let r = http
        .post(url("/screen"))
        .bearer_auth(&tn.token)
        .header("content-type", "application/json")
        .body("{\"name\": \"x\",\n \"purpose\": }")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "malformed-json");
    assert!(v["detail"].as_str().unwrap().contains("line 2"), "{v}");
    // Bounds: body, batch, name.
    let big = "x".repeat(server::MAX_BODY_BYTES + 10);
    let r = http
        .post(url("/screen"))
        .bearer_auth(&tn.token)
        .json(&json!({"name": big, "purpose": "p"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let queries: Vec<Value> = (0..server::MAX_BATCH + 1).map(|i| json!({"id": i.to_string(), "name": "a b"})).collect();
    let (s, v) = tn.post("/screen/batch", json!({"queries": queries, "purpose": "p"})).await;
    assert_eq!((s, v["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("too-large")));
    let (s, v) = tn.post("/screen", json!({"name": "a".repeat(300), "purpose": "p"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, v) = tn.post("/screen", json!({"name": "Karim", "purpose": " "})).await;
    assert_eq!((s, v["code"].as_str()), (StatusCode::BAD_REQUEST, Some("purpose")));
    // No or bad credentials; unknown routes.
    let r = http.get(url("/me")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = http.get(url("/me")).bearer_auth("lsn_nope").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let (s, v) = tn.get("/nowhere").await;
    assert_eq!((s, v["code"].as_str()), (StatusCode::NOT_FOUND, Some("not-found")));
    // Log-out revokes the session.
    let (s, _) = tn.post("/auth/logout", json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = tn.get("/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_audited_and_slowed_down() {
    let srv = start().await;
    let http = reqwest::Client::new();
    let mut last = std::time::Duration::ZERO;
    for _ in 0..server::auth::FREE_FAILURES + 1 {
        let t0 = std::time::Instant::now();
        let r = http
            .post(format!("{}/auth/login", srv.base))
            .json(&json!({"username": "tn.officer", "password": "guess"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        last = t0.elapsed();
    }
    assert!(last.as_millis() >= u128::from(server::auth::FAILURE_DELAY_MS), "the fourth failure waited {last:?}");
    let failures = srv
        .store
        .audit_records(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.entry.action == Action::LoginFailed && r.entry.actor == "tn.officer")
        .count();
    assert_eq!(failures, 4);
    // API tokens: an admin makes one for a system user of their agency.
    let admin = srv.login("ma.admin").await;
    let (s, v) = admin.post("/tokens", json!({"username": "ma.officer", "name": "border-system-1"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let token = v["token"].as_str().unwrap().to_string();
    let r = http.get(format!("{}/me", srv.base)).bearer_auth(&token).send().await.unwrap();
    let me: Value = r.json().await.unwrap();
    assert_eq!(me["username"], "ma.officer");
    let (s, _) = admin.post("/tokens", json!({"username": "tn.officer", "name": "x"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "not another agency's user");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_openapi_document_is_the_checked_in_one() {
    let srv = start().await;
    let served = reqwest::get(format!("{}/openapi.json", srv.base)).await.unwrap().text().await.unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    if std::env::var_os("LIAISON_BLESS").is_some() {
        std::fs::write(path, &served).unwrap();
    }
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(served == checked_in, "openapi.json is stale: run LIAISON_BLESS=1 cargo test -p server --test api openapi");
    let v: Value = serde_json::from_str(&served).unwrap();
    for p in ["/screen", "/notices/{id}", "/hits/{id}/status", "/audit"] {
        assert!(v["paths"].get(p).is_some(), "{p}");
    }
    let _ = Arc::new(());
}
