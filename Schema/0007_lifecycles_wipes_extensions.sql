-- The loan and device lifecycles (DESIGN §4) as data the database enforces. The rows mirror the
-- transition tables in LoanRegistry (LoanLifecycle, DeviceLifecycle); a test checks that they
-- agree. A status change not listed here is refused, whoever writes it.
CREATE TABLE lifecycle_transitions (
    entity              TEXT    NOT NULL CHECK (entity IN ('loan', 'device')),
    from_status         TEXT    NOT NULL,
    to_status           TEXT    NOT NULL,
    PRIMARY KEY (entity, from_status, to_status)
) STRICT, WITHOUT ROWID;

INSERT INTO lifecycle_transitions (entity, from_status, to_status) VALUES
    ('loan', 'draft', 'consented'),
    ('loan', 'consented', 'draft'),
    ('loan', 'consented', 'active'),
    ('loan', 'active', 'returned'),
    ('loan', 'draft', 'cancelled'),
    ('loan', 'consented', 'cancelled'),
    ('device', 'available', 'on_loan'),
    ('device', 'on_loan', 'available'),
    ('device', 'on_loan', 'awaiting_wipe'),
    ('device', 'awaiting_wipe', 'available');

CREATE TRIGGER lifecycle_transitions_no_insert BEFORE INSERT ON lifecycle_transitions
BEGIN SELECT RAISE(ABORT, 'lifecycle transitions change only by migration'); END;
CREATE TRIGGER lifecycle_transitions_no_update BEFORE UPDATE ON lifecycle_transitions
BEGIN SELECT RAISE(ABORT, 'lifecycle transitions change only by migration'); END;
CREATE TRIGGER lifecycle_transitions_no_delete BEFORE DELETE ON lifecycle_transitions
BEGIN SELECT RAISE(ABORT, 'lifecycle transitions change only by migration'); END;

CREATE TRIGGER loans_status_follows_lifecycle BEFORE UPDATE OF status ON loans
WHEN NEW.status != OLD.status
BEGIN
    SELECT RAISE(ABORT, 'loan lifecycle: this status change is not allowed')
    WHERE NOT EXISTS (SELECT 1 FROM lifecycle_transitions
                      WHERE entity = 'loan' AND from_status = OLD.status AND to_status = NEW.status);
END;

CREATE TRIGGER loans_start_as_drafts BEFORE INSERT ON loans
WHEN NEW.status != 'draft'
BEGIN SELECT RAISE(ABORT, 'loan lifecycle: a loan starts as a draft'); END;

CREATE TRIGGER devices_status_follows_lifecycle BEFORE UPDATE OF status ON devices
WHEN NEW.status != OLD.status
BEGIN
    SELECT RAISE(ABORT, 'device lifecycle: this status change is not allowed')
    WHERE NOT EXISTS (SELECT 1 FROM lifecycle_transitions
                      WHERE entity = 'device' AND from_status = OLD.status AND to_status = NEW.status);
END;

CREATE TRIGGER devices_start_available BEFORE INSERT ON devices
WHEN NEW.status != 'available'
BEGIN SELECT RAISE(ABORT, 'device lifecycle: a device starts available'); END;

-- Leaving awaiting_wipe needs the wipe record written in the same transaction (guideline ⑩).
CREATE TRIGGER devices_leave_awaiting_wipe_by_a_wipe BEFORE UPDATE OF status ON devices
WHEN OLD.status = 'awaiting_wipe' AND NEW.status = 'available'
BEGIN
    SELECT RAISE(ABORT, 'device lifecycle: no wipe recorded since the device came back')
    WHERE NOT EXISTS (SELECT 1 FROM sanitizations s WHERE s.device_id = NEW.id
                      AND s.recorded_at >= (SELECT max(occurred_at) FROM device_events e
                                            WHERE e.device_id = NEW.id AND e.to_status = 'awaiting_wipe'));
END;

-- Every status change of a loan, with who and when. Append-only.
CREATE TABLE loan_events (
    seq                 INTEGER PRIMARY KEY,
    loan_id             TEXT    NOT NULL REFERENCES loans (id),
    occurred_at         TEXT    NOT NULL,
    actor               TEXT    NOT NULL,
    event               TEXT    NOT NULL CHECK (length(event) BETWEEN 1 AND 50),
    from_status         TEXT    NOT NULL,
    to_status           TEXT    NOT NULL,
    note                TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 2000)
) STRICT;
CREATE INDEX loan_events_by_loan ON loan_events (loan_id, seq);
CREATE TRIGGER loan_events_no_update BEFORE UPDATE ON loan_events
BEGIN SELECT RAISE(ABORT, 'loan_events is append-only'); END;
CREATE TRIGGER loan_events_no_delete BEFORE DELETE ON loan_events
BEGIN SELECT RAISE(ABORT, 'loan_events is append-only'); END;

-- Data deletion of a returned device (guideline ⑩): how, by whom, verified by another person.
CREATE TABLE sanitizations (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    device_id           TEXT    NOT NULL REFERENCES devices (id),
    loan_id             TEXT    REFERENCES loans (id),
    method              TEXT    NOT NULL CHECK (method IN ('documented_erase', 'factory_reset', 'mdm_wipe',
                                    'vendor_return', 'physical_destruction')),
    performed_by        TEXT    NOT NULL CHECK (length(performed_by) BETWEEN 1 AND 100),
    verified_by         TEXT    NOT NULL CHECK (length(verified_by) BETWEEN 1 AND 100),
    data_exported_first INTEGER NOT NULL CHECK (data_exported_first IN (0, 1)),
    export_reference    TEXT    CHECK (export_reference IS NULL OR length(export_reference) BETWEEN 1 AND 300),
    notes               TEXT    NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    recorded_at         TEXT    NOT NULL,
    recorded_by         TEXT    NOT NULL,
    CHECK (verified_by != performed_by),
    CHECK (data_exported_first = 0 OR export_reference IS NOT NULL)
) STRICT;
CREATE INDEX sanitizations_by_device ON sanitizations (device_id, recorded_at);
CREATE INDEX sanitizations_by_loan ON sanitizations (loan_id);
CREATE TRIGGER sanitizations_no_update BEFORE UPDATE ON sanitizations
BEGIN SELECT RAISE(ABORT, 'sanitizations are never changed'); END;
CREATE TRIGGER sanitizations_no_delete BEFORE DELETE ON sanitizations
BEGIN SELECT RAISE(ABORT, 'sanitizations are never deleted'); END;

-- Each extension of an active loan: the due date before and after, why, who, when.
CREATE TABLE loan_extensions (
    seq                 INTEGER PRIMARY KEY,
    loan_id             TEXT    NOT NULL REFERENCES loans (id),
    previous_due_date   TEXT    NOT NULL,
    new_due_date        TEXT    NOT NULL CHECK (new_due_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    reason              TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    extended_at         TEXT    NOT NULL,
    extended_by         TEXT    NOT NULL,
    CHECK (new_due_date != previous_due_date)
) STRICT;
CREATE INDEX loan_extensions_by_loan ON loan_extensions (loan_id, seq);
CREATE TRIGGER loan_extensions_no_update BEFORE UPDATE ON loan_extensions
BEGIN SELECT RAISE(ABORT, 'loan extensions are never changed'); END;
CREATE TRIGGER loan_extensions_no_delete BEFORE DELETE ON loan_extensions
BEGIN SELECT RAISE(ABORT, 'loan extensions are never deleted'); END;
