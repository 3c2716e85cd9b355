-- Loss and theft (guideline ③) with the breach-report clock; retirement and disposal (⑨ ⑪).

-- New moves of the lifecycles (mirrors LoanLifecycle and DeviceLifecycle).
DROP TRIGGER lifecycle_transitions_no_insert;
INSERT INTO lifecycle_transitions (entity, from_status, to_status) VALUES
    ('loan', 'active', 'lost'),
    ('device', 'on_loan', 'lost'),
    ('device', 'lost', 'awaiting_wipe'),
    ('device', 'lost', 'available'),
    ('device', 'available', 'retired'),
    ('device', 'awaiting_wipe', 'retired'),
    ('device', 'lost', 'retired'),
    ('device', 'retired', 'disposed');
CREATE TRIGGER lifecycle_transitions_no_insert BEFORE INSERT ON lifecycle_transitions
BEGIN SELECT RAISE(ABORT, 'lifecycle transitions change only by migration'); END;

ALTER TABLE loans ADD COLUMN lost_at TEXT;

-- A lost or stolen device. The deadlines are those of the report to the Personal Information
-- Protection Commission when the device held patient data unencrypted (要配慮個人情報: reportable
-- whatever the number of people): the preliminary report (速報) promptly, the final one (確報)
-- within 30 days of discovery.
CREATE TABLE incidents (
    id                      TEXT    PRIMARY KEY CHECK (length(id) = 36),
    number                  TEXT    NOT NULL UNIQUE CHECK (number GLOB 'I-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),
    loan_id                 TEXT    NOT NULL REFERENCES loans (id),
    device_id               TEXT    NOT NULL REFERENCES devices (id),
    kind                    TEXT    NOT NULL CHECK (kind IN ('lost', 'stolen')),
    occurred_on             TEXT    NOT NULL CHECK (occurred_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    discovered_on           TEXT    NOT NULL CHECK (discovered_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    place                   TEXT    CHECK (place IS NULL OR length(place) BETWEEN 1 AND 200),
    police_report           TEXT    CHECK (police_report IS NULL OR length(police_report) BETWEEN 1 AND 100),
    notes                   TEXT    NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    unencrypted_patient_data INTEGER NOT NULL CHECK (unencrypted_patient_data IN (0, 1)),
    reportable              INTEGER NOT NULL CHECK (reportable IN (0, 1)),
    preliminary_due_on      TEXT    NOT NULL,
    final_due_on            TEXT    NOT NULL,
    preliminary_submitted_on TEXT,
    preliminary_reference   TEXT    CHECK (preliminary_reference IS NULL OR length(preliminary_reference) BETWEEN 1 AND 200),
    final_submitted_on      TEXT,
    final_reference         TEXT    CHECK (final_reference IS NULL OR length(final_reference) BETWEEN 1 AND 200),
    found_at                TEXT,
    opened_at               TEXT    NOT NULL,
    opened_by               TEXT    NOT NULL,
    CHECK (occurred_on <= discovered_on),
    CHECK (final_submitted_on IS NULL OR preliminary_submitted_on IS NOT NULL)
) STRICT;
CREATE INDEX incidents_by_loan ON incidents (loan_id);
CREATE INDEX incidents_open ON incidents (discovered_on) WHERE final_submitted_on IS NULL;

-- What happened stays as recorded: only a report date, its reference and the day the device was
-- found are filled in later, once each.
CREATE TRIGGER incidents_keep_what_happened BEFORE UPDATE ON incidents
WHEN NEW.id IS NOT OLD.id OR NEW.number IS NOT OLD.number OR NEW.loan_id IS NOT OLD.loan_id
  OR NEW.device_id IS NOT OLD.device_id OR NEW.kind IS NOT OLD.kind OR NEW.occurred_on IS NOT OLD.occurred_on
  OR NEW.discovered_on IS NOT OLD.discovered_on OR NEW.place IS NOT OLD.place OR NEW.police_report IS NOT OLD.police_report
  OR NEW.notes IS NOT OLD.notes OR NEW.unencrypted_patient_data IS NOT OLD.unencrypted_patient_data
  OR NEW.reportable IS NOT OLD.reportable OR NEW.preliminary_due_on IS NOT OLD.preliminary_due_on
  OR NEW.final_due_on IS NOT OLD.final_due_on OR NEW.opened_at IS NOT OLD.opened_at OR NEW.opened_by IS NOT OLD.opened_by
  OR (OLD.preliminary_submitted_on IS NOT NULL AND NEW.preliminary_submitted_on IS NOT OLD.preliminary_submitted_on)
  OR (OLD.final_submitted_on IS NOT NULL AND NEW.final_submitted_on IS NOT OLD.final_submitted_on)
  OR (OLD.found_at IS NOT NULL AND NEW.found_at IS NOT OLD.found_at)
BEGIN SELECT RAISE(ABORT, 'an incident keeps what was recorded'); END;
CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents
BEGIN SELECT RAISE(ABORT, 'incidents are never deleted'); END;

-- Disposal of a retired device (guideline ⑪): how, by whom, the vendor's certificate, and the
-- confirmation that no readable medical data remains.
CREATE TABLE disposals (
    id                      TEXT    PRIMARY KEY CHECK (length(id) = 36),
    device_id               TEXT    NOT NULL UNIQUE REFERENCES devices (id),
    method                  TEXT    NOT NULL CHECK (method IN ('vendor_destruction', 'physical_destruction', 'returned_to_lessor')),
    performed_by            TEXT    NOT NULL CHECK (length(performed_by) BETWEEN 1 AND 200),
    vendor                  TEXT    CHECK (vendor IS NULL OR length(vendor) BETWEEN 1 AND 200),
    certificate_number      TEXT    CHECK (certificate_number IS NULL OR length(certificate_number) BETWEEN 1 AND 100),
    certificate_reference   TEXT    CHECK (certificate_reference IS NULL OR length(certificate_reference) BETWEEN 1 AND 300),
    no_readable_data_confirmed INTEGER NOT NULL CHECK (no_readable_data_confirmed = 1),
    evidence                TEXT    NOT NULL CHECK (evidence IN ('wipe', 'vendor_certificate', 'no_patient_data')),
    recorded_at             TEXT    NOT NULL,
    recorded_by             TEXT    NOT NULL
) STRICT;
CREATE TRIGGER disposals_no_update BEFORE UPDATE ON disposals
BEGIN SELECT RAISE(ABORT, 'disposals are never changed'); END;
CREATE TRIGGER disposals_no_delete BEFORE DELETE ON disposals
BEGIN SELECT RAISE(ABORT, 'disposals are never deleted'); END;

-- Disposed needs the disposal record written in the same transaction.
CREATE TRIGGER devices_disposed_with_a_record BEFORE UPDATE OF status ON devices
WHEN NEW.status = 'disposed' AND OLD.status != 'disposed'
BEGIN
    SELECT RAISE(ABORT, 'device lifecycle: no disposal recorded')
    WHERE NOT EXISTS (SELECT 1 FROM disposals WHERE device_id = NEW.id);
END;
