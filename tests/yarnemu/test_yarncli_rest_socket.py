"""
Real-socket tests for :func:`yarnemu.yarncli.rest.urllib_send`, the default HTTP exchange of the
yarn CLI: a standard-library HTTP server on 127.0.0.1 in a thread.
"""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from yarnemu.yarncli.rest import RmNotFound, RmRest, RmUnreachable, urllib_send


class _Handler(BaseHTTPRequestHandler):
    def _answer(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/ws/v1/cluster/apps?"):
            self._answer(200, {"apps": {"app": [{"id": "application_1_0001",
                                                 "query": self.path.split("?", 1)[1]}]}})
        else:
            self._answer(404, {"RemoteException": {
                "exception": "NotFoundException",
                "javaClassName": "org.apache.hadoop.yarn.webapp.NotFoundException",
                "message": "java.lang.Exception: app with id: x not found"}})

    def do_PUT(self):
        length = int(self.headers["Content-Length"])
        sent = json.loads(self.rfile.read(length))
        self._answer(202, {"state": "RUNNING", "echo": sent,
                           "type": self.headers["Content-Type"]})

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def test_urllib_send_returns_every_status_with_its_body(server):
    """Success and error statuses both come back as (status, body); bodies and headers are sent."""
    status, body = urllib_send("GET", f"{server}/ws/v1/cluster/apps?states=RUNNING", None, {})
    assert status == 200
    assert json.loads(body)["apps"]["app"][0]["query"] == "states=RUNNING"
    status, body = urllib_send("PUT", f"{server}/x", b'{"state": "KILLED"}',
                               {"Content-Type": "application/json"})
    assert status == 202
    assert json.loads(body) == {"state": "RUNNING", "echo": {"state": "KILLED"},
                                "type": "application/json"}
    status, body = urllib_send("GET", f"{server}/nothing", None, {})
    assert status == 404 and b"NotFoundException" in body


def test_rm_rest_over_a_socket(server):
    """RmRest reads lists and maps a 404 to RmNotFound through the real exchange."""
    rest = RmRest(server)
    assert rest.applications(["RUNNING"])[0]["id"] == "application_1_0001"
    with pytest.raises(RmNotFound):
        rest.application("application_1_0009")


def test_nothing_listening_is_rm_unreachable():
    """A refused connection raises RmUnreachable naming the address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(RmUnreachable) as raised:
        RmRest(f"http://127.0.0.1:{port}").nodes()
    assert raised.value.url == f"http://127.0.0.1:{port}"
    assert "refused" in raised.value.reason.lower()


def test_a_server_that_does_not_speak_http_is_rm_unreachable():
    """An answer that is not HTTP raises RmUnreachable rather than a stack trace."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def answer_garbage():
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"SSH-2.0-OpenSSH\r\n\r\n")

    thread = threading.Thread(target=answer_garbage, daemon=True)
    thread.start()
    try:
        with pytest.raises(RmUnreachable) as raised:
            RmRest(f"http://127.0.0.1:{listener.getsockname()[1]}").nodes()
        assert "not an HTTP answer" in raised.value.reason
    finally:
        thread.join(5)
        listener.close()
