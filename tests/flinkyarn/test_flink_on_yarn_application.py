"""
End to end: Flink application clusters on the emulated YARN (``YarnApplicationClusterEntryPoint``),
whose JobManager runs the user's ``main()`` and shuts down when its jobs are done.
"""

import os

import pytest

from flinkyarn.client import ApplicationConfiguration
from flinkyarn.events import JobStatusChanged
from tests.flinkyarn.flink_harness import (
    events_of,
    flink_on_yarn,
    run_until_ended,
    staging_exists,
    yarn_states,
)
from yarnemu.events import LogRecorded

TWO_JOBS = os.path.join(os.path.dirname(__file__), "programs", "two_jobs.py")


@pytest.fixture
def flink(tmp_path):
    flink = flink_on_yarn(tmp_path)
    flink.config = flink.config.with_values({"execution.target": "yarn-application"})
    return flink


def deploy(flink, program, *args):
    return flink.run(flink.descriptor().deploy_application_cluster(
        flink.specification(), ApplicationConfiguration(program, args)))


def finished_jobs(flink, app):
    return [event.job_name for event in events_of(flink, JobStatusChanged, app)
            if event.to_state.value == "FINISHED"]


def test_a_main_that_runs_two_jobs_finishes_the_application_succeeded(flink):
    """``main()`` runs two jobs one after the other in the JobManager; then the cluster ends."""
    cluster = deploy(flink, TWO_JOBS, "--records", "5000", "--prefix", "app-")
    app = cluster.application_id
    assert run_until_ended(flink, cluster.application_id) == ("FINISHED", "SUCCEEDED")
    assert finished_jobs(flink, app) == ["app-first", "app-second"]
    assert not staging_exists(flink, app)


def test_a_builtin_program_runs_in_application_mode(flink):
    cluster = deploy(flink, "wordcount")
    assert run_until_ended(flink, cluster.application_id) == ("FINISHED", "SUCCEEDED")
    assert finished_jobs(flink, cluster.application_id) == ["WordCount"]


def test_a_main_that_raises_fails_the_application(flink, tmp_path):
    """
    An exception from ``main()`` is fatal to the JobManager ("Application failed
    unexpectedly."): it exits with code 2 without unregistering, and with its one attempt gone
    YARN fails the application.  As in Flink, nothing deletes ``.flink/<app>`` then: only an
    unregistering JobManager does.
    """
    program = tmp_path / "raises.py"
    program.write_text("def main(args):\n    raise ValueError('no input given')\n")
    cluster = deploy(flink, str(program))
    app = cluster.application_id
    assert run_until_ended(flink, app) == ("FAILED", "FAILED")
    report = flink.application_report(app)
    assert "exited with  exitCode: 2" in report.diagnostics
    assert "Application failed unexpectedly." in report.diagnostics
    logged = [event.message for event in events_of(flink, LogRecorded)]
    assert "Application failed unexpectedly: java.lang.ValueError: no input given" in logged
    assert staging_exists(flink, app)
