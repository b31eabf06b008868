"""
Tests for :mod:`yarnemu.web.webhdfs.locations`: request paths confined to the namespace, and data
URLs on the host and port the client used.
"""

import os
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.http_harness import HttpClient
from tests.yarnemu.test_web_webhdfs_site import WebHdfs, remote_exception
from yarnemu.clock import VirtualClock
from yarnemu.dfs import FakeHDFS
from yarnemu.dfs.errors import InvalidPathException
from yarnemu.web.webhdfs import webhdfs_site
from yarnemu.web.webhdfs.locations import hdfs_path, webhdfs_suffix


@pytest.mark.parametrize("target, suffix", [
    (b"/webhdfs/v1", b""),
    (b"/webhdfs/v1/", b"/"),
    (b"/webhdfs/v1/a/b", b"/a/b"),
    (b"/webhdfs/v1x", None),
    (b"/webhdfs/v2/a", None),
    (b"/a/webhdfs/v1", None),
])
def test_webhdfs_suffix(target, suffix):
    assert webhdfs_suffix(target) == suffix


@pytest.mark.parametrize("suffix, path", [
    (b"", "/"),
    (b"/", "/"),
    (b"/a/b", "/a/b"),
    (b"//a//b/", "/a/b"),
    (b"/a%20b/%C3%A9", "/a b/\u00e9"),
    (b"/a%2Fb", "/a/b"),
    (b"/...", "/..."),
    (b"/.hidden", "/.hidden"),
])
def test_hdfs_path_decodes_and_normalizes(suffix, path):
    assert hdfs_path(suffix) == path


@pytest.mark.parametrize("suffix", [
    b"/..", b"/../etc/passwd", b"/a/../../b", b"/a/../b", b"/a/./b", b"/.",
    b"/%2e%2e/x", b"/%2E%2E%2Fx", b"/a%2F..%2F..%2Fb", b"/a/%2e/b",
    b"/a%00b", b"/a:b", b"/%ff", b"/.yarnemu-partial-x",
])
def test_hdfs_path_refuses_dot_segments_and_non_names(suffix):
    with pytest.raises(InvalidPathException) as raised:
        hdfs_path(suffix)
    assert raised.value.message.startswith("Invalid path name Invalid file name: /")


@pytest.fixture
def webhdfs(tmp_path):
    webhdfs = WebHdfs(tmp_path)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_bytes(b"TOP-SECRET-CONTENT")
    webhdfs.fs.mkdirs("/a", "alice")
    return webhdfs


def snapshot(tmp_path):
    return sorted(os.path.relpath(os.path.join(directory, name), tmp_path)
                  for directory, directories, files in os.walk(tmp_path)
                  for name in directories + files)


@pytest.mark.parametrize("method, target", [
    ("DELETE", "/webhdfs/v1/..%2Foutside?op=DELETE&recursive=true"),
    ("DELETE", "/webhdfs/v1/a/../../outside?op=DELETE&recursive=true"),
    ("DELETE", "/webhdfs/v1/a/%2e%2e/%2E%2E/outside/secret.txt?op=DELETE"),
    ("PUT", "/webhdfs/v1/../outside/new?op=MKDIRS"),
    ("PUT", "/webhdfs/v1/a/%2E%2E/%2E%2E/outside/x.txt?op=CREATE"),
    ("PUT", "/webhdfs/v1/../outside/x.txt?op=CREATE&namenoderpcaddress=localhost:8020"),
    ("PUT", "/webhdfs/v1/a/../b?op=MKDIRS"),
    ("GET", "/webhdfs/v1/..%2Foutside%2Fsecret.txt?op=OPEN&namenoderpcaddress=localhost:8020"),
    ("GET", "/webhdfs/v1/%2e%2e?op=LISTSTATUS"),
    ("PUT", "/webhdfs/v1/a?op=RENAME&destination=/../outside/a"),
])
def test_escape_attempts_get_a_native_error_and_touch_nothing(webhdfs, tmp_path, method, target):
    before = snapshot(tmp_path)
    response = webhdfs.http.request(method, target, b"payload")
    assert response.status in (400, 403)
    assert remote_exception(response)[0] in ("InvalidPathException", "IOException")
    assert b"TOP-SECRET-CONTENT" not in response.body
    assert snapshot(tmp_path) == before
    assert (tmp_path / "outside" / "secret.txt").read_bytes() == b"TOP-SECRET-CONTENT"


def test_the_data_url_uses_the_host_header_the_client_sent(webhdfs):
    response = webhdfs.call("PUT", "/a/f", {"op": "CREATE"},
                            headers={"Host": "namenode.example:50070"})
    assert urlsplit(response.header("Location")).netloc == "namenode.example:50070"


@pytest.mark.parametrize("host", ["evil.example/path?x=", "a b", "x:99999999", ""])
def test_a_host_header_that_is_not_a_plain_authority_falls_back_to_the_local_address(
        webhdfs, host):
    response = webhdfs.call("PUT", "/a/f", {"op": "CREATE"}, headers={"Host": host})
    assert urlsplit(response.header("Location")).netloc == "127.0.0.1:9870"


def test_an_ipv6_host_header_is_kept_bracketed(webhdfs):
    response = webhdfs.call("PUT", "/a/f", {"op": "CREATE"}, headers={"Host": "[::1]:9870"})
    assert urlsplit(response.header("Location")).netloc == "[::1]:9870"


def test_the_data_url_quotes_the_path_and_round_trips(webhdfs):
    response = webhdfs.call("PUT", "/a/dir%20with%20space/%C3%A9t%C3%A9.txt",
                            {"op": "CREATE", "user.name": "alice"})
    location = urlsplit(response.header("Location"))
    assert location.path == "/webhdfs/v1/a/dir%20with%20space/%C3%A9t%C3%A9.txt"
    assert webhdfs.follow(response, "PUT", b"x").status == 201
    assert webhdfs.fs.read_bytes("/a/dir with space/\u00e9t\u00e9.txt") == b"x"


def test_the_data_url_carries_the_user_acted_as(webhdfs):
    response = webhdfs.call("PUT", "/a/f", {"op": "CREATE", "user.name": "alice",
                                            "doas": "carol"})
    assert parse_qs(urlsplit(response.header("Location")).query)["user.name"] == ["carol"]
    assert webhdfs.follow(response, "PUT", b"x").status == 201
    assert webhdfs.fs.get_file_status("/a/f").owner == "carol"


def test_the_namenode_rpc_address_is_configurable(tmp_path):
    clock = VirtualClock()
    site = webhdfs_site(FakeHDFS(tmp_path / "root", clock), tmp_path / "spool",
                        namenode_rpc_address="nn.example:9000", reactor=clock)
    http = HttpClient(site, port=9870)
    step1 = http.put("/webhdfs/v1/f?op=CREATE")
    assert parse_qs(urlsplit(step1.header("Location")).query)["namenoderpcaddress"] == [
        "nn.example:9000"]
    location = urlsplit(step1.header("Location"))
    step2 = http.put(f"{location.path}?{location.query}", b"x")
    assert step2.header("Location") == "hdfs://nn.example:9000/f"
