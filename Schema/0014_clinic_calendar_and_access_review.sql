-- 0014: the clinic's calendar (weekly hours and closed days), which access review uses to tell
-- reads outside working hours, and the review's decisions and sign-offs (issue 14).

-- Weekly hours in Asia/Tokyo; weekday 0 is Sunday … 6 Saturday (as LocalDate.weekday).
-- A day with no hours is closed. Default: Monday to Saturday 08:00–19:00.
CREATE TABLE clinic_hours (
    weekday INTEGER PRIMARY KEY CHECK (weekday BETWEEN 0 AND 6),
    opens   TEXT CHECK (opens IS NULL OR (length(opens) = 5 AND opens GLOB '[0-2][0-9]:[0-5][0-9]')),
    closes  TEXT CHECK (closes IS NULL OR (length(closes) = 5 AND closes GLOB '[0-2][0-9]:[0-5][0-9]')),
    CHECK ((opens IS NULL) = (closes IS NULL)),
    CHECK (opens IS NULL OR opens < closes)
) STRICT;
INSERT INTO clinic_hours (weekday, opens, closes) VALUES
    (0, NULL, NULL), (1, '08:00', '19:00'), (2, '08:00', '19:00'), (3, '08:00', '19:00'),
    (4, '08:00', '19:00'), (5, '08:00', '19:00'), (6, '08:00', '19:00');

-- Days the clinic is closed besides Sundays and public holidays (e.g. 年末年始).
CREATE TABLE clinic_closed_days (
    day      TEXT PRIMARY KEY CHECK (length(day) = 10 AND day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    note     TEXT NOT NULL CHECK (length(note) <= 200),
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
) STRICT;

-- A reviewer's decision on one flagged item of a period. Never changed: a later decision on the
-- same item supersedes an earlier one, and both stay.
CREATE TABLE access_review_decisions (
    seq        INTEGER PRIMARY KEY,
    period     TEXT NOT NULL CHECK (length(period) = 22),
    item       TEXT NOT NULL CHECK (length(item) BETWEEN 1 AND 200),
    decision   TEXT NOT NULL CHECK (decision IN ('justified', 'follow-up')),
    note       TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
    decided_at TEXT NOT NULL,
    decided_by TEXT NOT NULL
) STRICT;
CREATE INDEX access_review_decisions_by_period ON access_review_decisions (period, item, seq);
CREATE TRIGGER access_review_decisions_no_update BEFORE UPDATE ON access_review_decisions
BEGIN SELECT RAISE(ABORT, 'access review decisions are never changed'); END;
CREATE TRIGGER access_review_decisions_no_delete BEFORE DELETE ON access_review_decisions
BEGIN SELECT RAISE(ABORT, 'access review decisions are never deleted'); END;

-- A manager's sign-off of a period's review.
CREATE TABLE access_review_sign_offs (
    period     TEXT PRIMARY KEY CHECK (length(period) = 22),
    from_date  TEXT NOT NULL,
    to_date    TEXT NOT NULL,
    flags      INTEGER NOT NULL CHECK (flags >= 0),
    note       TEXT NOT NULL CHECK (length(note) <= 2000),
    signed_at  TEXT NOT NULL,
    signed_by  TEXT NOT NULL,
    CHECK (from_date <= to_date)
) STRICT;
CREATE TRIGGER access_review_sign_offs_no_update BEFORE UPDATE ON access_review_sign_offs
BEGIN SELECT RAISE(ABORT, 'a sign-off is never changed'); END;
CREATE TRIGGER access_review_sign_offs_no_delete BEFORE DELETE ON access_review_sign_offs
BEGIN SELECT RAISE(ABORT, 'a sign-off is never deleted'); END;
