-- Staff accounts, sign-in sessions and the security settings (guideline 6.0, System Operations
-- ch. 14): who may act, how they prove it, and how long a sign-in lasts.

-- One row per staff member. Never deleted: an account that leaves is disabled, so the audit log
-- keeps naming a real account.
CREATE TABLE staff_accounts (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    login               TEXT    NOT NULL UNIQUE
                                CHECK (length(login) BETWEEN 2 AND 32 AND login NOT GLOB '*[^a-z0-9._-]*'),
    display_name        TEXT    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    role                TEXT    NOT NULL CHECK (role IN ('staff', 'manager', 'auditor', 'admin')),
    active              INTEGER NOT NULL CHECK (active IN (0, 1)),
    password_hash       TEXT    NOT NULL CHECK (password_hash GLOB '$argon2id$*'),
    password_is_initial INTEGER NOT NULL CHECK (password_is_initial IN (0, 1)),
    password_changed_at TEXT    NOT NULL,
    totp_secret         TEXT,                                -- base32; set when enrolment starts
    totp_confirmed_at   TEXT,                                -- the second factor is in force from here
    totp_last_step      INTEGER,                             -- a code's time step is accepted once
    failed_attempts     INTEGER NOT NULL CHECK (failed_attempts >= 0),
    first_failed_at     TEXT,
    locked_until        TEXT,
    created_at          TEXT    NOT NULL,
    created_by          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    updated_by          TEXT    NOT NULL,
    CHECK (totp_confirmed_at IS NULL OR totp_secret IS NOT NULL)
) STRICT;
CREATE TRIGGER staff_accounts_no_delete BEFORE DELETE ON staff_accounts
BEGIN SELECT RAISE(ABORT, 'staff accounts are disabled, never deleted'); END;

-- The password hashes an account used before, for the no-reuse rule (the newest 5 are checked).
CREATE TABLE staff_password_history (
    account_id          TEXT    NOT NULL REFERENCES staff_accounts (id),
    password_hash       TEXT    NOT NULL,
    set_at              TEXT    NOT NULL
) STRICT;
CREATE INDEX staff_password_history_by_account ON staff_password_history (account_id, set_at);

-- One-time recovery codes for the second factor, stored as SHA-256 only.
CREATE TABLE staff_recovery_codes (
    account_id          TEXT    NOT NULL REFERENCES staff_accounts (id),
    code_sha256         TEXT    NOT NULL CHECK (length(code_sha256) = 64),
    created_at          TEXT    NOT NULL,
    used_at             TEXT,
    PRIMARY KEY (account_id, code_sha256)
) STRICT;

-- Sign-ins: bearer tokens for the API, session cookies for the staff pages. Only the token's
-- SHA-256 is stored. A session ends (signed out, expired, idle, account disabled, password
-- changed) and is kept for the record.
CREATE TABLE staff_sessions (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    token_sha256        TEXT    NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
    account_id          TEXT    NOT NULL REFERENCES staff_accounts (id),
    kind                TEXT    NOT NULL CHECK (kind IN ('bearer', 'cookie')),
    created_at          TEXT    NOT NULL,
    expires_at          TEXT    NOT NULL,
    last_seen_at        TEXT    NOT NULL,
    ended_at            TEXT,
    end_reason          TEXT    CHECK (end_reason IN ('signed_out', 'expired', 'idle', 'account_disabled',
                                                      'password_changed', 'role_changed')),
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
) STRICT;
CREATE INDEX staff_sessions_open_by_account ON staff_sessions (account_id) WHERE ended_at IS NULL;

-- The clinic's sign-in rules. One row; changed only by an administrator, audited.
CREATE TABLE security_settings (
    id                          INTEGER PRIMARY KEY CHECK (id = 1),
    require_second_factor       TEXT    NOT NULL CHECK (json_valid(require_second_factor)),  -- ["manager", …]
    password_max_age_days       INTEGER CHECK (password_max_age_days IS NULL OR password_max_age_days BETWEEN 1 AND 3650),
    token_lifetime_minutes      INTEGER NOT NULL CHECK (token_lifetime_minutes BETWEEN 5 AND 10080),
    idle_timeout_minutes        INTEGER NOT NULL CHECK (idle_timeout_minutes BETWEEN 1 AND 1440),
    lockout_threshold           INTEGER NOT NULL CHECK (lockout_threshold BETWEEN 1 AND 100),
    lockout_window_minutes      INTEGER NOT NULL CHECK (lockout_window_minutes BETWEEN 1 AND 1440),
    lockout_minutes             INTEGER NOT NULL CHECK (lockout_minutes BETWEEN 1 AND 1440),
    updated_at                  TEXT,
    updated_by                  TEXT
) STRICT;
INSERT INTO security_settings (id, require_second_factor, password_max_age_days, token_lifetime_minutes,
    idle_timeout_minutes, lockout_threshold, lockout_window_minutes, lockout_minutes)
VALUES (1, '[]', NULL, 720, 30, 5, 15, 15);
