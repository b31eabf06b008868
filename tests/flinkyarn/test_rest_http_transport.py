"""
Tests for :mod:`flinkyarn.rest.http_transport`: the requests :class:`RestOverHttp` sends and how it
reads answers (against a scripted HTTP client), and Flink's ``ClusterClient`` over it through the
RM web proxy to an in-process session cluster, end to end.
"""

import json

import pytest
from twisted.internet import error as internet_error
from twisted.internet.defer import fail, succeed
from twisted.internet.task import Clock
from twisted.python.failure import Failure
from twisted.web.client import ResponseFailed
from twisted.web.resource import Resource
from twisted.web.server import Site
from zope.interface import implementer
from zope.interface.verify import verifyObject

from flinkyarn.api import StreamExecutionEnvironment
from flinkyarn.client import ClusterClient
from flinkyarn.client.client_log import ClientLog
from flinkyarn.config import Configuration
from flinkyarn.examples import BUILTIN_PROGRAMS
from flinkyarn.ids import IdGenerator
from flinkyarn.rest import IRestTransport, RestOverHttp, flink_rest_proxy_targets
from flinkyarn.rest.job_submit import read_job_submit_request
from flinkyarn.runtime.gateways import RestHandlerException
from flinkyarn.states import ApplicationStatus, JobStatus
from tests.flinkyarn.flink_harness import flink_on_yarn, run_until_ended, unbounded_job
from tests.http_harness import InMemoryHttpClient
from yarnemu.client.http import HttpResponse, IHttpClient
from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH
from yarnemu.network import ConnectionClosedError, ConnectionRefusedError
from yarnemu.web.proxy import WebProxyResource

JOB = "fd72014d4c864993a2e5a9287b4a9c5d"
BASE = "http://rm:8088/proxy/application_1_0001"


@implementer(IHttpClient)
class Scripted:
    """An HTTP client that records requests and answers each with the next scripted outcome."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.requests = []

    def request(self, method, url, body=None, headers=None):
        self.requests.append((method, url, body, dict(headers or {})))
        outcome = self.outcomes.pop(0)
        return fail(outcome) if isinstance(outcome, Exception) else succeed(outcome)


def json_response(status, value):
    return HttpResponse(status, {"Content-Type": ["application/json; charset=UTF-8"]},
                        json.dumps(value).encode())


def result_of(deferred):
    outcome = []
    deferred.addBoth(outcome.append)
    assert outcome, "the Deferred did not fire"
    if isinstance(outcome[0], Failure):
        outcome[0].raiseException()
    return outcome[0]


def call(outcome, method, *args, base=BASE + "/"):
    http = Scripted(outcome)
    value = result_of(RestOverHttp(http, base).call(method, *args))
    return value, http.requests[0]


def test_it_is_a_rest_transport():
    """RestOverHttp provides IRestTransport."""
    assert verifyObject(IRestTransport, RestOverHttp(Scripted(), BASE))


@pytest.mark.parametrize("method, args, expected", [
    ("get_overview", (), ("GET", f"{BASE}/overview")),
    ("get_job_status", (JOB,), ("GET", f"{BASE}/jobs/{JOB}/status")),
    ("get_job_metrics", (JOB, "a,b"), ("GET", f"{BASE}/jobs/{JOB}/metrics?get=a%2Cb")),
    ("get_job_exceptions", (JOB, None), ("GET", f"{BASE}/jobs/{JOB}/exceptions")),
    ("get_job_exceptions", (JOB, 5), ("GET", f"{BASE}/jobs/{JOB}/exceptions?maxExceptions=5")),
    ("get_taskmanager", ("container 1/2",), ("GET", f"{BASE}/taskmanagers/container%201%2F2")),
    ("cancel_job", (JOB,), ("PATCH", f"{BASE}/jobs/{JOB}?mode=cancel")),
    ("shutdown_cluster", (), ("DELETE", f"{BASE}/cluster")),
])
def test_each_call_is_its_flink_request(method, args, expected):
    """The method, path and query of each call are Flink's; no body is sent."""
    value, (sent_method, url, body, headers) = call(json_response(200, {"x": 1}), method, *args)
    assert value == {"x": 1}
    assert (sent_method, url) == expected
    assert body is None and headers["Accept"] == "application/json"


def test_a_job_submission_is_a_multipart_post():
    """``submit_job`` posts the JobGraph bytes as Flink's JobSubmitHandler reads them."""
    value, (method, url, body, headers) = call(
        json_response(202, {"jobUrl": f"/jobs/{JOB}"}), "submit_job", b"\x00graph")
    assert value == {"jobUrl": f"/jobs/{JOB}"}
    assert (method, url) == ("POST", f"{BASE}/jobs")
    assert read_job_submit_request(headers["Content-Type"], body).job_graph_bytes() == b"\x00graph"


def test_an_empty_success_body_is_an_empty_object():
    """A 2xx without a body (a cancellation's 202) reads as ``{}``."""
    assert call(HttpResponse(202, {}, b""), "cancel_job", JOB)[0] == {}


def test_flink_errors_are_rest_handler_exceptions():
    """``{"errors": [...]}`` becomes the status, the message and the details."""
    with pytest.raises(RestHandlerException) as raised:
        call(json_response(404, {"errors": ["Job x not found", "detail"]}), "get_job", JOB)
    assert (raised.value.status, raised.value.message, raised.value.details) == (
        404, "Job x not found", ("detail",))
    with pytest.raises(RestHandlerException) as raised:
        call(json_response(503, {"errors": ["starting"]}), "get_overview")
    assert raised.value.status == 503


@pytest.mark.parametrize("response", [
    HttpResponse(302, {"Location": ["http://rm:8088/cluster/app/application_1_0001"]},
                 b"<html><h1>Moved</h1></html>"),
    HttpResponse(500, {"Content-Type": ["text/html"]},
                 b"<html><h2>HTTP ERROR 500 java.net.ConnectException</h2></html>"),
])
def test_an_answer_not_from_a_jobmanager_is_a_connection_problem(response):
    """The proxy's redirect or error page means the JobManager was not reached."""
    with pytest.raises(ConnectionRefusedError) as raised:
        call(response, "get_overview")
    assert f"{BASE}/overview" in raised.value.message


def test_other_plain_text_answers_are_flinks_not_valid_json_error():
    """A 4xx page (the proxy's unknown application) is ``Response was not valid JSON``."""
    page = b"<html><h1>Application application_1_0001 could not be found</h1></html>"
    with pytest.raises(RestHandlerException) as raised:
        call(HttpResponse(404, {}, page), "get_overview")
    assert raised.value.status == 404
    assert raised.value.message == ("Response was not valid JSON, but plain-text: "
                                    "Application application_1_0001 could not be found")


@pytest.mark.parametrize("error, expected", [
    (internet_error.ConnectionRefusedError("refused"), ConnectionRefusedError),
    (internet_error.TCPTimedOutError("timed out"), ConnectionRefusedError),
    (internet_error.DNSLookupError("rm"), ConnectionRefusedError),
    (ResponseFailed([Failure(internet_error.ConnectionLost())]), ConnectionClosedError),
    (internet_error.ConnectionLost(), ConnectionClosedError),
])
def test_connection_failures_are_the_networks_connection_errors(error, expected):
    """Not connecting is a refused connection; losing it on the way, a closed one."""
    with pytest.raises(expected):
        call(error, "get_overview")


def test_other_failures_pass_through_and_unknown_calls_are_not_implemented():
    """An unrelated error is not disguised; a call no route has fails NotImplementedError."""
    with pytest.raises(KeyError):
        call(KeyError("x"), "get_overview")
    with pytest.raises(NotImplementedError):
        result_of(RestOverHttp(Scripted(), BASE).call("get_jars"))


def test_cluster_client_retries_the_http_transports_connection_problems():
    """With nothing listening, ClusterClient retries ``rest.retry.max-attempts`` times,
    ``rest.retry.delay`` apart, then fails with the connection error."""
    clock = VirtualClock(DEFAULT_EPOCH)
    nowhere = Scripted(*[internet_error.ConnectionRefusedError("refused")] * 3)
    client = ClusterClient(
        "application_1_0001", "jm-host", 8081, RestOverHttp(nowhere, BASE), clock,
        ClientLog(None), configuration=Configuration({"rest.retry.max-attempts": "2",
                                                      "rest.retry.delay": "500"}))
    outcome = []
    client.list_jobs().addBoth(outcome.append)
    clock.advance(0.9)
    assert not outcome and len(nowhere.requests) == 2
    clock.advance(0.2)
    assert outcome[0].check(ConnectionRefusedError)
    assert len(nowhere.requests) == 3


# -- End to end: ClusterClient → RestOverHttp → RM web proxy → FlinkRestResource → JobManager --

RM_ADDRESS = "127.0.0.1:8088"


class ThroughTheProxy:
    """A FlinkOnYarn cluster whose clients reach JobManagers only over HTTP via the RM proxy."""

    def __init__(self, tmp_path, flink_config=None, yarn_config=None):
        self.flink = flink_on_yarn(tmp_path, flink_config=flink_config, yarn_config=yarn_config)
        root = Resource()
        root.putChild(b"proxy", WebProxyResource(
            self.flink.rm.client_service, flink_rest_proxy_targets(self.flink.yarn.network)))
        self.http = InMemoryHttpClient({RM_ADDRESS: Site(root, reactor=Clock(),
                                                         parsePOSTFormSubmission=False)})
        self.descriptor = self.flink.descriptor()
        self.descriptor.rest_transports = self.transport

    def transport(self, application_id, host, port):
        return RestOverHttp(self.http, f"http://{RM_ADDRESS}/proxy/{application_id}")

    def deploy_session(self):
        return self.flink.run(self.descriptor.deploy_session_cluster(self.flink.specification()))


def wordcount_graph():
    """:return: the JobGraph the built-in WordCount program builds (20 000 lines)."""
    graphs = []

    class Collecting:
        def execute(self, job_graph):
            graphs.append(job_graph)
            return job_graph.job_id

        execute_async = execute

    uninstall = StreamExecutionEnvironment.install_context(
        lambda configuration: StreamExecutionEnvironment(
            {"parallelism.default": 2}, Collecting(), IdGenerator(7)))
    try:
        BUILTIN_PROGRAMS["wordcount"](["--records", "20000"])
    finally:
        uninstall()
    return graphs[0]


def test_a_cluster_client_over_http_runs_lists_cancels_and_shuts_down(tmp_path):
    """
    Through the RM web proxy a ClusterClient submits WordCount and gets its result FINISHED,
    lists the jobs, cancels an endless one, reads a metric and shuts the session down.
    """
    setup = ThroughTheProxy(tmp_path)
    flink = setup.flink
    client = setup.deploy_session()
    app = client.application_id
    assert isinstance(client.transport, RestOverHttp)

    wordcount = wordcount_graph()
    job_id = flink.run(client.submit_job(wordcount))
    assert job_id == wordcount.job_id
    result = flink.run(client.request_job_result(job_id))
    assert (result.job_status, result.application_status) == (
        JobStatus.FINISHED, ApplicationStatus.SUCCEEDED)
    assert result.job_name == "WordCount"

    endless = flink.run(client.submit_job(unbounded_job("endless")))
    jobs = {job.job_id: (job.job_name, job.job_state) for job in flink.run(client.list_jobs())}
    assert jobs == {job_id: ("WordCount", JobStatus.FINISHED),
                    endless: ("endless", JobStatus.RUNNING)}
    assert flink.run(client.get_job_metrics(endless, "numRestarts")) == {"numRestarts": "0"}
    assert flink.run(client.cancel(endless)) is None
    assert flink.run(client.request_job_result(endless)).job_status is JobStatus.CANCELED
    with pytest.raises(RestHandlerException) as raised:
        flink.run(client.get_job_status("not-a-job-id"))
    assert raised.value.status == 400

    flink.run(client.shutdown_cluster())
    assert run_until_ended(flink, app) == ("FINISHED", "SUCCEEDED")
    sent = [(method, url.split(f"/proxy/{app}", 1)[1]) for method, url in setup.http.requests]
    assert ("POST", "/jobs") in sent
    assert ("PATCH", f"/jobs/{endless}?mode=cancel") in sent
    assert sent[-1] == ("DELETE", "/cluster")
    assert all(url.startswith(f"http://{RM_ADDRESS}/proxy/{app}/")
               for _, url in setup.http.requests)


def test_over_the_proxy_the_client_rides_out_a_jobmanager_restart(tmp_path):
    """
    When the JobManager's container dies and YARN starts a second attempt, the proxy answers
    with a redirect or a connection error until the new JobManager registered; the client
    retries those as connection problems and then reaches the new JobManager.
    """
    setup = ThroughTheProxy(tmp_path, flink_config={"yarn.application-attempts": "2"},
                            yarn_config={"yarn.resourcemanager.am.max-attempts": "2"})
    flink = setup.flink
    client = setup.deploy_session()
    app = client.application_id
    first = flink.application_report(app).current_application_attempt_id
    flink.kill_container(flink.rm.apps[app].current_attempt.master_container.container_id)
    answers = []
    setup.http.request = _recording(setup.http.request, answers)

    assert flink.run(client.list_jobs()) == []
    report = flink.application_report(app)
    assert report.current_application_attempt_id != first
    assert (report.host, report.rpc_port) != (client.host, client.port)
    assert len(answers) > 1
    assert all(answer in (302, 500) for answer in answers[:-1])
    assert answers[-1] == 200


def _recording(request, answers):
    """Wrap an IHttpClient's ``request`` to note each answer's status."""
    def recorded(method, url, body=None, headers=None):
        def note(response):
            answers.append(response.status)
            return response

        return request(method, url, body, headers).addCallback(note)

    return recorded
