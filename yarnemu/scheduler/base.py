"""
:class:`AbstractScheduler`: what the FIFO and Capacity schedulers share — nodes, applications,
attempts, asks, live containers, resource accounting and locality rules.

A scheduler is **pure**: no clock, no I/O, no events.  It is a deterministic function of the calls
made on it; :meth:`AbstractScheduler.node_update` (a node's heartbeat) returns the containers it
allocated on that node as :class:`~yarnemu.scheduler.applications.Allocation` values, and the
ResourceManager turns them into container lifecycles.
"""

from yarnemu.errors import (
    InvalidContainerReleaseException,
    InvalidResourceBlacklistRequestException,
)
from yarnemu.records.am_protocol import ANY, ResourceRequest
from yarnemu.records.containers import Container
from yarnemu.records.ids import ContainerId
from yarnemu.records.resource import Resource
from yarnemu.records.states import NodeType
from yarnemu.scheduler.applications import (
    AM_PRIORITY,
    Allocation,
    LiveContainer,
    SchedulerApplication,
    SchedulerAttempt,
)
from yarnemu.scheduler.nodes import SchedulerNode
from yarnemu.scheduler.requests import normalize_request, validate_resource_request

__all__ = ["AbstractScheduler", "SKIP"]

SKIP = "SKIP"
"""A placement answer: the key may not use this node at all (relaxLocality forbids it)."""


class AbstractScheduler:
    """
    :param config: a :class:`~yarnemu.config.YarnConfiguration`.
    :param calculator: the resource calculator to normalize and compare with.

    :ivar nodes: node id → :class:`SchedulerNode`, in the order nodes were added.
    :ivar containers: container id → :class:`LiveContainer`, every container holding resources.
    :ivar int pending: containers wanted (ANY counts) by all active attempts; while it is 0 a node
        update does nothing.
    """

    type_name = "abstract"

    def __init__(self, config, calculator):
        self.config = config
        self.calculator = calculator
        self.minimum_allocation = Resource(
            config.get_int("yarn.scheduler.minimum-allocation-mb"),
            config.get_int("yarn.scheduler.minimum-allocation-vcores"),
        )
        self.maximum_allocation = Resource(
            config.get_int("yarn.scheduler.maximum-allocation-mb"),
            config.get_int("yarn.scheduler.maximum-allocation-vcores"),
        )
        self.nodes = {}
        self.containers = {}
        self.applications = {}
        self.attempts = {}
        self.pending = 0
        self._kept_containers = {}
        self._cluster_memory = 0
        self._cluster_vcores = 0
        # The cluster's total as one (immutable) value, rebuilt only when a node comes or goes.
        self._cluster = Resource.NONE
        self._used_memory = 0
        self._used_vcores = 0
        self._submissions = 0

    # Cluster views

    @property
    def cluster_resource(self):
        return self._cluster

    @property
    def used_resource(self):
        return Resource(self._used_memory, self._used_vcores)

    @property
    def available_resource(self):
        return Resource(self._cluster_memory - self._used_memory,
                        self._cluster_vcores - self._used_vcores)

    @property
    def num_nodes(self):
        return len(self.nodes)

    # Nodes

    def add_node(self, node_id, capability, rack="/default-rack", http_address=""):
        """
        Add a node with nothing allocated on it.

        :raise ValueError: if the node is already known.
        """
        if node_id in self.nodes:
            raise ValueError(f"node {node_id} is already in the scheduler")
        node = SchedulerNode(node_id, capability, rack, http_address)
        self.nodes[node_id] = node
        self._cluster_memory += capability.memory
        self._cluster_vcores += capability.vcores
        self._cluster = Resource(self._cluster_memory, self._cluster_vcores)
        self._cluster_changed()
        return node

    def remove_node(self, node_id):
        """
        Remove a node; its containers stop holding resources.

        :return: the :class:`LiveContainer` values that were on it, for the caller to complete.
        """
        node = self.nodes.pop(node_id, None)
        if node is None:
            return []
        removed = list(node.containers.values())
        for live in removed:
            self._free(live)
        self._cluster_memory -= node.capability.memory
        self._cluster_vcores -= node.capability.vcores
        self._cluster = Resource(self._cluster_memory, self._cluster_vcores)
        self._cluster_changed()
        return removed

    # Applications and attempts

    def add_application(self, application_id, queue, user, priority=0):
        """
        Admit an application to a queue.

        :return: ``None`` when admitted, or the rejection diagnostic (the app must then fail).
        """
        leaf, rejection = self._admit(application_id, queue, user)
        if rejection is not None:
            return rejection
        self._submissions += 1
        self.applications[application_id] = SchedulerApplication(
            application_id, leaf, user, priority, self._submissions
        )
        return None

    def remove_application(self, application_id):
        """Forget an application whose attempts are all removed."""
        app = self.applications.pop(application_id, None)
        if app is not None:
            self._discharge(app)
        for live in self._kept_containers.pop(application_id, []):
            self._free(live)

    def queue_of(self, application_id):
        """:return: the name of the queue the application was admitted to."""
        return self._queue_name(self.applications[application_id].queue)

    def add_attempt(self, attempt_id, am_resource=None):
        """
        Add an attempt of an admitted application.  Unless ``am_resource`` is ``None`` (an
        unmanaged AM) it asks for the AM container at priority 0.  Containers kept from the
        previous attempt (``remove_attempt(..., keep_containers=True)``) pass to this one.

        :return: the kept containers it took over.
        """
        app = self.applications[attempt_id.application_id]
        if am_resource is not None:
            am_resource = self.calculator.normalize(
                am_resource, self.minimum_allocation, self.maximum_allocation
            )
        attempt = SchedulerAttempt(attempt_id, app, am_resource)
        app.current_attempt = attempt
        self.attempts[attempt_id] = attempt
        kept = self._kept_containers.pop(attempt_id.application_id, [])
        for live in kept:
            live.attempt = attempt
            attempt.live[live.container_id] = live
            attempt.used_memory += live.resource.memory
            attempt.used_vcores += live.resource.vcores
        if am_resource is not None:
            attempt.asks.update(ResourceRequest(AM_PRIORITY, ANY, am_resource, 1))
        self._attempt_added(attempt)
        return kept

    def remove_attempt(self, attempt_id, keep_containers=False):
        """
        Remove an attempt.  Its live containers are released, or kept for the next attempt when
        ``keep_containers`` is set (the AM container is never kept).

        :return: the :class:`LiveContainer` values released, for the caller to complete.
        """
        attempt = self.attempts.pop(attempt_id, None)
        if attempt is None:
            return []
        self._set_active(attempt, False)
        self._attempt_removed(attempt)
        released = []
        kept = []
        for live in list(attempt.live.values()):
            if keep_containers and not live.is_am:
                kept.append(live)
            else:
                self._free(live)
                released.append(live)
        if kept:
            self._kept_containers[attempt_id.application_id] = kept
        return released

    # Asks and releases

    def normalize_and_validate(self, asks):
        """
        :return: the asks with their capabilities normalized.
        :raise InvalidResourceRequestException: for the first ask above the maximum allocation,
            before anything is normalized or stored.
        """
        for ask in asks:
            validate_resource_request(ask, self.maximum_allocation)
        return [
            normalize_request(ask, self.calculator, self.minimum_allocation, self.maximum_allocation)
            for ask in asks
        ]

    def update_asks(self, attempt_id, asks):
        """
        Validate, normalize and store an attempt's asks (each replaces the stored total for its
        key and resource name).  Nothing is stored if any ask is invalid.

        :raise InvalidResourceRequestException: as :meth:`normalize_and_validate`.
        """
        attempt = self.attempts[attempt_id]
        for ask in self.normalize_and_validate(asks):
            delta = attempt.asks.update(ask)
            if delta and attempt.active:
                self._add_pending(attempt, delta)

    def validate_blacklist(self, additions):
        """
        :raise InvalidResourceBlacklistRequestException: if ``additions`` contains ``*``.
        """
        if ANY in additions:
            raise InvalidResourceBlacklistRequestException("Cannot add * to the blacklist!")

    def update_blacklist(self, attempt_id, additions=(), removals=()):
        """
        Stop (or resume) allocating an attempt's containers on the named hosts and racks.

        :raise InvalidResourceBlacklistRequestException: as :meth:`validate_blacklist`.
        """
        self.validate_blacklist(additions)
        attempt = self.attempts[attempt_id]
        attempt.blacklist.update(additions)
        attempt.blacklist.difference_update(removals)

    def release(self, attempt_id, container_ids):
        """
        Release containers an attempt no longer wants.  Ids of containers that are no longer live
        are ignored, as Hadoop ignores them.

        :return: the released :class:`LiveContainer` values, for the caller to complete.
        :raise InvalidContainerReleaseException: as :meth:`validate_release`; nothing is released
            then.
        """
        found = self.validate_release(attempt_id, container_ids)
        for live in found:
            self._free(live)
        return found

    def validate_release(self, attempt_id, container_ids):
        """
        :return: the live containers among ``container_ids``.
        :raise InvalidContainerReleaseException: if one belongs to another attempt.
        """
        found = []
        for container_id in container_ids:
            live = self.containers.get(container_id)
            if live is None:
                continue
            if live.attempt.attempt_id != attempt_id:
                raise InvalidContainerReleaseException(
                    f"Cannot release container : {container_id} not belonging to this "
                    f"application attempt : {attempt_id}"
                )
            found.append(live)
        return found

    def complete(self, container_id):
        """
        A container finished or was killed: it stops holding resources.

        :return: its :class:`LiveContainer`, or ``None`` if it was not live.
        """
        live = self.containers.get(container_id)
        if live is not None:
            self._free(live)
        return live

    # Allocation

    def node_update(self, node_id):
        """
        A node heartbeat: allocate what fits on the node.

        :return: the :class:`Allocation` values made, in order.
        """
        if self.pending <= 0:
            return []
        node = self.nodes.get(node_id)
        if node is None:
            return []
        return self._assign_on_node(node)

    def headroom(self, attempt_id):
        """:return: how much more the attempt could be allocated now."""
        raise NotImplementedError()

    def guaranteed_resource(self, attempt_id):
        """
        :return: the resource guaranteed to the attempt's queue, against which its queue usage
            percentage is reported: the whole cluster unless the scheduler has queue capacities.
        """
        return self.cluster_resource

    # For subclasses

    def _admit(self, application_id, queue, user):
        raise NotImplementedError()

    def _discharge(self, application):
        """An application left."""

    def _queue_name(self, queue):
        raise NotImplementedError()

    def _attempt_added(self, attempt):
        self._set_active(attempt, True)

    def _attempt_removed(self, attempt):
        """An attempt left (already inactive)."""

    def _cluster_changed(self):
        """The cluster's total resource changed."""

    def _assign_on_node(self, node):
        raise NotImplementedError()

    def _on_allocated(self, attempt, resource):
        """An attempt was allocated ``resource``."""

    def _on_freed(self, attempt, resource):
        """An attempt gave back ``resource``."""

    def _on_pending(self, attempt, delta):
        """An active attempt's outstanding demand changed by ``delta``."""

    # Shared mechanics

    def _set_active(self, attempt, active):
        if attempt.active == active:
            return
        attempt.active = active
        if attempt.asks.pending:
            self._add_pending(attempt, attempt.asks.pending if active else -attempt.asks.pending)

    def _add_pending(self, attempt, delta):
        self.pending += delta
        self._on_pending(attempt, delta)

    def _placement(self, attempt, key, node):
        """
        Which locality a key could be served with on ``node``, by the asks alone (no delay):
        NODE_LOCAL needs node, rack and ANY counts; RACK_LOCAL needs rack and ANY counts and a
        relaxed rack; OFF_SWITCH needs a relaxed ANY.

        :return: a :class:`NodeType`, :data:`SKIP`, or ``None`` when the key wants nothing.
        """
        asks = attempt.asks
        anywhere = asks.entry(key, ANY)
        if anywhere is None or anywhere.count <= 0:
            return None
        rack = asks.entry(key, node.rack)
        rack_wanted = rack is not None and rack.count > 0
        if rack_wanted:
            local = asks.entry(key, node.host)
            if local is not None and local.count > 0:
                return NodeType.NODE_LOCAL
            return NodeType.RACK_LOCAL if rack.relax_locality else SKIP
        return NodeType.OFF_SWITCH if anywhere.relax_locality else SKIP

    def _blacklisted(self, attempt, node):
        blacklist = attempt.blacklist
        return bool(blacklist) and (node.host in blacklist or node.rack in blacklist)

    def _allocate(self, attempt, node, key, locality):
        """
        Allocate one container of ``key``'s capability on ``node``.

        :return: the :class:`Allocation`.
        """
        capability = attempt.asks.entry(key, ANY).capability
        number = attempt.next_container
        attempt.next_container = number + 1
        is_am = attempt.am_pending and key[0] == AM_PRIORITY
        container = Container(
            id=ContainerId(attempt.attempt_id, number),
            node_id=node.node_id,
            node_http_address=node.http_address,
            resource=capability,
            priority=key[0],
            allocation_request_id=key[1],
            user=attempt.user,
        )
        live = LiveContainer(container, attempt, node, is_am)
        self.containers[container.id] = live
        node.containers[container.id] = live
        attempt.live[container.id] = live
        node.used_memory += capability.memory
        node.used_vcores += capability.vcores
        attempt.used_memory += capability.memory
        attempt.used_vcores += capability.vcores
        self._used_memory += capability.memory
        self._used_vcores += capability.vcores
        attempt.asks.consume(key, node.host, node.rack, locality)
        if is_am:
            attempt.am_pending = False
        self._add_pending(attempt, -1)
        self._on_allocated(attempt, capability)
        return Allocation(attempt.attempt_id, container, locality, is_am, self._queue_name(attempt.queue))

    def _free(self, live):
        resource = live.resource
        container_id = live.container_id
        del self.containers[container_id]
        node = live.node
        if node.containers.pop(container_id, None) is not None:
            node.used_memory -= resource.memory
            node.used_vcores -= resource.vcores
        attempt = live.attempt
        if attempt.live.pop(container_id, None) is not None:
            attempt.used_memory -= resource.memory
            attempt.used_vcores -= resource.vcores
        self._used_memory -= resource.memory
        self._used_vcores -= resource.vcores
        kept = self._kept_containers.get(attempt.attempt_id.application_id)
        if kept and live in kept:
            kept.remove(live)
        self._on_freed(attempt, resource)
