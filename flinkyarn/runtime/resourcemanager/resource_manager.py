"""
:class:`ResourceManager`: Flink's ResourceManager endpoint in the JobManager process
(``resourcemanager_0``), implementing :class:`~flinkyarn.runtime.gateways.
IResourceManagerGateway`.

Protocol, as Flink's ``ResourceManager`` / ``ActiveResourceManager``:

- **JobMasters** register (``register_job_master``) and are heartbeated
  (``heartbeat_from_resource_manager``); they declare absolute slot requirements
  (``declare_required_resources``), which the :class:`~flinkyarn.runtime.resourcemanager.
  slot_manager.SlotManager` meets with free slots (``request_slot`` on a TaskExecutor, which
  then offers the slot to the JobMaster) or with new workers.  A JobMaster that disconnects with a
  globally terminal job status has its requirements dropped.
- **TaskExecutors** register (``register_task_executor``): one whose worker the
  ResourceManager did not start, or no longer wants, is declined ("Discard registration from
  TaskExecutor …").  Then they send their slot report (``send_slot_report``: "Worker … is
  registered.") and are heartbeated (``heartbeat_from_resource_manager``, answered with their slot
  report).  A TaskExecutor whose heartbeat times out, that disconnects, whose worker terminates or
  is released has its connection closed: its slots are gone, every JobMaster is told
  (``disconnect_task_manager``) and so is the TaskExecutor (``disconnect_resource_manager``).
- **Workers** come from the driver: on an active cluster as many as the slot manager declares
  (:class:`~flinkyarn.runtime.resourcemanager.workers.ActiveWorkers`) — of the default spec, and
  of specs sized to requirements that declare resources; with ``fixed_workers`` a
  standalone cluster of that many (:class:`~flinkyarn.runtime.resourcemanager.fixed_workers.
  FixedWorkers`).

Every timer runs on the JobManager process's clock.
"""

import zlib

from twisted.internet.defer import maybeDeferred, succeed
from zope.interface import implementer

from flinkyarn.config import TaskExecutorProcessSpec
from flinkyarn.config import options as o
from flinkyarn.config.values import Duration
from flinkyarn.events import TaskManagerRegistered
from flinkyarn.graph.errors import FlinkError
from flinkyarn.ids import IdGenerator, ResourceID
from flinkyarn.runtime.errors import ResourceManagerException, TimeoutException
from flinkyarn.runtime.gateways import RESOURCE_MANAGER_NAME, IResourceManagerGateway
from flinkyarn.runtime.heartbeat import TIMED_OUT, HeartbeatSender
from flinkyarn.runtime.messages import RegistrationDecline, RegistrationSuccess
from flinkyarn.runtime.resourcemanager.driver import IResourceEventHandler
from flinkyarn.runtime.resourcemanager.fixed_workers import FixedWorkers
from flinkyarn.runtime.resourcemanager.slot_manager import SlotManager
from flinkyarn.runtime.resourcemanager.views import SlotInfo, TaskManagerInfo
from flinkyarn.runtime.resourcemanager.worker_spec import WorkerResourceSpec, process_spec_of
from flinkyarn.runtime.resourcemanager.workers import ActiveWorkers
from flinkyarn.states import JobStatus
from yarnemu.timers import now_ms

__all__ = ["ResourceManager", "REQUIREMENT_CHECK_DELAY_KEY"]

REQUIREMENT_CHECK_DELAY_KEY = "slotmanager.requirement-check.delay"
_DEFAULT_REQUIREMENT_CHECK_DELAY = Duration.of_millis(50)
_LOGGER = "org.apache.flink.runtime.resourcemanager.active.ActiveResourceManager"
_STANDALONE_LOGGER = "org.apache.flink.runtime.resourcemanager.StandaloneResourceManager"


class _TaskExecutorConnection:
    """A registered TaskExecutor, as the ResourceManager holds it (``WorkerRegistration``)."""

    __slots__ = ("registration", "instance_id", "gateway", "worker", "registered_ms",
                 "last_heartbeat_ms")

    def __init__(self, registration, instance_id, gateway, worker, registered_ms):
        self.registration = registration
        self.instance_id = instance_id
        self.gateway = gateway
        self.worker = worker
        self.registered_ms = registered_ms
        self.last_heartbeat_ms = registered_ms


class _JobManagerRegistration:
    __slots__ = ("job_id", "job_master_id", "resource_id", "address", "gateway")

    def __init__(self, job_id, job_master_id, resource_id, address, gateway):
        self.job_id = job_id
        self.job_master_id = job_master_id
        self.resource_id = resource_id
        self.address = address
        self.gateway = gateway


@implementer(IResourceManagerGateway, IResourceEventHandler)
class ResourceManager:
    """
    :param rpc_service: the JobManager process's :class:`~flinkyarn.runtime.rpc.RpcService`.
    :param config: the JobManager's effective :class:`~flinkyarn.config.Configuration`: worker
        size (``TaskExecutorProcessSpec.for_yarn``), heartbeats, the ``resourcemanager.*`` and
        ``slotmanager.*`` options.
    :param log: the JobManager's :class:`~flinkyarn.runtime.process.FlinkLog`.
    :param clock: the JobManager process's (scoped) clock: every timer runs on it.
    :param events: the cluster's event stream (or ``None``), for
        :class:`~flinkyarn.events.TaskManagerRegistered`.
    :param application_id: the YARN application id (events say which cluster).
    :param driver: the :class:`~flinkyarn.runtime.resourcemanager.driver.
        IResourceManagerDriver` (a :class:`~flinkyarn.runtime.resourcemanager.yarn_driver.
        YarnResourceManagerDriver`); ``None`` only for a standalone cluster whose TaskManagers
        someone else starts.
    :param resource_id: the JobManager process's :class:`~flinkyarn.ids.ResourceID`.
    :param int fixed_workers: ``None`` for an active cluster (workers on demand); a number for
        a standalone session of exactly that many workers, started at :meth:`start`.
    :param fatal_error_handler: called with the error of a fatal failure (a shutdown request
        from YARN, an error in the driver); by default the process crashes with it.
    :param ids: an :class:`~flinkyarn.ids.IdGenerator` (allocation and registration ids); by
        default one seeded from ``resource_id``.
    """

    def __init__(self, rpc_service, config, log, clock, events, application_id, driver,
                 resource_id, fixed_workers=None, *, fatal_error_handler=None, ids=None):
        self._rpc = rpc_service
        self.config = config
        self._log = log
        self._clock = clock
        self._events = events
        self.application_id = application_id
        self.driver = driver
        self.resource_id = resource_id
        self.active = fixed_workers is None
        self._fatal_error_handler = fatal_error_handler or self._crash
        self._ids = ids if ids is not None else IdGenerator(
            zlib.crc32(f"resourcemanager:{resource_id}".encode()))
        self.resource_manager_id = self._new_id()
        self.address = None
        self.process_spec = TaskExecutorProcessSpec.for_yarn(config)
        self.worker_spec = WorkerResourceSpec.from_process_spec(self.process_spec)
        self._sized_process_specs = {}
        self.slot_manager = SlotManager(
            clock, log, self._ids, self.resource_manager_id,
            worker_spec=self.worker_spec, active=self.active,
            task_manager_timeout_ms=config.get(o.TASK_MANAGER_TIMEOUT),
            redundant_task_managers=config.get(o.REDUNDANT_TASK_MANAGER_NUM),
            requirement_check_delay=config.get_duration(
                REQUIREMENT_CHECK_DELAY_KEY, _DEFAULT_REQUIREMENT_CHECK_DELAY).seconds,
            declare=self._declare_resources_needed)
        if self.active:
            self.workers = ActiveWorkers(
                clock, log, driver, process_spec_of=self._process_spec_of,
                registration_timeout=config.get(o.TASK_MANAGER_REGISTRATION_TIMEOUT),
                max_failure_rate=config.get(o.START_WORKER_MAX_FAILURE_RATE),
                retry_interval=config.get(o.START_WORKER_RETRY_INTERVAL),
                close_connection=self.close_task_manager_connection)
        else:
            self.workers = FixedWorkers(clock, log, driver, count=fixed_workers,
                                        spec=self.worker_spec, process_spec=self.process_spec)
        interval = config.get(o.HEARTBEAT_INTERVAL)
        timeout = config.get(o.HEARTBEAT_TIMEOUT)
        threshold = config.get(o.HEARTBEAT_RPC_FAILURE_THRESHOLD)
        self._task_manager_heartbeats = HeartbeatSender(clock, interval, timeout, threshold,
                                                        self._task_manager_heartbeat_lost)
        self._job_manager_heartbeats = HeartbeatSender(clock, interval, timeout, threshold,
                                                       self._job_manager_heartbeat_lost)
        self._task_executors = {}
        self._job_managers = {}
        self.started = False

    # Lifecycle (called by the JobManager process, not over RPC)

    def start(self):
        """
        Serve as ``resourcemanager_<n>`` on the RPC service, initialize the driver (on YARN:
        register the application master), start the slot manager, and on a standalone cluster
        start its workers.

        :return: this endpoint's address.
        :raise ResourceManagerException: ``Cannot initialize resource provider.`` if the driver
            cannot start.
        """
        self.address = self._rpc.start_server(self, RESOURCE_MANAGER_NAME)
        self._log.info(_LOGGER if self.active else _STANDALONE_LOGGER,
                       "Starting the resource manager.")
        self.started = True
        if self.driver is not None:
            try:
                self.driver.initialize(self)
            except Exception as error:
                raise ResourceManagerException("Cannot initialize resource provider.") from error
        self.slot_manager.start()
        self.workers.start()
        return self.address

    def stop(self):
        """Stop serving: heartbeats, checks and timers end, the driver terminates."""
        if not self.started:
            return
        self.started = False
        self._task_manager_heartbeats.stop()
        self._job_manager_heartbeats.stop()
        self.slot_manager.stop()
        self.workers.stop()
        if self.driver is not None:
            self.driver.terminate()
        if self.address is not None:
            self._rpc.stop_server(self.address)

    def deregister_application(self, application_status, diagnostics=None):
        """
        The cluster ends with ``application_status`` (an
        :class:`~flinkyarn.states.ApplicationStatus`): deregister the application through the
        driver (on YARN: unregister, delete the staging directory).

        :return: a Deferred firing when done; a failure is only logged, as in Flink.
        """
        self._log.info(_LOGGER, "Shut down cluster because application is in "
                                f"{getattr(application_status, 'value', application_status)}, "
                                f"diagnostics {diagnostics if diagnostics else 'null'}.")
        if self.driver is None:
            return succeed(None)
        d = maybeDeferred(self.driver.deregister_application, application_status, diagnostics)
        d.addErrback(lambda failure: self._log.warn(
            _LOGGER, f"Could not properly shutdown the application. {failure.getErrorMessage()}"))
        return d

    # IResourceManagerGateway: JobMasters

    def register_job_master(self, job_master_id, job_master_resource_id, job_master_address,
                            job_id):
        self._log.info(_LOGGER, f"Registering job manager {job_master_id}@{job_master_address} "
                                f"for job {job_id}.")
        current = self._job_managers.get(job_id)
        if current is not None and current.job_master_id != job_master_id:
            self._close_job_manager_connection(
                job_id, False, FlinkError(f"New job leader for job {job_id} found."))
        gateway = self._rpc.connect(job_master_address)
        self._job_managers[job_id] = _JobManagerRegistration(
            job_id, job_master_id, job_master_resource_id, job_master_address, gateway)
        self._log.info(_LOGGER, f"Registered job manager {job_master_id}@{job_master_address} "
                                f"for job {job_id}.")
        resource_id = self.resource_id
        self._job_manager_heartbeats.monitor(
            job_id, lambda: gateway.heartbeat_from_resource_manager(resource_id))
        return RegistrationSuccess(self.resource_manager_id, self.resource_id)

    def declare_required_resources(self, job_master_id, resource_requirements):
        job_id = resource_requirements.job_id
        registration = self._job_managers.get(job_id)
        if registration is None:
            raise ResourceManagerException(
                f"Could not find registered job manager for job {job_id}.")
        if registration.job_master_id != job_master_id:
            raise ResourceManagerException(
                f"The job leader's id {registration.job_master_id} does not match the received "
                f"id {job_master_id}.")
        self.slot_manager.process_resource_requirements(resource_requirements)
        return None

    def disconnect_job_manager(self, job_id, job_status, cause):
        """
        A JobMaster leaves: with a globally terminal job status (or none) its requirements are
        dropped; otherwise (SUSPENDED) they are kept for the next leader, as in Flink.
        """
        status = _job_status(job_status)
        clear = status is None or status.is_globally_terminal
        self._close_job_manager_connection(job_id, clear, _error(cause))
        if clear:
            self.slot_manager.clear_resource_requirements(job_id)
        return None

    # IResourceManagerGateway: TaskExecutors

    def register_task_executor(self, registration):
        resource_id = _resource_id(registration.resource_id)
        old = self._task_executors.pop(resource_id, None)
        if old is not None:
            self._task_manager_heartbeats.unmonitor(resource_id)
            self.slot_manager.unregister_task_manager(resource_id, ResourceManagerException(
                f"TaskExecutor {old.worker} re-connected to the ResourceManager."))
        worker = self.workers.accept_registration(resource_id)
        if worker is None:
            self._log.warn(_LOGGER, f"Discard registration from TaskExecutor {resource_id} at "
                                    f"({registration.address}) because the framework did not "
                                    "recognize it")
            return RegistrationDecline("The ResourceManager does not recognize this "
                                       "TaskExecutor.")
        now = now_ms(self._clock)
        connection = _TaskExecutorConnection(registration, self._new_id(),
                                             self._rpc.connect(registration.address), worker, now)
        self._log.info(_LOGGER, f"Registering TaskManager with ResourceID {worker} "
                                f"({registration.address}) at ResourceManager")
        self._task_executors[resource_id] = connection
        gateway, rm_resource_id = connection.gateway, self.resource_id
        self._task_manager_heartbeats.monitor(
            resource_id, lambda: gateway.heartbeat_from_resource_manager(rm_resource_id),
            lambda report: self._task_manager_heartbeat(resource_id, connection, report))
        if self._events is not None:
            self._events.emit(TaskManagerRegistered(
                self._events.now(), self.application_id, str(resource_id),
                registration.number_of_slots, str(registration.node_id)))
        return RegistrationSuccess(connection.instance_id, self.resource_id)

    def send_slot_report(self, task_executor_resource_id, registration_id, slot_report):
        resource_id = _resource_id(task_executor_resource_id)
        connection = self._connection(resource_id, registration_id)
        registration = connection.registration
        spec = self.workers.spec_of(resource_id) or self.worker_spec
        if self.slot_manager.register_task_manager(
                resource_id, connection.instance_id, connection.gateway, slot_report,
                registration.total_profile, registration.default_slot_profile, spec):
            self.workers.on_worker_registered(resource_id, spec)
        return None

    def notify_slot_available(self, task_executor_resource_id, registration_id, slot_id,
                              allocation_id):
        connection = self._task_executors.get(_resource_id(task_executor_resource_id))
        if connection is not None and connection.instance_id == registration_id:
            self.slot_manager.free_slot(slot_id, allocation_id)
        return None

    def heartbeat_from_task_manager(self, resource_id, slot_report):
        resource_id = _resource_id(resource_id)
        connection = self._task_executors.get(resource_id)
        if connection is not None:
            self._task_manager_heartbeat(resource_id, connection, slot_report)
        return None

    def disconnect_task_manager(self, resource_id, cause):
        resource_id = _resource_id(resource_id)
        if self.close_task_manager_connection(resource_id, _error(cause)) is not None:
            self._stop_worker_if_supported(resource_id)
        return None

    # IResourceEventHandler (the driver)

    def on_previous_attempt_workers_recovered(self, workers):
        self.workers.on_previous_attempt_workers_recovered(list(workers))

    def on_worker_terminated(self, resource_id, diagnostics):
        """
        A worker ended (its container completed): close its TaskExecutor's connection and, if
        the jobs still need it, start another.
        """
        resource_id = _resource_id(resource_id)
        known = self.workers.on_worker_terminated(resource_id)
        if known:
            self._log.info(_LOGGER, f"Worker {resource_id} is terminated. Diagnostics: "
                                    f"{diagnostics}")
        self.close_task_manager_connection(resource_id, FlinkError(diagnostics))
        if known and self.active:
            self.slot_manager.check_resource_requirements()

    def on_error(self, error):
        self._log.error("org.apache.flink.runtime.resourcemanager.ResourceManager",
                        f"Fatal error occurred in ResourceManager. {_message(error)}")
        self._fatal_error_handler(error)

    # Views (for the REST API and tests)

    @property
    def registered_task_manager_count(self):
        return len(self._task_executors)

    @property
    def pending_worker_count(self):
        """Workers requested or starting that have not registered yet."""
        return self.workers.pending_count

    @property
    def registered_slot_count(self):
        return self.slot_manager.registered_slots

    @property
    def free_slot_count(self):
        return self.slot_manager.free_slots

    def job_ids(self):
        """The jobs whose JobMasters are registered, in registration order."""
        return tuple(self._job_managers)

    def task_manager_infos(self):
        """:return: a :class:`TaskManagerInfo` per registered TaskManager, in registration order."""
        return tuple(self._info(resource_id, connection)
                     for resource_id, connection in self._task_executors.items())

    def task_manager_info(self, resource_id):
        """:return: the :class:`TaskManagerInfo` of a registered TaskManager, or ``None``."""
        resource_id = _resource_id(resource_id)
        connection = self._task_executors.get(resource_id)
        return None if connection is None else self._info(resource_id, connection)

    def task_manager_views(self, now=None, details=False):
        """
        :param now: unused (heartbeat times are absolute epoch milliseconds, as in Flink).
        :param bool details: give ``TaskManagerDetailsInfo`` (allocated slots, metrics).
        :return: Flink's REST ``TaskManagerInfo`` of each registered TaskManager.
        """
        return [info.to_json(details) for info in self.task_manager_infos()]

    # Connections

    def close_task_manager_connection(self, resource_id, cause):
        """
        Close a TaskExecutor's connection: its slots are gone, every JobMaster and the
        TaskExecutor itself are told.

        :return: its worker, or ``None`` if it was not connected.
        """
        self._task_manager_heartbeats.unmonitor(resource_id)
        connection = self._task_executors.pop(resource_id, None)
        if connection is None:
            return None
        self._log.info(_LOGGER, f"Closing TaskExecutor connection {connection.worker} because: "
                                f"{_message(cause)}")
        self.slot_manager.unregister_task_manager(resource_id, cause)
        for registration in list(self._job_managers.values()):
            registration.gateway.disconnect_task_manager(resource_id, cause).addErrback(_ignore)
        connection.gateway.disconnect_resource_manager(cause).addErrback(_ignore)
        return connection.worker

    def _close_job_manager_connection(self, job_id, clear, cause):
        registration = self._job_managers.pop(job_id, None)
        if registration is None:
            return
        self._log.info(_LOGGER, f"Disconnect job manager {registration.job_master_id}@"
                                f"{registration.address} for job {job_id} from the resource "
                                "manager.")
        self._job_manager_heartbeats.unmonitor(job_id)
        registration.gateway.disconnect_resource_manager(self.resource_manager_id,
                                                         cause).addErrback(_ignore)

    # Internals

    def _connection(self, resource_id, registration_id):
        connection = self._task_executors.get(resource_id)
        if connection is None or connection.instance_id != registration_id:
            raise ResourceManagerException(
                f"Unknown TaskManager registration id {registration_id}.")
        return connection

    def _task_manager_heartbeat(self, resource_id, connection, slot_report):
        if self._task_executors.get(resource_id) is not connection:
            return
        connection.last_heartbeat_ms = now_ms(self._clock)
        self.slot_manager.report_slot_status(resource_id, slot_report)

    def _task_manager_heartbeat_lost(self, resource_id, how):
        connection = self._task_executors.get(resource_id)
        name = connection.worker if connection is not None else resource_id
        cause = self._heartbeat_loss("TaskManager", name, how)
        if self.close_task_manager_connection(resource_id, cause) is not None:
            self._stop_worker_if_supported(resource_id)

    def _job_manager_heartbeat_lost(self, job_id, how):
        registration = self._job_managers.get(job_id)
        name = registration.resource_id if registration is not None else job_id
        self._close_job_manager_connection(job_id, False,
                                           self._heartbeat_loss("JobManager", name, how))

    def _heartbeat_loss(self, component, name, how):
        """Log a lost heartbeat target; :return: the cause its connection is closed with."""
        if how == TIMED_OUT:
            message = f"The heartbeat of {component} with id {name} timed out."
            cause = TimeoutException(message)
        else:
            message = f"{component} with id {name} is no longer reachable."
            cause = ResourceManagerException(message)
        self._log.info(_LOGGER, message)
        return cause

    def _stop_worker_if_supported(self, resource_id):
        if self.active:
            self.workers.stop_worker(resource_id)
            self.slot_manager.trigger_requirements_check()

    def _declare_resources_needed(self, declarations):
        self.workers.declare(declarations)

    def _process_spec_of(self, worker_spec):
        """The process a worker of ``worker_spec`` is started as (a sized one: derived)."""
        if worker_spec == self.worker_spec:
            return self.process_spec
        process_spec = self._sized_process_specs.get(worker_spec)
        if process_spec is None:
            process_spec = self._sized_process_specs[worker_spec] = process_spec_of(
                self.config, worker_spec)
        return process_spec

    def _info(self, resource_id, connection):
        slots = tuple(SlotInfo(slot_id, state, job_id, allocation_id, profile)
                      for slot_id, state, job_id, allocation_id, profile
                      in self.slot_manager.slots_of(resource_id))
        return TaskManagerInfo(resource_id, connection.registration, connection.registered_ms,
                               connection.last_heartbeat_ms, slots)

    def _new_id(self):
        return f"{self._ids.getrandbits(128):032x}"

    def _crash(self, error):
        # A fatal error ends the process: raised from its clock, it crashes the container.
        def crash():
            raise error

        self._clock.callLater(0, crash)


def _resource_id(value):
    return value if isinstance(value, ResourceID) else ResourceID(str(value))


def _job_status(value):
    if value is None or isinstance(value, JobStatus):
        return value
    try:
        return JobStatus(str(getattr(value, "value", value)))
    except ValueError:
        return None


def _error(cause):
    if isinstance(cause, BaseException):
        return cause
    return FlinkError(str(cause) if cause is not None else "")


def _message(error):
    return getattr(error, "message", None) or str(error)


def _ignore(failure):
    return None
