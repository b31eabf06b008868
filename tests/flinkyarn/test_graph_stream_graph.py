"""
Tests for :mod:`flinkyarn.graph.stream_graph` and the program compiler that builds it:
default partitioners, node names, slot sharing inheritance, parallelism resolution.
"""

import pytest

from flinkyarn.api import StreamExecutionEnvironment
from flinkyarn.graph.errors import IllegalArgumentException, UnsupportedOperationException
from flinkyarn.graph.stream_graph import (
    ONE_INPUT_STREAM_TASK,
    SOURCE_OPERATOR_STREAM_TASK,
    SOURCE_STREAM_TASK,
    TWO_INPUT_STREAM_TASK,
    ChainingStrategy,
    Partitioner,
    StreamGraph,
    StreamNode,
)


def _env(parallelism=2):
    return StreamExecutionEnvironment({"parallelism.default": parallelism})


def test_partitioners_know_which_are_pointwise():
    """FORWARD and RESCALE connect subtasks pointwise; the others all-to-all."""
    assert {p for p in Partitioner if p.is_pointwise} == {Partitioner.FORWARD, Partitioner.RESCALE}
    assert [p.value for p in Partitioner] == [
        "FORWARD", "REBALANCE", "HASH", "RESCALE", "SHUFFLE", "BROADCAST", "GLOBAL"]


def test_unspecified_partitioner_is_forward_or_rebalance():
    """Without a partitioner an edge is FORWARD between equal parallelisms, else REBALANCE."""
    graph = StreamGraph("job")
    graph.add_node(StreamNode(1, "a", 2))
    graph.add_node(StreamNode(2, "b", 2))
    graph.add_node(StreamNode(3, "c", 3))
    assert graph.add_edge(1, 2).partitioner is Partitioner.FORWARD
    assert graph.add_edge(2, 3).partitioner is Partitioner.REBALANCE


def test_explicit_forward_between_different_parallelisms_is_refused():
    """add_edge refuses FORWARD between nodes of different parallelism."""
    graph = StreamGraph("job")
    graph.add_node(StreamNode(1, "a", 2))
    graph.add_node(StreamNode(2, "b", 3))
    with pytest.raises(UnsupportedOperationException, match="Forward partitioning"):
        graph.add_edge(1, 2, partitioner=Partitioner.FORWARD)


def test_nodes_print_as_name_dash_id():
    """A stream node prints as ``<name>-<id>``, as in Flink's messages."""
    assert str(StreamNode(7, "Map", 1)) == "Map-7"


def test_parallelism_below_one_is_refused():
    """A stream node needs a parallelism of at least 1."""
    with pytest.raises(IllegalArgumentException):
        StreamNode(1, "Map", 0)


def test_sources_and_sinks_get_flinks_prefixes_and_task_classes():
    """Sources are named ``Source: ...`` and sinks ``Sink: ...``, with Flink's task classes."""
    env = _env()
    legacy = env.from_collection([1, 2, 3])
    modern = env.from_sequence(1, 3)
    legacy.connect(modern).map().add_sink().name("out")
    graph = env.get_stream_graph()
    nodes = graph.nodes()
    assert [(n.operator_name, n.invokable_class_name, n.chaining_strategy) for n in nodes] == [
        ("Source: Collection Source", SOURCE_STREAM_TASK, ChainingStrategy.HEAD),
        ("Source: Sequence Source", SOURCE_OPERATOR_STREAM_TASK, ChainingStrategy.HEAD),
        ("Co-Map", TWO_INPUT_STREAM_TASK, ChainingStrategy.ALWAYS),
        ("Sink: out", ONE_INPUT_STREAM_TASK, ChainingStrategy.ALWAYS),
    ]
    assert [e.type_number for e in graph.in_edges(3)] == [1, 2]


def test_the_nearest_partitioning_to_the_consumer_wins():
    """Of two partitionings in a row, the one closest to the consumer sets the edge."""
    env = _env()
    env.from_sequence(1, 3).rebalance().shuffle().map().print()
    graph = env.get_stream_graph()
    assert graph.in_edges(4)[0].partitioner is Partitioner.SHUFFLE


def test_slot_sharing_group_is_inherited_when_all_inputs_agree():
    """An operator without a group takes its inputs' group, or default when they differ."""
    env = _env()
    first = env.from_sequence(1, 3).slot_sharing_group("a")
    second = env.from_sequence(1, 3).slot_sharing_group("b")
    first.map().print()
    first.union(second).map().print()
    groups = {n.operator_name + str(n.id): n.slot_sharing_group
              for n in env.get_stream_graph().nodes()}
    assert groups == {
        "Source: Sequence Source1": "a", "Source: Sequence Source2": "b",
        "Map3": "a", "Sink: Print to Std. Out4": "a",
        "Map6": "default", "Sink: Print to Std. Out7": "default",
    }


def test_operators_take_the_environment_parallelism_when_the_graph_is_built():
    """An operator without a parallelism gets the environment's at compile time."""
    env = _env(1)
    env.from_sequence(1, 3).map().print()
    env.set_parallelism(5)
    assert {n.parallelism for n in env.get_stream_graph().nodes()} == {5}


def test_parallelism_above_max_parallelism_is_refused():
    """An operator whose parallelism exceeds its max parallelism does not compile."""
    env = _env()
    env.from_sequence(1, 3).map().set_parallelism(8).set_max_parallelism(4).print()
    with pytest.raises(IllegalArgumentException, match=r"must not exceed its max parallelism"):
        env.get_stream_graph()


def test_the_environment_max_parallelism_applies_to_operators_without_one():
    """pipeline.max-parallelism / set_max_parallelism becomes every node's default."""
    env = _env()
    env.set_max_parallelism(64)
    env.from_sequence(1, 3).map().set_max_parallelism(32).print()
    assert [n.max_parallelism for n in env.get_stream_graph().nodes()] == [64, 32, 64]
