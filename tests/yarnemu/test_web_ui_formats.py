"""
Tests for :mod:`yarnemu.web.ui.formats`: times, durations and sizes as the web UI writes them
(durations and sizes as Hadoop's ``StringUtils.formatTime`` and ``byteDesc`` write them).
"""

import pytest

from yarnemu.web.ui.formats import (
    format_bytes,
    format_elapsed,
    format_mb,
    format_percent,
    format_time,
)


def test_a_time_is_shown_in_utc_and_no_time_as_na():
    assert format_time(1_700_000_000_123) == "2023-11-14 22:13:20"
    assert format_time(0) == "N/A"
    assert format_time(-1) == "N/A"


@pytest.mark.parametrize(("ms", "text"), [
    (0, "0sec"),
    (999, "0sec"),
    (59_999, "59sec"),
    (60_000, "1mins, 0sec"),
    (3_723_000, "1hrs, 2mins, 3sec"),
    (3_600_000 + 5_000, "1hrs, 5sec"),
    (-5, "0sec"),
])
def test_an_elapsed_time_reads_as_hadoops_format_time(ms, text):
    assert format_elapsed(ms) == text


@pytest.mark.parametrize(("mb", "text"), [
    (0, "0 B"),
    (512, "512 MB"),
    (1024, "1 GB"),
    (1536, "1.50 GB"),
    (24_576, "24 GB"),
    (1_048_575, "1.00 TB"),  # rounds up to 1024.00 GB: the next prefix, as Hadoop does
    (-1, "-1"),
])
def test_a_size_in_mb_reads_as_hadoops_byte_desc(mb, text):
    assert format_mb(mb) == text


def test_bytes_below_a_kilobyte_have_no_prefix():
    assert [format_bytes(count) for count in (0, 1023, 1024, 1_800_000_000)] == [
        "0 B", "1023 B", "1 KB", "1.68 GB"]


def test_a_percentage_has_one_decimal():
    assert format_percent(12.345) == "12.3 %"
    assert format_percent(100) == "100.0 %"
