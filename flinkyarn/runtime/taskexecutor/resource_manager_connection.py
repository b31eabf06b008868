"""
:class:`ResourceManagerConnection`: a TaskExecutor's connection to the ResourceManager — how it
registers, keeps the registration alive and registers again (the parts of Flink's
``TaskExecutor`` that drive ``TaskExecutorToResourceManagerConnection``).

Connecting starts a :class:`~flinkyarn.runtime.taskexecutor.registration.RetryingRegistration`
and the registration timeout (``taskmanager.registration.timeout``, 5 min): a TaskExecutor that
is not registered by then is fatally broken.  A success establishes the connection: the
TaskExecutor sends its initial slot report and expects the ResourceManager's heartbeat requests;
when they stop for ``heartbeat.timeout`` it closes the connection (telling the ResourceManager)
and connects again.  A decline is fatal.
"""

from flinkyarn.runtime.errors import (
    FlinkException,
    RegistrationTimeoutException,
    TaskManagerException,
)
from flinkyarn.runtime.heartbeat import HeartbeatReceiver
from flinkyarn.runtime.taskexecutor.registration import RetryingRegistration
from yarnemu.timers import call_later_ms

__all__ = ["ResourceManagerConnection", "TASK_EXECUTOR_LOGGER"]

TASK_EXECUTOR_LOGGER = "org.apache.flink.runtime.taskexecutor.TaskExecutor"


class ResourceManagerConnection:
    """
    :param clock: the process's clock.
    :param log: the process's :class:`~flinkyarn.runtime.process.FlinkLog`.
    :param rpc_service: the process's :class:`~flinkyarn.runtime.rpc.RpcService`.
    :param str address: the ResourceManager's RPC address.
    :param registration: the ``TaskExecutorRegistration`` to register with.
    :param configuration: the ``TaskManagerConfiguration``.
    :param slot_report: ``() → SlotReport``, the TaskExecutor's slots now.
    :param on_fatal_error: called with the error that ends the process.

    :ivar registration_id: the id the ResourceManager gave, while connected.
    :ivar resource_manager_id: the ResourceManager's ResourceID, while connected.
    """

    def __init__(self, clock, log, rpc_service, address, registration, configuration,
                 slot_report, on_fatal_error):
        self._clock = clock
        self._log = log
        self.address = address
        self._gateway = rpc_service.connect(address)
        self._registration = registration
        self._configuration = configuration
        self._slot_report = slot_report
        self._on_fatal_error = on_fatal_error
        self._heartbeats = HeartbeatReceiver(clock, configuration.heartbeat_timeout_ms,
                                             self._heartbeat_timed_out)
        self._pending = None
        self._registration_timeout = None
        self.registration_id = None
        self.resource_manager_id = None

    @property
    def resource_id(self):
        return self._registration.resource_id

    @property
    def established(self):
        return self.registration_id is not None

    def start(self):
        """Connect: register (again), within the registration timeout."""
        self._start_registration_timeout()
        self._info(f"Connecting to ResourceManager {self.address}.")
        self._pending = RetryingRegistration(
            self._clock, self._registration_log, "ResourceManager", self.address,
            lambda: self._gateway.register_task_executor(self._registration),
            self._configuration, self._registered, self._declined)
        self._pending.start()

    def reconnect(self, cause):
        """Close the connection (telling the ResourceManager why) and connect again."""
        self.close(cause)
        self.start()

    def close(self, cause):
        """Close the connection, or stop registering."""
        if self.established:
            self._info(f"Close ResourceManager connection {self.resource_manager_id}.")
            self._heartbeats.unmonitor(self.resource_manager_id)
            self._gateway.disconnect_task_manager(self.resource_id, cause).addErrback(_ignore)
            self.registration_id = None
            self.resource_manager_id = None
        if self._pending is not None:
            if not self._pending.done:
                self._info(f"Terminating registration attempts towards ResourceManager "
                           f"{self.address}.")
            self._pending.cancel()
            self._pending = None

    def stop(self, cause):
        """The TaskExecutor shuts down: close for good."""
        self.close(cause)
        self._stop_registration_timeout()
        self._heartbeats.stop()

    def heartbeat_requested(self, resource_manager_id):
        """The ResourceManager asked for a heartbeat."""
        self._heartbeats.received(resource_manager_id)

    def notify_slot_available(self, slot_id, allocation_id):
        """Tell the ResourceManager (if connected) that a slot is free again."""
        if self.established:
            self._gateway.notify_slot_available(self.resource_id, self.registration_id, slot_id,
                                                allocation_id).addErrback(_ignore)

    # Registration

    def _registered(self, success):
        self._pending = None
        self.registration_id = success.registration_id
        self.resource_manager_id = success.resource_id
        self._info(f"Successful registration at resource manager {self.address} under "
                   f"registration id {success.registration_id}.")
        self._stop_registration_timeout()
        registration_id = self.registration_id
        d = self._gateway.send_slot_report(self.resource_id, registration_id, self._slot_report())
        d.addErrback(self._slot_report_failed, registration_id)
        self._heartbeats.monitor(self.resource_manager_id)

    def _slot_report_failed(self, failure, registration_id):
        if self.registration_id == registration_id:
            self.reconnect(TaskManagerException(
                "Failed to send initial slot report to ResourceManager. "
                f"{failure.getErrorMessage()}"))

    def _declined(self, decline):
        self._pending = None
        self._on_fatal_error(FlinkException(
            f"The TaskExecutor's registration at the ResourceManager {self.address} has been "
            f"rejected: {decline.reason}"))

    def _start_registration_timeout(self):
        self._stop_registration_timeout()
        self._registration_timeout = call_later_ms(
            self._clock, self._configuration.max_registration_ms, self._registration_timed_out)

    def _stop_registration_timeout(self):
        if self._registration_timeout is not None and self._registration_timeout.active():
            self._registration_timeout.cancel()
        self._registration_timeout = None

    def _registration_timed_out(self):
        self._registration_timeout = None
        self._on_fatal_error(RegistrationTimeoutException(
            "Could not register at the ResourceManager within the specified maximum "
            f"registration duration {self._configuration.max_registration_ms} ms. This "
            "indicates a problem with this instance. Terminating now."))

    # Heartbeats

    def _heartbeat_timed_out(self, resource_manager_id, how):
        if not self.established or resource_manager_id != self.resource_manager_id:
            return
        message = f"The heartbeat of ResourceManager with id {resource_manager_id} timed out."
        self._info(message)
        self.reconnect(TaskManagerException(message))

    # Logging

    def _info(self, message):
        self._log.info(TASK_EXECUTOR_LOGGER, message)

    def _registration_log(self, level, message):
        getattr(self._log, level)(TASK_EXECUTOR_LOGGER, message)


def _ignore(failure):
    """A one-way message: whether it arrived does not matter."""
    return None
