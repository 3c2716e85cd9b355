-- Stocktake (guideline ⑦): a manager opens a session that freezes what the ledger expects; staff
-- scan what they find; closing answers found, missing and unexpected devices and every device out
-- on loan; a manager signs it off.
CREATE TABLE stocktakes (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    number              TEXT    NOT NULL UNIQUE CHECK (number GLOB 'S-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9]'),
    opened_at           TEXT    NOT NULL,
    opened_by           TEXT    NOT NULL,
    closed_at           TEXT,
    closed_by           TEXT,
    signed_off_at       TEXT,
    signed_off_by       TEXT,
    CHECK (signed_off_at IS NULL OR closed_at IS NOT NULL)
) STRICT;
-- At most one open session: every open row has the same indexed value.
CREATE UNIQUE INDEX stocktakes_one_open ON stocktakes ((closed_at IS NULL)) WHERE closed_at IS NULL;
CREATE TRIGGER stocktakes_close_and_sign_once BEFORE UPDATE ON stocktakes
WHEN NEW.id IS NOT OLD.id OR NEW.number IS NOT OLD.number OR NEW.opened_at IS NOT OLD.opened_at
  OR NEW.opened_by IS NOT OLD.opened_by
  OR (OLD.closed_at IS NOT NULL AND (NEW.closed_at IS NOT OLD.closed_at OR NEW.closed_by IS NOT OLD.closed_by))
  OR (OLD.signed_off_at IS NOT NULL AND (NEW.signed_off_at IS NOT OLD.signed_off_at OR NEW.signed_off_by IS NOT OLD.signed_off_by))
BEGIN SELECT RAISE(ABORT, 'a stocktake is closed and signed off once'); END;
CREATE TRIGGER stocktakes_no_delete BEFORE DELETE ON stocktakes
BEGIN SELECT RAISE(ABORT, 'stocktakes are never deleted'); END;

-- What the ledger said when the session opened: every device not yet disposed of.
CREATE TABLE stocktake_expected (
    stocktake_id        TEXT    NOT NULL REFERENCES stocktakes (id),
    device_id           TEXT    NOT NULL REFERENCES devices (id),
    asset_tag           TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    whereabouts         TEXT    NOT NULL,
    loan_id             TEXT    REFERENCES loans (id),
    due_date            TEXT,
    PRIMARY KEY (stocktake_id, device_id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER stocktake_expected_no_update BEFORE UPDATE ON stocktake_expected
BEGIN SELECT RAISE(ABORT, 'the expected list is frozen'); END;
CREATE TRIGGER stocktake_expected_no_delete BEFORE DELETE ON stocktake_expected
BEGIN SELECT RAISE(ABORT, 'the expected list is frozen'); END;

-- Each asset tag found, once per session (a second scan counts once); unknown tags are kept.
CREATE TABLE stocktake_scans (
    stocktake_id        TEXT    NOT NULL REFERENCES stocktakes (id),
    asset_tag           TEXT    NOT NULL CHECK (length(asset_tag) BETWEEN 1 AND 50),
    device_id           TEXT    REFERENCES devices (id),
    scanned_at          TEXT    NOT NULL,
    scanned_by          TEXT    NOT NULL,
    PRIMARY KEY (stocktake_id, asset_tag)
) STRICT;
CREATE TRIGGER stocktake_scans_only_while_open BEFORE INSERT ON stocktake_scans
BEGIN
    SELECT RAISE(ABORT, 'the stocktake is closed')
    WHERE (SELECT closed_at FROM stocktakes WHERE id = NEW.stocktake_id) IS NOT NULL;
END;
CREATE TRIGGER stocktake_scans_no_update BEFORE UPDATE ON stocktake_scans
BEGIN SELECT RAISE(ABORT, 'scans are never changed'); END;
CREATE TRIGGER stocktake_scans_no_delete BEFORE DELETE ON stocktake_scans
BEGIN SELECT RAISE(ABORT, 'scans are never deleted'); END;
