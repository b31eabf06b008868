"""
:class:`AMRMClientAsync`: an :class:`~yarnemu.client.amrm_client.AMRMClient` that heartbeats on
its own every interval and calls a handler, as Hadoop's ``AMRMClientAsync`` does.
"""

from yarnemu.errors import ApplicationAttemptNotFoundException

__all__ = ["AMRMClientAsync", "AMRMCallbackHandler"]


class AMRMCallbackHandler:
    """The callbacks of :class:`AMRMClientAsync`; override what you need."""

    def on_containers_allocated(self, containers):
        """New containers (``Container`` records)."""

    def on_containers_completed(self, statuses):
        """Completed containers (``ContainerStatus`` records)."""

    def on_nodes_updated(self, reports):
        """Nodes that changed state (``NodeReport`` records)."""

    def on_shutdown_request(self):
        """The RM no longer knows this attempt: the AM should end."""

    def on_error(self, error):
        """An allocate failed; heartbeating stops."""

    def get_progress(self):
        return 0.0


class AMRMClientAsync:
    """
    :param client: the :class:`~yarnemu.client.amrm_client.AMRMClient`.
    :param clock: an ``IReactorTime``.
    :param int interval_ms: time between heartbeats (Hadoop has no default: the AM chooses).
    :param handler: an :class:`AMRMCallbackHandler`.
    """

    def __init__(self, client, clock, interval_ms, handler):
        self.client = client
        self._clock = clock
        self.interval_ms = interval_ms
        self._handler = handler
        self._call = None

    @property
    def running(self):
        return self._call is not None

    def start(self):
        """Heartbeat every interval from now on."""
        if self._call is None:
            self._call = self._clock.callLater(self.interval_ms / 1000.0, self._heartbeat)

    def stop(self):
        if self._call is not None:
            if self._call.active():
                self._call.cancel()
            self._call = None

    def set_heartbeat_interval(self, interval_ms):
        """Use ``interval_ms`` from the next heartbeat on."""
        self.interval_ms = interval_ms

    def heartbeat_now(self):
        """Heartbeat at once, then every interval."""
        self.stop()
        self._call = self._clock.callLater(0, self._heartbeat)

    def _heartbeat(self):
        self._call = None
        handler = self._handler
        try:
            response = self.client.allocate(handler.get_progress())
        except ApplicationAttemptNotFoundException:
            handler.on_shutdown_request()
            return
        except Exception as error:
            handler.on_error(error)
            return
        self._call = self._clock.callLater(self.interval_ms / 1000.0, self._heartbeat)
        if response.updated_nodes:
            handler.on_nodes_updated(list(response.updated_nodes))
        if response.completed_containers_statuses:
            handler.on_containers_completed(list(response.completed_containers_statuses))
        if response.allocated_containers:
            handler.on_containers_allocated(list(response.allocated_containers))
