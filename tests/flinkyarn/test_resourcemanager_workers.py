"""
Tests for :mod:`flinkyarn.runtime.resourcemanager.workers`: how an active ResourceManager starts,
replaces and releases workers (TaskManager containers) — registration timeouts, idle
TaskManagers, dropped requirements, start failures — in a real yarnemu cluster.
"""

import pytest

from flinkyarn.ids import ResourceID
from flinkyarn.runtime.resourcemanager.yarn_driver import YarnWorkerNode
from tests.flinkyarn.resourcemanager_doubles import ResourceManagerCluster
from yarnemu.records.containers import Container, ContainerStatus
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.ids import ContainerId, NodeId
from yarnemu.records.resource import Resource
from yarnemu.records.states import ContainerState


def start(tmp_path, **flink):
    cluster = ResourceManagerCluster(tmp_path, flink=flink)
    cluster.start()
    return cluster


def job_with_slots(cluster, count=1):
    """:return: a FakeJobMaster that declared ``count`` slots and got them."""
    master = cluster.jobmanager.job_master()
    cluster.advance(0.01)
    master.declare(count)
    cluster.run_until(lambda: master.accepted_slots == count, 60)
    return master


def seconds(cluster, time_ms):
    return (time_ms - cluster.now_ms()) / 1000.0


def test_worker_that_does_not_register_in_time_is_replaced(tmp_path):
    """A started worker that has not registered within the registration timeout is stopped and
    a new one is requested."""
    cluster = start(tmp_path, **{"resourcemanager.taskmanager-registration.timeout": "20 s"})
    cluster.register = False
    master = cluster.jobmanager.job_master()
    cluster.advance(0.01)
    master.declare(1)
    cluster.run_until(lambda: cluster.messages("did not register in"), 60)
    (first,) = cluster.task_executors
    ((_, level, text),) = cluster.logs("did not register in")
    assert level == "WARN"
    assert text == (f"Worker {first.resource_id} did not register in PT20S, will stop it and "
                    "request a new one if needed.")
    (requested,) = [t for t, _, m in cluster.logs(f"Requested worker {first.resource_id}(")]
    (timed_out,) = [t for t, _, _ in cluster.logs("did not register in")]
    assert timed_out - requested == 20000
    assert cluster.messages(f"Stopping worker {first.resource_id}(")
    assert len(cluster.worker_requests()) == 2
    cluster.register = True
    cluster.run_until(lambda: master.accepted_slots == 1, 60)
    assert first.context.exited


def test_idle_task_manager_is_released_after_the_timeout(tmp_path):
    """A TaskManager whose slots are all free is released at the first idle check at least
    resourcemanager.taskmanager-timeout after it became idle; its TaskExecutor, re-registering,
    is then declined."""
    cluster = start(tmp_path)
    master = job_with_slots(cluster)
    (task_executor,) = cluster.registered
    master.declare(0)
    task_executor.free_all_slots()
    cluster.advance(0.01)
    idle_since = cluster.now_ms()
    cluster.run_until(lambda: cluster.messages("need release"), 70)
    (released_at, _, _), = cluster.logs("need release 1 workers, current worker number 1, "
                                        "declared worker number 0")
    start_ms = cluster.logs("Starting the slot manager.")[0][0]
    # Idle checks run every 30 s from the slot manager's start.
    assert (released_at - start_ms) % 30000 == 0
    assert 30000 <= released_at - idle_since < 60000
    name = f"{task_executor.resource_id}({task_executor.host}:45454)"
    assert cluster.messages(f"Stopping worker {name}.")
    assert cluster.messages(f"Stopping container {name}.")
    assert cluster.messages(f"Closing TaskExecutor connection {name} because: slot manager has "
                            "determined that the resource is no longer needed")
    cluster.advance(5)
    assert task_executor.rm_disconnects
    assert cluster.messages(f"Discard registration from TaskExecutor {task_executor.resource_id}")
    assert task_executor.context.exited
    assert cluster.rm.registered_task_manager_count == 0
    assert len(cluster.worker_requests()) == 1


def test_busy_task_manager_is_kept(tmp_path):
    """A TaskManager with an allocated slot is never released for being idle."""
    cluster = start(tmp_path)
    job_with_slots(cluster)
    cluster.advance(120)
    assert cluster.messages("need release") == []
    assert cluster.rm.registered_task_manager_count == 1


def test_redundant_task_managers_are_started_and_kept(tmp_path):
    """With slotmanager.redundant-taskmanager-num 1 the cluster keeps one TaskManager's worth of
    free slots: one is started without any job and never released."""
    cluster = start(tmp_path, **{"slotmanager.redundant-taskmanager-num": "1"})
    cluster.run_until(lambda: cluster.rm.registered_slot_count == 1, 60)
    cluster.advance(120)
    assert cluster.messages("need release") == []
    assert len(cluster.worker_requests()) == 1
    assert cluster.rm.free_slot_count == 1


def test_dropped_requirements_cancel_pending_requests(tmp_path):
    """When a job needs fewer slots, the requests not yet allocated are cancelled (Flink's
    release order: unwanted, then unallocated requests)."""
    cluster = start(tmp_path)
    master = cluster.jobmanager.job_master()
    cluster.advance(0.01)
    master.declare(3)
    cluster.advance(0.1)
    assert cluster.driver.pending_requests == 3
    master.declare(1)
    cluster.advance(0.1)
    assert cluster.messages("need release 2 workers, current worker number 3, declared worker "
                            "number 1")
    assert cluster.messages("cancelling pending request with priority 1, remaining") == [
        "cancelling pending request with priority 1, remaining 2 pending container requests.",
        "cancelling pending request with priority 1, remaining 1 pending container requests."]
    canceled = cluster.messages("canceled, current pending count")
    assert [text.rsplit(" ", 1)[1] for text in canceled] == ["2", "1"]
    cluster.run_until(lambda: master.accepted_slots == 1, 60)
    cluster.advance(10)
    assert len(cluster.task_executors) == 1


def test_dropped_requirements_stop_started_workers_that_have_not_registered(tmp_path):
    """Workers already started but not registered are stopped when no longer needed."""
    cluster = start(tmp_path)
    cluster.register = False
    master = cluster.jobmanager.job_master()
    cluster.advance(0.01)
    master.declare(2)
    cluster.run_until(lambda: len(cluster.task_executors) == 2, 60)
    master.declare(0)
    cluster.advance(0.1)
    assert cluster.messages("need release 2 workers, current worker number 2, declared worker "
                            "number 0")
    for task_executor in cluster.task_executors:
        assert cluster.messages(f"Stopping container {task_executor.resource_id}(")
    cluster.advance(5)
    assert all(te.context.exited for te in cluster.task_executors)
    assert cluster.rm.pending_worker_count == 0


def test_start_failures_beyond_the_rate_pause_new_requests(tmp_path):
    """Workers that end before registering count as failed starts; reaching
    resourcemanager.start-worker.max-failure-rate pauses requests for the retry interval."""
    cluster = start(tmp_path, **{"resourcemanager.start-worker.max-failure-rate": "3",
                                 "resourcemanager.start-worker.retry-interval": "10 s"})
    cluster.crash_task_executors = 3
    master = cluster.jobmanager.job_master()
    cluster.advance(0.01)
    master.declare(1)
    cluster.run_until(lambda: master.accepted_slots == 1, 120)
    ((reached, level, text),) = cluster.logs("Reaching max start worker failure rate")
    assert level == "WARN"
    assert text == ("Reaching max start worker failure rate: 3 events detected in the recent "
                    "interval, reaching the threshold 3.000000.")
    assert cluster.messages("Will not retry creating worker in PT10S.")
    requests = [event.time for event in cluster.worker_requests()]
    assert len(requests) == 4
    assert requests[3] - reached == 10000
    assert all(later - earlier < 10000 for earlier, later in zip(requests[:3], requests[1:3]))


@pytest.mark.parametrize("exit_status", [
    ContainerExitStatus.SUCCESS, ContainerExitStatus.ABORTED, ContainerExitStatus.PREEMPTED,
    ContainerExitStatus.DISKS_FAILED, 143,
])
def test_terminated_worker_is_replaced_while_still_needed(tmp_path, exit_status):
    """A completed container (whatever its exit status) is a terminated worker: its
    TaskExecutor's connection is closed, the JobMasters are told, and a new worker is requested
    because the job still needs the slot."""
    cluster = start(tmp_path)
    master = job_with_slots(cluster)
    (task_executor,) = cluster.registered
    container_id = ContainerId.parse(str(task_executor.resource_id))
    status = ContainerStatus(container_id, ContainerState.COMPLETE, exit_status, "gone")
    cluster.driver.on_containers_completed([status])
    (text,) = cluster.messages(f"Worker {container_id} is terminated. Diagnostics: ")
    assert text.endswith("gone")
    cluster.advance(0.01)
    assert master.disconnected == [(task_executor.resource_id, text.split("Diagnostics: ", 1)[1])]
    assert task_executor.rm_disconnects
    assert len(cluster.worker_requests()) == 2
    cluster.run_until(lambda: master.accepted_slots == 1, 60)


def test_crashed_task_manager_container_is_replaced(tmp_path):
    """A TaskManager process that exits is reported by YARN and replaced."""
    cluster = start(tmp_path)
    master = job_with_slots(cluster)
    (task_executor,) = cluster.registered
    task_executor.context.exit(1, "crash")
    cluster.run_until(lambda: master.disconnected, 30)
    (text,) = cluster.messages(f"Worker {task_executor.resource_id} is terminated.")
    assert "marked as failed.\n Exit code:1." in text
    cluster.run_until(lambda: master.accepted_slots == 1, 60)
    assert len(cluster.worker_requests()) == 2


def test_idle_worker_that_terminates_is_not_replaced(tmp_path):
    """A terminated worker nobody needs is not replaced."""
    cluster = start(tmp_path)
    master = job_with_slots(cluster)
    (task_executor,) = cluster.registered
    master.declare(0)
    task_executor.free_all_slots()
    cluster.advance(0.1)
    task_executor.context.exit(0)
    cluster.run_until(lambda: cluster.messages("is terminated"), 30)
    cluster.advance(10)
    assert len(cluster.worker_requests()) == 1


def test_container_that_cannot_be_started_is_replaced(tmp_path):
    """A container the NodeManager refuses is released and a new worker requested."""
    cluster = start(tmp_path)
    cluster.refuse_starts = 1
    master = job_with_slots(cluster)
    (refused,) = cluster.messages("refused by the test")
    assert refused.startswith("Worker container_") and " is terminated. Diagnostics: " in refused
    assert len(cluster.worker_requests()) == 2
    assert master.accepted_slots == 1


def test_unknown_terminated_container_changes_nothing(tmp_path):
    """A completion for a container the ResourceManager does not know is ignored."""
    cluster = start(tmp_path)
    cluster.rm.on_worker_terminated(ResourceID("container_1767225600000_0001_01_000099"), "x")
    assert cluster.messages("is terminated") == []
    assert cluster.worker_requests() == []


def test_workers_of_a_previous_attempt_are_accepted_or_timed_out(tmp_path):
    """Workers recovered from a previous attempt may register; one that does not register in
    time is stopped."""
    cluster = start(tmp_path, **{"resourcemanager.taskmanager-registration.timeout": "10 s"})
    container = Container(ContainerId.parse("container_1767225600000_0001_01_000042"),
                          NodeId("node-0", 45454), "node-0:8042", Resource(2048, 1), 1)
    cluster.rm.on_previous_attempt_workers_recovered([YarnWorkerNode(container)])
    assert cluster.messages("Recovered 1 workers from previous attempt.")
    assert cluster.rm.workers.accept_registration(ResourceID(str(container.id))) is not None
    cluster.advance(11)
    assert cluster.messages(f"Worker {container.id} did not register in PT10S, will stop it and "
                            "request a new one if needed.")
    assert cluster.rm.workers.accept_registration(ResourceID(str(container.id))) is None
    assert cluster.jobmanager.fatal_errors == []
