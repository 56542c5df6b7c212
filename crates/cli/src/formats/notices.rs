//! Liaison's own notice formats.
//!
//! JSON lines: one notice per line, exactly the `UncheckedNotice` wire form
//! (`{"type": "wanted-person", "owner": "MA", "title": …}`).
//!
//! CSV, one notice per row, with a header naming these columns (order free):
//! `type, title, names, dobs, nationalities, sex, documents, warnings, action,
//! summary, tlp, handling, distribution, review_days, source_ref, offence, law,
//! max_penalty, warrant_ref, warrant_authority, facts`. Lists are separated by
//! `|`; the first name is the original one; a document is `kind:country:number`;
//! handling is `H0`…`H3`, H3 as `H3:restriction`; distribution is `all`,
//! `named:MA,TN` or `all-except:DZ`. The owner is the importing agency.

use std::io::{BufRead, Read as _};

use anyhow::{bail, Context, Result};
use model::{
    AgencyCode, Distribution, DocumentParticulars, Handling, Judicial, NameRecord, NoticeType, PersonParticulars, Sex,
    Tlp, UncheckedNotice, Warning,
};

use super::{push_name, Read};

pub const CSV_COLUMNS: [&str; 21] = [
    "type",
    "title",
    "names",
    "dobs",
    "nationalities",
    "sex",
    "documents",
    "warnings",
    "action",
    "summary",
    "tlp",
    "handling",
    "distribution",
    "review_days",
    "source_ref",
    "offence",
    "law",
    "max_penalty",
    "warrant_ref",
    "warrant_authority",
    "facts",
];

pub fn read_jsonl(input: impl BufRead, file: &str, owner: &AgencyCode) -> Result<Vec<Read>> {
    let mut out = Vec::new();
    for item in super::nonblank_lines(input, file) {
        let (lineno, line) = item?;
        let n: UncheckedNotice = serde_json::from_str(&line).map_err(|e| anyhow::anyhow!("{file}:{lineno}: {e}"))?;
        if &n.owner != owner {
            bail!("{file}:{lineno}: owner: {} is not the importing agency {owner}", n.owner);
        }
        out.push(Read { line: lineno, notice: n });
    }
    Ok(out)
}

fn list(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').map(str::trim).filter(|x| !x.is_empty())
}

pub fn read_csv(input: impl std::io::Read, file: &str, owner: &AgencyCode) -> Result<Vec<Read>> {
    let mut text = String::new();
    input.take(super::MAX_IMPORT_BYTES).read_to_string(&mut text).with_context(|| format!("reading {file}"))?;
    let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let headers = r.headers().with_context(|| format!("{file}:1: header"))?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let mut idx = Vec::new();
    for c in CSV_COLUMNS {
        idx.push(col(c));
    }
    for required in ["type", "title", "names", "action", "tlp", "handling", "distribution", "review_days"] {
        if col(required).is_none() {
            bail!("{file}:1: header: column {required:?} missing (columns: {})", CSV_COLUMNS.join(", "));
        }
    }
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
        let lineno = rec.position().map_or(0, |p| p.line() as usize);
        let get = |c: &str| -> &str {
            CSV_COLUMNS.iter().position(|x| *x == c).and_then(|i| idx[i]).and_then(|i| rec.get(i)).unwrap_or("").trim()
        };
        let at = |c: &str| format!("{file}:{lineno}: {c}");
        // Model errors name their field already.
        let here = |e: model::ModelError| anyhow::anyhow!("{file}:{lineno}: {e}");
        let kind = NoticeType::parse(get("type")).map_err(here)?;
        let mut names: Vec<NameRecord> = Vec::new();
        for (j, n) in list(get("names")).enumerate() {
            if !push_name(&mut names, n, j == 0) {
                bail!("{}: more than {} names", at("names"), model::MAX_NAMES);
            }
        }
        let sex = match get("sex").to_ascii_lowercase().as_str() {
            "" => None,
            "f" => Some(Sex::F),
            "m" => Some(Sex::M),
            "u" => Some(Sex::U),
            other => bail!("{}: {other:?} is not f, m or u", at("sex")),
        };
        let mut documents = Vec::new();
        for d in list(get("documents")) {
            let mut p = d.splitn(3, ':');
            match (p.next(), p.next(), p.next()) {
                (Some(kind), Some(country), Some(number)) => documents.push(DocumentParticulars {
                    number: number.into(),
                    kind: kind.into(),
                    country: country.into(),
                    holder: None,
                }),
                _ => bail!("{}: {d:?} is not kind:country:number", at("documents")),
            }
        }
        let person = if names.is_empty() {
            None
        } else {
            Some(PersonParticulars {
                names,
                dobs: list(get("dobs")).map(String::from).collect(),
                nationalities: list(get("nationalities")).map(String::from).collect(),
                sex,
                documents: documents.clone(),
                ..Default::default()
            })
        };
        let document = if kind == NoticeType::TravelDocument { documents.into_iter().next() } else { None };
        let warnings = list(get("warnings")).map(Warning::parse).collect::<Result<Vec<_>, _>>().map_err(here)?;
        let handling = match get("handling") {
            "H0" => Handling::H0,
            "H1" => Handling::H1,
            "H2" => Handling::H2,
            h if h.starts_with("H3:") => Handling::H3(h[3..].trim().into()),
            h => bail!("{}: {h:?} is not H0, H1, H2 or H3:restriction", at("handling")),
        };
        let codes = |s: &str| -> Result<Vec<AgencyCode>> {
            s.split(',')
                .map(|c| AgencyCode::new(c).map_err(|e| anyhow::anyhow!("{}: {e}", at("distribution"))))
                .collect()
        };
        let dist = get("distribution");
        let distribution = if dist == "all" {
            Distribution::All
        } else if let Some(rest) = dist.strip_prefix("named:") {
            Distribution::Named(codes(rest)?)
        } else if let Some(rest) = dist.strip_prefix("all-except:") {
            Distribution::AllExcept(codes(rest)?)
        } else {
            bail!("{}: {dist:?} is not all, named:A,B or all-except:A,B", at("distribution"));
        };
        let review_days: u32 = get("review_days")
            .parse()
            .map_err(|_| anyhow::anyhow!("{}: {:?} is not a number of days", at("review_days"), get("review_days")))?;
        let judicial = if get("offence").is_empty() {
            None
        } else {
            Some(Judicial {
                offence: get("offence").into(),
                law: get("law").into(),
                max_penalty: get("max_penalty").into(),
                warrant_ref: get("warrant_ref").into(),
                warrant_authority: get("warrant_authority").into(),
                facts: get("facts").into(),
            })
        };
        let n = UncheckedNotice {
            kind,
            owner: owner.clone(),
            title: get("title").into(),
            person,
            document,
            judicial,
            summary: get("summary").into(),
            warnings,
            action: get("action").into(),
            distribution,
            tlp: Tlp::parse(get("tlp")).map_err(here)?,
            handling,
            review_days,
            source_ref: Some(get("source_ref")).filter(|s| !s.is_empty()).map(String::from),
        };
        out.push(Read { line: lineno, notice: n });
    }
    Ok(out)
}

/// A notice as a CSV row in [`CSV_COLUMNS`] order.
pub fn csv_row(n: &UncheckedNotice) -> Vec<String> {
    let join = |v: Vec<String>| v.join("|");
    let p = n.person.as_ref();
    let mut names: Vec<&NameRecord> = p.map(|p| p.names.iter().collect()).unwrap_or_default();
    names.sort_by_key(|x| !x.original);
    let mut docs: Vec<&DocumentParticulars> = p.map(|p| p.documents.iter().collect()).unwrap_or_default();
    if let Some(d) = &n.document {
        if !docs.contains(&d) {
            docs.insert(0, d);
        }
    }
    let codes = |v: &[AgencyCode]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(",");
    let j = n.judicial.clone().unwrap_or_default();
    vec![
        n.kind.as_str().into(),
        n.title.clone(),
        join(names.iter().map(|x| x.name.clone()).collect()),
        join(p.map(|p| p.dobs.clone()).unwrap_or_default()),
        join(p.map(|p| p.nationalities.clone()).unwrap_or_default()),
        match p.and_then(|p| p.sex) {
            Some(Sex::F) => "f".into(),
            Some(Sex::M) => "m".into(),
            Some(Sex::U) => "u".into(),
            None => String::new(),
        },
        join(docs.iter().map(|d| format!("{}:{}:{}", d.kind, d.country, d.number)).collect()),
        join(n.warnings.iter().map(|w| w.as_str().to_string()).collect()),
        n.action.clone(),
        n.summary.clone(),
        n.tlp.as_str().into(),
        match &n.handling {
            Handling::H0 => "H0".into(),
            Handling::H1 => "H1".into(),
            Handling::H2 => "H2".into(),
            Handling::H3(t) => format!("H3:{t}"),
        },
        match &n.distribution {
            Distribution::All => "all".into(),
            Distribution::Named(v) => format!("named:{}", codes(v)),
            Distribution::AllExcept(v) => format!("all-except:{}", codes(v)),
        },
        n.review_days.to_string(),
        n.source_ref.clone().unwrap_or_default(),
        j.offence,
        j.law,
        j.max_penalty,
        j.warrant_ref,
        j.warrant_authority,
        j.facts,
    ]
}
