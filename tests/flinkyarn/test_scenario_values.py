"""
Tests for :mod:`flinkyarn.scenario.values`: durations, memory sizes and comparisons as a scenario
file writes them.
"""

import pytest

from flinkyarn.scenario.values import (
    Comparison,
    format_duration,
    parse_duration_ms,
    parse_size_mb,
)

# Durations


@pytest.mark.parametrize(
    ("text", "expected_ms"),
    [
        ("0s", 0),
        ("0", 0),
        (0, 0),
        ("500ms", 500),
        ("90s", 90_000),
        ("1m30s", 90_000),
        ("2h", 7_200_000),
        ("1.5s", 1_500),
        ("1d", 86_400_000),
        ("1h2m3s4ms", 3_723_004),
        (" 90s ", 90_000),
    ],
)
def test_parse_duration_accepts_the_documented_forms(text, expected_ms):
    """Durations are <number><unit> parts, largest unit first; "0" needs no unit."""
    assert parse_duration_ms(text) == expected_ms


def test_parse_duration_refuses_a_bare_number_text():
    """A bare "90" is refused: whether it means seconds or milliseconds would be a guess."""
    with pytest.raises(ValueError, match="90"):
        parse_duration_ms("90")


def test_parse_duration_refuses_a_bare_integer_and_says_a_unit_is_needed():
    """A YAML integer such as 90 (other than 0) is refused with a message asking for a unit."""
    with pytest.raises(ValueError, match="needs a unit"):
        parse_duration_ms(90)


def test_parse_duration_refuses_units_out_of_order():
    """"1s1m" is refused: units must go from largest to smallest."""
    with pytest.raises(ValueError, match="largest to smallest"):
        parse_duration_ms("1s1m")


def test_parse_duration_refuses_a_repeated_unit():
    """"1m2m" is refused: each unit appears once."""
    with pytest.raises(ValueError, match="once each"):
        parse_duration_ms("1m2m")


@pytest.mark.parametrize("text", ["abc", "", "   ", "10 seconds", "1m 30s", "1m30", "-5s", "s"])
def test_parse_duration_refuses_text_that_is_not_a_duration(text):
    """Anything that is not a sequence of <number><unit> parts is refused, naming an example."""
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration_ms(text)


@pytest.mark.parametrize("value", [True, False, None, 1.5, [1], {"s": 1}])
def test_parse_duration_refuses_values_of_other_types(value):
    """Booleans (YAML's yes/no), floats, None and collections are not durations."""
    with pytest.raises(ValueError, match="duration"):
        parse_duration_ms(value)


@pytest.mark.parametrize(
    ("milliseconds", "text"),
    [
        (0, "0s"),
        (500, "500ms"),
        (1_000, "1s"),
        (1_500, "1s500ms"),
        (90_000, "1m30s"),
        (3_600_000, "1h"),
        (7_200_000, "2h"),
        (86_400_000 + 60_000, "1d1m"),
    ],
)
def test_format_duration_writes_the_shortest_text(milliseconds, text):
    """format_duration writes the largest units first and leaves out zero parts."""
    assert format_duration(milliseconds) == text


@pytest.mark.parametrize("milliseconds", [0, 1, 999, 1_000, 61_001, 90_000, 3_723_004, 90_061_001])
def test_format_duration_round_trips_through_parse_duration(milliseconds):
    """What format_duration writes, parse_duration_ms reads back to the same milliseconds."""
    assert parse_duration_ms(format_duration(milliseconds)) == milliseconds


# Sizes


@pytest.mark.parametrize(
    ("value", "expected_mb"),
    [
        ("768m", 768),
        ("768M", 768),
        ("768mb", 768),
        ("768MB", 768),
        ("1g", 1024),
        ("2G", 2048),
        ("1gb", 1024),
        ("1t", 1024 * 1024),
        ("1024", 1024),
        (1024, 1024),
        (0, 0),
        (" 512m ", 512),
    ],
)
def test_parse_size_accepts_the_documented_forms(value, expected_mb):
    """Sizes are MB by default; m, g and t (optionally followed by b) scale them."""
    assert parse_size_mb(value) == expected_mb


def test_parse_size_refuses_a_negative_text():
    """"-1" is not a size."""
    with pytest.raises(ValueError, match="memory size"):
        parse_size_mb("-1")


def test_parse_size_refuses_a_negative_integer():
    """-1 (a YAML integer) is refused as negative."""
    with pytest.raises(ValueError, match="negative"):
        parse_size_mb(-1)


@pytest.mark.parametrize("value", ["x", "", "lots", "1.5g", "768k", "1g2m", None, 1.5, [768]])
def test_parse_size_refuses_what_is_not_a_size(value):
    """Text that is not <digits>[unit], and values of other types, are refused."""
    with pytest.raises(ValueError, match="memory size"):
        parse_size_mb(value)


@pytest.mark.parametrize("value", [True, False])
def test_parse_size_refuses_booleans(value):
    """True is an int to Python, but not a size to a person."""
    with pytest.raises(ValueError, match="memory size"):
        parse_size_mb(value)


@pytest.mark.parametrize("value", ["1024b", "512B"])
def test_parse_size_refuses_a_bytes_suffix(value):
    """
    "1024b" means 1024 bytes to Flink (MemorySize) and to a person; it must not be read as
    1024 MB. The format only knows MB, m, g and t, so a bare "b" suffix is refused.
    """
    with pytest.raises(ValueError, match="memory size"):
        parse_size_mb(value)


# Comparisons


@pytest.mark.parametrize(
    ("raw", "operator", "value"),
    [
        ("== 2", "==", 2),
        (">= 1", ">=", 1),
        ("<= 4", "<=", 4),
        ("> 0", ">", 0),
        ("< 3", "<", 3),
        (">=1", ">=", 1),
        (">= 0.5", ">=", 0.5),
        ("  < 3  ", "<", 3),
    ],
)
def test_comparison_parses_an_operator_and_a_number(raw, operator, value):
    """A string "OP N" gives that operator and N as a number."""
    assert Comparison.parse(raw) == Comparison(operator, value)


@pytest.mark.parametrize("raw", [2, 0, 1.5, "RUNNING", True])
def test_comparison_of_a_bare_value_means_equal(raw):
    """A bare value is compared for equality, as written."""
    assert Comparison.parse(raw) == Comparison("==", raw)


def test_comparison_equal_to_text_is_allowed():
    """"== x" compares for equality with the text x."""
    assert Comparison.parse("== x") == Comparison("==", "x")


@pytest.mark.parametrize("raw", [">= x", "< many", "> 1g"])
def test_comparison_refuses_ordering_of_a_non_number(raw):
    """>=, <=, >, < compare numbers: ">= x" is refused."""
    with pytest.raises(ValueError, match="compares numbers"):
        Comparison.parse(raw)


def test_comparison_applies_a_converter_to_bare_and_compared_values():
    """With a converter (e.g. sizes), both a bare value and the value after an operator convert."""
    assert Comparison.parse("1g", parse_size_mb) == Comparison("==", 1024)
    assert Comparison.parse(">= 1g", parse_size_mb) == Comparison(">=", 1024)
    assert Comparison.parse(768, parse_size_mb) == Comparison("==", 768)


def test_comparison_converter_errors_propagate():
    """A value the converter refuses raises the converter's ValueError."""
    with pytest.raises(ValueError, match="memory size"):
        Comparison.parse(">= lots", parse_size_mb)


@pytest.mark.parametrize(
    ("raw", "seen", "holds"),
    [
        ("== 2", 2, True),
        ("== 2", 3, False),
        (">= 1", 1, True),
        (">= 1", 5, True),
        (">= 1", 0, False),
        ("<= 4", 4, True),
        ("<= 4", 5, False),
        ("> 0", 1, True),
        ("> 0", 0, False),
        ("< 3", 2, True),
        ("< 3", 3, False),
        (2, 2, True),
        ("RUNNING", "RUNNING", True),
        ("RUNNING", "FINISHED", False),
    ],
)
def test_comparison_holds(raw, seen, holds):
    """holds(seen) applies the operator to the seen value and the expected one."""
    assert Comparison.parse(raw).holds(seen) is holds


def test_comparison_never_holds_for_nothing_seen():
    """A value that was not seen (None) satisfies no comparison."""
    assert Comparison.parse(">= 0").holds(None) is False
    assert Comparison.parse("== 0").holds(None) is False


def test_comparison_of_incomparable_values_does_not_hold():
    """Ordering a number against text does not raise; it simply does not hold."""
    assert Comparison.parse(">= 1").holds("many") is False


@pytest.mark.parametrize(
    ("raw", "text"),
    [("== 2", "2"), (2, "2"), (">= 1", ">= 1"), ("< 3", "< 3"), ("RUNNING", "RUNNING")],
)
def test_comparison_str_is_what_a_person_wrote(raw, text):
    """Equality shows the bare value; other operators show "OP value"."""
    assert str(Comparison.parse(raw)) == text
