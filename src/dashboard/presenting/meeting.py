"""Meeting mode's agenda: items (a strategic area, an indicator, the efficiency position) as short ids that fit in
a link, the default agenda, their titles, and stepping through them."""
from __future__ import annotations

from dataclasses import dataclass

EFFICIENCY = "efficiency"


@dataclass(frozen=True)
class Item:
    """One agenda item: its kind ('area', 'indicator' or 'efficiency') and what it names (an area or indicator code)."""

    kind: str
    ref: str = ""

    @property
    def id(self) -> str:
        """The item as written in a link: 'area:3', 'indicator:NI 59' or 'efficiency'."""
        return self.kind if self.kind == EFFICIENCY else f"{self.kind}:{self.ref}"


def parse(item_id: str) -> Item:
    """An agenda item from its id (the inverse of Item.id)."""
    kind, _, ref = item_id.partition(":")
    return Item(kind, ref)


def options(area_codes: list[str], indicator_codes: list[str], has_efficiency: bool) -> list[str]:
    """Every item a presenter may put on the agenda, areas first in the plan's order."""
    return ([Item("area", c).id for c in area_codes] + [Item("indicator", c).id for c in indicator_codes]
            + ([Item(EFFICIENCY).id] if has_efficiency else []))


def default_agenda(area_codes: list[str], red_indicator_codes: list[str], has_efficiency: bool,
                   most_indicators: int = 5) -> list[str]:
    """The agenda a meeting starts from: every strategic area, the red indicators (at most a few), the efficiency
    position."""
    return options(area_codes, red_indicator_codes[:most_indicators], has_efficiency)


def title(item_id: str, area_titles: dict[str, str], indicator_names: dict[str, str]) -> str:
    """An agenda item in words."""
    item = parse(item_id)
    if item.kind == "area":
        return f"Area: {area_titles.get(item.ref, item.ref)}"
    if item.kind == "indicator":
        return f"Indicator {item.ref}: {indicator_names.get(item.ref, '')}".rstrip(": ")
    return "Efficiency position"


def clamp(step: int | None, count: int) -> int:
    """A 1-based step kept within the agenda (1 when the agenda is empty or the link's step is out of range)."""
    if not count or step is None:
        return 1
    return min(max(1, step), count)
