-- 0012_jobs.sql - the job queue shared by `govsite worker` and `govsite serve`
-- (src/jobs/jobs.h), the per-host politeness budget all workers share, and the
-- per-site schedule.

-- One row per job.  state: queued → running → done | failed | cancelled; a running job
-- whose lease ran out (its worker died) is claimable again.  `live_key` is type/site
-- while the job is queued or running, NULL after: at most one live job per type and site.
CREATE TABLE jobs (
    id {{id}},
    type TEXT NOT NULL,
    site_id BIGINT REFERENCES sites(id) ON DELETE CASCADE,
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    live_key TEXT,
    origin TEXT NOT NULL DEFAULT 'manual',
    priority BIGINT NOT NULL DEFAULT 0,
    run_after BIGINT NOT NULL DEFAULT 0,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 3,
    worker TEXT,
    lease_until_ms BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    result TEXT,
    error TEXT
);
CREATE UNIQUE INDEX jobs_live ON jobs (live_key);
CREATE INDEX jobs_ready ON jobs (state, priority DESC, id);
CREATE INDEX jobs_lease ON jobs (state, lease_until_ms);
CREATE INDEX jobs_site ON jobs (site_id, type, id);

-- The politeness budget: at most one worker at a time sends requests to a host, under
-- its per-host and rate limits; next_ms keeps the pace across a hand-over.  A holder
-- that dies loses the host when lease_until_ms passes.  A worker refused a host books
-- the next turn (wanted_by, refreshed while it waits; stale after a second), and the
-- holder gives the host up at the end of its slice.
CREATE TABLE job_hosts (
    host TEXT PRIMARY KEY,
    holder TEXT,
    worker TEXT,
    lease_until_ms BIGINT NOT NULL DEFAULT 0,
    next_ms BIGINT NOT NULL DEFAULT 0,
    wanted_by TEXT,
    wanted_ms BIGINT NOT NULL DEFAULT 0
);

-- Per-site schedule overrides (seconds between runs of a type; 0 = never).  Sites
-- without a row use the [jobs] configuration defaults.
CREATE TABLE job_schedule (
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    every_s BIGINT NOT NULL,
    PRIMARY KEY (site_id, type)
);
