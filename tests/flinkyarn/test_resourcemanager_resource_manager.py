"""
Tests for :mod:`flinkyarn.runtime.resourcemanager.resource_manager`: the ResourceManager in a
real JobManager container, with fake TaskExecutors in real TaskManager containers and a fake
JobMaster: registrations, the slot flow, heartbeats and the REST views.
"""

import io

import pytest
from zope.interface.verify import verifyObject

from flinkyarn.ids import ResourceID
from flinkyarn.runtime.errors import ResourceManagerException
from flinkyarn.runtime.gateways import IResourceManagerGateway
from flinkyarn.runtime.messages import (
    HardwareDescription,
    RegistrationDecline,
    ResourceProfile,
    TaskExecutorRegistration,
)
from flinkyarn.runtime.resourcemanager.driver import IResourceEventHandler
from flinkyarn.runtime.rpc import RpcService
from flinkyarn.states import ApplicationStatus, JobStatus
from tests.flinkyarn.resourcemanager_doubles import ResourceManagerCluster
from yarnemu.errors import ApplicationAttemptNotFoundException
from yarnemu.records.states import FinalApplicationStatus


def start(tmp_path, **flink):
    cluster = ResourceManagerCluster(tmp_path, flink=flink)
    cluster.start()
    return cluster


def job(cluster, number=1):
    """:return: a FakeJobMaster registered at the ResourceManager."""
    master = cluster.jobmanager.job_master(number)
    cluster.advance(0.01)
    return master


def test_resource_manager_is_the_gateway_at_resourcemanager_0(tmp_path):
    """The ResourceManager provides IResourceManagerGateway (and the driver's event handler) as
    the JobManager process's resourcemanager_0."""
    cluster = start(tmp_path)
    rm = cluster.rm
    assert verifyObject(IResourceManagerGateway, rm)
    assert verifyObject(IResourceEventHandler, rm)
    assert rm.address.endswith("/user/rpc/resourcemanager_0")
    assert cluster.messages("Starting the resource manager.")
    assert cluster.messages("Starting the slot manager.")


def test_job_master_registration_is_answered_and_heartbeated(tmp_path):
    """A JobMaster's registration succeeds with the ResourceManager's id, and the
    ResourceManager asks it for heartbeats every heartbeat.interval."""
    cluster = start(tmp_path)
    master = job(cluster)
    assert master.registration.resource_id == cluster.rm.resource_id
    assert master.registration.registration_id == cluster.rm.resource_manager_id
    assert cluster.messages(f"Registered job manager {master.job_master_id}@{master.address} "
                            f"for job {master.job_id}.")
    cluster.advance(30)
    assert master.rm_heartbeats == 3


def test_requirements_of_an_unregistered_job_master_are_refused(tmp_path):
    """Declaring requirements without registering (or with another leader id) fails."""
    cluster = start(tmp_path)
    master = job(cluster)
    master.job_master_id = "someone else"
    failures = []
    master.declare(1).addErrback(failures.append)
    cluster.advance(0.01)
    assert isinstance(failures[0].value, ResourceManagerException)
    assert "does not match the received id someone else" in failures[0].value.message


def test_declared_slots_start_workers_whose_slots_reach_the_job(tmp_path):
    """Declaring two slots starts two one-slot workers; once their TaskExecutors register, each
    gets a request_slot for the job and offers the slot to its JobMaster."""
    cluster = start(tmp_path)
    master = job(cluster)
    master.declare(2)
    cluster.run_until(lambda: master.accepted_slots == 2, 60)
    assert [m.split(", current")[1] for m in cluster.messages("Requesting new worker")] == [
        " pending count: 1.", " pending count: 2."]
    assert cluster.messages("Requesting new worker with resource spec WorkerResourceSpec "
                            "{cpuCores=1.0, taskHeapSize=384.000mb (402653174 bytes), "
                            "taskOffHeapSize=0 bytes, networkMemSize=128.000mb (134217730 bytes), "
                            "managedMemSize=512.000mb (536870920 bytes), numSlots=1}")
    assert len(cluster.registrations()) == 2
    for task_executor in cluster.task_executors:
        ((slot_id, job_id, _),) = task_executor.request_slots
        assert (slot_id.slot_number, job_id) == (0, master.job_id)
        assert cluster.messages(f"Worker {task_executor.resource_id}(")
    assert cluster.rm.pending_worker_count == 0
    assert len(cluster.messages("is registered.")) == 2


def test_slots_of_multi_slot_task_managers_are_packed(tmp_path):
    """With two slots per TaskManager, three slots need two workers: ceil(3 / 2)."""
    cluster = start(tmp_path, **{"taskmanager.numberOfTaskSlots": "2"})
    master = job(cluster)
    master.declare(3)
    cluster.run_until(lambda: master.accepted_slots == 3, 60)
    assert len(cluster.worker_requests()) == 2
    assert cluster.messages("need request 2 new workers, current worker number 0, declared "
                            "worker number 2")
    assert cluster.rm.free_slot_count == 1


def test_free_slots_go_to_jobs_before_new_workers_are_started(tmp_path):
    """A slot a job gave back goes to the next job that needs one: no new worker."""
    cluster = start(tmp_path)
    first = job(cluster, 1)
    first.declare(1)
    cluster.run_until(lambda: first.accepted_slots == 1, 60)
    first.declare(0)
    (task_executor,) = cluster.registered
    task_executor.free_all_slots()
    second = job(cluster, 2)
    second.declare(1)
    cluster.run_until(lambda: second.accepted_slots == 1, 10)
    assert len(cluster.worker_requests()) == 1
    assert [job_id for _, job_id, _ in task_executor.request_slots] == [first.job_id,
                                                                        second.job_id]


def test_failed_slot_request_is_retried_on_another_slot(tmp_path):
    """A request_slot the TaskExecutor refuses frees the slot, which goes last in line: the
    job gets another free slot."""
    cluster = start(tmp_path, **{"taskmanager.numberOfTaskSlots": "2"})
    master = job(cluster)
    cluster.fail_request_slot = 1
    master.declare(1)
    cluster.run_until(lambda: master.accepted_slots == 1, 60)
    (task_executor,) = cluster.registered
    assert [slot_id.slot_number for slot_id, _, _ in task_executor.request_slots] == [0, 1]
    (text,) = cluster.messages("Slot allocation for allocation")
    assert f"for job {master.job_id} failed." in text


def test_unknown_task_executor_is_declined(tmp_path):
    """A TaskExecutor whose worker the ResourceManager did not start is declined with Flink's
    warning."""
    cluster = start(tmp_path)
    rpc = RpcService(cluster.cluster.network, "node-2", cluster.clock)
    address = rpc.start_server(object(), "taskmanager")
    profile = ResourceProfile(1.0, 384, 0, 512, 128)
    registration = TaskExecutorRegistration(
        address, ResourceID("container_1767225600000_0001_01_000099"), 40000, -1,
        HardwareDescription(1, 1, 1, 1), {}, profile, profile, "node-2", 1)
    answers = []
    rpc.connect(cluster.rm.address).register_task_executor(registration).addCallback(
        answers.append)
    cluster.advance(0.01)
    assert answers == [RegistrationDecline("The ResourceManager does not recognize this "
                                           "TaskExecutor.")]
    ((_, level, _),) = cluster.logs("Discard registration from TaskExecutor container_"
                                    f"1767225600000_0001_01_000099 at ({address}) because the "
                                    "framework did not recognize it")
    assert level == "WARN"


def test_slot_report_with_an_unknown_registration_id_is_refused(tmp_path):
    """A slot report under a registration id the ResourceManager did not give fails."""
    cluster = start(tmp_path)
    with pytest.raises(ResourceManagerException, match="Unknown TaskManager registration id x."):
        cluster.rm.send_slot_report(ResourceID("container_x"), "x", None)


def test_heartbeat_timeout_closes_the_task_executor_and_tells_the_job_masters(tmp_path):
    """A TaskExecutor that stops answering heartbeats is timed out after heartbeat.timeout: its
    slots are gone, its JobMasters are told and its worker is stopped (and replaced)."""
    cluster = start(tmp_path)
    master = job(cluster)
    master.declare(1)
    cluster.run_until(lambda: master.accepted_slots == 1, 60)
    (task_executor,) = cluster.registered
    cluster.hang_heartbeats = True
    cluster.run_until(lambda: master.disconnected, 70)
    cluster.hang_heartbeats = False
    name = f"{task_executor.resource_id}({task_executor.host}:45454)"
    message = f"The heartbeat of TaskManager with id {name} timed out."
    assert master.disconnected == [(task_executor.resource_id, message)]
    assert cluster.messages(f"Closing TaskExecutor connection {name} because: {message}")
    assert cluster.messages(f"Stopping worker {name}.")
    cluster.run_until(lambda: master.accepted_slots == 1, 60)
    assert len(cluster.worker_requests()) == 2


def test_slot_reports_in_heartbeats_free_slots_the_task_executor_freed(tmp_path):
    """A slot the TaskExecutor reports free in a heartbeat is free for the ResourceManager."""
    cluster = start(tmp_path)
    master = job(cluster)
    master.declare(1)
    cluster.run_until(lambda: master.accepted_slots == 1, 60)
    master.declare(0)
    (task_executor,) = cluster.registered
    task_executor.slots = {0: None}
    cluster.advance(10)
    (allocated,) = cluster.messages("Starting allocation of slot")
    allocation_id = allocated.split()[4]
    assert cluster.messages(f"Freeing slot {allocation_id} by slot report.")
    assert cluster.rm.free_slot_count == 1


def test_disconnecting_job_master_drops_its_requirements(tmp_path):
    """A JobMaster that leaves with a terminal job status has its requirements dropped: its
    pending workers are cancelled."""
    cluster = start(tmp_path)
    master = job(cluster)
    master.declare(2)
    cluster.advance(0.1)
    master.finish(JobStatus.FINISHED)
    cluster.advance(0.1)
    assert cluster.messages(f"Disconnect job manager {master.job_master_id}@{master.address} "
                            f"for job {master.job_id} from the resource manager.")
    assert cluster.messages("need release 2 workers, current worker number 2, declared worker "
                            "number 0")
    assert cluster.rm.pending_worker_count == 0
    assert cluster.rm.job_ids() == ()


def test_suspended_job_master_keeps_its_requirements(tmp_path):
    """A JobMaster that leaves with a non-terminal status (SUSPENDED) keeps its requirements
    for the next leader, as in Flink."""
    cluster = start(tmp_path)
    master = job(cluster)
    master.declare(1)
    cluster.advance(0.1)
    master.finish(JobStatus.SUSPENDED)
    cluster.advance(0.1)
    assert cluster.rm.slot_manager.requirements_of(master.job_id) is not None
    assert cluster.rm.pending_worker_count == 1


def test_task_manager_views_show_registration_and_slots(tmp_path):
    """The REST views list each TaskManager with its slots, free and allocated to jobs."""
    cluster = start(tmp_path, **{"taskmanager.numberOfTaskSlots": "2"})
    master = job(cluster)
    master.declare(1)
    cluster.run_until(lambda: master.accepted_slots == 1, 60)
    (info,) = cluster.rm.task_manager_infos()
    (task_executor,) = cluster.registered
    assert info.resource_id == task_executor.resource_id
    assert [slot.state for slot in info.slots] == ["ALLOCATED", "FREE"]
    assert info.slots[0].job_id == master.job_id
    (view,) = cluster.rm.task_manager_views(cluster.now_ms(), True)
    assert view["id"] == str(task_executor.resource_id)
    assert view["path"] == task_executor.address
    assert (view["slotsNumber"], view["freeSlots"]) == (2, 1)
    assert view["allocatedSlots"] == [{"jobId": str(master.job_id),
                                       "resource": ResourceProfile(1.0, 384, 0, 512, 128)
                                       .to_json()}]
    assert view["hardware"]["cpuCores"] == 1
    assert cluster.rm.registered_task_manager_count == 1
    assert cluster.rm.registered_slot_count == 2


def test_deregister_application_unregisters_from_yarn(tmp_path):
    """Deregistering through the ResourceManager unregisters the AM with the application's
    final status and deletes the staging directory."""
    cluster = start(tmp_path)
    done = []
    cluster.rm.deregister_application(ApplicationStatus.SUCCEEDED, None).addCallback(done.append)
    cluster.run_until(lambda: done, 10)
    assert cluster.messages("Shut down cluster because application is in SUCCEEDED, "
                            "diagnostics null.")
    assert not cluster.cluster.filesystem.exists(f"/user/alice/.flink/{cluster.application_id}")
    app = cluster.cluster.rm.apps[cluster.application_id]
    assert app.final_application_status is FinalApplicationStatus.SUCCEEDED
    cluster.rm.stop()
    cluster.jobmanager.context.exit(0)
    cluster.run_until(lambda: app.state.is_final, 30)


def test_shutdown_request_from_yarn_is_a_fatal_error(tmp_path):
    """A shutdown request from YARN reaches the fatal error handler."""
    cluster = start(tmp_path)

    def unknown_attempt(attempt_id, request):
        raise ApplicationAttemptNotFoundException("gone")

    cluster.cluster.rm.am_service.allocate = unknown_attempt
    cluster.advance(6)
    (error,) = cluster.jobmanager.fatal_errors
    assert error.message == "Received shutdown request from YARN ResourceManager."
    assert cluster.logs("Fatal error occurred in ResourceManager.")[0][1] == "ERROR"


def test_same_scenario_gives_the_same_event_log(tmp_path):
    """Two runs of one scenario write byte-identical event logs."""

    def run(directory):
        cluster = start(directory, **{"taskmanager.numberOfTaskSlots": "2"})
        master = job(cluster)
        master.declare(3)
        cluster.run_until(lambda: master.accepted_slots == 3, 60)
        master.declare(0)
        for task_executor in cluster.registered:
            task_executor.free_all_slots()
        cluster.advance(90)
        stream = io.StringIO()
        cluster.cluster.events.write_jsonl(stream)
        return stream.getvalue()

    first = run(tmp_path / "first")
    assert "need release" in first
    assert first == run(tmp_path / "second")
