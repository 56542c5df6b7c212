//! FollowTheMoney entities as JSON lines — the format OpenSanctions publishes its
//! data sets in. `Person` entities become notices of the type chosen at import;
//! other schemas are counted and left out.

use std::io::BufRead;

use anyhow::{bail, Result};
use model::{DocumentParticulars, PersonParticulars, Sex, UncheckedNotice};
use serde_json::{json, Map, Value};

use super::{bounded, push_name, Defaults, Read};

/// What a read found.
pub struct FtmRead {
    pub notices: Vec<Read>,
    pub other_schemas: usize,
    pub items_dropped: usize,
}

fn strings<'a>(props: &'a Map<String, Value>, key: &str, at: &str) -> Result<Vec<&'a str>> {
    match props.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(v)) => v
            .iter()
            .map(|x| x.as_str().ok_or_else(|| anyhow::anyhow!("{at}: properties.{key}: expected a list of strings")))
            .collect(),
        Some(_) => bail!("{at}: properties.{key}: expected a list of strings"),
    }
}

pub fn read(input: impl BufRead, file: &str, d: &Defaults) -> Result<FtmRead> {
    let mut out = FtmRead { notices: Vec::new(), other_schemas: 0, items_dropped: 0 };
    for item in super::nonblank_lines(input, file) {
        let (lineno, line) = item?;
        let v: Value = serde_json::from_str(&line).map_err(|e| anyhow::anyhow!("{file}:{lineno}: JSON: {e}"))?;
        let Some(obj) = v.as_object() else { bail!("{file}:{lineno}: expected a JSON object") };
        let id = obj.get("id").and_then(Value::as_str).unwrap_or("");
        if id.is_empty() {
            bail!("{file}:{lineno}: id: missing");
        }
        let at = format!("{file}:{lineno}: entity {id}");
        let schema = obj.get("schema").and_then(Value::as_str).unwrap_or("");
        if schema != "Person" {
            if schema.is_empty() {
                bail!("{at}: schema: missing");
            }
            out.other_schemas += 1;
            continue;
        }
        let Some(props) = obj.get("properties").and_then(Value::as_object) else { bail!("{at}: properties: missing") };
        let mut names = Vec::new();
        let primary = strings(props, "name", &at)?;
        if primary.is_empty() {
            bail!("{at}: properties.name: missing");
        }
        for (j, n) in primary.iter().enumerate() {
            if !push_name(&mut names, n, j == 0) {
                out.items_dropped += 1;
            }
        }
        for key in ["alias", "previousName", "weakAlias"] {
            for n in strings(props, key, &at)? {
                if !push_name(&mut names, n, false) {
                    out.items_dropped += 1;
                }
            }
        }
        let mut dobs = Vec::new();
        for b in strings(props, "birthDate", &at)? {
            model::check_dob(b).map_err(|e| anyhow::anyhow!("{at}: properties.birthDate: {e}"))?;
            dobs.push(b.to_string());
        }
        let mut nationalities: Vec<String> = Vec::new();
        for key in ["nationality", "citizenship"] {
            for c in strings(props, key, &at)? {
                let c = c.to_ascii_uppercase();
                if !(2..=3).contains(&c.len()) || !c.chars().all(|x| x.is_ascii_uppercase()) {
                    bail!("{at}: properties.{key}: {c:?} is not an ISO country code");
                }
                if !nationalities.contains(&c) {
                    nationalities.push(c);
                }
            }
        }
        let mut documents = Vec::new();
        for (key, kind) in [("passportNumber", "passport"), ("idNumber", "id-card")] {
            for num in strings(props, key, &at)? {
                documents.push(DocumentParticulars {
                    number: num.to_string(),
                    kind: kind.into(),
                    country: String::new(),
                    holder: None,
                });
            }
        }
        let sex = match strings(props, "gender", &at)?.first().copied() {
            Some("male") => Some(Sex::M),
            Some("female") => Some(Sex::F),
            Some(_) => Some(Sex::U),
            None => None,
        };
        let (dobs, d1) = bounded(dobs, model::MAX_ITEMS);
        out.items_dropped += d1;
        let (nationalities, d3) = bounded(nationalities, model::MAX_ITEMS);
        out.items_dropped += d3;
        let (documents, d2) = bounded(documents, model::MAX_ITEMS);
        out.items_dropped += d2;
        let mut n = d.notice(primary[0].to_string(), format!("ftm:{id}"));
        let notes: Vec<&str> = strings(props, "notes", &at)?;
        n.summary = model::truncate_bytes(notes.join("\n"), model::MAX_TEXT_BYTES);
        n.person = Some(PersonParticulars { names, dobs, nationalities, sex, documents, ..Default::default() });
        out.notices.push(Read { line: lineno, notice: n });
    }
    Ok(out)
}

/// A notice as a FollowTheMoney `Person` entity (`None` for notices without a person).
pub fn entity(id: &str, n: &UncheckedNotice) -> Option<Value> {
    let p = n.person.as_ref()?;
    let original: Vec<&str> = p.names.iter().filter(|x| x.original).map(|x| x.name.as_str()).collect();
    let others: Vec<&str> = p.names.iter().filter(|x| !x.original).map(|x| x.name.as_str()).collect();
    let docs = |kind: &str| -> Vec<&str> {
        p.documents.iter().filter(|d| d.kind == kind).map(|d| d.number.as_str()).collect()
    };
    let mut props = json!({
        "name": original,
        "alias": others,
        "birthDate": p.dobs,
        "nationality": p.nationalities.iter().map(|c| c.to_ascii_lowercase()).collect::<Vec<_>>(),
        "passportNumber": docs("passport"),
        "idNumber": docs("id-card"),
    });
    if let Some(sex) = p.sex {
        props["gender"] = json!([match sex {
            Sex::M => "male",
            Sex::F => "female",
            Sex::U => "other",
        }]);
    }
    if !n.summary.is_empty() {
        props["notes"] = json!([n.summary]);
    }
    if let Some(obj) = props.as_object_mut() {
        obj.retain(|_, v| v.as_array().is_none_or(|a| !a.is_empty()));
    }
    Some(json!({"id": id, "schema": "Person", "caption": n.title, "properties": props}))
}
