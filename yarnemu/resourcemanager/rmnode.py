"""
:class:`RMNode`: a NodeManager as the ResourceManager sees it — registration, heartbeats,
liveness, and what it must be told to clean up.
"""

from yarnemu.events import NodeStateChanged
from yarnemu.lifecycle.rmcontainer import RMContainerEventType
from yarnemu.lifecycle.rmnode import RM_NODE_TRANSITIONS, RMNodeEventType
from yarnemu.records.client_protocol import NodeReport
from yarnemu.records.exit_status import ContainerExitStatus
from yarnemu.records.states import NodeState
from yarnemu.resourcemanager.rmcontainer import LOST_CONTAINER

__all__ = ["RMNode", "CleanupOrders"]

E = RMNodeEventType


class CleanupOrders(list):
    """
    What a node is to be told to clean up (container or application ids), in its next heartbeat
    response: a list that sets its node's ``has_orders`` whenever something is added, so that
    the heartbeat fast path checks one flag of the node it holds instead of two more objects.
    """

    __slots__ = ("_node",)

    def __init__(self, node):
        super().__init__()
        self._node = node

    def append(self, item):
        list.append(self, item)
        self._node.has_orders = True

    def extend(self, items):
        list.extend(self, items)
        if self:
            self._node.has_orders = True

    def insert(self, index, item):
        list.insert(self, index, item)
        self._node.has_orders = True

    def __iadd__(self, items):
        self.extend(items)
        return self


class RMNode:
    """
    :ivar int response_id: the id of the last heartbeat response the RM sent.
    :ivar last_response: that response (``None`` when it carried nothing, so a duplicate
        heartbeat gets an empty response with the same id).
    :ivar last_ping: the time (ms) of its last heartbeat while the NodeManagers' liveness monitor
        watches it (where that monitor keeps it: :class:`~yarnemu.resourcemanager.liveness.HeldPings`).
    :ivar containers_to_cleanup: container ids to tell the node to clean up (:class:`CleanupOrders`).
    :ivar apps_to_cleanup: application ids to tell the node to clean up (:class:`CleanupOrders`).
    :ivar bool has_orders: something was added to either since the last response took them.
    """

    __slots__ = ("rm", "node_id", "rack", "http_address", "capability", "nm_version", "state",
                 "response_id", "last_response", "containers_to_cleanup", "apps_to_cleanup",
                 "health_report", "last_health_report_time", "registered_time", "last_ping",
                 "has_orders")

    def __init__(self, rm, node_id, rack, http_address, capability, nm_version, now):
        self.rm = rm
        self.node_id = node_id
        self.rack = rack
        self.http_address = http_address
        self.capability = capability
        self.nm_version = nm_version
        self.state = NodeState.NEW
        self.response_id = 0
        self.last_response = None
        self.has_orders = False
        self.containers_to_cleanup = CleanupOrders(self)
        self.apps_to_cleanup = CleanupOrders(self)
        self.health_report = ""
        self.last_health_report_time = now
        self.registered_time = now
        self.last_ping = None

    def report(self):
        """:return: the node's :class:`NodeReport`."""
        node = self.rm.scheduler.nodes.get(self.node_id)
        used = node.used if node is not None else self.capability * 0
        containers = len(node.containers) if node is not None else 0
        return NodeReport(
            node_id=self.node_id,
            node_state=self.state,
            http_address="" if self.state in (NodeState.LOST, NodeState.DECOMMISSIONED,
                                              NodeState.REBOOTED) else self.http_address,
            rack_name=self.rack,
            used=used,
            capability=self.capability,
            num_containers=containers,
            health_report=self.health_report,
            last_health_report_time=self.last_health_report_time,
        )

    def handle(self, event, payload=None):
        """Handle an :class:`RMNodeEventType`."""
        target = RM_NODE_TRANSITIONS.next_state(self.state, event, payload)
        if target is None:
            return
        rm = self.rm
        old = self.state
        self.state = target
        if old != target or event is E.RECONNECTED:
            rm.events.emit(NodeStateChanged(rm.now(), self.node_id, old, target, event.value,
                                            self.capability, self.rack))
        if event is E.STARTED:
            rm.scheduler.add_node(self.node_id, self.capability, self.rack, self.http_address)
            rm.nm_liveness.register(self.node_id, rm.now())
        elif event is E.RECONNECTED:
            # The NM restarted under the same id: what the scheduler had on it is gone, and its
            # registration counts as a ping (Hadoop registers it with the liveness monitor again).
            self._kill_containers(rm.scheduler.remove_node(self.node_id))
            rm.scheduler.add_node(self.node_id, self.capability, self.rack, self.http_address)
            rm.nm_liveness.register(self.node_id, rm.now())
        elif target.is_inactive:
            self._deactivate()
        if old != target:
            rm.node_state_changed(self)

    def _deactivate(self):
        rm = self.rm
        rm.nm_liveness.unregister(self.node_id)
        self._kill_containers(rm.scheduler.remove_node(self.node_id))
        self.orders_sent()
        rm.deactivate_node(self)

    def orders_sent(self):
        """The cleanup orders were handed to the node (or dropped): start new, empty lists."""
        self.containers_to_cleanup = CleanupOrders(self)
        self.apps_to_cleanup = CleanupOrders(self)
        self.has_orders = False

    def _kill_containers(self, removed):
        rm = self.rm
        for live in removed:
            container = rm.containers.get(live.container_id)
            if container is not None:
                rm.dispatcher.dispatch(
                    container.handle, RMContainerEventType.KILL,
                    (ContainerExitStatus.ABORTED, LOST_CONTAINER),
                )
