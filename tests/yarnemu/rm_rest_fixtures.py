"""
Hadoop-shaped RM REST JSON (``/ws/v1/cluster/...``) for the yarn CLI's tests, and
:class:`ScriptedRm`, a ``send(method, url, body, headers)`` that answers from a script and
records each request.
"""

import json
from urllib.parse import parse_qs, urlsplit

CLUSTER_TS = 1476912658570


def app_json(seq, **fields):
    """:return: an ``AppInfo`` object as the RM REST API writes it (a running Flink session)."""
    app_id = f"application_{CLUSTER_TS}_{seq:04d}"
    app = {
        "id": app_id, "user": "alice", "name": "Flink session cluster", "queue": "default",
        "state": "RUNNING", "finalStatus": "UNDEFINED", "progress": 0.0,
        "trackingUI": "ApplicationMaster",
        "trackingUrl": f"http://rm.example.com:8088/proxy/{app_id}/",
        "diagnostics": "", "clusterId": CLUSTER_TS, "applicationType": "Apache Flink",
        "applicationTags": "", "priority": 0, "startedTime": 1476913457320,
        "launchTime": 1476913458320, "finishedTime": 0, "elapsedTime": 12000,
        "amContainerLogs": f"http://nm1.example.com:8042/node/containerlogs/"
                           f"container_{CLUSTER_TS}_{seq:04d}_01_000001/alice",
        "amHostHttpAddress": "nm1.example.com:8042",
        "amRPCAddress": "nm1.example.com:41648",
        "allocatedMB": 2048, "allocatedVCores": 2, "reservedMB": 0, "reservedVCores": 0,
        "runningContainers": 2, "memorySeconds": 206464, "vcoreSeconds": 201,
        "queueUsagePercentage": 25.0, "clusterUsagePercentage": 12.5,
        "preemptedResourceMB": 0, "preemptedResourceVCores": 0,
        "numNonAMContainerPreempted": 0, "numAMContainerPreempted": 0,
        "preemptedMemorySeconds": 0, "preemptedVcoreSeconds": 0,
        "logAggregationStatus": "DISABLED", "unmanagedApplication": False,
        "amNodeLabelExpression": "",
        "timeouts": {"timeout": [{"type": "LIFETIME", "expiryTime": "UNLIMITED",
                                  "remainingTimeInSeconds": -1}]},
    }
    app.update(fields)
    return app


def attempt_routes(seq, original_url, attempts=1):
    """
    :return: routes serving ``seq``'s attempts (``/appattempts``) and its current attempt's
        report, whose ``originalTrackingUrl`` is ``original_url``.
    """
    app_id = f"application_{CLUSTER_TS}_{seq:04d}"
    ids = [f"appattempt_{CLUSTER_TS}_{seq:04d}_{n:06d}" for n in range(1, attempts + 1)]
    path = f"/ws/v1/cluster/apps/{app_id}/appattempts"
    listed = [{"id": n, "startTime": 1476913457320, "finishedTime": 0, "appAttemptId": ids[n - 1]}
              for n in range(1, attempts + 1)]
    return {
        ("GET", path): (200, {"appAttempts": {"appAttempt": listed}}),
        ("GET", f"{path}/{ids[-1]}"): (200, {"appAttempt": {
            "appAttemptId": ids[-1], "host": "nm1.example.com", "rpcPort": 41648,
            "trackingUrl": f"http://rm.example.com:8088/proxy/{app_id}/",
            "originalTrackingUrl": original_url, "diagnosticsInfo": "",
            "appAttemptState": "RUNNING", "startedTime": 1476913457320, "finishedTime": 0}}),
    }


def node_json(host, **fields):
    """:return: a ``NodeInfo`` object as the RM REST API writes it (a running NodeManager)."""
    node = {
        "rack": "/default-rack", "state": "RUNNING", "id": f"{host}:45454",
        "nodeHostName": host, "nodeHTTPAddress": f"{host}:8042",
        "lastHealthUpdate": 1700000000123, "version": "3.3.6", "healthReport": "",
        "numContainers": 2, "usedMemoryMB": 2048, "availMemoryMB": 6144,
        "usedVirtualCores": 2, "availableVirtualCores": 6,
        "numRunningOpportContainers": 0, "usedMemoryOpportGB": 0, "usedVirtualCoresOpport": 0,
        "numQueuedContainers": 0,
        "resourceUtilization": {"nodePhysicalMemoryMB": 1027, "nodeVirtualMemoryMB": 1027,
                                "nodeCPUUsage": 0.0166,
                                "aggregatedContainersPhysicalMemoryMB": 512,
                                "aggregatedContainersVirtualMemoryMB": 600,
                                "containersCPUUsage": 0.5},
    }
    node.update(fields)
    return node


def not_found(message):
    return 404, {"RemoteException": {
        "exception": "NotFoundException",
        "javaClassName": "org.apache.hadoop.yarn.webapp.NotFoundException",
        "message": f"java.lang.Exception: {message}"}}


class ScriptedRm:
    """
    A ``send`` answering ``(method, path)`` from ``routes``: each a ``(status, json_value)``, a
    list of them served in turn (the last one repeats), or a callable of the query.

    :ivar requests: ``(method, path, query, body)`` of every request, in order.
    """

    def __init__(self, routes):
        self.routes = routes
        self.requests = []

    def __call__(self, method, url, body, headers):
        parts = urlsplit(url)
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        parsed_body = json.loads(body) if body else None
        self.requests.append((method, parts.path, query, parsed_body))
        answer = self.routes.get((method, parts.path))
        if answer is None:
            answer = not_found(f"no route for {method} {parts.path}")
        if callable(answer):
            answer = answer(query)
        if isinstance(answer, list):
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        status, value = answer
        return status, (b"" if value is None else json.dumps(value).encode("utf-8"))
