-- Explanation and consent (guideline ⑧): the clinic profile, explanation snapshots, consents,
-- withdrawals, contact handouts given, and the hand-over gate as a last line of defence.

-- The clinic's own contact details, printed on every explanation and contact sheet. One row.
CREATE TABLE clinic_profile (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    name                TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    department          TEXT    NOT NULL CHECK (length(department) BETWEEN 1 AND 200),
    phone               TEXT    NOT NULL CHECK (length(phone) BETWEEN 1 AND 50),
    hours               TEXT    NOT NULL CHECK (length(hours) BETWEEN 1 AND 200),
    after_hours_phone   TEXT    NOT NULL CHECK (length(after_hours_phone) BETWEEN 1 AND 50),
    after_hours_reaches TEXT    NOT NULL CHECK (after_hours_reaches IN ('clinic', 'maker', 'supplier')),
    privacy_desk        TEXT    NOT NULL CHECK (length(privacy_desk) BETWEEN 1 AND 200),
    updated_at          TEXT    NOT NULL,
    updated_by          TEXT    NOT NULL
) STRICT;

-- What a patient was shown, exactly: one row per rendering, never changed or deleted.
CREATE TABLE explanations (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    loan_id             TEXT    NOT NULL REFERENCES loans (id),
    sequence            INTEGER NOT NULL CHECK (sequence >= 1),
    language            TEXT    NOT NULL CHECK (language IN ('ja', 'en')),
    text_version        INTEGER NOT NULL CHECK (text_version >= 1),
    text_files          TEXT    NOT NULL CHECK (json_valid(text_files)),   -- {"v1/ja/common.md": "<sha256>", …}
    risks               TEXT    NOT NULL CHECK (json_valid(risks)),        -- ["R01", …]
    precautions         TEXT    NOT NULL CHECK (json_valid(precautions)),  -- ["P01", …]
    notices             TEXT    NOT NULL CHECK (json_valid(notices)),      -- ["remote_service", …]
    device_id           TEXT    NOT NULL REFERENCES devices (id),
    start_date          TEXT    NOT NULL,
    due_date            TEXT    NOT NULL,
    body                TEXT    NOT NULL,
    sha256              TEXT    NOT NULL CHECK (length(sha256) = 64),
    created_at          TEXT    NOT NULL,
    created_by          TEXT    NOT NULL,
    UNIQUE (loan_id, sequence)
) STRICT;
CREATE TRIGGER explanations_no_update BEFORE UPDATE ON explanations
BEGIN SELECT RAISE(ABORT, 'explanations are append-only'); END;
CREATE TRIGGER explanations_no_delete BEFORE DELETE ON explanations
BEGIN SELECT RAISE(ABORT, 'explanations are append-only'); END;

-- The explanation currently in force for the loan (its latest snapshot).
ALTER TABLE loans ADD COLUMN current_explanation_id TEXT REFERENCES explanations (id);
-- Language of the explanation and handouts; the patient's language unless staff chose another.
ALTER TABLE loans ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ('ja', 'en'));
-- Set when consent is withdrawn while the device is out: the device must be recovered.
ALTER TABLE loans ADD COLUMN recovery_requested_at TEXT;

-- A consent decision on one explanation snapshot; at most one per snapshot.
CREATE TABLE consents (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    loan_id             TEXT    NOT NULL REFERENCES loans (id),
    explanation_id      TEXT    NOT NULL UNIQUE REFERENCES explanations (id),
    explanation_sha256  TEXT    NOT NULL CHECK (length(explanation_sha256) = 64),
    decision            TEXT    NOT NULL CHECK (decision IN ('granted', 'refused')),
    signer_kind         TEXT    NOT NULL CHECK (signer_kind IN ('self', 'proxy')),
    signer_name         TEXT    NOT NULL CHECK (length(signer_name) BETWEEN 1 AND 200),
    proxy_relationship  TEXT    CHECK (proxy_relationship IS NULL OR length(proxy_relationship) BETWEEN 1 AND 100),
    proxy_reason        TEXT    CHECK (proxy_reason IS NULL OR length(proxy_reason) BETWEEN 1 AND 500),
    explained_by        TEXT    NOT NULL CHECK (length(explained_by) BETWEEN 1 AND 100),
    witness             TEXT    CHECK (witness IS NULL OR length(witness) BETWEEN 1 AND 200),
    scope_maker_cloud   INTEGER NOT NULL CHECK (scope_maker_cloud IN (0, 1)),
    scope_sharing       INTEGER NOT NULL CHECK (scope_sharing IN (0, 1)),
    scope_research      INTEGER NOT NULL CHECK (scope_research IN (0, 1)),
    evidence_method     TEXT    CHECK (evidence_method IS NULL OR evidence_method IN ('tablet', 'paper')),
    signature_png       BLOB    CHECK (signature_png IS NULL OR length(signature_png) <= 200000),
    signature_sha256    TEXT    CHECK (signature_sha256 IS NULL OR length(signature_sha256) = 64),
    scan_reference      TEXT    CHECK (scan_reference IS NULL OR length(scan_reference) BETWEEN 1 AND 300),
    copy_given          INTEGER NOT NULL CHECK (copy_given IN (0, 1)),
    explained_at        TEXT    NOT NULL,
    decided_at          TEXT    NOT NULL,
    recorded_by         TEXT    NOT NULL,
    CHECK (signer_kind = 'self' OR (proxy_relationship IS NOT NULL AND proxy_reason IS NOT NULL)),
    CHECK (decision = 'refused' OR evidence_method IS NOT NULL),
    CHECK (evidence_method IS NOT 'tablet' OR (signature_png IS NOT NULL AND signature_sha256 IS NOT NULL)),
    CHECK (evidence_method IS NOT 'paper' OR scan_reference IS NOT NULL)
) STRICT;
CREATE INDEX consents_by_loan ON consents (loan_id);
CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
BEGIN SELECT RAISE(ABORT, 'consents are append-only; a withdrawal is its own record'); END;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN SELECT RAISE(ABORT, 'consents are append-only'); END;

-- A granted consent withdrawn; at most one per consent.
CREATE TABLE consent_withdrawals (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    consent_id          TEXT    NOT NULL UNIQUE REFERENCES consents (id),
    reason              TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    channel             TEXT    NOT NULL CHECK (channel IN ('in_person', 'phone', 'letter', 'email', 'other')),
    actions_taken       TEXT    NOT NULL CHECK (length(actions_taken) BETWEEN 1 AND 2000),
    recovery_required   INTEGER NOT NULL CHECK (recovery_required IN (0, 1)),
    withdrawn_at        TEXT    NOT NULL,
    recorded_by         TEXT    NOT NULL
) STRICT;
CREATE TRIGGER consent_withdrawals_no_update BEFORE UPDATE ON consent_withdrawals
BEGIN SELECT RAISE(ABORT, 'consent_withdrawals is append-only'); END;
CREATE TRIGGER consent_withdrawals_no_delete BEFORE DELETE ON consent_withdrawals
BEGIN SELECT RAISE(ABORT, 'consent_withdrawals is append-only'); END;

-- The contact handout (連絡先のご案内) given for an explanation snapshot; at most one per snapshot.
CREATE TABLE contact_sheets (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    loan_id             TEXT    NOT NULL REFERENCES loans (id),
    explanation_id      TEXT    NOT NULL UNIQUE REFERENCES explanations (id),
    handout_version     INTEGER NOT NULL CHECK (handout_version >= 1),
    language            TEXT    NOT NULL CHECK (language IN ('ja', 'en')),
    given_at            TEXT    NOT NULL,
    given_by            TEXT    NOT NULL,
    recorded_at         TEXT    NOT NULL
) STRICT;
CREATE INDEX contact_sheets_by_loan ON contact_sheets (loan_id);
CREATE TRIGGER contact_sheets_no_update BEFORE UPDATE ON contact_sheets
BEGIN SELECT RAISE(ABORT, 'contact_sheets is append-only'); END;
CREATE TRIGGER contact_sheets_no_delete BEFORE DELETE ON contact_sheets
BEGIN SELECT RAISE(ABORT, 'contact_sheets is append-only'); END;

CREATE INDEX loans_awaiting_recovery ON loans (recovery_requested_at) WHERE recovery_requested_at IS NOT NULL;

-- Hand-over gate (DESIGN §5), also enforced by the library with a clear message: a loan becomes
-- active only with a granted, unwithdrawn consent and a contact handout for its current explanation.
CREATE TRIGGER loans_handover_gate BEFORE UPDATE OF status ON loans
WHEN NEW.status = 'active' AND OLD.status != 'active'
BEGIN
    SELECT RAISE(ABORT, 'hand-over gate: no granted consent for the current explanation')
    WHERE NOT EXISTS (
        SELECT 1 FROM consents c
        WHERE c.explanation_id = NEW.current_explanation_id AND c.decision = 'granted'
          AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.consent_id = c.id));
    SELECT RAISE(ABORT, 'hand-over gate: no contact handout for the current explanation')
    WHERE NOT EXISTS (SELECT 1 FROM contact_sheets s WHERE s.explanation_id = NEW.current_explanation_id);
END;
