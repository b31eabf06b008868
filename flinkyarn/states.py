"""
Flink's job and task states with Flink's names and declaration order, their lifecycles as
transition tables, and the application status a cluster reports when it shuts down.

- :class:`JobStatus` (``org.apache.flink.api.common.JobStatus``): FINISHED, CANCELED and FAILED
  are *globally* terminal; SUSPENDED is *locally* terminal (with HA the job stays in the job store
  and another JobManager may take it over).
- :class:`ExecutionState` (``org.apache.flink.runtime.execution.ExecutionState``), in the order
  of the REST enum; FINISHED, CANCELED and FAILED are terminal.
- :class:`ApplicationStatus` (``org.apache.flink.runtime.clusterframework.ApplicationStatus``)
  with its process exit codes and the YARN final status ``YarnResourceManagerDriver`` reports.

The tables' inputs are named after what causes them; the arcs follow Flink's ``Execution`` and
``DefaultExecutionGraph`` (see each table).  Anything else raises
:class:`~yarnemu.errors.InvalidStateTransitionException`.
"""

from enum import StrEnum

from yarnemu.lifecycle.machine import TransitionTable
from yarnemu.records.states import FinalApplicationStatus

__all__ = [
    "JobStatus",
    "ExecutionState",
    "ApplicationStatus",
    "ExecutionEvent",
    "JobEvent",
    "EXECUTION_TRANSITIONS",
    "JOB_TRANSITIONS",
]


class JobStatus(StrEnum):
    """A job's status, in Flink's declaration order."""

    INITIALIZING = "INITIALIZING"
    CREATED = "CREATED"
    RUNNING = "RUNNING"
    FAILING = "FAILING"
    FAILED = "FAILED"
    CANCELLING = "CANCELLING"
    CANCELED = "CANCELED"
    FINISHED = "FINISHED"
    RESTARTING = "RESTARTING"
    SUSPENDED = "SUSPENDED"
    RECONCILING = "RECONCILING"

    @property
    def is_globally_terminal(self):
        """``True`` for FINISHED, CANCELED and FAILED: the job is done for every JobManager."""
        return self in _GLOBALLY_TERMINAL

    @property
    def is_terminal(self):
        """``True`` for the globally terminal states and SUSPENDED (locally terminal)."""
        return self in _GLOBALLY_TERMINAL or self is JobStatus.SUSPENDED


_GLOBALLY_TERMINAL = frozenset({JobStatus.FINISHED, JobStatus.CANCELED, JobStatus.FAILED})


class ExecutionState(StrEnum):
    """A task's (one execution attempt's) state, in the order of Flink's REST enum."""

    CREATED = "CREATED"
    SCHEDULED = "SCHEDULED"
    DEPLOYING = "DEPLOYING"
    RUNNING = "RUNNING"
    FINISHED = "FINISHED"
    CANCELING = "CANCELING"
    CANCELED = "CANCELED"
    FAILED = "FAILED"
    RECONCILING = "RECONCILING"
    INITIALIZING = "INITIALIZING"

    @property
    def is_terminal(self):
        """``True`` for FINISHED, CANCELED and FAILED."""
        return self in (ExecutionState.FINISHED, ExecutionState.CANCELED, ExecutionState.FAILED)


class ApplicationStatus(StrEnum):
    """How a Flink cluster ends, which becomes its process exit code and YARN final status."""

    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELED = "CANCELED"
    UNKNOWN = "UNKNOWN"

    @property
    def process_exit_code(self):
        """
        The entrypoint's exit code: SUCCEEDED 0, FAILED 1443, CANCELED 0 (1444 in Flink 1.13
        and older), UNKNOWN 1445.
        """
        return _EXIT_CODES[self]

    @property
    def final_application_status(self):
        """
        The YARN final status the YarnResourceManagerDriver unregisters with
        (``getYarnStatus``): CANCELED becomes KILLED and UNKNOWN becomes UNDEFINED.
        """
        return _YARN_STATUS[self]

    @classmethod
    def from_job_status(cls, job_status):
        """
        :param job_status: a :class:`JobStatus` or ``None``.
        :return: SUCCEEDED for FINISHED, FAILED for FAILED, CANCELED for CANCELED, and UNKNOWN
            for anything else (including ``None``), as ``ApplicationStatus.fromJobStatus``.
        """
        return _FROM_JOB_STATUS.get(job_status, cls.UNKNOWN)


_EXIT_CODES = {
    ApplicationStatus.SUCCEEDED: 0,
    ApplicationStatus.FAILED: 1443,
    ApplicationStatus.CANCELED: 0,
    ApplicationStatus.UNKNOWN: 1445,
}

_YARN_STATUS = {
    ApplicationStatus.SUCCEEDED: FinalApplicationStatus.SUCCEEDED,
    ApplicationStatus.FAILED: FinalApplicationStatus.FAILED,
    ApplicationStatus.CANCELED: FinalApplicationStatus.KILLED,
    ApplicationStatus.UNKNOWN: FinalApplicationStatus.UNDEFINED,
}

_FROM_JOB_STATUS = {
    JobStatus.FINISHED: ApplicationStatus.SUCCEEDED,
    JobStatus.FAILED: ApplicationStatus.FAILED,
    JobStatus.CANCELED: ApplicationStatus.CANCELED,
}


class ExecutionEvent(StrEnum):
    """What moves an execution attempt (``Execution``) from one state to another."""

    #: The scheduler starts allocating a slot (``transitionState(CREATED, SCHEDULED)``).
    SCHEDULE = "SCHEDULE"
    #: The JobMaster submits the task to its slot (``Execution#deploy``).
    DEPLOY = "DEPLOY"
    #: The TaskExecutor reports the task restoring its state (``switchToInitializing``).
    INITIALIZE = "INITIALIZE"
    #: The TaskExecutor reports the task running (``switchToRunning``).
    SWITCH_TO_RUNNING = "SWITCH_TO_RUNNING"
    #: The TaskExecutor reports the task finished (``markFinished``).
    FINISH = "FINISH"
    #: The JobMaster cancels the task (``Execution#cancel``).
    CANCEL = "CANCEL"
    #: The task is gone after a cancel (``completeCancelling``; a CANCELED report).
    COMPLETE_CANCELLING = "COMPLETE_CANCELLING"
    #: The task failed or is failed (``markFailed`` / ``fail``).
    FAIL = "FAIL"


_E = ExecutionEvent
_X = ExecutionState
_DEPLOYED = (_X.DEPLOYING, _X.INITIALIZING, _X.RUNNING)

#: ``Execution``'s lifecycle.  FAIL enters FAILED from every non-terminal state except
#: CANCELING, where Flink completes the cancellation instead (``processFail``); a task that
#: reports FINISHED while being cancelled is CANCELED too.  Reports that race with a cancel or a
#: failure (INITIALIZE or SWITCH_TO_RUNNING after CANCELING, a second FAIL, ...) are ignored, as
#: ``switchTo`` and ``processFail`` ignore them.  Cancelling a task that is not deployed yet goes
#: through CANCELING to CANCELED at once (``cancelAtomically``), which is CANCEL then
#: COMPLETE_CANCELLING here.
EXECUTION_TRANSITIONS = TransitionTable(
    "Execution",
    arcs=[
        (_X.CREATED, _E.SCHEDULE, _X.SCHEDULED),
        (_X.SCHEDULED, _E.DEPLOY, _X.DEPLOYING),
        (_X.DEPLOYING, _E.INITIALIZE, _X.INITIALIZING),
        (_X.INITIALIZING, _E.SWITCH_TO_RUNNING, _X.RUNNING),
        (_DEPLOYED, _E.FINISH, _X.FINISHED),
        ((_X.CREATED, _X.SCHEDULED, _X.RECONCILING) + _DEPLOYED, _E.CANCEL, _X.CANCELING),
        ((_X.CANCELING,) + _DEPLOYED, _E.COMPLETE_CANCELLING, _X.CANCELED),
        (_X.CANCELING, (_E.FINISH, _E.FAIL), _X.CANCELED),
        ((_X.CREATED, _X.SCHEDULED, _X.RECONCILING) + _DEPLOYED, _E.FAIL, _X.FAILED),
    ],
    ignored=[
        (_X.CANCELING, (_E.CANCEL, _E.INITIALIZE, _E.SWITCH_TO_RUNNING)),
        (_X.CANCELED, (_E.CANCEL, _E.COMPLETE_CANCELLING, _E.FINISH, _E.FAIL, _E.INITIALIZE,
                       _E.SWITCH_TO_RUNNING)),
        (_X.FAILED, (_E.CANCEL, _E.COMPLETE_CANCELLING, _E.FINISH, _E.FAIL, _E.INITIALIZE,
                     _E.SWITCH_TO_RUNNING)),
        (_X.FINISHED, (_E.CANCEL, _E.FAIL, _E.INITIALIZE, _E.SWITCH_TO_RUNNING)),
    ],
)


class JobEvent(StrEnum):
    """What moves a job from one :class:`JobStatus` to another."""

    #: The JobMaster has created the ExecutionGraph (INITIALIZING → CREATED).
    INITIALIZED = "INITIALIZED"
    #: The scheduler starts scheduling (``transitionToRunning``).
    START_SCHEDULING = "START_SCHEDULING"
    #: All vertices finished (``jobFinished``).
    FINISH = "FINISH"
    #: A user or the cluster cancels the job (``DefaultExecutionGraph#cancel``).
    CANCEL = "CANCEL"
    #: The job fails for good (``failJob``; during initialization it fails at once).
    FAIL = "FAIL"
    #: A recoverable failure restarts the job (RUNNING → RESTARTING).
    RESTART = "RESTART"
    #: The restarted tasks are scheduled again (RESTARTING → RUNNING).
    RESTARTED = "RESTARTED"
    #: Every task reached a terminal state while cancelling or failing.
    ALL_TASKS_TERMINAL = "ALL_TASKS_TERMINAL"
    #: The JobMaster loses leadership or shuts down (``suspend``).
    SUSPEND = "SUSPEND"


_J = JobEvent
_S = JobStatus
_ACTIVE = (_S.CREATED, _S.RUNNING, _S.RESTARTING, _S.RECONCILING)
_NOT_TERMINAL = (_S.INITIALIZING, _S.FAILING, _S.CANCELLING) + _ACTIVE
_TERMINAL = (_S.FINISHED, _S.CANCELED, _S.FAILED, _S.SUSPENDED)

#: A job's lifecycle, from the Dispatcher's INITIALIZING through ``DefaultExecutionGraph``'s
#: transitions.  Cancelling or failing a job that is still initializing ends it at once
#: (CANCELED, FAILED); later it goes through CANCELLING or FAILING until every task is terminal.
#: A failure while cancelling (tasks that cannot be cancelled) fails the job.  Cancel, fail and
#: suspend are ignored once the job is terminal.
JOB_TRANSITIONS = TransitionTable(
    "Job",
    arcs=[
        (_S.INITIALIZING, _J.INITIALIZED, _S.CREATED),
        (_S.INITIALIZING, _J.CANCEL, _S.CANCELED),
        (_S.INITIALIZING, _J.FAIL, _S.FAILED),
        (_S.CREATED, _J.START_SCHEDULING, _S.RUNNING),
        (_S.RUNNING, _J.FINISH, _S.FINISHED),
        (_S.RUNNING, _J.RESTART, _S.RESTARTING),
        (_S.RESTARTING, _J.RESTARTED, _S.RUNNING),
        (_ACTIVE + (_S.FAILING,), _J.CANCEL, _S.CANCELLING),
        (_ACTIVE, _J.FAIL, _S.FAILING),
        (_S.CANCELLING, _J.FAIL, _S.FAILED),
        (_S.CANCELLING, _J.ALL_TASKS_TERMINAL, _S.CANCELED),
        (_S.FAILING, _J.ALL_TASKS_TERMINAL, _S.FAILED),
        (_NOT_TERMINAL, _J.SUSPEND, _S.SUSPENDED),
    ],
    ignored=[
        (_S.CANCELLING, _J.CANCEL),
        (_S.FAILING, _J.FAIL),
        (_TERMINAL, (_J.CANCEL, _J.FAIL, _J.SUSPEND)),
    ],
)
