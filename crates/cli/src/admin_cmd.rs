//! `liaison init`, `liaison agency`, `liaison user`, `liaison agreement`: the
//! administration verbs. Every change is audited in the same transaction.

use std::io::{BufRead, Write};

use anyhow::{bail, Context, Result};
use audit::Action;
use model::{
    Agency, AgencyCode, Agreement, NoticeType, Role, Tlp, UncheckedAgency, UncheckedAgreement, UncheckedUser, User,
};
use store::Store;

use crate::data::{checkpoint, operator_entry, runtime, DataArgs, DataDir};
use crate::with_store;

#[derive(clap::Args)]
pub struct InitArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Database URL to write into a new configuration (default: sqlite:liaison.db).
    #[arg(long)]
    database: Option<String>,
}

pub fn init(a: InitArgs) -> Result<()> {
    let (data, fresh) = DataDir::init(&a.data.data_dir, a.database.as_deref())?;
    runtime()?.block_on(async {
        let db = data.store().await?;
        with_store!(&db, |s| s.append_audit(vec![operator_entry(Action::Admin, "init", 0)]).await)?;
        anyhow::Ok(())
    })?;
    eprintln!(
        "{} {} (database {}, audit public key {})",
        if fresh { "created" } else { "kept" },
        data.dir.join("liaison.toml").display(),
        data.config.database.url,
        hex::encode(data.public_key()?)
    );
    Ok(())
}

#[derive(clap::Args)]
pub struct AgencyArgs {
    #[command(flatten)]
    data: DataArgs,
    #[command(subcommand)]
    command: AgencyCommand,
}

#[derive(clap::Subcommand)]
enum AgencyCommand {
    /// Adds or updates an agency.
    Add {
        /// Code, such as MA-DGSN.
        #[arg(long)]
        code: String,
        /// ISO 3166 alpha-2 country.
        #[arg(long)]
        country: String,
        /// Name in Arabic.
        #[arg(long)]
        name_ar: String,
        /// Name in French.
        #[arg(long)]
        name_fr: String,
        /// Name in English.
        #[arg(long)]
        name_en: String,
    },
    /// Lists agencies as JSON lines.
    List,
}

pub fn agency(a: AgencyArgs) -> Result<()> {
    let data = DataDir::open(&a.data.data_dir)?;
    runtime()?.block_on(async {
        let db = data.store().await?;
        with_store!(&db, |s| {
            match &a.command {
                AgencyCommand::Add { code, country, name_ar, name_fr, name_en } => {
                    let agency = Agency::new(UncheckedAgency {
                        code: code.clone(),
                        country: country.clone(),
                        name_ar: name_ar.clone(),
                        name_fr: name_fr.clone(),
                        name_en: name_en.clone(),
                    })?;
                    s.put_agency(&agency, operator_entry(Action::Admin, format!("agency {}", agency.code), 1)).await?;
                    checkpoint(&data, s).await?;
                    eprintln!("agency {} ({}) saved", agency.code, agency.name_en);
                }
                AgencyCommand::List => {
                    let mut out = std::io::stdout().lock();
                    for ag in s.agencies().await? {
                        writeln!(out, "{}", serde_json::to_string(&ag.to_unchecked())?)?;
                    }
                }
            }
            anyhow::Ok(())
        })
    })
}

#[derive(clap::Args)]
pub struct UserArgs {
    #[command(flatten)]
    data: DataArgs,
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(clap::Subcommand)]
enum UserCommand {
    /// Adds or updates a user.
    Add {
        /// Log-in name.
        #[arg(long)]
        username: String,
        /// Agency code.
        #[arg(long)]
        agency: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Role (repeat for several): officer, analyst, reviewer, admin, auditor.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lists users as JSON lines.
    List {
        /// Only this agency's.
        #[arg(long)]
        agency: Option<String>,
    },
}

/// Hashes a password with argon2id, with the server's bounds (`server::auth::hash_password`).
pub fn hash_password(pw: &str) -> Result<String> {
    server::auth::hash_password(pw).map_err(|e| anyhow::anyhow!("{e}"))
}

pub fn user(a: UserArgs) -> Result<()> {
    let data = DataDir::open(&a.data.data_dir)?;
    runtime()?.block_on(async {
        let db = data.store().await?;
        with_store!(&db, |s| {
            match &a.command {
                UserCommand::Add { username, agency, name, roles, password_stdin } => {
                    let roles = roles.iter().map(|r| Role::parse(r)).collect::<Result<Vec<_>, _>>()?;
                    let u = User::new(UncheckedUser {
                        username: username.clone(),
                        agency: agency.clone(),
                        display_name: name.clone(),
                        roles,
                    })?;
                    let hash = if *password_stdin {
                        let mut line = String::new();
                        std::io::stdin().lock().read_line(&mut line).context("reading the password")?;
                        Some(hash_password(line.trim_end_matches(['\n', '\r']))?)
                    } else {
                        None
                    };
                    if !s.agencies().await?.iter().any(|g| g.code == u.agency) {
                        bail!("agency {}: unknown; add it with `liaison agency add` first", u.agency);
                    }
                    s.put_user(&u, hash.as_deref(), operator_entry(Action::Admin, format!("user {}", u.username), 1))
                        .await?;
                    checkpoint(&data, s).await?;
                    let roles: Vec<_> = u.roles.iter().map(|r| r.as_str()).collect();
                    eprintln!("user {} of {} saved ({})", u.username, u.agency, roles.join(", "));
                }
                UserCommand::List { agency } => {
                    let agency = agency.as_deref().map(AgencyCode::new).transpose()?;
                    let mut out = std::io::stdout().lock();
                    for u in s.users(agency.as_ref()).await? {
                        writeln!(out, "{}", serde_json::to_string(&u.to_unchecked())?)?;
                    }
                }
            }
            anyhow::Ok(())
        })
    })
}

#[derive(clap::Args)]
pub struct AgreementArgs {
    #[command(flatten)]
    data: DataArgs,
    #[command(subcommand)]
    command: AgreementCommand,
}

#[derive(clap::Subcommand)]
enum AgreementCommand {
    /// Records an agreement between two agencies.
    Add {
        /// First party.
        #[arg(long)]
        a: String,
        /// Second party.
        #[arg(long)]
        b: String,
        /// Notice types A shares with B, comma-separated (wanted-person,missing-person,…).
        #[arg(long, default_value = "")]
        a_to_b: String,
        /// Notice types B shares with A.
        #[arg(long, default_value = "")]
        b_to_a: String,
        /// Most restrictive TLP label allowed: CLEAR, GREEN, AMBER, AMBER+STRICT, RED.
        #[arg(long)]
        tlp_max: String,
        /// First day in force (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last day in force, if it ends.
        #[arg(long)]
        to: Option<String>,
        /// A signatory (repeat for each).
        #[arg(long = "signatory", required = true)]
        signatories: Vec<String>,
    },
    /// Lists agreements as JSON lines.
    List,
}

fn types(field: &str, s: &str) -> Result<Vec<NoticeType>> {
    s.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| NoticeType::parse(t).with_context(|| format!("--{field}")))
        .collect()
}

fn day(field: &str, s: &str) -> Result<jiff::civil::Date> {
    s.parse().with_context(|| format!("--{field}: {s:?} is not YYYY-MM-DD"))
}

pub fn agreement(a: AgreementArgs) -> Result<()> {
    let data = DataDir::open(&a.data.data_dir)?;
    runtime()?.block_on(async {
        let db = data.store().await?;
        with_store!(&db, |s| {
            match &a.command {
                AgreementCommand::Add { a: pa, b, a_to_b, b_to_a, tlp_max, from, to, signatories } => {
                    let ag = Agreement::new(UncheckedAgreement {
                        a: pa.clone(),
                        b: b.clone(),
                        a_to_b: types("a-to-b", a_to_b)?,
                        b_to_a: types("b-to-a", b_to_a)?,
                        tlp_max: Tlp::parse(tlp_max)?,
                        in_force_from: day("from", from)?,
                        in_force_to: to.as_deref().map(|t| day("to", t)).transpose()?,
                        signatories: signatories.clone(),
                    })?;
                    let known = s.agencies().await?;
                    for c in [&ag.a, &ag.b] {
                        if !known.iter().any(|g| &g.code == c) {
                            bail!("agency {c}: unknown; add it with `liaison agency add` first");
                        }
                    }
                    let id = s
                        .add_agreement(&ag, operator_entry(Action::Admin, format!("agreement {}-{}", ag.a, ag.b), 1))
                        .await?;
                    checkpoint(&data, s).await?;
                    eprintln!(
                        "agreement {id}: {} → {}: [{}]; {} → {}: [{}]; up to TLP:{}; in force {}{}",
                        ag.a,
                        ag.b,
                        ag.a_to_b.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "),
                        ag.b,
                        ag.a,
                        ag.b_to_a.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "),
                        ag.tlp_max.as_str(),
                        ag.in_force_from,
                        ag.in_force_to.map(|t| format!(" to {t}")).unwrap_or_default()
                    );
                }
                AgreementCommand::List => {
                    let mut out = std::io::stdout().lock();
                    for (id, ag) in s.agreements().await? {
                        let mut v = serde_json::to_value(ag.to_unchecked())?;
                        v["id"] = id.into();
                        writeln!(out, "{v}")?;
                    }
                }
            }
            anyhow::Ok(())
        })
    })
}
