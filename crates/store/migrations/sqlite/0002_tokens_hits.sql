-- Sessions and API tokens (stored hashed), hits and their follow-up (SQLite).
CREATE TABLE tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hash TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL REFERENCES users (username),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT,
    revoked BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE hits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    owner TEXT NOT NULL REFERENCES agencies (code),
    reporter TEXT NOT NULL,
    reporter_agency TEXT NOT NULL REFERENCES agencies (code),
    status TEXT NOT NULL,
    report TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE INDEX hits_owner ON hits (owner, id);
CREATE INDEX hits_reporter_agency ON hits (reporter_agency, id);
CREATE TABLE hit_events (
    hit_id BIGINT NOT NULL REFERENCES hits (id),
    seq BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    agency TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (hit_id, seq)
);
