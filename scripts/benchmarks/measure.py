"""
Measuring helpers shared by the benchmarks: wall time, resident memory, and the result table
(figure, value, same-run reference, ratio) with its JSON form, which is how ``scripts/bench``
collects each benchmark's rows from a subprocess (``--json``).
"""

import gc
import json
import resource
import time

__all__ = ["current_rss_bytes", "peak_rss_bytes", "timed", "timed_cpu", "Table"]


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
    result, wall, _ = timed_cpu(function)
    return result, wall


def timed_cpu(function):
    """
    :return: ``(result, wall seconds, CPU seconds)`` of ``function()`` (CPU: this process's user
        and system time), with the GC collected first.  On a busy machine the wall time grows
        and the CPU time much less: the two side by side show how busy it was.
    """
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - start, time.process_time() - start_cpu


class Table:
    """
    Rows of figure / value / reference / ratio, printed aligned.

    A row's ratio is ``value / reference``, shown when ``ratio`` is true and both are known.
    """

    def __init__(self, title):
        self.title = title
        self.rows = []

    def add(self, figure, value, reference=None, unit="", ratio=True):
        self.rows.append((figure, value, reference, unit, ratio))

    def row(self, figure):
        """
        :return: the ``(figure, value, reference, unit, ratio)`` row named ``figure``.
        :raise KeyError: if there is none.
        """
        for row in self.rows:
            if row[0] == figure:
                return row
        raise KeyError(figure)

    def value(self, figure):
        """:return: the value of the row named ``figure`` (``KeyError`` if there is none)."""
        return self.row(figure)[1]

    def to_json(self):
        """
        :return: the rows as a JSON array of ``{"figure", "value", "reference", "unit",
            "ratio"}`` objects (the arguments of :meth:`add`), in order.
        """
        return json.dumps([
            {"figure": figure, "value": value, "reference": reference, "unit": unit,
             "ratio": ratio}
            for figure, value, reference, unit, ratio in self.rows
        ])

    @classmethod
    def from_json(cls, title, text):
        """
        :return: a table titled ``title`` with the rows of ``text`` (what :meth:`to_json` writes).
            A figure that already ends with its own `` (unit)`` has it removed, so that it is not
            shown twice.
        :raise ValueError: if ``text`` is not such an array.
        """
        rows = json.loads(text)
        if not isinstance(rows, list):
            raise ValueError("benchmark rows must be a JSON array")
        table = cls(title)
        for row in rows:
            if not isinstance(row, dict) or "figure" not in row or "value" not in row:
                raise ValueError(f"not a benchmark row: {row!r}")
            figure, unit = str(row["figure"]), row.get("unit") or ""
            if unit and figure.endswith(f" ({unit})"):
                figure = figure[:-len(unit) - 3]
            table.add(figure, row["value"], row.get("reference"), unit, bool(row.get("ratio", True)))
        return table

    def render(self, header=True):
        lines = [self.title, ""] if header else []
        heading = f"  {'figure':<44} {'value':>16} {'reference':>16} {'ratio':>8}"
        if header:
            lines += [heading, "  " + "-" * (len(heading) - 2)]
        for figure, value, reference, unit, ratio in self.rows:
            shown_ratio = ""
            if (ratio and isinstance(value, (int, float)) and isinstance(reference, (int, float))
                    and reference != 0):
                shown_ratio = f"{value / reference:.2f}"
            lines.append(f"  {figure + (f' ({unit})' if unit else ''):<44} {_number(value):>16} "
                         f"{_number(reference):>16} {shown_ratio:>8}")
        return "\n".join(lines)


def _number(value):
    if value is None:
        return "-"
    if isinstance(value, bool) or isinstance(value, str):
        return str(value)
    if isinstance(value, float):
        if abs(value) >= 1e6:
            return f"{value / 1e6:,.2f} M"
        if abs(value) >= 1e4:
            return f"{value:,.0f}"
        return f"{value:,.2f}"
    return f"{value:,}"
