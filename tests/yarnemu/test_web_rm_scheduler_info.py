"""
Tests of ``/ws/v1/cluster/scheduler``: the CapacityScheduler's nested queues with their
capacities, usage, applications and users, and the FifoScheduler's single queue.
"""

from yarnemu.config import FIFO_SCHEDULER
from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records import RMAppState
from yarnemu.scheduler.capacity_config import queue_tree_keys
from yarnemu.web.rm import ResourceManagerWebApp

from ..http_harness import HttpClient
from .running_cluster import RunningCluster

SCHEDULER = "/ws/v1/cluster/scheduler"


def scheduler_json(running):
    web = HttpClient(ResourceManagerWebApp(running.rm, running.cluster.programs))
    response = web.get(SCHEDULER)
    assert response.status == 200, response.body
    return response.json()["scheduler"]["schedulerInfo"]


def queues_by_name(info):
    """Breadth first over ``queues.queue``, as yarn-api-client's queue helpers walk it."""
    found = {}
    pending = [info]
    while pending:
        queue = pending.pop(0)
        found[queue["queueName"]] = queue
        pending.extend((queue.get("queues") or {}).get("queue", []))
    return found


def test_capacity_scheduler_nested_queues(tmp_path):
    running = RunningCluster(tmp_path, nodes=2, config=queue_tree_keys({
        "prod": {"capacity": 60, "maximum-capacity": 80, "queues": {
            "etl": {"capacity": 50, "user-limit-factor": 2},
            "web": {"capacity": 50, "maximum-applications": 7},
        }},
        "dev": {"capacity": 40},
    }))
    first = running.submit(distributed_shell_command(1, 512, "sleep", "600"), queue="etl",
                           user="alice")
    running.submit(distributed_shell_command(1, 512, "sleep", "600"), queue="etl", user="bob")
    running.run_until_app_state(first, RMAppState.RUNNING)
    running.advance(5)
    info = scheduler_json(running)
    assert (info["type"], info["queueName"], info["capacity"], info["maxCapacity"]) == (
        "capacityScheduler", "root", 100.0, 100.0)
    assert info["usedCapacity"] == 100.0 * 2048 / 16384
    queues = queues_by_name(info)
    assert [q["queueName"] for q in info["queues"]["queue"]] == ["prod", "dev"]
    prod, etl, web, dev = queues["prod"], queues["etl"], queues["web"], queues["dev"]
    assert "type" not in prod and [q["queueName"] for q in prod["queues"]["queue"]] == ["etl",
                                                                                       "web"]
    assert (prod["capacity"], prod["maxCapacity"], prod["absoluteCapacity"]) == (60.0, 80.0, 60.0)
    assert prod["absoluteMaxCapacity"] == 80.0
    assert prod["numApplications"] == 2 and prod["queuePath"] == "root.prod"
    assert etl["type"] == "capacitySchedulerLeafQueueInfo" and "queues" not in etl
    assert (etl["capacity"], etl["absoluteCapacity"]) == (50.0, 30.0)
    assert etl["absoluteMaxCapacity"] == 80.0
    assert etl["resourcesUsed"] == {"memory": 2048, "vCores": 2}
    assert etl["absoluteUsedCapacity"] == 100.0 * 2048 / 16384
    assert etl["usedCapacity"] == 100.0 * 2048 / int(16384 * 0.3)
    assert etl["numApplications"] == 2
    assert etl["numActiveApplications"] + etl["numPendingApplications"] == 2
    assert (etl["userLimitFactor"], etl["userLimit"]) == (2.0, 100)
    assert etl["maxApplications"] == 3000 and etl["maxApplicationsPerUser"] == 3000
    assert etl["state"] == "RUNNING" and etl["nodeLabels"] == ["*"]
    users = {user["username"]: user for user in etl["users"]["user"]}
    assert sorted(users) == ["alice", "bob"]
    assert users["alice"]["resourcesUsed"] == {"memory": 2048, "vCores": 2}
    assert users["alice"]["numActiveApplications"] == 1
    (partition,) = etl["capacities"]["queueCapacitiesByPartition"]
    assert partition["partitionName"] == "" and partition["absoluteCapacity"] == 30.0
    assert partition["absoluteUsedCapacity"] == etl["absoluteUsedCapacity"]
    (usage,) = etl["resources"]["resourceUsagesByPartition"]
    assert usage["used"] == {"memory": 2048, "vCores": 2}
    assert usage["amUsed"]["memory"] == 1024 * etl["numActiveApplications"]
    assert web["maxApplications"] == 7 and web["users"] is None
    assert web["numApplications"] == 0 and web["resourcesUsed"] == {"memory": 0, "vCores": 0}
    assert dev["absoluteCapacity"] == 40.0 and dev["absoluteMaxCapacity"] == 100.0
    assert prod["resourcesUsed"] == etl["resourcesUsed"]


def test_capacity_scheduler_pending_resources(tmp_path):
    """An application waiting for its AM shows it as pending in its queue and above."""
    running = RunningCluster(tmp_path, nodes=0)
    running.submit("sleep 600")
    running.advance(2)
    info = scheduler_json(running)
    (default,) = info["queues"]["queue"]
    assert default["numApplications"] == 1
    (usage,) = default["resources"]["resourceUsagesByPartition"]
    # With no cluster resource the attempt is not activated: nothing is asked for yet.
    assert usage["pending"] == {"memory": 0, "vCores": 0}
    assert default["numPendingApplications"] == 1 and default["numActiveApplications"] == 0


def test_fifo_scheduler(tmp_path):
    running = RunningCluster(tmp_path, nodes=2,
                             config={"yarn.resourcemanager.scheduler.class": FIFO_SCHEDULER})
    application_id = running.submit(distributed_shell_command(1, 512, "sleep", "600"))
    running.run_until_app_state(application_id, RMAppState.RUNNING)
    running.advance(5)
    assert scheduler_json(running) == {
        "type": "fifoScheduler",
        "capacity": 1.0,
        "usedCapacity": 2048 / 16384,
        "qstate": "RUNNING",
        "minQueueMemoryCapacity": 1024,
        "maxQueueMemoryCapacity": 8192,
        "numNodes": 2,
        "usedNodeCapacity": 2048,
        "availNodeCapacity": 16384 - 2048,
        "totalNodeCapacity": 16384,
        "numContainers": 2,
    }


def test_fifo_scheduler_without_nodes_shows_nan(tmp_path):
    running = RunningCluster(tmp_path, nodes=0,
                             config={"yarn.resourcemanager.scheduler.class": FIFO_SCHEDULER})
    info = scheduler_json(running)
    assert info["usedCapacity"] == "NaN" and info["numNodes"] == 0
