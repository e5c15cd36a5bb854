-- 0007_web: accounts, sessions, API tokens, login throttling and the audit log of `serve`.
-- Portable SQL (docs/storage.md).  Secrets are never stored: passwords as argon2id encoded
-- hashes, session and API tokens as the hex SHA-256 of the token (docs/security.md).

CREATE TABLE users (
    id {{id}},
    name TEXT NOT NULL UNIQUE,            -- login name
    role TEXT NOT NULL,                   -- admin|supervisor|editor|viewer
    unit_id BIGINT REFERENCES units(id),  -- required for editors: the unit they answer for
    password_hash TEXT,                   -- argon2id encoded ($argon2id$v=19$m=...); NULL = no password login
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_login_at BIGINT
);
CREATE INDEX users_unit ON users(unit_id);

CREATE TABLE sessions (
    id {{id}},
    token_hash TEXT NOT NULL UNIQUE,      -- hex SHA-256 of the cookie value
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,                   -- the session's CSRF token (random, per session)
    created_at BIGINT NOT NULL,
    seen_at BIGINT NOT NULL,              -- last use (idle expiry)
    expires_at BIGINT NOT NULL,           -- absolute expiry
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id {{id}},
    token_hash TEXT NOT NULL UNIQUE,      -- hex SHA-256 of the bearer token
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    prefix TEXT NOT NULL,                 -- first characters, to tell tokens apart in lists
    created_at BIGINT NOT NULL,
    used_at BIGINT,
    revoked BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE login_failures (
    id {{id}},
    scope TEXT NOT NULL,                  -- 'user' or 'ip'
    key TEXT NOT NULL,                    -- the login name or the client address
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(scope, key, at);

CREATE TABLE audit_log (
    id {{id}},
    at BIGINT NOT NULL,
    user_id BIGINT,                       -- NULL when not authenticated (no FK: kept after deletion)
    user_name TEXT,
    ip TEXT,
    action TEXT NOT NULL,                 -- denied|login|login_failed|login_throttled|logout|user_add|user_update|token_new|csrf
    method TEXT,
    path TEXT,
    detail TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);

-- The registry lists of the dashboard and API count registered columns per site and per
-- unit on every page; these make both counts index-only.
CREATE INDEX site_columns_site_state ON site_columns(site_id, state);
CREATE INDEX site_columns_unit_state ON site_columns(unit_id, state);
