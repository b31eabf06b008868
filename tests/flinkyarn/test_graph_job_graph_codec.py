"""
Tests for :mod:`flinkyarn.graph.job_graph_codec`: the ``job.graph`` file round trip and the
clear refusal of malformed, incomplete or unknown-version input.
"""

import json

import pytest

from flinkyarn.api import (
    ProcessingCost,
    StreamExecutionEnvironment,
    TumblingEventTimeWindows,
    UnboundedSource,
)
from flinkyarn.graph.errors import InvalidJobGraphException
from flinkyarn.graph.job_graph import JobGraph
from flinkyarn.graph.job_settings import SavepointRestoreSettings
from flinkyarn.ids import IdGenerator


def _graph():
    env = StreamExecutionEnvironment(
        {"parallelism.default": "2", "execution.checkpointing.interval": "30 s"},
        id_generator=IdGenerator(3),
    )
    env.set_savepoint_restore_settings(SavepointRestoreSettings("hdfs:///sp/1", True))
    env.add_jars("app.jar")
    events = env.from_source(UnboundedSource(500.0), None, "Events").uid("events")
    events.map(cost=ProcessingCost(2000.0, 0.5)).key_by() \
        .window(TumblingEventTimeWindows.of(5000)).sum(1).print()
    return env.get_job_graph("windows")


def _document():
    return json.loads(_graph().to_bytes())


def _decode(document):
    return JobGraph.from_bytes(json.dumps(document).encode())


def test_a_graph_survives_the_round_trip():
    """Encoding then decoding gives an equal JobGraph, simulation and window included."""
    graph = _graph()
    decoded = JobGraph.from_bytes(graph.to_bytes())
    assert decoded == graph
    window = decoded.vertices[1].operators[0].window
    assert (window.assigner, window.size) == ("TumblingEventTimeWindows(5000)", 5000)
    assert decoded.vertices[0].operators[0].simulation == UnboundedSource(500.0)
    assert decoded.savepoint_restore.path == "hdfs:///sp/1"


def test_the_bytes_are_stable_json_with_sorted_keys():
    """The same graph gives the same bytes: compact JSON, keys sorted, one trailing newline."""
    data = _graph().to_bytes()
    assert data == _graph().to_bytes()
    assert data.endswith(b"\n")
    document = json.loads(data)
    assert list(document) == sorted(document)
    assert (document["format"], document["version"]) == ("flinkyarn-jobgraph", 1)


def test_write_and_read_use_the_file(tmp_path):
    """write then read gives the graph back from a job.graph file."""
    path = tmp_path / "job.graph"
    _graph().write(path)
    assert JobGraph.read(path) == _graph()


def test_reading_a_missing_file_is_a_clear_error(tmp_path):
    """Reading a file that does not exist raises InvalidJobGraphException naming it."""
    with pytest.raises(InvalidJobGraphException, match="Could not read the JobGraph file"):
        JobGraph.read(tmp_path / "missing.graph")


@pytest.mark.parametrize("data, message", [
    (b"", "not JSON"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[1, 2]", "expected an object, got an array"),
    (b'{"format": "other", "version": 1}', "format: expected 'flinkyarn-jobgraph'"),
])
def test_garbage_is_refused(data, message):
    """Bytes that are not a job graph document raise with a reason."""
    with pytest.raises(InvalidJobGraphException, match=message):
        JobGraph.from_bytes(data)


def test_an_unknown_version_is_refused():
    """A document of another format version is refused, naming both versions."""
    document = _document()
    document["version"] = 2
    with pytest.raises(InvalidJobGraphException,
                       match="unsupported format version 2 .*reads version 1"):
        _decode(document)


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.pop("vertices"), "vertices: missing"),
    (lambda d: d.update(extra=1), "unknown field 'extra'"),
    (lambda d: d.update(jobId="nope"), 'jobId: Cannot parse JobID from "nope"'),
    (lambda d: d.update(jobType="MICROBATCH"), "jobType: expected one of BATCH, STREAMING"),
    (lambda d: d["vertices"][0].update(parallelism="2"),
     r"vertices\[0\].parallelism: expected an integer, got the string '2'"),
    (lambda d: d["vertices"][0].update(parallelism=0), "has parallelism 0"),
    (lambda d: d["vertices"][1]["inputs"][0].pop("shipStrategyName"),
     r"vertices\[1\].inputs\[0\].shipStrategyName: missing"),
    (lambda d: d["vertices"][1]["inputs"][0].update(source="0" * 32),
     "consumes data set 0{32}, which no earlier vertex produces"),
    (lambda d: d["vertices"][0]["operators"][0]["simulation"].update(type="Magic"),
     r"simulation.type: expected BoundedSource"),
    (lambda d: d["vertices"][0]["operators"][0]["simulation"].update(recordsPerSecond=-1),
     "records_per_second must be a positive number"),
    (lambda d: d["vertices"][0].update(operators=[]), "has no operators"),
    (lambda d: d.update(vertices=[]), "it has no vertices"),
    (lambda d: d["checkpointing"].update(intervalMs=0), "interval_ms must be a positive"),
    (lambda d: d["userArtifacts"].update(x=1), "userArtifacts.x: expected a string"),
    (lambda d: d["vertices"].append(d["vertices"][0]), "duplicate vertex id"),
])
def test_malformed_or_incomplete_documents_name_the_problem(mutate, message):
    """Every malformed field is refused with its path and what was expected."""
    document = _document()
    mutate(document)
    with pytest.raises(InvalidJobGraphException, match=message):
        _decode(document)


def test_optional_sections_may_be_left_out():
    """Checkpointing, savepoint, jars, classpaths, artifacts and configuration are optional."""
    document = _document()
    for key in ("checkpointing", "savepointRestore", "userJars", "classpaths", "userArtifacts",
                "jobConfiguration"):
        del document[key]
    graph = _decode(document)
    assert not graph.checkpointing.enabled
    assert graph.user_jars == ()
