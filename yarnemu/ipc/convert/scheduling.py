"""
``ApplicationMasterProtocol`` and ``ContainerManagementProtocol`` messages: registration, the
allocate heartbeat (asks, releases, blacklist; containers, completed statuses, NM tokens),
unregistration, and container statuses.  Tokens are written from the
:class:`~yarnemu.ipc.tokens.TokenValue`\\ s the caller makes.
"""

from yarnemu.ipc.convert.applications import write_container_state
from yarnemu.ipc.convert.cluster import write_node_report
from yarnemu.ipc.convert.enums import ACCESS_TYPE, FINAL_STATUS, enum_name, set_enum
from yarnemu.ipc.convert.ids import (
    read_container_id,
    read_resource,
    write_container_id,
    write_node_id,
    write_resource,
)
from yarnemu.records.am_protocol import (
    AllocateRequest,
    FinishApplicationMasterRequest,
    RegisterApplicationMasterRequest,
    ResourceBlacklistRequest,
    ResourceRequest,
)
from yarnemu.records.states import ExecutionType, FinalApplicationStatus

__all__ = [
    "read_register_request",
    "write_register_response",
    "read_allocate_request",
    "read_resource_request",
    "write_allocate_response",
    "read_finish_request",
    "write_container",
    "write_container_status",
    "write_token",
    "write_nm_token",
    "write_serialized_exception",
    "SCHEDULER_RESOURCE_TYPES",
]

SCHEDULER_RESOURCE_TYPES = (("memory-mb", "Mi"), ("vcores", ""))
"""The resource types an RM without extra resources reports: name and unit."""


def read_register_request(message):
    return RegisterApplicationMasterRequest(host=message.host, rpc_port=message.rpc_port,
                                            tracking_url=message.tracking_url)


def write_register_response(message, response, nm_token):
    """
    Fill a ``RegisterApplicationMasterResponseProto``.

    :param nm_token: ``NMToken → TokenValue``.
    """
    write_resource(message.maximumCapability, response.maximum_resource_capability)
    message.queue = response.queue
    for access, acl in response.application_acls.items():
        entry = message.application_ACLs.add()
        set_enum(entry, "accessType", getattr(access, "value", access), ACCESS_TYPE)
        entry.acl = acl
    for container in response.containers_from_previous_attempts:
        write_container(message.containers_from_previous_attempts.add(), container, None)
    for token in response.nm_tokens_from_previous_attempts:
        write_nm_token(message.nm_tokens_from_previous_attempts.add(), token, nm_token(token))
    for kind in response.scheduler_resource_types:
        message.scheduler_resource_types.append(kind)
    for name, units in SCHEDULER_RESOURCE_TYPES:
        info = message.resource_types.add()
        info.name = name
        info.units = units
        info.type = "COUNTABLE"


def read_resource_request(message):
    execution = ExecutionType.GUARANTEED
    if message.HasField("execution_type_request"):
        execution = ExecutionType(enum_name(message.execution_type_request, "execution_type"))
    return ResourceRequest(
        priority=message.priority.priority,
        resource_name=message.resource_name,
        capability=read_resource(message.capability),
        num_containers=message.num_containers,
        relax_locality=message.relax_locality,
        node_label_expression=(message.node_label_expression
                               if message.HasField("node_label_expression") else None),
        allocation_request_id=message.allocation_request_id,
        execution_type=execution,
    )


def read_allocate_request(message):
    blacklist = None
    if message.HasField("blacklist_request"):
        blacklist = ResourceBlacklistRequest(
            additions=tuple(message.blacklist_request.blacklist_additions),
            removals=tuple(message.blacklist_request.blacklist_removals))
    return AllocateRequest(
        response_id=message.response_id,
        progress=message.progress,
        ask=tuple(read_resource_request(ask) for ask in message.ask),
        release=tuple(read_container_id(container_id) for container_id in message.release),
        blacklist=blacklist,
    )


def write_allocate_response(message, response, container_token, nm_token):
    """
    Fill an ``AllocateResponseProto``.

    :param container_token: ``Container → TokenValue``.
    :param nm_token: ``NMToken → TokenValue``.
    """
    message.response_id = response.response_id
    for container in response.allocated_containers:
        write_container(message.allocated_containers.add(), container,
                        container_token(container))
    for status in response.completed_containers_statuses:
        write_container_status(message.completed_container_statuses.add(), status)
    write_resource(message.limit, response.available_resources)
    for report in response.updated_nodes:
        write_node_report(message.updated_nodes.add(), report)
    message.num_cluster_nodes = response.num_cluster_nodes
    for token in response.nm_tokens:
        write_nm_token(message.nm_tokens.add(), token, nm_token(token))
    message.application_priority.priority = response.application_priority


def read_finish_request(message):
    status = FinalApplicationStatus.UNDEFINED
    if message.HasField("final_application_status"):
        status = FinalApplicationStatus(enum_name(message, "final_application_status",
                                                  FINAL_STATUS))
    return FinishApplicationMasterRequest(final_application_status=status,
                                          diagnostics=message.diagnostics,
                                          tracking_url=message.tracking_url)


def write_container(message, container, token):
    """Fill a ``ContainerProto``; ``token`` is its container token's value (or ``None``)."""
    write_container_id(message.id, container.id)
    write_node_id(message.nodeId, container.node_id)
    message.node_http_address = container.node_http_address
    write_resource(message.resource, container.resource)
    message.priority.priority = container.priority
    message.execution_type = str(container.execution_type)
    message.allocation_request_id = container.allocation_request_id
    message.version = container.version
    if token is not None:
        write_token(message.container_token, token)


def write_container_status(message, status):
    """Fill a ``ContainerStatusProto`` from a :class:`ContainerStatus`."""
    write_container_id(message.container_id, status.container_id)
    write_container_state(message, status.state, "state", "container_sub_state")
    message.diagnostics = status.diagnostics
    message.exit_status = int(status.exit_status)
    if status.capability is not None:
        write_resource(message.capability, status.capability)
    message.executionType = str(status.execution_type)


def write_token(message, token):
    """Fill a ``hadoop.common.TokenProto`` from a :class:`~yarnemu.ipc.tokens.TokenValue`."""
    message.identifier = token.identifier
    message.password = token.password
    message.kind = token.kind
    message.service = token.service


def write_nm_token(message, nm_token, token):
    write_node_id(message.nodeId, nm_token.node_id)
    write_token(message.token, token)


def write_serialized_exception(message, error):
    """Fill a ``SerializedExceptionProto`` from a :class:`~yarnemu.errors.RemoteError`."""
    message.class_name = error.java_class
    message.message = error.message
    message.trace = f"{error.java_class}: {error.message}\n"
