"""
Tests of ``ApplicationMasterProtocol`` as the ResourceManager serves it: registration, the allocate
heartbeat (responseIds, absolute asks, releases, completions, headroom) and unregistration.  The
test acts as an unmanaged AM, so it controls every call.
"""

import pytest

from yarnemu.errors import (
    ApplicationAttemptNotFoundException,
    ApplicationMasterNotRegisteredException,
    InvalidApplicationMasterRequestException,
    InvalidContainerReleaseException,
    InvalidResourceBlacklistRequestException,
    InvalidResourceRequestException,
)
from yarnemu.records import (
    ANY,
    AllocateRequest,
    ApplicationAttemptId,
    ContainerExitStatus,
    ContainerState,
    FinalApplicationStatus,
    FinishApplicationMasterRequest,
    RegisterApplicationMasterRequest,
    Resource,
    ResourceBlacklistRequest,
    ResourceRequest,
    RMAppState,
)

from .running_cluster import RunningCluster


class UnmanagedAM:
    """The test's side of the protocol: a registered unmanaged AM."""

    def __init__(self, running, **context):
        self.running = running
        self.service = running.rm.am_service
        self.app_id = running.submit(unmanaged=True, **context)
        running.run_until(lambda: running.app(self.app_id).state is RMAppState.ACCEPTED
                          and running.app(self.app_id).current_attempt is not None
                          and running.app(self.app_id).current_attempt.state.value == "LAUNCHED")
        self.attempt_id = running.app(self.app_id).current_attempt.attempt_id
        self.response_id = 0

    def register(self):
        return self.service.register_application_master(
            self.attempt_id, RegisterApplicationMasterRequest("am-host", 1234, "http://am/ui"))

    def allocate(self, ask=(), release=(), blacklist=None, response_id=None):
        response = self.service.allocate(self.attempt_id, AllocateRequest(
            response_id=self.response_id if response_id is None else response_id,
            ask=ask, release=release, blacklist=blacklist))
        self.response_id = response.response_id
        return response

    def finish(self, status=FinalApplicationStatus.SUCCEEDED):
        return self.service.finish_application_master(
            self.attempt_id, FinishApplicationMasterRequest(status, "done"))


def ask(count, memory=1024, priority=1, name=ANY, relax=True):
    return ResourceRequest(priority, name, Resource(memory, 1), count, relax_locality=relax)


@pytest.fixture
def running(tmp_path):
    return RunningCluster(tmp_path, nodes=3)


@pytest.fixture
def am(running):
    am = UnmanagedAM(running)
    am.register()
    running.advance(0.001)
    return am


def test_registration_reports_the_maximum_capability_and_queue(running):
    """Registering returns the maximum allocation and the queue, and moves the app to RUNNING."""
    am = UnmanagedAM(running)
    response = am.register()
    assert response.maximum_resource_capability == Resource(8192, 4)
    assert response.queue == "default"
    running.advance(0.001)
    assert running.app(am.app_id).state is RMAppState.RUNNING
    report = running.client.get_application_report(am.app_id)
    assert (report.host, report.rpc_port, report.original_tracking_url) == (
        "am-host", 1234, "http://am/ui")
    assert report.tracking_url == f"http://localhost:8088/proxy/{am.app_id}/"


def test_a_second_registration_is_refused(am):
    """Registering twice raises InvalidApplicationMasterRequestException."""
    with pytest.raises(InvalidApplicationMasterRequestException) as error:
        am.register()
    assert error.value.message == f"Application Master is already registered : {am.app_id}"


def test_allocate_and_finish_before_registration_are_refused(running):
    """Before registering, allocate and unregister raise ApplicationMasterNotRegisteredException."""
    am = UnmanagedAM(running)
    with pytest.raises(ApplicationMasterNotRegisteredException):
        am.allocate()
    with pytest.raises(ApplicationMasterNotRegisteredException) as error:
        am.finish()
    assert "trying to unregister before registering" in error.value.message


def test_an_unknown_attempt_is_told_to_shut_down(running, am):
    """An allocate for an attempt the RM does not know raises ApplicationAttemptNotFoundException."""
    other = ApplicationAttemptId(am.app_id, 7)
    with pytest.raises(ApplicationAttemptNotFoundException):
        running.rm.am_service.allocate(other, AllocateRequest(response_id=0))


def test_response_ids_count_up_and_a_repeat_gets_the_cached_response(am):
    """Each allocate answers the next responseId; repeating the previous id returns the same response."""
    first = am.allocate()
    assert first.response_id == 1
    second = am.allocate()
    assert second.response_id == 2
    repeat = am.allocate(response_id=1)
    assert repeat is second
    assert am.allocate(response_id=2).response_id == 3


def test_a_stale_response_id_is_refused(am):
    """A responseId other than the last one (or its repeat) raises, naming both ids."""
    am.allocate()
    am.allocate()
    with pytest.raises(InvalidApplicationMasterRequestException) as error:
        am.allocate(response_id=0)
    assert error.value.message.endswith("expect responseId to be 2 but get 0")


def test_asks_are_allocated_on_node_heartbeats_and_handed_over_once(running, am):
    """Containers are allocated when nodes heartbeat and each is handed to the AM exactly once."""
    am.allocate(ask=[ask(3)])
    assert running.rm.scheduler.containers == {}
    running.advance(1)
    first = am.allocate()
    assert len(first.allocated_containers) == 3
    assert len({c.node_id for c in first.allocated_containers}) == 3
    assert am.allocate().allocated_containers == ()
    assert len(first.nm_tokens) == 3


def test_an_absolute_total_replaces_the_stored_ask(running, am):
    """Asks are totals: asking 5 then 2 before any allocation leaves 2 outstanding."""
    am.allocate(ask=[ask(5)])
    am.allocate(ask=[ask(2)])
    running.advance(2)
    assert len(am.allocate().allocated_containers) == 2


def test_zero_containers_cancels_the_key(running, am):
    """``num_containers: 0`` cancels what was asked at that key."""
    am.allocate(ask=[ask(4)])
    am.allocate(ask=[ask(0)])
    running.advance(2)
    assert am.allocate().allocated_containers == ()
    assert running.rm.metrics.snapshot()["containersPending"] == 0


def test_an_ask_above_the_maximum_is_refused_and_nothing_is_stored(running, am):
    """An invalid ask raises InvalidResourceRequestException and leaves the other asks unstored."""
    with pytest.raises(InvalidResourceRequestException):
        am.allocate(ask=[ask(1), ask(1, memory=100000, priority=2)])
    running.advance(2)
    assert am.allocate(response_id=0).allocated_containers == ()


def test_asks_are_normalized_to_the_minimum_allocation(running, am):
    """A 1500 MB ask is allocated as 2048 MB, a multiple of the 1024 MB minimum allocation."""
    am.allocate(ask=[ask(1, memory=1500)])
    running.advance(1)
    (container,) = am.allocate().allocated_containers
    assert container.resource == Resource(2048, 1)


def test_released_containers_complete_as_aborted(running, am):
    """A released container completes with ABORTED and "Container released by application"."""
    am.allocate(ask=[ask(1)])
    running.advance(1)
    (container,) = am.allocate().allocated_containers
    am.allocate(release=[container.id])
    (status,) = am.allocate().completed_containers_statuses
    assert (status.container_id, status.state, status.exit_status, status.diagnostics) == (
        container.id, ContainerState.COMPLETE, ContainerExitStatus.ABORTED,
        "Container released by application")
    assert running.rm.scheduler.containers == {}
    assert am.allocate().completed_containers_statuses == ()


def test_releasing_another_attempts_container_is_refused(running, am):
    """A release naming another attempt's container raises InvalidContainerReleaseException."""
    other = UnmanagedAM(running)
    other.register()
    other.allocate(ask=[ask(1)])
    running.advance(1)
    (container,) = other.allocate().allocated_containers
    with pytest.raises(InvalidContainerReleaseException) as error:
        am.allocate(release=[container.id])
    assert f"not belonging to this application attempt : {am.attempt_id}" in error.value.message
    assert container.id in running.rm.scheduler.containers


def test_blacklisting_any_is_refused(am):
    """Adding ``*`` to the blacklist raises InvalidResourceBlacklistRequestException."""
    with pytest.raises(InvalidResourceBlacklistRequestException):
        am.allocate(blacklist=ResourceBlacklistRequest(additions=[ANY]))


def test_blacklisted_nodes_are_not_used(running, am):
    """Containers are not allocated on nodes the AM blacklisted."""
    am.allocate(ask=[ask(4)], blacklist=ResourceBlacklistRequest(additions=["node-0", "node-1"]))
    running.advance(5)
    allocated = am.allocate().allocated_containers
    assert allocated and {c.node_id.host for c in allocated} == {"node-2"}


def test_unused_allocations_expire(tmp_path):
    """A container the AM got but never started completes ABORTED when the allocation expires."""
    running = RunningCluster(tmp_path, config={
        "yarn.resourcemanager.rm.container-allocation.expiry-interval-ms": 3000})
    am = UnmanagedAM(running)
    am.register()
    am.allocate(ask=[ask(1)])
    running.advance(1)
    (container,) = am.allocate().allocated_containers
    running.advance(5)
    (status,) = am.allocate().completed_containers_statuses
    assert status.container_id == container.id
    assert (status.exit_status, status.diagnostics) == (
        ContainerExitStatus.ABORTED, "Container expired since it was unused")


def test_headroom_and_cluster_size_come_with_each_response(running, am):
    """The response carries the headroom and the number of cluster nodes."""
    am.allocate(ask=[ask(2)])
    running.advance(1)
    response = am.allocate()
    assert response.num_cluster_nodes == 3
    assert response.available_resources.memory == 3 * 8192 - 2 * 1024


def test_node_state_changes_are_reported_to_the_am(running, am):
    """A node that goes away shows up once in the next response's updated nodes."""
    running.cluster.node_managers["node-2"].stop()
    running.advance(0.001)
    (report,) = am.allocate().updated_nodes
    assert (report.node_id.host, report.node_state.value) == ("node-2", "SHUTDOWN")
    assert am.allocate().updated_nodes == ()


def test_unregistering_finishes_an_unmanaged_application(running, am):
    """An unmanaged AM is unregistered at once and the app ends FINISHED with its final status."""
    assert am.finish(FinalApplicationStatus.FAILED).is_unregistered is True
    running.advance(0.001)
    app = running.app(am.app_id)
    assert app.state is RMAppState.FINISHED
    assert app.final_application_status is FinalApplicationStatus.FAILED
    assert app.diagnostics == "done"


def test_am_liveness_expiry_fails_a_silent_attempt(tmp_path):
    """An AM that stops heartbeating is timed out; the unmanaged app then fails."""
    running = RunningCluster(tmp_path, config={"yarn.am.liveness-monitor.expiry-interval-ms": 3000})
    am = UnmanagedAM(running)
    am.register()
    running.advance(10)
    app = running.app(am.app_id)
    assert app.state is RMAppState.FAILED
    assert app.attempts[0].diagnostics == f"ApplicationMaster for attempt {am.attempt_id} timed out"
    with pytest.raises(ApplicationAttemptNotFoundException):
        am.allocate()
