"""
:class:`Execution`: one attempt to run one subtask.  Its state changes only through
:data:`~flinkyarn.states.EXECUTION_TRANSITIONS`, each at a timestamp the caller gives (the
JobMaster drives executions; nothing here reads a clock).
"""

from attrs import frozen

from flinkyarn.states import EXECUTION_TRANSITIONS, ExecutionEvent, ExecutionState

__all__ = ["Execution", "FailureInfo"]

_E = ExecutionEvent


@frozen
class FailureInfo:
    """
    :ivar str message: why the attempt failed.
    :ivar int timestamp: when, in ms.
    """

    message: str
    timestamp: int


class Execution:
    """
    :ivar ExecutionAttemptID attempt_id:
    :ivar ExecutionVertex vertex: the subtask it runs.
    :ivar ExecutionState state:
    :ivar assigned_allocation: the :class:`~flinkyarn.ids.AllocationID` of its slot, once
        deployed.
    :ivar assigned_resource: the :class:`~flinkyarn.ids.ResourceID` of its TaskExecutor, once
        deployed.
    :ivar failure: a :class:`FailureInfo` once FAILED.
    """

    def __init__(self, attempt_id, vertex, timestamp):
        self.attempt_id = attempt_id
        self.vertex = vertex
        self.state = ExecutionState.CREATED
        self._timestamps = {ExecutionState.CREATED: timestamp}
        self.assigned_allocation = None
        self.assigned_resource = None
        self.failure = None

    def __repr__(self):
        return (f"<Execution {self.vertex.task_name_with_subtask_index} "
                f"attempt #{self.attempt_number} {self.state}>")

    @property
    def attempt_number(self):
        return self.attempt_id.attempt_number

    @property
    def task_name_with_subtask_index(self):
        return self.vertex.task_name_with_subtask_index

    def state_timestamp(self, state):
        """:return: when the attempt entered ``state``, or 0 if it never did (as Flink)."""
        return self._timestamps.get(state, 0)

    def state_timestamps(self):
        """:return: every :class:`ExecutionState` → timestamp (0 if never), in enum order."""
        return {state: self._timestamps.get(state, 0) for state in ExecutionState}

    def transition(self, event, timestamp):
        """
        Apply ``event`` through the ExecutionState table.

        :return: the state afterwards (unchanged when the table ignores ``event``).
        :raise InvalidStateTransitionException: when the table does not allow ``event``.
        """
        target = EXECUTION_TRANSITIONS.next_state(self.state, ExecutionEvent(event))
        if target is not None:
            self.state = target
            self._timestamps[target] = timestamp
        return self.state

    def schedule(self, timestamp):
        """CREATED → SCHEDULED: the scheduler asks for a slot."""
        return self.transition(_E.SCHEDULE, timestamp)

    def deploy(self, timestamp, allocation_id=None, resource_id=None):
        """SCHEDULED → DEPLOYING into the slot ``allocation_id`` of TaskExecutor
        ``resource_id``."""
        state = self.transition(_E.DEPLOY, timestamp)
        self.assigned_allocation = allocation_id
        self.assigned_resource = resource_id
        return state

    def switch_to_initializing(self, timestamp):
        """DEPLOYING → INITIALIZING, as reported by the TaskExecutor."""
        return self.transition(_E.INITIALIZE, timestamp)

    def switch_to_running(self, timestamp):
        """INITIALIZING → RUNNING, as reported by the TaskExecutor."""
        return self.transition(_E.SWITCH_TO_RUNNING, timestamp)

    def mark_finished(self, timestamp):
        """→ FINISHED (or CANCELED while cancelling)."""
        return self.transition(_E.FINISH, timestamp)

    def cancel(self, timestamp):
        """
        Cancel the attempt: a deployed one goes to CANCELING until the TaskExecutor confirms
        (:meth:`complete_cancelling`); one not yet deployed goes through CANCELING to CANCELED
        at once (``cancelAtomically``); a terminal or cancelling one stays as it is.
        """
        before = self.state
        state = self.transition(_E.CANCEL, timestamp)
        if before in (ExecutionState.CREATED, ExecutionState.SCHEDULED,
                      ExecutionState.RECONCILING) and state is ExecutionState.CANCELING:
            state = self.transition(_E.COMPLETE_CANCELLING, timestamp)
        return state

    def complete_cancelling(self, timestamp):
        """→ CANCELED: the TaskExecutor reports the task gone."""
        return self.transition(_E.COMPLETE_CANCELLING, timestamp)

    def fail(self, timestamp, message):
        """→ FAILED with ``message`` (a cancelling attempt is CANCELED instead)."""
        state = self.transition(_E.FAIL, timestamp)
        if state is ExecutionState.FAILED and self.failure is None:
            self.failure = FailureInfo(str(message), timestamp)
        return state

    def suspend(self, timestamp):
        """Stop the attempt because the JobMaster suspends: anything not terminal is CANCELED
        (``Execution#suspend``)."""
        if self.state in (ExecutionState.CANCELING,):
            return self.complete_cancelling(timestamp)
        if self.state.is_terminal:
            return self.state
        self.transition(_E.CANCEL, timestamp)
        return self.transition(_E.COMPLETE_CANCELLING, timestamp)
