"""
:class:`ResourceTrackerService`: ``ResourceTracker``, the NodeManager → RM protocol —
registration, heartbeats (container statuses in, cleanup orders out, allocation on every
heartbeat) and unregistration.
"""

from zope.interface import implementer

from yarnemu.interfaces import IResourceTracker
from yarnemu.lifecycle.rmcontainer import RMContainerEventType
from yarnemu.lifecycle.rmnode import RMNodeEventType
from yarnemu.records.states import ContainerState, NodeAction, RMContainerState
from yarnemu.records.tracker_protocol import NodeHeartbeatResponse, RegisterNodeManagerResponse
from yarnemu.resourcemanager.am_service import MAX_RESPONSE_ID, next_response_id
from yarnemu.resourcemanager.rmnode import RMNode

__all__ = ["ResourceTrackerService"]


@implementer(IResourceTracker)
class ResourceTrackerService:
    def __init__(self, rm):
        self._rm = rm
        self._interval = rm.config.get_int("yarn.resourcemanager.nodemanagers.heartbeat-interval-ms")
        # The quiet path runs tens of millions of times an hour at cluster scale: keep lookups local.
        self._nodes = rm.nodes
        self._scheduler = rm.scheduler

    @property
    def heartbeat_interval_ms(self):
        return self._interval

    def register_node_manager(self, request):
        """
        Register (or re-register) a NodeManager.  One below the minimum allocation is told to
        SHUTDOWN; the same node id registering again while active is a RECONNECTED node.

        :return: a :class:`RegisterNodeManagerResponse`.
        """
        rm = self._rm
        minimum = rm.scheduler.minimum_allocation
        if request.resource.memory < minimum.memory or request.resource.vcores < minimum.vcores:
            return RegisterNodeManagerResponse(
                NodeAction.SHUTDOWN, rm.cluster_timestamp,
                diagnostics_message=(
                    f"NodeManager from  {request.node_id.host} doesn't satisfy minimum allocations, "
                    "Sending SHUTDOWN signal to the NodeManager."
                ),
            )
        http_address = f"{request.node_id.host}:{request.http_port}"
        existing = rm.nodes.get(request.node_id)
        if existing is not None:
            existing.capability = request.resource
            existing.response_id = 0
            existing.last_response = None
            rm.dispatcher.dispatch(existing.handle, RMNodeEventType.RECONNECTED, existing.state)
        else:
            rm.inactive_nodes.pop(request.node_id, None)
            node = RMNode(rm, request.node_id, request.rack_name, http_address, request.resource,
                          request.nm_version, rm.now())
            rm.nodes[request.node_id] = node
            rm.dispatcher.dispatch(node.handle, RMNodeEventType.STARTED)
        return RegisterNodeManagerResponse(
            NodeAction.NORMAL, rm.cluster_timestamp, rm_version=rm.version,
            resource=request.resource, next_heartbeat_interval_ms=self._interval,
        )

    def unregister_node_manager(self, node_id):
        """A NodeManager stopping gracefully: its node goes SHUTDOWN."""
        node = self._rm.nodes.get(node_id)
        if node is not None:
            self._rm.dispatcher.dispatch(node.handle, RMNodeEventType.SHUTDOWN)

    def node_heartbeat(self, request):
        """
        A NodeManager's heartbeat.

        :return: a :class:`NodeHeartbeatResponse`: NORMAL with what to clean up; RESYNC for an
            unknown node or a responseId the RM cannot continue from; the previous response for
            a repeated one.
        """
        rm = self._rm
        node = rm.nodes.get(request.node_id)
        if node is None:
            return NodeHeartbeatResponse(
                0, NodeAction.RESYNC, self._interval,
                diagnostics_message=f"Node not found resyncing {request.node_id}",
            )
        now = rm.now()
        rm.nm_liveness.ping(node.node_id, now)
        last = node.response_id
        if next_response_id(request.response_id) == last:
            return node.last_response or NodeHeartbeatResponse(last, NodeAction.NORMAL, self._interval)
        if request.response_id != last:
            message = (f"Too far behind rm response id:{last} nm response id:"
                       f"{request.response_id}")
            rm.dispatcher.dispatch(node.handle, RMNodeEventType.REBOOTING)
            return NodeHeartbeatResponse(0, NodeAction.RESYNC, self._interval,
                                         diagnostics_message=message)
        self._container_statuses(node, request.container_statuses)
        self._node_update(node)
        response = NodeHeartbeatResponse(
            next_response_id(last), NodeAction.NORMAL, self._interval,
            containers_to_cleanup=node.containers_to_cleanup,
            applications_to_cleanup=node.apps_to_cleanup,
        )
        node.orders_sent()
        node.response_id = response.response_id
        node.last_response = response
        return response

    def quiet_heartbeat(self, node_id, response_id, now_ms):
        """
        A heartbeat that reports no container changes, answered without building records: the
        in-process fast path for the idle heartbeats that make up most of a cluster's traffic.
        It does everything :meth:`node_heartbeat` does for such a heartbeat (liveness, responseId,
        allocation on the node).

        :return: the new responseId, or ``None`` when the RM has something to tell the node
            (cleanup, resync): the NodeManager must then send a full :meth:`node_heartbeat`.
        """
        # Only attributes of the node itself are read and written here: at scale each further
        # object touched per heartbeat is a cache miss, and the misses are most of the cost.
        node = self._nodes.get(node_id)
        if node is None or node.response_id != response_id or node.has_orders:
            return None
        node.last_ping = now_ms  # a ping: the NodeManagers' liveness monitor reads it there
        if self._scheduler.pending:
            self._node_update(node)
            if node.has_orders:
                return None
        response_id = (response_id + 1) & MAX_RESPONSE_ID
        node.response_id = response_id
        node.last_response = None
        return response_id

    def _container_statuses(self, node, statuses):
        rm = self._rm
        for status in statuses:
            container = rm.containers.get(status.container_id)
            if container is None or container.node_id != node.node_id:
                if status.state is not ContainerState.COMPLETE:
                    # Not a container the RM has (any more): the node must stop it.
                    node.containers_to_cleanup.append(status.container_id)
                continue
            if status.state is ContainerState.COMPLETE:
                rm.dispatcher.dispatch(container.handle, RMContainerEventType.FINISHED,
                                       (status.exit_status, status.diagnostics))
            elif container.state is RMContainerState.ACQUIRED:
                rm.dispatcher.dispatch(container.handle, RMContainerEventType.LAUNCHED)

    def _node_update(self, node):
        rm = self._rm
        allocations = rm.scheduler.node_update(node.node_id)
        if allocations:
            rm.allocated(allocations)
