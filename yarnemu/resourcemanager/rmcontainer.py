"""
:class:`RMContainer`: a container's life as the ResourceManager sees it, from allocation to its
final state (COMPLETED, RELEASED, EXPIRED or KILLED).
"""

from yarnemu.events import ContainerStateChanged
from yarnemu.lifecycle.rmcontainer import RM_CONTAINER_TRANSITIONS, RMContainerEventType
from yarnemu.records.containers import ContainerStatus
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.states import ContainerState, RMContainerState

__all__ = [
    "RMContainer",
    "RELEASED_CONTAINER",
    "EXPIRED_CONTAINER",
    "LOST_CONTAINER",
    "COMPLETED_APPLICATION",
]

# The diagnostics of containers the RM completes itself (SchedulerUtils).
RELEASED_CONTAINER = "Container released by application"
EXPIRED_CONTAINER = "Container expired since it was unused"
LOST_CONTAINER = "Container released on a *lost* node"
COMPLETED_APPLICATION = "Container of a completed application"

E = RMContainerEventType


class RMContainer:
    """
    :ivar container: the :class:`~yarnemu.records.Container` record.
    :ivar attempt: the owning :class:`~yarnemu.resourcemanager.rmattempt.RMAppAttempt`.
    :ivar int exit_status: set when the container reaches a final state.
    """

    __slots__ = ("rm", "container", "attempt", "state", "is_am", "creation_time", "finish_time",
                 "exit_status", "diagnostics", "locality")

    def __init__(self, rm, container, attempt, is_am, locality, creation_time):
        self.rm = rm
        self.container = container
        self.attempt = attempt
        self.is_am = is_am
        self.locality = locality
        self.state = RMContainerState.NEW
        self.creation_time = creation_time
        self.finish_time = 0
        self.exit_status = ContainerExitStatus.INVALID
        self.diagnostics = ""

    @property
    def container_id(self):
        return self.container.id

    @property
    def node_id(self):
        return self.container.node_id

    @property
    def resource(self):
        return self.container.resource

    def status(self):
        """:return: the container's :class:`ContainerStatus` as the RM reports it."""
        # As RMContainerImpl#getContainerState: RUNNING until it has a finished status.
        state = ContainerState.COMPLETE if self.state.is_final else ContainerState.RUNNING
        return ContainerStatus(self.container.id, state, int(self.exit_status), self.diagnostics,
                               self.container.resource)

    def handle(self, event, payload=None):
        """
        Handle an :class:`RMContainerEventType`.  For FINISHED, RELEASED, EXPIRE and KILL the
        payload is ``(exit_status, diagnostics)``.
        """
        target = RM_CONTAINER_TRANSITIONS.next_state(self.state, event)
        if target is None:
            return
        rm = self.rm
        old = self.state
        self.state = target
        now = rm.now()
        exit_status = diagnostics = None
        if target.is_final:
            exit_status, diagnostics = payload
            self.exit_status = exit_status
            self.diagnostics = diagnostics
            self.finish_time = now
        rm.events.emit(ContainerStateChanged(
            now, self.container.id, old, target, event.value,
            int(exit_status) if exit_status is not None else None, diagnostics or "",
        ))
        if target is RMContainerState.ACQUIRED:
            rm.allocation_expirer.register(self.container.id, now)
        elif target is RMContainerState.RUNNING:
            rm.allocation_expirer.unregister(self.container.id)
        elif target.is_final:
            self._finished(event)

    def _finished(self, event):
        rm = self.rm
        container_id = self.container.id
        rm.allocation_expirer.unregister(container_id)
        rm.containers.pop(container_id, None)
        rm.scheduler.complete(container_id)
        if event is not E.FINISHED:
            # The RM ended it: the NodeManager must stop it if it runs.
            rm.cleanup_container_on_node(self)
        self.attempt.container_completed(self)
