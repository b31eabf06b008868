"""
Tests for :mod:`flinkyarn.api.datastream` and :mod:`flinkyarn.api.windows`: Flink's operator
names, per-operator settings and their validation, windows and two-input operators.
"""

from datetime import timedelta

import pytest

from flinkyarn.api import (
    EventTimeSessionWindows,
    ProcessingCost,
    SlidingEventTimeWindows,
    StreamExecutionEnvironment,
    TumblingProcessingTimeWindows,
)
from flinkyarn.graph.errors import IllegalArgumentException


def _env(parallelism=1):
    return StreamExecutionEnvironment({"parallelism.default": parallelism})


def _operator_names(env):
    return [node.operator_name for node in env.get_stream_graph().nodes()]


def test_operators_get_flinks_default_names():
    """map, flat_map, filter, process and keyed operators carry Flink's default names."""
    env = _env()
    stream = env.from_sequence(1, 10).map().flat_map().filter().process()
    keyed = stream.key_by()
    keyed.sum().print()
    keyed.reduce().add_sink()
    keyed.process().sink_to()
    assert _operator_names(env) == [
        "Source: Sequence Source", "Map", "Flat Map", "Filter", "Process",
        "Keyed Aggregation", "Sink: Print to Std. Out", "Keyed Reduce", "Sink: Unnamed",
        "KeyedProcess", "Sink: Unnamed",
    ]


def test_names_descriptions_and_uids_can_be_set():
    """name, set_description and uid change the operator; sinks keep their prefix."""
    env = _env()
    env.from_sequence(1, 10).name("numbers").map().name("double").uid("d") \
        .set_description("doubles numbers").print().name("stdout")
    nodes = env.get_stream_graph().nodes()
    assert [n.operator_name for n in nodes] == ["Source: numbers", "double", "Sink: stdout"]
    assert (nodes[1].uid, nodes[1].operator_description) == ("d", "doubles numbers")


def test_parallelism_settings_are_validated():
    """Parallelism below 1 and max parallelism outside [1, 32768] are refused."""
    stream = _env().from_sequence(1, 10).map()
    with pytest.raises(IllegalArgumentException, match="must be at least 1"):
        stream.set_parallelism(0)
    with pytest.raises(IllegalArgumentException, match="at least 1"):
        stream.set_max_parallelism(0)
    with pytest.raises(IllegalArgumentException, match="smaller than or equal to 32768"):
        stream.set_max_parallelism(32769)


def test_collection_sources_are_not_parallel():
    """from_collection runs with parallelism 1 and refuses any other."""
    env = _env(4)
    source = env.from_collection([1, 2, 3])
    assert source.get_parallelism() == 1
    with pytest.raises(IllegalArgumentException, match="non parallel operator must be 1"):
        source.set_parallelism(2)
    assert env.from_elements(1, 2).get_parallelism() == 1


def test_streams_report_their_parallelism():
    """A stream's parallelism is its operator's, or the environment's when unset."""
    env = _env(3)
    stream = env.from_sequence(1, 10)
    assert stream.get_parallelism() == 3
    assert stream.map().set_parallelism(5).rebalance().get_parallelism() == 5


def test_costs_travel_with_operators():
    """An operator's ProcessingCost reaches its ChainedOperator; a bad cost is refused."""
    env = _env()
    env.from_sequence(1, 10).flat_map(cost=ProcessingCost(output_ratio=3.0)).print() \
        .set_cost(ProcessingCost(records_per_second=100.0))
    (vertex,) = env.get_job_graph().vertices
    assert [op.simulation for op in vertex.operators[1:]] == [
        ProcessingCost(output_ratio=3.0), ProcessingCost(records_per_second=100.0)]
    with pytest.raises(IllegalArgumentException):
        env.from_sequence(1, 2).map(cost=5)


@pytest.mark.parametrize("assigner, name, description", [
    (TumblingProcessingTimeWindows.of(timedelta(seconds=2)), "TumblingProcessingTimeWindows",
     "Window(TumblingProcessingTimeWindows(2000), ProcessingTimeTrigger, ReduceFunction, "
     "PassThroughWindowFunction)"),
    (SlidingEventTimeWindows.of(10000, 5000), "SlidingEventTimeWindows",
     "Window(SlidingEventTimeWindows(10000, 5000), EventTimeTrigger, ReduceFunction, "
     "PassThroughWindowFunction)"),
    (EventTimeSessionWindows.with_gap(timedelta(minutes=1)), "EventTimeSessionWindows",
     "Window(EventTimeSessionWindows(60000), EventTimeTrigger, ReduceFunction, "
     "PassThroughWindowFunction)"),
])
def test_window_operators_are_named_after_their_assigner(assigner, name, description):
    """A window operator is named after its assigner and described as Flink describes it."""
    env = _env()
    env.from_sequence(1, 10).key_by().window(assigner).reduce(lambda a, b: a).print()
    window = env.get_stream_graph().nodes()[1]
    assert (window.operator_name, window.description) == (name, description)
    assert window.window == assigner.spec()


def test_count_windows_use_global_windows():
    """count_window(size) purges per firing; with a slide it evicts."""
    env = _env()
    keyed = env.from_sequence(1, 10).key_by()
    keyed.count_window(100).sum().print()
    keyed.count_window(100, 10).apply().print()
    nodes = env.get_stream_graph().nodes()
    assert [n.description for n in nodes if n.kind == "window"] == [
        "Window(GlobalWindows(), PurgingTrigger, SumAggregator, PassThroughWindowFunction)",
        "Window(GlobalWindows(), CountTrigger, CountEvictor, WindowFunction)",
    ]
    assert [(n.window.size, n.window.slide) for n in nodes if n.kind == "window"] == [
        (100, None), (100, 10)]
    with pytest.raises(IllegalArgumentException):
        keyed.count_window(0)


def test_window_sizes_must_be_positive_milliseconds():
    """A window size of zero, a negative or a fraction of a millisecond is refused."""
    for bad in (0, -5, timedelta(microseconds=10), "5 s"):
        with pytest.raises(IllegalArgumentException):
            TumblingProcessingTimeWindows.of(bad)


def test_named_functions_appear_in_window_descriptions():
    """A named window function appears by its name in the description."""
    def count_words(key, window, values):
        return len(values)

    env = _env()
    env.from_sequence(1, 10).key_by().window(TumblingProcessingTimeWindows.of(1000)) \
        .process(count_words).print()
    assert env.get_stream_graph().nodes()[1].description.endswith(", count_words)")


def test_connected_streams_make_two_input_operators():
    """connect(...).map/flat_map/process add Co-Map, Co-Flat Map and Co-Process."""
    env = _env()
    first, second = env.from_sequence(1, 2), env.from_sequence(1, 2)
    first.connect(second).map().print()
    first.connect(second).flat_map().print()
    first.connect(second).process().print()
    names = _operator_names(env)
    assert [n for n in names if n.startswith("Co-")] == ["Co-Map", "Co-Flat Map", "Co-Process"]


def test_streams_of_different_environments_cannot_be_combined():
    """union and connect refuse streams from another environment."""
    stream, other = _env().from_sequence(1, 2), _env().from_sequence(1, 2)
    with pytest.raises(IllegalArgumentException, match="different execution environments"):
        stream.union(other)
    with pytest.raises(IllegalArgumentException, match="different execution environments"):
        stream.connect(other)
