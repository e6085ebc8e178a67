"""The RAG rule and direction of travel, including the sentences users read."""
import pytest

from dashboard.rules.rag import indicator_rag
from dashboard.rules.travel import direction_of_travel


def test_amber_sentence_matches_what_users_read():
    result = indicator_rag(61.9, 65, "higher", None, "percent")
    assert result.status == "amber"
    assert result.explanation == "Amber: 3.1 points below target, tolerance 5%, higher is better."


@pytest.mark.parametrize("actual, target, polarity, status", [
    (70, 65, "higher", "green"), (65, 65, "higher", "green"), (62, 65, "higher", "amber"), (50, 65, "higher", "red"),
    (9, 10, "lower", "green"), (10.4, 10, "lower", "amber"), (12, 10, "lower", "red"),
    (10.3, 10, "band", "green"), (9.2, 10, "band", "amber"), (8, 10, "band", "red"),
])
def test_polarity_decides_the_side_of_the_target(actual, target, polarity, status):
    assert indicator_rag(actual, target, polarity).status == status


def test_own_tolerance_overrides_the_default():
    assert indicator_rag(62, 65, "higher", tolerance=0.01).status == "red"
    assert indicator_rag(62, 65, "higher", tolerance=0.10).status == "amber"


def test_missing_target_or_direction_is_never_red():
    assert indicator_rag(50, None, "higher").status == "no_target"
    assert indicator_rag(None, 60, "higher").status == "not_assessed"
    assert indicator_rag(50, 60, "none").status == "not_assessed"


def test_direction_of_travel_says_improving_or_worsening():
    assert direction_of_travel(13, 8, "lower").direction == "improving"
    assert direction_of_travel(44, 49, "higher").direction == "improving"
    assert direction_of_travel(97.8, 94.1, "higher").direction == "worsening"
    assert direction_of_travel(5, 5, "higher").direction == "no change"
    assert direction_of_travel(None, 5, "higher").direction == "unknown"
    assert "no better direction" in direction_of_travel(1, 2, "none").explanation
