"""Every read query of the dashboard, returning DataFrames; aggregation happens here, in DuckDB."""
from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.parsing.dues import DEADLINE_KINDS
from dashboard.store.connection import defined_views, scalar, unregister
from dashboard.store.references import Known, Structure

EXPORTABLE_VIEWS = defined_views()  # every view views.sql and the migrations create (docs/data-model.md lists each)


def known_references(con: duckdb.DuckDBPyConnection) -> Known:
    """What exists already, so an import can check the codes it refers to."""
    return Known(
        organisations={row[0] for row in con.execute("SELECT organisation_id FROM organisations").fetchall()},
        plans={row[0] for row in con.execute("SELECT plan_id FROM plans").fetchall()},
        areas=set(con.execute("SELECT plan_id, code FROM areas").fetchall()),
        actions=set(con.execute("SELECT plan_id, code FROM actions").fetchall()),
        aliases=dict(con.execute("SELECT alias_key, indicator_code FROM indicator_aliases").fetchall()),
        organisation_keys=dict(con.execute("SELECT alias_key, organisation_id FROM organisation_aliases").fetchall()),
    )


def structure_references(con: duckdb.DuckDBPyConnection) -> Structure:
    """The structure a set-up upload checks against: areas with what is filed under them, indicators with their
    aliases, areas and how many values each has."""
    return Structure(
        areas={(plan, code): {"parent_code": parent, "level": level, "title": title} for plan, code, parent, level,
               title in con.execute("SELECT plan_id, code, parent_code, level, title FROM areas").fetchall()},
        area_actions={(plan, code): n for plan, code, n in con.execute(
            "SELECT plan_id, area_code, count(*) FROM actions WHERE area_code IS NOT NULL GROUP BY ALL").fetchall()},
        area_indicators={(plan, code): n for plan, code, n in con.execute(
            "SELECT plan_id, area_code, count(DISTINCT indicator_code) FROM indicator_areas GROUP BY ALL").fetchall()},
        indicators={row[0] for row in con.execute("SELECT indicator_code FROM indicators").fetchall()},
        indicator_alias_keys=dict(con.execute(
            "SELECT indicator_code, list(alias_key ORDER BY alias_key) FROM indicator_aliases GROUP BY ALL"
        ).fetchall()),
        links=set(con.execute("SELECT indicator_code, plan_id, area_code FROM indicator_areas").fetchall()),
        valued=dict(con.execute("SELECT indicator_code, count(*) FROM observations GROUP BY ALL").fetchall()),
    )


def valued_pairs(con: duckdb.DuckDBPyConnection, indicator_codes: list[str]) -> set[tuple[str, str]]:
    """(organisation, indicator) of every series with values among these indicators: whose RAG a change of the
    indicators' polarity or tolerance may move."""
    return set(con.execute("SELECT DISTINCT organisation_id, indicator_code FROM observations "
                           "WHERE indicator_code IN (SELECT unnest($codes::VARCHAR[]))",
                           {"codes": list(indicator_codes)}).fetchall())


def action_parents(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str | None]]:
    """Every action's plan, code and parent code, for the checks on an actions upload."""
    return con.execute("SELECT plan_id, code, parent_code FROM actions").fetchall()


def officer_upload_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many loads came from officers rather than the embedded seed data."""
    return scalar(con, "SELECT count(*) FROM uploads WHERE kind <> 'seed'")


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every base table."""
    tables = [row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
    return {table: scalar(con, f'SELECT count(*) FROM "{table}"') for table in tables}


def export_view(con: duckdb.DuckDBPyConnection, view: str) -> pd.DataFrame:
    """A whole analysts' view, for `python -m dashboard export VIEW`."""
    if view not in EXPORTABLE_VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of: {', '.join(EXPORTABLE_VIEWS)}")
    return con.execute(f"SELECT * FROM {view}").df()


# --- Selection: councils, plans, dates -------------------------------------------------------------------------

def organisations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Councils that have any plan, indicator value or efficiency line: those with a plan first (the councils the
    dashboard is set up for, so the first is the default), then the others (LAs with published figures only), each
    by name. England, regions and other groupings of published statistics are comparators, not councils."""
    return con.execute("""
        SELECT o.organisation_id, o.name, o.is_fictional
        FROM organisations o
        WHERE o.organisation_id IN (SELECT organisation_id FROM plans
                                    UNION SELECT organisation_id FROM observations
                                    UNION SELECT organisation_id FROM efficiency_lines)
          AND o.kind NOT IN ('country', 'region', 'area group')
        ORDER BY o.organisation_id NOT IN (SELECT organisation_id FROM plans), o.name""").df()


def all_organisations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every organisation, data or not (a council just set up has none yet), by name."""
    return con.execute("SELECT organisation_id, name FROM organisations ORDER BY name, organisation_id").df()


def plans(con: duckdb.DuckDBPyConnection, organisation_id: str) -> pd.DataFrame:
    """An organisation's plans with their action counts: its children's services plans (a title naming children or
    young people) newest first, then its other plans and returns newest first; the first is the one a link without
    a plan opens on."""
    return con.execute("""
        SELECT * FROM (
            SELECT p.plan_id, p.title, p.period_text, p.period_start, p.period_end, p.source_doc, p.source_line,
                   (SELECT count(*) FROM actions a WHERE a.plan_id = p.plan_id) AS action_count,
                   (SELECT count(*) FROM action_statuses s WHERE s.plan_id = p.plan_id) AS status_count,
                   (SELECT count(*) FROM action_statuses s
                    WHERE s.plan_id = p.plan_id AND s.status <> 'not_assessed') AS assessed_count
            FROM plans p WHERE p.organisation_id = ?)
        ORDER BY (title ILIKE '%child%' OR title ILIKE '%young people%') DESC, period_start DESC NULLS LAST,
                 assessed_count DESC, title""", [organisation_id]).df()


def status_dates(con: duckdb.DuckDBPyConnection, plan_id: str) -> list:
    """The dates a plan's statuses were reported at (snapshots), oldest first."""
    rows = con.execute("""
        SELECT DISTINCT coalesce(as_at_date, effective_date) AS d FROM action_statuses
        WHERE plan_id = ? AND coalesce(as_at_date, effective_date) IS NOT NULL ORDER BY d""", [plan_id]).fetchall()
    return [row[0] for row in rows]


def latest_actual_end(con: duckdb.DuckDBPyConnection, organisation_id: str, until) -> object:
    """The end of the latest period an organisation reports an actual for, up to `until` (a date), or None."""
    return scalar(con, """
        SELECT max(period_end) FROM observations
        WHERE organisation_id = ? AND measure = 'actual' AND value_num IS NOT NULL AND period_end <= ?""",
                  [organisation_id, until])


def last_refresh(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The most recent loads of data: when, what kind, from which file, by whom."""
    return con.execute("""
        SELECT upload_id, kind, file_name, uploaded_by, uploaded_at, row_count, note
        FROM uploads ORDER BY uploaded_at DESC, upload_id DESC LIMIT 10""").df()


def load_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every load in id order with what the version arithmetic needs: kind, the upload a rollback undid, and the
    rollback that undid an upload (dashboard.reading.data_version)."""
    return con.execute("SELECT upload_id, kind, rolls_back, rolled_back_by FROM uploads ORDER BY upload_id").df()


# --- Actions and their status ------------------------------------------------------------------------------------

_ACTIONS_AT = """
    WITH reported AS (
        SELECT s.*, coalesce(s.as_at_date, s.effective_date, DATE '1900-01-01') AS known_from
        FROM action_statuses s
        WHERE s.plan_id = $plan AND coalesce(s.as_at_date, s.effective_date, DATE '1900-01-01') <= $as_at
    ),
    runs AS (  -- each report numbered by its run of the same status (a new run where the status changes)
        SELECT *, count_if(changed) OVER (PARTITION BY action_code ORDER BY known_from, effective_date NULLS FIRST
                                          ROWS UNBOUNDED PRECEDING) AS run
        FROM (SELECT *, lag(status) OVER (PARTITION BY action_code
                                          ORDER BY known_from, effective_date NULLS FIRST) IS DISTINCT FROM status
                            AS changed
              FROM reported)
    ),
    status_at AS (
        -- A report without the date its status took effect (an officer's "Red, as at 30/06") keeps the status's
        -- date from the run it continues, or else is dated by its run's first report: "since" is never lost.
        SELECT *, coalesce(effective_date, min(coalesce(effective_date, as_at_date))
                               OVER (PARTITION BY action_code, run)) AS since,
                  effective_date IS NULL AND min(effective_date) OVER (PARTITION BY action_code, run) IS NULL
                      AS since_reported
        FROM runs
        QUALIFY row_number() OVER (PARTITION BY action_code
                                   ORDER BY known_from DESC, effective_date DESC NULLS LAST) = 1
    ),
    children AS (SELECT DISTINCT parent_code AS code FROM actions WHERE plan_id = $plan AND parent_code IS NOT NULL)
    SELECT a.code, a.parent_code, a.kind, a.text, a.lead_officer, a.lead_organisation, a.due_text, a.due_kind,
           a.due_date, a.area_code, ar.title AS area_title, ar.level AS area_level, ar.path AS area_path,
           coalesce(ar.top_code, a.area_code) AS top_code, coalesce(ar.top_title, 'No area') AS top_title,
           coalesce(s.status, 'not_assessed') AS status, sc.label AS status_label,
           sc.rank AS status_rank, s.status_text, s.since AS status_since, s.as_at_date AS status_reported,
           coalesce(s.since_reported, false) AS since_reported, s.commentary,
           -- A status dated after the day asked about (or after its own report) has no days yet: never negative.
           CASE WHEN s.since <= $as_at THEN date_diff('day', s.since, $as_at) END AS days_at_status,
           coalesce(s.effective_date > s.as_at_date, false) AS effective_after_report,
           -- The one overdue rule: a deadline passed and a status reported that is not Complete. Past its
           -- deadline with no status reported is a separate, honest position: we do not know it is late.
           (list_contains($deadline_kinds, a.due_kind) AND a.due_date < $as_at
            AND coalesce(s.status, 'not_assessed') NOT IN ('complete', 'not_assessed')) AS overdue,
           CASE WHEN NOT list_contains($deadline_kinds, a.due_kind) OR a.due_date IS NULL
                     OR a.due_date >= $as_at OR s.status = 'complete' THEN NULL
                WHEN coalesce(s.status, 'not_assessed') = 'not_assessed' THEN 'past_date_no_status'
                ELSE 'overdue' END AS due_position,
           (c.code IS NULL) AS is_leaf,
           -- Where the action came from, and where its status did (a document line, or an officer's upload and
           -- row, with who uploaded it): a page citing an item's status cites the status report.
           a.source_doc, a.source_line, a.upload_id, a.upload_row, ua.uploaded_by,
           s.source_doc AS status_source_doc, s.source_line AS status_source_line, s.upload_id AS status_upload_id,
           s.upload_row AS status_upload_row, us.uploaded_by AS status_uploaded_by, a.sort_order
    FROM actions a
    LEFT JOIN v_areas ar ON ar.plan_id = a.plan_id AND ar.area_code = a.area_code
    LEFT JOIN status_at s ON s.action_code = a.code
    LEFT JOIN uploads ua ON ua.upload_id = a.upload_id AND a.upload_row IS NOT NULL
    LEFT JOIN uploads us ON us.upload_id = s.upload_id AND s.upload_row IS NOT NULL
    LEFT JOIN status_scale sc ON sc.status = coalesce(s.status, 'not_assessed')  -- no status reported: its word
    LEFT JOIN children c ON c.code = a.code
    WHERE a.plan_id = $plan
"""


def actions_at(con: duckdb.DuckDBPyConnection, plan_id: str, as_at) -> pd.DataFrame:
    """Every action of a plan with the status it had on `as_at`, days at that status, and whether overdue."""
    return con.execute(_ACTIONS_AT + " ORDER BY a.sort_order",
                       {"plan": plan_id, "as_at": as_at, "deadline_kinds": list(DEADLINE_KINDS)}).df()


def status_changes(con: duckdb.DuckDBPyConnection, plan_id: str, before, after) -> pd.DataFrame:
    """Each action's status at two dates, with the rank change (positive: moved up the scale)."""
    frame = con.execute(f"""
        WITH a AS ({_ACTIONS_AT.replace('$as_at', '$before')}),
             b AS ({_ACTIONS_AT.replace('$as_at', '$after')})
        SELECT b.code, b.text, b.top_title, b.lead_officer, a.status AS status_before,
               a.status_label AS label_before, b.status AS status_after, b.status_label AS label_after,
               b.status_since, b.since_reported, b.commentary, b.source_doc, b.source_line, b.upload_id,
               b.upload_row, b.uploaded_by, b.status_source_doc, b.status_source_line, b.status_upload_id,
               b.status_upload_row, b.status_uploaded_by,
               CASE WHEN a.status_rank IS NULL OR b.status_rank IS NULL THEN
                        CASE WHEN a.status = b.status THEN 'same' ELSE 'rated or unrated' END
                    WHEN b.status_rank > a.status_rank THEN 'up'
                    WHEN b.status_rank < a.status_rank THEN 'down' ELSE 'same' END AS movement,
               b.sort_order
        FROM b JOIN a USING (code)
        ORDER BY b.sort_order""", {"plan": plan_id, "before": before, "after": after,
                                   "deadline_kinds": list(DEADLINE_KINDS)}).df()
    return frame


def recent_status_changes(con: duckdb.DuckDBPyConnection, organisation_id: str, as_at,
                          limit: int = 10) -> pd.DataFrame:
    """The latest statuses reported on or before `as_at` that differ from the item's previous status."""
    return con.execute("""
        WITH h AS (
            SELECT s.plan_id, s.action_code, s.status, sc.label, sc.rank, s.effective_date, s.as_at_date,
                   s.commentary, s.source_doc, s.source_line,
                   lag(sc.label) OVER (PARTITION BY s.plan_id, s.action_code
                                       ORDER BY coalesce(s.as_at_date, s.effective_date)) AS previous_label,
                   lag(sc.rank) OVER (PARTITION BY s.plan_id, s.action_code
                                      ORDER BY coalesce(s.as_at_date, s.effective_date)) AS previous_rank
            FROM action_statuses s JOIN status_scale sc USING (status)
            JOIN plans p ON p.plan_id = s.plan_id
            WHERE p.organisation_id = $org AND coalesce(s.as_at_date, s.effective_date) <= $as_at
        )
        SELECT h.plan_id, h.action_code, a.text, h.previous_label, h.label AS status_label, h.status,
               h.effective_date, h.as_at_date, h.commentary, h.source_doc, h.source_line,
               CASE WHEN h.rank > h.previous_rank THEN 'up' WHEN h.rank < h.previous_rank THEN 'down'
                    ELSE 'same' END AS movement
        FROM h JOIN actions a ON a.plan_id = h.plan_id AND a.code = h.action_code
        WHERE h.previous_label IS NOT NULL AND h.previous_label <> h.label
        ORDER BY coalesce(h.effective_date, h.as_at_date) DESC, h.plan_id, a.sort_order
        LIMIT $limit""", {"org": organisation_id, "as_at": as_at, "limit": limit}).df()


# --- Indicators ----------------------------------------------------------------------------------------------

def indicator_catalogue(con: duckdb.DuckDBPyConnection, organisation_id: str) -> pd.DataFrame:
    """Indicators with values for an organisation, with the areas they report under and their aliases."""
    return con.execute("""
        SELECT i.indicator_code, i.name, i.family, i.unit, i.polarity, i.tolerance,
               (SELECT string_agg(DISTINCT x.alias, ', ') FROM indicator_aliases x
                 WHERE x.indicator_code = i.indicator_code AND x.alias <> i.indicator_code) AS aliases,
               (SELECT string_agg(DISTINCT ar.title, '; ') FROM indicator_areas ia
                 JOIN areas ar ON ar.plan_id = ia.plan_id AND ar.code = ia.area_code
                 WHERE ia.indicator_code = i.indicator_code) AS areas,
               count(*) AS observation_count, min(o.period_start) AS first_period, max(o.period_end) AS last_period
        FROM indicators i JOIN observations o ON o.indicator_code = i.indicator_code
        WHERE o.organisation_id = ?
        GROUP BY ALL ORDER BY i.family, i.indicator_code""", [organisation_id]).df()


def indicator_series(con: duckdb.DuckDBPyConnection, indicator_code: str, organisation_id: str) -> pd.DataFrame:
    """Every value of one indicator for one organisation, in period order, with provenance."""
    return con.execute("""
        SELECT period_text, period_type, period_start, period_end, measure, comparator_group, value_num,
               value_text, value_written, is_provisional, is_revised, is_estimate, is_conflict, note,
               source_doc, source_line, upload_id, upload_row,
               count(*) OVER (PARTITION BY period_start, period_end, measure, coalesce(comparator_group, ''))
                   AS values_for_period
        FROM observations WHERE indicator_code = ? AND organisation_id = ?
        ORDER BY period_end, measure, comparator_group""", [indicator_code, organisation_id]).df()


def indicator_positions(con: duckdb.DuckDBPyConnection, organisation_id: str,
                        plan_id: str | None = None, previous: bool = False) -> pd.DataFrame:
    """Per indicator: the periods the assessment needs (series: every period's actual and target, unsorted, or only
    the latest actual of a series with no target), its comparators, the latest two actuals, and the area it reports
    under. The assessment is applied to this in Python (rules.assessment), one row per indicator.
    With `previous`, the same as it stood before each indicator's latest actual (for 'what changed')."""
    frame = indicator_positions_of(con, [organisation_id], plan_id, previous)
    return frame.drop(columns="organisation_id").reset_index(drop=True)


def indicator_positions_of(con: duckdb.DuckDBPyConnection, organisation_ids: list[str],
                           plan_id: str | None = None, previous: bool = False,
                           pairs: list[tuple[str, str]] | None = None) -> pd.DataFrame:
    """indicator_positions for several organisations in one query (an upload's preview of every council it
    touches), with an organisation_id column; each organisation's rows are exactly its own indicator_positions.
    With `pairs` [(organisation_id, indicator_code)], only those indicators: a position depends on its own pair's
    values alone, so the rows kept are exactly those of the full result."""
    params = {"orgs": list(organisation_ids), "plan": plan_id}
    # The text holds only the steps asked for: DuckDB plans and runs a step guarded by a parameter (as "previous" and
    # the pair filter once were) whether or not it is used; at national scale the unused join to the latest actuals,
    # and a second pass to list the series, were about a quarter of the time.
    only_pairs = ""
    if pairs is not None:
        only_pairs = """ AND EXISTS (
                SELECT 1 FROM (SELECT unnest($pair_orgs::VARCHAR[]) AS o, unnest($pair_codes::VARCHAR[]) AS i) wanted
                WHERE wanted.o = organisation_id AND wanted.i = indicator_code)"""
        params |= {"pair_orgs": [org for org, _ in pairs], "pair_codes": [code for _, code in pairs]}
    if previous:
        obs = """, latest_actual AS (
            SELECT organisation_id, indicator_code, max(period_end) AS latest_end FROM all_obs
            WHERE measure = 'actual' AND value_num IS NOT NULL GROUP BY organisation_id, indicator_code
        ),
        obs AS MATERIALIZED (
            SELECT o.* FROM all_obs o JOIN latest_actual l USING (organisation_id, indicator_code)
            WHERE o.period_end < l.latest_end
        )"""
    else:
        obs = ", obs AS (SELECT * FROM all_obs)"
    # Every indicator of several councils (a national upload's preview) is millions of rows: reading them twice costs
    # less than holding them (half the memory, 1.3 GB -> 0.8 GB nationally); a council's page reads thousands, which
    # are quicker held.
    held = "NOT MATERIALIZED" if pairs is None and len(organisation_ids) > 1 and not previous else "MATERIALIZED"
    return con.execute(f"""
        WITH all_obs AS {held} (
            SELECT organisation_id, indicator_code, period_start, period_end, period_text, measure, value_num,
                   value_text, is_conflict
            FROM observations
            WHERE organisation_id IN (SELECT unnest($orgs::VARCHAR[])) AND comparator_group IS NULL{only_pairs}
        ){obs},
        -- One row per series and period with any value: its lowest actual and target (a conflict gives two). A
        -- series shows even when it has neither, so every period counts here and the filters pick the values.
        per_period AS (
            SELECT organisation_id, indicator_code, period_start, period_end,
                   min(value_num) FILTER (WHERE measure = 'actual') AS actual,
                   arg_min(period_text, value_num) FILTER (WHERE measure = 'actual' AND value_num IS NOT NULL)
                       AS actual_text,
                   arg_min(is_conflict, value_num) FILTER (WHERE measure = 'actual' AND value_num IS NOT NULL)
                       AS actual_conflict,
                   min(value_num) FILTER (WHERE measure = 'target') AS target,
                   arg_min(is_conflict, value_num) FILTER (WHERE measure = 'target' AND value_num IS NOT NULL)
                       AS target_conflict,
                   arg_min(period_text, value_num) FILTER (WHERE measure = 'target' AND value_num IS NOT NULL)
                       AS target_period_text,
                   min(value_text) FILTER (WHERE measure = 'target' AND value_num IS NULL) AS target_text
            FROM obs
            GROUP BY organisation_id, indicator_code, period_start, period_end
        ),
        -- Each period as the assessment's rules read it (rules.assessment.Period).
        periods AS (
            SELECT *, struct_pack(text := actual_text, target_written := target_period_text, s := period_start,
                                  e := period_end, actual := actual, target := target, target_text := target_text,
                                  conflict := coalesce(actual_conflict, false) OR coalesce(target_conflict, false))
                          AS period
            FROM per_period
        ),
        -- Aggregates, not windows: the series, the latest actual and the latest two actuals in one pass over the
        -- periods, without sorting a national table.
        latest AS (
            SELECT organisation_id, indicator_code,
                   -- Every period with a numeric actual or target (or a target in words), for the assessment's
                   -- rules (rules.assessment), which pair them in Python and put them in order themselves (a
                   -- sorted list cost a quarter of this query nationally).
                   list(period)
                       FILTER (WHERE actual IS NOT NULL OR target IS NOT NULL OR target_text IS NOT NULL) AS series,
                   bool_or(target IS NOT NULL OR target_text IS NOT NULL) AS has_target,
                   -- the latest actual as the assessment orders periods (rules.assessment._ordered: by end, then
                   -- start or else end, a missing start last): the one it assesses, and the period whose
                   -- comparators it reads. NaN is no actual to the rules (indicator_status._num).
                   arg_max(period, [period_end - DATE '1800-01-01',
                                    coalesce(period_start, period_end) - DATE '1800-01-01',
                                    (period_start IS NULL)::INTEGER])
                       FILTER (WHERE actual IS NOT NULL AND NOT isnan(actual) AND period_end IS NOT NULL)
                       AS last_period,
                   max_by(struct_pack(value_num := actual, period_text := actual_text), period_end, 2)
                       FILTER (WHERE actual IS NOT NULL) AS two
            FROM periods
            GROUP BY organisation_id, indicator_code
        ),
        -- A published measure's comparators for its latest actual's period (v_benchmarks): the quartile band of
        -- all councils (with how many), the neighbours' mean as the measure is published, and England. Only that
        -- period: the assessment compares nothing else, and every council's every period is half a million rows.
        published AS (
            SELECT b.organisation_id, b.indicator_code, b.period_start, b.period_end, b.quartile_band, b.of_n,
                   round(b.statistical_neighbours, coalesce(b.decimals, 2)) AS neighbours, b.england
            FROM (SELECT * FROM v_benchmarks
                  WHERE organisation_id IN (SELECT unnest($orgs::VARCHAR[])) AND value IS NOT NULL{only_pairs}) b
            JOIN latest p ON p.organisation_id = b.organisation_id AND p.indicator_code = b.indicator_code
                         AND p.last_period.s = b.period_start AND p.last_period.e = b.period_end
        ),
        comps AS (
            SELECT organisation_id, indicator_code, list(c) AS comparators FROM (
                SELECT organisation_id, indicator_code,
                       struct_pack(g := comparator_group, s := period_start, e := period_end, v := value_num,
                                   b := NULL::VARCHAR, n := NULL::BIGINT) AS c
                FROM observations
                WHERE organisation_id IN (SELECT unnest($orgs::VARCHAR[])) AND comparator_group IS NOT NULL
                      AND value_num IS NOT NULL{only_pairs}
                UNION ALL
                SELECT organisation_id, indicator_code,
                       struct_pack(g := 'quartile', s := period_start, e := period_end, v := NULL::DOUBLE,
                                   b := quartile_band, n := of_n::BIGINT)
                FROM published WHERE quartile_band IS NOT NULL
                UNION ALL
                SELECT organisation_id, indicator_code,
                       struct_pack(g := 'statistical_neighbours', s := period_start, e := period_end, v := neighbours,
                                   b := NULL::VARCHAR, n := NULL::BIGINT)
                FROM published WHERE neighbours IS NOT NULL
                UNION ALL
                SELECT organisation_id, indicator_code,
                       struct_pack(g := 'england', s := period_start, e := period_end, v := england,
                                   b := NULL::VARCHAR, n := NULL::BIGINT)
                FROM published WHERE england IS NOT NULL
            )
            GROUP BY organisation_id, indicator_code
        ),
        linked AS (
            SELECT ia.indicator_code, min(v.top_title) AS area_title, min(v.top_code) AS area_code
            FROM indicator_areas ia JOIN v_areas v ON v.plan_id = ia.plan_id AND v.area_code = ia.area_code
            WHERE $plan IS NULL OR ia.plan_id = $plan
            GROUP BY ia.indicator_code
        )
        SELECT p.organisation_id, i.indicator_code, i.name, i.unit, i.polarity, i.tolerance, i.tolerance_units,
               i.family,
               l.area_code, l.area_title,
               -- A series with no target, numeric or in words (every published measure), has nothing to pair:
               -- the rules read only its latest actual (held by tests/test_assessment.py), and nationally
               -- the other periods were half the assessment's time.
               CASE WHEN p.has_target OR p.last_period IS NULL THEN p.series ELSE [p.last_period] END AS series,
               c.comparators,
               p.two[1].value_num AS latest_actual, p.two[1].period_text AS latest_period,
               p.two[2].value_num AS previous_actual, p.two[2].period_text AS previous_period
        FROM indicators i
        JOIN latest p USING (indicator_code)
        LEFT JOIN comps c ON c.organisation_id = p.organisation_id AND c.indicator_code = p.indicator_code
        LEFT JOIN linked l USING (indicator_code)
        WHERE $plan IS NULL OR l.indicator_code IS NOT NULL
        ORDER BY p.organisation_id, l.area_code NULLS LAST, i.indicator_code""", params).df()


def indicator_sparklines(con: duckdb.DuckDBPyConnection, organisation_id: str) -> pd.DataFrame:
    """Each indicator's actuals in period order as a list, for the small trend in tables."""
    # Plain Python lists, not the NumPy arrays `.df()` gives: a table cell turns each to text and NumPy's array
    # printing is slow, and the page would otherwise convert them on every run.
    rows = con.execute("""
        SELECT indicator_code, list(value_num ORDER BY period_end) AS trend
        FROM observations WHERE organisation_id = ? AND measure = 'actual' AND value_num IS NOT NULL
        GROUP BY indicator_code""", [organisation_id]).fetchall()
    return pd.DataFrame(rows, columns=["indicator_code", "trend"])


# --- Efficiency --------------------------------------------------------------------------------------------------

def efficiency_years(con: duckdb.DuckDBPyConnection, organisation_id: str) -> list[str]:
    """Years with efficiency gain lines from a forward-looking or backward-looking statement."""
    rows = con.execute("""
        SELECT DISTINCT year_text, year_start FROM efficiency_lines
        WHERE organisation_id = ? AND line_type = 'gain' AND stage NOT LIKE 'ieg%' ORDER BY year_start DESC""",
                       [organisation_id]).fetchall()
    return [row[0] for row in rows]


def efficiency_by(con: duckdb.DuckDBPyConnection, organisation_id: str, year: str, column: str) -> pd.DataFrame:
    """Cashable and non-cashable gains (£000) summed by directorate or category for one year's statement."""
    if column not in ("directorate", "category"):
        raise ValueError(column)
    return con.execute(f"""
        SELECT coalesce({column}, 'Not stated') AS name, sum(coalesce(cashable_k, 0)) AS cashable_k,
               sum(coalesce(non_cashable_k, 0)) AS non_cashable_k,
               sum(coalesce(cashable_k, 0)) + sum(coalesce(non_cashable_k, 0)) AS total_k, count(*) AS lines
        FROM efficiency_lines
        WHERE organisation_id = ? AND year_text = ? AND line_type = 'gain' AND stage NOT LIKE 'ieg%'
        GROUP BY ALL ORDER BY total_k DESC""", [organisation_id, year]).df()


def efficiency_lines(con: duckdb.DuckDBPyConnection, organisation_id: str, year: str,
                     search: str = "") -> pd.DataFrame:
    """One year's efficiency lines, optionally filtered by words in the description or directorate."""
    return con.execute("""
        SELECT directorate, category, description, cashable_k, non_cashable_k, total_k, stage,
               source_doc, source_line, upload_id, upload_row
        FROM efficiency_lines
        WHERE organisation_id = ? AND year_text = ? AND line_type = 'gain' AND stage NOT LIKE 'ieg%'
              AND (? = '' OR concat_ws(' ', directorate, category, description) ILIKE '%' || ? || '%')
        ORDER BY directorate, description""", [organisation_id, year, search, search]).df()


def efficiency_summaries(con: duckdb.DuckDBPyConnection, organisation_id: str, year: str | None = None) -> pd.DataFrame:
    """Printed totals and the requirement lines (brought forward, cumulative, required) with provenance."""
    return con.execute("""
        SELECT year_text, summary, label, cashable_k, non_cashable_k, total_k, written, source_doc, source_line
        FROM efficiency_summaries WHERE organisation_id = ? AND (? IS NULL OR year_text = ?)
        ORDER BY source_doc, source_line""", [organisation_id, year, year]).df()


def ieg_finance(con: duckdb.DuckDBPyConnection, organisation_id: str) -> pd.DataFrame:
    """IEG gains (gross, of which cashable) and implementation expenditure by year, £000."""
    return con.execute("""
        SELECT year_text, year_start, line_type, stage, sum(total_k) AS total_k, sum(cashable_k) AS cashable_k
        FROM efficiency_lines WHERE organisation_id = ? AND stage LIKE 'ieg%'
        GROUP BY ALL ORDER BY year_start, line_type""", [organisation_id]).df()


def documents_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The source documents of the embedded data, with how many rows each gave."""
    return con.execute("""
        SELECT d.doc_id AS "Document", d.title AS "Title", o.name AS "Council", d.published AS "Published",
               d.file_name AS "File",
               (SELECT count(*) FROM actions a WHERE a.source_doc = d.doc_id) AS "Actions",
               (SELECT count(*) FROM observations x WHERE x.source_doc = d.doc_id) AS "Indicator values",
               (SELECT count(*) FROM efficiency_lines e WHERE e.source_doc = d.doc_id) AS "Efficiency lines"
        FROM documents d JOIN organisations o USING (organisation_id) ORDER BY d.doc_id""").df()


# --- Officers' uploads: checks, preview and templates ----------------------------------------------------------

def indicator_year_types(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each indicator's year type ('academic' or 'financial'): its definition's year_type when set, else the one
    type of year its stored figures are given in (as the documents print them), when they use only one."""
    return dict(con.execute("""
        WITH stored AS (
            SELECT indicator_code, min(period_type) AS only_type FROM observations
            WHERE period_type IN ('academic_year', 'financial_year')
            GROUP BY indicator_code HAVING count(DISTINCT period_type) = 1
        )
        SELECT i.indicator_code,
               coalesce(lower(i.year_type), CASE s.only_type WHEN 'academic_year' THEN 'academic'
                                                             WHEN 'financial_year' THEN 'financial' END) AS year_type
        FROM indicators i LEFT JOIN stored s USING (indicator_code)
        WHERE coalesce(i.year_type, s.only_type) IS NOT NULL""").fetchall())


def indicator_units(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """Each indicator's unit and polarity, for the upload warnings."""
    return {code: (unit, polarity) for code, unit, polarity in con.execute(
        "SELECT indicator_code, unit, polarity FROM indicators").fetchall()}


_NUMERIC_ACTUAL = ("o.measure = 'actual' AND o.value_num IS NOT NULL AND o.comparator_group IS NULL "
                   "AND o.period_end IS NOT NULL")


def last_actuals_before(con: duckdb.DuckDBPyConnection, targets: pa.Table) -> pa.Table:
    """For each target (columns position, indicator_code, organisation_id, period_end): the last numeric actual of
    the same series that ended before it, as (position, last_value, last_period as written); of several actuals
    ending that day, the first stored. Targets with no earlier actual are left out."""
    con.register("target_rows", targets)
    try:
        # An ASOF join finds, per target, the latest actual ending strictly before its period, in DuckDB: the
        # history never comes into Python. Only the series with a target in the file are read, and of each only
        # the actuals from the last one before its first target on: no target looks further back than that.
        return con.sql(f"""
            WITH series AS (
                SELECT indicator_code, organisation_id, min(period_end) AS first_end FROM target_rows GROUP BY ALL
            ),
            since AS (
                SELECT o.indicator_code, o.organisation_id, max(o.period_end) AS from_end
                FROM observations o JOIN series s USING (indicator_code, organisation_id)
                WHERE {_NUMERIC_ACTUAL} AND o.period_end < s.first_end
                GROUP BY ALL
            ),
            a AS (  -- one actual per series and end date: of several, the first stored
                SELECT o.indicator_code, o.organisation_id, o.period_end, arg_min(o.value_num, o.rowid) AS value_num,
                       arg_min(o.period_text, o.rowid) AS period_text
                FROM observations o JOIN series s USING (indicator_code, organisation_id)
                     LEFT JOIN since USING (indicator_code, organisation_id)
                WHERE {_NUMERIC_ACTUAL} AND (since.from_end IS NULL OR o.period_end >= since.from_end)
                GROUP BY ALL
            )
            SELECT t.position, a.value_num AS last_value, a.period_text AS last_period FROM target_rows t
            ASOF JOIN a ON a.indicator_code = t.indicator_code AND a.organisation_id = t.organisation_id
                       AND t.period_end > a.period_end
            """).to_arrow_table()
    finally:
        unregister(con, "target_rows")


def repeated_keys(con: duckdb.DuckDBPyConnection, records: pa.Table, key: tuple[str, ...]) -> pa.Table:
    """Records (with position and upload_row) whose key an earlier record of the same file has (NULL matching
    NULL): their position and the earlier record's row, in file order."""
    columns = ", ".join(key)
    same_key = " AND ".join(f"r.{column} IS NOT DISTINCT FROM k.{column}" for column in key)
    con.register("upload_records", records)
    try:
        # Group, not a window: a hash of each key finds the few repeated ones without sorting a million records
        # into partitions, and only those records are joined back (a GROUP BY puts NULLs together, as intended).
        return con.sql(f"""
            WITH repeated AS (
                SELECT {columns}, min(position) AS first_position, arg_min(upload_row, position) AS first_row
                FROM upload_records GROUP BY ALL HAVING count(*) > 1)
            SELECT r.position, k.first_row FROM upload_records r JOIN repeated k ON {same_key}
            WHERE r.position <> k.first_position ORDER BY r.position""").to_arrow_table()
    finally:
        unregister(con, "upload_records")


def action_statuses_now(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every action's latest status (as v_actions has it), to compare before and after an upload."""
    return con.execute("SELECT plan_id, code, text, status_label FROM v_actions ORDER BY plan_id, sort_order").df()


def latest_statuses(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Each action's latest status report: (plan, code, status, the date it took effect), for checking an upload's
    new statuses against the ones they follow."""
    return con.execute("""
        SELECT plan_id, action_code, status, effective_date FROM action_statuses
        QUALIFY row_number() OVER (PARTITION BY plan_id, action_code
                                   ORDER BY coalesce(as_at_date, effective_date) DESC NULLS LAST,
                                            effective_date DESC NULLS LAST) = 1""").fetchall()


def assessed_organisations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every organisation with an indicator value, for the materialised assessment."""
    return [row[0] for row in con.execute(
        "SELECT DISTINCT organisation_id FROM observations ORDER BY 1").fetchall()]


def upload_organisations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Organisations with indicator values, whose RAG an indicators upload may change."""
    return [row[0] for row in con.execute(
        "SELECT DISTINCT organisation_id FROM observations ORDER BY 1").fetchall()]


def actions_template(con: duckdb.DuckDBPyConnection, organisation_id: str | None = None,
                     plan_id: str | None = None) -> pd.DataFrame:
    """Every action (of a council, or of one plan, when given) with its latest status exactly as written, in the
    officers' actions upload format."""
    return con.execute("""
        WITH latest AS (
            SELECT * FROM action_statuses
            QUALIFY row_number() OVER (PARTITION BY plan_id, action_code
                                       ORDER BY coalesce(as_at_date, effective_date) DESC NULLS LAST,
                                                effective_date DESC NULLS LAST) = 1
        )
        SELECT a.plan_id, a.code, a.parent_code, a.area_code, a.kind, a.text, a.lead_officer, a.lead_organisation,
               a.due_text AS due, s.status_text AS status, s.effective_text AS effective, s.as_at_text AS as_at,
               s.commentary
        FROM actions a LEFT JOIN latest s ON s.plan_id = a.plan_id AND s.action_code = a.code
        WHERE ($plan IS NULL OR a.plan_id = $plan)
          AND ($org IS NULL OR a.plan_id IN (SELECT plan_id FROM plans WHERE organisation_id = $org))
        ORDER BY a.plan_id, a.sort_order""", {"org": organisation_id, "plan": plan_id}).df()


def indicators_template(con: duckdb.DuckDBPyConnection, organisation_id: str | None = None,
                        plan_id: str | None = None) -> pd.DataFrame:
    """Every indicator value (of a council, when given) as written, in the officers' indicators upload format."""
    return con.execute("""
        SELECT indicator_code, organisation_id AS organisation, period_text AS period,
               CASE WHEN period_type IN ('academic_year', 'financial_year') THEN period_type END AS period_type,
               measure, comparator_group, value_written AS value,
               concat_ws('|', CASE WHEN is_provisional THEN 'provisional' END, CASE WHEN is_revised THEN 'revised' END,
                         CASE WHEN is_estimate THEN 'estimate' END, CASE WHEN is_conflict THEN 'conflict' END)
                   AS flags,
               note, NULL AS remove
        FROM observations WHERE $org IS NULL OR organisation_id = $org
        ORDER BY indicator_code, organisation_id, period_end, measure, comparator_group""",
                       {"org": organisation_id}).df()


def efficiency_template(con: duckdb.DuckDBPyConnection, organisation_id: str | None = None,
                        plan_id: str | None = None) -> pd.DataFrame:
    """Every efficiency line (of a council, when given) in £000, in the officers' efficiency upload format."""
    return con.execute("""
        SELECT organisation_id AS organisation, year_text AS year, directorate, category, description, line_type,
               '£000' AS unit, cashable_k AS cashable, non_cashable_k AS non_cashable, total_k AS total, stage,
               NULL AS remove
        FROM efficiency_lines WHERE $org IS NULL OR organisation_id = $org
        ORDER BY organisation_id, year_start, directorate, description""", {"org": organisation_id}).df()


def organisations_template(con: duckdb.DuckDBPyConnection, organisation_id: str | None = None,
                           plan_id: str | None = None) -> pd.DataFrame:
    """Every organisation (or one), in the officers' organisations upload format: its other names as aliases."""
    return con.execute("""
        SELECT o.organisation_id, o.name, o.ons_code, o.la_number, o.region, o.kind,
               (SELECT string_agg(a.alias, '|' ORDER BY a.alias) FROM organisation_aliases a
                WHERE a.organisation_id = o.organisation_id
                  AND a.alias NOT IN (o.organisation_id, o.name, coalesce(o.ons_code, ''), coalesce(o.la_number, '')))
                   AS aliases
        FROM organisations o WHERE $org IS NULL OR o.organisation_id = $org
        ORDER BY o.name""", {"org": organisation_id}).df()


def plans_template(con: duckdb.DuckDBPyConnection, organisation_id: str | None = None,
                   plan_id: str | None = None) -> pd.DataFrame:
    """Every plan (of a council, or one), in the officers' plans upload format."""
    return con.execute("""
        SELECT plan_id, organisation_id, title, strftime(period_start, '%d/%m/%Y') AS period_start,
               strftime(period_end, '%d/%m/%Y') AS period_end, status
        FROM plans WHERE ($org IS NULL OR organisation_id = $org) AND ($plan IS NULL OR plan_id = $plan)
        ORDER BY organisation_id, period_start NULLS LAST, plan_id""", {"org": organisation_id, "plan": plan_id}).df()


def areas_template(con: duckdb.DuckDBPyConnection, organisation_id: str | None = None,
                   plan_id: str | None = None) -> pd.DataFrame:
    """Every plan area (of a council's plans, or of one plan), in the officers' areas upload format."""
    return con.execute("""
        SELECT plan_id, code, title, parent_code, level, NULL AS remove FROM areas
        WHERE ($plan IS NULL OR plan_id = $plan)
          AND ($org IS NULL OR plan_id IN (SELECT plan_id FROM plans WHERE organisation_id = $org))
        ORDER BY plan_id, sort_order""", {"org": organisation_id, "plan": plan_id}).df()


def indicator_definitions_template(con: duckdb.DuckDBPyConnection, organisation_id: str | None = None,
                                   plan_id: str | None = None) -> pd.DataFrame:
    """Every indicator definition (those with values for a council or reporting under its plans, or under one plan,
    when given), in the officers' indicator_definitions upload format; the areas are those of one plan (the one
    asked for, else the first)."""
    return con.execute("""
        WITH per_plan AS (
            SELECT indicator_code, plan_id, string_agg(area_code, '|' ORDER BY area_code) AS area_codes
            FROM indicator_areas
            WHERE ($plan IS NULL OR plan_id = $plan)
              AND ($org IS NULL OR plan_id IN (SELECT plan_id FROM plans WHERE organisation_id = $org))
            GROUP BY ALL
        ),
        links AS (
            SELECT * FROM per_plan QUALIFY row_number() OVER (PARTITION BY indicator_code ORDER BY plan_id) = 1
        )
        SELECT i.indicator_code AS code, i.name,
               (SELECT string_agg(a.alias, '|' ORDER BY a.alias) FROM indicator_aliases a
                WHERE a.indicator_code = i.indicator_code AND a.alias <> i.indicator_code) AS aliases,
               i.unit, i.polarity, i.tolerance, i.tolerance_units, i.family, i.owner, i.year_type, i.decimals,
               i.description, l.plan_id, l.area_codes, CASE WHEN i.retired THEN 'yes' END AS retired,
               NULL AS remove
        FROM indicators i LEFT JOIN links l USING (indicator_code)
        WHERE ($org IS NULL AND $plan IS NULL) OR l.indicator_code IS NOT NULL
           OR ($plan IS NULL AND i.indicator_code IN (SELECT indicator_code FROM observations
                                                      WHERE organisation_id = $org))
        ORDER BY i.family, i.indicator_code""", {"org": organisation_id, "plan": plan_id}).df()


# --- What changed since the last refresh ------------------------------------------------------------------------

def latest_load(con: duckdb.DuckDBPyConnection, organisation_id: str) -> pd.DataFrame:
    """The most recent load that wrote rows for an organisation, with how many rows of each kind (one row, or none)."""
    return con.execute("""
        WITH touched AS (
            SELECT upload_id, 'indicator values' AS what, indicator_code AS code FROM observations
            WHERE organisation_id = $org
            UNION ALL SELECT upload_id, 'efficiency lines', NULL FROM efficiency_lines WHERE organisation_id = $org
            UNION ALL SELECT s.upload_id, 'action statuses', NULL FROM action_statuses s
                      JOIN plans p USING (plan_id) WHERE p.organisation_id = $org
            UNION ALL SELECT a.upload_id, 'actions', NULL FROM actions a
                      JOIN plans p USING (plan_id) WHERE p.organisation_id = $org
        ),
        latest AS (
            SELECT u.upload_id FROM uploads u WHERE u.upload_id IN (SELECT upload_id FROM touched)
            ORDER BY u.uploaded_at DESC, u.upload_id DESC LIMIT 1
        )
        SELECT u.upload_id, u.kind, u.file_name, u.uploaded_at, u.uploaded_by, t.what, count(*) AS rows,
               count(DISTINCT t.code) AS codes,
               string_agg(DISTINCT t.code, ', ' ORDER BY t.code) AS code_list
        FROM touched t JOIN latest USING (upload_id) JOIN uploads u USING (upload_id)
        GROUP BY ALL ORDER BY t.what""", {"org": organisation_id}).df()


# --- How we compare: published national statistics for one council -------------------------------------------------

# The stored benchmarks (table `benchmarks`, schema 7: every council's published figure with its comparisons, written
# whenever the data changes) are what these read: a council's few thousand rows, not the nation's observations.

def benchmark_councils(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Councils with any published figure (organisation_id, name, region), by name."""
    return con.execute("""
        SELECT g.organisation_id, g.name, g.region FROM organisations g
        WHERE g.organisation_id IN (SELECT DISTINCT organisation_id FROM benchmarks)
        ORDER BY g.name""").df()


def council_benchmarks(con: duckdb.DuckDBPyConnection, organisation_id: str,
                       indicator_code: str | None = None) -> pd.DataFrame:
    """v_benchmarks for one council (every published indicator and period), with the neighbour model's name, the
    time each figure's load was made (loaded_at) and the publisher's last update of the measure where its files
    give one (source_updated); with `indicator_code`, that one only. Read from the stored table
    (docs/PERFORMANCE.md: How we compare)."""
    one_measure = " AND b.indicator_code = $code" if indicator_code else ""
    return con.execute(f"""
        SELECT b.*, n.name AS neighbour_model_name, u.uploaded_at AS loaded_at, d.updated AS source_updated
        FROM v_benchmarks b
        LEFT JOIN neighbour_models n ON n.model_id = b.neighbour_model
        LEFT JOIN uploads u ON u.upload_id = b.upload_id
        LEFT JOIN (SELECT indicator_code, arg_max(updated, upload_id) AS updated FROM measure_updates
                   GROUP BY indicator_code) d ON d.indicator_code = b.indicator_code
        WHERE b.organisation_id = $org{one_measure}
        ORDER BY b.topic, b.indicator_code, b.period_end, b.period_start""",
        {"org": organisation_id} | ({"code": indicator_code} if indicator_code else {})).df()


def benchmark_spread(con: duckdb.DuckDBPyConnection, indicator_code: str, period_start, period_end) -> pd.DataFrame:
    """Every council's published figure for one indicator and period (organisation_id, name, value, value_text),
    lowest first: the spread the council is marked in."""
    return con.execute("""
        SELECT b.organisation_id, g.name, b.value, b.value_text
        FROM benchmarks b JOIN organisations g USING (organisation_id)
        WHERE b.indicator_code = ? AND b.period_start = ? AND b.period_end = ?
        ORDER BY b.value NULLS LAST, g.name""", [indicator_code, period_start, period_end]).df()


def published_uploads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Loads that brought published national statistics (an officer's import, or the default build's embedded
    files): upload_id, uploaded_at and note (the sources and the licence line, as the importer wrote them)."""
    return con.execute("""
        SELECT u.upload_id, u.uploaded_at, u.note FROM uploads u
        WHERE u.rolled_back_by IS NULL AND u.upload_id IN (
            SELECT DISTINCT o.upload_id FROM observations o
            WHERE o.indicator_code IN (SELECT indicator_code FROM indicators WHERE family IN ('LAIT', 'EES')))
        ORDER BY u.upload_id""").df()


def plan_organisations(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each plan's council (plan id -> organisation id), for the councils an upload's rows are for."""
    return dict(con.execute("SELECT plan_id, organisation_id FROM plans").fetchall())
