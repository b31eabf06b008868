"""
YARN's lifecycle states and enumerations, with Hadoop's names and declaration order, and the
mappings from the RM's internal states to the states clients see.
"""

from enum import StrEnum

__all__ = [
    "RMAppState",
    "YarnApplicationState",
    "FinalApplicationStatus",
    "RMAppAttemptState",
    "YarnApplicationAttemptState",
    "RMContainerState",
    "ContainerState",
    "NMContainerState",
    "NodeState",
    "NodeAction",
    "NodeType",
    "LocalResourceType",
    "LocalResourceVisibility",
    "ExecutionType",
    "QueueState",
    "LogAggregationStatus",
    "yarn_application_state",
    "yarn_application_attempt_state",
    "public_container_state",
]


class RMAppState(StrEnum):
    """The ResourceManager's internal application state (``RMAppState``)."""

    NEW = "NEW"
    NEW_SAVING = "NEW_SAVING"
    SUBMITTED = "SUBMITTED"
    ACCEPTED = "ACCEPTED"
    RUNNING = "RUNNING"
    FINAL_SAVING = "FINAL_SAVING"
    FINISHING = "FINISHING"
    FINISHED = "FINISHED"
    FAILED = "FAILED"
    KILLING = "KILLING"
    KILLED = "KILLED"

    @property
    def is_final(self):
        return self in _FINAL_APP_STATES


_FINAL_APP_STATES = frozenset({RMAppState.FINISHED, RMAppState.FAILED, RMAppState.KILLED})


class YarnApplicationState(StrEnum):
    """The eight application states clients see (REST ``state``, CLI ``State``)."""

    NEW = "NEW"
    NEW_SAVING = "NEW_SAVING"
    SUBMITTED = "SUBMITTED"
    ACCEPTED = "ACCEPTED"
    RUNNING = "RUNNING"
    FINISHED = "FINISHED"
    FAILED = "FAILED"
    KILLED = "KILLED"

    @property
    def is_final(self):
        return self in (
            YarnApplicationState.FINISHED,
            YarnApplicationState.FAILED,
            YarnApplicationState.KILLED,
        )


def yarn_application_state(state, before_final_saving=None, before_killing=None):
    """
    Map an internal :class:`RMAppState` to the :class:`YarnApplicationState` clients see, as
    ``RMAppImpl#createApplicationState`` does: FINAL_SAVING reports the state it was entered
    from, then KILLING reports the state *it* was entered from; FINISHING maps to FINISHED and a
    remaining KILLING to KILLED; every other state maps to itself.

    :param before_final_saving: the state the app was in when it entered FINAL_SAVING.
    :param before_killing: the state the app was in when it entered KILLING.
    """
    if state is RMAppState.FINAL_SAVING and before_final_saving is not None:
        state = before_final_saving
    if state is RMAppState.KILLING and before_killing is not None:
        state = before_killing
    if state is RMAppState.FINISHING:
        return YarnApplicationState.FINISHED
    if state is RMAppState.KILLING:
        return YarnApplicationState.KILLED
    if state is RMAppState.FINAL_SAVING:
        return YarnApplicationState.FINISHED
    return YarnApplicationState(state.value)


class FinalApplicationStatus(StrEnum):
    """The status an application master reports when it unregisters."""

    UNDEFINED = "UNDEFINED"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    KILLED = "KILLED"
    ENDED = "ENDED"


class RMAppAttemptState(StrEnum):
    """The ResourceManager's internal application attempt state."""

    NEW = "NEW"
    SUBMITTED = "SUBMITTED"
    SCHEDULED = "SCHEDULED"
    ALLOCATED = "ALLOCATED"
    LAUNCHED = "LAUNCHED"
    FAILED = "FAILED"
    RUNNING = "RUNNING"
    FINISHING = "FINISHING"
    FINISHED = "FINISHED"
    KILLED = "KILLED"
    ALLOCATED_SAVING = "ALLOCATED_SAVING"
    LAUNCHED_UNMANAGED_SAVING = "LAUNCHED_UNMANAGED_SAVING"
    FINAL_SAVING = "FINAL_SAVING"

    @property
    def is_final(self):
        return self in (RMAppAttemptState.FAILED, RMAppAttemptState.FINISHED, RMAppAttemptState.KILLED)


class YarnApplicationAttemptState(StrEnum):
    """The application attempt states clients see."""

    NEW = "NEW"
    SUBMITTED = "SUBMITTED"
    SCHEDULED = "SCHEDULED"
    ALLOCATED_SAVING = "ALLOCATED_SAVING"
    ALLOCATED = "ALLOCATED"
    LAUNCHED = "LAUNCHED"
    FAILED = "FAILED"
    RUNNING = "RUNNING"
    FINISHING = "FINISHING"
    FINISHED = "FINISHED"
    KILLED = "KILLED"


def yarn_application_attempt_state(state, entered_from=None):
    """
    Map an internal :class:`RMAppAttemptState` to the client form: LAUNCHED_UNMANAGED_SAVING shows
    as ALLOCATED_SAVING and FINAL_SAVING as the state it was entered from.
    """
    if state is RMAppAttemptState.LAUNCHED_UNMANAGED_SAVING:
        return YarnApplicationAttemptState.ALLOCATED_SAVING
    if state is RMAppAttemptState.FINAL_SAVING:
        if entered_from is None or entered_from is RMAppAttemptState.FINAL_SAVING:
            return YarnApplicationAttemptState.FINISHING
        return yarn_application_attempt_state(entered_from)
    return YarnApplicationAttemptState(state.value)


class RMContainerState(StrEnum):
    """The ResourceManager's view of a container (``RMContainerState``)."""

    NEW = "NEW"
    RESERVED = "RESERVED"
    ALLOCATED = "ALLOCATED"
    ACQUIRED = "ACQUIRED"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    EXPIRED = "EXPIRED"
    RELEASED = "RELEASED"
    KILLED = "KILLED"

    @property
    def is_final(self):
        return self in _FINAL_RM_CONTAINER_STATES


_FINAL_RM_CONTAINER_STATES = frozenset(
    {RMContainerState.COMPLETED, RMContainerState.EXPIRED, RMContainerState.RELEASED, RMContainerState.KILLED}
)


class ContainerState(StrEnum):
    """The public container state in a ``ContainerStatus``: note ``COMPLETE``, not COMPLETED."""

    NEW = "NEW"
    RUNNING = "RUNNING"
    COMPLETE = "COMPLETE"
    SCHEDULED = "SCHEDULED"


class NMContainerState(StrEnum):
    """The NodeManager's internal container state."""

    NEW = "NEW"
    LOCALIZING = "LOCALIZING"
    LOCALIZATION_FAILED = "LOCALIZATION_FAILED"
    SCHEDULED = "SCHEDULED"
    RUNNING = "RUNNING"
    RELAUNCHING = "RELAUNCHING"
    REINITIALIZING = "REINITIALIZING"
    EXITED_WITH_SUCCESS = "EXITED_WITH_SUCCESS"
    EXITED_WITH_FAILURE = "EXITED_WITH_FAILURE"
    KILLING = "KILLING"
    CONTAINER_CLEANEDUP_AFTER_KILL = "CONTAINER_CLEANEDUP_AFTER_KILL"
    CONTAINER_RESOURCES_CLEANINGUP = "CONTAINER_RESOURCES_CLEANINGUP"
    DONE = "DONE"


_PUBLIC_SCHEDULED = frozenset(
    {NMContainerState.NEW, NMContainerState.LOCALIZING, NMContainerState.LOCALIZATION_FAILED,
     NMContainerState.SCHEDULED}
)


def public_container_state(state):
    """
    Map an :class:`NMContainerState` to the public :class:`ContainerState`
    (``ContainerImpl#getCurrentState``): the states before launch show as SCHEDULED, DONE as
    COMPLETE, and everything in between as RUNNING.
    """
    if state in _PUBLIC_SCHEDULED:
        return ContainerState.SCHEDULED
    if state is NMContainerState.DONE:
        return ContainerState.COMPLETE
    return ContainerState.RUNNING


class NodeState(StrEnum):
    """An RM node's state, in Hadoop's declaration order."""

    NEW = "NEW"
    RUNNING = "RUNNING"
    UNHEALTHY = "UNHEALTHY"
    DECOMMISSIONED = "DECOMMISSIONED"
    LOST = "LOST"
    REBOOTED = "REBOOTED"
    DECOMMISSIONING = "DECOMMISSIONING"
    SHUTDOWN = "SHUTDOWN"

    @property
    def is_unusable(self):
        """``True`` for UNHEALTHY, DECOMMISSIONED, LOST and SHUTDOWN (``NodeState#isUnusable``)."""
        return self in (NodeState.UNHEALTHY, NodeState.DECOMMISSIONED, NodeState.LOST, NodeState.SHUTDOWN)

    @property
    def is_inactive(self):
        """``True`` for the terminal states, in which the RM keeps the node as an inactive node."""
        return self in (NodeState.DECOMMISSIONED, NodeState.LOST, NodeState.REBOOTED, NodeState.SHUTDOWN)


class NodeAction(StrEnum):
    """What the RM tells a NodeManager in a heartbeat or registration response."""

    NORMAL = "NORMAL"
    RESYNC = "RESYNC"
    SHUTDOWN = "SHUTDOWN"


class NodeType(StrEnum):
    """The locality of an allocation."""

    NODE_LOCAL = "NODE_LOCAL"
    RACK_LOCAL = "RACK_LOCAL"
    OFF_SWITCH = "OFF_SWITCH"


class LocalResourceType(StrEnum):
    ARCHIVE = "ARCHIVE"
    FILE = "FILE"
    PATTERN = "PATTERN"


class LocalResourceVisibility(StrEnum):
    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"
    APPLICATION = "APPLICATION"


class ExecutionType(StrEnum):
    GUARANTEED = "GUARANTEED"
    OPPORTUNISTIC = "OPPORTUNISTIC"


class QueueState(StrEnum):
    RUNNING = "RUNNING"
    STOPPED = "STOPPED"


class LogAggregationStatus(StrEnum):
    DISABLED = "DISABLED"
    NOT_START = "NOT_START"
    RUNNING = "RUNNING"
    RUNNING_WITH_FAILURE = "RUNNING_WITH_FAILURE"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    TIME_OUT = "TIME_OUT"
