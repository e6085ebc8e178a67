-- The read contract for analysts (DuckDB CLI, Python, Power BI): documented in docs/data-model.md.
-- Views are recreated by every schema change; the tables behind them may change, these columns will not.

-- Every area with its top-level ancestor (the strategic area, objective or theme it sits under) and its depth.
CREATE OR REPLACE VIEW v_areas AS
WITH RECURSIVE tree AS (
    SELECT plan_id, code, parent_code, level, title, sort_order, code AS top_code, 0 AS depth,
           title AS path
    FROM areas WHERE parent_code IS NULL
    UNION ALL
    SELECT a.plan_id, a.code, a.parent_code, a.level, a.title, a.sort_order, t.top_code, t.depth + 1,
           t.path || ' › ' || a.title
    FROM areas a JOIN tree t ON a.plan_id = t.plan_id AND a.parent_code = t.code
)
-- A level a council named itself (not in area_levels) is labelled from its own words: 'ambition' -> 'Ambition'.
SELECT t.plan_id, t.code AS area_code, t.parent_code, t.level,
       coalesce(l.label, upper(left(t.level, 1)) || replace(substr(t.level, 2), '_', ' ')) AS level_label,
       t.title, t.depth,
       t.top_code, top.title AS top_title, top.level AS top_level, t.path, t.sort_order
FROM tree t
JOIN areas top ON top.plan_id = t.plan_id AND top.code = t.top_code
LEFT JOIN area_levels l ON l.level = t.level;

-- Each action's status history, newest last, with the scale's label and rank.
CREATE OR REPLACE VIEW v_action_status_history AS
SELECT s.plan_id, s.action_code, s.status, sc.label AS status_label, sc.rank AS status_rank, s.status_text,
       s.effective_date, s.effective_text, s.as_at_date, s.as_at_text, s.commentary,
       s.source_doc, s.source_line, s.upload_id, s.upload_row
FROM action_statuses s JOIN status_scale sc ON sc.status = s.status;

-- Every action, task, milestone and return item with its plan, area and latest status.
CREATE OR REPLACE VIEW v_actions AS
WITH latest AS (
    SELECT * FROM v_action_status_history
    QUALIFY row_number() OVER (PARTITION BY plan_id, action_code
                               ORDER BY coalesce(as_at_date, effective_date) DESC NULLS LAST,
                                        effective_date DESC NULLS LAST) = 1
)
SELECT a.plan_id, p.title AS plan_title, p.organisation_id, o.name AS organisation_name,
       a.code, a.parent_code, a.kind, a.text, a.lead_officer, a.lead_organisation,
       a.due_text, a.due_kind, a.due_date,
       a.area_code, ar.title AS area_title, ar.level AS area_level, ar.top_code AS top_area_code,
       ar.top_title AS top_area_title,
       coalesce(l.status, 'not_assessed') AS status, sc.label AS status_label,
       l.status_rank, l.effective_date AS status_effective_date, l.as_at_date AS status_as_at_date,
       l.commentary AS status_commentary,
       a.source_doc, a.source_line, a.upload_id, a.upload_row, a.sort_order
FROM actions a
JOIN plans p ON p.plan_id = a.plan_id
LEFT JOIN organisations o ON o.organisation_id = p.organisation_id
LEFT JOIN v_areas ar ON ar.plan_id = a.plan_id AND ar.area_code = a.area_code
LEFT JOIN latest l ON l.plan_id = a.plan_id AND l.action_code = a.code
LEFT JOIN status_scale sc ON sc.status = coalesce(l.status, 'not_assessed');  -- the scale's word, stated once

-- Every indicator value with the indicator's definition and its provenance.
CREATE OR REPLACE VIEW v_indicator_observations AS
SELECT o.indicator_code, i.name AS indicator_name, i.family, i.unit, i.polarity, i.tolerance,
       o.organisation_id, org.name AS organisation_name,
       o.period_text, o.period_type, o.period_start, o.period_end,
       o.measure, o.comparator_group, o.value_num, o.value_text, o.value_written,
       o.is_provisional, o.is_revised, o.is_estimate, o.is_conflict, o.note,
       o.source_doc, o.source_line, o.upload_id, o.upload_row
FROM observations o
JOIN indicators i ON i.indicator_code = o.indicator_code
LEFT JOIN organisations org ON org.organisation_id = o.organisation_id;

-- Efficiency gains in £000 (expenditure lines are in v_efficiency_lines).
CREATE OR REPLACE VIEW v_efficiency_lines AS
SELECT e.organisation_id, org.name AS organisation_name, e.year_text, e.year_start, e.directorate, e.category,
       e.description, e.line_type, e.cashable_k, e.non_cashable_k,
       -- Blank is unknown: a line with no figure at all has no total (the IEG capital grant's blank forward
       -- years, 002 line 2445), never 0; a printed part beside a blank part is that part.
       coalesce(e.total_k, CASE WHEN e.cashable_k IS NOT NULL OR e.non_cashable_k IS NOT NULL
                                THEN coalesce(e.cashable_k, 0) + coalesce(e.non_cashable_k, 0) END) AS total_k,
       e.stage, e.source_doc, e.source_line, e.upload_id, e.upload_row
FROM efficiency_lines e
LEFT JOIN organisations org ON org.organisation_id = e.organisation_id;

CREATE OR REPLACE VIEW v_efficiency_gains AS
SELECT * EXCLUDE (line_type) FROM v_efficiency_lines WHERE line_type = 'gain';

-- Where every row came from: the document line or the upload row, and the load that wrote it.
CREATE OR REPLACE VIEW v_uploads AS
SELECT upload_id, kind, file_name, sha256, uploaded_by, uploaded_at, row_count, note FROM uploads;

-- Every council's indicators with the dashboard's verdict, its rule in words, direction of travel and polarity
-- (schema 6; the table behind it is rewritten by the same code the pages use after every change to the data).
CREATE OR REPLACE VIEW v_indicator_assessment AS
SELECT a.organisation_id, org.name AS organisation_name, a.indicator_code, i.name AS indicator_name, i.family,
       i.unit, i.polarity, a.area_code, a.area_title, a.period, a.value, a.target, a.target_period, a.verdict,
       a.verdict_label, a.basis, a.rule, a.rule_words, a.explanation, a.comparator_explanation, a.direction,
       a.direction_explanation, a.latest_period, a.latest_actual, a.previous_period, a.previous_actual
FROM indicator_assessment a
JOIN indicators i ON i.indicator_code = a.indicator_code
LEFT JOIN organisations org ON org.organisation_id = a.organisation_id;
