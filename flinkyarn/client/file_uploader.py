"""
:class:`ApplicationFileUploader`: Flink's ``YarnApplicationFileUploader`` — copies the files of one
deployment into its application directory ``<staging root>/.flink/<applicationId>`` on the
cluster's file system (the fake HDFS, in process or over WebHDFS) and registers each as a YARN
local resource.

- A local file is uploaded to ``<application dir>/<relative dir>/<name>`` and registered with
  APPLICATION visibility, its local size and the uploaded file's modification time.  Uploads run
  one after another, as Flink's client thread does them.  To an in-process file system (whose
  writes take no time on the clock) each takes ``size / bandwidth`` of simulated time before the
  file appears (``flinkyarn.simulation.upload.bandwidth-mb``, MB being 2^20 bytes as everywhere in
  YARN and Flink, rounded up to whole milliseconds); to a remote one (WebHDFS) it takes the time
  the transfer takes, with nothing simulated on top — the file system client says which
  (``IFileSystemClient.transfers_take_time``).
- A file already on the cluster file system is registered in place; nothing is copied.
- The files under ``yarn.provided.lib.dirs`` are registered in place with PUBLIC visibility,
  named by their path relative to the parent of their directory (``lib/…``, ``plugins/…``).

Every registered resource except the dist jar is also listed for ``_CLIENT_SHIP_FILES``, so that
TaskManagers get the same files.

The file system is reached through an :class:`~yarnemu.interfaces.IFileSystemClient` acting as the
submitting user, so every step yields on its Deferreds.
"""

import io
import math
import os
import posixpath

from twisted.internet.defer import inlineCallbacks

from flinkyarn.client.client_log import YARN_APPLICATION_FILE_UPLOADER
from flinkyarn.client.errors import ClusterDeploymentException
from flinkyarn.yarn.constants import STAGING_DIRECTORY_NAME
from flinkyarn.yarn.resource_descriptor import YarnLocalResourceDescriptor
from yarnemu.dfs import FileNotFoundException, HDFSIOException, normalize, path_from_uri
from yarnemu.records.containers import URL
from yarnemu.records.states import LocalResourceType, LocalResourceVisibility
from yarnemu.timers import now_ms, sleep_ms

__all__ = [
    "ApplicationFileUploader",
    "application_dir_path",
    "hdfs_uri",
    "is_remote_path",
    "is_flink_dist_jar",
    "is_plugin",
    "BYTES_PER_MB",
]

BYTES_PER_MB = 1024 * 1024

_PLUGINS_DIR = "plugins"


def application_dir_path(staging_root, application_id):
    """:return: ``<staging root>/.flink/<applicationId>`` (a normalized HDFS path)."""
    return normalize(f"{staging_root}/{STAGING_DIRECTORY_NAME}/{application_id}")


def hdfs_uri(path):
    """:return: the ``hdfs:///…`` URI of an HDFS path, as resources and descriptors carry it."""
    return str(URL.for_hdfs_path(normalize(path)))


def is_remote_path(path):
    """Whether ``path`` has a scheme other than ``file`` (Flink's ``Utils.isRemotePath``)."""
    scheme, separator, _ = str(path).partition(":")
    return bool(separator) and "/" not in scheme and scheme.lower() not in ("", "file")


def is_flink_dist_jar(name):
    """Whether a file name is the dist jar's (``flink-dist*jar``), which is shipped once."""
    return name.startswith("flink-dist") and name.endswith("jar")


def is_plugin(key):
    """Whether a resource key lies under a ``plugins`` directory (shipped, not on the classpath)."""
    return _PLUGINS_DIR in key.split("/")[:-1]


def _relative_key(directory, relative):
    """Hadoop's ``new Path(directory, relative)`` for relative paths: ``.`` parts vanish."""
    key = posixpath.normpath(posixpath.join(directory or ".", relative))
    return "" if key == "." else key


def _parent_key(key):
    parent = posixpath.dirname(key)
    return "" if parent == "." else parent


class ApplicationFileUploader:
    """
    Made ready by :meth:`start`, which creates the application directory.

    :param filesystem: an :class:`~yarnemu.interfaces.IFileSystemClient` acting as the user who
        uploads (the owner of what is created).
    :param clock: the ``IReactorTime`` uploads take time on.
    :param str staging_root: the staging root (an HDFS path).
    :param application_id: the application the files are for.
    :param int replication: the replication of uploaded files.
    :param float bandwidth_mb: upload bandwidth in MB (2^20 bytes) per second; positive.
    :param provided_lib_dirs: HDFS paths of ``yarn.provided.lib.dirs``.
    :param log: a :class:`~flinkyarn.client.client_log.ClientLog`.

    :ivar str application_dir: the application directory (an HDFS path).
    :ivar dict local_resources: resource key → ``LocalResource``, in registration order.
    :ivar list ship_descriptors: the :class:`YarnLocalResourceDescriptor` values for
        ``_CLIENT_SHIP_FILES``, in registration order.
    :ivar dist_descriptor: the dist jar's descriptor, once registered.
    :ivar int bytes_uploaded: bytes copied to the file system.
    :ivar int upload_ms: milliseconds of the clock spent uploading.
    """

    def __init__(self, filesystem, clock, staging_root, application_id, replication,
                 bandwidth_mb, provided_lib_dirs=(), log=None):
        if not bandwidth_mb > 0:
            raise ValueError(f"the upload bandwidth must be positive, not {bandwidth_mb!r}")
        self._fs = filesystem
        self._clock = clock
        self._replication = replication
        self._bytes_per_second = bandwidth_mb * BYTES_PER_MB
        self._log = log
        self.application_id = application_id
        self.staging_root = normalize(staging_root)
        self.application_dir = application_dir_path(staging_root, application_id)
        self.local_resources = {}
        self.ship_descriptors = []
        self.dist_descriptor = None
        self.bytes_uploaded = 0
        self.upload_ms = 0
        self._provided_lib_dirs = tuple(provided_lib_dirs)
        self._provided = []

    @inlineCallbacks
    def start(self):
        """
        Find the files under the provided lib dirs and create the application directory
        (``rwx------``) if it is missing.

        :return: a Deferred firing with this uploader.
        :raise HDFSIOException: when two provided files have the same name.
        """
        self._provided = yield self._files_in_provided_lib_dirs(self._provided_lib_dirs)
        exists = yield self._fs.exists(self.application_dir)
        if not exists:
            yield self._fs.mkdirs(self.application_dir, permission=0o700)
        return self

    # Registering

    @inlineCallbacks
    def register_single(self, key, source, relative_dir, resource_type=LocalResourceType.FILE,
                        ship=True):
        """
        Register one file: upload it if it is local, register it in place if it is remote.

        :param str key: its name in the container's working directory.
        :param str source: a local path, or a remote one (``hdfs://…``).
        :param str relative_dir: where under the application directory it is uploaded.
        :param bool ship: whether TaskManagers get it too (``_CLIENT_SHIP_FILES``).
        :return: a Deferred firing with its :class:`YarnLocalResourceDescriptor`.
        """
        if is_remote_path(source):
            status = yield self._fs.get_file_status(path_from_uri(source))
            descriptor = YarnLocalResourceDescriptor(
                key, hdfs_uri(path_from_uri(source)), status.length, status.modification_time,
                LocalResourceVisibility.APPLICATION, resource_type)
        else:
            size = _local_size(source)
            with open(source, "rb") as stream:
                descriptor = yield self._upload(key, stream, size, relative_dir,
                                                os.path.basename(source), resource_type)
        self._register(descriptor, ship)
        return descriptor

    @inlineCallbacks
    def register_bytes(self, key, data, ship=True):
        """
        Upload generated content (the configuration file, the JobGraph) to
        ``<application dir>/<key>`` and register it under ``key``.

        :return: a Deferred firing with its :class:`YarnLocalResourceDescriptor`.
        """
        descriptor = yield self._upload(key, io.BytesIO(data), len(data), _parent_key(key),
                                        posixpath.basename(key), LocalResourceType.FILE)
        self._register(descriptor, ship)
        return descriptor

    @inlineCallbacks
    def upload_local_file(self, source, relative_dir):
        """
        Upload a local file without registering it (a per-job user artifact).

        :return: a Deferred firing with the uploaded file's ``hdfs:///…`` URI.
        """
        size = _local_size(source)
        with open(source, "rb") as stream:
            descriptor = yield self._upload("", stream, size, relative_dir,
                                            os.path.basename(source), LocalResourceType.FILE)
        return descriptor.path

    @inlineCallbacks
    def register_multiple(self, sources, directory, resource_type=LocalResourceType.FILE):
        """
        Register files and whole directories (a directory keeps its structure, named relative to
        its parent), except the dist jar, which :meth:`upload_flink_dist` ships once.

        :param sources: local or remote paths.
        :param str directory: the key prefix (``""`` for the working directory itself).
        :return: a Deferred firing with their classpath entries: the directories of non-jar
            files first, then the jars, each group sorted.
        """
        resources = set()
        archives = set()
        expanded = yield self._expand(sources)
        for source, relative in expanded:
            key = _relative_key(directory, relative)
            if is_flink_dist_jar(posixpath.basename(key)):
                continue
            yield self.register_single(key, source, _parent_key(key), resource_type)
            if key.endswith("jar"):
                archives.add(key)
            else:
                resources.add(_parent_key(key))
        return sorted(resources) + sorted(archives)

    def register_provided(self):
        """
        Register every file under the provided lib dirs, PUBLIC, in place.

        :return: the classpath entries: every key but the dist jar's and the plugins'.
        """
        classpath = []
        for key, status_path, status in self._provided:
            descriptor = YarnLocalResourceDescriptor(
                key, hdfs_uri(status_path), status.length, status.modification_time,
                LocalResourceVisibility.PUBLIC, LocalResourceType.FILE)
            self._register(descriptor, ship=True)
            name = posixpath.basename(key)
            if is_flink_dist_jar(name):
                self.dist_descriptor = descriptor
            elif not is_plugin(key):
                classpath.append(key)
        return classpath

    @inlineCallbacks
    def upload_flink_dist(self, local_jar):
        """
        Ship the dist jar: the one found under the provided lib dirs, else upload ``local_jar``
        (not listed for ``_CLIENT_SHIP_FILES``: it travels in ``_FLINK_DIST_JAR``).

        :return: a Deferred firing with its descriptor.
        :raise ClusterDeploymentException: if lib dirs were provided without a dist jar.
        """
        if self.dist_descriptor is not None:
            return self.dist_descriptor
        if self._provided:
            raise ClusterDeploymentException(
                'The "yarn.provided.lib.dirs" has to also include the lib/, plugin/ and '
                "flink-dist jar. In other case, it cannot be used.")
        descriptor = yield self.register_single(os.path.basename(local_jar), local_jar, "",
                                                ship=False)
        self.dist_descriptor = descriptor
        return descriptor

    # Internals

    @inlineCallbacks
    def _upload(self, key, stream, size, relative_dir, name, resource_type):
        destination = normalize(
            posixpath.join(self.application_dir, relative_dir or ".", name))
        if self._fs.transfers_take_time:
            started_ms = now_ms(self._clock)
            status = yield self._fs.create(destination, stream, overwrite=True,
                                           replication=self._replication)
            transfer_ms = now_ms(self._clock) - started_ms
        else:
            transfer_ms = math.ceil(size * 1000 / self._bytes_per_second)
            yield sleep_ms(self._clock, transfer_ms)
            status = yield self._fs.create(destination, stream, overwrite=True,
                                           replication=self._replication)
        self.bytes_uploaded += size
        self.upload_ms += transfer_ms
        return YarnLocalResourceDescriptor(
            key, hdfs_uri(destination), size, status.modification_time,
            LocalResourceVisibility.APPLICATION, resource_type)

    def _register(self, descriptor, ship):
        self.local_resources[descriptor.key] = descriptor.to_local_resource()
        if ship:
            self.ship_descriptors.append(descriptor)

    @inlineCallbacks
    def _expand(self, sources):
        """
        :return: a Deferred firing with ``(source, path relative to the parent of the given
            path)`` of every file.
        """
        expanded = []
        for source in sources:
            if is_remote_path(source):
                path = path_from_uri(source)
                status = yield self._fs.get_file_status(path)
                if status.is_directory:
                    parent = posixpath.dirname(path)
                    for child, _ in (yield self._remote_files(path)):
                        expanded.append((hdfs_uri(child), posixpath.relpath(child, parent)))
                else:
                    expanded.append((source, posixpath.basename(path)))
                continue
            source = os.path.abspath(source)
            if os.path.isdir(source):
                parent = os.path.dirname(source)
                for local in _local_files(source):
                    relative = os.path.relpath(local, parent).replace(os.sep, "/")
                    expanded.append((local, relative))
            else:
                expanded.append((source, os.path.basename(source)))
        return expanded

    @inlineCallbacks
    def _remote_files(self, path):
        """
        :return: a Deferred firing with ``(path, FileStatus)`` of every file under an HDFS
            directory, in name order.
        """
        files = []
        statuses = yield self._fs.list_status(path)
        for status in statuses:
            child = f"{path.rstrip('/')}/{status.path_suffix}"
            if status.is_directory:
                files.extend((yield self._remote_files(child)))
            else:
                files.append((child, status))
        return files

    @inlineCallbacks
    def _files_in_provided_lib_dirs(self, provided_lib_dirs):
        found = {}
        for directory in provided_lib_dirs:
            path = path_from_uri(directory)
            exists = yield self._fs.exists(path)
            is_directory = exists and (yield self._fs.get_file_status(path)).is_directory
            if not is_directory:
                if self._log is not None:
                    self._log.warn(f"Provided lib dir {hdfs_uri(path)} does not exist or is not a "
                                   "directory. Ignoring.", self.application_id,
                                   YARN_APPLICATION_FILE_UPLOADER)
                continue
            parent = posixpath.dirname(path)
            for child, status in (yield self._remote_files(path)):
                key = posixpath.relpath(child, parent)
                if key in found:
                    raise HDFSIOException(
                        "Two files with the same filename exist in the shared libs: "
                        f"{hdfs_uri(found[key][0])} - {hdfs_uri(child)}. Please deduplicate.")
                found[key] = (child, status)
        return [(key, path, status) for key, (path, status) in found.items()]


def _local_size(path):
    try:
        if os.path.isdir(path):
            raise ValueError(f"File to copy cannot be a directory: {path}")
        return os.path.getsize(path)
    except FileNotFoundError:
        raise FileNotFoundException(f"File {path} does not exist") from None


def _local_files(directory):
    """:return: the files under a local directory, depth first, in name order."""
    files = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if os.path.isdir(path):
            files.extend(_local_files(path))
        elif os.path.isfile(path):
            files.append(path)
    return files
