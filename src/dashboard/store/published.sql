-- Schema version 4: published national statistics (DfE's LAIT, Explore Education Statistics) as comparators.
-- Published figures are ordinary observations (measure 'actual') of indicators whose family names the publisher
-- (LAIT, EES), for organisations of the kinds 'country' (England), 'region' and 'local authority' (or a seed
-- council matched to its LA number). Statistical neighbour models are data: each model lists every LA's ten
-- neighbours in order; the newest model (by its published date) is the one v_benchmarks uses.

ALTER TABLE indicators ADD COLUMN IF NOT EXISTS no_quartile BOOLEAN DEFAULT false;  -- the publisher gives no band

CREATE TABLE IF NOT EXISTS neighbour_models (
    model_id    VARCHAR PRIMARY KEY,        -- the workbook's name without extension: sn_may_2025
    name        VARCHAR NOT NULL,           -- 'Statistical neighbours, May 2025'
    file_name   VARCHAR NOT NULL,
    published   DATE,                       -- the month the model was published (from its name); NULL: unknown
    upload_id INTEGER, upload_row INTEGER
);

CREATE TABLE IF NOT EXISTS statistical_neighbours (
    model_id         VARCHAR NOT NULL,
    organisation_id  VARCHAR NOT NULL,
    neighbour_rank   INTEGER NOT NULL,      -- 1 = closest
    neighbour_id     VARCHAR NOT NULL,
    closeness        VARCHAR,               -- as the model writes it: 'Very close', 'Close', 'Somewhat close' ...
    upload_id INTEGER, upload_row INTEGER
);

-- The model comparisons use: the newest published, then the latest loaded.
CREATE OR REPLACE VIEW v_neighbour_model AS
SELECT model_id, name, file_name, published FROM neighbour_models
ORDER BY published DESC NULLS LAST, upload_id DESC NULLS LAST, model_id DESC LIMIT 1;

-- For every council (an organisation with an LA number), published indicator and period: the council's value and
-- England's, its region's, its statistical neighbours' mean (LAIT's rule: the mean of those of its ten neighbours
-- that have a value), its quartile band among all councils with a value (R's default quantiles, as LAIT; A is the
-- best quarter by polarity; none without polarity or where the publisher gives no band), and its rank (1 = best;
-- lowest first where there is no polarity, as LAIT) out of of_n councils with a value (given also when the
-- council's own figure is suppressed). Documented in
-- docs/data-model.md.
CREATE OR REPLACE VIEW v_benchmarks AS
WITH published AS (
    SELECT o.indicator_code, o.organisation_id, o.period_text, o.period_type, o.period_start, o.period_end,
           o.value_num, o.value_text, o.value_written, o.is_revised, o.is_provisional, o.note, o.upload_id,
           o.upload_row
    FROM observations o JOIN indicators i USING (indicator_code)
    WHERE o.measure = 'actual' AND o.comparator_group IS NULL AND i.family IN ('LAIT', 'EES')
), councils AS (
    SELECT p.*, g.name AS organisation_name, g.region AS region_name
    FROM published p JOIN organisations g USING (organisation_id)
    WHERE g.la_number IS NOT NULL AND g.kind NOT IN ('country', 'region', 'area group')
), areas AS (
    SELECT p.indicator_code, p.period_type, p.period_start, p.period_end, g.kind, g.name, p.value_num
    FROM published p JOIN organisations g USING (organisation_id)
    WHERE g.kind IN ('country', 'region')
), series AS (  -- every council's figure of one indicator and period, sorted: quartiles, count and rank from it
    SELECT indicator_code, period_type, period_start, period_end,
           quantile_cont(value_num, [0.25, 0.5, 0.75]) AS q, count(*) AS of_n,
           list(value_num ORDER BY value_num) AS sorted
    FROM councils WHERE value_num IS NOT NULL
    GROUP BY ALL
), pairs AS (
    SELECT s.organisation_id, s.neighbour_id FROM statistical_neighbours s JOIN v_neighbour_model m USING (model_id)
), neighbours AS (  -- from the pairs out, not from the councils' rows: a join of both on all five keys is very slow
    SELECT p.organisation_id, n.indicator_code, n.period_type, n.period_start, n.period_end,
           avg(n.value_num) AS mean, count(n.value_num) AS with_value
    FROM pairs p JOIN councils n ON n.organisation_id = p.neighbour_id
    GROUP BY ALL
)
SELECT c.organisation_id, c.organisation_name, c.indicator_code, i.name AS indicator_name, i.topic, i.unit,
       i.polarity, i.decimals, c.period_text AS period, c.period_type, c.period_start, c.period_end,
       c.value_num AS value, c.value_text, c.value_written, c.is_revised, c.is_provisional,
       e.value_num AS england, c.region_name, r.value_num AS region,
       n.mean AS statistical_neighbours, n.with_value AS neighbours_with_value,
       m.model_id AS neighbour_model,
       CASE WHEN c.value_num IS NULL OR i.no_quartile OR i.polarity NOT IN ('higher', 'lower') THEN NULL
            WHEN i.polarity = 'lower' THEN CASE WHEN c.value_num <= q.q[1] THEN 'A' WHEN c.value_num <= q.q[2]
                 THEN 'B' WHEN c.value_num <= q.q[3] THEN 'C' ELSE 'D' END
            ELSE CASE WHEN c.value_num <= q.q[1] THEN 'D' WHEN c.value_num <= q.q[2] THEN 'C'
                 WHEN c.value_num <= q.q[3] THEN 'B' ELSE 'A' END
       END AS quartile_band,
       -- the rank from the sorted figures (1 + how many are better), not a window over every council: a page
       -- asks for one council, and a window would rank all of them first
       CASE WHEN c.value_num IS NULL THEN NULL
            WHEN i.polarity = 'higher' THEN 1 + len(list_filter(q.sorted, lambda x: x > c.value_num))
            ELSE 1 + len(list_filter(q.sorted, lambda x: x < c.value_num)) END AS rank,
       q.of_n, i.family AS source, c.upload_id, c.upload_row
FROM councils c
JOIN indicators i USING (indicator_code)
LEFT JOIN v_neighbour_model m ON true
LEFT JOIN areas e ON e.kind = 'country' AND e.indicator_code = c.indicator_code AND e.period_type = c.period_type
                  AND e.period_start = c.period_start AND e.period_end = c.period_end
LEFT JOIN areas r ON r.kind = 'region' AND r.name = c.region_name AND r.indicator_code = c.indicator_code
                  AND r.period_type = c.period_type AND r.period_start = c.period_start
                  AND r.period_end = c.period_end
LEFT JOIN neighbours n ON n.organisation_id = c.organisation_id AND n.indicator_code = c.indicator_code
                       AND n.period_type = c.period_type AND n.period_start = c.period_start
                       AND n.period_end = c.period_end
LEFT JOIN series q ON q.indicator_code = c.indicator_code AND q.period_type = c.period_type
                      AND q.period_start = c.period_start AND q.period_end = c.period_end;
