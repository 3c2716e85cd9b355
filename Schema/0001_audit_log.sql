-- 0001: tamper-evident, append-only audit log.
--
-- Every registry change and every read of patient data appends one row here in the
-- same transaction. Rows form a hash chain: hash = SHA-256(prev_hash || canonical event)
-- (see AuditEvent.canonicalForm). audit_chain_head remembers the newest link so that a
-- removed tail is detected too. Released migrations are never edited: add a new file.

CREATE TABLE audit_events (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    occurred_at TEXT    NOT NULL CHECK (occurred_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'),
    actor       TEXT    NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    action      TEXT    NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    entity_type TEXT    NOT NULL CHECK (length(entity_type) BETWEEN 1 AND 100),
    entity_id   TEXT    NOT NULL CHECK (length(entity_id) <= 200),
    details     TEXT    NOT NULL CHECK (json_valid(details)),
    prev_hash   TEXT    NOT NULL CHECK (length(prev_hash) = 64),
    hash        TEXT    NOT NULL UNIQUE CHECK (length(hash) = 64)
) STRICT;

CREATE INDEX audit_events_by_entity ON audit_events (entity_type, entity_id, seq);
CREATE INDEX audit_events_by_time ON audit_events (occurred_at);

CREATE TABLE audit_chain_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL CHECK (seq >= 0),
    hash TEXT    NOT NULL CHECK (length(hash) = 64)
) STRICT;

INSERT INTO audit_chain_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- A new event must extend the chain exactly at its head.
CREATE TRIGGER audit_events_extend_head
BEFORE INSERT ON audit_events
WHEN NEW.seq != (SELECT seq + 1 FROM audit_chain_head WHERE id = 1)
  OR NEW.prev_hash != (SELECT hash FROM audit_chain_head WHERE id = 1)
BEGIN
    SELECT RAISE(ABORT, 'audit event does not extend the chain head');
END;

CREATE TRIGGER audit_events_move_head
AFTER INSERT ON audit_events
BEGIN
    UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
END;

CREATE TRIGGER audit_events_no_update
BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete
BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_chain_head_forward_only
BEFORE UPDATE ON audit_chain_head
WHEN NEW.seq != OLD.seq + 1
BEGIN
    SELECT RAISE(ABORT, 'audit chain head only moves forward');
END;

CREATE TRIGGER audit_chain_head_no_delete
BEFORE DELETE ON audit_chain_head
BEGIN
    SELECT RAISE(ABORT, 'audit chain head cannot be deleted');
END;
