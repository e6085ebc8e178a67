-- The dashboard's data model. One file, applied by src/dashboard/db.py; SCHEMA_VERSION there names this version.
-- Provenance: every data row says where it came from, either a line of a source document (embedded data) or a row
-- of an upload (officers' refreshes). Codes are kept as the documents print them; parsed values sit beside the text.

CREATE TABLE IF NOT EXISTS schema_info (
    version     INTEGER NOT NULL,
    applied_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Every load of data: the embedded seed documents and each officer upload.
CREATE TABLE IF NOT EXISTS uploads (
    upload_id    INTEGER PRIMARY KEY,
    kind         VARCHAR NOT NULL,           -- seed, actions, indicators, efficiency ...
    file_name    VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    uploaded_by  VARCHAR NOT NULL,
    uploaded_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    row_count    INTEGER NOT NULL,
    note         VARCHAR
);

CREATE TABLE IF NOT EXISTS documents (
    doc_id          VARCHAR PRIMARY KEY,      -- 000 .. 004: the file prefix under shared/seeds
    file_name       VARCHAR NOT NULL,
    organisation_id VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,
    published       VARCHAR                   -- as written
);

CREATE TABLE IF NOT EXISTS organisations (
    organisation_id VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,         -- county council, unitary council, children's trust, fictional
    is_fictional    BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE IF NOT EXISTS plans (
    plan_id         VARCHAR PRIMARY KEY,
    title           VARCHAR NOT NULL,
    organisation_id VARCHAR NOT NULL,
    period_text     VARCHAR,
    period_start    DATE,
    period_end      DATE,
    source_doc      VARCHAR, source_line INTEGER, upload_id INTEGER, upload_row INTEGER
);

-- Levels of the plan tree; rank orders them for display only (a plan may skip or repeat levels).
CREATE TABLE IF NOT EXISTS area_levels (
    level  VARCHAR PRIMARY KEY,
    label  VARCHAR NOT NULL,
    rank   INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS areas (
    plan_id      VARCHAR NOT NULL,
    code         VARCHAR NOT NULL,
    parent_code  VARCHAR,                     -- NULL at the top; the tree may be any depth
    level        VARCHAR NOT NULL,
    title        VARCHAR NOT NULL,
    sort_order   INTEGER NOT NULL,
    source_doc   VARCHAR, source_line INTEGER, upload_id INTEGER, upload_row INTEGER,
    PRIMARY KEY (plan_id, code)
);

CREATE TABLE IF NOT EXISTS actions (
    plan_id            VARCHAR NOT NULL,
    code               VARCHAR NOT NULL,
    parent_code        VARCHAR,               -- the action a task or milestone belongs to
    area_code          VARCHAR,
    kind               VARCHAR NOT NULL,      -- action, task, milestone, item
    text               VARCHAR NOT NULL,
    lead_officer       VARCHAR,
    lead_organisation  VARCHAR,
    due_text           VARCHAR,               -- as written
    due_kind           VARCHAR NOT NULL,      -- date, range, ongoing, tbc, recurring, none, unparsed
    due_date           DATE,                  -- the end of the written period when it is one
    sort_order         INTEGER NOT NULL,
    source_doc         VARCHAR, source_line INTEGER, upload_id INTEGER, upload_row INTEGER,
    PRIMARY KEY (plan_id, code)
);

-- The ordered status scale; rank NULL means outside the scale (not assessed).
CREATE TABLE IF NOT EXISTS status_scale (
    status  VARCHAR PRIMARY KEY,
    label   VARCHAR NOT NULL,
    rank    INTEGER
);

CREATE TABLE IF NOT EXISTS action_statuses (
    plan_id         VARCHAR NOT NULL,
    action_code     VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,         -- a status_scale key
    status_text     VARCHAR NOT NULL,         -- as written
    effective_text  VARCHAR,
    effective_date  DATE,                     -- the date the status took effect
    as_at_text      VARCHAR,
    as_at_date      DATE,                     -- the snapshot it was reported in
    commentary      VARCHAR,
    source_doc      VARCHAR, source_line INTEGER, upload_id INTEGER, upload_row INTEGER
);

CREATE TABLE IF NOT EXISTS indicators (
    indicator_code  VARCHAR PRIMARY KEY,      -- canonical: 'NI 59', 'PAF A1', 'LOCAL HCC-LAC-COUNT'
    name            VARCHAR NOT NULL,
    unit            VARCHAR NOT NULL,
    polarity        VARCHAR NOT NULL,         -- higher, lower, band, none
    polarity_basis  VARCHAR,                  -- document or definition
    tolerance       DOUBLE,                   -- amber tolerance as a fraction; NULL means the default
    family          VARCHAR NOT NULL,         -- PAF, QP, BVPI, NI, local
    successor_of    VARCHAR,
    source_doc      VARCHAR, source_line INTEGER, upload_id INTEGER, upload_row INTEGER
);

-- Every spelling of a code, normalised (upper case, no spaces), pointing at its indicator.
CREATE TABLE IF NOT EXISTS indicator_aliases (
    alias_key       VARCHAR PRIMARY KEY,
    alias           VARCHAR NOT NULL,
    indicator_code  VARCHAR NOT NULL,
    source_doc      VARCHAR, source_line INTEGER, upload_id INTEGER, upload_row INTEGER
);

CREATE TABLE IF NOT EXISTS indicator_areas (
    indicator_code  VARCHAR NOT NULL,
    plan_id         VARCHAR NOT NULL,
    area_code       VARCHAR NOT NULL,
    source_doc      VARCHAR, source_line INTEGER, upload_id INTEGER, upload_row INTEGER
);

CREATE TABLE IF NOT EXISTS observations (
    indicator_code    VARCHAR NOT NULL,
    organisation_id   VARCHAR NOT NULL,
    period_text       VARCHAR NOT NULL,       -- as written
    period_type       VARCHAR NOT NULL,       -- financial_year, academic_year, calendar_year, quarter, month, date, range
    period_start      DATE,
    period_end        DATE,
    measure           VARCHAR NOT NULL,       -- actual, target, forecast, baseline, comparator
    comparator_group  VARCHAR,                -- for comparators: statistical_neighbours, england ...
    value_num         DOUBLE,
    value_text        VARCHAR,                -- text values ('New indicator'); NULL when numeric
    value_written     VARCHAR NOT NULL,
    is_provisional    BOOLEAN NOT NULL DEFAULT false,
    is_revised        BOOLEAN NOT NULL DEFAULT false,
    is_estimate       BOOLEAN NOT NULL DEFAULT false,
    is_conflict       BOOLEAN NOT NULL DEFAULT false,
    note              VARCHAR,
    source_doc        VARCHAR, source_line INTEGER, upload_id INTEGER, upload_row INTEGER
);

CREATE TABLE IF NOT EXISTS efficiency_lines (
    organisation_id  VARCHAR NOT NULL,
    year_text        VARCHAR NOT NULL,
    year_start       DATE,
    directorate      VARCHAR,
    category         VARCHAR,
    description      VARCHAR NOT NULL,
    line_type        VARCHAR NOT NULL,        -- gain or expenditure
    cashable_k       DOUBLE,                  -- £000; NULL where the document is blank
    non_cashable_k   DOUBLE,
    total_k          DOUBLE,
    written          VARCHAR NOT NULL,        -- the figures as written, for provenance checks
    stage            VARCHAR NOT NULL,
    source_doc       VARCHAR, source_line INTEGER, upload_id INTEGER, upload_row INTEGER
);

-- Printed totals and the efficiency requirement (brought forward, cumulative, required).
CREATE TABLE IF NOT EXISTS efficiency_summaries (
    organisation_id  VARCHAR NOT NULL,
    year_text        VARCHAR NOT NULL,
    summary          VARCHAR NOT NULL,
    label            VARCHAR,
    cashable_k       DOUBLE,
    non_cashable_k   DOUBLE,
    total_k          DOUBLE,
    written          VARCHAR NOT NULL,
    source_doc       VARCHAR, source_line INTEGER, upload_id INTEGER, upload_row INTEGER
);

CREATE TABLE IF NOT EXISTS risks (
    organisation_id  VARCHAR NOT NULL,
    plan_id          VARCHAR,
    ref              VARCHAR,
    risk             VARCHAR NOT NULL,
    likelihood       DOUBLE,
    impact           DOUBLE,
    inherent         DOUBLE,
    residual         DOUBLE,
    written          VARCHAR NOT NULL,
    owner            VARCHAR,
    controls         VARCHAR,
    source_doc       VARCHAR, source_line INTEGER, upload_id INTEGER, upload_row INTEGER
);

CREATE TABLE IF NOT EXISTS judgements (
    organisation_id  VARCHAR NOT NULL,
    body             VARCHAR NOT NULL,
    subject          VARCHAR NOT NULL,
    period_text      VARCHAR,
    grade            VARCHAR NOT NULL,
    scale            VARCHAR,
    source_doc       VARCHAR, source_line INTEGER, upload_id INTEGER, upload_row INTEGER
);
