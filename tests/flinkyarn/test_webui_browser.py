"""
The RM web UI in a real browser: ``twistd -n yarnemu`` runs as another process, a Flink session
with two jobs is deployed onto it over REST and WebHDFS, and headless Chromium loads ``/`` and
the session's page — what it renders (its DOM, no JavaScript involved) shows the cluster's
metrics, the nodes, the session RUNNING, its two jobs with their vertices, parallelism and state,
and its TaskManagers with their slots.  Screenshots of both pages are taken; with
``YARNEMU_UI_SCREENSHOTS=<dir>`` they are kept there as ``yarnemu-ui.png`` and
``yarnemu-ui-app.png``.

Skipped, saying so, only when no Chromium is installed (``.ci/run`` installs Debian's).

These are trial test cases: pytest runs them with the reactor spinning.
"""

import os
import shutil
import subprocess
import tempfile

from twisted.internet import reactor
from twisted.internet.defer import inlineCallbacks

from flinkyarn.client import ClusterSpecification
from tests.flinkyarn.flink_harness import unbounded_job
from tests.flinkyarn.live_service import LiveServiceTestCase
from tests.html_page import read_page
from yarnemu.timers import sleep_ms

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def find_browser():
    """:return: the path of a Chromium (or Chrome) executable, or ``None``."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


BROWSER = find_browser()


def headless(url, *options, timeout=90):
    """
    Run the browser headless on ``url`` with ``options`` (a fresh profile each time).

    :return: its standard output.
    """
    with tempfile.TemporaryDirectory(prefix="yarnemu-chromium-") as profile:
        done = subprocess.run(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
             *options, url],
            capture_output=True, timeout=timeout, cwd=profile)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    return done.stdout.decode("utf-8")


class WebUIInChromiumTests(LiveServiceTestCase):
    timeout = 180
    time_scale = "10"
    if BROWSER is None:
        skip = ("no Chromium installed: install Debian's chromium (apt-get install chromium) to "
                "run the browser test of the web UI")

    @inlineCallbacks
    def session_with_two_jobs(self):
        """:return: ``(cluster client, first job id, second job id)``, every task RUNNING."""
        descriptor = self.descriptor()
        client = yield descriptor.deploy_session_cluster(
            ClusterSpecification.from_configuration(self.config))
        self.addCleanup(client.shutdown_cluster)
        first = yield client.submit_job(unbounded_job("Clickstream enrichment", parallelism=2))
        second = yield client.submit_job(unbounded_job("Fraud detection", parallelism=3))
        url = f"{self.address.rm}/app/{client.application_id}"
        for _ in range(600):
            response = yield self.http.request("GET", url)
            jobs = read_page(response.body).sections
            tasks = [table.column("Tasks") for section in jobs if section.title == "Flink Jobs"
                     for table in section.tables[:1]]
            if tasks and sorted(tasks[0]) == ["2 RUNNING", "3 RUNNING"]:
                break
            yield sleep_ms(reactor, 100)
        else:
            self.fail("the jobs did not get all their tasks running:\n"
                      f"{self.service.log()[-3000:]}")
        return client, first, second

    def screenshot(self, url, name, height):
        path = os.path.join(self.directory, name)
        headless(url, f"--screenshot={path}", f"--window-size=1400,{height}",
                 "--hide-scrollbars")
        with open(path, "rb") as stream:
            self.assertEqual(stream.read(8), PNG_SIGNATURE)
        kept = os.environ.get("YARNEMU_UI_SCREENSHOTS")
        if kept:
            os.makedirs(kept, exist_ok=True)
            shutil.copy(path, os.path.join(kept, name))

    @inlineCallbacks
    def test_a_person_sees_the_cluster_and_a_flink_session_with_two_jobs(self):
        client, first, second = yield self.session_with_two_jobs()
        application_id = str(client.application_id)

        overview = read_page(headless(f"{self.address.rm}/", "--dump-dom"))
        self.assertEqual((overview.title, overview.refresh), ("Cluster Overview", "5"))
        metrics = overview.section("Cluster Metrics")
        applications = metrics.table("Applications").records()[0]
        self.assertEqual((applications["Apps Submitted"], applications["Apps Running"]),
                         ("1", "1"))
        nodes_metrics = metrics.table("Cluster Nodes Metrics").records()[0]
        self.assertEqual((nodes_metrics["Active Nodes"], nodes_metrics["Lost Nodes"]), ("3", "0"))
        resources = metrics.table("Resources").records()[0]
        # The JobManager and three TaskManagers of two slots for 2 + 3 subtasks.
        self.assertEqual(resources["Containers Running"], "4")
        nodes = overview.section("Nodes").table()
        self.assertEqual(len(nodes.rows), 3)
        self.assertEqual(set(nodes.column("Node State")), {"RUNNING"})
        self.assertEqual(sum(int(count) for count in nodes.column("Containers")), 4)
        apps = overview.section("Applications").table()
        row = apps.record("ID", application_id)
        self.assertEqual((row["User"], row["Application Type"], row["State"], row["FinalStatus"],
                          row["Tracking UI"]),
                         ("alice", "Apache Flink", "RUNNING", "UNDEFINED", "ApplicationMaster"))
        self.assertEqual(apps.notes[apps.column("ID").index(application_id)],
                         "Apache Flink: 2 jobs running · 3 TaskManagers · 1 of 6 slots free")
        self.assertIn(("ApplicationMaster", f"/proxy/{application_id}/"), overview.links)
        self.assertIn((application_id, f"/app/{application_id}"), overview.links)

        page = read_page(headless(f"{self.address.rm}/app/{application_id}", "--dump-dom"))
        self.assertEqual(page.titles(), ["Application Overview", "Flink Cluster", "Flink Jobs",
                                         "Flink TaskManagers", "Application Attempts",
                                         "Containers"])
        self.assertEqual(page.section("Application Overview").fields["YarnApplicationState"],
                         "RUNNING")
        jobs = page.section("Flink Jobs")
        listed = jobs.tables[0]
        self.assertEqual(listed.record("Job ID", str(first))["Job Name"], "Clickstream enrichment")
        self.assertEqual(listed.record("Job ID", str(second))["Job Name"], "Fraud detection")
        self.assertEqual(listed.column("Status"), ["RUNNING", "RUNNING"])
        for job_id, name, parallelism in ((first, "Clickstream enrichment", 2),
                                          (second, "Fraud detection", 3)):
            vertices = jobs.table(f"{name} ({job_id}): RUNNING")
            self.assertTrue(vertices.rows)
            self.assertEqual(set(vertices.column("Parallelism")), {str(parallelism)})
            self.assertEqual(set(vertices.column("Status")), {"RUNNING"})
        managers = page.section("Flink TaskManagers")
        self.assertEqual(managers.table().column("All Slots"), ["2", "2", "2"])
        self.assertEqual(sorted(managers.table().column("Free Slots")), ["0", "0", "1"])
        self.assertEqual(managers.paragraphs, ["1 of 6 slots free"])
        containers = page.section("Containers").tables[0]
        # Containers Flink got beyond what it asked for were released: COMPLETE, -100.
        self.assertEqual(containers.column("State").count("RUNNING"), 4)

        self.screenshot(f"{self.address.rm}/", "yarnemu-ui.png", 1000)
        self.screenshot(f"{self.address.rm}/app/{application_id}", "yarnemu-ui-app.png", 2000)
