-- やさしい日本語 ('ja-easy') is chosen per patient like a language, and every column that holds a
-- language accepts it. Widening a CHECK changes no stored row and no index, so it is done by
-- editing the table definitions in place (sqlite.org/lang_altertable.html, "making other kinds of
-- table schema changes"); RESET makes this connection read the new definitions, and the table
-- created and dropped below changes the schema cookie so that every other connection does too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'language IN (''ja'', ''en'')', 'language IN (''ja'', ''ja-easy'', ''en'')')
WHERE type = 'table' AND name IN ('patients', 'explanations', 'loans', 'contact_sheets');
PRAGMA writable_schema = RESET;
-- The edit must have reached all four tables: a CHECK that fails stops the migration otherwise.
CREATE TEMP TABLE language_checks_widened (ok INTEGER NOT NULL CHECK (ok = 1));
INSERT INTO language_checks_widened
SELECT count(*) = 4 FROM sqlite_schema
WHERE type = 'table' AND name IN ('patients', 'explanations', 'loans', 'contact_sheets')
  AND sql LIKE '%language IN (''ja'', ''ja-easy'', ''en'')%';
DROP TABLE language_checks_widened;
CREATE TABLE schema_cookie_bump (x);
DROP TABLE schema_cookie_bump;

-- English wording of the clinic's contact details, printed on English handouts. Empty means
-- "not translated": the Japanese value is printed instead.
ALTER TABLE clinic_profile ADD COLUMN name_en TEXT NOT NULL DEFAULT '' CHECK (length(name_en) <= 200);
ALTER TABLE clinic_profile ADD COLUMN department_en TEXT NOT NULL DEFAULT '' CHECK (length(department_en) <= 200);
ALTER TABLE clinic_profile ADD COLUMN hours_en TEXT NOT NULL DEFAULT '' CHECK (length(hours_en) <= 200);
ALTER TABLE clinic_profile ADD COLUMN after_hours_note_en TEXT NOT NULL DEFAULT '' CHECK (length(after_hours_note_en) <= 200);
ALTER TABLE clinic_profile ADD COLUMN privacy_desk_en TEXT NOT NULL DEFAULT '' CHECK (length(privacy_desk_en) <= 200);

-- The maker's support hours in English (empty: print the Japanese hours).
ALTER TABLE device_models ADD COLUMN support_hours_en TEXT NOT NULL DEFAULT '' CHECK (length(support_hours_en) <= 200);

-- Hand-over gate, scope (also enforced by the library as `scope_refused`): a loan whose consent
-- refuses the transfer to the maker's cloud cannot become active on a model that uploads there.
CREATE TRIGGER loans_handover_scope_gate BEFORE UPDATE OF status ON loans
WHEN NEW.status = 'active' AND OLD.status != 'active'
BEGIN
    SELECT RAISE(ABORT, 'hand-over gate: the consent refuses the maker''s cloud this device needs')
    WHERE EXISTS (
        SELECT 1 FROM consents c
        JOIN devices d ON d.id = NEW.device_id
        JOIN device_models m ON m.id = d.model_id
        WHERE c.explanation_id = NEW.current_explanation_id AND c.decision = 'granted' AND c.scope_maker_cloud = 0
          AND json_extract(m.security_profile, '$.cloudUpload') IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.consent_id = c.id));
END;
