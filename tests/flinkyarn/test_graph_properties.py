"""
Property tests over random pipelines: the JobGraph and ExecutionGraph invariants that Flink's
chaining and edge building guarantee, for any program the API can build.
"""

from hypothesis import given
from hypothesis import strategies as st

from flinkyarn.api import StreamExecutionEnvironment
from flinkyarn.graph.chaining import is_chainable
from flinkyarn.graph.execution_graph import ExecutionGraph
from flinkyarn.graph.job_graph import DistributionPattern, JobGraph
from flinkyarn.graph.job_graph_generator import create_job_graph, job_vertex_ids
from flinkyarn.graph.stream_graph import Partitioner
from flinkyarn.ids import IdGenerator, JobID

PARTITIONINGS = ["rebalance", "rescale", "shuffle", "broadcast", "global_", "key_by", "forward"]


@st.composite
def programs(draw):
    """A random program: returns a function that builds it on an environment."""
    steps = []
    for _ in range(draw(st.integers(1, 3))):
        steps.append(("source", draw(st.sampled_from(["sequence", "collection"])),
                      draw(st.integers(1, 4))))
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(["op", "op", "partition", "union", "connect"]))
        steps.append((
            kind,
            draw(st.sampled_from(["map", "filter", "flat_map", "process"])),
            draw(st.sampled_from(PARTITIONINGS)),
            draw(st.one_of(st.none(), st.integers(1, 4))),
            draw(st.sampled_from([None, None, "disable_chaining", "start_new_chain"])),
            draw(st.sampled_from([None, None, "default", "other"])),
            draw(st.integers(0, 100)),
            draw(st.integers(0, 100)),
        ))
    sinks = draw(st.lists(st.integers(0, 100), min_size=1, max_size=3))
    return steps, sinks, draw(st.booleans()), draw(st.integers(1, 3))


def _build(program):
    steps, sinks, chaining, parallelism = program
    env = StreamExecutionEnvironment({"parallelism.default": parallelism})
    if not chaining:
        env.disable_operator_chaining()
    streams = []
    for step in steps:
        if step[0] == "source":
            _, kind, source_parallelism = step
            if kind == "sequence":
                streams.append(env.from_sequence(1, 100).set_parallelism(source_parallelism))
            else:
                streams.append(env.from_collection(range(10)))
            continue
        kind, operator, partitioning, op_parallelism, chaining_call, group, first, second = step
        stream = streams[first % len(streams)]
        if kind == "partition":
            if partitioning == "forward":
                op_parallelism = stream.get_parallelism()
            stream = getattr(stream, partitioning)()
        elif kind == "union":
            stream = stream.union(streams[second % len(streams)])
            op_parallelism = None if op_parallelism is None else stream.get_parallelism()
        if kind == "connect":
            result = stream.connect(streams[second % len(streams)]).map()
        else:
            result = getattr(stream, operator)()
        if op_parallelism is not None:
            result.set_parallelism(op_parallelism)
        if chaining_call:
            getattr(result, chaining_call)()
        if group:
            result.slot_sharing_group(group)
        streams.append(result)
    for index in sinks:
        streams[index % len(streams)].print()
    return env


def _compile(program):
    stream_graph = _build(program).get_stream_graph()
    return stream_graph, create_job_graph(stream_graph, JobID("1" * 32))


@given(programs())
def test_every_stream_node_is_in_exactly_one_vertex(program):
    """Each operator of the program appears in exactly one JobVertex."""
    stream_graph, job_graph = _compile(program)
    ids = job_vertex_ids(stream_graph)
    placed = [op.operator_id.hex for v in job_graph.vertices for op in v.operators]
    assert sorted(placed) == sorted(ids[node.id].hex for node in stream_graph.nodes())


@given(programs())
def test_chained_neighbours_satisfy_the_rules_and_the_rest_become_job_edges(program):
    """Edges inside a vertex are chainable FORWARD edges; every other edge is a JobEdge."""
    stream_graph, job_graph = _compile(program)
    ids = job_vertex_ids(stream_graph)
    vertex_of = {}
    for vertex in job_graph.vertices:
        for operator in vertex.operators:
            vertex_of[operator.operator_id.hex] = vertex
    unchained = []
    for edge in stream_graph.edges():
        source = vertex_of[ids[edge.source_id].hex]
        target = vertex_of[ids[edge.target_id].hex]
        upstream, downstream = stream_graph.node(edge.source_id), stream_graph.node(edge.target_id)
        if source is target:
            assert is_chainable(edge, stream_graph)
            assert edge.partitioner is Partitioner.FORWARD
            assert upstream.parallelism == downstream.parallelism == source.parallelism
            assert upstream.slot_sharing_group == downstream.slot_sharing_group
            assert len(stream_graph.in_edges(edge.target_id)) == 1
            assert stream_graph.chaining_enabled
        else:
            assert not is_chainable(edge, stream_graph)
            unchained.append((source.id, target.id, edge.partitioner.value))
    job_edges = [(job_graph.data_set(e.source).producer, e.target, e.ship_strategy_name)
                 for e in job_graph.edges()]
    assert sorted(job_edges) == sorted(unchained)
    for edge in job_graph.edges():
        pointwise = edge.ship_strategy_name in ("FORWARD", "RESCALE")
        assert (edge.distribution_pattern is DistributionPattern.POINTWISE) == pointwise


@given(programs())
def test_compiling_is_deterministic_and_survives_serialization(program):
    """The same program compiles to the same bytes, which decode to an equal JobGraph."""
    first = _compile(program)[1]
    second = _compile(program)[1]
    assert first.to_bytes() == second.to_bytes()
    assert JobGraph.from_bytes(first.to_bytes()) == first


@given(programs())
def test_execution_graphs_match_their_job_graphs(program):
    """Subtasks equal parallelisms; partitions equal producer subtasks; edges follow patterns;
    pipelined regions cover every subtask once."""
    job_graph = _compile(program)[1]
    graph = ExecutionGraph(job_graph, IdGenerator(0), 0)
    for vertex, job_vertex in zip(graph.vertices, job_graph.vertices, strict=True):
        assert len(vertex.task_vertices) == job_vertex.parallelism
        for result in vertex.produced_data_sets:
            assert len(result.partitions) == vertex.parallelism
    expected_edges = 0
    for job_edge in job_graph.edges():
        producers = job_graph.vertex(job_graph.data_set(job_edge.source).producer).parallelism
        consumers = job_graph.vertex(job_edge.target).parallelism
        if job_edge.distribution_pattern is DistributionPattern.ALL_TO_ALL:
            expected_edges += producers * consumers
        else:
            expected_edges += max(producers, consumers)
    assert len(graph.edges()) == expected_edges
    regions = graph.pipelined_regions()
    covered = [vertex_id for region in regions for vertex_id in region.vertex_ids]
    assert sorted(covered) == sorted(task.id for task in graph.execution_vertices())
    assert graph.required_slots() == job_graph.required_slots() <= job_graph.number_of_subtasks()
