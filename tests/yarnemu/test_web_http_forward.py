"""
Tests for :mod:`yarnemu.web.http_forward`: the RM web proxy in front of an ApplicationMaster that
is a real HTTP server on loopback (as a process container's is), through real sockets.
"""

import json

from twisted.internet import reactor
from twisted.internet.defer import inlineCallbacks
from twisted.trial.unittest import TestCase
from twisted.web.resource import Resource
from twisted.web.server import Site

from yarnemu.client.http import AgentHttpClient
from yarnemu.testing.mock_cluster import MockCluster
from yarnemu.web.http_forward import HttpForwardResource, http_forward_targets
from yarnemu.web.proxy import WebProxyResource


class Echo(Resource):
    """An AM web server answering 201 with what it was asked."""

    isLeaf = True

    def render(self, request):
        request.content.seek(0)
        request.setResponseCode(201)
        request.setHeader(b"Content-Type", b"application/json")
        request.setHeader(b"X-Am", b"echo")
        return json.dumps({
            "method": request.method.decode(), "uri": request.uri.decode(),
            "body": request.content.read().decode(),
            "host": (request.getHeader(b"host") or b"").decode(),
        }).encode()


class HttpForwardTests(TestCase):

    def setUp(self):
        am = reactor.listenTCP(0, Site(Echo()), interface="127.0.0.1")
        self.addCleanup(am.stopListening)
        self.am_port = am.getHost().port
        self.cluster = MockCluster()
        self.cluster.add_node("node-1")
        self.application_id = self.cluster.submit_app(unmanaged=True)
        self.am = self.cluster.launch_am(self.application_id)
        self.in_process_asked = []
        root = Resource()
        root.putChild(b"proxy", WebProxyResource(
            self.cluster.rm.client_service,
            http_forward_targets(reactor, first=self.in_process_target)))
        rm = reactor.listenTCP(0, Site(root), interface="127.0.0.1")
        self.addCleanup(rm.stopListening)
        self.rm_url = f"http://127.0.0.1:{rm.getHost().port}"
        self.http = AgentHttpClient(reactor)
        self.addCleanup(self.http.close)

    def in_process_target(self, host, port):
        self.in_process_asked.append((host, port))
        return None

    def register(self, port):
        self.am.register("127.0.0.1", port, f"http://127.0.0.1:{port}/ui")
        self.cluster.run_until(lambda: self.cluster.rm.apps[self.application_id].state.value
                               == "RUNNING")

    @inlineCallbacks
    def test_a_request_is_forwarded_over_http_with_its_path_query_method_and_body(self):
        """The AM's server sees the tracking path + rest, the query, method and body; its status,
        headers and body come back unchanged."""
        self.register(self.am_port)
        response = yield self.http.request(
            "POST", f"{self.rm_url}/proxy/{self.application_id}/jobs/x%2Fy?a=1",
            body=b"payload", headers={"Content-Type": "text/plain"})
        self.assertEqual(response.status, 201)
        self.assertEqual(response.header("x-am"), "echo")
        self.assertEqual(json.loads(response.body), {
            "method": "POST", "uri": "/ui/jobs/x%2Fy?a=1", "body": "payload",
            "host": f"127.0.0.1:{self.am_port}"})
        self.assertEqual(self.in_process_asked, [("127.0.0.1", self.am_port)])

    @inlineCallbacks
    def test_nothing_listening_is_the_proxys_connection_error_page(self):
        """A refused connection is the 500 page naming HttpHostConnectException."""
        closed = reactor.listenTCP(0, Site(Echo()), interface="127.0.0.1")
        port = closed.getHost().port
        yield closed.stopListening()
        self.register(port)
        response = yield self.http.request("GET", f"{self.rm_url}/proxy/{self.application_id}/x")
        self.assertEqual(response.status, 500)
        self.assertIn(f"HttpHostConnectException: Connect to 127.0.0.1:{port} failed: "
                      "Connection refused", response.body.decode())

    def test_an_in_process_target_is_preferred(self):
        """``first`` answering a resource means no forwarding."""
        resource = Resource()
        targets = http_forward_targets(reactor, first=lambda host, port: resource)
        self.assertIs(targets("h", 1), resource)
        self.assertIsInstance(http_forward_targets(reactor)("h", 1), HttpForwardResource)
