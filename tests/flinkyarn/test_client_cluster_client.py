"""
Tests for :mod:`flinkyarn.client.cluster_client`: REST round trips to a (fake) JobManager over the
cluster's network, and the YARN-side kill.
"""

import pytest

from flinkyarn.client import JobStatusMessage, JobSubmissionException
from flinkyarn.client.cluster_client import job_result_from_rest
from flinkyarn.runtime.gateways import RestHandlerException
from flinkyarn.runtime.messages import SerializedThrowable
from flinkyarn.states import ApplicationStatus, JobStatus
from tests.flinkyarn.client_fake_jobmanager import JOB_OUTCOME_KEY, FakeJobManager
from tests.flinkyarn.client_harness import ClientHarness, small_job_graph
from yarnemu.network import ConnectionRefusedError
from yarnemu.records.states import FinalApplicationStatus, YarnApplicationState


@pytest.fixture
def session(tmp_path):
    harness = ClientHarness(tmp_path)
    return harness, harness.deploy_session()


def test_submit_list_and_status_round_trip(session):
    """A submitted job is listed and RUNNING, and the client logs Flink's submission lines."""
    harness, client = session
    graph = small_job_graph("round trip")
    job_id = harness.run(client.submit_job(graph))
    assert job_id == graph.job_id
    jobs = harness.run(client.list_jobs())
    start = FakeJobManager.instances[-1].endpoint.jobs[str(job_id)].start_ms
    assert jobs == [JobStatusMessage(job_id, "round trip", JobStatus.RUNNING, start)]
    assert harness.run(client.get_job_status(job_id)) is JobStatus.RUNNING
    messages = harness.client_messages()
    assert f"Submitting job 'round trip' ({job_id})." in messages
    assert (f"Successfully submitted job 'round trip' ({job_id}) to "
            f"'{client.web_interface_url}'.") in messages


def test_request_job_result_polls_until_the_job_is_done(session):
    """``request_job_result`` polls with growing waits until the job finished."""
    harness, client = session
    job_id = harness.run(client.submit_job(small_job_graph("five seconds")))
    started = harness.clock.seconds()
    result = harness.run(client.request_job_result(job_id))
    assert result.job_id == job_id
    assert result.job_name == "five seconds"
    assert result.job_status is JobStatus.FINISHED
    assert result.application_status is ApplicationStatus.SUCCEEDED
    assert result.net_runtime_ms == 5000
    assert result.success
    assert 5.0 <= harness.clock.seconds() - started <= 7.1
    polls = FakeJobManager.instances[-1].endpoint.calls.count("get_job_result")
    assert 8 <= polls <= 14


def test_failed_job_result_carries_the_cause(tmp_path):
    """A failed job's result has FAILED status and its serialized throwable."""
    harness = ClientHarness(tmp_path, flink_config={JOB_OUTCOME_KEY: "FAILED"})
    client = harness.deploy_session()
    job_id = harness.run(client.submit_job(small_job_graph()))
    result = harness.run(client.request_job_result(job_id))
    assert result.job_status is JobStatus.FAILED
    assert result.application_status is ApplicationStatus.FAILED
    assert result.error == SerializedThrowable("org.apache.flink.runtime.JobException",
                                               f"Job {job_id} ended FAILED")


def test_cancel_cancels_the_job(session):
    """``cancel`` makes the job CANCELED."""
    harness, client = session
    job_id = harness.run(client.submit_job(small_job_graph()))
    assert harness.run(client.cancel(job_id)) is None
    assert harness.run(client.get_job_status(job_id)) is JobStatus.CANCELED
    result = harness.run(client.request_job_result(job_id))
    assert result.application_status is ApplicationStatus.CANCELED


def test_unknown_job_is_a_rest_handler_exception(session):
    """The endpoint's 404 arrives as RestHandlerException with its status."""
    harness, client = session
    with pytest.raises(RestHandlerException) as raised:
        harness.run(client.get_job_status("0" * 32))
    assert raised.value.status == 404


def test_refused_submission_is_a_job_submission_exception(session):
    """A JobGraph the cluster refuses fails with 'Failed to submit JobGraph.' and a WARN."""
    harness, client = session
    graph = small_job_graph()
    harness.run(client.submit_job(graph))
    error = harness.failure_of(client.submit_job(graph))
    assert isinstance(error, JobSubmissionException)
    assert str(error) == "Failed to submit JobGraph."
    assert isinstance(error.__cause__, RestHandlerException)
    assert error.__cause__.status == 500
    assert any(m.startswith(f"Attempt to submit job '{graph.name}' ({graph.job_id}) to ")
               for m in harness.client_messages("WARN"))


def test_shutdown_cluster_ends_the_session_successfully(session):
    """``DELETE /cluster`` makes the session FINISHED/SUCCEEDED and its JobManager cleans up."""
    harness, client = session
    assert harness.run(client.shutdown_cluster()) is None
    harness.clock.advance(5)
    report = harness.report(client.application_id)
    assert report.yarn_application_state is YarnApplicationState.FINISHED
    assert report.final_application_status is FinalApplicationStatus.SUCCEEDED
    assert not harness.fs.exists(f"/user/alice/.flink/{client.application_id}")


def test_gone_cluster_fails_after_twenty_retries(session):
    """Calls to a JobManager that is gone fail after 20 retries 3 s apart, as Flink's client."""
    harness, client = session
    harness.run(client.shutdown_cluster())
    harness.clock.advance(5)
    start = harness.clock.seconds()
    with pytest.raises(ConnectionRefusedError):
        harness.run(client.list_jobs())
    assert harness.clock.seconds() - start == pytest.approx(60.0, abs=0.01)


def test_unavailable_jobmanager_is_retried(session):
    """A 503 (Service Unavailable) is retried after rest.retry.delay; other errors are not."""
    harness, client = session
    endpoint = FakeJobManager.instances[-1].endpoint
    answers = [RestHandlerException(503, "starting"), RestHandlerException(503, "starting")]
    overview = endpoint.get_jobs_overview

    def flaky():
        if answers:
            raise answers.pop(0)
        return overview()

    endpoint.get_jobs_overview = flaky
    start = harness.clock.seconds()
    assert harness.run(client.list_jobs()) == []
    assert harness.clock.seconds() - start == pytest.approx(6.0, abs=0.01)


def test_shutdown_of_a_gone_cluster_is_only_logged(session):
    """Shutting down a cluster that is gone logs an ERROR and does not fail."""
    harness, client = session
    harness.run(client.shutdown_cluster())
    harness.clock.advance(5)
    assert harness.run(client.shutdown_cluster(), seconds=120) is None
    assert any(m.startswith("Error while shutting down cluster")
               for m in harness.client_messages("ERROR"))


def test_kill_cluster_kills_through_yarn_and_deletes_the_staging_dir(session):
    """``kill_cluster`` leaves a KILLED application and no staging directory."""
    harness, client = session
    harness.run(client.kill_cluster())
    harness.clock.advance(5)
    report = harness.report(client.application_id)
    assert report.yarn_application_state is YarnApplicationState.KILLED
    assert not harness.fs.exists(f"/user/alice/.flink/{client.application_id}")


def test_job_result_from_rest_reads_flinks_shape():
    """The ``job-execution-result`` object maps to a JobResult, CANCELED to a cancelled job."""
    result = job_result_from_rest({
        "jobId": "fd72014d4c864993a2e5a9287b4a9c5d", "applicationStatus": "CANCELED",
        "netRuntime": 1234, "accumulatorResults": {},
        "serializedThrowable": {"serialized-throwable": "java.lang.Exception: cancelled"}})
    assert result.job_status is JobStatus.CANCELED
    assert result.net_runtime_ms == 1234
    assert result.error == SerializedThrowable("java.lang.Exception", "cancelled")
