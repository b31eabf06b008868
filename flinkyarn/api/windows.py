"""
Window assigners, printed as Flink prints them (``TumblingEventTimeWindows(5000)``).  Sizes are
a :class:`datetime.timedelta` or whole milliseconds.

A window operator is named after its assigner's class (``TumblingEventTimeWindows``, as Flink
1.15+ names it) and described as ``Window(<assigner>, <trigger>, <functions>)``.
"""

from datetime import timedelta

from attrs import frozen

from flinkyarn.graph.errors import IllegalArgumentException
from flinkyarn.graph.simulation import WindowSpec

__all__ = [
    "WindowAssigner",
    "TumblingEventTimeWindows",
    "TumblingProcessingTimeWindows",
    "SlidingEventTimeWindows",
    "SlidingProcessingTimeWindows",
    "EventTimeSessionWindows",
    "ProcessingTimeSessionWindows",
    "GlobalWindows",
    "to_milliseconds",
]


def to_milliseconds(value, what="size"):
    """
    :param value: a :class:`~datetime.timedelta` or a number of milliseconds.
    :raise IllegalArgumentException: unless it is a positive whole number of milliseconds.
    """
    if isinstance(value, timedelta):
        milliseconds = value / timedelta(milliseconds=1)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        milliseconds = value
    else:
        raise IllegalArgumentException(
            f"The window {what} must be a timedelta or milliseconds, got {value!r}."
        )
    if milliseconds <= 0 or milliseconds != int(milliseconds):
        raise IllegalArgumentException(
            f"The window {what} must be a positive number of milliseconds, got {value!r}."
        )
    return int(milliseconds)


class WindowAssigner:
    """What every assigner offers the window API."""

    #: the default trigger's class name, for the operator description.
    trigger = "EventTimeTrigger"

    def spec(self):
        """:return: the :class:`~flinkyarn.graph.simulation.WindowSpec` for the runtime."""
        raise NotImplementedError

    @property
    def operator_name(self):
        return type(self).__name__


@frozen
class TumblingEventTimeWindows(WindowAssigner):
    """Fixed, non-overlapping event-time windows of ``size_ms``."""

    size_ms: int

    @classmethod
    def of(cls, size):
        return cls(to_milliseconds(size))

    def __str__(self):
        return f"TumblingEventTimeWindows({self.size_ms})"

    def spec(self):
        return WindowSpec(str(self), "event", size=self.size_ms)


@frozen
class TumblingProcessingTimeWindows(WindowAssigner):
    """Fixed, non-overlapping processing-time windows of ``size_ms``."""

    size_ms: int
    trigger = "ProcessingTimeTrigger"

    @classmethod
    def of(cls, size):
        return cls(to_milliseconds(size))

    def __str__(self):
        return f"TumblingProcessingTimeWindows({self.size_ms})"

    def spec(self):
        return WindowSpec(str(self), "processing", size=self.size_ms)


@frozen
class SlidingEventTimeWindows(WindowAssigner):
    """Event-time windows of ``size_ms`` starting every ``slide_ms``."""

    size_ms: int
    slide_ms: int

    @classmethod
    def of(cls, size, slide):
        return cls(to_milliseconds(size), to_milliseconds(slide, "slide"))

    def __str__(self):
        return f"SlidingEventTimeWindows({self.size_ms}, {self.slide_ms})"

    def spec(self):
        return WindowSpec(str(self), "event", size=self.size_ms, slide=self.slide_ms)


@frozen
class SlidingProcessingTimeWindows(WindowAssigner):
    """Processing-time windows of ``size_ms`` starting every ``slide_ms``."""

    size_ms: int
    slide_ms: int
    trigger = "ProcessingTimeTrigger"

    @classmethod
    def of(cls, size, slide):
        return cls(to_milliseconds(size), to_milliseconds(slide, "slide"))

    def __str__(self):
        return f"SlidingProcessingTimeWindows({self.size_ms}, {self.slide_ms})"

    def spec(self):
        return WindowSpec(str(self), "processing", size=self.size_ms, slide=self.slide_ms)


@frozen
class EventTimeSessionWindows(WindowAssigner):
    """Event-time sessions that close after a gap of ``gap_ms`` without records."""

    gap_ms: int

    @classmethod
    def with_gap(cls, gap):
        return cls(to_milliseconds(gap, "gap"))

    def __str__(self):
        return f"EventTimeSessionWindows({self.gap_ms})"

    def spec(self):
        return WindowSpec(str(self), "event", gap=self.gap_ms)


@frozen
class ProcessingTimeSessionWindows(WindowAssigner):
    """Processing-time sessions that close after a gap of ``gap_ms`` without records."""

    gap_ms: int
    trigger = "ProcessingTimeTrigger"

    @classmethod
    def with_gap(cls, gap):
        return cls(to_milliseconds(gap, "gap"))

    def __str__(self):
        return f"ProcessingTimeSessionWindows({self.gap_ms})"

    def spec(self):
        return WindowSpec(str(self), "processing", gap=self.gap_ms)


@frozen
class GlobalWindows(WindowAssigner):
    """One window per key, fired by a count trigger (``count_window``)."""

    count: int | None = None
    slide: int | None = None

    @property
    def trigger(self):
        # countWindow(size) purges after each firing; countWindow(size, slide) evicts instead.
        return "PurgingTrigger" if self.slide is None else "CountTrigger"

    @classmethod
    def create(cls):
        return cls()

    def __str__(self):
        return "GlobalWindows()"

    def spec(self):
        return WindowSpec(str(self), "count", size=self.count, slide=self.slide)
