"""Write a deterministic synthetic national dataset of clearly fictional councils as seed CSVs (data/seed format)."""
from __future__ import annotations

import argparse
import csv
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

# Every name says it is made up; no real council, indicator or figure is ever written.
ORG_NAME = "Fictional Borough {:03d}"
ORG_ID = "fictional-borough-{:03d}"
INDICATOR_CODE = "FICT {:03d}"
DEFINITIONS_DOC = "F000"
FIRST_YEAR = 2015  # quarters run from 2015/16 Q1, ten financial years for 40 quarters
STATUSES = ("Red", "Amber", "Amber/Green", "Green", "Dark Green", "Complete")
UNITS = ("percent", "number", "rate_per_10000", "days")
STRATEGIC_AREAS = ("Keeping children safe", "Learning and achieving", "Being healthy", "Positive contribution",
                   "Economic well-being", "Service management")


@dataclass(frozen=True)
class Scale:
    """How much data to generate: councils x indicators x quarters x 3 measures, and actions per council."""

    councils: int = 150
    indicators: int = 250
    quarters: int = 40
    actions: int = 400
    status_reports: int = 8  # quarterly status reports per action (the last ones before the data ends)
    efficiency_lines: int = 40

    @property
    def observations(self) -> int:
        """Indicator values the dataset holds (actual, target and comparator per quarter)."""
        return self.councils * self.indicators * self.quarters * 3


NATIONAL = Scale()


def quarter_text(index: int) -> str:
    """The index-th quarter from FIRST_YEAR as a council writes it ('2015/16 Q1')."""
    year = FIRST_YEAR + index // 4
    return f"{year}/{(year + 1) % 100:02d} Q{index % 4 + 1}"


def quarter_end(index: int) -> str:
    """The last day of the index-th quarter, dd/mm/yyyy (Q1 ends 30 June)."""
    year = FIRST_YEAR + index // 4
    return {0: f"30/06/{year}", 1: f"30/09/{year}", 2: f"31/12/{year}", 3: f"31/03/{year + 1}"}[index % 4]


def _writer(path: Path, header: list[str]):
    handle = path.open("w", encoding="utf-8", newline="")
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header)
    return handle, writer


def _indicator(number: int) -> tuple[str, str, str]:
    """(unit, polarity, name) of indicator `number`, fixed by the number alone."""
    unit = UNITS[number % len(UNITS)]
    polarity = "lower" if number % 3 == 0 else "higher"
    return unit, polarity, f"Synthetic indicator {number:03d} (fictional, for benchmarks)"


def _written(unit: str, value: float) -> str:
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "number":
        return f"{round(value):,}"
    return f"{value:.1f}"


def write_reference(out: Path, scale: Scale) -> None:
    """organisations.csv and documents.csv: one fictional council and one fictional document each."""
    handle, writer = _writer(out / "organisations.csv", ["organisation_id", "name", "kind", "is_fictional"])
    with handle:
        for council in range(1, scale.councils + 1):
            writer.writerow([ORG_ID.format(council), ORG_NAME.format(council), "fictional", "true"])
    handle, writer = _writer(out / "documents.csv", ["doc_id", "file_name", "organisation_id", "title", "published"])
    with handle:
        writer.writerow([DEFINITIONS_DOC, "fictional-definitions.txt", ORG_ID.format(1),
                         "Synthetic indicator definitions (fictional, for benchmarks)", "synthetic"])
        for council in range(1, scale.councils + 1):
            writer.writerow([f"F{council:03d}", f"fictional-{council:03d}.txt", ORG_ID.format(council),
                             f"Synthetic plan of {ORG_NAME.format(council)} (fictional, for benchmarks)", "synthetic"])


def write_definitions(folder: Path, scale: Scale) -> None:
    """The indicator list, shared by every council (loaded once, like a national indicator set)."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, writer = _writer(folder / "indicators.csv", ["code", "aliases", "name", "unit", "polarity",
                                                         "polarity_basis", "tolerance", "family", "successor_of",
                                                         "source_line"])
    with handle:
        for number in range(1, scale.indicators + 1):
            unit, polarity, name = _indicator(number)
            writer.writerow([INDICATOR_CODE.format(number), f"FICT-{number:03d}", name, unit, polarity,
                             "definition", "", "local", "", number])


def write_council(folder: Path, council: int, scale: Scale) -> None:
    """One council's plan, areas, actions with status histories, indicator values and efficiency lines.
    Seeded by the council's number alone, so council 1 is the same whether 2 or 150 are generated."""
    rng = random.Random(f"fictional-council-{council}")
    folder.mkdir(parents=True, exist_ok=True)
    org, plan = ORG_ID.format(council), f"fb{council:03d}-plan"
    line = 0

    def next_line() -> int:
        nonlocal line
        line += 1
        return line

    handle, writer = _writer(folder / "plans.csv", ["plan_id", "title", "organisation", "period", "source_line"])
    with handle:
        writer.writerow([plan, f"{ORG_NAME.format(council)} Children's Plan (synthetic)", org, "2021-2025",
                         next_line()])
    priorities = []
    handle, writer = _writer(folder / "areas.csv", ["plan_id", "code", "parent_code", "level", "title",
                                                    "source_line"])
    with handle:
        for a, title in enumerate(STRATEGIC_AREAS, start=1):
            writer.writerow([plan, str(a), "", "strategic_area", title, next_line()])
            for p in range(1, 5):
                writer.writerow([plan, f"{a}.{p}", str(a), "priority", f"{title}: fictional priority {p}",
                                 next_line()])
                priorities.append(f"{a}.{p}")
    codes = []
    handle, writer = _writer(folder / "actions.csv", ["plan_id", "code", "parent_code", "area_code", "kind", "text",
                                                      "lead_officer", "lead_organisation", "due", "source_line"])
    with handle:
        for n in range(scale.actions):
            parent_index, task = divmod(n, 5)  # one action, then four tasks under it
            area = priorities[parent_index % len(priorities)]
            parent_code = f"{area}.{parent_index // len(priorities) + 1}"
            code = parent_code if task == 0 else f"{parent_code}{chr(ord('a') + task - 1)}"
            due_year = 2021 + rng.randrange(5)
            due = rng.choice((f"March {due_year}", f"September {due_year}", "ongoing", "tbc"))
            writer.writerow([plan, code, "" if task == 0 else parent_code, area, "action" if task == 0 else "task",
                             f"Fictional {'action' if task == 0 else 'task'} {n + 1} of {ORG_NAME.format(council)}",
                             f"Officer {rng.randrange(1, 40):02d} (fictional)", "", due, next_line()])
            codes.append(code)
    handle, writer = _writer(folder / "statuses.csv", ["plan_id", "action_code", "status", "effective", "as_at",
                                                       "commentary", "source_line"])
    with handle:
        first_report = scale.quarters - scale.status_reports
        for code in codes:
            rank = rng.randrange(len(STATUSES) - 1)
            for report in range(max(0, first_report), scale.quarters):
                rank = min(len(STATUSES) - 1, max(0, rank + rng.choice((-1, 0, 0, 0, 1))))
                writer.writerow([plan, code, STATUSES[rank], "", quarter_end(report),
                                 rng.choice(("", "", "On track (fictional)", "Delayed by a fictional supplier")),
                                 next_line()])
    handle, writer = _writer(folder / "indicator_areas.csv", ["indicator_code", "plan_id", "area_code",
                                                              "source_line"])
    with handle:
        for number in range(1, scale.indicators + 1):
            writer.writerow([INDICATOR_CODE.format(number), plan, priorities[number % len(priorities)], next_line()])
    handle, writer = _writer(folder / "observations.csv", ["indicator_code", "organisation", "period", "period_type",
                                                           "measure", "comparator_group", "value", "flags", "note",
                                                           "source_line"])
    with handle:
        for number in range(1, scale.indicators + 1):
            unit, polarity, _ = _indicator(number)
            level = rng.uniform(20, 80) if unit == "percent" else rng.uniform(50, 5000)
            drift = rng.uniform(-0.01, 0.01)
            code, source = INDICATOR_CODE.format(number), next_line()
            for quarter in range(scale.quarters):
                period = quarter_text(quarter)
                actual = level * (1 + drift * quarter + rng.gauss(0, 0.03))
                target = level * (1 + drift * quarter + (0.02 if polarity == "higher" else -0.02))
                comparator = level * (1 + rng.gauss(0, 0.05))
                if unit == "percent":
                    actual, target, comparator = (min(99.9, max(0.1, v)) for v in (actual, target, comparator))
                writer.writerow([code, org, period, "", "actual", "", _written(unit, actual), "", "", source])
                writer.writerow([code, org, period, "", "target", "", _written(unit, target), "", "", source])
                writer.writerow([code, org, period, "", "comparator", "statistical_neighbours",
                                 _written(unit, comparator), "", "", source])
    handle, writer = _writer(folder / "efficiency.csv", ["organisation", "year", "directorate", "category",
                                                         "description", "line_type", "unit", "cashable",
                                                         "non_cashable", "total", "stage", "source_line"])
    with handle:
        for n in range(scale.efficiency_lines):
            year = 2020 + n % 5
            cashable, non_cashable = rng.randrange(10, 500), rng.randrange(0, 200)
            writer.writerow([org, f"{year}/{(year + 1) % 100:02d}", rng.choice(("Children's Services", "Resources")),
                             rng.choice(("Procurement", "Transport", "Corporate services")),
                             f"Fictional efficiency line {n + 1}", "gain", "£000", f"{cashable:,}",
                             f"{non_cashable:,}", f"{cashable + non_cashable:,}", "forward_look", next_line()])


def generate(out: Path, scale: Scale = NATIONAL) -> Path:
    """Write the whole synthetic seed folder to `out` (replacing it); load it with dashboard.loading.build.build."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    write_reference(out, scale)
    write_definitions(out / DEFINITIONS_DOC, scale)
    for council in range(1, scale.councils + 1):
        write_council(out / f"F{council:03d}", council, scale)
    return out


def main(argv: list[str] | None = None) -> None:
    """Command line: python -m bench.generate OUT [--councils N] [--indicators N] [--quarters N]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--councils", type=int, default=NATIONAL.councils)
    parser.add_argument("--indicators", type=int, default=NATIONAL.indicators)
    parser.add_argument("--quarters", type=int, default=NATIONAL.quarters)
    args = parser.parse_args(argv)
    generate(args.out, Scale(councils=args.councils, indicators=args.indicators, quarters=args.quarters))


if __name__ == "__main__":
    main()
