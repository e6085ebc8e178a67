-- The audit trail (its own file beside the database: see docs/decisions.md, "The audit trail lives in a file of
-- its own"). Append-only: the code has no statement that updates or deletes a row of it.
CREATE SEQUENCE IF NOT EXISTS audit_event_ids START 1;
CREATE TABLE IF NOT EXISTS audit_events (
    event_id BIGINT PRIMARY KEY DEFAULT nextval('audit_event_ids'),
    occurred_at TIMESTAMPTZ NOT NULL,  -- when (UTC)
    actor VARCHAR NOT NULL,    -- who: the officer, the name typed at a failed sign-in, or the command line's user
    action VARCHAR NOT NULL,   -- what: sign_in, sign_in_failed, sign_in_refused, lockout, upload, rollback, ...
    target VARCHAR,            -- what it was done to: an upload's id, a file name, an export's name
    client VARCHAR NOT NULL,   -- from where: the browser's address, or 'command line'
    detail VARCHAR             -- anything else, in words
);
CREATE INDEX IF NOT EXISTS audit_events_actor ON audit_events (actor, occurred_at);
CREATE INDEX IF NOT EXISTS audit_events_client ON audit_events (client, occurred_at);
