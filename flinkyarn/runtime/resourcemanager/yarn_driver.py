"""
:class:`YarnResourceManagerDriver`: Flink's ResourceManager driver for YARN.  The JobManager is
the application master: the driver registers it with YARN, asks for TaskManager containers on the
AM-RM heartbeat, starts a TaskExecutor in each container it gets, and reports the containers that
complete.

- **Heartbeat.**  ``yarn.heartbeat.interval`` (5 s), switched to
  ``yarn.heartbeat.container-request-interval`` (500 ms) while container requests are
  outstanding, and back once none is.  The first heartbeat goes out right after registration.
- **Requests.**  Each distinct TaskExecutor spec gets a priority (1, 2, …) and a container size
  (:mod:`~flinkyarn.runtime.resourcemanager.priority_adapter`) — the configuration's spec, and
  specs sized to slot requests that declare resources; ``request_resource`` adds one
  container request and answers with a Deferred of the :class:`YarnWorkerNode`; cancelling it
  removes one request of that priority.
- **Allocations**, grouped by priority, are matched one to one with the pending requests in
  order: each completes a request, is started (asynchronously, through the NodeManager) and its
  request removed; containers beyond the requests are returned ("Returning excess container").
- **Completions** become ``on_worker_terminated`` with Flink's wording of the exit status; a
  container that cannot be started is released and reported terminated.
- **Shutdown.**  A shutdown request from YARN (the attempt is unknown to the RM) and any error
  in the callbacks are fatal errors.  ``deregister_application`` unregisters (asking again until
  YARN says done) and deletes the ``_FLINK_YARN_FILES`` staging directory.
"""

from attrs import frozen
from twisted.internet.defer import Deferred, fail
from zope.interface import implementer

from flinkyarn.config import TaskExecutorProcessSpec
from flinkyarn.config import options as o
from flinkyarn.config.file_format import LEGACY_CONFIG_FILE_NAME
from flinkyarn.events import WorkerRequested
from flinkyarn.graph.errors import IllegalStateException
from flinkyarn.ids import ResourceID
from flinkyarn.runtime.errors import ResourceManagerException
from flinkyarn.runtime.resourcemanager.driver import IResourceManagerDriver, IWorkerNode
from flinkyarn.runtime.resourcemanager.priority_adapter import (
    TaskExecutorProcessSpecContainerResourcePriorityAdapter,
)
from flinkyarn.runtime.resourcemanager.worker_spec import process_spec_text
from flinkyarn.states import ApplicationStatus
from flinkyarn.yarn.constants import ENV_FLINK_YARN_FILES, ENV_HADOOP_USER_NAME
from flinkyarn.yarn.taskmanager_context import (
    client_configuration,
    create_task_executor_launch_context,
)
from yarnemu.client.amrm_client import AMRMClient, ContainerRequest
from yarnemu.client.amrm_client_async import AMRMCallbackHandler, AMRMClientAsync
from yarnemu.client.nm_client import NMClient
from yarnemu.dfs.paths import path_from_uri
from yarnemu.records.am_protocol import ANY
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.ids import ContainerId
from yarnemu.records.states import FinalApplicationStatus

__all__ = [
    "YarnResourceManagerDriver",
    "YarnWorkerNode",
    "container_completed_cause",
    "ERROR_MESSAGE_ON_SHUTDOWN_REQUEST",
    "DEFAULT_AM_EXPIRY_INTERVAL_MS",
]

ERROR_MESSAGE_ON_SHUTDOWN_REQUEST = "Received shutdown request from YARN ResourceManager."
DEFAULT_AM_EXPIRY_INTERVAL_MS = 600000
"""YARN's ``yarn.am.liveness-monitor.expiry-interval-ms`` default."""

UNREGISTER_POLL_SECONDS = 0.1
"""How often Hadoop's ``AMRMClientImpl`` asks again until the RM has unregistered the AM."""

_LOGGER = "org.apache.flink.yarn.YarnResourceManagerDriver"
_UTILS_LOGGER = "org.apache.flink.yarn.Utils"
_AM_EXPIRY_KEY = "flink.yarn.am.liveness-monitor.expiry-interval-ms"


@implementer(IWorkerNode)
@frozen
class YarnWorkerNode:
    """A TaskManager container (Flink's ``YarnWorkerNode``)."""

    container: object

    @property
    def resource_id(self):
        """The container id, as a :class:`~flinkyarn.ids.ResourceID`."""
        return ResourceID(str(self.container.id))

    def __str__(self):
        return f"{self.container.id}({self.container.node_id})"


def container_completed_cause(status):
    """:return: Flink's diagnostics for a completed container (``getContainerCompletedCause``)."""
    container_id = status.container_id
    diagnostics = status.diagnostics
    exit_status = status.exit_status
    if exit_status == ContainerExitStatus.SUCCESS:
        return f"Container {container_id} exited normally. Diagnostics: {diagnostics}"
    if exit_status == ContainerExitStatus.PREEMPTED:
        return f"Container {container_id} was preempted by yarn. Diagnostics: {diagnostics}"
    if exit_status == ContainerExitStatus.INVALID:
        return f"Container {container_id} was invalid. Diagnostics: {diagnostics}"
    if exit_status == ContainerExitStatus.ABORTED:
        return (f"Container {container_id} killed by YARN, either due to being released by the "
                "application or being 'lost' due to node failures etc. Diagnostics: "
                f"{diagnostics}")
    if exit_status == ContainerExitStatus.DISKS_FAILED:
        return (f"Container {container_id} is failed because threshold number of the "
                "nodemanager-local-directories or threshold number of the "
                "nodemanager-log-directories have become bad. Diagnostics: "
                f"{diagnostics}")
    return (f"Container {container_id} marked as failed.\n Exit code:{int(exit_status)}.\n "
            f"Diagnostics:{diagnostics}")


@implementer(IResourceManagerDriver)
class YarnResourceManagerDriver(AMRMCallbackHandler):
    """
    :param context: the JobManager container program's
        :class:`~yarnemu.nodemanager.programs.ProgramContext`: its ``CONTAINER_ID`` names the
        application attempt, its ``endpoints`` give the AM protocol, the NodeManagers and the
        file system, its clock runs every timer, its environment and working directory hold
        what TaskManager containers are built from.
    :param config: the JobManager's effective :class:`~flinkyarn.config.Configuration`.
    :param log: the JobManager's :class:`~flinkyarn.runtime.process.FlinkLog`.
    :param str jobmanager_host: the JobManager's host: the AM's host for YARN, and where
        TaskManagers find the JobManager.
    :param int jobmanager_rpc_port: the port of the JobManager's RPC service (TaskManagers'
        ``jobmanager.rpc.port``).
    :param int rest_port: the REST port, registered as the AM's "RPC port" (``None``: parsed
        from ``web_interface_url``, as Flink does).
    :param str web_interface_url: the tracking URL registered with YARN.
    :param nm_client: what starts and stops containers (default: an
        :class:`~yarnemu.client.nm_client.NMClient` over the cluster's NodeManagers).
    :param events: the event stream for :class:`~flinkyarn.events.WorkerRequested` (default: the
        cluster's).
    :param int yarn_am_expiry_ms: YARN's ``yarn.am.liveness-monitor.expiry-interval-ms``, for
        the warning about a too long heartbeat (default: ``flink.yarn.am.liveness-monitor.
        expiry-interval-ms`` from ``config``, else YARN's default).
    """

    def __init__(self, context, config, log, jobmanager_host, jobmanager_rpc_port, rest_port,
                 web_interface_url, *, nm_client=None, events=None, yarn_am_expiry_ms=None):
        self._context = context
        self._clock = context.clock
        self._config = config
        self._log = log
        self._jobmanager_host = jobmanager_host
        self._jobmanager_rpc_port = jobmanager_rpc_port
        self._rest_port = rest_port if rest_port is not None else _port_of(web_interface_url)
        self._web_interface_url = web_interface_url
        self._nm = nm_client if nm_client is not None else NMClient(
            context.endpoints.container_managers)
        self._events = events if events is not None else getattr(context.endpoints, "events",
                                                                 None)
        container_id = ContainerId.parse(context.environment["CONTAINER_ID"])
        self.attempt_id = container_id.application_attempt_id
        self.application_id = container_id.application_id
        self.heartbeat_interval_ms = config.get(o.YARN_HEARTBEAT_INTERVAL) * 1000
        self.container_request_heartbeat_interval_ms = config.get(
            o.YARN_CONTAINER_REQUEST_HEARTBEAT_INTERVAL)
        if yarn_am_expiry_ms is None:
            yarn_am_expiry_ms = int(config.get_raw(_AM_EXPIRY_KEY, DEFAULT_AM_EXPIRY_INTERVAL_MS))
        if self.heartbeat_interval_ms >= yarn_am_expiry_ms:
            log.warn(_LOGGER, "The heartbeat interval of the Flink Application master "
                              f"({self.heartbeat_interval_ms}) is greater than YARN's expiry "
                              f"interval ({yarn_am_expiry_ms}). The application is likely to be "
                              "killed by YARN.")
        self._client_config = client_configuration(context.working_dir, LEGACY_CONFIG_FILE_NAME)
        self._handler = None
        self._adapter = None
        self._default_spec = None
        self._requests = {}
        self._released = set()
        self.running = False
        self.amrm = None
        self.heartbeats = None

    # IResourceManagerDriver

    def initialize(self, event_handler):
        """
        Register the application master and start heartbeating.

        :raise ResourceManagerException: ``Could not start resource manager client.`` if YARN
            refuses the registration.
        """
        self._handler = event_handler
        self.running = True
        self.amrm = AMRMClient(self._context.endpoints.am_protocol, self.attempt_id)
        self.heartbeats = AMRMClientAsync(self.amrm, self._clock, self.heartbeat_interval_ms,
                                          self)
        try:
            response = self.amrm.register_application_master(
                self._jobmanager_host, self._rest_port, self._web_interface_url)
        except Exception as error:
            self.running = False
            raise ResourceManagerException("Could not start resource manager client.") from error
        # Hadoop's heartbeat thread starts with the registration and allocates at once.
        self.heartbeats.heartbeat_now()
        self._adapter = TaskExecutorProcessSpecContainerResourcePriorityAdapter(
            response.maximum_resource_capability, self._log)
        previous = list(response.containers_from_previous_attempts)
        self._log.info(_LOGGER, f"Recovered {len(previous)} containers from previous attempts "
                                f"([{', '.join(str(c.id) for c in previous)}]).")
        event_handler.on_previous_attempt_workers_recovered(
            [YarnWorkerNode(container) for container in previous])

    def terminate(self):
        """Stop heartbeating; later callbacks are ignored."""
        self.running = False
        if self.heartbeats is not None:
            self.heartbeats.stop()

    def deregister_application(self, application_status, diagnostics):
        """
        Unregister from YARN with the final status of ``application_status``, asking again every
        100 ms until YARN has unregistered the AM, then delete ``_FLINK_YARN_FILES``.

        :return: a Deferred firing when both are done (errors are only logged, as in Flink).
        """
        status = (ApplicationStatus(application_status).final_application_status
                  if application_status is not None else FinalApplicationStatus.UNDEFINED)
        self._log.info(_LOGGER, "Unregister application from the YARN Resource Manager with "
                                f"final status {status.value}.")
        done = Deferred()
        self._unregister(status, diagnostics or "", done)
        return done

    def request_resource(self, process_spec):
        """
        Ask YARN for a container for ``process_spec``.

        :return: a cancellable Deferred of the :class:`YarnWorkerNode`; it fails with
            :class:`ResourceManagerException` for a spec larger than YARN's maximum container.
        """
        self._check_initialized()
        allocation = self._adapter.priority_and_resource(process_spec)
        if allocation is None:
            return fail(ResourceManagerException(
                "Could not compute the container Resource from the given TaskExecutorProcessSpec "
                f"{process_spec_text(process_spec)}. This usually indicates the requested "
                "resource is larger than Yarn's max container resource limit."))
        priority, resource = allocation.priority, allocation.resource
        request = Deferred(lambda d: self._cancel_request(d, process_spec, priority, resource))
        self.amrm.add_container_request(ContainerRequest(resource, priority=priority))
        # Transmit the request fast and hear fast of allocations.
        self.heartbeats.set_heartbeat_interval(self.container_request_heartbeat_interval_ms)
        self._requests.setdefault(process_spec, []).append(request)
        self._log.info(_LOGGER, "Requesting new TaskExecutor container with resource "
                                f"{process_spec_text(process_spec)}, priority {priority}.")
        if self._events is not None:
            self._events.emit(WorkerRequested(
                self._events.now(), self.application_id, resource.memory, resource.vcores,
                priority, self.pending_requests))
        return request

    def release_resource(self, worker):
        """Stop the worker's container on its NodeManager and release it to YARN."""
        container = worker.container
        self._log.info(_LOGGER, f"Stopping container {worker}.")
        self._released.add(container.id)
        # NMClientAsync: the NodeManager is called from another thread.
        self._clock.callLater(0, self._stop_container, container)
        self.amrm.release_assigned_container(container.id)

    # Views

    @property
    def pending_requests(self):
        """Container requests not yet allocated (``getNumRequestedNotAllocatedWorkers``)."""
        return sum(len(queue) for queue in self._requests.values())

    def container_resource(self, process_spec):
        """:return: the container :class:`Resource` of a spec, or ``None`` if too large."""
        self._check_initialized()
        allocation = self._adapter.priority_and_resource(process_spec)
        return None if allocation is None else allocation.resource

    # AMRMCallbackHandler

    def on_containers_allocated(self, containers):
        self._run_with_fatal_handler(self._containers_allocated, containers)

    def on_containers_completed(self, statuses):
        self._run_with_fatal_handler(self._containers_completed, statuses)

    def on_shutdown_request(self):
        if self.running:
            self._handler.on_error(ResourceManagerException(ERROR_MESSAGE_ON_SHUTDOWN_REQUEST))

    def on_error(self, error):
        if self.running:
            self._handler.on_error(error)

    def get_progress(self):
        return 1.0

    # Internals

    def _run_with_fatal_handler(self, function, argument):
        if not self.running:
            return
        try:
            function(argument)
        except Exception as error:
            self.on_error(error)

    def _containers_allocated(self, containers):
        self._check_initialized()
        self._log.info(_LOGGER, f"Received {len(containers)} containers.")
        by_priority = {}
        for container in containers:
            by_priority.setdefault(container.priority, []).append(container)
        for priority in sorted(by_priority):
            self._containers_of_priority_allocated(priority, by_priority[priority])
        if self.pending_requests <= 0:
            # Waiting for no more containers: back to the regular heartbeat.
            self.heartbeats.set_heartbeat_interval(self.heartbeat_interval_ms)

    def _containers_of_priority_allocated(self, priority, containers):
        known = self._adapter.spec_and_resource(priority)
        if known is None:
            raise IllegalStateException(
                f"Receive {len(containers)} containers with unrecognized priority {priority}. "
                "This should not happen.")
        spec, resource = known
        queue = self._requests.get(spec, [])
        self._log.info(_LOGGER, f"Received {len(containers)} containers with priority "
                                f"{priority}, {len(queue)} pending container requests.")
        pending = self._pending_requests_of(priority, resource, len(queue))
        accepted = min(len(containers), len(pending))
        for container, container_request in zip(containers[:accepted], pending):
            request = queue.pop(0)
            if not queue:
                self._requests.pop(spec, None)
            worker = YarnWorkerNode(container)
            request.callback(worker)
            self._clock.callLater(0, self._start_task_executor, container, spec, worker)
            self._remove_container_request(container_request)
        for container in containers[accepted:]:
            self._log.info(_LOGGER, f"Returning excess container {container.id}.")
            self.amrm.release_assigned_container(container.id)
        self._log.info(_LOGGER, f"Accepted {accepted} requested containers, returned "
                                f"{len(containers) - accepted} excess containers, {len(queue)} "
                                f"pending container requests of resource {resource}.")

    def _containers_completed(self, statuses):
        self._check_initialized()
        for status in statuses:
            self._handler.on_worker_terminated(ResourceID(str(status.container_id)),
                                               container_completed_cause(status))

    def _start_task_executor(self, container, spec, worker):
        if not self.running or container.id in self._released:
            # Released before its start came round: nothing to start.
            return
        try:
            context = self._launch_context(container, spec, worker)
        except Exception as error:
            self._handler.on_worker_terminated(worker.resource_id, str(error))
            return
        try:
            self._nm.start_container(container, context)
        except Exception as error:
            self._run_with_fatal_handler(self._start_container_failed,
                                         (container, getattr(error, "message", str(error))))

    def _stop_container(self, container):
        try:
            self._nm.stop_container(container.id, container.node_id)
        except Exception as error:
            self._log.warn(_LOGGER, "Error while calling YARN Node Manager to stop container "
                                    f"{container.id}. {getattr(error, 'message', error)}")

    def _start_container_failed(self, failure):
        container, message = failure
        self.amrm.release_assigned_container(container.id)
        self._handler.on_worker_terminated(ResourceID(str(container.id)), message)

    def _launch_context(self, container, spec, worker):
        self._log.info(_LOGGER, f"TaskExecutor {worker} will be started on "
                                f"{container.node_id.host} with {process_spec_text(spec)}.")
        self._log.info(_UTILS_LOGGER, "Creating container launch context for TaskManagers")
        environment = self._context.environment
        context = create_task_executor_launch_context(
            config=self._config_for(spec), client_config=self._client_config, spec=spec,
            container_id=container.id, node_id=container.node_id, environment=environment,
            working_dir=self._context.working_dir, jobmanager_host=self._jobmanager_host,
            jobmanager_rpc_port=self._jobmanager_rpc_port,
            user=environment.get(ENV_HADOOP_USER_NAME) or self._context.user,
        )
        self._log.info(_UTILS_LOGGER, "Starting TaskManagers")
        return context

    def _config_for(self, spec):
        """
        The configuration a TaskManager of ``spec`` is started with: for a spec sized to a slot
        request, also its total Flink and process memory, so that the TaskManager, reading the
        staged file's sizes under its command line's, derives the spec it was started with.
        """
        if self._default_spec is None:
            self._default_spec = TaskExecutorProcessSpec.for_yarn(self._config)
        if spec == self._default_spec:
            return self._config
        return self._config.with_values({
            o.TM_TOTAL_FLINK_MEMORY.key: f"{spec.total_flink_memory.bytes}b",
            o.TM_TOTAL_PROCESS_MEMORY.key: f"{spec.total_process_memory.bytes}b",
        })

    def _cancel_request(self, request, spec, priority, resource):
        queue = self._requests.get(spec, [])
        if request not in queue:
            return
        queue.remove(request)
        self._log.info(_LOGGER, f"cancelling pending request with priority {priority}, "
                                f"remaining {len(queue)} pending container requests.")
        pending = self._pending_requests_of(priority, resource, len(queue) + 1)
        self._remove_container_request(pending[0])
        if not queue:
            self._requests.pop(spec, None)
        if self.pending_requests <= 0:
            self.heartbeats.set_heartbeat_interval(self.heartbeat_interval_ms)

    def _pending_requests_of(self, priority, resource, expected):
        matching = [request
                    for requests in self.amrm.get_matching_requests(priority, ANY, resource)
                    for request in requests]
        if len(matching) != expected:
            raise IllegalStateException(
                "The RMClient's and YarnResourceManagers internal state about the number of "
                f"pending container requests for priority {priority} has diverged. Number "
                f"client's pending container requests {len(matching)} != Number RM's pending "
                f"container requests {expected}.")
        return matching

    def _remove_container_request(self, request):
        self._log.info(_LOGGER, f"Removing container request {_request_text(request)}.")
        self.amrm.remove_container_request(request)

    def _unregister(self, status, diagnostics, done):
        try:
            unregistered = self.amrm.unregister_application_master(status, diagnostics, "")
        except Exception as error:
            self._log.error(_LOGGER, f"Could not unregister the application master. {error}")
            unregistered = True
        if not unregistered:
            self._clock.callLater(UNREGISTER_POLL_SECONDS, self._unregister, status, diagnostics,
                                  done)
            return
        # Hadoop's AMRMClientAsync stops heartbeating once unregistered.
        self.heartbeats.stop()
        self._delete_application_files()
        done.callback(None)

    def _delete_application_files(self):
        """Flink's ``Utils.deleteApplicationFiles``: errors are logged, never raised."""
        location = self._context.environment.get(ENV_FLINK_YARN_FILES)
        if not location:
            return
        try:
            deleted = self._context.endpoints.filesystem.delete(path_from_uri(location),
                                                                recursive=True)
        except Exception as error:
            self._log.error(_UTILS_LOGGER, "Could not properly delete yarn application files "
                                           f"directory {location}. {error}")
            return
        if not deleted:
            self._log.error(_UTILS_LOGGER, "Deleting yarn application files under "
                                           f"{location} was unsuccessful.")

    def _check_initialized(self):
        if self._adapter is None:
            raise IllegalStateException("Driver not initialized.")


def _request_text(request):
    """Hadoop's ``ContainerRequest.toString``."""
    return (f"Capability[{request.capability}]Priority[{request.priority}]"
            f"AllocationRequestId[{request.allocation_request_id}]"
            "ExecutionTypeRequest[{Execution Type: GUARANTEED, Enforce Execution Type: false}]"
            "Resource Profile[null]")


def _port_of(web_interface_url):
    """Flink's ``parseRestBindPortFromWebInterfaceUrl``: the number after the last colon, or -1."""
    if not web_interface_url or ":" not in web_interface_url:
        return -1
    try:
        return int(web_interface_url.rsplit(":", 1)[1])
    except ValueError:
        return -1

