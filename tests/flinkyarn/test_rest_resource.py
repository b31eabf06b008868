"""
Tests for :mod:`flinkyarn.rest.resource`: a real session cluster's JobManager REST endpoint served
over HTTP by :class:`FlinkRestResource` (through :func:`flink_rest_proxy_targets`, and behind the
RM web proxy), driven with raw HTTP requests on the cluster's virtual clock.
"""

import json

import pytest
from twisted.internet.defer import fail, succeed
from twisted.internet.task import Clock
from twisted.web.resource import Resource
from twisted.web.server import Site

from flinkyarn.rest import FlinkRestResource, flink_rest_proxy_targets
from flinkyarn.rest.job_submit import job_submit_request
from flinkyarn.rest.multipart import FormPart, encode_form_data
from flinkyarn.runtime.gateways import RestHandlerException
from tests.flinkyarn.flink_harness import (
    all_tasks_running,
    bounded_job,
    run_until_ended,
    session_cluster,
    unbounded_job,
)
from tests.http_harness import HttpClient
from yarnemu.network import ConnectionRefusedError
from yarnemu.web.proxy import WebProxyResource

UNKNOWN_JOB = "0123456789abcdef0123456789abcdef"


def site(resource):
    return Site(resource, reactor=Clock(), parsePOSTFormSubmission=False)


class Served:
    """A session cluster and its JobManager's REST API served over HTTP in memory."""

    def __init__(self, tmp_path):
        self.flink, self.session = session_cluster(tmp_path)
        self.application_id = self.session.application_id
        self.target_for = flink_rest_proxy_targets(self.flink.yarn.network)
        self.resource = self.target_for(self.session.host, self.session.port)
        self.http = HttpClient(site(self.resource))

    @property
    def endpoint(self):
        return self.flink.job_manager(self.application_id).rest

    def request(self, method, path, body=b"", headers=None):
        return self.flink.run(self.http.start_request(method, path, body, headers), seconds=60)

    def get(self, path):
        return self.request("GET", path)

    def submit(self, job_graph):
        content_type, body = job_submit_request(job_graph.to_bytes())
        return self.request("POST", "/jobs", body, {"Content-Type": content_type})


@pytest.fixture
def served(tmp_path):
    return Served(tmp_path)


def errors(response):
    return response.status, response.json()["errors"]


def test_a_call_answers_the_endpoints_json_with_flinks_headers(served):
    """``GET /config`` is the endpoint's DashboardConfiguration, as Flink's JSON, with CORS."""
    response = served.get("/config")
    assert response.status == 200
    assert response.json() == served.endpoint.get_config()
    assert response.header("content-type") == "application/json; charset=UTF-8"
    assert response.header("access-control-allow-origin") == "*"
    assert int(response.header("content-length")) == len(response.body)
    assert served.get("/v1/config").json() == response.json()


def test_a_submitted_job_runs_and_every_job_view_is_served(served):
    """POST /jobs is 202 with the job URL; the job's views match the endpoint's own answers."""
    graph = bounded_job("over http", records=5_000)
    response = served.submit(graph)
    assert response.status == 202
    assert response.json() == {"jobUrl": f"/jobs/{graph.job_id}"}
    job = str(graph.job_id)
    endpoint = served.endpoint
    assert served.get("/jobs").json() == endpoint.get_jobs() == {
        "jobs": [{"id": job, "status": "RUNNING"}]}
    assert served.get(f"/v1/jobs/{job}/status").json() == {"status": "RUNNING"}
    assert served.get(f"/jobs/{job}/config").json() == endpoint.get_job_config(job)
    assert served.get(f"/jobs/{job}/checkpoints").json() == endpoint.get_job_checkpoints(job)
    assert served.get(f"/jobs/{job}/metrics?get=numRestarts").json() == {
        "metrics": [{"id": "numRestarts", "value": "0"}]}
    assert served.get(f"/jobs/{job}/exceptions?maxExceptions=1").json() == (
        endpoint.get_job_exceptions(job, 1))
    assert served.get("/jobmanager/config").json() == endpoint.get_jobmanager_config()
    assert served.flink.run_until(lambda: all_tasks_running(endpoint, job))
    managers = served.get("/taskmanagers").json()["taskmanagers"]
    assert [manager["id"] for manager in managers] == [
        manager["id"] for manager in endpoint.get_taskmanagers()["taskmanagers"]]
    detail = served.get(f"/taskmanagers/{managers[0]['id']}").json()
    assert detail["id"] == managers[0]["id"] and "allocatedSlots" in detail
    overview = served.get("/overview").json()
    assert (overview["taskmanagers"], overview["slots-total"], overview["jobs-running"]) == (
        2, 2, 1)
    assert served.get(f"/jobs/{job}").json()["name"] == "over http"
    assert [entry["jid"] for entry in served.get("/jobs/overview").json()["jobs"]] == [job]
    assert served.flink.run_until(
        lambda: endpoint.get_job_status(job)["status"] == "FINISHED")
    result = served.get(f"/jobs/{job}/execution-result").json()
    assert result["status"] == {"id": "COMPLETED"}
    assert result["job-execution-result"]["applicationStatus"] == "SUCCEEDED"


def test_cancelling_a_job_is_accepted_and_cancels_it(served):
    """PATCH /jobs/{id}?mode=cancel is 202 with ``{}``; the job ends CANCELED."""
    graph = unbounded_job("endless")
    served.submit(graph)
    response = served.request("PATCH", f"/jobs/{graph.job_id}?mode=cancel")
    assert (response.status, response.json()) == (202, {})
    assert served.flink.run_until(
        lambda: served.endpoint.get_job_status(str(graph.job_id))["status"] == "CANCELED")


def test_the_root_is_a_dashboard_page_of_the_overview_and_jobs(served):
    """
    ``/`` (where YARN's ApplicationMaster link lands through the proxy) is an HTML page with the
    overview, every job with its state, and relative links to the REST API; names are escaped.
    """
    graph = unbounded_job("<b>Clicks</b> & more", parallelism=1)
    served.submit(graph)
    served.flink.run_until(lambda: all_tasks_running(served.endpoint, str(graph.job_id)))
    response = served.get("/")
    assert response.status == 200
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    page = response.body.decode("utf-8")
    assert f'<a href="jobs/{graph.job_id}">{graph.job_id}</a>' in page
    assert "<td>&lt;b&gt;Clicks&lt;/b&gt; &amp; more</td><td>RUNNING</td>" in page
    assert "<tr><th>Running jobs</th><td>1</td></tr>" in page
    assert '<a href="overview">/overview</a>' in page
    assert '<meta http-equiv="refresh" content="5">' in page


def test_unknown_paths_are_flinks_not_found(served):
    """A path no handler serves, or a known one with another method, is 404 ``Not found``."""
    assert errors(served.get("/nothing/here?x=1")) == (404, ["Not found: /nothing/here?x=1"])
    assert errors(served.get("/cluster")) == (404, ["Not found: /cluster"])
    assert errors(served.request("DELETE", "/v1/jobs")) == (404, ["Not found: /v1/jobs"])


def test_handler_errors_keep_their_status_and_message(served):
    """Bad ids, unknown jobs and the removed stop mode answer as Flink's handlers do."""
    assert errors(served.get("/jobs/nope")) == (400, [
        'Bad request, could not parse parameters: Cannot resolve path parameter (jobid) from '
        'value "nope".'])
    assert errors(served.get(f"/jobs/{UNKNOWN_JOB}")) == (404, [f"Job {UNKNOWN_JOB} not found"])
    status, messages = errors(served.get(f"/jobs/{UNKNOWN_JOB}/status"))
    assert status == 500 and messages[0] == "Internal server error."
    assert errors(served.get(f"/taskmanagers/{UNKNOWN_JOB}")) == (
        404, [f"Could not find TaskExecutor {UNKNOWN_JOB}."])
    assert errors(served.get(f"/jobs/{UNKNOWN_JOB}/exceptions?maxExceptions=many"))[0] == 400
    status, messages = errors(served.request("PATCH", f"/jobs/{UNKNOWN_JOB}?mode=stop"))
    assert status == 308 and messages[0].startswith('The termination mode "stop" has been')
    assert errors(served.request("PATCH", f"/jobs/{UNKNOWN_JOB}")) == (
        404, ["Job could not be found."])


def test_bad_job_submissions_are_refused_and_run_nothing(served):
    """A broken body, a missing JobGraph file or a JobGraph that does not decode submits nothing."""
    assert errors(served.request(
        "POST", "/jobs", b"--B\r\nbroken", {"Content-Type": "multipart/form-data; boundary=B"})
    ) == (500, ["File upload failed."])
    content_type, body = encode_form_data([FormPart(
        "request", json.dumps({"jobGraphFileName": "g.bin"}).encode())])
    assert errors(served.request("POST", "/jobs", body, {"Content-Type": content_type})) == (
        400, ["JobGraph file g.bin could not be found on the server."])
    content_type, body = job_submit_request(b"not a job graph")
    assert errors(served.request("POST", "/jobs", body, {"Content-Type": content_type})) == (
        400, ["Failed to deserialize JobGraph."])
    assert served.get("/jobs").json() == {"jobs": []}


def test_deleting_the_cluster_shuts_the_session_down(served):
    """DELETE /cluster is 200 with ``{}``; the application ends FINISHED/SUCCEEDED and then
    nothing listens at the JobManager's address any more."""
    response = served.request("DELETE", "/cluster")
    assert (response.status, response.json()) == (200, {})
    assert run_until_ended(served.flink, served.application_id) == ("FINISHED", "SUCCEEDED")
    assert served.target_for(served.session.host, served.session.port) is None


def test_a_jobmanager_gone_after_the_hand_over_is_the_proxys_connection_error(served):
    """A resource whose JobManager has gone answers the web proxy's 500 connection page."""
    served.request("DELETE", "/cluster")
    run_until_ended(served.flink, served.application_id)
    response = served.get("/overview")
    assert response.status == 500
    assert response.header("content-type").startswith("text/html")
    assert b"java.net.ConnectException" in response.body


def test_the_web_proxy_serves_the_jobmanager_through_the_rm(served):
    """``/proxy/<app>/…`` reaches the JobManager's REST API; once it has ended, it redirects."""
    root = Resource()
    root.putChild(b"proxy", WebProxyResource(served.flink.rm.client_service, served.target_for))
    rm = HttpClient(site(root))
    base = f"/proxy/{served.application_id}"
    response = served.flink.run(rm.start_request("GET", f"{base}/v1/jobs"))
    assert (response.status, response.json()) == (200, {"jobs": []})
    graph = bounded_job("via proxy", records=1_000)
    content_type, body = job_submit_request(graph.to_bytes())
    response = served.flink.run(rm.start_request("POST", f"{base}/jobs", body,
                                                 {"Content-Type": content_type}))
    assert (response.status, response.json()) == (202, {"jobUrl": f"/jobs/{graph.job_id}"})
    response = served.flink.run(rm.start_request("GET", f"{base}/nothing?a=b"))
    assert errors(response) == (404, ["Not found: /nothing?a=b"])
    served.flink.run(rm.start_request("DELETE", f"{base}/cluster"))
    run_until_ended(served.flink, served.application_id)
    response = rm.get(f"{base}/jobs")
    assert response.status == 302
    assert response.header("location") == (
        f"http://{served.session.host}:{served.session.port}/jobs")


# -- Without a cluster: how call outcomes are answered ---------------------------------------------

def answered_with(outcome):
    resource = FlinkRestResource(lambda method, args: outcome)
    return HttpClient(site(resource)).get("/overview")


def test_a_call_the_endpoint_does_not_have_is_not_found():
    """``NotImplementedError`` from the call is a 404, as a path Flink does not serve."""
    assert errors(answered_with(fail(NotImplementedError("get_overview")))) == (
        404, ["Not found: /overview"])


def test_an_unmapped_exception_is_flinks_internal_server_error():
    """Any other error is 500 ``Internal server error.`` with the server-side exception."""
    status, messages = errors(answered_with(fail(ValueError("boom"))))
    assert status == 500 and messages[0] == "Internal server error."
    assert "java.lang.ValueError: boom" in messages[1]


def test_a_rest_handler_exception_keeps_its_details():
    """The handler's status, message and details make the ``errors`` list."""
    error = RestHandlerException(503, "starting", ["detail"])
    assert errors(answered_with(fail(error))) == (503, ["starting", "detail"])


def test_the_call_gets_the_endpoint_method_and_arguments():
    """The resource calls ``call(method, args)`` and serves what it returns."""
    calls = []

    def call(method, args):
        calls.append((method, args))
        return succeed({"metrics": []} if method == "get_job_metrics" else {})

    http = HttpClient(site(FlinkRestResource(call)))
    assert http.get(f"/jobs/{UNKNOWN_JOB}/metrics?get=a&get=b").json() == {"metrics": []}
    assert http.request("PATCH", f"/v1/jobs/{UNKNOWN_JOB}?mode=CANCEL").status == 202
    assert calls == [("get_job_metrics", (UNKNOWN_JOB, "a,b")), ("cancel_job", (UNKNOWN_JOB,))]


def test_a_connection_error_of_the_call_is_the_proxys_page():
    """A refused connection of the in-process network answers as the web proxy does."""
    response = answered_with(fail(ConnectionRefusedError("Connection refused: jm:1234")))
    assert response.status == 500
    assert b"Connection refused: jm:1234" in response.body
