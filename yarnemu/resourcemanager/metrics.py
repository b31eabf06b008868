"""
:class:`ClusterMetrics`: the RM's cluster metrics (``/ws/v1/cluster/metrics``), with Hadoop's
field names, and QueueMetrics' application counts per queue and per user in a queue.

As Hadoop's ``ClusterMetrics`` and root ``QueueMetrics``, the figures are counters kept as things
happen, so that reading them costs the same however many applications and nodes the RM holds:

- the application counts (:class:`AppCounts`): an application counts as submitted when the
  scheduler admits it (SUBMITTED → ACCEPTED; a rejected one never counts); it is then pending,
  running from the first container the scheduler allocates to its current attempt (Hadoop's
  ``runAppAttempt``) until that attempt ends, pending again while another attempt waits, and in
  the end completed, failed or killed by its final state.  As in Hadoop's QueueMetrics it counts
  in its leaf queue and in every queue above it, and under its user in each of them
  (:meth:`ClusterMetrics.queue_apps`, :meth:`ClusterMetrics.user_apps`);
- the NodeManagers by state (``activeNodes``, ``lostNodes``, …): each node as its last state
  change left it.

Both come from the event stream (``AppStateChanged``, ``ContainerAllocated``,
``AttemptStateChanged``, ``NodeStateChanged``).  The resources (total, allocated, available) and
``containersAllocated`` are the scheduler's own running totals.  The pending resources
(``containersPending``, ``pendingMB``, ``pendingVirtualCores``) are added up over the attempts
the scheduler holds, skipping at once those that ask for nothing.
"""

from yarnemu.events import (
    AppStateChanged,
    AttemptStateChanged,
    ContainerAllocated,
    NodeStateChanged,
)
from yarnemu.records.am_protocol import ANY
from yarnemu.records.client_protocol import DEFAULT_QUEUE
from yarnemu.records.states import NodeState, RMAppState

__all__ = ["ClusterMetrics", "AppCounts", "METRIC_NAMES", "queue_path", "queue_ancestry"]

METRIC_NAMES = (
    "appsSubmitted", "appsCompleted", "appsPending", "appsRunning", "appsFailed", "appsKilled",
    "reservedMB", "availableMB", "allocatedMB", "pendingMB",
    "reservedVirtualCores", "availableVirtualCores", "allocatedVirtualCores",
    "pendingVirtualCores",
    "containersAllocated", "containersReserved", "containersPending",
    "totalMB", "totalVirtualCores", "totalNodes", "lostNodes", "unhealthyNodes",
    "decommissioningNodes", "decommissionedNodes", "rebootedNodes", "activeNodes",
    "shutdownNodes",
)
"""The fields of :meth:`ClusterMetrics.snapshot`, in ``/ws/v1/cluster/metrics`` order."""


def queue_path(queue):
    """:return: the path of a scheduler application's queue (a ``CSQueue``, or the
    FifoScheduler's queue name: its one queue ``default``)."""
    return getattr(queue, "path", DEFAULT_QUEUE)


def queue_ancestry(path):
    """:return: a queue path and the paths above it, leaf first: ``root.a.b, root.a, root``."""
    parts = path.split(".")
    return tuple(".".join(parts[:length]) for length in range(len(parts), 0, -1))


class AppCounts:
    """
    The application counts of the cluster, of one queue, or of one user in one queue: the
    cumulative ``submitted``, ``completed``, ``failed`` and ``killed``, and how many of the
    admitted applications that have not ended are ``running`` and ``pending`` now.
    """

    __slots__ = ("submitted", "completed", "failed", "killed", "running", "pending")

    def __init__(self):
        self.submitted = 0
        self.completed = 0
        self.failed = 0
        self.killed = 0
        self.running = 0
        self.pending = 0


class ClusterMetrics:
    """
    :param rm: the :class:`~yarnemu.resourcemanager.rm.ResourceManager`; made with it, so that
        it counts every application and node.

    :ivar apps: the cluster's :class:`AppCounts`.
    """

    def __init__(self, rm):
        self._rm = rm
        self._admitted = {}  # application id → the AppCounts it counts in, until it ends
        self._running = set()  # admitted applications whose current attempt was allocated to
        self._allocated_attempts = set()  # attempts allocated a container, until they end
        self._node_states = {}  # node id → its state, as the last NodeStateChanged left it
        self._nodes_in = dict.fromkeys(NodeState, 0)  # node state → how many nodes are in it
        self.apps = AppCounts()
        self._queue_apps = {}  # queue path → AppCounts
        self._user_apps = {}  # queue path → {user: AppCounts}
        self._handlers = {
            AppStateChanged: self._app_changed,
            ContainerAllocated: self._container_allocated,
            AttemptStateChanged: self._attempt_changed,
            NodeStateChanged: self._node_changed,
        }
        rm.events.subscribe(self._observe)

    def queue_apps(self, path):
        """:return: the :class:`AppCounts` of a queue path (all zero if it admitted nothing)."""
        return self._queue_apps.get(path) or AppCounts()

    def user_apps(self, path):
        """:return: ``{user: AppCounts}`` of the users that ever had an application admitted to
        the queue (or to one below it)."""
        return dict(self._user_apps.get(path, {}))

    def _observe(self, event):
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event)

    def _app_changed(self, event):
        application_id = event.application_id
        if event.to_state is RMAppState.ACCEPTED and event.from_state is RMAppState.SUBMITTED:
            counted = self._admitted[application_id] = self._counters(application_id)
            for counts in counted:
                counts.submitted += 1
                counts.pending += 1
        elif event.to_state.is_final and application_id in self._admitted:
            was_running = application_id in self._running
            self._running.discard(application_id)
            for counts in self._admitted.pop(application_id):
                if was_running:
                    counts.running -= 1
                else:
                    counts.pending -= 1
                if event.to_state is RMAppState.FAILED:
                    counts.failed += 1
                elif event.to_state is RMAppState.KILLED:
                    counts.killed += 1
                else:
                    counts.completed += 1

    def _container_allocated(self, event):
        # Only the scheduler's current attempt of an application is allocated to.
        attempt_id = event.container_id.application_attempt_id
        if attempt_id not in self._allocated_attempts:
            self._allocated_attempts.add(attempt_id)
            application_id = attempt_id.application_id
            if application_id in self._admitted and application_id not in self._running:
                self._running.add(application_id)
                for counts in self._admitted[application_id]:
                    counts.pending -= 1
                    counts.running += 1

    def _attempt_changed(self, event):
        # An attempt leaves the scheduler as it reaches its final state.
        if event.to_state.is_final and event.attempt_id in self._allocated_attempts:
            self._allocated_attempts.discard(event.attempt_id)
            application_id = event.attempt_id.application_id
            if application_id in self._running:
                self._running.discard(application_id)
                for counts in self._admitted[application_id]:
                    counts.running -= 1
                    counts.pending += 1

    def _node_changed(self, event):
        # One node per id: one registering again under the id of an inactive one replaces it.
        nodes_in = self._nodes_in
        before = self._node_states.get(event.node_id)
        if before is not None:
            nodes_in[before] -= 1
        nodes_in[event.to_state] += 1
        self._node_states[event.node_id] = event.to_state

    def _counters(self, application_id):
        """:return: the counters an admitted application counts in: the cluster's, and its
        queue's and its user's in its leaf queue and each queue above."""
        user = self._rm.apps[application_id].user
        leaf = queue_path(self._rm.scheduler.applications[application_id].queue)
        counters = [self.apps]
        for path in queue_ancestry(leaf):
            counters.append(self._queue_apps.setdefault(path, AppCounts()))
            counters.append(self._user_apps.setdefault(path, {}).setdefault(user, AppCounts()))
        return counters

    def snapshot(self):
        """
        :return: the metrics as a dict with the field names of ``/ws/v1/cluster/metrics``.
        """
        scheduler = self._rm.scheduler
        pending_containers = pending_mb = pending_vcores = 0
        for attempt in scheduler.attempts.values():
            asks = attempt.asks
            if not asks.pending:  # the sum of its ANY counts: it asks for nothing
                continue
            for _, name, entry in asks.items():
                if name == ANY and entry.count > 0:
                    pending_containers += entry.count
                    pending_mb += entry.count * entry.capability.memory
                    pending_vcores += entry.count * entry.capability.vcores
        total = scheduler.cluster_resource
        used = scheduler.used_resource
        nodes_in = self._nodes_in
        active = nodes_in[NodeState.RUNNING]
        lost = nodes_in[NodeState.LOST]
        unhealthy = nodes_in[NodeState.UNHEALTHY]
        decommissioned = nodes_in[NodeState.DECOMMISSIONED]
        rebooted = nodes_in[NodeState.REBOOTED]
        shutdown = nodes_in[NodeState.SHUTDOWN]
        return {
            "appsSubmitted": self.apps.submitted,
            "appsCompleted": self.apps.completed,
            "appsPending": self.apps.pending,
            "appsRunning": self.apps.running,
            "appsFailed": self.apps.failed,
            "appsKilled": self.apps.killed,
            "reservedMB": 0,
            "availableMB": total.memory - used.memory,
            "allocatedMB": used.memory,
            "pendingMB": pending_mb,
            "reservedVirtualCores": 0,
            "availableVirtualCores": total.vcores - used.vcores,
            "allocatedVirtualCores": used.vcores,
            "pendingVirtualCores": pending_vcores,
            "containersAllocated": len(scheduler.containers),
            "containersReserved": 0,
            "containersPending": pending_containers,
            "totalMB": total.memory,
            "totalVirtualCores": total.vcores,
            "totalNodes": active + lost + unhealthy + decommissioned + rebooted + shutdown,
            "lostNodes": lost,
            "unhealthyNodes": unhealthy,
            "decommissioningNodes": nodes_in[NodeState.DECOMMISSIONING],
            "decommissionedNodes": decommissioned,
            "rebootedNodes": rebooted,
            "activeNodes": active,
            "shutdownNodes": shutdown,
        }
