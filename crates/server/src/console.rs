//! The web console: server-rendered pages (askama) in Arabic, French and
//! English over the same rules as the API — the same `App` methods, so the
//! visibility rule, the audit log and the hit workflow are the API's own.
//!
//! Sessions are the API's tokens in an HttpOnly, SameSite=Strict cookie (so
//! another site cannot make the browser post with it); the language is a
//! cookie too, set by `?lang=` on any page. Names are wrapped in `<bdi>` so
//! that Arabic and Latin text keep their own direction inside either layout.
//! Plain forms: every page works from the keyboard and without JavaScript.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use model::{HitReport, HitStatus, Role};
use serde::Deserialize;
use store::Store;

use crate::api::{query_of, ScreenHit};
use crate::auth::Principal;
use crate::i18n::{self, Lang};
use crate::{ApiError, App};

const SESSION_COOKIE: &str = "liaison_session";
const LANG_COOKIE: &str = "liaison_lang";

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The page language: `?lang=` first, then the cookie, then English.
fn lang_of(headers: &HeaderMap, asked: Option<&str>) -> Lang {
    Lang::parse(asked.or_else(|| cookie(headers, LANG_COOKIE)).unwrap_or("en"))
}

fn with_lang(mut r: Response, asked: Option<&str>) -> Response {
    if let Some(code) = asked {
        let l = Lang::parse(code);
        let v = format!("{LANG_COOKIE}={}; Path=/; SameSite=Strict; Max-Age=31536000", l.code());
        if let Ok(v) = v.parse() {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("template: {e}")).into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Lang,
    user: Option<Who>,
    message: String,
}

fn error_page(l: Lang, user: Option<Who>, e: &ApiError) -> Response {
    let status = e.problem().status;
    let mut r = render(&ErrorPage { l, user, message: e.to_string() });
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r
}

async fn principal<S: Store + Clone + 'static>(app: &App<S>, headers: &HeaderMap) -> Option<Principal> {
    let token = cookie(headers, SESSION_COOKIE)?;
    app.principal(token).await.ok()
}

/// Who is logged in, as the page header shows it.
struct Who {
    name: String,
    auditor: bool,
}

/// The logged-in user of a console page; anyone else is sent to the log-in page.
struct Console(Principal);

impl<S: Store + Clone + 'static> axum::extract::FromRequestParts<Arc<App<S>>> for Console {
    type Rejection = Redirect;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, app: &Arc<App<S>>) -> Result<Self, Redirect> {
        principal(app, &parts.headers).await.map(Console).ok_or_else(|| Redirect::to("/console/login"))
    }
}

fn who(p: &Principal) -> Who {
    Who { name: format!("{} · {}", p.user.display_name, p.user.agency), auditor: p.user.has(Role::Auditor) }
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Lang,
    user: Option<Who>,
    failed: bool,
}

async fn login_page(headers: HeaderMap, Query(q): Query<LangQuery>) -> Response {
    let l = lang_of(&headers, q.lang.as_deref());
    with_lang(render(&LoginPage { l, user: None, failed: false }), q.lang.as_deref())
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

async fn login<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let l = lang_of(&headers, None);
    match app.login(&f.username, &f.password).await {
        Ok((token, _, _)) => {
            let mut r = Redirect::to("/console/screen").into_response();
            let v = format!(
                "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
                app.settings.session_ttl_s
            );
            if let Ok(v) = v.parse() {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Err(_) => {
            let mut r = render(&LoginPage { l, user: None, failed: true });
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            r
        }
    }
}

async fn logout<S: Store + Clone + 'static>(State(app): State<Arc<App<S>>>, headers: HeaderMap) -> Response {
    if let Some(p) = principal(&app, &headers).await {
        let e = p.entry(audit::Action::Login, "log-out", "log-out", 1);
        let _ = app.store.revoke_token(p.token_id, &p.user.username, e).await;
        app.forget_tokens();
    }
    let mut r = Redirect::to("/console/login").into_response();
    if let Ok(v) = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0").parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

#[derive(Deserialize, Default)]
struct ScreenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    dob: String,
    #[serde(default)]
    nationality: String,
    #[serde(default)]
    document: String,
    #[serde(default)]
    purpose: String,
    lang: Option<String>,
}

/// A hit as the page shows it.
struct HitCard {
    notice_id: i64,
    title: String,
    score: f32,
    matched_name: String,
    owner: String,
    kind: String,
    dob_key: String,
    warnings: Vec<String>,
    action: String,
    /// query part, notice part, similarity, weight, and the i18n key of a note (or empty)
    aligned: Vec<(String, String, String, String, String)>,
    left: Vec<String>,
    penalties: Vec<String>,
    read_as: Vec<String>,
    query_url: String,
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn card(h: ScreenHit, query: &str) -> HitCard {
    HitCard {
        notice_id: h.notice_id,
        title: h.title,
        score: h.score,
        matched_name: h.matched_name,
        owner: h.owner,
        kind: format!("type.{}", h.kind.as_str()),
        dob_key: format!("dob.{}", h.dob),
        warnings: h.warnings.iter().map(|w| format!("warning.{}", w.as_str())).collect(),
        action: h.action,
        aligned: h
            .explanation
            .aligned
            .into_iter()
            .map(|a| {
                let note = a.note.as_deref().map(i18n::note_key).unwrap_or_default();
                (a.query, a.notice, format!("{:.2}", a.similarity), format!("{:.2}", a.weight), note)
            })
            .collect(),
        left: h.explanation.unaligned.into_iter().map(|u| u.text).collect(),
        penalties: h.explanation.penalties.into_iter().map(|p| format!("×{:.2} {}", p.factor, p.reason)).collect(),
        read_as: h.explanation.read_as,
        query_url: url_encode(query),
    }
}

#[derive(Template)]
#[template(path = "screen.html")]
struct ScreenPage {
    l: Lang,
    user: Option<Who>,
    form: ScreenForm,
    searched: bool,
    hits: Vec<HitCard>,
    error: Option<String>,
}

async fn screen<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Query(mut form): Query<ScreenForm>,
) -> Response {
    let asked = form.lang.take();
    let l = lang_of(&headers, asked.as_deref());
    let Some(p) = principal(&app, &headers).await else {
        return with_lang(Redirect::to("/console/login").into_response(), asked.as_deref());
    };
    if form.purpose.is_empty() {
        form.purpose = default_purpose(l).into();
    }
    let mut page = ScreenPage { l, user: Some(who(&p)), form, searched: false, hits: Vec::new(), error: None };
    if !page.form.name.trim().is_empty() || !page.form.document.trim().is_empty() {
        let f = &page.form;
        let opt = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(String::from);
        let result = async {
            p.require(&[Role::Officer, Role::Analyst, Role::Reviewer])?;
            let purpose = crate::api::purpose_of(&f.purpose)?;
            let (dob, nat, doc) = (opt(&f.dob), opt(&f.nationality), opt(&f.document));
            let q = query_of(&f.name, dob.as_deref(), nat.as_deref(), doc.as_deref(), None, None)?;
            let target = format!("screen {:?} (console)", f.name);
            app.screen_audited(&p, &q, target, purpose).await
        }
        .await;
        page.searched = true;
        match result {
            Ok((hits, _)) => page.hits = hits.into_iter().map(|h| card(h, &page.form.name)).collect(),
            Err(e) => page.error = Some(e.to_string()),
        }
    }
    with_lang(render(&page), asked.as_deref())
}

#[derive(Deserialize)]
struct NewHitQuery {
    notice: i64,
    #[serde(default)]
    query: String,
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    l: Lang,
    user: Option<Who>,
    notice_id: i64,
    title: String,
    owner: String,
    action: String,
    query: String,
    now: String,
}

async fn new_hit<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Query(q): Query<NewHitQuery>,
) -> Response {
    let l = lang_of(&headers, q.lang.as_deref());
    // The notice must be one the officer may see: the same door as the API.
    let Some(head) = app.live.head(q.notice).filter(|h| {
        let viewer = model::Viewer { agency: &p.user.agency, roles: &p.user.roles };
        let now = jiff::Timestamp::now();
        model::visibility_of(&viewer, &h.rule_head(now), &app.agreements(), model::day_of(now)).is_some()
    }) else {
        return error_page(l, Some(who(&p)), &ApiError::NotFound(format!("notice {}", q.notice)));
    };
    let now = jiff::Timestamp::now().round(jiff::Unit::Second).map(|t| t.to_string()).unwrap_or_default();
    let page = ReportPage {
        l,
        user: Some(who(&p)),
        notice_id: q.notice,
        title: head.title,
        owner: head.owner.to_string(),
        action: head.action,
        query: q.query,
        now,
    };
    with_lang(render(&page), q.lang.as_deref())
}

#[derive(Deserialize)]
struct HitForm {
    notice_id: i64,
    query_name: String,
    place: String,
    seen_at: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    action_taken: String,
}

async fn create_hit<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Form(f): Form<HitForm>,
) -> Response {
    let l = lang_of(&headers, None);
    let report = HitReport {
        place: f.place,
        seen_at: f.seen_at,
        context: f.context,
        query_name: f.query_name,
        action_taken: f.action_taken,
    };
    match app.report_hit(&p, f.notice_id, report).await {
        Ok(h) => Redirect::to(&format!("/console/hits#hit-{}", h.id)).into_response(),
        Err(e) => error_page(l, Some(who(&p)), &e),
    }
}

/// A hit as the inbox shows it.
struct HitRow {
    id: i64,
    title: String,
    version: i64,
    notice_id: i64,
    owner: String,
    query_name: String,
    status_key: String,
    reporter: String,
    reporter_agency: String,
    place: String,
    seen_at: String,
    context: String,
    events: Vec<(String, String, String, String)>,
    next: Vec<(&'static str, &'static str)>,
}

/// "2026-11-29T08:15:00.123Z" → "2026-11-29 08:15 UTC".
fn short_time(rfc3339: &str) -> String {
    match rfc3339.parse::<jiff::Timestamp>() {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

fn status_key(s: HitStatus) -> String {
    format!("status.{}", s.as_str())
}

#[derive(Template)]
#[template(path = "hits.html")]
struct HitsPage {
    l: Lang,
    user: Option<Who>,
    hits: Vec<HitRow>,
    error: Option<String>,
}

async fn hits<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Query(q): Query<LangQuery>,
) -> Response {
    let l = lang_of(&headers, q.lang.as_deref());
    let stored = match app.hit_inbox(&p, 0, crate::api::MAX_LIST as i64).await {
        Ok(h) => h,
        Err(e) => return error_page(l, Some(who(&p)), &e),
    };
    let mine = &p.user.agency;
    let rows = stored
        .into_iter()
        .rev()
        .map(|h| {
            let owner = &h.hit.owner == mine;
            let next: Vec<(&'static str, &'static str)> = match h.hit.status {
                HitStatus::Reported if owner => {
                    vec![("confirmed", "do.confirm"), ("not-the-person", "do.not-the-person")]
                }
                HitStatus::Confirmed => vec![("action-taken", "do.action-taken")],
                _ => Vec::new(),
            };
            HitRow {
                id: h.id,
                title: app.live.head(h.hit.notice_id).map(|x| x.title).unwrap_or_default(),
                version: h.version,
                notice_id: h.hit.notice_id,
                owner: h.hit.owner.to_string(),
                query_name: h.hit.report.query_name.clone(),
                status_key: status_key(h.hit.status),
                reporter: h.hit.reporter.clone(),
                reporter_agency: h.hit.reporter_agency.to_string(),
                place: h.hit.report.place.clone(),
                seen_at: short_time(&h.hit.report.seen_at),
                context: h.hit.report.context.clone(),
                events: h
                    .events
                    .iter()
                    .map(|e| {
                        let at = jiff::Timestamp::from_millisecond(e.at_ms)
                            .map(|t| short_time(&t.to_string()))
                            .unwrap_or_default();
                        (at, format!("{} ({})", e.actor, e.agency), status_key(e.status), e.note.clone())
                    })
                    .collect(),
                next: if p.user.roles == [Role::Auditor] { Vec::new() } else { next },
            }
        })
        .collect();
    with_lang(render(&HitsPage { l, user: Some(who(&p)), hits: rows, error: None }), q.lang.as_deref())
}

#[derive(Deserialize)]
struct StepForm {
    version: i64,
    status: String,
    #[serde(default)]
    note: String,
}

async fn hit_step<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Response {
    let l = lang_of(&headers, None);
    let result = async {
        let status = HitStatus::parse(&f.status)?;
        app.advance_hit(&p, id, f.version, status, f.note).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/console/hits#hit-{id}")).into_response(),
        Err(e) => error_page(l, Some(who(&p)), &e),
    }
}

#[derive(Deserialize)]
struct NoticesQuery {
    status: Option<String>,
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "notices.html")]
struct NoticesPage {
    l: Lang,
    user: Option<Who>,
    rows: Vec<(i64, String, String, String, String)>,
    error: Option<String>,
}

async fn notices<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Query(q): Query<NoticesQuery>,
) -> Response {
    let l = lang_of(&headers, q.lang.as_deref());
    let status = q.status.as_deref().filter(|s| !s.is_empty()).map(model::Status::parse).transpose();
    let result = async {
        let status = status?;
        let params = crate::api::ListParams {
            purpose: "notice list (console)".into(),
            status,
            owner: None,
            after: None,
            limit: Some(crate::api::MAX_LIST),
        };
        app.notice_list(&p, params).await
    }
    .await;
    let (rows, error) = match result {
        Ok(list) => (
            list.notices
                .into_iter()
                .map(|n| {
                    (
                        n.id,
                        n.title,
                        format!("type.{}", n.kind.as_str()),
                        n.owner,
                        format!("nstatus.{}", n.status.as_str()),
                    )
                })
                .collect(),
            None,
        ),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    with_lang(render(&NoticesPage { l, user: Some(who(&p)), rows, error }), q.lang.as_deref())
}

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage {
    l: Lang,
    user: Option<Who>,
    error: Option<String>,
    id: i64,
    version: i64,
    title: String,
    kind: String,
    status: String,
    owner: String,
    names: Vec<String>,
    dobs: String,
    nationalities: String,
    warnings: Vec<String>,
    action: String,
    offence: String,
    warrant: String,
    tlp: &'static str,
    handling: String,
    expires: String,
    steps: Vec<&'static str>,
    show_checklist: bool,
    show_days: bool,
    history: Vec<(String, String, String, String)>,
}

async fn notice_page<S: Store + Clone + 'static>(
    app: &App<S>,
    p: &Principal,
    l: Lang,
    id: i64,
    error: Option<String>,
) -> Result<NoticePage, ApiError> {
    let (stored, fields) = app.visible_notice(p, id).await?;
    app.audit(vec![p.entry(audit::Action::Read, format!("notice {id}"), "console", 1)]).await?;
    let now = jiff::Timestamp::now();
    let n = &stored.notice;
    let c = n.redacted(fields);
    let status = n.status_at(now);
    let person = c.person.clone().unwrap_or_default();
    let full = fields == model::FieldSet::Full;
    let has = |r: Role| p.user.has(r);
    let mut steps = Vec::new();
    if full {
        match status {
            model::Status::Draft if has(Role::Analyst) => steps.push("submit"),
            model::Status::InReview if has(Role::Reviewer) => steps.extend(["approve", "reject"]),
            model::Status::Published | model::Status::Expired if has(Role::Reviewer) => steps.push("extend"),
            _ => {}
        }
        if status != model::Status::Cancelled && (has(Role::Reviewer) || has(Role::Admin)) {
            steps.push("cancel");
        }
    }
    let history = if full {
        app.store
            .notice_history(id)
            .await?
            .into_iter()
            .map(|v| {
                let at =
                    jiff::Timestamp::from_millisecond(v.at_ms).map(|t| short_time(&t.to_string())).unwrap_or_default();
                let change = l.t(&format!("change.{}", v.change)).to_string();
                (at, v.actor, change, v.notice.lifecycle().last_reason.unwrap_or_default())
            })
            .collect()
    } else {
        Vec::new()
    };
    let warnings = c.warnings.iter().map(|w| format!("warning.{}", w.as_str())).collect();
    let handling = match &c.handling {
        model::Handling::H0 => "H0".to_string(),
        model::Handling::H1 => "H1".to_string(),
        model::Handling::H2 => "H2".to_string(),
        model::Handling::H3(t) => format!("H3: {t}"),
    };
    Ok(NoticePage {
        l,
        user: Some(who(p)),
        error,
        id,
        version: stored.version,
        title: c.title.clone(),
        kind: format!("type.{}", c.kind.as_str()),
        status: format!("nstatus.{}", status.as_str()),
        owner: c.owner.to_string(),
        names: person.names.iter().map(|x| x.name.clone()).collect(),
        dobs: person.dobs.join(", "),
        nationalities: person.nationalities.join(", "),
        warnings,
        action: c.action.clone(),
        offence: c.judicial.as_ref().map(|j| j.offence.clone()).unwrap_or_default(),
        warrant: c
            .judicial
            .as_ref()
            .map(|j| format!("{} — {}", j.warrant_ref, j.warrant_authority))
            .unwrap_or_default(),
        tlp: c.tlp.as_str(),
        handling,
        expires: n.expires_at().map(|t| short_time(&t.to_string())).unwrap_or_default(),
        show_checklist: steps.contains(&"approve"),
        show_days: steps.contains(&"extend"),
        steps,
        history,
    })
}

async fn notice<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
) -> Response {
    let l = lang_of(&headers, q.lang.as_deref());
    match notice_page(&app, &p, l, id, None).await {
        Ok(page) => with_lang(render(&page), q.lang.as_deref()),
        Err(e) => error_page(l, Some(who(&p)), &e),
    }
}

#[derive(Deserialize)]
struct StepFormNotice {
    version: i64,
    step: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    days: String,
    not_political: Option<String>,
    not_military: Option<String>,
    not_religious: Option<String>,
    not_racial: Option<String>,
    not_refugee: Option<String>,
}

async fn notice_step<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Path(id): Path<i64>,
    Form(f): Form<StepFormNotice>,
) -> Response {
    let l = lang_of(&headers, None);
    let checklist = model::NeutralityChecklist {
        not_political: f.not_political.is_some(),
        not_military: f.not_military.is_some(),
        not_religious: f.not_religious.is_some(),
        not_racial: f.not_racial.is_some(),
        not_refugee_from_requester: f.not_refugee.is_some(),
    };
    let step = crate::api::Step {
        version: f.version,
        checklist: Some(checklist),
        reason: Some(f.reason),
        days: f.days.trim().parse().ok(),
    };
    match app.notice_step(&p, id, &f.step, step).await {
        Ok(_) => Redirect::to(&format!("/console/notices/{id}")).into_response(),
        Err(e) => match notice_page(&app, &p, l, id, Some(e.to_string())).await {
            Ok(page) => {
                let mut r = render(&page);
                *r.status_mut() = StatusCode::CONFLICT;
                r
            }
            Err(e2) => error_page(l, Some(who(&p)), &e2),
        },
    }
}

#[derive(Deserialize)]
struct AuditQuery {
    after: Option<i64>,
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Lang,
    user: Option<Who>,
    records: Vec<crate::api::AuditRecordView>,
    next: Option<u64>,
    error: Option<String>,
}

async fn audit_log<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Query(q): Query<AuditQuery>,
) -> Response {
    let l = lang_of(&headers, q.lang.as_deref());
    match app.audit_page(&p, crate::api::Page { after: q.after, limit: Some(100) }).await {
        Ok(mut page) => {
            for r in &mut page.records {
                r.at = short_time(&r.at);
                r.action = l.t(&format!("action.{}", r.action)).to_string();
            }
            let p2 = AuditPage { l, user: Some(who(&p)), records: page.records, next: page.next_after, error: None };
            with_lang(render(&p2), q.lang.as_deref())
        }
        Err(e) => error_page(l, Some(who(&p)), &e),
    }
}

#[derive(Template)]
#[template(path = "agreements.html")]
struct AgreementsPage {
    l: Lang,
    user: Option<Who>,
    rows: Vec<AgreementRow>,
}

/// An agreement as the page shows it.
struct AgreementRow {
    parties: String,
    flows: Vec<(String, String)>,
    tlp: &'static str,
    from: String,
    to: String,
    signatories: String,
}

async fn agreements<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Query(q): Query<LangQuery>,
) -> Response {
    let l = lang_of(&headers, q.lang.as_deref());
    let mine = &p.user.agency;
    let list = match app.store.agreements().await {
        Ok(a) => a,
        Err(e) => return error_page(l, Some(who(&p)), &e.into()),
    };
    let types = |v: &[model::NoticeType]| {
        if v.is_empty() {
            return l.t("agreements.nothing").to_string();
        }
        v.iter().map(|t| l.t(&format!("type.{}", t.as_str()))).collect::<Vec<_>>().join(l.comma())
    };
    let rows = list
        .into_iter()
        .filter(|(_, a)| &a.a == mine || &a.b == mine)
        .map(|(_, a)| AgreementRow {
            parties: format!("{} ↔ {}", a.a, a.b),
            flows: vec![
                (format!("{} → {}", a.a, a.b), types(&a.a_to_b)),
                (format!("{} → {}", a.b, a.a), types(&a.b_to_a)),
            ],
            tlp: a.tlp_max.as_str(),
            from: a.in_force_from.to_string(),
            to: a.in_force_to.map(|d| d.to_string()).unwrap_or_default(),
            signatories: a.signatories.join("; "),
        })
        .collect();
    with_lang(render(&AgreementsPage { l, user: Some(who(&p)), rows }), q.lang.as_deref())
}

/// Most people in one batch screening.
pub const MAX_BATCH_ROWS: usize = 10_000;
/// Batches kept in memory (the oldest finished one goes first).
pub const MAX_BATCHES_KEPT: usize = 100;
/// People screened between two progress updates (and per audit append).
const BATCH_CHUNK: usize = 100;

/// A batch screening started from the console.
pub struct Batch {
    owner: String,
    total: usize,
    done: usize,
    with_hits: usize,
    results: Option<Vec<u8>>,
}

#[derive(Template)]
#[template(path = "batch.html")]
struct BatchPage {
    l: Lang,
    user: Option<Who>,
    purpose: String,
    error: Option<String>,
}

async fn batch_page<S: Store + Clone + 'static>(
    _state: State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Query(q): Query<LangQuery>,
) -> Response {
    let l = lang_of(&headers, q.lang.as_deref());
    let purpose = default_purpose(l).to_string();
    with_lang(render(&BatchPage { l, user: Some(who(&p)), purpose, error: None }), q.lang.as_deref())
}

fn default_purpose(l: Lang) -> &'static str {
    match l {
        Lang::En => "border check",
        Lang::Fr => "contrôle aux frontières",
        Lang::Ar => "مراقبة حدودية",
    }
}

/// Reads an uploaded CSV into (id, name, query); the first bad row stops it.
fn batch_rows(bytes: &[u8]) -> Result<Vec<(String, String, screen::Query)>, String> {
    let mut r = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes);
    let headers = r.headers().map_err(|e| format!("line 1: {e}"))?.clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let name_col = col("name").ok_or("line 1: no column \"name\"")?;
    let (id_col, dob_col, nat_col, doc_col) = (col("id"), col("dob"), col("nationality"), col("document"));
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        if rows.len() == MAX_BATCH_ROWS {
            return Err(format!("more than {MAX_BATCH_ROWS} people in one batch"));
        }
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).filter(|v| !v.is_empty());
        let name = get(Some(name_col)).unwrap_or("").to_string();
        let id = get(id_col).map(String::from).unwrap_or_else(|| (line - 1).to_string());
        let q = query_of(&name, get(dob_col), get(nat_col), get(doc_col), None, None)
            .map_err(|e| format!("line {line}: {e}"))?;
        rows.push((id, name, q));
    }
    Ok(rows)
}

async fn start_batch<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    mut form: axum::extract::Multipart,
) -> Response {
    let l = lang_of(&headers, None);
    let (mut file, mut purpose) = (Vec::new(), String::new());
    while let Ok(Some(field)) = form.next_field().await {
        match field.name() {
            Some("file") => file = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
            Some("purpose") => purpose = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    let fail = |e: String| {
        let mut r = render(&BatchPage { l, user: Some(who(&p)), purpose: purpose.clone(), error: Some(e) });
        *r.status_mut() = StatusCode::BAD_REQUEST;
        r
    };
    if let Err(e) = p.require(&[Role::Officer, Role::Analyst, Role::Reviewer]) {
        return fail(e.to_string());
    }
    if let Err(e) = crate::api::purpose_of(&purpose) {
        return fail(e.to_string());
    }
    let rows = match batch_rows(&file) {
        Ok(rows) => rows,
        Err(e) => return fail(e),
    };
    let job = Arc::new(std::sync::Mutex::new(Batch {
        owner: p.user.username.clone(),
        total: rows.len(),
        done: 0,
        with_hits: 0,
        results: None,
    }));
    let id = {
        let mut batches = app.batches.lock().unwrap_or_else(|e| e.into_inner());
        if batches.len() >= MAX_BATCHES_KEPT {
            let finished = batches
                .iter()
                .filter(|(_, b)| b.lock().map(|b| b.results.is_some()).unwrap_or(true))
                .map(|(k, _)| *k)
                .min();
            if let Some(k) = finished {
                batches.remove(&k);
            }
        }
        let id = batches.keys().max().map_or(1, |k| k + 1);
        batches.insert(id, Arc::clone(&job));
        id
    };
    let app2 = Arc::clone(&app);
    tokio::spawn(async move {
        let mut out = csv::Writer::from_writer(Vec::new());
        let _ = out.write_record(["id", "name", "rank", "notice_id", "score", "owner", "type", "title", "action"]);
        for chunk in rows.chunks(BATCH_CHUNK) {
            let mut entries = Vec::new();
            let mut with_hits = 0;
            for (id, name, q) in chunk {
                let hits = app2.screen_one(&p, q);
                entries.push(p.entry(
                    audit::Action::Screen,
                    format!("screen {name:?} (batch)"),
                    &purpose,
                    hits.len() as u64,
                ));
                if hits.is_empty() {
                    let _ = out.write_record([id.as_str(), name.as_str(), "", "", "", "", "", "", ""]);
                } else {
                    with_hits += 1;
                }
                for (rank, h) in hits.iter().enumerate() {
                    let _ = out.write_record([
                        id.clone(),
                        name.clone(),
                        (rank + 1).to_string(),
                        h.notice_id.to_string(),
                        format!("{:.3}", h.score),
                        h.owner.clone(),
                        h.kind.as_str().to_string(),
                        h.title.clone(),
                        h.action.clone(),
                    ]);
                }
            }
            // The results are released only once their searches are in the audit log.
            if app2.audit(entries).await.is_err() {
                break;
            }
            if let Ok(mut j) = job.lock() {
                j.done += chunk.len();
                j.with_hits += with_hits;
            }
        }
        let bytes = out.into_inner().unwrap_or_default();
        if let Ok(mut j) = job.lock() {
            j.results = Some(bytes);
        }
    });
    Redirect::to(&format!("/console/batch/{id}")).into_response()
}

fn own_batch<S: Store + Clone + 'static>(app: &App<S>, p: &Principal, id: u64) -> Option<Arc<std::sync::Mutex<Batch>>> {
    let batches = app.batches.lock().unwrap_or_else(|e| e.into_inner());
    batches.get(&id).filter(|b| b.lock().map(|b| b.owner == p.user.username).unwrap_or(false)).cloned()
}

#[derive(Template)]
#[template(path = "batch_job.html")]
struct BatchJobPage {
    l: Lang,
    id: u64,
    total: usize,
    done: usize,
    with_hits: usize,
    finished: bool,
}

async fn batch_job<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Path(id): Path<u64>,
) -> Response {
    let l = lang_of(&headers, None);
    let Some(job) = own_batch(&app, &p, id) else {
        return error_page(l, Some(who(&p)), &ApiError::NotFound(format!("batch {id}")));
    };
    let page = match job.lock() {
        Ok(j) => {
            BatchJobPage { l, id, total: j.total, done: j.done, with_hits: j.with_hits, finished: j.results.is_some() }
        }
        Err(_) => return error_page(l, Some(who(&p)), &ApiError::Internal("batch state".into())),
    };
    render(&page)
}

async fn batch_results<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Path(id): Path<u64>,
) -> Response {
    let l = lang_of(&headers, None);
    let results = own_batch(&app, &p, id).and_then(|j| j.lock().ok().and_then(|j| j.results.clone()));
    match results {
        Some(bytes) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"screening-{id}.csv\"")),
            ],
            bytes,
        )
            .into_response(),
        None => error_page(l, Some(who(&p)), &ApiError::NotFound(format!("batch {id} results"))),
    }
}

#[derive(Template)]
#[template(path = "new_notice.html")]
struct NewNoticePage {
    l: Lang,
    user: Option<Who>,
    error: Option<String>,
    types: Vec<&'static str>,
    tlps: Vec<&'static str>,
    warning_codes: Vec<&'static str>,
}

fn new_notice_page(l: Lang, p: &Principal, error: Option<String>) -> NewNoticePage {
    NewNoticePage {
        l,
        user: Some(who(p)),
        error,
        types: model::NoticeType::ALL.iter().map(|t| t.as_str()).collect(),
        tlps: model::Tlp::ALL.iter().map(|t| t.as_str()).collect(),
        warning_codes: model::Warning::ALL.iter().map(|w| w.as_str()).collect(),
    }
}

async fn new_notice<S: Store + Clone + 'static>(
    _state: State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Query(q): Query<LangQuery>,
) -> Response {
    let l = lang_of(&headers, q.lang.as_deref());
    with_lang(render(&new_notice_page(l, &p, None)), q.lang.as_deref())
}

#[derive(Deserialize)]
struct NoticeForm {
    kind: String,
    title: String,
    names: String,
    #[serde(default)]
    dobs: String,
    #[serde(default)]
    nationalities: String,
    action: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    offence: String,
    #[serde(default)]
    law: String,
    #[serde(default)]
    max_penalty: String,
    #[serde(default)]
    warrant_ref: String,
    #[serde(default)]
    warrant_authority: String,
    #[serde(default)]
    facts: String,
    distribution: String,
    #[serde(default)]
    agencies: String,
    tlp: String,
    handling: String,
    #[serde(default)]
    restriction: String,
    review_days: String,
    w_armed: Option<String>,
    w_violent: Option<String>,
    #[serde(rename = "w_escape-risk")]
    w_escape_risk: Option<String>,
    #[serde(rename = "w_self-harm")]
    w_self_harm: Option<String>,
    w_victim: Option<String>,
}

fn list_of(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(String::from).collect()
}

fn notice_of(f: NoticeForm, owner: &model::AgencyCode) -> Result<model::UncheckedNotice, ApiError> {
    use model::*;
    let bad = |field: &str, e: String| ApiError::BadRequest("invalid", format!("{field}: {e}"));
    let kind = NoticeType::parse(&f.kind)?;
    let names: Vec<NameRecord> = f
        .names
        .lines()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .enumerate()
        .map(|(i, n)| NameRecord {
            name: n.to_string(),
            script: Some(
                if n.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) { "Arab" } else { "Latn" }.into(),
            ),
            original: i == 0,
        })
        .collect();
    let codes = |s: &str| -> Result<Vec<AgencyCode>, ApiError> {
        list_of(s).iter().map(|c| AgencyCode::new(c).map_err(ApiError::from)).collect()
    };
    let distribution = match f.distribution.as_str() {
        "named" => Distribution::Named(codes(&f.agencies)?),
        "all-except" => Distribution::AllExcept(codes(&f.agencies)?),
        _ => Distribution::All,
    };
    let handling = match f.handling.as_str() {
        "H1" => Handling::H1,
        "H2" => Handling::H2,
        "H3" => Handling::H3(f.restriction.clone()),
        _ => Handling::H0,
    };
    let mut warnings = Vec::new();
    for (on, w) in [
        (f.w_armed.is_some(), Warning::Armed),
        (f.w_violent.is_some(), Warning::Violent),
        (f.w_escape_risk.is_some(), Warning::EscapeRisk),
        (f.w_self_harm.is_some(), Warning::SelfHarm),
        (f.w_victim.is_some(), Warning::Victim),
    ] {
        if on {
            warnings.push(w);
        }
    }
    let judicial = (!f.offence.trim().is_empty()).then(|| Judicial {
        offence: f.offence.clone(),
        law: f.law.clone(),
        max_penalty: f.max_penalty.clone(),
        warrant_ref: f.warrant_ref.clone(),
        warrant_authority: f.warrant_authority.clone(),
        facts: f.facts.clone(),
    });
    Ok(UncheckedNotice {
        kind,
        owner: owner.clone(),
        title: f.title,
        person: (!names.is_empty()).then(|| PersonParticulars {
            names,
            dobs: list_of(&f.dobs),
            nationalities: list_of(&f.nationalities).into_iter().map(|n| n.to_ascii_uppercase()).collect(),
            ..Default::default()
        }),
        document: None,
        judicial,
        summary: f.summary,
        warnings,
        action: f.action,
        distribution,
        tlp: Tlp::parse(&f.tlp)?,
        handling,
        review_days: f.review_days.trim().parse().map_err(|_| bad("review_days", "not a number of days".into()))?,
        source_ref: None,
    })
}

async fn create_notice<S: Store + Clone + 'static>(
    State(app): State<Arc<App<S>>>,
    headers: HeaderMap,
    Console(p): Console,
    Form(f): Form<NoticeForm>,
) -> Response {
    let l = lang_of(&headers, None);
    let result = async {
        let c = notice_of(f, &p.user.agency)?;
        app.draft_notice(&p, c).await
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/console/notices/{id}")).into_response(),
        Err(e) => {
            let mut r = render(&new_notice_page(l, &p, Some(e.to_string())));
            *r.status_mut() = StatusCode::BAD_REQUEST;
            r
        }
    }
}

async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../templates/console.css")).into_response()
}

/// The console's routes.
pub fn router<S: Store + Clone + 'static>(app: Arc<App<S>>) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/console/screen") }))
        .route("/console", get(|| async { Redirect::to("/console/screen") }))
        .route("/console/login", get(login_page).post(login::<S>))
        .route("/console/logout", post(logout::<S>))
        .route("/console/screen", get(screen::<S>))
        .route("/console/hits", get(hits::<S>).post(create_hit::<S>))
        .route("/console/hits/new", get(new_hit::<S>))
        .route("/console/hits/{id}", post(hit_step::<S>))
        .route("/console/notices", get(notices::<S>))
        .route("/console/notices/new", get(new_notice::<S>).post(create_notice::<S>))
        .route("/console/notices/{id}", get(notice::<S>).post(notice_step::<S>))
        .route("/console/batch", get(batch_page::<S>).post(start_batch::<S>))
        .route("/console/batch/{id}", get(batch_job::<S>))
        .route("/console/batch/{id}/results.csv", get(batch_results::<S>))
        .route("/console/audit", get(audit_log::<S>))
        .route("/console/agreements", get(agreements::<S>))
        .route("/console/static/console.css", get(css))
        .with_state(app)
}
