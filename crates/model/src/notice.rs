//! Notices: their content, labels, distribution and lifecycle.

use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::agency::{check_codes, check_free};
use crate::{check_count, check_required, check_text, AgencyCode, ModelError, Role, User};
use crate::{MAX_ITEMS, MAX_NAMES, MAX_REVIEW_DAYS, MAX_SHORT_TEXT_BYTES, MAX_TEXT_BYTES};

/// The kinds of notice, with the nearest INTERPOL colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum NoticeType {
    /// Wanted person, for arrest (Red).
    WantedPerson,
    /// Information on a person (Blue).
    PersonInformation,
    /// Warning about a person (Green).
    PersonWarning,
    /// Missing person (Yellow).
    MissingPerson,
    /// Unidentified body (Black).
    UnidentifiedBody,
    /// Threat warning: a planned attack (Orange).
    ThreatWarning,
    /// Modus operandi (Purple).
    ModusOperandi,
    /// UN Security Council sanctions listing (Special Notice).
    SanctionsListing,
    /// Lost or stolen travel document.
    TravelDocument,
}

impl NoticeType {
    /// All types.
    pub const ALL: [NoticeType; 9] = [
        NoticeType::WantedPerson,
        NoticeType::PersonInformation,
        NoticeType::PersonWarning,
        NoticeType::MissingPerson,
        NoticeType::UnidentifiedBody,
        NoticeType::ThreatWarning,
        NoticeType::ModusOperandi,
        NoticeType::SanctionsListing,
        NoticeType::TravelDocument,
    ];

    /// The kebab-case name used on the wire and in the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeType::WantedPerson => "wanted-person",
            NoticeType::PersonInformation => "person-information",
            NoticeType::PersonWarning => "person-warning",
            NoticeType::MissingPerson => "missing-person",
            NoticeType::UnidentifiedBody => "unidentified-body",
            NoticeType::ThreatWarning => "threat-warning",
            NoticeType::ModusOperandi => "modus-operandi",
            NoticeType::SanctionsListing => "sanctions-listing",
            NoticeType::TravelDocument => "travel-document",
        }
    }

    /// Parses the kebab-case name.
    pub fn parse(s: &str) -> Result<NoticeType, ModelError> {
        NoticeType::ALL.into_iter().find(|t| t.as_str() == s.trim()).ok_or_else(|| ModelError::Invalid {
            field: "type",
            reason: format!(
                "{s:?} is not one of {}",
                NoticeType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")
            ),
        })
    }

    /// Whether the notice is about a person (and so needs at least one name).
    pub fn is_person(self) -> bool {
        matches!(
            self,
            NoticeType::WantedPerson
                | NoticeType::PersonInformation
                | NoticeType::PersonWarning
                | NoticeType::MissingPerson
                | NoticeType::SanctionsListing
        )
    }

    /// Whether the type needs judicial data (offence, law, warrant).
    pub fn needs_judicial(self) -> bool {
        self == NoticeType::WantedPerson
    }
}

/// Traffic Light Protocol 2.0 labels, ordered from least to most restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Tlp {
    /// TLP:CLEAR — no limit on disclosure.
    #[serde(rename = "CLEAR")]
    Clear,
    /// TLP:GREEN — the community.
    #[serde(rename = "GREEN")]
    Green,
    /// TLP:AMBER — the recipient's organisation and its clients, need to know.
    #[serde(rename = "AMBER")]
    Amber,
    /// TLP:AMBER+STRICT — the recipient's organisation only.
    #[serde(rename = "AMBER+STRICT")]
    AmberStrict,
    /// TLP:RED — the named recipients only.
    #[serde(rename = "RED")]
    Red,
}

impl Tlp {
    /// All labels, least restrictive first.
    pub const ALL: [Tlp; 5] = [Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict, Tlp::Red];

    /// The label as written ("AMBER+STRICT").
    pub fn as_str(self) -> &'static str {
        match self {
            Tlp::Clear => "CLEAR",
            Tlp::Green => "GREEN",
            Tlp::Amber => "AMBER",
            Tlp::AmberStrict => "AMBER+STRICT",
            Tlp::Red => "RED",
        }
    }

    /// Parses a label, with or without "TLP:", any case.
    pub fn parse(s: &str) -> Result<Tlp, ModelError> {
        let u = s.trim().to_ascii_uppercase();
        let u = u.strip_prefix("TLP:").unwrap_or(&u);
        Tlp::ALL.into_iter().find(|t| t.as_str() == u).ok_or_else(|| ModelError::Invalid {
            field: "tlp",
            reason: format!("{s:?} is not one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED"),
        })
    }
}

/// Europol-style handling codes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", content = "restriction")]
pub enum Handling {
    /// Use only for preventing and combating crime.
    H0,
    /// Not to be used in judicial proceedings without the owner's consent.
    H1,
    /// No onward sharing without the owner's consent.
    H2,
    /// Other restrictions, in free text (required).
    H3(String),
}

/// Who receives a notice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "agencies", rename_all = "kebab-case")]
pub enum Distribution {
    /// Every member agency (within the agreements).
    All,
    /// Only the named agencies.
    Named(Vec<AgencyCode>),
    /// Every member but the named agencies.
    AllExcept(Vec<AgencyCode>),
}

impl Distribution {
    /// Whether the distribution includes an agency (the owner's agreements still apply).
    pub fn includes(&self, agency: &AgencyCode) -> bool {
        match self {
            Distribution::All => true,
            Distribution::Named(v) => v.contains(agency),
            Distribution::AllExcept(v) => !v.contains(agency),
        }
    }

    /// Whether the agency is named explicitly (TLP:RED needs that).
    pub fn names(&self, agency: &AgencyCode) -> bool {
        matches!(self, Distribution::Named(v) if v.contains(agency))
    }
}

/// Sex as recorded on documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Female.
    F,
    /// Male.
    M,
    /// Unknown or not stated.
    U,
}

/// Warning markers shown to an officer on a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Warning {
    /// Armed.
    Armed,
    /// Violent.
    Violent,
    /// Escape risk.
    EscapeRisk,
    /// Risk of self-harm.
    SelfHarm,
    /// Possibly a victim (trafficking, abduction).
    Victim,
}

impl Warning {
    /// All markers.
    pub const ALL: [Warning; 5] =
        [Warning::Armed, Warning::Violent, Warning::EscapeRisk, Warning::SelfHarm, Warning::Victim];

    /// The kebab-case name used on the wire, in CSV and in the console's keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Warning::Armed => "armed",
            Warning::Violent => "violent",
            Warning::EscapeRisk => "escape-risk",
            Warning::SelfHarm => "self-harm",
            Warning::Victim => "victim",
        }
    }

    /// Parses the kebab-case name.
    pub fn parse(s: &str) -> Result<Warning, ModelError> {
        Warning::ALL.into_iter().find(|w| w.as_str() == s.trim()).ok_or_else(|| ModelError::Invalid {
            field: "warnings",
            reason: format!(
                "{s:?} is not one of {}",
                Warning::ALL.iter().map(|w| w.as_str()).collect::<Vec<_>>().join(", ")
            ),
        })
    }
}

/// One name of a subject, in the script it was written in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NameRecord {
    /// The name as written.
    pub name: String,
    /// ISO 15924 script code if known ("Arab", "Latn").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// Whether this is the name in its original script (exactly one per subject).
    #[serde(default)]
    pub original: bool,
}

/// A travel or identity document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentParticulars {
    /// The document number as printed.
    pub number: String,
    /// "passport", "id-card", "visa", "residence-permit" or another word.
    pub kind: String,
    /// Issuing country, ISO 3166-1 alpha-2 or alpha-3.
    #[serde(default)]
    pub country: String,
    /// Name of the holder as printed, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
}

/// Identity particulars of a person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonParticulars {
    /// Names in every script known; exactly one marked original.
    pub names: Vec<NameRecord>,
    /// Dates of birth: "1975", "1975-03" or "1975-03-12"; several when uncertain.
    #[serde(default)]
    pub dobs: Vec<String>,
    /// Nationalities, ISO 3166-1 codes.
    #[serde(default)]
    pub nationalities: Vec<String>,
    /// Sex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Documents held.
    #[serde(default)]
    pub documents: Vec<DocumentParticulars>,
    /// Physical description.
    #[serde(default)]
    pub description: String,
    /// Reference to a photo held by the owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_ref: Option<String>,
}

/// Judicial data of a wanted-person notice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Judicial {
    /// The offence.
    pub offence: String,
    /// The law that makes it an offence.
    pub law: String,
    /// The maximum penalty.
    pub max_penalty: String,
    /// The arrest warrant's reference.
    pub warrant_ref: String,
    /// The authority that issued the warrant.
    pub warrant_authority: String,
    /// Summary of facts.
    pub facts: String,
}

/// A notice as an author writes it (the API, an import, a stored version).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UncheckedNotice {
    /// Its type.
    #[serde(rename = "type")]
    pub kind: NoticeType,
    /// The owning agency.
    pub owner: AgencyCode,
    /// A short title.
    pub title: String,
    /// The person, for person types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonParticulars>,
    /// The document, for travel-document notices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentParticulars>,
    /// Judicial data, required for wanted persons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judicial: Option<Judicial>,
    /// Free text: the threat, the modus operandi, the circumstances.
    #[serde(default)]
    pub summary: String,
    /// Warning markers.
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// What an officer must do on a hit.
    pub action: String,
    /// Who receives it.
    pub distribution: Distribution,
    /// TLP label.
    pub tlp: Tlp,
    /// Handling code.
    pub handling: Handling,
    /// Days from publication until it expires unless extended.
    pub review_days: u32,
    /// Where it came from, for imports ("un-sc:QDi.001"); unique per owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ref: Option<String>,
}

/// The neutrality checklist a reviewer must tick before approving (INTERPOL's
/// Article 3 and the refugee rule).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeutralityChecklist {
    /// The case has no political character.
    pub not_political: bool,
    /// The case has no military character.
    pub not_military: bool,
    /// The case has no religious character.
    pub not_religious: bool,
    /// The case has no racial character.
    pub not_racial: bool,
    /// The subject is not a refugee fleeing the requesting state.
    pub not_refugee_from_requester: bool,
}

impl NeutralityChecklist {
    /// Every item ticked.
    pub const CLEAR: NeutralityChecklist = NeutralityChecklist {
        not_political: true,
        not_military: true,
        not_religious: true,
        not_racial: true,
        not_refugee_from_requester: true,
    };

    /// The items not ticked.
    pub fn open_items(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        for (ok, name) in [
            (self.not_political, "not_political"),
            (self.not_military, "not_military"),
            (self.not_religious, "not_religious"),
            (self.not_racial, "not_racial"),
            (self.not_refugee_from_requester, "not_refugee_from_requester"),
        ] {
            if !ok {
                v.push(name);
            }
        }
        v
    }
}

/// Where a notice is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Being written; only the owner sees it.
    Draft,
    /// Waiting for a reviewer who is not the author.
    InReview,
    /// Circulating.
    Published,
    /// Past its review period without an extension.
    Expired,
    /// Withdrawn by the owner; reaches every copy.
    Cancelled,
}

impl Status {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in-review",
            Status::Published => "published",
            Status::Expired => "expired",
            Status::Cancelled => "cancelled",
        }
    }

    /// Parses the kebab-case name.
    pub fn parse(s: &str) -> Result<Status, ModelError> {
        [Status::Draft, Status::InReview, Status::Published, Status::Expired, Status::Cancelled]
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| ModelError::Invalid { field: "status", reason: format!("{s:?} is not a status") })
    }
}

/// A checked notice with its lifecycle state.
///
/// Fields that carry invariants are private: content changes only through
/// [`Notice::amend`], state only through the lifecycle methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    content: UncheckedNotice,
    status: Status,
    author: String,
    reviewer: Option<String>,
    published_at: Option<Timestamp>,
    expires_at: Option<Timestamp>,
    extensions: u32,
    last_reason: Option<String>,
}

/// The lifecycle part of a notice, for the store to persist and restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecycleRecord {
    /// Status.
    pub status: Status,
    /// The author's user name (or "import:<source>").
    pub author: String,
    /// The approving reviewer.
    pub reviewer: Option<String>,
    /// When published.
    pub published_at: Option<Timestamp>,
    /// When it expires unless extended.
    pub expires_at: Option<Timestamp>,
    /// How many times extended.
    pub extensions: u32,
    /// The last rejection, extension or cancellation reason.
    pub last_reason: Option<String>,
}

impl Notice {
    /// Checks new content written by `author` and makes a draft.
    pub fn draft(content: UncheckedNotice, author: &User) -> Result<Notice, ModelError> {
        if author.agency != content.owner {
            return Err(ModelError::Transition("a notice is drafted by a user of its owning agency".into()));
        }
        if !author.has(Role::Analyst) {
            return Err(ModelError::Transition("drafting a notice needs the analyst role".into()));
        }
        check_content(&content)?;
        Ok(Notice {
            content,
            status: Status::Draft,
            author: author.username.clone(),
            reviewer: None,
            published_at: None,
            expires_at: None,
            extensions: 0,
            last_reason: None,
        })
    }

    /// A notice from an authoritative list (such as the UN Security Council's),
    /// published at import by a reviewer of the owning agency: the list's own
    /// adoption procedure stands in for the four-eyes review, and the import is
    /// recorded as the author.
    pub fn imported(content: UncheckedNotice, source: &str, by: &User, now: Timestamp) -> Result<Notice, ModelError> {
        if by.agency != content.owner || !by.has(Role::Reviewer) {
            return Err(ModelError::Transition("publishing at import needs a reviewer of the owning agency".into()));
        }
        check_content(&content)?;
        let expires = expiry(now, content.review_days)?;
        Ok(Notice {
            content,
            status: Status::Published,
            author: format!("import:{source}"),
            reviewer: Some(by.username.clone()),
            published_at: Some(now),
            expires_at: Some(expires),
            extensions: 0,
            last_reason: None,
        })
    }

    /// Restores a stored notice, re-checking its content and state.
    pub fn restore(content: UncheckedNotice, life: LifecycleRecord) -> Result<Notice, ModelError> {
        check_content(&content)?;
        let published = matches!(life.status, Status::Published | Status::Expired);
        if published && (life.published_at.is_none() || life.expires_at.is_none()) {
            return Err(ModelError::Invalid { field: "status", reason: "published without dates".into() });
        }
        Ok(Notice {
            content,
            status: life.status,
            author: life.author,
            reviewer: life.reviewer,
            published_at: life.published_at,
            expires_at: life.expires_at,
            extensions: life.extensions,
            last_reason: life.last_reason,
        })
    }

    /// The lifecycle state, for the store.
    pub fn lifecycle(&self) -> LifecycleRecord {
        LifecycleRecord {
            status: self.status,
            author: self.author.clone(),
            reviewer: self.reviewer.clone(),
            published_at: self.published_at,
            expires_at: self.expires_at,
            extensions: self.extensions,
            last_reason: self.last_reason.clone(),
        }
    }

    /// The content (checked).
    pub fn content(&self) -> &UncheckedNotice {
        &self.content
    }

    /// The owning agency.
    pub fn owner(&self) -> &AgencyCode {
        &self.content.owner
    }

    /// The type.
    pub fn kind(&self) -> NoticeType {
        self.content.kind
    }

    /// The author.
    pub fn author(&self) -> &str {
        &self.author
    }

    /// When it expires, once published.
    pub fn expires_at(&self) -> Option<Timestamp> {
        self.expires_at
    }

    /// The status at a moment: a published notice past its review period is expired
    /// whether or not anyone has recorded it.
    pub fn status_at(&self, now: Timestamp) -> Status {
        match (self.status, self.expires_at) {
            (Status::Published, Some(e)) if now >= e => Status::Expired,
            (s, _) => s,
        }
    }

    /// Records the expiry if it is due; returns whether anything changed.
    pub fn expire_if_due(&mut self, now: Timestamp) -> bool {
        if self.status == Status::Published && self.status_at(now) == Status::Expired {
            self.status = Status::Expired;
            return true;
        }
        false
    }

    /// Replaces the content. A published notice goes back to review: changed
    /// content circulates only after a second pair of eyes has seen it.
    pub fn amend(&mut self, by: &User, content: UncheckedNotice) -> Result<(), ModelError> {
        self.owned_by(by, Role::Analyst, "amending")?;
        if matches!(self.status, Status::Cancelled | Status::Expired) {
            return Err(ModelError::Transition(format!("a {} notice cannot be amended", self.status.as_str())));
        }
        if content.owner != self.content.owner || content.kind != self.content.kind {
            return Err(ModelError::Transition("amending cannot change the owner or the type".into()));
        }
        check_content(&content)?;
        self.content = content;
        if self.status == Status::Published {
            self.status = Status::InReview;
            self.reviewer = None;
        }
        Ok(())
    }

    /// Draft → in review.
    pub fn submit(&mut self, by: &User) -> Result<(), ModelError> {
        self.owned_by(by, Role::Analyst, "submitting")?;
        self.expect(Status::Draft, "submitted")?;
        self.status = Status::InReview;
        Ok(())
    }

    /// In review → published, by a reviewer of the owner who is not the author,
    /// with every neutrality item ticked.
    pub fn approve(&mut self, by: &User, checklist: &NeutralityChecklist, now: Timestamp) -> Result<(), ModelError> {
        self.owned_by(by, Role::Reviewer, "approving")?;
        self.expect(Status::InReview, "approved")?;
        if by.username == self.author {
            return Err(ModelError::Transition("the author cannot approve their own notice (four eyes)".into()));
        }
        let open = checklist.open_items();
        if !open.is_empty() {
            return Err(ModelError::Transition(format!("neutrality checklist not cleared: {}", open.join(", "))));
        }
        let expires = expiry(now, self.content.review_days)?;
        self.status = Status::Published;
        self.reviewer = Some(by.username.clone());
        self.published_at = Some(now);
        self.expires_at = Some(expires);
        self.last_reason = None;
        Ok(())
    }

    /// In review → draft, with reasons, by a reviewer who is not the author.
    pub fn reject(&mut self, by: &User, reasons: &str) -> Result<(), ModelError> {
        self.owned_by(by, Role::Reviewer, "rejecting")?;
        self.expect(Status::InReview, "rejected")?;
        if by.username == self.author {
            return Err(ModelError::Transition("the author cannot review their own notice (four eyes)".into()));
        }
        check_required("reasons", reasons, MAX_TEXT_BYTES)?;
        self.status = Status::Draft;
        self.last_reason = Some(reasons.to_string());
        Ok(())
    }

    /// Extends a published (or just expired) notice by `days` from now or from its
    /// current expiry, whichever is later, on a recorded decision.
    pub fn extend(&mut self, by: &User, decision: &str, days: u32, now: Timestamp) -> Result<(), ModelError> {
        self.owned_by(by, Role::Reviewer, "extending")?;
        if !matches!(self.status, Status::Published | Status::Expired) {
            return Err(ModelError::Transition(format!("a {} notice cannot be extended", self.status.as_str())));
        }
        check_required("decision", decision, MAX_TEXT_BYTES)?;
        let from = self.expires_at.map_or(now, |e| e.max(now));
        self.expires_at = Some(expiry(from, days)?);
        self.status = Status::Published;
        self.extensions += 1;
        self.last_reason = Some(decision.to_string());
        Ok(())
    }

    /// Cancels the notice, whatever its state, by a reviewer or admin of the owner
    /// (or its author while it is a draft).
    pub fn cancel(&mut self, by: &User, reason: &str) -> Result<(), ModelError> {
        if self.status == Status::Cancelled {
            return Err(ModelError::Transition("already cancelled".into()));
        }
        let author_draft = self.status == Status::Draft && by.username == self.author;
        if by.agency != self.content.owner || !(author_draft || by.has(Role::Reviewer) || by.has(Role::Admin)) {
            return Err(ModelError::Transition("cancelling needs a reviewer or admin of the owning agency".into()));
        }
        check_required("reason", reason, MAX_TEXT_BYTES)?;
        self.status = Status::Cancelled;
        self.last_reason = Some(reason.to_string());
        Ok(())
    }

    fn owned_by(&self, by: &User, role: Role, what: &str) -> Result<(), ModelError> {
        if by.agency != self.content.owner || !by.has(role) {
            return Err(ModelError::Transition(format!(
                "{what} needs the {} role in the owning agency",
                role.as_str()
            )));
        }
        Ok(())
    }

    fn expect(&self, status: Status, what: &str) -> Result<(), ModelError> {
        if self.status != status {
            return Err(ModelError::Transition(format!("a {} notice cannot be {what}", self.status.as_str())));
        }
        Ok(())
    }
}

fn expiry(from: Timestamp, days: u32) -> Result<Timestamp, ModelError> {
    if days == 0 || days > MAX_REVIEW_DAYS {
        return Err(ModelError::Invalid { field: "review_days", reason: format!("must be 1-{MAX_REVIEW_DAYS}") });
    }
    from.checked_add((i64::from(days) * 24).hours())
        .map_err(|e| ModelError::Invalid { field: "review_days", reason: e.to_string() })
}

/// Checks a date of birth: "YYYY", "YYYY-MM" or "YYYY-MM-DD", a real date, year 1850-2100.
pub fn check_dob(s: &str) -> Result<(), ModelError> {
    let bad =
        || ModelError::Invalid { field: "person.dobs", reason: format!("{s:?} is not YYYY, YYYY-MM or YYYY-MM-DD") };
    let mut it = s.split('-');
    let year: i16 = it.next().filter(|y| y.len() == 4).and_then(|y| y.parse().ok()).ok_or_else(bad)?;
    if !(1850..=2100).contains(&year) {
        return Err(bad());
    }
    let month: Option<i8> = match it.next() {
        Some(m) if m.len() == 2 => Some(m.parse().map_err(|_| bad())?),
        Some(_) => return Err(bad()),
        None => None,
    };
    let day: Option<i8> = match it.next() {
        Some(d) if d.len() == 2 => Some(d.parse().map_err(|_| bad())?),
        Some(_) => return Err(bad()),
        None => None,
    };
    if it.next().is_some() {
        return Err(bad());
    }
    if let Some(m) = month {
        jiff::civil::Date::new(year, m, day.unwrap_or(1)).map_err(|_| bad())?;
    }
    Ok(())
}

fn check_document(field: &'static str, d: &DocumentParticulars) -> Result<(), ModelError> {
    check_required(field, &d.number, MAX_SHORT_TEXT_BYTES)?;
    check_required(field, &d.kind, MAX_SHORT_TEXT_BYTES)?;
    check_text(field, &d.country, MAX_SHORT_TEXT_BYTES)?;
    if let Some(h) = &d.holder {
        check_text(field, h, MAX_SHORT_TEXT_BYTES)?;
    }
    Ok(())
}

fn check_content(c: &UncheckedNotice) -> Result<(), ModelError> {
    check_required("title", &c.title, MAX_SHORT_TEXT_BYTES)?;
    check_text("summary", &c.summary, MAX_TEXT_BYTES)?;
    check_required("action", &c.action, MAX_TEXT_BYTES)?;
    check_count("warnings", &c.warnings, MAX_ITEMS)?;
    if c.review_days == 0 || c.review_days > MAX_REVIEW_DAYS {
        return Err(ModelError::Invalid { field: "review_days", reason: format!("must be 1-{MAX_REVIEW_DAYS}") });
    }
    if let Some(s) = &c.source_ref {
        check_required("source_ref", s, MAX_SHORT_TEXT_BYTES)?;
    }
    match &c.handling {
        Handling::H3(text) => check_required("handling.restriction", text, MAX_TEXT_BYTES)?,
        Handling::H0 | Handling::H1 | Handling::H2 => {}
    }
    match &c.distribution {
        Distribution::All => {}
        Distribution::Named(v) => {
            if v.is_empty() {
                return Err(ModelError::Required { field: "distribution.agencies" });
            }
            check_codes("distribution.agencies", &v.iter().map(|a| a.to_string()).collect::<Vec<_>>())?;
        }
        Distribution::AllExcept(v) => {
            check_codes("distribution.agencies", &v.iter().map(|a| a.to_string()).collect::<Vec<_>>())?;
        }
    }
    if c.tlp == Tlp::Red && !matches!(c.distribution, Distribution::Named(_)) {
        return Err(ModelError::Invalid {
            field: "distribution",
            reason: "TLP:RED goes to named recipients only".into(),
        });
    }
    match (&c.person, c.kind.is_person()) {
        (Some(p), _) => check_person(p)?,
        (None, true) => return Err(ModelError::Required { field: "person" }),
        (None, false) => {}
    }
    match (&c.document, c.kind) {
        (Some(d), _) => check_document("document", d)?,
        (None, NoticeType::TravelDocument) => return Err(ModelError::Required { field: "document" }),
        (None, _) => {}
    }
    match (&c.judicial, c.kind.needs_judicial()) {
        (Some(j), _) => {
            for (field, v) in [
                ("judicial.offence", &j.offence),
                ("judicial.law", &j.law),
                ("judicial.max_penalty", &j.max_penalty),
                ("judicial.warrant_ref", &j.warrant_ref),
                ("judicial.warrant_authority", &j.warrant_authority),
            ] {
                check_required(field, v, MAX_SHORT_TEXT_BYTES)?;
            }
            check_required("judicial.facts", &j.facts, MAX_TEXT_BYTES)?;
        }
        (None, true) => return Err(ModelError::Required { field: "judicial" }),
        (None, false) => {}
    }
    if matches!(c.kind, NoticeType::ThreatWarning | NoticeType::ModusOperandi) {
        check_required("summary", &c.summary, MAX_TEXT_BYTES)?;
    }
    Ok(())
}

fn check_person(p: &PersonParticulars) -> Result<(), ModelError> {
    if p.names.is_empty() {
        return Err(ModelError::Required { field: "person.names" });
    }
    check_count("person.names", &p.names, MAX_NAMES)?;
    for n in &p.names {
        check_required("person.names", &n.name, MAX_SHORT_TEXT_BYTES)?;
        if let Some(s) = &n.script {
            if s.len() != 4 || !s.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(ModelError::Invalid {
                    field: "person.names.script",
                    reason: format!("{s:?} is not an ISO 15924 code"),
                });
            }
        }
    }
    let originals = p.names.iter().filter(|n| n.original).count();
    if originals != 1 {
        return Err(ModelError::Invalid {
            field: "person.names",
            reason: format!("exactly one name must be marked original, found {originals}"),
        });
    }
    check_count("person.dobs", &p.dobs, MAX_ITEMS)?;
    for d in &p.dobs {
        check_dob(d)?;
    }
    check_count("person.nationalities", &p.nationalities, MAX_ITEMS)?;
    for n in &p.nationalities {
        if !(2..=3).contains(&n.len()) || !n.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(ModelError::Invalid {
                field: "person.nationalities",
                reason: format!("{n:?} is not an upper-case ISO 3166 code"),
            });
        }
    }
    check_count("person.documents", &p.documents, MAX_ITEMS)?;
    for d in &p.documents {
        check_document("person.documents", d)?;
    }
    check_free("person.description", &p.description, MAX_TEXT_BYTES)?;
    if let Some(r) = &p.photo_ref {
        check_text("person.photo_ref", r, MAX_SHORT_TEXT_BYTES)?;
    }
    Ok(())
}
