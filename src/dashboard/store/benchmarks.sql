-- Schema version 7: the benchmarks, materialised. What v_benchmarks computed on every read (schema 4: England,
-- region, the statistical neighbours' mean, quartile band, rank and of_n for every council's published figure) is
-- stored here by the same query (store/benchmark_figures.sql), written after every build, published import,
-- upload that touches published figures, rollback and migration, in the same transaction as the data
-- (store/published.refresh_benchmarks). A council's page then reads its own few thousand rows. And the publisher's
-- own dates of each measure (LAIT's dictionary: Last Update, Next Update), so a page says when DfE updated a figure.

CREATE TABLE IF NOT EXISTS measure_updates (
    indicator_code  VARCHAR NOT NULL,
    updated         DATE,                     -- the publisher's last update of the measure
    next_update     DATE,                     -- the publisher's next update, as it announced it
    upload_id INTEGER, upload_row INTEGER     -- the import that read it (the newest applies; a rollback removes it)
);

CREATE TABLE IF NOT EXISTS benchmarks (
    organisation_id        VARCHAR NOT NULL,  -- the council (an organisation with an LA number)
    indicator_code         VARCHAR NOT NULL,  -- a published indicator (family LAIT or EES)
    period                 VARCHAR NOT NULL,  -- as published
    period_type            VARCHAR NOT NULL,
    period_start           DATE,
    period_end             DATE,
    value                  DOUBLE,            -- NULL when suppressed or not available
    value_text             VARCHAR,
    value_written          VARCHAR,
    is_revised             BOOLEAN,
    is_provisional         BOOLEAN,
    england                DOUBLE,
    region                 DOUBLE,            -- the council's region's figure (London boroughs: London)
    statistical_neighbours DOUBLE,
    neighbours_with_value  BIGINT,
    neighbour_model        VARCHAR,
    quartile_band          VARCHAR,
    rank                   BIGINT,
    of_n                   BIGINT,
    upload_id              INTEGER,
    upload_row             INTEGER
);

-- The stored figures with the council's and indicator's names and definitions (the columns schema 4's view gave,
-- in the same order). Documented in docs/data-model.md.
CREATE OR REPLACE VIEW v_benchmarks AS
SELECT b.organisation_id, g.name AS organisation_name, b.indicator_code, i.name AS indicator_name, i.topic, i.unit,
       i.polarity, i.decimals, b.period, b.period_type, b.period_start, b.period_end, b.value, b.value_text,
       b.value_written, b.is_revised, b.is_provisional, b.england, g.region AS region_name, b.region,
       b.statistical_neighbours, b.neighbours_with_value, b.neighbour_model, b.quartile_band, b.rank, b.of_n,
       i.family AS source, b.upload_id, b.upload_row
FROM benchmarks b
JOIN indicators i USING (indicator_code)
JOIN organisations g USING (organisation_id);
