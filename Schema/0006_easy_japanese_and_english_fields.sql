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
