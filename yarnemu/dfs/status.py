"""
What the fake HDFS reports about a path: :class:`FileStatus` (HDFS's ``HdfsFileStatus``) and
:class:`ContentSummary`, with their WebHDFS JSON shapes.

The Java WebHDFS client fails to decode a FileStatus that lacks any of its fields, so
:meth:`FileStatus.to_webhdfs_json` always writes all of them.
"""

import attrs

__all__ = ["FILE", "DIRECTORY", "FileStatus", "ContentSummary", "format_permission"]

FILE = "FILE"
DIRECTORY = "DIRECTORY"


def format_permission(mode):
    """
    :param int mode: permission bits, sticky bit included (``0o1777`` at most).
    :return: the octal string WebHDFS writes, without leading zeros: ``"755"``, ``"1777"``, ``"0"``.
    """
    return format(mode & 0o1777, "o")


@attrs.frozen
class FileStatus:
    """
    The status of one file or directory.

    :ivar str path_suffix: the name within the listed directory; ``""`` when the status was
        asked for the path itself.
    :ivar str type: :data:`FILE` or :data:`DIRECTORY`.
    :ivar int length: bytes in a file; 0 for a directory.
    :ivar str permission: octal, as :func:`format_permission` writes it.
    :ivar int access_time: milliseconds since the epoch; 0 for a directory, as in HDFS.
    :ivar int modification_time: milliseconds since the epoch.
    :ivar int block_size: a file's block size; 0 for a directory.
    :ivar int replication: a file's replication; 0 for a directory.
    :ivar int children_num: entries in a directory; 0 for a file.
    :ivar int file_id: the path's inode id, stable while the path exists.
    :ivar int storage_policy: always 0 (unspecified).
    """

    path_suffix: str
    type: str
    length: int
    owner: str
    group: str
    permission: str
    access_time: int
    modification_time: int
    block_size: int
    replication: int
    children_num: int
    file_id: int
    storage_policy: int = 0

    @property
    def is_directory(self):
        """Whether this is the status of a directory."""
        return self.type == DIRECTORY

    def to_webhdfs_json(self):
        """
        :return: the ``FileStatus`` object of WebHDFS's JSON, keys spelled as WebHDFS spells them
            (the caller wraps it in ``{"FileStatus": ...}`` or a ``FileStatuses`` list).
        """
        return {
            "accessTime": self.access_time,
            "blockSize": self.block_size,
            "childrenNum": self.children_num,
            "fileId": self.file_id,
            "group": self.group,
            "length": self.length,
            "modificationTime": self.modification_time,
            "owner": self.owner,
            "pathSuffix": self.path_suffix,
            "permission": self.permission,
            "replication": self.replication,
            "storagePolicy": self.storage_policy,
            "type": self.type,
        }


@attrs.frozen
class ContentSummary:
    """
    The totals of a subtree, as HDFS's ``getContentSummary`` reports them.

    :ivar int length: bytes in all its files.
    :ivar int file_count: files in it (1 for a file).
    :ivar int directory_count: directories in it, itself included (0 for a file).
    :ivar int space_consumed: bytes times replication, summed over its files.
    :ivar int quota: the name quota; -1 (none), as the fake sets no quotas.
    :ivar int space_quota: the space quota; -1 (none).
    """

    length: int
    file_count: int
    directory_count: int
    space_consumed: int
    quota: int = -1
    space_quota: int = -1

    def to_webhdfs_json(self):
        """
        :return: the ``ContentSummary`` object of WebHDFS's JSON (the caller wraps it in
            ``{"ContentSummary": ...}``).
        """
        return {
            "directoryCount": self.directory_count,
            "fileCount": self.file_count,
            "length": self.length,
            "quota": self.quota,
            "spaceConsumed": self.space_consumed,
            "spaceQuota": self.space_quota,
            "typeQuota": {},
        }
