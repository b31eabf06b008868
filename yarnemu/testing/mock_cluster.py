"""
Test fakes in the style of Hadoop's ``MockRM``, ``MockNM`` and ``MockAM``: a real
:class:`~yarnemu.resourcemanager.ResourceManager` on a :class:`~yarnemu.clock.VirtualClock`,
driven directly through its three services, with no real NodeManagers and no AM programs.

- :class:`MockCluster` owns the clock and the RM, submits applications
  (:meth:`MockCluster.submit_app`), and is the RM's ``container_managers`` lookup, so the RM's AM
  launcher starts AM containers on the :class:`MockNM` of their node.
- :class:`MockNM` registers, heartbeats with the statuses of the containers it "runs" (or with
  statuses the test chooses), and remembers what the RM told it to clean up.  Launching a
  container means reporting it RUNNING; completing one means reporting it COMPLETE with an exit
  status.  It is also the node's ``IContainerManagementProtocol``.
- :class:`MockAM` registers, allocates with the responseId kept in step, unregisters, and keeps
  everything it received.

Time moves only when the test moves it: :meth:`MockCluster.drain` fires what is due now (state
store acknowledgements, the AM launcher), :meth:`MockCluster.advance` and
:meth:`MockCluster.run_until` move the clock.
"""

from zope.interface import implementer

from yarnemu.cluster import DEFAULT_EPOCH
from yarnemu.clock import VirtualClock
from yarnemu.config import YarnConfiguration
from yarnemu.errors import YarnException
from yarnemu.interfaces import IContainerManagementProtocol
from yarnemu.records.am_protocol import (
    ANY,
    AllocateRequest,
    FinishApplicationMasterRequest,
    RegisterApplicationMasterRequest,
    ResourceRequest,
)
from yarnemu.records.client_protocol import ApplicationSubmissionContext
from yarnemu.records.container_manager_protocol import (
    GetContainerStatusesResponse,
    StartContainersResponse,
    StopContainersResponse,
)
from yarnemu.records.containers import ContainerLaunchContext, ContainerStatus
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.ids import NodeId
from yarnemu.records.resource import Resource
from yarnemu.records.states import (
    ContainerState,
    FinalApplicationStatus,
    NodeAction,
    RMAppAttemptState,
)
from yarnemu.records.tracker_protocol import NodeHeartbeatRequest, RegisterNodeManagerRequest
from yarnemu.resourcemanager.rm import ResourceManager
from yarnemu.timers import now_ms

__all__ = ["MockCluster", "MockNM", "MockAM", "NM_VERSION", "NM_PORT"]

NM_VERSION = "3.3.6-mock"
NM_PORT = 45454


class MockCluster:
    """
    A ResourceManager on a virtual clock, with :class:`MockNM` nodes instead of NodeManagers.

    :param config: a :class:`YarnConfiguration` or a dict of yarn-site values.
    :param clock: a :class:`VirtualClock` (default: a new one at
        :data:`~yarnemu.cluster.DEFAULT_EPOCH`).

    :ivar rm: the :class:`ResourceManager`.
    :ivar node_managers: node id → the :class:`MockNM` most recently added with that id.
    """

    def __init__(self, config=None, clock=None):
        if not isinstance(config, YarnConfiguration):
            config = YarnConfiguration(config or {})
        self.clock = clock if clock is not None else VirtualClock(DEFAULT_EPOCH)
        self.rm = ResourceManager(self.clock, config, container_managers=self.container_manager)
        self.node_managers = {}

    @property
    def events(self):
        """The RM's :class:`~yarnemu.events.EventLog`."""
        return self.rm.events

    def now_ms(self):
        """:return: the virtual time in epoch milliseconds."""
        return now_ms(self.clock)

    # Time

    def drain(self):
        """Fire every call due now, including those the fired calls schedule for now."""
        self.clock.advance(0)

    def advance(self, milliseconds):
        """Move the clock ``milliseconds`` forward, firing what falls due on the way."""
        self.clock.advance(milliseconds / 1000.0)

    def run_until(self, predicate, timeout_ms=60000):
        """
        Fire calls one at a time until ``predicate()`` holds.

        :raise AssertionError: if it does not hold within ``timeout_ms`` of virtual time.
        """
        limit = self.clock.seconds() + timeout_ms / 1000.0
        if not self.clock.run_until_true(predicate, limit):
            raise AssertionError(f"condition not reached within {timeout_ms} ms of virtual time")

    # Nodes

    def add_node(self, host, memory_mb=8192, vcores=8, rack="/default-rack", port=NM_PORT):
        """
        Create a :class:`MockNM` and register it.

        :return: the :class:`MockNM` (whatever the RM answered: see ``register_response``).
        """
        nm = MockNM(self.rm.resource_tracker, self.clock, NodeId(host, port),
                    Resource(memory_mb, vcores), rack)
        self.node_managers[nm.node_id] = nm
        nm.register()
        return nm

    def container_manager(self, node_id):
        """
        The RM's ``container_managers`` lookup.

        :return: the online :class:`MockNM` with this id, or ``None`` (the node cannot be reached).
        """
        nm = self.node_managers.get(node_id)
        return nm if nm is not None and nm.online else None

    def heartbeat_all(self):
        """One heartbeat from every online :class:`MockNM`, in the order they were added."""
        for nm in list(self.node_managers.values()):
            if nm.online:
                nm.heartbeat()

    # Applications

    def submit_app(self, user="user", queue="default", resource=Resource(1024, 1), unmanaged=False,
                   name="mock-app", max_app_attempts=0, keep_containers=False,
                   attempt_failures_validity_interval=-1, priority=0, commands=()):
        """
        Submit an application through ``ClientRMService`` (managed unless ``unmanaged``) and fire
        what is due now.

        :return: its :class:`ApplicationId`.
        """
        client = self.rm.client_service
        application_id = client.get_new_application().application_id
        client.submit_application(ApplicationSubmissionContext(
            application_id=application_id,
            am_container_spec=ContainerLaunchContext(commands=tuple(commands)),
            application_name=name,
            queue=queue,
            priority=priority,
            resource=resource,
            max_app_attempts=max_app_attempts,
            keep_containers_across_application_attempts=keep_containers,
            attempt_failures_validity_interval=attempt_failures_validity_interval,
            unmanaged_am=unmanaged,
        ), user)
        self.drain()
        return application_id

    def app(self, application_id):
        """:return: the RM's :class:`~yarnemu.resourcemanager.rmapp.RMApp`."""
        return self.rm.apps[application_id]

    def attempt(self, application_id):
        """:return: the current :class:`~yarnemu.resourcemanager.rmattempt.RMAppAttempt`."""
        return self.rm.apps[application_id].current_attempt

    def launch_am(self, application_id, timeout_ms=60000):
        """
        Bring the current attempt to LAUNCHED, as Hadoop's ``MockRM.launchAM`` does: for a managed
        AM, heartbeat the online nodes until one is given the AM container, then let the RM launch
        it on that node (which will report it RUNNING on its next heartbeat).

        :return: a :class:`MockAM` for the attempt, not yet registered.
        :raise AssertionError: if no node has room for the AM container, or the attempt does not
            reach LAUNCHED.
        """
        attempt = self.attempt(application_id)
        if attempt is None:
            self.run_until(lambda: self.attempt(application_id) is not None, timeout_ms)
            attempt = self.attempt(application_id)
        if not attempt.unmanaged:
            for nm in list(self.node_managers.values()):
                if attempt.master_container is not None:
                    break
                if nm.online:
                    nm.heartbeat()
            if attempt.master_container is None:
                raise AssertionError(
                    f"no node had room for the AM container of {attempt.attempt_id} "
                    f"({attempt.state})"
                )
        self.run_until(lambda: attempt.state not in _BEFORE_LAUNCH, timeout_ms)
        if attempt.state is not RMAppAttemptState.LAUNCHED:
            raise AssertionError(f"{attempt.attempt_id} is {attempt.state}, not LAUNCHED")
        return MockAM(self.rm.am_service, attempt.attempt_id)


# States an attempt passes through on its way to LAUNCHED without anyone acting.
_BEFORE_LAUNCH = frozenset({
    RMAppAttemptState.NEW,
    RMAppAttemptState.SUBMITTED,
    RMAppAttemptState.ALLOCATED_SAVING,
    RMAppAttemptState.ALLOCATED,
    RMAppAttemptState.LAUNCHED_UNMANAGED_SAVING,
})


@implementer(IContainerManagementProtocol)
class MockNM:
    """
    A NodeManager reduced to its protocol with the RM.

    Containers it runs are reported RUNNING on the next heartbeat after :meth:`launch`, and
    COMPLETE on the next heartbeat after :meth:`complete` (or after the RM ordered them cleaned
    up, with ``KILLED_BY_RESOURCEMANAGER``, or their application cleaned up, with
    ``KILLED_AFTER_APP_COMPLETION``, as a NodeManager does).

    :param resource_tracker: the RM's ``IResourceTracker``.
    :param clock: the cluster's ``IReactorTime``.

    :ivar bool online: registered and answering (``False`` after :meth:`unregister`, :meth:`lose`
        or a refused registration).
    :ivar int response_id: the responseId of the last heartbeat response.
    :ivar running: container id → :class:`~yarnemu.records.Container` it runs.
    :ivar pending: container id → the :class:`ContainerStatus` to report on the next heartbeat.
    :ivar cleaned_up: ids of the containers the RM told it to clean up, in order, every time.
    :ivar apps_cleaned_up: ids of the applications the RM told it to clean up, in order.
    :ivar started: the ``StartContainerRequest`` values ``start_containers`` accepted.
    :ivar bool refuse_starts: when set, ``start_containers`` fails every container.
    :ivar last_response: the last ``RegisterNodeManagerResponse`` or ``NodeHeartbeatResponse``.
    """

    def __init__(self, resource_tracker, clock, node_id, resource, rack="/default-rack",
                 http_port=8042):
        self._tracker = resource_tracker
        self._clock = clock
        self.node_id = node_id
        self.resource = resource
        self.rack = rack
        self.http_port = http_port
        self.online = False
        self.response_id = 0
        self.running = {}
        self.pending = {}
        self.cleaned_up = []
        self.apps_cleaned_up = []
        self.started = []
        self.refuse_starts = False
        self.register_response = None
        self.last_response = None

    def __repr__(self):
        state = "online" if self.online else "offline"
        return f"<MockNM {self.node_id} {self.resource} {state} running={len(self.running)}>"

    # With the RM

    def register(self):
        """
        Register (again): a NodeManager (re)starting has no containers.

        :return: the ``RegisterNodeManagerResponse``; the node is :attr:`online` unless it says
            SHUTDOWN.
        """
        self.running.clear()
        self.pending.clear()
        response = self._tracker.register_node_manager(RegisterNodeManagerRequest(
            node_id=self.node_id, http_port=self.http_port, resource=self.resource,
            nm_version=NM_VERSION, rack_name=self.rack,
        ))
        self.register_response = self.last_response = response
        self.online = response.node_action is not NodeAction.SHUTDOWN
        self.response_id = 0
        return response

    def heartbeat(self, statuses=None, response_id=None):
        """
        Send a full heartbeat.

        :param statuses: the container statuses to send; by default the pending ones (which
            are then no longer pending once the RM answered NORMAL).
        :param response_id: the responseId to send (default: the last one received), to play a
            duplicate or out-of-step heartbeat.
        :return: the ``NodeHeartbeatResponse``.  On NORMAL the node takes its responseId and
            obeys the cleanup orders; on RESYNC or SHUTDOWN it only records the response.
        """
        default = statuses is None
        sent = tuple(self.pending.values()) if default else tuple(statuses)
        response = self._tracker.node_heartbeat(NodeHeartbeatRequest(
            self.node_id, self.response_id if response_id is None else response_id, sent,
        ))
        self.last_response = response
        if response.node_action is not NodeAction.NORMAL:
            return response
        if default:
            for status in sent:
                if self.pending.get(status.container_id) is status:
                    del self.pending[status.container_id]
        self.response_id = response.response_id
        for container_id in response.containers_to_cleanup:
            self.cleaned_up.append(container_id)
            self._stop(container_id, ContainerExitStatus.KILLED_BY_RESOURCEMANAGER,
                       "Container killed by the ApplicationMaster.")
        for application_id in response.applications_to_cleanup:
            self.apps_cleaned_up.append(application_id)
            for container_id in [c for c in self.running if c.application_id == application_id]:
                self._stop(container_id, ContainerExitStatus.KILLED_AFTER_APP_COMPLETION,
                           "Container Killed by ResourceManager")
        return response

    def quiet_heartbeat(self):
        """
        Heartbeat through the RM's fast path when there is nothing to report, falling back to a
        full :meth:`heartbeat` when there is, or when the RM asks for one (as the NodeManager does).

        :return: ``True`` if the fast path answered, ``False`` if a full heartbeat was sent.
        """
        if not self.pending:
            response_id = self._tracker.quiet_heartbeat(self.node_id, self.response_id,
                                                        now_ms(self._clock))
            if response_id is not None:
                self.response_id = response_id
                return True
        self.heartbeat()
        return False

    def unregister(self):
        """Stop gracefully: the RM marks the node SHUTDOWN.  What it ran is gone."""
        self.online = False
        self.running.clear()
        self.pending.clear()
        self._tracker.unregister_node_manager(self.node_id)

    def lose(self):
        """The machine dies: no more heartbeats, nothing reported, its containers are gone."""
        self.online = False
        self.running.clear()
        self.pending.clear()

    # Containers

    def launch(self, container):
        """Run ``container`` (a :class:`~yarnemu.records.Container`): report it RUNNING next."""
        self.running[container.id] = container
        self.pending[container.id] = ContainerStatus(
            container.id, ContainerState.RUNNING, int(ContainerExitStatus.INVALID), "",
            container.resource,
        )

    def complete(self, container_id, exit_status=0, diagnostics=""):
        """
        The container's process ended: report it COMPLETE with ``exit_status`` next.

        :raise KeyError: if this node does not run it.
        """
        container = self.running.pop(container_id)
        self.pending[container_id] = ContainerStatus(
            container_id, ContainerState.COMPLETE, int(exit_status), diagnostics,
            container.resource,
        )

    def _stop(self, container_id, exit_status, diagnostics):
        if container_id in self.running:
            self.complete(container_id, exit_status, diagnostics)

    # IContainerManagementProtocol

    def start_containers(self, requests):
        """Launch each requested container (fail each one if :attr:`refuse_starts` is set)."""
        started = []
        failed = {}
        for request in requests:
            container = request.container
            if self.refuse_starts or not self.online:
                failed[container.id] = YarnException(
                    f"MockNM {self.node_id} refuses to start {container.id}"
                )
            elif container.node_id != self.node_id or container.id in self.running:
                failed[container.id] = YarnException(
                    f"Container {container.id} cannot start on {self.node_id}"
                )
            else:
                self.started.append(request)
                self.launch(container)
                started.append(container.id)
        return StartContainersResponse(started, failed)

    def stop_containers(self, container_ids):
        """Stop containers as their AM asks (``KILLED_BY_APPMASTER``)."""
        stopped = []
        failed = {}
        for container_id in container_ids:
            if container_id in self.running:
                self.complete(container_id, ContainerExitStatus.KILLED_BY_APPMASTER,
                              "Container killed by the ApplicationMaster.")
                stopped.append(container_id)
            else:
                failed[container_id] = YarnException(
                    f"Container {container_id} is not handled by this NodeManager"
                )
        return StopContainersResponse(stopped, failed)

    def get_container_statuses(self, container_ids):
        statuses = []
        failed = {}
        for container_id in container_ids:
            container = self.running.get(container_id)
            if container is None:
                failed[container_id] = YarnException(
                    f"Container {container_id} is not handled by this NodeManager"
                )
            else:
                statuses.append(ContainerStatus(container_id, ContainerState.RUNNING,
                                                int(ContainerExitStatus.INVALID), "",
                                                container.resource))
        return GetContainerStatusesResponse(statuses, failed)


class MockAM:
    """
    An application master reduced to ``ApplicationMasterProtocol`` calls for one attempt.

    :param am_service: the RM's ``IApplicationMasterProtocol``.

    :ivar int response_id: the responseId of the last allocate response (0 after registering).
    :ivar last_request: the last ``AllocateRequest`` sent and accepted with a new response.
    :ivar last_response: the last ``AllocateResponse`` received.
    :ivar allocated: every container received, in order.
    :ivar completed: every completed ``ContainerStatus`` received, in order.
    :ivar updated_nodes: every node report received, in order.
    """

    def __init__(self, am_service, attempt_id):
        self._service = am_service
        self.attempt_id = attempt_id
        self.response_id = 0
        self.registered = False
        self.register_response = None
        self.last_request = None
        self.last_response = None
        self.allocated = []
        self.completed = []
        self.updated_nodes = []

    def __repr__(self):
        return f"<MockAM {self.attempt_id} responseId={self.response_id}>"

    def register(self, host="mock-am-host", rpc_port=-1, tracking_url=""):
        """:return: the ``RegisterApplicationMasterResponse``."""
        response = self._service.register_application_master(
            self.attempt_id, RegisterApplicationMasterRequest(host, rpc_port, tracking_url)
        )
        self.registered = True
        self.register_response = response
        self.response_id = 0
        return response

    def allocate(self, asks=(), releases=(), progress=0.0, response_id=None):
        """
        Heartbeat with ``asks`` (absolute totals) and ``releases``.

        :param response_id: the responseId to send (default: the last one received), to play a
            duplicate or stale request.
        :return: the ``AllocateResponse``.  Only a response with a new responseId is recorded (a
            duplicate's cached response is not counted twice).
        """
        request = AllocateRequest(
            response_id=self.response_id if response_id is None else response_id,
            progress=progress, ask=tuple(asks), release=tuple(releases),
        )
        response = self._service.allocate(self.attempt_id, request)
        if response.response_id != self.response_id:
            self.response_id = response.response_id
            self.last_request = request
            self.allocated.extend(response.allocated_containers)
            self.completed.extend(response.completed_containers_statuses)
            self.updated_nodes.extend(response.updated_nodes)
        self.last_response = response
        return response

    def resend(self):
        """
        Send the last accepted request again, as an AM that did not get the answer would.

        :return: the ``AllocateResponse`` (the RM's cached one).
        """
        request = self.last_request
        return self.allocate(request.ask, request.release, request.progress,
                             response_id=request.response_id)

    def unregister(self, final_status=FinalApplicationStatus.SUCCEEDED, diagnostics="",
                   tracking_url=""):
        """:return: whether the RM has unregistered the AM (a managed AM asks again until so)."""
        response = self._service.finish_application_master(
            self.attempt_id, FinishApplicationMasterRequest(final_status, diagnostics, tracking_url)
        )
        return response.is_unregistered

    @staticmethod
    def ask(memory_mb=1024, vcores=1, count=1, priority=1, resource_name=ANY, relax_locality=True,
            allocation_request_id=0):
        """:return: a ``ResourceRequest`` (as Hadoop's ``MockAM.createResourceReq``)."""
        return ResourceRequest(priority, resource_name, Resource(memory_mb, vcores), count,
                               relax_locality, allocation_request_id=allocation_request_id)
