"""
``flinkyarn run``'s refusals that need no cluster: a missing or unknown program, a bad
parallelism, no cluster to run on, an unknown target — each before anything is deployed.
"""

import pytest

from flinkyarn.cli.options import CliArgsException
from flinkyarn.cli.run import run_action, run_application_action
from flinkyarn.graph.errors import IllegalStateException
from flinkyarn.runtime.errors import FlinkException
from tests.flinkyarn.cli_harness import TINY, failure_of


@pytest.mark.parametrize("arguments, message", [
    ((), "Java program should be specified a JAR file."),
    (("-t", "yarn-per-job", "nope"),
     "Could not get job jar and dependencies from JAR file: Unknown program 'nope': give a "
     "built-in program (streaming-window, wordcount) or a Python file as "
     "path/to/program.py[:function]."),
    (("-t", "yarn-per-job", "gone.py"),
     "Could not get job jar and dependencies from JAR file: Program file 'gone.py' does not "
     "exist."),
    (("-p", "0", "wordcount"), "The parallelism must be a positive number: 0"),
    (("-p", "many", "wordcount"), "The parallelism must be a positive number: many"),
])
def test_command_line_errors(tmp_path, arguments, message):
    error = failure_of(tmp_path, run_action, *arguments)
    assert isinstance(error, CliArgsException)
    assert error.message == message


@pytest.mark.parametrize("target", [(), ("-t", "yarn-session")])
def test_no_cluster_to_run_on(tmp_path, target):
    error = failure_of(tmp_path, run_action, TINY, *target, "wordcount")
    assert isinstance(error, FlinkException)
    assert error.message == ("No cluster id was specified. Please specify a cluster to which "
                             "you would like to connect.")


def test_an_unknown_target(tmp_path):
    error = failure_of(tmp_path, run_action, TINY, "-t", "kubernetes-session", "wordcount")
    assert isinstance(error, IllegalStateException)
    assert error.message == "No ExecutorFactory found to execute the application."
    error = failure_of(tmp_path, run_application_action, TINY, "wordcount")
    assert isinstance(error, IllegalStateException)
    assert "run an application with -t yarn-application" in error.message
