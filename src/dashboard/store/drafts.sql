-- Drafts: officers' confirmed uploads waiting for a second officer's approval (their own file beside the database,
-- as the audit trail: see docs/decisions.md, "Draft, then approve"). A draft keeps the files it was made from until
-- it is decided; approval applies them through the same staging and commit as any upload.
CREATE SEQUENCE IF NOT EXISTS draft_ids START 1;
CREATE TABLE IF NOT EXISTS drafts (
    draft_id BIGINT PRIMARY KEY DEFAULT nextval('draft_ids'),
    kind VARCHAR NOT NULL,            -- the upload kind (importer/officer.py, or 'published')
    file_name VARCHAR NOT NULL,       -- as the upload history names it
    sha256 VARCHAR NOT NULL,
    uploaded_by VARCHAR NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,   -- UTC
    organisations VARCHAR[] NOT NULL, -- the councils its rows are for (empty: none named, e.g. definitions)
    summary VARCHAR NOT NULL,         -- the preview's sentence when it was saved
    state VARCHAR NOT NULL DEFAULT 'draft',  -- draft, approved, rejected
    decided_by VARCHAR,
    decided_at TIMESTAMP,             -- UTC
    comment VARCHAR,                  -- the approver's or rejecter's words
    upload_id INTEGER                 -- the upload it became, once approved
);
CREATE TABLE IF NOT EXISTS draft_files (
    draft_id BIGINT NOT NULL,
    position INTEGER NOT NULL,
    file_name VARCHAR NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (draft_id, position)
);
