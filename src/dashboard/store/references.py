"""What the database already holds that an upload's rows refer to: the shapes the store's queries fill and the
importer checks each row against."""
from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.parsing.identity import resolve_organisation


def alias_key(code: str) -> str:
    """Normalise an indicator code so 'NI59', 'NI 59' and 'ni-59' are one indicator."""
    return "".join(ch for ch in code.upper() if ch.isalnum() or ch == ".")


@dataclass
class Known:
    """What already exists (in the database or earlier in the same batch), for checking references."""

    organisations: set[str] = field(default_factory=set)
    plans: set[str] = field(default_factory=set)
    areas: set[tuple[str, str]] = field(default_factory=set)
    actions: set[tuple[str, str]] = field(default_factory=set)
    aliases: dict[str, str] = field(default_factory=dict)  # alias_key -> canonical indicator code
    organisation_keys: dict[str, str] = field(default_factory=dict)  # identity.organisation_key -> organisation id
    structure: Structure | None = None  # what a set-up upload may change (loaded for those uploads only)

    found: dict[str, str] = field(default_factory=dict, repr=False)  # written code -> canonical, once looked up

    def organisation(self, written: str) -> str | None:
        """The id of the organisation a cell names (id, name, ONS code, LA number or alias, any case), or None."""
        return resolve_organisation(written, self.organisations, self.organisation_keys)

    def indicator(self, written: str) -> str | None:
        """The canonical code an indicator code or alias refers to, or None."""
        code = self.found.get(written)
        if code is None:
            code = self.aliases.get(alias_key(written))
            if code is not None:  # only hits: an alias added later in the batch may make a miss a hit
                self.found[written] = code
        return code


@dataclass
class Structure:
    """The structure already in the database that a set-up upload checks against and may change."""

    areas: dict[tuple[str, str], dict] = field(default_factory=dict)         # (plan, code) -> parent_code, title
    area_actions: dict[tuple[str, str], int] = field(default_factory=dict)   # actions filed under each area
    area_indicators: dict[tuple[str, str], int] = field(default_factory=dict)  # indicators reporting under it
    indicators: set[str] = field(default_factory=set)
    indicator_alias_keys: dict[str, list[str]] = field(default_factory=dict)  # code -> its alias keys
    links: set[tuple[str, str, str]] = field(default_factory=set)             # (indicator, plan, area)
    valued: dict[str, int] = field(default_factory=dict)                      # indicator -> values stored
