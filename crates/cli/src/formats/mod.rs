//! Import and export formats: the UN Security Council consolidated list (XML),
//! FollowTheMoney entities (JSON lines, as OpenSanctions publishes them), and
//! Liaison's own notices as JSON lines or CSV (schema in README.md).
//!
//! Every reader returns notices with the line they came from, or the first bad
//! record as `file:line: record: field: what is wrong` — before anything is written.

pub mod ftm;
pub mod notices;
pub mod un;

use model::{AgencyCode, Distribution, Handling, NameRecord, NoticeType, Tlp, UncheckedNotice};

/// Largest file an import reads, in bytes.
pub const MAX_IMPORT_BYTES: u64 = 1 << 30;
/// Longest line of a JSON-lines or CSV import, in bytes.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The non-blank lines of a JSON-lines import with their 1-based numbers; a
/// read error or a line over [`MAX_LINE_BYTES`] is an error naming file and line.
pub fn nonblank_lines<'a>(
    input: impl std::io::BufRead + 'a,
    file: &'a str,
) -> impl Iterator<Item = anyhow::Result<(usize, String)>> + 'a {
    input.lines().enumerate().filter_map(move |(i, line)| {
        let lineno = i + 1;
        match line {
            Err(e) => Some(Err(anyhow::anyhow!("{file}:{lineno}: {e}"))),
            Ok(l) if l.trim().is_empty() => None,
            Ok(l) if l.len() > MAX_LINE_BYTES => {
                Some(Err(anyhow::anyhow!("{file}:{lineno}: line longer than {MAX_LINE_BYTES} bytes")))
            }
            Ok(l) => Some(Ok((lineno, l))),
        }
    })
}

/// What an import fills in that the source does not say.
#[derive(Debug, Clone)]
pub struct Defaults {
    pub owner: AgencyCode,
    pub kind: NoticeType,
    pub tlp: Tlp,
    pub handling: Handling,
    pub review_days: u32,
    pub action: String,
}

impl Defaults {
    pub fn notice(&self, title: String, source_ref: String) -> UncheckedNotice {
        UncheckedNotice {
            kind: self.kind,
            owner: self.owner.clone(),
            title,
            person: None,
            document: None,
            judicial: None,
            summary: String::new(),
            warnings: Vec::new(),
            action: self.action.clone(),
            distribution: Distribution::All,
            tlp: self.tlp,
            handling: self.handling.clone(),
            review_days: self.review_days,
            source_ref: Some(source_ref),
        }
    }
}

/// A notice read from a file, with where it came from.
pub struct Read {
    pub line: usize,
    pub notice: UncheckedNotice,
}

/// The ISO 15924 code of the script a name is mostly written in.
pub fn script_of(name: &str) -> Option<String> {
    let mut arabic = 0;
    let mut latin = 0;
    let mut cyrillic = 0;
    for c in name.chars() {
        match c as u32 {
            0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => arabic += 1,
            0x0400..=0x04FF => cyrillic += 1,
            _ if c.is_alphabetic() && (c.is_ascii() || (0xC0..=0x24F).contains(&(c as u32))) => latin += 1,
            _ => {}
        }
    }
    let best = arabic.max(latin).max(cyrillic);
    if best == 0 {
        None
    } else if best == arabic {
        Some("Arab".into())
    } else if best == cyrillic {
        Some("Cyrl".into())
    } else {
        Some("Latn".into())
    }
}

/// Adds a name unless it is already there (same text once whitespace is folded);
/// returns false when the bound stops it.
pub fn push_name(names: &mut Vec<NameRecord>, name: &str, original: bool) -> bool {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || names.iter().any(|n| n.name == name) {
        return true;
    }
    if names.len() >= model::MAX_NAMES {
        return false;
    }
    names.push(NameRecord { script: script_of(&name), name, original });
    true
}

/// Keeps at most `max` items and says how many were dropped.
pub fn bounded<T>(mut v: Vec<T>, max: usize) -> (Vec<T>, usize) {
    let dropped = v.len().saturating_sub(max);
    v.truncate(max);
    (v, dropped)
}
