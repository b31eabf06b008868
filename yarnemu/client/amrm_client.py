"""
:class:`AMRMClient`: the application master's side of ``ApplicationMasterProtocol``, as Hadoop's
``AMRMClientImpl``: a table of container requests turned into absolute asks per key, sent only
when they change, with the responseId kept in step.
"""

from attrs import field, frozen

from yarnemu.records.am_protocol import (
    ANY,
    AllocateRequest,
    FinishApplicationMasterRequest,
    RegisterApplicationMasterRequest,
    ResourceBlacklistRequest,
    ResourceRequest,
)
from yarnemu.records.immutable import frozen_tuple

__all__ = ["AMRMClient", "ContainerRequest", "DEFAULT_RACK"]

DEFAULT_RACK = "/default-rack"


@frozen(eq=False)
class ContainerRequest:
    """
    One container wanted: its size, optional nodes and racks, and priority.  Requests compare by
    identity, so two equal-looking requests are two containers.
    """

    capability: object
    nodes: tuple = field(factory=tuple, converter=frozen_tuple)
    racks: tuple = field(factory=tuple, converter=frozen_tuple)
    priority: int = 0
    relax_locality: bool = True
    allocation_request_id: int = 0


class _RemoteRequest:
    __slots__ = ("count", "relax_locality", "requests")

    def __init__(self, relax_locality):
        self.count = 0
        self.relax_locality = relax_locality
        self.requests = []


class AMRMClient:
    """
    :param protocol: the RM's ``IApplicationMasterProtocol``.
    :param attempt_id: the attempt this AM is (what its AMRMToken says).
    :param rack_of: ``host → rack``, to add the racks of requested nodes (default: every host is
        in ``/default-rack``, as without a topology script).
    """

    def __init__(self, protocol, attempt_id, rack_of=None):
        self._protocol = protocol
        self.attempt_id = attempt_id
        self._rack_of = rack_of or (lambda host: DEFAULT_RACK)
        self._table = {}
        self._ask = set()
        self._release = set()
        self._blacklist_additions = set()
        self._blacklist_removals = set()
        self.last_response_id = 0
        self.available_resources = None
        self.cluster_node_count = 0

    def register_application_master(self, host="", rpc_port=-1, tracking_url=""):
        """:return: the ``RegisterApplicationMasterResponse``."""
        response = self._protocol.register_application_master(
            self.attempt_id, RegisterApplicationMasterRequest(host, rpc_port, tracking_url)
        )
        self.last_response_id = 0
        return response

    def add_container_request(self, request):
        """Add a request: one more container at each of its nodes, their racks, and ANY."""
        for name in self._locations(request):
            relax = request.relax_locality if name == ANY else True
            self._change(request, name, +1, relax)

    def remove_container_request(self, request):
        """Remove a request added before (for instance because it was satisfied)."""
        for name in self._locations(request):
            self._change(request, name, -1, None)

    def get_matching_requests(self, priority, resource_name, capability):
        """
        :return: lists of outstanding requests at ``priority`` and ``resource_name`` whose
            capability fits in ``capability``, largest capability first, each list in the order
            the requests were added.
        """
        matches = []
        for (prio, _, name, cap), remote in self._table.items():
            if prio == priority and name == resource_name and cap.fits_in(capability) and remote.requests:
                matches.append((cap, list(remote.requests)))
        matches.sort(key=lambda item: (-item[0].memory, -item[0].vcores))
        return [requests for _, requests in matches]

    def release_assigned_container(self, container_id):
        """Give a container back in the next allocate."""
        self._release.add(container_id)

    def update_blacklist(self, additions=(), removals=()):
        self._blacklist_additions.update(additions)
        self._blacklist_additions.difference_update(removals)
        self._blacklist_removals.update(removals)
        self._blacklist_removals.difference_update(additions)

    def allocate(self, progress=0.0):
        """
        Heartbeat: send the changed asks (as totals), the releases and blacklist changes.

        :return: the ``AllocateResponse``.  On error nothing is lost: the asks and releases are
            sent again with the next call.
        """
        keys = sorted(self._ask, key=_key_order)
        asks = []
        for key in keys:
            priority, allocation_id, name, capability = key
            remote = self._table.get(key)
            asks.append(ResourceRequest(
                priority=priority, resource_name=name, capability=capability,
                num_containers=remote.count if remote else 0,
                relax_locality=remote.relax_locality if remote else True,
                allocation_request_id=allocation_id,
            ))
        releases = sorted(self._release)
        blacklist = None
        if self._blacklist_additions or self._blacklist_removals:
            blacklist = ResourceBlacklistRequest(sorted(self._blacklist_additions),
                                                 sorted(self._blacklist_removals))
        response = self._protocol.allocate(self.attempt_id, AllocateRequest(
            response_id=self.last_response_id, progress=progress, ask=asks, release=releases,
            blacklist=blacklist,
        ))
        self._ask.difference_update(keys)
        self._release.difference_update(releases)
        self._blacklist_additions.clear()
        self._blacklist_removals.clear()
        for key in keys:
            remote = self._table.get(key)
            if remote is not None and remote.count == 0:
                del self._table[key]
        self.last_response_id = response.response_id
        self.available_resources = response.available_resources
        self.cluster_node_count = response.num_cluster_nodes
        return response

    def unregister_application_master(self, final_status, message="", tracking_url=""):
        """
        :return: whether the RM has unregistered the AM; a managed AM asks again until it has.
        """
        response = self._protocol.finish_application_master(
            self.attempt_id, FinishApplicationMasterRequest(final_status, message, tracking_url)
        )
        return response.is_unregistered

    def _locations(self, request):
        names = list(request.nodes)
        racks = list(request.racks)
        for host in request.nodes:
            rack = self._rack_of(host)
            if rack not in racks:
                racks.append(rack)
        return names + racks + [ANY]

    def _change(self, request, name, delta, relax):
        key = (request.priority, request.allocation_request_id, name, request.capability)
        remote = self._table.get(key)
        if remote is None:
            if delta < 0:
                return
            remote = self._table[key] = _RemoteRequest(relax)
        if delta > 0:
            remote.requests.append(request)
            remote.relax_locality = relax
        elif request in remote.requests:
            remote.requests.remove(request)
        else:
            return
        remote.count += delta
        self._ask.add(key)


def _key_order(key):
    priority, allocation_id, name, capability = key
    return (priority, allocation_id, name == ANY, name, capability.memory, capability.vcores)
