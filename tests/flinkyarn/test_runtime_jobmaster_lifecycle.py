"""
A job's and its tasks' lifecycles as the JobMaster drives them, end to end on a session cluster:
the JobStatus and ExecutionState sequences of a job that finishes and of one that is cancelled.
"""

from flinkyarn.events import JobStatusChanged, TaskStateChanged
from flinkyarn.states import ApplicationStatus, ExecutionState, JobStatus
from tests.flinkyarn.flink_harness import (
    bounded_job,
    events_of,
    fail_subtask,
    job_transitions,
    session_cluster,
    submit_and_run,
    unbounded_job,
)


def task_histories(flink, app):
    """:return: each subtask's name → ``[(state, time), …]`` from its first state on."""
    histories = {}
    for e in events_of(flink, TaskStateChanged, app):
        history = histories.setdefault(e.task, [(e.from_state.value, None)])
        history.append((e.to_state.value, e.time))
    return histories


def states(history):
    return [state for state, _ in history]


def job_canceled_at(flink, app):
    (time,) = [e.time for e in events_of(flink, JobStatusChanged, app)
               if e.to_state is JobStatus.CANCELED]
    return time


def test_a_finishing_job_goes_through_flinks_job_and_task_states(tmp_path):
    """Tasks go CREATED → … → RUNNING → FINISHED; the job INITIALIZING → … → FINISHED."""
    flink, session = session_cluster(tmp_path)
    app = session.application_id
    job = flink.run(session.submit_job(bounded_job("lifecycle", parallelism=2, records=4_000)))
    result = flink.run(session.request_job_result(job))

    assert result.job_status is JobStatus.FINISHED
    assert result.application_status is ApplicationStatus.SUCCEEDED
    assert job_transitions(flink, app, job) == [
        ("INITIALIZING", "CREATED"), ("CREATED", "RUNNING"), ("RUNNING", "FINISHED")]
    histories = task_histories(flink, app)
    assert len(histories) == 2
    for history in histories.values():
        assert states(history) == ["CREATED", "SCHEDULED", "DEPLOYING", "INITIALIZING", "RUNNING",
                                   "FINISHED"]
        times = dict(history)
        # The simulated deploy (100 ms) and initialisation (200 ms); 2 000 records at 500/s.
        assert times["INITIALIZING"] - times["DEPLOYING"] == 100
        assert times["RUNNING"] - times["INITIALIZING"] == 200
        assert times["FINISHED"] - times["RUNNING"] == 4_000


def test_cancelling_a_running_job_cancels_its_tasks(tmp_path):
    """Cancel: the job goes CANCELLING, every task CANCELING → CANCELED, then the job CANCELED."""
    flink, session = session_cluster(tmp_path)
    app = session.application_id
    job, master = submit_and_run(flink, session, unbounded_job("endless"))
    flink.run(session.cancel(job))
    result = flink.run(session.request_job_result(job))

    assert result.job_status is JobStatus.CANCELED
    assert result.application_status is ApplicationStatus.CANCELED
    assert result.error.exception_class == \
        "org.apache.flink.runtime.client.JobCancellationException"
    assert job_transitions(flink, app, job)[2:] == [("RUNNING", "CANCELLING"),
                                                    ("CANCELLING", "CANCELED")]
    for history in task_histories(flink, app).values():
        assert states(history)[-3:] == ["RUNNING", "CANCELING", "CANCELED"]
    assert {task.execution_state for task in master.graph.execution_vertices()} == {
        ExecutionState.CANCELED}
    assert master.status is JobStatus.CANCELED
    assert flink.job_manager(app).rest.get_job_status(job) == {"status": "CANCELED"}


def test_cancelling_a_restarting_job_cancels_it_for_good(tmp_path):
    """Cancelled while restarting: CANCELLING until the cancelling task is gone; no restart."""
    flink, session = session_cluster(tmp_path, {
        "restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.delay": "10 s",
        "jobmanager.execution.failover-strategy": "full"})
    app = session.application_id
    job, master = submit_and_run(flink, session, unbounded_job("interrupted"))
    fail_subtask(flink, master, 0)
    assert flink.run_until(lambda: master.status is JobStatus.RESTARTING)
    flink.run(session.cancel(job))  # while subtask 2 is still CANCELING for the restart
    assert flink.run(session.request_job_result(job)).job_status is JobStatus.CANCELED
    flink.advance(30)

    assert job_transitions(flink, app, job)[2:] == [
        ("RUNNING", "RESTARTING"), ("RESTARTING", "CANCELLING"), ("CANCELLING", "CANCELED")]
    assert [task.current_execution.attempt_number
            for task in master.graph.execution_vertices()] == [0, 0]
    first, second = task_histories(flink, app).values()
    assert states(first)[-2:] == ["RUNNING", "FAILED"]
    assert states(second)[-3:] == ["RUNNING", "CANCELING", "CANCELED"]
    (cancelling, canceled) = second[-2:]
    assert canceled[1] - cancelling[1] == 10  # when its TaskManager reports it gone
    assert job_canceled_at(flink, app) == canceled[1]
