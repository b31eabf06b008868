"""
Tests for :mod:`yarnemu.web.proxy`: the RM web proxy ``/proxy/<applicationId>/…`` in front of an
unmanaged ApplicationMaster of a mock cluster, with a recording stand-in for the AM's web server,
answering as Hadoop's ``WebAppProxyServlet`` does.
"""

import json

import pytest
from twisted.internet.defer import fail, succeed
from twisted.internet.task import Clock
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET, Site

from tests.http_harness import HttpClient
from yarnemu.errors import ApplicationNotFoundException
from yarnemu.records import FinalApplicationStatus, RMAppState
from yarnemu.testing.mock_cluster import MockCluster
from yarnemu.web.proxy import WebProxyResource

AM_HOST, AM_PORT = "am-host", 4040


class Echo(Resource):
    """An AM web server that answers with what it was asked (later, if ``delay`` is set)."""

    isLeaf = True

    def __init__(self, clock=None, delay=None):
        super().__init__()
        self.clock = clock
        self.delay = delay

    def render(self, request):
        request.content.seek(0)
        seen = {
            "method": request.method.decode(),
            "uri": request.uri.decode(),
            "postpath": [segment.decode() for segment in request.postpath],
            "args": {key.decode(): [value.decode() for value in values]
                     for key, values in sorted(request.args.items())},
            "body": request.content.read().decode(),
            "content-type": (request.getHeader(b"content-type") or b"").decode(),
        }
        request.setResponseCode(201)
        request.setHeader(b"Content-Type", b"application/json")
        body = json.dumps(seen).encode()
        if self.delay is None:
            return body

        def later():
            request.write(body)
            request.finish()

        self.clock.callLater(self.delay, later)
        return NOT_DONE_YET


class Proxied:
    """A mock cluster with one unmanaged AM and the proxy in front of it."""

    def __init__(self, target=None, rm_web_address=None, client=None):
        self.cluster = MockCluster()
        self.cluster.add_node("node-1")
        self.application_id = self.cluster.submit_app(unmanaged=True)
        self.am = self.cluster.launch_am(self.application_id)
        self.target = target if target is not None else Echo()
        self.targets_asked = []
        root = Resource()
        root.putChild(b"proxy", WebProxyResource(
            client if client is not None else self.cluster.rm.client_service,
            self.target_for, rm_web_address))
        self.http = HttpClient(Site(root, reactor=Clock()))

    def target_for(self, host, port):
        self.targets_asked.append((host, port))
        return self.target if (host, port) == (AM_HOST, AM_PORT) else None

    def register(self, tracking_url=f"http://{AM_HOST}:{AM_PORT}"):
        self.am.register(AM_HOST, AM_PORT, tracking_url)
        self.cluster.run_until(lambda: self.state() is RMAppState.RUNNING)

    def state(self):
        return self.cluster.rm.apps[self.application_id].state

    def request(self, method, path, **kw):
        return self.http.request(method, f"/proxy/{self.application_id}{path}",
                                 settle=lambda: self.cluster.advance(100), **kw)


@pytest.fixture
def proxied():
    proxied = Proxied()
    proxied.register()
    return proxied


def page_text(response):
    assert response.header("content-type") == "text/html; charset=UTF-8"
    return response.body.decode()


def test_a_request_reaches_the_am_with_its_path_query_method_and_body(proxied):
    """The AM sees ``<rest>`` and the query, method, body and Content-Type as they were sent."""
    response = proxied.request("POST", "/ws/jobs?x=1&y=", body=b"payload",
                               headers={"Content-Type": "text/plain"})
    assert response.status == 201
    assert response.json() == {
        "method": "POST", "uri": "/ws/jobs?x=1&y=", "postpath": ["ws", "jobs"],
        "args": {"x": ["1"], "y": [""]}, "body": "payload", "content-type": "text/plain"}
    assert proxied.targets_asked == [(AM_HOST, AM_PORT)]


def test_the_rest_of_the_path_reaches_the_am_as_it_was_sent(proxied):
    """Percent-encoded segments stay encoded in the AM's URI and are decoded in its path."""
    seen = proxied.request("GET", "/taskmanagers/a%2Fb%20c").json()
    assert seen["uri"] == "/taskmanagers/a%2Fb%20c"
    assert seen["postpath"] == ["taskmanagers", "a/b c"]


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_every_method_is_forwarded(proxied, method):
    """GET and PUT as in Hadoop, and also PATCH and DELETE (REST APIs behind the proxy)."""
    assert proxied.request(method, "/x").json()["method"] == method


def test_the_tracking_urls_path_and_query_come_first():
    """``<rest>`` is appended to the tracking URL's path; its query precedes the request's."""
    proxied = Proxied()
    proxied.register(tracking_url=f"{AM_HOST}:{AM_PORT}/ui/?token=t")
    seen = proxied.request("GET", "/a/b?x=1").json()
    assert seen["uri"] == "/ui/a/b?token=t&x=1"
    assert seen["postpath"] == ["ui", "a", "b"]
    assert seen["args"] == {"token": ["t"], "x": ["1"]}
    assert proxied.request("GET", "").json()["uri"] == "/ui/?token=t"


def test_an_am_answering_later_is_waited_for():
    """A target that answers after some time is answered through when it does."""
    proxied = Proxied()
    proxied.target = Echo(proxied.cluster.clock, delay=2.5)
    proxied.register()
    started = proxied.cluster.clock.seconds()
    response = proxied.request("GET", "/slow")
    assert response.json()["uri"] == "/slow"
    assert proxied.cluster.clock.seconds() - started >= 2.5


def test_without_an_application_id_the_path_is_not_found(proxied):
    """``/proxy`` alone is 404 ``Your path appears to be formatted incorrectly.``"""
    response = proxied.http.get("/proxy")
    assert response.status == 404
    assert "<h1>Your path appears to be formatted incorrectly.</h1>" in page_text(response)


@pytest.mark.parametrize("text", ["app", "application_x_1", ""])
def test_a_malformed_application_id_is_the_servlets_uncaught_error(proxied, text):
    """Hadoop's ``Apps.toAppID`` throws out of the servlet: Jetty's 500 page."""
    response = proxied.http.get(f"/proxy/{text}/jobs")
    assert response.status == 500
    assert (f"org.apache.hadoop.yarn.exceptions.YarnRuntimeException: Error parsing "
            f"application ID: {text}") in page_text(response)
    assert proxied.targets_asked == []


def test_an_unknown_application_is_not_found(proxied):
    """An id the RM does not know is 404 ``could not be found in RM or history server``."""
    unknown = str(proxied.application_id).replace("_0001", "_0999")
    response = proxied.http.get(f"/proxy/{unknown}/jobs")
    assert response.status == 404
    assert (f"<h1>Application {unknown} could not be found in RM or history server</h1>"
            in page_text(response))


def test_an_application_without_tracking_url_redirects_to_its_rm_page():
    """Before the AM registers one (``N/A``), the proxy sends the client to the RM's app page."""
    proxied = Proxied()
    response = proxied.request("GET", "/jobs")
    assert response.status == 302
    location = f"http://127.0.0.1:8088/cluster/app/{proxied.application_id}"
    assert response.header("location") == location
    assert f'<a href="{location}">here</a>' in page_text(response)
    assert proxied.targets_asked == []
    configured = Proxied(rm_web_address="rm.example:8088")
    assert configured.request("GET", "/jobs").header("location") == (
        f"http://rm.example:8088/cluster/app/{configured.application_id}")


def test_a_finished_application_redirects_to_its_tracking_url(proxied):
    """A FINISHED application's requests are sent to its tracking URL, not proxied."""
    proxied.am.unregister(FinalApplicationStatus.SUCCEEDED)
    proxied.cluster.run_until(lambda: proxied.state() is RMAppState.FINISHED)
    response = proxied.request("GET", "/jobs/1?x=1")
    assert response.status == 302
    assert response.header("location") == f"http://{AM_HOST}:{AM_PORT}/jobs/1?x=1"
    assert proxied.targets_asked == []


def test_nothing_listening_at_the_am_address_is_a_connection_error():
    """When ``target_for`` has nothing there, the answer is the servlet's connect failure."""
    proxied = Proxied()
    proxied.register(tracking_url=f"http://{AM_HOST}:{AM_PORT + 1}")
    response = proxied.request("GET", "/jobs")
    assert response.status == 500
    assert (f"org.apache.http.conn.HttpHostConnectException: Connect to {AM_HOST}:{AM_PORT + 1} "
            "failed: Connection refused") in page_text(response)


class AsyncReports:
    """An ``IYarnClient``-like client protocol whose reports arrive as Deferreds."""

    def __init__(self, rm):
        self._rm = rm

    def get_application_report(self, application_id):
        try:
            return succeed(self._rm.client_service.get_application_report(application_id))
        except ApplicationNotFoundException as error:
            return fail(error)


def test_a_client_protocol_answering_with_deferreds_works_the_same():
    """Reports that arrive as Deferreds are waited for; a failed lookup is still a 404."""
    proxied = Proxied()
    proxied.http = HttpClient(Site(_root(WebProxyResource(
        AsyncReports(proxied.cluster.rm), proxied.target_for)), reactor=Clock()))
    proxied.register()
    assert proxied.request("GET", "/jobs").json()["uri"] == "/jobs"
    unknown = str(proxied.application_id).replace("_0001", "_0999")
    assert proxied.http.get(f"/proxy/{unknown}").status == 404


def _root(proxy):
    root = Resource()
    root.putChild(b"proxy", proxy)
    return root
