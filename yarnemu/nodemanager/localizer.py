"""
:class:`Localizer`: fetches a container's local resources from the fake HDFS into the
NodeManager's caches and links them into the container's working directory, as the NM's
``ResourceLocalizationService`` and ``FSDownload`` do.

- A resource is checked against the timestamp the client registered: a file changed since is a
  localization failure ("Resource … changed on src filesystem").
- Resources are cached by visibility: PUBLIC ones once per node, PRIVATE ones once per user,
  APPLICATION ones once per application; containers get symbolic links.
- ARCHIVE (and PATTERN) resources are unpacked (zip, jar, tar, tar.gz, tgz, recognised by their
  content); anything else is kept as the file it is, as ``FSDownload`` does.  A directory is copied
  whole.
- Only the fake HDFS is a source (``hdfs://``, ``webhdfs://``, ``viewfs://`` or a bare path):
  nothing else on the machine can be pulled into a container.  Nothing can be written outside the
  working directory and the caches either: a link name that leads out of the working directory
  (with ``..``, or through another resource's link) and an archive entry that leads out of its
  directory are refused.
- With ``local_files`` (set when containers run as processes of this machine, which read its
  files anyway), ``file:`` resources are accepted too, as Flink's ``file://`` staging sends them:
  checked against their timestamp like the others, a file or directory is linked where it is and
  an ARCHIVE is unpacked into the cache.
"""

import os
import shutil
import tarfile
import zipfile
from urllib.parse import unquote

from yarnemu.dfs import FileNotFoundException, normalize
from yarnemu.dfs.sparse import SparseWriter
from yarnemu.errors import RemoteError
from yarnemu.records.states import LocalResourceType, LocalResourceVisibility

__all__ = ["Localizer", "LocalizationError"]

_CHUNK = 1 << 16
_DFS_SCHEMES = {"hdfs", "webhdfs", "viewfs", ""}


class LocalizationError(Exception):
    """A resource that cannot be localized; the message is the container's diagnostic."""


class Localizer:
    """
    :param filesystem: the :class:`~yarnemu.dfs.FakeHDFS` resources come from.
    :param local_dir: the NodeManager's local directory (``yarn.nodemanager.local-dirs``).
    :param bool local_files: whether ``file:`` resources of this machine are accepted.

    :ivar int bytes_localized: bytes copied from the fake HDFS so far (cache hits copy nothing).
    """

    def __init__(self, filesystem, local_dir, local_files=False):
        self._fs = filesystem
        self._local_dir = str(local_dir)
        self.local_files = local_files
        self._cache = {}
        self._next_id = 10
        self.bytes_localized = 0

    def localize(self, local_resources, user, application_id, working_dir):
        """
        Fetch every resource and link it into ``working_dir`` under its name.

        :raise LocalizationError: naming the first resource that failed.
        """
        work = os.path.normpath(str(working_dir))
        # Links are only made inside the working directory, so its own real path stays put.
        real_work = os.path.realpath(work)
        for name, resource in local_resources.items():
            link = os.path.normpath(os.path.join(work, name))
            # realpath: a directory on the way may be the link of a resource localized before.
            parent = _real_path_below(work, real_work, os.path.dirname(link))
            if not link.startswith(work + os.sep) or not (
                    parent == real_work or parent.startswith(real_work + os.sep)):
                raise LocalizationError(f"Invalid local resource name {name!r}")
            cached = self._fetch(resource, user, application_id)
            try:
                os.makedirs(os.path.dirname(link), exist_ok=True)
                if os.path.lexists(link):
                    os.remove(link)
                os.symlink(cached, link)
            except OSError as error:
                raise LocalizationError(
                    f"java.io.IOException: Cannot link {name!r} to {resource.resource}: {error}"
                ) from None

    def forget_application(self, application_id):
        """Drop the cache entries of an application whose files are deleted."""
        for key in [key for key in self._cache if key[0] == ("app", str(application_id))]:
            del self._cache[key]

    def _fetch(self, resource, user, application_id):
        url = resource.resource
        if url.scheme == "file" and self.local_files:
            return self._fetch_local(resource, user, application_id)
        if url.scheme not in _DFS_SCHEMES:
            raise LocalizationError(
                f"Resource {url} is not on the cluster file system (yarnemu localizes from its "
                "fake HDFS only)"
            )
        try:
            path = normalize(unquote(url.file))
            status = self._fs.get_file_status(path)
        except FileNotFoundException:
            raise LocalizationError(f"java.io.FileNotFoundException: File does not exist: {url}") from None
        except RemoteError as error:
            raise LocalizationError(f"{error.java_class}: {error.message}") from None
        if status.modification_time != resource.timestamp:
            raise LocalizationError(
                f"java.io.IOException: Resource {url} changed on src filesystem (expected "
                f"{resource.timestamp}, was {status.modification_time}"
            )
        scope = _scope(resource.visibility, user, application_id)
        key = (scope, path, resource.timestamp, resource.type)
        cached = self._cache.get(key)
        if cached is not None and os.path.lexists(cached):
            return cached
        destination = os.path.join(self._cache_root(scope, user, application_id), str(self._next_id))
        self._next_id += 1
        target = os.path.join(destination, os.path.basename(path) or "resource")
        try:
            os.makedirs(destination, exist_ok=True)
            if status.type == "DIRECTORY":
                self._copy_tree(path, target)
            elif resource.type in (LocalResourceType.ARCHIVE, LocalResourceType.PATTERN):
                archive = target + ".download"
                self._copy_file(path, archive)
                _unpack(archive, target)
            else:
                self._copy_file(path, target)
        except RemoteError as error:
            raise LocalizationError(f"{error.java_class}: {error.message}") from None
        except OSError as error:
            raise LocalizationError(f"java.io.IOException: Cannot download {url}: {error}") from None
        self._cache[key] = target
        return target

    def _fetch_local(self, resource, user, application_id):
        """A ``file:`` resource: the file itself, or its archive unpacked into the cache."""
        url = resource.resource
        path = os.path.normpath(unquote(url.file))
        if not os.path.isabs(path):
            raise LocalizationError(f"java.io.IOException: Resource {url} is not an absolute path")
        try:
            status = os.stat(path)
        except FileNotFoundError:
            raise LocalizationError(
                f"java.io.FileNotFoundException: File {url} does not exist") from None
        except OSError as error:
            raise LocalizationError(f"java.io.IOException: Cannot read {url}: {error}") from None
        # RawLocalFileSystem's modification time: File.lastModified(), in whole milliseconds.
        modification_time = status.st_mtime_ns // 1_000_000
        if modification_time != resource.timestamp:
            # The same wording as for the fake HDFS's files, above.
            raise LocalizationError(
                f"java.io.IOException: Resource {url} changed on src filesystem (expected "
                f"{resource.timestamp}, was {modification_time}"
            )
        if (resource.type not in (LocalResourceType.ARCHIVE, LocalResourceType.PATTERN)
                or os.path.isdir(path)):
            return path
        scope = _scope(resource.visibility, user, application_id)
        key = (scope, url, resource.timestamp, resource.type)
        cached = self._cache.get(key)
        if cached is not None and os.path.lexists(cached):
            return cached
        destination = os.path.join(self._cache_root(scope, user, application_id),
                                   str(self._next_id))
        self._next_id += 1
        target = os.path.join(destination, os.path.basename(path))
        try:
            os.makedirs(destination, exist_ok=True)
            shutil.copyfile(path, target + ".download")
        except OSError as error:
            raise LocalizationError(
                f"java.io.IOException: Cannot download {url}: {error}") from None
        _unpack(target + ".download", target)
        self._cache[key] = target
        return target

    def _cache_root(self, scope, user, application_id):
        if scope == "public":
            return os.path.join(self._local_dir, "filecache")
        if scope[0] == "private":
            return os.path.join(self._local_dir, "usercache", user, "filecache")
        return os.path.join(self._local_dir, "usercache", user, "appcache", str(application_id),
                            "filecache")

    def _copy_file(self, path, target):
        with self._fs.open(path) as source, open(target, "wb") as sink:
            writer = SparseWriter(sink.fileno())
            for chunk in iter(lambda: source.read(_CHUNK), b""):
                writer.write(chunk)
            writer.close()
            self.bytes_localized += writer.written

    def _copy_tree(self, path, target):
        os.makedirs(target, exist_ok=True)
        for entry in self._fs.list_status(path):
            child = f"{path.rstrip('/')}/{entry.path_suffix}"
            local = os.path.join(target, entry.path_suffix)
            if entry.type == "DIRECTORY":
                self._copy_tree(child, local)
            else:
                self._copy_file(child, local)


def _real_path_below(work, real_work, path):
    """
    :return: ``os.path.realpath(path)``, given ``real_work``, the real path of ``work``: for a
        path below ``work`` only its components below ``work`` are looked at (with ``lstat``), as
        those above were resolved once already.
    """
    if path == work:
        return real_work
    if not path.startswith(work + os.sep):
        return os.path.realpath(path)
    real = real_work
    for name in path[len(work) + 1:].split(os.sep):
        real = os.path.join(real, name)
        if os.path.islink(real):
            return os.path.realpath(path)
    return real


def _scope(visibility, user, application_id):
    if visibility is LocalResourceVisibility.PUBLIC:
        return "public"
    if visibility is LocalResourceVisibility.PRIVATE:
        return ("private", user)
    return ("app", str(application_id))


def _unpack(archive, target):
    """Unpack ``archive`` into the directory ``target``, or make it ``target`` if not an archive."""
    try:
        if zipfile.is_zipfile(archive):
            os.makedirs(target)
            with zipfile.ZipFile(archive) as bundle:
                root = os.path.realpath(target)
                for member in bundle.namelist():
                    where = os.path.realpath(os.path.join(target, member))
                    if where != root and not where.startswith(root + os.sep):
                        raise LocalizationError(f"Archive entry {member!r} escapes its directory")
                bundle.extractall(target)
        elif tarfile.is_tarfile(archive):
            os.makedirs(target)
            with tarfile.open(archive) as bundle:
                bundle.extractall(target, filter="data")
        else:
            os.replace(archive, target)
            return
    except LocalizationError:
        raise
    except Exception as error:
        # Archives are the application's data: whatever is wrong with one (truncated, encrypted,
        # an unknown compression) fails this container, never the NodeManager.
        raise LocalizationError(
            f"java.io.IOException: Cannot unpack {archive}: {error!r}"
        ) from None
    os.remove(archive)
