"""How organisations are recognised however they are written: one normal form for names, ONS codes and LA numbers."""
from __future__ import annotations

import re

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def organisation_key(written: str) -> str:
    """The normal form an organisation's name or code is matched by: case, spacing, punctuation and
    'and'/'&' ignored, so 'Herefordshire,  County of' and 'herefordshire county of' are one key; a number keeps its
    leading zeros' absence ('0884' and '884' are one LA number)."""
    text = written.casefold().replace("&", " and ")
    key = _NOT_WORD.sub(" ", text).strip()
    return key.lstrip("0") or key if key.isdigit() else key
