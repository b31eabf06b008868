"""
The ResourceManager's state as Hadoop's REST JSON (``RMWebServices``' ``dao/*Info`` classes and
the shared ``server.webapp.dao`` ones), with their field names, order and quirks:

- lists come wrapped, ``{"apps": {"app": [...]}}``, and an empty list is ``{"apps": null}``
  (:func:`listed`);
- a field Jersey would leave out because it is ``null`` is left out (an application's
  ``trackingUrl`` before it runs, ``amContainerLogs`` before it has an AM container, ...);
- times are epoch milliseconds, 0 when not reached; ``elapsedTime`` runs on while unfinished
  (Hadoop's ``Times.elapsed``) by the RM's clock;
- an application whose attempt has left the scheduler reports -1 for what it holds
  (``allocatedMB``, ``runningContainers``, ...), as Hadoop's dummy usage report does.

Everything here reads; nothing changes state.
"""

from yarnemu.records.am_protocol import ANY
from yarnemu.records.states import RMAppState
from yarnemu.resourcemanager.state_store import STATE_STORE_CLASS

__all__ = [
    "listed",
    "elapsed",
    "running_log_url",
    "cluster_info",
    "cluster_metrics",
    "node_info",
    "app_info",
    "app_attempt_info",
    "attempt_report_info",
    "container_info",
    "new_application",
    "app_state",
    "resource_info",
]

_TRACKING_URL_NOT_READY = (RMAppState.NEW, RMAppState.NEW_SAVING, RMAppState.SUBMITTED,
                           RMAppState.ACCEPTED)
_NOT_HELD = -1


def listed(outer, inner, items):
    """:return: ``{outer: {inner: items}}``, or ``{outer: None}`` when ``items`` is empty."""
    items = list(items)
    return {outer: {inner: items} if items else None}


def elapsed(started, finished, now):
    """Hadoop's ``Times.elapsed``: finished − started, or now − started while running."""
    if started > 0 and finished > 0:
        return max(finished - started, 0)
    return max(now - started, 0) if started > 0 else 0


def running_log_url(node_http_address, container_id, user):
    """:return: a container's log page on its NodeManager, or ``None`` without an address."""
    if not node_http_address:
        return None
    return f"http://{node_http_address}/node/containerlogs/{container_id}/{user}"


def resource_info(resource):
    """:return: a ``ResourceInfo``: ``{"memory": …, "vCores": …}``."""
    return resource.to_json()


def cluster_info(rm):
    """:return: ``ClusterInfo`` (``/ws/v1/cluster/info``) of a started, active RM."""
    version = rm.version
    return {"clusterInfo": {
        "id": rm.cluster_timestamp,
        "startedOn": rm.cluster_timestamp,
        "state": "STARTED",
        "haState": "ACTIVE",
        "rmStateStoreName": STATE_STORE_CLASS,
        "resourceManagerVersion": version,
        "resourceManagerBuildVersion": f"{version} from yarnemu",
        "resourceManagerVersionBuiltOn": "Unknown",
        "hadoopVersion": version,
        "hadoopBuildVersion": f"{version} from yarnemu",
        "hadoopVersionBuiltOn": "Unknown",
        "haZooKeeperConnectionState": "ResourceManager HA is not enabled.",
    }}


def cluster_metrics(rm):
    """:return: ``ClusterMetricsInfo`` (``/ws/v1/cluster/metrics``)."""
    return {"clusterMetrics": rm.metrics.snapshot()}


def node_info(rm, node):
    """
    :return: a node's ``NodeInfo``.  A node the scheduler no longer has (an inactive one) shows
        nothing used or available and an empty ``nodeHTTPAddress``.
    """
    held = rm.scheduler.nodes.get(node.node_id)
    info = {
        "rack": node.rack,
        "state": node.state.value,
        "id": str(node.node_id),
        "nodeHostName": node.node_id.host,
        "nodeHTTPAddress": "" if node.state.is_inactive else node.http_address,
        "lastHealthUpdate": node.last_health_report_time,
        "version": node.nm_version,
        "healthReport": node.health_report,
        "numContainers": 0,
        "usedMemoryMB": 0,
        "availMemoryMB": 0,
        "usedVirtualCores": 0,
        "availableVirtualCores": 0,
        "numRunningOpportContainers": 0,
        "usedMemoryOpportGB": 0,
        "usedVirtualCoresOpport": 0,
        "numQueuedContainers": 0,
    }
    if held is not None:
        used = held.used
        available = held.available
        info.update({
            "numContainers": len(held.containers),
            "usedMemoryMB": used.memory,
            "availMemoryMB": available.memory,
            "usedVirtualCores": used.vcores,
            "availableVirtualCores": available.vcores,
        })
    # NodeManagers here report no utilization of their host.
    info["resourceUtilization"] = {
        "nodePhysicalMemoryMB": 0,
        "nodeVirtualMemoryMB": 0,
        "nodeCPUUsage": 0.0,
        "aggregatedContainersPhysicalMemoryMB": 0,
        "aggregatedContainersVirtualMemoryMB": 0,
        "containersCPUUsage": 0.0,
    }
    if held is not None:
        info["usedResource"] = resource_info(held.used)
        info["availableResource"] = resource_info(held.available)
    info["totalResource"] = resource_info(node.capability)
    return info


def app_info(rm, app, deselects=frozenset()):
    """
    :param deselects: ``deSelects`` fields to leave out (``resourceRequests``, ``timeouts``,
        ``appNodeLabelExpression``, ``amNodeLabelExpression``, ``resourceInfo``).
    :return: an application's ``AppInfo``.
    """
    report = app.report()
    context = app.submission_context
    attempt = app.current_attempt
    now = rm.now()
    tracking_ready = bool(report.tracking_url) and app.state not in _TRACKING_URL_NOT_READY
    info = {
        "id": str(app.application_id),
        "user": app.user,
        "name": report.name,
        "queue": report.queue,
        "state": report.yarn_application_state.value,
        "finalStatus": report.final_application_status.value,
        "progress": report.progress * 100,
        "trackingUI": ("UNASSIGNED" if not tracking_ready
                       else "ApplicationMaster" if report.finish_time == 0 else "History"),
    }
    if tracking_ready:
        info["trackingUrl"] = report.tracking_url
    info.update({
        "diagnostics": report.diagnostics or "",
        "clusterId": rm.cluster_timestamp,
        "applicationType": report.application_type,
        "applicationTags": ",".join(report.application_tags),
        "priority": report.priority,
        "startedTime": report.start_time,
        "launchTime": report.launch_time,
        "finishedTime": report.finish_time,
        "elapsedTime": elapsed(report.start_time, report.finish_time, now),
    })
    master = attempt.master_container if attempt is not None else None
    if master is not None:
        address = master.container.node_http_address
        logs = running_log_url(address, master.container_id, app.user)
        if logs is not None:
            info["amContainerLogs"] = logs
        info["amHostHttpAddress"] = address
    if attempt is not None and attempt.host not in (None, "N/A") and attempt.rpc_port != -1:
        info["amRPCAddress"] = f"{attempt.host}:{attempt.rpc_port}"
    usage = report.application_resource_usage_report
    held = {
        "allocatedMB": 0, "allocatedVCores": 0, "reservedMB": 0, "reservedVCores": 0,
        "runningContainers": 0,
    }
    queue_usage = cluster_usage = 0.0
    if attempt is not None:
        if attempt.attempt_id in rm.live_attempts:
            held = {
                "allocatedMB": usage.used_resources.memory,
                "allocatedVCores": usage.used_resources.vcores,
                "reservedMB": usage.reserved_resources.memory,
                "reservedVCores": usage.reserved_resources.vcores,
                "runningContainers": usage.num_used_containers,
            }
            queue_usage = usage.queue_usage_percentage
            cluster_usage = usage.cluster_usage_percentage
        else:
            held = dict.fromkeys(held, _NOT_HELD)
    info.update(held)
    info.update({
        "memorySeconds": usage.memory_seconds,
        "vcoreSeconds": usage.vcore_seconds,
        "queueUsagePercentage": queue_usage,
        "clusterUsagePercentage": cluster_usage,
        "preemptedResourceMB": 0,
        "preemptedResourceVCores": 0,
        "numNonAMContainerPreempted": 0,
        "numAMContainerPreempted": 0,
        "preemptedMemorySeconds": 0,
        "preemptedVcoreSeconds": 0,
    })
    if "resourceRequests" not in deselects and attempt is not None:
        requests = _resource_requests(rm, attempt)
        if requests:
            info["resourceRequests"] = requests
    info.update({
        "logAggregationStatus": report.log_aggregation_status.value,
        "unmanagedApplication": report.unmanaged_application,
    })
    if "appNodeLabelExpression" not in deselects:
        info["appNodeLabelExpression"] = context.node_label_expression or ""
    if "amNodeLabelExpression" not in deselects and not context.unmanaged_am:
        info["amNodeLabelExpression"] = context.node_label_expression or ""
    if "timeouts" not in deselects:
        # No application timeouts are modelled: the default LIFETIME entry of AppInfo.
        info["timeouts"] = {"timeout": [
            {"type": "LIFETIME", "expiryTime": "UNLIMITED", "remainingTimeInSeconds": -1},
        ]}
    return info


def _resource_requests(rm, attempt):
    """The attempt's outstanding asks as ``ResourceRequestInfo`` values."""
    held = rm.scheduler.attempts.get(attempt.attempt_id)
    if held is None:
        return []
    requests = []
    for (priority, allocation_request_id), name, entry in held.asks.items():
        if entry.count <= 0:
            continue
        requests.append({
            "priority": priority,
            "allocationRequestId": allocation_request_id,
            "resourceName": name,
            "capability": resource_info(entry.capability),
            "numContainers": entry.count,
            "relaxLocality": entry.relax_locality,
            "executionTypeRequest": {"executionType": "GUARANTEED",
                                     "enforceExecutionType": False},
        })
    # ANY last within a key, as Hadoop lists a key's node, rack and off-switch requests.
    requests.sort(key=lambda r: (r["priority"], r["allocationRequestId"],
                                 r["resourceName"] == ANY))
    return requests


def app_attempt_info(rm, attempt):
    """:return: an attempt's ``AppAttemptInfo`` as ``/apps/{appid}/appattempts`` lists it."""
    info = {
        "id": attempt.attempt_id.attempt_id,
        "startTime": attempt.start_time,
        "finishedTime": attempt.finish_time,
        "containerId": "",
        "nodeHttpAddress": "",
        "nodeId": "",
        "logsLink": "",
        "blacklistedNodes": "",
    }
    master = attempt.master_container
    if master is not None:
        address = master.container.node_http_address
        held = rm.scheduler.attempts.get(attempt.attempt_id)
        info.update({
            "containerId": str(master.container_id),
            "nodeHttpAddress": address,
            "nodeId": str(master.node_id),
            "logsLink": running_log_url(address, master.container_id, attempt.app.user) or "",
            "blacklistedNodes": ", ".join(sorted(held.blacklist)) if held is not None else "",
            "nodesBlacklistedBySystem": "",
        })
    info["appAttemptId"] = str(attempt.attempt_id)
    return info


def attempt_report_info(report):
    """:return: an ``ApplicationAttemptReport`` as ``/appattempts/{attemptid}`` shows it."""
    info = {
        "appAttemptId": str(report.application_attempt_id),
        "host": report.host,
        "rpcPort": report.rpc_port,
        "trackingUrl": report.tracking_url,
        "originalTrackingUrl": report.original_tracking_url,
        "diagnosticsInfo": report.diagnostics,
        "appAttemptState": report.yarn_application_attempt_state.value,
    }
    if report.am_container_id is not None:
        info["amContainerId"] = str(report.am_container_id)
    info["startedTime"] = report.start_time
    info["finishedTime"] = report.finish_time
    return info


def container_info(report, user, now):
    """
    :param user: the application's user, for the log URL.
    :return: a ``ContainerReport`` as ``ContainerInfo``.
    """
    info = {
        "containerId": str(report.container_id),
        "allocatedMB": report.allocated_resource.memory,
        "allocatedVCores": report.allocated_resource.vcores,
        "assignedNodeId": str(report.assigned_node),
        "priority": report.priority,
        "startedTime": report.creation_time,
        "finishedTime": report.finish_time,
        "elapsedTime": elapsed(report.creation_time, report.finish_time, now),
        "diagnosticsInfo": report.diagnostic_info,
    }
    log_url = report.log_url or running_log_url(report.node_http_address, report.container_id,
                                                user)
    if log_url is not None:
        info["logUrl"] = log_url
    info.update({
        "containerExitStatus": report.container_exit_status,
        "containerState": report.container_state.value,
        "nodeHttpAddress": report.node_http_address,
    })
    return info


def new_application(response):
    """:return: a ``GetNewApplicationResponse`` as ``NewApplication``."""
    return {
        "application-id": str(response.application_id),
        "maximum-resource-capability": resource_info(response.maximum_resource_capability),
    }


def app_state(app):
    """:return: ``AppState``: the **internal** ``RMAppState``, as Hadoop's ``getAppState``."""
    return {"state": app.state.value}

