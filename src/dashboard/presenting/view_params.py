"""The view in a link: which query parameters the dashboard keeps in its URL, and how values are written there."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

# Every parameter a page may keep in the link, in the order a link lists them, with the kind of value it holds.
PARAMS: dict[str, str] = {
    "org": "text", "plan": "text", "as_at": "date",                       # the shared sidebar
    "bottom": "bool",                                                      # overview: bottom quartile, worsening
    "count": "text", "lead": "list", "status": "list", "overdue": "bool",  # RAG page: counting mode and filters
    "past": "bool",                                                        # RAG page: past their date
    "area": "text", "from": "date", "to": "date",                          # RAG page: drill-down and comparison
    "find": "text", "indicator": "text", "ind_area": "text",               # indicator trends
    "year": "text", "search": "text",                                      # efficiency
    "doc": "text", "line": "int",                                          # method: the cited line being read
    "agenda": "list", "step": "int", "mode": "text",                       # meeting mode
    "peer": "text", "topic": "text", "worse": "bool", "measure": "text",   # how we compare
    "v": "int",                                                            # the data version (latest upload id)
}


def encode(param: str, value) -> list[str]:
    """A value as the URL's strings for `param`; an empty list means 'leave it out' (the page's default)."""
    kind = PARAMS[param]
    if value is None:
        return []
    if kind == "list":
        return [str(v) for v in value]
    if kind == "bool":
        return ["1"] if value else []
    if kind == "date":
        return [value.isoformat()]
    text = str(value)
    return [text] if text else []


MAX_INT = 2 ** 53 - 1  # JavaScript's largest exact integer


def decode(param: str, values: list[str]):
    """The URL's strings for `param` as a value, or None when absent or unreadable (a hand-edited link)."""
    kind = PARAMS[param]
    if not values:
        return None
    if kind == "list":
        return [v for v in values if v]
    last = values[-1]
    try:
        if kind == "bool":
            return last in ("1", "true", "yes")
        if kind == "date":
            return date.fromisoformat(last)
        if kind == "int":
            # A hand-made link's 99999999999999999999: a widget (and the browser) holds integers up to 2^53.
            number = int(last)
            return number if abs(number) <= MAX_INT else None
    except ValueError:
        return None
    return last or None


def query_string(params: dict[str, list[str]]) -> str:
    """The parameters as a query string, in a fixed order so the same view always gives the same link."""
    ordered = [(key, value) for key in PARAMS for value in params.get(key, [])]
    return urlencode(ordered)


def share_url(base: str | None, params: dict[str, list[str]]) -> str:
    """The full link: the page's address (without any query) and the view's parameters."""
    query = query_string(params)
    return (base or "").split("?")[0] + (f"?{query}" if query else "")


def page_link(page: str, values: dict) -> str:
    """A relative link to another page of the dashboard (its url_path) showing these parameters' values."""
    params = {key: encode(key, value) for key, value in values.items()}
    query = query_string({key: value for key, value in params.items() if value})
    return page + (f"?{query}" if query else "")
