"""
Tests for :mod:`yarnemu.web.webhdfs.site` and :mod:`yarnemu.web.webhdfs.resource`: the site as a
whole (routing, methods, the Content-Type switch, unexpected failures), and :class:`WebHdfs`, the
harness the other ``test_web_webhdfs_*`` modules drive the site with.
"""

from urllib.parse import urlencode, urlsplit

import pytest

from tests.http_harness import HttpClient
from yarnemu.clock import VirtualClock
from yarnemu.dfs import FakeHDFS
from yarnemu.web.webhdfs import WebHdfsSite, webhdfs_site
from yarnemu.web.webhdfs.upload import SpoolingRequest

START = 1767225600.0
START_MS = 1767225600000


class WebHdfs:
    """
    A WebHDFS site over a fresh :class:`FakeHDFS` on a :class:`VirtualClock`, and an in-memory
    HTTP client for it.

    :param wrap: called with the ``FakeHDFS``; what it returns is served (to record calls or
        inject failures).
    """

    def __init__(self, tmp_path, json_content_type=True, wrap=None, host="127.0.0.1",
                 port=9870):
        self.clock = VirtualClock(start=START)
        self.root = tmp_path / "root"
        self.spool_dir = tmp_path / "spool"
        self.fs = FakeHDFS(self.root, self.clock)
        self.served = self.fs if wrap is None else wrap(self.fs)
        self.site = webhdfs_site(self.served, self.spool_dir, json_content_type, reactor=self.clock)
        self.authority = f"{host}:{port}"
        self.http = HttpClient(self.site, host, port)

    def call(self, method, path, params=None, body=b"", **kw):
        """
        Send ``method`` to ``/webhdfs/v1<path>`` with ``params`` (a mapping, or a raw query
        string) and :return: the response.
        """
        query = params if isinstance(params, str) else urlencode(params or {})
        return self.http.request(method, f"/webhdfs/v1{path}?{query}", body, **kw)

    def follow(self, response, method, body=b"", **kw):
        """Send ``method`` to ``response``'s ``Location``, which must be on this site."""
        location = urlsplit(response.header("Location"))
        assert (location.scheme, location.netloc) == ("http", self.authority)
        return self.http.request(method, f"{location.path}?{location.query}", body, **kw)

    def upload(self, path, data, user="alice", **params):
        """Create ``path`` with ``data`` in the two steps; :return: the data response."""
        step1 = self.call("PUT", path, {"op": "CREATE", "user.name": user, **params})
        assert step1.status == 307, step1.body
        return self.follow(step1, "PUT", data)


def remote_exception(response):
    """:return: ``(exception, javaClassName, message)`` of a RemoteException response."""
    body = response.json()["RemoteException"]
    return body["exception"], body["javaClassName"], body["message"]


@pytest.fixture
def webhdfs(tmp_path):
    return WebHdfs(tmp_path)


def test_webhdfs_site_creates_the_spool_directory_and_spools_with_its_request(tmp_path):
    spool = tmp_path / "a" / "spool"
    site = webhdfs_site(FakeHDFS(tmp_path / "root", VirtualClock()), spool,
                        reactor=VirtualClock())
    assert isinstance(site, WebHdfsSite)
    assert spool.is_dir() and site.spool_dir == str(spool)
    assert site.requestFactory is SpoolingRequest


def test_json_answers_carry_application_json_by_default(webhdfs):
    ok = webhdfs.call("GET", "/", {"op": "GETFILESTATUS"})
    error = webhdfs.call("GET", "/missing", {"op": "GETFILESTATUS"})
    assert ok.header("Content-Type") == "application/json"
    assert error.header("Content-Type") == "application/json"


def test_json_content_type_false_leaves_every_json_answer_without_content_type(tmp_path):
    webhdfs = WebHdfs(tmp_path, json_content_type=False)
    answers = [
        webhdfs.call("GET", "/", {"op": "GETFILESTATUS"}),
        webhdfs.call("GET", "/", {"op": "LISTSTATUS"}),
        webhdfs.call("PUT", "/d", {"op": "MKDIRS"}),
        webhdfs.call("GET", "/missing", {"op": "GETFILESTATUS"}),
        webhdfs.call("GET", "/", {"op": "NOPE"}),
        webhdfs.http.get("/elsewhere"),
    ]
    for response in answers:
        assert "content-type" not in response.headers, response
        response.json()
    assert [response.status for response in answers] == [200, 200, 200, 404, 400, 404]


def test_a_path_outside_webhdfs_v1_is_not_found(webhdfs):
    for target in ("/", "/webhdfs", "/webhdfs/v1x/a?op=GETFILESTATUS", "/jmx"):
        response = webhdfs.http.get(target)
        assert response.status == 404
        assert remote_exception(response)[0] == "NotFoundException"


def test_webhdfs_v1_without_a_trailing_slash_is_the_root(webhdfs):
    response = webhdfs.http.get("/webhdfs/v1?op=GETFILESTATUS")
    assert response.status == 200 and response.json()["FileStatus"]["type"] == "DIRECTORY"


def test_an_http_method_webhdfs_does_not_use_is_405_with_allow(webhdfs):
    response = webhdfs.call("PATCH", "/", {"op": "MKDIRS"})
    assert response.status == 405
    assert response.header("Allow") == "GET, HEAD, PUT, POST, DELETE"
    assert remote_exception(response) == (
        "UnsupportedOperationException", "java.lang.UnsupportedOperationException",
        "HTTP method PATCH is not supported")


def test_head_answers_the_headers_of_get_without_a_body(webhdfs):
    get = webhdfs.call("GET", "/", {"op": "GETFILESTATUS"})
    head = webhdfs.call("HEAD", "/", {"op": "GETFILESTATUS"})
    assert head.status == 200 and head.body == b""
    assert head.header("Content-Length") == get.header("Content-Length") == str(len(get.body))


def test_an_unexpected_failure_is_a_500_remote_exception(tmp_path):
    class Broken:
        def __init__(self, fs):
            self._fs = fs

        def __getattr__(self, name):
            return getattr(self._fs, name)

        def get_file_status(self, path):
            raise ZeroDivisionError("boom")

    webhdfs = WebHdfs(tmp_path, wrap=Broken)
    response = webhdfs.call("GET", "/", {"op": "GETFILESTATUS"})
    assert response.status == 500
    assert remote_exception(response) == (
        "RuntimeException", "java.lang.RuntimeException", "ZeroDivisionError: boom")
    assert webhdfs.call("GET", "/", {"op": "LISTSTATUS"}).status == 200
