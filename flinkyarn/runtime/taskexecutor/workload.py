"""
What a simulated task does, computed from its deployment descriptor alone: whether its head
operator is a source, how many records that source produces (none left after a restored offset,
or no end for an unbounded one) and how fast — the source's share of its rate (or the default
rate), capped by the slowest operator chained behind it.

Pure values and functions: no clock, no I/O.
"""

import math

from attrs import frozen

from flinkyarn.graph.simulation import BoundedSource, ProcessingCost, UnboundedSource

__all__ = ["SourceWorkload", "source_workload", "input_partitions"]


@frozen
class SourceWorkload:
    """
    The records one source subtask produces in this attempt.

    :ivar records: how many, or ``None`` for an unbounded source.
    :ivar float records_per_second: how fast.
    :ivar int restored_offset: records produced by earlier attempts (the restored checkpoint's
        offset), which this attempt skips.
    """

    records: int | None
    records_per_second: float
    restored_offset: int = 0

    @property
    def bounded(self):
        return self.records is not None

    @property
    def duration_ms(self):
        """:return: how long producing every record takes (whole ms, rounded up), or ``None``."""
        if self.records is None:
            return None
        return math.ceil(self.records * 1000 / self.records_per_second)

    def produced_after(self, elapsed_ms):
        """:return: records produced ``elapsed_ms`` after the task started running."""
        produced = math.floor(self.records_per_second * max(elapsed_ms, 0) / 1000)
        return produced if self.records is None else min(produced, self.records)

    def offset_after(self, elapsed_ms):
        """:return: the source's offset (all records produced, over all attempts) by then."""
        return self.restored_offset + self.produced_after(elapsed_ms)


def source_workload(tdd, default_rate):
    """
    :param tdd: a :class:`~flinkyarn.runtime.messages.TaskDeploymentDescriptor`.
    :param float default_rate: records per second of a source that sets no rate.
    :return: the :class:`SourceWorkload` of its head operator, or ``None`` if that is not a
        simulated source.
    """
    if not tdd.operators:
        return None
    source = tdd.operators[0].simulation
    if not isinstance(source, (BoundedSource, UnboundedSource)):
        return None
    rate = source.rate_for_subtask(tdd.number_of_subtasks) or default_rate
    for operator in tdd.operators[1:]:
        cost = operator.simulation
        if isinstance(cost, ProcessingCost) and cost.records_per_second is not None:
            rate = min(rate, cost.records_per_second)
    records = None
    if isinstance(source, BoundedSource):
        total = source.records_for_subtask(tdd.subtask_index, tdd.number_of_subtasks)
        records = max(total - tdd.restored_offset, 0)
    return SourceWorkload(records, float(rate), tdd.restored_offset)


def input_partitions(tdd):
    """
    :return: the :class:`~flinkyarn.runtime.messages.InputPartition` values a task consumes, in
        order: ``tdd.inputs`` holds one tuple per input gate (a bare ``InputPartition`` is taken
        as a gate of one).
    """
    partitions = []
    for gate in tdd.inputs:
        if isinstance(gate, (tuple, list)):
            partitions.extend(gate)
        else:
            partitions.append(gate)
    return tuple(partitions)
