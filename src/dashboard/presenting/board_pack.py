"""The board pack: a PDF for one plan and date (cover, RAG by area, exceptions, key indicator charts, the efficiency
position, what changed, and the source of every figure), built from the same queries and figure builders as the
pages; also `python -m dashboard board-pack`."""
from __future__ import annotations

import argparse
import contextlib
import io
import logging
import re
import sys
import textwrap
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.structure_tree import StructElem, StructureTreeBuilder
from fpdf.table import Table

from dashboard.charts.describe import describe
from dashboard.charts.efficiency import gains_bars
from dashboard.charts.rag import status_bars
from dashboard.charts.trends import trend_figure
from dashboard.presenting import exports
from dashboard.presenting.palette import STATUS_COLOURS, STATUS_LABELS
from dashboard.published.reading import LICENCE
from dashboard.reading import action_filters, efficiency_position, indicator_status, status_matrix, what_changed
from dashboard.reading.sources import item_source, since_words, source_words
from dashboard.store import queries
from dashboard.store.connection import connect, default_db_path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core: £, →, accents and dashes
MOST_CHARTS = 6  # key indicator charts: the red ones, then the worsening ones, at most this many


@dataclass
class _Source:
    """One figure and where it came from, for the sources section."""

    section: str
    figure: str
    source: str


def _amount(value) -> str:
    """£000 as the pages write it: 1,774 or 6,619.5; blank when the document gives none."""
    if value is None or pd.isna(value):
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


class _Leaf(StructElem):
    """A structure element holding drawn content (a table cell, a heading, a paragraph); a header cell carries its
    scope (the column it heads)."""

    __slots__ = ("a",)

    def __init__(self, struct_type: str, parent: StructElem, page_number: int, mcid: int, scope: str | None):
        super().__init__(struct_type=struct_type, parent=parent, kids=[mcid], page_number=page_number)
        self.a = f"<</O /Table /Scope /{scope}>>" if scope else None


class _Structure(StructureTreeBuilder):
    """fpdf2's structure tree with tables in it: Table > TR > TH / TD, nested, where fpdf2 itself tags only
    figures, flat under the document. Marked-content ids are counted per page over every element, nested too."""

    def __init__(self) -> None:
        super().__init__()
        self.nested: list[StructElem] = []

    def next_mcid_for_page(self, page_number: int) -> int:
        spid = self.spid_per_page_number.get(page_number)
        return 0 if spid is None else len(self.struct_tree_root.parent_tree.nums[spid])

    def group(self, struct_type: str, parent: StructElem | None, page_number: int) -> StructElem:
        """A structure element that holds others (a table, under the document; a row, under its table)."""
        element = StructElem(struct_type=struct_type, parent=parent or self.doc_struct_elem, kids=[],
                             page_number=page_number)
        if parent is None:
            self.doc_struct_elem.k.append(element)
        else:
            parent.k.append(element)
            self.nested.append(element)
        return element

    def leaf(self, struct_type: str, parent: StructElem | None, page_number: int, page,
             scope: str | None = None) -> tuple[_Leaf, int, int]:
        """An element holding drawn content (a cell under its row; a heading or paragraph under the document), with
        the marked-content id its drawing is wrapped in; returns the element, the id and the page's StructParents
        key."""
        mcid = self.next_mcid_for_page(page_number)
        spid = self.spid_per_page_number.setdefault(page_number, len(self.spid_per_page_number))
        element = _Leaf(struct_type, parent or self.doc_struct_elem, page_number, mcid, scope)
        element.pg = page  # its content is on this page (fpdf2 sets /Pg only on the document's own children)
        if parent is None:
            self.doc_struct_elem.k.append(element)
        else:
            parent.k.append(element)
            self.nested.append(element)
        self.struct_tree_root.parent_tree.nums[spid].append(element)
        return element, mcid, spid

    def __iter__(self):
        yield from super().__iter__()
        yield from self.nested


class _TaggedTable(Table):
    """fpdf2's table, tagged for screen readers: each row a TR, each heading cell a TH with its column scope,
    every other cell a TD, so a reader announces a value with its column's heading."""

    def render(self) -> None:
        pdf = self._fpdf
        self._tag = pdf.struct_builder.group("/Table", None, pdf.page)
        self._tag_row = None
        super().render()

    def _render_table_row(self, i, row_layout_info, cell_x_positions, **kwargs) -> None:
        pdf = self._fpdf
        if i < self._num_heading_rows and self._tag.k:
            # The headings again at the top of a new page: a pagination artifact, read once, not as a data row.
            self._tag_row = None
            pdf._out("/Artifact BMC")
            super()._render_table_row(i, row_layout_info, cell_x_positions, **kwargs)
            pdf._out("EMC")
            return
        self._tag_row = pdf.struct_builder.group("/TR", self._tag, pdf.page)
        super()._render_table_row(i, row_layout_info, cell_x_positions, **kwargs)

    def _render_table_cell(self, i, j, cell, row_height, cell_height_info=None, cell_x_positions=None, **kwargs):
        if cell_height_info is None or self._tag_row is None:  # measuring a cell, not drawing it
            return super()._render_table_cell(i, j, cell, row_height, cell_height_info, cell_x_positions, **kwargs)
        pdf = self._fpdf
        header = i < self._num_heading_rows
        _, mcid, spid = pdf.struct_builder.leaf("/TH" if header else "/TD", self._tag_row, pdf.page,
                                                pdf.pages[pdf.page], "Column" if header else None)
        pdf.pages[pdf.page].struct_parents = spid
        pdf._out(f"/{'TH' if header else 'TD'} <</MCID {mcid}>> BDC")
        try:
            return super()._render_table_cell(i, j, cell, row_height, cell_height_info, cell_x_positions, **kwargs)
        finally:
            pdf._out("EMC")


class _Pdf(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(format="A4")
        self.struct_builder = _Structure()  # before anything is drawn: tables are tagged too
        self.footer_text = footer_text
        self.set_auto_page_break(True, margin=15)
        self.set_margins(15, 15, 15)
        if (FONT_DIR / "DejaVuSans.ttf").is_file():
            self.add_font("Body", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.family_name = "Body"
        else:  # without DejaVu, the core font: text is reduced to Latin-1 by _text()
            self.family_name = "Helvetica"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family_name, "", 8)
        self._out("/Artifact BMC")  # page furniture, repeated on every page: not read as the document's text
        self.cell(0, 8, self.text_of(f"{self.footer_text} · page {self.page_no()}"), align="C")
        self._out("EMC")

    def text_of(self, text) -> str:
        text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
        if self.family_name != "Helvetica":
            return text
        return text.replace("→", "to").replace("…", "...").replace("–", "-").replace("’", "'").encode(
            "latin-1", "replace").decode("latin-1")

    def heading(self, text: str, size: int = 16, level: int = 2) -> None:
        """A heading, tagged H1 (the pack's title) or H2 (a section), so a screen reader can move between them."""
        self.set_font(self.family_name, "B", size)
        self._tagged_text(f"H{level}", text, size * 0.5)
        self.ln(2)

    def para(self, text: str, size: int = 10, bold: bool = False, tag: str = "P") -> None:
        """A paragraph, tagged P (or H3 for a section's sub-heading)."""
        self.set_font(self.family_name, "B" if bold else "", size)
        self._tagged_text(tag, text, size * 0.5)
        self.ln(1)

    def _tagged_text(self, tag: str, text: str, line_height: float) -> None:
        # Tagged content must stay on one page: a block that would cross the page's end starts a new page, and a
        # heading needs room for the start of what follows too (KEEP_WITH_HEADING), so it is not left alone at
        # the foot of one. A block taller than a page, which no pack has, is drawn untagged rather than tagged
        # across two pages.
        text = self.text_of(text)
        height = self.multi_cell(0, line_height, text, dry_run=True, output="HEIGHT")
        needed = height + (KEEP_WITH_HEADING if tag.startswith("H") else 0)
        if self.get_y() + needed > self.page_break_trigger and height <= self.page_break_trigger - self.t_margin:
            self.add_page()
        if self.get_y() + height > self.page_break_trigger:
            self.multi_cell(0, line_height, text, new_x="LMARGIN", new_y="NEXT")
            return
        _, mcid, spid = self.struct_builder.leaf(f"/{tag}", None, self.page, self.pages[self.page])
        self.pages[self.page].struct_parents = spid
        self._out(f"/{tag} <</MCID {mcid}>> BDC")
        self.multi_cell(0, line_height, text, new_x="LMARGIN", new_y="NEXT")
        self._out("EMC")

    def grid(self, frame: pd.DataFrame, widths: list[float] | None = None, status_column: str | None = None,
             size: int = 8) -> None:
        """A table; a status column's cells are filled with the status colour and keep the status word."""
        self.set_font(self.family_name, "", size)
        keys = {label: key for key, label in STATUS_LABELS.items()}
        table = _TaggedTable(self, col_widths=widths, text_align="LEFT", line_height=size * 0.55,
                             headings_style=_heading_style())
        header = table.row()
        for column in frame.columns:
            header.cell(self.text_of(column))
        for values in frame.itertuples(index=False):
            row = table.row()
            for column, value in zip(frame.columns, values):
                text = self.text_of(value if not isinstance(value, float) or not value.is_integer()
                                    else f"{value:,.0f}")
                key = keys.get(text) if column == status_column else None
                if key:
                    back, fore = STATUS_COLOURS[key]
                    style = _style(back, fore)
                    row.cell(text, style=style)
                else:
                    row.cell(text)
        table.render()
        self.ln(3)

    def chart(self, figure, width_mm: float = 180) -> None:
        """A chart drawn as vector graphics, its text kept as text (readable by screen readers, search and
        pdftotext), tagged as a figure with the chart's figures in words as its alternative text."""
        # Plotly drops its automatic margins when they would leave too small a plot, cutting long area names:
        # on paper every chart gets at least 400 px of height.
        height = max(int(figure.layout.height or 420), 400)
        svg = _for_fpdf(exports.figure_svg(figure, width=CHART_PX, height=height), self.family_name)
        if self.get_y() + width_mm * height / CHART_PX > self.h - 20:
            self.add_page()
        with _quiet_svg():
            self.image(io.BytesIO(svg), w=width_mm, alt_text=describe(figure))
        self.ln(3)


def _cut(text, width: int) -> str:
    """A text cut to fit its place, at a word, marked as cut ('…'): the whole is on the dashboard."""
    if not isinstance(text, str):
        return ""
    cut = textwrap.shorten(text, width, placeholder=" …")
    # A first word longer than the place (an address) would leave the mark alone: cut that word instead.
    return text[:width - 1] + "…" if cut == "…" else cut


def _clip(texts: pd.Series, width: int) -> list[str]:
    """Each text of a table's column cut by _cut."""
    return [_cut(text, width) for text in texts]


KEEP_WITH_HEADING = 25  # mm of what follows a heading that must fit under it: a table's heading and first row
CHART_PX = 800  # fpdf2 reads the SVG's pixels as points: at 180 mm wide its 16 px type prints at about 7.5 pt


def _for_fpdf(svg: bytes, family: str) -> bytes:
    """Plotly's SVG in the subset fpdf2 reads: dash lengths without units, and the pack's own embedded font."""
    svg = re.sub(rb"stroke-dasharray: ?([^;\"]*)", lambda m: b"stroke-dasharray: " + m.group(1).replace(b"px", b""),
                 svg)
    return re.sub(rb"font-family: ?[^;\"]*", b"font-family: " + family.encode(), svg)


@contextlib.contextmanager
def _quiet_svg():
    """fpdf2 logs each clip path it cannot draw; Plotly's only clip the plot area, which autorange fills."""
    svg_log = logging.getLogger("fpdf.svg")
    level = svg_log.level
    svg_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        svg_log.setLevel(level)


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(230, 230, 230))


def _style(back: str, fore: str):
    from fpdf.fonts import FontFace

    def rgb(colour: str) -> tuple[int, int, int]:
        return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return FontFace(color=rgb(fore), fill_color=rgb(back))


def build(con, organisation_id: str, plan_id: str, as_at: date) -> bytes:
    """The board pack as PDF bytes."""
    def run(query, *args):  # a function of store.queries, on this connection
        return query(con, *args)

    orgs = run(queries.organisations)
    org_name = orgs.set_index("organisation_id").loc[organisation_id, "name"]
    plans = run(queries.plans, organisation_id).set_index("plan_id")
    if plan_id not in plans.index:
        raise ValueError(f"{organisation_id} has no plan {plan_id!r}; its plans: {', '.join(plans.index)}")
    plan = plans.loc[plan_id]
    sources: list[_Source] = []
    pdf = _Pdf(f"{org_name} · {plan['title']} · as at {as_at:%d/%m/%Y}")
    # Tagged for screen readers: the document's title and language, and each chart's alternative text.
    pdf.set_title(f"Board pack: {org_name}, {plan['title']}, as at {as_at:%d/%m/%Y}")
    pdf.set_lang("en-GB")
    pdf.set_subject("Performance of plan actions, indicators and efficiency gains")
    pdf.set_creator("Children's services performance dashboard")

    # Cover
    pdf.add_page()
    pdf.ln(30)
    pdf.heading("Board pack", 26, level=1)
    pdf.heading(org_name, 18)
    pdf.para(f"{plan['title']} ({plan['period_text'] or 'period not stated'})", 13)
    pdf.para(f"Position as at {as_at:%d/%m/%Y}. Produced {datetime.now():%d/%m/%Y %H:%M} from the dashboard's data.",
             11)
    pdf.ln(6)
    pdf.para("Contents: 1 RAG by strategic area · 2 Exceptions: red and worsening · 3 Key indicator charts · "
             "4 Efficiency position · 5 What changed since the last refresh · 6 Sources of every figure", 11)
    pdf.para("Every status is written as a word; colour only supports it. 'Not assessed' items are counted but left "
             "out of every percentage. Figures are £000 where money.", 10)
    sources.append(_Source("Cover", f"Plan: {plan['title']}", source_words(plan["source_doc"], plan["source_line"])))

    # 1 RAG by area
    actions = run(queries.actions_at, plan_id, as_at)
    counts = action_filters.count_by_area(actions, "leaves")
    pdf.add_page()
    pdf.heading("1 RAG by strategic area")
    if counts.empty:
        pdf.para("This plan has no actions.")
    else:
        red_count = int((actions[actions["is_leaf"]]["status"] == "red").sum())
        pdf.para(f"{int(counts['items'].sum())} items (every task counted); {red_count} Red at {as_at:%d/%m/%Y}.",
                 11, bold=True)
        table = status_matrix.matrix(counts)
        pdf.grid(table.rename(columns={"Not assessed": "Not rated"}),
                 widths=[48] + [15] * (len(table.columns) - 2) + [24])
        pdf.chart(status_bars(counts, "Items by status, per area"))
        for row in actions[actions["is_leaf"]].itertuples():
            sources.append(_Source("RAG by area", f"{row.code} {row.status_label}",
                                   item_source(row)))
    assessed = indicator_status.assess(run(queries.indicator_positions, organisation_id, plan_id))
    if not assessed.empty:
        pdf.para("Indicators by RAG: " + ", ".join(
            f"{n} {STATUS_LABELS[k]}" for k, n in assessed["rag"].value_counts().items()) + ".", 10)

    # 2 Exceptions
    pdf.add_page()
    pdf.heading("2 Exceptions: red and worsening")
    red = actions[actions["status"] == "red"]
    pdf.para(f"Red actions and items ({len(red)})", 12, bold=True, tag="H3")
    if red.empty:
        pdf.para("No action or item is red at this date.")
    else:
        pdf.grid(pd.DataFrame({
            "Item": red["code"], "Status": red["status_label"], "Description": _clip(red["text"], 120),
            "Since": [since_words(*v) for v in zip(red["status_since"], red["since_reported"])],
            "Why": _clip(red["commentary"].fillna(""), 100),
            "Source": [item_source(row) for row in red.itertuples()]}),
            widths=[15, 14, 56, 21, 42, 32], status_column="Status")
    key_codes: list[str] = []
    for label, rows in (("Red indicators", assessed[assessed["rag"] == "red"] if not assessed.empty else assessed),
                        ("Worsening indicators", assessed[assessed["travel"] == "worsening"]
                         if not assessed.empty else assessed)):
        pdf.para(f"{label} ({len(rows)})", 12, bold=True, tag="H3")
        if rows.empty:
            pdf.para("None.")
            continue
        pdf.grid(pd.DataFrame({"Indicator": rows["indicator_code"], "Name": _clip(rows["name"], 70),
                               "RAG": rows["rag_label"], "Why": _clip(rows["rag_explanation"], 110),
                               "Direction": _clip(rows["travel_explanation"], 90)}),
                 widths=[22, 45, 16, 52, 45], status_column="RAG")
        key_codes += [c for c in rows["indicator_code"] if c not in key_codes]

    # 3 Key indicator charts
    pdf.add_page()
    pdf.heading("3 Key indicator charts")
    if not key_codes:
        pdf.para("No indicator of this plan is red or worsening.")
    by_code = assessed.set_index("indicator_code") if not assessed.empty else assessed
    for code in key_codes[:MOST_CHARTS]:
        info = by_code.loc[code]
        series = run(queries.indicator_series, code, organisation_id)
        pdf.para(f"{code} {info['name']}: {info['rag_label']}. {info['rag_explanation']} {info['travel_explanation']}",
                 9)
        pdf.chart(trend_figure(series, _cut(f"{code} {info['name']}", 80), info["unit"], info["polarity"])
                  , width_mm=165)
    if len(key_codes) > MOST_CHARTS:
        pdf.para(f"{len(key_codes) - MOST_CHARTS} more red or worsening indicator(s) are listed in section 2; "
                 "their charts are on the dashboard's Indicator trends page.", 9)
    shown_uploads: set[int] = set()
    for code in key_codes:
        series = run(queries.indicator_series, code, organisation_id)
        shown_uploads |= {int(u) for u in series["upload_id"].dropna()}
        for row in series.itertuples():
            sources.append(_Source("Indicators", f"{code} {row.measure} {row.period_text}: {row.value_written}",
                                   source_words(row.source_doc, row.source_line, row.upload_id, row.upload_row)))

    # 4 Efficiency position
    pdf.add_page()
    pdf.heading("4 Efficiency position")
    years = run(queries.efficiency_years, organisation_id)
    if not years:
        pdf.para("This council has no efficiency statement.")
    else:
        year = years[0]
        by_directorate = run(queries.efficiency_by, organisation_id, year, "directorate")
        summaries = run(queries.efficiency_summaries, organisation_id, year)
        pos = efficiency_position.position(by_directorate, summaries)
        pdf.para(f"Statement year {year}: gains £{pos.total_k:,.0f}k", 12, bold=True, tag="H3")
        for sentence in pos.sentences():
            pdf.para(f"- {sentence}", 10)
        pdf.chart(gains_bars(by_directorate, f"Gains by directorate {year} (£000)"))
        # The amounts as numbers in their own columns, as the Efficiency page shows them (the cells as printed,
        # joined by '|', read as "1,774|1,691|3,465").
        pdf.grid(pd.DataFrame({
            "Line (£000)": summaries["label"].fillna(summaries["summary"].str.replace("_", " ").str.capitalize()),
            **{heading: summaries[column].map(_amount) for heading, column in (
                ("Cashable", "cashable_k"), ("Non-cashable", "non_cashable_k"), ("Total", "total_k"))},
            "Source": [source_words(d, n) for d, n in zip(summaries["source_doc"], summaries["source_line"])]}),
            widths=[74, 22, 26, 20, 38])
        for row in run(queries.efficiency_lines, organisation_id, year, "").itertuples():
            sources.append(_Source("Efficiency", f"{row.directorate}: {_cut(str(row.description), 60)} "
                                                 f"£{row.total_k if pd.notna(row.total_k) else ''}k",
                                   source_words(row.source_doc, row.source_line, row.upload_id, row.upload_row)))
        for row in summaries.itertuples():
            amounts = ", ".join(f"{name} £{_amount(value)}k" for name, value in (
                ("cashable", row.cashable_k), ("non-cashable", row.non_cashable_k), ("total", row.total_k))
                if _amount(value))
            sources.append(_Source("Efficiency", f"{row.label if pd.notna(row.label) else row.summary}: {amounts}",
                                   source_words(row.source_doc, row.source_line)))

    # 5 What changed
    pdf.add_page()
    pdf.heading("5 What changed since the last refresh")
    for heading, sentences in what_changed.summarise(run, organisation_id, plan_id, as_at).sections:
        pdf.para(heading, 11, bold=True, tag="H3")
        for sentence in sentences:
            pdf.para(f"- {sentence}", 10)

    # 6 Sources
    pdf.add_page()
    pdf.heading("6 Sources of every figure")
    pdf.para("Each figure in this pack, with the document and line it was read from (the documents are kept in the "
             "dashboard's data/sources), or the officer's upload and row.", 9)
    for line in published_lines(run(queries.published_uploads), shown_uploads):
        pdf.para(line, 9, bold=True)
    pdf.grid(pd.DataFrame([(s.section, s.figure, s.source) for s in sources],
                          columns=["Section", "Figure", "Source"]), widths=[28, 112, 40], size=7)
    return bytes(pdf.output())


def published_lines(published: pd.DataFrame, shown_uploads: set[int]) -> list[str]:
    """For each load of published national statistics whose figures the pack shows, its sources and licence line
    as the importer recorded them (queries.published_uploads), with the date it was loaded."""
    rows = published[published["upload_id"].isin(shown_uploads)]
    return [f"Published national statistics (upload {int(r.upload_id)}, loaded "
            f"{pd.Timestamp(r.uploaded_at):%d/%m/%Y}): "
            + (r.note if isinstance(r.note, str) and LICENCE in r.note else f"{r.note or ''} {LICENCE}.".strip())
            for r in rows.itertuples()]


def write(db_path: Path, organisation_id: str, plan_id: str, as_at: date, out: Path) -> Path:
    """Build the pack from a database file and write it to `out`."""
    con = connect(db_path, read_only=True)
    try:
        pdf = build(con, organisation_id, plan_id, as_at)
    finally:
        con.close()
    out.write_bytes(pdf)
    return out


def _command(args: argparse.Namespace) -> int:
    try:
        as_at = date.fromisoformat(args.as_at)
    except ValueError:
        print(f"--as-at {args.as_at!r} is not a date like 2006-03-31.", file=sys.stderr)
        return 2
    missing = exports.missing_browser()
    if missing:  # refused before any work: kaleido would otherwise wait for a browser that is not there
        print(f"No board pack: {missing}", file=sys.stderr)
        return 1
    try:
        write(default_db_path(), args.org, args.plan, as_at, Path(args.out))
    except (KeyError, ValueError) as error:
        print(f"No board pack: {error}", file=sys.stderr)
        return 2
    except exports.ChartExportError as error:
        Path(args.out).unlink(missing_ok=True)
        print(f"No board pack: {error}", file=sys.stderr)
        return 1
    print(f"Board pack written to {args.out}.")
    return 0


def add_command(commands) -> None:
    """Register `board-pack` on the command line's subcommands."""
    parser = commands.add_parser("board-pack", help="write a board pack PDF for a plan and date")
    parser.add_argument("--org", required=True, help="organisation id, e.g. herefordshire-council")
    parser.add_argument("--plan", required=True, help="plan id, e.g. hfd-ieg6-2006")
    parser.add_argument("--as-at", required=True, help="the date, as YYYY-MM-DD")
    parser.add_argument("out", help="the PDF file to write")
    parser.set_defaults(run=_command)
