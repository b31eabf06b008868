"""
Tests of the JSON the RM REST API answers with (Hadoop's ``dao/*Info``): cluster info and
metrics, a node, and an application through its life — before it runs (no tracking URL, its AM
request outstanding), running (what it holds, its share of queue and cluster), finished (-1 for
what it holds), unmanaged (its RPC address) — including the aggregate MB- and vcore-seconds the
ResourceManager now reports.
"""

import pytest

from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records import RMAppState
from yarnemu.records.am_protocol import (
    ANY,
    AllocateRequest,
    RegisterApplicationMasterRequest,
    ResourceRequest,
)
from yarnemu.records.resource import Resource
from yarnemu.resourcemanager.metrics import METRIC_NAMES
from yarnemu.scheduler.capacity_config import queue_tree_keys
from yarnemu.web.rm import ResourceManagerWebApp

from ..http_harness import HttpClient
from .running_cluster import EPOCH_MS, RunningCluster

CLUSTER = "/ws/v1/cluster"


def web_for(running):
    return HttpClient(ResourceManagerWebApp(running.rm, running.cluster.programs))


@pytest.fixture
def running(tmp_path):
    return RunningCluster(tmp_path, nodes=2)


@pytest.fixture
def web(running):
    return web_for(running)


def app_json(web, application_id):
    response = web.get(f"{CLUSTER}/apps/{application_id}")
    assert response.status == 200, response.body
    return response.json()["app"]


def test_cluster_info(web):
    expected = {"clusterInfo": {
        "id": EPOCH_MS,
        "startedOn": EPOCH_MS,
        "state": "STARTED",
        "haState": "ACTIVE",
        "rmStateStoreName": "org.apache.hadoop.yarn.server.resourcemanager.recovery."
                            "NullRMStateStore",
        "resourceManagerVersion": "3.3.6-yarnemu",
        "resourceManagerBuildVersion": "3.3.6-yarnemu from yarnemu",
        "resourceManagerVersionBuiltOn": "Unknown",
        "hadoopVersion": "3.3.6-yarnemu",
        "hadoopBuildVersion": "3.3.6-yarnemu from yarnemu",
        "hadoopVersionBuiltOn": "Unknown",
        "haZooKeeperConnectionState": "ResourceManager HA is not enabled.",
    }}
    assert web.get(f"{CLUSTER}/info").json() == expected
    assert web.get(CLUSTER).json() == expected


def test_cluster_metrics_are_the_rms_with_every_field(running, web):
    running.submit(distributed_shell_command(1, 512, "sleep", "600"))
    running.advance(5)
    metrics = web.get(f"{CLUSTER}/metrics").json()["clusterMetrics"]
    assert list(metrics) == list(METRIC_NAMES)
    assert metrics == running.rm.metrics.snapshot()
    assert (metrics["appsSubmitted"], metrics["appsRunning"], metrics["activeNodes"]) == (1, 1, 2)
    assert (metrics["allocatedMB"], metrics["totalMB"]) == (2048, 16384)


def test_a_running_node(running, web):
    application_id = running.submit(distributed_shell_command(1, 512, "sleep", "600"))
    running.run_until_app_state(application_id, RMAppState.RUNNING)
    master = running.app(application_id).current_attempt.master_container
    node = running.rm.nodes[master.node_id]
    info = web.get(f"{CLUSTER}/nodes/{master.node_id}").json()["node"]
    used = running.rm.scheduler.nodes[master.node_id].used
    assert info == {
        "rack": "/default-rack",
        "state": "RUNNING",
        "id": str(master.node_id),
        "nodeHostName": master.node_id.host,
        "nodeHTTPAddress": f"{master.node_id.host}:8042",
        "lastHealthUpdate": node.last_health_report_time,
        "version": "3.3.6-yarnemu",
        "healthReport": "",
        "numContainers": len(running.rm.scheduler.nodes[master.node_id].containers),
        "usedMemoryMB": used.memory,
        "availMemoryMB": 8192 - used.memory,
        "usedVirtualCores": used.vcores,
        "availableVirtualCores": 8 - used.vcores,
        "numRunningOpportContainers": 0,
        "usedMemoryOpportGB": 0,
        "usedVirtualCoresOpport": 0,
        "numQueuedContainers": 0,
        "resourceUtilization": {
            "nodePhysicalMemoryMB": 0, "nodeVirtualMemoryMB": 0, "nodeCPUUsage": 0.0,
            "aggregatedContainersPhysicalMemoryMB": 0, "aggregatedContainersVirtualMemoryMB": 0,
            "containersCPUUsage": 0.0,
        },
        "usedResource": {"memory": used.memory, "vCores": used.vcores},
        "availableResource": {"memory": 8192 - used.memory, "vCores": 8 - used.vcores},
        "totalResource": {"memory": 8192, "vCores": 8},
    }
    assert used.memory >= 1024


def test_an_application_before_it_is_saved_has_no_attempt(running, web):
    application_id = running.submit("sleep 600")
    app = app_json(web, application_id)
    assert app["state"] == "NEW_SAVING"
    assert (app["allocatedMB"], app["runningContainers"]) == (0, 0)
    assert "resourceRequests" not in app and "amContainerLogs" not in app


def test_an_application_waiting_for_its_am(tmp_path):
    """No tracking URL yet (UNASSIGNED); the AM container request is outstanding."""
    running = RunningCluster(tmp_path, nodes=0)
    application_id = running.submit("sleep 600", application_tags=["b", "a"], priority=2)
    running.advance(3)
    app = app_json(web_for(running), application_id)
    assert app["state"] == "ACCEPTED" and app["finalStatus"] == "UNDEFINED"
    assert app["trackingUI"] == "UNASSIGNED" and "trackingUrl" not in app
    assert "amContainerLogs" not in app and "amHostHttpAddress" not in app
    assert "amRPCAddress" not in app
    assert app["diagnostics"].startswith("[Application is added to the scheduler and is not yet "
                                         "activated. Skipping AM assignment as cluster resource "
                                         "is empty.")
    assert (app["progress"], app["finishedTime"]) == (0.0, 0)
    assert app["elapsedTime"] == 3000 and app["launchTime"] == 0
    assert (app["applicationTags"], app["priority"], app["clusterId"]) == ("a,b", 2, EPOCH_MS)
    assert (app["allocatedMB"], app["runningContainers"], app["memorySeconds"]) == (0, 0, 0)
    assert app["resourceRequests"] == [{
        "priority": 0,
        "allocationRequestId": 0,
        "resourceName": "*",
        "capability": {"memory": 1024, "vCores": 1},
        "numContainers": 1,
        "relaxLocality": True,
        "executionTypeRequest": {"executionType": "GUARANTEED", "enforceExecutionType": False},
    }]
    assert app["timeouts"] == {"timeout": [
        {"type": "LIFETIME", "expiryTime": "UNLIMITED", "remainingTimeInSeconds": -1}]}


def test_a_running_application(running, web):
    application_id = running.submit(distributed_shell_command(2, 512, "sleep", "600"))
    running.run_until_app_state(application_id, RMAppState.RUNNING)
    running.advance(10)
    app = app_json(web, application_id)
    attempt = running.app(application_id).current_attempt
    master = attempt.master_container
    address = master.container.node_http_address
    assert app["trackingUI"] == "ApplicationMaster"
    assert app["trackingUrl"] == f"http://localhost:8088/proxy/{application_id}/"
    assert app["amHostHttpAddress"] == address
    assert app["amContainerLogs"] == (
        f"http://{address}/node/containerlogs/{master.container_id}/alice"
    )
    assert (app["allocatedMB"], app["allocatedVCores"], app["runningContainers"]) == (3072, 3, 3)
    assert (app["reservedMB"], app["reservedVCores"]) == (0, 0)
    assert app["clusterUsagePercentage"] == 100.0 * 3072 / 16384
    assert app["queueUsagePercentage"] == 100.0 * 3072 / 16384
    now = running.rm.now()
    expected = sum(c.resource.memory * (now - c.creation_time) // 1000
                   for c in attempt.containers)
    assert app["memorySeconds"] == expected
    assert app["vcoreSeconds"] == sum((now - c.creation_time) // 1000 for c in attempt.containers)
    assert app["elapsedTime"] == now - app["startedTime"]


def test_a_finished_application_holds_nothing(running, web):
    """-1 for what it holds, as Hadoop's dummy usage report; its usage over its life."""
    application_id = running.submit(distributed_shell_command(2, 512, "sleep", "3"))
    running.run_until_app_state(application_id, RMAppState.FINISHED)
    running.advance(60)
    app = app_json(web, application_id)
    assert (app["state"], app["finalStatus"], app["progress"]) == ("FINISHED", "SUCCEEDED", 100.0)
    assert app["trackingUI"] == "History"
    for field in ("allocatedMB", "allocatedVCores", "reservedMB", "reservedVCores",
                  "runningContainers"):
        assert app[field] == -1
    assert (app["queueUsagePercentage"], app["clusterUsagePercentage"]) == (0.0, 0.0)
    assert app["elapsedTime"] == app["finishedTime"] - app["startedTime"]
    containers = running.app(application_id).current_attempt.containers
    assert len(containers) == 3
    expected = sum(c.resource.memory * (c.finish_time - c.creation_time) // 1000
                   for c in containers)
    assert app["memorySeconds"] == expected > 0
    report = running.client.get_application_report(application_id)
    usage = report.application_resource_usage_report
    assert (usage.memory_seconds, usage.vcore_seconds) == (app["memorySeconds"],
                                                           app["vcoreSeconds"])


def test_an_unmanaged_application_shows_its_rpc_address_and_asks(running, web):
    application_id = running.submit(unmanaged=True)
    running.run_until(lambda: running.app(application_id).current_attempt is not None
                      and running.app(application_id).current_attempt.state.value == "LAUNCHED")
    attempt_id = running.app(application_id).current_attempt.attempt_id
    service = running.rm.am_service
    service.register_application_master(
        attempt_id, RegisterApplicationMasterRequest("am-host", 1234, "http://am-host:8081/"))
    service.allocate(attempt_id, AllocateRequest(0, ask=[
        ResourceRequest(1, ANY, Resource(2048, 1), 40),
    ]))
    running.advance(2)
    app = app_json(web, application_id)
    assert app["unmanagedApplication"] is True
    assert app["amRPCAddress"] == "am-host:1234"
    assert app["trackingUI"] == "ApplicationMaster"
    assert "amNodeLabelExpression" not in app and app["appNodeLabelExpression"] == ""
    assert "amContainerLogs" not in app
    (request,) = app["resourceRequests"]
    assert request["priority"] == 1 and request["resourceName"] == "*"
    assert request["numContainers"] == 40 - app["runningContainers"] > 0
    assert app["allocatedMB"] == 2048 * app["runningContainers"]


def test_queue_usage_is_of_the_queues_guarantee(tmp_path):
    running = RunningCluster(tmp_path, nodes=2, config=queue_tree_keys({
        "a": {"capacity": 25}, "b": {"capacity": 75}}))
    application_id = running.submit(distributed_shell_command(1, 512, "sleep", "600"), queue="a")
    running.run_until_app_state(application_id, RMAppState.RUNNING)
    running.advance(5)
    app = app_json(web_for(running), application_id)
    assert app["allocatedMB"] == 2048
    assert app["clusterUsagePercentage"] == 100.0 * 2048 / 16384
    assert app["queueUsagePercentage"] == 100.0 * 2048 / 4096
