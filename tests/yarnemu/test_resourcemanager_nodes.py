"""
Tests of how the ResourceManager tracks NodeManagers: registration, heartbeats, liveness, and what
happens to containers when a node goes away.
"""

import pytest

from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records import (
    ContainerExitStatus,
    FinalApplicationStatus,
    NodeAction,
    NodeHeartbeatRequest,
    NodeId,
    NodeState,
    RegisterNodeManagerRequest,
    Resource,
    RMAppState,
    RMContainerState,
)

from .running_cluster import RunningCluster

EXPIRY = {"yarn.nm.liveness-monitor.expiry-interval-ms": 6000}


def test_nodes_register_and_report_their_resources(tmp_path):
    """Every NodeManager is RUNNING with its capacity, rack and HTTP address."""
    running = RunningCluster(tmp_path, nodes=2, memory_mb=4096, vcores=4)
    reports = running.client.get_cluster_nodes()
    assert [(r.node_id, r.node_state, r.capability, r.rack_name, r.http_address) for r in reports] == [
        (NodeId("node-0", 45454), NodeState.RUNNING, Resource(4096, 4), "/default-rack", "node-0:8042"),
        (NodeId("node-1", 45454), NodeState.RUNNING, Resource(4096, 4), "/default-rack", "node-1:8042"),
    ]
    assert running.rm.scheduler.cluster_resource == Resource(8192, 8)


def test_a_node_below_the_minimum_allocation_is_told_to_shut_down(tmp_path):
    """A NodeManager smaller than the minimum allocation gets SHUTDOWN with YARN's diagnostics."""
    running = RunningCluster(tmp_path, nodes=1)
    response = running.rm.resource_tracker.register_node_manager(RegisterNodeManagerRequest(
        NodeId("tiny", 45454), 8042, Resource(512, 1), "3.3.6"))
    assert response.node_action is NodeAction.SHUTDOWN
    assert "doesn't satisfy minimum allocations, Sending SHUTDOWN signal" in response.diagnostics_message
    assert NodeId("tiny", 45454) not in running.rm.nodes


def test_an_unknown_node_is_told_to_resync(tmp_path):
    """A heartbeat from a node the RM does not know is answered RESYNC."""
    running = RunningCluster(tmp_path, nodes=1)
    response = running.rm.resource_tracker.node_heartbeat(
        NodeHeartbeatRequest(NodeId("stranger", 1), 0))
    assert response.node_action is NodeAction.RESYNC
    assert response.diagnostics_message == "Node not found resyncing stranger:1"


def test_a_repeated_heartbeat_gets_the_previous_response(tmp_path):
    """Sending the previous responseId again returns the cached response, not a new one."""
    running = RunningCluster(tmp_path, nodes=1)
    tracker = running.rm.resource_tracker
    node_id = NodeId("extra", 45454)
    tracker.register_node_manager(RegisterNodeManagerRequest(node_id, 8042, Resource(4096, 4), "3"))
    first = tracker.node_heartbeat(NodeHeartbeatRequest(node_id, 0))
    assert first.response_id == 1
    assert tracker.node_heartbeat(NodeHeartbeatRequest(node_id, 0)) is first


def test_a_response_id_too_far_behind_reboots_the_node(tmp_path):
    """A heartbeat the RM cannot continue from is answered RESYNC and the node is REBOOTED."""
    running = RunningCluster(tmp_path, nodes=1)
    tracker = running.rm.resource_tracker
    node_id = NodeId("extra", 45454)
    tracker.register_node_manager(RegisterNodeManagerRequest(node_id, 8042, Resource(4096, 4), "3"))
    for response_id in range(3):
        tracker.node_heartbeat(NodeHeartbeatRequest(node_id, response_id))
    response = tracker.node_heartbeat(NodeHeartbeatRequest(node_id, 0))
    assert response.node_action is NodeAction.RESYNC
    assert response.diagnostics_message.startswith("Too far behind rm response id:3")
    assert running.rm.inactive_nodes[node_id].state is NodeState.REBOOTED


def test_a_stopped_node_is_shut_down(tmp_path):
    """A NodeManager stopping gracefully leaves its node SHUTDOWN and out of the cluster."""
    running = RunningCluster(tmp_path, nodes=2)
    running.cluster.node_managers["node-1"].stop()
    node = running.rm.inactive_nodes[NodeId("node-1", 45454)]
    assert node.state is NodeState.SHUTDOWN
    assert running.rm.metrics.snapshot()["shutdownNodes"] == 1
    assert running.rm.scheduler.cluster_resource == Resource(8192, 8)


def test_a_silent_node_is_lost_after_the_expiry_interval(tmp_path):
    """A node that stops heartbeating goes LOST once its liveness expires, not before."""
    running = RunningCluster(tmp_path, nodes=2, config=EXPIRY)
    running.cluster.node_managers["node-0"].fail()
    running.advance(5)
    assert running.rm.nodes[NodeId("node-0", 45454)].state is NodeState.RUNNING
    running.advance(5)
    lost = running.rm.inactive_nodes[NodeId("node-0", 45454)]
    assert lost.state is NodeState.LOST
    assert running.client.get_cluster_nodes([NodeState.LOST])[0].http_address == ""
    snapshot = running.rm.metrics.snapshot()
    assert (snapshot["lostNodes"], snapshot["activeNodes"], snapshot["totalMB"]) == (1, 1, 8192)


def test_containers_on_a_lost_node_are_aborted_and_replaced(tmp_path):
    """A lost node's containers complete ABORTED ("lost node"); the AM gets replacements elsewhere."""
    running = RunningCluster(tmp_path, nodes=3, config=EXPIRY)
    app_id = running.submit(distributed_shell_command(3, 512, "sleep", "60"))
    running.run_until(lambda: sum(c.state is RMContainerState.RUNNING
                                  for c in running.rm.containers.values()) == 4)
    am_node = running.app(app_id).current_attempt.master_container.node_id.host
    victim = next(host for host in sorted(running.cluster.node_managers) if host != am_node)
    running.cluster.node_managers[victim].fail()
    assert running.run_until_app_state(app_id, RMAppState.FINISHED)
    lost = [c for c in running.app(app_id).current_attempt.containers
            if c.node_id.host == victim]
    assert lost and all(c.state is RMContainerState.KILLED for c in lost)
    assert {(int(c.exit_status), c.diagnostics) for c in lost} == {
        (ContainerExitStatus.ABORTED, "Container released on a *lost* node")}
    assert running.app(app_id).final_application_status is FinalApplicationStatus.SUCCEEDED


def test_losing_the_am_node_starts_a_new_attempt_without_counting_a_failure(tmp_path):
    """An AM lost with its node (exit status ABORTED) does not count towards max attempts."""
    running = RunningCluster(tmp_path, nodes=3, config={
        **EXPIRY, "yarn.resourcemanager.am.max-attempts": 1})
    app_id = running.submit(distributed_shell_command(1, 512, "sleep", "30"))
    running.run_until(lambda: running.app(app_id).state is RMAppState.RUNNING)
    am_node = running.app(app_id).current_attempt.master_container.node_id.host
    running.cluster.node_managers[am_node].fail()
    assert running.run_until_app_state(app_id, RMAppState.FINISHED, RMAppState.FAILED)
    app = running.app(app_id)
    assert len(app.attempts) == 2
    assert app.attempts[0].am_exit_status == ContainerExitStatus.ABORTED
    assert app.final_application_status is FinalApplicationStatus.SUCCEEDED


def test_a_lost_node_that_comes_back_registers_again(tmp_path):
    """A LOST node whose NodeManager starts again is RUNNING again."""
    running = RunningCluster(tmp_path, nodes=2, config=EXPIRY)
    nm = running.cluster.node_managers["node-1"]
    nm.fail()
    running.advance(10)
    assert NodeId("node-1", 45454) in running.rm.inactive_nodes
    assert nm.start() is True
    assert running.rm.nodes[NodeId("node-1", 45454)].state is NodeState.RUNNING
    assert NodeId("node-1", 45454) not in running.rm.inactive_nodes
    running.advance(10)
    assert running.rm.nodes[NodeId("node-1", 45454)].state is NodeState.RUNNING


@pytest.mark.parametrize("states, hosts", [
    (None, ["node-0", "node-1", "node-2"]),
    ([NodeState.RUNNING], ["node-0", "node-2"]),
    ([NodeState.SHUTDOWN], ["node-1"]),
])
def test_node_reports_filter_by_state(tmp_path, states, hosts):
    """``get_cluster_nodes`` returns active and inactive nodes, filtered by state."""
    running = RunningCluster(tmp_path, nodes=3)
    running.cluster.node_managers["node-1"].stop()
    assert sorted(r.node_id.host for r in running.client.get_cluster_nodes(states)) == hosts
