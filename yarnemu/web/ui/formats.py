"""
How the web UI writes times, durations and sizes, as Hadoop's web UI writes them.
"""

import time

__all__ = ["format_time", "format_elapsed", "format_mb", "format_bytes", "format_percent"]

_BINARY_PREFIXES = ("K", "M", "G", "T", "P", "E")


def format_time(ms):
    """An epoch-ms time as ``2024-01-02 10:00:00`` in UTC (as YARN's newer web UI writes it,
    shorter than ``Times.format``, so that tables stay narrow); ``N/A`` for no time (0 or
    less)."""
    if ms is None or ms <= 0:
        return "N/A"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ms / 1000.0))


def format_elapsed(ms):
    """Hadoop's ``StringUtils.formatTime``: ``1hrs, 2mins, 3sec``, leaving out zero hours and
    minutes (``0sec`` for nothing)."""
    ms = max(int(ms), 0)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    parts = []
    if hours:
        parts.append(f"{hours}hrs")
    if minutes:
        parts.append(f"{minutes}mins")
    parts.append(f"{rest // 1000}sec")
    return ", ".join(parts)


def format_mb(mb):
    """
    A size in MB as Hadoop's ``StringUtils.byteDesc`` writes its bytes: ``8 GB``, ``1.50 GB``,
    ``512 MB`` (two decimals unless exact); ``0 B`` for nothing, ``-1`` as is (not held).
    """
    mb = int(mb)
    if mb < 0:
        return str(mb)
    return format_bytes(mb << 20)


def format_bytes(count):
    """
    Hadoop's ``StringUtils.byteDesc`` (``TraditionalBinaryPrefix.long2String(n, "B", 2)``):
    ``512 B``, ``1.50 KB``, ``8 GB`` — two decimals unless exact; negative counts as they are.
    """
    count = int(count)
    if count < 0:
        return str(count)
    if count < 1024:
        return f"{count} B"
    index = 0
    while index + 1 < len(_BINARY_PREFIXES) and count >= 1 << (10 * (index + 2)):
        index += 1
    shift = 10 * (index + 1)
    if count & ((1 << shift) - 1) == 0:
        return f"{count >> shift} {_BINARY_PREFIXES[index]}B"
    text = f"{count / (1 << shift):.2f}"
    if text.startswith("1024") and index + 1 < len(_BINARY_PREFIXES):
        index += 1
        text = f"{count / (1 << (shift + 10)):.2f}"
    return f"{text} {_BINARY_PREFIXES[index]}B"


def format_percent(value):
    """A percentage with one decimal: ``42.5 %``."""
    return f"{float(value):.1f} %"
