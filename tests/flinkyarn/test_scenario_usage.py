"""
Tests for :mod:`flinkyarn.scenario.usage`: container spans, the memory series and utilization read
from the event stream, on synthetic events and on a real Flink session in virtual time.
"""

import pytest

from flinkyarn.flink_on_yarn import FlinkOnYarn
from flinkyarn.scenario.usage import ClusterUsage, ContainerSpan, node_order_key
from tests.flinkyarn.flink_harness import bounded_job, submit_and_run, task_manager_containers
from yarnemu.cluster import NodeGroup
from yarnemu.events import (
    AppSubmitted,
    ContainerAllocated,
    ContainerStateChanged,
    LogRecorded,
    NMContainerStateChanged,
    NodeStateChanged,
)
from yarnemu.records.ids import ApplicationAttemptId, ApplicationId, ContainerId, NodeId
from yarnemu.records.resource import Resource
from yarnemu.records.states import ContainerState, NodeState, RMContainerState

T0 = 1_767_225_600_000
APP = ApplicationId(T0, 1)
OTHER_APP = ApplicationId(T0, 2)
NODE_A = NodeId("node-0", 45454)
NODE_B = NodeId("node-1", 45454)


def container(seq, app=APP, attempt=1):
    return ContainerId(ApplicationAttemptId(app, attempt), seq)


def node_up(time, node, memory=8192, from_state=NodeState.NEW):
    return NodeStateChanged(time, node, from_state, NodeState.RUNNING, "STARTED",
                            Resource(memory, 8), "/default-rack")


def node_down(time, node, to_state=NodeState.LOST, memory=8192):
    return NodeStateChanged(time, node, NodeState.RUNNING, to_state, "EXPIRE",
                            Resource(memory, 8), "/default-rack")


def allocated(time, container_id, node, memory=2048, vcores=1):
    return ContainerAllocated(time, container_id, node, Resource(memory, vcores), 0, "NODE_LOCAL",
                              "default")


def ended(time, container_id, to_state=RMContainerState.COMPLETED, exit_status=0):
    return ContainerStateChanged(time, container_id, RMContainerState.RUNNING, to_state, "FINISHED",
                                 exit_status)


def changed(time, container_id, from_state, to_state):
    return ContainerStateChanged(time, container_id, from_state, to_state, "LAUNCHED")


def fed(*events):
    usage = ClusterUsage()
    for event in events:
        usage(event)
    return usage


def test_a_span_runs_from_allocation_to_the_final_state_with_its_exit_status():
    """A container's span starts at its allocation and ends, with the exit status, when it reaches
    a final RM state; states on the way do not end it."""
    c = container(2)
    usage = fed(
        allocated(T0 + 10, c, NODE_A, memory=1728, vcores=2),
        changed(T0 + 10, c, RMContainerState.NEW, RMContainerState.ALLOCATED),
        changed(T0 + 20, c, RMContainerState.ALLOCATED, RMContainerState.ACQUIRED),
        changed(T0 + 30, c, RMContainerState.ACQUIRED, RMContainerState.RUNNING),
    )
    running = ContainerSpan(str(c), str(APP), "node-0:45454", 1728, 2, "taskmanager", T0 + 10)
    assert usage.spans == [running]
    assert usage.live_containers == 1
    usage(ended(T0 + 500, c, exit_status=-100))
    assert usage.live_containers == 0
    assert usage.spans == [ContainerSpan(str(c), str(APP), "node-0:45454", 1728, 2, "taskmanager",
                                         T0 + 10, T0 + 500, -100)]


@pytest.mark.parametrize("final_state", [RMContainerState.COMPLETED, RMContainerState.RELEASED,
                                         RMContainerState.KILLED, RMContainerState.EXPIRED])
def test_every_final_rm_state_ends_a_span_and_frees_its_memory(final_state):
    """COMPLETED, RELEASED, KILLED and EXPIRED each end the span and give back its memory."""
    c = container(2)
    usage = fed(node_up(T0, NODE_A), allocated(T0 + 1, c, NODE_A),
                ended(T0 + 5, c, final_state, exit_status=-105))
    (span,) = usage.spans
    assert (span.end_ms, span.exit_status) == (T0 + 5, -105)
    assert usage.memory_series(T0 + 9)[-2:] == [(T0 + 5, 0, 8192), (T0 + 9, 0, 8192)]


def test_the_am_container_of_every_attempt_is_the_jobmanager():
    """Container 1 of each attempt is the JobManager, any other container a TaskManager."""
    usage = fed(
        allocated(T0, container(1), NODE_A),
        allocated(T0 + 1, container(2), NODE_B),
        allocated(T0 + 2, container(1, attempt=2), NODE_B),
        allocated(T0 + 3, container(3, attempt=2), NODE_A),
    )
    assert [(span.container_id, span.role) for span in usage.spans] == [
        ("container_1767225600000_0001_01_000001", "jobmanager"),
        ("container_1767225600000_0001_01_000002", "taskmanager"),
        ("container_1767225600000_0001_02_000001", "jobmanager"),
        ("container_1767225600000_0001_02_000003", "taskmanager"),
    ]


def test_spans_are_ordered_by_start_then_container_id():
    """Spans come in (start_ms, container_id) order whatever order they were allocated in."""
    usage = fed(
        allocated(T0 + 5, container(3), NODE_A),
        allocated(T0 + 5, container(2, OTHER_APP), NODE_A),
        allocated(T0 + 5, container(2), NODE_A),
        allocated(T0 + 9, container(1), NODE_A),
    )
    assert [(span.start_ms, span.container_id) for span in usage.spans] == [
        (T0 + 5, "container_1767225600000_0001_01_000002"),
        (T0 + 5, "container_1767225600000_0001_01_000003"),
        (T0 + 5, "container_1767225600000_0002_01_000002"),
        (T0 + 9, "container_1767225600000_0001_01_000001"),
    ]


def test_other_events_are_ignored():
    """Application, NodeManager-container and log events change nothing."""
    usage = fed(
        AppSubmitted(T0, APP, "job", "Apache Flink", "default", "flink"),
        NMContainerStateChanged(T0, NODE_A, container(1), ContainerState.NEW,
                                ContainerState.RUNNING),
        LogRecorded(T0, "RM", "INFO", "hello"),
        ended(T0, container(7)),  # never allocated
    )
    assert usage.spans == []
    assert usage.memory_series(T0 + 1) == [(T0 + 1, 0, 0)]
    assert usage.containers_per_node() == {}


def test_total_memory_counts_the_nodes_that_are_running():
    """A node adds its capability when it enters RUNNING and takes it away when it leaves; a
    reconnect (RUNNING to RUNNING) with a new capability replaces the old one."""
    usage = fed(
        node_up(T0, NODE_A, memory=8192),
        node_up(T0 + 100, NODE_B, memory=4096),
        node_down(T0 + 200, NODE_A, NodeState.LOST),
        node_up(T0 + 300, NODE_B, memory=6144, from_state=NodeState.RUNNING),
        node_down(T0 + 400, NODE_B, NodeState.UNHEALTHY),
        node_down(T0 + 450, NODE_B, NodeState.DECOMMISSIONED),  # not RUNNING before either
    )
    assert usage.memory_series(T0 + 1000) == [
        (T0, 0, 8192), (T0 + 100, 0, 12288), (T0 + 200, 0, 4096), (T0 + 300, 0, 6144),
        (T0 + 400, 0, 0), (T0 + 1000, 0, 0)]


def test_memory_series_has_one_point_per_change_and_a_final_point_at_the_end():
    """Changes at the same millisecond make one point (the values after the last), a change that
    cancels out within a millisecond makes none, and the series ends with a point at end_ms that
    leaves out later changes."""
    a, b, c = container(1), container(2), container(3)
    usage = fed(
        node_up(T0, NODE_A),
        allocated(T0 + 10, a, NODE_A, memory=2048),
        allocated(T0 + 20, b, NODE_A, memory=1024),
        allocated(T0 + 20, c, NODE_A, memory=1024),
        allocated(T0 + 30, container(4), NODE_A, memory=512),
        ended(T0 + 30, container(4), RMContainerState.RELEASED),
        ended(T0 + 40, b),
        ended(T0 + 90, c),
    )
    assert usage.memory_series(T0 + 60) == [
        (T0, 0, 8192), (T0 + 10, 2048, 8192), (T0 + 20, 4096, 8192), (T0 + 40, 3072, 8192),
        (T0 + 60, 3072, 8192)]
    assert usage.memory_series(T0 + 40)[-2:] == [(T0 + 20, 4096, 8192), (T0 + 40, 3072, 8192)]
    assert usage.memory_series(T0 - 5) == [(T0 - 5, 0, 0)]


def test_utilization_is_the_peak_and_time_weighted_mean_of_allocated_over_total():
    """Over [start, end): the peak fraction and the time-weighted mean; values before start count
    from start on."""
    usage = fed(
        node_up(T0, NODE_A, memory=4000),
        allocated(T0 + 100, container(1), NODE_A, memory=1000),
        allocated(T0 + 200, container(2), NODE_A, memory=3000),
        ended(T0 + 300, container(2)),
    )
    # 0 for 100 ms, 0.25 for 100 ms, 1.0 for 100 ms, 0.25 for 100 ms.
    assert usage.utilization(T0, T0 + 400) == (1.0, pytest.approx(1.5 / 4))
    # From T0 + 150: 0.25 for 50 ms, 1.0 for 100 ms, 0.25 for 50 ms.
    assert usage.utilization(T0 + 150, T0 + 350) == (1.0, pytest.approx(125 / 200))
    assert usage.utilization(T0 + 300, T0 + 400) == (0.25, 0.25)


def test_utilization_is_zero_for_an_empty_interval_or_no_cluster_memory():
    """An empty or reversed interval, or a cluster with no RUNNING node, gives (0.0, 0.0)."""
    usage = fed(allocated(T0, container(1), NODE_A))
    assert usage.utilization(T0, T0 + 100) == (0.0, 0.0)
    usage(node_up(T0 + 50, NODE_A, memory=4096))
    assert usage.utilization(T0 + 50, T0 + 50) == (0.0, 0.0)
    assert usage.utilization(T0 + 60, T0 + 50) == (0.0, 0.0)
    assert usage.utilization(T0, T0 + 100) == (0.5, 0.25)


def test_containers_per_node_counts_every_span_and_lists_idle_nodes_in_natural_order():
    """Every container ever placed on a node counts; nodes known from node events with none count
    0; nodes come in natural order (node-2 before node-10)."""
    node_2, node_10 = NodeId("node-2", 45454), NodeId("node-10", 45454)
    usage = fed(
        node_up(T0, node_10), node_up(T0, node_2), node_up(T0, NODE_A),
        allocated(T0 + 1, container(1), node_10),
        ended(T0 + 2, container(1)),
        allocated(T0 + 3, container(2), node_10),
        allocated(T0 + 3, container(3), node_2),
    )
    assert list(usage.containers_per_node().items()) == [
        ("node-0:45454", 0), ("node-2:45454", 1), ("node-10:45454", 2)]
    assert sorted(["b-10", "a", "b-9", "b-10:1", "b-10:0"], key=node_order_key) == [
        "a", "b-9", "b-10", "b-10:0", "b-10:1"]


def test_a_flink_session_shows_its_jobmanager_and_task_managers(tmp_path):
    """
    Subscribed before a real cluster starts, ClusterUsage sees the three nodes' memory, the
    session's JobManager (the AM container, with the AM's memory) and the TaskManagers a job
    brings, which end once they idle out.
    """
    flink = FlinkOnYarn(tmp_path, [NodeGroup(3, memory_mb=8192, vcores=8)], dist_size="tiny")
    usage = ClusterUsage()
    flink.events.subscribe(usage)
    start = flink.events.now()
    flink.start()
    spec = flink.specification()
    session = flink.run(flink.descriptor().deploy_session_cluster(spec))
    app = session.application_id
    jm_memory = next(c.resource.memory for c in flink.rm.containers.values()
                     if c.container_id.application_id == app and c.is_am)
    job_id, _ = submit_and_run(flink, session, bounded_job("job", parallelism=2, records=5_000))
    assert len(task_manager_containers(flink, app)) == 2
    assert usage.utilization(start, flink.events.now())[0] == pytest.approx(
        (jm_memory + 2 * next(s.memory_mb for s in usage.spans if s.role == "taskmanager"))
        / (3 * 8192))
    flink.run(session.request_job_result(job_id))
    assert flink.run_until(lambda: not task_manager_containers(flink, app), seconds=120)
    end = flink.events.now()

    jm, *tms = usage.spans
    assert (jm.role, jm.application_id, jm.memory_mb, jm.end_ms) == ("jobmanager", str(app),
                                                                     jm_memory, None)
    assert jm_memory >= spec.master_memory_mb
    assert len(tms) == 2
    for tm in tms:
        assert tm.role == "taskmanager" and tm.application_id == str(app)
        assert tm.memory_mb >= spec.task_manager_memory_mb
        assert jm.start_ms < tm.start_ms < tm.end_ms <= end
    assert sum(usage.containers_per_node().values()) == 3
    assert len(usage.containers_per_node()) == 3
    assert usage.memory_series(end)[0] == (start, 0, 8192)
    assert usage.memory_series(end)[-1] == (end, jm_memory, 3 * 8192)
    peak, mean = usage.utilization(start, end)
    assert 0 < mean < peak < 1
