-- 0014_public: the public side of `serve` (docs/web.md "Public side").  A citizen's
-- 依申请公开 request or 咨询 submitted without an account is a work item (cases, channel
-- online); this table holds what only the public side has: the hash of the lookup code
-- given to the submitter, and the fields of the standard application form that the
-- cases table has no column for.  Portable SQL (docs/storage.md).  Submissions and failed
-- lookups are throttled through login_failures (scopes public-submit, public-lookup).

CREATE TABLE public_requests (
    id {{id}},
    case_id BIGINT NOT NULL UNIQUE REFERENCES cases(id),
    code_hash TEXT NOT NULL,              -- hex SHA-256 of the lookup code (the code is shown once)
    form TEXT,                            -- JSON object: the application form's other fields;
                                          -- personal data (id number, address...) shown only
                                          -- to those who see the requester's (cases.h)
    ip TEXT,                              -- the client address that submitted it
    created_at BIGINT NOT NULL
);
