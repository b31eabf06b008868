"""
:class:`YarnMetricsCollector`: a ``prometheus_client`` collector that reads a ResourceManager at
each scrape and reports Hadoop's ``QueueMetrics`` and ``ClusterMetrics`` records as Hadoop's
Prometheus endpoint names them (:mod:`~yarnemu.web.prometheus.names`), with the records' tags as
labels (lower-cased, as the endpoint writes them):

- ``queue_metrics_<metric>{queue="root.default",context="yarn",hostname="…"}`` for every queue,
  the root included (the FifoScheduler's one queue is ``default``); with
  ``yarn.scheduler.capacity.user-metrics.enable`` (CapacityScheduler, default false, as in
  Hadoop) also one series per user that ever had an application in the queue, with a ``user``
  label;
- ``cluster_metrics_<metric>{clustermetrics="ResourceManager",context="yarn",hostname="…"}``:
  NodeManagers by state and the cluster's capability.

Every series is a gauge: Hadoop types its counters (``AppsSubmitted``, …) ``counter`` but names
them without the ``_total`` suffix ``prometheus_client`` adds to counters, and the names are kept.

Where the figures come from:

- the root queue and ``cluster_metrics_*``: the RM's
  :class:`~yarnemu.resourcemanager.metrics.ClusterMetrics` snapshot, the figures of
  ``/ws/v1/cluster/metrics``;
- other queues: what the scheduler keeps per queue (:func:`~.queues.queue_figures`), one pass
  over the live attempts (:func:`~.queues.live_usage`), and the application counts (submitted,
  running, pending, ended) the RM's ``ClusterMetrics`` keeps per queue and user.

Reservations are not modelled, so ``Reserved*`` are 0, as the RM's snapshot reports them.
``ActiveUsers`` (users with an active application still asking for containers) is reported for
leaf queues only: Hadoop counts it in leaf queues and never adds it up into their parents.
"""

from prometheus_client.core import GaugeMetricFamily

from yarnemu.resourcemanager.metrics import AppCounts
from yarnemu.scheduler.capacity import CapacityScheduler
from yarnemu.web.prometheus.names import label_name, prometheus_name
from yarnemu.web.prometheus.queues import QueueUsage, live_usage, queue_figures

__all__ = ["YarnMetricsCollector", "QUEUE_METRICS", "CLUSTER_METRICS", "USER_METRICS_ENABLE"]

QUEUE_RECORD = "QueueMetrics"
CLUSTER_RECORD = "ClusterMetrics"
CONTEXT = "yarn"
USER_METRICS_ENABLE = "yarn.scheduler.capacity.user-metrics.enable"

QUEUE_METRICS = (
    ("AppsSubmitted", "# of apps submitted"),
    ("AppsRunning", "# of running apps"),
    ("AppsPending", "# of pending apps"),
    ("AppsCompleted", "# of apps completed"),
    ("AppsKilled", "# of apps killed"),
    ("AppsFailed", "# of apps failed"),
    ("AllocatedMB", "Allocated memory in MB"),
    ("AllocatedVCores", "Allocated CPU in virtual cores"),
    ("AllocatedContainers", "# of allocated containers"),
    ("AvailableMB", "Available memory in MB"),
    ("AvailableVCores", "Available CPU in virtual cores"),
    ("PendingMB", "Pending memory allocation in MB"),
    ("PendingVCores", "Pending CPU allocation in virtual cores"),
    ("PendingContainers", "# of pending containers"),
    ("ReservedMB", "# of reserved memory in MB"),
    ("ReservedVCores", "Reserved CPU in virtual cores"),
    ("ReservedContainers", "# of reserved containers"),
    ("ActiveUsers", "# of active users"),
    ("ActiveApplications", "# of active applications"),
)
"""QueueMetrics' metrics reported, as JMX names them, with Hadoop's descriptions."""

CLUSTER_METRICS = (
    ("NumActiveNMs", "# of active NMs", "activeNodes"),
    ("NumDecommissioningNMs", "# of decommissioning NMs", "decommissioningNodes"),
    ("NumDecommissionedNMs", "# of decommissioned NMs", "decommissionedNodes"),
    ("NumLostNMs", "# of lost NMs", "lostNodes"),
    ("NumUnhealthyNMs", "# of unhealthy NMs", "unhealthyNodes"),
    ("NumRebootedNMs", "# of Rebooted NMs", "rebootedNodes"),
    ("NumShutdownNMs", "# of Shutdown NMs", "shutdownNodes"),
    ("CapabilityMB", "Memory Capability", "totalMB"),
    ("CapabilityVirtualCores", "Vcore Capability", "totalVirtualCores"),
)
"""ClusterMetrics' metrics reported, with Hadoop's descriptions and the ``/ws/v1/cluster/metrics``
field each is read from."""

# The root queue's figures, from the RM's snapshot (``/ws/v1/cluster/metrics`` field names).
_ROOT_FROM_SNAPSHOT = {
    "AppsSubmitted": "appsSubmitted",
    "AppsRunning": "appsRunning",
    "AppsPending": "appsPending",
    "AppsCompleted": "appsCompleted",
    "AppsKilled": "appsKilled",
    "AppsFailed": "appsFailed",
    "AllocatedMB": "allocatedMB",
    "AllocatedVCores": "allocatedVirtualCores",
    "AllocatedContainers": "containersAllocated",
    "AvailableMB": "availableMB",
    "AvailableVCores": "availableVirtualCores",
    "PendingMB": "pendingMB",
    "PendingVCores": "pendingVirtualCores",
    "PendingContainers": "containersPending",
    "ReservedMB": "reservedMB",
    "ReservedVCores": "reservedVirtualCores",
    "ReservedContainers": "containersReserved",
}


class YarnMetricsCollector:
    """
    :param rm: the :class:`~yarnemu.resourcemanager.rm.ResourceManager` to read.

    The ``hostname`` label is ``yarn.resourcemanager.hostname`` (Hadoop's is the RM machine's
    host name).
    """

    def __init__(self, rm):
        self._rm = rm
        config = rm.config
        self._hostname = config.get_str("yarn.resourcemanager.hostname")
        self._user_metrics = (isinstance(rm.scheduler, CapacityScheduler)
                              and config.get_bool(USER_METRICS_ENABLE, False))

    def collect(self):
        """:return: the metric families, read from the RM now."""
        snapshot = self._rm.metrics.snapshot()
        yield from self._queue_families(snapshot)
        yield from self._cluster_families(snapshot)

    # QueueMetrics

    def _queue_families(self, snapshot):
        families = {
            name: GaugeMetricFamily(prometheus_name(QUEUE_RECORD, name), description)
            for name, description in QUEUE_METRICS
        }
        for labels, values in self._queue_rows(snapshot):
            for name, value in values.items():
                family = families[name]
                family.add_sample(family.name, labels, value)
        return families.values()

    def _queue_rows(self, snapshot):
        """:return: ``(labels, {metric: value})`` per queue (and per user in it), root first."""
        by_queue, by_user = live_usage(self._rm.scheduler)
        rows = []
        for position, figures in enumerate(queue_figures(self._rm.scheduler)):
            path = figures.path
            usage = by_queue.get(path) or QueueUsage()
            if position == 0:  # the root
                values = {name: snapshot[field] for name, field in _ROOT_FROM_SNAPSHOT.items()}
            else:
                values = {
                    **_app_counts(self._rm.metrics.queue_apps(path)),
                    **_live(usage),
                    "AllocatedMB": figures.allocated.memory,
                    "AllocatedVCores": figures.allocated.vcores,
                    "AllocatedContainers": figures.allocated_containers,
                    "AvailableMB": figures.available.memory,
                    "AvailableVCores": figures.available.vcores,
                    **_NOTHING_RESERVED,
                }
            if figures.is_leaf:
                values["ActiveUsers"] = len(usage.active_users)
            values["ActiveApplications"] = usage.active_applications
            rows.append((self._labels(path), values))
            if self._user_metrics:
                rows.extend(self._user_rows(path, by_user.get(path, {})))
        return rows

    def _user_rows(self, path, live_users):
        """User series of a queue: Hadoop keeps them from a user's first application on."""
        counted = self._rm.metrics.user_apps(path)
        for user in sorted(set(counted) | set(live_users)):
            usage = live_users.get(user) or QueueUsage()
            yield self._labels(path, user), {
                **_app_counts(counted.get(user) or AppCounts()),
                **_live(usage),
                "AllocatedMB": usage.allocated_mb,
                "AllocatedVCores": usage.allocated_vcores,
                "AllocatedContainers": usage.allocated_containers,
                **_NOTHING_RESERVED,
                "ActiveApplications": usage.active_applications,
            }

    def _labels(self, path, user=None):
        labels = {label_name("Queue"): path}
        if user is not None:
            labels[label_name("User")] = user
        labels[label_name("Context")] = CONTEXT
        labels[label_name("Hostname")] = self._hostname
        return labels

    # ClusterMetrics

    def _cluster_families(self, snapshot):
        labels = {
            label_name(CLUSTER_RECORD): "ResourceManager",
            label_name("Context"): CONTEXT,
            label_name("Hostname"): self._hostname,
        }
        for name, description, field in CLUSTER_METRICS:
            family = GaugeMetricFamily(prometheus_name(CLUSTER_RECORD, name), description)
            family.add_sample(family.name, labels, snapshot[field])
            yield family


_NOTHING_RESERVED = {"ReservedMB": 0, "ReservedVCores": 0, "ReservedContainers": 0}


def _app_counts(counts):
    return {
        "AppsSubmitted": counts.submitted,
        "AppsRunning": counts.running,
        "AppsPending": counts.pending,
        "AppsCompleted": counts.completed,
        "AppsKilled": counts.killed,
        "AppsFailed": counts.failed,
    }


def _live(usage):
    return {
        "PendingMB": usage.pending_mb,
        "PendingVCores": usage.pending_vcores,
        "PendingContainers": usage.pending_containers,
    }
