"""
Tests for :mod:`flinkyarn.api.environment`: settings from configuration, the context
mechanism, and how ``execute`` hands JobGraphs to an executor.
"""

import pytest
from zope.interface import implementer
from zope.interface.verify import verifyObject

from flinkyarn.api import (
    BoundedSource,
    IPipelineExecutor,
    StreamExecutionEnvironment,
    UnboundedSource,
)
from flinkyarn.config import IllegalConfigurationException
from flinkyarn.graph.errors import IllegalArgumentException, IllegalStateException
from flinkyarn.graph.job_graph import JobGraph
from flinkyarn.graph.job_settings import CheckpointingMode
from flinkyarn.ids import IdGenerator


@implementer(IPipelineExecutor)
class RecordingExecutor:
    """An executor that records the JobGraphs it is given."""

    def __init__(self):
        self.attached = []
        self.detached = []

    def execute(self, job_graph):
        self.attached.append(job_graph)
        return ("result", job_graph.job_id)

    def execute_async(self, job_graph):
        self.detached.append(job_graph)
        return ("client", job_graph.job_id)


def test_the_recording_executor_provides_the_interface():
    """A test executor provides IPipelineExecutor."""
    assert verifyObject(IPipelineExecutor, RecordingExecutor())


def test_parallelism_defaults_to_one_or_the_configuration():
    """get_parallelism is parallelism.default when configured, else 1."""
    assert StreamExecutionEnvironment().get_parallelism() == 1
    assert StreamExecutionEnvironment({"parallelism.default": "4"}).get_parallelism() == 4
    assert StreamExecutionEnvironment().set_parallelism(3).get_parallelism() == 3


@pytest.mark.parametrize("configuration, message", [
    ({"parallelism.default": "many"}, "Could not parse value 'many' for key 'parallelism.default'"),
    ({"execution.runtime-mode": "SOMETIMES"}, "'SOMETIMES' for key 'execution.runtime-mode'"),
    ({"execution.checkpointing.interval": "soon"}, "'soon' for key 'execution.checkpointing"),
    ({"pipeline.operator-chaining": "maybe"}, "'maybe' for key 'pipeline.operator-chaining'"),
])
def test_bad_configuration_values_name_their_key(configuration, message):
    """A configuration value that does not parse raises an error naming the key and value."""
    with pytest.raises(IllegalConfigurationException, match=message):
        StreamExecutionEnvironment(configuration)


def test_a_configured_parallelism_below_one_is_refused():
    """parallelism.default must be at least 1."""
    with pytest.raises(IllegalArgumentException, match="at least one"):
        StreamExecutionEnvironment({"parallelism.default": 0})


def test_settings_are_validated():
    """Parallelism, max parallelism and checkpoint interval are checked when set."""
    env = StreamExecutionEnvironment()
    with pytest.raises(IllegalArgumentException):
        env.set_parallelism(0)
    with pytest.raises(IllegalArgumentException, match="maxParallelism is out of bounds"):
        env.set_max_parallelism(40000)
    with pytest.raises(IllegalArgumentException):
        env.enable_checkpointing(0)


def test_checkpointing_from_configuration_or_call():
    """Checkpointing is enabled by execution.checkpointing.interval or enable_checkpointing."""
    env = StreamExecutionEnvironment({"execution.checkpointing.interval": "1 min",
                                      "execution.checkpointing.mode": "at_least_once"})
    settings = env.get_checkpoint_settings()
    assert (settings.interval_ms, settings.mode) == (60000, CheckpointingMode.AT_LEAST_ONCE)
    assert not StreamExecutionEnvironment().get_checkpoint_settings().enabled
    assert StreamExecutionEnvironment().enable_checkpointing(500).get_checkpoint_settings() \
        .interval_ms == 500


def test_without_a_context_the_environment_is_local_and_cannot_execute():
    """A local environment compiles programs but refuses to execute them."""
    env = StreamExecutionEnvironment.get_execution_environment()
    env.from_sequence(1, 10).print()
    with pytest.raises(IllegalStateException, match="^No cluster to execute on: "):
        env.execute()


def test_executing_without_operators_is_refused_in_flinks_words():
    """An environment with nothing but sources refuses to execute."""
    env = StreamExecutionEnvironment(executor=RecordingExecutor())
    env.from_sequence(1, 10)
    with pytest.raises(IllegalStateException) as error:
        env.execute()
    assert error.value.message == "No operators defined in streaming topology. Cannot execute."


def test_an_installed_context_supplies_the_environment_until_uninstalled():
    """get_execution_environment returns the context's environment until it is uninstalled."""
    executor = RecordingExecutor()
    made = []

    def factory(configuration):
        env = StreamExecutionEnvironment(configuration, executor, IdGenerator(1))
        made.append(env)
        return env

    uninstall = StreamExecutionEnvironment.install_context(factory)
    try:
        env = StreamExecutionEnvironment.get_execution_environment({"parallelism.default": 3})
        assert made == [env] and env.get_parallelism() == 3
    finally:
        uninstall()
    uninstall()
    assert StreamExecutionEnvironment.get_execution_environment() not in made


def test_contexts_nest_and_the_latest_wins():
    """With two contexts installed the latest one supplies environments."""
    outer = StreamExecutionEnvironment()
    inner = StreamExecutionEnvironment()
    remove_outer = StreamExecutionEnvironment.install_context(lambda configuration: outer)
    remove_inner = StreamExecutionEnvironment.install_context(lambda configuration: inner)
    try:
        assert StreamExecutionEnvironment.get_execution_environment() is inner
        remove_inner()
        assert StreamExecutionEnvironment.get_execution_environment() is outer
    finally:
        remove_inner()
        remove_outer()


def test_execute_hands_the_job_graph_to_the_executor_and_returns_its_result():
    """execute gives the executor the compiled JobGraph and returns what it returns."""
    executor = RecordingExecutor()
    env = StreamExecutionEnvironment(executor=executor)
    env.from_sequence(1, 10).map().print()
    result = env.execute("numbers")
    (graph,) = executor.attached
    assert isinstance(graph, JobGraph) and graph.name == "numbers"
    assert result == ("result", graph.job_id)


def test_execute_async_uses_the_executors_detached_submission():
    """execute_async submits through execute_async and returns its result."""
    executor = RecordingExecutor()
    env = StreamExecutionEnvironment(executor=executor)
    env.from_sequence(1, 10).print()
    assert env.execute_async()[0] == "client"
    assert executor.attached == [] and executor.detached[0].name == "Flink Streaming Job"


def test_each_execute_compiles_only_the_operators_defined_since_the_last():
    """After execute the environment starts a new pipeline, so a program can run two jobs."""
    executor = RecordingExecutor()
    env = StreamExecutionEnvironment(executor=executor)
    env.from_sequence(1, 10).map().print()
    env.execute("first")
    env.from_sequence(1, 10).filter().print()
    env.execute("second")
    assert [[v.name for v in g.vertices] for g in executor.attached] == [
        ["Source: Sequence Source -> Map -> Sink: Print to Std. Out"],
        ["Source: Sequence Source -> Filter -> Sink: Print to Std. Out"],
    ]
    assert executor.attached[0].job_id != executor.attached[1].job_id


def test_the_job_name_defaults_to_the_configuration_then_flinks_default():
    """The job name is the argument, else pipeline.name, else "Flink Streaming Job"."""
    env = StreamExecutionEnvironment({"pipeline.name": "configured"})
    env.from_sequence(1, 2).print()
    assert env.get_job_graph().name == "configured"


def test_sources_need_a_simulation_description():
    """add_source and from_source take a BoundedSource or UnboundedSource."""
    env = StreamExecutionEnvironment()
    assert env.add_source(UnboundedSource(10.0)).get_name() == "Custom Source"
    assert env.from_source(BoundedSource(5), None, "Five").get_name() == "Five"
    with pytest.raises(IllegalArgumentException, match="BoundedSource or UnboundedSource"):
        env.add_source(lambda: None)


def test_from_sequence_counts_its_records_and_checks_its_bounds():
    """from_sequence(start, end) produces end - start + 1 records; end before start is refused."""
    env = StreamExecutionEnvironment()
    env.from_sequence(5, 14, records_per_second=2.0).print()
    (vertex,) = env.get_job_graph().vertices
    assert vertex.operators[0].simulation == BoundedSource(10, 2.0)
    with pytest.raises(IllegalArgumentException, match="must not be greater than the end"):
        env.from_sequence(3, 2)
