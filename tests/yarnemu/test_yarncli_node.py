"""
Tests for :mod:`yarnemu.yarncli.node` (``yarnemu node``) against Hadoop-shaped RM REST JSON:
output byte for byte, requests sent, exit statuses.  Layouts follow Hadoop's ``TestYarnCLI``.
"""

import datetime

import pytest

from tests.yarnemu.rm_rest_fixtures import ScriptedRm, node_json, not_found
from yarnemu.yarncli import run

NODES = "/ws/v1/cluster/nodes"
HEADER = "         Node-Id\t     Node-State\tNode-Http-Address\tNumber-of-Running-Containers\n"


def node(rm, *arguments):
    return run("node", list(arguments), send=rm, tz=datetime.timezone.utc)


def listing(*nodes):
    return lambda query: (200, {"nodes": {"node": [n for n in nodes
                                                   if n["state"] in query["states"].split(",")]}})


LOST = node_json("nm3", state="LOST", nodeHTTPAddress="", numContainers=0, usedMemoryMB=0,
                 availMemoryMB=0, usedVirtualCores=0, availableVirtualCores=0)


def test_list_shows_running_nodes_by_default(capsys):
    """-list asks for RUNNING nodes and prints Total Nodes and the table."""
    rm = ScriptedRm({("GET", NODES): listing(node_json("nm1"), node_json("nm2"), LOST)})
    assert node(rm, "-list") == 0
    assert rm.requests == [("GET", NODES, {"states": "RUNNING"}, None)]
    assert capsys.readouterr().out == (
        "Total Nodes:2\n" + HEADER +
        "       nm1:45454\t        RUNNING\t         nm1:8042\t                           2\n"
        "       nm2:45454\t        RUNNING\t         nm2:8042\t                           2\n")


@pytest.mark.parametrize("arguments, states", [
    (["-list", "-all"], "NEW,RUNNING,UNHEALTHY,DECOMMISSIONED,LOST,REBOOTED,DECOMMISSIONING,"
                        "SHUTDOWN"),
    (["-list", "-ALL"], "NEW,RUNNING,UNHEALTHY,DECOMMISSIONED,LOST,REBOOTED,DECOMMISSIONING,"
                        "SHUTDOWN"),
    (["-list", "--states", "lost, running"], "RUNNING,LOST"),
])
def test_list_states(capsys, arguments, states):
    """-all (any case) lists every state; -states the ones named, in any case."""
    rm = ScriptedRm({("GET", NODES): listing(node_json("nm1"), LOST)})
    assert node(rm, *arguments) == 0
    assert rm.requests[0][2] == {"states": states}
    assert capsys.readouterr().out == (
        "Total Nodes:2\n" + HEADER +
        "       nm1:45454\t        RUNNING\t         nm1:8042\t                           2\n"
        "       nm3:45454\t           LOST\t                 \t                           0\n")


def test_list_with_details(capsys):
    """-showDetails adds each node's resources, utilization and labels."""
    labelled = node_json("nm1", nodeLabels=["gpu", "fast"])
    rm = ScriptedRm({("GET", NODES): (200, {"nodes": {"node": [labelled]}})})
    assert node(rm, "-list", "-showDetails") == 0
    assert capsys.readouterr().out == (
        "Total Nodes:1\n" + HEADER +
        "       nm1:45454\t        RUNNING\t         nm1:8042\t                           2\n"
        "Detailed Node Information :\n"
        "\tConfigured Resources : <memory:8192, vCores:8>\n"
        "\tAllocated Resources : <memory:2048, vCores:2>\n"
        "\tResource Utilization by Node : PMem:1027 MB, VMem:1027 MB, VCores:0.0166\n"
        "\tResource Utilization by Containers : PMem:512 MB, VMem:600 MB, VCores:0.5\n"
        "\tNode-Labels : fast,gpu\n")


def test_list_invalid_state(capsys):
    """An unknown node state prints Hadoop's two lines and exits -1."""
    rm = ScriptedRm({})
    assert node(rm, "-list", "-states", "RUNNING,BROKEN") == -1
    assert capsys.readouterr().out == (
        "The node state BROKEN is invalid.\n"
        "The valid node state can be one of the following: NEW,RUNNING,UNHEALTHY,"
        "DECOMMISSIONED,LOST,REBOOTED,DECOMMISSIONING,SHUTDOWN.\n")
    assert rm.requests == []


def test_status_prints_the_node_report(capsys):
    """-status prints the Node Report, dates as Hadoop's pattern, ending with an empty line."""
    rm = ScriptedRm({("GET", f"{NODES}/nm1:45454"): (200, {"node": node_json(
        "nm1", nodeLabels=["b", "a"], totalResource={"memory": 16384, "vCores": 16})})})
    assert node(rm, "-status", "nm1:45454") == 0
    assert capsys.readouterr().out == (
        "Node Report : \n"
        "\tNode-Id : nm1:45454\n"
        "\tRack : /default-rack\n"
        "\tNode-State : RUNNING\n"
        "\tNode-Http-Address : nm1:8042\n"
        "\tLast-Health-Update : Tue 14/Nov/23 10:13:20:123UTC\n"
        "\tHealth-Report : \n"
        "\tContainers : 2\n"
        "\tMemory-Used : 2048MB\n"
        "\tMemory-Capacity : 16384MB\n"
        "\tCPU-Used : 2 vcores\n"
        "\tCPU-Capacity : 16 vcores\n"
        "\tNode-Labels : a,b\n"
        "\tNode Attributes : \n"
        "\tResource Utilization by Node : PMem:1027 MB, VMem:1027 MB, VCores:0.0166\n"
        "\tResource Utilization by Containers : PMem:512 MB, VMem:600 MB, VCores:0.5\n"
        "\n")


def test_status_without_utilization(capsys):
    """A node without resourceUtilization leaves the utilization lines empty."""
    bare = node_json("nm1")
    del bare["resourceUtilization"]
    rm = ScriptedRm({("GET", f"{NODES}/nm1:45454"): (200, {"node": bare})})
    assert node(rm, "-status", "nm1:45454") == 0
    out = capsys.readouterr().out
    assert "\tMemory-Capacity : 8192MB\n\tCPU-Used : 2 vcores\n\tCPU-Capacity : 8 vcores\n" in out
    assert out.endswith("\tResource Utilization by Node : \n"
                        "\tResource Utilization by Containers : \n\n")


def test_status_of_an_unknown_node(capsys):
    """An unknown node prints "Could not find the node report" and still exits 0."""
    rm = ScriptedRm({("GET", f"{NODES}/nm9:1"): not_found("nodeId, nm9:1, is not found")})
    assert node(rm, "-status", "nm9:1") == 0
    assert capsys.readouterr().out == "Could not find the node report for node id : nm9:1\n"


def test_usage_and_misuse(capsys):
    """-help prints the usage (0); -status with more arguments or none: usage and -1."""
    rm = ScriptedRm({})
    assert node(rm, "-help") == 0
    usage = capsys.readouterr().out
    assert usage.startswith(
        "usage: node\n -all               Works with -list to list all nodes.\n")
    assert node(rm) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (usage, "Invalid Command Usage : \n")
    assert node(rm, "-status", "nm1:1", "-list") == -1
    assert capsys.readouterr().out == usage
    assert node(rm, "-status") == -1
    assert capsys.readouterr().out == "Missing argument for options\n" + usage
    assert node(rm, "-status", "nm1") == 1
    assert capsys.readouterr().err == ('Exception in thread "main" java.lang.'
                                       "IllegalArgumentException: Invalid NodeId [nm1]. "
                                       "Expected host:port\n")
    assert rm.requests == []
