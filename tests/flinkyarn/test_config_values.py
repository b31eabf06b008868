"""
Tests for :mod:`flinkyarn.config.values`: Flink's memory, duration, boolean, number and list
syntaxes.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flinkyarn.config.values import (
    JAVA_INT_MAX,
    JAVA_LONG_MAX,
    Duration,
    MemorySize,
    format_java_double,
    format_java_float,
    join_list,
    parse_bool,
    parse_java_double,
    parse_java_float,
    parse_java_int,
    parse_java_long,
    parse_memory_mb_default,
    split_list,
)

MiB = 1 << 20


@pytest.mark.parametrize("text, expected", [
    ("768m", 768 * MiB),
    ("1g", 1 << 30),
    ("1024", 1024),
    ("512 mb", 512 * MiB),
    ("100 kb", 100 * 1024),
    ("1728MB", 1728 * MiB),
    ("  2 Gibibytes ", 2 << 30),
    ("3t", 3 << 40),
    ("7 bytes", 7),
    ("7b", 7),
    ("64 k", 64 * 1024),
    ("0", 0),
])
def test_memory_sizes_parse_with_flink_units(text, expected):
    """Memory sizes read whole numbers with Flink's unit labels, in any case; no unit means bytes."""
    assert MemorySize.parse(text).bytes == expected


def test_fractional_memory_sizes_are_refused_as_flink_refuses_them():
    """``1.5 gb`` is not a Flink memory size; the error says how to write it."""
    with pytest.raises(ValueError) as error:
        MemorySize.parse("1.5 gb")
    assert "'1.5 gb'" in str(error.value)
    assert "Memory size unit '.5 gb' does not match any of the recognized units" in str(error.value)
    assert "1536m" in str(error.value)


@pytest.mark.parametrize("text, message", [
    ("", "empty- or whitespace-only"),
    ("   ", "empty- or whitespace-only"),
    ("mb", "text does not start with a number"),
    ("-1m", "text does not start with a number"),
    ("12 xb", "Memory size unit 'xb' does not match"),
    ("99999999999999999999", "numeric overflow"),
    ("9000000 tb", "numeric overflow"),
])
def test_bad_memory_sizes_are_value_errors_quoting_the_text(text, message):
    """Every memory parse error is a ValueError quoting the text and Flink's reason."""
    with pytest.raises(ValueError) as error:
        MemorySize.parse(text)
    assert repr(text) in str(error.value)
    assert message in str(error.value)


@pytest.mark.parametrize("size, printed", [
    (MemorySize.of_mebibytes(1728), "1728 mb"),
    (MemorySize(1 << 30), "1 gb"),
    (MemorySize(1536 * MiB), "1536 mb"),
    (MemorySize(100 * 1024), "100 kb"),
    (MemorySize(1000), "1000 bytes"),
    (MemorySize(0), "0 bytes"),
    # Flink's toString falls back to bytes when every unit divides the size.
    (MemorySize(1 << 40), "1099511627776 bytes"),
    (MemorySize((1 << 40) + (1 << 30)), "1025 gb"),
])
def test_memory_sizes_print_as_flink_to_string(size, printed):
    """``str()`` is Flink's ``MemorySize.toString``: the largest unit that divides exactly."""
    assert str(size) == printed


@pytest.mark.parametrize("size, printed", [
    (MemorySize.of_mebibytes(1728), "1.688gb (1811939328 bytes)"),
    (MemorySize.of_mebibytes(192), "192.000mb (201326592 bytes)"),
    (MemorySize(1 << 30), "1024.000mb (1073741824 bytes)"),
    (MemorySize(536870920), "512.000mb (536870920 bytes)"),
    (MemorySize(0), "0 bytes"),
    (MemorySize(1024), "1024 bytes"),
    (MemorySize(1088), "1.063kb (1088 bytes)"),
])
def test_human_readable_form_matches_flink_messages(size, printed):
    """``to_human_readable`` is Flink's ``toHumanReadableString`` (half-up to three decimals)."""
    assert size.to_human_readable() == printed


@pytest.mark.parametrize("text, mebibytes", [
    ("1024", 1024), ("768", 768), ("1g", 1024), ("512 mb", 512), ("2048m", 2048),
])
def test_cli_memory_defaults_to_mebibytes(text, mebibytes):
    """``-jm``/``-tm`` values without a unit are MiB, as in FlinkYarnSessionCli."""
    assert parse_memory_mb_default(text) == MemorySize.of_mebibytes(mebibytes)


def test_cli_memory_errors_are_value_errors():
    """A bad ``-jm`` value is a ValueError quoting it."""
    with pytest.raises(ValueError, match="'lots'"):
        parse_memory_mb_default("lots")


def test_memory_units_and_arithmetic():
    """Sizes convert down to whole units, add, subtract and never go negative."""
    size = MemorySize.parse("1536m")
    assert (size.kibibytes, size.mebibytes, size.gibibytes) == (1536 * 1024, 1536, 1)
    assert size + MemorySize.parse("512m") == MemorySize.parse("2g")
    assert size - MemorySize.parse("512m") == MemorySize.parse("1g")
    with pytest.raises(ValueError):
        MemorySize.parse("1m") - MemorySize.parse("2m")
    assert MemorySize.parse("1m") < MemorySize.parse("2m")


def test_multiply_uses_the_shortest_decimal_of_the_double_as_flink_does():
    """1280 MiB × 0.4f is 536870920 bytes in Flink, because 0.4f widens to 0.4000000059604645."""
    assert MemorySize.of_mebibytes(1280).multiply(parse_java_float("0.4")).bytes == 536870920
    assert MemorySize.of_mebibytes(1280).multiply(0.4).bytes == 536870912
    assert MemorySize(10).multiply(0.25).bytes == 2


@pytest.mark.parametrize("text, nanos", [
    ("10 s", 10 * 10**9),
    ("5 min", 300 * 10**9),
    ("30000", 30 * 10**9),
    ("1h", 3600 * 10**9),
    ("500ms", 500 * 10**6),
    ("2 d", 2 * 86400 * 10**9),
    ("1 m", 60 * 10**9),
    ("3 minutes", 180 * 10**9),
    ("2 Seconds", 2 * 10**9),
    ("7 µs", 7000),
    ("9 nanos", 9),
    ("1 day", 86400 * 10**9),
])
def test_durations_parse_with_flink_units(text, nanos):
    """Durations read TimeUtils.parseDuration's labels; no unit means milliseconds."""
    assert Duration.parse(text).nanos == nanos


@pytest.mark.parametrize("text, message", [
    ("", "empty- or whitespace-only"),
    ("ten seconds", "text does not start with a number"),
    ("5 weeks", "Time interval unit label 'weeks' does not match"),
    ("1.5 s", "Time interval unit label '.5 s'"),
    ("-1 s", "text does not start with a number"),
])
def test_bad_durations_are_value_errors_quoting_the_text(text, message):
    """Every duration parse error is a ValueError quoting the text and Flink's reason."""
    with pytest.raises(ValueError) as error:
        Duration.parse(text)
    assert repr(text) in str(error.value)
    assert message in str(error.value)


@pytest.mark.parametrize("duration, printed", [
    (Duration.of_seconds(10), "10 s"),
    (Duration.of_minutes(5), "5 min"),
    (Duration.of_millis(1500), "1500 ms"),
    (Duration.of_seconds(90), "90 s"),
    (Duration.of_hours(1), "1 h"),
    (Duration(0), "0 ms"),
    (Duration(7000), "7 µs"),
    (Duration(7), "7 ns"),
    # formatWithHighestUnit falls back to milliseconds when every unit divides the duration.
    (Duration.of_hours(24), "86400000 ms"),
])
def test_durations_print_as_flink_does(duration, printed):
    """``str()`` is Flink's ``TimeUtils.formatWithHighestUnit``."""
    assert str(duration) == printed


def test_duration_conversions_for_the_clock():
    """A duration gives whole milliseconds (rounded down) and float seconds."""
    duration = Duration(1_500_999_999)
    assert duration.millis == 1500
    assert duration.seconds == pytest.approx(1.500999999)
    with pytest.raises(ValueError):
        Duration(-1)


@pytest.mark.parametrize("text, value", [
    ("true", True), ("TRUE", True), ("False", False), (" false ", False), (True, True),
])
def test_booleans_are_true_or_false_in_any_case(text, value):
    """Booleans are ``true``/``false`` in any case, as Flink's convertToBoolean."""
    assert parse_bool(text) is value


@pytest.mark.parametrize("text", ["yes", "1", "on", ""])
def test_other_booleans_are_refused(text):
    """``yes``, ``1`` and ``on`` are not booleans to Flink."""
    with pytest.raises(ValueError, match="Unrecognized option for boolean"):
        parse_bool(text)


def test_java_integers_have_java_ranges():
    """Integers read Java's syntax and ranges for int and long."""
    assert parse_java_int("+42") == 42
    assert parse_java_int(str(JAVA_INT_MAX)) == JAVA_INT_MAX
    assert parse_java_long(str(JAVA_LONG_MAX)) == JAVA_LONG_MAX
    for bad in ("2147483648", "1.0", "1_000", "", "0x10", True):
        with pytest.raises(ValueError):
            parse_java_int(bad)


def test_java_floats_round_to_32_bits():
    """A Float option holds the 32-bit value, as Flink's memory fractions compute with it."""
    assert parse_java_float("0.1") == 0.10000000149011612
    assert parse_java_double("0.1") == 0.1
    assert parse_java_double("1e3") == 1000.0
    assert parse_java_double("2.5f") == 2.5
    for bad in ("one", "1,5", "inf", ""):
        with pytest.raises(ValueError):
            parse_java_double(bad)


@pytest.mark.parametrize("value, printed", [
    (1.0, "1.0"), (10.0, "10.0"), (0.1, "0.1"), (2.5, "2.5"), (1e7, "1.0E7"),
    (1e-4, "1.0E-4"), (0.001, "0.001"), (-3.0, "-3.0"), (1.5e20, "1.5E20"), (0.0, "0.0"),
])
def test_doubles_print_as_java_does(value, printed):
    """Doubles print as Java's ``Double.toString`` (``taskmanager.cpu.cores=1.0``)."""
    assert format_java_double(value) == printed


def test_floats_print_as_java_does():
    """A 32-bit float prints its shortest form, as Java's ``Float.toString``."""
    assert format_java_float(parse_java_float("0.4")) == "0.4"
    assert format_java_float(parse_java_float("0.1")) == "0.1"


@pytest.mark.parametrize("text, items", [
    ("a;b;c", ["a", "b", "c"]),
    (" a ; b ", ["a", "b"]),
    ("'x;y';z", ["x;y", "z"]),
    ("\"it''s\";'it''s'", ["it''s", "it's"]),
    ("a;;b", ["a", "", "b"]),
    ("a;", ["a"]),
    ("", []),
    ("hdfs:///flink/lib;hdfs:///flink/plugins", ["hdfs:///flink/lib", "hdfs:///flink/plugins"]),
])
def test_lists_split_as_flink_splits_them(text, items):
    """``;``-separated lists split with Flink's quoting rules."""
    assert split_list(text) == items


@pytest.mark.parametrize("text", ["'open", "a'b", "'x'y"])
def test_badly_quoted_lists_are_refused(text):
    """An unclosed quote, or a quote inside an item, is an error."""
    with pytest.raises(ValueError, match="Could not split string"):
        split_list(text)


def test_lists_join_with_quotes_where_needed():
    """Items containing the delimiter or a quote are single-quoted, quotes doubled."""
    assert join_list(["a", "b;c", "it's"]) == "a;'b;c';'it''s'"


@given(st.integers(min_value=0, max_value=JAVA_LONG_MAX))
def test_memory_sizes_round_trip_through_their_printed_form(size):
    """Every memory size parses back from its printed form."""
    assert MemorySize.parse(str(MemorySize(size))) == MemorySize(size)


@given(st.integers(min_value=0, max_value=10**18))
def test_durations_round_trip_through_their_printed_form(nanos):
    """Every duration parses back from its printed form."""
    assert Duration.parse(str(Duration(nanos))) == Duration(nanos)


@given(st.lists(st.text(alphabet="ab ;'\"/:", min_size=1).filter(lambda s: s == s.strip()),
                max_size=5))
def test_lists_round_trip_through_their_joined_form(items):
    """Non-blank items without surrounding spaces split back from their joined form."""
    assert split_list(join_list(items)) == items
