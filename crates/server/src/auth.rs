//! Who is asking: log-in with argon2-hashed passwords for expiring, revocable
//! session tokens; API tokens for systems. Tokens are random, shown once, and
//! stored only as their SHA-256. Repeated failed log-ins for a user name are
//! slowed down exponentially; every log-in, failed or not, is audited.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use model::{Role, User};
use sha2::{Digest, Sha256};
use store::Store;

use crate::{now_ms, ApiError, App};

/// Failed log-ins allowed before each further one waits.
pub const FREE_FAILURES: u32 = 3;
/// The first wait after the free failures; it doubles with each failure.
pub const FAILURE_DELAY_MS: u64 = 250;
/// The longest wait.
pub const MAX_FAILURE_DELAY_MS: u64 = 8_000;
/// Tokens kept in the in-memory cache before it is cleared.
pub const MAX_CACHED_TOKENS: usize = 100_000;
/// Longest password accepted, in bytes.
pub const MAX_PASSWORD_BYTES: usize = 256;
/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Prefix of every token, so leaked ones are recognisable.
pub const TOKEN_PREFIX: &str = "lsn_";

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The user.
    pub user: User,
    /// The token used.
    pub token_id: i64,
}

impl Principal {
    /// Refuses unless the user has one of the roles.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.iter().any(|r| self.user.has(*r)) {
            Ok(())
        } else {
            let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::Forbidden(format!("needs the role {}", names.join(" or "))))
        }
    }

    /// The audit entry of an action of this principal.
    pub fn entry(&self, action: audit::Action, target: impl Into<String>, purpose: &str, count: u64) -> audit::Entry {
        audit::Entry {
            at_ms: now_ms(),
            actor: self.user.username.clone(),
            agency: self.user.agency.to_string(),
            action,
            target: model::truncate_bytes(target.into(), audit::MAX_TARGET_BYTES),
            purpose: model::truncate_bytes(purpose.to_string(), audit::MAX_FIELD_BYTES),
            result_count: count,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Cached {
    principal: Principal,
    expires_ms: Option<i64>,
}

/// Hashes a new password with argon2id and a random salt, after checking its
/// length ([`MIN_PASSWORD_CHARS`] to [`MAX_PASSWORD_BYTES`]). Slow by design:
/// call it off the async workers.
pub fn hash_password(pw: &str) -> Result<String, ApiError> {
    use argon2::PasswordHasher;
    if pw.len() > MAX_PASSWORD_BYTES || pw.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::BadRequest(
            "password",
            format!("password: must be {MIN_PASSWORD_CHARS} characters to {MAX_PASSWORD_BYTES} bytes"),
        ));
    }
    argon2::Argon2::default()
        .hash_password(pw.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("argon2: {e}")))
}

/// SHA-256 of a token, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random token.
pub fn new_token() -> Result<String, ApiError> {
    use std::io::Read;
    let mut buf = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    Ok(format!("{TOKEN_PREFIX}{}", hex::encode(buf)))
}

impl<S: Store + 'static> FromRequestParts<Arc<App<S>>> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App<S>>) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| ApiError::Unauthorized("missing Authorization: Bearer <token>".into()))?;
        let token = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| t.starts_with(TOKEN_PREFIX))
            .ok_or_else(|| ApiError::Unauthorized("expected Authorization: Bearer lsn_…".into()))?;
        app.principal(token).await
    }
}

impl<S: Store + 'static> App<S> {
    /// The principal of a token, from the cache or the store.
    pub async fn principal(&self, token: &str) -> Result<Principal, ApiError> {
        let hash = token_hash(token);
        let now = now_ms();
        let cached = self.tokens.lock().unwrap_or_else(|p| p.into_inner()).get(&hash).cloned();
        let cached = match cached {
            Some(c) => c,
            None => {
                let row = self.store.token(&hash).await?.ok_or_else(invalid)?;
                if row.revoked {
                    return Err(invalid());
                }
                let (user, _) = self.store.user(&row.username).await?.ok_or_else(invalid)?;
                let c = Cached { principal: Principal { user, token_id: row.id }, expires_ms: row.expires_ms };
                let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
                if tokens.len() >= MAX_CACHED_TOKENS {
                    tokens.clear();
                }
                tokens.insert(hash, c.clone());
                c
            }
        };
        if cached.expires_ms.is_some_and(|e| now >= e) {
            return Err(ApiError::Unauthorized("token expired: log in again".into()));
        }
        Ok(cached.principal)
    }

    /// Forgets cached tokens (after a revocation or a change of user).
    pub fn forget_tokens(&self) {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Checks a password and makes a session token; slows down repeated failures.
    pub async fn login(&self, username: &str, password: &str) -> Result<(String, i64, User), ApiError> {
        if password.len() > MAX_PASSWORD_BYTES || username.len() > model::MAX_USERNAME_BYTES {
            return Err(ApiError::BadRequest("invalid", "user name or password too long".into()));
        }
        if username.trim().is_empty() {
            return Err(ApiError::BadRequest("invalid", "username: required".into()));
        }
        let failures =
            self.failures.lock().unwrap_or_else(|p| p.into_inner()).get(username).map(|(n, _)| *n).unwrap_or(0);
        if failures >= FREE_FAILURES {
            let exp = (failures - FREE_FAILURES).min(16);
            let wait = (FAILURE_DELAY_MS << exp).min(MAX_FAILURE_DELAY_MS);
            tokio::time::sleep(Duration::from_millis(wait)).await;
        }
        let found = self.store.user(username).await?;
        // An unknown user costs the same hashing time as a wrong password.
        let stored_hash = found.as_ref().and_then(|(_, h)| h.clone()).unwrap_or_else(|| DUMMY_HASH.to_string());
        let pw = password.to_string();
        let ok = tokio::task::spawn_blocking(move || {
            use argon2::{PasswordHash, PasswordVerifier};
            PasswordHash::new(&stored_hash)
                .map(|h| argon2::Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
                .unwrap_or(false)
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
        let user = match (ok, found) {
            (true, Some((user, Some(_)))) => user,
            (_, found) => {
                {
                    let mut f = self.failures.lock().unwrap_or_else(|p| p.into_inner());
                    let slot = f.entry(username.to_string()).or_insert((0, Instant::now()));
                    *slot = (slot.0 + 1, Instant::now());
                }
                let agency = found.map(|(u, _)| u.agency.to_string()).unwrap_or_else(|| "-".into());
                self.audit(vec![audit::Entry {
                    at_ms: now_ms(),
                    actor: model::truncate_bytes(username.to_string(), audit::MAX_FIELD_BYTES),
                    agency,
                    action: audit::Action::LoginFailed,
                    target: "password".into(),
                    purpose: "log-in".into(),
                    result_count: 0,
                }])
                .await?;
                metrics::counter!("liaison_login_failures_total").increment(1);
                return Err(ApiError::Unauthorized("wrong user name or password".into()));
            }
        };
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(username);
        let token = new_token()?;
        let expires = now_ms() + self.settings.session_ttl_s * 1000;
        let entry = audit::Entry {
            at_ms: now_ms(),
            actor: user.username.clone(),
            agency: user.agency.to_string(),
            action: audit::Action::Login,
            target: "session".into(),
            purpose: "log-in".into(),
            result_count: 1,
        };
        self.store.create_token(&token_hash(&token), &user.username, "session", "log-in", Some(expires), entry).await?;
        Ok((token, expires, user))
    }
}

fn invalid() -> ApiError {
    ApiError::Unauthorized("unknown or revoked token".into())
}

/// An argon2id hash of a random password nobody knows, verified against when the
/// user name is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5qEZtYNE3cJ5v7bMQGD6uYbk/aWDvlJ0hVxD/jg5Ivg";
