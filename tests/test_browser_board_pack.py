"""Issue 21 item 1, board pack = screen: the pack downloaded from the Overview page of a running `streamlit run`
(where importing Streamlit makes its own Plotly template the process-wide default) prints a chart's axis labels
whole and where the command line's pack prints them; and the PDF is tagged (title, language, charts' alt text)."""
from __future__ import annotations

import re
import shutil
import subprocess
import time
import zlib
from html import unescape
from pathlib import Path

import pytest

from browser_support import ARTIFACTS, Server, browser, exceptions, require_browser, wait_for_app  # noqa: F401 (fixtures)
from upload_support import cli

HEREFORDSHIRE, DIRECTORATE_PLAN = "herefordshire-council", "hfd-cyp-directorate-plan-2009-11"
LEFT_MARGIN_PT = 15 / 25.4 * 72  # the pack's margin: a chart's text left of it was cut off the chart


def _words(pdf: Path) -> list[tuple[int, float, float, str]]:
    """Every word of the PDF as (page, x, y, text), read by poppler's pdftotext."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    words = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        for x, y, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page):
            words.append((number, float(x), float(y), unescape(text)))
    return words


def _ni65_y_axis(pdf: Path) -> list[tuple[float, str]]:
    """The y-axis tick labels of NI 65's chart, top to bottom, with their x positions."""
    words = _words(pdf)
    # The chart's title is the "NI 65 …" line followed by its direction, "(lower is better)", on the title's own
    # lines (titles are wrapped to fit a phone), before the chart's first tick label.
    titles = [i for i, (page, _, y, text) in enumerate(words)
              if text == "NI" and words[i + 1][3] == "65" and any(
                  w[3] == "(lower" and w[0] == page and 0 <= w[2] - y < 70 for w in words[i:i + 40])]
    assert titles, "NI 65's chart is not in the pack"
    page, _, top, _ = words[titles[-1]]
    bottom = next(y for p, _, y, text in words[titles[-1]:] if p == page and text == "Period")
    return [(x, text) for p, x, y, text in words if p == page and top < y < bottom and re.fullmatch(r"\d+", text)
            and x < 120]


@pytest.fixture(scope="module")
def ni65_db(seed_db, tmp_path_factory) -> Path:
    """The embedded data with NI 65's 2008/09 actual uploaded by an officer (16%, worse than 14%), so NI 65 is
    worsening and the pack draws its chart."""
    db = tmp_path_factory.mktemp("pack") / "dashboard.duckdb"
    shutil.copy(seed_db, db)
    source = db.with_name("ni65.csv")
    source.write_text("indicator_code,organisation,period,measure,value\n"
                      "NI 65,herefordshire-council,2008/09,actual,16%\n", encoding="utf-8")
    result = cli(db, "import", "--yes", "--by", "officer", str(source))
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture(scope="module")
def ieg6_pack(ni65_db, tmp_path_factory) -> Path:
    """The command line's board pack of Herefordshire's IEG6 return at 31/03/2006, made once for the tests that read
    its tags with poppler (pdfinfo)."""
    require_browser()  # kaleido draws the charts in Chromium
    if not shutil.which("pdfinfo"):
        pytest.skip("needs poppler-utils (pdfinfo)")
    out = tmp_path_factory.mktemp("ieg6") / "pack.pdf"
    result = cli(ni65_db, "board-pack", "--org", HEREFORDSHIRE, "--plan", "hfd-ieg6-2006", "--as-at", "2006-03-31",
                 str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_the_board_pack_from_the_page_prints_the_axes_the_command_line_does(ni65_db, browser, tmp_path):
    require_browser()
    if not shutil.which("pdftotext"):
        pytest.skip("needs poppler-utils (pdftotext)")
    server = Server(ni65_db, tmp_path / "streamlit.log")
    try:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.goto(f"{server.url}/?org={HEREFORDSHIRE}&plan={DIRECTORATE_PLAN}&as_at=2010-03-31")
        wait_for_app(page)
        with page.expect_download(timeout=120_000) as download_info:
            page.get_by_role("button", name="Board pack (PDF)").click()
        from_page = tmp_path / "from-page.pdf"
        download_info.value.save_as(from_page)
        assert exceptions(page) == []
        context.close()
        server.process.terminate()  # SIGTERM: the chart browser the pack started must not keep the server up
        started = time.monotonic()
        server.process.wait(timeout=15)
        stopped_in = time.monotonic() - started
    finally:
        server.stop()
    assert stopped_in < 10
    from_cli = tmp_path / "from-cli.pdf"
    result = cli(ni65_db, "board-pack", "--org", HEREFORDSHIRE, "--plan", DIRECTORATE_PLAN, "--as-at", "2010-03-31",
                 str(from_cli))
    assert result.returncode == 0, result.stderr

    page_axis, cli_axis = _ni65_y_axis(from_page), _ni65_y_axis(from_cli)
    # NI 65 runs 13% to 16%: the axis, from zero, is labelled every 2 points, and 14 and 16 are printed whole
    # (Streamlit's template printed them "4" and "6", cut by the chart's edge), inside the chart's width.
    assert [text for _, text in page_axis] == ["16", "14", "12", "10", "8", "6", "4", "2", "0"]
    assert all(x >= LEFT_MARGIN_PT for x, _ in page_axis), page_axis
    assert page_axis == cli_axis
    ARTIFACTS.mkdir(exist_ok=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(from_page), str(ARTIFACTS / "board-pack-from-page")],
                       check=True)


def test_the_board_pack_is_tagged_with_title_language_and_chart_alt_text(ieg6_pack):
    out = ieg6_pack
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    # The efficiency totals in columns of their own, not the printed cells joined by '|' (issue 21).
    assert "|" not in text and re.search(r"\nTotal +1,774 +1,691 +3,465 +document 002, line 313", text)
    document = out.read_bytes()  # fpdf2 writes its structure objects uncompressed
    assert b"/Lang (en-GB)" in document
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Title: +Board pack: Herefordshire Council, Implementing Electronic Government", info)
    assert re.search(r"Tagged: +yes", info)
    structure = subprocess.run(["pdfinfo", "-struct", str(out)], capture_output=True, text=True, check=True).stdout
    figures = re.findall(rb"/Alt (\((?:[^\\)]|\\.)*\)|<[0-9A-Fa-f]+>)", document, re.S)
    assert structure.count("Figure") == len(figures) >= 4  # RAG bars, two indicators, the efficiency gains
    alts = [_pdf_string(alt) for alt in figures]
    # Every segment's count, the ones too narrow to label on the chart too (Section 1's 2 Red).
    assert "Items by status, per area. Section 1 - Priority Outcomes (self-assessment): Red 2, Amber 18, Green 34, " \
           "Not assessed 19; Section 2 - Change Management (self-assessment): Red 16, Amber 6, Green 18." in alts
    assert any(alt.startswith("Gains by directorate 2006/07 (£000). Adult & Community: Cashable (£000) 653, "
                              "Non-cashable (£000) 445;") for alt in alts), alts


def _pdf_string(token: bytes) -> str:
    """A PDF string object as text: (literal) or <hex>, UTF-16 with a byte-order mark or PDFDocEncoding."""
    if token.startswith(b"<"):
        data = bytes.fromhex(token[1:-1].decode())
    else:
        data = re.sub(rb"\\(.)", lambda m: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1)),
                      token[1:-1], flags=re.S)
    return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1")


def test_without_chromium_the_page_refuses_the_pack_and_pngs_at_once_and_the_server_stops_on_sigterm(
        seed_db, browser, tmp_path, monkeypatch):
    require_browser()
    monkeypatch.setenv("BROWSER_PATH", "/nowhere/chromium")  # the server's environment: no Chromium for kaleido
    server = Server(seed_db, tmp_path / "streamlit.log")
    try:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(f"{server.url}/?org={HEREFORDSHIRE}&plan=hfd-ieg6-2006&as_at=2006-03-31")
        wait_for_app(page)
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "No board pack on this server: BROWSER_PATH is '/nowhere/chromium', which is not a program" in main
        assert "sudo apt-get install chromium" in main
        assert page.get_by_role("button", name="Board pack (PDF)").count() == 0
        # The server's PNG buttons are refused (disabled, saying why); Plotly's own camera button still works.
        server_pngs = page.locator('[data-testid="stDownloadButton"] button', has_text="PNG").all()
        assert server_pngs and all(button.is_disabled() for button in server_pngs)
        assert page.get_by_role("button", name="Download plot as a PNG").first.is_enabled()
        assert exceptions(page) == []
        context.close()
    finally:
        server.process.terminate()  # SIGTERM, as systemd or docker stop sends
        try:
            code = server.process.wait(timeout=10)
        finally:
            server.stop()
    assert code is not None


def _structure(pdf: Path) -> list[tuple[int, str]]:
    """The PDF's structure tree as poppler prints it with each element's text: (depth, line), without attributes."""
    printed = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [((len(line) - len(line.lstrip())) // 2, line.strip()) for line in printed.splitlines()
            if line.strip() and not line.strip().startswith("/")]


def _tables(tree: list[tuple[int, str]]) -> list[list[list[tuple[str, str]]]]:
    """Each Table of the tree as rows of (TH or TD, the cell's text)."""
    tables, row, cell = [], None, None
    for depth, line in tree:
        if line.startswith("Table"):
            tables.append([])
        elif line == "TR":
            row = []
            tables[-1].append(row)
        elif line.rstrip(":") in ("TH", "TD"):
            cell = [line.rstrip(":"), ""]
            row.append(cell)
        elif line.startswith('"') and cell is not None and depth >= 4:
            cell[1] += line.strip('"')
        elif depth <= 1:
            cell = None
    return [[[tuple(c) for c in r] for r in t] for t in tables]


def test_the_board_packs_tables_are_tagged_with_header_cells(ieg6_pack):
    """Issue 21 item 3: a screen reader reads each figure of the pack's tables with its column's heading."""
    out = ieg6_pack
    assert "/Scope /Column" in subprocess.run(["pdfinfo", "-struct", str(out)], capture_output=True, text=True,
                                              check=True).stdout
    tree = _structure(out)
    tables = _tables(tree)
    # RAG by area, red actions, red and worsening indicators, the efficiency totals, the sources (each a table).
    assert len(tables) >= 4
    for table in tables:
        heading, *rows = table
        assert heading and all(kind == "TH" for kind, _ in heading), heading
        assert rows and all(kind == "TD" for row in rows for kind, _ in row)
        assert all(len(row) == len(heading) for row in rows)  # a value under every heading
    by_heading = {tuple(text for _, text in table[0]): table for table in tables}
    rag = by_heading[("Area", "Red", "Amber", "Green", "Notrated", "Total", "Assessed", "Green orbetter")]
    # Each cell's drawing is its own element's content: the row reads in the order of its headings.
    assert [text for _, text in rag[1]][:5] == ["Section 1 - Priority Outcomes(self-assessment)", "2", "18", "34",
                                               "19"]
    efficiency = next(t for heading, t in by_heading.items() if heading[:4] == ("Line (£000)", "Cashable",
                                                                                 "Non-cashable", "Total"))
    assert ["Total", "1,774", "1,691", "3,465", "document 002, line 313"] in [[text for _, text in row]
                                                                            for row in efficiency[1:]]
    # The charts are still figures between the tables, in reading order.
    assert [line for depth, line in tree if depth == 1].count("Figure") >= 4


def test_the_board_packs_headings_and_paragraphs_are_tagged_and_its_footer_is_not_text(ieg6_pack):
    """A screen reader moves through the pack by its headings (H1 the title, H2 each section, H3 each part) and
    reads its sentences as paragraphs; the page footer is furniture, not read on every page."""
    out = ieg6_pack
    tree = _structure(out)
    headings = [(line.split()[0], tree[i + 1][1].strip('"')) for i, (depth, line) in enumerate(tree)
                if depth == 1 and line.split()[0] in ("H1", "H2", "H3")]
    assert headings[0] == ("H1", "Board pack")
    assert [text for tag, text in headings if tag == "H2"][1:] == [
        "1 RAG by strategic area", "2 Exceptions: red and worsening", "3 Key indicator charts",
        "4 Efficiency position", "5 What changed since the last refresh", "6 Sources of every figure"]
    assert ("H3", "Red actions and items (18)") in headings
    paragraphs = [tree[i + 1][1] for i, (depth, line) in enumerate(tree) if depth == 1 and line.startswith("P ")]
    assert any(text.startswith('"113 items (every task counted); 18 Red at 31/03/2006.') for text in paragraphs)
    # The footer is the last thing drawn on every page, marked as an artifact (pdfinfo prints tagged content only,
    # so the page streams are read): each page's last marked content is an artifact.
    marks = [re.findall(rb"/(\w+)(?: <<[^>]*>>)? B[DM]C", stream) for stream in _content_streams(out.read_bytes())]
    last_marks = [found[-1] for found in marks if found]  # the pages' streams: fonts and pictures mark nothing
    pages_count = int(re.search(r"Pages: +(\d+)", subprocess.run(["pdfinfo", str(out)], capture_output=True,
                                                                  text=True, check=True).stdout).group(1))
    assert len(last_marks) == pages_count and set(last_marks) == {b"Artifact"}, last_marks
    printed = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "page 1" in printed and "…" in printed  # still printed; a cell's text cut at a word says so


def _content_streams(document: bytes) -> list[bytes]:
    """Every stream of a PDF (each read to its /Length: compressed bytes may hold 'endstream' by chance), inflated
    where it is compressed."""
    streams = []
    for found in re.finditer(rb"/Length (\d+)(?:(?!stream).)*?stream\r?\n", document, re.S):
        raw = document[found.end():found.end() + int(found.group(1))]
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            streams.append(raw)
    return streams
