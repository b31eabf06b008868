"""
Tests for :mod:`flinkyarn.graph.job_graph`, :mod:`flinkyarn.graph.job_graph_generator` and
:mod:`flinkyarn.graph.json_plan`: the JobGraph's shape, slots, validation and plan.
"""

import pytest
from attrs import evolve

from flinkyarn.api import StreamExecutionEnvironment
from flinkyarn.graph.errors import InvalidJobGraphException
from flinkyarn.graph.job_graph import (
    DistributionPattern,
    JobGraph,
    ResultPartitionType,
    sort_topologically,
)
from flinkyarn.graph.job_settings import JobType
from flinkyarn.graph.json_plan import job_plan
from flinkyarn.graph.key_groups import compute_default_max_parallelism
from flinkyarn.graph.stream_graph import ONE_INPUT_STREAM_TASK, SOURCE_OPERATOR_STREAM_TASK
from flinkyarn.ids import IdGenerator, JobID


def _env(parallelism=2, id_generator=None, **configuration):
    return StreamExecutionEnvironment({"parallelism.default": parallelism, **configuration},
                                      id_generator=id_generator)


def _wordcount(parallelism=2, seed=None):
    env = _env(parallelism, IdGenerator(seed) if seed is not None else None)
    env.from_sequence(1, 100).flat_map().key_by().sum(1).print()
    return env.get_job_graph("WordCount")


def test_vertices_carry_name_parallelism_task_class_and_operators():
    """Each vertex has its chained name, parallelism, Flink task class and operators in order."""
    graph = _wordcount()
    source, counter = graph.vertices
    assert (source.name, source.parallelism, source.invokable_class_name) == (
        "Source: Sequence Source -> Flat Map", 2, SOURCE_OPERATOR_STREAM_TASK)
    assert [op.name for op in source.operators] == ["Source: Sequence Source", "Flat Map"]
    assert [op.kind for op in counter.operators] == ["keyed_aggregation", "sink"]
    assert counter.invokable_class_name == ONE_INPUT_STREAM_TASK
    assert source.max_parallelism == -1 and source.effective_max_parallelism == 128


def test_edges_connect_data_sets_with_distribution_patterns():
    """An unchained edge becomes a data set of the producer consumed by one JobEdge."""
    graph = _wordcount()
    source, counter = graph.vertices
    (data_set,) = source.produced_data_sets
    (edge,) = counter.inputs
    assert edge.source == data_set.id and edge.target == counter.id
    assert edge.distribution_pattern is DistributionPattern.ALL_TO_ALL
    assert data_set.result_partition_type is ResultPartitionType.PIPELINED_BOUNDED
    assert graph.producer_of(edge) == source
    assert graph.consumers_of(data_set.id) == (edge,)


def test_data_sets_are_unique_per_job_and_stable_within_one():
    """
    Two jobs of the same program share vertex ids (derived from the topology, as Flink's are) but
    never a data set id: the shuffle of a TaskManager running both tells their partitions apart.
    The same job id gives the same data set ids.
    """
    first, second, again = _wordcount(seed=1), _wordcount(seed=2), _wordcount(seed=1)
    assert [v.id for v in first.vertices] == [v.id for v in second.vertices]
    data_sets = [{d.id for v in graph.vertices for d in v.produced_data_sets}
                 for graph in (first, second, again)]
    assert data_sets[0].isdisjoint(data_sets[1])
    assert data_sets[0] == data_sets[2]


def test_rescale_and_forward_edges_are_pointwise():
    """RESCALE and (unchained) FORWARD edges are POINTWISE."""
    env = _env()
    env.from_sequence(1, 10).rescale().map().set_parallelism(4).print()
    graph = env.get_job_graph()
    assert graph.vertices[1].inputs[0].distribution_pattern is DistributionPattern.POINTWISE
    assert graph.vertices[1].inputs[0].ship_strategy_name == "RESCALE"


def test_the_job_type_follows_the_runtime_mode():
    """STREAMING by default even for bounded sources; BATCH or AUTOMATIC make it BATCH."""
    assert _wordcount().job_type is JobType.STREAMING
    for mode, expected in (("BATCH", JobType.BATCH), ("AUTOMATIC", JobType.BATCH)):
        env = _env(**{"execution.runtime-mode": mode})
        env.from_sequence(1, 10).key_by().sum().print()
        graph = env.get_job_graph()
        assert graph.job_type is expected
        assert graph.vertices[0].produced_data_sets[0].result_partition_type is \
            ResultPartitionType.BLOCKING


def test_required_slots_is_the_highest_parallelism_of_one_group():
    """One slot sharing group needs as many slots as its highest parallelism."""
    env = _env()
    env.from_sequence(1, 10).map().set_parallelism(5).print()
    assert env.get_job_graph().required_slots() == 5


def test_required_slots_sums_over_slot_sharing_groups():
    """Several groups need the sum of each group's highest parallelism."""
    env = _env()
    env.from_sequence(1, 10).map().set_parallelism(3).slot_sharing_group("heavy") \
        .print().set_parallelism(4).slot_sharing_group("sink")
    graph = env.get_job_graph()
    assert [(g.name, g.max_parallelism) for g in graph.slot_sharing_groups()] == [
        ("default", 2), ("heavy", 3), ("sink", 4)]
    assert graph.required_slots() == 9


def test_vertices_are_in_topological_order():
    """Every vertex's inputs come from vertices listed before it."""
    env = _env()
    a = env.from_sequence(1, 10)
    b = env.from_sequence(1, 10).set_parallelism(3)
    a.connect(b.rebalance()).map().key_by().sum().print()
    graph = env.get_job_graph()
    seen = set()
    for vertex in graph.vertices:
        for edge in vertex.inputs:
            assert graph.data_set(edge.source).producer in seen
        seen.add(vertex.id)
    assert [v.name.split(" ->")[0] for v in graph.vertices] == [
        "Source: Sequence Source", "Source: Sequence Source", "Co-Map", "Keyed Aggregation"]


def test_job_ids_are_deterministic_for_a_seed():
    """The same seed gives the same JobIDs; each job of an environment gets a new one."""
    def ids(seed):
        env = StreamExecutionEnvironment(id_generator=IdGenerator(seed))
        result = []
        for _ in range(2):
            env.from_sequence(1, 10).print()
            result.append(env.get_job_graph().job_id)
        return result

    assert ids(5) == ids(5)
    assert ids(5)[0] != ids(5)[1]
    assert ids(5) != ids(6)


def test_a_fixed_job_id_is_taken_from_the_configuration():
    """$internal.pipeline.job-id fixes the JobID (application mode with HA)."""
    env = _env(**{"$internal.pipeline.job-id": "0" * 32})
    env.from_sequence(1, 10).print()
    assert env.get_job_graph().job_id == JobID("0" * 32)


def test_settings_travel_with_the_job_graph():
    """Checkpointing, jars, artifacts and configuration are part of the JobGraph."""
    env = _env(**{"execution.checkpointing.interval": "10 s"})
    env.add_jars("hdfs:///jobs/app.jar").register_cached_file("hdfs:///data/dict.txt", "dict")
    env.from_sequence(1, 10).print()
    graph = env.get_job_graph()
    assert graph.checkpointing.enabled and graph.checkpointing.interval_ms == 10000
    assert graph.user_jars == ("hdfs:///jobs/app.jar",)
    assert dict(graph.user_artifacts) == {"dict": "hdfs:///data/dict.txt"}
    assert graph.job_configuration["execution.checkpointing.interval"] == "10 s"


def test_default_max_parallelism_follows_key_group_assignment():
    """The default max parallelism is 1.5 × parallelism rounded up to a power of two, in
    [128, 32768]."""
    assert compute_default_max_parallelism(1) == 128
    assert compute_default_max_parallelism(100) == 256
    assert compute_default_max_parallelism(1000) == 2048
    assert compute_default_max_parallelism(30000) == 32768


def test_a_graph_with_an_unknown_input_data_set_is_refused():
    """Constructing a JobGraph whose edge consumes no known data set raises."""
    graph = _wordcount()
    source, counter = graph.vertices
    with pytest.raises(InvalidJobGraphException, match="consumes data set"):
        evolve(graph, vertices=(evolve(source, produced_data_sets=()), counter))


def test_vertices_out_of_topological_order_are_refused():
    """A consumer listed before its producer is refused."""
    graph = _wordcount()
    with pytest.raises(InvalidJobGraphException, match="topological order"):
        evolve(graph, vertices=tuple(reversed(graph.vertices)))


def test_parallelism_checks_apply_to_constructed_graphs():
    """A vertex with parallelism 0 or above its max parallelism is refused."""
    graph = _wordcount()
    source, counter = graph.vertices
    with pytest.raises(InvalidJobGraphException, match="at least 1"):
        evolve(graph, vertices=(evolve(source, parallelism=0), counter))
    with pytest.raises(InvalidJobGraphException, match="above its max parallelism"):
        evolve(graph, vertices=(evolve(source, parallelism=8, max_parallelism=4), counter))


def test_sorting_detects_cycles():
    """sort_topologically orders vertices and reports a cyclic graph in Flink's words."""
    graph = _wordcount()
    source, counter = graph.vertices
    assert sort_topologically([counter, source]) == (source, counter)
    looped = evolve(source, inputs=(evolve(counter.inputs[0], target=source.id),))
    with pytest.raises(InvalidJobGraphException, match="The job graph is cyclic."):
        sort_topologically([looped, counter])


def test_the_plan_has_flinks_json_shape():
    """The plan lists nodes with HTML descriptions and inputs with strategy and exchange."""
    env = _env(1)
    env.from_collection(["a b"]).flat_map().key_by().sum(1).print()
    graph = env.get_job_graph("wordCount")
    plan = job_plan(graph)
    assert plan == {
        "jid": str(graph.job_id),
        "name": "wordCount",
        "type": "STREAMING",
        "nodes": [
            {"id": "cbc357ccb763df2852fee8c4fc7d55f2", "parallelism": 1, "operator": "",
             "operator_strategy": "",
             "description": "Source: Collection Source<br/>+- Flat Map<br/>",
             "optimizer_properties": {}},
            {"id": "90bea66de1c231edf33913ecd54406c1", "parallelism": 1, "operator": "",
             "operator_strategy": "",
             "description": "Keyed Aggregation<br/>+- Sink: Print to Std. Out<br/>",
             "inputs": [{"num": 0, "id": "cbc357ccb763df2852fee8c4fc7d55f2",
                         "ship_strategy": "HASH", "exchange": "pipelined_bounded"}],
             "optimizer_properties": {}},
        ],
    }


def test_the_plan_escapes_html_in_names():
    """Operator names with HTML characters are escaped in the plan description."""
    env = _env(1)
    env.from_sequence(1, 2).map().name("<a & b>").print()
    assert "&lt;a &amp; b&gt;" in job_plan(env.get_job_graph())["nodes"][0]["description"]


def test_equal_programs_give_equal_graphs():
    """
    Two environments with the same seed compile the same program into equal JobGraphs; two
    environments without one give their jobs different ids.
    """
    assert _wordcount(seed=7) == _wordcount(seed=7)
    assert isinstance(hash(_wordcount()), int)
    graph = _wordcount()
    assert JobGraph.from_bytes(graph.to_bytes()) == graph
    assert _wordcount().job_id != _wordcount().job_id
