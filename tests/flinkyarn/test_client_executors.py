"""
Tests for :mod:`flinkyarn.client.executors`: user programs run from the client against session
and per-job clusters (with the fake JobManager), attached and detached.
"""

import os

import pytest
from zope.interface.verify import verifyObject

from flinkyarn.api import IPipelineExecutor
from flinkyarn.client import (
    DetachedJobExecutionResult,
    FlinkRuntimeException,
    JobClient,
    JobExecutionException,
    JobExecutionResult,
    PerJobPipelineExecutor,
    SessionPipelineExecutor,
    run_program,
)
from flinkyarn.examples.loader import ProgramInvocationException
from flinkyarn.graph.job_graph import JobGraph
from flinkyarn.states import JobStatus
from tests.flinkyarn.client_fake_jobmanager import JOB_OUTCOME_KEY, FakeJobManager
from tests.flinkyarn.client_harness import ClientHarness, small_job_graph
from yarnemu.records.states import FinalApplicationStatus, YarnApplicationState

TWO_JOBS = os.path.join(os.path.dirname(__file__), "programs", "two_jobs.py")


def _attached(harness, attached):
    return harness.config.set("execution.attached", "true" if attached else "false")


def test_executors_provide_the_pipeline_executor_interface(tmp_path):
    """Both executors are IPipelineExecutors."""
    harness = ClientHarness(tmp_path)
    client = harness.deploy_session()
    assert verifyObject(IPipelineExecutor,
                        SessionPipelineExecutor(client, harness.config, harness.descriptor.log))
    assert verifyObject(IPipelineExecutor, PerJobPipelineExecutor(harness.descriptor,
                                                                  harness.config))


def test_attached_session_run_waits_for_the_result_and_prints_it(tmp_path):
    """An attached program on a session returns the JobExecutionResult after the job finished."""
    harness = ClientHarness(tmp_path)
    client = harness.deploy_session()
    config = _attached(harness, True)
    executor = SessionPipelineExecutor(client, config, harness.descriptor.log)
    result = harness.run(run_program("wordcount", ["--records", "100"], executor, config))
    assert isinstance(result, JobExecutionResult)
    assert result.net_runtime_ms == 5000
    job = FakeJobManager.instances[-1].endpoint.jobs[str(result.job_id)]
    assert job.graph.name == "WordCount"
    assert harness.descriptor.log.printed == [
        f"Job has been submitted with JobID {result.job_id}",
        f"Program execution finished\nJob with JobID {result.job_id} has finished.\n"
        "Job Runtime: 5000 ms\n",
    ]


def test_detached_session_run_returns_after_submission(tmp_path):
    """A detached program returns a DetachedJobExecutionResult while its job still runs."""
    harness = ClientHarness(tmp_path)
    client = harness.deploy_session()
    config = _attached(harness, False)
    executor = SessionPipelineExecutor(client, config, harness.descriptor.log)
    result = harness.run(run_program("wordcount", [], executor, config))
    assert isinstance(result, DetachedJobExecutionResult)
    assert harness.run(client.get_job_status(result.job_id)) is JobStatus.RUNNING
    assert harness.descriptor.log.printed == [
        f"Job has been submitted with JobID {result.job_id}"]


def test_session_executor_retrieves_the_session_named_by_its_application_id(tmp_path):
    """Without a client, the session executor retrieves ``yarn.application.id`` for each job."""
    harness = ClientHarness(tmp_path)
    client = harness.deploy_session()
    config = _attached(harness, False).set("yarn.application.id", str(client.application_id))
    executor = SessionPipelineExecutor(None, config, harness.descriptor.log, harness.descriptor)
    result = harness.run(run_program("streaming-window", [], executor, config))
    assert str(result.job_id) in FakeJobManager.instances[-1].endpoint.jobs


def test_execute_async_returns_a_job_client(tmp_path):
    """``execute_async`` from a program gives a JobClient on which the job can be cancelled."""
    program = tmp_path / "async_job.py"
    program.write_text(
        "from flinkyarn.api import StreamExecutionEnvironment\n"
        "def main(args):\n"
        "    env = StreamExecutionEnvironment.get_execution_environment()\n"
        "    env.from_sequence(1, 10).print()\n"
        "    return env.execute_async('async')\n")
    harness = ClientHarness(tmp_path)
    client = harness.deploy_session()
    executor = SessionPipelineExecutor(client, harness.config, harness.descriptor.log)
    job_client = harness.run(run_program(str(program), [], executor, harness.config))
    assert isinstance(job_client, JobClient)
    harness.run(job_client.cancel())
    assert harness.run(job_client.get_job_status()) is JobStatus.CANCELED


def test_executor_outside_a_program_returns_a_deferred(tmp_path):
    """Called outside a program run, ``execute`` returns a Deferred of the result."""
    harness = ClientHarness(tmp_path)
    client = harness.deploy_session()
    executor = SessionPipelineExecutor(client, _attached(harness, True), harness.descriptor.log)
    result = harness.run(executor.execute(small_job_graph()))
    assert isinstance(result, JobExecutionResult)


def test_failed_attached_job_raises_job_execution_exception(tmp_path):
    """An attached program whose job fails raises 'Job execution failed.'."""
    harness = ClientHarness(tmp_path, flink_config={JOB_OUTCOME_KEY: "FAILED"})
    client = harness.deploy_session()
    config = _attached(harness, True)
    executor = SessionPipelineExecutor(client, config, harness.descriptor.log)
    error = harness.failure_of(run_program("wordcount", [], executor, config))
    assert isinstance(error, ProgramInvocationException)
    assert str(error) == "The main method caused an error: Job execution failed."
    cause = error.__cause__
    assert isinstance(cause, JobExecutionException) and str(cause) == "Job execution failed."
    assert cause.serialized_throwable.exception_class == "org.apache.flink.runtime.JobException"


def test_detached_per_job_run_deploys_a_cluster_that_ends_with_the_job(tmp_path):
    """Per-job detached: the program's JobGraph ships as job.graph; the cluster ends with it."""
    harness = ClientHarness(tmp_path)
    config = _attached(harness, False)
    executor = PerJobPipelineExecutor(harness.descriptor, config)
    result = harness.run(run_program("wordcount", [], executor, config))
    assert isinstance(result, DetachedJobExecutionResult)
    (client,) = executor.cluster_clients
    graph = JobGraph.read(os.path.join(FakeJobManager.instances[-1].working_dir, "job.graph"))
    assert graph.job_id == result.job_id and graph.name == "WordCount"
    assert f"Job has been submitted with JobID {result.job_id}" in harness.client_messages()
    harness.clock.advance(10)
    report = harness.report(client.application_id)
    assert report.yarn_application_state is YarnApplicationState.FINISHED
    assert report.final_application_status is FinalApplicationStatus.SUCCEEDED
    assert not harness.fs.exists(f"/user/alice/.flink/{client.application_id}")


def test_attached_per_job_run_returns_the_result_and_the_cluster_stops(tmp_path):
    """Per-job attached: the client gets the result, then the NORMAL-mode cluster shuts down."""
    harness = ClientHarness(tmp_path)
    config = _attached(harness, True)
    deployed = []

    def on_deployed(client):
        # Called once the cluster is up, while the attached client still waits for the result.
        deployed.append((client, harness.report(client.application_id).yarn_application_state))

    executor = PerJobPipelineExecutor(harness.descriptor, config, on_deployed=on_deployed)
    result = harness.run(run_program("wordcount", [], executor, config))
    assert isinstance(result, JobExecutionResult)
    (client,) = executor.cluster_clients
    assert deployed == [(client, YarnApplicationState.RUNNING)]
    assert client.configuration["internal.cluster.execution-mode"] == "NORMAL"
    harness.clock.advance(5)
    report = harness.report(client.application_id)
    assert report.yarn_application_state is YarnApplicationState.FINISHED


def test_per_job_refuses_a_program_with_two_jobs(tmp_path):
    """A per-job program that executes a second job fails; only the first cluster is deployed."""
    harness = ClientHarness(tmp_path)
    config = _attached(harness, False)
    executor = PerJobPipelineExecutor(harness.descriptor, config)
    error = harness.failure_of(run_program(TWO_JOBS, ["--records", "10"], executor, config))
    assert isinstance(error, ProgramInvocationException)
    assert isinstance(error.__cause__, FlinkRuntimeException)
    assert str(error) == ("The main method caused an error: Cannot have more than one execute() "
                          "or executeAsync() call in a single environment.")
    assert len(executor.cluster_clients) == 1
    assert len(harness.cluster.rm.apps) == 1


def test_unknown_program_is_a_program_invocation_exception(tmp_path):
    """A program that cannot be found fails the run before anything is deployed."""
    harness = ClientHarness(tmp_path)
    executor = PerJobPipelineExecutor(harness.descriptor, harness.config)
    with pytest.raises(ProgramInvocationException):
        harness.run(run_program("no-such-program", [], executor, harness.config))
    assert harness.cluster.rm.apps == {}
