"""
Tests of :mod:`flinkyarn.driver.job` and :mod:`flinkyarn.driver.resources`: the driver job a
client submits — its one vertex, its name, the program and configuration it carries, the slot
its options ask for — and that it survives ``job.graph``/REST encoding whole.
"""

import os

import pytest

from flinkyarn.client import FlinkHome
from flinkyarn.config import Configuration
from flinkyarn.driver import DriverResources, driver_job_graph, driver_job_name, is_driver_job
from flinkyarn.driver.job import DRIVER_INVOKABLE, child_job_name, driver_program_of
from flinkyarn.driver.resources import DriverResourcesError
from flinkyarn.examples.loader import ProgramInvocationException
from flinkyarn.graph.driver_program import DriverProgram
from flinkyarn.graph.errors import InvalidJobGraphException
from flinkyarn.graph.job_graph import JobGraph
from flinkyarn.graph.job_settings import JobType
from flinkyarn.graph.resource_spec import ResourceSpec
from flinkyarn.ids import IdGenerator
from tests.flinkyarn.flink_harness import bounded_job

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
THREE_JOBS = os.path.join(ROOT, "scripts", "programs", "three_jobs.py")
JOB_ID = IdGenerator(11).job_id()


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    home = FlinkHome.create(str(tmp_path_factory.mktemp("flink")), "tiny")
    return home.configuration().with_values({"taskmanager.numberOfTaskSlots": 2,
                                             "parallelism.default": 3,
                                             "$internal.pipeline.job-id": "1" * 32,
                                             "execution.attached": "false"})


@pytest.mark.parametrize("program, name", [
    ("wordcount", "Flink Driver (wordcount)"),
    ("jobs/three_jobs.py", "Flink Driver (three_jobs)"),
    ("jobs/three_jobs.py:main", "Flink Driver (three_jobs)"),
    ("jobs/three_jobs.py:nightly", "Flink Driver (three_jobs.nightly)"),
])
def test_the_driver_job_is_named_after_the_program(program, name):
    assert driver_job_name(program) == name
    assert child_job_name(name, "Ingest Orders") == f"{name} - Ingest Orders"


def test_a_driver_job_is_one_vertex_of_parallelism_one_carrying_the_program(config):
    graph = driver_job_graph(THREE_JOBS, ["--records", "10"], config, JOB_ID)
    assert (graph.job_id, graph.name, graph.job_type) == (JOB_ID, "Flink Driver (three_jobs)",
                                                          JobType.BATCH)
    [vertex] = graph.vertices
    assert (vertex.name, vertex.parallelism, vertex.max_parallelism) == ("Flink Driver", 1, 1)
    assert vertex.invokable_class_name == DRIVER_INVOKABLE
    assert graph.required_slots() == 1 and graph.slot_resource_spec() is None
    program = driver_program_of(graph)
    with open(THREE_JOBS, encoding="utf-8") as stream:
        assert program.source == stream.read()
    assert (program.entry, program.file_name, program.function, program.args) == (
        "three_jobs.py:main", "three_jobs.py", "main", ("--records", "10"))
    configuration = dict(program.configuration)
    # main()'s jobs run under it attached (execute() waits), each with an id of its own.
    assert configuration["execution.attached"] == "true"
    assert configuration["parallelism.default"] == "3"
    assert "$internal.pipeline.job-id" not in configuration
    assert is_driver_job(graph) and not is_driver_job(bounded_job("other"))


def test_a_built_in_program_travels_by_name(config):
    program = driver_program_of(driver_job_graph("wordcount", [], config, JOB_ID))
    assert (program.entry, program.source, program.file_name) == ("wordcount", None, None)


def test_an_unknown_or_missing_program_is_refused(config, tmp_path):
    with pytest.raises(ProgramInvocationException, match="Unknown program 'nope'"):
        driver_job_graph("nope", [], config, JOB_ID)
    with pytest.raises(ProgramInvocationException, match="does not exist"):
        driver_job_graph(str(tmp_path / "gone.py"), [], config, JOB_ID)


def test_the_driver_job_survives_encoding_whole(config):
    """What ``job.graph`` and ``POST /jobs`` carry decodes to the same graph."""
    spec = DriverResources.parse(heap="1024", direct="64", cpus="0.5").resource_spec(config)
    graph = driver_job_graph(THREE_JOBS, ["--records", "10"], config, JOB_ID, spec)
    assert JobGraph.from_bytes(graph.to_bytes()) == graph
    assert graph.slot_resource_spec() == ResourceSpec(0.5, 1024, 64, 0)


def test_a_graph_without_resources_encodes_as_before(config):
    """Vertices that declare no resources add nothing to the encoding (staged job.graph files
    keep their bytes)."""
    assert b'"resources"' not in bounded_job("plain").to_bytes()


@pytest.mark.parametrize("field, value, message", [
    ("resources", {"cpuCores": 0, "taskHeapMemoryMb": 1}, "cpu_cores must be a positive number"),
    ("resources", {"cpuCores": 1, "taskHeapMemoryMb": -1}, "task_heap_mb must be a whole number"),
    ("resources", {"cpuCores": 1}, "resources.taskHeapMemoryMb: missing"),
    ("resources", {"cpuCores": 1, "taskHeapMemoryMb": 1, "gpu": 1}, "unknown field 'gpu'"),
])
def test_bad_vertex_resources_are_refused(config, field, value, message):
    import json

    document = json.loads(driver_job_graph("wordcount", [], config, JOB_ID).to_bytes())
    document["vertices"][0][field] = value
    with pytest.raises(InvalidJobGraphException, match=message.replace("(", r"\(")):
        JobGraph.from_bytes(json.dumps(document).encode())


@pytest.mark.parametrize("fields, message", [
    ({"entry": "x.py:main"}, "travels without its source"),
    ({"entry": "wordcount", "source": "pass"}, "has no source"),
    ({"entry": "dir/x.py:main", "source": "pass"}, "<name>.py:<function>"),
    ({"entry": " "}, "entry must name a program"),
    ({"entry": "wordcount", "args": [1]}, "arguments must be strings"),
])
def test_bad_driver_programs_are_refused(fields, message):
    with pytest.raises(ValueError, match=message):
        DriverProgram(**fields)


def test_driver_options_parse_and_size_the_slot(config):
    assert not DriverResources.parse().given
    assert DriverResources.parse().resource_spec(config) is None
    full = DriverResources.parse(heap="2048", direct="64", cpus="1.5", native="32")
    assert full == DriverResources(2048, 64, 1.5, 32)
    assert full.resource_spec(config) == ResourceSpec(1.5, 2048, 96, 0)
    # What is not given is the default slot's: 1 core and 191 MB of task heap of a 1728m
    # TaskManager with two slots.
    assert DriverResources.parse(heap="512").resource_spec(config) == ResourceSpec(1.0, 512)
    assert DriverResources.parse(cpus="3").resource_spec(config) == ResourceSpec(3.0, 191)
    assert DriverResources.parse(direct="10").resource_spec(config) == \
        ResourceSpec(1.0, 191, 10, 0)


@pytest.mark.parametrize("options, message", [
    ({"heap": "0"}, "The driver heap memory must be a positive whole number of MB: 0"),
    ({"heap": "1g"}, "The driver heap memory must be a positive whole number of MB: 1g"),
    ({"direct": "-5"}, "The driver direct memory must be a non-negative whole number of MB: -5"),
    ({"native": str(2 ** 40)}, "The driver native memory must be a non-negative whole number"),
    ({"cpus": "-1"}, "The driver cpus must be a positive number of cores: -1"),
    ({"cpus": "inf"}, "The driver cpus must be a positive number of cores: inf"),
    ({"cpus": True}, "The driver cpus must be a positive number of cores: True"),
])
def test_bad_driver_options_are_refused(options, message):
    with pytest.raises(DriverResourcesError) as error:
        DriverResources.parse(**options)
    assert str(error.value).startswith(message)


def test_a_configuration_that_sizes_no_task_manager_cannot_size_a_partial_driver():
    from flinkyarn.config import IllegalConfigurationException

    with pytest.raises(IllegalConfigurationException):
        DriverResources.parse(heap="512").resource_spec(Configuration())
    assert DriverResources.parse(heap="512", cpus="1").resource_spec(Configuration()) == \
        ResourceSpec(1.0, 512)
