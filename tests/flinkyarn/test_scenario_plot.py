"""
Tests for :mod:`flinkyarn.scenario.plot`: the lanes of the Gantt chart, and a PNG written for a
small synthetic run (two applications, a node running three containers at once).
"""

import builtins

import pytest

from flinkyarn.scenario.plot import assign_lanes, write_plot
from flinkyarn.scenario.usage import ClusterUsage, ContainerSpan
from yarnemu.events import ContainerAllocated, ContainerStateChanged, NodeStateChanged
from yarnemu.records.ids import ApplicationAttemptId, ApplicationId, ContainerId, NodeId
from yarnemu.records.resource import Resource
from yarnemu.records.states import NodeState, RMContainerState

T0 = 1_767_225_600_000
SESSION = ApplicationId(T0, 1)
PER_JOB = ApplicationId(T0, 2)
NODES = [NodeId(f"node-{index}", 45454) for index in range(3)]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def container(app, seq):
    return ContainerId(ApplicationAttemptId(app, 1), seq)


def sample_usage():
    """:return: a ClusterUsage of a session and a per-job cluster on three 8 GB nodes, node-1
    running three containers at once."""
    usage = ClusterUsage()
    events = [NodeStateChanged(T0 + 300 * i, node, NodeState.NEW, NodeState.RUNNING, "STARTED",
                               Resource(8192, 8), "/default-rack") for i, node in enumerate(NODES)]

    def run(start, end, app, seq, node, memory=2048):
        cid = container(app, seq)
        events.append(ContainerAllocated(T0 + start, cid, NODES[node], Resource(memory, 1), 0,
                                         "NODE_LOCAL", "default"))
        if end is not None:
            events.append(ContainerStateChanged(T0 + end, cid, RMContainerState.RUNNING,
                                                RMContainerState.COMPLETED, "FINISHED", 0))

    run(2_000, None, SESSION, 1, 0)
    run(6_000, 40_000, SESSION, 2, 1)
    run(6_000, 40_000, SESSION, 3, 1)
    run(6_500, 41_000, SESSION, 4, 2)
    run(20_000, 72_000, PER_JOB, 1, 1, memory=1024)
    run(25_000, 70_000, PER_JOB, 2, 0, memory=4096)
    run(45_000, 70_000, PER_JOB, 3, 1)
    for event in sorted(events, key=lambda event: event.time):
        usage(event)
    return usage


def span(container_id, node, start, end):
    return ContainerSpan(container_id, "application_1", node, 1024, 1, "taskmanager", start, end)


def test_each_span_takes_the_lowest_lane_free_on_its_node():
    """Overlapping spans on one node stack in lanes; a lane is free again from its span's end;
    another node's lanes are its own; a running span lasts until end_ms."""
    spans = [
        span("c1", "n1", 0, 100),
        span("c2", "n1", 10, None),
        span("c3", "n1", 50, 60),
        span("c4", "n1", 100, 200),  # c1's lane is free at 100
        span("c5", "n2", 10, 20),
        span("c6", "n1", 70, 80),  # c3's lane is free at 60
    ]
    assert assign_lanes(spans, 1_000) == {"c1": 0, "c2": 1, "c5": 0, "c3": 2, "c6": 2, "c4": 0}
    assert assign_lanes([span("c1", "n1", 0, None), span("c2", "n1", 999, 1_000)], 1_000) == {
        "c1": 0, "c2": 1}


def test_write_plot_writes_a_png(tmp_path):
    """The plot is a PNG of some size, with steps, labels and both applications; a run without
    steps or containers is plotted too."""
    path = tmp_path / "usage.png"
    write_plot(str(path), sample_usage(), T0, T0 + 90_000,
               [(T0 + 1_000, "deploy session"), (T0 + 5_000, "submit job"),
                (T0 + 20_000, "deploy per-job"), (T0 + 200_000, "after the end")],
               "two applications",
               {str(SESSION): f"my-session ({SESSION})"})
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 20_000

    empty = tmp_path / "empty.png"
    write_plot(str(empty), ClusterUsage(), T0, T0, [], "", None)
    assert empty.read_bytes().startswith(PNG_SIGNATURE)


def test_a_long_run_is_plotted_in_minutes(tmp_path):
    """A run of over 15 minutes is plotted too (its axis in minutes)."""
    path = tmp_path / "long.png"
    write_plot(path, sample_usage(), T0, T0 + 3_600_000, [(T0 + 60_000, "a minute in")], "long",
               {})
    assert path.read_bytes().startswith(PNG_SIGNATURE)


def test_without_matplotlib_write_plot_says_how_to_install_it(tmp_path, monkeypatch):
    """If matplotlib cannot be imported, write_plot raises a RuntimeError naming the extra."""
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.partition(".")[0] == "matplotlib":
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    message = r"--plot needs matplotlib: pip install 'yarnemu\[plot\]'"
    with pytest.raises(RuntimeError, match=message):
        write_plot(str(tmp_path / "x.png"), ClusterUsage(), T0, T0 + 1, [], "", {})
    assert not (tmp_path / "x.png").exists()
