"""The cluster: metrics, node reports and queues."""

from yarnemu.ipc.convert.applications import write_application_report
from yarnemu.ipc.convert.enums import NODE_STATE, QUEUE_STATE, set_enum
from yarnemu.ipc.convert.ids import write_node_id, write_resource

__all__ = ["write_cluster_metrics", "write_node_report", "write_queue_info"]


def write_cluster_metrics(message, metrics):
    """Fill a ``YarnClusterMetricsProto`` from :class:`YarnClusterMetrics`."""
    message.num_node_managers = metrics.num_node_managers
    message.num_active_nms = metrics.num_active_node_managers
    message.num_decommissioned_nms = metrics.num_decommissioned_node_managers
    message.num_lost_nms = metrics.num_lost_node_managers
    message.num_unhealthy_nms = metrics.num_unhealthy_node_managers
    message.num_rebooted_nms = metrics.num_rebooted_node_managers
    message.num_decommissioning_nms = 0
    message.num_shutdown_nms = metrics.num_shutdown_node_managers


def write_node_report(message, report):
    """Fill a ``NodeReportProto`` from a :class:`NodeReport`."""
    write_node_id(message.nodeId, report.node_id)
    message.httpAddress = report.http_address
    message.rackName = report.rack_name
    write_resource(message.used, report.used)
    write_resource(message.capability, report.capability)
    message.numContainers = report.num_containers
    set_enum(message, "node_state", report.node_state, NODE_STATE)
    message.health_report = report.health_report
    message.last_health_report_time = report.last_health_report_time
    message.node_labels.extend(report.node_labels)


def write_queue_info(message, info, children=(), applications=()):
    """
    Fill a ``QueueInfoProto`` from a :class:`QueueInfo`.

    :param children: ``(QueueInfo, its children)`` pairs to write as child queues, recursively.
    :param applications: the :class:`ApplicationReport`\\ s to include.
    """
    message.queueName = info.queue_name
    message.queuePath = info.queue_path
    message.capacity = info.capacity
    message.maximumCapacity = info.maximum_capacity
    message.currentCapacity = info.current_capacity
    set_enum(message, "state", info.queue_state, QUEUE_STATE)
    for child, grandchildren in children:
        write_queue_info(message.childQueues.add(), child, grandchildren)
    for report in applications:
        write_application_report(message.applications.add(), report)
