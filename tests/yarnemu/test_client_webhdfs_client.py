"""
Tests of :class:`~yarnemu.client.WebHdfsClient` beyond the shared file system suite: the requests
it sends (the two-step write, its parameters, ``user.name``), that upload data goes to the HTTP
client as the stream it was given, how it follows redirects, and how it reports answers of the
wrong kind and a NameNode out of reach.
"""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from twisted.internet.error import ConnectionRefusedError
from twisted.web.resource import Resource
from zope.interface import implementer

from tests.http_harness import InMemoryHttpClient
from yarnemu.client import WebHdfsClient
from yarnemu.client.http import IHttpClient
from yarnemu.client.remote_exception import MalformedResponse
from yarnemu.dfs import HDFSIOException

from .test_client_filesystem import NAMENODE, USER, Setup


@implementer(IHttpClient)
class Recording:
    """An ``IHttpClient`` that notes each request (method, URL, body, headers) and passes it on."""

    def __init__(self, http):
        self._http = http
        self.sent = []

    def request(self, method, url, body=None, headers=None):
        self.sent.append((method, url, body, dict(headers or {})))
        return self._http.request(method, url, body, headers)


def _query(url):
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


@pytest.fixture
def setup(tmp_path):
    setup = Setup(tmp_path, remote=True)
    setup.recording = Recording(setup.http)
    setup.client = WebHdfsClient(setup.recording, f"http://{NAMENODE}/webhdfs/v1/", USER)
    return setup


def test_create_asks_the_namenode_then_sends_the_stream_to_the_datanode(setup):
    """CREATE goes bodiless to the NameNode, the stream itself to the Location, then a status."""
    stream = io.BytesIO(b"x" * 100000)
    status = setup.run(setup.client.create("/user/alice/.flink/a b.jar", stream,
                                           overwrite=True, permission=0o640))
    assert status.length == 100000
    (create, method, url, body), (data, _, data_url, data_body), (stat, _, _, _) = [
        (_query(url)["op"], method, url, body) for method, url, body, _ in setup.recording.sent]
    assert (create, data, stat) == ("CREATE", "CREATE", "GETFILESTATUS")
    assert method == "PUT" and body is None
    assert urlsplit(url).path == "/webhdfs/v1/user/alice/.flink/a%20b.jar"
    assert _query(url) == {"op": "CREATE", "user.name": USER, "overwrite": "true",
                           "permission": "640", "replication": "3"}
    assert data_body is stream
    assert setup.recording.sent[1][3]["Content-Type"] == "application/octet-stream"
    assert "namenoderpcaddress" in _query(data_url)
    assert all(_query(url)["user.name"] == USER for _, url, _, _ in setup.recording.sent)


def test_reading_follows_the_redirect_with_offset_and_length(setup):
    """OPEN sends offset and length to the NameNode and reads the bytes from the DataNode."""
    setup.hdfs.create("/f", b"0123456789", "bob")
    assert setup.run(setup.client.read_bytes("/f", 2, 3)) == b"234"
    (_, first, _, _), (_, second, _, _) = setup.recording.sent
    assert (_query(first)["offset"], _query(first)["length"]) == ("2", "3")
    assert _query(second)["op"] == "OPEN" and "namenoderpcaddress" in _query(second)


class _ShortCircuit(Resource):
    """A NameNode that redirects with a relative Location, or answers CREATE at once."""

    isLeaf = True

    def __init__(self, relative):
        super().__init__()
        self.relative = relative
        self.data = []

    def render(self, request):
        if b"datanode" in request.args:
            self.data.append(request.content.read())
            request.setResponseCode(200)
            return b"stored"
        if self.relative:
            request.setResponseCode(307)
            request.setHeader(b"Location", b"elsewhere?op=OPEN&datanode=1")
            return b""
        request.setResponseCode(201)
        return b""


def test_a_relative_location_is_resolved_against_the_request():
    """A Location without host is taken relative to the URL of the request it answers."""
    namenode = _ShortCircuit(relative=True)
    http = Recording(InMemoryHttpClient({NAMENODE: namenode}))
    client = WebHdfsClient(http, f"http://{NAMENODE}", USER)
    outcome = []
    client.read_bytes("/dir/f").addBoth(outcome.append)
    assert outcome == [b"stored"]
    assert http.sent[1][1] == f"http://{NAMENODE}/webhdfs/v1/dir/elsewhere?op=OPEN&datanode=1"


def test_a_create_answered_without_a_redirect_is_an_error():
    """A NameNode that does not redirect a CREATE to a DataNode fails it with an IOException."""
    client = WebHdfsClient(InMemoryHttpClient({NAMENODE: _ShortCircuit(relative=False)}),
                           f"http://{NAMENODE}", USER)
    outcome = []
    client.create("/f", b"data").addErrback(outcome.append)
    assert outcome[0].type is HDFSIOException
    assert outcome[0].value.message == "Unexpected HTTP response: code=201 != 307, op=CREATE"


class _Unlike(Resource):
    """Answers every request with 200 and JSON that is no WebHDFS answer."""

    isLeaf = True

    def render(self, request):
        return b'{"path": "/user/alice"}'


def test_an_answer_of_another_shape_is_a_malformed_response():
    """A 200 that is not WebHDFS's JSON fails with MalformedResponse."""
    client = WebHdfsClient(InMemoryHttpClient({NAMENODE: _Unlike()}), f"http://{NAMENODE}", USER)
    for deferred in (client.home_directory(), client.list_status("/"), client.delete("/x")):
        outcome = []
        deferred.addErrback(outcome.append)
        assert outcome[0].type is MalformedResponse


def test_a_namenode_out_of_reach_fails_with_the_connection_error():
    """A connection failure propagates as the HTTP client reports it."""
    client = WebHdfsClient(InMemoryHttpClient({}), "http://127.0.0.1:9870", USER)
    outcome = []
    client.exists("/").addErrback(outcome.append)
    assert outcome[0].type is ConnectionRefusedError


def test_files_default_to_the_clients_replication(setup):
    """A file created without a replication gets the client's, sent with the CREATE."""
    client = WebHdfsClient(setup.http, f"http://{NAMENODE}", USER, default_replication=1)
    assert setup.run(client.create("/r", b"x")).replication == 1
