"""
Tests for :mod:`flinkyarn.examples`: the built-in programs build the JobGraphs Flink would.
"""

from pathlib import Path

import pytest

from flinkyarn.api import BoundedSource, StreamExecutionEnvironment, UnboundedSource
from flinkyarn.examples import BUILTIN_PROGRAMS
from flinkyarn.examples.loader import load_program
from flinkyarn.graph.job_settings import JobType
from flinkyarn.graph.simulation import ProcessingCost
from flinkyarn.ids import IdGenerator

TWO_JOBS = Path(__file__).parent / "programs" / "two_jobs.py"


class Collecting:
    """An executor that keeps the JobGraphs and returns their ids."""

    def __init__(self):
        self.graphs = []

    def execute(self, job_graph):
        self.graphs.append(job_graph)
        return job_graph.job_id

    execute_async = execute


def _run(main, args, parallelism=2):
    executor = Collecting()
    uninstall = StreamExecutionEnvironment.install_context(
        lambda configuration: StreamExecutionEnvironment(
            {"parallelism.default": parallelism}, executor, IdGenerator(11)))
    try:
        result = main(args)
    finally:
        uninstall()
    return executor.graphs, result


def _shape(graph):
    return [(v.name, v.parallelism, [e.ship_strategy_name for e in v.inputs])
            for v in graph.vertices]


def test_the_registry_names_the_built_in_programs():
    """wordcount and streaming-window are registered."""
    assert sorted(BUILTIN_PROGRAMS) == ["streaming-window", "wordcount"]


def test_wordcount_at_parallelism_two_is_two_chained_tasks():
    """WordCount chains the tokenizer to the source and the sink to the counter, split by HASH."""
    (graph,), result = _run(BUILTIN_PROGRAMS["wordcount"], [])
    assert _shape(graph) == [
        ("Source: Lines -> Flat Map", 2, []),
        ("Keyed Aggregation -> Sink: Print to Std. Out", 2, ["HASH"]),
    ]
    assert graph.name == "WordCount" and graph.job_type is JobType.STREAMING
    assert result == graph.job_id
    assert graph.required_slots() == 2
    source, tokenizer = graph.vertices[0].operators
    assert source.simulation == BoundedSource(100000, 10000.0)
    assert tokenizer.simulation == ProcessingCost(output_ratio=8.0)


def test_wordcount_reads_its_arguments():
    """--records, --records-per-second and --job-name shape the WordCount job."""
    (graph,), _ = _run(BUILTIN_PROGRAMS["wordcount"],
                       ["--records", "200000", "--records-per-second", "500", "--job-name", "wc"],
                       parallelism=3)
    assert graph.name == "wc"
    assert graph.vertices[0].parallelism == 3
    assert graph.vertices[0].operators[0].simulation == BoundedSource(200000, 500.0)


def test_streaming_window_is_an_unbounded_windowed_job():
    """The window job keys parsed events into 5 s tumbling event-time windows."""
    (graph,), _ = _run(BUILTIN_PROGRAMS["streaming-window"], ["--records-per-second", "200"])
    assert _shape(graph) == [
        ("Source: Events -> Map", 2, []),
        ("TumblingEventTimeWindows -> Sink: Print to Std. Out", 2, ["HASH"]),
    ]
    assert graph.vertices[0].operators[0].simulation == UnboundedSource(200.0)
    window = graph.vertices[1].operators[0].window
    assert (window.time, window.size) == ("event", 5000)


def test_the_same_seed_gives_the_same_jobs():
    """Running a built-in program twice with the same seed gives equal JobGraphs."""
    assert _run(BUILTIN_PROGRAMS["wordcount"], [])[0] == _run(BUILTIN_PROGRAMS["wordcount"], [])[0]


def test_a_program_may_run_two_jobs():
    """The two-jobs test program executes two jobs one after the other."""
    graphs, result = _run(load_program(str(TWO_JOBS)), ["--records", "10", "--prefix", "app: "])
    assert [graph.name for graph in graphs] == ["app: first", "app: second"]
    assert result == [graph.job_id for graph in graphs]


def test_examples_refuse_bad_arguments():
    """A malformed argument list fails as ParameterTool fails."""
    with pytest.raises(ValueError, match="Please prefix keys with -- or -"):
        _run(BUILTIN_PROGRAMS["wordcount"], ["records"])
