//! `liaison demo`: the main job on its embedded default. Makes a data directory
//! with three demo agencies (MA and TN with an agreement, FR without), their
//! users, and a generated set of notices in Arabic and Latin script, then
//! starts the server and prints the address and the demo credentials. A second
//! run reuses the directory.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use audit::Action;
use model::*;
use store::{ImportItem, Store};

use crate::data::{now_ms, operator_entry, runtime, DataDir};
use crate::synth::{self, Rng};
use crate::with_store;

/// The password of every demo user (the demo is for trying Liaison on one machine).
pub const DEMO_PASSWORD: &str = "liaison-demo-2026";
/// Most generated notices.
pub const MAX_DEMO_NOTICES: usize = 2_000_000;
/// Notices stored per import transaction.
const DEMO_BATCH: usize = 50_000;

#[derive(clap::Args)]
pub struct Args {
    /// The demo's data directory (made if missing, reused otherwise).
    #[arg(long, default_value = "liaison-demo")]
    data_dir: PathBuf,
    /// Generated notices beside the named demo notices.
    #[arg(long, default_value_t = 100_000)]
    notices: usize,
    /// Address to listen on.
    #[arg(long, env = crate::serve_cmd::LISTEN_ENV, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

const AGENCIES: [(&str, &str, &str, &str); 3] = [
    (
        "MA",
        "المديرية العامة للأمن الوطني",
        "Direction générale de la sûreté nationale",
        "General Directorate for National Security (Morocco)",
    ),
    (
        "TN",
        "الإدارة العامة للأمن الوطني",
        "Direction générale de la sûreté nationale (Tunisie)",
        "Directorate General of National Security (Tunisia)",
    ),
    ("FR", "الشرطة الوطنية", "Police nationale", "National Police (France)"),
];

const ROLES: [Role; 5] = [Role::Officer, Role::Analyst, Role::Reviewer, Role::Admin, Role::Auditor];

fn named_notices() -> Vec<UncheckedNotice> {
    let owner = |c: &str| AgencyCode::new(c).unwrap_or_else(|_| unreachable!("demo agency codes are valid"));
    let person = |names: &[(&str, bool)], dob: &str, doc: &str| PersonParticulars {
        names: names
            .iter()
            .map(|(n, original)| NameRecord {
                name: n.to_string(),
                script: crate::formats::script_of(n),
                original: *original,
            })
            .collect(),
        dobs: vec![dob.into()],
        nationalities: vec!["MA".into()],
        sex: Some(Sex::M),
        documents: vec![DocumentParticulars {
            number: doc.into(),
            kind: "passport".into(),
            country: "MA".into(),
            holder: None,
        }],
        description: "1.78 m, scar on the left hand".into(),
        photo_ref: None,
    };
    let wanted = |o: &str, title: &str, p: PersonParticulars, r: &str| UncheckedNotice {
        kind: NoticeType::WantedPerson,
        owner: owner(o),
        title: title.into(),
        person: Some(p),
        document: None,
        judicial: Some(Judicial {
            offence: "Organised fraud".into(),
            law: "Penal Code, art. 540".into(),
            max_penalty: "5 years".into(),
            warrant_ref: format!("W-2026-{r}"),
            warrant_authority: "Investigating judge, Rabat".into(),
            facts: "Demo notice.".into(),
        }),
        summary: String::new(),
        warnings: vec![Warning::EscapeRisk],
        action: "Detain with a view to extradition; call the owning agency's duty desk at once".into(),
        distribution: Distribution::All,
        tlp: Tlp::Amber,
        handling: Handling::H1,
        review_days: 365,
        source_ref: Some(format!("demo:{r}")),
    };
    vec![
        wanted("MA", "عبد اللطيف حموشي", person(&[("عبد اللطيف حموشي", true)], "1966-01-01", "XK1234567"), "0001"),
        wanted("MA", "Abdellatif Hammoumi", person(&[("Abdellatif Hammoumi", true)], "1970-02-03", "MA998877"), "0002"),
        wanted(
            "TN",
            "نور الدين بن علي الإدريسي",
            person(&[("نور الدين بن علي الإدريسي", true), ("Noureddine Ben Ali Drissi", false)], "1975", "TN5544332"),
            "0003",
        ),
    ]
}

pub(crate) async fn populate<S: Store>(s: &S, n: usize, seed: u64) -> Result<()> {
    let t0 = Instant::now();
    for (code, ar, fr, en) in AGENCIES {
        let a = Agency::new(UncheckedAgency {
            code: code.into(),
            country: code.into(),
            name_ar: ar.into(),
            name_fr: fr.into(),
            name_en: en.into(),
        })?;
        s.put_agency(&a, operator_entry(Action::Admin, format!("agency {code}"), 1)).await?;
    }
    let hash = crate::admin_cmd::hash_password(DEMO_PASSWORD)?;
    let mut reviewers = Vec::new();
    for (code, ..) in AGENCIES {
        for role in ROLES {
            let username = format!("{}.{}", code.to_lowercase(), role.as_str());
            let u = User::new(UncheckedUser {
                username: username.clone(),
                agency: code.into(),
                display_name: format!("{code} {}", role.as_str()),
                roles: vec![role],
            })?;
            s.put_user(&u, Some(&hash), operator_entry(Action::Admin, format!("user {username}"), 1)).await?;
            if role == Role::Reviewer {
                reviewers.push(u);
            }
        }
    }
    let person_types: Vec<NoticeType> = NoticeType::ALL
        .into_iter()
        .filter(|t| !matches!(t, NoticeType::ThreatWarning | NoticeType::ModusOperandi))
        .collect();
    let agreement = Agreement::new(UncheckedAgreement {
        a: "MA".into(),
        b: "TN".into(),
        a_to_b: person_types.clone(),
        b_to_a: person_types,
        tlp_max: Tlp::Amber,
        in_force_from: jiff::civil::date(2026, 1, 1),
        in_force_to: Some(jiff::civil::date(2030, 12, 31)),
        signatories: vec!["DGSN Rabat".into(), "DGSN Tunis".into()],
    })?;
    s.add_agreement(&agreement, operator_entry(Action::Admin, "agreement MA-TN", 1)).await?;
    let reviewer = |code: &str| reviewers.iter().find(|u| u.agency.as_str() == code).cloned();
    let now = jiff::Timestamp::now();
    let publish = |c: UncheckedNotice| -> Result<ImportItem> {
        let r = reviewer(c.owner.as_str()).context("demo reviewer")?;
        Ok(ImportItem { notice: Notice::imported(c, "demo", &r, now)? })
    };
    let mut items: Vec<ImportItem> = named_notices().into_iter().map(publish).collect::<Result<_>>()?;
    // The named notices' families stay out of the crowd, so what a query finds is the notice.
    let exclude: Vec<usize> =
        synth::ROOTS.iter().enumerate().filter(|(_, (ar, _))| ["حموش", "إدريس"].contains(ar)).map(|(i, _)| i).collect();
    let mut rng = Rng::new(seed);
    let (ma, tn) = (AgencyCode::new("MA")?, AgencyCode::new("TN")?);
    let bar = crate::screen_cmd::bar(n as u64, "generating demo notices");
    for i in 0..n {
        let owner = if rng.below(10) < 7 { &ma } else { &tn };
        items.push(publish(synth::notice(&mut rng, i, owner, &exclude))?);
        if items.len() == DEMO_BATCH || i + 1 == n {
            s.import(std::mem::take(&mut items), "demo", now_ms(), operator_entry(Action::Import, "demo notices", 0))
                .await?;
        }
        bar.set_position(i as u64 + 1);
    }
    if !items.is_empty() {
        s.import(items, "demo", now_ms(), operator_entry(Action::Import, "demo notices", 0)).await?;
    }
    bar.finish_and_clear();
    eprintln!(
        "demo data: 3 agencies, 15 users, 1 agreement, {} notices, in {:.1} s",
        n + 3,
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Publishes notices of MA and TN as their demo reviewers, in batches.
pub(crate) async fn import_published<S: Store>(s: &S, notices: Vec<UncheckedNotice>) -> Result<()> {
    let now = jiff::Timestamp::now();
    let mut reviewers = std::collections::HashMap::new();
    for (code, ..) in AGENCIES {
        let name = format!("{}.reviewer", code.to_lowercase());
        let (u, _) = s.user(&name).await?.with_context(|| format!("demo user {name}"))?;
        reviewers.insert(code.to_string(), u);
    }
    let bar = crate::screen_cmd::bar(notices.len() as u64, "storing notices");
    let mut done = 0;
    for chunk in notices.chunks(DEMO_BATCH) {
        let items = chunk
            .iter()
            .map(|c| {
                let r = reviewers.get(c.owner.as_str()).context("owner without a demo reviewer")?;
                Ok(ImportItem { notice: Notice::imported(c.clone(), "bench", r, now)? })
            })
            .collect::<Result<Vec<_>>>()?;
        s.import(items, "bench", now_ms(), operator_entry(Action::Import, "bench notices", 0)).await?;
        done += chunk.len();
        bar.set_position(done as u64);
    }
    bar.finish_and_clear();
    Ok(())
}

fn banner(addr: SocketAddr) {
    eprintln!();
    eprintln!(
        "Liaison demo is up. Console: http://{addr}/   API: http://{addr}/api/v1  (OpenAPI: /api/v1/openapi.json)"
    );
    eprintln!("Agencies: MA and TN share person notices under an agreement (up to TLP:AMBER); FR has none.");
    eprintln!("Users: <agency>.<role> for agency ma, tn, fr and role officer, analyst, reviewer, admin, auditor");
    eprintln!("       (e.g. tn.officer, ma.analyst, fr.officer), all with the password {DEMO_PASSWORD}");
    eprintln!("Try:");
    eprintln!("  TOKEN=$(curl -s http://{addr}/api/v1/auth/login -H 'content-type: application/json' \\");
    eprintln!("          -d '{{\"username\":\"tn.officer\",\"password\":\"{DEMO_PASSWORD}\"}}' | sed 's/.*\"token\":\"\\([^\"]*\\)\".*/\\1/')");
    eprintln!("  curl -s http://{addr}/api/v1/screen -H \"authorization: Bearer $TOKEN\" -H 'content-type: application/json' \\");
    eprintln!("       -d '{{\"name\":\"Abdellatif Hammouchi\",\"purpose\":\"border check\"}}'");
    eprintln!("Stop with Ctrl-C; run `liaison demo` again to reuse the data.");
}

pub fn run(a: Args) -> Result<()> {
    anyhow::ensure!(a.notices <= MAX_DEMO_NOTICES, "--notices: at most {MAX_DEMO_NOTICES}");
    let fresh = !a.data_dir.join("liaison.toml").exists();
    let (data, _) = DataDir::init(&a.data_dir, None)?;
    runtime()?.block_on(async {
        let db = data.store().await?;
        with_store!(db, |s| {
            if fresh || s.count_notices().await? == 0 {
                populate(&s, a.notices, a.seed).await?;
            } else {
                eprintln!("reusing the demo data in {} ({} notices)", a.data_dir.display(), s.count_notices().await?);
            }
            crate::serve_cmd::serve(&data, s, a.listen, Some(Box::new(banner))).await
        })
    })
}
