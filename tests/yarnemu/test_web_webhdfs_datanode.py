"""
Tests for :mod:`yarnemu.web.webhdfs.datanode`: the data requests, and the two-step flows exactly as
HdfsCLI, fsspec and Hadoop's Java client send them (``shared/reference/real-clients.md`` §2.1).
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.yarnemu.test_web_webhdfs_site import WebHdfs, remote_exception

NN = "namenoderpcaddress=localhost:8020"


@pytest.fixture
def webhdfs(tmp_path):
    webhdfs = WebHdfs(tmp_path)
    webhdfs.fs.mkdirs("/user/alice", "alice")
    return webhdfs


def test_hdfscli_upload_into_a_new_directory(webhdfs):
    # upload(): LISTSTATUS the target (404 "does not exist" means: go ahead), CREATE without
    # following the redirect, then PUT the data to the Location.
    listing = webhdfs.call("GET", "/user/alice/tree/a.txt",
                           {"user.name": "alice", "op": "LISTSTATUS"})
    assert listing.status == 404 and "does not exist" in remote_exception(listing)[2]
    step1 = webhdfs.call("PUT", "/user/alice/tree/a.txt",
                         {"user.name": "alice", "op": "CREATE", "overwrite": "False"})
    assert step1.status == 307
    step2 = webhdfs.follow(step1, "PUT", body=[b"alpha", b"\n"],
                           headers={"Content-Type": "application/octet-stream"})
    assert (step2.status, step2.body) == (201, b"")
    assert step2.header("Location") == "hdfs://localhost:8020/user/alice/tree/a.txt"
    assert step2.header("Content-Length") == "0"
    assert webhdfs.fs.read_bytes("/user/alice/tree/a.txt") == b"alpha\n"
    status = webhdfs.fs.get_file_status("/user/alice/tree/a.txt")
    assert (status.owner, status.permission, status.replication) == ("alice", "644", 3)
    assert webhdfs.fs.get_file_status("/user/alice/tree").owner == "alice"


def test_hdfscli_upload_with_overwrite_onto_an_existing_file(webhdfs):
    webhdfs.fs.create("/user/alice/a.txt", b"old", "alice")
    temp = "/user/alice/a.txt.temp-1767225600000000"
    created = webhdfs.upload(temp, b"new", overwrite="True")
    deleted = webhdfs.call("DELETE", "/user/alice/a.txt",
                           {"user.name": "alice", "op": "DELETE", "recursive": "True"})
    renamed = webhdfs.call("PUT", temp, {"user.name": "alice", "op": "RENAME",
                                         "destination": "/user/alice/a.txt"})
    assert (created.status, deleted.json(), renamed.json()) == (
        201, {"boolean": True}, {"boolean": True})
    assert webhdfs.fs.read_bytes("/user/alice/a.txt") == b"new"


def test_hdfscli_read_follows_the_redirect_to_the_bytes(webhdfs):
    webhdfs.fs.create("/user/alice/r.txt", b"hello world", "alice")
    step1 = webhdfs.call("GET", "/user/alice/r.txt",
                         {"user.name": "alice", "op": "OPEN", "offset": "0"})
    step2 = webhdfs.follow(step1, "GET")
    assert (step2.status, step2.body) == (200, b"hello world")
    assert step2.header("Content-Type") == "application/octet-stream"
    assert step2.header("Content-Length") == "11"


def test_fsspec_put_creates_empty_then_appends_each_block(webhdfs):
    webhdfs.call("PUT", "/user/alice/f", {"op": "MKDIRS", "user.name": "alice"})
    missing = webhdfs.call("GET", "/user/alice/f/data.bin",
                           {"op": "GETFILESTATUS", "user.name": "alice"})
    assert missing.status == 404
    create = webhdfs.call("PUT", "/user/alice/f/data.bin", {
        "tempdir": "/tmp", "overwrite": "true", "user.name": "alice", "op": "CREATE"})
    empty = webhdfs.follow(create, "PUT", headers={"content-type": "application/octet-stream"})
    assert empty.status == 201
    assert webhdfs.fs.read_bytes("/user/alice/f/data.bin") == b""
    append = webhdfs.call("POST", "/user/alice/f/data.bin", {
        "tempdir": "/tmp", "overwrite": "true", "user.name": "alice", "op": "APPEND"})
    assert append.status == 307
    blocks = [b"a" * 1000, b"b" * 150_000]
    for block in blocks:
        posted = webhdfs.follow(append, "POST", block,
                                headers={"content-type": "application/octet-stream"})
        assert (posted.status, posted.body) == (200, b"")
    assert webhdfs.fs.read_bytes("/user/alice/f/data.bin") == b"".join(blocks)
    assert webhdfs.fs.get_file_status("/user/alice/f/data.bin").owner == "alice"


def test_fsspec_cat_file_reads_a_range_by_hand(webhdfs):
    webhdfs.fs.create("/user/alice/r.bin", bytes(range(256)), "alice")
    step1 = webhdfs.call("GET", "/user/alice/r.bin",
                         {"offset": "10", "length": "20", "user.name": "alice", "op": "OPEN"})
    assert step1.status == 307
    assert webhdfs.follow(step1, "GET").body == bytes(range(10, 30))


def test_java_client_put_with_copying_suffix_setreplication_and_liststatus_on_the_file(
        webhdfs):
    target = "/user/alice/h.txt._COPYING_"
    create = webhdfs.call("PUT", target, {
        "op": "CREATE", "user.name": "alice", "blocksize": "1048576", "buffersize": "4096",
        "overwrite": "true", "permission": "644", "replication": "3",
        "unmaskedpermission": "666"})
    query = parse_qs(urlsplit(create.header("Location")).query)
    assert query["unmaskedpermission"] == ["666"] and query["buffersize"] == ["4096"]
    written = webhdfs.follow(create, "PUT", b"x" * 300_000, chunk_size=8192)
    assert written.status == 201
    replication = webhdfs.call("PUT", target, {"op": "SETREPLICATION", "user.name": "alice",
                                               "replication": "1"})
    listing = webhdfs.call("GET", target, {"op": "LISTSTATUS", "user.name": "alice"})
    renamed = webhdfs.call("PUT", target, {"op": "RENAME", "user.name": "alice",
                                           "destination": "/user/alice/h.txt"})
    assert replication.json() == {"boolean": True} and renamed.json() == {"boolean": True}
    [status] = listing.json()["FileStatuses"]["FileStatus"]
    assert (status["pathSuffix"], status["length"], status["blockSize"], status["replication"],
            status["permission"]) == ("", 300_000, 1048576, 1, "644")


def test_create_honours_permission_replication_and_blocksize(webhdfs):
    webhdfs.upload("/user/alice/p.bin", b"data", permission="600", replication="2",
                   blocksize="4096")
    status = webhdfs.fs.get_file_status("/user/alice/p.bin")
    assert (status.permission, status.replication, status.block_size) == ("600", 2, 4096)


def test_create_without_overwrite_onto_an_existing_file_is_403_and_keeps_it(webhdfs):
    webhdfs.fs.create("/user/alice/a.txt", b"old", "alice")
    response = webhdfs.upload("/user/alice/a.txt", b"new")
    assert response.status == 403
    assert remote_exception(response) == (
        "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException",
        "/user/alice/a.txt for client 127.0.0.1 already exists")
    assert webhdfs.fs.read_bytes("/user/alice/a.txt") == b"old"


def test_create_onto_a_directory_is_403(webhdfs):
    response = webhdfs.upload("/user/alice", b"x", overwrite="true")
    assert response.status == 403
    assert remote_exception(response)[2] == "/user/alice already exists as a directory"


def test_create_with_createparent_false_needs_the_parent(webhdfs):
    response = webhdfs.upload("/user/alice/missing/a.txt", b"x", createparent="false")
    assert response.status == 404
    assert remote_exception(response) == (
        "FileNotFoundException", "java.io.FileNotFoundException",
        "Parent directory doesn't exist: /user/alice/missing")
    assert not webhdfs.fs.exists("/user/alice/missing")
    assert webhdfs.upload("/user/alice/b.txt", b"x", createparent="false").status == 201


def test_append_to_a_missing_file_on_the_data_url_is_404(webhdfs):
    response = webhdfs.call("POST", "/user/alice/nope", f"op=APPEND&{NN}", b"x")
    assert response.status == 404
    assert remote_exception(response)[2] == (
        "Failed to append to non-existent file /user/alice/nope for client 127.0.0.1")


@pytest.mark.parametrize("params, expected", [
    ("offset=0", b"0123456789"),
    ("offset=3", b"3456789"),
    ("offset=3&length=4", b"3456"),
    ("offset=8&length=100", b"89"),
    ("length=0", b""),
    ("offset=10", b""),
])
def test_open_on_the_data_url_honours_offset_and_length(webhdfs, params, expected):
    webhdfs.fs.create("/user/alice/d.txt", b"0123456789", "alice")
    response = webhdfs.call("GET", "/user/alice/d.txt", f"op=OPEN&{NN}&{params}")
    assert (response.status, response.body) == (200, expected)
    assert response.header("Content-Length") == str(len(expected))


def test_open_past_the_end_on_the_data_url_cannot_seek(webhdfs):
    webhdfs.fs.create("/user/alice/d.txt", b"0123456789", "alice")
    response = webhdfs.call("GET", "/user/alice/d.txt", f"op=OPEN&{NN}&offset=11")
    assert response.status == 403
    assert remote_exception(response) == ("IOException", "java.io.IOException",
                                          "Cannot seek after EOF")


def test_open_of_a_directory_on_the_data_url_is_not_a_file(webhdfs):
    response = webhdfs.call("GET", "/user/alice", f"op=OPEN&{NN}")
    assert response.status == 404
    assert remote_exception(response)[2] == "Path is not a file: /user/alice"


def test_head_on_the_data_url_answers_the_length_without_the_bytes(webhdfs):
    webhdfs.fs.create("/user/alice/d.txt", b"0123456789", "alice")
    response = webhdfs.call("HEAD", "/user/alice/d.txt", f"op=OPEN&{NN}")
    assert (response.status, response.body, response.header("Content-Length")) == (200, b"",
                                                                                  "10")


@pytest.mark.parametrize("method, query, message", [
    ("GET", "op=LISTSTATUS", "Invalid operation LISTSTATUS"),
    ("POST", "op=CREATE", "Invalid operation CREATE"),
    ("PUT", "", "Invalid operation null"),
])
def test_the_data_url_does_only_create_append_and_open(webhdfs, method, query, message):
    response = webhdfs.call(method, "/user/alice/x", f"{query}&{NN}", b"x")
    assert response.status == 400
    assert remote_exception(response) == (
        "IllegalArgumentException", "java.lang.IllegalArgumentException", message)
    assert not webhdfs.fs.exists("/user/alice/x")


def test_parameter_errors_on_the_data_url_carry_no_jersey_prefix(webhdfs):
    response = webhdfs.call("PUT", "/user/alice/x", f"op=CREATE&{NN}&overwrite=maybe", b"x")
    assert response.status == 400
    assert remote_exception(response)[2] == 'Failed to parse "maybe" to Boolean.'
    assert not webhdfs.fs.exists("/user/alice/x")


def test_the_data_url_creates_as_its_user_name(webhdfs):
    response = webhdfs.call("PUT", "/user/alice/y", f"op=CREATE&{NN}&user.name=bob", b"y")
    assert response.status == 201
    assert webhdfs.fs.get_file_status("/user/alice/y").owner == "bob"
