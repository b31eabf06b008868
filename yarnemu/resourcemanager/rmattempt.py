"""
:class:`RMAppAttempt`: one attempt of an application — its AM container, registration,
heartbeat bookkeeping (responseId, containers to hand over, completions to report) and end.
"""

from yarnemu.events import AMRegistered, AMUnregistered, AttemptStateChanged
from yarnemu.lifecycle.rmapp import RMAppEventType
from yarnemu.lifecycle.rmattempt import RM_APP_ATTEMPT_TRANSITIONS, RMAppAttemptEventType
from yarnemu.lifecycle.rmcontainer import RMContainerEventType
from yarnemu.records.am_protocol import PRE_REGISTER_RESPONSE_ID
from yarnemu.records.client_protocol import ApplicationAttemptReport
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.states import (
    RMAppAttemptState,
    RMAppState,
    RMContainerState,
    yarn_application_attempt_state,
)
from yarnemu.resourcemanager.rmcontainer import COMPLETED_APPLICATION

__all__ = ["RMAppAttempt", "NOT_COUNTED_EXIT_STATUSES"]

E = RMAppAttemptEventType
S = RMAppAttemptState

NOT_COUNTED_EXIT_STATUSES = frozenset({
    ContainerExitStatus.PREEMPTED,
    ContainerExitStatus.ABORTED,
    ContainerExitStatus.DISKS_FAILED,
    ContainerExitStatus.KILLED_BY_RESOURCEMANAGER,
})
"""AM exit statuses after which a failed attempt does not count towards the maximum attempts."""


class RMAppAttempt:
    """
    :ivar master_container: the :class:`RMContainer` the AM runs in, once allocated.
    :ivar int last_response_id: the responseId of the last allocate response (-1 before the AM
        registers).
    :ivar newly_allocated: containers allocated and not yet handed to the AM.
    :ivar completed: statuses of completed containers not yet reported to the AM.
    :ivar bool maybe_last: when it started, one more counted failure would have ended the
        application (Hadoop's ``maybeLastAttempt``).
    """

    def __init__(self, rm, app, attempt_id, now, maybe_last=False):
        self.rm = rm
        self.app = app
        self.attempt_id = attempt_id
        self.maybe_last = maybe_last
        self.state = S.NEW
        self.before_final_saving = None
        self.target_final_state = None
        self.master_container = None
        self.host = "N/A"
        self.rpc_port = -1
        self.original_tracking_url = ""
        self.diagnostics = ""
        self.final_status = None
        self.am_exit_status = ContainerExitStatus.INVALID
        self.start_time = now
        self.launch_time = 0
        self.finish_time = 0
        self.progress = 0.0
        self.last_response_id = PRE_REGISTER_RESPONSE_ID
        self.last_response = None
        self.newly_allocated = []
        self.completed = []
        self.updated_nodes = []
        self.nodes_with_tokens = set()
        self.containers = []

    @property
    def unmanaged(self):
        return self.app.submission_context.unmanaged_am

    @property
    def registered(self):
        return self.last_response_id != PRE_REGISTER_RESPONSE_ID

    @property
    def counts_towards_max_attempts(self):
        """``False`` when the AM container ended for a reason that is not the AM's fault."""
        return self.am_exit_status not in NOT_COUNTED_EXIT_STATUSES

    def report(self):
        """:return: the attempt's :class:`ApplicationAttemptReport`."""
        master = self.master_container
        return ApplicationAttemptReport(
            application_attempt_id=self.attempt_id,
            host=self.host,
            rpc_port=self.rpc_port,
            tracking_url=self.rm.proxy_url(self.app.application_id),
            original_tracking_url=self.original_tracking_url or "N/A",
            diagnostics=self.diagnostics,
            yarn_application_attempt_state=yarn_application_attempt_state(
                self.state, self.before_final_saving
            ),
            am_container_id=master.container_id if master else None,
            start_time=self.start_time,
            finish_time=self.finish_time,
            node_id=master.node_id if master else None,
            node_http_address=master.container.node_http_address if master else "",
        )

    # Called by containers and services

    def container_allocated(self, container):
        """A container of this attempt was allocated (it is ALLOCATED)."""
        self.containers.append(container)
        if container.is_am:
            self.rm.dispatcher.dispatch(self.handle, E.CONTAINER_ALLOCATED, container)
        else:
            self.newly_allocated.append(container)

    def container_completed(self, container):
        """
        One of this attempt's containers reached a final state.  One the AM was not handed yet
        is not handed any more (as Hadoop's ``containerCompleted`` drops it from the newly
        allocated ones).  The AM hears of the others in an allocate response, also of those kept
        from a previous attempt that ended before it registered (as Hadoop's shared
        just-finished list).
        """
        if container in self.newly_allocated:
            self.newly_allocated.remove(container)
        self.app.container_finished(container)
        if container.is_am and container is self.master_container:
            self.am_exit_status = container.exit_status
            self.rm.dispatcher.dispatch(self.handle, E.CONTAINER_FINISHED, container)
        elif not self.state.is_final:
            self.completed.append(container.status())

    # The lifecycle

    def handle(self, event, payload=None):
        """
        Handle an :class:`RMAppAttemptEventType`.  Payloads: the AM :class:`RMContainer` for
        CONTAINER_ALLOCATED and CONTAINER_FINISHED, the register / finish request for REGISTERED
        and UNREGISTERED, a diagnostic for KILL and LAUNCH_FAILED.
        """
        target = RM_APP_ATTEMPT_TRANSITIONS.next_state(self.state, event, self._target_for(event))
        if target is None:
            return
        if target is S.FINAL_SAVING:
            self._final_saving(event, payload)
            return
        self._set_state(event, target)
        rm = self.rm
        if event is E.START:
            kept = rm.scheduler.add_attempt(
                self.attempt_id, None if self.unmanaged else self.app.submission_context.resource
            )
            rm.transfer_kept_containers(self, kept)
            rm.dispatcher.dispatch(self.handle, E.ATTEMPT_ADDED)
        elif target is S.LAUNCHED_UNMANAGED_SAVING:
            rm.state_store.save(rm.dispatcher.dispatch, self.handle, E.ATTEMPT_NEW_SAVED)
        elif event is E.CONTAINER_ALLOCATED:
            self.master_container = payload
            rm.dispatcher.dispatch(payload.handle, RMContainerEventType.ACQUIRED)
            rm.state_store.save(rm.dispatcher.dispatch, self.handle, E.ATTEMPT_NEW_SAVED)
        elif target is S.ALLOCATED:
            rm.launcher.launch(self)
        elif target is S.LAUNCHED:
            self.launch_time = rm.now()
            rm.am_liveness.register(self.attempt_id, self.launch_time)
        elif event is E.REGISTERED:
            self.host = payload.host
            self.rpc_port = payload.rpc_port
            self.original_tracking_url = payload.tracking_url
            self.last_response_id = 0
            rm.events.emit(AMRegistered(rm.now(), self.attempt_id, payload.host, payload.rpc_port,
                                        payload.tracking_url))
            rm.dispatcher.dispatch(self.app.handle, RMAppEventType.ATTEMPT_REGISTERED)
        elif target is S.FINISHING:
            rm.am_liveness.register(self.attempt_id, rm.now())
            rm.dispatcher.dispatch(self.app.handle, RMAppEventType.ATTEMPT_UNREGISTERED, self)
        elif target.is_final:
            self._done()

    def _target_for(self, event):
        if event is E.ATTEMPT_ADDED:
            return S.LAUNCHED_UNMANAGED_SAVING if self.unmanaged else S.SCHEDULED
        if event is E.ATTEMPT_UPDATE_SAVED:
            return self.target_final_state
        if (event is E.CONTAINER_FINISHED and self.state is S.FINAL_SAVING
                and self.target_final_state is S.FINISHING):
            # The AM container exited after unregistering but before the final state was
            # stored: nothing is left to wait for in FINISHING (Hadoop's
            # ContainerFinishedAtFinalSavingTransition).
            self.target_final_state = S.FINISHED
        return None

    def _set_state(self, event, target):
        old = self.state
        self.state = target
        if old != target:
            rm = self.rm
            rm.events.emit(AttemptStateChanged(rm.now(), self.attempt_id, old, target, event.value,
                                               self.diagnostics if target.is_final else ""))

    def _final_saving(self, event, payload):
        """
        Enter FINAL_SAVING on an input that ends the attempt, remembering the final state it
        leads to: KILLED for a kill, FINISHING for an unregistration (FINISHED when unmanaged),
        FAILED otherwise.
        """
        rm = self.rm
        if event is E.KILL:
            final = S.KILLED
            self.diagnostics = payload or "Attempt killed"
        elif event is E.UNREGISTERED:
            final = S.FINISHED if self.unmanaged else S.FINISHING
            self.final_status = payload.final_application_status
            self.diagnostics = payload.diagnostics
            if payload.tracking_url:
                self.original_tracking_url = payload.tracking_url
            rm.events.emit(AMUnregistered(rm.now(), self.attempt_id, self.final_status,
                                          payload.diagnostics))
        else:
            final = S.FAILED
            if event is E.CONTAINER_FINISHED:
                self.diagnostics = (
                    f"AM Container for {self.attempt_id} exited with  exitCode: "
                    f"{payload.exit_status}\nFailing this attempt.Diagnostics: {payload.diagnostics}"
                )
            elif event is E.EXPIRE:
                self.diagnostics = f"ApplicationMaster for attempt {self.attempt_id} timed out"
            elif event is E.REGISTERED:
                self.diagnostics = (
                    f"Unexpected AM registered event for {self.attempt_id} in state {self.state}"
                )
            else:
                self.diagnostics = str(payload or "")
        self.before_final_saving = self.state
        self.target_final_state = final
        rm.am_liveness.unregister(self.attempt_id)
        self._set_state(event, S.FINAL_SAVING)
        rm.state_store.save(rm.dispatcher.dispatch, self.handle, E.ATTEMPT_UPDATE_SAVED)

    def _keeps_containers(self):
        """
        Whether a failed attempt leaves its RUNNING containers to the next attempt: as Hadoop,
        only with keep-containers, for a managed AM, and when another attempt may follow (the
        failure does not count, or this was not maybe the last attempt) — and not while the
        application is being killed, when none will.
        """
        return (self.app.submission_context.keep_containers_across_application_attempts
                and not self.unmanaged
                and (not self.counts_towards_max_attempts or not self.maybe_last)
                and self.app.state is not RMAppState.KILLING)

    def _done(self):
        """The attempt reached FINISHED, FAILED or KILLED: give back what it holds, tell the app."""
        rm = self.rm
        self.finish_time = rm.now()
        rm.am_liveness.unregister(self.attempt_id)
        rm.live_attempts.pop(self.attempt_id, None)
        self.newly_allocated.clear()
        keep = self.state is S.FAILED and self._keeps_containers()
        if keep:
            # As Hadoop, only RUNNING containers pass to the next attempt: the others are killed.
            for container in self.containers:
                if not container.state.is_final and container.state is not RMContainerState.RUNNING:
                    rm.dispatcher.dispatch(container.handle, RMContainerEventType.KILL,
                                           (ContainerExitStatus.ABORTED, COMPLETED_APPLICATION))
        for live in rm.scheduler.remove_attempt(self.attempt_id, keep_containers=keep):
            container = rm.containers.get(live.container_id)
            if container is not None:
                rm.dispatcher.dispatch(container.handle, RMContainerEventType.KILL,
                                       (ContainerExitStatus.ABORTED, COMPLETED_APPLICATION))
        if self.state is S.FAILED:
            rm.dispatcher.dispatch(self.app.handle, RMAppEventType.ATTEMPT_FAILED, self)
        elif self.state is S.KILLED:
            rm.dispatcher.dispatch(self.app.handle, RMAppEventType.ATTEMPT_KILLED, self)
        else:
            rm.dispatcher.dispatch(self.app.handle, RMAppEventType.ATTEMPT_FINISHED, self)
