"""The upload page's template downloads: blank or with the current data, as Excel with drop-downs or CSV, scoped to
the council and plan the officer chooses (only those within their scope)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.importer.officer import SETUP
from dashboard.loading import templates
from dashboard.store import queries
from dashboard.store.connection import connect
from dashboard.trust.access import Grant
from dashboard.ui.downloads import file_stem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def offer(db_path: Path, kind: str, person: Grant) -> None:
    """Draw the council and plan pickers and the two template buttons for `kind`."""
    with connect(db_path, read_only=True) as scope_con:
        councils = queries.all_organisations(scope_con)
        councils = councils[[person.covers(org) for org in councils["organisation_id"]]]
        council_names = dict(zip(councils["organisation_id"], councils["name"]))
        scope_org = st.selectbox("Templates for", [None, *council_names], key="template_council",
                                 format_func=lambda org: "Every council" if org is None else council_names[org])
        plan_titles = {} if scope_org is None else \
            dict(queries.plans(scope_con, scope_org)[["plan_id", "title"]].values)
    # Offered once a council is chosen (a disabled picker's faint text fails the contrast check).
    scope_plan = st.selectbox("Plan", [None, *plan_titles], key="template_plan",
                              format_func=lambda plan: "Every plan" if plan is None else plan_titles[plan]) \
        if plan_titles else None
    workbook = kind == SETUP
    # Excel first: its drop-downs (status, measure, polarity, the chosen council's plans) prevent most mistakes.
    excel = workbook or st.radio("Template format", ["Excel (.xlsx) with drop-downs", "CSV"], horizontal=True,
                                 key="template_format") != "CSV"
    left, right = st.columns(2)
    suffix, mime, word = ("xlsx", XLSX, "Excel") if excel else ("csv", "text/csv", "CSV")
    scope_name = "-".join(part for part in (kind, scope_org, scope_plan) if part)

    def _blank_template(chosen: str = kind) -> bytes:
        with connect(db_path, read_only=True) as con:
            return templates.kind_workbook(con, chosen, scope_org, scope_plan)

    left.download_button("Set-up workbook with an example council (Excel)" if workbook else f"Blank template ({word})",
                         templates.workbook if workbook else _blank_template if excel else templates.blank(kind),
                         file_name=f"{file_stem(scope_name) if excel and not workbook else kind}-template.{suffix}",
                         mime=mime, key="blank_template")

    def _current_template(chosen: str = kind) -> bytes:
        # Written when the officer clicks, not on every rerun: at national scale it is every indicator value of
        # every council (millions of rows), which took longer than everything else on the page together.
        with connect(db_path, read_only=True) as con:
            if chosen == SETUP:
                return templates.workbook(con, scope_org, scope_plan, current_data=True)
            if excel:
                return templates.kind_workbook(con, chosen, scope_org, scope_plan, current_data=True)
            return templates.prefilled(con, chosen, scope_org, scope_plan)

    right.download_button("Set-up workbook with the current data (Excel)" if workbook else
                          f"Template with the current data ({word})", _current_template,
                          file_name=f"{file_stem(scope_name)}-current.{suffix}", mime=mime, key="current_template")

