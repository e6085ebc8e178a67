"""How organisations are recognised however they are written: one normal form for names, ONS codes and LA numbers,
the aliases an organisation is known by, and the resolution of a written organisation to its id."""
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


def alias_records(organisation_id: str, *written: str | None) -> list[dict]:
    """One organisation_aliases record per distinct key among the ways it is written (its id, name, ONS code, LA
    number, other names); blanks are skipped."""
    seen: dict[str, dict] = {}
    for text in (organisation_id, *written):
        if text and organisation_key(text) and organisation_key(text) not in seen:
            seen[organisation_key(text)] = {"alias_key": organisation_key(text), "alias": text,
                                            "organisation_id": organisation_id}
    return list(seen.values())


def organisation_aliases(organisations: list[dict]) -> list[dict]:
    """Each organisation's id, name, ONS code and LA number as aliases, so files that write any of them meet it
    (the first organisation to claim a key keeps it)."""
    seen: dict[str, dict] = {}
    for row in organisations:
        for record in alias_records(row["organisation_id"], row["name"], row.get("ons_code"), row.get("la_number")):
            seen.setdefault(record["alias_key"], record)
    return list(seen.values())


def resolve_organisation(written: str, ids: set[str], keys: dict[str, str]) -> str | None:
    """The id of the organisation a cell names: its id exactly, else its id, name, ONS code, LA number or another
    alias in any case and spacing (`keys`: organisation_key -> id); None when it names none."""
    if written in ids:
        return written
    return keys.get(organisation_key(written))
