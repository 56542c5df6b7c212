//! Hits: an officer's report that a screened person may be the subject of a
//! notice, and the small workflow both agencies follow up.

use serde::{Deserialize, Serialize};

use crate::{check_required, check_text, AgencyCode, ModelError, Role, User};
use crate::{MAX_SHORT_TEXT_BYTES, MAX_TEXT_BYTES};

/// Where a hit is in its follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum HitStatus {
    /// Reported by the checking officer; the owner must verify.
    Reported,
    /// The owner confirms it is the person.
    Confirmed,
    /// The owner says it is not the person.
    NotThePerson,
    /// The action requested by the notice was taken.
    ActionTaken,
}

impl HitStatus {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            HitStatus::Reported => "reported",
            HitStatus::Confirmed => "confirmed",
            HitStatus::NotThePerson => "not-the-person",
            HitStatus::ActionTaken => "action-taken",
        }
    }

    /// Parses the kebab-case name.
    pub fn parse(s: &str) -> Result<HitStatus, ModelError> {
        [HitStatus::Reported, HitStatus::Confirmed, HitStatus::NotThePerson, HitStatus::ActionTaken]
            .into_iter()
            .find(|h| h.as_str() == s)
            .ok_or_else(|| ModelError::Invalid { field: "status", reason: format!("{s:?} is not a hit status") })
    }
}

/// What the officer reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HitReport {
    /// Where: border post, airport, city.
    pub place: String,
    /// When the person was seen (RFC 3339).
    pub seen_at: String,
    /// Circumstances: travel document shown, itinerary, companions.
    pub context: String,
    /// The name as screened.
    pub query_name: String,
    /// What the officer did at once, if anything.
    #[serde(default)]
    pub action_taken: String,
}

/// A reported hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The notice hit.
    pub notice_id: i64,
    /// The notice's owner, who must verify.
    pub owner: AgencyCode,
    /// The reporting officer.
    pub reporter: String,
    /// The reporting officer's agency.
    pub reporter_agency: AgencyCode,
    /// Where it is in the follow-up.
    pub status: HitStatus,
    /// The report.
    pub report: HitReport,
}

impl Hit {
    /// A new report by an officer (who must be able to see the notice: the caller checks).
    pub fn report(notice_id: i64, owner: &AgencyCode, by: &User, report: HitReport) -> Result<Hit, ModelError> {
        if !by.has(Role::Officer) {
            return Err(ModelError::Transition("reporting a hit needs the officer role".into()));
        }
        check_required("place", &report.place, MAX_SHORT_TEXT_BYTES)?;
        check_required("query_name", &report.query_name, MAX_SHORT_TEXT_BYTES)?;
        check_text("context", &report.context, MAX_TEXT_BYTES)?;
        check_text("action_taken", &report.action_taken, MAX_TEXT_BYTES)?;
        report
            .seen_at
            .parse::<jiff::Timestamp>()
            .map_err(|e| ModelError::Invalid { field: "seen_at", reason: format!("not an RFC 3339 time: {e}") })?;
        Ok(Hit {
            notice_id,
            owner: owner.clone(),
            reporter: by.username.clone(),
            reporter_agency: by.agency.clone(),
            status: HitStatus::Reported,
            report,
        })
    }

    /// Whether a user's agency takes part in this hit (owner or reporter).
    pub fn involves(&self, agency: &AgencyCode) -> bool {
        &self.owner == agency || &self.reporter_agency == agency
    }

    /// Moves the hit on: the owner confirms or says it is not the person; once
    /// confirmed, either agency records the action taken.
    pub fn advance(&mut self, by: &User, to: HitStatus, note: &str) -> Result<(), ModelError> {
        check_text("note", note, MAX_TEXT_BYTES)?;
        if by.roles == [Role::Auditor] {
            return Err(ModelError::Transition("auditors read; they do not act on hits".into()));
        }
        let owner = by.agency == self.owner;
        let ok = match (self.status, to) {
            (HitStatus::Reported, HitStatus::Confirmed | HitStatus::NotThePerson) => owner,
            (HitStatus::Confirmed, HitStatus::ActionTaken) => self.involves(&by.agency),
            _ => false,
        };
        if !ok {
            return Err(ModelError::Transition(format!(
                "a {} hit cannot become {} by {}",
                self.status.as_str(),
                to.as_str(),
                if owner { "the owning agency" } else { "this agency" }
            )));
        }
        self.status = to;
        Ok(())
    }
}
