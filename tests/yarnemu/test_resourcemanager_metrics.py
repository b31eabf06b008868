"""
Tests of the RM's cluster metrics (``/ws/v1/cluster/metrics`` field names and meaning).
"""

from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records import RMAppState

from .running_cluster import RunningCluster


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
