"""
The application entrypoint (``flinkyarn.entrypoint.application``,
``YarnApplicationClusterEntryPoint``) with its ``ApplicationDispatcherBootstrap``: the user's
``main()`` runs in the JobManager, and how it ends decides how the cluster ends.
"""

import pytest

from flinkyarn.client import ApplicationConfiguration, ClusterDeploymentException
from flinkyarn.entrypoint.application import YarnApplicationClusterEntryPoint
from flinkyarn.states import JobStatus
from tests.flinkyarn.flink_harness import (
    every_task_running,
    events_of,
    fail_subtask,
    flink_on_yarn,
    job_master,
    launched_job_manager,
    logged,
    run_until_ended,
    staging_exists,
    yarn_states,
)
from yarnemu.events import AMRegistered

ONE_JOB = '''
from flinkyarn.api import StreamExecutionEnvironment


def main(args):
    env = StreamExecutionEnvironment.get_execution_environment()
    env.from_sequence(1, int(args[0])).map(lambda n: n + 1).print()
    return env.execute("only")
'''


def application_flink(tmp_path, **flink_config):
    return flink_on_yarn(tmp_path, flink_config={"execution.target": "yarn-application",
                                                 **flink_config})


def program(tmp_path, text, name="program.py"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def deploy(flink, program_file, *args):
    return flink.descriptor().deploy_application_cluster(
        flink.specification(), ApplicationConfiguration(program_file, args))


def only_application(flink):
    (app,) = flink.rm.apps
    return app


def test_a_main_without_execute_is_fatal_with_exit_code_2(tmp_path):
    """A main() with no execute() call is fatal: exit code 2, no unregistering, the app FAILED."""
    flink = application_flink(tmp_path)
    deploy(flink, program(tmp_path, "def main(args):\n    return None\n"))
    job_manager = launched_job_manager(flink)
    app = job_manager.application_id
    assert run_until_ended(flink, app) == ("FAILED", "FAILED")
    assert job_manager.context.exit_code == 2
    assert logged(flink, "Application failed unexpectedly", app) == [
        "Application failed unexpectedly: org.apache.flink.client.deployment.application."
        "ApplicationExecutionException: The application contains no execute() calls.",
        "Fatal error occurred in the cluster entrypoint. Application failed unexpectedly.",
    ]
    assert "exited with  exitCode: 2" in flink.application_report(app).diagnostics
    assert staging_exists(flink, app)


def test_a_program_that_cannot_be_created_exits_1_before_registering(tmp_path):
    """A program that does not load exits 1 before registering with YARN; the deployment fails."""
    flink = application_flink(tmp_path)
    deferred = deploy(flink, program(tmp_path, "def main(args:\n", name="broken.py"))
    with pytest.raises(ClusterDeploymentException, match="^Couldn't deploy Yarn Application "
                                                         "Cluster$"):
        flink.run(deferred)
    app = only_application(flink)
    assert yarn_states(flink, app) == ("FAILED", "FAILED")
    assert events_of(flink, AMRegistered) == []
    (line,) = logged(flink, "Could not create application program.", app)
    assert line.startswith("Could not create application program. Could not load program ")
    assert line.endswith("broken.py': '(' was never closed (line 1).")
    assert "exited with  exitCode: 1" in flink.application_report(app).diagnostics


def _deploy_with_its_one_job_running(flink, tmp_path):
    """Deploy the one-job program with a long job; return the cluster once its tasks all run."""
    cluster = flink.run(deploy(flink, program(tmp_path, ONE_JOB), "1000000"))
    app = cluster.application_id
    dispatcher = flink.job_manager(app).dispatcher
    assert flink.run_until(lambda: dispatcher.list_jobs())
    ((job_id, _),) = dispatcher.list_jobs()
    assert flink.run_until(lambda: every_task_running(job_master(flink, app, job_id)))
    return cluster, job_id


def test_an_application_whose_job_fails_ends_failed_with_exit_code_1443(tmp_path):
    """An attached ``execute()`` whose job FAILED ends the application FAILED: exit code 1443."""
    flink = application_flink(tmp_path)
    cluster, job_id = _deploy_with_its_one_job_running(flink, tmp_path)
    app = cluster.application_id
    job_manager = flink.job_manager(app)
    fail_subtask(flink, job_master(flink, app, job_id))
    assert run_until_ended(flink, app) == ("FINISHED", "FAILED")
    assert job_manager.context.exit_code == 1443
    assert logged(flink, "Application FAILED", app) == [
        "Application FAILED: Job execution failed."]


def test_cancelling_the_applications_job_ends_the_application_killed(tmp_path):
    """Cancelling the job an attached execute() waits for ends the application CANCELED: exit 0."""
    flink = application_flink(tmp_path)
    cluster, job_id = _deploy_with_its_one_job_running(flink, tmp_path)
    app = cluster.application_id
    job_manager = flink.job_manager(app)
    flink.run(cluster.cancel(job_id))
    assert run_until_ended(flink, app) == ("FINISHED", "KILLED")
    assert job_manager.context.exit_code == 0
    assert logged(flink, "Application CANCELED", app) == [
        "Application CANCELED: Job was cancelled."]

def test_an_application_can_outlive_its_jobs(tmp_path):
    """With shutdown-on-application-finish false the cluster runs on until DELETE /cluster."""
    flink = application_flink(tmp_path, **{"execution.shutdown-on-application-finish": "false"})
    cluster = flink.run(deploy(flink, program(tmp_path, ONE_JOB), "2000"))
    app = cluster.application_id
    job_manager = flink.job_manager(app)
    assert isinstance(job_manager, YarnApplicationClusterEntryPoint)
    assert flink.run_until(lambda: logged(flink, "Application completed SUCCESSFULLY", app))
    flink.advance(600)
    assert yarn_states(flink, app) == ("RUNNING", "UNDEFINED")
    assert [status for _, status in job_manager.dispatcher.list_jobs()] == [JobStatus.FINISHED]
    assert logged(flink, "Terminating cluster entrypoint", app) == []
    flink.run(cluster.shutdown_cluster())
    assert run_until_ended(flink, app) == ("FINISHED", "SUCCEEDED")
    assert job_manager.context.exit_code == 0


def test_an_application_shuts_down_when_its_jobs_finish_by_default(tmp_path):
    """By default the cluster ends SUCCEEDED, exit code 0, once ``main()`` and its job are done."""
    flink = application_flink(tmp_path)
    cluster = flink.run(deploy(flink, program(tmp_path, ONE_JOB), "2000"))
    app = cluster.application_id
    job_manager = flink.job_manager(app)
    assert run_until_ended(flink, app) == ("FINISHED", "SUCCEEDED")
    assert job_manager.context.exit_code == 0
    assert logged(flink, "Application completed SUCCESSFULLY", app) == [
        "Application completed SUCCESSFULLY"]
