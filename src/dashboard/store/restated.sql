-- Schema version 8: an upload's rows that repeat a stored row unchanged are not written, so the journal alone
-- cannot tell that a later upload gave the same rows as an earlier one. Rolling the earlier one back must then
-- undo the later one too (its file says those values), so each upload records, per table, whose rows it
-- repeated, and whose removal its rows marked for removal found already done (a count, not the rows).
CREATE TABLE IF NOT EXISTS upload_restated (
    upload_id INTEGER NOT NULL,    -- the upload whose file repeated the rows
    table_name VARCHAR NOT NULL,   -- a journalled table (store/uploads.py JOURNALLED)
    restates INTEGER NOT NULL,     -- the earlier upload that wrote (or removed) them
    row_count BIGINT NOT NULL
);
