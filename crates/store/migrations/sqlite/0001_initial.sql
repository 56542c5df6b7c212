-- Liaison schema, version 1 (SQLite). Keep in step with ../postgres/0001_initial.sql.
CREATE TABLE agencies (
    code TEXT PRIMARY KEY,
    country TEXT NOT NULL,
    name_ar TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL
);
CREATE TABLE users (
    username TEXT PRIMARY KEY,
    agency TEXT NOT NULL REFERENCES agencies (code),
    display_name TEXT NOT NULL,
    roles TEXT NOT NULL,
    password_hash TEXT,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL
);
CREATE TABLE agreements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    a TEXT NOT NULL REFERENCES agencies (code),
    b TEXT NOT NULL REFERENCES agencies (code),
    body TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL REFERENCES agencies (code),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    source_ref TEXT,
    version BIGINT NOT NULL,
    content TEXT NOT NULL,
    lifecycle TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    expires_ms BIGINT,
    updated_ms BIGINT NOT NULL,
    UNIQUE (owner, source_ref)
);
CREATE INDEX notices_owner_status ON notices (owner, status);
CREATE TABLE notice_versions (
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    version BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    change TEXT NOT NULL,
    content TEXT NOT NULL,
    lifecycle TEXT NOT NULL,
    PRIMARY KEY (notice_id, version)
);
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    agency TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    purpose TEXT NOT NULL,
    result_count BIGINT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE audit_checkpoints (
    seq BIGINT PRIMARY KEY,
    hash TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    signature TEXT NOT NULL
);
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
