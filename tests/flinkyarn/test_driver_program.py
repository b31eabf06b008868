"""
Tests of :mod:`flinkyarn.driver.program` and :mod:`flinkyarn.driver.executor`: a shipped program
is loaded from its text under ``usrlib/``; what its ``main()`` raises becomes a non-recoverable
failure cause with the program's own traceback; the jobs ``main()`` runs are named after the
driver and remembered until seen ending.
"""

import pytest
from twisted.python.failure import Failure

from flinkyarn.api.execution_results import DetachedJobExecutionResult
from flinkyarn.client.executors import main_method_error
from flinkyarn.driver.executor import DriverPipelineExecutor
from flinkyarn.driver.program import driver_failure, load_driver_main
from flinkyarn.examples import BUILTIN_PROGRAMS
from flinkyarn.examples.loader import ProgramInvocationException
from flinkyarn.graph.driver_program import DriverProgram
from flinkyarn.program_runner import ProgramAbortedException
from flinkyarn.runtime.errors import JobExecutionException
from flinkyarn.runtime.jobmaster.job_master import SUPPRESS_RESTARTS_EXCEPTION
from tests.flinkyarn.flink_harness import bounded_job

RAISES = """\
import dataclasses


@dataclasses.dataclass
class Day:
    name: str


def check(day):
    raise LookupError(f"no revenue for {day.name}")


def main(args):
    check(Day(args[0]))
"""


def program(source, entry="revenue.py:main", args=("monday",)):
    return DriverProgram(entry, source, args)


def test_a_shipped_program_is_loaded_from_its_text():
    main = load_driver_main(program("def main(args):\n    return ['ran', *args]\n"))
    assert main(["x"]) == ["ran", "x"]
    assert main.__code__.co_filename == "usrlib/revenue.py"
    assert load_driver_main(DriverProgram("wordcount")) is BUILTIN_PROGRAMS["wordcount"]


@pytest.mark.parametrize("source, entry, message", [
    ("def main(args:\n", "bad.py:main", "Could not load program 'usrlib/bad.py': '(' was never "
                                        "closed (line 1)."),
    ("raise ImportError('no numpy')\n", "bad.py:main",
     "Could not load program 'usrlib/bad.py': ImportError: no numpy"),
    ("def run(args): pass\n", "bad.py:main", "The program 'usrlib/bad.py' has no function "
                                             "'main'; it needs a main(args) entry point."),
    ("main = 3\n", "bad.py:main", "The entry point 'main' of program 'usrlib/bad.py' is not "
                                  "callable."),
])
def test_programs_that_do_not_load(source, entry, message):
    with pytest.raises(ProgramInvocationException) as error:
        load_driver_main(program(source, entry))
    assert error.value.message == message


def test_an_unknown_built_in_program():
    with pytest.raises(ProgramInvocationException, match="Unknown program 'nope'."):
        load_driver_main(DriverProgram("nope"))


def test_what_main_raised_is_a_non_recoverable_cause_with_the_programs_traceback():
    shipped = program(RAISES)
    main = load_driver_main(shipped)
    try:
        main(["monday"])
    except LookupError:
        failure = Failure()
    with pytest.raises(ProgramInvocationException) as wrapped:
        main_method_error(failure)
    cause = driver_failure(wrapped.value, shipped)
    assert cause.exception_class == SUPPRESS_RESTARTS_EXCEPTION
    assert cause.message == (
        "Unrecoverable failure. This suppresses job restarts. Please check the stack trace for "
        "the root cause.\n"
        "Caused by: org.apache.flink.client.program.ProgramInvocationException: The main method "
        "caused an error: no revenue for monday\n"
        "Caused by: Traceback (most recent call last):\n"
        '  File "usrlib/revenue.py", line 14, in main\n'
        "    check(Day(args[0]))\n"
        '  File "usrlib/revenue.py", line 10, in check\n'
        '    raise LookupError(f"no revenue for {day.name}")\n'
        "LookupError: no revenue for monday")


def test_a_program_that_does_not_load_fails_without_a_traceback():
    cause = driver_failure(ProgramInvocationException("Unknown program 'nope'."),
                           DriverProgram("nope"))
    assert cause.message.endswith("Caused by: org.apache.flink.client.program."
                                  "ProgramInvocationException: Unknown program 'nope'.")


class RecordingExecutor:
    def __init__(self, outcome=None):
        self.graphs = []
        self.outcome = outcome

    def execute(self, job_graph):
        self.graphs.append(job_graph)
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return DetachedJobExecutionResult(job_graph.job_id)

    def execute_async(self, job_graph):
        self.graphs.append(job_graph)
        return job_graph.job_id


def test_the_drivers_jobs_are_named_after_it_and_remembered():
    inner = RecordingExecutor()
    executor = DriverPipelineExecutor(inner, "Flink Driver (etl)")
    first, second = bounded_job("Load"), bounded_job("Report")
    executor.execute(first)
    executor.execute_async(second)
    assert [graph.name for graph in inner.graphs] == ["Flink Driver (etl) - Load",
                                                      "Flink Driver (etl) - Report"]
    assert inner.graphs[0].job_id == first.job_id
    assert inner.graphs[0].vertices == first.vertices
    assert executor.submitted == [first.job_id, second.job_id]
    assert executor.unfinished() == [second.job_id]


def test_a_job_that_failed_has_ended_but_one_abandoned_has_not():
    failed = bounded_job("Load")
    executor = DriverPipelineExecutor(RecordingExecutor(JobExecutionException("Job execution "
                                                                              "failed.")), "D")
    with pytest.raises(JobExecutionException):
        executor.execute(failed)
    assert executor.unfinished() == []
    abandoned = bounded_job("Report")
    executor = DriverPipelineExecutor(RecordingExecutor(ProgramAbortedException("gone")), "D")
    with pytest.raises(ProgramAbortedException):
        executor.execute(abandoned)
    assert executor.unfinished() == [abandoned.job_id]
