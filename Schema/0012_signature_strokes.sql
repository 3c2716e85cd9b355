-- Issue 13: the tablet signature's pen strokes (canonical JSON: pad size, device pixel ratio,
-- every point with time and pressure) kept with the consent as evidence, with their SHA-256,
-- which the consent's audit event also carries (so the chain covers them).
ALTER TABLE consents ADD COLUMN signature_strokes TEXT
    CHECK (signature_strokes IS NULL OR (json_valid(signature_strokes) AND length(signature_strokes) <= 1000000));
ALTER TABLE consents ADD COLUMN signature_strokes_sha256 TEXT
    CHECK (signature_strokes_sha256 IS NULL OR length(signature_strokes_sha256) = 64);
