"""
Tests of the RM's cluster metrics (``/ws/v1/cluster/metrics`` field names and meaning).
"""

from collections import Counter

import pytest
from hypothesis import settings
from hypothesis.stateful import invariant, run_state_machine_as_test

from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records import ANY, NodeState, RMAppState
from yarnemu.resourcemanager.metrics import queue_ancestry, queue_path

from .running_cluster import RunningCluster
from .test_resourcemanager_state_machine import CapacityMachine, FifoMachine


def test_metrics_follow_applications_and_containers(tmp_path):
    """App counters and allocation gauges move as applications run, fail, are killed and finish."""
    # Room for two AMs at once: by default the AM limit (10% of the queue) admits one.
    running = RunningCluster(tmp_path, nodes=2, config={
        "yarn.scheduler.capacity.maximum-am-resource-percent": 0.5})
    snapshot = running.rm.metrics.snapshot()
    assert (snapshot["totalMB"], snapshot["availableMB"], snapshot["activeNodes"],
            snapshot["totalNodes"], snapshot["appsSubmitted"]) == (16384, 16384, 2, 2, 0)

    ok = running.submit(distributed_shell_command(2, 512, "sleep", "10"))
    killed = running.submit(distributed_shell_command(1, 512, "sleep", "600"))
    rejected = running.submit("sleep 1", queue="missing")
    failed = running.submit("false", max_app_attempts=1)
    running.run_until(lambda: sum(c.state.value == "RUNNING"
                                  for c in running.rm.containers.values()) >= 5)
    snapshot = running.rm.metrics.snapshot()
    assert snapshot["appsRunning"] == 2
    assert snapshot["allocatedMB"] == 5 * 1024 and snapshot["containersAllocated"] == 5
    assert snapshot["availableMB"] + snapshot["allocatedMB"] == snapshot["totalMB"]

    running.client.force_kill_application(killed)
    running.run_until(lambda: all(running.app(i).state.is_final
                                  for i in (ok, killed, rejected, failed)))
    snapshot = running.rm.metrics.snapshot()
    assert (snapshot["appsSubmitted"], snapshot["appsCompleted"], snapshot["appsFailed"],
            snapshot["appsKilled"], snapshot["appsRunning"], snapshot["appsPending"]) == (
        3, 1, 1, 1, 0, 0)
    assert snapshot["allocatedMB"] == 0 and snapshot["containersPending"] == 0
    assert running.app(rejected).state is RMAppState.FAILED


def test_pending_resources_count_outstanding_asks(tmp_path):
    """Containers asked for but not allocated show as pending containers, MB and vcores."""
    running = RunningCluster(tmp_path, nodes=1, memory_mb=2048)
    running.submit(distributed_shell_command(5, 1024, "sleep", "600"))
    running.advance(5)
    snapshot = running.rm.metrics.snapshot()
    assert snapshot["allocatedMB"] == 2048
    assert snapshot["containersPending"] == 4
    assert (snapshot["pendingMB"], snapshot["pendingVirtualCores"]) == (4096, 4)


def test_metric_names_list_every_snapshot_field_in_order(tmp_path):
    """METRIC_NAMES (what scenario files may name) is exactly the snapshot's fields, in order."""
    from yarnemu.resourcemanager.metrics import METRIC_NAMES

    running = RunningCluster(tmp_path, nodes=1)
    assert tuple(running.rm.metrics.snapshot()) == METRIC_NAMES


# The counters against a recount: the metrics are kept as events happen; after every step of the
# RM state machines' random workloads they must equal what the live state says.


def recounted_metrics(rm):
    """The metrics counted afresh from the RM's and the scheduler's live state."""
    scheduler = rm.scheduler
    pending = running = 0
    for app in rm.apps.values():
        if not app.accepted or app.state.is_final:
            continue
        current = app.current_attempt
        live = scheduler.attempts.get(current.attempt_id) if current else None
        if live is not None and live.next_container > 1:
            running += 1
        else:
            pending += 1
    pending_containers = pending_mb = pending_vcores = 0
    for attempt in scheduler.attempts.values():
        for _, name, entry in attempt.asks.items():
            if name == ANY and entry.count > 0:
                pending_containers += entry.count
                pending_mb += entry.count * entry.capability.memory
                pending_vcores += entry.count * entry.capability.vcores
    states = Counter(node.state for node in (*rm.nodes.values(), *rm.inactive_nodes.values()))
    return {
        "appsPending": pending,
        "appsRunning": running,
        "containersPending": pending_containers,
        "pendingMB": pending_mb,
        "pendingVirtualCores": pending_vcores,
        "containersAllocated": len(scheduler.containers),
        "allocatedMB": sum(live.resource.memory for live in scheduler.containers.values()),
        "totalMB": sum(node.capability.memory for node in scheduler.nodes.values()),
        "activeNodes": states[NodeState.RUNNING],
        "lostNodes": states[NodeState.LOST],
        "unhealthyNodes": states[NodeState.UNHEALTHY],
        "decommissioningNodes": states[NodeState.DECOMMISSIONING],
        "decommissionedNodes": states[NodeState.DECOMMISSIONED],
        "rebootedNodes": states[NodeState.REBOOTED],
        "shutdownNodes": states[NodeState.SHUTDOWN],
        "totalNodes": sum(states[state] for state in (
            NodeState.RUNNING, NodeState.LOST, NodeState.UNHEALTHY, NodeState.DECOMMISSIONED,
            NodeState.REBOOTED, NodeState.SHUTDOWN)),
    }


def recounted_queue_apps(rm):
    """How many applications run and wait, counted afresh from the scheduler's applications in
    each one's leaf queue and every queue above it: ``{(path, user or None for the whole queue,
    "running" or "pending"): count}``."""
    scheduler = rm.scheduler
    counts = Counter()
    for application in scheduler.applications.values():
        attempt = application.current_attempt
        live = attempt is not None and scheduler.attempts.get(attempt.attempt_id) is attempt
        running = live and attempt.next_container > 1
        for path in queue_ancestry(queue_path(application.queue)):
            for who in (None, application.user):
                counts[path, who, "running" if running else "pending"] += 1
    return counts


class _MetricsAgreeWithRecount:
    """After every step the kept metrics equal a recount (a check added to a machine)."""

    @invariant()
    def metrics_agree_with_a_recount(self):
        if self.cluster is None:
            return
        metrics = self.rm.metrics
        kept = metrics.snapshot()
        expected = recounted_metrics(self.rm)
        assert {name: kept[name] for name in expected} == expected
        submitted = sum(1 for app in self.rm.apps.values() if app.accepted)
        assert kept["appsSubmitted"] == submitted, (kept, submitted)
        recount = recounted_queue_apps(self.rm)
        paths = {path for path, _, _ in recount} | {"root", "root.a", "root.b", "default"}
        for path in paths:
            queue = metrics.queue_apps(path)
            assert (queue.running, queue.pending) == (
                recount[path, None, "running"], recount[path, None, "pending"]), path
            for user, counts in metrics.user_apps(path).items():
                assert (counts.running, counts.pending) == (
                    recount[path, user, "running"], recount[path, user, "pending"]), (path, user)


class FifoMetricsMachine(_MetricsAgreeWithRecount, FifoMachine):
    stats = Counter()


class CapacityMetricsMachine(_MetricsAgreeWithRecount, CapacityMachine):
    stats = Counter()


@pytest.mark.parametrize("machine", [FifoMetricsMachine, CapacityMetricsMachine])
def test_kept_metrics_equal_a_recount_under_random_operations(machine):
    """Apps running and pending (in the cluster, per queue and per user), pending asks and nodes
    by state agree with the live state after every step of random node, application and AM
    operations (node loss and re-registration, kills, failing and retried attempts, unmanaged
    AMs)."""
    run_state_machine_as_test(machine, settings=settings(
        max_examples=min(settings.default.max_examples, 60), stateful_step_count=40))
