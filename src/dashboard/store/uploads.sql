-- Schema version 2: officers' uploads can be previewed, committed and rolled back.
-- An upload that changes or removes rows first copies them into superseded_<table> (with the upload that
-- superseded them), so rolling that upload back can put exactly those rows back.

ALTER TABLE uploads ADD COLUMN IF NOT EXISTS rows_added INTEGER;
ALTER TABLE uploads ADD COLUMN IF NOT EXISTS rows_changed INTEGER;
ALTER TABLE uploads ADD COLUMN IF NOT EXISTS rows_removed INTEGER;
ALTER TABLE uploads ADD COLUMN IF NOT EXISTS rolled_back_by INTEGER;   -- the rollback (itself an upload row)
ALTER TABLE uploads ADD COLUMN IF NOT EXISTS rolls_back INTEGER;       -- on a rollback row: the upload undone

CREATE TABLE IF NOT EXISTS superseded_actions AS SELECT * FROM actions LIMIT 0;
ALTER TABLE superseded_actions ADD COLUMN IF NOT EXISTS superseded_by INTEGER;
CREATE TABLE IF NOT EXISTS superseded_action_statuses AS SELECT * FROM action_statuses LIMIT 0;
ALTER TABLE superseded_action_statuses ADD COLUMN IF NOT EXISTS superseded_by INTEGER;
CREATE TABLE IF NOT EXISTS superseded_observations AS SELECT * FROM observations LIMIT 0;
ALTER TABLE superseded_observations ADD COLUMN IF NOT EXISTS superseded_by INTEGER;
CREATE TABLE IF NOT EXISTS superseded_efficiency_lines AS SELECT * FROM efficiency_lines LIMIT 0;
ALTER TABLE superseded_efficiency_lines ADD COLUMN IF NOT EXISTS superseded_by INTEGER;

-- Every load with what it did and whether it was rolled back (documented in docs/data-model.md).
CREATE OR REPLACE VIEW v_upload_history AS
SELECT upload_id, kind, file_name, sha256, uploaded_by, uploaded_at, row_count, rows_added, rows_changed,
       rows_removed, rolled_back_by, rolls_back, note
FROM uploads;
