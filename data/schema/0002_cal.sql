-- 0002_cal: local calendar overrides (src/cal/cal.h, docs/deadlines.md).
-- The national holidays and 调休 working days come from data/holidays/cn.tsv; a city's own
-- days (an extra day off, a typhoon 停工 day, a local working Saturday) live here and win
-- over the table.  Portable SQL (docs/storage.md): dates as 'YYYY-MM-DD' TEXT.

CREATE TABLE calendar_overrides (
    day TEXT PRIMARY KEY,                 -- 'YYYY-MM-DD', China time
    kind TEXT NOT NULL,                   -- 'off' | 'work'
    name TEXT NOT NULL,                   -- why: 台风停工, 市庆放假 ...
    created_at BIGINT NOT NULL,           -- instants, UTC seconds
    updated_at BIGINT NOT NULL
);
