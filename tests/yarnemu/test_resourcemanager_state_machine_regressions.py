"""
Regression tests for the ResourceManager bugs the state machines in
``test_resourcemanager_state_machine`` found, each reduced to a plain scenario on the mock cluster.
"""

from yarnemu.records import (
    ContainerExitStatus,
    NodeState,
    Resource,
    RMAppAttemptState,
    RMAppState,
    RMContainerState,
)
from yarnemu.testing.mock_cluster import MockAM, MockCluster

SLOW_STORE = {"yarnemu.resourcemanager.state-store.latency-ms": 300}


def _running_container(cluster, nm, am, ask=None):
    """Ask for one container, get it on ``nm`` and run it there; :return: the container."""
    am.allocate([ask or MockAM.ask(count=1)])
    nm.heartbeat()
    (container,) = am.allocate().allocated_containers
    nm.launch(container)
    nm.heartbeat()
    assert cluster.rm.containers[container.id].state is RMContainerState.RUNNING
    return container


def test_a_kill_while_the_new_application_is_saved_ends_it_killed():
    """A kill in NEW_SAVING leaves the pending APP_NEW_SAVED to FINAL_SAVING, which ignores it."""
    cluster = MockCluster(SLOW_STORE)
    app_id = cluster.submit_app()
    assert cluster.app(app_id).state is RMAppState.NEW_SAVING
    assert cluster.rm.client_service.force_kill_application(app_id) is False
    cluster.advance(1000)
    assert cluster.app(app_id).state is RMAppState.KILLED


def test_an_am_container_allocated_to_an_attempt_being_killed_is_released():
    """The AM container of an attempt killed in SCHEDULED may still be allocated; it is killed."""
    cluster = MockCluster(SLOW_STORE)
    nm = cluster.add_node("h1")
    app_id = cluster.submit_app()
    cluster.advance(300)
    attempt = cluster.attempt(app_id)
    assert attempt.state is RMAppAttemptState.SCHEDULED
    cluster.rm.client_service.force_kill_application(app_id)
    assert attempt.state is RMAppAttemptState.FINAL_SAVING
    nm.heartbeat()
    assert len(attempt.containers) == 1
    cluster.advance(1000)
    assert attempt.state is RMAppAttemptState.KILLED
    assert cluster.app(app_id).state is RMAppState.KILLED
    assert attempt.containers[0].state is RMContainerState.KILLED
    assert cluster.rm.scheduler.used_resource == Resource(0, 0)


def test_a_kill_while_the_allocated_attempt_is_saved_ends_it_killed():
    """A kill in ALLOCATED_SAVING leaves ATTEMPT_NEW_SAVED to FINAL_SAVING, which ignores it."""
    cluster = MockCluster(SLOW_STORE)
    nm = cluster.add_node("h1")
    app_id = cluster.submit_app()
    cluster.advance(300)
    nm.heartbeat()
    attempt = cluster.attempt(app_id)
    assert attempt.state is RMAppAttemptState.ALLOCATED_SAVING
    cluster.rm.client_service.force_kill_application(app_id)
    cluster.advance(1000)
    assert attempt.state is RMAppAttemptState.KILLED
    assert cluster.app(app_id).state is RMAppState.KILLED


def test_an_unmanaged_attempt_that_fails_does_not_keep_its_containers():
    """An unmanaged AM never gets another attempt, so keep-containers keeps nothing: they end."""
    cluster = MockCluster({"yarn.am.liveness-monitor.expiry-interval-ms": 3000})
    nm = cluster.add_node("h1")
    app_id = cluster.submit_app(unmanaged=True, keep_containers=True)
    am = cluster.launch_am(app_id)
    am.register()
    container = _running_container(cluster, nm, am)
    app = cluster.app(app_id)
    cluster.run_until(lambda: app.state is RMAppState.FAILED)  # the AM went silent
    assert "timed out" in app.attempts[0].diagnostics
    assert container.id not in cluster.rm.containers
    assert cluster.rm.scheduler.used_resource == Resource(0, 0)
    assert nm.heartbeat().containers_to_cleanup == (container.id,)


def test_the_last_attempt_that_fails_does_not_keep_its_containers():
    """With keep-containers, a failure of maybe the last attempt ends its containers with it."""
    cluster = MockCluster()
    nm = cluster.add_node("h1")
    app_id = cluster.submit_app(keep_containers=True, max_app_attempts=1)
    am = cluster.launch_am(app_id)
    nm.heartbeat()
    am.register()
    container = _running_container(cluster, nm, am)
    nm.complete(cluster.attempt(app_id).master_container.container_id, exit_status=1)
    nm.heartbeat()
    cluster.drain()
    assert cluster.app(app_id).state is RMAppState.FAILED
    assert container.id not in cluster.rm.containers
    assert cluster.rm.scheduler.used_resource == Resource(0, 0)


def test_only_running_containers_pass_to_the_next_attempt():
    """With keep-containers, RUNNING containers go to the next attempt; ACQUIRED ones are killed."""
    cluster = MockCluster({"yarn.resourcemanager.scheduler.class":
                           "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo."
                           "FifoScheduler"})
    nm = cluster.add_node("h1")
    app_id = cluster.submit_app(keep_containers=True)
    am = cluster.launch_am(app_id)
    nm.heartbeat()
    am.register()
    am.allocate([MockAM.ask(count=2)])
    nm.heartbeat()
    running, acquired = am.allocate().allocated_containers
    nm.launch(running)
    nm.heartbeat()
    nm.complete(cluster.attempt(app_id).master_container.container_id, exit_status=1)
    nm.heartbeat()
    cluster.drain()
    second = cluster.attempt(app_id)
    assert second.attempt_id.attempt_id == 2
    assert cluster.rm.containers[running.id].attempt is second
    assert acquired.id not in cluster.rm.containers
    am2 = cluster.launch_am(app_id)
    nm.heartbeat()
    response = am2.register()
    assert response.containers_from_previous_attempts == (running,)


def test_a_kept_container_that_ends_before_the_next_am_registers_is_reported_to_it():
    """A kept container completing while the next attempt is not yet registered is not lost."""
    cluster = MockCluster()
    nm = cluster.add_node("h1")
    app_id = cluster.submit_app(keep_containers=True)
    am = cluster.launch_am(app_id)
    nm.heartbeat()
    am.register()
    container = _running_container(cluster, nm, am)
    nm.complete(cluster.attempt(app_id).master_container.container_id, exit_status=1)
    nm.heartbeat()
    cluster.drain()
    nm.complete(container.id, exit_status=7)
    nm.heartbeat()
    am2 = cluster.launch_am(app_id)
    nm.heartbeat()
    am2.register()
    statuses = am2.allocate().completed_containers_statuses
    assert [(s.container_id, s.exit_status) for s in statuses] == [(container.id, 7)]


def test_a_container_ended_before_the_am_pulled_it_is_not_handed_over():
    """A container killed before the AM's next allocate comes back only as completed."""
    cluster = MockCluster()
    nm = cluster.add_node("h1")
    am = cluster.launch_am(cluster.submit_app(unmanaged=True))
    am.register()
    am.allocate([MockAM.ask(count=1)])
    nm.heartbeat()
    (container_id,) = cluster.rm.containers
    nm.register()  # the NodeManager restarts: what the RM had on it is gone
    response = am.allocate()
    assert response.allocated_containers == ()
    (status,) = response.completed_containers_statuses
    assert (status.container_id, status.exit_status) == (container_id, ContainerExitStatus.ABORTED)


def test_a_reconnecting_node_counts_as_alive():
    """Registering again under the same node id refreshes its liveness, as a heartbeat does."""
    cluster = MockCluster({"yarn.nm.liveness-monitor.expiry-interval-ms": 3000})
    nm = cluster.add_node("h1")
    cluster.advance(2500)
    nm.register()
    cluster.advance(2500)
    assert cluster.rm.nodes[nm.node_id].state is NodeState.RUNNING


def test_a_kill_of_a_finishing_application_changes_nothing():
    """A FINISHING app has stored its final state: a kill answers True and it finishes normally."""
    cluster = MockCluster()
    nm = cluster.add_node("h1")
    app_id = cluster.submit_app()
    am = cluster.launch_am(app_id)
    nm.heartbeat()
    am.register()
    am.unregister()
    cluster.drain()
    app = cluster.app(app_id)
    assert app.state is RMAppState.FINISHING
    assert cluster.rm.client_service.force_kill_application(app_id) is True
    assert app.state is RMAppState.FINISHING
    assert nm.heartbeat().applications_to_cleanup == ()
    nm.complete(cluster.attempt(app_id).master_container.container_id)
    nm.heartbeat()
    assert app.state is RMAppState.FINISHED
    assert app.final_application_status.value == "SUCCEEDED"


def test_completions_still_reach_a_finishing_am():
    """After unregistering, an allocate ignores asks but still reports completed containers."""
    cluster = MockCluster()
    nm = cluster.add_node("h1")
    app_id = cluster.submit_app()
    am = cluster.launch_am(app_id)
    nm.heartbeat()
    am.register()
    container = _running_container(cluster, nm, am)
    am.unregister()
    cluster.drain()
    assert cluster.attempt(app_id).state is RMAppAttemptState.FINISHING
    nm.complete(container.id, exit_status=3)
    nm.heartbeat()
    response = am.allocate([MockAM.ask(count=5)])
    assert [s.container_id for s in response.completed_containers_statuses] == [container.id]
    assert response.allocated_containers == ()
    assert cluster.rm.scheduler.attempts[am.attempt_id].asks.any_count((1, 0)) == 0


def test_an_am_container_ending_while_the_unregistration_is_saved_finishes_the_attempt():
    """If the AM container exits before the final state is stored, the attempt ends FINISHED."""
    cluster = MockCluster(SLOW_STORE)
    nm = cluster.add_node("h1")
    app_id = cluster.submit_app()
    am = cluster.launch_am(app_id)
    nm.heartbeat()
    am.register()
    am.unregister()
    attempt = cluster.attempt(app_id)
    assert attempt.state is RMAppAttemptState.FINAL_SAVING
    nm.complete(attempt.master_container.container_id)
    nm.heartbeat()
    cluster.advance(1000)
    assert attempt.state is RMAppAttemptState.FINISHED
    assert cluster.app(app_id).state is RMAppState.FINISHED
