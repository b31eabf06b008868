"""
Measuring helpers shared by the benchmarks: wall time, resident memory, and the result table
(figure, value, same-run reference, ratio).
"""

import gc
import resource
import time

__all__ = ["current_rss_bytes", "peak_rss_bytes", "timed", "Table"]


def current_rss_bytes():
    """The process's resident set size now, from /proc (Linux)."""
    with open("/proc/self/statm") as stream:
        pages = int(stream.read().split()[1])
    return pages * resource.getpagesize()


def peak_rss_bytes():
    """The process's peak resident set size so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def timed(function):
    """:return: ``(result, wall seconds)`` of ``function()``, with the GC collected first."""
    gc.collect()
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


class Table:
    """Rows of figure / value / reference / ratio, printed aligned."""

    def __init__(self, title):
        self.title = title
        self.rows = []

    def add(self, figure, value, reference=None, unit="", ratio=True):
        self.rows.append((figure, value, reference, unit, ratio))

    def render(self):
        lines = [self.title, ""]
        header = f"  {'figure':<34} {'value':>16} {'reference':>16} {'ratio':>8}"
        lines += [header, "  " + "-" * (len(header) - 2)]
        for figure, value, reference, unit, ratio in self.rows:
            shown_ratio = ""
            if ratio and reference not in (None, 0) and value is not None:
                shown_ratio = f"{value / reference:.2f}"
            lines.append(f"  {figure + (f' ({unit})' if unit else ''):<34} {_number(value):>16} "
                         f"{_number(reference):>16} {shown_ratio:>8}")
        return "\n".join(lines)


def _number(value):
    if value is None:
        return "-"
    if isinstance(value, float):
        if abs(value) >= 1e6:
            return f"{value / 1e6:,.2f} M"
        if abs(value) >= 1e4:
            return f"{value:,.0f}"
        return f"{value:,.2f}"
    return f"{value:,}"
