"""
What the emulator simulates instead of running user code: how many records a source produces
and how fast, what one operator subtask can process, and how windows fire.  These values travel
with each chained operator in the JobGraph, so the runtime simulates a job from its JobGraph
alone (user functions never leave the client and are never called).

Rates are records per second of virtual time:

- a source's ``records_per_second`` is the rate of the whole source, split evenly over its
  subtasks (as Flink's ``RateLimiterStrategy.perSecond`` is); ``None`` means as fast as the
  downstream operators take them;
- a :class:`ProcessingCost`'s ``records_per_second`` is what *one* subtask of the operator can
  process; ``None`` means the operator costs nothing.
"""

from attrs import field, frozen

__all__ = ["BoundedSource", "UnboundedSource", "ProcessingCost", "WindowSpec", "split_evenly"]


def _non_negative_int(instance, attribute, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{attribute.name} must be a non-negative integer, got {value!r}")


def _optional_positive_number(instance, attribute, value):
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{attribute.name} must be a positive number or None, got {value!r}")


def _positive_number(instance, attribute, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{attribute.name} must be a positive number, got {value!r}")


def _non_negative_number(instance, attribute, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"{attribute.name} must be a non-negative number, got {value!r}")


def split_evenly(total, index, parts):
    """
    :return: subtask ``index``'s share of ``total`` split over ``parts`` subtasks: the first
        ``total % parts`` subtasks get one more (Flink's ``NumberSequenceSource`` split).
    """
    if not 0 <= index < parts:
        raise ValueError(f"subtask index {index} out of range for {parts} subtasks")
    share, extra = divmod(total, parts)
    return share + (1 if index < extra else 0)


@frozen
class BoundedSource:
    """
    A source that produces ``records`` records in all and then finishes.

    :ivar int records: the total over all subtasks.
    :ivar records_per_second: the total rate, or ``None`` for as fast as possible.
    """

    records: int = field(validator=_non_negative_int)
    records_per_second: float | None = field(default=None, validator=_optional_positive_number)

    bounded = True

    def records_for_subtask(self, index, parallelism):
        """:return: how many records subtask ``index`` of ``parallelism`` produces."""
        return split_evenly(self.records, index, parallelism)

    def rate_for_subtask(self, parallelism):
        """:return: one subtask's rate (records/s), or ``None`` when unlimited."""
        if self.records_per_second is None:
            return None
        return self.records_per_second / parallelism


@frozen
class UnboundedSource:
    """
    A source that produces records until the job is cancelled.

    :ivar float records_per_second: the total rate over all subtasks.
    """

    records_per_second: float = field(validator=_positive_number)

    bounded = False

    def rate_for_subtask(self, parallelism):
        """:return: one subtask's rate (records/s)."""
        return self.records_per_second / parallelism


@frozen
class ProcessingCost:
    """
    The simulated work of one operator.

    :ivar records_per_second: what one subtask can process per second, or ``None`` for free.
    :ivar float output_ratio: records emitted per record received (a tokenizing ``flat_map``
        emits more than one, a ``filter`` fewer).
    """

    records_per_second: float | None = field(default=None, validator=_optional_positive_number)
    output_ratio: float = field(default=1.0, validator=_non_negative_number)


@frozen
class WindowSpec:
    """
    How a window operator groups records, for simulating when it fires.

    :ivar str assigner: the assigner as Flink prints it (``TumblingEventTimeWindows(5000)``).
    :ivar str time: ``"event"``, ``"processing"`` or ``"count"``.
    :ivar size: the window size in ms (time windows) or records (count windows); ``None`` for
        session windows.
    :ivar slide: the slide in ms or records for sliding windows, else ``None``.
    :ivar gap: the session gap in ms for session windows, else ``None``.
    """

    assigner: str
    time: str
    size: int | None = None
    slide: int | None = None
    gap: int | None = None
