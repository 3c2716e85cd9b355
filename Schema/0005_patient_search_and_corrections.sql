-- Finding patients by name or kana: search keys kept beside the names, folded so that width,
-- hiragana/katakana, case and spaces do not matter (PatientSearchKey). Filled by the registry
-- on insert and correction, and for older rows when the database is opened.
ALTER TABLE patients ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN search_kana TEXT NOT NULL DEFAULT '';
CREATE INDEX patients_by_search_name ON patients (search_name);
CREATE INDEX patients_by_search_kana ON patients (search_kana);

-- Corrections of a patient record (PATCH /patients/{id}): the old values of the changed
-- fields, who changed them, when and why. The audit log names the correction, never the values.
CREATE TABLE patient_corrections (
    id                  INTEGER PRIMARY KEY,
    patient_id          TEXT    NOT NULL REFERENCES patients (id),
    corrected_at        TEXT    NOT NULL,
    corrected_by        TEXT    NOT NULL CHECK (length(corrected_by) BETWEEN 1 AND 100),
    reason              TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    previous            TEXT    NOT NULL CHECK (json_valid(previous))
) STRICT;
CREATE INDEX patient_corrections_by_patient ON patient_corrections (patient_id, id);

CREATE TRIGGER patient_corrections_are_never_changed BEFORE UPDATE ON patient_corrections
BEGIN
    SELECT RAISE(ABORT, 'patient corrections are never changed');
END;

CREATE TRIGGER patient_corrections_are_never_deleted BEFORE DELETE ON patient_corrections
BEGIN
    SELECT RAISE(ABORT, 'patient corrections are never deleted');
END;
