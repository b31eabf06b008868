"""
Records of ``ApplicationClientProtocol``: what a client submits and the reports it reads back.
"""

from attrs import field, frozen

from yarnemu.records.containers import ContainerLaunchContext
from yarnemu.records.immutable import frozen_tuple
from yarnemu.records.resource import Resource
from yarnemu.records.states import (
    ContainerState,
    FinalApplicationStatus,
    LogAggregationStatus,
    NodeState,
    QueueState,
    YarnApplicationAttemptState,
    YarnApplicationState,
)

__all__ = [
    "ApplicationSubmissionContext",
    "GetNewApplicationResponse",
    "ApplicationResourceUsageReport",
    "ApplicationReport",
    "ApplicationAttemptReport",
    "ContainerReport",
    "NodeReport",
    "QueueInfo",
    "YarnClusterMetrics",
    "DEFAULT_APPLICATION_NAME",
    "DEFAULT_APPLICATION_TYPE",
    "DEFAULT_QUEUE",
]

DEFAULT_APPLICATION_NAME = "N/A"
DEFAULT_APPLICATION_TYPE = "YARN"
DEFAULT_QUEUE = "default"


def _tags(value):
    # YARN lower-cases tags and keeps each once; sorted for a stable order.
    return tuple(sorted({str(tag).strip().lower() for tag in (value or ()) if str(tag).strip()}))


@frozen(hash=False)
class ApplicationSubmissionContext:
    """
    Everything a client gives the RM to run an application.

    :ivar int max_app_attempts: 0 (or anything above ``yarn.resourcemanager.am.max-attempts``)
        means the global value.
    :ivar resource: the AM container's size.
    """

    application_id: object
    am_container_spec: ContainerLaunchContext = field(factory=ContainerLaunchContext)
    application_name: str = DEFAULT_APPLICATION_NAME
    queue: str = DEFAULT_QUEUE
    priority: int = 0
    resource: Resource = Resource(1024, 1)
    application_type: str = DEFAULT_APPLICATION_TYPE
    application_tags: tuple = field(factory=tuple, converter=_tags)
    max_app_attempts: int = 0
    keep_containers_across_application_attempts: bool = False
    attempt_failures_validity_interval: int = -1
    unmanaged_am: bool = False
    node_label_expression: str | None = None


@frozen
class GetNewApplicationResponse:
    application_id: object
    maximum_resource_capability: Resource


@frozen
class ApplicationResourceUsageReport:
    num_used_containers: int = 0
    num_reserved_containers: int = 0
    used_resources: Resource = Resource(0, 0)
    reserved_resources: Resource = Resource(0, 0)
    needed_resources: Resource = Resource(0, 0)
    memory_seconds: int = 0
    vcore_seconds: int = 0
    queue_usage_percentage: float = 0.0
    cluster_usage_percentage: float = 0.0


@frozen
class ApplicationReport:
    """
    What a client sees of an application (``ApplicationReport``).  Times are epoch ms; 0 when
    not yet reached.
    """

    application_id: object
    current_application_attempt_id: object
    user: str
    queue: str
    name: str
    host: str
    rpc_port: int
    yarn_application_state: YarnApplicationState
    diagnostics: str
    tracking_url: str
    original_tracking_url: str
    start_time: int
    launch_time: int
    finish_time: int
    final_application_status: FinalApplicationStatus
    application_resource_usage_report: ApplicationResourceUsageReport
    progress: float
    application_type: str
    application_tags: tuple = field(factory=tuple, converter=frozen_tuple)
    priority: int = 0
    unmanaged_application: bool = False
    log_aggregation_status: LogAggregationStatus = LogAggregationStatus.DISABLED
    submit_time: int = 0
    am_container_id: object = None
    am_host_http_address: str = ""


@frozen
class ApplicationAttemptReport:
    application_attempt_id: object
    host: str
    rpc_port: int
    tracking_url: str
    original_tracking_url: str
    diagnostics: str
    yarn_application_attempt_state: YarnApplicationAttemptState
    am_container_id: object
    start_time: int
    finish_time: int
    node_id: object = None
    node_http_address: str = ""


@frozen
class ContainerReport:
    container_id: object
    allocated_resource: Resource
    assigned_node: object
    priority: int
    creation_time: int
    finish_time: int
    diagnostic_info: str
    container_exit_status: int
    container_state: ContainerState
    node_http_address: str
    log_url: str = ""


@frozen
class NodeReport:
    node_id: object
    node_state: NodeState
    http_address: str
    rack_name: str
    used: Resource
    capability: Resource
    num_containers: int
    health_report: str
    last_health_report_time: int
    node_labels: tuple = ()


@frozen
class QueueInfo:
    """
    A queue as ``getQueueInfo`` reports it.  Capacities are fractions of the parent (0.0–1.0);
    ``current_capacity`` is used / guaranteed.
    """

    queue_name: str
    queue_path: str
    capacity: float
    maximum_capacity: float
    current_capacity: float
    queue_state: QueueState
    child_queues: tuple = field(factory=tuple, converter=frozen_tuple)
    applications: tuple = field(factory=tuple, converter=frozen_tuple)


@frozen
class YarnClusterMetrics:
    num_node_managers: int
    num_active_node_managers: int = 0
    num_decommissioned_node_managers: int = 0
    num_lost_node_managers: int = 0
    num_unhealthy_node_managers: int = 0
    num_rebooted_node_managers: int = 0
    num_shutdown_node_managers: int = 0
