"""
Hadoop's REST JSON on the client side: what :class:`~yarnemu.client.rest_yarn_client.RestYarnClient`
sends to the RM REST API (``/ws/v1/cluster``) and how it reads the answers back into the records
the in-process client returns, written from Hadoop's wire shapes (``ResourceManagerRest``, the
``…/webapp/dao`` classes).  Error answers are read by :mod:`yarnemu.client.remote_exception`.

What the RM's REST views do not carry is filled as Hadoop fills an unknown value:

- an :class:`ApplicationReport`'s ``original_tracking_url`` is ``"N/A"``, and so is its
  ``tracking_url`` until the RM sends one (``trackingUrl`` is left out while the application has
  no running AM); its current attempt and AM container come from the AM container's id in
  ``amContainerLogs``, so they are ``None`` until the AM container is allocated; ``launch_time``
  and ``submit_time`` come from ``launchTime`` and ``submittedTime`` when sent, else 0 and
  ``startedTime``; a missing ``amRPCAddress`` (the AM registered without a port) gives host
  ``"N/A"`` and port -1;
- its usage report's ``needed_resources`` and ``num_reserved_containers`` are zero, and the -1
  Hadoop sends for the usage of an application without a live attempt reads as 0, as the
  in-process report has it;
- a :class:`QueueInfo`'s applications come from a separate list of the unfinished applications
  (:func:`queue_infos_from_json`).

Parsing is tolerant, as Hadoop asks of REST clients: unknown fields are ignored, missing optional
ones take defaults, and a list of one may come as the bare element.  A response that does not have
the documented shape raises :class:`MalformedResponse`.
"""

import base64
import math
import re

from yarnemu.client.remote_exception import MalformedResponse
from yarnemu.records.client_protocol import (
    ApplicationReport,
    ApplicationResourceUsageReport,
    GetNewApplicationResponse,
    NodeReport,
    QueueInfo,
    YarnClusterMetrics,
)
from yarnemu.records.ids import ApplicationId, ContainerId, NodeId
from yarnemu.records.resource import Resource
from yarnemu.records.states import (
    FinalApplicationStatus,
    LogAggregationStatus,
    NodeState,
    QueueState,
    YarnApplicationState,
)

__all__ = [
    "submission_context_json",
    "new_application_from_json",
    "application_report_from_json",
    "application_reports_from_json",
    "node_reports_from_json",
    "cluster_metrics_from_json",
    "queue_infos_from_json",
    "find_queue",
    "UNFINISHED_STATES",
]

UNFINISHED_STATES = (YarnApplicationState.SUBMITTED, YarnApplicationState.ACCEPTED,
                     YarnApplicationState.RUNNING)
"""The states of the applications a scheduler queue holds."""

_NOT_AVAILABLE = "N/A"
_CAPACITY_TYPES = ("capacityScheduler",)
_FIFO_TYPES = ("fifoScheduler",)


# Requests


def submission_context_json(context):
    """
    :param context: an :class:`~yarnemu.records.ApplicationSubmissionContext`.
    :return: the body of ``POST /ws/v1/cluster/apps`` (``ApplicationSubmissionContextInfo``).
        Tokens are not sent: the REST API wants Hadoop ``Credentials``, which an opaque token
        is not.
    """
    body = {
        "application-id": str(context.application_id),
        "application-name": context.application_name,
        "queue": context.queue,
        "priority": context.priority,
        "am-container-spec": _launch_context_json(context.am_container_spec),
        "unmanaged-AM": context.unmanaged_am,
        "max-app-attempts": context.max_app_attempts,
        "resource": context.resource.to_json(),
        "application-type": context.application_type,
        "keep-containers-across-application-attempts":
            context.keep_containers_across_application_attempts,
        "application-tags": {"tag": list(context.application_tags)},
        "attempt-failures-validity-interval": context.attempt_failures_validity_interval,
    }
    if context.node_label_expression is not None:
        body["app-node-label-expression"] = context.node_label_expression
    return body


def _launch_context_json(spec):
    """``ContainerLaunchContextInfo``: one command as a string (as Hadoop documents it), several
    (or none) as a list."""
    commands = list(spec.commands)
    body = {
        "local-resources": {"entry": [
            {"key": key, "value": _local_resource_json(resource)}
            for key, resource in spec.local_resources.items()
        ]},
        "environment": _entries(spec.environment.items()),
        "commands": {"command": commands[0] if len(commands) == 1 else commands},
    }
    if spec.service_data:
        body["service-data"] = _entries(
            (key, base64.b64encode(bytes(value)).decode("ascii"))
            for key, value in spec.service_data.items())
    if spec.application_acls:
        body["application-acls"] = _entries(
            (getattr(key, "value", key), value) for key, value in spec.application_acls.items())
    return body


def _local_resource_json(resource):
    body = {
        "resource": str(resource.resource),
        "type": str(resource.type),
        "visibility": str(resource.visibility),
        "size": resource.size,
        "timestamp": resource.timestamp,
    }
    if resource.pattern is not None:
        body["pattern"] = resource.pattern
    return body


def _entries(pairs):
    return {"entry": [{"key": str(key), "value": value} for key, value in pairs]}


# Responses


def new_application_from_json(body):
    """:return: the :class:`GetNewApplicationResponse` of ``POST …/apps/new-application``."""
    with _reading("new-application"):
        return GetNewApplicationResponse(
            ApplicationId.parse(body["application-id"]),
            _resource(body["maximum-resource-capability"]),
        )


def application_reports_from_json(body):
    """
    :return: the :class:`ApplicationReport` values of ``GET …/apps`` (``{"apps": null}`` when
        there are none), ordered by application id.
    """
    with _reading("apps"):
        apps = _listed(body["apps"], "app")
        return sorted((_application_report(app) for app in apps),
                      key=lambda report: report.application_id)


def application_report_from_json(body):
    """:return: the :class:`ApplicationReport` of ``GET …/apps/{id}`` (``{"app": {…}}``)."""
    with _reading("app"):
        return _application_report(body["app"])


def _application_report(app):
    """The :class:`ApplicationReport` of one ``app`` object (``AppInfo``)."""
    with _reading("app"):
        application_id = ApplicationId.parse(app["id"])
        host, rpc_port = _NOT_AVAILABLE, -1
        if app.get("amRPCAddress"):
            host, _, port = app["amRPCAddress"].rpartition(":")
            rpc_port = int(port)
        am_container_id = _container_in_log_url(app.get("amContainerLogs"))
        started = int(app.get("startedTime") or 0)
        return ApplicationReport(
            application_id=application_id,
            current_application_attempt_id=(am_container_id.application_attempt_id
                                            if am_container_id else None),
            user=app.get("user", ""),
            queue=app.get("queue", ""),
            name=app.get("name", ""),
            host=host,
            rpc_port=rpc_port,
            yarn_application_state=YarnApplicationState(app["state"]),
            diagnostics=app.get("diagnostics") or "",
            tracking_url=app.get("trackingUrl") or _NOT_AVAILABLE,
            original_tracking_url=_NOT_AVAILABLE,
            start_time=started,
            launch_time=int(app.get("launchTime") or 0),
            finish_time=int(app.get("finishedTime") or 0),
            final_application_status=FinalApplicationStatus(
                app.get("finalStatus") or FinalApplicationStatus.UNDEFINED),
            application_resource_usage_report=_usage(app),
            progress=float(app.get("progress") or 0.0) / 100.0,
            application_type=app.get("applicationType", ""),
            application_tags=tuple(tag for tag in (app.get("applicationTags") or "").split(",")
                                   if tag),
            priority=int(app.get("priority") or 0),
            unmanaged_application=bool(app.get("unmanagedApplication", False)),
            log_aggregation_status=LogAggregationStatus(
                app.get("logAggregationStatus") or LogAggregationStatus.DISABLED),
            submit_time=int(app.get("submittedTime") or started),
            am_container_id=am_container_id,
            am_host_http_address=app.get("amHostHttpAddress") or "",
        )


def _usage(app):
    """The usage report; Hadoop's -1 ("no live attempt to ask") reads as the record's 0."""

    def count(name):
        return max(int(app.get(name) or 0), 0)

    return ApplicationResourceUsageReport(
        num_used_containers=count("runningContainers"),
        used_resources=Resource(count("allocatedMB"), count("allocatedVCores")),
        reserved_resources=Resource(count("reservedMB"), count("reservedVCores")),
        memory_seconds=count("memorySeconds"),
        vcore_seconds=count("vcoreSeconds"),
        queue_usage_percentage=float(app.get("queueUsagePercentage") or 0.0),
        cluster_usage_percentage=float(app.get("clusterUsagePercentage") or 0.0),
    )


_CONTAINER_IN_URL = re.compile(r"/(container_[^/]+)/")


def _container_in_log_url(url):
    """The container id in ``http://<node>/node/containerlogs/<containerId>/<user>``, if any."""
    match = _CONTAINER_IN_URL.search(url or "")
    return ContainerId.parse(match.group(1)) if match else None


def node_reports_from_json(body):
    """:return: the :class:`NodeReport` values of ``GET …/nodes``, in the order sent."""
    with _reading("nodes"):
        return [_node_report(node) for node in _listed(body["nodes"], "node")]


def _node_report(node):
    used = Resource(int(node.get("usedMemoryMB") or 0), int(node.get("usedVirtualCores") or 0))
    total = node.get("totalResource")
    if total:
        capability = _resource(total)
    else:
        capability = used + Resource(int(node.get("availMemoryMB") or 0),
                                     int(node.get("availableVirtualCores") or 0))
    return NodeReport(
        node_id=NodeId.parse(node["id"]),
        node_state=NodeState(node["state"]),
        http_address=node.get("nodeHTTPAddress") or "",
        rack_name=node.get("rack", ""),
        used=used,
        capability=capability,
        num_containers=int(node.get("numContainers") or 0),
        health_report=node.get("healthReport") or "",
        last_health_report_time=int(node.get("lastHealthUpdate") or 0),
        node_labels=tuple(_listed(node.get("nodeLabels"), None)),
    )


def cluster_metrics_from_json(body):
    """
    :return: the :class:`YarnClusterMetrics` of ``GET …/metrics``.  ``num_node_managers`` counts
        the nodes the RM holds as active (RUNNING, UNHEALTHY and DECOMMISSIONING), as
        ``getYarnClusterMetrics`` does.
    """
    with _reading("clusterMetrics"):
        metrics = body["clusterMetrics"]

        def count(name):
            return int(metrics.get(name) or 0)

        return YarnClusterMetrics(
            num_node_managers=(count("activeNodes") + count("unhealthyNodes")
                               + count("decommissioningNodes")),
            num_active_node_managers=count("activeNodes"),
            num_decommissioned_node_managers=count("decommissionedNodes"),
            num_lost_node_managers=count("lostNodes"),
            num_unhealthy_node_managers=count("unhealthyNodes"),
            num_rebooted_node_managers=count("rebootedNodes"),
            num_shutdown_node_managers=count("shutdownNodes"),
        )


def queue_infos_from_json(scheduler, apps):
    """
    :param scheduler: the body of ``GET …/scheduler``.
    :param apps: the body of ``GET …/apps?states=`` :data:`UNFINISHED_STATES`: the applications
        the leaf queues hold, each in the queue its ``queue`` names (by name or path).
    :return: every queue's :class:`QueueInfo`, root first, then breadth first (the in-process
        order).  Capacities are fractions: the CapacityScheduler's percentages divided by 100;
        the FifoScheduler's one ``default`` queue as sent.
    """
    with _reading("scheduler"):
        info = scheduler["scheduler"]["schedulerInfo"]
        by_queue = {}
        for report in application_reports_from_json(apps):
            by_queue.setdefault(report.queue, []).append(report.application_id)
        kind = info.get("type")
        if kind in _FIFO_TYPES:
            return [QueueInfo(
                queue_name="default",
                queue_path="default",
                capacity=_fraction(info.get("capacity"), 1.0),
                maximum_capacity=1.0,
                current_capacity=_fraction(info.get("usedCapacity"), 1.0),
                queue_state=QueueState(info.get("qstate") or QueueState.RUNNING),
                applications=by_queue.get("default", ()),
            )]
        if kind not in _CAPACITY_TYPES:
            raise MalformedResponse(f"Unsupported scheduler type {kind!r}")
        infos = []
        level = [(info, info.get("queuePath") or info.get("queueName") or "root")]
        while level:
            following = []
            for queue, path in level:
                children = _listed(queue.get("queues"), "queue")
                name = queue["queueName"]
                infos.append(QueueInfo(
                    queue_name=name,
                    queue_path=path,
                    capacity=_fraction(queue.get("capacity"), 100.0),
                    maximum_capacity=_fraction(queue.get("maxCapacity"), 100.0),
                    current_capacity=_fraction(queue.get("usedCapacity"), 100.0),
                    queue_state=QueueState(queue.get("state") or QueueState.RUNNING),
                    child_queues=tuple(child["queueName"] for child in children),
                    applications=() if children else tuple(sorted(
                        by_queue.get(name, []) + by_queue.get(path, []))),
                ))
                following.extend((child, child.get("queuePath") or f"{path}.{child['queueName']}")
                                 for child in children)
            level = following
        return infos


def find_queue(infos, name):
    """
    :return: the :class:`QueueInfo` named by path or name (a leaf's name before a parent's, as
        the CapacityScheduler looks queues up; the FifoScheduler's one queue for any name), or
        ``None``.
    """
    if len(infos) == 1 and not infos[0].child_queues and infos[0].queue_path == "default":
        return infos[0]
    for info in infos:
        if info.queue_path == name:
            return info
    named = [info for info in infos if info.queue_name == name]
    leaves = [info for info in named if not info.child_queues]
    return (leaves or named or [None])[0]


def _fraction(value, per):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number / per if math.isfinite(number) else 0.0


def _resource(body):
    return Resource(int(body["memory"]), int(body["vCores"]))


def _listed(wrapper, key):
    """The elements of ``{"<key>": [...]}`` (``None`` for none, a bare element for one)."""
    if wrapper is None:
        return []
    items = wrapper.get(key) if key is not None and isinstance(wrapper, dict) else wrapper
    if items is None:
        return []
    return items if isinstance(items, list) else [items]


class _reading:
    """Turns a response without the expected shape into :class:`MalformedResponse`."""

    def __init__(self, what):
        self._what = what

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is not None and issubclass(kind, Exception) \
                and not issubclass(kind, MalformedResponse):
            raise MalformedResponse(
                f"Malformed {self._what} in the response: {kind.__name__}: {error}") from error
        return False
