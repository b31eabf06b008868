"""
Stop-with-savepoint in the runtime (:meth:`JobMaster.stop_with_savepoint`, the Dispatcher's
operation cache, the savepoint storage on HDFS, the tasks' synchronous savepoint), driven as a
client drives it — ``ClusterClient.stop_with_savepoint`` over the REST API — in virtual time, in
session, per-job and application clusters.
"""

import json
import re

import pytest

from flinkyarn.api import StreamExecutionEnvironment
from flinkyarn.client import ApplicationConfiguration
from flinkyarn.client.cluster_client import RemoteFlinkException
from flinkyarn.events import CheckpointCompleted
from flinkyarn.graph.simulation import BoundedSource
from flinkyarn.states import JobStatus
from tests.flinkyarn.flink_harness import (
    bounded_job,
    events_of,
    every_task_running,
    fail_subtask,
    flink_on_yarn,
    job_master,
    job_transitions,
    log_lines,
    run_until_ended,
    session_cluster,
    staging_exists,
    submit_and_run,
    unbounded_job,
    yarn_states,
)
from yarnemu.dfs import path_from_uri

LOCATION = re.compile(r"hdfs:///savepoints/savepoint-(?P<job>[0-9a-f]{6})-[0-9a-f]{12}\Z")


def outcome(flink, deferred, seconds=600):
    """:return: ``("ok", value)`` or ``("error", exception)`` once ``deferred`` fired."""
    result = []
    deferred.addCallbacks(lambda value: result.append(("ok", value)),
                          lambda failure: result.append(("error", failure.value)))
    assert flink.run_until(lambda: result, seconds=seconds)
    return result[0]


def metadata(flink, location):
    return json.loads(flink.yarn.filesystem.read_bytes(path_from_uri(location) + "/_metadata"))


def source_records(master):
    """:return: the records each source subtask produced, by subtask index."""
    source = master.graph.vertices[0]
    return {task.subtask_index: task.current_execution.records_out
            for task in source.task_vertices}


# -- A session ---------------------------------------------------------------------------------

def test_a_job_stopped_with_a_savepoint_finishes_and_leaves_it_on_hdfs(tmp_path):
    """
    The savepoint is a directory ``savepoint-<6 hex of the job id>-<12 hex>`` with its
    ``_metadata`` under the target on HDFS; the sources stop where the savepoint has them, every
    task finishes, and the job is FINISHED (Flink 1.15+); the session goes on.
    """
    flink, session = session_cluster(tmp_path)
    app = session.application_id
    job, master = submit_and_run(flink, session, unbounded_job("endless"))
    flink.advance(4)

    kind, location = outcome(flink, session.stop_with_savepoint(job, "hdfs:///savepoints"))

    assert kind == "ok"
    match = LOCATION.match(location)
    assert match and match.group("job") == str(job)[:6]
    assert master.status is JobStatus.FINISHED
    assert job_transitions(flink, app, job)[-1] == ("RUNNING", "FINISHED")
    assert {e.execution_state.value for e in master.graph.execution_vertices()} == {"FINISHED"}
    saved = metadata(flink, location)
    assert (saved["jobId"], saved["savepointType"]) == (str(job), "Suspend Savepoint")
    assert {entry["subtaskIndex"]: entry["offset"] for entry in saved["sourceOffsets"]} == (
        source_records(master))
    assert all(offset > 0 for offset in source_records(master).values())
    assert log_lines(flink, "Triggering stop-with-savepoint for job") == [
        f"Triggering stop-with-savepoint for job {job}."]
    assert yarn_states(flink, app) == ("RUNNING", "UNDEFINED")


def test_the_savepoint_shows_in_the_jobs_checkpoint_statistics(tmp_path):
    """It is the latest savepoint, a SYNC_SAVEPOINT at its location; periodic checkpoints,
    stopped for it, leave one aborted."""
    flink, session = session_cluster(tmp_path, {"execution.checkpointing.interval": "1 s"})
    job, master = submit_and_run(flink, session, unbounded_job("checked"))
    counts = master.checkpoints.counts
    # Until a periodic checkpoint is in flight, after two completed.
    assert flink.run_until(lambda: counts["completed"] >= 2
                           and counts["triggered"] > counts["completed"] + counts["failed"])

    kind, location = outcome(flink, session.stop_with_savepoint(job, "/savepoints"))

    assert kind == "ok"
    statistics = flink.job_manager(session.application_id).rest.get_job_checkpoints(str(job))
    savepoint = statistics["latest"]["savepoint"]
    assert (savepoint["is_savepoint"], savepoint["checkpoint_type"], savepoint["external_path"],
            savepoint["savepointFormat"]) == (True, "SYNC_SAVEPOINT", location, "CANONICAL")
    assert statistics["latest"]["completed"]["is_savepoint"] is False
    assert statistics["history"][0]["id"] == savepoint["id"]
    assert statistics["counts"]["failed"] == 1
    assert statistics["counts"]["completed"] == statistics["counts"]["total"] - 1
    # The savepoint completes as checkpoints do; none is taken after it.
    assert events_of(flink, CheckpointCompleted)[-1].checkpoint_id == savepoint["id"]


def test_a_relative_target_is_in_the_users_home_and_drain_is_a_terminate_savepoint(tmp_path):
    flink, session = session_cluster(tmp_path)
    job, master = submit_and_run(flink, session, unbounded_job("drained"))

    kind, location = outcome(flink, session.stop_with_savepoint(job, "sp", drain=True))

    assert kind == "ok"
    assert location.startswith("hdfs:///user/flink/sp/savepoint-")
    assert metadata(flink, location)["savepointType"] == "Terminate Savepoint"
    assert master.status is JobStatus.FINISHED


def test_stopping_a_job_that_is_not_running_fails_with_flink_job_not_found(tmp_path):
    """A finished job, and a job the cluster never had: the operation fails (it is accepted
    first, as Flink's Dispatcher accepts it)."""
    flink, session = session_cluster(tmp_path)
    job, master = submit_and_run(flink, session, bounded_job("short", records=2_000))
    assert flink.run_until(lambda: master.status is JobStatus.FINISHED)

    for job_id in (job, "0123456789abcdef0123456789abcdef"):
        kind, error = outcome(flink, session.stop_with_savepoint(job_id, "/savepoints"))
        assert kind == "error" and isinstance(error, RemoteFlinkException)
        assert error.java_class == "org.apache.flink.runtime.messages.FlinkJobNotFoundException"
        assert error.message == f"Could not find Flink job ({job_id})"
    assert not flink.yarn.filesystem.exists("/savepoints")


def test_a_job_whose_tasks_do_not_all_run_yet_cannot_take_the_savepoint(tmp_path):
    """Stopped before its tasks run (no TaskManager yet): the savepoint is refused, the job
    goes on and can be stopped once it runs."""
    flink, session = session_cluster(tmp_path)
    graph = unbounded_job("early")
    job = flink.run(session.submit_job(graph))

    kind, error = outcome(flink, session.stop_with_savepoint(job, "/savepoints"))

    assert kind == "error"
    assert (error.java_class, error.message) == (
        "org.apache.flink.runtime.checkpoint.CheckpointException",
        "Not all required tasks are currently running.")
    master = job_master(flink, session.application_id, job)
    assert flink.run_until(lambda: every_task_running(master))
    assert outcome(flink, session.stop_with_savepoint(job, "/savepoints"))[0] == "ok"


def test_a_batch_job_cannot_be_stopped_with_a_savepoint(tmp_path):
    flink, session = session_cluster(tmp_path)
    env = StreamExecutionEnvironment({"execution.runtime-mode": "BATCH"})
    env.from_source(BoundedSource(1_000_000, 1_000)).print()
    job, master = submit_and_run(flink, session, env.get_job_graph("batch"))

    kind, error = outcome(flink, session.stop_with_savepoint(job, "/savepoints"))

    assert kind == "error"
    assert (error.java_class, error.message) == (
        "java.lang.IllegalStateException", f"Job {job} is not a streaming job.")
    assert master.status is JobStatus.RUNNING


def test_a_target_off_hdfs_fails_the_savepoint_and_the_job_runs_on(tmp_path):
    """``file:`` is not a file system of the emulated cluster: the savepoint cannot be
    initialized, periodic checkpoints resume, the job keeps running."""
    flink, session = session_cluster(tmp_path, {"execution.checkpointing.interval": "1 s"})
    job, master = submit_and_run(flink, session, unbounded_job("kept"))

    kind, error = outcome(flink, session.stop_with_savepoint(job, "file:///tmp/savepoints"))

    assert kind == "error"
    assert error.java_class == "org.apache.flink.runtime.checkpoint.CheckpointException"
    assert error.message.startswith("An Exception occurred while triggering the checkpoint. "
                                    "IO-problem detected.\nCaused by: org.apache.flink.core.fs."
                                    "UnsupportedFileSystemSchemeException: Could not find a file "
                                    "system implementation for scheme 'file'.")
    completed = master.checkpoints.counts["completed"]
    flink.advance(5)
    assert master.status is JobStatus.RUNNING
    assert master.checkpoints.counts["completed"] > completed


def test_a_file_in_the_way_fails_the_savepoint(tmp_path):
    flink, session = session_cluster(tmp_path)
    flink.yarn.filesystem.create("/taken", b"x", "flink")
    job, master = submit_and_run(flink, session, unbounded_job("blocked"))

    kind, error = outcome(flink, session.stop_with_savepoint(job, "/taken"))

    assert kind == "error"
    assert "Caused by: java.io.IOException: Failed to create savepoint directory at /taken" in (
        error.message)
    assert master.status is JobStatus.RUNNING


def test_a_failover_during_the_savepoint_aborts_it_and_the_sources_carry_on(tmp_path):
    """
    A task fails while the savepoint is pending: the savepoint is aborted, the operation fails,
    and the job restarts; the other region's source, stopped for the savepoint, resumes and
    produces all of its records.
    """
    flink, session = session_cluster(tmp_path, {
        "restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.attempts": "3",
        "flinkyarn.simulation.checkpoint.duration": "2 s"})
    job, master = submit_and_run(flink, session, bounded_job("regions", parallelism=2,
                                                             records=20_000, rate=1_000))
    stopping = session.stop_with_savepoint(job, "/savepoints")
    flink.advance(0.5)
    before = source_records(master)
    flink.advance(0.5)
    assert source_records(master) == before  # the sources stopped for the savepoint
    fail_subtask(flink, master, 0)

    kind, error = outcome(flink, stopping)

    assert kind == "error"
    assert (error.java_class, error.message) == (
        "org.apache.flink.runtime.checkpoint.CheckpointException", "FailoverRegion is restarting.")
    assert flink.run_until(lambda: master.status is JobStatus.FINISHED)
    assert master.restarts == 1
    assert source_records(master)[1] == 10_000


def test_a_second_stop_while_one_is_in_progress_fails(tmp_path):
    flink, session = session_cluster(tmp_path)
    job, master = submit_and_run(flink, session, unbounded_job("twice"))
    first = session.stop_with_savepoint(job, "/savepoints")
    second = session.stop_with_savepoint(job, "/savepoints")

    assert outcome(flink, second)[0] == "error"
    assert outcome(flink, first)[0] == "ok"
    assert master.status is JobStatus.FINISHED


def test_cancelling_during_the_stop_fails_it_and_the_job_ends_canceled(tmp_path):
    flink, session = session_cluster(tmp_path, {"flinkyarn.simulation.checkpoint.duration": "2 s"})
    job, master = submit_and_run(flink, session, unbounded_job("cancelled"))
    stopping = session.stop_with_savepoint(job, "/savepoints")
    flink.advance(0.5)
    flink.run(session.cancel(job))

    kind, error = outcome(flink, stopping)

    assert kind == "error"
    assert error.message == "Checkpoint Coordinator is suspending."
    assert flink.run_until(lambda: master.status is JobStatus.CANCELED)


# -- The operation cache -------------------------------------------------------------------------

def test_the_same_trigger_id_is_one_operation_and_an_unknown_one_is_not_found(tmp_path):
    flink, session = session_cluster(tmp_path)
    app = session.application_id
    job, master = submit_and_run(flink, session, unbounded_job("once"))
    rest = flink.job_manager(app).rest
    trigger = "00000000000000000000000000000abc"

    assert rest.stop_with_savepoint(str(job), "/savepoints", False, None, trigger) == {
        "request-id": trigger}
    assert rest.stop_with_savepoint(str(job), "/other", False, None, trigger) == {
        "request-id": trigger}
    assert rest.get_savepoint_status(str(job), trigger) == {"status": {"id": "IN_PROGRESS"}}
    assert flink.run_until(lambda: master.status is JobStatus.FINISHED)
    status = rest.get_savepoint_status(str(job), trigger)
    assert status["status"] == {"id": "COMPLETED"}
    assert status["operation"]["location"].startswith("hdfs:///savepoints/")
    assert not flink.yarn.filesystem.exists("/other")
    with pytest.raises(Exception) as raised:
        rest.get_savepoint_status(str(job), "f" * 32)
    assert (raised.value.status, raised.value.message) == (
        404, f"There is no savepoint operation with triggerId={'f' * 32} for job {job}.")


def test_results_are_evicted_after_the_store_duration(tmp_path):
    flink, session = session_cluster(tmp_path, {"rest.async.store-duration": "30 s"})
    job, master = submit_and_run(flink, session, unbounded_job("evicted"))
    rest = flink.job_manager(session.application_id).rest
    trigger = rest.stop_with_savepoint(str(job), "/savepoints")["request-id"]
    assert flink.run_until(lambda: master.status is JobStatus.FINISHED)
    flink.advance(31)
    with pytest.raises(Exception) as raised:
        rest.get_savepoint_status(str(job), trigger)
    assert raised.value.status == 404


# -- Per-job and application clusters ------------------------------------------------------------

def test_a_per_job_cluster_ends_succeeded_once_the_client_has_the_savepoint(tmp_path):
    """
    The job FINISHES and the detached per-job cluster shuts down SUCCEEDED — but only after the
    savepoint's result was read, so that ``flink stop`` gets its path.
    """
    flink = flink_on_yarn(tmp_path)
    graph = unbounded_job("per-job endless")
    cluster = flink.run(flink.descriptor().deploy_job_cluster(flink.specification(), graph,
                                                              True))
    app = cluster.application_id
    assert flink.run_until(lambda: flink.job_manager(app) is not None
                           and flink.job_manager(app).dispatcher.jobs
                           and all(e.state.value == "RUNNING" for e in flink.job_manager(app)
                                   .dispatcher.request_job(graph.job_id).graph
                                   .current_executions()))
    rest = flink.job_manager(app).rest
    trigger = rest.stop_with_savepoint(str(graph.job_id), "/savepoints")["request-id"]
    master = flink.job_manager(app).dispatcher.request_job(graph.job_id)
    assert flink.run_until(lambda: master.status is JobStatus.FINISHED)
    flink.advance(60)
    assert yarn_states(flink, app) == ("RUNNING", "UNDEFINED")  # waiting for the result

    status = rest.get_savepoint_status(str(graph.job_id), trigger)

    assert LOCATION.match(status["operation"]["location"])
    assert run_until_ended(flink, app) == ("FINISHED", "SUCCEEDED")
    assert not staging_exists(flink, app)


def test_an_application_cluster_ends_succeeded_after_stop_with_savepoint(tmp_path):
    flink = flink_on_yarn(tmp_path)
    flink.config = flink.config.with_values({"execution.target": "yarn-application"})
    cluster = flink.run(flink.descriptor().deploy_application_cluster(
        flink.specification(), ApplicationConfiguration("streaming-window", ())))
    app = cluster.application_id
    assert flink.run_until(lambda: flink.job_manager(app) is not None
                           and flink.job_manager(app).dispatcher.jobs)
    (job,) = flink.job_manager(app).dispatcher.jobs
    master = flink.job_manager(app).dispatcher.request_job(job)
    assert flink.run_until(lambda: master.status is JobStatus.RUNNING and all(
        e.state.value == "RUNNING" for e in master.graph.current_executions()))

    kind, location = outcome(flink, cluster.stop_with_savepoint(job, "/savepoints"))

    assert kind == "ok" and LOCATION.match(location)
    assert run_until_ended(flink, app) == ("FINISHED", "SUCCEEDED")
    assert flink.yarn.filesystem.exists(path_from_uri(location) + "/_metadata")
