"""
Tests of the ``/ws/v1/cluster/apps`` and ``/nodes`` filters over HTTP: every parameter, how they
combine, every refusal with Hadoop's message, ``{"apps": null}``, and a long listing with
``limit``.
"""

import pytest

from yarnemu.config import FIFO_SCHEDULER
from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records import RMAppState
from yarnemu.records.ids import NodeId
from yarnemu.scheduler.capacity_config import queue_tree_keys
from yarnemu.web.rm import ResourceManagerWebApp

from ..http_harness import HttpClient
from .running_cluster import RunningCluster

APPS = "/ws/v1/cluster/apps"
NODES = "/ws/v1/cluster/nodes"

QUEUES = queue_tree_keys({
    "a": {"capacity": 50, "queues": {"a1": {"capacity": 50}, "a2": {"capacity": 50}}},
    "b": {"capacity": 50},
})


def web_for(running):
    return HttpClient(ResourceManagerWebApp(running.rm, running.cluster.programs))


class Population:
    """
    Five applications: ``a`` (alice, a1, Apache Flink, tag etl, RUNNING), ``b`` (bob, b,
    MAPREDUCE, tags adhoc+etl, RUNNING), ``c`` (bob, a2, FINISHED), ``d`` (carol, a queue that
    does not exist: FAILED) and ``e`` (alice, a1, KILLED), submitted a second apart.
    """

    def __init__(self, tmp_path):
        self.running = running = RunningCluster(tmp_path, nodes=3, config=QUEUES)
        self.web = web_for(running)
        forever = distributed_shell_command(1, 512, "sleep", "600")
        self.ids = {}
        self.submitted = {}
        for name, command, user, queue, extra in [
            ("a", forever, "alice", "a1", dict(application_type="Apache Flink",
                                               application_tags=["etl"],
                                               application_name="one")),
            ("b", forever, "bob", "b", dict(application_type="MAPREDUCE",
                                            application_tags=["adhoc", "etl"],
                                            application_name="two")),
            ("c", distributed_shell_command(1, 512, "sleep", "1"), "bob", "a2", {}),
            ("d", "sleep 1", "carol", "missing", {}),
            ("e", forever, "alice", "a1", {}),
        ]:
            self.submitted[name] = running.rm.now()
            self.ids[name] = running.submit(command, user=user, queue=queue, **extra)
            running.advance(1)
        for name, state in [("a", RMAppState.RUNNING), ("b", RMAppState.RUNNING),
                            ("c", RMAppState.FINISHED), ("d", RMAppState.FAILED)]:
            running.run_until_app_state(self.ids[name], state)
        running.advance(2)
        running.client.force_kill_application(self.ids["e"])
        running.run_until_app_state(self.ids["e"], RMAppState.KILLED)
        self.names = {str(app_id): name for name, app_id in self.ids.items()}

    def listed(self, query=""):
        response = self.web.get(f"{APPS}?{query}")
        assert response.status == 200, response.body
        apps = response.json()["apps"]
        return "" if apps is None else "".join(self.names[app["id"]] for app in apps["app"])

    def refused(self, query):
        response = self.web.get(f"{APPS}?{query}")
        assert response.status == 400, response.body
        return response.json()["RemoteException"]

    def finished(self, name):
        return self.running.app(self.ids[name]).finish_time


@pytest.fixture(scope="module")
def population(tmp_path_factory):
    """Shared by the tests of this module, which only read it."""
    return Population(tmp_path_factory.mktemp("population"))


def test_without_filters_every_application_oldest_first(population):
    assert population.listed() == "abcde"


@pytest.mark.parametrize("query, expected", [
    ("states=running", "ab"),
    ("states=FINISHED,failed", "cd"),
    ("states=running&states=killed", "abe"),
    ("states=%20running%20,%20,killed", "abe"),
    ("state=killed", "e"),
    ("state=running&states=finished", "abc"),
    ("states=NEW", ""),
])
def test_states(population, query, expected):
    assert population.listed(query) == expected


def test_an_unknown_state_is_400(population):
    error = population.refused("states=running,bogus")
    assert error == {
        "exception": "BadRequestException",
        "javaClassName": "org.apache.hadoop.yarn.webapp.BadRequestException",
        "message": "java.lang.Exception: Invalid application-state bogus specified. It should be "
                   "one of [NEW, NEW_SAVING, SUBMITTED, ACCEPTED, RUNNING, FINISHED, FAILED, "
                   "KILLED]",
    }


@pytest.mark.parametrize("query, expected", [
    ("finalStatus=SUCCEEDED", "c"),
    ("finalStatus=UNDEFINED", "ab"),
    ("finalStatus=KILLED", "e"),
    ("finalStatus=FAILED", "d"),
    ("user=bob", "bc"),
    ("user=", "abcde"),
    ("user=nobody", ""),
    ("applicationTypes=apache%20flink", "a"),
    ("applicationTypes=MAPREDUCE,Apache%20Flink", "ab"),
    ("applicationTypes=mapreduce&applicationTypes=yarn", "bcde"),
    ("applicationTags=ETL", "ab"),
    ("applicationTags=adhoc,nothing", "b"),
    ("name=two", "b"),
    ("name=", ""),
    ("limit=2", "ab"),
    ("limit=2&user=bob", "bc"),
    ("states=running&user=alice&applicationTags=etl", "a"),
])
def test_filters(population, query, expected):
    assert population.listed(query) == expected


def test_final_status_is_checked_case_sensitively_per_listed_application(population):
    """As Hadoop: ``FinalApplicationStatus.valueOf`` per listed app, so only when apps list."""
    error = population.refused("finalStatus=succeeded")
    assert error == {
        "exception": "IllegalArgumentException",
        "javaClassName": "java.lang.IllegalArgumentException",
        "message": "No enum constant org.apache.hadoop.yarn.api.records.FinalApplicationStatus"
                   ".succeeded",
    }
    assert population.listed("finalStatus=bogus&user=nobody") == ""


def test_queue_lists_unfinished_applications_in_it_or_below(population):
    assert population.listed("queue=a1") == "a"
    assert population.listed("queue=a") == "a"
    assert population.listed("queue=root") == "ab"
    assert population.listed("queue=root.b") == "b"
    assert population.listed("queue=a2") == ""


def test_an_unknown_queue_is_400(population):
    error = population.refused("queue=missing")
    assert error["message"] == "java.lang.Exception: Unknown queue: missing"


def test_started_time_range(population):
    c = population.submitted["c"]
    assert population.listed(f"startedTimeBegin={c}") == "cde"
    assert population.listed(f"startedTimeEnd={c}") == "abc"
    assert population.listed(f"startedTimeBegin={c}&startedTimeEnd={c}") == "c"


def test_finished_time_range(population):
    """Running applications finish at 0: in a range from 0, out of one starting later."""
    c = population.finished("c")
    assert population.finished("d") < c < population.finished("e")
    assert population.listed("finishedTimeBegin=1") == "cde"
    assert population.listed(f"finishedTimeEnd={c}") == "abcd"
    assert population.listed(f"finishedTimeBegin={c}&finishedTimeEnd={c}") == "c"
    assert population.listed(f"finishedTimeBegin=0&finishedTimeEnd={c - 1}") == "abd"


@pytest.mark.parametrize("query, message", [
    ("limit=0", "limit value must be greater then 0"),
    ("limit=-3", "limit value must be greater then 0"),
    ("limit=two", "limit value must be a number!"),
    ("limit=1.5", "limit value must be a number!"),
    ("startedTimeBegin=abc", "startedTimeBegin value must be a number!"),
    ("startedTimeEnd=%205", "startedTimeEnd value must be a number!"),
    ("finishedTimeBegin=x", "finishedTimeBegin value must be a number!"),
    ("finishedTimeEnd=x", "finishedTimeEnd value must be a number!"),
    ("startedTimeBegin=-1", "startedTimeBegin must be greater than 0"),
    ("startedTimeEnd=-1", "startedTimeEnd must be greater than 0"),
    ("startedTimeBegin=10&startedTimeEnd=5", "startedTimeEnd must be greater than startTimeBegin"),
    ("finishedTimeBegin=-1", "finishTimeBegin must be greater than 0"),
    ("finishedTimeEnd=-1", "finishTimeEnd must be greater than 0"),
    ("finishedTimeBegin=10&finishedTimeEnd=5",
     "finishTimeEnd must be greater than finishTimeBegin"),
    # Hadoop's order: numbers are read first, then the queue, the limit, the ranges, the states.
    ("limit=0&startedTimeBegin=abc", "startedTimeBegin value must be a number!"),
    ("queue=missing&limit=0", "Unknown queue: missing"),
    ("limit=0&startedTimeBegin=-1", "limit value must be greater then 0"),
    ("states=bogus&finishedTimeBegin=-1", "finishTimeBegin must be greater than 0"),
])
def test_refusals(population, query, message):
    error = population.refused(query)
    assert error["exception"] == "BadRequestException"
    assert error["message"] == f"java.lang.Exception: {message}"


def test_deselects(population):
    a = str(population.ids["a"])
    full = population.web.get(f"{APPS}?user=alice&states=running").json()["apps"]["app"][0]
    assert {"timeouts", "appNodeLabelExpression", "amNodeLabelExpression"} <= set(full)
    trimmed = population.web.get(
        f"{APPS}?user=alice&states=running&deSelects=timeouts,appNodeLabelExpression"
        "&deSelects=AMNODELABELEXPRESSION,resourceRequests,resourceInfo"
    ).json()["apps"]["app"][0]
    assert trimmed["id"] == a
    assert set(full) - set(trimmed) == {"timeouts", "appNodeLabelExpression",
                                        "amNodeLabelExpression"}
    error = population.refused("deSelects=everything")
    assert error["message"] == (
        "java.lang.Exception: Invalid deSelects string everything specified. It should be one of "
        "[resourceRequests, timeouts, appNodeLabelExpression, amNodeLabelExpression, "
        "resourceInfo]"
    )
    assert population.listed("deSelects=everything&user=nobody") == ""


def test_no_applications_is_apps_null(tmp_path):
    running = RunningCluster(tmp_path, nodes=1)
    response = web_for(running).get(APPS)
    assert response.status == 200
    assert response.body == b'{"apps": null}'


def test_a_thousand_applications_with_limit(tmp_path):
    running = RunningCluster(tmp_path, nodes=1)
    ids = [running.submit("sleep 600", user=f"user{n % 7}") for n in range(1000)]
    running.advance(2)
    web = web_for(running)
    listed = web.get(f"{APPS}?limit=10").json()["apps"]["app"]
    assert [app["id"] for app in listed] == [str(app_id) for app_id in ids[:10]]
    everything = web.get(APPS).json()["apps"]["app"]
    assert len(everything) == 1000
    assert {app["state"] for app in everything} == {"ACCEPTED"}
    assert [app["id"] for app in web.get(f"{APPS}?user=user3&limit=3").json()["apps"]["app"]] \
        == [str(ids[n]) for n in (3, 10, 17)]


def test_queue_under_the_fifo_scheduler(tmp_path):
    running = RunningCluster(tmp_path, nodes=1,
                             config={"yarn.resourcemanager.scheduler.class": FIFO_SCHEDULER})
    application_id = running.submit("sleep 600", queue="anything")
    running.advance(1)
    web = web_for(running)
    assert [app["id"] for app in web.get(f"{APPS}?queue=default").json()["apps"]["app"]] == [
        str(application_id)]
    assert web.get(f"{APPS}?queue=anything").json() == {"apps": None}


# Nodes


@pytest.fixture
def running(tmp_path):
    return RunningCluster(tmp_path, nodes=3,
                          config={"yarn.nm.liveness-monitor.expiry-interval-ms": 3000})


def node_ids(response):
    assert response.status == 200, response.body
    nodes = response.json()["nodes"]
    return [] if nodes is None else [node["id"] for node in nodes["node"]]


def lose_and_stop(running):
    """node-0 fails (LOST once its liveness expires); node-1 stops (SHUTDOWN)."""
    running.cluster.node_managers["node-0"].fail()
    running.cluster.node_managers["node-1"].stop()
    running.advance(5)


def test_nodes_with_states(running):
    web = web_for(running)
    assert node_ids(web.get(NODES)) == ["node-0:45454", "node-1:45454", "node-2:45454"]
    lose_and_stop(running)
    # Active nodes, then inactive ones in the order they became inactive.
    assert node_ids(web.get(NODES)) == ["node-2:45454", "node-1:45454", "node-0:45454"]
    assert node_ids(web.get(f"{NODES}?states=running")) == ["node-2:45454"]
    assert node_ids(web.get(f"{NODES}?states=Lost,SHUTDOWN")) == ["node-1:45454",
                                                                  "node-0:45454"]
    assert node_ids(web.get(f"{NODES}?states=RUNNING,")) == ["node-2:45454"]
    assert web.get(f"{NODES}?states=NEW").json() == {"nodes": None}
    assert web.get(f"{NODES}?states=,").json() == {"nodes": None}


def test_inactive_nodes_show_no_address_and_nothing_held(running):
    web = web_for(running)
    lose_and_stop(running)
    (lost,) = web.get(f"{NODES}?states=LOST").json()["nodes"]["node"]
    assert lost["state"] == "LOST" and lost["nodeHTTPAddress"] == ""
    assert (lost["numContainers"], lost["usedMemoryMB"], lost["availMemoryMB"]) == (0, 0, 0)
    assert "usedResource" not in lost and "availableResource" not in lost
    assert lost["totalResource"] == {"memory": 8192, "vCores": 8}
    assert web.get(f"{NODES}/node-0:45454").json() == {"node": lost}
    (stopped,) = web.get(f"{NODES}?states=SHUTDOWN").json()["nodes"]["node"]
    assert stopped["nodeHTTPAddress"] == ""


@pytest.mark.parametrize("query, constant", [
    ("states=bogus", "BOGUS"),
    ("states=%20RUNNING", " RUNNING"),
    ("states=", ""),
    ("states=,RUNNING", ""),
])
def test_an_unknown_node_state_is_400(running, query, constant):
    response = web_for(running).get(f"{NODES}?{query}")
    assert response.status == 400
    assert response.json()["RemoteException"] == {
        "exception": "IllegalArgumentException",
        "javaClassName": "java.lang.IllegalArgumentException",
        "message": f"No enum constant org.apache.hadoop.yarn.api.records.NodeState.{constant}",
    }


def test_one_node(running):
    web = web_for(running)
    node = web.get(f"{NODES}/node-1:45454").json()["node"]
    assert (node["id"], node["state"], node["nodeHostName"]) == ("node-1:45454", "RUNNING",
                                                                 "node-1")
    response = web.get(f"{NODES}/node-9:45454")
    assert response.status == 404
    assert response.json()["RemoteException"]["message"] == (
        "java.lang.Exception: nodeId, node-9:45454, is not found"
    )
    response = web.get(f"{NODES}/node-1")
    assert response.status == 400
    assert response.json()["RemoteException"] == {
        "exception": "IllegalArgumentException",
        "javaClassName": "java.lang.IllegalArgumentException",
        "message": "Invalid NodeId [node-1]. Expected host:port",
    }
    assert NodeId.parse(node["id"]) in running.rm.nodes
