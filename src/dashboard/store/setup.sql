-- Schema version 5: a council sets up its own structure by upload (organisations, plans, areas, indicator
-- definitions), so every table those uploads change has a superseded_<table> rollback journal like the officers'
-- data tables (uploads.sql); and an indicator's amber tolerance may be given in its own unit.

ALTER TABLE indicators ADD COLUMN IF NOT EXISTS tolerance_units DOUBLE;   -- amber band in the indicator's unit

CREATE TABLE IF NOT EXISTS superseded_organisations AS SELECT * FROM organisations LIMIT 0;
ALTER TABLE superseded_organisations ADD COLUMN IF NOT EXISTS superseded_by INTEGER;
CREATE TABLE IF NOT EXISTS superseded_organisation_aliases AS SELECT * FROM organisation_aliases LIMIT 0;
ALTER TABLE superseded_organisation_aliases ADD COLUMN IF NOT EXISTS superseded_by INTEGER;
CREATE TABLE IF NOT EXISTS superseded_plans AS SELECT * FROM plans LIMIT 0;
ALTER TABLE superseded_plans ADD COLUMN IF NOT EXISTS superseded_by INTEGER;
CREATE TABLE IF NOT EXISTS superseded_areas AS SELECT * FROM areas LIMIT 0;
ALTER TABLE superseded_areas ADD COLUMN IF NOT EXISTS superseded_by INTEGER;
CREATE TABLE IF NOT EXISTS superseded_indicators AS SELECT * FROM indicators LIMIT 0;
ALTER TABLE superseded_indicators ADD COLUMN IF NOT EXISTS superseded_by INTEGER;
CREATE TABLE IF NOT EXISTS superseded_indicator_aliases AS SELECT * FROM indicator_aliases LIMIT 0;
ALTER TABLE superseded_indicator_aliases ADD COLUMN IF NOT EXISTS superseded_by INTEGER;
CREATE TABLE IF NOT EXISTS superseded_indicator_areas AS SELECT * FROM indicator_areas LIMIT 0;
ALTER TABLE superseded_indicator_areas ADD COLUMN IF NOT EXISTS superseded_by INTEGER;
