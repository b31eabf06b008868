"""
The REST views of jobs (``flinkyarn.runtime.rest.job_views``), read through the REST endpoint of a
running session: job timings, the exception history and its limit, checkpoint statistics and the
job configuration, as Flink's handlers compute them.
"""

import pytest

from flinkyarn.runtime.rest.job_views import MAX_EXCEPTIONS, stats_summary
from flinkyarn.states import ExecutionState, JobStatus
from tests.flinkyarn.flink_harness import (
    bounded_job,
    every_task_running,
    fail_subtask,
    session_cluster,
    submit_and_run,
)

RESTARTING = {"restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.attempts": "5",
              "restart-strategy.fixed-delay.delay": "1 s"}


def rest_of(flink, session):
    return flink.job_manager(session.application_id).rest


def test_job_details_time_a_running_job_from_initializing_and_a_finished_one_to_its_end(tmp_path):
    """start-time is the INITIALIZING time; end-time -1 and duration now - start while running."""
    flink, session = session_cluster(tmp_path)
    job_id, master = submit_and_run(flink, session, bounded_job("timed", parallelism=1,
                                                                records=5_000))
    rest = rest_of(flink, session)
    details = rest.get_job(str(job_id))
    initializing = master.graph.state_timestamp(JobStatus.INITIALIZING)
    assert (details["start-time"], details["end-time"], details["duration"]) == (
        initializing, -1, details["now"] - initializing)
    flink.run(session.request_job_result(job_id))
    details = rest.get_job(str(job_id))
    finished = master.graph.state_timestamp(JobStatus.FINISHED)
    assert (details["start-time"], details["end-time"], details["duration"]) == (
        initializing, finished, finished - initializing)


def test_last_modification_is_the_latest_state_change_of_any_task(tmp_path):
    """last-modification is the latest task state change, and the job's end once it ended."""
    flink, session = session_cluster(tmp_path)
    job_id, master = submit_and_run(flink, session, bounded_job("touched", parallelism=2,
                                                                records=5_000))
    rest = rest_of(flink, session)
    (job,) = rest.get_jobs_overview()["jobs"]
    tasks_running = max(execution.state_timestamp(ExecutionState.RUNNING)
                        for execution in master.graph.current_executions())
    assert tasks_running > master.graph.state_timestamp(JobStatus.RUNNING)
    assert job["last-modification"] == tasks_running
    flink.run(session.request_job_result(job_id))
    (job,) = rest.get_jobs_overview()["jobs"]
    assert job["last-modification"] == job["end-time"] == master.graph.state_timestamp(
        JobStatus.FINISHED)
    assert (job["tasks"]["total"], job["tasks"]["finished"]) == (2, 2)


def test_the_exception_history_is_newest_first_and_cut_at_max_exceptions(tmp_path):
    """Two task failures: both listed newest first by default; ``maxExceptions=1`` keeps one."""
    flink, session = session_cluster(tmp_path, flink_config=RESTARTING)
    job_id, master = submit_and_run(flink, session, bounded_job("twice", parallelism=1,
                                                                records=50_000))
    rest = rest_of(flink, session)
    fail_subtask(flink, master, message="first")
    assert flink.run_until(lambda: master.restarts == 1 and every_task_running(master))
    fail_subtask(flink, master, message="second")
    assert flink.run_until(lambda: len(rest.get_job_exceptions(str(job_id))[
        "exceptionHistory"]["entries"]) == 2)

    history = rest.get_job_exceptions(str(job_id))["exceptionHistory"]
    assert [entry["stacktrace"] for entry in history["entries"]] == [
        "org.apache.flink.util.FlinkRuntimeException: second",
        "org.apache.flink.util.FlinkRuntimeException: first"]
    assert history["truncated"] is False
    limited = rest.get_job_exceptions(str(job_id), max_exceptions=1)["exceptionHistory"]
    assert ([entry["stacktrace"] for entry in limited["entries"]], limited["truncated"]) == (
        ["org.apache.flink.util.FlinkRuntimeException: second"], True)
    assert MAX_EXCEPTIONS == 20


def test_a_failed_job_lists_its_failed_subtask_among_all_exceptions(tmp_path):
    """A failed job's root exception is its cause; all-exceptions has the failed subtask."""
    flink, session = session_cluster(tmp_path)
    job_id, master = submit_and_run(flink, session, bounded_job("broken", parallelism=2,
                                                                records=50_000))
    execution = next(e for e in master.graph.current_executions()
                     if e.vertex.subtask_index == 1)
    fail_subtask(flink, master, subtask=1, message="kaputt")
    flink.run(session.request_job_result(job_id))

    exceptions = rest_of(flink, session).get_job_exceptions(str(job_id))
    (task_manager,) = [tm for tm in flink.task_managers(session.application_id)
                       if str(tm.container_id) == str(execution.assigned_resource)]
    assert exceptions["root-exception"] == (
        "org.apache.flink.runtime.JobException: Recovery is suppressed by "
        "NoRestartBackoffTimeStrategy\nCaused by: org.apache.flink.util.FlinkRuntimeException: "
        "kaputt")
    assert exceptions["all-exceptions"] == [{
        "exception": "org.apache.flink.util.FlinkRuntimeException: kaputt",
        "task": execution.task_name_with_subtask_index,
        "location": f"{task_manager.host}:{task_manager.task_executor.registration.data_port}",
        "timestamp": execution.state_timestamp(ExecutionState.FAILED),
        "taskManagerId": str(execution.assigned_resource),
    }]
    assert exceptions["truncated"] is False


def test_checkpoint_statistics_show_the_retained_checkpoints_newest_first(tmp_path):
    """Checkpoint statistics count all, list the retained newest first and summarise them."""
    flink, session = session_cluster(tmp_path, flink_config={
        "execution.checkpointing.interval": "1 s", "state.checkpoints.num-retained": "3"})
    job_id, _ = submit_and_run(flink, session, bounded_job("checkpointed", parallelism=2,
                                                           records=30_000))
    rest = rest_of(flink, session)
    assert flink.run_until(lambda: rest.get_job_checkpoints(str(job_id))["counts"][
        "completed"] == 4)

    statistics = rest.get_job_checkpoints(str(job_id))
    assert statistics["counts"] == {"restored": 0, "total": 4, "in_progress": 0, "completed": 4,
                                    "failed": 0}
    history = statistics["history"]
    assert [(entry["id"], entry["className"], entry["status"], entry["num_subtasks"],
             entry["num_acknowledged_subtasks"]) for entry in history] == [
        (4, "completed", "COMPLETED", 2, 2), (3, "completed", "COMPLETED", 2, 2),
        (2, "completed", "COMPLETED", 2, 2)]
    assert statistics["latest"]["completed"] == history[0]
    durations = [entry["end_to_end_duration"] for entry in history]
    assert all(entry["end_to_end_duration"] == entry["latest_ack_timestamp"]
               - entry["trigger_timestamp"] for entry in history)
    assert statistics["summary"]["end_to_end_duration"] == stats_summary(durations)
    assert statistics["summary"]["state_size"] == stats_summary([0, 0, 0])


def test_a_restart_restores_the_latest_completed_checkpoint(tmp_path):
    """After a task failure the job restores its latest checkpoint; the statistics say which."""
    flink, session = session_cluster(tmp_path, flink_config={
        **RESTARTING, "execution.checkpointing.interval": "1 s"})
    job_id, master = submit_and_run(flink, session, bounded_job("restored", parallelism=1,
                                                                records=50_000))
    rest = rest_of(flink, session)
    assert flink.run_until(lambda: rest.get_job_checkpoints(str(job_id))["counts"][
        "completed"] == 2)
    fail_subtask(flink, master)
    assert flink.run_until(lambda: master.restarts == 1 and every_task_running(master))

    statistics = rest.get_job_checkpoints(str(job_id))
    assert statistics["counts"]["restored"] == 1
    assert statistics["latest"]["restored"] == {
        "id": 2, "restore_timestamp": 0, "is_savepoint": False,
        "external_path": "<checkpoint-not-externally-addressable>"}


def test_no_checkpoints_make_an_all_zero_summary():
    """A summary of nothing is zeros (Flink's NaN quantiles become 0.0, keeping numbers)."""
    assert stats_summary([]) == {"min": 0, "max": 0, "avg": 0, "p50": 0.0, "p90": 0.0,
                                 "p95": 0.0, "p99": 0.0, "p999": 0.0}


@pytest.mark.parametrize("values, expected", [
    ([100, 200, 300, 400], {"min": 100, "max": 400, "avg": 250, "p50": 250.0, "p90": 400.0,
                            "p95": 400.0, "p99": 400.0, "p999": 400.0}),
    ([7, 1, 2], {"min": 1, "max": 7, "avg": 3, "p50": 2.0, "p90": 7.0, "p95": 7.0, "p99": 7.0,
                 "p999": 7.0}),
    ([5] * 20, {"min": 5, "max": 5, "avg": 5, "p50": 5.0, "p90": 5.0, "p95": 5.0, "p99": 5.0,
                "p999": 5.0}),
])
def test_a_summary_has_integer_average_and_commons_math_legacy_quantiles(values, expected):
    """Minimum, maximum, integer average and quantiles interpolated at p * (n + 1)."""
    assert stats_summary(values) == expected


def test_the_job_configuration_names_the_cluster_default_restart_strategy(tmp_path):
    """The job configuration names the cluster default restart strategy, under both names."""
    flink, session = session_cluster(tmp_path, flink_config=RESTARTING)
    job_graph = bounded_job("configured", parallelism=2, records=1_000)
    job_id = flink.run(session.submit_job(job_graph))
    config = rest_of(flink, session).get_job_config(str(job_id))
    assert config["executionConfigInfo"] == {
        "execution-mode": "PIPELINED",
        "restart-strategy": "Cluster level default restart strategy",
        "job-parallelism": 2,
        "object-reuse-mode": False,
        "user-config": {},
    }
    assert (config["jobId"], config["jobName"]) == (str(job_id), "configured")
    assert (config["jid"], config["name"], config["execution-config"]) == (
        config["jobId"], config["jobName"], config["executionConfigInfo"])
