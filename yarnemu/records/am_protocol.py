"""
Records of ``ApplicationMasterProtocol``: registration, the allocate heartbeat (asks, releases,
blacklist; allocations, completions, headroom) and unregistration.
"""

from attrs import field, frozen

from yarnemu.records.immutable import frozen_mapping, frozen_tuple
from yarnemu.records.resource import Resource
from yarnemu.records.states import ExecutionType, FinalApplicationStatus

__all__ = [
    "ANY",
    "ResourceRequest",
    "ResourceBlacklistRequest",
    "AllocateRequest",
    "AllocateResponse",
    "RegisterApplicationMasterRequest",
    "RegisterApplicationMasterResponse",
    "FinishApplicationMasterRequest",
    "FinishApplicationMasterResponse",
    "PRE_REGISTER_RESPONSE_ID",
]

ANY = "*"
"""``ResourceRequest.ANY``: the resource name meaning any node."""

PRE_REGISTER_RESPONSE_ID = -1
"""The last responseId the RM holds for an attempt before it registers."""


@frozen
class ResourceRequest:
    """
    An ask for containers: an absolute total per (priority, allocation request id, resource name),
    not an increment.  ``num_containers == 0`` cancels the key.

    :ivar int priority: lower numbers are served first.
    :ivar str resource_name: a host, a rack, or :data:`ANY`.
    """

    priority: int
    resource_name: str
    capability: Resource
    num_containers: int
    relax_locality: bool = True
    node_label_expression: str | None = None
    allocation_request_id: int = 0
    execution_type: ExecutionType = ExecutionType.GUARANTEED

    @property
    def scheduler_key(self):
        """``(priority, allocation_request_id)``, the key the scheduler groups asks by."""
        return (self.priority, self.allocation_request_id)


@frozen
class ResourceBlacklistRequest:
    additions: tuple = field(factory=tuple, converter=frozen_tuple)
    removals: tuple = field(factory=tuple, converter=frozen_tuple)


@frozen
class AllocateRequest:
    """
    The AM's heartbeat.  ``response_id`` echoes the last response id the AM received (0 right
    after registration).
    """

    response_id: int
    progress: float = 0.0
    ask: tuple = field(factory=tuple, converter=frozen_tuple)
    release: tuple = field(factory=tuple, converter=frozen_tuple)
    blacklist: ResourceBlacklistRequest | None = None


@frozen
class AllocateResponse:
    """
    :ivar available_resources: the headroom: what the app may still be allocated.
    :ivar updated_nodes: node reports for nodes whose state changed since the last response.
    """

    response_id: int
    allocated_containers: tuple = field(factory=tuple, converter=frozen_tuple)
    completed_containers_statuses: tuple = field(factory=tuple, converter=frozen_tuple)
    available_resources: Resource = Resource(0, 0)
    updated_nodes: tuple = field(factory=tuple, converter=frozen_tuple)
    num_cluster_nodes: int = 0
    nm_tokens: tuple = field(factory=tuple, converter=frozen_tuple)
    application_priority: int = 0


@frozen
class RegisterApplicationMasterRequest:
    host: str = ""
    rpc_port: int = -1
    tracking_url: str = ""


@frozen(hash=False)
class RegisterApplicationMasterResponse:
    maximum_resource_capability: Resource
    queue: str
    application_acls: object = field(factory=dict, converter=frozen_mapping)
    containers_from_previous_attempts: tuple = field(factory=tuple, converter=frozen_tuple)
    nm_tokens_from_previous_attempts: tuple = field(factory=tuple, converter=frozen_tuple)
    scheduler_resource_types: tuple = ("MEMORY", "CPU")


@frozen
class FinishApplicationMasterRequest:
    final_application_status: FinalApplicationStatus
    diagnostics: str = ""
    tracking_url: str = ""


@frozen
class FinishApplicationMasterResponse:
    is_unregistered: bool
