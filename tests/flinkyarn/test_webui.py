"""
Tests for :mod:`flinkyarn.webui`: the RM web UI with the Flink panels, on a Flink session with two
jobs running — the session's row says how its jobs and slots are; its page shows the Flink
cluster, its jobs with their vertices (parallelism, state) and its TaskManagers with their slots,
as its JobManager's REST API has them.
"""

import attrs
import pytest
from twisted.internet.task import Clock
from twisted.web.server import Site

from flinkyarn.webui import FlinkApplicationPanels, flink_application_panels
from tests.flinkyarn.flink_harness import (
    all_tasks_running,
    run_until_ended,
    session_cluster,
    unbounded_job,
)
from tests.html_page import read_page
from tests.http_harness import HttpClient
from yarnemu.network import ConnectionRefusedError
from yarnemu.records.states import YarnApplicationState
from yarnemu.web.rm import ResourceManagerWebApp
from yarnemu.web.ui import ClusterWebUI, IApplicationPanels

HOSTILE_JOB = "<img src=x onerror=alert(1)> job"


class Session:
    """A Flink session of 2-slot TaskManagers running two jobs, and the RM web UI over it."""

    def __init__(self, tmp_path):
        self.flink, self.session = session_cluster(
            tmp_path, flink_config={"taskmanager.numberOfTaskSlots": 2})
        self.application_id = self.session.application_id
        self.first = self.flink.run(self.session.submit_job(unbounded_job(HOSTILE_JOB, 2)))
        self.second = self.flink.run(self.session.submit_job(unbounded_job("Second", 3)))
        for job_id in (self.first, self.second):
            assert self.flink.run_until(lambda: all_tasks_running(self.endpoint, str(job_id)))
        self.panels = flink_application_panels(self.flink.yarn.network)
        root = ResourceManagerWebApp(self.flink.rm, self.flink.yarn.programs)
        ClusterWebUI(self.flink.rm, application_panels=self.panels).mount(root)
        self.http = HttpClient(Site(root, reactor=Clock()))

    @property
    def endpoint(self):
        return self.flink.job_manager(self.application_id).rest

    def page(self, path):
        response = self.http.request("GET", path, settle=lambda: self.flink.advance(0.01))
        assert response.status == 200
        return read_page(response.body)

    def app_page(self):
        return self.page(f"/app/{self.application_id}")

    def report(self):
        return self.flink.application_report(self.application_id)


@pytest.fixture
def session(tmp_path):
    return Session(tmp_path)


def test_flink_panels_provide_the_interface(session):
    assert IApplicationPanels.providedBy(session.panels)
    assert isinstance(session.panels, FlinkApplicationPanels)


def test_the_sessions_row_says_how_its_jobs_and_slots_are(session):
    overview = session.endpoint.get_overview()
    assert (overview["jobs-running"], overview["taskmanagers"], overview["slots-total"],
            overview["slots-available"]) == (2, 3, 6, 1)
    table = session.page("/").section("Applications").table()
    assert table.record("ID", str(session.application_id))["State"] == "RUNNING"
    assert table.notes == {
        0: "Apache Flink: 2 jobs running · 3 TaskManagers · 1 of 6 slots free"}


def test_the_session_page_shows_the_flink_cluster_after_yarns_overview(session):
    page = session.app_page()
    assert page.titles() == ["Application Overview", "Flink Cluster", "Flink Jobs",
                             "Flink TaskManagers", "Application Attempts", "Containers"]
    fields = page.section("Flink Cluster").fields
    assert fields["JobManager REST"] == f"{session.session.host}:{session.session.port}"
    assert (fields["TaskManagers"], fields["Task Slots"], fields["Available Task Slots"],
            fields["Running Jobs"], fields["Cancelled Jobs"]) == ("3", "6", "1", "2", "0")
    assert fields["Flink Version"].startswith("1.18.1 (commit ")
    overview = f"/proxy/{session.application_id}/overview"
    assert (overview, overview) in page.section("Flink Cluster").links


def test_the_session_page_shows_each_job_with_its_vertices(session):
    section = session.app_page().section("Flink Jobs")
    jobs = section.tables[0]
    assert sorted(jobs.column("Job Name")) == sorted([HOSTILE_JOB, "Second"])
    first = jobs.record("Job ID", str(session.first))
    assert (first["Job Name"], first["Status"], first["Tasks"], first["End Time"]) == (
        HOSTILE_JOB, "RUNNING", "2 RUNNING", "-")
    assert jobs.record("Job ID", str(session.second))["Tasks"] == "3 RUNNING"
    for job_id in (session.first, session.second):
        link = (str(job_id), f"/proxy/{session.application_id}/jobs/{job_id}")
        assert link in section.links
    for job_id, name, parallelism in ((session.first, HOSTILE_JOB, 2),
                                      (session.second, "Second", 3)):
        vertices = section.table(f"{name} ({job_id}): RUNNING")
        detail = session.endpoint.get_job(str(job_id))
        assert vertices.column("Vertex") == [vertex["name"] for vertex in detail["vertices"]]
        assert vertices.column("Parallelism") == [str(parallelism)] * len(detail["vertices"])
        assert vertices.column("Status") == ["RUNNING"] * len(detail["vertices"])
        assert vertices.column("Tasks") == [f"{parallelism} RUNNING"] * len(detail["vertices"])


def test_the_session_page_shows_each_task_manager_with_its_slots(session):
    section = session.app_page().section("Flink TaskManagers")
    table = section.table()
    managers = session.endpoint.get_taskmanagers()["taskmanagers"]
    assert table.column("TaskManager ID") == sorted(manager["id"] for manager in managers)
    for manager in managers:
        row = table.record("TaskManager ID", manager["id"])
        assert (row["Path"], row["All Slots"], row["Free Slots"]) == (
            manager["path"], "2", str(manager["freeSlots"]))
    assert sorted(table.column("Free Slots")) == ["0", "0", "1"]
    assert section.paragraphs == ["1 of 6 slots free"]


def test_job_names_are_shown_as_text(session):
    response = session.http.request("GET", f"/app/{session.application_id}",
                                    settle=lambda: session.flink.advance(0.01))
    assert b"<img src=x" not in response.body
    assert b"&lt;img src=x onerror=alert(1)&gt; job" in response.body


def test_a_cancelled_job_shows_as_canceled_and_frees_its_slots(session):
    session.flink.run(session.session.cancel(session.second))
    assert session.flink.run_until(
        lambda: session.endpoint.get_job_status(str(session.second))["status"] == "CANCELED")
    assert session.flink.run_until(
        lambda: session.endpoint.get_overview()["slots-available"] >= 4, seconds=120)
    page = session.app_page()
    jobs = page.section("Flink Jobs").tables[0]
    assert jobs.record("Job ID", str(session.second))["Status"] == "CANCELED"
    assert jobs.record("Job ID", str(session.first))["Status"] == "RUNNING"
    fields = page.section("Flink Cluster").fields
    assert (fields["Running Jobs"], fields["Cancelled Jobs"]) == ("1", "1")
    assert page.section("Flink Jobs").table(
        f"Second ({session.second}): CANCELED").column("Status") == ["CANCELED"]


def test_a_finished_session_has_no_flink_panels(session):
    session.flink.run(session.session.shutdown_cluster())
    assert run_until_ended(session.flink, session.application_id) == ("FINISHED", "SUCCEEDED")
    page = session.app_page()
    assert page.titles() == ["Application Overview", "Application Attempts", "Containers"]
    assert session.page("/").section("Applications").table().notes == {}


def test_only_a_running_flink_cluster_has_panels(session):
    panels = session.panels
    report = session.report()
    for other in (attrs.evolve(report, yarn_application_state=YarnApplicationState.ACCEPTED),
                  attrs.evolve(report, original_tracking_url="N/A"),
                  attrs.evolve(report, application_type="YARN",
                               original_tracking_url="http://node-0:1")):
        assert panels.summary(other) is None and panels.panels(other) is None
    # Another application type, but a Flink REST endpoint at its tracking URL: a Flink cluster.
    custom = attrs.evolve(report, application_type="Streaming platform")
    summary = session.flink.run(panels.summary(custom))
    assert summary == "2 jobs running · 3 TaskManagers · 1 of 6 slots free"


def test_a_jobmanager_that_cannot_be_reached_fails_the_panels(session):
    gone = attrs.evolve(session.report(), original_tracking_url="http://node-0:1")
    with pytest.raises(ConnectionRefusedError):
        session.flink.run(session.panels.panels(gone))
    with pytest.raises(ConnectionRefusedError):
        session.flink.run(session.panels.summary(gone))
