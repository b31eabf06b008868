"""
The fake HDFS: a directory tree on local disk standing for HDFS, for the NodeManager's localizer,
the Flink client's staging upload (``.flink/<applicationId>/``) and a WebHDFS surface.

- :mod:`yarnemu.dfs.filesystem`: :class:`FakeHDFS`, the operations;
- :mod:`yarnemu.dfs.status`: :class:`FileStatus` and :class:`ContentSummary`, with their WebHDFS
  JSON;
- :mod:`yarnemu.dfs.paths`: path normalization, ``hdfs://`` URIs, confinement to the root on disk;
- :mod:`yarnemu.dfs.errors`: the errors, with the Java classes Hadoop clients expect.
"""

from yarnemu.dfs.errors import (
    AccessControlException,
    FileAlreadyExistsException,
    FileNotFoundException,
    HDFSIOException,
    InvalidPathException,
    ParentNotDirectoryException,
    PathIsNotEmptyDirectoryException,
)
from yarnemu.dfs.status import ContentSummary, FileStatus
from yarnemu.dfs.paths import normalize, path_from_uri
from yarnemu.dfs.filesystem import FakeHDFS

__all__ = [
    "FakeHDFS",
    "FileStatus",
    "ContentSummary",
    "normalize",
    "path_from_uri",
    "HDFSIOException",
    "FileNotFoundException",
    "FileAlreadyExistsException",
    "ParentNotDirectoryException",
    "PathIsNotEmptyDirectoryException",
    "AccessControlException",
    "InvalidPathException",
]
