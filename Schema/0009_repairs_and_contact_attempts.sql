-- Repair (a device sent to a vendor and received back) and follow-up of overdue loans.

DROP TRIGGER lifecycle_transitions_no_insert;
INSERT INTO lifecycle_transitions (entity, from_status, to_status) VALUES
    ('device', 'available', 'in_repair'),
    ('device', 'awaiting_wipe', 'in_repair'),
    ('device', 'in_repair', 'awaiting_wipe'),
    ('device', 'in_repair', 'available'),
    ('device', 'in_repair', 'retired');
CREATE TRIGGER lifecycle_transitions_no_insert BEFORE INSERT ON lifecycle_transitions
BEGIN SELECT RAISE(ABORT, 'lifecycle transitions change only by migration'); END;

-- A device sent for repair: to whom, the vendor's reference, and how its patient data was handled
-- before it left (wiped before, covered by the vendor's certificate, or none on it).
CREATE TABLE repairs (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    device_id           TEXT    NOT NULL REFERENCES devices (id),
    vendor              TEXT    NOT NULL CHECK (length(vendor) BETWEEN 1 AND 200),
    reference           TEXT    NOT NULL CHECK (length(reference) BETWEEN 1 AND 100),
    data_handling       TEXT    NOT NULL CHECK (data_handling IN ('wiped_before', 'vendor_certificate', 'not_data_bearing')),
    notes               TEXT    NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    sent_at             TEXT    NOT NULL,
    sent_by             TEXT    NOT NULL,
    received_at         TEXT,
    received_by         TEXT,
    received_notes      TEXT    CHECK (received_notes IS NULL OR length(received_notes) <= 2000)
) STRICT;
CREATE INDEX repairs_by_device ON repairs (device_id, sent_at);
CREATE UNIQUE INDEX repairs_one_open_per_device ON repairs (device_id) WHERE received_at IS NULL;
CREATE TRIGGER repairs_keep_the_sending BEFORE UPDATE ON repairs
WHEN NEW.id IS NOT OLD.id OR NEW.device_id IS NOT OLD.device_id OR NEW.vendor IS NOT OLD.vendor
  OR NEW.reference IS NOT OLD.reference OR NEW.data_handling IS NOT OLD.data_handling OR NEW.notes IS NOT OLD.notes
  OR NEW.sent_at IS NOT OLD.sent_at OR NEW.sent_by IS NOT OLD.sent_by OR OLD.received_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a repair keeps what was recorded'); END;
CREATE TRIGGER repairs_no_delete BEFORE DELETE ON repairs
BEGIN SELECT RAISE(ABORT, 'repairs are never deleted'); END;

-- Each attempt to reach a patient about a loan (overdue follow-up). Append-only.
CREATE TABLE loan_contacts (
    seq                 INTEGER PRIMARY KEY,
    loan_id             TEXT    NOT NULL REFERENCES loans (id),
    channel             TEXT    NOT NULL CHECK (channel IN ('phone', 'letter', 'visit', 'email')),
    outcome             TEXT    NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'device_confirmed', 'will_return', 'refused')),
    next_action_on      TEXT    CHECK (next_action_on IS NULL OR next_action_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    notes               TEXT    NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    contacted_at        TEXT    NOT NULL,
    contacted_by        TEXT    NOT NULL
) STRICT;
CREATE INDEX loan_contacts_by_loan ON loan_contacts (loan_id, seq);
CREATE TRIGGER loan_contacts_no_update BEFORE UPDATE ON loan_contacts
BEGIN SELECT RAISE(ABORT, 'contact attempts are never changed'); END;
CREATE TRIGGER loan_contacts_no_delete BEFORE DELETE ON loan_contacts
BEGIN SELECT RAISE(ABORT, 'contact attempts are never deleted'); END;
