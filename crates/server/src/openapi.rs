//! The OpenAPI document of `/api/v1`, served at `/api/v1/openapi.json` and
//! checked in as `openapi.json` (a test keeps the two equal).
//!
//! The paths are described on the documentation functions below rather than on
//! the handlers, which are generic over the store.
#![allow(dead_code)]

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::*;
use crate::Problem;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Liaison API", version = "1", description = "Cross-border police cooperation: notices, sharing, screening, hits, audit. Errors are RFC 9457 problem details (application/problem+json) with a stable `code`."),
    servers((url = "/api/v1")),
    paths(health, metrics, login, logout, me, agencies, users_get, users_post, tokens_post, tokens_delete,
          agreements_get, agreements_post, notices_get, notices_post, notice_get, notice_put, notice_history,
          notice_step, screen, screen_batch, hits_get, hits_post, hit_get, hit_status, audit_get),
    components(schemas(Problem)),
    modifiers(&Bearer),
    security(("bearer" = []))
)]
struct Doc;

/// The document, as JSON.
pub fn document() -> String {
    Doc::openapi().to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[utoipa::path(get, path = "/health", security(()), responses((status = 200, body = Health)))]
fn health() {}

#[utoipa::path(get, path = "/metrics", security(()), responses((status = 200, description = "Prometheus text", content_type = "text/plain")))]
fn metrics() {}

#[utoipa::path(post, path = "/auth/login", security(()), request_body = LoginRequest, responses(
    (status = 200, body = LoginResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json")))]
fn login() {}

#[utoipa::path(post, path = "/auth/logout", responses(
    (status = 204, description = "Session revoked"),
    (status = 401, body = Problem, content_type = "application/problem+json")))]
fn logout() {}

#[utoipa::path(get, path = "/me", responses(
    (status = 200, body = UserView),
    (status = 401, body = Problem, content_type = "application/problem+json")))]
fn me() {}

#[utoipa::path(get, path = "/agencies", responses(
    (status = 200, body = Vec<model::UncheckedAgency>),
    (status = 401, body = Problem, content_type = "application/problem+json")))]
fn agencies() {}

#[utoipa::path(get, path = "/users", responses(
    (status = 200, body = Vec<UserView>),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json")))]
fn users_get() {}

#[utoipa::path(post, path = "/users", request_body = NewUser, responses(
    (status = 201, body = UserView),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json")))]
fn users_post() {}

#[utoipa::path(post, path = "/tokens", request_body = NewToken, responses(
    (status = 201, body = TokenCreated),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json")))]
fn tokens_post() {}

#[utoipa::path(delete, path = "/tokens/{id}", params(("id" = String, Path, description = "Token id")), responses(
    (status = 204, description = "Revoked"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
fn tokens_delete() {}

#[utoipa::path(get, path = "/agreements", responses(
    (status = 200, body = Vec<AgreementView>),
    (status = 401, body = Problem, content_type = "application/problem+json")))]
fn agreements_get() {}

#[utoipa::path(post, path = "/agreements", request_body = model::UncheckedAgreement, responses(
    (status = 201, body = AgreementView),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json")))]
fn agreements_post() {}

#[utoipa::path(get, path = "/notices", params(ListParams), responses(
    (status = 200, body = NoticeList),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json")))]
fn notices_get() {}

#[utoipa::path(post, path = "/notices", request_body = model::UncheckedNotice, responses(
    (status = 201, body = Created),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json")))]
fn notices_post() {}

#[utoipa::path(get, path = "/notices/{id}", params(("id" = String, Path, description = "Notice id"), Purpose), responses(
    (status = 200, body = NoticeView),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
fn notice_get() {}

#[utoipa::path(put, path = "/notices/{id}", params(("id" = String, Path, description = "Notice id")), request_body = Amend, responses(
    (status = 200, body = Created),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json")))]
fn notice_put() {}

#[utoipa::path(get, path = "/notices/{id}/history", params(("id" = String, Path, description = "Notice id")), responses(
    (status = 200, body = Vec<VersionView>),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
fn notice_history() {}

#[utoipa::path(post, path = "/notices/{id}/{step}", params(
    ("id" = String, Path, description = "Notice id"),
    ("step" = String, Path, description = "submit, approve, reject, extend or cancel")), request_body = Step, responses(
    (status = 200, body = Created),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json")))]
fn notice_step() {}

#[utoipa::path(post, path = "/screen", request_body = ScreenRequest, responses(
    (status = 200, body = ScreenResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json")))]
fn screen() {}

#[utoipa::path(post, path = "/screen/batch", request_body = BatchRequest, responses(
    (status = 200, body = BatchResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json")))]
fn screen_batch() {}

#[utoipa::path(get, path = "/hits", params(Page), responses(
    (status = 200, body = HitList),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json")))]
fn hits_get() {}

#[utoipa::path(post, path = "/hits", request_body = HitRequest, responses(
    (status = 201, body = HitView),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json")))]
fn hits_post() {}

#[utoipa::path(get, path = "/hits/{id}", params(("id" = String, Path, description = "Hit id")), responses(
    (status = 200, body = HitView),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
fn hit_get() {}

#[utoipa::path(post, path = "/hits/{id}/status", params(("id" = String, Path, description = "Hit id")), request_body = HitStep, responses(
    (status = 200, body = HitView),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json")))]
fn hit_status() {}

#[utoipa::path(get, path = "/audit", params(Page), responses(
    (status = 200, body = AuditList),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json")))]
fn audit_get() {}
