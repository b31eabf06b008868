"""
:class:`ClientProtocolHandler`: ``ApplicationClientProtocol`` over the RM's client service — what
Hadoop's ``YarnClient``, the ``yarn`` CLI and Flink's ``YarnClusterDescriptor`` call: cluster
metrics, nodes, queues and their ACLs, new applications, submission, reports, kills, attempts and
containers, and (empty) node labels and the resource types.  The caller is the connection's
effective user: it submits, and kills in its name.
"""

from yarnemu.errors import ApplicationNotFoundException
from yarnemu.ipc.convert.applications import (
    read_submission_context,
    write_application_report,
    write_attempt_report,
    write_container_report,
)
from yarnemu.ipc.convert.cluster import write_cluster_metrics, write_node_report, write_queue_info
from yarnemu.ipc.convert.enums import NODE_STATE, enum_name
from yarnemu.ipc.convert.ids import (
    read_application_id,
    read_attempt_id,
    read_container_id,
    write_application_id,
    write_resource,
)
from yarnemu.ipc.convert.scheduling import SCHEDULER_RESOURCE_TYPES, write_token
from yarnemu.ipc.descriptors import APPLICATION_CLIENT_PROTOCOL
from yarnemu.ipc.handler import ProtocolHandler
from yarnemu.records.states import NodeState, YarnApplicationState

__all__ = ["ClientProtocolHandler"]


class ClientProtocolHandler(ProtocolHandler):
    """
    :param client_service: the RM's ``IApplicationClientProtocol``.
    :param amrm_token: ``ApplicationReport →`` the :class:`~yarnemu.ipc.tokens.TokenValue` of
        an unmanaged application's AMRM token, or ``None``; ``None`` for no tokens.
    :param node_label: ``application id →`` its submission's node label expression (or
        ``None``); ``None`` when no application has one.
    """

    protocol = APPLICATION_CLIENT_PROTOCOL
    methods = {
        "getClusterMetrics": "get_cluster_metrics",
        "getClusterNodes": "get_cluster_nodes",
        "getQueueInfo": "get_queue_info",
        "getQueueUserAcls": "get_queue_user_acls",
        "getNewApplication": "get_new_application",
        "submitApplication": "submit_application",
        "getApplicationReport": "get_application_report",
        "getApplications": "get_applications",
        "forceKillApplication": "force_kill_application",
        "getApplicationAttempts": "get_application_attempts",
        "getApplicationAttemptReport": "get_application_attempt_report",
        "getContainers": "get_containers",
        "getContainerReport": "get_container_report",
        "getNodeToLabels": "no_labels",
        "getLabelsToNodes": "no_labels",
        "getClusterNodeLabels": "no_labels",
        "getResourceTypeInfo": "get_resource_type_info",
    }

    def __init__(self, client_service, amrm_token=None, node_label=None):
        self._client = client_service
        self._amrm_token = amrm_token
        self._node_label = node_label

    # Cluster

    def get_cluster_metrics(self, call):
        write_cluster_metrics(call.response.cluster_metrics, self._client.get_cluster_metrics())

    def get_cluster_nodes(self, call):
        states = None
        if call.request.nodeStates:
            states = {NodeState(enum_name(call.request, "nodeStates", NODE_STATE, value))
                      for value in call.request.nodeStates}
        for report in self._client.get_cluster_nodes(states):
            write_node_report(call.response.nodeReports.add(), report)

    def get_queue_info(self, call):
        request = call.request
        info = self._client.get_queue_info(request.queueName)
        children = (self._children(info, request.recursive)
                    if request.includeChildQueues else ())
        applications = self._reports(info.applications) if request.includeApplications else ()
        write_queue_info(call.response.queueInfo, info, children, applications)

    def _children(self, info, recursive):
        children = []
        for name in info.child_queues:
            child = self._client.get_queue_info(f"{info.queue_path}.{name}")
            children.append((child, self._children(child, recursive) if recursive else ()))
        return children

    def get_queue_user_acls(self, call):
        # No ACLs are enforced (yarn.acl.enable is false): every user may do everything.
        for info in self._client.get_all_queues():
            entry = call.response.queueUserAcls.add()
            entry.queueName = info.queue_name
            entry.userAcls.extend(["QACL_SUBMIT_APPLICATIONS", "QACL_ADMINISTER_QUEUE"])

    def no_labels(self, call):
        """Node labels are not emulated: no node has any."""

    def get_resource_type_info(self, call):
        for name, units in SCHEDULER_RESOURCE_TYPES:
            info = call.response.resource_type_info.add()
            info.name = name
            info.units = units
            info.type = "COUNTABLE"

    # Applications

    def get_new_application(self, call):
        response = self._client.get_new_application()
        write_application_id(call.response.application_id, response.application_id)
        write_resource(call.response.maximumCapability, response.maximum_resource_capability)

    def submit_application(self, call):
        context = read_submission_context(call.request.application_submission_context)
        self._client.submit_application(context, call.user)

    def get_application_report(self, call):
        report = self._client.get_application_report(
            read_application_id(call.request.application_id))
        self._write_report(call.response.application_report, report)

    def get_applications(self, call):
        request = call.request
        states = None
        if request.application_states:
            states = {YarnApplicationState(enum_name(request, "application_states", value=value))
                      for value in request.application_states}
        users = set(request.users) or None
        if enum_name(request, "scope") == "OWN":
            users = {call.user}
        reports = self._client.get_applications(
            states=states,
            application_types=set(request.application_types) or None,
            tags=set(request.applicationTags) or None,
            queues=set(request.queues) or None,
            users=users,
            name=request.name if request.HasField("name") else None,
            limit=request.limit if request.HasField("limit") else None,
            started=_range(request, "start_begin", "start_end"),
            finished=_range(request, "finish_begin", "finish_end"),
        )
        for report in reports:
            self._write_report(call.response.applications.add(), report)

    def force_kill_application(self, call):
        request = call.request
        call.response.is_kill_completed = self._client.force_kill_application(
            read_application_id(request.application_id), user=call.user,
            diagnostics=request.diagnostics if request.HasField("diagnostics") else None)

    def get_application_attempts(self, call):
        for report in self._client.get_application_attempts(
                read_application_id(call.request.application_id)):
            write_attempt_report(call.response.application_attempts.add(), report)

    def get_application_attempt_report(self, call):
        write_attempt_report(call.response.application_attempt_report,
                             self._client.get_application_attempt_report(
                                 read_attempt_id(call.request.application_attempt_id)))

    def get_containers(self, call):
        for report in self._client.get_containers(
                read_attempt_id(call.request.application_attempt_id)):
            write_container_report(call.response.containers.add(), report)

    def get_container_report(self, call):
        write_container_report(call.response.container_report,
                               self._client.get_container_report(
                                   read_container_id(call.request.container_id)))

    # Internals

    def _reports(self, application_ids):
        reports = []
        for application_id in application_ids:
            try:
                reports.append(self._client.get_application_report(application_id))
            except ApplicationNotFoundException:  # forgotten since the queue was read
                continue
        return reports

    def _write_report(self, message, report):
        label = self._node_label(report.application_id) if self._node_label else None
        write_application_report(message, report, label)
        token = self._amrm_token(report) if self._amrm_token is not None else None
        if token is not None:
            write_token(message.am_rm_token, token)


def _range(request, begin_field, end_field):
    begin = getattr(request, begin_field) if request.HasField(begin_field) else None
    end = getattr(request, end_field) if request.HasField(end_field) else None
    if begin is None and end is None:
        return None
    return (begin, end)
