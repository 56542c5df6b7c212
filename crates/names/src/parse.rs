//! Here is a normalised name; give me its parts and what each part is.
//!
//! Useful for: recognising the structure of Arabic names in either script —
//! compounds that are one name though written as two or three words (Abd al-Latif,
//! Nur al-Din, Habib Allah, Abu Azza), the nasab chain (bin/ibn/ben/ould/بن/ولد +
//! father's name), the article al-/el-/ال and its assimilated forms (ash-, ad-, es-),
//! titles that are not names (Dr., Shaikh, الحاج), legal-form words of organisations.
//! Not useful for: deciding which part is the family name; Arabic names do not
//! say, so [`crate::compare`] treats every unmatched part on both sides as a
//! possible contradiction instead.

use crate::freq;
use crate::given;
use crate::normalize::normalise;
use crate::symbols::{self, Sym};
use crate::{NameError, NameKind, MAX_PARTS};

/// The script a part was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Latin letters (Cyrillic and Greek are transliterated into Latin first).
    Latin,
    /// Arabic script, including Persian and Urdu letters.
    Arabic,
    /// Any other script; compared character by character.
    Other,
}

/// What a part is within the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A given name, family name or nisba: the parts that identify.
    Name,
    /// A name after bin/ibn/ben/ould/بن: the father's (or ancestor's) name.
    Nasab,
    /// Abu/Umm + name (the kunya), kept as one part.
    Kunya,
    /// bin, ibn, ould…: links, not names.
    Particle,
    /// A legal-form word (AG, LLC, Aktiengesellschaft): never identifies.
    LegalForm,
}

/// The kind of a compound part, whose second (or first) element is generic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compound {
    /// Abd + al-X ("servant of"): Abdellatif, عبد اللطيف.
    Abd,
    /// X + al-Din: Noureddine, نور الدين.
    Din,
    /// X + Allah: Habibullah, حبيب الله.
    Allah,
    /// Abu/Umm + X: the kunya.
    Kunya,
}

/// One part of a parsed name.
#[derive(Debug, Clone)]
pub struct Part {
    /// The normalised token or tokens this part was made from.
    pub text: String,
    /// The script it was written in.
    pub script: Script,
    /// Its phonetic symbols (see [`crate::symbols`]).
    pub syms: Vec<Sym>,
    /// What it is within the name.
    pub role: Role,
    /// It carried the article (al-, el-, ال): typical of a nisba or family name.
    pub article: bool,
    /// For a compound: its kind and the symbols of its distinctive element
    /// (Latif in Abd al-Latif, Nur in Nur al-Din).
    pub compound: Option<Box<(Compound, Box<[Sym]>)>>,
    /// Another reading of the part, compared too: an Arabic part with the
    /// article it carried (العربي as al-ʿarabi, for "Elaraby", "Larbi"); a Latin
    /// spelling without the article it fused (Alhussein as Hussein).
    pub variant: Option<Box<[Sym]>>,
    /// A lone Latin letter: an initial ("J." in "J. Smith").
    pub initial: Option<u8>,
    /// A generic organisation word (bank, trading, group) that cannot carry a
    /// match on its own.
    pub generic: bool,
    /// How much the part identifies, from 0 (says nothing) to 1 (rare name).
    pub weight: f32,
    /// Its symbols are a given name or short form in [`crate::given`]'s table.
    pub given: bool,
    /// The last word of a name at least [`NAME_CUT_CHARS_MIN`] characters long:
    /// it may have been cut off by a field limit ("… BELKASSEM DR").
    pub cut: bool,
}

/// Length from which a name may have lost the end of its last word to a field
/// limit (SWIFT lines hold 35 characters, many legacy systems 30 to 40).
pub const NAME_CUT_CHARS_MIN: usize = 30;

/// A parsed name: its parts, in written order.
#[derive(Debug, Clone)]
pub struct Name {
    /// The normalised full name.
    pub normalised: String,
    /// Person or organisation.
    pub kind: NameKind,
    /// The parts, in written order.
    pub parts: Vec<Part>,
    /// Titles and honorifics removed before comparison (for explanations).
    pub dropped: Vec<String>,
    /// Read as "LAST First": it ended in a linking particle (see
    /// [`reorder_dangling_particle`]), so its first word was moved to the end.
    pub reordered: bool,
}

const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "president",
    "prasident",
    "president",
    "monsieur",
    "madame",
    "mme",
    "mlle",
    "herr",
    "frau",
    "sir",
    "dame",
    "lord",
    "sheikh",
    "shaikh",
    "shaykh",
    "sheik",
    "cheikh",
    "haji",
    "hajji",
    "hadj",
    "hadji",
    "alhaj",
    "alhajj",
    "mullah",
    "mulla",
    "maulana",
    "mawlana",
    "maulvi",
    "mawlawi",
    "qari",
    "imam",
    "general",
    "gen",
    "colonel",
    "col",
    "captain",
    "capt",
    "major",
    "doctor",
    "eng",
    "engineer",
    "na",
    "hon",
    "excellency",
    "his",
    "her",
];
const ARABIC_TITLES: &[&str] = &["شيخ", "حاج", "دكتور", "رئيس", "مهندس", "سيده", "لواء", "عميد", "عقيد", "ملا"];
const LEGAL_FORMS: &[&str] = &[
    "ag",
    "gmbh",
    "mbh",
    "sa",
    "sas",
    "sarl",
    "sl",
    "spa",
    "srl",
    "llc",
    "ltd",
    "limited",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "plc",
    "bv",
    "nv",
    "oy",
    "oyj",
    "ab",
    "as",
    "asa",
    "aktiengesellschaft",
    "gesellschaft",
    "ooo",
    "zao",
    "oao",
    "pao",
    "pjsc",
    "jsc",
    "cjsc",
    "ojsc",
    "llp",
    "lp",
    "kg",
    "ohg",
    "se",
    "sro",
    "kft",
    "zrt",
    "doo",
    "ead",
    "eood",
    "fze",
    "fzc",
    "fzco",
    "wll",
    "pte",
    "pty",
    "bhd",
    "sdn",
    "tov",
    "pp",
    "ip",
    "company",
    "cie",
    "et",
    "und",
    "and",
];
const GENERIC_ORG: &[&str] = &[
    "bank",
    "group",
    "holding",
    "holdings",
    "international",
    "trading",
    "trade",
    "services",
    "service",
    "industries",
    "industry",
    "enterprises",
    "enterprise",
    "general",
    "national",
    "the",
    "of",
    "for",
    "de",
    "la",
    "du",
    "des",
    "del",
    "der",
    "den",
    "das",
    "di",
    "le",
    "les",
    "investment",
    "investments",
    "import",
    "export",
    "shipping",
    "global",
    "management",
    "partners",
    "consulting",
    "technology",
    "technologies",
    "solutions",
    "systems",
    "energy",
    "oil",
    "gas",
    "petroleum",
    "mining",
    "construction",
    "development",
    "finance",
    "financial",
    "capital",
    "resources",
    "logistics",
    "agency",
    "office",
    "organization",
    "organisation",
    "foundation",
    "association",
    "society",
    "fund",
    "ministry",
    "department",
    "unit",
    "factory",
    "plant",
    "institute",
    "center",
    "centre",
    "commercial",
    "establishment",
    "est",
    "sharikat",
    "sherkat",
    "company",
    "ооо",
];
/// Nasab particles; "ou" is the Berber "son of" (Ali Ou Salah).
const NASAB: &[&str] = &["bin", "ben", "ibn", "ibnu", "bint", "bent", "ould", "wuld", "walad", "ibnat", "ou"];
const ARABIC_NASAB: &[&str] = &["بن", "ابن", "بنت", "ولد", "او"];
const ARTICLES: &[&str] = &["al", "el", "ul", "il", "ol", "l"];
/// Particles of European family names (Charles de Gaulle, Ludwig van Beethoven):
/// links, not names, when they stand between two words.
const WESTERN_PARTICLES: &[&str] =
    &["de", "del", "della", "der", "den", "di", "da", "das", "dos", "du", "van", "von", "ten", "ter", "zu", "af", "av"];
const ASSIMILATED: &[&str] = &[
    "ad", "ar", "as", "ash", "at", "az", "an", "adh", "ath", "ed", "er", "es", "esh", "et", "ez", "en", "ud", "ur",
    "us", "ush", "ut", "uz", "un", "at", "ad",
];
const ABD: &[&str] =
    &["abd", "abdel", "abdul", "abdal", "abdoul", "abdil", "abdol", "abdur", "abdus", "abder", "abdes", "abdez"];
/// Abbreviations of Muhammad in Latin lists (Med, Mhd, Mohd, Md).
const MUHAMMAD_ABBREVIATIONS: &[&str] = &["md", "mhd", "mohd", "muhd", "med", "mhmd", "mohd", "mohamd"];
const KUNYA: &[&str] = &["abu", "abou", "abo", "bou", "abi", "aboo", "umm", "um", "oum", "om", "dhu", "thu"];
/// Abu/Umm + X, and Dhu + X ("possessor of": ذو الفقار, Dhu al-Fiqar), one part each.
const ARABIC_KUNYA: &[&str] = &["ابو", "ابي", "ابا", "ام", "ذو"];
const DIN: &[&str] = &["din", "deen", "dine", "eddine", "eddin", "uddin", "udin", "addin", "iddin", "edine", "dinne"];
const ALLAH: &[&str] = &["allah", "ullah", "ollah", "illah", "alla", "ulla", "lah", "llah"];

/// One token before structure: its text and the text used for symbols.
struct Token {
    text: String,
    script: Script,
}

/// Parse a raw name. Errors on empty or over-long input and on more than
/// [`MAX_PARTS`] tokens.
pub fn parse(raw: &str, kind: NameKind) -> Result<Name, NameError> {
    let normalised = normalise(raw)?;
    let mut tokens: Vec<Token> = normalised.split(' ').map(classify).collect();
    if tokens.len() > MAX_PARTS {
        return Err(NameError::TooManyParts { parts: tokens.len(), max: MAX_PARTS });
    }
    let mut b = Builder { kind, parts: Vec::new(), dropped: Vec::new(), pending_article: false, pending_nasab: false };
    let reordered = kind == NameKind::Person && reorder_dangling_particle(&mut tokens);
    let n = tokens.len();
    let mut i = 0;
    while i < n {
        let t = &tokens[i];
        let next = tokens.get(i + 1);
        i += match t.script {
            Script::Arabic => b.arabic(t, &tokens[i + 1..]),
            Script::Latin => b.latin(t, next, &tokens[i + 1..], i, n),
            Script::Other => {
                b.push(t.text.clone(), Script::Other, raw_syms(&t.text), Role::Name);
                1
            }
        };
    }
    // A name made only of titles keeps them, rather than vanish.
    if b.parts.iter().all(|p| p.role == Role::Particle) {
        for d in std::mem::take(&mut b.dropped) {
            let mut s = Vec::new();
            symbols::latin_syms(&d, &mut s);
            b.push(d, Script::Latin, s, Role::Name);
        }
    }
    if b.parts.is_empty() {
        return Err(NameError::Empty);
    }
    if normalised.chars().count() >= NAME_CUT_CHARS_MIN {
        if let Some(last) = b.parts.last_mut().filter(|p| p.script == Script::Latin && !p.text.contains(' ')) {
            last.cut = true;
        }
    }
    finish(&mut b.parts);
    b.parts.shrink_to_fit();
    let mut normalised = normalised;
    normalised.shrink_to_fit();
    Ok(Name { normalised, kind, parts: b.parts, dropped: b.dropped, reordered })
}

/// Particles that cannot end a name. Short words that are also syllables of
/// East Asian names (Il, Du, De, Van, Ou) are left out: "Kim Kyong Il" ends in a name.
const DANGLING: &[&str] = &["bin", "ben", "ibn", "bint", "ould", "al", "el", "von"];

/// A name that ends in a linking particle ("Salman Mohammed bin", "Beethoven
/// Ludwig von") is a "LAST First" name whose comma was lost: the family name
/// written first belongs after the particle. Three or more words only.
/// Returns whether it moved a word.
fn reorder_dangling_particle(tokens: &mut [Token]) -> bool {
    let n = tokens.len();
    if n < 3 {
        return false;
    }
    let last = tokens[n - 1].text.as_str();
    let dangling = match tokens[n - 1].script {
        Script::Latin => DANGLING.contains(&last),
        Script::Arabic => ARABIC_NASAB.contains(&last) || last == "ال",
        Script::Other => false,
    };
    // titles stay in front ("President Salman Mohammed bin")
    let first = tokens
        .iter()
        .position(|t| !(TITLES.contains(&t.text.as_str()) || ARABIC_TITLES.contains(&t.text.as_str())))
        .unwrap_or(0);
    let moved = dangling && n - first >= 3;
    if moved {
        tokens[first..].rotate_left(1);
    }
    moved
}

fn classify(tok: &str) -> Token {
    if tok.chars().any(symbols::is_arabic) {
        return Token { text: tok.to_string(), script: Script::Arabic };
    }
    if tok.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return Token { text: tok.to_string(), script: Script::Latin };
    }
    let mut latin = String::with_capacity(tok.len());
    for c in tok.chars() {
        if c.is_ascii_alphanumeric() {
            latin.push(c);
        } else if let Some(l) = symbols::to_latin(c) {
            latin.push_str(l);
        } else {
            return Token { text: tok.to_string(), script: Script::Other };
        }
    }
    Token { text: latin, script: Script::Latin }
}

fn raw_syms(text: &str) -> Vec<Sym> {
    text.chars().map(|c| symbols::RAW_BASE.saturating_add((c as u32).min(0xFEFF) as u16)).collect()
}

fn lat(s: &str) -> Vec<Sym> {
    let mut v = Vec::with_capacity(s.len());
    symbols::latin_syms(s, &mut v);
    v
}

fn ara(s: &str) -> Vec<Sym> {
    let mut v = Vec::with_capacity(s.len());
    symbols::arabic_syms(s, &mut v);
    v
}

fn starts_with_vowel(s: &str) -> bool {
    s.as_bytes().first().is_some_and(|c| b"aeiou".contains(c))
}

/// Strip the article from the start of the second element of a compound:
/// "allah" → "lah", "elaziz" → "aziz", "urrahman" → "rahman".
fn strip_compound_article(x: &str) -> &str {
    let b = x.as_bytes();
    let mut i = 0;
    while i < b.len() && i < 2 && b"aeiou".contains(&b[i]) {
        i += 1;
    }
    if i == 0 {
        return x;
    }
    let rest = &x[i..];
    let rb = rest.as_bytes();
    if rb.len() >= 3 && rb[0] == b'l' {
        return &rest[1..];
    }
    // assimilated article: a doubled sun letter ("urrahman", "essalam")
    if rb.len() >= 4 && rb[0] == rb[1] && b"tdrzsnl".contains(&rb[0]) {
        return &rest[1..];
    }
    x
}

/// Whether a Latin word is the "al-Din" element of a compound in any spelling:
/// the listed ones, or a vowel, an article consonant (l, d, ld, dd, ll) and
/// din/dine/deen ("elddine", "uldin", "addeen").
fn is_din(t: &str) -> bool {
    if DIN.contains(&t) {
        return true;
    }
    let Some(head) = ["dinne", "dine", "deen", "din"].iter().find_map(|d| t.strip_suffix(d)) else {
        return false;
    };
    let head = head.strip_prefix(|c: char| "aeiou".contains(c)).unwrap_or(head);
    matches!(head, "l" | "d" | "ld" | "dd" | "ll")
}

/// Split a joined Latin "-din" compound: "noureddine" → Some("nour").
fn split_din(t: &str) -> Option<&str> {
    if t.len() < 7 {
        return None;
    }
    for suf in ["ddine", "ddin", "ddeen", "dine", "din", "deen"] {
        if let Some(stem) = t.strip_suffix(suf) {
            let mut stem = stem;
            // the article before -din: -e-, -u-, -al-, -ul-, -el-
            for art in ["al", "el", "ul", "ol", "e", "u", "a", "i"] {
                if let Some(s) = stem.strip_suffix(art) {
                    stem = s;
                    break;
                }
            }
            if stem.len() >= 3 && !(suf.starts_with("din") && stem.ends_with('d')) {
                return Some(stem);
            }
        }
    }
    None
}

/// Split a joined Latin "-ullah" compound: "habibullah" → Some("habib").
fn split_allah(t: &str) -> Option<&str> {
    if t.len() < 7 || t.starts_with("abd") {
        return None;
    }
    for suf in ["ullah", "allah", "ollah", "illah", "ulla", "alla"] {
        if let Some(stem) = t.strip_suffix(suf) {
            if stem.len() >= 3 {
                return Some(stem);
            }
        }
    }
    None
}

/// Parsed names live in indexes by the million: leave no slack capacity.
fn finish(parts: &mut [Part]) {
    for p in parts.iter_mut() {
        p.text.shrink_to_fit();
        p.syms.shrink_to_fit();
    }
}

impl Part {
    /// Its coarse consonant skeleton (see [`symbols::skeleton`]), for blocking
    /// and frequency.
    pub fn skeleton(&self) -> Vec<u8> {
        symbols::skeleton(&self.syms)
    }

    /// Whether it can join the part after it in a comparison (Abdel + Aziz).
    pub fn joinable(&self) -> bool {
        self.role != Role::LegalForm && self.initial.is_none() && !self.syms.is_empty()
    }
}

fn canonical(script: Script, syms: &mut Vec<Sym>) {
    match script {
        Script::Arabic => symbols::canonicalise_arabic(syms),
        Script::Latin => symbols::canonicalise(syms),
        Script::Other => {}
    }
}

/// Symbols of an Arabic part read with its article (ال before the stripped part).
fn with_article(syms: &[Sym]) -> Vec<Sym> {
    let mut v = vec![symbols::A, symbols::L];
    v.extend_from_slice(syms);
    symbols::canonicalise_arabic(&mut v);
    v
}

/// Symbols of a Latin word without a fused article: "elaraby" → "araby",
/// "larbi" → "arbi", "almontaser" → "montaser", "ezzine" → "zine".
fn fused_article(t: &str) -> Option<Vec<Sym>> {
    if t.contains(' ') {
        return None;
    }
    let b = t.as_bytes();
    // assimilated: a vowel and a doubled sun letter ("ezzine", "essaidi", "errafai")
    let assimilated = b.len() >= 5 && b"aeiu".contains(&b[0]) && b[1] == b[2] && b"tdrzsn".contains(&b[1]);
    let rest = if assimilated {
        &t[2..]
    } else {
        ["al", "el", "ul", "il"]
            .iter()
            .find_map(|p| t.strip_prefix(p))
            .or_else(|| t.strip_prefix('l').filter(|r| starts_with_vowel(r)))?
    };
    if rest.len() < 3 {
        return None;
    }
    let mut v = lat(rest);
    symbols::canonicalise(&mut v);
    Some(v)
}

/// Symbols of a Latin word in its Baltic or Slavic written form read the
/// English way: Latvian adds -s to a name (Lavrovs, Putins, Sergejs), Slavic and
/// German spellings write a final -ej/-ij where English writes -ey/-iy (Sergej,
/// Andrej, Jurij). Only when the word ends that way after a consonant-bearing
/// stem; Arabic spellings rarely do, and "-aj" (Faraj, Haj) is left alone.
fn baltic_slavic(t: &str) -> Option<Vec<Sym>> {
    if t.contains(' ') || t.len() < 5 {
        return None;
    }
    let b = t.as_bytes();
    let n = b.len();
    // a final -s after a consonant other than s: Lavrovs, Putins, Sergejs
    let stem = if b[n - 1] == b's' && !b"aeiouys".contains(&b[n - 2]) { &t[..n - 1] } else { t };
    let sb = stem.as_bytes();
    let k = sb.len();
    let mut v = if k >= 3 && sb[k - 1] == b'j' && b"eiou".contains(&sb[k - 2]) {
        let mut v = lat(&stem[..k - 1]);
        v.push(symbols::I);
        v
    } else if stem.len() < t.len() {
        lat(stem)
    } else {
        return None;
    };
    symbols::canonicalise(&mut v);
    Some(v)
}

/// The second element of Abd + Allah in its many spellings (Abdullah,
/// Abdallah, Abdillahi, Abdulle, عبد الله), after the article is stripped.
const ALLAH_STEMS: &[&str] =
    &["lah", "llah", "lahi", "llahi", "la", "lla", "le", "lle", "lahy", "lahu", "lahe", "lai", "li"];

/// The stem symbols of the second element of an Abd compound.
fn abd_stem_latin(x_core: &str) -> Vec<Sym> {
    if ALLAH_STEMS.contains(&x_core) {
        vec![symbols::L, symbols::A]
    } else {
        lat(x_core)
    }
}

fn abd_stem_arabic(x_core: &str) -> Vec<Sym> {
    if x_core == "له" || x_core == "لله" {
        vec![symbols::L, symbols::A]
    } else {
        ara(x_core)
    }
}

struct Builder {
    kind: NameKind,
    parts: Vec<Part>,
    dropped: Vec<String>,
    pending_article: bool,
    pending_nasab: bool,
}

impl Builder {
    fn push(&mut self, text: String, script: Script, mut syms: Vec<Sym>, role: Role) {
        canonical(script, &mut syms);
        let variant = match script {
            Script::Latin => fused_article(&text).or_else(|| baltic_slavic(&text)),
            Script::Arabic if self.pending_article => Some(with_article(&syms)),
            _ => None,
        };
        let role = match role {
            Role::Name if self.pending_nasab => Role::Nasab,
            r => r,
        };
        if !matches!(role, Role::Particle) {
            self.pending_nasab = false;
        }
        let article = std::mem::take(&mut self.pending_article);
        let skeleton = symbols::skeleton(&syms);
        let initial = match (script, text.len()) {
            (Script::Latin, 1) => text.bytes().next(),
            _ => None,
        };
        let generic = self.kind == NameKind::Organization && GENERIC_ORG.contains(&text.as_str());
        let weight = match role {
            Role::Particle => 0.05,
            Role::LegalForm => 0.0,
            _ if generic => 0.25,
            _ if initial.is_some() => 0.3,
            _ => {
                let w = freq::weight(&skeleton);
                variant.as_ref().map_or(w, |v| w.min(freq::weight(&symbols::skeleton(v))))
            }
        };
        let variant = variant.map(Vec::into_boxed_slice);
        let given = script == Script::Latin && given::listed(&syms);
        self.parts.push(Part {
            text,
            script,
            syms,
            role,
            article,
            compound: None,
            variant,
            initial,
            generic,
            weight,
            given,
            cut: false,
        });
    }

    /// Give the last part another reading.
    fn set_variant(&mut self, script: Script, v: Option<Vec<Sym>>) {
        if let (Some(last), Some(mut v)) = (self.parts.last_mut(), v) {
            canonical(script, &mut v);
            last.variant = Some(v.into_boxed_slice());
        }
    }

    /// Mark the last part as a compound of `kind` whose distinctive element is `stem`.
    fn set_compound(&mut self, kind: Compound, mut stem: Vec<Sym>) {
        if let Some(last) = self.parts.last_mut() {
            canonical(last.script, &mut stem);
            last.compound = Some(Box::new((kind, stem.into_boxed_slice())));
        }
    }

    /// Append symbols of a following element to the last part (Nur + al-Din).
    fn extend_last(&mut self, kind: Compound, extra_text: &str, extra: Vec<Sym>) -> bool {
        let Some(last) = self.parts.last_mut() else {
            return false;
        };
        if !matches!(last.role, Role::Name | Role::Nasab | Role::Kunya) || last.initial.is_some() {
            return false;
        }
        if last.compound.is_none() {
            last.compound = Some(Box::new((kind, last.syms.clone().into_boxed_slice())));
        }
        last.text.push(' ');
        last.text.push_str(extra_text);
        last.syms.extend(extra);
        canonical(last.script, &mut last.syms);
        last.weight = freq::weight(&symbols::skeleton(&last.syms));
        true
    }

    /// Handle one Latin token; returns how many tokens it consumed.
    fn latin(&mut self, t: &Token, next: Option<&Token>, rest: &[Token], pos: usize, n: usize) -> usize {
        let s = t.text.as_str();
        let person = self.kind == NameKind::Person;
        let next_latin = next.filter(|x| x.script == Script::Latin).map(|x| x.text.as_str());
        if person && TITLES.contains(&s) && n > 1 && self.parts.is_empty() {
            self.dropped.push(s.to_string());
            return 1;
        }
        if LEGAL_FORMS.contains(&s) && (!person || pos > 0) && n > 1 {
            self.push(s.to_string(), Script::Latin, lat(s), Role::LegalForm);
            return 1;
        }
        if !person {
            self.push(s.to_string(), Script::Latin, lat(s), Role::Name);
            return 1;
        }
        // Articles, standalone or assimilated to the next word (ash-Shami).
        if let Some(nx) = next_latin {
            let is_article =
                ARTICLES.contains(&s) || (ASSIMILATED.contains(&s) && nx.len() > 2 && nx.starts_with(&s[1..]));
            if is_article && nx.len() > 1 {
                if is_din(nx) || ALLAH.contains(&nx) {
                    return 1; // "ud-din", "al-din": the -din merge follows
                }
                self.pending_article = true;
                return 1;
            }
        }
        // -din and -allah elements join the part before them.
        if is_din(s) && self.extend_last(Compound::Din, s, vec![symbols::D, symbols::I, symbols::N]) {
            return 1;
        }
        if ALLAH.contains(&s) && self.extend_last(Compound::Allah, s, vec![symbols::L, symbols::A]) {
            return 1;
        }
        if WESTERN_PARTICLES.contains(&s) && pos > 0 && next_latin.is_some() {
            self.push(s.to_string(), Script::Latin, lat(s), Role::Particle);
            return 1;
        }
        // Nasab particles: the next name is a father's name. "Ben" alone before
        // one other word is the given name Ben.
        if NASAB.contains(&s) && next_latin.is_some() && !(s == "ben" && pos == 0 && n == 2) {
            self.push(s.to_string(), Script::Latin, lat(s), Role::Particle);
            self.pending_nasab = true;
            return 1;
        }
        if MUHAMMAD_ABBREVIATIONS.contains(&s) && n > 1 {
            self.push(s.to_string(), Script::Latin, lat("muhammad"), Role::Name);
            return 1;
        }
        // Abd + (article) + X, and Abu/Umm + (article) + X: one part.
        let compound = if ABD.contains(&s) {
            Some(Role::Name)
        } else if KUNYA.contains(&s) && pos + 1 < n {
            Some(Role::Kunya)
        } else {
            None
        };
        // Abu + an Abd compound (Abu Abd al-Rahman): "Abu" links, the compound follows.
        if compound == Some(Role::Kunya) && next_latin.is_some_and(|x| ABD.contains(&x) || x.starts_with("abd")) {
            self.push(s.to_string(), Script::Latin, lat(s), Role::Particle);
            return 1;
        }
        if let Some(role) = compound {
            let mut used = 1;
            let mut xs = rest.iter().take_while(|x| x.script == Script::Latin).map(|x| x.text.as_str());
            let mut x = xs.next();
            if x.is_some_and(|x| ARTICLES.contains(&x) || ASSIMILATED.contains(&x)) {
                if let Some(after) = xs.next() {
                    x = Some(after);
                    used += 1;
                }
            }
            if let Some(x) = x {
                used += 1;
                // "abd allah": the second element carries the article; "abdel aleem":
                // the first one did, and Aleem is ʿAlīm.
                let x_core = if s == "abd" { strip_compound_article(x) } else { x };
                let (head, stem) = if role == Role::Name { ("abd", abd_stem_latin(x_core)) } else { (s, lat(x)) };
                let mut syms = lat(head);
                syms.extend(stem.iter().copied());
                self.push(format!("{s} {x}"), Script::Latin, syms, role);
                let kind = if role == Role::Name { Compound::Abd } else { Compound::Kunya };
                self.set_compound(kind, stem);
                if role == Role::Kunya {
                    // Abu + a fused article (Abu Alrab): also read without it.
                    let v = fused_article(x).map(|rest| lat(head).into_iter().chain(rest).collect());
                    self.set_variant(Script::Latin, v);
                }
                return used;
            }
        }
        // Joined compounds: Abdellatif, Noureddine, Habibullah, Alhussein.
        if s.len() >= 6 && s.starts_with("abd") && !starts_with_vowel(&s[3..]) {
            let stem = abd_stem_latin(&s[3..]);
            let mut syms = lat("abd");
            syms.extend(stem.iter().copied());
            self.push(s.to_string(), Script::Latin, syms, Role::Name);
            self.set_compound(Compound::Abd, stem);
            return 1;
        }
        if s.len() >= 6 && s.starts_with("abd") {
            let core = abd_stem_latin(strip_compound_article(&s[3..]));
            let mut syms = lat("abd");
            syms.extend(core.iter().copied());
            self.push(s.to_string(), Script::Latin, syms, Role::Name);
            self.set_compound(Compound::Abd, core);
            return 1;
        }
        if let Some(stem) = split_din(s) {
            let mut syms = lat(stem);
            syms.extend([symbols::D, symbols::I, symbols::N]);
            self.push(s.to_string(), Script::Latin, syms, Role::Name);
            self.set_compound(Compound::Din, lat(stem));
            return 1;
        }
        if let Some(stem) = split_allah(s) {
            let mut syms = lat(stem);
            syms.extend([symbols::L, symbols::A]);
            self.push(s.to_string(), Script::Latin, syms, Role::Name);
            self.set_compound(Compound::Allah, lat(stem));
            return 1;
        }
        self.push(s.to_string(), Script::Latin, lat(s), Role::Name);
        1
    }

    /// Handle one Arabic token; returns how many tokens it consumed.
    fn arabic(&mut self, t: &Token, rest: &[Token]) -> usize {
        let s = t.text.as_str();
        let n = rest.len() + 1;
        let (core, article) = match s.strip_prefix("ال") {
            Some(c) if c.chars().count() >= 2 => (c, true),
            _ => (s, false),
        };
        let next_ar = rest.first().filter(|x| x.script == Script::Arabic).map(|x| x.text.as_str());
        if self.kind == NameKind::Person && ARABIC_TITLES.contains(&core) && n > 1 && self.parts.is_empty() {
            self.dropped.push(s.to_string());
            return 1;
        }
        if s == "ال" && next_ar.is_some() {
            self.pending_article = true; // Āl, "family of"
            return 1;
        }
        if core == "دين" && article && self.extend_last(Compound::Din, s, ara("دين")) {
            return 1;
        }
        if s == "الله" && self.extend_last(Compound::Allah, s, ara("لا")) {
            return 1;
        }
        if ARABIC_NASAB.contains(&s) && next_ar.is_some() && !self.parts.is_empty() {
            self.push(s.to_string(), Script::Arabic, ara(s), Role::Particle);
            self.pending_nasab = true;
            return 1;
        }
        let role = if s == "عبد" {
            Some(Role::Name)
        } else if ARABIC_KUNYA.contains(&s) {
            Some(Role::Kunya)
        } else {
            None
        };
        if role == Some(Role::Kunya) && next_ar.is_some_and(|x| x.starts_with("عبد")) {
            self.push(s.to_string(), Script::Arabic, ara(s), Role::Particle);
            return 1;
        }
        if let (Some(role), Some(x)) = (role, next_ar) {
            let x_core = match x.strip_prefix("ال") {
                Some(c) if c.chars().count() >= 2 => c,
                _ => x,
            };
            let (head, stem) = if role == Role::Name { ("ابد", abd_stem_arabic(x_core)) } else { (s, ara(x_core)) };
            let mut syms = ara(head);
            syms.extend(stem.iter().copied());
            self.push(format!("{s} {x}"), Script::Arabic, syms, role);
            let kind = if role == Role::Name { Compound::Abd } else { Compound::Kunya };
            let x_had_article = x_core.len() != x.len();
            if role == Role::Kunya && x_had_article {
                // ابو العيش: also read with the article (Abouleish).
                let v = ara(s).into_iter().chain([symbols::A, symbols::L]).chain(stem.iter().copied()).collect();
                self.set_variant(Script::Arabic, Some(v));
            }
            self.set_compound(kind, stem);
            return 2;
        }
        // Joined عبدالله, عبدالرحمن.
        if let Some(x) = s.strip_prefix("عبد").filter(|x| x.chars().count() >= 2) {
            let x_core = match x.strip_prefix("ال") {
                Some(c) if c.chars().count() >= 2 => c,
                _ => x,
            };
            let stem = abd_stem_arabic(x_core);
            let mut syms = ara("ابد");
            syms.extend(stem.iter().copied());
            self.push(s.to_string(), Script::Arabic, syms, Role::Name);
            self.set_compound(Compound::Abd, stem);
            return 1;
        }
        if article {
            self.pending_article = true;
        }
        self.push(s.to_string(), Script::Arabic, ara(core), Role::Name);
        if article && core.chars().count() == 2 {
            // ال + two letters may be one word (الفة, Olfa): read whole, its last
            // letter is a ta marbuta, which a two-letter core could not show
            self.set_variant(Script::Arabic, Some(ara(s)));
        }
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(raw: &str) -> String {
        match parse(raw, NameKind::Person) {
            Ok(n) => n
                .parts
                .iter()
                .map(|p| {
                    let role = match p.role {
                        Role::Name => "",
                        Role::Nasab => "nasab:",
                        Role::Kunya => "kunya:",
                        Role::Particle => "particle:",
                        Role::LegalForm => "legal:",
                    };
                    let art = if p.article { "al-" } else { "" };
                    format!("{role}{art}{}", symbols::render(&p.syms))
                })
                .collect::<Vec<_>>()
                .join(" | "),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn structures() {
        expect_test::expect!["abdlatif | al-hamushi"].assert_eq(&show("Abd al-Latif al-Hamushi"));
        expect_test::expect!["abdlatif | hamushi"].assert_eq(&show("Abdellatif Hammouchi"));
        expect_test::expect!["abdltif | al-hmushi"].assert_eq(&show("عبد اللطيف الحموشي"));
        expect_test::expect!["nurdin"].assert_eq(&show("Nur al-Din"));
        expect_test::expect!["nurdin"].assert_eq(&show("Noureddine"));
        expect_test::expect!["nurdin"].assert_eq(&show("Nour Eddine"));
        expect_test::expect!["nurdin"].assert_eq(&show("نور الدين"));
        expect_test::expect![
            "usama | particle:bin | nasab:muhamad | particle:ibn | nasab:awad | particle:ibn | nasab:ladin"
        ]
        .assert_eq(&show("Usāma bin Muhammad ibn Awad ibn Lādin"));
        expect_test::expect!["kunya:abuaza"].assert_eq(&show("Abu Azza"));
        expect_test::expect!["buaza"].assert_eq(&show("Bouazza"));
        expect_test::expect!["rami | makhluf"].assert_eq(&show("Dr. Rami Makhlouf"));
        expect_test::expect!["abdrahman"].assert_eq(&show("Abd ar-Rahman"));
        expect_test::expect!["abdrahman"].assert_eq(&show("Abdurrahman"));
        expect_test::expect!["habibla"].assert_eq(&show("Habibullah"));
        expect_test::expect!["habibla"].assert_eq(&show("Habib Allah"));
        expect_test::expect!["abdla"].assert_eq(&show("Abdullah"));
        expect_test::expect!["abdla"].assert_eq(&show("عبد الله"));
        expect_test::expect!["abdla | abdla"].assert_eq(&show("Abdillahi Abdulle"));
        expect_test::expect!["salh | jm'a"].assert_eq(&show("صالح جمعه"));
    }
}
