"""
The scheduler's queues as QueueMetrics sees them, for either scheduler:

- the **CapacityScheduler**'s tree, each queue by its path (``root``, ``root.default``, …; the
  ``Queue`` tag of Hadoop's QueueMetrics);
- the **FifoScheduler**'s one queue, ``default``, which is also its root (Hadoop's FifoScheduler
  keeps a single QueueMetrics for ``default``).

:func:`queue_figures` reads what the scheduler itself keeps per queue (used resource and
containers); :func:`live_usage` adds what it keeps only per attempt (outstanding asks, active
attempts and users, and the containers each user holds), in one pass over the live attempts.
How many applications run or wait is counted by the RM's
:class:`~yarnemu.resourcemanager.metrics.ClusterMetrics` as they go.
"""

from attrs import frozen

from yarnemu.records.am_protocol import ANY
from yarnemu.records.client_protocol import DEFAULT_QUEUE
from yarnemu.records.resource import Resource
from yarnemu.resourcemanager.metrics import queue_ancestry, queue_path
from yarnemu.scheduler.capacity import CapacityScheduler

__all__ = [
    "QueueFigures",
    "QueueUsage",
    "queue_figures",
    "live_usage",
]


@frozen
class QueueFigures:
    """
    What the scheduler keeps for one queue.

    :ivar str path: the queue's path.
    :ivar bool is_leaf: applications run in it (it has no child queues).
    :ivar allocated: the :class:`Resource` its containers hold.
    :ivar int allocated_containers: how many containers it holds.
    :ivar available: its guaranteed resource minus what it holds, or nothing once it holds as
        much (Hadoop's ``CSQueueUtils#getMaxAvailableResourceToQueuePartition``); for the root
        and the FifoScheduler's queue, what the cluster has free.
    """

    path: str
    is_leaf: bool
    allocated: Resource
    allocated_containers: int
    available: Resource


def queue_figures(scheduler):
    """:return: a :class:`QueueFigures` per queue, root first, parents before children."""
    if not isinstance(scheduler, CapacityScheduler):
        return [QueueFigures(DEFAULT_QUEUE, True, scheduler.used_resource,
                             len(scheduler.containers), scheduler.available_resource)]
    calculator = scheduler.calculator
    cluster = scheduler.cluster_resource
    figures = []
    for queue in scheduler.queues.values():
        used = queue.used
        guaranteed = calculator.multiply(cluster, queue.absolute_capacity)
        if calculator.greater_than(cluster, guaranteed, used):
            available = (guaranteed - used).component_max(Resource.NONE)
        else:
            available = Resource.NONE
        figures.append(QueueFigures(queue.path, queue.is_leaf, used, queue.num_containers,
                                    available))
    return figures


class QueueUsage:
    """
    The live attempts of one queue (or of one user in it), with those of the queues below it.

    :ivar int active_applications: attempts the scheduler may allocate to (the CapacityScheduler
        holds others back while the queue's AM limit is reached).
    :ivar int pending_containers: containers asked for (``*`` counts) and not yet allocated, by
        every live attempt; ``pending_mb`` and ``pending_vcores`` their resources.
    :ivar int allocated_containers: the live attempts' containers; ``allocated_mb`` and
        ``allocated_vcores`` their resources.
    :ivar active_users: the users with an active attempt still asking for containers.
    """

    __slots__ = ("active_applications", "pending_containers", "pending_mb", "pending_vcores",
                 "allocated_containers", "allocated_mb", "allocated_vcores", "active_users")

    def __init__(self):
        self.active_applications = 0
        self.pending_containers = 0
        self.pending_mb = 0
        self.pending_vcores = 0
        self.allocated_containers = 0
        self.allocated_mb = 0
        self.allocated_vcores = 0
        self.active_users = set()

    def add(self, other):
        self.active_applications += other.active_applications
        self.pending_containers += other.pending_containers
        self.pending_mb += other.pending_mb
        self.pending_vcores += other.pending_vcores
        self.allocated_containers += other.allocated_containers
        self.allocated_mb += other.allocated_mb
        self.allocated_vcores += other.allocated_vcores
        self.active_users |= other.active_users


def live_usage(scheduler):
    """
    One pass over the scheduler's live attempts.

    :return: ``(by_queue, by_user)``: queue path → :class:`QueueUsage`, and queue path →
        ``{user: QueueUsage}``, for every queue with something live in or below it.
    """
    by_leaf = {}

    def usage(application):
        key = (queue_path(application.queue), application.user)
        found = by_leaf.get(key)
        if found is None:
            found = by_leaf[key] = QueueUsage()
        return found

    for attempt in scheduler.attempts.values():
        found = usage(attempt.application)
        found.allocated_containers += len(attempt.live)
        found.allocated_mb += attempt.used_memory
        found.allocated_vcores += attempt.used_vcores
        asks = attempt.asks
        if asks.pending > 0:  # the sum of the ANY counts: nothing to add up otherwise
            for _, name, entry in asks.items():
                if name == ANY and entry.count > 0:
                    found.pending_containers += entry.count
                    found.pending_mb += entry.count * entry.capability.memory
                    found.pending_vcores += entry.count * entry.capability.vcores
        if attempt.active:
            found.active_applications += 1
            if asks.pending > 0:
                found.active_users.add(attempt.user)

    by_queue = {}
    by_user = {}
    for (leaf, user), found in by_leaf.items():
        for path in queue_ancestry(leaf):
            by_queue.setdefault(path, QueueUsage()).add(found)
            by_user.setdefault(path, {}).setdefault(user, QueueUsage()).add(found)
    return by_queue, by_user
