"""Number parsing as the documents print figures: separators, percentages, dashes, blanks and text."""
import pytest

from dashboard.parsing.values import parse_value, to_thousands


@pytest.mark.parametrize("written, number", [
    ("1,774", 1774.0), ("11.8%", 11.8), ("-", 0.0), ("£1.65m", 1_650_000.0), ("(12)", -12.0),
    ("3,237,000", 3_237_000.0), ("0.5", 0.5), ("-,431,500", -431_500.0),
])
def test_printed_numbers(written, number):
    assert parse_value(written).number == number


def test_blank_is_unknown_not_zero():
    value = parse_value("  ")
    assert value.is_blank and value.number is None


@pytest.mark.parametrize("written", ["New indicator", "N/A", "To be set once baseline established", "reduce"])
def test_text_stays_text(written):
    value = parse_value(written)
    assert value.number is None and value.text == written


def test_money_units_convert_to_thousands():
    assert to_thousands("33,500", "£") == 33.5
    assert to_thousands("1,774", "£000") == 1774
    assert to_thousands("£1.65m", "£000") == 1650
    assert to_thousands("", "£000") is None
