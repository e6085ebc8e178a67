-- Schema version 3: any council's own structure, and official identifiers for published national statistics.
-- Organisations carry the codes DfE and ONS publish under (ONS code E06000019, old LA number 884, region), and
-- every other spelling of them (a name variant, a code) in organisation_aliases, so an upload or a published file
-- that writes 'Herefordshire', 'Herefordshire, County of', '884' or 'E06000019' meets one organisation.
-- Indicators carry the definition fields a council's own indicator set (or DfE's data dictionary) gives.

ALTER TABLE organisations ADD COLUMN IF NOT EXISTS ons_code VARCHAR;       -- E06000019; NULL where it has none
ALTER TABLE organisations ADD COLUMN IF NOT EXISTS la_number VARCHAR;      -- old three-digit LA number, as text
ALTER TABLE organisations ADD COLUMN IF NOT EXISTS region VARCHAR;         -- the region's name, for councils
ALTER TABLE organisations ADD COLUMN IF NOT EXISTS upload_id INTEGER;
ALTER TABLE organisations ADD COLUMN IF NOT EXISTS upload_row INTEGER;

-- Every other way an organisation is written, normalised by dashboard.identity.organisation_key.
CREATE TABLE IF NOT EXISTS organisation_aliases (
    alias_key        VARCHAR PRIMARY KEY,
    alias            VARCHAR NOT NULL,
    organisation_id  VARCHAR NOT NULL,
    upload_id INTEGER, upload_row INTEGER
);

ALTER TABLE plans ADD COLUMN IF NOT EXISTS status VARCHAR;                 -- draft, current, archived; NULL: as printed

ALTER TABLE indicators ADD COLUMN IF NOT EXISTS year_type VARCHAR;         -- financial, academic, calendar; NULL: unstated
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS decimals INTEGER;          -- places to show; NULL: as written
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS description VARCHAR;
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS owner VARCHAR;
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS topic VARCHAR;             -- a publisher's topic, for filtering
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS retired BOOLEAN DEFAULT false;
