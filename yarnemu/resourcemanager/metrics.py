"""
:class:`ClusterMetrics`: the RM's cluster metrics (``/ws/v1/cluster/metrics``), with Hadoop's
field names.

The cumulative application counters come from the event stream (an application counts once it
was admitted to a queue, as QueueMetrics counts it); everything else is read from the live state.
"""

from yarnemu.events import AppStateChanged
from yarnemu.records.states import NodeState, RMAppState

__all__ = ["ClusterMetrics", "METRIC_NAMES"]

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


class ClusterMetrics:
    def __init__(self, rm):
        self._rm = rm
        self._admitted = set()
        self.apps_submitted = 0
        self.apps_completed = 0
        self.apps_failed = 0
        self.apps_killed = 0
        rm.events.subscribe(self._observe)

    def _observe(self, event):
        if type(event) is not AppStateChanged:
            return
        if event.to_state is RMAppState.ACCEPTED and event.from_state is RMAppState.SUBMITTED:
            self._admitted.add(event.application_id)
            self.apps_submitted += 1
        elif event.to_state.is_final and event.application_id in self._admitted:
            self._admitted.discard(event.application_id)
            if event.to_state is RMAppState.FAILED:
                self.apps_failed += 1
            elif event.to_state is RMAppState.KILLED:
                self.apps_killed += 1
            else:
                self.apps_completed += 1

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
            "appsSubmitted": self.apps_submitted,
            "appsCompleted": self.apps_completed,
            "appsPending": pending,
            "appsRunning": running,
            "appsFailed": self.apps_failed,
            "appsKilled": self.apps_killed,
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
