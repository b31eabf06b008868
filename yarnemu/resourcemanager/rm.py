"""
:class:`ResourceManager`: one cluster's ResourceManager — the applications, attempts, containers
and nodes it tracks, the scheduler, and the three services it offers:

- :attr:`ResourceManager.client_service`: ``ApplicationClientProtocol`` for clients;
- :attr:`ResourceManager.am_service`: ``ApplicationMasterProtocol`` for application masters;
- :attr:`ResourceManager.resource_tracker`: ``ResourceTracker`` for NodeManagers.

It takes its clock (any ``IReactorTime``) and reaches NodeManagers through a lookup function, so
the same object runs in virtual time and behind a real reactor.
"""

from collections import deque

from yarnemu.config import YarnConfiguration
from yarnemu.events import AppSubmitted, ContainerAllocated, EventLog
from yarnemu.lifecycle.rmapp import RMAppEventType
from yarnemu.lifecycle.rmattempt import RMAppAttemptEventType
from yarnemu.lifecycle.rmcontainer import RMContainerEventType
from yarnemu.lifecycle.rmnode import RMNodeEventType
from yarnemu.records.client_protocol import ApplicationResourceUsageReport
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.ids import ApplicationId
from yarnemu.records.states import RMAppState
from yarnemu.resourcemanager.am_service import ApplicationMasterService
from yarnemu.resourcemanager.amlauncher import AMLauncher
from yarnemu.resourcemanager.client_service import ClientRMService
from yarnemu.resourcemanager.dispatcher import Dispatcher
from yarnemu.resourcemanager.liveness import HeldPings, LivenessMonitor
from yarnemu.resourcemanager.metrics import ClusterMetrics
from yarnemu.resourcemanager.resource_tracker import ResourceTrackerService
from yarnemu.resourcemanager.rmapp import RMApp
from yarnemu.resourcemanager.rmcontainer import EXPIRED_CONTAINER, RMContainer
from yarnemu.resourcemanager.state_store import NullRMStateStore
from yarnemu.scheduler import create_scheduler
from yarnemu.timers import now_ms

__all__ = ["ResourceManager", "RM_VERSION"]

RM_VERSION = "3.3.6-yarnemu"


class ResourceManager:
    """
    :param clock: an ``IReactorTime``; its time at construction is the cluster timestamp.
    :param config: a :class:`~yarnemu.config.YarnConfiguration`.
    :param events: the cluster's :class:`~yarnemu.events.EventLog`.
    :param container_managers: ``node_id → IContainerManagementProtocol`` (or ``None``), how the RM
        reaches NodeManagers to launch AM containers.

    :ivar apps: application id → :class:`RMApp`, in submission order (completed ones beyond
        ``yarn.resourcemanager.max-completed-applications`` are forgotten).
    :ivar live_attempts: attempt id → attempts not yet in a final state.
    :ivar containers: container id → :class:`RMContainer` not yet in a final state.
    :ivar nodes: node id → active :class:`RMNode`; ``inactive_nodes`` holds LOST, SHUTDOWN,
        DECOMMISSIONED and REBOOTED ones.
    """

    version = RM_VERSION

    def __init__(self, clock, config=None, events=None, container_managers=None):
        self.clock = clock
        self.config = config if config is not None else YarnConfiguration()
        self.events = events if events is not None else EventLog(clock)
        self.cluster_timestamp = now_ms(clock)
        self.scheduler = create_scheduler(self.config)
        self.dispatcher = Dispatcher()
        self.state_store = NullRMStateStore(
            clock, self.config.get_int("yarnemu.resourcemanager.state-store.latency-ms")
        )
        self.apps = {}
        self.live_attempts = {}
        self.containers = {}
        self.nodes = {}
        self.inactive_nodes = {}
        self.max_app_attempts = self.config.get_int("yarn.resourcemanager.am.max-attempts")
        self.webapp_address = self.config.get_str("yarn.resourcemanager.webapp.address")
        self._max_completed = self.config.get_int("yarn.resourcemanager.max-completed-applications")
        self._completed = deque()
        self._last_app_number = 0
        self.am_liveness = LivenessMonitor(
            clock, self.config.get_int("yarn.am.liveness-monitor.expiry-interval-ms"), self._am_expired
        )
        # Each node's last ping is kept on its RMNode, where the heartbeat fast path sets it.
        self.nm_liveness = LivenessMonitor(
            clock, self.config.get_int("yarn.nm.liveness-monitor.expiry-interval-ms"), self._nm_expired,
            pings=HeldPings(self.nodes),
        )
        self.allocation_expirer = LivenessMonitor(
            clock,
            self.config.get_int("yarn.resourcemanager.rm.container-allocation.expiry-interval-ms"),
            self._allocation_expired,
        )
        self.launcher = AMLauncher(self, container_managers)
        self.metrics = ClusterMetrics(self)
        self.client_service = ClientRMService(self)
        self.am_service = ApplicationMasterService(self)
        self.resource_tracker = ResourceTrackerService(self)

    def now(self):
        """:return: the current time in epoch milliseconds."""
        return self.events.now()

    def proxy_url(self, application_id):
        """:return: the application's tracking URL through the RM web proxy."""
        return f"http://{self.webapp_address}/proxy/{application_id}/"

    # Used by the services

    def new_application_id(self):
        self._last_app_number += 1
        return ApplicationId(self.cluster_timestamp, self._last_app_number)

    def submit(self, context, user):
        """Create the application for a validated submission and start it."""
        requested = context.max_app_attempts
        max_attempts = requested if 0 < requested <= self.max_app_attempts else self.max_app_attempts
        app = RMApp(self, context, user, max_attempts, self.now())
        self.apps[context.application_id] = app
        self.events.emit(AppSubmitted(app.submit_time, context.application_id,
                                      context.application_name, context.application_type,
                                      context.queue, user))
        if context.application_id.cluster_timestamp == self.cluster_timestamp:
            self._last_app_number = max(self._last_app_number, context.application_id.id)
        self.dispatcher.dispatch(app.handle, RMAppEventType.START)
        return app

    def allocated(self, allocations):
        """Turn the scheduler's allocations into ALLOCATED containers of their attempts."""
        now = self.now()
        for allocation in allocations:
            attempt = self.live_attempts[allocation.attempt_id]
            record = allocation.container
            container = RMContainer(self, record, attempt, allocation.is_am, allocation.locality, now)
            self.containers[record.id] = container
            attempt.app.ran_nodes.add(record.node_id)
            self.events.emit(ContainerAllocated(now, record.id, record.node_id, record.resource,
                                                record.priority, allocation.locality,
                                                allocation.queue))
            self.dispatcher.dispatch(container.handle, RMContainerEventType.START)
            attempt.container_allocated(container)

    # Used by the lifecycles

    def transfer_kept_containers(self, attempt, kept):
        """Give the containers kept from a previous attempt to ``attempt``."""
        for live in kept:
            container = self.containers.get(live.container_id)
            if container is not None:
                container.attempt = attempt
                attempt.containers.append(container)

    def cleanup_container_on_node(self, container):
        node = self.nodes.get(container.node_id)
        if node is not None:
            node.containers_to_cleanup.append(container.container_id)

    def node_state_changed(self, node):
        """Tell every live attempt, in its next allocate response, that a node changed."""
        report = node.report()
        for attempt in self.live_attempts.values():
            if attempt.registered:
                attempt.updated_nodes.append(report)

    def deactivate_node(self, node):
        self.nodes.pop(node.node_id, None)
        self.inactive_nodes[node.node_id] = node

    def application_done(self, app):
        """An application reached FINISHED, FAILED or KILLED."""
        if app.accepted:
            self.scheduler.remove_application(app.application_id)
        for node_id in sorted(app.ran_nodes):
            node = self.nodes.get(node_id)
            if node is not None:
                node.apps_to_cleanup.append(app.application_id)
        self._completed.append(app.application_id)
        while len(self._completed) > self._max_completed:
            self.apps.pop(self._completed.popleft(), None)

    def usage_of(self, app):
        """
        :return: the application's :class:`ApplicationResourceUsageReport` now: what its current
            attempt holds (nothing once the attempt left the scheduler), its share of the cluster
            and of its queue's guaranteed resource, and the MB- and vcore-seconds of all its
            containers, completed and running.
        """
        attempt = app.current_attempt
        live = self.scheduler.attempts.get(attempt.attempt_id) if attempt else None
        memory_seconds = app.memory_seconds
        vcore_seconds = app.vcore_seconds
        if live is None:
            return ApplicationResourceUsageReport(memory_seconds=memory_seconds,
                                                  vcore_seconds=vcore_seconds)
        now = self.now()
        for container_id, held in live.live.items():
            container = self.containers.get(container_id)
            if container is not None:
                used_ms = now - container.creation_time
                memory_seconds += held.resource.memory * used_ms // 1000
                vcore_seconds += held.resource.vcores * used_ms // 1000
        scheduler = self.scheduler
        cluster = scheduler.cluster_resource
        used = live.used
        guaranteed = scheduler.guaranteed_resource(attempt.attempt_id)
        return ApplicationResourceUsageReport(
            num_used_containers=len(live.live),
            used_resources=used,
            memory_seconds=memory_seconds,
            vcore_seconds=vcore_seconds,
            queue_usage_percentage=100.0 * scheduler.calculator.ratio(cluster, used, guaranteed),
            cluster_usage_percentage=(100.0 * used.memory / cluster.memory) if cluster.memory else 0.0,
        )

    def pending_diagnostics(self, app):
        """:return: the scheduler's note on an application waiting in ACCEPTED, or ``""``."""
        attempt = app.current_attempt
        if app.state is not RMAppState.ACCEPTED or attempt is None:
            return ""
        describe = getattr(self.scheduler, "am_diagnostics", None)
        return describe(attempt.attempt_id) if describe else ""

    # Expiry

    def _am_expired(self, attempt_id):
        attempt = self.live_attempts.get(attempt_id)
        if attempt is not None:
            self.dispatcher.dispatch(attempt.handle, RMAppAttemptEventType.EXPIRE)

    def _nm_expired(self, node_id):
        node = self.nodes.get(node_id)
        if node is not None:
            self.dispatcher.dispatch(node.handle, RMNodeEventType.EXPIRE)

    def _allocation_expired(self, container_id):
        container = self.containers.get(container_id)
        if container is not None:
            self.dispatcher.dispatch(container.handle, RMContainerEventType.EXPIRE,
                                     (ContainerExitStatus.ABORTED, EXPIRED_CONTAINER))
