"""
The Dispatcher (``flinkyarn.runtime.dispatcher.dispatcher``) of a running JobManager: the jobs it
keeps, the results it serves, refusing work once the cluster shuts down, and — as Flink's
``MiniDispatcher`` in a per-job cluster — when it shuts the cluster down, DETACHED or NORMAL.
"""

import pytest

from flinkyarn.ids import JobID
from flinkyarn.runtime.errors import (
    DuplicateJobSubmissionException,
    FlinkException,
    JobNotFoundException,
)
from flinkyarn.states import ApplicationStatus, JobStatus
from tests.flinkyarn.flink_harness import (
    bounded_job,
    every_task_running,
    fail_subtask,
    flink_on_yarn,
    job_master,
    logged,
    run_until_ended,
    session_cluster,
    submit_and_run,
    unbounded_job,
    yarn_states,
)

RESTARTING = {"restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.attempts": "3",
              "restart-strategy.fixed-delay.delay": "1 s"}


def dispatcher_of(flink, application_id):
    return flink.job_manager(application_id).dispatcher


def rest_of(flink, session):
    return flink.job_manager(session.application_id).rest


def outcome(deferred):
    """:return: the results ``deferred`` has fired with so far (at most one)."""
    fired = []
    deferred.addBoth(lambda value: fired.append(value) or value)
    return fired


# -- Session ---------------------------------------------------------------------------------------


def test_jobs_are_listed_in_the_order_they_were_submitted(tmp_path):
    """``list_jobs`` (and ``GET /jobs``) keep submission order, not job id order."""
    flink, session = session_cluster(tmp_path)
    dispatcher = dispatcher_of(flink, session.application_id)
    ids = [JobID("f" * 32), JobID("0" * 32), JobID("8" * 32)]
    for index, job_id in enumerate(ids):
        dispatcher.submit_job(unbounded_job(f"job-{index}", parallelism=1).with_job_id(job_id))
    assert [job_id for job_id, _ in dispatcher.list_jobs()] == ids
    assert [job["id"] for job in rest_of(flink, session).get_jobs()["jobs"]] == [
        str(job_id) for job_id in ids]


def test_a_known_job_id_is_refused_and_an_unknown_one_is_not_found(tmp_path):
    """A resubmitted job id is a duplicate; an unknown one is not found, in Flink's words."""
    flink, session = session_cluster(tmp_path)
    dispatcher = dispatcher_of(flink, session.application_id)
    job_graph = unbounded_job("unique", parallelism=1)
    assert dispatcher.submit_job(job_graph) == job_graph.job_id
    with pytest.raises(DuplicateJobSubmissionException, match="^Job has already been submitted.$"):
        dispatcher.submit_job(job_graph)
    unknown = JobID("1" * 32)
    for lookup in (dispatcher.request_job_status, dispatcher.request_job_result,
                   dispatcher.cancel_job):
        with pytest.raises(JobNotFoundException) as raised:
            lookup(unknown)
        assert raised.value.message == f"Could not find Flink job ({unknown})"


def test_a_job_result_is_served_only_once_the_job_is_globally_terminal(tmp_path):
    """A result request fires only when the job is globally terminal, not on a restart."""
    flink, session = session_cluster(tmp_path, flink_config=RESTARTING)
    job_id, master = submit_and_run(flink, session, bounded_job("awaited", parallelism=1,
                                                                records=20_000))
    dispatcher = dispatcher_of(flink, session.application_id)
    early = outcome(dispatcher.request_job_result(job_id))
    fail_subtask(flink, master)
    assert flink.run_until(lambda: master.restarts == 1 and every_task_running(master))
    assert early == []
    assert flink.run_until(lambda: early)
    (result,) = early
    assert (result.job_id, result.job_status, result.application_status, result.error) == (
        job_id, JobStatus.FINISHED, ApplicationStatus.SUCCEEDED, None)
    assert master.status is JobStatus.FINISHED
    assert outcome(dispatcher.request_job_result(job_id)) == [result]


def test_a_cancelled_jobs_result_carries_the_cancellation(tmp_path):
    """Cancelling a running job fires a waiting result request with CANCELED."""
    flink, session = session_cluster(tmp_path)
    job_id, _ = submit_and_run(flink, session, unbounded_job("cancelled", parallelism=1))
    dispatcher = dispatcher_of(flink, session.application_id)
    waiting = outcome(dispatcher.request_job_result(job_id))
    dispatcher.cancel_job(job_id)
    assert flink.run_until(lambda: waiting)
    (result,) = waiting
    assert (result.job_status, result.application_status) == (JobStatus.CANCELED,
                                                              ApplicationStatus.CANCELED)
    assert str(result.error) == ("org.apache.flink.runtime.client.JobCancellationException: "
                                 f"Job {job_id} was cancelled.")


def test_submissions_are_refused_once_the_cluster_shuts_down(tmp_path):
    """After ``shut_down_cluster`` no job is accepted; the session then ends with that status."""
    flink, session = session_cluster(tmp_path)
    dispatcher = dispatcher_of(flink, session.application_id)
    dispatcher.shut_down_cluster(ApplicationStatus.SUCCEEDED)
    late = bounded_job("late")
    with pytest.raises(FlinkException) as raised:
        dispatcher.submit_job(late)
    assert type(raised.value) is FlinkException
    assert raised.value.message == (f"Cannot submit job {late.job_id}: the cluster is shutting "
                                    "down.")
    assert dispatcher.list_jobs() == []
    assert run_until_ended(flink, session.application_id) == ("FINISHED", "SUCCEEDED")


def test_a_session_keeps_running_after_its_jobs_end(tmp_path):
    """A session's Dispatcher does not shut the cluster down when a job ends, however it ends."""
    flink, session = session_cluster(tmp_path)
    app = session.application_id
    job_id, master = submit_and_run(flink, session, bounded_job("fails", parallelism=1,
                                                                records=50_000))
    fail_subtask(flink, master)
    assert flink.run(session.request_job_result(job_id)).job_status is JobStatus.FAILED
    flink.advance(120)
    assert yarn_states(flink, app) == ("RUNNING", "UNDEFINED")
    assert logged(flink, "Shutting down cluster", app) == []
    assert logged(flink, f"Job {job_id} reached globally terminal state FAILED.", app) == [
        f"Job {job_id} reached globally terminal state FAILED."]


# -- Per-job (MiniDispatcher) ----------------------------------------------------------------------


def deploy_job_cluster(flink, job_graph, detached):
    """:return: the per-job cluster's ClusterClient."""
    return flink.run(flink.descriptor().deploy_job_cluster(flink.specification(), job_graph,
                                                           detached))


def test_a_detached_job_cluster_shuts_down_with_the_jobs_status(tmp_path):
    """DETACHED: a FINISHED job ends the cluster at once, logged with the job's status."""
    flink = flink_on_yarn(tmp_path)
    job_graph = bounded_job("detached", parallelism=1, records=2_000)
    cluster = deploy_job_cluster(flink, job_graph, detached=True)
    app = cluster.application_id
    assert run_until_ended(flink, app) == ("FINISHED", "SUCCEEDED")
    assert logged(flink, "Shutting down cluster", app) == [
        "Shutting down cluster with state FINISHED, jobCancelled: false, executionMode: DETACHED"]


def test_a_detached_job_cluster_does_not_wait_for_its_result(tmp_path):
    """DETACHED: fetching the result does not shut the cluster down (the job's end does)."""
    flink = flink_on_yarn(tmp_path)
    job_graph = unbounded_job("detached-endless", parallelism=1)
    cluster = deploy_job_cluster(flink, job_graph, detached=True)
    app = cluster.application_id
    assert flink.run_until(lambda: every_task_running(job_master(flink, app, job_graph.job_id)))
    dispatcher_of(flink, app).request_job_result(job_graph.job_id)
    flink.advance(60)
    assert yarn_states(flink, app) == ("RUNNING", "UNDEFINED")
    assert logged(flink, "retrieved the job result", app) == [
        "Not shutting down cluster after someone retrieved the job result."]


def test_an_attached_job_cluster_shuts_down_once_the_result_is_fetched(tmp_path):
    """NORMAL: a finished job's cluster runs until its result is fetched, then ends SUCCEEDED."""
    flink = flink_on_yarn(tmp_path)
    job_graph = bounded_job("attached", parallelism=1, records=2_000)
    cluster = deploy_job_cluster(flink, job_graph, detached=False)
    app = cluster.application_id
    master = job_master(flink, app, job_graph.job_id)
    assert flink.run_until(lambda: master.status is JobStatus.FINISHED)
    flink.advance(120)
    assert yarn_states(flink, app) == ("RUNNING", "UNDEFINED")
    assert dispatcher_of(flink, app).request_job_status(job_graph.job_id) is JobStatus.FINISHED
    dispatcher_of(flink, app).request_job_result(job_graph.job_id)
    assert run_until_ended(flink, app) == ("FINISHED", "SUCCEEDED")
    assert logged(flink, "Shutting down cluster", app) == [
        "Shutting down cluster because someone retrieved the job result."]


def test_an_attached_job_cluster_serves_a_result_requested_early_and_then_shuts_down(tmp_path):
    """NORMAL: a result request made while the job runs ends the cluster once it is served."""
    flink = flink_on_yarn(tmp_path)
    job_graph = bounded_job("awaited", parallelism=1, records=5_000)
    cluster = deploy_job_cluster(flink, job_graph, detached=False)
    app = cluster.application_id
    assert flink.run_until(lambda: every_task_running(job_master(flink, app, job_graph.job_id)))
    waiting = outcome(dispatcher_of(flink, app).request_job_result(job_graph.job_id))
    assert run_until_ended(flink, app) == ("FINISHED", "SUCCEEDED")
    assert [result.job_status for result in waiting] == [JobStatus.FINISHED]
    assert logged(flink, "Shutting down cluster", app) == [
        "Shutting down cluster because someone retrieved the job result."]


def test_an_attached_job_cluster_of_a_failed_job_ends_failed_once_the_result_is_fetched(tmp_path):
    """NORMAL: a FAILED job's result carries its cause, so fetching it ends the cluster FAILED."""
    flink = flink_on_yarn(tmp_path)
    job_graph = bounded_job("failing", parallelism=1, records=50_000)
    cluster = deploy_job_cluster(flink, job_graph, detached=False)
    app = cluster.application_id
    master = job_master(flink, app, job_graph.job_id)
    assert flink.run_until(lambda: every_task_running(master))
    fail_subtask(flink, master)
    assert flink.run_until(lambda: master.status is JobStatus.FAILED)
    flink.advance(60)
    assert yarn_states(flink, app) == ("RUNNING", "UNDEFINED")
    assert flink.run(cluster.request_job_result(job_graph.job_id)).job_status is JobStatus.FAILED
    assert run_until_ended(flink, app) == ("FINISHED", "FAILED")


def test_cancelling_an_attached_job_ends_its_cluster_at_once_killed(tmp_path):
    """NORMAL, but cancelled: the cluster does not wait for the result and ends CANCELED."""
    flink = flink_on_yarn(tmp_path)
    job_graph = unbounded_job("cancelled", parallelism=1)
    cluster = deploy_job_cluster(flink, job_graph, detached=False)
    app = cluster.application_id
    assert flink.run_until(lambda: every_task_running(job_master(flink, app, job_graph.job_id)))
    dispatcher_of(flink, app).cancel_job(job_graph.job_id)
    assert run_until_ended(flink, app) == ("FINISHED", "KILLED")
    assert logged(flink, "Shutting down cluster", app) == [
        "Shutting down cluster with state CANCELED, jobCancelled: true, executionMode: NORMAL"]
