"""
Tests for :mod:`yarnemu.web.webhdfs.upload`: large and chunked bodies are spooled to a named file
on disk and handed to the file system from there, small ones stay in memory, and the spool file
is gone afterwards on every path: success, error, dropped connection.
"""

import io
import os

import pytest
from twisted.internet.address import IPv4Address
from twisted.internet.error import ConnectionDone
from twisted.internet.testing import StringTransport
from twisted.python.failure import Failure

from tests.yarnemu.test_web_webhdfs_site import WebHdfs, remote_exception
from yarnemu.dfs.paths import PARTIAL_PREFIX
from yarnemu.web.webhdfs.upload import IN_MEMORY_LIMIT, SPOOL_PREFIX

NN = "op=CREATE&namenoderpcaddress=localhost:8020&user.name=alice"
MB = 1024 * 1024


class Recording:
    """Serves a FakeHDFS, recording what each create/append was handed as its body."""

    def __init__(self, fs):
        self._fs = fs
        self.bodies = []

    def __getattr__(self, name):
        return getattr(self._fs, name)

    def create(self, path, body, *args, **kwargs):
        self._record(body)
        return self._fs.create(path, body, *args, **kwargs)

    def append(self, path, body, *args, **kwargs):
        self._record(body)
        return self._fs.append(path, body, *args, **kwargs)

    def _record(self, body):
        name = getattr(body, "name", None)
        on_disk = isinstance(name, str) and os.path.isfile(name)
        self.bodies.append({
            "in_memory": isinstance(body, io.BytesIO),
            "file": name if on_disk else None,
            "size_on_disk": os.path.getsize(name) if on_disk else None,
        })


@pytest.fixture
def webhdfs(tmp_path):
    return WebHdfs(tmp_path, wrap=Recording)


def payload(size):
    return bytes(i * 7 % 251 for i in range(256)) * (size // 256) + b"z" * (size % 256)


def spooled(webhdfs):
    return sorted(os.listdir(webhdfs.spool_dir))


def partials(webhdfs):
    return [name for _, _, names in os.walk(webhdfs.root) for name in names
            if name.startswith(PARTIAL_PREFIX)]


def test_a_chunked_body_is_spooled_to_a_named_file_and_removed_after(webhdfs):
    data = payload(3 * MB + 123)
    response = webhdfs.call("PUT", "/big.bin", NN, data, chunk_size=64 * 1024)
    assert response.status == 201
    [body] = webhdfs.served.bodies
    assert not body["in_memory"]
    assert os.path.dirname(body["file"]) == str(webhdfs.spool_dir)
    assert os.path.basename(body["file"]).startswith(SPOOL_PREFIX)
    assert body["size_on_disk"] == len(data)
    assert spooled(webhdfs) == [] and not os.path.exists(body["file"])
    assert webhdfs.fs.read_bytes("/big.bin") == data


def test_a_large_sized_body_is_spooled_too(webhdfs):
    data = payload(IN_MEMORY_LIMIT)
    assert webhdfs.call("PUT", "/sized.bin", NN, data).status == 201
    [body] = webhdfs.served.bodies
    assert body["file"] is not None and body["size_on_disk"] == len(data)
    assert spooled(webhdfs) == []
    assert webhdfs.fs.read_bytes("/sized.bin") == data


def test_a_small_sized_body_stays_in_memory(webhdfs):
    data = payload(IN_MEMORY_LIMIT - 1)
    assert webhdfs.call("PUT", "/small.bin", NN, data).status == 201
    [body] = webhdfs.served.bodies
    assert body["in_memory"] and body["file"] is None
    assert webhdfs.fs.read_bytes("/small.bin") == data


def test_appended_chunked_bodies_are_spooled_and_removed(webhdfs):
    webhdfs.fs.create("/log", b"head:", "alice")
    data = payload(MB)
    response = webhdfs.call("POST", "/log", "op=APPEND&namenoderpcaddress=localhost:8020", data,
                            chunk_size=10_000)
    assert response.status == 200
    assert webhdfs.served.bodies[0]["size_on_disk"] == len(data)
    assert spooled(webhdfs) == []
    assert webhdfs.fs.read_bytes("/log") == b"head:" + data


def test_a_failed_create_removes_the_spool_file_and_changes_nothing(webhdfs):
    webhdfs.fs.create("/exists", b"old", "alice")
    response = webhdfs.call("PUT", "/exists", NN, payload(MB), chunk_size=65536)
    assert response.status == 403
    assert webhdfs.served.bodies[0]["file"] is not None
    assert spooled(webhdfs) == [] and partials(webhdfs) == []
    assert webhdfs.fs.read_bytes("/exists") == b"old"


def test_a_body_sent_to_the_namenode_step_is_spooled_then_dropped(webhdfs):
    response = webhdfs.call("PUT", "/eager.bin", "op=CREATE", payload(MB), chunk_size=65536)
    assert response.status == 307
    assert spooled(webhdfs) == [] and not webhdfs.fs.exists("/eager.bin")


def test_a_dropped_connection_mid_body_removes_the_spool_file_and_creates_nothing(webhdfs):
    transport = StringTransport(hostAddress=IPv4Address("TCP", "127.0.0.1", 9870),
                                peerAddress=IPv4Address("TCP", "127.0.0.1", 40000))
    protocol = webhdfs.site.buildProtocol(transport.getPeer())
    protocol.makeConnection(transport)
    protocol.dataReceived(
        f"PUT /webhdfs/v1/dropped.bin?{NN} HTTP/1.1\r\nHost: 127.0.0.1:9870\r\n"
        "Transfer-Encoding: chunked\r\n\r\n".encode())
    chunk = payload(65536)
    for _ in range(8):
        protocol.dataReceived(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    [name] = spooled(webhdfs)
    assert os.path.getsize(os.path.join(webhdfs.spool_dir, name)) == 8 * len(chunk)
    protocol.connectionLost(Failure(ConnectionDone()))
    assert spooled(webhdfs) == []
    assert webhdfs.served.bodies == []
    assert not webhdfs.fs.exists("/dropped.bin") and partials(webhdfs) == []
    assert transport.value() == b""


def test_a_body_that_cannot_be_spooled_is_a_403_and_creates_nothing(webhdfs):
    os.rmdir(webhdfs.spool_dir)
    response = webhdfs.call("PUT", "/nospool.bin", NN, payload(MB), chunk_size=65536)
    assert response.status == 403
    exception, java_class, message = remote_exception(response)
    assert (exception, java_class) == ("IOException", "java.io.IOException")
    assert message.startswith("Cannot receive the data for /nospool.bin: ")
    assert webhdfs.served.bodies == [] and not webhdfs.fs.exists("/nospool.bin")


def test_a_form_encoded_body_is_data_not_parameters(webhdfs):
    webhdfs.fs.create("/form", b"", "alice")
    response = webhdfs.call("POST", "/form", "op=APPEND&namenoderpcaddress=localhost:8020",
                            b"op=DELETE&recursive=true",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 200
    assert webhdfs.fs.read_bytes("/form") == b"op=DELETE&recursive=true"
