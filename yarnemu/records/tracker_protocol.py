"""
Records of ``ResourceTracker``, the NodeManager → ResourceManager protocol: registration and
the node heartbeat.
"""

from attrs import field, frozen

from yarnemu.records.immutable import frozen_tuple
from yarnemu.records.resource import Resource
from yarnemu.records.states import NodeAction

__all__ = [
    "NodeHealthStatus",
    "RegisterNodeManagerRequest",
    "RegisterNodeManagerResponse",
    "NodeHeartbeatRequest",
    "NodeHeartbeatResponse",
]


@frozen
class NodeHealthStatus:
    is_node_healthy: bool = True
    health_report: str = ""
    last_health_report_time: int = 0


@frozen
class RegisterNodeManagerRequest:
    node_id: object
    http_port: int
    resource: Resource
    nm_version: str
    rack_name: str = "/default-rack"
    container_statuses: tuple = field(factory=tuple, converter=frozen_tuple)
    running_applications: tuple = field(factory=tuple, converter=frozen_tuple)


@frozen
class RegisterNodeManagerResponse:
    node_action: NodeAction
    rm_identifier: int
    diagnostics_message: str = ""
    rm_version: str = ""
    resource: Resource | None = None
    next_heartbeat_interval_ms: int = 1000


@frozen
class NodeHeartbeatRequest:
    """
    :ivar int response_id: the last heartbeat response id the NM received (0 after registration).
    :ivar container_statuses: the statuses of containers that changed since the last heartbeat.
    """

    node_id: object
    response_id: int
    container_statuses: tuple = field(factory=tuple, converter=frozen_tuple)
    keep_alive_applications: tuple = field(factory=tuple, converter=frozen_tuple)
    node_health_status: NodeHealthStatus = NodeHealthStatus()


@frozen
class NodeHeartbeatResponse:
    response_id: int
    node_action: NodeAction
    next_heartbeat_interval_ms: int
    containers_to_cleanup: tuple = field(factory=tuple, converter=frozen_tuple)
    applications_to_cleanup: tuple = field(factory=tuple, converter=frozen_tuple)
    containers_to_be_removed_from_nm: tuple = field(factory=tuple, converter=frozen_tuple)
    diagnostics_message: str = ""
