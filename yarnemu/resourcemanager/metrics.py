"""
:class:`ClusterMetrics`: the RM's cluster metrics (``/ws/v1/cluster/metrics``), with Hadoop's
field names, and QueueMetrics' cumulative application counters per queue.

The cumulative application counters (``AppsSubmitted``, ``AppsCompleted``, ``AppsFailed``,
``AppsKilled``) come from the event stream: an application counts as submitted when the scheduler
admits it (SUBMITTED → ACCEPTED; a rejected one never counts) and, once admitted, as completed,
failed or killed by its final state.  As in Hadoop's QueueMetrics it counts in its leaf queue and
in every queue above it, and under its user in each of them (:meth:`ClusterMetrics.queue_apps`,
:meth:`ClusterMetrics.user_apps`).  Everything else is read from the live state.
"""

from yarnemu.events import AppStateChanged
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
    """The cumulative application counters of the cluster, of one queue, or of one user in one
    queue."""

    __slots__ = ("submitted", "completed", "failed", "killed")

    def __init__(self):
        self.submitted = 0
        self.completed = 0
        self.failed = 0
        self.killed = 0


class ClusterMetrics:
    """
    :param rm: the :class:`~yarnemu.resourcemanager.rm.ResourceManager`; made with it, so that
        it counts every application.

    :ivar apps: the cluster's :class:`AppCounts`.
    """

    def __init__(self, rm):
        self._rm = rm
        self._admitted = {}  # application id → the AppCounts it counts in, until it ends
        self.apps = AppCounts()
        self._queue_apps = {}  # queue path → AppCounts
        self._user_apps = {}  # queue path → {user: AppCounts}
        rm.events.subscribe(self._observe)

    def queue_apps(self, path):
        """:return: the :class:`AppCounts` of a queue path (all zero if it admitted nothing)."""
        return self._queue_apps.get(path) or AppCounts()

    def user_apps(self, path):
        """:return: ``{user: AppCounts}`` of the users that ever had an application admitted to
        the queue (or to one below it)."""
        return dict(self._user_apps.get(path, {}))

    def _observe(self, event):
        if type(event) is not AppStateChanged:
            return
        if event.to_state is RMAppState.ACCEPTED and event.from_state is RMAppState.SUBMITTED:
            counted = self._admitted[event.application_id] = self._counters(event.application_id)
            for counts in counted:
                counts.submitted += 1
        elif event.to_state.is_final and event.application_id in self._admitted:
            for counts in self._admitted.pop(event.application_id):
                if event.to_state is RMAppState.FAILED:
                    counts.failed += 1
                elif event.to_state is RMAppState.KILLED:
                    counts.killed += 1
                else:
                    counts.completed += 1

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
        rm = self._rm
        scheduler = rm.scheduler
        pending = running = 0
        for app_id in self._admitted:
            current = rm.apps[app_id].current_attempt
            live = scheduler.attempts.get(current.attempt_id) if current else None
            if live is not None and live.next_container > 1:
                running += 1
            else:
                pending += 1
        pending_containers = pending_mb = pending_vcores = 0
        for attempt in scheduler.attempts.values():
            for _, name, entry in attempt.asks.items():
                if name == "*" and entry.count > 0:
                    pending_containers += entry.count
                    pending_mb += entry.count * entry.capability.memory
                    pending_vcores += entry.count * entry.capability.vcores
        total = scheduler.cluster_resource
        used = scheduler.used_resource
        node_states = [node.state for node in rm.nodes.values()]
        inactive_states = [node.state for node in rm.inactive_nodes.values()]
        active = node_states.count(NodeState.RUNNING)
        lost = inactive_states.count(NodeState.LOST)
        unhealthy = node_states.count(NodeState.UNHEALTHY)
        decommissioning = node_states.count(NodeState.DECOMMISSIONING)
        decommissioned = inactive_states.count(NodeState.DECOMMISSIONED)
        rebooted = inactive_states.count(NodeState.REBOOTED)
        shutdown = inactive_states.count(NodeState.SHUTDOWN)
        return {
            "appsSubmitted": self.apps.submitted,
            "appsCompleted": self.apps.completed,
            "appsPending": pending,
            "appsRunning": running,
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
            "decommissioningNodes": decommissioning,
            "decommissionedNodes": decommissioned,
            "rebootedNodes": rebooted,
            "activeNodes": active,
            "shutdownNodes": shutdown,
        }
