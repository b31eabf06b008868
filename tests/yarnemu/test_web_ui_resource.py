"""
Tests for :mod:`yarnemu.web.ui.resource`: the RM web UI served with the RM REST API on a running
cluster, read over HTTP as a person reads it — the cluster's metrics, nodes and applications at
``/``, an application's overview, attempts and containers at ``/app/<id>``, the panels an
``IApplicationPanels`` adds, escaping, error pages and the refresh tag.
"""

import pytest
from twisted.internet.defer import Deferred, fail, succeed
from twisted.internet.task import Clock, deferLater
from twisted.web.server import Site
from zope.interface import implementer
from zope.interface.verify import verifyObject

from tests.html_page import read_page
from tests.http_harness import HttpClient
from tests.yarnemu.running_cluster import RunningCluster
from yarnemu.programs import builtin_programs
from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records.states import RMAppState
from yarnemu.web.rm import ResourceManagerWebApp
from yarnemu.web.ui import ClusterWebUI, IApplicationPanels, Panel, Table, Text

HOSTILE = '<script>alert("owned")</script>'


@implementer(IApplicationPanels)
class PanelsDouble:
    """Answers with what the test's functions give for a report; records the reports."""

    def __init__(self, summary=None, panels=None):
        self._summary = summary
        self._panels = panels
        self.reports = []

    def summary(self, report):
        self.reports.append(("summary", report))
        return self._summary(report) if self._summary else None

    def panels(self, report):
        self.reports.append(("panels", report))
        return self._panels(report) if self._panels else None


class Served:
    """A running two-node cluster and its RM web address, with the UI mounted."""

    def __init__(self, tmp_path, panels=None, **options):
        self.cluster = RunningCluster(tmp_path, nodes=2)
        self.root = ResourceManagerWebApp(self.cluster.rm, builtin_programs())
        self.ui = ClusterWebUI(self.cluster.rm, application_panels=panels, **options)
        self.ui.mount(self.root)
        self.http = HttpClient(Site(self.root, reactor=Clock()))

    def get(self, path):
        return self.http.request("GET", path, settle=lambda: self.cluster.advance(0.5))

    def page(self, path, status=200):
        response = self.get(path)
        assert response.status == status, response.body[:500]
        assert response.header("content-type") == "text/html; charset=UTF-8"
        return read_page(response.body)

    def rest(self, path):
        return self.http.get(f"/ws/v1/cluster{path}").json()

    def run_distributed_shell(self, containers, command, *args, name="shell"):
        application_id = self.cluster.submit(
            distributed_shell_command(containers, 512, command, " ".join(args)),
            application_name=name)
        return application_id

    def finished_and_running(self):
        """:return: ``(finished, running)``: one DistributedShell done, one with 2 sleepers."""
        done = self.run_distributed_shell(1, "true", name="done")
        assert self.cluster.run_until_app_state(done, RMAppState.FINISHED)
        running = self.run_distributed_shell(2, "sleep", "600", name="sleepers")
        assert self.cluster.run_until(lambda: self._running_containers(running) == 3)
        return done, running

    def _running_containers(self, application_id):
        return sum(1 for c in self.cluster.rm.containers.values()
                   if c.container_id.application_id == application_id
                   and c.state.value == "RUNNING")


@pytest.fixture
def served(tmp_path):
    return Served(tmp_path)


def test_the_overview_shows_the_clusters_metrics_as_the_rest_api_has_them(served):
    served.finished_and_running()
    page = served.page("/")
    assert (page.title, page.refresh) == ("Cluster Overview", "5")
    assert page.titles() == ["Cluster Metrics", "Applications", "Nodes"]
    metrics = served.rest("/metrics")["clusterMetrics"]
    section = page.section("Cluster Metrics")
    assert section.table("Applications").records() == [{
        "Apps Submitted": "2", "Apps Pending": "0", "Apps Running": "1", "Apps Completed": "1",
        "Apps Failed": "0", "Apps Killed": "0"}]
    assert metrics["allocatedMB"] == 3072 and metrics["totalMB"] == 16384
    assert section.table("Resources").records() == [{
        "Containers Running": "3", "Containers Pending": "0", "Memory Used": "3 GB",
        "Memory Pending": "0 B", "Memory Total": "16 GB", "VCores Used": "3",
        "VCores Pending": "0", "VCores Total": "16"}]
    nodes = section.table("Cluster Nodes Metrics").records()[0]
    assert (nodes["Total Nodes"], nodes["Active Nodes"], nodes["Lost Nodes"]) == ("2", "2", "0")


def test_the_overview_lists_each_node_with_its_state_and_use(served):
    served.finished_and_running()
    table = served.page("/").section("Nodes").table()
    rest_nodes = served.rest("/nodes")["nodes"]["node"]
    assert table.column("Node Address") == [node["id"] for node in rest_nodes]
    for node in rest_nodes:
        row = table.record("Node Address", node["id"])
        assert row["Rack"] == "/default-rack" and row["Node State"] == "RUNNING"
        assert row["Node HTTP Address"] == node["nodeHTTPAddress"]
        assert row["Containers"] == str(node["numContainers"])
        assert row["Memory Used / Total"] == f"{node['usedMemoryMB'] // 1024} GB / 8 GB"
        assert row["VCores Used / Total"] == f"{node['usedVirtualCores']} / 8"
    assert sum(int(count) for count in table.column("Containers")) == 3


def test_the_overview_lists_applications_newest_first_with_links(served):
    done, running = served.finished_and_running()
    page = served.page("/")
    table = page.section("Applications").table()
    assert table.column("ID") == [str(running), str(done)]
    assert table.record("ID", str(running)) == {
        "ID": str(running), "User": "alice", "Name": "sleepers", "Application Type": "YARN",
        "Queue": "default", "StartTime": table.record("ID", str(running))["StartTime"],
        "FinishTime": "N/A", "State": "RUNNING", "FinalStatus": "UNDEFINED",
        "Elapsed": table.record("ID", str(running))["Elapsed"],
        "Allocated": "3 containers, 3 vcores, 3 GB", "Progress": "0.0 %",
        "Tracking UI": "ApplicationMaster"}
    finished = table.record("ID", str(done))
    assert (finished["State"], finished["FinalStatus"], finished["Allocated"],
            finished["Tracking UI"], finished["Progress"]) == (
        "FINISHED", "SUCCEEDED", "N/A", "History", "100.0 %")
    rest = {app["id"]: app for app in served.rest("/apps")["apps"]["app"]}
    assert finished["Elapsed"] == f"{rest[str(done)]['elapsedTime'] // 1000}sec"
    assert finished["FinishTime"] != "N/A"
    links = page.section("Applications").links
    assert (str(running), f"/app/{running}") in links
    assert (str(done), f"/app/{done}") in links
    assert ("ApplicationMaster", f"/proxy/{running}/") in links
    assert not [href for _, href in links if href == f"/proxy/{done}/"]
    assert table.notes == {}


def test_an_application_page_shows_its_overview_attempts_and_containers(served):
    _, running = served.finished_and_running()
    page = served.page(f"/app/{running}")
    assert page.title == f"Application {running}" and page.refresh == "5"
    assert page.titles() == ["Application Overview", "Application Attempts", "Containers"]
    fields = page.section("Application Overview").fields
    assert (fields["User"], fields["Name"], fields["YarnApplicationState"], fields["Queue"],
            fields["FinalStatus Reported by AM"], fields["Finished"], fields["Tracking URL"]) == (
        "alice", "sleepers", "RUNNING", "default", "UNDEFINED", "N/A", "ApplicationMaster")
    assert fields["Allocated Resources"] == "3 containers, 3 vcores, 3 GB"
    assert ("ApplicationMaster", f"/proxy/{running}/") in page.section(
        "Application Overview").links
    (attempt,) = served.rest(f"/apps/{running}/appattempts")["appAttempts"]["appAttempt"]
    attempts = page.section("Application Attempts").table()
    assert attempts.records() == [{
        "Attempt ID": attempt["appAttemptId"],
        "Started": attempts.records()[0]["Started"], "Finished": "N/A", "State": "RUNNING",
        "Node": attempt["nodeId"], "AM Container": attempt["containerId"], "Diagnostics": ""}]
    containers = page.section("Containers").table(f"Containers of {attempt['appAttemptId']}")
    rest_containers = served.rest(
        f"/apps/{running}/appattempts/{attempt['appAttemptId']}/containers")["containers"][
        "container"]
    assert containers.column("Container ID") == [c["containerId"] for c in rest_containers]
    assert containers.column("Node") == [c["assignedNodeId"] for c in rest_containers]
    # 512 MB asks come normalized to the minimum allocation, 1024 MB.
    assert containers.column("Resource") == ["<memory:1024, vCores:1>"] * 3
    assert containers.column("State") == ["RUNNING"] * 3
    assert containers.column("Exit Status") == ["-1000 (INVALID)"] * 3


def test_a_finished_applications_containers_show_their_exit_status(served):
    done, _ = served.finished_and_running()
    page = served.page(f"/app/{done}")
    fields = page.section("Application Overview").fields
    assert (fields["YarnApplicationState"], fields["FinalStatus Reported by AM"],
            fields["Tracking URL"]) == (
        "FINISHED", "SUCCEEDED", f"History: http://localhost:8088/proxy/{done}/")
    assert fields["Allocated Resources"] == "N/A"
    (table,) = page.section("Containers").tables
    assert table.column("State") == ["COMPLETE", "COMPLETE"]
    assert table.column("Exit Status") == ["0 (SUCCESS)", "0 (SUCCESS)"]
    assert "FINISHED" in page.section("Application Attempts").table().column("State")


def test_names_from_users_are_shown_as_text_never_as_markup(served):
    application_id = served.cluster.submit("sleep 600", user=HOSTILE, application_name=HOSTILE,
                                           application_type=HOSTILE)
    served.cluster.advance(2)
    for path in ("/", f"/app/{application_id}"):
        response = served.get(path)
        assert b"<script>" not in response.body
        assert b"&lt;script&gt;" in response.body
    row = served.page("/").section("Applications").table().records()[0]
    assert (row["Name"], row["User"], row["Application Type"]) == (HOSTILE, HOSTILE, HOSTILE)
    fields = served.page(f"/app/{application_id}").section("Application Overview").fields
    assert (fields["Name"], fields["User"]) == (HOSTILE, HOSTILE)


def test_an_unknown_application_is_a_404_page(served):
    unknown = f"application_{served.cluster.rm.cluster_timestamp}_9999"
    page = served.page(f"/app/{unknown}", status=404)
    assert page.section("Not Found").paragraphs == [f"Application not found: {unknown}"]


def test_a_malformed_application_id_is_a_400_page(served):
    page = served.page("/app/application_x", status=400)
    assert page.section("Bad Request").paragraphs == ["Invalid Application ID: application_x"]


@pytest.mark.parametrize("path", ["/app", "/app/", "/app/application_1_0001/attempts"])
def test_other_paths_under_app_are_404_pages(served, path):
    page = served.page(path, status=404)
    assert page.section("Not Found").paragraphs == [f"No such page: {path}"]


def test_the_ui_leaves_the_rest_api_and_the_cluster_pages_where_they_are(served):
    assert served.rest("/info")["clusterInfo"]["state"] == "STARTED"
    assert served.get("/cluster").status == 200
    missing = served.get("/nothing-here")
    assert missing.status == 404 and missing.json()["RemoteException"]["exception"] == (
        "NotFoundException")


def test_head_answers_the_page_without_its_body(served):
    response = served.http.request("HEAD", "/")
    assert response.status == 200 and response.body == b""
    assert response.header("content-type") == "text/html; charset=UTF-8"


def test_the_refresh_interval_is_configurable(tmp_path):
    assert Served(tmp_path / "a", refresh_seconds=30).page("/").refresh == "30"
    assert Served(tmp_path / "b", refresh_seconds=None).page("/").refresh is None


# Application panels


def test_a_panels_double_provides_the_interface():
    verifyObject(IApplicationPanels, PanelsDouble())


def test_a_summary_is_shown_below_its_applications_row(tmp_path):
    panels = PanelsDouble(summary=lambda report: succeed(f"{report.name} is busy"))
    served = Served(tmp_path, panels)
    _, running = served.finished_and_running()
    table = served.page("/").section("Applications").table()
    assert table.notes == {0: "YARN: sleepers is busy", 1: "YARN: done is busy"}
    asked = {str(report.application_id) for kind, report in panels.reports if kind == "summary"}
    assert str(running) in asked


def test_the_overview_waits_for_the_summaries(tmp_path):
    answered = []
    served = None

    def later(report):
        return deferLater(served.cluster.clock, 3, lambda: "ready")

    served = Served(tmp_path, PanelsDouble(summary=later))
    served.cluster.submit("sleep 600")
    started = served.cluster.clock.seconds()
    answer = served.http.start_request("GET", "/")
    answer.addCallback(answered.append)
    served.cluster.advance(2.9)
    assert not answered
    served.cluster.advance(0.2)
    assert answered and answered[0].status == 200
    assert read_page(answered[0].body).section("Applications").table().notes == {0: "YARN: ready"}
    assert served.cluster.clock.seconds() >= started + 3


def test_a_summary_that_fails_or_never_comes_is_shown_as_not_available(tmp_path):
    answers = iter([fail(RuntimeError("JobManager gone")), Deferred()])
    served = Served(tmp_path, PanelsDouble(summary=lambda report: next(answers)),
                    panel_timeout=4)
    first = served.cluster.submit("sleep 600")
    served.cluster.submit("sleep 600")
    table = served.page("/").section("Applications").table()
    assert table.column("ID")[1] == str(first)
    assert table.notes == {1: "YARN: Not available: JobManager gone",
                           0: "YARN: Not available: no answer within 4 s"}


def test_an_application_page_shows_the_panels_after_its_overview(tmp_path):
    def panels(report):
        return succeed([Panel("Jobs", [Table(["Job"], [[f"job of {report.name}"]])]),
                        Panel("Workers", [Text(HOSTILE)])])

    served = Served(tmp_path, PanelsDouble(panels=panels))
    _, running = served.finished_and_running()
    page = served.page(f"/app/{running}")
    assert page.titles() == ["Application Overview", "Jobs", "Workers", "Application Attempts",
                             "Containers"]
    assert page.section("Jobs").table().rows == [["job of sleepers"]]
    assert page.section("Workers").paragraphs == [HOSTILE]


def test_panels_that_fail_are_a_note_and_the_yarn_views_still_show(tmp_path):
    served = Served(tmp_path, PanelsDouble(
        panels=lambda report: fail(ConnectionRefusedError("Connection refused: node-1:32769"))))
    _, running = served.finished_and_running()
    page = served.page(f"/app/{running}")
    assert page.titles() == ["Application Overview", "Application Master",
                             "Application Attempts", "Containers"]
    assert page.section("Application Master").paragraphs == [
        "The application master's views are not available: Connection refused: node-1:32769"]


def test_panels_that_never_come_time_out_on_the_clusters_clock(tmp_path):
    served = Served(tmp_path, PanelsDouble(panels=lambda report: Deferred()), panel_timeout=7)
    application_id = served.cluster.submit("sleep 600")
    started = served.cluster.clock.seconds()
    page = served.page(f"/app/{application_id}")
    assert page.section("Application Master").paragraphs == [
        "The application master's views are not available: no answer within 7 s"]
    assert served.cluster.clock.seconds() >= started + 7


def test_a_hook_that_raises_does_not_break_the_page(tmp_path):
    def broken(report):
        raise KeyError("bug")

    served = Served(tmp_path, PanelsDouble(summary=broken, panels=broken))
    application_id = served.cluster.submit("sleep 600")
    assert served.page("/").section("Applications").table().notes == {}
    assert served.page(f"/app/{application_id}").titles() == [
        "Application Overview", "Application Attempts", "Containers"]


def test_an_unknown_applications_page_does_not_ask_the_panels(tmp_path):
    panels = PanelsDouble(panels=lambda report: succeed([]))
    served = Served(tmp_path, panels)
    served.page(f"/app/application_{served.cluster.rm.cluster_timestamp}_0042", status=404)
    assert panels.reports == []
