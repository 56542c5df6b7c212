//! One suite, run against SQLite and against a real PostgreSQL server that the
//! suite starts itself (see `store::testing`).

use std::sync::OnceLock;

use audit::{Action, Entry};
use jiff::Timestamp;
use model::*;
use store::testing::TempPostgres;
use store::*;

fn pg() -> &'static TempPostgres {
    static PG: OnceLock<TempPostgres> = OnceLock::new();
    PG.get_or_init(|| TempPostgres::start().unwrap_or_else(|e| panic!("PostgreSQL for the store tests: {e}")))
}

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    use store::Store;
                    let dir = tempfile::tempdir().unwrap();
                    let s = store::SqliteStore::open(&dir.path().join("liaison.db")).await.unwrap();
                    s.migrate().await.unwrap();
                    super::$name(&s, super::Raw::Sqlite(s.pool().clone())).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    use store::Store;
                    let url = super::pg().create_database(stringify!($name)).unwrap();
                    let s = store::PgStore::connect(&url).await.unwrap();
                    s.migrate().await.unwrap();
                    super::$name(&s, super::Raw::Pg(s.pool().clone())).await;
                }
            )*
        }
    };
}

both!(
    admin_records_round_trip,
    notice_versions_and_conflicts,
    import_is_idempotent_and_versioned,
    a_failing_import_leaves_nothing,
    audit_log_verifies_and_finds_tampering,
    concurrent_appends_keep_one_chain,
    tokens_and_hits,
);

/// Raw SQL, to play the attacker.
enum Raw {
    Sqlite(sqlx::SqlitePool),
    Pg(sqlx::PgPool),
}

impl Raw {
    async fn exec(&self, sql: &'static str) {
        match self {
            Raw::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
            Raw::Pg(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        }
        .unwrap();
    }
}

fn entry(action: Action, target: &str) -> Entry {
    Entry {
        at_ms: 1_780_000_000_000,
        actor: "admin".into(),
        agency: "MA".into(),
        action,
        target: target.into(),
        purpose: "test".into(),
        result_count: 1,
    }
}

fn agency(code: &str) -> Agency {
    Agency::new(UncheckedAgency {
        code: code.into(),
        country: code[..2].into(),
        name_ar: "المديرية العامة للأمن الوطني".into(),
        name_fr: "Direction générale de la sûreté nationale".into(),
        name_en: "General Directorate for National Security".into(),
    })
    .unwrap()
}

fn user(name: &str, agency: &str, roles: &[Role]) -> User {
    User::new(UncheckedUser {
        username: name.into(),
        agency: agency.into(),
        display_name: name.into(),
        roles: roles.to_vec(),
    })
    .unwrap()
}

fn content(owner: &str, source_ref: Option<&str>, name: &str) -> UncheckedNotice {
    UncheckedNotice {
        kind: NoticeType::SanctionsListing,
        owner: AgencyCode::new(owner).unwrap(),
        title: name.into(),
        person: Some(PersonParticulars {
            names: vec![NameRecord { name: name.into(), script: None, original: true }],
            dobs: vec!["1970".into()],
            ..Default::default()
        }),
        document: None,
        judicial: None,
        summary: String::new(),
        warnings: vec![],
        action: "Refuse entry; inform the owner".into(),
        distribution: Distribution::All,
        tlp: Tlp::Green,
        handling: Handling::H0,
        review_days: 365,
        source_ref: source_ref.map(Into::into),
    }
}

fn now() -> Timestamp {
    "2026-06-01T00:00:00Z".parse().unwrap()
}

async fn setup<S: Store>(s: &S) {
    s.put_agency(&agency("MA"), entry(Action::Admin, "agency MA")).await.unwrap();
    s.put_agency(&agency("TN"), entry(Action::Admin, "agency TN")).await.unwrap();
}

async fn admin_records_round_trip<S: Store>(s: &S, _raw: Raw) {
    setup(s).await;
    assert_eq!(s.agencies().await.unwrap(), vec![agency("MA"), agency("TN")]);
    let amina = user("amina", "MA", &[Role::Analyst, Role::Officer]);
    s.put_user(&amina, Some("$argon2id$x"), entry(Action::Admin, "user amina")).await.unwrap();
    // Changing roles without a password keeps the stored hash.
    let amina2 = user("amina", "MA", &[Role::Reviewer]);
    s.put_user(&amina2, None, entry(Action::Admin, "user amina")).await.unwrap();
    let (back, hash) = s.user("amina").await.unwrap().unwrap();
    assert_eq!(back, amina2);
    assert_eq!(hash.as_deref(), Some("$argon2id$x"));
    assert!(s.user("nobody").await.unwrap().is_none());
    assert_eq!(s.users(Some(&AgencyCode::new("TN").unwrap())).await.unwrap(), vec![]);
    // A user of an unknown agency is refused by the database, and nothing is written.
    let before = s.audit_head().await.unwrap().0;
    assert!(s.put_user(&user("x1", "DZ", &[Role::Officer]), None, entry(Action::Admin, "user x1")).await.is_err());
    assert_eq!(s.audit_head().await.unwrap().0, before, "the audit record went with the failed write");
    let a = Agreement::new(UncheckedAgreement {
        a: "MA".into(),
        b: "TN".into(),
        a_to_b: vec![NoticeType::WantedPerson, NoticeType::SanctionsListing],
        b_to_a: vec![NoticeType::MissingPerson],
        tlp_max: Tlp::Amber,
        in_force_from: jiff::civil::date(2026, 1, 1),
        in_force_to: Some(jiff::civil::date(2028, 12, 31)),
        signatories: vec!["DGSN director".into(), "DGSN Tunis".into()],
    })
    .unwrap();
    let id = s.add_agreement(&a, entry(Action::Admin, "agreement")).await.unwrap();
    assert_eq!(s.agreements().await.unwrap(), vec![(id, a)]);
    assert_eq!(s.audit_head().await.unwrap().0, 5, "every write left one audit record");
}

async fn notice_versions_and_conflicts<S: Store>(s: &S, _raw: Raw) {
    setup(s).await;
    let author = user("amina", "MA", &[Role::Analyst]);
    let reviewer = user("karim", "MA", &[Role::Reviewer]);
    let mut n = Notice::draft(content("MA", None, "Abdellatif Hammouchi"), &author).unwrap();
    let id = s.create_notice(&n, "amina", 1, entry(Action::Create, "")).await.unwrap();
    n.submit(&author).unwrap();
    let v2 = s.update_notice(id, 1, &n, "amina", "submitted", 2, entry(Action::Change, "n")).await.unwrap();
    assert_eq!(v2, 2);
    n.approve(&reviewer, &NeutralityChecklist::CLEAR, now()).unwrap();
    // A writer who read version 1 loses.
    let e = s.update_notice(id, 1, &n, "karim", "approved", 3, entry(Action::Review, "n")).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict { expected: 1, found: 2, .. }), "{e}");
    s.update_notice(id, 2, &n, "karim", "approved", 3, entry(Action::Review, "n")).await.unwrap();
    let stored = s.notice(id).await.unwrap().unwrap();
    assert_eq!((stored.version, &stored.notice), (3, &n));
    let history = s.notice_history(id).await.unwrap();
    let steps: Vec<(i64, &str, Status)> =
        history.iter().map(|v| (v.version, v.change.as_str(), v.notice.lifecycle().status)).collect();
    assert_eq!(
        steps,
        vec![(1, "created", Status::Draft), (2, "submitted", Status::InReview), (3, "approved", Status::Published)]
    );
    let e = s.update_notice(999, 1, &n, "karim", "x", 4, entry(Action::Change, "n")).await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound { .. }), "{e}");
    let published =
        s.notices(&NoticeFilter { status: Some(Status::Published), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(published.len(), 1);
}

async fn import_is_idempotent_and_versioned<S: Store>(s: &S, _raw: Raw) {
    setup(s).await;
    let importer = user("importer", "MA", &[Role::Reviewer]);
    let batch = |names: &[&str]| -> Vec<ImportItem> {
        names
            .iter()
            .enumerate()
            .map(|(i, name)| ImportItem {
                notice: Notice::imported(content("MA", Some(&format!("un:{i}")), name), "un", &importer, now())
                    .unwrap(),
            })
            .collect()
    };
    let names = ["Abdellatif Hammouchi", "Noureddine Bouazza", "Mohamed Ould Salem"];
    let r = s.import(batch(&names), "importer", 1, entry(Action::Import, "un.xml")).await.unwrap();
    assert_eq!(r, ImportReport { created: 3, updated: 0, unchanged: 0 });
    let r = s.import(batch(&names), "importer", 2, entry(Action::Import, "un.xml")).await.unwrap();
    assert_eq!(r, ImportReport { created: 0, updated: 0, unchanged: 3 }, "same source, no new versions");
    let changed = ["Abdellatif Hammouchi", "Nour Eddine Bouazza", "Mohamed Ould Salem"];
    let r = s.import(batch(&changed), "importer", 3, entry(Action::Import, "un.xml")).await.unwrap();
    assert_eq!(r, ImportReport { created: 0, updated: 1, unchanged: 2 });
    assert_eq!(s.count_notices().await.unwrap(), 3);
    let all = s.notices(&NoticeFilter::default()).await.unwrap();
    let second = all.iter().find(|n| n.notice.content().source_ref.as_deref() == Some("un:1")).unwrap();
    assert_eq!(second.version, 2);
    assert_eq!(second.notice.content().title, "Nour Eddine Bouazza");
    assert_eq!(second.notice.lifecycle().status, Status::Published, "a list update keeps it circulating");
    let history = s.notice_history(second.id).await.unwrap();
    assert_eq!(
        history.iter().map(|v| v.notice.content().title.as_str()).collect::<Vec<_>>(),
        ["Noureddine Bouazza", "Nour Eddine Bouazza"]
    );
}

async fn a_failing_import_leaves_nothing<S: Store>(s: &S, _raw: Raw) {
    setup(s).await;
    let head = s.audit_head().await.unwrap();
    let ma = user("importer", "MA", &[Role::Reviewer]);
    let dz = user("importer", "DZ", &[Role::Reviewer]);
    let mut items: Vec<ImportItem> = (0..50)
        .map(|i| ImportItem {
            notice: Notice::imported(content("MA", Some(&format!("x:{i}")), "Karim Salem"), "x", &ma, now()).unwrap(),
        })
        .collect();
    // The last notice's owner is not a known agency: the database refuses it.
    items.push(ImportItem {
        notice: Notice::imported(content("DZ", Some("x:bad"), "Karim Salem"), "x", &dz, now()).unwrap(),
    });
    assert!(s.import(items, "importer", 1, entry(Action::Import, "x")).await.is_err());
    assert_eq!(s.count_notices().await.unwrap(), 0, "all of the batch or none of it");
    // Two records with the same source reference in one batch are refused.
    let twice: Vec<ImportItem> = (0..2)
        .map(|_| ImportItem {
            notice: Notice::imported(content("MA", Some("x:1"), "Karim Salem"), "x", &ma, now()).unwrap(),
        })
        .collect();
    let e = s.import(twice, "importer", 1, entry(Action::Import, "x")).await.unwrap_err();
    assert!(e.to_string().contains("appears twice"), "{e}");
    assert_eq!(s.count_notices().await.unwrap(), 0);
    assert_eq!(s.audit_head().await.unwrap(), head);
}

async fn audit_log_verifies_and_finds_tampering<S: Store>(s: &S, raw: Raw) {
    let signer = audit::Signer::from_seed(&[3; 32]);
    let key = signer.public_key();
    for i in 0..250u64 {
        s.append_audit(vec![entry(Action::Screen, &format!("query {i}"))]).await.unwrap();
        s.checkpoint_if_due(&signer, 100, 0).await.unwrap();
    }
    let report = verify_audit(s, &key, |_| {}).await.unwrap().unwrap();
    assert_eq!((report.records, report.checkpoints, report.unsigned_tail), (250, 2, 50));
    // Retention: prune through the first checkpoint; what is left still verifies.
    let e = s.prune_audit(150, entry(Action::Admin, "retention")).await.unwrap_err();
    assert!(e.to_string().contains("no checkpoint"), "{e}");
    assert_eq!(s.prune_audit(100, entry(Action::Admin, "retention")).await.unwrap(), 100);
    let report = verify_audit(s, &key, |_| {}).await.unwrap().unwrap();
    assert_eq!(report.range, Some((101, 251)));
    // A change in the middle.
    raw.exec("UPDATE audit_log SET target = 'someone else' WHERE seq = 120").await;
    let e = verify_audit(s, &key, |_| {}).await.unwrap().unwrap_err();
    assert_eq!(e, audit::AuditError::Changed { seq: 120 });
    raw.exec("UPDATE audit_log SET target = 'query 119' WHERE seq = 120").await;
    assert!(verify_audit(s, &key, |_| {}).await.unwrap().is_ok(), "restored");
    // A deletion.
    raw.exec("DELETE FROM audit_log WHERE seq = 130").await;
    let e = verify_audit(s, &key, |_| {}).await.unwrap().unwrap_err();
    assert_eq!(e, audit::AuditError::Sequence { expected: 130, found: 131 });
    // A reordering: two records swap places (their sequence numbers stay).
    raw.exec("UPDATE audit_log SET seq = -1 WHERE seq = 140").await;
    raw.exec("UPDATE audit_log SET seq = 140 WHERE seq = 141").await;
    raw.exec("UPDATE audit_log SET seq = 141 WHERE seq = -1").await;
    raw.exec("INSERT INTO audit_log SELECT 130, at_ms, actor, agency, action, 'query 129', purpose, result_count, hash FROM audit_log WHERE seq = 131").await;
    let e = verify_audit(s, &key, |_| {}).await.unwrap().unwrap_err();
    assert!(matches!(e, audit::AuditError::Changed { seq: 130 } | audit::AuditError::Changed { seq: 140 }), "{e}");
}

async fn concurrent_appends_keep_one_chain<S: Store + Clone + 'static>(s: &S, raw: Raw) {
    let mut tasks = Vec::new();
    for t in 0..4 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..25 {
                s.append_audit(vec![entry(Action::Read, &format!("{t}/{i}")), entry(Action::Read, "x")]).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let signer = audit::Signer::from_seed(&[4; 32]);
    s.checkpoint_if_due(&signer, 1, 0).await.unwrap().unwrap();
    let report = verify_audit(s, &signer.public_key(), |_| {}).await.unwrap().unwrap();
    assert_eq!((report.records, report.checkpoints), (200, 1));
    // Cutting the unsigned tail is caught by the head.
    s.append_audit(vec![entry(Action::Read, "after the checkpoint"); 10]).await.unwrap();
    raw.exec("DELETE FROM audit_log WHERE seq > 205").await;
    let e = verify_audit(s, &signer.public_key(), |_| {}).await.unwrap().unwrap_err();
    assert_eq!(e, audit::AuditError::Truncated { seq: 210, last: 205 });
}

async fn tokens_and_hits<S: Store>(s: &S, _raw: Raw) {
    setup(s).await;
    let officer = user("sami", "TN", &[Role::Officer]);
    let owner_analyst = user("amina", "MA", &[Role::Analyst, Role::Reviewer]);
    for u in [&officer, &owner_analyst] {
        s.put_user(u, Some("$argon2id$x"), entry(Action::Admin, "user")).await.unwrap();
    }
    let id = s.create_token("abc", "sami", "session", "login", Some(10), entry(Action::Login, "sami")).await.unwrap();
    let t = s.token("abc").await.unwrap().unwrap();
    assert_eq!((t.id, t.username.as_str(), t.expires_ms, t.revoked), (id, "sami", Some(10), false));
    assert!(!s.revoke_token(id, "amina", entry(Action::Login, "x")).await.unwrap(), "only one's own");
    assert!(s.revoke_token(id, "sami", entry(Action::Login, "logout")).await.unwrap());
    assert!(s.token("abc").await.unwrap().unwrap().revoked);
    assert!(s.token("nope").await.unwrap().is_none());
    let n = Notice::imported(content("MA", Some("un:1"), "Abdellatif Hammouchi"), "un", &owner_analyst, now()).unwrap();
    let notice_id = s.create_notice(&n, "amina", 1, entry(Action::Create, "")).await.unwrap();
    let report = HitReport {
        place: "Tunis-Carthage airport".into(),
        seen_at: "2026-06-02T08:15:00Z".into(),
        context: "arriving from Istanbul".into(),
        query_name: "Abdellatif Hammouchi".into(),
        action_taken: String::new(),
    };
    let mut hit = Hit::report(notice_id, n.owner(), &officer, report).unwrap();
    let hit_id = s.create_hit(&hit, 2, entry(Action::Create, "")).await.unwrap();
    hit.advance(&owner_analyst, HitStatus::Confirmed, "identity confirmed by fingerprints").unwrap();
    let ev = HitEvent {
        at_ms: 3,
        actor: "amina".into(),
        agency: "MA".into(),
        status: HitStatus::Confirmed,
        note: "identity confirmed by fingerprints".into(),
    };
    assert_eq!(s.update_hit(hit_id, 1, &hit, &ev, entry(Action::Change, "hit")).await.unwrap(), 2);
    assert!(matches!(
        s.update_hit(hit_id, 1, &hit, &ev, entry(Action::Change, "hit")).await,
        Err(StoreError::Conflict { .. })
    ));
    let stored = s.hit(hit_id).await.unwrap().unwrap();
    assert_eq!(stored.hit, hit);
    assert_eq!(stored.events.iter().map(|e| e.status).collect::<Vec<_>>(), [HitStatus::Reported, HitStatus::Confirmed]);
    for agency in ["MA", "TN"] {
        let inbox = s.hits(&AgencyCode::new(agency).unwrap(), 0, 10).await.unwrap();
        assert_eq!(inbox.len(), 1, "{agency} takes part");
    }
    s.put_agency(&agency("FR"), entry(Action::Admin, "agency FR")).await.unwrap();
    assert!(s.hits(&AgencyCode::new("FR").unwrap(), 0, 10).await.unwrap().is_empty());
}
