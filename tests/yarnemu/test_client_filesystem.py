"""
The ``IFileSystemClient`` seam, one suite run against both implementations: the in-process client
over the fake HDFS and the WebHDFS client talking to the WebHDFS site over the same fake HDFS in
memory.  Both must give the same results and the same errors, worded as the NameNode words them.
"""

import io

import pytest
from twisted.internet.task import Clock
from twisted.python.failure import Failure
from zope.interface.verify import verifyObject

from tests.http_harness import InMemoryHttpClient
from yarnemu.client import InProcessFileSystemClient, WebHdfsClient
from yarnemu.dfs import (
    FakeHDFS,
    FileAlreadyExistsException,
    FileNotFoundException,
    InvalidPathException,
    PathIsNotEmptyDirectoryException,
)
from yarnemu.interfaces import IFileSystemClient
from yarnemu.web.webhdfs import webhdfs_site

USER = "alice"
EPOCH = 1767225600.0
NAMENODE = "127.0.0.1:9870"


class Setup:
    """A fake HDFS on a clock, and a client of it acting as :data:`USER`."""

    def __init__(self, tmp_path, remote):
        self.clock = Clock()
        self.clock.advance(EPOCH)
        self.hdfs = FakeHDFS(tmp_path / "hdfs", self.clock, default_replication=2)
        if remote:
            site = webhdfs_site(self.hdfs, tmp_path / "spool", reactor=self.clock)
            self.http = InMemoryHttpClient({NAMENODE: site})
            self.client = WebHdfsClient(self.http, f"http://{NAMENODE}", USER,
                                        default_replication=2)
        else:
            self.client = InProcessFileSystemClient(self.hdfs, USER)

    def run(self, deferred):
        """:return: the Deferred's result once the clock got it there; raise its failure."""
        outcome = []
        deferred.addBoth(outcome.append)
        for _ in range(1000):
            if outcome:
                break
            self.clock.advance(0.01)
        assert outcome, "the Deferred did not fire"
        if isinstance(outcome[0], Failure):
            outcome[0].raiseException()
        return outcome[0]

    def error(self, deferred):
        try:
            value = self.run(deferred)
        except AssertionError:
            raise
        except Exception as error:
            return error
        raise AssertionError(f"expected a failure, got {value!r}")


@pytest.fixture(params=["in-process", "webhdfs"])
def setup(request, tmp_path):
    return Setup(tmp_path, request.param == "webhdfs")


def test_provides_the_interface(setup):
    """The client provides IFileSystemClient and acts as its user."""
    assert verifyObject(IFileSystemClient, setup.client)
    assert (setup.client.user, setup.client.default_replication) == (USER, 2)
    assert setup.client.transfers_take_time is isinstance(setup.client, WebHdfsClient)


def test_the_home_directory(setup):
    """The home directory is /user/<user>."""
    assert setup.run(setup.client.home_directory()) == "/user/alice"


def test_mkdirs_creates_directories_owned_by_the_user(setup):
    """mkdirs creates the directory and its ancestors, with the permission, owned by the user."""
    fs = setup.client
    assert setup.run(fs.mkdirs("/user/alice/.flink/app", permission=0o700)) is True
    status = setup.run(fs.get_file_status("/user/alice/.flink/app"))
    assert (status.is_directory, status.owner, status.permission) == (True, USER, "700")
    assert setup.run(fs.exists("/user/alice/.flink")) is True
    assert setup.run(fs.mkdirs("/user/alice/.flink/app")) is True


def test_create_and_read_back(setup):
    """A file created from bytes or a stream reads back; its status says what was asked."""
    fs = setup.client
    data = bytes(range(256)) * 5000
    status = setup.run(fs.create("/staging/big.jar", io.BytesIO(data), permission=0o600))
    assert (status.length, status.owner, status.permission, status.replication) == (
        len(data), USER, "600", 2)
    assert status.modification_time == int(EPOCH * 1000)
    assert setup.run(fs.read_bytes("/staging/big.jar")) == data
    assert setup.run(fs.read_bytes("/staging/big.jar", 1000, 10)) == data[1000:1010]
    small = setup.run(fs.create("/staging/conf.yaml", b"a: 1\n", replication=3))
    assert (small.length, small.replication) == (5, 3)
    assert setup.hdfs.read_bytes("/staging/conf.yaml") == b"a: 1\n"


def test_create_refuses_to_replace_without_overwrite(setup):
    """Creating over an existing file needs overwrite, else FileAlreadyExistsException."""
    fs = setup.client
    setup.run(fs.create("/f", b"old"))
    error = setup.error(fs.create("/f", b"new"))
    assert type(error) is FileAlreadyExistsException
    assert error.message == "/f for client 127.0.0.1 already exists"
    assert setup.hdfs.read_bytes("/f") == b"old"
    assert setup.run(fs.create("/f", b"newer", overwrite=True)).length == 5
    assert setup.hdfs.read_bytes("/f") == b"newer"


def test_append(setup):
    """Appending adds to a file; appending to a missing one is FileNotFoundException."""
    fs = setup.client
    setup.run(fs.create("/log", b"one\n"))
    assert setup.run(fs.append("/log", io.BytesIO(b"two\n"))).length == 8
    assert setup.hdfs.read_bytes("/log") == b"one\ntwo\n"
    error = setup.error(fs.append("/missing", b"x"))
    # The NameNode's own wording, or WebHDFS's when it looks for a DataNode first.
    assert type(error) is FileNotFoundException
    assert error.message in ("Failed to append to non-existent file /missing for client "
                             "127.0.0.1", "File /missing not found.")


def test_statuses_of_missing_paths(setup):
    """A missing path does not exist, and its status is FileNotFoundException."""
    fs = setup.client
    assert setup.run(fs.exists("/nothing")) is False
    error = setup.error(fs.get_file_status("/nothing"))
    assert (type(error), error.message) == (FileNotFoundException,
                                            "File does not exist: /nothing")
    error = setup.error(fs.list_status("/nothing"))
    assert (type(error), error.message) == (FileNotFoundException,
                                            "File /nothing does not exist.")


def test_list_status(setup):
    """A directory lists its entries by name; a file lists itself with an empty suffix."""
    fs = setup.client
    for name in ("b.jar", "a.jar"):
        setup.run(fs.create(f"/lib/{name}", name.encode()))
    setup.run(fs.mkdirs("/lib/plugins"))
    listed = setup.run(fs.list_status("/lib"))
    assert [(s.path_suffix, s.is_directory) for s in listed] == [
        ("a.jar", False), ("b.jar", False), ("plugins", True)]
    (itself,) = setup.run(fs.list_status("/lib/a.jar"))
    assert (itself.path_suffix, itself.length) == ("", 5)
    assert listed[0] == setup.hdfs.list_status("/lib")[0]


def test_delete(setup):
    """Delete removes files and trees; a non-empty directory needs recursive."""
    fs = setup.client
    setup.run(fs.create("/app/dir/f", b"x"))
    error = setup.error(fs.delete("/app", recursive=False))
    assert type(error) is PathIsNotEmptyDirectoryException
    assert error.message == "`/app is non empty': Directory is not empty"
    assert setup.run(fs.delete("/app")) is True
    assert setup.run(fs.delete("/app")) is False
    assert not setup.hdfs.exists("/app")


def test_rename_and_set_replication(setup):
    """Rename moves a path (False for a missing one); replication is set on files only."""
    fs = setup.client
    setup.run(fs.create("/a", b"x"))
    setup.run(fs.mkdirs("/d"))
    assert setup.run(fs.rename("/a", "/d")) is True
    assert setup.hdfs.exists("/d/a") and not setup.hdfs.exists("/a")
    assert setup.run(fs.rename("/a", "/b")) is False
    assert setup.run(fs.set_replication("/d/a", 5)) is True
    assert setup.hdfs.get_file_status("/d/a").replication == 5
    assert setup.run(fs.set_replication("/d", 5)) is False


def test_invalid_paths(setup):
    """A relative path fails with InvalidPathException, worded as HDFS words it."""
    fs = setup.client
    for deferred in (fs.get_file_status("relative/x"), fs.create("relative/x", b""),
                     fs.rename("/a", "relative")):
        error = setup.error(deferred)
        assert type(error) is InvalidPathException
        assert error.message.startswith("Invalid path name")
