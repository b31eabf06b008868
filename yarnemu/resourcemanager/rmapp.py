"""
:class:`RMApp`: an application as the ResourceManager sees it — submission, admission to a queue,
its attempts and retries, and its end.
"""

from yarnemu.events import AppStateChanged
from yarnemu.lifecycle.rmapp import RM_APP_TRANSITIONS, RMAppEventType
from yarnemu.lifecycle.rmattempt import RMAppAttemptEventType
from yarnemu.records.client_protocol import ApplicationReport
from yarnemu.records.ids import ApplicationAttemptId
from yarnemu.records.states import FinalApplicationStatus, RMAppState, yarn_application_state
from yarnemu.resourcemanager.rmattempt import RMAppAttempt

__all__ = ["RMApp"]

E = RMAppEventType
S = RMAppState

_FINAL_STATUS_WITHOUT_AM = {
    S.FINISHING: FinalApplicationStatus.FAILED,
    S.FINISHED: FinalApplicationStatus.FAILED,
    S.FAILED: FinalApplicationStatus.FAILED,
    S.KILLED: FinalApplicationStatus.KILLED,
}


class RMApp:
    """
    :ivar submission_context: the :class:`ApplicationSubmissionContext` it was submitted with.
    :ivar attempts: its :class:`RMAppAttempt` objects, first to current.
    :ivar ran_nodes: nodes where its containers ran, told to clean up when it ends.
    :ivar int memory_seconds: MB × seconds held by its completed containers (Hadoop's
        ``RMAppAttemptMetrics``); the running ones are added by ``ResourceManager.usage_of``.
    :ivar int vcore_seconds: the same in virtual cores.
    """

    def __init__(self, rm, submission_context, user, max_app_attempts, now):
        self.rm = rm
        self.submission_context = submission_context
        self.application_id = submission_context.application_id
        self.user = user
        self.queue = submission_context.queue
        self.max_app_attempts = max_app_attempts
        self.state = S.NEW
        self.before_final_saving = None
        self.before_killing = None
        self.target_final_state = None
        self.attempt_finished_while_saving = False
        self.accepted = False
        self.attempts = []
        self.diagnostics = ""
        self.submit_time = now
        self.finish_time = 0
        self.ran_nodes = set()
        self.failure_times = []
        self.memory_seconds = 0
        self.vcore_seconds = 0

    @property
    def current_attempt(self):
        return self.attempts[-1] if self.attempts else None

    @property
    def yarn_state(self):
        """The :class:`YarnApplicationState` clients see."""
        return yarn_application_state(self.state, self.before_final_saving, self.before_killing)

    @property
    def final_application_status(self):
        """The AM's final status if it unregistered with one, else YARN's default for the state."""
        attempt = self.current_attempt
        if attempt is not None and attempt.final_status is not None:
            return attempt.final_status
        return _FINAL_STATUS_WITHOUT_AM.get(self.state, FinalApplicationStatus.UNDEFINED)

    def container_finished(self, container):
        """
        Add a container that reached its final state to the aggregate usage: its resource times
        the milliseconds from allocation to completion, in whole seconds per container.
        """
        used_ms = container.finish_time - container.creation_time
        resource = container.resource
        self.memory_seconds += resource.memory * used_ms // 1000
        self.vcore_seconds += resource.vcores * used_ms // 1000

    def report(self):
        """:return: the application's :class:`ApplicationReport`."""
        rm = self.rm
        ctx = self.submission_context
        attempt = self.current_attempt
        usage = rm.usage_of(self)
        master = attempt.master_container if attempt else None
        return ApplicationReport(
            application_id=self.application_id,
            current_application_attempt_id=attempt.attempt_id if attempt else None,
            user=self.user,
            queue=self.queue,
            name=ctx.application_name,
            host=attempt.host if attempt else "N/A",
            rpc_port=attempt.rpc_port if attempt else -1,
            yarn_application_state=self.yarn_state,
            diagnostics=self.diagnostics or rm.pending_diagnostics(self),
            tracking_url=rm.proxy_url(self.application_id),
            original_tracking_url=(attempt.original_tracking_url if attempt else "") or "N/A",
            start_time=self.submit_time,
            launch_time=attempt.launch_time if attempt else 0,
            finish_time=self.finish_time,
            final_application_status=self.final_application_status,
            application_resource_usage_report=usage,
            progress=1.0 if self.state.is_final else (attempt.progress if attempt else 0.0),
            application_type=ctx.application_type,
            application_tags=ctx.application_tags,
            priority=ctx.priority,
            unmanaged_application=ctx.unmanaged_am,
            submit_time=self.submit_time,
            am_container_id=master.container_id if master else None,
            am_host_http_address=master.container.node_http_address if master else "",
        )

    def handle(self, event, payload=None):
        """
        Handle an :class:`RMAppEventType`.  Payloads: the rejection diagnostic for APP_REJECTED,
        the attempt for ATTEMPT_* events, the kill diagnostic for KILL.
        """
        target = RM_APP_TRANSITIONS.next_state(self.state, event, self._target_for(event, payload))
        if target is None:
            return
        if target is S.FINAL_SAVING:
            self._final_saving(event, payload)
            return
        rm = self.rm
        if event is E.KILL and target is S.KILLING:
            self.before_killing = self.state
        self._set_state(event, target)

        if event is E.START:
            rm.state_store.save(rm.dispatcher.dispatch, self.handle, E.APP_NEW_SAVED)
        elif event is E.APP_NEW_SAVED:
            ctx = self.submission_context
            rejection = rm.scheduler.add_application(self.application_id, ctx.queue, self.user,
                                                     ctx.priority)
            if rejection is not None:
                rm.dispatcher.dispatch(self.handle, E.APP_REJECTED, rejection)
            else:
                self.queue = rm.scheduler.queue_of(self.application_id)
                self.accepted = True
                rm.dispatcher.dispatch(self.handle, E.APP_ACCEPTED)
        elif target is S.ACCEPTED:
            # Accepted by the scheduler, or an attempt failed and another one follows.
            self._start_attempt()
        elif target is S.KILLING:
            rm.dispatcher.dispatch(self.current_attempt.handle, RMAppAttemptEventType.KILL,
                                   payload)
        elif event is E.ATTEMPT_FINISHED and target is S.FINISHED and not self.diagnostics:
            # An unmanaged AM finishes without FINISHING: keep what it said when it unregistered.
            self.diagnostics = payload.diagnostics
            self._done()
        elif target.is_final:
            self._done()

    def _target_for(self, event, payload):
        if event is E.ATTEMPT_FAILED and self.state in (S.ACCEPTED, S.RUNNING):
            return S.ACCEPTED if self._retry_after(payload) else S.FINAL_SAVING
        if event is E.APP_UPDATE_SAVED:
            if self.target_final_state is S.FINISHING and self.attempt_finished_while_saving:
                return S.FINISHED
            return self.target_final_state
        if event is E.ATTEMPT_FINISHED and self.state is S.FINAL_SAVING:
            self.attempt_finished_while_saving = True
        return None

    def _retry_after(self, attempt):
        """
        Count a failed attempt (unless its AM exit status is not the AM's fault) and say whether
        another attempt may start: failures so far are below the maximum attempts, counting only
        failures within ``attempt_failures_validity_interval`` when that is positive.
        """
        now = self.rm.now()
        if attempt.counts_towards_max_attempts:
            self.failure_times.append(now)
        return (not self.submission_context.unmanaged_am
                and self._failures(now) < self.max_app_attempts)

    def _failures(self, now):
        """:return: the failed attempts that count at ``now`` towards the maximum attempts."""
        interval = self.submission_context.attempt_failures_validity_interval
        if interval <= 0:
            return len(self.failure_times)
        return sum(1 for t in self.failure_times if t > now - interval)

    def _final_saving(self, event, payload):
        rm = self.rm
        if event is E.APP_REJECTED:
            final = S.FAILED
            self.diagnostics = payload
        elif event in (E.KILL, E.ATTEMPT_KILLED):
            final = S.KILLED
            if event is E.KILL:
                self.diagnostics = payload or "Application killed by user."
            elif not self.diagnostics:
                self.diagnostics = payload.diagnostics or "Application killed by user."
        elif event is E.ATTEMPT_UNREGISTERED:
            final = S.FINISHING
            self.diagnostics = payload.diagnostics
        elif event is E.ATTEMPT_FAILED and self.state is S.KILLING:
            final = S.KILLED
        else:
            final = S.FAILED
            failures = len(self.failure_times)
            self.diagnostics = (
                f"Application {self.application_id} failed {failures} times due to "
                f"{payload.diagnostics}. Failing the application."
            )
        self.before_final_saving = self.state
        self.target_final_state = final
        self._set_state(event, S.FINAL_SAVING)
        rm.state_store.save(rm.dispatcher.dispatch, self.handle, E.APP_UPDATE_SAVED)

    def _set_state(self, event, target):
        old = self.state
        self.state = target
        if old != target:
            rm = self.rm
            rm.events.emit(AppStateChanged(rm.now(), self.application_id, old, target, event.value,
                                           self.diagnostics if target in (S.FAILED, S.KILLED) else ""))

    def _start_attempt(self):
        rm = self.rm
        attempt_id = ApplicationAttemptId(self.application_id, len(self.attempts) + 1)
        now = rm.now()
        # Hadoop's maybeLastAttempt: one more counted failure would end the application.
        attempt = RMAppAttempt(rm, self, attempt_id, now,
                               maybe_last=self._failures(now) + 1 >= self.max_app_attempts)
        self.attempts.append(attempt)
        rm.live_attempts[attempt_id] = attempt
        rm.dispatcher.dispatch(attempt.handle, RMAppAttemptEventType.START)

    def _done(self):
        rm = self.rm
        self.finish_time = rm.now()
        rm.application_done(self)

