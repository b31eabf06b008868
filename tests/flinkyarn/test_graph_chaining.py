"""
Tests for :mod:`flinkyarn.graph.chaining`: Flink's operator chaining rules case by case, and
the chained names and descriptions, through programs built with the DataStream API.
"""

import pytest

from flinkyarn.api import BoundedSource, StreamExecutionEnvironment
from flinkyarn.graph.chaining import compute_chains, is_chainable
from flinkyarn.graph.errors import UnsupportedOperationException
from flinkyarn.graph.stream_graph import ChainingStrategy


def _env(parallelism=2, **configuration):
    return StreamExecutionEnvironment({"parallelism.default": parallelism, **configuration})


def _tasks(env):
    """:return: [(vertex name, parallelism, [input ship strategies])] in topological order."""
    graph = env.get_job_graph()
    return [
        (vertex.name, vertex.parallelism, [edge.ship_strategy_name for edge in vertex.inputs])
        for vertex in graph.vertices
    ]


def test_a_map_chain_with_equal_parallelism_is_one_task():
    """Operators connected by FORWARD edges with equal parallelism chain into one task."""
    env = _env()
    env.from_sequence(1, 10).map().filter().print()
    assert _tasks(env) == [("Source: Sequence Source -> Map -> Filter -> Sink: Print to Std. Out",
                            2, [])]


def test_different_parallelism_breaks_the_chain_with_rebalance():
    """A change of parallelism makes the edge REBALANCE, which does not chain (both ways)."""
    env = _env()
    env.from_sequence(1, 10).map().set_parallelism(3).print()
    assert _tasks(env) == [
        ("Source: Sequence Source", 2, []),
        ("Map", 3, ["REBALANCE"]),
        ("Sink: Print to Std. Out", 2, ["REBALANCE"]),
    ]


def test_key_by_breaks_the_chain_with_hash():
    """key_by makes a HASH edge, which does not chain."""
    env = _env()
    env.from_sequence(1, 10).map().key_by().reduce().print()
    assert _tasks(env) == [
        ("Source: Sequence Source -> Map", 2, []),
        ("Keyed Reduce -> Sink: Print to Std. Out", 2, ["HASH"]),
    ]


@pytest.mark.parametrize("method, partitioner", [
    ("rebalance", "REBALANCE"), ("rescale", "RESCALE"), ("shuffle", "SHUFFLE"),
    ("broadcast", "BROADCAST"), ("global_", "GLOBAL"),
])
def test_explicit_partitioners_other_than_forward_break_the_chain(method, partitioner):
    """Every partitioner but FORWARD breaks the chain and names the edge."""
    env = _env()
    getattr(env.from_sequence(1, 10), method)().map().print()
    assert _tasks(env) == [
        ("Source: Sequence Source", 2, []),
        ("Map -> Sink: Print to Std. Out", 2, [partitioner]),
    ]


def test_disable_chaining_isolates_the_operator():
    """disable_chaining (NEVER) chains the operator to neither neighbour."""
    env = _env()
    env.from_sequence(1, 10).map().map().disable_chaining().map().print()
    assert _tasks(env) == [
        ("Source: Sequence Source -> Map", 2, []),
        ("Map", 2, ["FORWARD"]),
        ("Map -> Sink: Print to Std. Out", 2, ["FORWARD"]),
    ]


def test_start_new_chain_starts_a_chain_that_successors_join():
    """start_new_chain (HEAD) breaks the chain before the operator but not after it."""
    env = _env()
    env.from_sequence(1, 10).map().map().start_new_chain().filter().print()
    assert _tasks(env) == [
        ("Source: Sequence Source -> Map", 2, []),
        ("Map -> Filter -> Sink: Print to Std. Out", 2, ["FORWARD"]),
    ]


def test_different_slot_sharing_groups_break_the_chain():
    """Operators in different slot sharing groups do not chain; successors inherit the group."""
    env = _env()
    env.from_sequence(1, 10).map().slot_sharing_group("other").filter().print()
    graph = env.get_job_graph()
    assert [(v.name, v.slot_sharing_group) for v in graph.vertices] == [
        ("Source: Sequence Source", "default"),
        ("Map -> Filter -> Sink: Print to Std. Out", "other"),
    ]


def test_a_source_followed_by_an_explicit_forward_map_chains():
    """A source (HEAD) chains with a following map over an explicit FORWARD edge."""
    env = _env()
    env.from_sequence(1, 10).forward().map().print()
    assert _tasks(env) == [("Source: Sequence Source -> Map -> Sink: Print to Std. Out", 2, [])]


def test_forward_with_different_parallelism_raises_flinks_error():
    """An explicit forward between different parallelisms is refused with Flink's message."""
    env = _env()
    env.from_sequence(1, 10).forward().map().set_parallelism(3).print()
    with pytest.raises(UnsupportedOperationException) as error:
        env.get_job_graph()
    assert error.value.message == (
        "Forward partitioning does not allow change of parallelism. Upstream operation: "
        "Source: Sequence Source-1 parallelism: 2, downstream operation: Map-3 parallelism: 3 "
        "You must use another partitioning strategy, such as broadcast, rebalance, shuffle or "
        "global."
    )


def test_disabling_chaining_for_the_job_makes_every_operator_a_task():
    """With operator chaining disabled every operator is its own task over FORWARD edges."""
    env = _env()
    env.disable_operator_chaining()
    env.from_sequence(1, 10).map().print()
    assert _tasks(env) == [
        ("Source: Sequence Source", 2, []),
        ("Map", 2, ["FORWARD"]),
        ("Sink: Print to Std. Out", 2, ["FORWARD"]),
    ]


def test_chaining_can_be_disabled_by_configuration():
    """pipeline.operator-chaining: false disables chaining, as the environment method does."""
    env = _env(**{"pipeline.operator-chaining": "false"})
    env.from_sequence(1, 10).map().print()
    assert len(_tasks(env)) == 3


def test_a_union_input_never_chains():
    """An operator fed by a union has several inputs and so starts its own task."""
    env = _env()
    first = env.from_sequence(1, 10)
    second = env.from_sequence(1, 10)
    first.union(second).map().print()
    assert _tasks(env) == [
        ("Source: Sequence Source", 2, []),
        ("Source: Sequence Source", 2, []),
        ("Map -> Sink: Print to Std. Out", 2, ["FORWARD", "FORWARD"]),
    ]


def test_several_chained_outputs_are_named_in_parentheses():
    """A node with two chained successors is named ``A -> (B, C)``."""
    env = _env()
    mapped = env.from_sequence(1, 10).map()
    mapped.filter().print()
    mapped.process().print()
    (vertex,) = env.get_job_graph().vertices
    assert vertex.name == ("Source: Sequence Source -> Map -> (Filter -> Sink: Print to Std. Out, "
                           "Process -> Sink: Print to Std. Out)")
    assert vertex.description == (
        "Source: Sequence Source\n"
        "+- Map\n"
        "   :- Filter\n"
        "   :  +- Sink: Print to Std. Out\n"
        "   +- Process\n"
        "      +- Sink: Print to Std. Out\n"
    )


def test_window_operators_are_described_by_their_window():
    """The tree description uses an operator's description (Window(...)) over its name."""
    from flinkyarn.api import TumblingEventTimeWindows

    env = _env()
    env.from_sequence(1, 10).key_by().window(TumblingEventTimeWindows.of(5000)).sum(1).print()
    window_vertex = env.get_job_graph().vertices[1]
    assert window_vertex.name == "TumblingEventTimeWindows -> Sink: Print to Std. Out"
    assert window_vertex.description == (
        "Window(TumblingEventTimeWindows(5000), EventTimeTrigger, SumAggregator, "
        "PassThroughWindowFunction)\n+- Sink: Print to Std. Out\n"
    )


def test_head_with_sources_chains_only_to_a_flip27_source():
    """HEAD_WITH_SOURCES chains to a FLIP-27 source but not to a legacy source or a map."""
    def chained(source_method):
        env = _env()
        stream = source_method(env)
        mapped = stream.map()
        mapped._transformation.chaining_strategy = ChainingStrategy.HEAD_WITH_SOURCES
        mapped.print()
        graph = env.get_stream_graph()
        edge = graph.out_edges(graph.source_ids()[0])[0]
        return is_chainable(edge, graph)

    assert chained(lambda env: env.from_source(BoundedSource(10), None, "New"))
    assert not chained(lambda env: env.add_source(BoundedSource(10), "Legacy"))


def test_chains_list_every_node_exactly_once():
    """compute_chains puts each stream node in exactly one chain."""
    env = _env()
    stream = env.from_sequence(1, 10).map()
    stream.key_by().sum().print()
    stream.rebalance().filter().print()
    graph = env.get_stream_graph()
    members = [node for chain in compute_chains(graph) for node in chain.node_ids]
    assert sorted(members) == [node.id for node in graph.nodes()]
