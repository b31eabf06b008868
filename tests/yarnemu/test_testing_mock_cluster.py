"""
Tests of :mod:`yarnemu.testing.mock_cluster`: the MockRM/MockNM/MockAM-style fakes that drive a
real ResourceManager through its services.
"""

import pytest
from zope.interface.verify import verifyObject

from yarnemu.errors import InvalidApplicationMasterRequestException
from yarnemu.interfaces import IContainerManagementProtocol
from yarnemu.records import (
    ContainerExitStatus,
    ContainerState,
    ContainerStatus,
    FinalApplicationStatus,
    NodeAction,
    NodeId,
    NodeState,
    Resource,
    RMAppAttemptState,
    RMAppState,
    RMContainerState,
)
from yarnemu.testing.mock_cluster import MockAM, MockCluster, MockNM

FAST_EXPIRY = {
    "yarn.nm.liveness-monitor.expiry-interval-ms": 3000,
    "yarn.am.liveness-monitor.expiry-interval-ms": 3000,
}


@pytest.fixture
def cluster():
    return MockCluster(FAST_EXPIRY)


def test_a_mock_nm_is_a_container_manager(cluster):
    """MockNM provides IContainerManagementProtocol, so the RM's AM launcher can use it."""
    nm = cluster.add_node("h1")
    assert verifyObject(IContainerManagementProtocol, nm)
    assert cluster.container_manager(nm.node_id) is nm


def test_add_node_registers_a_running_node(cluster):
    """add_node registers the MockNM; the RM holds a RUNNING node with its capability."""
    nm = cluster.add_node("h1", memory_mb=4096, vcores=4, rack="/r1")
    assert nm.online and nm.register_response.node_action is NodeAction.NORMAL
    node = cluster.rm.nodes[nm.node_id]
    assert node.state is NodeState.RUNNING
    assert (node.capability, node.rack) == (Resource(4096, 4), "/r1")


def test_a_node_below_the_minimum_allocation_is_told_to_shut_down(cluster):
    """A MockNM smaller than the minimum allocation is refused and stays offline."""
    nm = cluster.add_node("tiny", memory_mb=512)
    assert nm.register_response.node_action is NodeAction.SHUTDOWN
    assert not nm.online and cluster.container_manager(nm.node_id) is None


def test_a_managed_am_is_launched_on_a_mock_nm_and_reported_running(cluster):
    """launch_am has the AM container allocated and started on a MockNM, which reports RUNNING."""
    nm = cluster.add_node("h1")
    app_id = cluster.submit_app(resource=Resource(2048, 1))
    am = cluster.launch_am(app_id)
    attempt = cluster.attempt(app_id)
    master = attempt.master_container
    assert attempt.state is RMAppAttemptState.LAUNCHED
    assert [request.container.id for request in nm.started] == [master.container_id]
    assert master.state is RMContainerState.ACQUIRED
    nm.heartbeat()
    assert master.state is RMContainerState.RUNNING
    am.register()
    assert attempt.state is RMAppAttemptState.RUNNING


def test_an_unmanaged_am_is_launched_without_a_container(cluster):
    """An unmanaged AM's attempt reaches LAUNCHED with no node involved."""
    app_id = cluster.submit_app(unmanaged=True)
    am = cluster.launch_am(app_id)
    assert cluster.attempt(app_id).master_container is None
    am.register()
    assert cluster.app(app_id).state is RMAppState.RUNNING


def test_a_refusing_node_fails_the_launch(cluster):
    """With refuse_starts set, start_containers fails and the attempt fails to launch."""
    nm = cluster.add_node("h1")
    nm.refuse_starts = True
    app_id = cluster.submit_app(max_app_attempts=1)
    attempt = cluster.attempt(app_id)
    nm.heartbeat()
    cluster.drain()
    assert attempt.state is RMAppAttemptState.FAILED
    assert "refuses to start" in attempt.diagnostics


def test_allocate_keeps_the_response_id_and_collects_containers(cluster):
    """MockAM sends the last responseId and records what each new response carries."""
    nm = cluster.add_node("h1", memory_mb=8192)
    am = cluster.launch_am(cluster.submit_app(unmanaged=True))
    am.register()
    first = am.allocate([MockAM.ask(count=2)])
    assert first.response_id == 1 and am.response_id == 1
    nm.heartbeat()
    nm.heartbeat()  # the CapacityScheduler assigns one off-switch container per heartbeat
    second = am.allocate()
    assert second.response_id == 2
    assert len(am.allocated) == 2
    assert {c.node_id for c in am.allocated} == {nm.node_id}


def test_resend_gets_the_cached_response_and_stale_ids_are_refused(cluster):
    """A re-sent request gets the same response; an older responseId raises."""
    cluster.add_node("h1")
    am = cluster.launch_am(cluster.submit_app(unmanaged=True))
    am.register()
    am.allocate()
    response = am.allocate()
    assert am.resend() is response
    assert am.response_id == 2
    with pytest.raises(InvalidApplicationMasterRequestException):
        am.allocate(response_id=0)


def test_launch_and_complete_report_running_then_complete(cluster):
    """A launched container is reported RUNNING, a completed one COMPLETE with its exit status."""
    nm = cluster.add_node("h1")
    am = cluster.launch_am(cluster.submit_app(unmanaged=True))
    am.register()
    am.allocate([MockAM.ask(count=1)])
    nm.heartbeat()
    (container,) = am.allocate().allocated_containers
    nm.launch(container)
    nm.heartbeat()
    assert cluster.rm.containers[container.id].state is RMContainerState.RUNNING
    nm.complete(container.id, exit_status=3, diagnostics="boom")
    nm.heartbeat()
    assert container.id not in cluster.rm.containers
    (status,) = am.allocate().completed_containers_statuses
    assert (status.container_id, status.state, status.exit_status, status.diagnostics) == (
        container.id, ContainerState.COMPLETE, 3, "boom")


def test_a_released_running_container_is_cleaned_up_on_its_node(cluster):
    """The RM orders a released container cleaned up; the MockNM records it and stops running it."""
    nm = cluster.add_node("h1")
    am = cluster.launch_am(cluster.submit_app(unmanaged=True))
    am.register()
    am.allocate([MockAM.ask(count=1)])
    nm.heartbeat()
    (container,) = am.allocate().allocated_containers
    nm.launch(container)
    nm.heartbeat()
    am.allocate(releases=[container.id])
    response = nm.heartbeat()
    assert response.containers_to_cleanup == (container.id,)
    assert nm.cleaned_up == [container.id] and container.id not in nm.running
    assert nm.pending[container.id].exit_status == ContainerExitStatus.KILLED_BY_RESOURCEMANAGER


def test_quiet_heartbeat_takes_the_fast_path_only_when_nothing_is_reported(cluster):
    """quiet_heartbeat takes the RM's fast path when idle and sends a full heartbeat otherwise."""
    nm = cluster.add_node("h1")
    assert nm.quiet_heartbeat() is True
    assert nm.response_id == 1
    am = cluster.launch_am(cluster.submit_app(unmanaged=True))
    am.register()
    am.allocate([MockAM.ask(count=1)])
    nm.quiet_heartbeat()
    (container,) = am.allocate().allocated_containers
    nm.launch(container)
    assert nm.quiet_heartbeat() is False
    assert cluster.rm.containers[container.id].state is RMContainerState.RUNNING


def test_a_lost_node_expires_and_its_containers_complete_as_aborted(cluster):
    """A MockNM that stops heartbeating goes LOST; the AM hears its containers ended ABORTED."""
    nm = cluster.add_node("h1")
    keeper = cluster.add_node("h2", memory_mb=1024, vcores=1)
    am = cluster.launch_am(cluster.submit_app(unmanaged=True))
    am.register()
    am.allocate([MockAM.ask(count=1)])
    nm.heartbeat()
    (container,) = am.allocate().allocated_containers
    nm.lose()
    for _ in range(5):
        cluster.advance(1000)
        keeper.heartbeat()
        am.allocate()
    assert cluster.rm.inactive_nodes[nm.node_id].state is NodeState.LOST
    assert [s.container_id for s in am.completed] == [container.id]
    assert am.completed[0].exit_status == ContainerExitStatus.ABORTED


def test_unregister_finishes_the_application(cluster):
    """A managed AM unregisters, its container exits, and the application ends FINISHED."""
    nm = cluster.add_node("h1")
    app_id = cluster.submit_app()
    am = cluster.launch_am(app_id)
    nm.heartbeat()
    am.register()
    assert am.unregister(FinalApplicationStatus.SUCCEEDED) is False
    cluster.drain()
    assert am.unregister() is True
    nm.complete(cluster.attempt(app_id).master_container.container_id)
    assert nm.heartbeat().applications_to_cleanup == (app_id,)
    assert cluster.app(app_id).state is RMAppState.FINISHED
    assert nm.apps_cleaned_up == [app_id]


def test_unregistering_a_node_shuts_it_down(cluster):
    """MockNM.unregister takes the node to SHUTDOWN and out of the cluster's resources."""
    nm = cluster.add_node("h1", memory_mb=4096)
    nm.unregister()
    assert cluster.rm.inactive_nodes[nm.node_id].state is NodeState.SHUTDOWN
    assert cluster.rm.scheduler.cluster_resource == Resource(0, 0)
    assert cluster.container_manager(nm.node_id) is None


def test_a_mock_nm_can_be_built_on_its_own(cluster):
    """MockNM needs only a resource tracker and a clock."""
    nm = MockNM(cluster.rm.resource_tracker, cluster.clock, NodeId("solo", 1), Resource(2048, 2))
    assert nm.register().node_action is NodeAction.NORMAL


def test_a_heartbeat_can_carry_chosen_statuses_and_response_ids(cluster):
    """heartbeat(statuses=…) sends exactly those; an old responseId gets the cached response."""
    nm = cluster.add_node("h1")
    am = cluster.launch_am(cluster.submit_app(unmanaged=True))
    am.register()
    am.allocate([MockAM.ask(count=1)])
    nm.heartbeat()
    (container,) = am.allocate().allocated_containers
    running = ContainerStatus(container.id, ContainerState.RUNNING, -1000)
    first = nm.heartbeat(statuses=[running])
    assert cluster.rm.containers[container.id].state is RMContainerState.RUNNING
    assert container.id not in nm.running  # chosen statuses do not change what the node runs
    assert nm.heartbeat(response_id=first.response_id - 1) is first
    assert nm.heartbeat(response_id=first.response_id - 5).node_action is NodeAction.RESYNC
    assert cluster.rm.inactive_nodes[nm.node_id].state is NodeState.REBOOTED
