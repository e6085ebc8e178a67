"""One colour-blind-safe RAG palette for tables and charts; every colour travels with its word."""
from __future__ import annotations

from dashboard.parsing.statuses import SCALE

# Chosen so neighbouring statuses differ in lightness as well as hue (readable with deuteranopia and in greyscale),
# and each text colour reaches WCAG AA contrast (4.5:1) on its background; so does the black or white text the
# tables' grid chooses itself (black on a relative luminance over 0.5), which is why amber is light enough for black.
STATUS_COLOURS: dict[str, tuple[str, str]] = {  # key: (background, text)
    "red": ("#B2182B", "#FFFFFF"),
    "amber": ("#F7B445", "#1A1A1A"),
    "amber_green": ("#C9DB74", "#1A1A1A"),
    "green": ("#1B7837", "#FFFFFF"),
    "dark_green": ("#00441B", "#FFFFFF"),
    "complete": ("#2166AC", "#FFFFFF"),
    "not_assessed": ("#BDBDBD", "#1A1A1A"),
    "no_target": ("#E0E0E0", "#1A1A1A"),
    # Projections and comparators: hues outside the RAG scale, so a trajectory is never read as a measured RAG.
    "on_course": ("#A6CEE3", "#1A1A1A"),
    "not_on_course": ("#6A3D9A", "#FFFFFF"),
    "better": ("#B8E0D2", "#1A1A1A"),
    "level": ("#D9D9D9", "#1A1A1A"),
    "worse": ("#8C510A", "#FFFFFF"),
}
# Every status's word: the action scale's from the scale itself (parsing/statuses.py), then the words of the
# positions only indicators have.
STATUS_LABELS = {status.key: status.label for status in SCALE} | {
    "no_target": "No target",
    "on_course": "On course (trajectory)", "not_on_course": "Not on course (trajectory)",
    "better": "Better than comparator", "level": "Level with comparator", "worse": "Worse than comparator",
}
SERIES_COLOURS = {  # indicator chart lines: the Okabe-Ito palette, safe for colour-blind readers
    "actual": "#0072B2", "target": "#D55E00", "forecast": "#0072B2", "baseline": "#777777",
    "statistical_neighbours": "#009E73", "england": "#CC79A7", "comparator": "#E69F00",
}
CASHABLE, NON_CASHABLE = "#0072B2", "#E69F00"
# Chart text (titles, ticks, legends, labels outside bars) on the charts' white: 17:1, well past WCAG AA's 4.5:1.
CHART_TEXT, GRID = "#1A1A1A", "#E5E5E5"
CHART_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#777777")  # Okabe-Ito


def background(status: str) -> str:
    """The background colour of a status."""
    return STATUS_COLOURS.get(status, STATUS_COLOURS["not_assessed"])[0]


def text_colour(status: str) -> str:
    """The text colour that reads on a status's background."""
    return STATUS_COLOURS.get(status, STATUS_COLOURS["not_assessed"])[1]


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour (0 black, 1 white)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, back: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours."""
    light, dark = sorted((luminance(foreground), luminance(back)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
