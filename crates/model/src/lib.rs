//! The domain of Liaison: who the agencies and their users are, what they have
//! agreed to share, what a notice is and how it moves from draft to expiry, and
//! the one rule that decides who may see which notice.
//!
//! # The key design decision
//!
//! Parse, don't validate. Everything that arrives from outside (the API, an
//! import, a database row) is an `Unchecked…` value with public fields and serde;
//! it becomes a domain value ([`Notice`], [`Agreement`], [`Agency`], [`User`]) only
//! through a constructor that enforces every invariant and bound, so code that
//! holds a `Notice` never re-checks it. Lifecycle changes are methods that return
//! a typed error when the transition is not allowed (four eyes, neutrality
//! checklist, expiry). [`visibility`] is the only place that decides whether a
//! user of an agency may see a notice and which fields; the store, the screening
//! index and the server all ask it.
//!
//! This crate does no I/O and knows nothing of SQL, HTTP or the screening index.
#![deny(missing_docs)]

mod agency;
mod hit;
mod notice;
mod visibility;

pub use agency::{
    Agency, AgencyCode, Agreement, AgreementId, Role, UncheckedAgency, UncheckedAgreement, UncheckedUser, User,
    MAX_USERNAME_BYTES,
};
pub use hit::{Hit, HitReport, HitStatus};
pub use notice::{
    check_dob, Distribution, DocumentParticulars, Handling, Judicial, LifecycleRecord, NameRecord, NeutralityChecklist,
    Notice, NoticeType, PersonParticulars, Sex, Status, Tlp, UncheckedNotice, Warning,
};
pub use visibility::{day_of, visibility, visibility_of, FieldSet, NoticeHead, Viewer};

/// Longest agency code, in bytes ("MA-DGSN").
pub const MAX_AGENCY_CODE_BYTES: usize = 16;
/// Longest free text (summary of facts, description, H3 restriction, reasons), in bytes.
pub const MAX_TEXT_BYTES: usize = 8_192;
/// Longest short text (a name, an offence, a reference), in bytes.
pub const MAX_SHORT_TEXT_BYTES: usize = 512;
/// Most names per notice subject.
pub const MAX_NAMES: usize = 32;
/// Most dates of birth, nationalities, documents, warnings or list items per notice.
pub const MAX_ITEMS: usize = 16;
/// Most agencies named in a distribution list or an agreement's signatories.
pub const MAX_LISTED: usize = 256;
/// Longest review period a notice may have, in days (five years, as INTERPOL's).
pub const MAX_REVIEW_DAYS: u32 = 5 * 366;

/// What was wrong with a value from outside, and in which field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// A field is missing or empty.
    #[error("{field}: required")]
    Required {
        /// The field.
        field: &'static str,
    },
    /// A field is longer than its bound.
    #[error("{field}: longer than {max} bytes")]
    TooLong {
        /// The field.
        field: &'static str,
        /// The bound.
        max: usize,
    },
    /// A list has more items than its bound.
    #[error("{field}: more than {max} items")]
    TooMany {
        /// The field.
        field: &'static str,
        /// The bound.
        max: usize,
    },
    /// A field has a value that is not allowed.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Why.
        reason: String,
    },
    /// A lifecycle step that is not allowed now.
    #[error("not allowed: {0}")]
    Transition(String),
}

/// Cuts text to at most `max` bytes on a character boundary (for external
/// text kept whole elsewhere, such as a list's comments or an audit target).
pub fn truncate_bytes(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

pub(crate) fn check_text(field: &'static str, s: &str, max: usize) -> Result<(), ModelError> {
    if s.len() > max {
        return Err(ModelError::TooLong { field, max });
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(ModelError::Invalid { field, reason: "contains control characters".into() });
    }
    Ok(())
}

pub(crate) fn check_required(field: &'static str, s: &str, max: usize) -> Result<(), ModelError> {
    if s.trim().is_empty() {
        return Err(ModelError::Required { field });
    }
    check_text(field, s, max)
}

pub(crate) fn check_count<T>(field: &'static str, v: &[T], max: usize) -> Result<(), ModelError> {
    if v.len() > max {
        return Err(ModelError::TooMany { field, max });
    }
    Ok(())
}
