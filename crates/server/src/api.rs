//! The JSON API under `/api/v1`: request and response shapes (the only serde
//! types of the server) and the handlers.

use std::sync::Arc;
use std::time::Instant;

use audit::Action;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use model::{
    visibility, visibility_of, Agency, AgencyCode, Agreement, FieldSet, Handling, Hit, HitReport, HitStatus,
    NeutralityChecklist, Notice, NoticeType, Role, Status, Tlp, UncheckedAgency, UncheckedAgreement, UncheckedNotice,
    UncheckedUser, User, Viewer, Warning,
};
use serde::{Deserialize, Serialize};
use store::{NoticeFilter, Store};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{token_hash, Principal};
use crate::error::Json;
use crate::{now_ms, ApiError, App, MAX_BATCH, MAX_BODY_BYTES, MAX_QUERY_NAME_CHARS};

/// Most notices or hits in one listing page.
pub const MAX_LIST: usize = 500;

type AppState<S> = State<Arc<App<S>>>;
type ApiResult<T> = Result<T, ApiError>;

// ---------- shapes ----------

/// Log-in request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// A user as the API shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    /// User name.
    pub username: String,
    /// Agency code.
    pub agency: String,
    /// Display name.
    pub display_name: String,
    /// Roles.
    pub roles: Vec<Role>,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            username: u.username.clone(),
            agency: u.agency.to_string(),
            display_name: u.display_name.clone(),
            roles: u.roles.clone(),
        }
    }
}

/// A session.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    /// The bearer token (shown once).
    pub token: String,
    /// When it expires (RFC 3339).
    pub expires_at: String,
    /// Who logged in.
    pub user: UserView,
}

/// A new user (admins, for their own agency).
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUser {
    /// User name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Password, 12 characters or more.
    pub password: String,
}

/// An API token for a system user of the admin's agency.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewToken {
    /// The user the token acts as.
    pub username: String,
    /// A label ("border-system-3").
    pub name: String,
    /// Days until it expires; none: until revoked.
    pub days: Option<u32>,
}

/// A created token.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenCreated {
    /// Id, for revoking.
    pub id: i64,
    /// The bearer token (shown once, stored only hashed).
    pub token: String,
}

/// An agreement with its id.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AgreementView {
    /// Id.
    pub id: i64,
    /// The agreement.
    pub agreement: UncheckedAgreement,
}

/// A notice as a user may see it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NoticeView {
    /// Id.
    pub id: i64,
    /// Version (send it back with a change).
    pub version: i64,
    /// Status now.
    pub status: Status,
    /// Which fields this user sees: full, shared or screening.
    pub fields: String,
    /// The content, cut to those fields.
    pub notice: UncheckedNotice,
    /// The author (owning agency only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// When it expires (RFC 3339), once published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// One line of a notice list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NoticeSummary {
    /// Id.
    pub id: i64,
    /// Type.
    #[serde(rename = "type")]
    pub kind: NoticeType,
    /// Owner.
    pub owner: String,
    /// Status now.
    pub status: Status,
    /// Title.
    pub title: String,
}

/// A page of notices.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NoticeList {
    /// The notices.
    pub notices: Vec<NoticeSummary>,
    /// Pass as `after` for the next page.
    pub next_after: Option<i64>,
}

/// A created notice.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Created {
    /// Id.
    pub id: i64,
    /// Version.
    pub version: i64,
}

/// A lifecycle step.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Step {
    /// The version the caller read.
    pub version: i64,
    /// approve: the neutrality checklist.
    #[serde(default)]
    pub checklist: Option<NeutralityChecklist>,
    /// reject: reasons; extend: the decision; cancel: the reason.
    #[serde(default)]
    pub reason: Option<String>,
    /// extend: days.
    #[serde(default)]
    pub days: Option<u32>,
}

/// A change of content.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Amend {
    /// The version the caller read.
    pub version: i64,
    /// The new content.
    pub notice: UncheckedNotice,
}

/// One version of a notice.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VersionView {
    /// Version.
    pub version: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What changed.
    pub change: String,
    /// Status then.
    pub status: Status,
    /// Reason recorded, if any.
    pub reason: Option<String>,
}

/// Why (every read of notice data states a purpose).
#[derive(Debug, Deserialize, IntoParams)]
pub struct Purpose {
    /// The purpose, for the audit log.
    pub purpose: String,
}

/// Paging and filters of a notice list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// The purpose, for the audit log.
    pub purpose: String,
    /// Only in this status.
    pub status: Option<Status>,
    /// Only this owner's.
    pub owner: Option<String>,
    /// Ids after this one.
    pub after: Option<i64>,
    /// At most this many (default 100, at most 500).
    pub limit: Option<usize>,
}

/// Screening one person.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ScreenRequest {
    /// The name, in any script.
    pub name: String,
    /// Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.
    pub dob: Option<String>,
    /// Nationality, ISO 3166.
    pub nationality: Option<String>,
    /// Travel document number.
    pub document: Option<String>,
    /// Report hits at or above this score (default 0.62).
    pub threshold: Option<f32>,
    /// At most this many hits (default 10, at most 100).
    pub limit: Option<usize>,
    /// The purpose, for the audit log.
    pub purpose: String,
}

/// One aligned pair of name parts.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AlignedView {
    /// Part(s) of the query.
    pub query: String,
    /// Part(s) of the notice's name.
    pub notice: String,
    /// How the query part reads.
    pub query_sounds: String,
    /// How the notice part reads.
    pub notice_sounds: String,
    /// Similarity.
    pub similarity: f32,
    /// Rarity weight.
    pub weight: f32,
    /// How the parts agree when it is not by spelling ("short form": Ted / Theodore).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A part left over.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UnalignedView {
    /// "query" or "notice".
    pub side: String,
    /// Text.
    pub text: String,
    /// Whether it contradicts (both sides have parts left).
    pub contradiction: bool,
}

/// A factor that lowered the score.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PenaltyView {
    /// What.
    pub reason: String,
    /// The factor.
    pub factor: f32,
}

/// Why a name matched.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ExplanationView {
    /// Aligned parts.
    pub aligned: Vec<AlignedView>,
    /// Parts left over.
    pub unaligned: Vec<UnalignedView>,
    /// What lowered the score.
    pub penalties: Vec<PenaltyView>,
    /// How the names were read before comparison (titles left out, "LAST First" order restored).
    #[serde(default)]
    pub read_as: Vec<String>,
}

/// A screening hit.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScreenHit {
    /// The notice.
    pub notice_id: i64,
    /// Score with date of birth, nationality and document.
    pub score: f32,
    /// Name score alone.
    pub name_score: f32,
    /// The notice's name that matched.
    pub matched_name: String,
    /// The query as normalised.
    pub query_name: String,
    /// Notice type.
    #[serde(rename = "type")]
    pub kind: NoticeType,
    /// Owning agency (to contact).
    pub owner: String,
    /// Title.
    pub title: String,
    /// Warning markers.
    pub warnings: Vec<Warning>,
    /// What to do.
    pub action: String,
    /// TLP label.
    pub tlp: Tlp,
    /// Handling code.
    pub handling: Handling,
    /// How the date of birth compared: agrees, agrees-partly, near, contradicts, unknown.
    pub dob: String,
    /// Whether nationality agrees, if both known.
    pub nationality_agrees: Option<bool>,
    /// Whether the document number matched exactly.
    pub document_match: bool,
    /// Why.
    pub explanation: ExplanationView,
}

/// Screening result.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScreenResponse {
    /// Hits, best first.
    pub hits: Vec<ScreenHit>,
    /// Milliseconds spent searching.
    pub took_ms: f64,
}

/// One query of a batch.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchQuery {
    /// The caller's id for it.
    pub id: String,
    /// The name.
    pub name: String,
    /// Date of birth.
    pub dob: Option<String>,
    /// Nationality.
    pub nationality: Option<String>,
    /// Document number.
    pub document: Option<String>,
}

/// Screening many people.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchRequest {
    /// The queries (at most 1,000).
    pub queries: Vec<BatchQuery>,
    /// Threshold for all.
    pub threshold: Option<f32>,
    /// Limit per query.
    pub limit: Option<usize>,
    /// The purpose, for the audit log.
    pub purpose: String,
}

/// One batch result.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BatchResult {
    /// The caller's id.
    pub id: String,
    /// Hits.
    pub hits: Vec<ScreenHit>,
}

/// Batch results, in the order of the queries.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BatchResponse {
    /// Results.
    pub results: Vec<BatchResult>,
}

/// Reporting a hit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct HitRequest {
    /// The notice.
    pub notice_id: i64,
    /// Where, when, what.
    #[serde(flatten)]
    pub report: HitReport,
}

/// One step of a hit.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HitEventView {
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// Their agency.
    pub agency: String,
    /// Status reached.
    pub status: HitStatus,
    /// Note.
    pub note: String,
}

/// A hit as both agencies see it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HitView {
    /// Id.
    pub id: i64,
    /// Version (send it back with the next step).
    pub version: i64,
    /// The notice.
    pub notice_id: i64,
    /// Owning agency.
    pub owner: String,
    /// Reporting officer.
    pub reporter: String,
    /// Reporting agency.
    pub reporter_agency: String,
    /// Status.
    pub status: HitStatus,
    /// The report.
    pub report: HitReport,
    /// The steps, oldest first.
    pub events: Vec<HitEventView>,
}

/// A hit's next step.
#[derive(Debug, Deserialize, ToSchema)]
pub struct HitStep {
    /// The version the caller read.
    pub version: i64,
    /// confirmed, not-the-person or action-taken.
    pub status: HitStatus,
    /// What was done or found.
    #[serde(default)]
    pub note: String,
}

/// Hits an agency takes part in.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HitList {
    /// Hits, oldest first.
    pub hits: Vec<HitView>,
}

/// Paging.
#[derive(Debug, Deserialize, IntoParams)]
pub struct Page {
    /// After this id (hits) or sequence number (audit).
    pub after: Option<i64>,
    /// At most this many (default 100, at most 500).
    pub limit: Option<usize>,
}

/// An audit record.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditRecordView {
    /// Sequence number.
    pub seq: u64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// Their agency.
    pub agency: String,
    /// What.
    pub action: String,
    /// About what.
    pub target: String,
    /// Why.
    pub purpose: String,
    /// Results.
    pub results: u64,
}

/// A page of audit records.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditList {
    /// Records of the auditor's agency.
    pub records: Vec<AuditRecordView>,
    /// Pass as `after` for the next page.
    pub next_after: Option<u64>,
}

/// Health.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// "ok".
    pub status: String,
    /// Notices in the live screening index.
    pub notices_live: usize,
    /// Server version.
    pub version: String,
}

// ---------- helpers ----------

fn ts(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.to_string()).unwrap_or_default()
}

fn parse_id(raw: &str, what: &str) -> ApiResult<i64> {
    raw.parse::<i64>().map_err(|_| ApiError::NotFound(format!("{what} {raw}")))
}

pub(crate) fn purpose_of(p: &str) -> ApiResult<&str> {
    if p.trim().is_empty() {
        return Err(ApiError::BadRequest("purpose", "purpose: required (it goes to the audit log)".into()));
    }
    if p.len() > audit::MAX_FIELD_BYTES {
        return Err(ApiError::BadRequest("purpose", format!("purpose: longer than {} bytes", audit::MAX_FIELD_BYTES)));
    }
    Ok(p)
}

fn fields_name(f: FieldSet) -> &'static str {
    match f {
        FieldSet::Full => "full",
        FieldSet::Shared => "shared",
        FieldSet::Screening => "screening",
    }
}

/// Query strings, with problems for bad ones.
pub struct Query<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for Query<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e| ApiError::BadRequest("query", e.body_text()))
    }
}

impl<S: Store + Clone + 'static> App<S> {
    /// A notice this user may see, with the fields they may see; 404 otherwise.
    pub(crate) async fn visible_notice(&self, p: &Principal, id: i64) -> ApiResult<(store::StoredNotice, FieldSet)> {
        let not_found = || ApiError::NotFound(format!("notice {id}"));
        let stored = self.store.notice(id).await?.ok_or_else(not_found)?;
        let viewer = Viewer { agency: &p.user.agency, roles: &p.user.roles };
        let fields =
            visibility(&viewer, &stored.notice, &self.agreements(), jiff::Timestamp::now()).ok_or_else(not_found)?;
        Ok((stored, fields))
    }

    fn view(&self, s: &store::StoredNotice, fields: FieldSet) -> NoticeView {
        let now = jiff::Timestamp::now();
        NoticeView {
            id: s.id,
            version: s.version,
            status: s.notice.status_at(now),
            fields: fields_name(fields).into(),
            notice: s.notice.redacted(fields),
            author: (fields == FieldSet::Full).then(|| s.notice.author().to_string()),
            expires_at: s.notice.expires_at().map(|t| t.to_string()),
        }
    }

    /// Screens one query for a principal: only notices they may see, best first.
    pub fn screen_one(&self, p: &Principal, q: &screen::Query) -> Vec<ScreenHit> {
        let viewer = Viewer { agency: &p.user.agency, roles: &p.user.roles };
        let agreements = self.agreements();
        let now = jiff::Timestamp::now();
        let day = model::day_of(now);
        let snap = self.live.index.snapshot();
        // One read of the heads for the whole query: the rule decides before
        // scoring, so invisible notices neither show nor crowd out.
        self.live.with_heads(|heads| {
            let visible = |id: &str| -> bool {
                id.parse::<i64>()
                    .ok()
                    .and_then(|id| heads.get(&id))
                    .and_then(|h| visibility_of(&viewer, &h.rule_head(now), &agreements, day))
                    .is_some()
            };
            let hits = snap.search_where(q, &visible);
            hits.into_iter()
                .filter_map(|h| {
                    let id = h.id.parse::<i64>().ok()?;
                    let head = heads.get(&id)?;
                    Some(ScreenHit {
                        notice_id: id,
                        score: round3(h.score),
                        name_score: round3(h.name_score),
                        matched_name: h.name,
                        query_name: h.query_name,
                        kind: head.kind,
                        owner: head.owner.to_string(),
                        title: head.title.clone(),
                        warnings: head.warnings.clone(),
                        action: head.action.clone(),
                        tlp: head.tlp,
                        handling: head.handling.clone(),
                        dob: dob_name(h.dob).into(),
                        nationality_agrees: h.nationality_agrees,
                        document_match: h.document_match,
                        explanation: explanation_view(&h.explanation),
                    })
                })
                .collect()
        })
    }
}

impl<S: Store + Clone + 'static> App<S> {
    /// One lifecycle step of a notice by its owning agency: submit, approve, reject, extend or cancel.
    pub async fn notice_step(&self, p: &Principal, id: i64, what: &str, r: Step) -> ApiResult<Created> {
        let (stored, fields) = self.visible_notice(p, id).await?;
        if fields != FieldSet::Full {
            return Err(ApiError::Forbidden("only the owning agency moves a notice through its lifecycle".into()));
        }
        let mut n = stored.notice;
        let now = jiff::Timestamp::now();
        let reason = r.reason.as_deref().unwrap_or("");
        let (change, action) = match what {
            "submit" => (n.submit(&p.user).map(|_| "submitted")?, Action::Change),
            "approve" => {
                (n.approve(&p.user, &r.checklist.unwrap_or_default(), now).map(|_| "approved")?, Action::Review)
            }
            "reject" => (n.reject(&p.user, reason).map(|_| "rejected")?, Action::Review),
            "extend" => {
                let days = r.days.ok_or_else(|| ApiError::BadRequest("days", "days: required".into()))?;
                (n.extend(&p.user, reason, days, now).map(|_| "extended")?, Action::Review)
            }
            "cancel" => (n.cancel(&p.user, reason).map(|_| "cancelled")?, Action::Change),
            other => return Err(ApiError::NotFound(format!("step {other}"))),
        };
        let e = p.entry(action, format!("notice {id} {change}"), change, 1);
        let version = self.store.update_notice(id, r.version, &n, &p.user.username, change, now_ms(), e).await?;
        self.live.update(id, &n, now);
        Ok(Created { id, version })
    }

    /// The notices a user may see, by id: their own in every status, others' published ones.
    pub async fn notice_list(&self, p: &Principal, q: ListParams) -> ApiResult<NoticeList> {
        let purpose = purpose_of(&q.purpose)?;
        let limit = q.limit.unwrap_or(100).clamp(1, MAX_LIST);
        let after = q.after.unwrap_or(0);
        let owner = q.owner.as_deref().map(AgencyCode::new).transpose()?;
        let now = jiff::Timestamp::now();
        let mut out: Vec<NoticeSummary> = Vec::new();
        if owner.as_ref().is_none_or(|o| o == &p.user.agency) {
            // Own notices, in every status, from the store.
            let page = self
                .store
                .notices(&NoticeFilter {
                    owner: Some(p.user.agency.clone()),
                    after_id: after,
                    limit: limit as i64,
                    ..Default::default()
                })
                .await?;
            out.extend(page.iter().filter(|s| q.status.is_none_or(|st| st == s.notice.status_at(now))).map(|s| {
                NoticeSummary {
                    id: s.id,
                    kind: s.notice.kind(),
                    owner: s.notice.owner().to_string(),
                    status: s.notice.status_at(now),
                    title: s.notice.content().title.clone(),
                }
            }));
        }
        if owner.as_ref().is_none_or(|o| o != &p.user.agency) && q.status.is_none_or(|s| s == Status::Published) {
            // Others' notices: only published ones can be visible; the live heads hold them.
            let viewer = Viewer { agency: &p.user.agency, roles: &p.user.roles };
            let agreements = self.agreements();
            let day = model::day_of(now);
            self.live.with_heads(|heads| {
                for (id, h) in heads.range(after + 1..) {
                    if out.len() >= limit * 2 {
                        break;
                    }
                    if h.owner == p.user.agency || owner.as_ref().is_some_and(|o| o != &h.owner) {
                        continue;
                    }
                    if visibility_of(&viewer, &h.rule_head(now), &agreements, day).is_some() {
                        out.push(NoticeSummary {
                            id: *id,
                            kind: h.kind,
                            owner: h.owner.to_string(),
                            status: Status::Published,
                            title: h.title.clone(),
                        });
                    }
                }
            });
        }
        out.sort_by_key(|n| n.id);
        out.truncate(limit);
        let next_after = (out.len() == limit).then(|| out.last().map(|n| n.id)).flatten();
        self.audit(vec![p.entry(Action::Search, "notice list", purpose, out.len() as u64)]).await?;
        Ok(NoticeList { notices: out, next_after })
    }

    /// A page of the audit log for an auditor: their agency's records.
    pub async fn audit_page(&self, p: &Principal, q: Page) -> ApiResult<AuditList> {
        p.require(&[Role::Auditor])?;
        let limit = q.limit.unwrap_or(100).clamp(1, MAX_LIST);
        let mut after = u64::try_from(q.after.unwrap_or(0)).unwrap_or(0);
        let mine = p.user.agency.to_string();
        let mut out = Vec::new();
        // The log is shared; an auditor reads their own agency's records.
        'pages: for _ in 0..20 {
            let page = self.store.audit_records(after, 5_000).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for r in page {
                if r.entry.agency == mine {
                    out.push(AuditRecordView {
                        seq: r.seq,
                        at: ts(r.entry.at_ms),
                        actor: r.entry.actor,
                        agency: r.entry.agency,
                        action: r.entry.action.as_str().into(),
                        target: r.entry.target,
                        purpose: r.entry.purpose,
                        results: r.entry.result_count,
                    });
                    if out.len() == limit {
                        break 'pages;
                    }
                }
            }
        }
        let next_after = out.last().map(|r| r.seq).filter(|_| out.len() == limit);
        self.audit(vec![p.entry(Action::Read, "audit log", "audit", out.len() as u64)]).await?;
        Ok(AuditList { records: out, next_after })
    }

    /// Checks and stores a draft by an analyst of the owning agency.
    pub async fn draft_notice(&self, p: &Principal, c: UncheckedNotice) -> ApiResult<i64> {
        let n = Notice::draft(c, &p.user)?;
        Ok(self.store.create_notice(&n, &p.user.username, now_ms(), p.entry(Action::Create, "", "drafting", 1)).await?)
    }

    /// Screens and records the search in the audit log; the result only after
    /// the record is committed. Returns the hits and the milliseconds searched.
    pub async fn screen_audited(
        &self,
        p: &Principal,
        q: &screen::Query,
        target: String,
        purpose: &str,
    ) -> ApiResult<(Vec<ScreenHit>, f64)> {
        let t0 = Instant::now();
        // About a millisecond of CPU: run it on this worker. Handing it to the
        // blocking pool let dozens of searches thrash two cores.
        let hits = self.screen_one(p, q);
        let took_ms = t0.elapsed().as_secs_f64() * 1e3;
        metrics::counter!("liaison_screenings_total").increment(1);
        metrics::histogram!("liaison_screening_seconds").record(took_ms / 1e3);
        self.audit(vec![p.entry(Action::Screen, target, purpose, hits.len() as u64)]).await?;
        Ok((hits, took_ms))
    }

    /// An officer reports a hit on a notice they may see; the owner's inbox has it at once.
    pub async fn report_hit(&self, p: &Principal, notice_id: i64, report: HitReport) -> ApiResult<store::StoredHit> {
        let (stored, _) = self.visible_notice(p, notice_id).await?;
        let hit = Hit::report(notice_id, stored.notice.owner(), &p.user, report)?;
        let id = self.store.create_hit(&hit, now_ms(), p.entry(Action::Create, "", "hit report", 1)).await?;
        metrics::counter!("liaison_hits_reported_total").increment(1);
        self.store.hit(id).await?.ok_or_else(|| ApiError::Internal(format!("hit {id} vanished")))
    }

    /// The hits the user's agency takes part in (owner or reporter), audited.
    pub async fn hit_inbox(&self, p: &Principal, after: i64, limit: i64) -> ApiResult<Vec<store::StoredHit>> {
        let hits = self.store.hits(&p.user.agency, after, limit).await?;
        self.audit(vec![p.entry(Action::Search, "hit inbox", "hit follow-up", hits.len() as u64)]).await?;
        Ok(hits)
    }

    /// The next step of a hit, by either agency as the workflow allows.
    pub async fn advance_hit(
        &self,
        p: &Principal,
        id: i64,
        version: i64,
        status: HitStatus,
        note: String,
    ) -> ApiResult<store::StoredHit> {
        let stored = visible_hit(self, p, id).await?;
        let mut hit = stored.hit;
        hit.advance(&p.user, status, &note)?;
        let event = store::HitEvent {
            at_ms: now_ms(),
            actor: p.user.username.clone(),
            agency: p.user.agency.to_string(),
            status,
            note,
        };
        let e = p.entry(Action::Change, format!("hit {id} {}", status.as_str()), "hit follow-up", 1);
        self.store.update_hit(id, version, &hit, &event, e).await?;
        self.store.hit(id).await?.ok_or_else(|| ApiError::NotFound(format!("hit {id}")))
    }
}

fn dob_name(d: screen::DobEffect) -> &'static str {
    match d {
        screen::DobEffect::Unknown => "unknown",
        screen::DobEffect::Agrees => "agrees",
        screen::DobEffect::AgreesPartly => "agrees-partly",
        screen::DobEffect::Near => "near",
        screen::DobEffect::Contradicts => "contradicts",
    }
}

fn explanation_view(e: &names::Explanation) -> ExplanationView {
    ExplanationView {
        aligned: e
            .aligned
            .iter()
            .map(|a| AlignedView {
                query: a.a.clone(),
                notice: a.b.clone(),
                query_sounds: a.a_sounds.clone(),
                notice_sounds: a.b_sounds.clone(),
                similarity: round3(a.similarity),
                weight: round3(a.weight),
                note: a.note.map(str::to_string),
            })
            .collect(),
        unaligned: e
            .unaligned
            .iter()
            .map(|u| UnalignedView {
                side: if u.side == 'a' { "query" } else { "notice" }.into(),
                text: u.text.clone(),
                contradiction: u.contradiction,
            })
            .collect(),
        penalties: e
            .penalties
            .iter()
            .map(|x| PenaltyView { reason: x.reason.clone(), factor: round3(x.factor) })
            .collect(),
        read_as: e.read_as.clone(),
    }
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// A screening query from request fields, with the API's bounds.
pub fn query_of(
    name: &str,
    dob: Option<&str>,
    nationality: Option<&str>,
    document: Option<&str>,
    threshold: Option<f32>,
    limit: Option<usize>,
) -> ApiResult<screen::Query> {
    if name.chars().count() > MAX_QUERY_NAME_CHARS {
        return Err(ApiError::BadRequest("name", format!("name: longer than {MAX_QUERY_NAME_CHARS} characters")));
    }
    if threshold.is_some_and(|t| !(0.0..=1.0).contains(&t)) {
        return Err(ApiError::BadRequest("threshold", "threshold: must be between 0 and 1".into()));
    }
    let names = if name.trim().is_empty() { Vec::new() } else { vec![name.to_string()] };
    let mut q = screen::Query::new(&names, dob, nationality, document, threshold, limit)
        .map_err(|e| ApiError::BadRequest("query", e.to_string()))?;
    // The margin is applied among what the user may see, by the filtered search.
    q.margin = screen::DEFAULT_MARGIN;
    Ok(q)
}

// ---------- handlers ----------

async fn health<S: Store + Clone + 'static>(State(app): AppState<S>) -> Json<Health> {
    Json(Health { status: "ok".into(), notices_live: app.live.len(), version: env!("CARGO_PKG_VERSION").into() })
}

async fn metrics_text<S: Store + Clone + 'static>(State(app): AppState<S>) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], app.metrics_text()).into_response()
}

async fn openapi_json() -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], crate::openapi::document()).into_response()
}

async fn login<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    Json(r): Json<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let (token, expires, user) = app.login(&r.username, &r.password).await?;
    Ok(Json(LoginResponse { token, expires_at: ts(expires), user: UserView::from(&user) }))
}

async fn logout<S: Store + Clone + 'static>(State(app): AppState<S>, p: Principal) -> ApiResult<StatusCode> {
    let e = p.entry(Action::Login, "log-out", "log-out", 1);
    app.store.revoke_token(p.token_id, &p.user.username, e).await?;
    app.forget_tokens();
    Ok(StatusCode::NO_CONTENT)
}

async fn me(p: Principal) -> Json<UserView> {
    Json(UserView::from(&p.user))
}

async fn agencies<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    _p: Principal,
) -> ApiResult<Json<Vec<UncheckedAgency>>> {
    Ok(Json(app.store.agencies().await?.iter().map(Agency::to_unchecked).collect()))
}

async fn users<S: Store + Clone + 'static>(State(app): AppState<S>, p: Principal) -> ApiResult<Json<Vec<UserView>>> {
    p.require(&[Role::Admin])?;
    Ok(Json(app.store.users(Some(&p.user.agency)).await?.iter().map(UserView::from).collect()))
}

async fn add_user<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Json(r): Json<NewUser>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    p.require(&[Role::Admin])?;
    let u = User::new(UncheckedUser {
        username: r.username,
        agency: p.user.agency.to_string(),
        display_name: r.display_name,
        roles: r.roles,
    })?;
    let pw = r.password;
    let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&pw))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    if let Some((existing, _)) = app.store.user(&u.username).await? {
        if existing.agency != p.user.agency {
            return Err(ApiError::Conflict("taken", format!("user name {} is taken", u.username)));
        }
    }
    app.store
        .put_user(&u, Some(&hash), p.entry(Action::Admin, format!("user {}", u.username), "administration", 1))
        .await?;
    app.forget_tokens();
    Ok((StatusCode::CREATED, Json(UserView::from(&u))))
}

async fn add_token<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Json(r): Json<NewToken>,
) -> ApiResult<(StatusCode, Json<TokenCreated>)> {
    p.require(&[Role::Admin])?;
    let (u, _) =
        app.store.user(&r.username).await?.ok_or_else(|| ApiError::NotFound(format!("user {}", r.username)))?;
    if u.agency != p.user.agency {
        return Err(ApiError::NotFound(format!("user {}", r.username)));
    }
    if r.name.trim().is_empty() || r.name.len() > model::MAX_SHORT_TEXT_BYTES {
        return Err(ApiError::BadRequest("name", "name: 1 to 512 bytes".into()));
    }
    let expires = match r.days {
        Some(d) if d == 0 || d > model::MAX_REVIEW_DAYS => {
            return Err(ApiError::BadRequest("days", format!("days: 1 to {}", model::MAX_REVIEW_DAYS)))
        }
        Some(d) => Some(now_ms() + i64::from(d) * 86_400_000),
        None => None,
    };
    let token = crate::auth::new_token()?;
    let e = p.entry(Action::Admin, format!("api token {} for {}", r.name, u.username), "administration", 1);
    let id = app.store.create_token(&token_hash(&token), &u.username, "api", &r.name, expires, e).await?;
    Ok((StatusCode::CREATED, Json(TokenCreated { id, token })))
}

async fn revoke_token<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Path(raw): Path<String>,
) -> ApiResult<StatusCode> {
    let id = parse_id(&raw, "token")?;
    let e = p.entry(Action::Admin, format!("revoke token {id}"), "administration", 1);
    if !app.store.revoke_token(id, &p.user.username, e).await? {
        return Err(ApiError::NotFound(format!("token {id}")));
    }
    app.forget_tokens();
    Ok(StatusCode::NO_CONTENT)
}

async fn agreements<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
) -> ApiResult<Json<Vec<AgreementView>>> {
    let mine = &p.user.agency;
    Ok(Json(
        app.store
            .agreements()
            .await?
            .into_iter()
            .filter(|(_, a)| &a.a == mine || &a.b == mine)
            .map(|(id, a)| AgreementView { id, agreement: a.to_unchecked() })
            .collect(),
    ))
}

async fn add_agreement<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Json(r): Json<UncheckedAgreement>,
) -> ApiResult<(StatusCode, Json<AgreementView>)> {
    p.require(&[Role::Admin])?;
    let a = Agreement::new(r)?;
    if a.a != p.user.agency && a.b != p.user.agency {
        return Err(ApiError::Forbidden("an admin records agreements of their own agency".into()));
    }
    let known = app.store.agencies().await?;
    for c in [&a.a, &a.b] {
        if !known.iter().any(|k| &k.code == c) {
            return Err(ApiError::BadRequest("agency", format!("agency {c}: unknown")));
        }
    }
    let e = p.entry(Action::Admin, format!("agreement {}-{}", a.a, a.b), "administration", 1);
    let id = app.store.add_agreement(&a, e).await?;
    app.reload_agreements().await?;
    Ok((StatusCode::CREATED, Json(AgreementView { id, agreement: a.to_unchecked() })))
}

async fn list_notices<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Query(q): Query<ListParams>,
) -> ApiResult<Json<NoticeList>> {
    Ok(Json(app.notice_list(&p, q).await?))
}

async fn create_notice<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Json(c): Json<UncheckedNotice>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = app.draft_notice(&p, c).await?;
    Ok((StatusCode::CREATED, Json(Created { id, version: 1 })))
}

async fn get_notice<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Path(raw): Path<String>,
    Query(q): Query<Purpose>,
) -> ApiResult<Json<NoticeView>> {
    let purpose = purpose_of(&q.purpose)?;
    let id = parse_id(&raw, "notice")?;
    let (stored, fields) = app.visible_notice(&p, id).await?;
    app.audit(vec![p.entry(Action::Read, format!("notice {id}"), purpose, 1)]).await?;
    Ok(Json(app.view(&stored, fields)))
}

async fn amend_notice<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Path(raw): Path<String>,
    Json(r): Json<Amend>,
) -> ApiResult<Json<Created>> {
    let id = parse_id(&raw, "notice")?;
    let (stored, fields) = app.visible_notice(&p, id).await?;
    if fields != FieldSet::Full {
        return Err(ApiError::Forbidden("only the owning agency changes a notice".into()));
    }
    let mut n = stored.notice;
    n.amend(&p.user, r.notice)?;
    let e = p.entry(Action::Change, format!("notice {id} amended"), "amending", 1);
    let version = app.store.update_notice(id, r.version, &n, &p.user.username, "amended", now_ms(), e).await?;
    app.live.update(id, &n, jiff::Timestamp::now());
    Ok(Json(Created { id, version }))
}

async fn history<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Path(raw): Path<String>,
) -> ApiResult<Json<Vec<VersionView>>> {
    let id = parse_id(&raw, "notice")?;
    let (_, fields) = app.visible_notice(&p, id).await?;
    if fields != FieldSet::Full {
        return Err(ApiError::NotFound(format!("notice {id} history")));
    }
    let versions = app.store.notice_history(id).await?;
    app.audit(vec![p.entry(Action::Read, format!("notice {id} history"), "history", versions.len() as u64)]).await?;
    Ok(Json(
        versions
            .into_iter()
            .map(|v| {
                let life = v.notice.lifecycle();
                VersionView {
                    version: v.version,
                    at: ts(v.at_ms),
                    actor: v.actor,
                    change: v.change,
                    status: life.status,
                    reason: life.last_reason,
                }
            })
            .collect(),
    ))
}

async fn step<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Path((raw, what)): Path<(String, String)>,
    Json(r): Json<Step>,
) -> ApiResult<Json<Created>> {
    let id = parse_id(&raw, "notice")?;
    Ok(Json(app.notice_step(&p, id, &what, r).await?))
}

async fn screen_person<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Json(r): Json<ScreenRequest>,
) -> ApiResult<Json<ScreenResponse>> {
    p.require(&[Role::Officer, Role::Analyst, Role::Reviewer])?;
    let purpose = purpose_of(&r.purpose)?;
    let q = query_of(&r.name, r.dob.as_deref(), r.nationality.as_deref(), r.document.as_deref(), r.threshold, r.limit)?;
    let target = format!("screen {:?}{}", r.name, r.dob.as_deref().map(|d| format!(" born {d}")).unwrap_or_default());
    let (hits, took_ms) = app.screen_audited(&p, &q, target, purpose).await?;
    Ok(Json(ScreenResponse { hits, took_ms: (took_ms * 1000.0).round() / 1000.0 }))
}

async fn screen_batch<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Json(r): Json<BatchRequest>,
) -> ApiResult<Json<BatchResponse>> {
    p.require(&[Role::Officer, Role::Analyst, Role::Reviewer])?;
    let purpose = purpose_of(&r.purpose)?.to_string();
    if r.queries.len() > MAX_BATCH {
        return Err(ApiError::TooLarge(format!("queries: more than {MAX_BATCH} in one batch")));
    }
    let mut queries = Vec::with_capacity(r.queries.len());
    for (i, bq) in r.queries.iter().enumerate() {
        let q = query_of(
            &bq.name,
            bq.dob.as_deref(),
            bq.nationality.as_deref(),
            bq.document.as_deref(),
            r.threshold,
            r.limit,
        )
        .map_err(|e| ApiError::BadRequest("query", format!("queries[{i}] (id {:?}): {e}", bq.id)))?;
        queries.push(q);
    }
    let app2 = app.clone();
    let p2 = p.clone();
    let results = tokio::task::spawn_blocking(move || {
        use rayon::prelude::*;
        queries.par_iter().map(|q| app2.screen_one(&p2, q)).collect::<Vec<_>>()
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let entries = r
        .queries
        .iter()
        .zip(&results)
        .map(|(bq, hits)| {
            p.entry(Action::Screen, format!("screen {:?} (batch id {})", bq.name, bq.id), &purpose, hits.len() as u64)
        })
        .collect();
    app.audit(entries).await?;
    metrics::counter!("liaison_screenings_total").increment(r.queries.len() as u64);
    Ok(Json(BatchResponse {
        results: r.queries.into_iter().zip(results).map(|(bq, hits)| BatchResult { id: bq.id, hits }).collect(),
    }))
}

fn hit_view(h: store::StoredHit) -> HitView {
    HitView {
        id: h.id,
        version: h.version,
        notice_id: h.hit.notice_id,
        owner: h.hit.owner.to_string(),
        reporter: h.hit.reporter,
        reporter_agency: h.hit.reporter_agency.to_string(),
        status: h.hit.status,
        report: h.hit.report,
        events: h
            .events
            .into_iter()
            .map(|e| HitEventView { at: ts(e.at_ms), actor: e.actor, agency: e.agency, status: e.status, note: e.note })
            .collect(),
    }
}

async fn report_hit<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Json(r): Json<HitRequest>,
) -> ApiResult<(StatusCode, Json<HitView>)> {
    let h = app.report_hit(&p, r.notice_id, r.report).await?;
    Ok((StatusCode::CREATED, Json(hit_view(h))))
}

async fn visible_hit<S: Store + Clone + 'static>(app: &App<S>, p: &Principal, id: i64) -> ApiResult<store::StoredHit> {
    match app.store.hit(id).await? {
        Some(h) if h.hit.involves(&p.user.agency) => Ok(h),
        _ => Err(ApiError::NotFound(format!("hit {id}"))),
    }
}

async fn list_hits<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Query(q): Query<Page>,
) -> ApiResult<Json<HitList>> {
    let limit = q.limit.unwrap_or(100).clamp(1, MAX_LIST) as i64;
    let hits = app.hit_inbox(&p, q.after.unwrap_or(0), limit).await?;
    Ok(Json(HitList { hits: hits.into_iter().map(hit_view).collect() }))
}

async fn get_hit<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Path(raw): Path<String>,
) -> ApiResult<Json<HitView>> {
    let id = parse_id(&raw, "hit")?;
    let h = visible_hit(&app, &p, id).await?;
    app.audit(vec![p.entry(Action::Read, format!("hit {id}"), "hit follow-up", 1)]).await?;
    Ok(Json(hit_view(h)))
}

async fn hit_step<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Path(raw): Path<String>,
    Json(r): Json<HitStep>,
) -> ApiResult<Json<HitView>> {
    let id = parse_id(&raw, "hit")?;
    let h = app.advance_hit(&p, id, r.version, r.status, r.note).await?;
    Ok(Json(hit_view(h)))
}

async fn audit_log<S: Store + Clone + 'static>(
    State(app): AppState<S>,
    p: Principal,
    Query(q): Query<Page>,
) -> ApiResult<Json<AuditList>> {
    Ok(Json(app.audit_page(&p, q).await?))
}

async fn fallback() -> ApiError {
    ApiError::NotFound("route".into())
}

/// The API router.
pub fn router<S: Store + Clone + 'static>(app: Arc<App<S>>) -> Router {
    let app_console = Arc::clone(&app);
    let api = Router::new()
        .route("/health", get(health::<S>))
        .route("/metrics", get(metrics_text::<S>))
        .route("/openapi.json", get(openapi_json))
        .route("/auth/login", post(login::<S>))
        .route("/auth/logout", post(logout::<S>))
        .route("/me", get(me))
        .route("/agencies", get(agencies::<S>))
        .route("/users", get(users::<S>).post(add_user::<S>))
        .route("/tokens", post(add_token::<S>))
        .route("/tokens/{id}", delete(revoke_token::<S>))
        .route("/agreements", get(agreements::<S>).post(add_agreement::<S>))
        .route("/notices", get(list_notices::<S>).post(create_notice::<S>))
        .route("/notices/{id}", get(get_notice::<S>).put(amend_notice::<S>))
        .route("/notices/{id}/history", get(history::<S>))
        .route("/notices/{id}/{step}", post(step::<S>))
        .route("/screen", post(screen_person::<S>))
        .route("/screen/batch", post(screen_batch::<S>))
        .route("/hits", get(list_hits::<S>).post(report_hit::<S>))
        .route("/hits/{id}", get(get_hit::<S>))
        .route("/hits/{id}/status", post(hit_step::<S>))
        .route("/audit", get(audit_log::<S>))
        .fallback(fallback)
        .with_state(app);
    Router::new()
        .nest("/api/v1", api)
        .merge(crate::console::router(app_console))
        .fallback(fallback)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}
