"""
Tests for :mod:`yarnemu.yarncli.format`: values rendered as Hadoop's Java renders them.  The
expected strings were printed by OpenJDK 17 (``DecimalFormat``, ``HashSet``,
``Float.toString``, ``SimpleDateFormat`` in UTC) or come from Hadoop's ``TestYarnCLI``.
"""

import datetime

import pytest

from yarnemu.records.states import YarnApplicationState
from yarnemu.yarncli import format as jfmt

UTC = datetime.timezone.utc


@pytest.mark.parametrize("rest_progress, printed", [
    (0, "0%"), (100, "100%"), (50, "50%"), (53.789, "53.79%"), (99.789, "99.79%"),
    (0.5, "0.5%"), (12.345, "12.35%"), (12.355, "12.35%"), (99.999, "100%"), (0.1, "0.1%"),
    (150, "150%"), (1234.56, "1234.56%"),
])
def test_percent_is_decimal_format_of_the_float_progress(rest_progress, printed):
    """Progress prints as DecimalFormat("###.##%") prints the report's float progress."""
    assert jfmt.percent(rest_progress) == printed


@pytest.mark.parametrize("added, printed", [
    (["YARN", "NON-YARN"], "[NON-YARN, YARN]"),
    (["NON-YARN", "YARN"], "[NON-YARN, YARN]"),
    (["MAPREDUCE", "SPARK", "APACHE FLINK", "YARN"], "[APACHE FLINK, SPARK, MAPREDUCE, YARN]"),
    (["b", "a"], "[a, b]"),
    (["Aa", "BB"], "[Aa, BB]"),
    (["BB", "Aa"], "[BB, Aa]"),
    ([f"t{i}" for i in range(1, 15)],
     "[t4, t5, t6, t7, t8, t9, t10, t12, t11, t14, t13, t1, t2, t3]"),
    (["flink", "streaming", "flink"], "[flink, streaming]"),
    ([], "[]"),
])
def test_java_set_iterates_as_java_hash_set(added, printed):
    """A set prints in java.util.HashSet's order: buckets, then insertion order, resized past 12."""
    assert jfmt.java_set(added) == printed


def test_enum_set_is_in_declaration_order():
    """An EnumSet prints its members in the enum's order, whatever order they were added in."""
    states = [YarnApplicationState.RUNNING, YarnApplicationState.SUBMITTED,
              YarnApplicationState.ACCEPTED]
    assert jfmt.enum_set(states, YarnApplicationState) == "[SUBMITTED, ACCEPTED, RUNNING]"


@pytest.mark.parametrize("value, printed", [
    (0, "0.0"), (8, "8.0"), (0.0166, "0.0166"), (1 / 3, "0.33333334"), (1e-4, "1.0E-4"),
    (1e7, "1.0E7"), (123.5, "123.5"), (0.001, "0.001"), (9999999, "9999999.0"),
    (2.5e-3, "0.0025"), (100, "100.0"),
])
def test_java_float_is_float_to_string(value, printed):
    """Floats print as Float.toString: shortest digits, plain from 1e-3 to 1e7, else E notation."""
    assert jfmt.java_float(value) == printed


@pytest.mark.parametrize("epoch_ms, printed", [
    (0, "Thu 01/Jan/70 12:00:00:00UTC"),
    (5, "Thu 01/Jan/70 12:00:00:05UTC"),
    (1700000000123, "Tue 14/Nov/23 10:13:20:123UTC"),
    (1589181370705, "Mon 11/May/20 07:16:10:705UTC"),
])
def test_health_update_time_is_hadoops_date_pattern(epoch_ms, printed):
    """Times print as "E dd/MMM/yy hh:mm:ss:SSzz": 12-hour clock, milliseconds, zone name."""
    assert jfmt.health_update_time(epoch_ms, UTC) == printed


def test_resource_and_java_string():
    """Resources print as <memory:M, vCores:V>; None, True and False as Java's null, true, false."""
    assert jfmt.resource(8192, 8) == "<memory:8192, vCores:8>"
    assert [jfmt.java_string(v) for v in (None, True, False, 7, "x")] == \
        ["null", "true", "false", "7", "x"]
