//! The two implementations of [`Store`], written once by `impl_store!`.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use model::{
    Agency, AgencyCode, Agreement, AgreementId, Hit, HitStatus, LifecycleRecord, Notice, Role, UncheckedAgency,
    UncheckedAgreement, UncheckedNotice, UncheckedUser, User,
};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Row;

use crate::{
    content_hash, HitEvent, ImportItem, ImportReport, NoticeFilter, NoticeId, NoticeVersion, Store, StoreError,
    StoredHit, StoredNotice, TokenRow, MAX_AUDIT_BATCH, MAX_IMPORT_BATCH, MAX_PAGE,
};

/// The embedded default: one SQLite file in WAL mode with durable commits.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

/// A PostgreSQL server.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

/// How long a writer waits for SQLite's write lock before giving up.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections in a pool.
pub const MAX_CONNECTIONS: u32 = 8;

impl SqliteStore {
    /// Opens (creating if needed) the database file; call [`Store::migrate`] next.
    pub async fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(SQLITE_BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new().max_connections(MAX_CONNECTIONS).connect_with(options).await?;
        Ok(SqliteStore { pool })
    }

    /// The pool, for tests and tools that need raw SQL.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        // IMMEDIATE takes the write lock up front: a deferred transaction that read
        // first could fail to upgrade when another writer got in between.
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    async fn run_migrations(&self) -> Result<(), StoreError> {
        sqlx::migrate!("migrations/sqlite").run(&self.pool).await?;
        Ok(())
    }
}

impl PgStore {
    /// Connects to a server (`postgres://user@host:port/db`); call [`Store::migrate`] next.
    pub async fn connect(url: &str) -> Result<PgStore, StoreError> {
        let options = sqlx::postgres::PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new().max_connections(MAX_CONNECTIONS).connect_with(options).await?;
        Ok(PgStore { pool })
    }

    /// The pool, for tests and tools that need raw SQL.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
        Ok(self.pool.begin().await?)
    }

    async fn run_migrations(&self) -> Result<(), StoreError> {
        sqlx::migrate!("migrations/postgres").run(&self.pool).await?;
        Ok(())
    }
}

fn corrupt(what: &'static str, key: impl ToString, reason: impl ToString) -> StoreError {
    StoreError::Corrupt { what, key: key.to_string(), reason: reason.to_string() }
}

fn hash_from_hex(seq: i64, s: &str) -> Result<audit::Hash, StoreError> {
    let v = hex::decode(s).map_err(|e| corrupt("audit record", seq, e))?;
    v.try_into().map_err(|_| corrupt("audit record", seq, "hash is not 32 bytes"))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Invalid(e.to_string()))
}

fn notice_from(id: i64, content: &str, lifecycle: &str) -> Result<Notice, StoreError> {
    let c: UncheckedNotice = serde_json::from_str(content).map_err(|e| corrupt("notice", id, e))?;
    let l: LifecycleRecord = serde_json::from_str(lifecycle).map_err(|e| corrupt("notice", id, e))?;
    Notice::restore(c, l).map_err(|e| corrupt("notice", id, e))
}

fn roles_to_text(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
}

fn user_from(username: String, agency: String, display_name: String, roles: &str) -> Result<User, StoreError> {
    let roles = roles.split(',').map(Role::parse).collect::<Result<Vec<_>, _>>();
    let roles = roles.map_err(|e| corrupt("user", &username, e))?;
    let key = username.clone();
    User::new(UncheckedUser { username, agency, display_name, roles }).map_err(|e| corrupt("user", key, e))
}

fn u64_of(v: i64, what: &'static str) -> Result<u64, StoreError> {
    u64::try_from(v).map_err(|_| corrupt(what, v, "negative"))
}

fn i64_of(v: u64) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::Invalid(format!("{v} is out of range")))
}

/// Rows per multi-row INSERT statement (at most 10 parameters each, well
/// under both databases' limits on parameters per statement).
const ROWS_PER_INSERT: usize = 500;

/// `{head} VALUES (…), (…)` for `rows` rows, each row's columns given by
/// `cols`: `"?"` is a parameter, anything else is written as is. Only
/// placeholders and constants are generated, never values. SQLite gets
/// anonymous `?` placeholders: it finds a numbered one by walking the list of
/// names, which made a 4,500-parameter statement quadratic (77% of the time in
/// `sqlite3_bind_parameter_name`).
fn values_sql(head: &str, cols: &[&str], rows: usize, anonymous: bool, tail: &str) -> String {
    let mut sql = format!("{head} VALUES ");
    let mut k = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for (c, col) in cols.iter().enumerate() {
            if c > 0 {
                sql.push_str(", ");
            }
            if *col != "?" {
                sql.push_str(col);
            } else if anonymous {
                sql.push('?');
            } else {
                k += 1;
                sql.push_str(&format!("${k}"));
            }
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

/// One row of `notice_versions`.
struct VersionRow<'a> {
    id: NoticeId,
    version: i64,
    at_ms: i64,
    actor: &'a str,
    change: &'a str,
    content: &'a str,
    lifecycle: &'a str,
}

macro_rules! impl_store {
    ($store:ty, $db:ty, $anonymous:expr) => {
        impl $store {
            async fn append_in(
                conn: &mut <$db as sqlx::Database>::Connection,
                entries: Vec<audit::Entry>,
            ) -> Result<Vec<audit::Record>, StoreError> {
                if entries.len() > MAX_AUDIT_BATCH {
                    return Err(StoreError::Invalid(format!("more than {MAX_AUDIT_BATCH} audit entries at once")));
                }
                for e in &entries {
                    e.check()?;
                }
                let k = i64::try_from(entries.len()).map_err(|e| StoreError::Invalid(e.to_string()))?;
                // Taking the head row serialises appends; the new hash is written back below.
                let row = sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
                    .bind(k)
                    .fetch_one(&mut *conn)
                    .await?;
                let last: i64 = row.try_get("seq")?;
                let mut prev_seq = u64_of(last - k, "audit head")?;
                let mut prev = hash_from_hex(last - k, &row.try_get::<String, _>("hash")?)?;
                let mut out = Vec::with_capacity(entries.len());
                for e in entries {
                    let r = audit::chain(prev_seq, &prev, e);
                    (prev_seq, prev) = (r.seq, r.hash);
                    out.push(r);
                }
                // Many rows per statement: one round trip to the database per chunk.
                for chunk in out.chunks(ROWS_PER_INSERT) {
                    let sql = values_sql(
                        "INSERT INTO audit_log (seq, at_ms, actor, agency, action, target, purpose, result_count, hash)",
                        &["?"; 9],
                        chunk.len(),
                        $anonymous,
                        "",
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for r in chunk {
                        q = q
                            .bind(i64_of(r.seq)?)
                            .bind(r.entry.at_ms)
                            .bind(r.entry.actor.clone())
                            .bind(r.entry.agency.clone())
                            .bind(r.entry.action.as_str())
                            .bind(r.entry.target.clone())
                            .bind(r.entry.purpose.clone())
                            .bind(i64_of(r.entry.result_count)?)
                            .bind(hex::encode(r.hash));
                    }
                    q.execute(&mut *conn).await?;
                }
                sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
                    .bind(hex::encode(prev))
                    .execute(&mut *conn)
                    .await?;
                Ok(out)
            }

            async fn insert_version(
                conn: &mut <$db as sqlx::Database>::Connection,
                v: VersionRow<'_>,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO notice_versions (notice_id, version, at_ms, actor, change, content, lifecycle) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(v.id)
                .bind(v.version)
                .bind(v.at_ms)
                .bind(v.actor)
                .bind(v.change)
                .bind(v.content)
                .bind(v.lifecycle)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            async fn insert_notice(
                conn: &mut <$db as sqlx::Database>::Connection,
                n: &Notice,
                actor: &str,
                change: &str,
                now_ms: i64,
            ) -> Result<NoticeId, StoreError> {
                let content = to_json(n.content())?;
                let life = n.lifecycle();
                let lifecycle = to_json(&life)?;
                let row = sqlx::query(
                    "INSERT INTO notices (owner, kind, status, source_ref, version, content, lifecycle, content_hash, \
                     expires_ms, updated_ms) VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(n.owner().as_str())
                .bind(n.kind().as_str())
                .bind(life.status.as_str())
                .bind(n.content().source_ref.as_deref())
                .bind(&content)
                .bind(&lifecycle)
                .bind(content_hash(n)?)
                .bind(life.expires_at.map(|t| t.as_millisecond()))
                .bind(now_ms)
                .fetch_one(&mut *conn)
                .await?;
                let id: i64 = row.try_get("id")?;
                let v = VersionRow { id, version: 1, at_ms: now_ms, actor, change, content: &content, lifecycle: &lifecycle };
                Self::insert_version(conn, v).await?;
                Ok(id)
            }

            /// Inserts new notices that all have a source reference, with their
            /// first versions, many rows per statement; returns how many.
            async fn insert_new(
                conn: &mut <$db as sqlx::Database>::Connection,
                notices: &[&Notice],
                actor: &str,
                now_ms: i64,
            ) -> Result<u64, StoreError> {
                for chunk in notices.chunks(ROWS_PER_INSERT) {
                    let mut rows = Vec::with_capacity(chunk.len());
                    for n in chunk {
                        rows.push((to_json(n.content())?, n.lifecycle(), content_hash(n)?));
                    }
                    let sql = values_sql(
                        "INSERT INTO notices (owner, kind, status, source_ref, version, content, lifecycle, \
                         content_hash, expires_ms, updated_ms)",
                        &["?", "?", "?", "?", "1", "?", "?", "?", "?", "?"],
                        chunk.len(),
                        $anonymous,
                        " RETURNING id, owner, source_ref",
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for (n, (content, life, hash)) in chunk.iter().zip(&rows) {
                        q = q
                            .bind(n.owner().as_str())
                            .bind(n.kind().as_str())
                            .bind(life.status.as_str())
                            .bind(n.content().source_ref.clone())
                            .bind(content.clone())
                            .bind(to_json(life)?)
                            .bind(hash.clone())
                            .bind(life.expires_at.map(|t| t.as_millisecond()))
                            .bind(now_ms);
                    }
                    // RETURNING's row order is not promised: match ids by (owner, source_ref).
                    let mut ids: HashMap<(String, String), i64> = HashMap::with_capacity(chunk.len());
                    for r in q.fetch_all(&mut *conn).await? {
                        ids.insert((r.try_get("owner")?, r.try_get("source_ref")?), r.try_get("id")?);
                    }
                    let sql = values_sql(
                        "INSERT INTO notice_versions (notice_id, version, at_ms, actor, change, content, lifecycle)",
                        &["?", "1", "?", "?", "'import'", "?", "?"],
                        chunk.len(),
                        $anonymous,
                        "",
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for (n, (content, life, _)) in chunk.iter().zip(&rows) {
                        let key = (n.owner().to_string(), n.content().source_ref.clone().unwrap_or_default());
                        let id = *ids.get(&key).ok_or_else(|| corrupt("notice", &key.1, "not returned by INSERT"))?;
                        q = q.bind(id).bind(now_ms).bind(actor.to_string()).bind(content.clone()).bind(to_json(life)?);
                    }
                    q.execute(&mut *conn).await?;
                }
                Ok(notices.len() as u64)
            }

            /// Why a versioned UPDATE touched no row: another version (conflict) or no row.
            async fn why_not_updated(
                conn: &mut <$db as sqlx::Database>::Connection,
                version_sql: &'static str,
                what: &'static str,
                id: i64,
                expected: i64,
            ) -> StoreError {
                let found = match sqlx::query(version_sql).bind(id).fetch_optional(&mut *conn).await {
                    Ok(found) => found,
                    Err(e) => return e.into(),
                };
                match found.map(|r| r.try_get::<i64, _>("version")) {
                    Some(Ok(found)) => StoreError::Conflict { id, expected, found },
                    Some(Err(e)) => e.into(),
                    None => StoreError::NotFound { what, key: id.to_string() },
                }
            }

            async fn hit_events(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
            ) -> Result<Vec<HitEvent>, StoreError> {
                let rows = sqlx::query(
                    "SELECT at_ms, actor, agency, status, note FROM hit_events WHERE hit_id = $1 ORDER BY seq",
                )
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
                rows.iter()
                    .map(|r| {
                        let status: String = r.try_get("status")?;
                        Ok(HitEvent {
                            at_ms: r.try_get("at_ms")?,
                            actor: r.try_get("actor")?,
                            agency: r.try_get("agency")?,
                            status: HitStatus::parse(&status).map_err(|e| corrupt("hit event", id, e))?,
                            note: r.try_get("note")?,
                        })
                    })
                    .collect()
            }

            async fn insert_hit_event(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                seq: i64,
                e: &HitEvent,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO hit_events (hit_id, seq, at_ms, actor, agency, status, note) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(id)
                .bind(seq)
                .bind(e.at_ms)
                .bind(&e.actor)
                .bind(&e.agency)
                .bind(e.status.as_str())
                .bind(&e.note)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            async fn stored_hit(
                conn: &mut <$db as sqlx::Database>::Connection,
                r: &<$db as sqlx::Database>::Row,
            ) -> Result<StoredHit, StoreError> {
                let id: i64 = r.try_get("id")?;
                let report: String = r.try_get("report")?;
                let status: String = r.try_get("status")?;
                let code = |c: String| AgencyCode::new(&c).map_err(|e| corrupt("hit", id, e));
                let hit = Hit {
                    notice_id: r.try_get("notice_id")?,
                    owner: code(r.try_get("owner")?)?,
                    reporter: r.try_get("reporter")?,
                    reporter_agency: code(r.try_get("reporter_agency")?)?,
                    status: HitStatus::parse(&status).map_err(|e| corrupt("hit", id, e))?,
                    report: serde_json::from_str(&report).map_err(|e| corrupt("hit", id, e))?,
                };
                Ok(StoredHit {
                    id,
                    version: r.try_get("version")?,
                    hit,
                    events: Self::hit_events(conn, id).await?,
                    created_ms: r.try_get("created_ms")?,
                })
            }

            fn stored_from(row: &<$db as sqlx::Database>::Row) -> Result<StoredNotice, StoreError> {
                let id: i64 = row.try_get("id")?;
                Ok(StoredNotice {
                    id,
                    version: row.try_get("version")?,
                    notice: notice_from(id, &row.try_get::<String, _>("content")?, &row.try_get::<String, _>("lifecycle")?)?,
                    updated_ms: row.try_get("updated_ms")?,
                })
            }
        }

        impl Store for $store {
            async fn migrate(&self) -> Result<(), StoreError> {
                self.run_migrations().await
            }

            async fn put_agency(&self, a: &Agency, audit: audit::Entry) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "INSERT INTO agencies (code, country, name_ar, name_fr, name_en) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (code) DO UPDATE SET country = excluded.country, name_ar = excluded.name_ar, \
                     name_fr = excluded.name_fr, name_en = excluded.name_en",
                )
                .bind(a.code.as_str())
                .bind(&a.country)
                .bind(&a.name_ar)
                .bind(&a.name_fr)
                .bind(&a.name_en)
                .execute(&mut *tx)
                .await?;
                Self::append_in(&mut tx, vec![audit]).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
                let rows = sqlx::query("SELECT code, country, name_ar, name_fr, name_en FROM agencies ORDER BY code")
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|r| {
                        let code: String = r.try_get("code")?;
                        let u = UncheckedAgency {
                            code: code.clone(),
                            country: r.try_get("country")?,
                            name_ar: r.try_get("name_ar")?,
                            name_fr: r.try_get("name_fr")?,
                            name_en: r.try_get("name_en")?,
                        };
                        Agency::new(u).map_err(|e| corrupt("agency", code, e))
                    })
                    .collect()
            }

            async fn put_user(&self, u: &User, password_hash: Option<&str>, audit: audit::Entry) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "INSERT INTO users (username, agency, display_name, roles, password_hash, created_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO UPDATE SET agency = excluded.agency, \
                     display_name = excluded.display_name, roles = excluded.roles, \
                     password_hash = COALESCE(excluded.password_hash, users.password_hash)",
                )
                .bind(&u.username)
                .bind(u.agency.as_str())
                .bind(&u.display_name)
                .bind(roles_to_text(&u.roles))
                .bind(password_hash)
                .bind(audit.at_ms)
                .execute(&mut *tx)
                .await?;
                Self::append_in(&mut tx, vec![audit]).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn user(&self, username: &str) -> Result<Option<(User, Option<String>)>, StoreError> {
                let row = sqlx::query(
                    "SELECT username, agency, display_name, roles, password_hash FROM users WHERE username = $1",
                )
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
                let Some(r) = row else { return Ok(None) };
                let u = user_from(
                    r.try_get("username")?,
                    r.try_get("agency")?,
                    r.try_get("display_name")?,
                    &r.try_get::<String, _>("roles")?,
                )?;
                Ok(Some((u, r.try_get("password_hash")?)))
            }

            async fn users(&self, agency: Option<&AgencyCode>) -> Result<Vec<User>, StoreError> {
                let rows = sqlx::query(
                    "SELECT username, agency, display_name, roles FROM users \
                     WHERE ($1 IS NULL OR agency = $1) ORDER BY username",
                )
                .bind(agency.map(|a| a.as_str()))
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        user_from(
                            r.try_get("username")?,
                            r.try_get("agency")?,
                            r.try_get("display_name")?,
                            &r.try_get::<String, _>("roles")?,
                        )
                    })
                    .collect()
            }

            async fn add_agreement(&self, a: &Agreement, audit: audit::Entry) -> Result<AgreementId, StoreError> {
                let mut tx = self.begin_write().await?;
                let row = sqlx::query("INSERT INTO agreements (a, b, body, created_ms) VALUES ($1, $2, $3, $4) RETURNING id")
                    .bind(a.a.as_str())
                    .bind(a.b.as_str())
                    .bind(to_json(&a.to_unchecked())?)
                    .bind(audit.at_ms)
                    .fetch_one(&mut *tx)
                    .await?;
                let id: i64 = row.try_get("id")?;
                Self::append_in(&mut tx, vec![audit]).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn agreements(&self) -> Result<Vec<(AgreementId, Agreement)>, StoreError> {
                let rows = sqlx::query("SELECT id, body FROM agreements ORDER BY id").fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| {
                        let id: i64 = r.try_get("id")?;
                        let body: String = r.try_get("body")?;
                        let u: UncheckedAgreement = serde_json::from_str(&body).map_err(|e| corrupt("agreement", id, e))?;
                        Ok((id, Agreement::new(u).map_err(|e| corrupt("agreement", id, e))?))
                    })
                    .collect()
            }

            async fn create_notice(
                &self,
                n: &Notice,
                actor: &str,
                now_ms: i64,
                audit: audit::Entry,
            ) -> Result<NoticeId, StoreError> {
                let mut tx = self.begin_write().await?;
                let id = Self::insert_notice(&mut tx, n, actor, "created", now_ms).await?;
                let mut audit = audit;
                if audit.target.is_empty() {
                    audit.target = format!("notice {id}");
                }
                Self::append_in(&mut tx, vec![audit]).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn update_notice(
                &self,
                id: NoticeId,
                expected_version: i64,
                n: &Notice,
                actor: &str,
                change: &str,
                now_ms: i64,
                audit: audit::Entry,
            ) -> Result<i64, StoreError> {
                let content = to_json(n.content())?;
                let life = n.lifecycle();
                let lifecycle = to_json(&life)?;
                let mut tx = self.begin_write().await?;
                let row = sqlx::query(
                    "UPDATE notices SET status = $1, source_ref = $2, content = $3, lifecycle = $4, content_hash = $5, \
                     expires_ms = $6, updated_ms = $7, version = version + 1 \
                     WHERE id = $8 AND version = $9 RETURNING version",
                )
                .bind(life.status.as_str())
                .bind(n.content().source_ref.as_deref())
                .bind(&content)
                .bind(&lifecycle)
                .bind(content_hash(n)?)
                .bind(life.expires_at.map(|t| t.as_millisecond()))
                .bind(now_ms)
                .bind(id)
                .bind(expected_version)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else {
                    let sql = "SELECT version FROM notices WHERE id = $1";
                    return Err(Self::why_not_updated(&mut tx, sql, "notice", id, expected_version).await);
                };
                let version: i64 = row.try_get("version")?;
                let v = VersionRow { id, version, at_ms: now_ms, actor, change, content: &content, lifecycle: &lifecycle };
                Self::insert_version(&mut tx, v).await?;
                Self::append_in(&mut tx, vec![audit]).await?;
                tx.commit().await?;
                Ok(version)
            }

            async fn notice(&self, id: NoticeId) -> Result<Option<StoredNotice>, StoreError> {
                let row = sqlx::query("SELECT id, version, content, lifecycle, updated_ms FROM notices WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(Self::stored_from).transpose()
            }

            async fn notice_history(&self, id: NoticeId) -> Result<Vec<NoticeVersion>, StoreError> {
                let rows = sqlx::query(
                    "SELECT version, at_ms, actor, change, content, lifecycle FROM notice_versions \
                     WHERE notice_id = $1 ORDER BY version",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(NoticeVersion {
                            version: r.try_get("version")?,
                            at_ms: r.try_get("at_ms")?,
                            actor: r.try_get("actor")?,
                            change: r.try_get("change")?,
                            notice: notice_from(
                                id,
                                &r.try_get::<String, _>("content")?,
                                &r.try_get::<String, _>("lifecycle")?,
                            )?,
                        })
                    })
                    .collect()
            }

            async fn notices(&self, f: &NoticeFilter) -> Result<Vec<StoredNotice>, StoreError> {
                let limit = if f.limit <= 0 { MAX_PAGE } else { f.limit.min(MAX_PAGE) };
                let rows = sqlx::query(
                    "SELECT id, version, content, lifecycle, updated_ms FROM notices \
                     WHERE ($1 IS NULL OR owner = $1) AND ($2 IS NULL OR status = $2) AND id > $3 \
                     ORDER BY id LIMIT $4",
                )
                .bind(f.owner.as_ref().map(|o| o.as_str()))
                .bind(f.status.map(|s| s.as_str()))
                .bind(f.after_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::stored_from).collect()
            }

            async fn count_notices(&self) -> Result<i64, StoreError> {
                let row = sqlx::query("SELECT COUNT(*) AS n FROM notices").fetch_one(&self.pool).await?;
                Ok(row.try_get("n")?)
            }

            async fn import(
                &self,
                items: Vec<ImportItem>,
                actor: &str,
                now_ms: i64,
                audit: audit::Entry,
            ) -> Result<ImportReport, StoreError> {
                if items.len() > MAX_IMPORT_BATCH {
                    return Err(StoreError::Invalid(format!("more than {MAX_IMPORT_BATCH} notices in one import")));
                }
                let mut tx = self.begin_write().await?;
                let mut owners: Vec<&AgencyCode> = items.iter().map(|i| i.notice.owner()).collect();
                owners.sort();
                owners.dedup();
                // (owner, source_ref) → (id, content hash, version, lifecycle)
                let mut known: HashMap<(String, String), (i64, String, i64, String)> = HashMap::new();
                for owner in owners {
                    let rows = sqlx::query(
                        "SELECT id, source_ref, content_hash, version, lifecycle FROM notices \
                         WHERE owner = $1 AND source_ref IS NOT NULL",
                    )
                    .bind(owner.as_str())
                    .fetch_all(&mut *tx)
                    .await?;
                    for r in rows {
                        known.insert(
                            (owner.to_string(), r.try_get("source_ref")?),
                            (r.try_get("id")?, r.try_get("content_hash")?, r.try_get("version")?, r.try_get("lifecycle")?),
                        );
                    }
                }
                let mut report = ImportReport::default();
                // New notices with a source reference are inserted many rows at a time below.
                let mut fresh: Vec<&Notice> = Vec::new();
                let mut fresh_keys: std::collections::HashSet<(String, String)> = Default::default();
                for item in &items {
                    let n = &item.notice;
                    let key = n.content().source_ref.clone().map(|s| (n.owner().to_string(), s));
                    let hash = content_hash(n)?;
                    match key.as_ref().and_then(|k| known.get_mut(k)) {
                        Some((_, old_hash, _, _)) if *old_hash == hash => report.unchanged += 1,
                        Some((id, old_hash, version, lifecycle)) => {
                            let content = to_json(n.content())?;
                            sqlx::query(
                                "UPDATE notices SET content = $1, content_hash = $2, version = version + 1, \
                                 updated_ms = $3 WHERE id = $4",
                            )
                            .bind(&content)
                            .bind(&hash)
                            .bind(now_ms)
                            .bind(*id)
                            .execute(&mut *tx)
                            .await?;
                            *version += 1;
                            let v = VersionRow {
                                id: *id,
                                version: *version,
                                at_ms: now_ms,
                                actor,
                                change: "import",
                                content: &content,
                                lifecycle,
                            };
                            Self::insert_version(&mut tx, v).await?;
                            *old_hash = hash;
                            report.updated += 1;
                        }
                        None => match key {
                            Some(k) => {
                                if !fresh_keys.insert(k.clone()) {
                                    return Err(StoreError::Invalid(format!(
                                        "source_ref {} of {} appears twice in one import",
                                        k.1, k.0
                                    )));
                                }
                                fresh.push(n);
                            }
                            None => {
                                Self::insert_notice(&mut tx, n, actor, "import", now_ms).await?;
                                report.created += 1;
                            }
                        },
                    }
                }
                report.created += Self::insert_new(&mut tx, &fresh, actor, now_ms).await?;
                let mut audit = audit;
                audit.result_count = report.created + report.updated;
                Self::append_in(&mut tx, vec![audit]).await?;
                tx.commit().await?;
                Ok(report)
            }

            async fn append_audit(&self, entries: Vec<audit::Entry>) -> Result<Vec<audit::Record>, StoreError> {
                if entries.is_empty() {
                    return Ok(Vec::new());
                }
                let mut tx = self.begin_write().await?;
                let out = Self::append_in(&mut tx, entries).await?;
                tx.commit().await?;
                Ok(out)
            }

            async fn audit_records(&self, after: u64, limit: i64) -> Result<Vec<audit::Record>, StoreError> {
                let rows = sqlx::query(
                    "SELECT seq, at_ms, actor, agency, action, target, purpose, result_count, hash FROM audit_log \
                     WHERE seq > $1 ORDER BY seq LIMIT $2",
                )
                .bind(i64_of(after)?)
                .bind(limit.clamp(1, MAX_PAGE * 10))
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        let seq: i64 = r.try_get("seq")?;
                        let action: String = r.try_get("action")?;
                        Ok(audit::Record {
                            seq: u64_of(seq, "audit record")?,
                            entry: audit::Entry {
                                at_ms: r.try_get("at_ms")?,
                                actor: r.try_get("actor")?,
                                agency: r.try_get("agency")?,
                                action: audit::Action::parse(&action)
                                    .ok_or_else(|| corrupt("audit record", seq, format!("action {action:?}")))?,
                                target: r.try_get("target")?,
                                purpose: r.try_get("purpose")?,
                                result_count: u64_of(r.try_get("result_count")?, "audit record")?,
                            },
                            hash: hash_from_hex(seq, &r.try_get::<String, _>("hash")?)?,
                        })
                    })
                    .collect()
            }

            async fn audit_head(&self) -> Result<(u64, audit::Hash), StoreError> {
                let r = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&self.pool).await?;
                let seq: i64 = r.try_get("seq")?;
                Ok((u64_of(seq, "audit head")?, hash_from_hex(seq, &r.try_get::<String, _>("hash")?)?))
            }

            async fn add_checkpoint(&self, c: &audit::Checkpoint) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO audit_checkpoints (seq, hash, at_ms, signature) VALUES ($1, $2, $3, $4)")
                    .bind(i64_of(c.seq)?)
                    .bind(hex::encode(c.hash))
                    .bind(c.at_ms)
                    .bind(hex::encode(c.signature))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn checkpoints(&self) -> Result<Vec<audit::Checkpoint>, StoreError> {
                let rows = sqlx::query("SELECT seq, hash, at_ms, signature FROM audit_checkpoints ORDER BY seq")
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|r| {
                        let seq: i64 = r.try_get("seq")?;
                        let sig = hex::decode(r.try_get::<String, _>("signature")?)
                            .map_err(|e| corrupt("checkpoint", seq, e))?;
                        Ok(audit::Checkpoint {
                            seq: u64_of(seq, "checkpoint")?,
                            hash: hash_from_hex(seq, &r.try_get::<String, _>("hash")?)?,
                            at_ms: r.try_get("at_ms")?,
                            signature: sig.try_into().map_err(|_| corrupt("checkpoint", seq, "signature length"))?,
                        })
                    })
                    .collect()
            }

            async fn create_token(
                &self,
                hash: &str,
                username: &str,
                kind: &str,
                name: &str,
                expires_ms: Option<i64>,
                audit: audit::Entry,
            ) -> Result<i64, StoreError> {
                let mut tx = self.begin_write().await?;
                let row = sqlx::query(
                    "INSERT INTO tokens (hash, username, kind, name, created_ms, expires_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(hash)
                .bind(username)
                .bind(kind)
                .bind(name)
                .bind(audit.at_ms)
                .bind(expires_ms)
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                Self::append_in(&mut tx, vec![audit]).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn token(&self, hash: &str) -> Result<Option<TokenRow>, StoreError> {
                let row = sqlx::query(
                    "SELECT id, username, kind, name, expires_ms, revoked FROM tokens WHERE hash = $1",
                )
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|r| {
                    Ok(TokenRow {
                        id: r.try_get("id")?,
                        username: r.try_get("username")?,
                        kind: r.try_get("kind")?,
                        name: r.try_get("name")?,
                        expires_ms: r.try_get("expires_ms")?,
                        revoked: r.try_get::<i64, _>("revoked")? != 0,
                    })
                })
                .transpose()
            }

            async fn revoke_token(&self, id: i64, username: &str, audit: audit::Entry) -> Result<bool, StoreError> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("UPDATE tokens SET revoked = 1 WHERE id = $1 AND username = $2 AND revoked = 0")
                    .bind(id)
                    .bind(username)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if done == 0 {
                    return Ok(false);
                }
                Self::append_in(&mut tx, vec![audit]).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn create_hit(&self, hit: &Hit, now_ms: i64, audit: audit::Entry) -> Result<i64, StoreError> {
                let mut tx = self.begin_write().await?;
                let row = sqlx::query(
                    "INSERT INTO hits (notice_id, owner, reporter, reporter_agency, status, report, version, \
                     created_ms, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id",
                )
                .bind(hit.notice_id)
                .bind(hit.owner.as_str())
                .bind(&hit.reporter)
                .bind(hit.reporter_agency.as_str())
                .bind(hit.status.as_str())
                .bind(to_json(&hit.report)?)
                .bind(now_ms)
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get("id")?;
                let first = HitEvent {
                    at_ms: now_ms,
                    actor: hit.reporter.clone(),
                    agency: hit.reporter_agency.to_string(),
                    status: hit.status,
                    note: hit.report.context.clone(),
                };
                Self::insert_hit_event(&mut tx, id, 1, &first).await?;
                let mut audit = audit;
                if audit.target.is_empty() {
                    audit.target = format!("hit {id} on notice {}", hit.notice_id);
                }
                Self::append_in(&mut tx, vec![audit]).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn hit(&self, id: i64) -> Result<Option<StoredHit>, StoreError> {
                let mut conn = self.pool.acquire().await?;
                let row = sqlx::query("SELECT * FROM hits WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
                match row {
                    Some(r) => Ok(Some(Self::stored_hit(&mut conn, &r).await?)),
                    None => Ok(None),
                }
            }

            async fn hits(&self, agency: &AgencyCode, after_id: i64, limit: i64) -> Result<Vec<StoredHit>, StoreError> {
                let mut conn = self.pool.acquire().await?;
                let rows = sqlx::query(
                    "SELECT * FROM hits WHERE (owner = $1 OR reporter_agency = $1) AND id > $2 ORDER BY id LIMIT $3",
                )
                .bind(agency.as_str())
                .bind(after_id)
                .bind(limit.clamp(1, MAX_PAGE))
                .fetch_all(&mut *conn)
                .await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    out.push(Self::stored_hit(&mut conn, r).await?);
                }
                Ok(out)
            }

            async fn update_hit(
                &self,
                id: i64,
                expected_version: i64,
                hit: &Hit,
                event: &HitEvent,
                audit: audit::Entry,
            ) -> Result<i64, StoreError> {
                let mut tx = self.begin_write().await?;
                let row = sqlx::query(
                    "UPDATE hits SET status = $1, report = $2, updated_ms = $3, version = version + 1 \
                     WHERE id = $4 AND version = $5 RETURNING version",
                )
                .bind(hit.status.as_str())
                .bind(to_json(&hit.report)?)
                .bind(event.at_ms)
                .bind(id)
                .bind(expected_version)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else {
                    let sql = "SELECT version FROM hits WHERE id = $1";
                    return Err(Self::why_not_updated(&mut tx, sql, "hit", id, expected_version).await);
                };
                let version: i64 = row.try_get("version")?;
                Self::insert_hit_event(&mut tx, id, version, event).await?;
                Self::append_in(&mut tx, vec![audit]).await?;
                tx.commit().await?;
                Ok(version)
            }

            async fn prune_audit(&self, through: u64, audit: audit::Entry) -> Result<u64, StoreError> {
                let mut tx = self.begin_write().await?;
                let cp = sqlx::query("SELECT seq FROM audit_checkpoints WHERE seq = $1")
                    .bind(i64_of(through)?)
                    .fetch_optional(&mut *tx)
                    .await?;
                if cp.is_none() {
                    return Err(StoreError::Invalid(format!(
                        "record {through} has no checkpoint: the log can only be pruned up to one"
                    )));
                }
                let done = sqlx::query("DELETE FROM audit_log WHERE seq <= $1")
                    .bind(i64_of(through)?)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                let mut audit = audit;
                audit.result_count = done;
                Self::append_in(&mut tx, vec![audit]).await?;
                tx.commit().await?;
                Ok(done)
            }
        }
    };
}

impl_store!(SqliteStore, sqlx::Sqlite, true);
impl_store!(PgStore, sqlx::Postgres, false);
