"""
:class:`SavepointStorage`: where a JobManager writes savepoints — the cluster's HDFS (yarnemu's
fake one), the default file system of a Flink cluster on YARN, as Flink's
``FsCheckpointStorageAccess`` writes them there.

- A target directory is an ``hdfs://[authority]/path`` (or ``webhdfs://``) URI, an absolute path
  (the default file system is HDFS), or a relative path, resolved against the user's home
  directory (HDFS's working directory).  Any other scheme (``file:``, ``s3:``) is an
  ``UnsupportedFileSystemSchemeException``: the emulated cluster has no other file system, and a
  REST client must not be able to make the service write to its host's disk.
- Each savepoint is a new directory ``savepoint-<the job id's first 6 hex digits>-<12 random hex
  digits>`` under the target (``initializeLocationForSavepoint``), created when the savepoint is
  triggered; its location (external pointer) is that directory's URI, with the target's scheme
  and authority (``hdfs:///…`` for a plain path).
- Its metadata file ``_metadata`` is written when the savepoint completes.  Flink's is a binary
  format; this one is JSON with what a restore needs: the job, the checkpoint id and time, the
  savepoint type and each source subtask's offset.
"""

import json
import re

from attrs import frozen

from flinkyarn.graph.errors import IllegalArgumentException
from flinkyarn.runtime.errors import FlinkIOException, UnsupportedFileSystemSchemeException
from yarnemu.dfs.paths import normalize, path_from_uri

__all__ = ["SavepointStorage", "SavepointLocation", "METADATA_FILE_NAME", "SAVEPOINT_DIRECTORY_KEY"]

#: ``AbstractFsCheckpointStorageAccess.METADATA_FILE_NAME``.
METADATA_FILE_NAME = "_metadata"

#: ``CheckpointingOptions.SAVEPOINT_DIRECTORY``: the default target directory.
SAVEPOINT_DIRECTORY_KEY = "state.savepoints.dir"

_SCHEME = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):")
_HDFS = ("hdfs", "webhdfs")
_URI = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<authority>[^/?#]*)")


@frozen
class SavepointLocation:
    """
    :ivar str path: the savepoint directory's HDFS path.
    :ivar str pointer: its URI, the savepoint's external pointer (``hdfs:///…``).
    """

    path: str
    pointer: str

    @property
    def metadata_path(self):
        return f"{self.path}/{METADATA_FILE_NAME}"


class SavepointStorage:
    """
    :param filesystem: the cluster's :class:`~yarnemu.dfs.FakeHDFS`.
    :param str user: who the JobManager runs as (owner of what it writes; its home directory
        resolves relative targets).
    :param random: a seeded ``random.Random`` (the process's ``IdGenerator``) for the directory
        names.
    """

    def __init__(self, filesystem, user, random):
        self._filesystem = filesystem
        self._user = user
        self._random = random

    def initialize_location(self, target_directory, job_id):
        """
        Create the directory of a new savepoint of ``job_id`` under ``target_directory``.

        :return: its :class:`SavepointLocation`.
        :raise UnsupportedFileSystemSchemeException: for a target that is not on HDFS.
        :raise FlinkIOException: ``Failed to create savepoint directory at <target>`` if the
            target is not a valid path or the directory cannot be made (a file is in the way).
        """
        base, prefix = self._resolve(target_directory)
        name = f"savepoint-{str(job_id)[:6]}-{self._random.getrandbits(48):012x}"
        path = f"{base.rstrip('/')}/{name}"
        try:
            self._filesystem.mkdirs(path, self._user)
        except Exception as error:
            raise FlinkIOException(
                f"Failed to create savepoint directory at {target_directory}") from error
        return SavepointLocation(path, prefix + path)

    def write_metadata(self, location, job_id, stats):
        """
        Write ``_metadata`` of a completed savepoint.

        :param stats: its :class:`~flinkyarn.runtime.messages.CheckpointStats`.
        :raise FlinkIOException: if it cannot be written.
        """
        metadata = {
            "format": "yarnemu-savepoint-v1",
            "jobId": str(job_id),
            "checkpointId": stats.checkpoint_id,
            "triggerTimestamp": stats.trigger_timestamp,
            "completionTimestamp": stats.completion_timestamp,
            "savepointType": stats.savepoint,
            "sourceOffsets": [
                {"vertexId": str(vertex_id), "subtaskIndex": subtask, "offset": offset}
                for (vertex_id, subtask), offset in sorted(
                    stats.offsets.items(), key=lambda item: (str(item[0][0]), item[0][1]))],
        }
        try:
            self._filesystem.create(location.metadata_path,
                                    json.dumps(metadata, indent=2).encode("utf-8"), self._user)
        except Exception as error:
            raise FlinkIOException(
                f"Could not write the savepoint metadata {location.metadata_path}") from error

    def _resolve(self, target_directory):
        """:return: ``(HDFS path, scheme://authority prefix of the pointer)``."""
        target = str(target_directory)
        if not target.strip():
            error = FlinkIOException(f"Failed to create savepoint directory at {target}")
            raise error from IllegalArgumentException("Can not create a Path from an empty string")
        scheme = _SCHEME.match(target)
        if scheme is not None and scheme.group("scheme").lower() not in _HDFS:
            raise UnsupportedFileSystemSchemeException(
                f"Could not find a file system implementation for scheme "
                f"'{scheme.group('scheme')}'. The emulated YARN cluster keeps savepoints on its "
                f"HDFS only: give an hdfs:///… or an absolute path.")
        try:
            if scheme is not None:
                uri = _URI.match(target)
                authority = uri.group("authority") if uri is not None else ""
                return path_from_uri(target), f"{scheme.group('scheme').lower()}://{authority}"
            if not target.startswith("/"):
                target = f"{self._filesystem.home_directory(self._user)}/{target}"
            return normalize(target), "hdfs://"
        except Exception as error:
            raise FlinkIOException(
                f"Failed to create savepoint directory at {target_directory}") from error
