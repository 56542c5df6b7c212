//! Screening: here is a person (names in any script, perhaps a date of birth,
//! nationality, document number); which watchlist entries may be them, ranked,
//! and why?
//!
//! # The key design decision
//!
//! Scoring a pair of names well costs microseconds; a watchlist has millions of
//! names. So screening is two steps. First, *candidate generation* from the
//! coarse consonant skeletons that [`names`] gives every name part (and every
//! pair of adjacent parts joined, for split and joined compounds), plus their
//! one-deletion variants, so that both scripts and most spellings meet on a key.
//! Keys are pruned by how common they are in the index: a key with more than
//! [`COMMON_POSTINGS`] names ("Mohamed") is never walked, only probed for the
//! candidates the rare keys found. At most [`MAX_SCORED`] candidates per query are
//! then scored by [`names::compare`], adjusted by date of birth and nationality,
//! and ranked. An exact document number is decisive whatever the name.
//!
//! Readers query an immutable [`Snapshot`]; writers build a new one and swap it
//! in atomically ([`Index`]), so a reload never blocks or tears a query. Changes
//! go to a small delta segment with tombstones over the base; the base is only
//! rebuilt when the delta grows past [`DELTA_MAX`].
//!
//! This crate knows nothing of HTTP, SQL or agencies.
#![deny(missing_docs)]

mod date;
mod index;

pub use date::{DateError, PartialDate};
pub use index::{Index, Segment, Snapshot};

use names::NameKind;

/// Most names per entry.
pub const MAX_NAMES_PER_ENTRY: usize = 32;
/// Most dates of birth, nationalities or documents per entry.
pub const MAX_ATTRIBUTES_PER_ENTRY: usize = 16;
/// Most bytes of an entry id.
pub const MAX_ID_BYTES: usize = 128;
/// Most names one segment can index (name ids share a posting with the part index).
pub const MAX_INDEXED_NAMES: usize = 1 << 28;
/// A key with more names than this is never walked, only probed.
pub const COMMON_POSTINGS: usize = 1024;
/// Most candidates scored in full per query.
pub const MAX_SCORED: usize = 250;
/// How many times [`MAX_SCORED`] candidates a filtered search may walk to find
/// [`MAX_SCORED`] the caller allows.
pub const FILTER_HEADROOM: usize = 4;
/// Most hits a query may ask for.
pub const MAX_LIMIT: usize = 100;
/// Default number of hits returned.
pub const DEFAULT_LIMIT: usize = 10;
/// Changes kept in the delta segment before the base is rebuilt.
pub const DELTA_MAX: usize = 50_000;

/// Errors of entries and queries that cannot be indexed or run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScreenError {
    /// A name that cannot be parsed.
    #[error("name {index}: {source}")]
    Name {
        /// Which name of the entry or query (0-based).
        index: usize,
        /// Why.
        source: names::NameError,
    },
    /// An entry or query without any name and without a document number.
    #[error("no name and no document number")]
    NoName,
    /// A bad date of birth.
    #[error("date of birth {index}: {source}")]
    Date {
        /// Which date (0-based).
        index: usize,
        /// Why.
        source: DateError,
    },
    /// Over a named bound.
    #[error("{what}: {got} given, at most {max} accepted")]
    TooMany {
        /// What was counted.
        what: &'static str,
        /// How many were given.
        got: usize,
        /// The bound.
        max: usize,
    },
    /// An id that is empty or too long.
    #[error("id must have 1 to {MAX_ID_BYTES} bytes")]
    BadId,
}

/// A watchlist entry as given by its owner, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct EntryInput {
    /// The entry's id (a notice id, a list reference).
    pub id: String,
    /// Names in any script.
    pub names: Vec<String>,
    /// Dates of birth: "YYYY", "YYYY-MM" or "YYYY-MM-DD".
    pub dobs: Vec<String>,
    /// Nationalities (ISO country codes).
    pub nationalities: Vec<String>,
    /// Document numbers (passports, identity cards).
    pub documents: Vec<String>,
    /// Person or organisation.
    pub kind: Option<NameKind>,
}

/// A checked watchlist entry, its names parsed once.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The entry's id.
    pub id: String,
    /// The names as given.
    pub raw_names: Vec<String>,
    /// The parsed names, same order.
    pub names: Vec<names::Name>,
    /// Dates of birth.
    pub dobs: Vec<PartialDate>,
    /// Nationalities, upper case.
    pub nationalities: Vec<String>,
    /// Document numbers, normalised (see [`normalise_document`]).
    pub documents: Vec<String>,
}

impl Entry {
    /// Check and parse an entry.
    pub fn new(input: EntryInput) -> Result<Entry, ScreenError> {
        if input.id.is_empty() || input.id.len() > MAX_ID_BYTES {
            return Err(ScreenError::BadId);
        }
        bound("names", input.names.len(), MAX_NAMES_PER_ENTRY)?;
        bound("dates of birth", input.dobs.len(), MAX_ATTRIBUTES_PER_ENTRY)?;
        bound("nationalities", input.nationalities.len(), MAX_ATTRIBUTES_PER_ENTRY)?;
        bound("documents", input.documents.len(), MAX_ATTRIBUTES_PER_ENTRY)?;
        let kind = input.kind.unwrap_or(NameKind::Person);
        let names = input
            .names
            .iter()
            .enumerate()
            .map(|(index, n)| names::parse(n, kind).map_err(|source| ScreenError::Name { index, source }))
            .collect::<Result<Vec<_>, _>>()?;
        let dobs = input
            .dobs
            .iter()
            .enumerate()
            .map(|(index, d)| PartialDate::parse(d).map_err(|source| ScreenError::Date { index, source }))
            .collect::<Result<Vec<_>, _>>()?;
        let documents: Vec<String> =
            input.documents.iter().map(|d| normalise_document(d)).filter(|d| !d.is_empty()).collect();
        if names.is_empty() && documents.is_empty() {
            return Err(ScreenError::NoName);
        }
        // entries show their names as given; the normalised copy is not kept
        let names = names
            .into_iter()
            .map(|mut n| {
                n.normalised = String::new();
                n
            })
            .collect();
        Ok(Entry {
            id: input.id,
            raw_names: input.names,
            names,
            dobs,
            nationalities: input.nationalities.iter().map(|n| n.trim().to_ascii_uppercase()).collect(),
            documents,
        })
    }
}

fn bound(what: &'static str, got: usize, max: usize) -> Result<(), ScreenError> {
    if got > max {
        Err(ScreenError::TooMany { what, got, max })
    } else {
        Ok(())
    }
}

/// A document number as compared: letters and digits only, upper case.
pub fn normalise_document(d: &str) -> String {
    d.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// One person to screen.
#[derive(Debug, Clone)]
pub struct Query {
    /// Names in any script (already parsed).
    pub names: Vec<names::Name>,
    /// Date of birth, if known.
    pub dob: Option<PartialDate>,
    /// Nationality, if known (upper case).
    pub nationality: Option<String>,
    /// Document number, if known (normalised).
    pub document: Option<String>,
    /// Report hits at or above this score.
    pub threshold: f32,
    /// Report at most this many hits.
    pub limit: usize,
    /// Drop name hits more than this below the best one (see [`DEFAULT_MARGIN`]).
    pub margin: f32,
}

impl Query {
    /// Build a query from raw fields, checking every bound.
    pub fn new(
        names_: &[String],
        dob: Option<&str>,
        nationality: Option<&str>,
        document: Option<&str>,
        threshold: Option<f32>,
        limit: Option<usize>,
    ) -> Result<Query, ScreenError> {
        bound("names", names_.len(), MAX_NAMES_PER_ENTRY)?;
        let names = names_
            .iter()
            .enumerate()
            .map(|(index, n)| names::parse(n, NameKind::Person).map_err(|source| ScreenError::Name { index, source }))
            .collect::<Result<Vec<_>, _>>()?;
        let dob =
            dob.map(|d| PartialDate::parse(d).map_err(|source| ScreenError::Date { index: 0, source })).transpose()?;
        let document = document.map(normalise_document).filter(|d| !d.is_empty());
        if names.is_empty() && document.is_none() {
            return Err(ScreenError::NoName);
        }
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        bound("limit", limit, MAX_LIMIT)?;
        Ok(Query {
            names,
            dob,
            nationality: nationality.map(|n| n.trim().to_ascii_uppercase()).filter(|n| !n.is_empty()),
            document,
            threshold: threshold.unwrap_or(DEFAULT_THRESHOLD).clamp(0.0, 1.0),
            limit,
            margin: DEFAULT_MARGIN,
        })
    }
}

/// Default screening threshold. Lower than [`names::DEFAULT_THRESHOLD`] (the
/// balanced decision "same name or not"): a screening hit is a candidate that an
/// officer verifies with the owning agency, so missing the person costs more
/// than one more line to read, and [`DEFAULT_MARGIN`] keeps the weaker
/// alternatives out.
pub const DEFAULT_THRESHOLD: f32 = 0.62;
/// Default margin: a name hit scoring more than this below the query's best hit
/// is not reported, since the best hit explains the typed name much better.
/// Document-number hits are always reported. A margin of 1 reports every hit
/// above the threshold.
pub const DEFAULT_MARGIN: f32 = 0.15;

/// How the date of birth bore on a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DobEffect {
    /// No date on one side.
    Unknown,
    /// Same full date.
    Agrees,
    /// Agrees as far as both are known (year, or year and month).
    AgreesPartly,
    /// Years one apart: neither raises nor lowers.
    Near,
    /// Contradicts.
    Contradicts,
}

/// One ranked hit.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The entry's id.
    pub id: String,
    /// Final score in [0, 1].
    pub score: f32,
    /// Score of the names alone.
    pub name_score: f32,
    /// The entry's name that matched best (as given).
    pub name: String,
    /// The query name that matched it.
    pub query_name: String,
    /// Why the names matched.
    pub explanation: names::Explanation,
    /// How the date of birth bore on it.
    pub dob: DobEffect,
    /// Whether the nationality agreed (None: unknown on one side).
    pub nationality_agrees: Option<bool>,
    /// An exact document-number match: decisive, whatever the name.
    pub document_match: bool,
}

/// Raise for a full date-of-birth agreement: the score moves this share of the way to 1.
pub const DOB_AGREE_GAIN: f32 = 0.3;
/// Raise for a partial date agreement (year, or year and month).
pub const DOB_PARTIAL_GAIN: f32 = 0.15;
/// Factor for a contradicting date of birth.
pub const DOB_CONTRADICT_FACTOR: f32 = 0.8;
/// Raise for an agreeing nationality.
pub const NATIONALITY_GAIN: f32 = 0.05;

/// Combine a name score with the other particulars of entry and query.
pub fn adjust(name_score: f32, entry: &Entry, q: &Query) -> (f32, DobEffect, Option<bool>) {
    let mut s = name_score;
    let dob = match q.dob {
        None => DobEffect::Unknown,
        Some(_) if entry.dobs.is_empty() => DobEffect::Unknown,
        Some(d) => entry.dobs.iter().map(|e| d.compare(e)).max_by_key(|e| dob_rank(*e)).unwrap_or(DobEffect::Unknown),
    };
    match dob {
        DobEffect::Agrees => s += (1.0 - s) * DOB_AGREE_GAIN,
        DobEffect::AgreesPartly => s += (1.0 - s) * DOB_PARTIAL_GAIN,
        DobEffect::Contradicts => s *= DOB_CONTRADICT_FACTOR,
        DobEffect::Near | DobEffect::Unknown => {}
    }
    let nat = match &q.nationality {
        Some(n) if !entry.nationalities.is_empty() => Some(entry.nationalities.iter().any(|e| e == n)),
        _ => None,
    };
    if nat == Some(true) {
        s += (1.0 - s) * NATIONALITY_GAIN;
    }
    (s.clamp(0.0, 1.0), dob, nat)
}

fn dob_rank(e: DobEffect) -> u8 {
    match e {
        DobEffect::Agrees => 4,
        DobEffect::AgreesPartly => 3,
        DobEffect::Near => 2,
        DobEffect::Unknown => 1,
        DobEffect::Contradicts => 0,
    }
}
