-- 0002: device models with security profiles, the device ledger (guideline ⑦), patients, loans.
--
-- Nothing here is deleted: records change state, and device_events keeps each device's history.
-- Times are UTC ISO-8601 text; due dates are calendar dates (YYYY-MM-DD) in Asia/Tokyo.

CREATE TABLE device_models (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    manufacturer        TEXT    NOT NULL CHECK (length(manufacturer) BETWEEN 1 AND 200),
    name                TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    category            TEXT    NOT NULL CHECK (category IN ('holter_ecg', 'patch_ecg', 'cgm_reader', 'home_bp',
                                    'pulse_oximeter', 'sleep_apnea_tester', 'activity_tracker', 'implant_transmitter',
                                    'cpap_telemetry', 'telemonitoring_tablet', 'other')),
    security_profile    TEXT    NOT NULL CHECK (json_valid(security_profile)),
    support_phone       TEXT    NOT NULL CHECK (length(support_phone) BETWEEN 1 AND 50),
    support_hours       TEXT    NOT NULL CHECK (length(support_hours) BETWEEN 1 AND 200),
    support_24_hours    INTEGER NOT NULL CHECK (support_24_hours IN (0, 1)),
    default_loan_days   INTEGER NOT NULL CHECK (default_loan_days BETWEEN 1 AND 366),
    created_at          TEXT    NOT NULL,
    created_by          TEXT    NOT NULL,
    UNIQUE (manufacturer, name)
) STRICT;

CREATE TABLE devices (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    asset_tag           TEXT    NOT NULL UNIQUE CHECK (length(asset_tag) BETWEEN 1 AND 50),
    serial_number       TEXT    NOT NULL CHECK (length(serial_number) BETWEEN 1 AND 100),
    model_id            TEXT    NOT NULL REFERENCES device_models (id),
    status              TEXT    NOT NULL CHECK (status IN ('available', 'on_loan', 'awaiting_wipe', 'in_repair',
                                    'lost', 'retired', 'disposed')),
    whereabouts         TEXT    NOT NULL DEFAULT '' CHECK (length(whereabouts) <= 500),
    firmware_version    TEXT    CHECK (firmware_version IS NULL OR length(firmware_version) BETWEEN 1 AND 100),
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    UNIQUE (model_id, serial_number)
) STRICT;

CREATE INDEX devices_by_status ON devices (status, asset_tag);

-- Every status or whereabouts change of a device, with who and when. Append-only.
CREATE TABLE device_events (
    seq                 INTEGER PRIMARY KEY,
    device_id           TEXT    NOT NULL REFERENCES devices (id),
    occurred_at         TEXT    NOT NULL,
    actor               TEXT    NOT NULL,
    event               TEXT    NOT NULL CHECK (length(event) BETWEEN 1 AND 50),
    from_status         TEXT,
    to_status           TEXT    NOT NULL,
    whereabouts         TEXT    NOT NULL DEFAULT '',
    loan_id             TEXT,
    note                TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 2000)
) STRICT;

CREATE INDEX device_events_by_device ON device_events (device_id, seq);

CREATE TRIGGER device_events_no_update BEFORE UPDATE ON device_events
BEGIN SELECT RAISE(ABORT, 'device_events is append-only'); END;
CREATE TRIGGER device_events_no_delete BEFORE DELETE ON device_events
BEGIN SELECT RAISE(ABORT, 'device_events is append-only'); END;

CREATE TABLE patients (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    patient_number      TEXT    NOT NULL UNIQUE CHECK (length(patient_number) BETWEEN 1 AND 50),
    name                TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    name_kana           TEXT    NOT NULL DEFAULT '' CHECK (length(name_kana) <= 100),
    phone               TEXT    NOT NULL DEFAULT '' CHECK (length(phone) <= 30),
    language            TEXT    NOT NULL CHECK (language IN ('ja', 'en')),
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
) STRICT;

-- Loan numbers L-YYYY-NNNNNN are handed out per year without gaps.
CREATE TABLE loan_number_counters (
    year                INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2999),
    last_number         INTEGER NOT NULL CHECK (last_number BETWEEN 0 AND 999999)
) STRICT;

CREATE TABLE loans (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    number              TEXT    NOT NULL UNIQUE CHECK (number GLOB 'L-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]'),
    device_id           TEXT    NOT NULL REFERENCES devices (id),
    patient_id          TEXT    NOT NULL REFERENCES patients (id),
    status              TEXT    NOT NULL CHECK (status IN ('draft', 'explained', 'consented', 'active',
                                    'returned', 'cancelled', 'lost')),
    start_date          TEXT    NOT NULL CHECK (start_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    due_date            TEXT    NOT NULL CHECK (due_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    created_at          TEXT    NOT NULL,
    created_by          TEXT    NOT NULL,
    handed_over_at      TEXT,
    handed_over_by      TEXT,
    returned_at         TEXT,
    received_by         TEXT,
    return_condition    TEXT    CHECK (return_condition IS NULL OR return_condition IN ('ok', 'damaged', 'faulty')),
    accessories_complete INTEGER CHECK (accessories_complete IS NULL OR accessories_complete IN (0, 1)),
    return_notes        TEXT    CHECK (return_notes IS NULL OR length(return_notes) <= 2000),
    cancelled_at        TEXT,
    cancelled_by        TEXT,
    cancel_reason       TEXT    CHECK (cancel_reason IS NULL OR length(cancel_reason) <= 500),
    CHECK (due_date >= start_date),
    CHECK (status != 'returned' OR (returned_at IS NOT NULL AND return_condition IS NOT NULL)),
    CHECK (status != 'active' OR handed_over_at IS NOT NULL)
) STRICT;

-- A device is on at most one open loan.
CREATE UNIQUE INDEX loans_one_open_loan_per_device ON loans (device_id)
    WHERE status IN ('draft', 'explained', 'consented', 'active');

-- Overdue = active and due date passed; this partial index serves it at any ledger size.
CREATE INDEX loans_active_by_due_date ON loans (due_date, number) WHERE status = 'active';

CREATE INDEX loans_by_patient ON loans (patient_id, created_at);
CREATE INDEX loans_by_status ON loans (status);
