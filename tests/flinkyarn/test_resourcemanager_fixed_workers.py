"""
Tests for :mod:`flinkyarn.runtime.resourcemanager.fixed_workers`: a standalone session's
ResourceManager (``fixed_workers=N``) in a real yarnemu cluster.
"""

from tests.flinkyarn.resourcemanager_doubles import ResourceManagerCluster


def start(tmp_path, workers, **flink):
    cluster = ResourceManagerCluster(tmp_path, flink=flink, fixed_workers=workers)
    cluster.start()
    return cluster


def test_standalone_cluster_starts_exactly_its_workers(tmp_path):
    """A standalone ResourceManager starts its N workers at start, without any job."""
    cluster = start(tmp_path, 2)
    cluster.run_until(lambda: cluster.rm.registered_slot_count == 2, 60)
    assert len(cluster.worker_requests()) == 2
    assert cluster.rm.pending_worker_count == 0
    assert len(cluster.messages("is registered.")) == 2


def test_standalone_cluster_never_requests_more_workers(tmp_path):
    """Requirements beyond the registered slots stay unmet: no worker is requested for them."""
    cluster = start(tmp_path, 2)
    cluster.run_until(lambda: cluster.rm.registered_slot_count == 2, 60)
    master = cluster.jobmanager.job_master()
    cluster.advance(0.01)
    master.declare(3)
    cluster.advance(120)
    assert master.accepted_slots == 2
    assert len(cluster.worker_requests()) == 2
    (text,) = cluster.messages("Could not fulfill resource requirements of job")
    assert text == f"Could not fulfill resource requirements of job {master.job_id}."


def test_standalone_cluster_keeps_idle_task_managers(tmp_path):
    """Idle TaskManagers of a standalone cluster are never released."""
    cluster = start(tmp_path, 1)
    cluster.run_until(lambda: cluster.rm.registered_slot_count == 1, 60)
    cluster.advance(300)
    assert cluster.messages("need release") == []
    assert cluster.rm.registered_task_manager_count == 1


def test_standalone_cluster_does_not_replace_a_lost_worker(tmp_path):
    """A worker of a standalone cluster that ends is not replaced."""
    cluster = start(tmp_path, 1)
    cluster.run_until(lambda: cluster.rm.registered_slot_count == 1, 60)
    (task_executor,) = cluster.registered
    task_executor.context.exit(1, "crash")
    cluster.advance(60)
    assert cluster.rm.registered_task_manager_count == 0
    assert len(cluster.worker_requests()) == 1
