"""
:class:`AMLauncher`: starts an attempt's AM container on its NodeManager, as the RM's
``AMLauncher`` does, adding the environment the RM gives every application master.
"""

from attrs import evolve

from yarnemu.lifecycle.rmattempt import RMAppAttemptEventType
from yarnemu.records.container_manager_protocol import StartContainerRequest
from yarnemu.records.states import RMAppAttemptState

__all__ = ["AMLauncher"]


class AMLauncher:
    """
    :param rm: the :class:`~yarnemu.resourcemanager.rm.ResourceManager`.
    :param container_managers: ``node_id → IContainerManagementProtocol`` (or ``None`` for a node
        that cannot be reached).
    """

    def __init__(self, rm, container_managers):
        self._rm = rm
        self._container_managers = container_managers

    def launch(self, attempt):
        """Launch the attempt's AM container, asynchronously (as on Hadoop's launcher thread)."""
        self._rm.clock.callLater(0, self._launch, attempt)

    def launch_context(self, attempt):
        """
        :return: the AM's launch context: the submitted one plus ``APP_SUBMIT_TIME_ENV``,
            ``MAX_APP_ATTEMPTS`` and ``APPLICATION_WEB_PROXY_BASE``.
        """
        app = attempt.app
        spec = app.submission_context.am_container_spec
        environment = dict(spec.environment)
        environment["APP_SUBMIT_TIME_ENV"] = str(app.submit_time)
        environment["MAX_APP_ATTEMPTS"] = str(app.max_app_attempts)
        environment["APPLICATION_WEB_PROXY_BASE"] = f"/proxy/{app.application_id}"
        return evolve(spec, environment=environment)

    def _launch(self, attempt):
        rm = self._rm
        if attempt.state is not RMAppAttemptState.ALLOCATED:
            return
        container = attempt.master_container.container
        manager = self._container_managers(container.node_id) if self._container_managers else None
        failure = None
        if manager is None:
            failure = f"java.net.ConnectException: NodeManager {container.node_id} is not reachable"
        else:
            response = manager.start_containers(
                [StartContainerRequest(container, self.launch_context(attempt))]
            )
            error = response.failed_requests.get(container.id)
            if error is not None:
                failure = f"{error.java_class}: {error.message}"
        if failure is None:
            rm.dispatcher.dispatch(attempt.handle, RMAppAttemptEventType.LAUNCHED)
        else:
            rm.dispatcher.dispatch(
                attempt.handle, RMAppAttemptEventType.LAUNCH_FAILED,
                f"Error launching {attempt.attempt_id}. Got exception: {failure}",
            )
