"""
Tests for :mod:`flinkyarn.graph.execution_graph`, :mod:`flinkyarn.graph.execution` and
:mod:`flinkyarn.graph.pipelined_regions`: subtasks, partitions, connections, attempts, task
states and regions.
"""

import pytest

from flinkyarn.api import StreamExecutionEnvironment
from flinkyarn.graph.errors import IllegalStateException
from flinkyarn.graph.execution_graph import ExecutionGraph, VertexTiming, aggregate_vertex_state
from flinkyarn.ids import AllocationID, IdGenerator, ResourceID
from flinkyarn.states import ExecutionState, JobEvent, JobStatus
from yarnemu.errors import InvalidStateTransitionException

X = ExecutionState


def _execution_graph(build, parallelism=2, **configuration):
    env = StreamExecutionEnvironment({"parallelism.default": parallelism, **configuration})
    build(env)
    return ExecutionGraph(env.get_job_graph("job"), IdGenerator(9), 1000)


def _two_vertices(producers, consumers, partitioner):
    def build(env):
        stream = env.from_sequence(1, 100).set_parallelism(producers)
        getattr(stream, partitioner)().map().set_parallelism(consumers) \
            .print().set_parallelism(consumers)
    return _execution_graph(build)


def _connections(graph):
    return sorted((edge.source.partition_number, edge.target.subtask_index)
                  for edge in graph.edges())


def test_one_execution_vertex_per_subtask_with_flinks_task_names():
    """Each vertex has one subtask per parallel instance, named "<name> (i/n)"."""
    graph = _two_vertices(2, 3, "rebalance")
    source, mapper = graph.vertices
    assert [task.task_name_with_subtask_index for task in source.task_vertices] == [
        "Source: Sequence Source (1/2)", "Source: Sequence Source (2/2)"]
    assert mapper.task_vertices[2].task_name_with_subtask_index == \
        "Map -> Sink: Print to Std. Out (3/3)"
    assert len(graph.execution_vertices()) == 5


def test_one_partition_per_producer_subtask():
    """Each intermediate result has one partition per producer subtask."""
    graph = _two_vertices(2, 3, "rebalance")
    (result,) = graph.intermediate_results
    assert [str(p.id).split("#")[1] for p in result.partitions] == ["0", "1"]
    assert result.consumers == [graph.vertices[1]]
    assert graph.vertices[0].task_vertices[1].produced_partitions == (result.partitions[1],)


def test_all_to_all_connects_every_partition_to_every_consumer():
    """ALL_TO_ALL with 2 producers and 3 consumers has 6 edges."""
    graph = _two_vertices(2, 3, "rebalance")
    assert _connections(graph) == [(p, c) for p in range(2) for c in range(3)]
    partition = graph.intermediate_results[0].partitions[0]
    assert [v.subtask_index for v in partition.consumers()] == [0, 1, 2]


def test_pointwise_two_to_four_gives_each_partition_two_consumers():
    """POINTWISE 2 → 4: partition i feeds consumers 2i and 2i+1."""
    graph = _two_vertices(2, 4, "rescale")
    assert _connections(graph) == [(0, 0), (0, 1), (1, 2), (1, 3)]


def test_pointwise_four_to_two_gives_each_consumer_two_partitions():
    """POINTWISE 4 → 2: consumer j reads partitions 2j and 2j+1."""
    graph = _two_vertices(4, 2, "rescale")
    assert _connections(graph) == [(0, 0), (1, 0), (2, 1), (3, 1)]
    assert graph.vertices[1].task_vertices[1].consumed_partition_groups[0] == tuple(
        p.id for p in graph.intermediate_results[0].partitions[2:])


def test_pointwise_uneven_ranges_follow_flink():
    """POINTWISE 3 → 2 and 2 → 3 use Flink's index ranges."""
    assert _connections(_two_vertices(3, 2, "rescale")) == [(0, 0), (1, 1), (2, 1)]
    assert _connections(_two_vertices(2, 3, "rescale")) == [(0, 0), (0, 1), (1, 2)]


def test_one_region_for_an_all_to_all_job():
    """A streaming job with an all-to-all exchange is one pipelined region."""
    graph = _two_vertices(2, 3, "rebalance")
    (region,) = graph.pipelined_regions()
    assert len(region) == 5


def test_two_regions_for_two_disjoint_pipelines():
    """Two unconnected pipelines in one job are two regions."""
    def build(env):
        env.from_sequence(1, 10).set_parallelism(1).rebalance().print().set_parallelism(2)
        env.from_sequence(1, 10).set_parallelism(1).rebalance().print().set_parallelism(2)

    graph = _execution_graph(build)
    regions = graph.pipelined_regions()
    assert [len(region) for region in regions] == [3, 3]
    source = graph.vertices[0].task_vertices[0]
    assert graph.region_of(source.id) == regions[0]


def test_forward_only_pipelines_have_a_region_per_subtask():
    """Subtasks connected only pointwise one-to-one form one region per subtask pipeline."""
    def build(env):
        env.from_sequence(1, 10).map().disable_chaining().print()

    assert [len(region) for region in _execution_graph(build).pipelined_regions()] == [3, 3]


def test_blocking_exchanges_split_regions_in_batch_jobs():
    """In a BATCH job the subtasks on either side of a blocking exchange are separate regions."""
    def build(env):
        env.from_sequence(1, 10).key_by().sum().print()

    graph = _execution_graph(build, **{"execution.runtime-mode": "BATCH"})
    assert [len(region) for region in graph.pipelined_regions()] == [1, 1, 1, 1]


def test_an_attempt_runs_through_its_states_with_timestamps():
    """An execution records a timestamp for every state it enters; others read 0."""
    graph = _two_vertices(1, 1, "rebalance")
    execution = graph.vertices[0].task_vertices[0].current_execution
    allocation, resource = AllocationID("a" * 32), ResourceID("container_1_0001_01_000002")
    execution.schedule(1001)
    execution.deploy(1002, allocation, resource)
    execution.switch_to_initializing(1003)
    execution.switch_to_running(1004)
    execution.mark_finished(1005)
    timestamps = execution.state_timestamps()
    assert list(timestamps) == list(ExecutionState)
    assert [timestamps[s] for s in (X.CREATED, X.SCHEDULED, X.DEPLOYING, X.INITIALIZING,
                                    X.RUNNING, X.FINISHED, X.FAILED)] == \
        [1000, 1001, 1002, 1003, 1004, 1005, 0]
    assert (execution.assigned_allocation, execution.assigned_resource) == (allocation, resource)


def test_invalid_task_transitions_are_refused():
    """Deploying a CREATED execution (not scheduled) raises."""
    graph = _two_vertices(1, 1, "rebalance")
    with pytest.raises(InvalidStateTransitionException):
        graph.vertices[0].task_vertices[0].current_execution.deploy(1)


def test_cancel_is_immediate_before_deployment_and_confirmed_after():
    """Cancelling a scheduled attempt ends it; a running one waits in CANCELING."""
    graph = _two_vertices(1, 1, "rebalance")
    waiting = graph.vertices[0].task_vertices[0].current_execution
    running = graph.vertices[1].task_vertices[0].current_execution
    waiting.schedule(1)
    assert waiting.cancel(2) is X.CANCELED
    assert waiting.state_timestamp(X.CANCELING) == 2
    for step in (running.schedule, running.deploy, running.switch_to_initializing,
                 running.switch_to_running):
        step(3)
    assert running.cancel(4) is X.CANCELING
    assert running.fail(5, "late failure") is X.CANCELED
    assert running.failure is None


def test_failure_records_its_cause():
    """A failed attempt keeps the failure message and time."""
    graph = _two_vertices(1, 1, "rebalance")
    execution = graph.vertices[0].task_vertices[0].current_execution
    execution.fail(7, "TaskManager lost")
    assert (execution.state, execution.failure.message, execution.failure.timestamp) == (
        X.FAILED, "TaskManager lost", 7)


def test_a_new_attempt_gets_the_next_number_and_keeps_history():
    """Resetting a terminal subtask starts attempt n+1; the old one stays findable."""
    graph = _two_vertices(1, 1, "rebalance")
    task = graph.vertices[0].task_vertices[0]
    first = task.current_execution
    with pytest.raises(IllegalStateException, match="non-terminal state CREATED"):
        task.reset_for_new_execution(2)
    first.fail(2, "boom")
    second = task.reset_for_new_execution(3)
    assert (second.attempt_number, second.state) == (1, X.CREATED)
    assert str(second.attempt_id).endswith("_0_1")
    assert graph.execution(first.attempt_id) is first
    assert graph.execution(second.attempt_id) is second
    assert task.prior_executions == (first,)


def test_attempt_history_is_bounded():
    """Only the configured number of prior attempts is kept."""
    env = StreamExecutionEnvironment()
    env.from_sequence(1, 2).print()
    graph = ExecutionGraph(env.get_job_graph(), IdGenerator(1), 0, history_size=2)
    task = graph.vertices[0].task_vertices[0]
    for attempt in range(4):
        task.current_execution.fail(attempt, "again")
        task.reset_for_new_execution(attempt)
    assert [e.attempt_number for e in task.prior_executions] == [2, 3]
    assert task.execution(0) is None


def test_task_counts_and_aggregate_state_feed_the_rest_views():
    """Counts per ExecutionState and the aggregate state follow the subtasks."""
    graph = _two_vertices(1, 3, "rebalance")
    mapper = graph.vertices[1]
    assert mapper.task_counts()[X.CREATED] == 3 and mapper.aggregate_state() is X.CREATED
    first = mapper.task_vertices[0].current_execution
    for step in (first.schedule, first.deploy, first.switch_to_initializing,
                 first.switch_to_running):
        step(10)
    assert mapper.aggregate_state() is X.RUNNING
    first.mark_finished(20)
    assert mapper.aggregate_state() is X.RUNNING
    assert graph.task_counts()[X.FINISHED] == 1
    assert aggregate_vertex_state({X.FINISHED: 3}, 3) is X.FINISHED
    assert aggregate_vertex_state({X.SCHEDULED: 3}, 3) is X.SCHEDULED
    assert aggregate_vertex_state({X.DEPLOYING: 2, X.SCHEDULED: 1}, 3) is X.CREATED
    assert aggregate_vertex_state({X.FINISHED: 2, X.DEPLOYING: 1}, 3) is X.RUNNING
    assert aggregate_vertex_state({X.FAILED: 1, X.RUNNING: 2}, 3) is X.FAILED


def test_vertex_timing_follows_deployments_and_terminal_states():
    """Start is the first DEPLOYING time; end is known once all subtasks are terminal."""
    graph = _two_vertices(2, 1, "rebalance")
    source = graph.vertices[0]
    assert source.timing(50) == VertexTiming(-1, -1, -1)
    for index, task in enumerate(source.task_vertices):
        execution = task.current_execution
        execution.schedule(10)
        execution.deploy(20 + index)
    assert source.timing(50) == VertexTiming(20, -1, 30)
    for task in source.task_vertices:
        task.current_execution.cancel(40)
        task.current_execution.complete_cancelling(45)
    assert source.timing(50) == VertexTiming(20, 45, 25)


def test_the_job_status_changes_through_the_job_table():
    """The graph starts CREATED and records a timestamp per status it enters."""
    env = StreamExecutionEnvironment()
    env.from_sequence(1, 2).print()
    graph = ExecutionGraph(env.get_job_graph(), IdGenerator(1), 100,
                           initialization_timestamp=90)
    assert graph.state is JobStatus.CREATED
    graph.transition(JobEvent.START_SCHEDULING, 110)
    graph.transition(JobEvent.CANCEL, 120)
    assert graph.transition(JobEvent.ALL_TASKS_TERMINAL, 130) is JobStatus.CANCELED
    stamps = graph.state_timestamps()
    assert [stamps[s] for s in (JobStatus.INITIALIZING, JobStatus.CREATED, JobStatus.RUNNING,
                                JobStatus.CANCELLING, JobStatus.CANCELED, JobStatus.FAILED)] == \
        [90, 100, 110, 120, 130, 0]
    with pytest.raises(InvalidStateTransitionException):
        graph.transition(JobEvent.START_SCHEDULING, 140)


def test_attempt_ids_name_the_graph_vertex_subtask_and_attempt():
    """Execution attempt ids carry the ExecutionGraphID, vertex, subtask and attempt."""
    graph = _two_vertices(1, 2, "rebalance")
    execution = graph.vertices[1].task_vertices[1].current_execution
    assert execution.attempt_id.execution_graph_id == graph.execution_graph_id
    assert str(execution.attempt_id) == f"{graph.execution_graph_id}_{graph.vertices[1].id}_1_0"
    other = _two_vertices(1, 2, "rebalance")
    assert other.execution_graph_id == graph.execution_graph_id  # same seed, same id


def test_regions_in_a_cycle_of_blocking_exchanges_are_merged():
    """Regions that depend on each other through blocking exchanges become one region."""
    from attrs import evolve

    from flinkyarn.graph.job_graph import ResultPartitionType

    env = StreamExecutionEnvironment({"parallelism.default": 2})
    numbers = env.from_sequence(1, 10)
    numbers.forward().connect(numbers.rebalance()).map().print()
    job_graph = env.get_job_graph()
    source, consumer = job_graph.vertices
    assert {e.ship_strategy_name for e in consumer.inputs} == {"FORWARD", "REBALANCE"}
    rebalanced = next(e for e in consumer.inputs if e.ship_strategy_name == "REBALANCE")
    blocking = next(d for d in source.produced_data_sets if d.id == rebalanced.source)
    changed = tuple(
        evolve(d, result_partition_type=ResultPartitionType.BLOCKING) if d == blocking else d
        for d in source.produced_data_sets
    )
    job_graph = evolve(job_graph, vertices=(evolve(source, produced_data_sets=changed), consumer))
    graph = ExecutionGraph(job_graph, IdGenerator(1), 0)
    (region,) = graph.pipelined_regions()
    assert len(region) == 4
