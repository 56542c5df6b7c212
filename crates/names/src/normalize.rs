//! Here is raw text as a user typed it; give me one canonical spelling.
//!
//! Useful for: folding every way the same name can be *typed* (case, Latin
//! diacritics, apostrophes and hyphens, Arabic hamza seats, alef maqsura, ta
//! marbuta, tatweel, harakat, Persian and Urdu letters, Arabic-Indic digits,
//! "LAST, First") into one string of space-separated tokens.
//! Not useful for: deciding that two *spellings* are the same name (Hammouchi /
//! Hamushi); that is [`crate::compare`]'s job, through phonetic symbols.
//!
//! The output is lower-case, contains only letters, digits and single spaces,
//! and `normalise(normalise(x)) == normalise(x)`.

use unicode_normalization::UnicodeNormalization;

use crate::{NameError, MAX_NAME_CHARS};

/// Normalise a raw name. Errors on empty input (after folding) and on input,
/// or its normalised form, longer than [`MAX_NAME_CHARS`] characters.
pub fn normalise(raw: &str) -> Result<String, NameError> {
    let chars = raw.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(NameError::TooLong { chars, max: MAX_NAME_CHARS });
    }
    // "LAST, First" → "First LAST": exactly one comma with text on both sides.
    let reordered;
    let raw = match raw.split_once(',') {
        Some((last, first)) if !first.contains(',') && !last.trim().is_empty() && !first.trim().is_empty() => {
            reordered = format!("{} {}", first.trim(), last.trim());
            reordered.as_str()
        }
        _ => raw,
    };
    let camel = split_camel_case(raw);
    let mut out = String::with_capacity(camel.len());
    // NFKC first (compatibility forms, presentation forms of Arabic letters),
    // then NFD so that diacritics and harakat become separate marks we can drop.
    // ئ and ؤ are hamza on a seat, not ي and و: keep the hamza, drop the seat.
    // ç is s (Fayçal), whatever NFD would make of it.
    let pre: String = camel
        .nfkc()
        .flat_map(|c| c.to_lowercase())
        .map(|c| match c {
            'ئ' | 'ؤ' => 'ء',
            'ç' => 's',
            c => c,
        })
        .collect();
    for c in pre.nfd() {
        if is_dropped_mark(c) {
            continue;
        }
        fold_char(c, &mut out);
    }
    let recomposed: String = out.nfc().collect();
    let mut result = String::with_capacity(recomposed.len());
    for token in recomposed.split(' ').filter(|t| !t.is_empty()) {
        if !result.is_empty() {
            result.push(' ');
        }
        push_token(token, &mut result);
    }
    if result.is_empty() {
        return Err(NameError::Empty);
    }
    // Folding can lengthen a name (camel-case splits, ß → ss): the bound holds
    // for what is kept, so that a normalised name is always accepted again.
    let kept = result.chars().count();
    if kept > MAX_NAME_CHARS {
        return Err(NameError::TooLong { chars: kept, max: MAX_NAME_CHARS });
    }
    Ok(result)
}

/// Insert a space at a lower→upper case change inside a word ("AlisherUsmanov"),
/// since such joins are a typing accident, not a different name.
fn split_camel_case(raw: &str) -> String {
    let mixed_case = raw.chars().any(char::is_lowercase);
    let mut out = String::with_capacity(raw.len() + 4);
    // In mixed-case input, a short all-capital word without vowels is a run of
    // initials ("JC Juncker").
    let mut words = Vec::new();
    for w in raw.split(' ') {
        let initials = mixed_case
            && (2..=3).contains(&w.len())
            && w.bytes().all(|c| c.is_ascii_uppercase() && !b"AEIOUY".contains(&c));
        if initials {
            words.push(w.chars().map(String::from).collect::<Vec<_>>().join(" "));
        } else {
            words.push(w.to_string());
        }
    }
    let raw = words.join(" ");
    let mut prev_lower = false;
    for c in raw.chars() {
        // a real case change: the capital has a lower-case form of its own
        if prev_lower && c.is_uppercase() && c.to_lowercase().next() != Some(c) {
            out.push(' ');
        }
        prev_lower = c.is_lowercase() && c.to_uppercase().next() != Some(c);
        out.push(c);
    }
    out
}

/// Combining marks that carry no identity in names: Latin/Greek/Cyrillic
/// diacritics, Arabic harakat and Quranic marks, Hebrew points.
fn is_dropped_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0591}'..='\u{05C7}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Fold one (already lower-cased, decomposed) character into `out`.
fn fold_char(c: char, out: &mut String) {
    match c {
        // Apostrophes, ayn/hamza signs and quotes join the letters around them.
        '\'' | '’' | '‘' | '`' | '´' | 'ʿ' | 'ʾ' | 'ʼ' | 'ʻ' | '"' | '“' | '”' | 'ʹ' | '′' => {}
        // Arabic: letters outside the hamza seats that NFD does not fold.
        'ٱ' => out.push('ا'),
        'ى' => out.push('ي'),
        'ة' | 'ۃ' => out.push('ه'),
        'ھ' | 'ە' => out.push('ه'),
        'ی' | 'ې' | 'ے' => out.push('ي'),
        'ک' => out.push('ك'),
        'ـ' => {}
        '\u{0660}'..='\u{0669}' => out.push(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        '\u{06F0}'..='\u{06F9}' => out.push(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        // Zero-width joiners and bidirectional controls are invisible.
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => {}
        // Latin letters that NFD does not decompose.
        'ß' => out.push_str("ss"),
        'æ' => out.push_str("ae"),
        'œ' => out.push_str("oe"),
        'ø' => out.push('o'),
        'đ' | 'ð' => out.push('d'),
        'ł' => out.push('l'),
        'ı' => out.push('i'),
        'þ' => out.push_str("th"),
        'ŋ' => out.push('n'),
        c if c.is_alphanumeric() => out.push(c),
        // Combining marks of scripts we keep as they are (Devanagari, Khmer,
        // Ethiopic…) belong to their letters.
        c if is_script_mark(c) => out.push(c),
        // Everything else (spaces, hyphens, dots, commas, brackets, slashes…)
        // separates tokens.
        _ => out.push(' '),
    }
}

/// Vowel signs and other marks of the scripts kept as they are (Indic, Thai,
/// Lao, Tibetan, Myanmar, Ethiopic, Khmer, kana voicing): they belong to their
/// letters. Punctuation of those blocks (danda) separates words.
fn is_script_mark(c: char) -> bool {
    matches!(c, '\u{0900}'..='\u{0DFF}' | '\u{0E00}'..='\u{0FFF}' | '\u{1000}'..='\u{109F}' | '\u{1200}'..='\u{139F}' | '\u{1780}'..='\u{17FF}' | '\u{3099}'..='\u{309A}')
        && !matches!(c, '\u{0964}' | '\u{0965}' | '\u{0E4F}' | '\u{0E5A}' | '\u{0E5B}' | '\u{17D4}'..='\u{17DA}' | '\u{1361}'..='\u{1368}')
}

/// Push a token, mapping digits inside words ("Ig0r Sech1n") to the letters
/// they stand for. Tokens made only of digits are kept as they are.
fn push_token(token: &str, out: &mut String) {
    let has_letter = token.chars().any(char::is_alphabetic);
    if !has_letter {
        out.push_str(token);
        return;
    }
    for c in token.chars() {
        out.push(match c {
            '0' => 'o',
            '1' => 'i',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '7' => 't',
            '8' => 'b',
            '9' => 'g',
            c => c,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalise(s).unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn folds_latin_forms() {
        assert_eq!(n("Abd al-Laṭīf  AL-ḤAMŪSHĪ"), "abd al latif al hamushi");
        assert_eq!(n("HAMMOUCHI, Abdellatif"), "abdellatif hammouchi");
        assert_eq!(n("Mu'tassim ʿAlī"), "mutassim ali");
        assert_eq!(n("AlisherUsmanov"), "alisher usmanov");
        assert_eq!(n("Ig0r Sech1n"), "igor sechin");
        assert_eq!(n("Straße"), "strasse");
    }

    #[test]
    fn folds_arabic_forms() {
        assert_eq!(n("أحمد"), "احمد");
        assert_eq!(n("إبراهيم"), "ابراهيم");
        assert_eq!(n("آمنة"), "امنه");
        assert_eq!(n("مُحَمَّد"), "محمد");
        assert_eq!(n("مصطفى"), "مصطفي");
        assert_eq!(n("عبـــد"), "عبد");
        assert_eq!(n("مؤمن"), "مءمن");
        assert_eq!(n("هانئ"), "هانء");
        assert_eq!(n("Fayçal"), "faysal");
        assert_eq!(n("ٱلله"), "الله");
        assert_eq!(n("یوسف کریم"), "يوسف كريم");
        assert_eq!(n("١٩٧٠"), "1970");
    }

    #[test]
    fn rejects_empty_and_long() {
        assert!(matches!(normalise(" ,- "), Err(NameError::Empty)));
        let long = "a".repeat(MAX_NAME_CHARS + 1);
        assert!(matches!(normalise(&long), Err(NameError::TooLong { .. })));
    }
}
