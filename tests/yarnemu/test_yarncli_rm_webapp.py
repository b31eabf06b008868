"""
The yarn CLI end to end: ``yarnemu application`` and ``yarnemu node`` (through
:func:`yarnemu.cli.main`) against the real RM REST resource
(:class:`~yarnemu.web.rm.ResourceManagerWebApp`) of a running cluster on a virtual clock, the
HTTP exchange going through the in-memory harness and kills waiting in virtual time.
"""

import os
import time
import types
from urllib.parse import urlsplit

import pytest

from tests.http_harness import HttpClient
from yarnemu import cli
from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records import RMAppState
from yarnemu.yarncli import command, rest

from .running_cluster import RunningCluster

HEADER = ("                Application-Id\t    Application-Name\t    Application-Type\t      "
          "User\t     Queue\t             State\t       Final-State\t       Progress\t"
          "                       Tracking-URL\n")
NODES_HEADER = ("         Node-Id\t     Node-State\tNode-Http-Address\t"
                "Number-of-Running-Containers\n")


@pytest.fixture
def utc():
    """Local time is UTC while the test runs (node reports print local dates)."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


@pytest.fixture
def running(tmp_path, monkeypatch):
    """A two-node cluster whose RM web app answers the CLI; kill polls wait in virtual time."""
    from yarnemu.web.rm import ResourceManagerWebApp

    running = RunningCluster(tmp_path, nodes=2)
    http = HttpClient(ResourceManagerWebApp(running.rm, running.cluster.programs))
    running.requests = []

    def send(method, url, body, headers):
        parts = urlsplit(url)
        assert parts.netloc == "127.0.0.1:8088"
        running.requests.append((method, parts.path))
        response = http.request(method, parts.path + (f"?{parts.query}" if parts.query else ""),
                                body or b"", headers=headers)
        return response.status, response.body

    monkeypatch.setattr(rest, "urllib_send", send)
    monkeypatch.setattr(command, "time", types.SimpleNamespace(sleep=running.advance))
    monkeypatch.delenv("YARNEMU_RM", raising=False)
    return running


def yarn(capsys, *argv):
    """:return: ``(exit status, stdout, stderr)`` of ``yarnemu *argv``."""
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def three_apps(running):
    """A RUNNING session (type Apache Flink, tag prod), a FAILED one and a FINISHED one."""
    session = running.submit(distributed_shell_command(1, 512, "sleep", "600"),
                             application_type="Apache Flink", application_tags=["prod"])
    failed = running.submit("sleep 1", queue="nowhere", user="bob")
    finished = running.submit(distributed_shell_command(1, 512, "sleep", "5"))
    assert running.run_until(lambda: running.app(finished).state is RMAppState.FINISHED)
    assert running.app(session).state is RMAppState.RUNNING
    return session, failed, finished


def test_list_shows_the_active_applications(running, three_apps, capsys):
    """-list prints the RUNNING session only, with Hadoop's count line and table."""
    session, _, _ = three_apps
    assert yarn(capsys, "application", "-list") == (0, (
        "Total number of applications (application-types: [], states: [SUBMITTED, ACCEPTED, "
        "RUNNING] and tags: []):1\n" + HEADER +
        f"{session}\t                 N/A\t        Apache Flink\t     alice\t   default\t"
        "           RUNNING\t         UNDEFINED\t             0%\t"
        "                                N/A\n"), "")


def test_list_all_and_filters(running, three_apps, capsys):
    """-appStates ALL lists every application; types and tags filter on the RM."""
    session, failed, finished = three_apps
    status, out, _ = yarn(capsys, "application", "-list", "-appStates", "ALL")
    assert status == 0
    assert out.splitlines()[0].endswith("and tags: []):3")
    assert out.splitlines()[3] == (
        f"{failed}\t                 N/A\t                YARN\t       bob\t   nowhere\t"
        "            FAILED\t            FAILED\t           100%\t"
        "                                N/A")
    assert out.splitlines()[4] == (
        f"{finished}\t                 N/A\t                YARN\t     alice\t   default\t"
        "          FINISHED\t         SUCCEEDED\t           100%\t"
        "                                N/A")
    status, out, _ = yarn(capsys, "application", "-list", "-appStates", "finished,failed",
                          "-appTypes", "yarn")
    assert out.splitlines()[0] == ("Total number of applications (application-types: [YARN], "
                                   "states: [FINISHED, FAILED] and tags: []):2")
    status, out, _ = yarn(capsys, "app", "-list", "-appStates", "ALL", "-appTags", "prod")
    assert [line.split("\t")[0] for line in out.splitlines()[2:]] == [str(session)]


def test_status_of_a_running_application(running, three_apps, capsys):
    """-status prints the report with the RM's own values: times, usage, the AM's host."""
    session, _, _ = three_apps
    report = running.client.get_application_report(session)
    usage = report.application_resource_usage_report
    assert yarn(capsys, "application", "-status", str(session)) == (0, (
        "Application Report : \n"
        f"\tApplication-Id : {session}\n"
        "\tApplication-Name : N/A\n"
        "\tApplication-Type : Apache Flink\n"
        "\tUser : alice\n"
        "\tQueue : default\n"
        "\tApplication Priority : 0\n"
        f"\tStart-Time : {report.start_time}\n"
        "\tFinish-Time : 0\n"
        "\tProgress : 0%\n"
        "\tState : RUNNING\n"
        "\tFinal-State : UNDEFINED\n"
        "\tTracking-URL : N/A\n"
        "\tRPC Port : -1\n"
        f"\tAM Host : {report.host}\n"
        f"\tAggregate Resource Allocation : {usage.memory_seconds} MB-seconds, "
        f"{usage.vcore_seconds} vcore-seconds\n"
        "\tAggregate Resource Preempted : 0 MB-seconds, 0 vcore-seconds\n"
        "\tLog Aggregation Status : DISABLED\n"
        "\tDiagnostics : \n"
        "\tUnmanaged Application : false\n"
        f"\tApplication Node Label Expression : {_app_label(running, session)}\n"
        "\tAM container Node Label Expression : <DEFAULT_PARTITION>\n"
        "\tTimeoutType : LIFETIME\tExpiryTime : UNLIMITED\tRemainingTime : -1seconds\n"
        "\n"), "")
    assert report.host.startswith("node-") and usage.memory_seconds > 0


def _app_label(running, application_id):
    # Hadoop's RM leaves an unset application label out of AppInfo: "<Not set>"; an empty one
    # is the default partition.
    from yarnemu.web.rm import dao

    value = dao.app_info(running.rm, running.app(application_id)).get("appNodeLabelExpression")
    return "<Not set>" if value is None else (value or "<DEFAULT_PARTITION>")


def test_status_of_a_finished_application(running, three_apps, capsys):
    """A finished application shows its finish time, 100% and SUCCEEDED."""
    _, _, finished = three_apps
    report = running.client.get_application_report(finished)
    status, out, _ = yarn(capsys, "application", "-status", str(finished))
    assert status == 0
    lines = out.splitlines()
    assert f"\tFinish-Time : {report.finish_time}" in lines
    assert "\tProgress : 100%" in lines and "\tFinal-State : SUCCEEDED" in lines
    assert "\tState : FINISHED" in lines


def test_status_of_an_unknown_application(running, capsys):
    """An id the RM does not know: Hadoop's message and status -1 (255 as a process)."""
    unknown = f"application_{running.rm.cluster_timestamp}_0099"
    assert yarn(capsys, "application", "-status", unknown) == (
        -1, f"Application with id '{unknown}' doesn't exist in RM or Timeline Server.\n", "")


def test_kill_a_running_application(running, three_apps, capsys):
    """-kill prints Killing application, waits (in virtual time) until the app is KILLED."""
    session, _, _ = three_apps
    assert yarn(capsys, "application", "-kill", str(session)) == (
        0, f"Killing application {session}\n", "")
    assert running.app(session).state is RMAppState.KILLED
    puts = [r for r in running.requests if r[0] == "PUT"]
    assert puts and set(puts) == {("PUT", f"/ws/v1/cluster/apps/{session}/state")}
    assert yarn(capsys, "application", "-kill", str(session)) == (
        0, f"Application {session} has already finished \n", "")


def test_kill_finished_and_unknown(running, three_apps, capsys):
    """Finished apps are not killed; unknown ids print "doesn't exist in RM." (-1 if all are)."""
    _, failed, finished = three_apps
    unknown = f"application_{running.rm.cluster_timestamp}_0099"
    assert yarn(capsys, "application", "-kill", str(failed)) == (
        0, f"Application {failed} has already finished \n", "")
    assert yarn(capsys, "application", "-kill", unknown) == (
        -1, f"Application with id '{unknown}' doesn't exist in RM.\n", "")
    assert yarn(capsys, "application", "-kill", unknown, str(finished)) == (
        0, f"Application with id '{unknown}' doesn't exist in RM.\n"
           f"Application {finished} has already finished \n", "")
    assert not [r for r in running.requests if r[0] == "PUT"]


def test_node_list_and_status(running, capsys, utc):
    """node -list shows RUNNING nodes, -all the shut-down one too; -status prints its report."""
    assert yarn(capsys, "node", "-list") == (0, (
        "Total Nodes:2\n" + NODES_HEADER +
        "    node-0:45454\t        RUNNING\t      node-0:8042\t                           0\n"
        "    node-1:45454\t        RUNNING\t      node-1:8042\t                           0\n"), "")
    running.cluster.node_managers["node-1"].stop()
    status, out, _ = yarn(capsys, "node", "-list")
    assert out.startswith("Total Nodes:1\n")
    assert yarn(capsys, "node", "-list", "-all") == (0, (
        "Total Nodes:2\n" + NODES_HEADER +
        "    node-0:45454\t        RUNNING\t      node-0:8042\t                           0\n"
        "    node-1:45454\t       SHUTDOWN\t                 \t                           0\n"), "")
    node = running.client.get_cluster_nodes()[0]
    assert str(node.node_id) == "node-0:45454"
    from yarnemu.yarncli.format import health_update_time

    assert yarn(capsys, "node", "-status", "node-0:45454") == (0, (
        "Node Report : \n"
        "\tNode-Id : node-0:45454\n"
        "\tRack : /default-rack\n"
        "\tNode-State : RUNNING\n"
        "\tNode-Http-Address : node-0:8042\n"
        f"\tLast-Health-Update : {health_update_time(node.last_health_report_time)}\n"
        "\tHealth-Report : \n"
        "\tContainers : 0\n"
        "\tMemory-Used : 0MB\n"
        "\tMemory-Capacity : 8192MB\n"
        "\tCPU-Used : 0 vcores\n"
        "\tCPU-Capacity : 8 vcores\n"
        "\tNode-Labels : \n"
        "\tNode Attributes : \n"
        "\tResource Utilization by Node : PMem:0 MB, VMem:0 MB, VCores:0.0\n"
        "\tResource Utilization by Containers : PMem:0 MB, VMem:0 MB, VCores:0.0\n"
        "\n"), "")
    assert health_update_time(node.last_health_report_time).endswith("UTC")
    assert yarn(capsys, "node", "-status", "node-9:45454") == (
        0, "Could not find the node report for node id : node-9:45454\n", "")


def test_node_details_show_running_containers(running, three_apps, capsys):
    """-showDetails shows what the session's two containers hold on their nodes."""
    status, out, _ = yarn(capsys, "node", "-list", "-showDetails")
    assert status == 0
    held = {str(n.node_id): n for n in running.client.get_cluster_nodes()}
    for node_id, node in held.items():
        row = (f"    {node_id}\t        RUNNING\t      {node.http_address}\t"
               f"{node.num_containers:28d}\n"
               "Detailed Node Information :\n"
               f"\tConfigured Resources : <memory:{node.capability.memory}, "
               f"vCores:{node.capability.vcores}>\n"
               f"\tAllocated Resources : <memory:{node.used.memory}, vCores:{node.used.vcores}>\n")
        assert row in out
    assert sum(n.num_containers for n in held.values()) == 2
