"""
The JobMaster's restart strategies, end to end on a session cluster: whether a failed job
restarts, after how long (in virtual time) and how often, as Flink's
``RestartBackoffTimeStrategy`` implementations decide it, and ``numRestarts`` over REST.
"""

import pytest

from flinkyarn.events import JobRestarting, TaskStateChanged
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
    unbounded_job,
)

_CAUSE = "org.apache.flink.util.FlinkRuntimeException: Simulated task failure"


def fail_and_wait(flink, master):
    """Fail subtask 0 once every task runs; drive time until it runs again or the job ended."""
    assert flink.run_until(lambda: every_task_running(master))
    fail_subtask(flink, master)
    assert flink.run_until(lambda: not every_task_running(master))
    assert flink.run_until(lambda: every_task_running(master) or master.status.is_globally_terminal)


def restart_delays(flink, app):
    """:return: for each restart of subtask 0, ms from its attempt FAILED to the next SCHEDULED."""
    changes = [e for e in events_of(flink, TaskStateChanged, app)
               if e.execution_attempt_id.subtask_index == 0]
    failed = {e.execution_attempt_id.attempt_number: e.time
              for e in changes if e.to_state is ExecutionState.FAILED}
    scheduled = {e.execution_attempt_id.attempt_number: e.time
                 for e in changes if e.to_state is ExecutionState.SCHEDULED}
    return [scheduled[attempt + 1] - failed[attempt]
            for attempt in sorted(failed) if attempt + 1 in scheduled]


@pytest.mark.parametrize("config", [{"restart-strategy.type": "none"}, {}],
                         ids=["none", "default-without-checkpointing"])
def test_without_a_restart_strategy_the_first_failure_fails_the_job(tmp_path, config):
    """No restarts (``none``, or no strategy and no checkpointing): a task failure fails the job."""
    flink, session = session_cluster(tmp_path, config)
    job, master = submit_and_run(flink, session, unbounded_job("fragile"))
    fail_subtask(flink, master)

    result = flink.run(session.request_job_result(job))
    assert result.job_status is JobStatus.FAILED
    assert result.error.exception_class == "org.apache.flink.runtime.JobException"
    assert result.error.message == (
        f"Recovery is suppressed by NoRestartBackoffTimeStrategy\nCaused by: {_CAUSE}")
    assert job_transitions(flink, session.application_id) == [
        ("INITIALIZING", "CREATED"), ("CREATED", "RUNNING"), ("RUNNING", "FAILING"),
        ("FAILING", "FAILED")]
    assert events_of(flink, JobRestarting) == []
    assert num_restarts(flink, session, job) == 0


def test_fixed_delay_restarts_exactly_its_attempts_after_its_delay_then_fails(tmp_path):
    """fixed-delay (2 attempts, 5 s): two restarts, each 5 s after the failure; the third fails."""
    flink, session = session_cluster(tmp_path, {
        "restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.attempts": "2",
        "restart-strategy.fixed-delay.delay": "5 s"})
    app = session.application_id
    job, master = submit_and_run(flink, session, unbounded_job("flaky"))
    for _ in range(3):
        fail_and_wait(flink, master)

    assert [(e.restarts, e.delay_ms) for e in events_of(flink, JobRestarting, app)] == [
        (1, 5000), (2, 5000)]
    assert restart_delays(flink, app) == [5000, 5000]
    result = flink.run(session.request_job_result(job))
    assert result.job_status is JobStatus.FAILED
    assert result.error.message == (
        "Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy("
        f"maxNumberRestartAttempts=2, backoffTimeMS=5000)\nCaused by: {_CAUSE}")
    assert num_restarts(flink, session, job) == 2


def test_exponential_delay_grows_by_its_multiplier_up_to_its_maximum(tmp_path):
    """exponential-delay (1 s, ×2, max 4 s, no jitter): the delays are 1, 2, 4 and 4 s."""
    flink, session = session_cluster(tmp_path, {
        "restart-strategy.type": "exponential-delay",
        "restart-strategy.exponential-delay.initial-backoff": "1 s",
        "restart-strategy.exponential-delay.backoff-multiplier": "2.0",
        "restart-strategy.exponential-delay.max-backoff": "4 s",
        "restart-strategy.exponential-delay.jitter-factor": "0.0"})
    app = session.application_id
    job, master = submit_and_run(flink, session, unbounded_job("backing-off"))
    for _ in range(4):
        fail_and_wait(flink, master)

    assert [e.delay_ms for e in events_of(flink, JobRestarting, app)] == [1000, 2000, 4000, 4000]
    assert restart_delays(flink, app) == [1000, 2000, 4000, 4000]
    assert master.status is JobStatus.RUNNING
    assert num_restarts(flink, session, job) == 4


def test_failure_rate_fails_the_job_once_too_many_failures_fall_in_its_interval(tmp_path):
    """failure-rate (2 per 30 s): failures 40 s apart restart; a second one within 30 s fails."""
    flink, session = session_cluster(tmp_path, {
        "restart-strategy.type": "failure-rate",
        "restart-strategy.failure-rate.max-failures-per-interval": "2",
        "restart-strategy.failure-rate.failure-rate-interval": "30 s",
        "restart-strategy.failure-rate.delay": "1 s"})
    job, master = submit_and_run(flink, session, unbounded_job("rated"))
    fail_and_wait(flink, master)
    flink.advance(40)
    fail_and_wait(flink, master)
    assert master.status is JobStatus.RUNNING
    flink.advance(10)
    fail_and_wait(flink, master)

    result = flink.run(session.request_job_result(job))
    assert result.job_status is JobStatus.FAILED
    assert result.error.message.startswith(
        "Recovery is suppressed by FailureRateRestartBackoffTimeStrategy("
        "FailureRateRestartBackoffTimeStrategy(failuresIntervalMS=30000,backoffTimeMS=1000,"
        "maxFailuresPerInterval=2)\nCaused by: ")
    assert restart_delays(flink, session.application_id) == [1000, 1000]
    assert num_restarts(flink, session, job) == 2


def test_with_checkpointing_and_no_strategy_flink_1_18_restarts_every_second_forever(tmp_path):
    """Checkpointing on, no strategy, Flink 1.18: fixed-delay, Integer.MAX_VALUE attempts, 1 s."""
    flink, session = session_cluster(tmp_path, {"execution.checkpointing.interval": "1 min"})
    job, master = submit_and_run(flink, session, unbounded_job("checkpointed"))
    for _ in range(3):
        fail_and_wait(flink, master)

    assert log_lines(flink, "Using restart back off time strategy") == [
        "Using restart back off time strategy FixedDelayRestartBackoffTimeStrategy("
        f"maxNumberRestartAttempts=2147483647, backoffTimeMS=1000) for checkpointed ({job})."]
    assert restart_delays(flink, session.application_id) == [1000, 1000, 1000]
    assert master.status is JobStatus.RUNNING
    assert num_restarts(flink, session, job) == 3


def test_with_checkpointing_and_no_strategy_flink_1_19_uses_exponential_delay(tmp_path):
    """Checkpointing on, no strategy, Flink 1.19 (FLIP-364): exponential-delay with its defaults."""
    flink, session = session_cluster(tmp_path, {"execution.checkpointing.interval": "1 min",
                                                "flinkyarn.version": "1.19"})
    job, master = submit_and_run(flink, session, unbounded_job("checkpointed"))
    fail_and_wait(flink, master)

    (using,) = log_lines(flink, "Using restart back off time strategy")
    assert using.startswith(
        "Using restart back off time strategy ExponentialDelayRestartBackoffTimeStrategy("
        "initialBackoffMS=1000, maxBackoffMS=60000, backoffMultiplier=1.5, "
        "resetBackoffThresholdMS=3600000, jitterFactor=0.1")
    (delay,) = restart_delays(flink, session.application_id)
    assert 900 <= delay <= 1100  # 1 s ± the 10 % jitter
    assert master.status is JobStatus.RUNNING
    assert num_restarts(flink, session, job) == 1
