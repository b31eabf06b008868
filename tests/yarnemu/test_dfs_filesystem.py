"""Tests for :mod:`yarnemu.dfs.filesystem`."""

import os
import stat

import pytest

from yarnemu.clock import VirtualClock
from yarnemu.dfs import (
    AccessControlException,
    FakeHDFS,
    FileAlreadyExistsException,
    FileNotFoundException,
    HDFSIOException,
    InvalidPathException,
    ParentNotDirectoryException,
    PathIsNotEmptyDirectoryException,
)
from yarnemu.dfs.filesystem import CHUNK_SIZE, FIRST_INODE_ID, ROOT_INODE_ID
from yarnemu.dfs.paths import PARTIAL_PREFIX
from yarnemu.errors import IllegalArgumentException

START = 1767225600.0
START_MS = 1767225600000


@pytest.fixture
def clock():
    return VirtualClock(start=START)


@pytest.fixture
def root(tmp_path):
    return tmp_path / "root"


@pytest.fixture
def outside(tmp_path):
    path = tmp_path / "outside"
    path.mkdir()
    return path


@pytest.fixture
def fs(root, clock):
    return FakeHDFS(root, clock)


def now_ms(clock):
    return int(round(clock.seconds() * 1000))


class RecordingStream:
    """A binary stream that records the sizes asked for and gives at most 40000 bytes a read."""

    def __init__(self, data, fail_after=None):
        self._data = data
        self._position = 0
        self._fail_after = fail_after
        self.sizes = []

    def read(self, size=-1):
        self.sizes.append(size)
        if self._fail_after is not None and self._position >= self._fail_after:
            raise ConnectionResetError("client went away")
        if size is None or size < 0:
            size = len(self._data)
        chunk = self._data[self._position : self._position + min(size, 40000)]
        self._position += len(chunk)
        return chunk


def disk_names(directory):
    return sorted(os.listdir(directory))


# mkdirs


def test_mkdirs_creates_missing_ancestors(fs, clock):
    """mkdirs creates the directory and its ancestors, owned by the user, at the clock's time."""
    assert fs.mkdirs("/user/alice/.flink", "alice") is True
    for path in ["/user", "/user/alice", "/user/alice/.flink"]:
        status = fs.get_file_status(path)
        assert status.type == "DIRECTORY"
        assert (status.owner, status.group, status.permission) == ("alice", "supergroup", "755")
        assert status.modification_time == START_MS
        assert (status.length, status.replication, status.block_size, status.access_time) == (
            0,
            0,
            0,
            0,
        )


def test_mkdirs_ancestors_get_owner_write_and_execute(fs):
    """Ancestors made by mkdirs get the requested permission plus owner write and execute."""
    fs.mkdirs("/a/b", "alice", permission=0o500)
    assert fs.get_file_status("/a").permission == "700"
    assert fs.get_file_status("/a/b").permission == "500"


def test_mkdirs_on_existing_directory_changes_nothing(fs, clock):
    """mkdirs of an existing directory returns True and leaves its time and owner alone."""
    fs.mkdirs("/d", "alice")
    clock.advance(10)
    assert fs.mkdirs("/d", "bob", permission=0o700) is True
    status = fs.get_file_status("/d")
    assert (status.owner, status.permission, status.modification_time) == (
        "alice",
        "755",
        START_MS,
    )


def test_mkdirs_stamps_the_existing_parent(fs, clock):
    """Creating a directory sets its parent's modification time to now."""
    fs.mkdirs("/p", "alice")
    clock.advance(5)
    fs.mkdirs("/p/q/r", "alice")
    assert fs.get_file_status("/p").modification_time == now_ms(clock)


def test_mkdirs_on_a_file(fs):
    """mkdirs over a file is FileAlreadyExistsException with HDFS's wording."""
    fs.create("/f", b"x", "alice")
    with pytest.raises(FileAlreadyExistsException) as caught:
        fs.mkdirs("/f", "alice")
    assert caught.value.message == "Path is not a directory: /f"
    assert caught.value.java_class == "org.apache.hadoop.fs.FileAlreadyExistsException"


def test_mkdirs_under_a_file(fs):
    """mkdirs below a file is ParentNotDirectoryException naming the file."""
    fs.create("/a/f", b"x", "alice")
    with pytest.raises(ParentNotDirectoryException) as caught:
        fs.mkdirs("/a/f/g/h", "alice")
    assert caught.value.message == "/a/f (is not a directory)"
    assert caught.value.java_class == "org.apache.hadoop.fs.ParentNotDirectoryException"


# create


def test_create_from_bytes(fs, clock, root):
    """create writes the bytes and returns the new file's status."""
    clock.advance(1.25)
    status = fs.create("/user/alice/a.txt", b"hello", "alice")
    assert status.path_suffix == ""
    assert status.type == "FILE"
    assert status.length == 5
    assert (status.owner, status.group, status.permission) == ("alice", "supergroup", "644")
    assert (status.replication, status.block_size) == (3, 134217728)
    assert status.modification_time == status.access_time == START_MS + 1250
    assert (root / "user" / "alice" / "a.txt").read_bytes() == b"hello"


def test_create_with_replication_block_size_and_permission(fs):
    """create records the replication, block size and permission it is given."""
    status = fs.create(
        "/f", b"", "bob", permission=0o600, replication=1, block_size=1048576
    )
    assert (status.permission, status.replication, status.block_size) == ("600", 1, 1048576)
    assert status.length == 0


def test_create_makes_missing_parents(fs, clock):
    """create makes missing ancestors owned by the user, like HDFS create."""
    fs.create("/user/alice/.flink/application_1_0001/flink-conf.yaml", b"a: 1", "alice")
    parent = fs.get_file_status("/user/alice/.flink/application_1_0001")
    assert parent.type == "DIRECTORY"
    assert (parent.owner, parent.permission) == ("alice", "755")
    assert parent.modification_time == now_ms(clock)


def test_create_stamps_the_parent(fs, clock):
    """Adding a file sets its directory's modification time to now."""
    fs.mkdirs("/d", "alice")
    clock.advance(3)
    fs.create("/d/f", b"x", "alice")
    assert fs.get_file_status("/d").modification_time == START_MS + 3000


def test_create_overwrite_replaces_the_inode(fs, clock):
    """create with overwrite replaces the content and makes a new inode for the new owner."""
    first = fs.create("/f", b"old content", "alice")
    clock.advance(2)
    second = fs.create("/f", b"new", "bob", overwrite=True)
    assert fs.read_bytes("/f") == b"new"
    assert second.length == 3
    assert second.owner == "bob"
    assert second.file_id != first.file_id
    assert second.modification_time == START_MS + 2000


def test_create_existing_without_overwrite(fs):
    """create over an existing file without overwrite is FileAlreadyExistsException."""
    fs.create("/f", b"x", "alice")
    with pytest.raises(FileAlreadyExistsException) as caught:
        fs.create("/f", b"y", "alice")
    assert caught.value.message == "/f for client 127.0.0.1 already exists"
    with pytest.raises(FileAlreadyExistsException) as caught:
        fs.create("/f", b"y", "alice", client_machine="10.0.0.7")
    assert caught.value.message == "/f for client 10.0.0.7 already exists"
    assert fs.read_bytes("/f") == b"x"


def test_create_over_a_directory(fs):
    """create over a directory is FileAlreadyExistsException, even with overwrite."""
    fs.mkdirs("/d", "alice")
    for overwrite in (False, True):
        with pytest.raises(FileAlreadyExistsException) as caught:
            fs.create("/d", b"x", "alice", overwrite=overwrite)
        assert caught.value.message == "/d already exists as a directory"


def test_create_under_a_file(fs):
    """create below a file is ParentNotDirectoryException naming the file."""
    fs.create("/f", b"x", "alice")
    with pytest.raises(ParentNotDirectoryException) as caught:
        fs.create("/f/g", b"y", "alice")
    assert caught.value.message == "/f (is not a directory)"


def test_create_with_bad_replication(fs):
    """A replication outside [1, 512] is an IOException worded as BlockManager words it."""
    with pytest.raises(HDFSIOException) as caught:
        fs.create("/f", b"x", "alice", replication=0)
    assert caught.value.message == (
        "Requested replication factor of 0 is less than the required minimum of 1 for /f"
    )
    assert caught.value.java_class == "java.io.IOException"
    with pytest.raises(HDFSIOException) as caught:
        fs.create("/f", b"x", "alice", replication=513)
    assert caught.value.message == (
        "Requested replication factor of 513 exceeds maximum of 512 for /f"
    )
    assert not fs.exists("/f")


def test_create_refuses_text(fs):
    """create takes bytes or a binary stream, not str."""
    with pytest.raises(TypeError):
        fs.create("/f", "text", "alice")
    assert not fs.exists("/f")


# Streaming


def test_create_streams_in_chunks(fs):
    """A stream is read in chunks of at most CHUNK_SIZE bytes, never all at once."""
    data = os.urandom(1536 * 1024 + 7)
    stream = RecordingStream(data)
    status = fs.create("/big.jar", stream, "alice")
    assert status.length == len(data)
    assert fs.read_bytes("/big.jar") == data
    assert len(stream.sizes) > len(data) // CHUNK_SIZE
    assert all(0 < size <= CHUNK_SIZE for size in stream.sizes)


def test_failed_stream_leaves_nothing(fs, clock, root):
    """A stream that fails mid-upload leaves no file, no partial file and the directory's time."""
    fs.mkdirs("/d", "alice")
    clock.advance(7)
    stream = RecordingStream(os.urandom(300000), fail_after=200000)
    with pytest.raises(ConnectionResetError):
        fs.create("/d/f", stream, "alice")
    assert not fs.exists("/d/f")
    assert disk_names(root / "d") == []
    assert fs.get_file_status("/d").modification_time == START_MS
    assert fs.list_status("/d") == []


def test_failed_overwrite_keeps_the_old_file(fs, clock, root):
    """A failed overwrite leaves the old content, status and no partial file."""
    before = fs.create("/d/f", b"keep me", "alice")
    clock.advance(7)
    with pytest.raises(ConnectionResetError):
        fs.create("/d/f", RecordingStream(b"x" * 100000, fail_after=40000), "bob", overwrite=True)
    assert fs.read_bytes("/d/f") == b"keep me"
    assert fs.get_file_status("/d/f") == before
    assert disk_names(root / "d") == ["f"]


def test_stream_without_data_is_an_error(fs, root):
    """A stream returning None (no data yet, not the end) fails the upload rather than truncate."""

    class Stalled:
        def read(self, size):
            return None

    with pytest.raises(HDFSIOException):
        fs.create("/f", Stalled(), "alice")
    assert disk_names(root) == []


def test_partial_uploads_are_hidden_and_reserved(fs, root):
    """Names of partial uploads are never listed and cannot be used as paths."""
    fs.mkdirs("/d", "alice")
    (root / "d" / f"{PARTIAL_PREFIX}leftover").write_bytes(b"junk")
    assert fs.list_status("/d") == []
    assert fs.get_file_status("/d").children_num == 0
    with pytest.raises(InvalidPathException):
        fs.create(f"/d/{PARTIAL_PREFIX}x", b"y", "alice")


# append


def test_append(fs, clock):
    """append adds bytes or a stream at the end and moves the modification time, not the owner."""
    fs.create("/f", b"abc", "alice")
    clock.advance(4)
    status = fs.append("/f", b"def", "bob")
    assert status.length == 6
    assert status.owner == "alice"
    assert status.modification_time == START_MS + 4000
    assert status.access_time == START_MS
    stream = RecordingStream(b"g" * 200000)
    fs.append("/f", stream, "bob")
    assert fs.read_bytes("/f") == b"abcdef" + b"g" * 200000
    assert all(size <= CHUNK_SIZE for size in stream.sizes)


def test_failed_append_is_cut_back(fs, clock):
    """An append whose stream fails leaves the file as it was, time included."""
    before = fs.create("/f", b"abc", "alice")
    clock.advance(4)
    with pytest.raises(ConnectionResetError):
        fs.append("/f", RecordingStream(b"z" * 100000, fail_after=80000), "alice")
    assert fs.read_bytes("/f") == b"abc"
    assert fs.get_file_status("/f") == before


def test_append_to_missing_file(fs):
    """append to a missing file is FileNotFoundException with HDFS's wording."""
    with pytest.raises(FileNotFoundException) as caught:
        fs.append("/nope", b"x", "alice")
    assert caught.value.message == (
        "Failed to append to non-existent file /nope for client 127.0.0.1"
    )
    assert caught.value.java_class == "java.io.FileNotFoundException"


def test_append_to_directory(fs):
    """append to a directory is FileAlreadyExistsException with HDFS's wording."""
    fs.mkdirs("/d", "alice")
    with pytest.raises(FileAlreadyExistsException) as caught:
        fs.append("/d", b"x", "alice")
    assert caught.value.message == "Cannot append to directory /d; already exists as a directory."


# Reading


def test_open_and_read_bytes(fs):
    """open gives a binary file object; read_bytes reads a range."""
    fs.create("/f", b"0123456789", "alice")
    with fs.open("/f") as stream:
        assert stream.read() == b"0123456789"
    assert fs.read_bytes("/f") == b"0123456789"
    assert fs.read_bytes("/f", offset=3) == b"3456789"
    assert fs.read_bytes("/f", offset=3, length=4) == b"3456"
    assert fs.read_bytes("/f", offset=8, length=10) == b"89"


def test_read_bytes_of_an_empty_file(fs):
    """An empty file reads as no bytes from offset 0."""
    fs.create("/empty", b"", "alice")
    assert fs.read_bytes("/empty") == b""


def test_read_bytes_offset_out_of_range(fs):
    """An offset at or past the end is an IOException worded as WebHDFS OPEN words it."""
    fs.create("/f", b"0123456789", "alice")
    with pytest.raises(HDFSIOException) as caught:
        fs.read_bytes("/f", offset=10)
    assert caught.value.message == "Offset=10 out of the range [0, 10); OPEN, path=/f"
    with pytest.raises(HDFSIOException):
        fs.read_bytes("/f", offset=-1)
    with pytest.raises(IllegalArgumentException):
        fs.read_bytes("/f", length=-1)


def test_open_missing_and_directory(fs):
    """open of a missing path or a directory is FileNotFoundException with HDFS's wording."""
    fs.mkdirs("/d", "alice")
    with pytest.raises(FileNotFoundException) as caught:
        fs.open("/nope")
    assert caught.value.message == "File does not exist: /nope"
    with pytest.raises(FileNotFoundException) as caught:
        fs.read_bytes("/d")
    assert caught.value.message == "Path is not a file: /d"


def test_get_file_status_of_root(fs):
    """The root is a directory owned by the superuser, with HDFS's root inode id."""
    status = fs.get_file_status("/")
    assert status.type == "DIRECTORY"
    assert (status.owner, status.group, status.permission) == ("yarnemu", "supergroup", "755")
    assert status.file_id == ROOT_INODE_ID


def test_get_file_status_missing(fs):
    """get_file_status of a missing path is FileNotFoundException with HDFS's wording."""
    with pytest.raises(FileNotFoundException) as caught:
        fs.get_file_status("/nope")
    assert caught.value.message == "File does not exist: /nope"
    assert caught.value.exception_name() == "FileNotFoundException"


def test_get_file_status_below_a_file(fs):
    """A path below a file does not exist (as the superuser sees it)."""
    fs.create("/f", b"x", "alice")
    with pytest.raises(FileNotFoundException):
        fs.get_file_status("/f/g")
    assert not fs.exists("/f/g")


def test_get_file_status_normalizes(fs):
    """Paths are normalized before they are looked up."""
    fs.create("/a/b", b"x", "alice")
    assert fs.get_file_status("//a/./c/../b/") == fs.get_file_status("/a/b")


def test_list_status_sorted(fs):
    """list_status gives a directory's entries sorted by name, named by path_suffix."""
    for name in ["b", "a", "C", "ä"]:
        fs.create(f"/d/{name}", name.encode(), "alice")
    fs.mkdirs("/d/sub/deeper", "alice")
    statuses = fs.list_status("/d")
    assert [status.path_suffix for status in statuses] == ["C", "a", "b", "sub", "ä"]
    assert statuses[3].type == "DIRECTORY"
    assert statuses[3].children_num == 1
    assert fs.get_file_status("/d").children_num == 5


def test_list_status_of_a_file(fs):
    """list_status of a file is a one-element list with its own status, as HDFS answers."""
    fs.create("/d/f", b"abc", "alice")
    assert fs.list_status("/d/f") == [fs.get_file_status("/d/f")]
    assert fs.list_status("/d/f")[0].path_suffix == ""


def test_list_status_missing(fs):
    """list_status of a missing path uses LISTSTATUS's wording, which HdfsCLI matches on."""
    with pytest.raises(FileNotFoundException) as caught:
        fs.list_status("/nope")
    assert caught.value.message == "File /nope does not exist."
    assert "does not exist" in caught.value.message


def test_exists(fs):
    """exists is true for files and directories, false for missing paths."""
    fs.create("/d/f", b"x", "alice")
    assert fs.exists("/")
    assert fs.exists("/d")
    assert fs.exists("/d/f")
    assert not fs.exists("/d/g")


def test_content_summary_and_du(fs):
    """content_summary counts bytes, files and directories (itself included); du is the bytes."""
    fs.create("/s/a", b"12345", "alice", replication=2)
    fs.create("/s/sub/b", b"123", "alice")
    fs.mkdirs("/s/empty", "alice")
    summary = fs.content_summary("/s")
    assert (summary.length, summary.file_count, summary.directory_count) == (8, 2, 3)
    assert summary.space_consumed == 5 * 2 + 3 * 3
    assert fs.du("/s") == 8
    assert fs.du("/s/a") == 5
    assert fs.content_summary("/s/a").directory_count == 0
    with pytest.raises(FileNotFoundException) as caught:
        fs.du("/nope")
    assert caught.value.message == "File does not exist: /nope"


def test_home_directory(fs):
    """A user's home directory is /user/<user>."""
    assert fs.home_directory("alice") == "/user/alice"


# delete


def test_delete_file(fs, clock, root):
    """delete removes a file, returns True and stamps the directory."""
    fs.create("/d/f", b"x", "alice")
    clock.advance(2)
    assert fs.delete("/d/f") is True
    assert not fs.exists("/d/f")
    assert disk_names(root / "d") == []
    assert fs.get_file_status("/d").modification_time == START_MS + 2000


def test_delete_directory_recursively(fs):
    """A recursive delete removes a directory and everything under it."""
    fs.create("/d/sub/f", b"x", "alice")
    assert fs.delete("/d", recursive=True) is True
    assert not fs.exists("/d")


def test_delete_missing(fs):
    """delete of a missing path returns False."""
    assert fs.delete("/nope") is False


def test_delete_root_is_refused(fs):
    """The root is never deleted: delete returns False, as HDFS does, and keeps its content."""
    fs.create("/f", b"x", "alice")
    assert fs.delete("/", recursive=True) is False
    assert fs.exists("/f")


def test_delete_non_empty_without_recursive(fs):
    """A non-recursive delete of a non-empty directory is PathIsNotEmptyDirectoryException."""
    fs.create("/d/f", b"x", "alice")
    with pytest.raises(PathIsNotEmptyDirectoryException) as caught:
        fs.delete("/d", recursive=False)
    assert caught.value.message == "`/d is non empty': Directory is not empty"
    assert caught.value.java_class == "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException"
    assert fs.exists("/d/f")
    fs.mkdirs("/e", "alice")
    assert fs.delete("/e", recursive=False) is True


# rename


def test_rename_file(fs, clock):
    """rename moves a file, keeps its status, and stamps both parents."""
    before = fs.create("/a/f", b"x", "alice")
    fs.mkdirs("/b", "alice")
    clock.advance(9)
    assert fs.rename("/a/f", "/b/g") is True
    assert not fs.exists("/a/f")
    after = fs.get_file_status("/b/g")
    assert after == before
    assert fs.get_file_status("/a").modification_time == START_MS + 9000
    assert fs.get_file_status("/b").modification_time == START_MS + 9000


def test_rename_into_existing_directory(fs):
    """rename onto an existing directory moves the source into it under its own name."""
    fs.create("/a/f", b"x", "alice")
    fs.mkdirs("/b", "alice")
    assert fs.rename("/a/f", "/b") is True
    assert fs.read_bytes("/b/f") == b"x"
    assert fs.rename("/b/f", "/") is True
    assert fs.exists("/f")


def test_rename_directory_keeps_its_time(fs, clock):
    """A renamed directory keeps its own modification time and its content."""
    fs.create("/a/d/f", b"x", "alice")
    clock.advance(5)
    fs.mkdirs("/b", "alice")
    clock.advance(5)
    assert fs.rename("/a/d", "/b/e") is True
    assert fs.get_file_status("/b/e").modification_time == START_MS
    assert fs.read_bytes("/b/e/f") == b"x"


@pytest.mark.parametrize(
    "src, dst",
    [
        ("/missing", "/x"),  # the source does not exist
        ("/", "/x"),  # the source is the root
        ("/a/f", "/no/such/parent/g"),  # the target's parent does not exist
        ("/a/f", "/b/existing"),  # the target is an existing file
        ("/a", "/a/sub"),  # the target is under the source
        ("/a", "/a/sub/deeper"),
        ("/b/existing", "/a/f/g"),  # the target's parent is a file
    ],
)
def test_rename_returns_false(fs, src, dst):
    """rename returns False, changing nothing, where HDFS's old rename does."""
    fs.create("/a/f", b"x", "alice")
    fs.mkdirs("/a/sub", "alice")
    fs.create("/b/existing", b"y", "alice")
    assert fs.rename(src, dst) is False
    assert fs.read_bytes("/a/f") == b"x"
    assert fs.read_bytes("/b/existing") == b"y"


def test_rename_into_a_directory_holding_the_name(fs):
    """rename into a directory that already has an entry of that name returns False."""
    fs.create("/a/f", b"x", "alice")
    fs.create("/b/f", b"y", "alice")
    assert fs.rename("/a/f", "/b") is False
    assert fs.read_bytes("/b/f") == b"y"


def test_rename_onto_itself(fs):
    """rename of a path onto itself (or into its own parent) returns True and changes nothing."""
    fs.create("/a/f", b"x", "alice")
    assert fs.rename("/a/f", "/a/f") is True
    assert fs.rename("/a/f", "/a") is True
    assert fs.read_bytes("/a/f") == b"x"


# Metadata


def test_file_ids_in_creation_order(fs):
    """Inode ids are handed out in creation order from 16386; the root is 16385."""
    fs.mkdirs("/a", "alice")
    fs.create("/a/f", b"x", "alice")
    fs.create("/b", b"y", "alice")
    assert fs.get_file_status("/").file_id == ROOT_INODE_ID
    assert [fs.get_file_status(p).file_id for p in ["/a", "/a/f", "/b"]] == [
        FIRST_INODE_ID,
        FIRST_INODE_ID + 1,
        FIRST_INODE_ID + 2,
    ]


def test_metadata_survives_rename(fs):
    """Owner, group, permission, replication and id move with a renamed path and its subtree."""
    fs.create("/a/d/f", b"x", "alice", permission=0o600, replication=2)
    fs.set_owner("/a/d", "bob", "hadoop")
    before_dir = fs.get_file_status("/a/d")
    before_file = fs.get_file_status("/a/d/f")
    assert fs.rename("/a/d", "/e") is True
    assert fs.get_file_status("/e") == before_dir
    assert fs.get_file_status("/e/f") == before_file


def test_metadata_vanishes_on_delete(fs):
    """A deleted path's metadata (and its subtree's) is gone: a new path there is a new inode."""
    old_file = fs.create("/d/f", b"x", "alice", replication=5)
    old_dir = fs.get_file_status("/d")
    fs.set_owner("/d", "bob", "hadoop")
    assert fs.delete("/d")
    fs.create("/d/f", b"x", "carol")
    new_dir = fs.get_file_status("/d")
    new_file = fs.get_file_status("/d/f")
    assert (new_dir.owner, new_dir.group) == ("carol", "supergroup")
    assert (new_file.owner, new_file.replication) == ("carol", 3)
    assert new_file.file_id != old_file.file_id
    assert new_dir.file_id != old_dir.file_id


def test_new_paths_take_the_parent_group(fs):
    """A new file or directory takes its parent directory's group, as in HDFS."""
    fs.mkdirs("/shared", "alice")
    fs.set_owner("/shared", group="hadoop")
    fs.create("/shared/x/f", b"1", "bob")
    assert fs.get_file_status("/shared/x").group == "hadoop"
    assert fs.get_file_status("/shared/x/f").group == "hadoop"


def test_set_replication(fs):
    """set_replication changes a file's replication; a directory or missing path gives False."""
    fs.create("/d/f", b"x", "alice")
    assert fs.set_replication("/d/f", 1) is True
    assert fs.get_file_status("/d/f").replication == 1
    assert fs.set_replication("/d", 1) is False
    assert fs.set_replication("/nope", 1) is False
    with pytest.raises(HDFSIOException):
        fs.set_replication("/d/f", 0)


def test_set_permission(fs, root):
    """set_permission is recorded as given and applied on disk with the owner's rights kept."""
    fs.create("/d/f", b"x", "alice")
    fs.set_permission("/d/f", 0o400)
    fs.set_permission("/d", 0o1777)
    assert fs.get_file_status("/d/f").permission == "400"
    assert fs.get_file_status("/d").permission == "1777"
    assert stat.S_IMODE(os.stat(root / "d" / "f").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(root / "d").st_mode) == 0o777
    fs.create("/d/f", b"y", "alice", overwrite=True)
    assert fs.read_bytes("/d/f") == b"y"
    with pytest.raises(FileNotFoundException) as caught:
        fs.set_permission("/nope", 0o700)
    assert caught.value.message == "File does not exist: /nope"
    with pytest.raises(IllegalArgumentException):
        fs.set_permission("/d", 0o7777)


def test_set_owner(fs):
    """set_owner changes the owner, the group, or both."""
    fs.create("/f", b"x", "alice")
    fs.set_owner("/f", owner="bob")
    assert (fs.get_file_status("/f").owner, fs.get_file_status("/f").group) == ("bob", "supergroup")
    fs.set_owner("/f", group="hadoop")
    assert (fs.get_file_status("/f").owner, fs.get_file_status("/f").group) == ("bob", "hadoop")
    with pytest.raises(IllegalArgumentException) as caught:
        fs.set_owner("/f")
    assert caught.value.message == "Both owner and group are empty."
    with pytest.raises(FileNotFoundException):
        fs.set_owner("/nope", owner="bob")


def test_restart_reads_the_same_times(root, clock):
    """A new FakeHDFS over the same root reads the same times; found paths are the superuser's."""
    first = FakeHDFS(root, clock)
    first.create("/d/b", b"bb", "alice")
    clock.advance(3)
    first.create("/d/a", b"a", "alice")
    clock.advance(3)
    again = FakeHDFS(root, VirtualClock(start=0.0), superuser="hdfs")
    for path in ["/d", "/d/a", "/d/b"]:
        before, after = first.get_file_status(path), again.get_file_status(path)
        assert after.modification_time == before.modification_time
        assert after.length == before.length
        assert after.owner == "hdfs"
    assert [s.file_id for s in again.list_status("/d")] == [
        FIRST_INODE_ID + 1,
        FIRST_INODE_ID + 2,
    ]
    assert again.get_file_status("/d").file_id == FIRST_INODE_ID
    assert again.get_file_status("/d/a").access_time == START_MS + 3000


def test_paths_found_on_disk(root, clock):
    """Files put on disk behind the fake's back are listed with their disk permission and length."""
    fs = FakeHDFS(root, clock)
    (root / "dropped").mkdir()
    (root / "dropped" / "x").write_bytes(b"1234")
    os.chmod(root / "dropped" / "x", 0o640)
    status = fs.get_file_status("/dropped/x")
    assert (status.owner, status.permission, status.length, status.replication) == (
        "yarnemu",
        "640",
        4,
        3,
    )
    assert fs.get_file_status("/dropped/x").file_id == status.file_id


# Confinement


def test_dot_dot_cannot_leave_the_root(fs, tmp_path):
    """A path climbing above / is InvalidPathException and writes nothing anywhere."""
    for path in ["/../evil", "/a/../../evil", "/a/b/../../../evil"]:
        with pytest.raises(InvalidPathException):
            fs.create(path, b"x", "alice")
        with pytest.raises(InvalidPathException):
            fs.mkdirs(path, "alice")
    assert not (tmp_path / "evil").exists()
    assert fs.list_status("/") == []


def test_dot_dot_inside_the_root_resolves(fs, root):
    """A ".." that stays inside the root is resolved lexically."""
    fs.create("/a/../b", b"x", "alice")
    assert (root / "b").read_bytes() == b"x"
    assert not (root / "a").exists()


def test_odd_names_are_literal(fs, root):
    """Percent-encoded dots, triple dots and backslashes are ordinary names under the root."""
    fs.create("/%2e%2e/x", b"1", "alice")
    fs.create("/.../y", b"2", "alice")
    fs.create("/..\\..\\z", b"3", "alice")
    assert (root / "%2e%2e" / "x").read_bytes() == b"1"
    assert (root / "..." / "y").read_bytes() == b"2"
    assert (root / "..\\..\\z").read_bytes() == b"3"


def test_uris_are_not_paths(fs):
    """A scheme-qualified URI is InvalidPathException; path_from_uri gives the path to use."""
    with pytest.raises(InvalidPathException):
        fs.create("hdfs://nn:8020/user/x", b"1", "alice")


def test_link_to_an_outside_directory_is_not_followed(fs, root, outside):
    """A symlink planted in the root to a directory outside is refused by every operation."""
    os.symlink(outside, root / "link")
    attempts = [
        lambda: fs.create("/link/x", b"evil", "alice"),
        lambda: fs.create("/link/sub/x", b"evil", "alice"),
        lambda: fs.mkdirs("/link/sub", "alice"),
        lambda: fs.get_file_status("/link"),
        lambda: fs.list_status("/link"),
        lambda: fs.rename("/link", "/elsewhere"),
        lambda: fs.delete("/link/x"),
    ]
    for attempt in attempts:
        with pytest.raises(AccessControlException):
            attempt()
    fs.create("/f", b"x", "alice")
    with pytest.raises(AccessControlException):
        fs.rename("/f", "/link")
    assert disk_names(outside) == []
    assert [status.path_suffix for status in fs.list_status("/")] == ["f"]


def test_link_to_an_outside_file_is_not_followed(fs, root, outside):
    """A symlink planted in the root to a file outside is neither read, replaced nor appended to."""
    secret = outside / "secret"
    secret.write_bytes(b"secret")
    os.symlink(secret, root / "link")
    with pytest.raises(AccessControlException):
        fs.create("/link", b"evil", "alice", overwrite=True)
    with pytest.raises(AccessControlException):
        fs.append("/link", b"evil", "alice")
    with pytest.raises(AccessControlException):
        fs.open("/link")
    assert secret.read_bytes() == b"secret"
    assert os.path.islink(root / "link")


def test_recursive_delete_removes_links_not_targets(fs, root, outside):
    """Deleting a directory that holds a planted link removes the link, never what it points to."""
    (outside / "keep").write_bytes(b"keep")
    fs.mkdirs("/d", "alice")
    os.symlink(outside, root / "d" / "link")
    assert fs.list_status("/d") == []
    assert fs.delete("/d") is True
    assert (outside / "keep").read_bytes() == b"keep"


def test_append_through_a_hard_link_is_refused(fs, root, outside):
    """A file with another hard link on disk is not appended to, so the other name is unchanged."""
    fs.create("/f", b"abc", "alice")
    os.link(root / "f", outside / "alias")
    with pytest.raises(AccessControlException):
        fs.append("/f", b"def", "alice")
    assert (outside / "alias").read_bytes() == b"abc"


def test_status_value_shape(fs):
    """get_file_status returns a FileStatus whose WebHDFS JSON is complete."""
    status = fs.create("/f", b"x", "alice")
    assert status.to_webhdfs_json()["pathSuffix"] == ""
    assert status.to_webhdfs_json()["fileId"] == status.file_id
