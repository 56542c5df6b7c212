//! Errors as RFC 9457 problem details with stable codes. User errors say what
//! and where; internal errors say nothing of the inside (it goes to the log).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type (`urn:liaison:problem:<code>`).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short, stable summary.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong, for this request.
    pub detail: String,
    /// The stable code.
    pub code: String,
}

/// An API error.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request is wrong.
    #[error("{1}")]
    BadRequest(&'static str, String),
    /// 401: no valid credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: known, but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// 404: missing — or invisible to this user, which must look the same.
    #[error("{0} not found")]
    NotFound(String),
    /// 409: changed meanwhile, or a rule of the lifecycle refuses.
    #[error("{1}")]
    Conflict(&'static str, String),
    /// 413: over a size bound.
    #[error("{0}")]
    TooLarge(String),
    /// 429: slow down.
    #[error("{0}")]
    TooMany(String),
    /// 500: ours; details only in the server log.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ApiError::BadRequest(code, _) => (StatusCode::BAD_REQUEST, code, "Bad request"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            ApiError::Conflict(code, _) => (StatusCode::CONFLICT, code, "Conflict"),
            ApiError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too-large", "Payload too large"),
            ApiError::TooMany(_) => (StatusCode::TOO_MANY_REQUESTS, "too-many-requests", "Too many requests"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal error"),
        }
    }

    /// The problem body.
    pub fn problem(&self) -> Problem {
        let (status, code, title) = self.parts();
        Problem {
            kind: format!("urn:liaison:problem:{code}"),
            title: title.into(),
            status: status.as_u16(),
            detail: self.to_string(),
            code: code.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(inside) = &self {
            eprintln!("liaison serve: internal error: {inside}");
        }
        let (status, _, _) = self.parts();
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response()
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        match e {
            store::StoreError::Conflict { .. } => ApiError::Conflict("version-conflict", e.to_string()),
            store::StoreError::NotFound { what, key } => ApiError::NotFound(format!("{what} {key}")),
            store::StoreError::Invalid(m) => ApiError::BadRequest("invalid", m),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<model::ModelError> for ApiError {
    fn from(e: model::ModelError) -> Self {
        match e {
            model::ModelError::Transition(m) => ApiError::Conflict("not-allowed", m),
            other => ApiError::BadRequest("invalid", other.to_string()),
        }
    }
}

/// A JSON body whose parse errors are problems that say where.
pub struct Json<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for Json<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection;
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::BadRequest("invalid-json", e.body_text())),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(ApiError::BadRequest("malformed-json", e.body_text())),
            Err(JsonRejection::MissingJsonContentType(_)) => {
                Err(ApiError::BadRequest("content-type", "expected Content-Type: application/json".into()))
            }
            Err(JsonRejection::BytesRejection(e)) => {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    Err(ApiError::TooLarge(format!("body larger than {} bytes", crate::MAX_BODY_BYTES)))
                } else {
                    Err(ApiError::BadRequest("body", e.body_text()))
                }
            }
            Err(other) => Err(ApiError::BadRequest("body", other.body_text())),
        }
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}
