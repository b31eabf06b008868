"""
The JobMaster's failover strategies, end to end on a session cluster: which tasks a failure
restarts (``jobmanager.execution.failover-strategy``: the failed pipelined region, or all), what
the job's status does meanwhile, and how failures are counted — as Flink's ``DefaultScheduler``
does it (``restartTasksWithDelay``: the job goes RESTARTING until the restarted tasks are
scheduled again, whichever the strategy).
"""

from flinkyarn.api import StreamExecutionEnvironment
from flinkyarn.events import JobRestarting, TaskStateChanged
from flinkyarn.graph.simulation import UnboundedSource
from flinkyarn.states import ExecutionState, JobStatus
from tests.flinkyarn.flink_harness import (
    every_task_running,
    events_of,
    fail_subtask,
    job_transitions,
    log_lines,
    num_restarts,
    session_cluster,
    submit_and_run,
    task_manager_containers,
    unbounded_job,
)

_S = ExecutionState
_UP = ["SCHEDULED", "DEPLOYING", "INITIALIZING", "RUNNING"]
"""An attempt's way from CREATED to RUNNING."""


def fixed_delay(attempts, delay="1 s", **more):
    return {"restart-strategy.type": "fixed-delay",
            "restart-strategy.fixed-delay.attempts": str(attempts),
            "restart-strategy.fixed-delay.delay": delay, **more}


def one_region_job(name):
    """:return: source (2) → rebalance → map (2) → print: one pipelined region of 4 tasks."""
    env = StreamExecutionEnvironment()
    env.set_parallelism(2)
    env.from_source(UnboundedSource(1_000)).rebalance().map(lambda x: x).print()
    return env.get_job_graph(name)


def attempts(master):
    """:return: each subtask's name → the number of its current attempt."""
    return {task.task_name_with_subtask_index: task.current_execution.attempt_number
            for task in master.graph.execution_vertices()}


def states_of(flink, app, task):
    """:return: the states one subtask went through, over all its attempts, in order."""
    changes = [e for e in events_of(flink, TaskStateChanged, app) if e.task == task]
    return [changes[0].from_state.value] + [e.to_state.value for e in changes]


def recover(flink, master):
    """Drive time until the failure is seen and every task runs again."""
    assert flink.run_until(lambda: not every_task_running(master))
    assert flink.run_until(lambda: every_task_running(master))


def test_region_failover_restarts_only_the_failed_region(tmp_path):
    """region: a failure restarts its own region; the job is RESTARTING until it is rescheduled."""
    flink, session = session_cluster(tmp_path, fixed_delay(3))
    app = session.application_id
    job, master = submit_and_run(flink, session, unbounded_job("regions"))
    (first, second) = [task.task_name_with_subtask_index
                       for task in master.graph.execution_vertices()]
    failed = master.graph.execution_vertices()[0].current_execution.attempt_id
    fail_subtask(flink, master, 0)
    recover(flink, master)

    assert attempts(master) == {first: 1, second: 0}
    assert states_of(flink, app, first) == ["CREATED", *_UP, "FAILED", *_UP]
    assert states_of(flink, app, second) == ["CREATED", *_UP]  # untouched
    assert job_transitions(flink, app) == [
        ("INITIALIZING", "CREATED"), ("CREATED", "RUNNING"), ("RUNNING", "RESTARTING"),
        ("RESTARTING", "RUNNING")]
    assert log_lines(flink, "tasks will be restarted") == [
        f"1 tasks will be restarted to recover the failed task {failed}."]
    assert num_restarts(flink, session, job) == 1


def test_full_failover_restarts_every_task_after_the_delay_from_the_failure(tmp_path):
    """full: every task is cancelled and restarts; the delay runs from the failure, not after."""
    flink, session = session_cluster(
        tmp_path, fixed_delay(3, "2 s", **{"jobmanager.execution.failover-strategy": "full"}))
    app = session.application_id
    job, master = submit_and_run(flink, session, unbounded_job("everything"))
    (first, second) = [task.task_name_with_subtask_index
                       for task in master.graph.execution_vertices()]
    fail_subtask(flink, master, 0)
    recover(flink, master)

    assert attempts(master) == {first: 1, second: 1}
    assert states_of(flink, app, first) == ["CREATED", *_UP, "FAILED", *_UP]
    assert states_of(flink, app, second) == ["CREATED", *_UP, "CANCELING", "CANCELED", *_UP]
    changes = events_of(flink, TaskStateChanged, app)
    (failed_at,) = [e.time for e in changes if e.to_state is _S.FAILED]
    rescheduled = [e.time for e in changes
                   if e.to_state is _S.SCHEDULED and e.execution_attempt_id.attempt_number == 1]
    assert rescheduled == [failed_at + 2000, failed_at + 2000]
    assert job_transitions(flink, app)[2:] == [("RUNNING", "RESTARTING"), ("RESTARTING", "RUNNING")]
    assert len(log_lines(flink, "2 tasks will be restarted to recover the failed task")) == 1


def test_failures_inside_a_region_already_restarting_count_as_one_restart(tmp_path):
    """Two subtasks of one region fail at once: one restart (the second is already cancelling)."""
    flink, session = session_cluster(tmp_path, fixed_delay(1))
    job, master = submit_and_run(flink, session, one_region_job("one-region"))
    fail_subtask(flink, master, 0)
    fail_subtask(flink, master, 1)
    recover(flink, master)

    assert set(attempts(master).values()) == {1}
    assert [e.restarts for e in events_of(flink, JobRestarting)] == [1]
    assert master.status is JobStatus.RUNNING
    assert num_restarts(flink, session, job) == 1


def test_failures_of_two_regions_are_two_restarts(tmp_path):
    """Two regions fail at once: each failure is a restart of its own (fixed-delay counts both)."""
    flink, session = session_cluster(tmp_path, fixed_delay(1))
    job, master = submit_and_run(flink, session, unbounded_job("two-regions"))
    fail_subtask(flink, master, 0)
    fail_subtask(flink, master, 1)

    result = flink.run(session.request_job_result(job))
    assert result.job_status is JobStatus.FAILED
    assert result.error.message.startswith(
        "Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy("
        "maxNumberRestartAttempts=1, backoffTimeMS=1000)")
    assert [e.restarts for e in events_of(flink, JobRestarting)] == [1]


def test_a_lost_task_manager_restarts_the_regions_it_ran(tmp_path):
    """A killed TaskManager fails the region it ran, which restarts elsewhere; the other stays."""
    flink, session = session_cluster(tmp_path, fixed_delay(3))
    app = session.application_id
    job, master = submit_and_run(flink, session, unbounded_job("lost"))
    (first, second) = master.graph.execution_vertices()
    victim = str(first.current_execution.assigned_resource)
    flink.kill_container(next(c.container_id for c in task_manager_containers(flink, app)
                              if str(c.container_id) == victim))
    recover(flink, master)

    assert attempts(master) == {first.task_name_with_subtask_index: 1,
                                second.task_name_with_subtask_index: 0}
    assert str(first.current_execution.assigned_resource) != victim
    assert [e.restarts for e in events_of(flink, JobRestarting)] == [1]
    assert master.status is JobStatus.RUNNING
