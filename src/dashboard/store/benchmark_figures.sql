-- The benchmarks of every council's published figures (the rows of the table `benchmarks`, schema 7), computed
-- from the data: for every council (an organisation with an LA number), published indicator and period, the
-- council's value and England's, its region's, its statistical neighbours' mean (LAIT's rule: the mean of those of
-- its ten neighbours that have a value), its quartile band among all councils with a value (R's default quantiles,
-- as LAIT; A is the best quarter by polarity; none without polarity or where the publisher gives no band), and its
-- rank (1 = best; lowest first where there is no polarity, as LAIT) out of of_n councils with a value (given also
-- when the council's own figure is suppressed). $codes: only these indicators (a list), or NULL for every one.
-- Each series (indicator, period type, start, end) is keyed by its hash: grouping and joining on one number
-- rather than four columns took this from about 10 s to 6.5 s on LAIT's national set under load (the same rows).
WITH published AS MATERIALIZED (
    SELECT indicator_code, polarity, no_quartile FROM indicators
    WHERE family IN ('LAIT', 'EES') AND ($codes IS NULL OR list_contains($codes, indicator_code))
), councils AS MATERIALIZED (
    SELECT organisation_id, region FROM organisations
    WHERE la_number IS NOT NULL AND kind NOT IN ('country', 'region', 'area group')
), own AS MATERIALIZED (  -- every council's published rows, markers too, with the key of their series
    SELECT o.organisation_id, o.indicator_code, o.period_text, o.period_type, o.period_start, o.period_end,
           o.value_num, o.value_text, o.value_written, o.is_revised, o.is_provisional, o.upload_id, o.upload_row,
           hash(o.indicator_code, o.period_type, o.period_start, o.period_end) AS sid
    FROM observations o
    WHERE o.measure = 'actual' AND o.comparator_group IS NULL
      AND o.indicator_code IN (SELECT indicator_code FROM published)
      AND o.organisation_id IN (SELECT organisation_id FROM councils)
), areas AS (
    SELECT hash(o.indicator_code, o.period_type, o.period_start, o.period_end) AS sid, g.kind, g.name, o.value_num
    FROM observations o JOIN organisations g USING (organisation_id)
    WHERE o.measure = 'actual' AND o.comparator_group IS NULL AND o.value_num IS NOT NULL
      AND g.kind IN ('country', 'region') AND o.indicator_code IN (SELECT indicator_code FROM published)
), series AS (  -- every council's figure of one indicator and period: quartiles and count
    SELECT sid, quantile_cont(value_num, [0.25, 0.5, 0.75]) AS q, count(value_num) AS of_n
    FROM own WHERE value_num IS NOT NULL GROUP BY sid
), pairs AS (
    SELECT s.organisation_id, s.neighbour_id FROM statistical_neighbours s JOIN v_neighbour_model m USING (model_id)
), neighbours AS (  -- from the pairs out, not from the councils' rows: a join of both on all keys is slow
    SELECT p.organisation_id, n.sid, avg(n.value_num) AS mean, count(n.value_num) AS with_value
    FROM pairs p JOIN own n ON n.organisation_id = p.neighbour_id
    WHERE n.value_num IS NOT NULL
    GROUP BY ALL
), ranked AS (  -- rank 1 is the best; ties share the better rank; lowest first without polarity
    SELECT c.*, i.polarity, i.no_quartile, g.region AS region_name,
           CASE WHEN c.value_num IS NULL THEN NULL
                ELSE rank() OVER (PARTITION BY c.sid ORDER BY CASE WHEN i.polarity = 'higher' THEN -c.value_num
                                                                   ELSE c.value_num END NULLS LAST) END AS rank
    FROM own c JOIN published i USING (indicator_code) JOIN councils g USING (organisation_id)
)
SELECT c.organisation_id, c.indicator_code, c.period_text AS period, c.period_type, c.period_start, c.period_end,
       c.value_num AS value, c.value_text, c.value_written, c.is_revised, c.is_provisional,
       e.value_num AS england, r.value_num AS region,
       n.mean AS statistical_neighbours, n.with_value AS neighbours_with_value,
       m.model_id AS neighbour_model,
       CASE WHEN c.value_num IS NULL OR c.no_quartile OR c.polarity NOT IN ('higher', 'lower') THEN NULL
            WHEN c.polarity = 'lower' THEN CASE WHEN c.value_num <= q.q[1] THEN 'A' WHEN c.value_num <= q.q[2]
                 THEN 'B' WHEN c.value_num <= q.q[3] THEN 'C' ELSE 'D' END
            ELSE CASE WHEN c.value_num <= q.q[1] THEN 'D' WHEN c.value_num <= q.q[2] THEN 'C'
                 WHEN c.value_num <= q.q[3] THEN 'B' ELSE 'A' END
       END AS quartile_band,
       c.rank, q.of_n, c.upload_id, c.upload_row
FROM ranked c
LEFT JOIN v_neighbour_model m ON true
LEFT JOIN areas e ON e.kind = 'country' AND e.sid = c.sid
LEFT JOIN areas r ON r.kind = 'region' AND r.name = c.region_name AND r.sid = c.sid
LEFT JOIN neighbours n ON n.organisation_id = c.organisation_id AND n.sid = c.sid
LEFT JOIN series q ON q.sid = c.sid
