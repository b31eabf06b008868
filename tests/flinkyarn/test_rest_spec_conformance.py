"""
Every endpoint of the issue's list, answering success and error, through the RM web proxy of an
in-process session (``/proxy/<applicationId>/…``, with and without ``/v1``), each answer checked
against Flink's REST spec (:mod:`tests.flinkyarn.rest_spec`, by the ``flink_rest_answers``
fixture of ``conftest.py``).
"""

import json

from twisted.internet.task import Clock
from twisted.web.resource import Resource
from twisted.web.server import Site

from flinkyarn.rest import flink_rest_proxy_targets
from flinkyarn.rest.job_submit import job_submit_request
from flinkyarn.states import JobStatus
from tests.flinkyarn.flink_harness import (
    bounded_job,
    fail_subtask,
    job_master,
    run_until_ended,
    session_cluster,
    unbounded_job,
)
from tests.http_harness import HttpClient
from yarnemu.web.proxy import WebProxyResource

UNKNOWN = "0123456789abcdef0123456789abcdef"

#: (operationId, status) of every answer the test must see: the issue's endpoints.
EXPECTED = {
    ("getDashboardConfiguration", 200), ("getClusterOverview", 200),
    ("getJobIdsWithStatusesOverview", 200), ("getJobsOverview", 200),
    ("getJobDetails", 200), ("getJobDetails", 404), ("getJobDetails", 400),
    ("getJobStatusInfo", 200), ("getJobStatusInfo", 500),
    ("getJobExceptions", 200), ("getJobExceptions", 404), ("getJobExceptions", 400),
    ("getJobConfig", 200), ("getJobConfig", 404),
    ("getCheckpointingStatistics", 200), ("getCheckpointingStatistics", 404),
    ("getTaskManagers", 200), ("getTaskManagerDetails", 200), ("getTaskManagerDetails", 404),
    ("getClusterConfigurationInfo", 200),
    ("cancelJob", 202), ("cancelJob", 404), ("cancelJob", 308),
    ("triggerStopWithSavepoint", 202), ("triggerStopWithSavepoint", 400),
    ("getSavepointStatus", 200), ("getSavepointStatus", 404), ("getSavepointStatus", 400),
    ("submitJob", 202), ("submitJob", 400), ("submitJob", 500),
    ("shutdownCluster", 200),
}


class ThroughTheProxy:
    """The session's JobManager REST API as a client outside the cluster sees it."""

    def __init__(self, flink, application_id):
        self.flink = flink
        root = Resource()
        root.putChild(b"proxy", WebProxyResource(flink.rm.client_service,
                                                 flink_rest_proxy_targets(flink.yarn.network)))
        self.http = HttpClient(Site(root, reactor=Clock(), parsePOSTFormSubmission=False))
        self.base = f"/proxy/{application_id}"

    def request(self, method, path, body=b"", headers=None):
        response = self.flink.run(self.http.start_request(method, self.base + path, body,
                                                          headers), seconds=60)
        return response.status, response.json()

    def both(self, method, path):
        """:return: the answers to ``path`` and to ``/v1<path>``."""
        return self.request(method, path), self.request(method, "/v1" + path)

    def submit(self, graph=None, content_type_and_body=None):
        content_type, data = content_type_and_body or job_submit_request(graph.to_bytes())
        return self.request("POST", "/jobs", data, {"Content-Type": content_type})

    def stop(self, job, body):
        return self.request("POST", f"/jobs/{job}/stop", json.dumps(body).encode(),
                            {"Content-Type": "application/json"})


def test_every_endpoint_answers_in_the_shape_of_flinks_spec(tmp_path, flink_rest_answers):
    flink, session = session_cluster(tmp_path, {
        "execution.checkpointing.interval": "1 s",
        "restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.attempts": "5"})
    app = session.application_id
    rest = ThroughTheProxy(flink, app)

    # Two jobs: one that finishes, one that runs until stopped; a third to cancel.
    short, endless, cancelled = (bounded_job("short", records=2_000), unbounded_job("endless"),
                                 unbounded_job("cancelled"))
    for graph in (short, endless, cancelled):
        assert rest.submit(graph) == (202, {"jobUrl": f"/jobs/{graph.job_id}"})
    job = str(endless.job_id)
    master = job_master(flink, app, endless.job_id)
    assert flink.run_until(lambda: all(e.state.value == "RUNNING"
                                       for e in master.graph.current_executions()))
    fail_subtask(flink, master, 0)
    assert flink.run_until(lambda: master.checkpoints.counts["completed"] >= 2
                           and job_master(flink, app, short.job_id).status
                           is JobStatus.FINISHED)

    for path in ("/config", "/overview", "/jobs", "/jobs/overview", f"/jobs/{job}",
                 f"/jobs/{job}/status", f"/jobs/{job}/exceptions", f"/jobs/{job}/config",
                 f"/jobs/{job}/checkpoints", "/taskmanagers", "/jobmanager/config"):
        (status, body), (status_v1, body_v1) = rest.both("GET", path)
        assert (status, status_v1) == (200, 200), (path, body)
        assert body.keys() == body_v1.keys() if isinstance(body, dict) else body == body_v1
    assert rest.request("GET", f"/jobs/{job}/exceptions")[1]["exceptionHistory"]["entries"]
    managers = rest.request("GET", "/taskmanagers")[1]["taskmanagers"]
    assert rest.request("GET", f"/taskmanagers/{managers[0]['id']}")[0] == 200

    # Stop with a savepoint: accepted, in progress, completed; and one that fails.
    status, trigger = rest.stop(job, {"targetDirectory": "hdfs:///savepoints"})
    assert status == 202
    savepoint_status = f"/jobs/{job}/savepoints/{trigger['request-id']}"
    assert rest.request("GET", savepoint_status) == (200, {"status": {"id": "IN_PROGRESS"}})
    assert flink.run_until(lambda: master.status is JobStatus.FINISHED)
    status, body = rest.request("GET", savepoint_status)
    assert status == 200 and "location" in body["operation"]
    status, trigger = rest.stop(UNKNOWN, {"targetDirectory": "/savepoints"})
    status, body = rest.request("GET", f"/jobs/{UNKNOWN}/savepoints/{trigger['request-id']}")
    assert status == 200 and "failure-cause" in body["operation"]
    status, body = rest.request("GET", f"/jobs/{job}/checkpoints")
    assert body["latest"]["savepoint"]["is_savepoint"] is True
    assert rest.request("GET", f"/jobs/{job}/execution-result")[0] == 200

    assert rest.request("PATCH", f"/jobs/{cancelled.job_id}?mode=cancel") == (202, {})

    # Errors, each in Flink's {"errors": [...]} shape.
    for method, path in (("GET", f"/jobs/{UNKNOWN}"), ("GET", "/jobs/nope"),
                         ("GET", f"/jobs/{UNKNOWN}/status"),
                         ("GET", f"/jobs/{UNKNOWN}/exceptions"),
                         ("GET", f"/jobs/{job}/exceptions?maxExceptions=x"),
                         ("GET", f"/jobs/{UNKNOWN}/config"),
                         ("GET", f"/jobs/{UNKNOWN}/checkpoints"),
                         ("GET", f"/taskmanagers/{UNKNOWN}"), ("PATCH", f"/jobs/{UNKNOWN}"),
                         ("PATCH", f"/jobs/{UNKNOWN}?mode=stop"),
                         ("GET", f"/jobs/{job}/savepoints/{UNKNOWN}"),
                         ("GET", f"/jobs/{job}/savepoints/nope"), ("GET", "/no/such/path")):
        status, body = rest.request(method, path)
        assert status >= 300 and body["errors"], (method, path, status, body)
    assert rest.stop(job, {"drain": False})[0] == 400
    assert rest.submit(content_type_and_body=("multipart/form-data; boundary=x",
                                              b"--x\r\nbroken"))[0] == 500
    assert rest.submit(content_type_and_body=job_submit_request(b"not a graph"))[0] == 400

    assert rest.request("DELETE", "/cluster") == (200, {})
    assert run_until_ended(flink, app) == ("FINISHED", "SUCCEEDED")

    seen = flink_rest_answers.operations()
    assert EXPECTED - seen == set()
    assert flink_rest_answers.violations == []
