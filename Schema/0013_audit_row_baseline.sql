-- 0013: rows covered by the audit chain (issue 14).
-- From this version on, every audit event that creates or changes a patient, device, loan,
-- consent, withdrawal, contact sheet, wipe, disposal, incident or staff account carries the
-- SHA-256 of the row as written. Rows written before it are recorded once, at the first start
-- of this version, as `audit.rows_baselined` events; this row says that was done (and at
-- which event), so it is never done twice.
CREATE TABLE audit_row_baseline (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    recorded_at_seq INTEGER NOT NULL CHECK (recorded_at_seq >= 0),
    recorded_at     TEXT    NOT NULL
) STRICT;

CREATE TRIGGER audit_row_baseline_no_update BEFORE UPDATE ON audit_row_baseline
BEGIN SELECT RAISE(ABORT, 'the row baseline is recorded once'); END;
CREATE TRIGGER audit_row_baseline_no_delete BEFORE DELETE ON audit_row_baseline
BEGIN SELECT RAISE(ABORT, 'the row baseline is recorded once'); END;
