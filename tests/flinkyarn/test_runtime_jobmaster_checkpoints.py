"""
The JobMaster's CheckpointCoordinator, end to end on a session cluster: periodic checkpoints
(``execution.checkpointing.interval``), the REST ``/jobs/{id}/checkpoints`` counts, and a restart
restoring the latest completed checkpoint, so that a source resumes from its offset.
"""

from flinkyarn.api import StreamExecutionEnvironment
from flinkyarn.events import CheckpointCompleted, TaskStateChanged
from flinkyarn.graph.simulation import BoundedSource
from flinkyarn.states import ExecutionState, JobStatus
from tests.flinkyarn.flink_harness import (
    bounded_job,
    events_of,
    fail_subtask,
    log_lines,
    session_cluster,
    submit_and_run,
    unbounded_job,
)

_RESTARTS = {"restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.delay": "1 s"}


def short_and_long_sources_job(name):
    """:return: sources ``short`` (2 s) and ``long`` (20 s) → union → map → print (a region)."""
    env = StreamExecutionEnvironment()
    env.set_parallelism(1)
    short = env.from_source(BoundedSource(1_000, 500), source_name="short")
    long = env.from_source(BoundedSource(10_000, 500), source_name="long")
    short.union(long).map(lambda x: x).print()
    return env.get_job_graph(name)


def checkpoint_counts(flink, app, job):
    return flink.job_manager(app).rest.get_job_checkpoints(job)["counts"]


def state_times(flink, app, subtask, state, task_prefix=""):
    """:return: when subtask ``subtask`` (of the vertex whose name starts with ``task_prefix``)
    entered ``state``, attempt after attempt."""
    return [e.time for e in events_of(flink, TaskStateChanged, app)
            if e.execution_attempt_id.subtask_index == subtask and e.to_state is state
            and e.task.startswith(task_prefix)]


def test_checkpoints_complete_periodically_at_the_interval(tmp_path):
    """interval 1 s: checkpoints 1, 2, … are triggered 1000 ms apart, acknowledged by all tasks."""
    flink, session = session_cluster(tmp_path, {"execution.checkpointing.interval": "1 s"})
    app = session.application_id
    job, master = submit_and_run(flink, session, unbounded_job("periodic"))
    assert flink.run_until(lambda: len(events_of(flink, CheckpointCompleted, app)) == 5)

    completed = events_of(flink, CheckpointCompleted, app)
    assert [e.checkpoint_id for e in completed] == [1, 2, 3, 4, 5]
    assert [e.duration_ms for e in completed] == [100] * 5  # the simulated checkpoint time
    triggered = [e.time - e.duration_ms for e in completed]
    assert [later - earlier for earlier, later in zip(triggered, triggered[1:])] == [1000] * 4
    checkpoints = flink.job_manager(app).rest.get_job_checkpoints(job)
    assert checkpoints["counts"] == {"restored": 0, "total": 5, "in_progress": 0,
                                     "completed": 5, "failed": 0}
    latest = checkpoints["latest"]["completed"]
    assert (latest["id"], latest["trigger_timestamp"], latest["num_subtasks"],
            latest["num_acknowledged_subtasks"]) == (5, triggered[-1], 2, 2)
    assert master.status is JobStatus.RUNNING


def test_without_an_interval_no_checkpoint_is_taken(tmp_path):
    """No ``execution.checkpointing.interval``: checkpointing is disabled."""
    flink, session = session_cluster(tmp_path)
    job, master = submit_and_run(flink, session, unbounded_job("unchecked"))
    flink.advance(30)

    assert master.checkpoints is None
    assert events_of(flink, CheckpointCompleted) == []
    assert checkpoint_counts(flink, session.application_id, job) == {
        "restored": 0, "total": 0, "in_progress": 0, "completed": 0, "failed": 0}


def test_a_restart_restores_the_latest_completed_checkpoint(tmp_path):
    """A failure during checkpoint 4 aborts it; the source restarts from checkpoint 3's offset."""
    flink, session = session_cluster(
        tmp_path, {"execution.checkpointing.interval": "2 s", **_RESTARTS})
    app = session.application_id
    # Each of the two source subtasks produces 10 000 records at 500 records/s: 20 s.
    job, master = submit_and_run(flink, session, bounded_job("resumed", parallelism=2,
                                                             records=20_000, rate=1_000))
    assert flink.run_until(lambda: checkpoint_counts(flink, app, job)["in_progress"] == 1
                           and checkpoint_counts(flink, app, job)["completed"] == 3)
    fail_subtask(flink, master, 0)

    assert flink.run(session.request_job_result(job)).job_status is JobStatus.FINISHED
    third = events_of(flink, CheckpointCompleted, app)[2]
    third_triggered = third.time - third.duration_ms
    (first_run, second_run) = state_times(flink, app, 0, ExecutionState.RUNNING)
    (finished,) = state_times(flink, app, 0, ExecutionState.FINISHED)
    offset = (third_triggered - first_run) * 500 // 1000  # what checkpoint 3 recorded
    assert 0 < offset < 10_000
    assert finished - second_run == (10_000 - offset) * 2  # the rest, at 500 records/s
    assert finished - second_run < 20_000  # sooner than from scratch
    assert log_lines(flink, "Restoring job") == [
        f"Restoring job {job} from Checkpoint 3 @ {third_triggered} for {job} located at "
        "<checkpoint-not-externally-addressable>."]
    checkpoints = flink.job_manager(app).rest.get_job_checkpoints(job)
    assert checkpoints["counts"]["restored"] == 1
    assert checkpoints["counts"]["failed"] == 1  # checkpoint 4, aborted by the failover
    assert checkpoints["latest"]["restored"]["id"] == 3


def test_a_source_finished_before_the_checkpoint_stays_finished_after_a_restore(tmp_path):
    """A source that had finished when the restored checkpoint was taken does not read again."""
    flink, session = session_cluster(
        tmp_path, {"execution.checkpointing.interval": "1 s", **_RESTARTS})
    app = session.application_id
    job, master = submit_and_run(flink, session, short_and_long_sources_job("finished-source"))
    def short_done():
        return state_times(flink, app, 0, ExecutionState.FINISHED, "Source: short")

    assert flink.run_until(short_done)
    flink.advance(2.5)  # two more checkpoints, taken with the short source FINISHED
    fail_subtask(flink, master, vertex_name="Source: long")

    assert flink.run(session.request_job_result(job)).job_status is JobStatus.FINISHED
    (_, short_rerun) = state_times(flink, app, 0, ExecutionState.RUNNING, "Source: short")
    (_, short_refinished) = short_done()
    assert short_refinished == short_rerun  # nothing left to read
    restored = [e for e in events_of(flink, CheckpointCompleted, app)
                if e.time < short_refinished][-1]
    (long_run, long_rerun) = state_times(flink, app, 0, ExecutionState.RUNNING, "Source: long")
    (long_finished,) = state_times(flink, app, 0, ExecutionState.FINISHED, "Source: long")
    offset = (restored.time - restored.duration_ms - long_run) * 500 // 1000
    assert long_finished - long_rerun == (10_000 - offset) * 2
