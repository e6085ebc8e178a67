"""The indicator assessment: which actual meets which target (or comparator), as an ordered table of rules in words.

Each rule is data (a key, what kind of verdict it gives, its words, and the test that finds its pair); the first rule
that applies gives the verdict, and its words are stated beside it. The Method page renders RULES as they are here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from dashboard.presenting.palette import STATUS_LABELS
from dashboard.rules.rag import DEFAULT_TOLERANCE, POLARITY_WORDS, indicator_rag

MEASURED, TRAJECTORY, COMPARATOR, NONE = "measured", "trajectory", "comparator", "none"
BASIS_WORDS = {MEASURED: "Measured against its target", TRAJECTORY: "Trajectory to its next target (projection)",
               COMPARATOR: "Against comparators (no target applies)", NONE: "No verdict"}
# A deadline's nearest earlier actual must be this recent to stand for it (a figure from years before says little).
NEAREST_BEFORE_WINDOW = timedelta(days=366)
COMPARATOR_ORDER = ("quartile", "statistical_neighbours", "england")
COMPARATOR_WORDS = {"statistical_neighbours": "statistical neighbours", "england": "England",
                    "quartile": "English councils"}


@dataclass(frozen=True)
class Period:
    """One period of a series: as written, its dates, and the (lowest) numeric actual and target stored for it."""

    text: str  # the period as the actual's row writes it (else the target's)
    start: date | None
    end: date | None
    actual: float | None = None
    target: float | None = None
    target_text: str | None = None  # a target written in words ('Targets to be set once baseline available')
    target_written: str | None = None  # the period as the target's row writes it ('by December 2005')
    conflict: bool = False  # the document gives two figures for this period; the lower is used

    @property
    def target_label(self) -> str:
        """The target's period as written."""
        return self.target_written or self.text

    @property
    def is_deadline(self) -> bool:
        """A target due by a date: written 'by ...', or a single month or day rather than a year."""
        short = self.start is not None and self.end is not None and (self.end - self.start).days <= 31
        return self.target_label.strip().lower().startswith("by ") or short


@dataclass(frozen=True)
class Comparator:
    """A comparator for a period: a figure (England, statistical neighbours), or the published quartile band the
    council's figure falls in (value None; band 'A' to 'D' as v_benchmarks gives it, or 'top', 'upper middle',
    'lower middle', 'bottom'), with how many councils were banded (of_n) when known."""

    group: str
    start: date | None
    end: date | None
    value: float | None
    band: str | None = None
    of_n: int | None = None


# Quartile bands as published (A the best quarter of councils by polarity, D the worst), and the older names.
BAND_QUARTERS = {"A": "the best quarter", "B": "the second-best quarter", "C": "the second-worst quarter",
                 "D": "the worst quarter"}
BAND_LETTERS = {"top": "A", "upper middle": "B", "lower middle": "C", "bottom": "D"}
BOTTOM_BAND = "D"
# A quartile band as a comparator verdict: the publisher has already applied polarity in ranking councils.
BAND_VERDICTS = {"A": "better", "B": "level", "C": "level", "D": "worse"}
# The figures a band's sentence gives beside it, in this order, as the sentence names them.
BESIDE_BAND = (("statistical_neighbours", "neighbours' mean"), ("england", "England"))


@dataclass(frozen=True)
class Verdict:
    """The assessment of one indicator: status key, basis, the rule applied, a sentence, and the pair compared."""

    status: str
    basis: str
    rule: str
    explanation: str
    period: str | None = None
    actual: float | None = None
    target: float | None = None
    target_period: str | None = None
    comparator: str | None = None  # the comparator sentence, when the data has one for the actual's period
    band: str | None = None  # the latest actual's published quartile band, A (best quarter) to D, when it has one


@dataclass(frozen=True)
class Rule:
    """One row of the rules table: its key, the kind of verdict, and the rule as users read it."""

    key: str
    basis: str
    title: str
    words: str
    pair: Callable[[Period, Period, list[Period]], bool] | None = field(default=None, repr=False, compare=False)


def _same_period(actual: Period, target: Period, _: list[Period]) -> bool:
    return actual.start == target.start and actual.end == target.end


def _deadline_in_period(actual: Period, target: Period, _: list[Period]) -> bool:
    return (target.is_deadline and None not in (actual.start, actual.end, target.end)
            and actual.start <= target.end <= actual.end)


def _same_end(actual: Period, target: Period, _: list[Period]) -> bool:
    return actual.end is not None and actual.end == target.end


def _nearest_before(actual: Period, target: Period, actuals: list[Period]) -> bool:
    if not target.is_deadline or actual.end is None or target.end is None or actual.end > target.end:
        return False
    if target.end - actual.end > NEAREST_BEFORE_WINDOW:
        return False
    later = [a for a in actuals if a.end is not None and a.end > target.end]
    between = [a for a in actuals if a.end is not None and actual.end < a.end <= target.end]
    return bool(later) and not between


RULES: tuple[Rule, ...] = (
    Rule("same_period", MEASURED, "Target for the same period",
         "The actual is compared with the target set for exactly the same period.", _same_period),
    Rule("deadline_in_period", MEASURED, "Target due by a date within the actual's period",
         "A target due by a date (written 'by ...', or for a single month or day) is compared with the actual for "
         "the period that date falls in: 100% by December 2005 is measured on the 2005/06 outturn, and a target "
         "by March 2003 on the 2002/03 outturn that ends then.", _deadline_in_period),
    Rule("same_end", MEASURED, "Target for a period ending the same day",
         "An actual and a target whose periods end on the same day are compared (a snapshot at March 2002 with "
         "the 2001/02 target).", _same_end),
    Rule("nearest_before", MEASURED, "Deadline passed: the nearest earlier actual",
         "When no actual covers a target's date but later figures show the date has passed, the target is compared "
         "with the last actual ending on or before that date, if it is less than a year before it.", _nearest_before),
    Rule("trajectory", TRAJECTORY, "Trajectory to the next target",
         "When the latest actual comes before the next target's date, the latest figure is projected to that date "
         "at the rate of change between the last two actuals: 'on course' if the projection meets the target, "
         "'not on course' if it does not. A projection, not a measured result, so never shown as red, amber or "
         "green. With one actual only, it is on course if that figure already meets the target."),
    Rule("comparator", COMPARATOR, "Against comparators",
         "With no target to measure or project to, the latest actual is compared with the comparators given for "
         "the same period: a published quartile band first, then statistical neighbours, else England. A band is "
         "where the figure falls among all councils with one, by polarity (LAIT's banding): band A, the best "
         "quarter, is better; band D, the worst quarter, is worse; B and C are level; the neighbours' mean and "
         "England are stated beside it. Without a band, better, level or worse than the neighbours' mean (else "
         "England), given polarity. A comparison, not a measured result, so never shown as red, amber or green."),
    Rule("no_target", NONE, STATUS_LABELS["no_target"],
         "There is an actual but no numeric target applies to it (none set, only words, or only for periods with "
         "no actual), and no comparator; the reason is given."),
    Rule("not_assessed", NONE, STATUS_LABELS["not_assessed"],
         "No numeric actual, an indicator with no better direction, or a single actual short of a later target "
         "(no rate to project): never shown as red or green; the reason is given."),
)
RULES_BY_KEY = {rule.key: rule for rule in RULES}
MEASURED_RULES = tuple(rule for rule in RULES if rule.basis == MEASURED)


def _fmt(value: float, unit: str = "") -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text + ("%" if unit == "percent" else "")


def _for(target: Period) -> str:
    label = target.target_label
    return label if label.strip().lower().startswith("by ") else f"for {label}"


def _measured(actual: Period, actuals: list[Period], targets: list[Period]) -> tuple[Rule, Period] | None:
    for rule in MEASURED_RULES:
        # Of several targets a rule pairs with one actual, the one due latest (the strictest date it covers).
        found = [t for t in targets if rule.pair(actual, t, actuals)]
        if found:
            return rule, max(found, key=lambda t: (t.end or date.min, -(t.target or 0)))
    return None


def _meets(value: float, target: float, polarity: str, tolerance: float,
           tolerance_units: float | None = None) -> bool:
    if polarity == "higher":
        return value >= target
    if polarity == "lower":
        return value <= target
    return abs(value - target) <= (abs(target) * tolerance if tolerance_units is None else abs(tolerance_units))


def _measured_verdict(rule: Rule, actual: Period, target: Period, polarity: str, tolerance: float | None,
                      unit: str, latest: bool, tolerance_units: float | None = None) -> Verdict:
    rag = indicator_rag(actual.actual, target.target, polarity, tolerance, unit, tolerance_units)
    when = "" if latest else " (the latest period with a target; later figures have none)"
    sentence = (f"{rag.explanation} Measured: {actual.text} actual {_fmt(actual.actual, unit)} against the "
                f"target of {_fmt(target.target, unit)} {_for(target)}{when} (rule: {rule.title.lower()}).")
    if actual.conflict or target.conflict:
        sentence += (" The document gives conflicting figures for this period; the lower is used here and both are "
                     "shown with their lines.")
    return Verdict(rag.status, MEASURED, rule.key, sentence, actual.text, actual.actual, target.target,
                   target.target_label)


def _trajectory(actuals: list[Period], target: Period, polarity: str, tolerance: float,
                unit: str, tolerance_units: float | None = None) -> Verdict | None:
    rule = RULES_BY_KEY["trajectory"]
    latest = actuals[-1]
    due = f"the target of {_fmt(target.target, unit)} {_for(target)}"
    if len(actuals) < 2:
        if not _meets(latest.actual, target.target, polarity, tolerance, tolerance_units):
            return None
        return Verdict("on_course", TRAJECTORY, rule.key,
                       f"On course (trajectory): the only actual, {_fmt(latest.actual, unit)} for {latest.text}, "
                       f"already meets {due}; {POLARITY_WORDS[polarity]} (rule: {rule.title.lower()}).",
                       latest.text, latest.actual, target.target, target.target_label)
    before = actuals[-2]
    days = (latest.end - before.end).days
    rate = (latest.actual - before.actual) / days if days else 0.0
    projected = latest.actual + rate * (target.end - latest.end).days
    if unit == "percent":  # a share cannot pass 0% or 100%, however steep the recent change
        projected = min(100.0, max(0.0, projected))
    on = _meets(projected, target.target, polarity, tolerance, tolerance_units)
    word = "On course" if on else "Not on course"
    per_year = rate * 365.25
    sentence = (f"{word} (trajectory): from {_fmt(before.actual, unit)} ({before.text}) to "
                f"{_fmt(latest.actual, unit)} ({latest.text}), about {_fmt(per_year, '')}"
                f"{' percentage points' if unit == 'percent' else ''} a year, projects {_fmt(projected, unit)} by "
                f"{target.end:%B %Y} against {due}; {POLARITY_WORDS[polarity]} (rule: {rule.title.lower()}).")
    return Verdict("on_course" if on else "not_on_course", TRAJECTORY, rule.key, sentence, latest.text,
                   latest.actual, target.target, target.target_label)


def band_letter(band: str | None) -> str | None:
    """A quartile band as its letter, A (the best quarter) to D, or None when it is not a band."""
    letter = BAND_LETTERS.get(band, band)
    return letter if letter in BAND_QUARTERS else None


def _band_sentence(actual: Period, band: Comparator, same: dict[str, Comparator], polarity: str, unit: str) -> str:
    letter = band_letter(band.band)
    among = f"{band.of_n} councils" if band.of_n else COMPARATOR_WORDS["quartile"]
    beside = [f"{words} {_fmt(same[group].value, unit)}" for group, words in BESIDE_BAND
              if group in same and same[group].value is not None]
    how = f" ({POLARITY_WORDS[polarity]})" if polarity in POLARITY_WORDS else ""
    return (f"Band {letter}, {BAND_QUARTERS[letter]} of {among}{how}: {_fmt(actual.actual, unit)} for "
            f"{actual.text}" + "".join(f"; {words}" for words in beside) + ".")


def comparator_sentence(actual: Period, comparators: list[Comparator], polarity: str,
                        unit: str) -> tuple[str, str] | None:
    """(status, sentence) comparing an actual with its period's comparator, or None when there is none."""
    same = {c.group: c for c in comparators if c.start == actual.start and c.end == actual.end}
    for group in list(COMPARATOR_ORDER) + sorted(set(same) - set(COMPARATOR_ORDER)):
        if group not in same:
            continue
        other = same[group].value
        name = COMPARATOR_WORDS.get(group, group.replace("_", " "))
        letter = band_letter(same[group].band)
        if letter:
            return BAND_VERDICTS[letter], _band_sentence(actual, same[group], same, polarity, unit)
        if other is None:
            continue
        if polarity not in ("higher", "lower"):
            return "not_assessed", (f"{actual.text}: {_fmt(actual.actual, unit)} against {name} "
                                    f"{_fmt(other, unit)}; no better direction.")
        if actual.actual == other:
            return "level", f"Level with {name}: {_fmt(actual.actual, unit)} for {actual.text}, {name} the same."
        better = (actual.actual > other) == (polarity == "higher")
        word = "Better than" if better else "Worse than"
        return ("better" if better else "worse"), (
            f"{word} {name}: {_fmt(actual.actual, unit)} for {actual.text} against {_fmt(other, unit)}, "
            f"{POLARITY_WORDS[polarity]}.")
    return None


def assess_indicator(periods: list[Period], comparators: list[Comparator], polarity: str,
                     tolerance: float | None = None, unit: str = "", tolerance_units: float | None = None) -> Verdict:
    """The verdict for one indicator's series: the first rule of RULES that applies to its latest actual (the amber
    band is `tolerance_units` in the indicator's unit when given, else `tolerance`, a fraction of the target), with
    the latest actual's published quartile band when it has one."""
    verdict = _assess(periods, comparators, polarity, tolerance, unit, tolerance_units)
    actuals = _ordered([p for p in periods if p.actual is not None])
    if not actuals or not comparators:
        return verdict
    latest = actuals[-1]
    band = next((band_letter(c.band) for c in comparators
                 if (c.start, c.end) == (latest.start, latest.end) and band_letter(c.band)), None)
    return Verdict(**{**verdict.__dict__, "band": band}) if band else verdict


def _ordered(periods: list[Period]) -> list[Period]:
    # By end, then start (a period with no start as if it began at its end, and after one that truly does): a total
    # order of the query's periods, which come unsorted (store/queries.py finds the latest by the same key).
    return sorted((p for p in periods if p.end is not None),
                  key=lambda p: (p.end, p.start or p.end, p.start is None))


def _assess(periods: list[Period], comparators: list[Comparator], polarity: str, tolerance: float | None,
            unit: str, tolerance_units: float | None) -> Verdict:
    tol = DEFAULT_TOLERANCE if tolerance is None else tolerance
    ordered = _ordered(periods)
    actuals = [p for p in ordered if p.actual is not None]
    targets = [p for p in ordered if p.target is not None]
    if not actuals:
        rule = RULES_BY_KEY["not_assessed"]
        return Verdict("not_assessed", NONE, rule.key, "Not assessed: there is no numeric actual figure yet.")
    latest = actuals[-1]
    compared = comparator_sentence(latest, comparators, polarity, unit)
    comparator_words = compared[1] if compared else None
    if polarity not in ("higher", "lower", "band"):
        return Verdict("not_assessed", NONE, "not_assessed",
                       "Not assessed: this indicator has no better direction, so it is neither on nor off target.",
                       latest.text, latest.actual, comparator=comparator_words)
    found = _measured(latest, actuals, targets)
    if found:
        return _replace(_measured_verdict(found[0], latest, found[1], polarity, tolerance, unit, True, tolerance_units),
                        comparator_words)
    upcoming = [t for t in targets if t.end > latest.end]
    if upcoming:
        projected = _trajectory(actuals, upcoming[0], polarity, tol, unit, tolerance_units)
        if projected:
            return _replace(projected, comparator_words)
    for earlier in reversed(actuals[:-1]):
        found = _measured(earlier, actuals, targets)
        if found:
            return _replace(_measured_verdict(found[0], earlier, found[1], polarity, tolerance, unit, False, tolerance_units),
                            comparator_words)
    if compared:
        rule = RULES_BY_KEY["comparator"]
        return Verdict(compared[0], COMPARATOR, rule.key, f"{compared[1]} No target applies (rule: {rule.title.lower()}).",
                       latest.text, latest.actual, comparator=comparator_words)
    if len(actuals) == 1 and upcoming:
        nxt = upcoming[0]
        return Verdict("not_assessed", NONE, "not_assessed",
                       f"Not assessed: {latest.text} actual {_fmt(latest.actual, unit)} is the only figure, so there "
                       f"is no rate of change to project to the target of {_fmt(nxt.target, unit)} {_for(nxt)}, "
                       "which it does not meet yet.", latest.text, latest.actual)
    return Verdict("no_target", NONE, "no_target", _no_target_reason(latest, targets, ordered, unit),
                   latest.text, latest.actual)


def _replace(verdict: Verdict, comparator: str | None) -> Verdict:
    return Verdict(**{**verdict.__dict__, "comparator": comparator})


def _no_target_reason(latest: Period, targets: list[Period], ordered: list[Period], unit: str) -> str:
    head = f"No target: {latest.text} actual {_fmt(latest.actual, unit)}, but "
    if not targets:
        words = [p.target_text for p in ordered if p.target_text]
        if words:
            return head + f"the target is written in words only ('{words[-1]}'), not as a number."
        return head + "no numeric target is recorded for this indicator."
    last = targets[-1]
    return head + (f"no target applies to any period with an actual (the last target, {_fmt(last.target, unit)} "
                   f"{_for(last)}, has no actual for its period).")


# Worked examples for the Method page: (periods, polarity, unit), shaped like the embedded documents' figures.
EXAMPLES: tuple[tuple[tuple[Period, ...], str, str], ...] = (
    ((Period("04/05", date(2004, 4, 1), date(2005, 3, 31), actual=83.17),
      Period("by December 2005", date(2005, 12, 1), date(2005, 12, 31), target=100.0),
      Period("05/06", date(2005, 4, 1), date(2006, 3, 31), actual=98.95)), "higher", "percent"),
    ((Period("2006-2007", date(2006, 9, 1), date(2007, 8, 31), actual=47.9),
      Period("2007-2008", date(2007, 9, 1), date(2008, 8, 31), actual=42.5),
      Period("2008-2009", date(2008, 9, 1), date(2009, 8, 31), target=53.0)), "higher", "percent"),
    ((Period("98/99", date(1998, 4, 1), date(1999, 3, 31), actual=10.0),
      Period("99/00", date(1999, 4, 1), date(2000, 3, 31), actual=8.0),
      Period("2001/2002", date(2001, 4, 1), date(2002, 3, 31), target=6.0)), "lower", "percent"),
)

# A worked example of the band rule for the Method page: a published measure with no target, in band D of 151
# councils (illustrative figures, no council's).
BAND_EXAMPLE: tuple[tuple[Period, ...], tuple[Comparator, ...], str, str] = (
    (Period("2023/24", date(2023, 4, 1), date(2024, 3, 31), actual=58.0),
     Period("2024/25", date(2024, 4, 1), date(2025, 3, 31), actual=55.0)),
    (Comparator("quartile", date(2024, 4, 1), date(2025, 3, 31), None, "D", 151),
     Comparator("statistical_neighbours", date(2024, 4, 1), date(2025, 3, 31), 65.7),
     Comparator("england", date(2024, 4, 1), date(2025, 3, 31), 67.0)), "higher", "percent")
