//! Here are two given names; is one a short form of the other (Ted / Theodore,
//! Misha / Mikhail)?
//!
//! Short forms share too few letters for any spelling metric: only a table
//! knows them. The table, `data/given_names.txt`, is written by this project:
//! short forms in wide use within one language, never translations between
//! languages (Juan is not John: a passport carries one of them), and no short
//! form that is also a common Arabic given name. Entries are keyed by their
//! phonetic symbols, so every spelling the symbols fold together (Sergei,
//! Sergey, Сергей) finds its entry.
//!
//! Useful for: Latin-script given names. Not useful for: family names, and
//! Arabic-script names, whose short forms (Hamada for Mohamed) vary by region.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::symbols::{self, Sym};

/// The table of given names and their short forms.
const TABLE: &str = include_str!("../data/given_names.txt");

/// Similarity of a given name with one of its short forms: agreement, not
/// identity (two men called Edward and Theodore are both "Ted").
pub const SHORT_FORM_SIM: f32 = 0.85;

/// Longest word, in symbols, looked up in the table; longer words are not in it.
pub const GIVEN_NAME_SYMBOLS_MAX: usize = 16;

/// The table's entries, one line per given name (comments and blank lines left out).
fn entries() -> impl Iterator<Item = &'static str> {
    TABLE.lines().filter(|l| !l.trim_start().starts_with('#') && l.contains(':'))
}

/// For each spelling (as symbols), the numbers of the table lines it is on.
fn table() -> &'static HashMap<Vec<Sym>, Vec<u16>> {
    static T: OnceLock<HashMap<Vec<Sym>, Vec<u16>>> = OnceLock::new();
    T.get_or_init(|| {
        let mut map: HashMap<Vec<Sym>, Vec<u16>> = HashMap::new();
        for (group, line) in entries().enumerate() {
            let group = u16::try_from(group).unwrap_or(u16::MAX);
            for word in line.split(|c: char| c == ':' || c.is_whitespace()).filter(|w| !w.is_empty()) {
                let mut syms = Vec::with_capacity(word.len());
                symbols::latin_syms(word, &mut syms);
                symbols::canonicalise(&mut syms);
                let groups = map.entry(syms).or_default();
                if !groups.contains(&group) {
                    groups.push(group);
                }
            }
        }
        map
    })
}

/// Whether these symbols are a given name or short form in the table.
pub fn listed(syms: &[Sym]) -> bool {
    syms.len() <= GIVEN_NAME_SYMBOLS_MAX && table().contains_key(syms)
}

/// Whether two different Latin given names (as canonical symbols) are a name
/// and one of its short forms, or two short forms of one name.
pub fn short_form(a: &[Sym], b: &[Sym]) -> bool {
    if a == b || a.len() > GIVEN_NAME_SYMBOLS_MAX || b.len() > GIVEN_NAME_SYMBOLS_MAX {
        return false;
    }
    let t = table();
    match (t.get(a), t.get(b)) {
        (Some(x), Some(y)) => x.iter().any(|g| y.contains(g)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syms(s: &str) -> Vec<Sym> {
        let mut v = Vec::new();
        symbols::latin_syms(s, &mut v);
        symbols::canonicalise(&mut v);
        v
    }

    #[test]
    fn short_forms_of_one_name_only() {
        assert!(short_form(&syms("ted"), &syms("theodore")));
        assert!(short_form(&syms("ted"), &syms("edward")));
        assert!(short_form(&syms("misha"), &syms("mikhail")));
        assert!(short_form(&syms("bill"), &syms("will")), "two short forms of William");
        assert!(!short_form(&syms("edward"), &syms("theodore")), "two full names sharing a short form");
        assert!(!short_form(&syms("juan"), &syms("john")), "a translation is not a short form");
        assert!(!short_form(&syms("tom"), &syms("tim")));
    }

    #[test]
    fn every_line_of_the_table_is_read() {
        let lines = entries().count();
        let groups: std::collections::HashSet<u16> = table().values().flatten().copied().collect();
        assert_eq!(groups.len(), lines);
    }
}
