"""Recognise every organisation a published file names, however it is written (name variant, LA number, ONS code),
through organisation_aliases; England, the regions and every LA not yet known become organisations."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dashboard.parsing.identity import organisation_key

# A region as LAIT's neighbour models and values write it for London boroughs -> the region organisation.
REGION_NAMES = {"inner london": "London", "outer london": "London", "london inner": "London",
                "london outer": "London"}
# EES publishes Inner and Outer London at its regional level; they are groupings within the London region (LAIT
# writes them 'London (Inner)' and 'London (Outer)'), not regions.
GROUPS = {"inner london": "London (Inner)", "outer london": "London (Outer)"}


@dataclass
class Organisations:
    """The known organisations and their aliases, growing as a published import names new ones."""

    aliases: dict[str, str]                      # alias_key -> organisation_id
    names: dict[str, str]                        # organisation_id -> name
    kinds: dict[str, str]                        # organisation_id -> kind
    new: list[dict] = field(default_factory=list)
    new_aliases: list[dict] = field(default_factory=list)

    @classmethod
    def from_rows(cls, organisations: list[tuple], aliases: list[tuple]) -> Organisations:
        """From (organisation_id, name, kind, ons_code, la_number) rows and (alias_key, organisation_id) rows."""
        known = cls({}, {}, {})
        for organisation_id, name, kind, ons_code, la_number in organisations:
            known.names[organisation_id], known.kinds[organisation_id] = name, kind
            for written in (name, ons_code, la_number):
                if written:
                    known.aliases.setdefault(organisation_key(written), organisation_id)
        known.aliases.update(dict(aliases))
        return known

    def find(self, *written: str | None) -> str | None:
        """The organisation any of these spellings (tried in order) names, or None."""
        for text in written:
            if text:
                found = self.aliases.get(organisation_key(text))
                if found:
                    return found
        return None

    def region_name(self, written: str | None) -> str | None:
        """A region's name as its organisation has it (London for 'Inner London'), or as written."""
        if not written:
            return None
        written = REGION_NAMES.get(organisation_key(written), written)
        found = self.find(written)
        return self.names[found] if found and self.kinds.get(found) == "region" else written

    def resolve(self, area: str | None, code: str | None, ons_code: str | None, level: str,
                region: str | None, row: int | None) -> str | None:
        """The organisation of one published area, adding it (and its spellings as aliases) when new. An LA is
        found by its LA number first, then its ONS code, then its name; England and regions by name, then code."""
        if level == "region" and organisation_key(area or "") in GROUPS:
            level, area = "area group", GROUPS[organisation_key(area)]
        if level == "local authority":
            found = self.find(code, ons_code, area)
        else:
            found = self.find(area, ons_code)
        if found is None:
            if not area:
                return None
            found = self._add(area, level, code if level == "local authority" else None, ons_code,
                              self.region_name(region) if level == "local authority" else None, row)
        for written in (area, ons_code, code if level == "local authority" else None):
            if written and organisation_key(written) not in self.aliases:
                self.aliases[organisation_key(written)] = found
                self.new_aliases.append({"alias_key": organisation_key(written), "alias": written,
                                         "organisation_id": found, "upload_row": row})
        return found

    def _add(self, name: str, kind: str, la_number: str | None, ons_code: str | None, region: str | None,
             row: int | None) -> str:
        base = _slug(name) or "organisation"
        organisation_id = base
        for suffix in (la_number, ons_code, *range(2, 1000)):
            if organisation_id not in self.names:
                break
            if suffix:
                organisation_id = f"{base}-{suffix}".lower()
        self.names[organisation_id], self.kinds[organisation_id] = name, kind
        self.new.append({"organisation_id": organisation_id, "name": name, "kind": kind, "is_fictional": False,
                         "ons_code": ons_code, "la_number": la_number, "region": region, "upload_row": row})
        return organisation_id


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold().replace("&", " and ")).strip("-")
