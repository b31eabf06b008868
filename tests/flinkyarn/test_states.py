"""
Tests for :mod:`flinkyarn.states`: Flink's state names and order, terminality, the application
status mapping and the transition tables.
"""

import pytest

from flinkyarn.states import (
    EXECUTION_TRANSITIONS,
    JOB_TRANSITIONS,
    ApplicationStatus,
    ExecutionEvent,
    ExecutionState,
    JobEvent,
    JobStatus,
)
from yarnemu.errors import InvalidStateTransitionException
from yarnemu.records.states import FinalApplicationStatus

E = ExecutionEvent
X = ExecutionState
J = JobEvent
S = JobStatus


def test_execution_states_follow_the_rest_enum_order():
    """ExecutionState lists its values in the order of Flink's REST enum."""
    assert [state.value for state in X] == [
        "CREATED", "SCHEDULED", "DEPLOYING", "RUNNING", "FINISHED", "CANCELING", "CANCELED",
        "FAILED", "RECONCILING", "INITIALIZING",
    ]
    assert {state for state in X if state.is_terminal} == {X.FINISHED, X.CANCELED, X.FAILED}


def test_job_statuses_follow_flinks_order_and_terminality():
    """JobStatus has Flink's order; FINISHED/CANCELED/FAILED are globally terminal, SUSPENDED
    only locally."""
    assert [status.value for status in S] == [
        "INITIALIZING", "CREATED", "RUNNING", "FAILING", "FAILED", "CANCELLING", "CANCELED",
        "FINISHED", "RESTARTING", "SUSPENDED", "RECONCILING",
    ]
    assert {s for s in S if s.is_globally_terminal} == {S.FINISHED, S.CANCELED, S.FAILED}
    assert S.SUSPENDED.is_terminal and not S.SUSPENDED.is_globally_terminal


@pytest.mark.parametrize(
    "job_status, application_status, exit_code, yarn_status",
    [
        (S.FINISHED, ApplicationStatus.SUCCEEDED, 0, FinalApplicationStatus.SUCCEEDED),
        (S.FAILED, ApplicationStatus.FAILED, 1443, FinalApplicationStatus.FAILED),
        (S.CANCELED, ApplicationStatus.CANCELED, 0, FinalApplicationStatus.KILLED),
        (S.SUSPENDED, ApplicationStatus.UNKNOWN, 1445, FinalApplicationStatus.UNDEFINED),
        (None, ApplicationStatus.UNKNOWN, 1445, FinalApplicationStatus.UNDEFINED),
    ],
)
def test_application_status_maps_job_status_exit_code_and_yarn_status(
    job_status, application_status, exit_code, yarn_status
):
    """A job's end maps to Flink's ApplicationStatus, its exit code and YARN's final status."""
    status = ApplicationStatus.from_job_status(job_status)
    assert status is application_status
    assert status.process_exit_code == exit_code
    assert status.final_application_status is yarn_status


def _run(table, state, *events):
    for event in events:
        target = table.next_state(state, event)
        state = state if target is None else target
    return state


def test_a_task_runs_through_its_normal_lifecycle():
    """CREATED → SCHEDULED → DEPLOYING → INITIALIZING → RUNNING → FINISHED."""
    assert _run(EXECUTION_TRANSITIONS, X.CREATED, E.SCHEDULE, E.DEPLOY, E.INITIALIZE,
                E.SWITCH_TO_RUNNING, E.FINISH) is X.FINISHED


@pytest.mark.parametrize("state", [s for s in X if not s.is_terminal and s is not X.CANCELING])
def test_fail_enters_failed_from_every_non_terminal_state_but_canceling(state):
    """FAIL leads to FAILED from every non-terminal state except CANCELING."""
    assert EXECUTION_TRANSITIONS.next_state(state, E.FAIL) is X.FAILED


def test_failing_or_finishing_while_canceling_completes_the_cancellation():
    """A task that fails or finishes while being cancelled ends CANCELED (processFail)."""
    assert EXECUTION_TRANSITIONS.next_state(X.CANCELING, E.FAIL) is X.CANCELED
    assert EXECUTION_TRANSITIONS.next_state(X.CANCELING, E.FINISH) is X.CANCELED


@pytest.mark.parametrize("state", [X.FINISHED, X.CANCELED, X.FAILED])
def test_terminal_task_states_ignore_cancel_and_fail(state):
    """CANCEL and FAIL are ignored once a task is terminal."""
    assert EXECUTION_TRANSITIONS.next_state(state, E.CANCEL) is None
    assert EXECUTION_TRANSITIONS.next_state(state, E.FAIL) is None


def test_deploy_is_only_allowed_from_scheduled():
    """A task is deployed only from SCHEDULED (Flink 1.13+), anything else is refused."""
    for state in X:
        if state is not X.SCHEDULED:
            with pytest.raises(InvalidStateTransitionException):
                EXECUTION_TRANSITIONS.next_state(state, E.DEPLOY)


def test_running_is_reached_only_through_initializing():
    """SWITCH_TO_RUNNING is refused from DEPLOYING: INITIALIZING comes first."""
    with pytest.raises(InvalidStateTransitionException):
        EXECUTION_TRANSITIONS.next_state(X.DEPLOYING, E.SWITCH_TO_RUNNING)


def test_a_job_runs_from_initializing_to_finished():
    """INITIALIZING → CREATED → RUNNING → FINISHED."""
    assert _run(JOB_TRANSITIONS, S.INITIALIZING, J.INITIALIZED, J.START_SCHEDULING,
                J.FINISH) is S.FINISHED


def test_cancelling_and_failing_wait_for_all_tasks():
    """A running job cancels through CANCELLING and fails through FAILING."""
    assert _run(JOB_TRANSITIONS, S.RUNNING, J.CANCEL, J.ALL_TASKS_TERMINAL) is S.CANCELED
    assert _run(JOB_TRANSITIONS, S.RUNNING, J.FAIL, J.ALL_TASKS_TERMINAL) is S.FAILED
    assert _run(JOB_TRANSITIONS, S.RUNNING, J.FAIL, J.CANCEL, J.ALL_TASKS_TERMINAL) is S.CANCELED


def test_a_job_cancelled_or_failed_while_initializing_ends_at_once():
    """Cancel or failure during initialization ends the job without CANCELLING or FAILING."""
    assert JOB_TRANSITIONS.next_state(S.INITIALIZING, J.CANCEL) is S.CANCELED
    assert JOB_TRANSITIONS.next_state(S.INITIALIZING, J.FAIL) is S.FAILED


def test_restarts_go_through_restarting():
    """A recoverable failure moves RUNNING → RESTARTING → RUNNING."""
    assert _run(JOB_TRANSITIONS, S.RUNNING, J.RESTART, J.RESTARTED) is S.RUNNING


@pytest.mark.parametrize("status", [s for s in S if s.is_terminal])
def test_no_job_leaves_a_terminal_state(status):
    """Terminal statuses ignore cancel, fail and suspend and refuse everything else."""
    for event in J:
        if event in (J.CANCEL, J.FAIL, J.SUSPEND):
            assert JOB_TRANSITIONS.next_state(status, event) is None
        else:
            with pytest.raises(InvalidStateTransitionException):
                JOB_TRANSITIONS.next_state(status, event)


@pytest.mark.parametrize("status", [s for s in S if not s.is_terminal])
def test_any_live_job_can_be_suspended(status):
    """SUSPEND leads to SUSPENDED from every non-terminal status."""
    assert JOB_TRANSITIONS.next_state(status, J.SUSPEND) is S.SUSPENDED
