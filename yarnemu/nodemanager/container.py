"""
:class:`NMContainer`: a container's life inside its NodeManager — localization, launch, exit or
kill, cleanup — and the status it reports to the ResourceManager.
"""

from yarnemu.events import NMContainerStateChanged
from yarnemu.lifecycle.nmcontainer import NM_CONTAINER_TRANSITIONS, ContainerEventType
from yarnemu.nodemanager.executor import ContainerLaunch
from yarnemu.nodemanager.localizer import LocalizationError
from yarnemu.records.containers import ContainerStatus
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.states import NMContainerState, public_container_state

__all__ = ["NMContainer"]

E = ContainerEventType
S = NMContainerState


class NMContainer:
    """
    :ivar container: the :class:`~yarnemu.records.Container` record it was started for.
    :ivar launch_context: its :class:`~yarnemu.records.ContainerLaunchContext`.
    :ivar int exit_code: the exit status it reports: the process exit code, or the
        ``ContainerExitStatus`` of the kill that ended it.
    """

    def __init__(self, nm, container, launch_context, user, working_dir, log_dir):
        self.nm = nm
        self.container = container
        self.launch_context = launch_context
        self.user = user
        self.working_dir = working_dir
        self.log_dir = log_dir
        self.state = S.NEW
        self.exit_code = ContainerExitStatus.INVALID
        self.diagnostics = []
        self.running = None
        self.environment = None
        self.abandoned = False

    @property
    def container_id(self):
        return self.container.id

    @property
    def application_id(self):
        return self.container.id.application_id

    def status(self):
        """:return: the :class:`ContainerStatus` the NodeManager reports for it now."""
        return ContainerStatus(self.container.id, public_container_state(self.state),
                               int(self.exit_code), "".join(self.diagnostics),
                               self.container.resource)

    def handle(self, event, payload=None):
        """
        Handle a :class:`ContainerEventType`.  Payloads: ``(exit_code, diagnostics)`` for exits,
        ``(ContainerExitStatus, diagnostics)`` for KILL_CONTAINER, a diagnostic for
        RESOURCE_FAILED.
        """
        if self.abandoned:
            return
        target = NM_CONTAINER_TRANSITIONS.next_state(self.state, event, self._target_for(event))
        if target is None:
            return
        if event is E.KILL_CONTAINER:
            reason, diagnostics = payload
            self.exit_code = reason
            self.diagnostics.append(diagnostics)
        elif event is E.RESOURCE_FAILED:
            self.diagnostics.append(payload)
        elif event in (E.CONTAINER_EXITED_WITH_SUCCESS, E.CONTAINER_EXITED_WITH_FAILURE,
                       E.CONTAINER_KILLED_ON_REQUEST):
            code, diagnostics = payload
            # code is None for a container killed before it was launched: no process exited.
            if code is not None and self.exit_code == ContainerExitStatus.INVALID:
                self.exit_code = code
            if code is None:
                pass
            elif event is E.CONTAINER_EXITED_WITH_FAILURE:
                self.diagnostics.append(
                    f"Exception from container-launch.\nContainer id: {self.container_id}\n"
                    f"Exit code: {code}\n{diagnostics}"
                )
            elif event is E.CONTAINER_KILLED_ON_REQUEST or self.state is S.KILLING:
                self.diagnostics.append(
                    f"\nContainer killed on request. Exit code is {code}\n"
                    f"Container exited with a non-zero exit code {code}. "
                )
        self._set_state(target)
        nm = self.nm
        if target is S.LOCALIZING:
            nm.clock.callLater(0, self._localize)
        elif target is S.SCHEDULED:
            nm.clock.callLater(0, self._launch)
        elif target in (S.EXITED_WITH_SUCCESS, S.EXITED_WITH_FAILURE, S.LOCALIZATION_FAILED,
                        S.CONTAINER_CLEANEDUP_AFTER_KILL):
            self.handle(E.CONTAINER_RESOURCES_CLEANEDUP)
        elif target is S.KILLING:
            if self.running is not None:
                self.running.terminate()
            else:
                self.handle(E.CONTAINER_KILLED_ON_REQUEST, (None, ""))
        elif target is S.DONE:
            nm.container_done(self)

    def abandon(self):
        """
        Its node died: its program is gone at once, and nothing more happens to it — no state
        change, no event, no status.
        """
        self.abandoned = True
        if self.running is not None:
            self.running.abandon()
            self.running = None

    def _target_for(self, event):
        if event is E.INIT_CONTAINER:
            return S.LOCALIZING if self.launch_context.local_resources else S.SCHEDULED
        return None

    def _set_state(self, target):
        old = self.state
        self.state = target
        nm = self.nm
        done = target is S.DONE
        nm.events.emit(NMContainerStateChanged(
            nm.events.now(), nm.node_id, self.container.id, old, target,
            int(self.exit_code) if done else None, "".join(self.diagnostics) if done else "",
        ))
        if public_container_state(old) is not public_container_state(target):
            nm.status_changed(self)

    def _localize(self):
        if self.state is not S.LOCALIZING or self.abandoned:
            return
        try:
            self.nm.localizer.localize(self.launch_context.local_resources, self.user,
                                       self.application_id, self.working_dir)
        except LocalizationError as error:
            self.handle(E.RESOURCE_FAILED, str(error))
            return
        self.handle(E.RESOURCE_LOCALIZED)

    def _launch(self):
        if self.state is not S.SCHEDULED or self.abandoned:
            return
        nm = self.nm
        self.environment = nm.container_environment(self)
        self.handle(E.CONTAINER_LAUNCHED)
        self.running = nm.executor.launch(ContainerLaunch(
            container_id=self.container.id,
            node_id=nm.node_id,
            user=self.user,
            commands=self.launch_context.commands,
            environment=self.environment,
            working_dir=self.working_dir,
            log_dir=self.log_dir,
            on_exit=self._exited,
        ))

    def _exited(self, code, diagnostics):
        if self.state is S.KILLING:
            self.handle(E.CONTAINER_KILLED_ON_REQUEST, (code, diagnostics))
        elif code == 0:
            self.handle(E.CONTAINER_EXITED_WITH_SUCCESS, (code, diagnostics))
        else:
            self.handle(E.CONTAINER_EXITED_WITH_FAILURE, (code, diagnostics))
