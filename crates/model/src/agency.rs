//! Agencies, their users and roles, and the agreements between agencies.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::{check_count, check_required, check_text, ModelError, NoticeType, Tlp};
use crate::{MAX_AGENCY_CODE_BYTES, MAX_ITEMS, MAX_LISTED, MAX_SHORT_TEXT_BYTES};

/// An agency's code: 2 to [`MAX_AGENCY_CODE_BYTES`] of `A-Z`, `0-9` and `-`,
/// starting with a letter ("MA-DGSN", "TN", "FR-OCRVP").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct AgencyCode(String);

impl AgencyCode {
    /// Checks and wraps a code; lower case is accepted and upper-cased.
    pub fn new(code: &str) -> Result<AgencyCode, ModelError> {
        let code = code.trim().to_ascii_uppercase();
        let ok = (2..=MAX_AGENCY_CODE_BYTES).contains(&code.len())
            && code.starts_with(|c: char| c.is_ascii_uppercase())
            && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            return Err(ModelError::Invalid {
                field: "agency code",
                reason: format!("{code:?} is not 2-{MAX_AGENCY_CODE_BYTES} of A-Z, 0-9, '-' starting with a letter"),
            });
        }
        Ok(AgencyCode(code))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AgencyCode {
    type Error = ModelError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        AgencyCode::new(&s)
    }
}

impl From<AgencyCode> for String {
    fn from(c: AgencyCode) -> String {
        c.0
    }
}

impl std::fmt::Display for AgencyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An agency as it arrives from outside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UncheckedAgency {
    /// Its code.
    pub code: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Name in Arabic.
    pub name_ar: String,
    /// Name in French.
    pub name_fr: String,
    /// Name in English.
    pub name_en: String,
}

/// A member agency, with its name in the three working languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    /// Its code.
    pub code: AgencyCode,
    /// ISO 3166-1 alpha-2 country code, upper case.
    pub country: String,
    /// Name in Arabic.
    pub name_ar: String,
    /// Name in French.
    pub name_fr: String,
    /// Name in English.
    pub name_en: String,
}

impl Agency {
    /// Checks an agency from outside.
    pub fn new(u: UncheckedAgency) -> Result<Agency, ModelError> {
        let country = u.country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(ModelError::Invalid {
                field: "country",
                reason: format!("{country:?} is not ISO 3166 alpha-2"),
            });
        }
        check_required("name_ar", &u.name_ar, MAX_SHORT_TEXT_BYTES)?;
        check_required("name_fr", &u.name_fr, MAX_SHORT_TEXT_BYTES)?;
        check_required("name_en", &u.name_en, MAX_SHORT_TEXT_BYTES)?;
        Ok(Agency {
            code: AgencyCode::new(&u.code)?,
            country,
            name_ar: u.name_ar,
            name_fr: u.name_fr,
            name_en: u.name_en,
        })
    }

    /// Back to the outside form.
    pub fn to_unchecked(&self) -> UncheckedAgency {
        UncheckedAgency {
            code: self.code.to_string(),
            country: self.country.clone(),
            name_ar: self.name_ar.clone(),
            name_fr: self.name_fr.clone(),
            name_en: self.name_en.clone(),
        }
    }
}

/// What a user may do. A user has one or more roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Screens people and reports hits.
    Officer,
    /// Reads notices and drafts new ones.
    Analyst,
    /// Approves or rejects notices drafted by others.
    Reviewer,
    /// Manages users and agreements of the agency.
    Admin,
    /// Reads the audit log.
    Auditor,
}

impl Role {
    /// All roles.
    pub const ALL: [Role; 5] = [Role::Officer, Role::Analyst, Role::Reviewer, Role::Admin, Role::Auditor];

    /// The lower-case name used on the wire and in the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Analyst => "analyst",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
            Role::Auditor => "auditor",
        }
    }

    /// Parses the lower-case name.
    pub fn parse(s: &str) -> Result<Role, ModelError> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim()).ok_or_else(|| ModelError::Invalid {
            field: "role",
            reason: format!("{s:?} is not one of officer, analyst, reviewer, admin, auditor"),
        })
    }
}

/// A user as it arrives from outside (the password is handled by the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UncheckedUser {
    /// Log-in name: 2-64 of a-z, 0-9, '.', '_', '-'.
    pub username: String,
    /// The agency the user belongs to.
    pub agency: String,
    /// Display name.
    pub display_name: String,
    /// Roles.
    pub roles: Vec<Role>,
}

/// A user of one agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Log-in name, unique across the installation.
    pub username: String,
    /// The agency the user belongs to.
    pub agency: AgencyCode,
    /// Display name.
    pub display_name: String,
    /// Roles, sorted and without repeats; never empty.
    pub roles: Vec<Role>,
}

/// Longest user name, in bytes.
pub const MAX_USERNAME_BYTES: usize = 64;

impl User {
    /// Checks a user from outside.
    pub fn new(u: UncheckedUser) -> Result<User, ModelError> {
        let ok = (2..=MAX_USERNAME_BYTES).contains(&u.username.len())
            && u.username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        if !ok {
            return Err(ModelError::Invalid {
                field: "username",
                reason: format!("{:?} is not 2-{MAX_USERNAME_BYTES} of a-z, 0-9, '.', '_', '-'", u.username),
            });
        }
        check_required("display_name", &u.display_name, MAX_SHORT_TEXT_BYTES)?;
        let mut roles = u.roles;
        roles.sort();
        roles.dedup();
        if roles.is_empty() {
            return Err(ModelError::Required { field: "roles" });
        }
        Ok(User { username: u.username, agency: AgencyCode::new(&u.agency)?, display_name: u.display_name, roles })
    }

    /// Whether the user has a role.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Back to the outside form.
    pub fn to_unchecked(&self) -> UncheckedUser {
        UncheckedUser {
            username: self.username.clone(),
            agency: self.agency.to_string(),
            display_name: self.display_name.clone(),
            roles: self.roles.clone(),
        }
    }
}

/// An agreement's id, given by the store.
pub type AgreementId = i64;

/// An agreement as it arrives from outside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UncheckedAgreement {
    /// First party.
    pub a: String,
    /// Second party.
    pub b: String,
    /// Notice types that `a` shares with `b`.
    pub a_to_b: Vec<NoticeType>,
    /// Notice types that `b` shares with `a`.
    pub b_to_a: Vec<NoticeType>,
    /// The most restrictive TLP label either side may send under it.
    pub tlp_max: Tlp,
    /// First day in force.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub in_force_from: Date,
    /// Last day in force, if it ends.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub in_force_to: Option<Date>,
    /// Who signed it, for each party.
    pub signatories: Vec<String>,
}

/// A bilateral agreement: which notice types flow each way, the highest TLP
/// label allowed, when it is in force, and who signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// First party.
    pub a: AgencyCode,
    /// Second party, never the same as `a`.
    pub b: AgencyCode,
    /// Notice types that `a` shares with `b`, sorted, no repeats.
    pub a_to_b: Vec<NoticeType>,
    /// Notice types that `b` shares with `a`, sorted, no repeats.
    pub b_to_a: Vec<NoticeType>,
    /// The most restrictive TLP label either side may send under it.
    pub tlp_max: Tlp,
    /// First day in force.
    pub in_force_from: Date,
    /// Last day in force (inclusive), if it ends; never before `in_force_from`.
    pub in_force_to: Option<Date>,
    /// Who signed it; at least one.
    pub signatories: Vec<String>,
}

impl Agreement {
    /// Checks an agreement from outside.
    pub fn new(u: UncheckedAgreement) -> Result<Agreement, ModelError> {
        let a = AgencyCode::new(&u.a)?;
        let b = AgencyCode::new(&u.b)?;
        if a == b {
            return Err(ModelError::Invalid { field: "b", reason: "an agreement needs two different agencies".into() });
        }
        if let Some(to) = u.in_force_to {
            if to < u.in_force_from {
                return Err(ModelError::Invalid { field: "in_force_to", reason: "ends before it starts".into() });
            }
        }
        if u.signatories.is_empty() {
            return Err(ModelError::Required { field: "signatories" });
        }
        check_count("signatories", &u.signatories, MAX_ITEMS)?;
        for s in &u.signatories {
            check_required("signatories", s, MAX_SHORT_TEXT_BYTES)?;
        }
        let norm = |mut v: Vec<NoticeType>| {
            v.sort();
            v.dedup();
            v
        };
        check_count("a_to_b", &u.a_to_b, MAX_LISTED)?;
        check_count("b_to_a", &u.b_to_a, MAX_LISTED)?;
        Ok(Agreement {
            a,
            b,
            a_to_b: norm(u.a_to_b),
            b_to_a: norm(u.b_to_a),
            tlp_max: u.tlp_max,
            in_force_from: u.in_force_from,
            in_force_to: u.in_force_to,
            signatories: u.signatories,
        })
    }

    /// Back to the outside form.
    pub fn to_unchecked(&self) -> UncheckedAgreement {
        UncheckedAgreement {
            a: self.a.to_string(),
            b: self.b.to_string(),
            a_to_b: self.a_to_b.clone(),
            b_to_a: self.b_to_a.clone(),
            tlp_max: self.tlp_max,
            in_force_from: self.in_force_from,
            in_force_to: self.in_force_to,
            signatories: self.signatories.clone(),
        }
    }

    /// Whether it is in force on a day.
    pub fn in_force(&self, day: Date) -> bool {
        day >= self.in_force_from && self.in_force_to.is_none_or(|to| day <= to)
    }

    /// Whether, on `day`, it lets `owner` share a notice of `kind` labelled `tlp` with `recipient`.
    pub fn covers(&self, owner: &AgencyCode, recipient: &AgencyCode, kind: NoticeType, tlp: Tlp, day: Date) -> bool {
        let types = if &self.a == owner && &self.b == recipient {
            &self.a_to_b
        } else if &self.b == owner && &self.a == recipient {
            &self.b_to_a
        } else {
            return false;
        };
        self.in_force(day) && tlp <= self.tlp_max && types.contains(&kind)
    }
}

pub(crate) fn check_codes(field: &'static str, v: &[String]) -> Result<Vec<AgencyCode>, ModelError> {
    check_count(field, v, MAX_LISTED)?;
    let mut out = v.iter().map(|c| AgencyCode::new(c)).collect::<Result<Vec<_>, _>>()?;
    out.sort();
    out.dedup();
    Ok(out)
}

pub(crate) fn check_free(field: &'static str, s: &str, max: usize) -> Result<(), ModelError> {
    check_text(field, s, max)
}
