"""
:class:`ClusterUsage`: which containers ran where and when, and how full the cluster was — read
from the cluster's event stream as it happens.

Subscribe one to an :class:`~yarnemu.events.EventLog` before the cluster starts
(``events.subscribe(ClusterUsage())``).  It reads three kinds of events and ignores the rest:

- ``node.state`` (:class:`~yarnemu.events.NodeStateChanged`): a node counts towards the total
  cluster memory while it is RUNNING, with its capability;
- ``container.allocated`` (:class:`~yarnemu.events.ContainerAllocated`): a container starts using
  its memory on its node;
- ``container.state`` (:class:`~yarnemu.events.ContainerStateChanged`): a container reaching a final
  RM state (COMPLETED, EXPIRED, RELEASED, KILLED) gives its memory back.

In Flink on YARN the ApplicationMaster is the JobManager: the container numbered 1 of each
application attempt is the ``jobmanager``, every other container a ``taskmanager``.
"""

import re

from attrs import evolve, frozen

from flinkyarn.scenario.model import JOBMANAGER, TASKMANAGER
from yarnemu.events import ContainerAllocated, ContainerStateChanged, NodeStateChanged
from yarnemu.records.ids import ContainerId
from yarnemu.records.states import NodeState, RMContainerState

__all__ = ["ClusterUsage", "ContainerSpan", "JOBMANAGER", "TASKMANAGER", "node_order_key"]


_FINAL_STATES = frozenset(state for state in RMContainerState if state.is_final)
_DIGITS = re.compile(r"(\d+)")


def node_order_key(node):
    """
    :return: a sort key putting node ids (``"host:port"``) in natural order: ``node-2`` before
        ``node-10``.
    """
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in _DIGITS.split(str(node))]


@frozen
class ContainerSpan:
    """
    One container's life at the RM, from allocation to its final state.

    :ivar str container_id: the container id text.
    :ivar str application_id: its application's id text.
    :ivar str node: the node id text, ``host:port``.
    :ivar int memory_mb: the allocated memory.
    :ivar int vcores: the allocated virtual cores.
    :ivar str role: ``"jobmanager"`` (the AM container of an attempt) or ``"taskmanager"``.
    :ivar int start_ms: when it was allocated (epoch ms).
    :ivar end_ms: when it reached a final RM state (epoch ms), ``None`` while it has not.
    :ivar exit_status: its exit status once final (``None`` before, or if none was given).
    """

    container_id: str
    application_id: str
    node: str
    memory_mb: int
    vcores: int
    role: str
    start_ms: int
    end_ms: int | None = None
    exit_status: int | None = None


class ClusterUsage:
    """
    An event listener that keeps the :class:`ContainerSpan` of every container and the step series
    of allocated and total cluster memory (MB).  Each event costs a dictionary look-up or two.
    """

    def __init__(self):
        self._spans = {}  # container id (as the events carry it) -> ContainerSpan
        self._node_memory = {}  # node id text -> memory it adds to the total (0 unless RUNNING)
        self._allocated_mb = 0
        self._total_mb = 0
        self._points = []  # (time, allocated, total) after the last change at each time
        self.live_containers = 0
        """How many containers are allocated and not yet in a final state."""

    def __call__(self, event):
        """Account for ``event`` if it is a node or container event; ignore any other."""
        kind = type(event)
        if kind is ContainerStateChanged:
            if event.to_state in _FINAL_STATES:
                self._container_ended(event)
        elif kind is ContainerAllocated:
            self._container_allocated(event)
        elif kind is NodeStateChanged:
            self._node_changed(event)

    def _container_allocated(self, event):
        container_id = event.container_id
        if isinstance(container_id, str):
            container_id = ContainerId.parse(container_id)
        memory = event.resource.memory
        self._spans[event.container_id] = ContainerSpan(
            str(container_id), str(container_id.application_id), str(event.node_id), memory,
            event.resource.vcores, JOBMANAGER if container_id.sequence == 1 else TASKMANAGER,
            event.time)
        self._node_memory.setdefault(str(event.node_id), 0)
        self._allocated_mb += memory
        self.live_containers += 1
        self._changed(event.time)

    def _container_ended(self, event):
        span = self._spans.get(event.container_id)
        if span is None or span.end_ms is not None:
            return
        self._spans[event.container_id] = evolve(span, end_ms=event.time,
                                                 exit_status=event.exit_status)
        self._allocated_mb -= span.memory_mb
        self.live_containers -= 1
        self._changed(event.time)

    def _node_changed(self, event):
        node = str(event.node_id)
        memory = event.capability.memory if event.to_state == NodeState.RUNNING else 0
        self._total_mb += memory - self._node_memory.get(node, 0)
        self._node_memory[node] = memory
        self._changed(event.time)

    def _changed(self, time):
        # One point per time stamp (the state after its last change), none if nothing changed.
        points = self._points
        if points and points[-1][0] == time:
            points.pop()
        if points and points[-1][1] == self._allocated_mb and points[-1][2] == self._total_mb:
            return
        points.append((time, self._allocated_mb, self._total_mb))

    @property
    def spans(self):
        """:return: every container's :class:`ContainerSpan`, ordered by ``(start_ms,
        container_id)``."""
        return sorted(self._spans.values(), key=lambda span: (span.start_ms, span.container_id))

    def memory_series(self, end_ms):
        """
        :return: the step series of ``(time_ms, allocated_mb, total_mb)``: a point at each time
            the allocated or the total memory changed (the values after that time's last change),
            before ``end_ms``, then a final point at ``end_ms`` with the values then.  Before the
            first point both are 0.
        """
        series = []
        allocated = total = 0
        for point in self._points:
            if point[0] > end_ms:
                break
            allocated, total = point[1], point[2]
            if point[0] < end_ms:
                series.append(point)
        series.append((end_ms, allocated, total))
        return series

    def utilization(self, start_ms, end_ms):
        """
        :return: ``(peak_fraction, mean_fraction)`` of allocated over total memory during
            ``[start_ms, end_ms)``: the highest value held for a millisecond or more, and the
            time-weighted mean.  The fraction is 0.0 while the total is 0 (and is not capped at
            1.0); both are 0.0 if the interval is empty.
        """
        if end_ms <= start_ms:
            return 0.0, 0.0
        peak = area = fraction = 0.0
        since = start_ms
        for time, allocated, total in self.memory_series(end_ms):
            if time > since:
                peak = max(peak, fraction)
                area += fraction * (time - since)
                since = time
            fraction = allocated / total if total > 0 else 0.0
        return peak, area / (end_ms - start_ms)

    def containers_per_node(self):
        """
        :return: ``{node: number of containers ever allocated on it}`` for every node seen (in a
            node event or an allocation), idle ones with 0, in :func:`node_order_key` order.
        """
        counts = dict.fromkeys(self._node_memory, 0)
        for span in self._spans.values():
            counts[span.node] += 1
        return {node: counts[node] for node in sorted(counts, key=node_order_key)}
