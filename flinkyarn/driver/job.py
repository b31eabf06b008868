"""
The FLIP-40 driver job: a JobGraph of one vertex, ``Flink Driver``, of parallelism 1, whose one
operator carries the user's program
(:class:`~flinkyarn.graph.driver_program.DriverProgram`) and whose vertex declares the driver's
resources, if any.  Submitted like any job, it takes one slot for as long as ``main()`` runs.

It is a BATCH job: it processes no stream, takes no savepoint (``flinkyarn stop`` refuses it as
Flink refuses a batch job), and finishes when ``main()`` returns.

Names: the driver job is ``Flink Driver (<program>)`` — ``<program>`` is a built-in program's
name or the program file's name without ``.py`` (with ``.<function>`` when the entry point is
not ``main``); every job its ``main()`` submits is named ``<driver job name> - <job name>``.
"""

import hashlib
import os

from flinkyarn.api.environment import FIXED_JOB_ID
from flinkyarn.client.application_configuration import ApplicationConfiguration
from flinkyarn.config import options as o
from flinkyarn.graph.driver_program import DriverProgram
from flinkyarn.graph.job_graph import ChainedOperator, JobGraph, JobVertex
from flinkyarn.graph.job_settings import JobType
from flinkyarn.graph.stream_graph import DEFAULT_SLOT_SHARING_GROUP
from flinkyarn.ids import JobVertexID, OperatorID

__all__ = ["driver_job_graph", "driver_job_name", "child_job_name", "is_driver_job",
           "driver_program_of", "DRIVER_VERTEX_NAME", "DRIVER_INVOKABLE"]

DRIVER_VERTEX_NAME = "Flink Driver"
"""The driver job's one vertex (and operator); its task is ``Flink Driver (1/1)``."""

DRIVER_INVOKABLE = "org.apache.flink.client.driver.FlinkDriverTask"
"""The driver vertex's invokable class (FLIP-40 was never released: the name is the emulator's)."""

_VERTEX_ID = JobVertexID.from_bytes(hashlib.md5(DRIVER_VERTEX_NAME.encode("utf-8")).digest())


def driver_job_name(program):
    """
    :param str program: a built-in program name or ``path/to/file.py[:function]``.
    :return: ``Flink Driver (<program>)``.
    """
    path, _, function = program.rpartition(":") if ".py:" in program else (program, "", "")
    if not path.endswith(".py"):
        return f"Flink Driver ({program})"
    stem = os.path.splitext(os.path.basename(path))[0]
    shown = stem if function in ("", "main") else f"{stem}.{function}"
    return f"Flink Driver ({shown})"


def child_job_name(driver_name, job_name):
    """:return: the name a job the driver's ``main()`` submits runs under."""
    return f"{driver_name} - {job_name}"


def driver_job_graph(program, args, configuration, job_id, resources=None):
    """
    Build the driver job of ``program``.

    :param str program: a built-in program name or ``path/to/file.py[:function]`` (read now:
        its text travels in the JobGraph).
    :param args: ``main``'s arguments.
    :param configuration: the client's :class:`~flinkyarn.config.Configuration`, which
        ``main()``'s environments start from (inside the driver, ``execute()`` waits for its
        job: ``execution.attached`` is true there; a fixed ``$internal.pipeline.job-id`` is
        dropped, as ``main()`` may run several jobs).
    :param job_id: the driver job's :class:`~flinkyarn.ids.JobID`.
    :param resources: the driver slot's :class:`~flinkyarn.graph.resource_spec.ResourceSpec`,
        or ``None`` for a default slot.
    :return: the :class:`~flinkyarn.graph.job_graph.JobGraph`.
    :raise ProgramInvocationException: for an unknown program or a missing file.
    """
    driver_program = _driver_program(program, args, configuration)
    operator = ChainedOperator(OperatorID.from_bytes(_VERTEX_ID.to_bytes()), DRIVER_VERTEX_NAME,
                               "driver", simulation=driver_program)
    vertex = JobVertex(
        id=_VERTEX_ID, name=DRIVER_VERTEX_NAME, parallelism=1, max_parallelism=1,
        slot_sharing_group=DEFAULT_SLOT_SHARING_GROUP, invokable_class_name=DRIVER_INVOKABLE,
        operators=(operator,), description=DRIVER_VERTEX_NAME, resources=resources)
    return JobGraph(job_id, driver_job_name(program), JobType.BATCH, (vertex,))


def driver_program_of(job_graph):
    """:return: the :class:`DriverProgram` a driver job runs, or ``None`` for another job."""
    if len(job_graph.vertices) != 1:
        return None
    operators = job_graph.vertices[0].operators
    simulation = operators[0].simulation if len(operators) == 1 else None
    return simulation if isinstance(simulation, DriverProgram) else None


def is_driver_job(job_graph):
    """Whether ``job_graph`` is a driver job."""
    return driver_program_of(job_graph) is not None


def _driver_program(program, args, configuration):
    application = ApplicationConfiguration(program, args)
    path = application.program_file
    values = {key: value for key, value in configuration.items() if key != FIXED_JOB_ID}
    values[o.EXECUTION_ATTACHED.key] = "true"
    if path is None:
        return DriverProgram(program, None, application.args, values)
    with open(path, encoding="utf-8") as stream:
        source = stream.read()
    entry = os.path.basename(application.entry_point)
    return DriverProgram(entry, source, application.args, values)
