"""Issue 21 item 3, in a real Chromium: each page has its own browser title, every chart's text reads at 4.5:1 or
better as the browser draws it, and every chart is followed by a collapsed table of its figures."""
from __future__ import annotations

import pytest

from browser_support import browser, page, server, wait_for_app  # noqa: F401 (fixtures)
from dashboard.presenting.palette import contrast_ratio

SERVICE = "Children's services performance"
HEREFORDSHIRE, IEG6 = "herefordshire-council", "hfd-ieg6-2006"
PAGES = {  # path: (the page's title, the query that gives it charts)
    "": ("Overview", f"org={HEREFORDSHIRE}&plan={IEG6}"),
    "rag": ("RAG by strategic area", f"org={HEREFORDSHIRE}&plan={IEG6}"),
    "indicators": ("Indicator trends", f"org={HEREFORDSHIRE}"),
    "efficiency": ("Efficiency", f"org={HEREFORDSHIRE}"),
    "method": ("Method and sources", ""),
    "meeting": ("Meeting mode", f"org={HEREFORDSHIRE}&plan={IEG6}&agenda=efficiency&mode=present&step=1"),
}
# Every piece of text Plotly draws in a chart: titles, tick labels, axis titles, legend entries, bar labels.
CHART_TEXT = ".gtitle, .xtick text, .ytick text, .xtitle, .ytitle, .legendtext, .bartext"


def _hex(rgb: str) -> str:
    parts = [int(float(p)) for p in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    return "#" + "".join(f"{p:02X}" for p in parts)


@pytest.mark.parametrize("path", list(PAGES), ids=[path or "overview" for path in PAGES])
def test_each_page_has_its_own_title_readable_chart_text_and_each_charts_figures(page, server, path):
    title, query = PAGES[path]
    page.goto(f"{server.url}/{path}" + (f"?{query}" if query else ""))
    wait_for_app(page)
    assert page.title() == f"{title} – {SERVICE}"
    charts = page.locator('[data-testid="stPlotlyChart"]')
    page.wait_for_timeout(500)  # Plotly draws after the element appears
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        texts = chart.locator(CHART_TEXT)
        assert texts.count(), "a chart with no text"
        # A bar's label is on the bar's colour when it is drawn within the bar, else on the chart's white.
        for fill, background in texts.evaluate_all(
                """els => els.filter(e => {
                    const r = e.getBoundingClientRect(), style = getComputedStyle(e);
                    return r.width > 0 && r.height > 0 && style.display !== 'none' && style.opacity !== '0'
                        && style.visibility !== 'hidden';  // a label too small to read is hidden, not shrunk
                }).map(e => {
                    const bar = e.closest('.point') && e.closest('.point').querySelector('path');
                    let back = 'rgb(255, 255, 255)';
                    if (bar) {
                        const t = e.getBoundingClientRect(), b = bar.getBoundingClientRect();
                        const x = t.left + t.width / 2, y = t.top + t.height / 2;
                        if (x > b.left && x < b.right && y > b.top && y < b.bottom) back = getComputedStyle(bar).fill;
                    }
                    return [getComputedStyle(e).fill, back];
                })"""):
            assert contrast_ratio(_hex(fill), _hex(background)) >= 4.5, (fill, background)
    # Each chart is followed by a collapsed table of its figures (the meeting page's charts too).
    expanders = page.locator('[data-testid="stExpander"]', has_text="The figures in the chart")
    assert expanders.count() >= charts.count(), expanders.all_inner_texts()
    if charts.count():
        details = expanders.first.locator("details")
        assert details.get_attribute("open") is None  # collapsed
