"""
Applications: the submission context and launch context a client sends, and the application,
attempt and container reports the RM answers with.
"""

from yarnemu.ipc.convert.enums import (
    ACCESS_TYPE,
    ATTEMPT_STATE,
    FINAL_STATUS,
    LOG_AGGREGATION,
    enum_name,
    set_enum,
)
from yarnemu.ipc.convert.ids import (
    read_application_id,
    read_resource,
    write_application_id,
    write_attempt_id,
    write_container_id,
    write_node_id,
    write_resource,
)
from yarnemu.records.client_protocol import ApplicationSubmissionContext
from yarnemu.records.containers import URL, ContainerLaunchContext, LocalResource
from yarnemu.records.states import (
    ContainerState,
    LocalResourceType,
    LocalResourceVisibility,
)

__all__ = [
    "read_submission_context",
    "read_launch_context",
    "read_local_resource",
    "write_application_report",
    "write_attempt_report",
    "write_container_report",
    "write_container_state",
    "MEMORY_URI",
    "VCORES_URI",
]

MEMORY_URI = "memory-mb"
VCORES_URI = "vcores"
DEFAULT_PARTITION = "<DEFAULT_PARTITION>"
"""``NodeLabel.DEFAULT_NODE_LABEL_PARTITION``: what the RM reports for a blank label expression."""

# ContainerState → (ContainerStateProto, ContainerSubStateProto), as Hadoop 3's NodeManager
# reports a container that is not running yet: RUNNING, in sub-state SCHEDULED.
_CONTAINER_STATES = {
    ContainerState.NEW: ("C_NEW", "CSS_SCHEDULED"),
    ContainerState.SCHEDULED: ("C_RUNNING", "CSS_SCHEDULED"),
    ContainerState.RUNNING: ("C_RUNNING", "CSS_RUNNING"),
    ContainerState.COMPLETE: ("C_COMPLETE", "CSS_DONE"),
}


# What clients send


def read_submission_context(message):
    """
    :return: the :class:`ApplicationSubmissionContext`; the AM resource is ``resource``, else the
        first AM resource request's capability, else the record's default.
    """
    context = {}
    if message.HasField("resource"):
        context["resource"] = read_resource(message.resource)
    elif message.am_container_resource_request:
        context["resource"] = read_resource(message.am_container_resource_request[0].capability)
    if message.HasField("node_label_expression"):
        context["node_label_expression"] = message.node_label_expression
    return ApplicationSubmissionContext(
        application_id=read_application_id(message.application_id),
        am_container_spec=read_launch_context(message.am_container_spec),
        application_name=message.application_name,
        queue=message.queue,
        priority=message.priority.priority,
        application_type=message.applicationType,
        application_tags=tuple(message.applicationTags),
        max_app_attempts=message.maxAppAttempts,
        keep_containers_across_application_attempts=(
            message.keep_containers_across_application_attempts),
        attempt_failures_validity_interval=message.attempt_failures_validity_interval,
        unmanaged_am=message.unmanaged_am,
        **context,
    )


def read_launch_context(message):
    """:return: the :class:`ContainerLaunchContext`, maps in the order the client sent them."""
    return ContainerLaunchContext(
        local_resources={entry.key: read_local_resource(entry.value)
                         for entry in message.localResources},
        environment={entry.key: entry.value for entry in message.environment},
        commands=tuple(message.command),
        service_data={entry.key: entry.value for entry in message.service_data},
        tokens=message.tokens if message.HasField("tokens") else None,
        application_acls={enum_name(acl, "accessType", ACCESS_TYPE): acl.acl
                          for acl in message.application_ACLs},
    )


def read_local_resource(message):
    """:return: the :class:`LocalResource`; a URL without a port has port -1, as Java's."""
    url = message.resource
    resource = {}
    if message.HasField("type"):
        resource["type"] = LocalResourceType(enum_name(message, "type"))
    if message.HasField("visibility"):
        resource["visibility"] = LocalResourceVisibility(enum_name(message, "visibility"))
    if message.HasField("pattern"):
        resource["pattern"] = message.pattern
    return LocalResource(
        resource=URL(scheme=url.scheme, file=url.file, host=url.host,
                     port=url.port if url.HasField("port") else -1, user_info=url.userInfo),
        size=message.size,
        timestamp=message.timestamp,
        should_be_uploaded_to_shared_cache=message.should_be_uploaded_to_shared_cache,
        **resource,
    )


# What the RM answers


def write_application_report(message, report, node_label_expression=None):
    """
    Fill an ``ApplicationReportProto`` from an :class:`ApplicationReport`.

    :param node_label_expression: the submission's node label expression.  As ``RMAppImpl``
        reports it, a blank one is :data:`DEFAULT_PARTITION`, for the application and (unless
        the AM is unmanaged) its AM container; the one timeout is LIFETIME, UNLIMITED.
    """
    write_application_id(message.applicationId, report.application_id)
    if report.current_application_attempt_id is not None:
        write_attempt_id(message.currentApplicationAttemptId,
                         report.current_application_attempt_id)
    message.user = report.user
    message.queue = report.queue
    message.name = report.name
    message.host = report.host
    message.rpc_port = report.rpc_port
    set_enum(message, "yarn_application_state", report.yarn_application_state)
    message.trackingUrl = report.tracking_url
    message.originalTrackingUrl = report.original_tracking_url
    message.diagnostics = report.diagnostics
    message.startTime = report.start_time
    message.launchTime = report.launch_time
    message.submitTime = report.submit_time
    message.finishTime = report.finish_time
    set_enum(message, "final_application_status", report.final_application_status,
             FINAL_STATUS)
    _write_usage(message.app_resource_Usage, report.application_resource_usage_report)
    message.progress = report.progress
    message.applicationType = report.application_type
    message.applicationTags.extend(report.application_tags)
    set_enum(message, "log_aggregation_status", report.log_aggregation_status, LOG_AGGREGATION)
    message.unmanaged_application = report.unmanaged_application
    message.priority.priority = report.priority
    label = (node_label_expression or "").strip() or DEFAULT_PARTITION
    message.appNodeLabelExpression = label
    if not report.unmanaged_application:
        message.amNodeLabelExpression = label
    timeout = message.appTimeouts.add()
    timeout.application_timeout_type = "APP_TIMEOUT_LIFETIME"
    timeout.application_timeout.application_timeout_type = "APP_TIMEOUT_LIFETIME"
    timeout.application_timeout.expire_time = "UNLIMITED"
    timeout.application_timeout.remaining_time = -1


def _write_usage(message, usage):
    message.num_used_containers = usage.num_used_containers
    message.num_reserved_containers = usage.num_reserved_containers
    write_resource(message.used_resources, usage.used_resources)
    write_resource(message.reserved_resources, usage.reserved_resources)
    write_resource(message.needed_resources, usage.needed_resources)
    message.memory_seconds = usage.memory_seconds
    message.vcore_seconds = usage.vcore_seconds
    # Hadoop 3 reads the seconds from the per-resource map.
    for key, value in ((MEMORY_URI, usage.memory_seconds), (VCORES_URI, usage.vcore_seconds)):
        entry = message.application_resource_usage_map.add()
        entry.key = key
        entry.value = value
    message.queue_usage_percentage = usage.queue_usage_percentage
    message.cluster_usage_percentage = usage.cluster_usage_percentage
    message.preempted_memory_seconds = 0
    message.preempted_vcore_seconds = 0


def write_attempt_report(message, report):
    """Fill an ``ApplicationAttemptReportProto`` from an :class:`ApplicationAttemptReport`."""
    write_attempt_id(message.application_attempt_id, report.application_attempt_id)
    message.host = report.host
    message.rpc_port = report.rpc_port
    message.tracking_url = report.tracking_url
    message.original_tracking_url = report.original_tracking_url
    message.diagnostics = report.diagnostics
    set_enum(message, "yarn_application_attempt_state", report.yarn_application_attempt_state,
             ATTEMPT_STATE)
    if report.am_container_id is not None:
        write_container_id(message.am_container_id, report.am_container_id)
    message.startTime = report.start_time
    message.finishTime = report.finish_time


def write_container_report(message, report):
    """Fill a ``ContainerReportProto`` from a :class:`ContainerReport`."""
    write_container_id(message.container_id, report.container_id)
    write_resource(message.resource, report.allocated_resource)
    write_node_id(message.node_id, report.assigned_node)
    message.priority.priority = report.priority
    message.creation_time = report.creation_time
    message.finish_time = report.finish_time
    message.diagnostics_info = report.diagnostic_info
    message.log_url = report.log_url
    message.container_exit_status = report.container_exit_status
    message.container_state = _CONTAINER_STATES[report.container_state][0]
    message.node_http_address = report.node_http_address


def write_container_state(message, state, state_field="state", sub_state_field=None):
    """Set a message's ``ContainerStateProto`` (and sub-state) fields from a ContainerState."""
    proto_state, sub_state = _CONTAINER_STATES[state]
    setattr(message, state_field, proto_state)
    if sub_state_field is not None:
        setattr(message, sub_state_field, sub_state)
