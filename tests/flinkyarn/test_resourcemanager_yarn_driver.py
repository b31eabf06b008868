"""
Tests for :mod:`flinkyarn.runtime.resourcemanager.yarn_driver`: the YARN driver alone, in a real
JobManager container of a real yarnemu cluster, reporting to a recording handler (the behaviours
``YarnResourceManagerDriverTest`` pins).
"""

import pytest
from twisted.internet.defer import CancelledError

from flinkyarn.config import TaskExecutorProcessSpec
from flinkyarn.ids import ResourceID
from flinkyarn.runtime.errors import ResourceManagerException
from flinkyarn.runtime.resourcemanager.yarn_driver import (
    ERROR_MESSAGE_ON_SHUTDOWN_REQUEST,
    YarnResourceManagerDriver,
    YarnWorkerNode,
    container_completed_cause,
)
from flinkyarn.states import ApplicationStatus
from tests.flinkyarn.resourcemanager_doubles import RecordingEventHandler, ResourceManagerCluster
from yarnemu.errors import ApplicationAttemptNotFoundException
from yarnemu.events import AMRegistered, ContainerAllocated
from yarnemu.records.am_protocol import ANY
from yarnemu.records.containers import ContainerStatus
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.ids import ContainerId
from yarnemu.records.resource import Resource
from yarnemu.records.states import ContainerState, FinalApplicationStatus, RMContainerState


@pytest.fixture
def cluster(tmp_path):
    cluster = ResourceManagerCluster(tmp_path, driver_only=True)
    cluster.start()
    return cluster


def spec_of(cluster, **settings):
    return TaskExecutorProcessSpec.for_yarn(cluster.config.with_values(settings))


def request(cluster, spec):
    """Request a worker; :return: ``(deferred, results)`` where results collects the outcome."""
    results = []
    d = cluster.driver.request_resource(spec)
    d.addBoth(results.append)
    return d, results


def pending_requests(cluster, priority, resource):
    return [r for requests in cluster.driver.amrm.get_matching_requests(priority, ANY, resource)
            for r in requests]


def test_initialize_registers_the_application_master(cluster):
    """The AM registers with the JobManager's host, the REST port as RPC port and the web
    interface as tracking URL, and reports no previous containers."""
    (registered,) = [e for e in cluster.cluster.events.events if isinstance(e, AMRegistered)]
    host = cluster.jobmanager.host
    assert (registered.host, registered.rpc_port, registered.tracking_url) == (
        host, 8081, f"http://{host}:8081")
    assert cluster.messages("Recovered 0 containers from previous attempts ([]).")
    assert cluster.jobmanager.handler.recovered == []


def test_request_resource_adds_one_container_request_per_call(cluster):
    """Each request adds one container request at the spec's priority and size."""
    spec = spec_of(cluster)
    request(cluster, spec)
    request(cluster, spec)
    assert len(pending_requests(cluster, 1, Resource(1728, 1))) == 2
    assert cluster.driver.pending_requests == 2
    (text,) = set(cluster.messages("Requesting new TaskExecutor container"))
    assert text.startswith("Requesting new TaskExecutor container with resource "
                           "TaskExecutorProcessSpec {cpuCores=1.0, frameworkHeapSize=128.000mb "
                           "(134217728 bytes)")
    assert text.endswith("numSlots=1}, priority 1.")
    events = cluster.worker_requests()
    assert [(e.memory_mb, e.vcores, e.priority, e.pending) for e in events] == [
        (1728, 1, 1, 1), (1728, 1, 1, 2)]


def test_allocated_container_completes_the_request_and_starts_a_task_executor(cluster):
    """An allocation completes the request with the worker, removes the container request and
    starts the TaskExecutor runner in the container with its resource id."""
    spec = spec_of(cluster)
    _, results = request(cluster, spec)
    cluster.run_until(lambda: results)
    (worker,) = results
    assert isinstance(worker, YarnWorkerNode)
    assert pending_requests(cluster, 1, Resource(1728, 1)) == []
    assert cluster.messages("Accepted 1 requested containers, returned 0 excess containers, 0 "
                            "pending container requests of resource <memory:1728, vCores:1>.")
    cluster.run_until(lambda: cluster.task_executors and hasattr(cluster.task_executors[0],
                                                                 "resource_id"))
    (task_executor,) = cluster.task_executors
    assert task_executor.resource_id == ResourceID(str(worker.container.id))
    assert task_executor.config.get_raw("internal.taskmanager.resource-id.metadata") == \
        str(worker.container.node_id)
    assert cluster.messages(f"TaskExecutor {worker} will be started on "
                            f"{worker.container.node_id.host} with TaskExecutorProcessSpec")
    assert cluster.messages("Starting TaskManagers")


def test_cancelled_request_removes_its_container_request_and_starts_nothing(cluster):
    """Cancelling a request removes one container request; no container is started for it."""
    spec = spec_of(cluster)
    d, results = request(cluster, spec)
    d.cancel()
    assert results[0].check(CancelledError)
    assert pending_requests(cluster, 1, Resource(1728, 1)) == []
    assert cluster.messages("cancelling pending request with priority 1, remaining 0 pending "
                            "container requests.")
    cluster.advance(30)
    assert cluster.allocations() == []
    assert cluster.task_executors == []


def test_two_specs_get_two_priorities_and_each_container_runs_its_spec(cluster):
    """Two TaskExecutor specs get priorities 1 and 2 and their own sizes; each allocated
    container starts a TaskExecutor with the spec of its priority."""
    small = spec_of(cluster)
    large = spec_of(cluster, **{"taskmanager.memory.process.size": "3g"})
    assert cluster.driver.container_resource(small) == Resource(1728, 1)
    assert cluster.driver.container_resource(large) == Resource(3072, 1)
    _, small_results = request(cluster, small)
    _, large_results = request(cluster, large)
    cluster.run_until(lambda: small_results and large_results)
    assert small_results[0].container.priority == 1
    assert large_results[0].container.priority == 2
    cluster.run_until(lambda: len([te for te in cluster.task_executors
                                   if hasattr(te, "resource_id")]) == 2)
    heaps = {str(te.resource_id): te.config.get_raw("taskmanager.memory.task.heap.size")
             for te in cluster.task_executors}
    assert heaps == {
        str(small_results[0].container.id): f"{small.task_heap.bytes}b",
        str(large_results[0].container.id): f"{large.task_heap.bytes}b",
    }


def test_spec_larger_than_yarns_maximum_fails_the_request(cluster):
    """A spec whose container exceeds YARN's maximum allocation is refused with Flink's
    message, after a warning."""
    spec = spec_of(cluster, **{"taskmanager.memory.process.size": "16g"})
    _, results = request(cluster, spec)
    error = results[0].value
    assert isinstance(error, ResourceManagerException)
    assert error.message.startswith("Could not compute the container Resource from the given "
                                    "TaskExecutorProcessSpec TaskExecutorProcessSpec {")
    assert error.message.endswith("This usually indicates the requested resource is larger than "
                                  "Yarn's max container resource limit.")
    assert cluster.logs("Requested container resource (<memory:16384, vCores:1>) exceeds the max "
                        "limitation of the Yarn cluster (<memory:8192, vCores:4>). Will not "
                        "allocate resource.")[0][1] == "WARN"


def test_excess_containers_are_returned(cluster):
    """A request added while an allocation is on its way raises YARN's absolute ask, so YARN
    allocates one container too many: the driver returns it (YARN-1902)."""
    spec = spec_of(cluster)
    first = []

    def second_request(event):
        if isinstance(event, ContainerAllocated) and not first:
            first.append(event)
            request(cluster, spec)

    cluster.cluster.events.subscribe(second_request)
    request(cluster, spec)
    cluster.run_until(lambda: cluster.messages("Returning excess container"), 30)
    cluster.advance(10)
    returned = [ContainerId.parse(text.split()[-1].rstrip("."))
                for text in cluster.messages("Returning excess container")]
    assert cluster.messages("returned 1 excess containers")
    assert len(cluster.allocations()) == 2 + len(returned)
    for container in cluster.task_containers():
        if container.container_id in returned:
            assert container.state is RMContainerState.RELEASED
    assert len(cluster.task_executors) == 2


def test_completed_container_is_reported_terminated_with_flinks_diagnostics(cluster):
    """A TaskManager container that exits 1 is reported as a terminated worker with Flink's
    'marked as failed' diagnostics."""
    cluster.crash_task_executors = 1
    _, results = request(cluster, spec_of(cluster))
    handler = cluster.jobmanager.handler
    cluster.run_until(lambda: handler.terminated, 60)
    ((resource_id, diagnostics),) = handler.terminated
    container_id = results[0].container.id
    assert resource_id == ResourceID(str(container_id))
    assert diagnostics.startswith(f"Container {container_id} marked as failed.\n Exit code:1.\n "
                                  "Diagnostics:")


@pytest.mark.parametrize("exit_status, text", [
    (ContainerExitStatus.SUCCESS, "Container {} exited normally. Diagnostics: done"),
    (ContainerExitStatus.PREEMPTED, "Container {} was preempted by yarn. Diagnostics: done"),
    (ContainerExitStatus.INVALID, "Container {} was invalid. Diagnostics: done"),
    (ContainerExitStatus.ABORTED, "Container {} killed by YARN, either due to being released by "
                                  "the application or being 'lost' due to node failures etc. "
                                  "Diagnostics: done"),
    (ContainerExitStatus.DISKS_FAILED, "Container {} is failed because threshold number of the "
                                       "nodemanager-local-directories or threshold number of the "
                                       "nodemanager-log-directories have become bad. "
                                       "Diagnostics: done"),
    (137, "Container {} marked as failed.\n Exit code:137.\n Diagnostics:done"),
])
def test_container_completed_cause(exit_status, text):
    """Each exit status is worded as Flink's getContainerCompletedCause words it."""
    container_id = ContainerId.parse("container_1767225600000_0001_01_000002")
    status = ContainerStatus(container_id, ContainerState.COMPLETE, exit_status, "done")
    assert container_completed_cause(status) == text.format(container_id)


def test_start_error_releases_the_container_and_reports_the_worker_terminated(cluster):
    """A container the NodeManager refuses to start is released and reported terminated."""
    cluster.refuse_starts = 1
    _, results = request(cluster, spec_of(cluster))
    handler = cluster.jobmanager.handler
    cluster.run_until(lambda: handler.terminated, 60)
    container_id = results[0].container.id
    assert handler.terminated == [(ResourceID(str(container_id)),
                                   f"Container {container_id} refused by the test")]
    cluster.advance(5)
    (released,) = [c for c in cluster.task_containers() if c.container_id == container_id]
    assert released.state is RMContainerState.RELEASED


def test_release_resource_stops_and_releases_the_container(cluster):
    """Releasing a worker stops its container on the NodeManager and releases it to YARN."""
    _, results = request(cluster, spec_of(cluster))
    cluster.run_until(lambda: results)
    (worker,) = results
    cluster.advance(3)
    cluster.driver.release_resource(worker)
    assert cluster.messages(f"Stopping container {worker}.")
    cluster.advance(5)
    (stopped,) = [c for c in cluster.task_containers() if c.container_id == worker.container.id]
    assert stopped.state.is_final
    assert cluster.task_executors[0].context.exited


def test_deregister_application_unregisters_and_deletes_the_staging_directory(cluster):
    """Deregistering unregisters with the YARN final status of the application status and
    deletes the _FLINK_YARN_FILES directory."""
    staging = f"/user/alice/.flink/{cluster.application_id}"
    filesystem = cluster.cluster.filesystem
    assert filesystem.exists(staging)
    done = []
    cluster.driver.deregister_application(ApplicationStatus.CANCELED, "cancelled by test") \
        .addCallback(done.append)
    cluster.run_until(lambda: done, 10)
    assert not filesystem.exists(staging)
    assert cluster.messages("Unregister application from the YARN Resource Manager with final "
                            "status KILLED.")
    app = cluster.cluster.rm.apps[cluster.application_id]
    assert app.final_application_status is FinalApplicationStatus.KILLED


def test_deregister_logs_when_the_staging_directory_is_gone(cluster):
    """A staging directory that cannot be deleted is only logged, as Flink does."""
    cluster.cluster.filesystem.delete(f"/user/alice/.flink/{cluster.application_id}")
    done = []
    cluster.driver.deregister_application(ApplicationStatus.SUCCEEDED, None).addCallback(
        done.append)
    cluster.run_until(lambda: done, 10)
    ((_, level, _),) = cluster.logs("Deleting yarn application files under hdfs://namenode:8020"
                                    f"/user/alice/.flink/{cluster.application_id} was "
                                    "unsuccessful.")
    assert level == "ERROR"


def test_shutdown_request_is_a_fatal_error(cluster):
    """When YARN no longer knows the attempt, the driver reports a fatal ResourceManager
    error."""
    am_service = cluster.cluster.rm.am_service

    def unknown_attempt(attempt_id, request):
        raise ApplicationAttemptNotFoundException(f"Application attempt {attempt_id} doesn't "
                                                  "exist in ApplicationMasterService cache.")

    am_service.allocate = unknown_attempt
    handler = cluster.jobmanager.handler
    cluster.run_until(lambda: handler.errors, 10)
    (error,) = handler.errors
    assert isinstance(error, ResourceManagerException)
    assert error.message == ERROR_MESSAGE_ON_SHUTDOWN_REQUEST


def test_errors_after_termination_are_ignored(cluster):
    """Once terminated, the driver reports nothing more."""
    cluster.driver.terminate()
    cluster.driver.on_error(RuntimeError("late"))
    cluster.driver.on_shutdown_request()
    assert cluster.jobmanager.handler.errors == []


def test_heartbeat_interval_is_short_while_requests_are_outstanding(tmp_path):
    """The AM heartbeats every 5 s, every 500 ms while container requests are outstanding, and
    every 5 s again once all are allocated."""
    cluster = ResourceManagerCluster(tmp_path, driver_only=True)
    times = []
    am_service = cluster.cluster.rm.am_service
    allocate = am_service.allocate

    def recording(attempt_id, request):
        times.append(cluster.now_ms())
        return allocate(attempt_id, request)

    am_service.allocate = recording
    cluster.start()
    cluster.advance(12)
    _, results = request(cluster, spec_of(cluster))
    cluster.run_until(lambda: results)
    allocated_ms = cluster.now_ms()
    cluster.advance(20)
    gaps = [later - earlier for earlier, later in zip(times, times[1:])]
    before = [gap for time, gap in zip(times[1:], gaps) if time <= times[0] + 12000]
    assert before and set(before) == {5000}
    during = [gap for time, gap in zip(times[1:], gaps) if times[0] + 15000 < time <= allocated_ms]
    assert during and set(during) == {500}
    after = [gap for time, gap in zip(times[1:], gaps) if time > allocated_ms + 500]
    assert after and set(after) == {5000}


def test_heartbeat_interval_as_long_as_the_am_expiry_warns(tmp_path):
    """A yarn.heartbeat.interval not below YARN's AM expiry interval is warned about."""
    cluster = ResourceManagerCluster(tmp_path, driver_only=True, flink={
        "yarn.heartbeat.interval": "10",
        "flink.yarn.am.liveness-monitor.expiry-interval-ms": "10000"})
    cluster.start()
    ((_, level, _),) = cluster.logs("The heartbeat interval of the Flink Application master "
                                    "(10000) is greater than YARN's expiry interval (10000). The "
                                    "application is likely to be killed by YARN.")
    assert level == "WARN"


def test_second_registration_of_the_attempt_fails_the_initialization(cluster):
    """A driver YARN refuses to register cannot start: 'Could not start resource manager
    client.'"""
    jobmanager = cluster.jobmanager
    driver = YarnResourceManagerDriver(jobmanager.context, jobmanager.config, jobmanager.log,
                                       jobmanager.host, 1, 8081, "http://x:8081")
    with pytest.raises(ResourceManagerException, match="Could not start resource manager "
                                                       "client."):
        driver.initialize(RecordingEventHandler())
