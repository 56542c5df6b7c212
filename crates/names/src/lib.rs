//! Cross-script personal-name matching: normalise, structure and compare names
//! written in Arabic script or in any Latin spelling, and explain every score.
//!
//! # The key design decision
//!
//! Arabic script leaves short vowels out, so one Arabic name has many Latin
//! spellings (محمد → Muhammad, Mohammed, Mohamed, Mhamed) and no transliteration
//! can guess the one a passport used. This crate never transliterates into "the"
//! Latin spelling. Both scripts are reduced to one small alphabet of phonetic
//! symbols whose classes group the letters spellings confuse (ش/sh/ch, ج/j/dj/g,
//! و/w/ou/u/o, ي/y/i/ee), and names are compared by a weighted edit distance over
//! those symbols in which a missing short vowel is cheap and a different consonant
//! is expensive. Name parts are then aligned (tolerating reordering, split and
//! joined compounds, missing nasab links), weighted by rarity, and penalised
//! hard when a part on each side is left without a partner: a different family
//! name or nisba is a different person.
//!
//! The crate does no I/O and knows nothing about notices or screening; every
//! table it uses (symbols, particles, titles, part frequencies) is written by
//! this project.
//!
//! ```
//! use names::{match_names, NameKind};
//! let c = match_names("Abdellatif Hammouchi", "عبد اللطيف الحموشي", NameKind::Person).unwrap();
//! assert!(c.is_match);
//! let c = match_names("Abdellatif Hammouchi", "Abdellatif Hammoumi", NameKind::Person).unwrap();
//! assert!(!c.is_match);
//! ```
#![deny(missing_docs)]

pub mod compare;
pub mod freq;
pub mod given;
pub mod normalize;
pub mod parse;
pub mod symbols;

pub use compare::{compare, score, Comparison, Explanation};
pub use normalize::normalise;
pub use parse::{parse, Compound, Name, Part, Role, Script};

/// Most characters accepted in one name; longer input is an error, not a truncation.
pub const MAX_NAME_CHARS: usize = 256;
/// Most words (tokens) accepted in one name.
pub const MAX_PARTS: usize = 16;
/// Most phonetic symbols of one part that take part in a comparison; the rest
/// of an absurdly long word is ignored (bounds the cost of one comparison).
pub const MAX_PART_SYMBOLS: usize = 40;
/// Score at or above which two names are reported as the same name.
pub const DEFAULT_THRESHOLD: f32 = 0.70;

/// Whether a name is a person's or an organisation's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// A natural person: titles are dropped, Arabic name structure applies.
    Person,
    /// An organisation: legal forms never identify, generic words cannot carry a match.
    Organization,
}

/// Errors for names that cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Nothing left after normalisation (only punctuation or spaces).
    #[error("the name is empty once punctuation and spaces are removed")]
    Empty,
    /// More characters than [`MAX_NAME_CHARS`].
    #[error("the name has {chars} characters; at most {max} are accepted")]
    TooLong {
        /// Characters in the input.
        chars: usize,
        /// The bound.
        max: usize,
    },
    /// More words than [`MAX_PARTS`].
    #[error("the name has {parts} words; at most {max} are accepted")]
    TooManyParts {
        /// Words in the input.
        parts: usize,
        /// The bound.
        max: usize,
    },
}

/// Parse and compare two raw names of the same kind.
pub fn match_names(a: &str, b: &str, kind: NameKind) -> Result<Comparison, NameError> {
    let a = parse(a, kind)?;
    let b = parse(b, kind)?;
    Ok(compare(&a, &b))
}
