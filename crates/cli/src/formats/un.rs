//! The UN Security Council consolidated list, in its public XML format
//! (`<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>…`). Individuals become
//! notices with their original-script name marked original; entities
//! (organisations) are counted and left out, since notices are about persons
//! and documents.

use anyhow::{bail, Context, Result};
use model::{DocumentParticulars, PersonParticulars};
use quick_xml::events::Event;

use super::{bounded, push_name, Defaults, Read};

/// One XML element, with the line it starts on.
#[derive(Debug, Default)]
struct Node {
    name: String,
    text: String,
    line: usize,
    children: Vec<Node>,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    fn text_of(&self, name: &str) -> &str {
        self.child(name).map_or("", |c| c.text.trim())
    }
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Most nested elements.
const MAX_DEPTH: usize = 32;

fn parse_tree(text: &str, file: &str) -> Result<Node> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut stack = vec![Node { name: "#document".into(), ..Node::default() }];
    let (mut line, mut seen) = (1usize, 0usize);
    let mut line_at = |pos: usize| {
        let pos = pos.min(text.len());
        if pos > seen {
            line += text.as_bytes()[seen..pos].iter().filter(|&&b| b == b'\n').count();
            seen = pos;
        }
        line
    };
    loop {
        let pos = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| anyhow::anyhow!("{file}:{}: XML: {e}", line_at(pos)))?;
        // The line where the event ends: that of its start tag's closing '>'.
        let here = line_at(usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX).saturating_sub(1));
        match event {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH {
                    bail!("{file}:{here}: XML nested deeper than {MAX_DEPTH}");
                }
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                stack.push(Node { name, line: here, ..Node::default() });
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node { name, line: here, ..Node::default() });
                }
            }
            Event::Text(t) => {
                let s = t.unescape().map_err(|e| anyhow::anyhow!("{file}:{here}: XML text: {e}"))?;
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::End(_) => {
                let done = stack.pop().context("unbalanced XML")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => bail!("{file}:{here}: XML: unbalanced end tag"),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        bail!("{file}: XML ends inside <{}>", stack.last().map_or("", |n| n.name.as_str()));
    }
    stack.pop().context("empty XML")
}

/// What a read of the list found.
pub struct UnList {
    pub notices: Vec<Read>,
    pub entities_skipped: usize,
    pub items_dropped: usize,
}

pub fn read(text: &str, file: &str, d: &Defaults) -> Result<UnList> {
    let doc = parse_tree(text, file)?;
    let root = doc
        .child("CONSOLIDATED_LIST")
        .with_context(|| format!("{file}: not a UN consolidated list (no <CONSOLIDATED_LIST>)"))?;
    let mut out = UnList { notices: Vec::new(), entities_skipped: 0, items_dropped: 0 };
    if let Some(entities) = root.child("ENTITIES") {
        out.entities_skipped = entities.all("ENTITY").count();
    }
    let Some(individuals) = root.child("INDIVIDUALS") else { return Ok(out) };
    for ind in individuals.all("INDIVIDUAL") {
        let reference = match (ind.text_of("REFERENCE_NUMBER"), ind.text_of("DATAID")) {
            ("", "") => bail!("{file}:{}: INDIVIDUAL: REFERENCE_NUMBER: missing (and no DATAID)", ind.line),
            ("", id) => id.to_string(),
            (r, _) => r.to_string(),
        };
        let at = |field: &str, line: usize| format!("{file}:{line}: INDIVIDUAL {reference}: {field}");
        let latin: Vec<&str> = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
            .iter()
            .map(|f| ind.text_of(f))
            .filter(|s| !s.is_empty())
            .collect();
        let latin = latin.join(" ");
        let original = ind.text_of("NAME_ORIGINAL_SCRIPT");
        if latin.is_empty() && original.is_empty() {
            bail!("{}: missing (no FIRST_NAME and no NAME_ORIGINAL_SCRIPT)", at("FIRST_NAME", ind.line));
        }
        let mut names = Vec::new();
        let mut ok = true;
        if !original.is_empty() {
            ok &= push_name(&mut names, original, true);
        }
        ok &= push_name(&mut names, &latin, original.is_empty());
        for alias in ind.all("INDIVIDUAL_ALIAS") {
            let a = alias.text_of("ALIAS_NAME");
            if !a.is_empty() && !push_name(&mut names, a, false) {
                out.items_dropped += 1;
            }
        }
        if !ok {
            out.items_dropped += 1;
        }
        let mut dobs = Vec::new();
        for dob in ind.all("INDIVIDUAL_DATE_OF_BIRTH") {
            let date = dob.text_of("DATE");
            let year = dob.text_of("YEAR");
            let (from, to) = (dob.text_of("FROM_YEAR"), dob.text_of("TO_YEAR"));
            if !date.is_empty() {
                let d = date.get(..10).unwrap_or(date);
                model::check_dob(d).map_err(|e| anyhow::anyhow!("{}: {e}", at("DATE", dob.line)))?;
                dobs.push(d.to_string());
            } else if !year.is_empty() {
                model::check_dob(year).map_err(|e| anyhow::anyhow!("{}: {e}", at("YEAR", dob.line)))?;
                dobs.push(year.to_string());
            } else if !from.is_empty() && !to.is_empty() {
                let parse = |s: &str, f: &str| -> Result<u16> {
                    s.parse().map_err(|_| anyhow::anyhow!("{}: {s:?} is not a year", at(f, dob.line)))
                };
                let (a, b) = (parse(from, "FROM_YEAR")?, parse(to, "TO_YEAR")?);
                if b < a || b - a > 20 {
                    bail!("{}: {from}-{to} is not a range of at most 20 years", at("TO_YEAR", dob.line));
                }
                dobs.extend((a..=b).map(|y| y.to_string()));
            }
        }
        dobs.dedup();
        let (dobs, d1) = bounded(dobs, model::MAX_ITEMS);
        out.items_dropped += d1;
        let mut documents = Vec::new();
        for doc in ind.all("INDIVIDUAL_DOCUMENT") {
            let number = doc.text_of("NUMBER");
            if number.is_empty() {
                continue;
            }
            let kind = match doc.text_of("TYPE_OF_DOCUMENT") {
                "" => "document".to_string(),
                k => k.to_lowercase(),
            };
            let country = match doc.text_of("ISSUING_COUNTRY") {
                "" => doc.text_of("COUNTRY_OF_ISSUE"),
                c => c,
            };
            documents.push(DocumentParticulars {
                number: number.to_string(),
                kind,
                country: country.to_string(),
                holder: None,
            });
        }
        let (documents, d2) = bounded(documents, model::MAX_ITEMS);
        out.items_dropped += d2;
        let nationalities: Vec<&str> = ind
            .all("NATIONALITY")
            .flat_map(|n| n.all("VALUE"))
            .map(|v| v.text.trim())
            .filter(|v| !v.is_empty())
            .collect();
        let title = if latin.is_empty() { original.to_string() } else { latin.clone() };
        let mut n = d.notice(title, format!("un-sc:{reference}"));
        let mut summary = format!(
            "UN Security Council sanctions list {} ({}), listed on {}.",
            ind.text_of("UN_LIST_TYPE"),
            reference,
            ind.text_of("LISTED_ON")
        );
        if !nationalities.is_empty() {
            summary.push_str(&format!(" Nationality as listed: {}.", nationalities.join(", ")));
        }
        let comments = ind.text_of("COMMENTS1");
        if !comments.is_empty() {
            summary.push(' ');
            summary.push_str(comments);
        }
        n.summary = model::truncate_bytes(summary, model::MAX_TEXT_BYTES);
        n.person = Some(PersonParticulars { names, dobs, documents, ..Default::default() });
        out.notices.push(Read { line: ind.line, notice: n });
    }
    Ok(out)
}
