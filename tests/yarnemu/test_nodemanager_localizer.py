"""Tests for :mod:`yarnemu.nodemanager.localizer`."""

import io
import os
import tarfile
import zipfile

import pytest

from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH
from yarnemu.dfs import FakeHDFS
from yarnemu.nodemanager.localizer import LocalizationError, Localizer
from yarnemu.records.containers import URL, LocalResource
from yarnemu.records.ids import ApplicationId
from yarnemu.records.states import LocalResourceType, LocalResourceVisibility

APP_1 = ApplicationId(1767225600000, 1)
APP_2 = ApplicationId(1767225600000, 2)
PUBLIC = LocalResourceVisibility.PUBLIC
PRIVATE = LocalResourceVisibility.PRIVATE
APPLICATION = LocalResourceVisibility.APPLICATION
ARCHIVE = LocalResourceType.ARCHIVE


@pytest.fixture
def clock():
    return VirtualClock(start=DEFAULT_EPOCH)


@pytest.fixture
def fs(tmp_path, clock):
    return FakeHDFS(tmp_path / "hdfs", clock)


@pytest.fixture
def local_dir(tmp_path):
    return tmp_path / "nm" / "local"


@pytest.fixture
def localizer(fs, local_dir):
    return Localizer(fs, local_dir)


class Workdirs:
    """Fresh container working directories."""

    def __init__(self, root):
        self.root = root
        self.count = 0

    def __call__(self):
        self.count += 1
        path = self.root / f"container_{self.count}"
        path.mkdir(parents=True)
        return str(path)


@pytest.fixture
def workdir(tmp_path):
    return Workdirs(tmp_path / "work")


def upload(fs, path, data, visibility=APPLICATION, type=LocalResourceType.FILE):
    """Create a file on the fake HDFS and return the LocalResource a client would register."""
    status = fs.create(path, data, "alice")
    return LocalResource(URL.for_hdfs_path(path, "namenode", 8020), status.length,
                         status.modification_time, type, visibility)


def resource_for(fs, path, visibility=APPLICATION, type=LocalResourceType.FILE):
    status = fs.get_file_status(path)
    return LocalResource(URL.for_hdfs_path(path), status.length, status.modification_time,
                         type, visibility)


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for name, data in entries.items():
            bundle.writestr(name, data)
    return buffer.getvalue()


def tar_bytes(entries, mode="w:gz", links=()):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as bundle:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
        for name, target in links:
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            bundle.addfile(info)
    return buffer.getvalue()


def read(*parts):
    with open(os.path.join(*parts), "rb") as stream:
        return stream.read()


def test_file_is_linked_into_the_working_dir(fs, localizer, workdir):
    """A file resource appears in the working directory under its link name."""
    resource = upload(fs, "/user/alice/app.jar", b"jar bytes")
    work = workdir()
    localizer.localize({"app.jar": resource}, "alice", APP_1, work)
    link = os.path.join(work, "app.jar")
    assert os.path.islink(link)
    assert read(link) == b"jar bytes"
    assert localizer.bytes_localized == len(b"jar bytes")


def test_link_name_may_have_directories(fs, localizer, workdir):
    """A link name with directories puts the resource in a subdirectory of the working dir."""
    resource = upload(fs, "/conf/core-site.xml", b"<configuration/>")
    work = workdir()
    localizer.localize({"conf/core-site.xml": resource}, "alice", APP_1, work)
    assert read(work, "conf", "core-site.xml") == b"<configuration/>"


def test_caches_by_visibility(fs, localizer, local_dir, workdir):
    """PUBLIC resources live in the node's filecache, PRIVATE ones in the user's, APPLICATION ones
    in the application's."""
    resources = {
        "pub": upload(fs, "/share/pub.txt", b"p", PUBLIC),
        "priv": upload(fs, "/user/alice/priv.txt", b"q", PRIVATE),
        "app": upload(fs, "/user/alice/app.txt", b"r", APPLICATION),
    }
    work = workdir()
    localizer.localize(resources, "alice", APP_1, work)
    targets = {name: os.path.realpath(os.path.join(work, name)) for name in resources}
    local = os.path.realpath(local_dir)
    assert targets["pub"].startswith(os.path.join(local, "filecache") + os.sep)
    assert targets["priv"].startswith(
        os.path.join(local, "usercache", "alice", "filecache") + os.sep)
    assert targets["app"].startswith(
        os.path.join(local, "usercache", "alice", "appcache", str(APP_1), "filecache") + os.sep)


def test_public_cache_is_shared_by_users_and_applications(fs, localizer, workdir):
    """A PUBLIC resource is fetched once for every user and application on the node."""
    resource = upload(fs, "/share/flink-dist.jar", b"x" * 1000, PUBLIC)
    first, second = workdir(), workdir()
    localizer.localize({"flink.jar": resource}, "alice", APP_1, first)
    localizer.localize({"flink.jar": resource}, "bob", APP_2, second)
    assert localizer.bytes_localized == 1000
    assert os.path.realpath(os.path.join(first, "flink.jar")) == os.path.realpath(
        os.path.join(second, "flink.jar"))


def test_private_cache_is_per_user(fs, localizer, workdir):
    """A PRIVATE resource is fetched once per user, whatever the application."""
    resource = upload(fs, "/user/alice/lib.jar", b"y" * 100, PRIVATE)
    localizer.localize({"lib.jar": resource}, "alice", APP_1, workdir())
    localizer.localize({"lib.jar": resource}, "alice", APP_2, workdir())
    assert localizer.bytes_localized == 100
    localizer.localize({"lib.jar": resource}, "bob", APP_2, workdir())
    assert localizer.bytes_localized == 200


def test_application_cache_is_per_application(fs, localizer, workdir):
    """An APPLICATION resource is fetched once per application, for all its containers."""
    resource = upload(fs, "/user/alice/.staging/job.xml", b"z" * 10, APPLICATION)
    localizer.localize({"job.xml": resource}, "alice", APP_1, workdir())
    localizer.localize({"job.xml": resource}, "alice", APP_1, workdir())
    assert localizer.bytes_localized == 10
    localizer.localize({"job.xml": resource}, "alice", APP_2, workdir())
    assert localizer.bytes_localized == 20


def test_same_resource_under_two_names_is_fetched_once(fs, localizer, workdir):
    """One resource linked under two names is fetched once."""
    resource = upload(fs, "/share/a.txt", b"abc", PUBLIC)
    work = workdir()
    localizer.localize({"one": resource, "two": resource}, "alice", APP_1, work)
    assert localizer.bytes_localized == 3
    assert read(work, "one") == read(work, "two") == b"abc"


def test_forgotten_application_is_fetched_again(fs, localizer, local_dir, workdir):
    """After its application is forgotten, an APPLICATION resource is fetched anew."""
    resource = upload(fs, "/user/alice/job.xml", b"1234", APPLICATION)
    localizer.localize({"job.xml": resource}, "alice", APP_1, workdir())
    localizer.forget_application(APP_1)
    localizer.localize({"job.xml": resource}, "alice", APP_1, workdir())
    assert localizer.bytes_localized == 8


def test_deleted_cache_entry_is_fetched_again(fs, localizer, workdir):
    """A cache entry whose files are gone is fetched again."""
    resource = upload(fs, "/share/x.txt", b"xx", PUBLIC)
    work = workdir()
    localizer.localize({"x": resource}, "alice", APP_1, work)
    os.remove(os.path.realpath(os.path.join(work, "x")))
    second = workdir()
    localizer.localize({"x": resource}, "alice", APP_1, second)
    assert read(second, "x") == b"xx"
    assert localizer.bytes_localized == 4


def test_directory_is_copied_whole(fs, localizer, workdir):
    """A directory resource is copied with everything under it."""
    fs.create("/user/alice/conf/a.xml", b"A", "alice")
    fs.create("/user/alice/conf/sub/b.xml", b"BB", "alice")
    fs.mkdirs("/user/alice/conf/empty", "alice")
    resource = resource_for(fs, "/user/alice/conf")
    work = workdir()
    localizer.localize({"conf": resource}, "alice", APP_1, work)
    assert read(work, "conf", "a.xml") == b"A"
    assert read(work, "conf", "sub", "b.xml") == b"BB"
    assert os.path.isdir(os.path.join(work, "conf", "empty"))
    assert localizer.bytes_localized == 3


def test_zip_archive_is_unpacked(fs, localizer, workdir):
    """An ARCHIVE zip (or jar) is unpacked into a directory under its link name."""
    data = zip_bytes({"lib/a.jar": b"a", "conf.yaml": b"c: 1"})
    resource = upload(fs, "/user/alice/bundle.zip", data, type=ARCHIVE)
    work = workdir()
    localizer.localize({"bundle": resource}, "alice", APP_1, work)
    assert read(work, "bundle", "lib", "a.jar") == b"a"
    assert read(work, "bundle", "conf.yaml") == b"c: 1"
    assert localizer.bytes_localized == len(data)


@pytest.mark.parametrize("mode, name", [("w:gz", "python.tar.gz"), ("w:gz", "python.tgz"),
                                        ("w", "python.tar")])
def test_tar_archive_is_unpacked(fs, localizer, workdir, mode, name):
    """An ARCHIVE tar, tar.gz or tgz is unpacked into a directory under its link name."""
    data = tar_bytes({"venv/bin/python": b"#!", "README": b"hi"}, mode=mode)
    resource = upload(fs, f"/user/alice/{name}", data, type=ARCHIVE)
    work = workdir()
    localizer.localize({"env": resource}, "alice", APP_1, work)
    assert read(work, "env", "venv", "bin", "python") == b"#!"
    assert read(work, "env", "README") == b"hi"


def test_archive_is_unpacked_once_for_its_cache(fs, localizer, workdir):
    """An archive is downloaded and unpacked once per cache, and its download is not left over."""
    data = zip_bytes({"x": b"1"})
    resource = upload(fs, "/share/x.zip", data, PUBLIC, ARCHIVE)
    first, second = workdir(), workdir()
    localizer.localize({"x": resource}, "alice", APP_1, first)
    localizer.localize({"x": resource}, "alice", APP_2, second)
    assert localizer.bytes_localized == len(data)
    unpacked = os.path.realpath(os.path.join(first, "x"))
    assert os.listdir(os.path.dirname(unpacked)) == ["x.zip"]


def test_archive_that_is_no_archive_is_kept_as_a_file(fs, localizer, workdir):
    """An ARCHIVE resource that is not a known archive is linked as the file it is."""
    resource = upload(fs, "/user/alice/notes.txt", b"plain text", type=ARCHIVE)
    work = workdir()
    localizer.localize({"notes": resource}, "alice", APP_1, work)
    assert read(work, "notes") == b"plain text"


def test_same_file_as_file_and_archive_are_separate(fs, localizer, workdir):
    """The same path localized as a FILE and as an ARCHIVE gives two cache entries."""
    fs.create("/share/b.zip", zip_bytes({"inside": b"!"}), "alice")
    work = workdir()
    localizer.localize({
        "as-file": resource_for(fs, "/share/b.zip", PUBLIC),
        "as-archive": resource_for(fs, "/share/b.zip", PUBLIC, ARCHIVE),
    }, "alice", APP_1, work)
    assert zipfile.is_zipfile(os.path.join(work, "as-file"))
    assert read(work, "as-archive", "inside") == b"!"


def test_changed_timestamp_fails(fs, localizer, clock, workdir):
    """A file changed since the client registered it fails with FSDownload's message."""
    resource = upload(fs, "/user/alice/app.jar", b"v1")
    clock.advance(5)
    fs.create("/user/alice/app.jar", b"v2", "alice", overwrite=True)
    now = fs.get_file_status("/user/alice/app.jar").modification_time
    with pytest.raises(LocalizationError) as caught:
        localizer.localize({"app.jar": resource}, "alice", APP_1, workdir())
    assert str(caught.value) == (
        "java.io.IOException: Resource hdfs://namenode:8020/user/alice/app.jar changed on src "
        f"filesystem (expected {resource.timestamp}, was {now}"
    )
    assert localizer.bytes_localized == 0


def test_new_timestamp_is_fetched_anew(fs, localizer, clock, workdir):
    """A file registered again with its new timestamp is fetched again, not taken from the cache."""
    upload(fs, "/share/app.jar", b"v1", PUBLIC)
    localizer.localize({"app.jar": resource_for(fs, "/share/app.jar", PUBLIC)}, "a", APP_1,
                       workdir())
    clock.advance(5)
    fs.create("/share/app.jar", b"v2!", "alice", overwrite=True)
    work = workdir()
    localizer.localize({"app.jar": resource_for(fs, "/share/app.jar", PUBLIC)}, "a", APP_1, work)
    assert read(work, "app.jar") == b"v2!"


def test_missing_file_fails(localizer, workdir):
    """A resource that does not exist fails with FileNotFoundException."""
    resource = LocalResource(URL.for_hdfs_path("/user/alice/missing.jar"), 1, 0)
    with pytest.raises(LocalizationError) as caught:
        localizer.localize({"missing.jar": resource}, "alice", APP_1, workdir())
    assert str(caught.value) == (
        "java.io.FileNotFoundException: File does not exist: hdfs:///user/alice/missing.jar"
    )


@pytest.mark.parametrize("scheme", ["file", "http", "s3a", "HDFS"])
def test_other_file_systems_are_refused(tmp_path, localizer, workdir, scheme):
    """A resource on another file system than the fake HDFS is refused, even if it exists."""
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    resource = LocalResource(URL(scheme=scheme, file=str(secret)), 6, 0)
    work = workdir()
    with pytest.raises(LocalizationError, match="not on the cluster file system"):
        localizer.localize({"secret": resource}, "alice", APP_1, work)
    assert os.listdir(work) == []


def test_bare_path_and_webhdfs_are_the_fake_hdfs(fs, localizer, workdir):
    """A resource with no scheme or a webhdfs scheme comes from the fake HDFS."""
    status = fs.create("/share/a.txt", b"a", "alice")
    work = workdir()
    localizer.localize({
        "bare": LocalResource(URL(scheme="", file="/share/a.txt"), 1, status.modification_time),
        "web": LocalResource(URL(scheme="webhdfs", file="/share/a.txt", host="nn", port=9870), 1,
                             status.modification_time),
    }, "alice", APP_1, work)
    assert read(work, "bare") == read(work, "web") == b"a"


@pytest.mark.parametrize("file", ["/../../etc/passwd", "relative/path", "/a/../../b"])
def test_paths_outside_the_fake_hdfs_are_refused(localizer, workdir, file):
    """A path that does not name a place in the fake HDFS is refused."""
    resource = LocalResource(URL(scheme="hdfs", file=file), 1, 0)
    with pytest.raises(LocalizationError, match="InvalidPathException"):
        localizer.localize({"x": resource}, "alice", APP_1, workdir())


def test_link_in_the_fake_hdfs_leading_out_is_refused(fs, tmp_path, localizer, workdir):
    """A symbolic link planted in the fake HDFS's directory does not lead out of it."""
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    os.symlink(secret, tmp_path / "hdfs" / "leak")
    resource = LocalResource(URL.for_hdfs_path("/leak"), 6, 0)
    with pytest.raises(LocalizationError, match="AccessControlException"):
        localizer.localize({"leak": resource}, "alice", APP_1, workdir())


@pytest.mark.parametrize("name", ["../evil", "/tmp/evil", ".", "", "a/../../evil", "a/../.."])
def test_link_names_escaping_the_working_dir_are_refused(fs, localizer, workdir, tmp_path, name):
    """A link name that leads out of the working directory is refused."""
    resource = upload(fs, "/share/evil", b"evil", PUBLIC)
    with pytest.raises(LocalizationError, match="Invalid local resource name"):
        localizer.localize({name: resource}, "alice", APP_1, workdir())
    assert not os.path.exists(tmp_path / "work" / "evil")
    assert localizer.bytes_localized == 0


def test_link_names_through_another_link_are_refused(fs, localizer, workdir):
    """A link name inside another resource's link would write into the cache: it is refused."""
    fs.create("/share/lib/a.jar", b"a", "alice")
    directory = resource_for(fs, "/share/lib", PUBLIC)
    evil = upload(fs, "/share/evil.jar", b"evil", PUBLIC)
    work = workdir()
    with pytest.raises(LocalizationError, match="Invalid local resource name 'lib/evil.jar'"):
        localizer.localize({"lib": directory, "lib/evil.jar": evil}, "alice", APP_1, work)
    cached = os.path.realpath(os.path.join(work, "lib"))
    assert os.listdir(cached) == ["a.jar"]


def test_clashing_link_names_fail_cleanly(fs, localizer, workdir):
    """A link name that clashes with a directory made for another fails as a localization error."""
    resource = upload(fs, "/share/a", b"a", PUBLIC)
    with pytest.raises(LocalizationError, match="Cannot link"):
        localizer.localize({"x/y": resource, "x": resource}, "alice", APP_1, workdir())


@pytest.mark.parametrize("entry", ["../escaped.txt", "/abs-escaped.txt", "a/../../escaped.txt"])
def test_zip_entry_escaping_is_refused(fs, localizer, workdir, tmp_path, entry):
    """A zip entry that leads out of its directory fails localization and writes nothing outside."""
    resource = upload(fs, "/user/alice/evil.zip", zip_bytes({entry: b"x", "ok": b"y"}),
                      type=ARCHIVE)
    with pytest.raises(LocalizationError):
        localizer.localize({"evil": resource}, "alice", APP_1, workdir())
    assert not [path for path in tmp_path.rglob("*escaped.txt")]


def test_tar_entry_escaping_is_refused(fs, localizer, workdir, tmp_path):
    """A tar entry that leads out of its directory fails localization and writes nothing outside."""
    resource = upload(fs, "/user/alice/evil.tgz", tar_bytes({"../escaped.txt": b"x"}),
                      type=ARCHIVE)
    with pytest.raises(LocalizationError, match="Cannot unpack"):
        localizer.localize({"evil": resource}, "alice", APP_1, workdir())
    assert not [path for path in tmp_path.rglob("*escaped.txt")]


def test_tar_absolute_entry_stays_inside(fs, localizer, workdir):
    """A tar entry with an absolute name is unpacked inside its directory, as GNU tar does."""
    resource = upload(fs, "/user/alice/abs.tgz", tar_bytes({"/abs-entry.txt": b"x"}),
                      type=ARCHIVE)
    work = workdir()
    localizer.localize({"abs": resource}, "alice", APP_1, work)
    assert read(work, "abs", "abs-entry.txt") == b"x"
    assert not os.path.exists("/abs-entry.txt")


def test_tar_link_escaping_is_refused(fs, localizer, workdir):
    """A tar symbolic link pointing out of its directory fails localization."""
    resource = upload(fs, "/user/alice/evil.tgz",
                      tar_bytes({}, links=[("passwd", "/etc/passwd")]), type=ARCHIVE)
    with pytest.raises(LocalizationError, match="Cannot unpack"):
        localizer.localize({"evil": resource}, "alice", APP_1, workdir())


def test_corrupt_archive_fails(fs, localizer, workdir):
    """A truncated archive fails localization with a diagnostic."""
    data = tar_bytes({"big": os.urandom(4096)})[:200]
    resource = upload(fs, "/user/alice/broken.tgz", data, type=ARCHIVE)
    with pytest.raises(LocalizationError, match="Cannot unpack"):
        localizer.localize({"broken": resource}, "alice", APP_1, workdir())


def test_first_failure_stops_localization(fs, localizer, workdir):
    """Localization stops at the first resource that fails, naming it."""
    good = upload(fs, "/share/good", b"g", PUBLIC)
    bad = LocalResource(URL.for_hdfs_path("/share/missing"), 1, 0)
    with pytest.raises(LocalizationError, match="/share/missing"):
        localizer.localize({"good": good, "bad": bad}, "alice", APP_1, workdir())
