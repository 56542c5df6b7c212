//! Lifecycle rules and the visibility rule, the latter checked against a small
//! reference model over random agencies, agreements and notices.

use std::collections::HashSet;

use jiff::{civil::date, Timestamp, ToSpan};
use model::*;
use proptest::prelude::*;

fn code(s: &str) -> AgencyCode {
    AgencyCode::new(s).unwrap()
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

fn person_notice(owner: &str, kind: NoticeType, tlp: Tlp, distribution: Distribution) -> UncheckedNotice {
    UncheckedNotice {
        kind,
        owner: code(owner),
        title: "Abdellatif Hammouchi".into(),
        person: Some(PersonParticulars {
            names: vec![
                NameRecord {
                    name: "عبد اللطيف حموشي".into(), script: Some("Arab".into()), original: true
                },
                NameRecord { name: "Abdellatif Hammouchi".into(), script: Some("Latn".into()), original: false },
            ],
            dobs: vec!["1966".into()],
            nationalities: vec!["MA".into()],
            ..Default::default()
        }),
        document: None,
        judicial: (kind == NoticeType::WantedPerson).then(|| Judicial {
            offence: "fraud".into(),
            law: "Penal Code art. 540".into(),
            max_penalty: "5 years".into(),
            warrant_ref: "W-1".into(),
            warrant_authority: "Tribunal de Rabat".into(),
            facts: "…".into(),
        }),
        summary: "facts".into(),
        warnings: vec![Warning::Armed],
        action: "Detain and call the owner".into(),
        distribution,
        tlp,
        handling: Handling::H1,
        review_days: 365,
        source_ref: None,
    }
}

fn now() -> Timestamp {
    "2026-06-01T12:00:00Z".parse().unwrap()
}

#[test]
fn lifecycle_needs_four_eyes_and_a_clear_checklist() {
    let author = user("amina", "MA", &[Role::Analyst, Role::Reviewer]);
    let reviewer = user("karim", "MA", &[Role::Reviewer]);
    let foreign = user("jean", "FR", &[Role::Reviewer]);
    let mut n =
        Notice::draft(person_notice("MA", NoticeType::WantedPerson, Tlp::Amber, Distribution::All), &author).unwrap();
    assert_eq!(n.status_at(now()), Status::Draft);
    assert!(n.approve(&reviewer, &NeutralityChecklist::CLEAR, now()).is_err(), "a draft cannot be approved");
    n.submit(&author).unwrap();
    let e = n.approve(&author, &NeutralityChecklist::CLEAR, now()).unwrap_err();
    assert!(e.to_string().contains("four eyes"), "{e}");
    assert!(n.approve(&foreign, &NeutralityChecklist::CLEAR, now()).is_err(), "another agency cannot approve");
    let half = NeutralityChecklist { not_religious: false, ..NeutralityChecklist::CLEAR };
    let e = n.approve(&reviewer, &half, now()).unwrap_err();
    assert!(e.to_string().contains("not_religious"), "{e}");
    assert!(n.reject(&reviewer, "  ").is_err(), "rejection needs reasons");
    n.reject(&reviewer, "warrant reference missing").unwrap();
    assert_eq!(n.status_at(now()), Status::Draft);
    n.submit(&author).unwrap();
    n.approve(&reviewer, &NeutralityChecklist::CLEAR, now()).unwrap();
    assert_eq!(n.status_at(now()), Status::Published);
    // Expires by itself at the end of the review period ...
    let later = now().checked_add((366 * 24).hours()).unwrap();
    assert_eq!(n.status_at(later), Status::Expired);
    assert!(n.extend(&reviewer, "", 30, later).is_err(), "an extension needs a recorded decision");
    // ... unless a recorded decision extends it.
    n.extend(&reviewer, "decision 2027/14: case still open", 365, later).unwrap();
    assert_eq!(n.status_at(later), Status::Published);
    // Amending a published notice sends it back to review.
    let mut c = n.content().clone();
    c.title = "Abdellatif Hammouchi (amended)".into();
    n.amend(&author, c).unwrap();
    assert_eq!(n.status_at(later), Status::InReview);
    n.cancel(&reviewer, "arrested").unwrap();
    assert_eq!(n.status_at(later), Status::Cancelled);
    assert!(n.cancel(&reviewer, "again").is_err());
}

#[test]
fn content_invariants_are_enforced() {
    let author = user("amina", "MA", &[Role::Analyst]);
    let ok = person_notice("MA", NoticeType::WantedPerson, Tlp::Amber, Distribution::All);
    assert!(Notice::draft(ok.clone(), &author).is_ok());
    type Breaker = Box<dyn Fn(&mut UncheckedNotice)>;
    let cases: Vec<(&str, Breaker)> = vec![
        ("judicial", Box::new(|c| c.judicial = None)),
        ("person", Box::new(|c| c.person = None)),
        ("person.names", Box::new(|c| c.person.as_mut().unwrap().names[1].original = true)),
        ("person.dobs", Box::new(|c| c.person.as_mut().unwrap().dobs = vec!["1975-02-30".into()])),
        ("person.nationalities", Box::new(|c| c.person.as_mut().unwrap().nationalities = vec!["Maroc".into()])),
        ("handling.restriction", Box::new(|c| c.handling = Handling::H3(String::new()))),
        ("distribution", Box::new(|c| c.tlp = Tlp::Red)),
        ("review_days", Box::new(|c| c.review_days = 0)),
        ("title", Box::new(|c| c.title = "x".repeat(MAX_SHORT_TEXT_BYTES + 1))),
        ("action", Box::new(|c| c.action = String::new())),
    ];
    for (field, break_it) in cases {
        let mut c = ok.clone();
        break_it(&mut c);
        let e = Notice::draft(c, &author).unwrap_err();
        assert!(e.to_string().starts_with(field), "{field}: {e}");
    }
    let officer = user("omar", "MA", &[Role::Officer]);
    assert!(Notice::draft(ok, &officer).is_err(), "officers do not draft notices");
}

#[test]
fn wire_form_round_trips() {
    let c = person_notice("MA", NoticeType::WantedPerson, Tlp::AmberStrict, Distribution::AllExcept(vec![code("XX")]));
    let json = serde_json::to_string(&c).unwrap();
    assert!(json.contains(r#""tlp":"AMBER+STRICT""#), "{json}");
    assert!(json.contains(r#""distribution":{"kind":"all-except","agencies":["XX"]}"#), "{json}");
    let back: UncheckedNotice = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    let bad = json.replace(r#""owner":"MA""#, r#""owner":"m a""#);
    assert!(serde_json::from_str::<UncheckedNotice>(&bad).is_err());
}

// ---- visibility against a reference model ----

const AGENCIES: [&str; 4] = ["AA", "BB", "CC", "DD"];

#[derive(Debug, Clone)]
struct World {
    agreements: Vec<Agreement>,
    notices: Vec<Notice>,
    viewer: (usize, Vec<Role>),
    day_offset: i64,
}

fn arb_agreement() -> impl Strategy<Value = Agreement> {
    (
        0..4usize,
        1..4usize,
        prop::collection::vec(0..9usize, 0..5),
        prop::collection::vec(0..9usize, 0..5),
        0..5usize,
        -40i64..40,
        prop::option::of(0i64..80),
    )
        .prop_map(|(a, db, ab, ba, tlp, from, len)| {
            let from_day = date(2026, 6, 1).checked_add(from.days()).unwrap();
            Agreement::new(UncheckedAgreement {
                a: AGENCIES[a].into(),
                b: AGENCIES[(a + db) % 4].into(),
                a_to_b: ab.into_iter().map(|i| NoticeType::ALL[i]).collect(),
                b_to_a: ba.into_iter().map(|i| NoticeType::ALL[i]).collect(),
                tlp_max: Tlp::ALL[tlp],
                in_force_from: from_day,
                in_force_to: len.map(|l| from_day.checked_add(l.days()).unwrap()),
                signatories: vec!["minister".into()],
            })
            .unwrap()
        })
}

fn arb_notice() -> impl Strategy<Value = Notice> {
    (0..4usize, 0..5usize, 0..5usize, 0..3usize, prop::collection::vec(0..4usize, 1..3), 0..5usize, 1u32..60).prop_map(
        |(owner, kind, tlp, dist, listed, state, days)| {
            let kinds = [
                NoticeType::WantedPerson,
                NoticeType::MissingPerson,
                NoticeType::SanctionsListing,
                NoticeType::PersonWarning,
                NoticeType::PersonInformation,
            ];
            let listed: Vec<AgencyCode> = listed.into_iter().map(|i| code(AGENCIES[i])).collect();
            let mut tlp = Tlp::ALL[tlp];
            let distribution = match dist {
                0 => Distribution::All,
                1 => Distribution::Named(listed),
                _ => Distribution::AllExcept(listed),
            };
            if tlp == Tlp::Red && !matches!(distribution, Distribution::Named(_)) {
                tlp = Tlp::AmberStrict;
            }
            let mut c = person_notice(AGENCIES[owner], kinds[kind], tlp, distribution);
            c.review_days = days;
            let author = user("author", AGENCIES[owner], &[Role::Analyst]);
            let reviewer = user("reviewer", AGENCIES[owner], &[Role::Reviewer]);
            let mut n = Notice::draft(c, &author).unwrap();
            let t = now();
            if state >= 1 {
                n.submit(&author).unwrap();
            }
            if state >= 2 {
                n.approve(&reviewer, &NeutralityChecklist::CLEAR, t).unwrap();
            }
            if state == 4 {
                n.cancel(&reviewer, "withdrawn").unwrap();
            }
            n
        },
    )
}

fn arb_world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(arb_agreement(), 0..6),
        prop::collection::vec(arb_notice(), 1..8),
        0..4usize,
        prop::collection::vec(0..5usize, 0..3),
        -5i64..70,
    )
        .prop_map(|(agreements, notices, v, roles, day_offset)| World {
            agreements,
            notices,
            viewer: (v, roles.into_iter().map(|i| Role::ALL[i]).collect()),
            day_offset,
        })
}

/// The reference: every (owner, recipient, type, label) that some agreement allows
/// on the day, enumerated as a set; then the rule written as plain conditions.
fn reference(w: &World, n: &Notice, at: Timestamp) -> Option<FieldSet> {
    let me = code(AGENCIES[w.viewer.0]);
    let c = n.content();
    if c.owner == me {
        return Some(FieldSet::Full);
    }
    let day = at.to_zoned(jiff::tz::TimeZone::UTC).date();
    let mut allowed = HashSet::new();
    for a in &w.agreements {
        let starts = a.in_force_from <= day;
        let ends = match a.in_force_to {
            Some(to) => day <= to,
            None => true,
        };
        if !(starts && ends) {
            continue;
        }
        for t in Tlp::ALL.into_iter().filter(|t| *t <= a.tlp_max) {
            for k in &a.a_to_b {
                allowed.insert((a.a.clone(), a.b.clone(), *k, t));
            }
            for k in &a.b_to_a {
                allowed.insert((a.b.clone(), a.a.clone(), *k, t));
            }
        }
    }
    let published = n.lifecycle().status == Status::Published && n.expires_at().is_some_and(|e| at < e);
    let in_distribution = match &c.distribution {
        Distribution::All => c.tlp != Tlp::Red,
        Distribution::Named(v) => v.contains(&me),
        Distribution::AllExcept(v) => !v.contains(&me) && c.tlp != Tlp::Red,
    };
    if !(published && in_distribution && allowed.contains(&(c.owner.clone(), me, c.kind, c.tlp))) {
        return None;
    }
    let r = &w.viewer.1;
    if r.iter().any(|r| matches!(r, Role::Analyst | Role::Reviewer | Role::Admin)) {
        Some(FieldSet::Shared)
    } else if r.contains(&Role::Officer) {
        Some(FieldSet::Screening)
    } else {
        None
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
    #[test]
    fn visibility_matches_the_reference_model(w in arb_world()) {
        let me = code(AGENCIES[w.viewer.0]);
        let at = now().checked_add((w.day_offset * 24).hours()).unwrap();
        let viewer = Viewer { agency: &me, roles: &w.viewer.1 };
        for n in &w.notices {
            let got = visibility(&viewer, n, &w.agreements, at);
            prop_assert_eq!(got, reference(&w, n, at), "notice {:?}", n.content().distribution);
            if got == Some(FieldSet::Screening) {
                prop_assert!(n.redacted(FieldSet::Screening).judicial.is_none());
            }
        }
    }
}

#[test]
fn visibility_examples() {
    let a = code("AA");
    let b = code("BB");
    let c = code("CC");
    let agreement = Agreement::new(UncheckedAgreement {
        a: "AA".into(),
        b: "BB".into(),
        a_to_b: vec![NoticeType::WantedPerson],
        b_to_a: vec![],
        tlp_max: Tlp::Amber,
        in_force_from: date(2026, 1, 1),
        in_force_to: None,
        signatories: vec!["x".into()],
    })
    .unwrap();
    let author = user("author", "AA", &[Role::Analyst]);
    let reviewer = user("reviewer", "AA", &[Role::Reviewer]);
    let mut n =
        Notice::draft(person_notice("AA", NoticeType::WantedPerson, Tlp::Amber, Distribution::All), &author).unwrap();
    let officer = [Role::Officer];
    let see = |n: &Notice, who: &AgencyCode| {
        visibility(&Viewer { agency: who, roles: &officer }, n, std::slice::from_ref(&agreement), now())
    };
    assert_eq!(see(&n, &a), Some(FieldSet::Full), "the owner sees its drafts");
    assert_eq!(see(&n, &b), None, "a draft does not circulate");
    n.submit(&author).unwrap();
    n.approve(&reviewer, &NeutralityChecklist::CLEAR, now()).unwrap();
    assert_eq!(see(&n, &b), Some(FieldSet::Screening));
    assert_eq!(see(&n, &c), None, "no agreement with CC");
    let mut m = n.clone();
    m.amend(&author, person_notice("AA", NoticeType::WantedPerson, Tlp::AmberStrict, Distribution::All)).unwrap();
    assert_eq!(see(&m, &b), None, "back in review");
    n.cancel(&reviewer, "withdrawn").unwrap();
    assert_eq!(see(&n, &b), None, "cancellation reaches every copy");
}
