"""
The errors of the fake HDFS, each carrying the Java class a Hadoop client expects and worded as the
NameNode words it, so that a WebHDFS ``RemoteException`` (and clients that match on the text, such
as HdfsCLI's "does not exist") behave as against a real cluster.

The Python hierarchy follows Java's: everything but :class:`InvalidPathException` is an
``IOException`` (:class:`HDFSIOException`); ``InvalidPathException`` is an
``IllegalArgumentException``.
"""

from yarnemu.errors import IllegalArgumentException, RemoteError

__all__ = [
    "HDFSIOException",
    "FileNotFoundException",
    "FileAlreadyExistsException",
    "ParentNotDirectoryException",
    "PathIsNotEmptyDirectoryException",
    "AccessControlException",
    "InvalidPathException",
]


class HDFSIOException(RemoteError):
    """A plain ``IOException``, and the base of the fake HDFS's I/O errors."""

    java_class = "java.io.IOException"


class FileNotFoundException(HDFSIOException):
    """A path that does not exist, or is not a file where a file is needed."""

    java_class = "java.io.FileNotFoundException"


class FileAlreadyExistsException(HDFSIOException):
    """A create, append or mkdirs that meets an existing path of the wrong kind."""

    java_class = "org.apache.hadoop.fs.FileAlreadyExistsException"


class ParentNotDirectoryException(HDFSIOException):
    """A path to be created under an ancestor that is a file."""

    java_class = "org.apache.hadoop.fs.ParentNotDirectoryException"


class AccessControlException(HDFSIOException):
    """An operation the fake HDFS refuses, such as one that would leave its root on disk."""

    java_class = "org.apache.hadoop.security.AccessControlException"


class PathIsNotEmptyDirectoryException(HDFSIOException):
    """
    A non-recursive delete of a directory that has children.

    Worded as Hadoop's ``PathIOException`` formats it: ``\\`<path>': Directory is not empty``.

    :param str path: what Hadoop passes as the path, ``"<src> is non empty"``.
    """

    java_class = "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException"

    def __init__(self, path):
        super().__init__(f"`{path}': Directory is not empty")
        self.path = path


class InvalidPathException(IllegalArgumentException):
    """
    A path the fake HDFS will not take: not absolute, scheme-qualified, with a NUL or ``:``, or
    climbing above ``/``.

    Worded as Hadoop's one-argument constructor words it: ``Invalid path name <path>``.

    :param str path: what Hadoop passes as the path, ``"Invalid file name: <src>"``.
    """

    java_class = "org.apache.hadoop.fs.InvalidPathException"

    def __init__(self, path):
        super().__init__(f"Invalid path name {path}")
        self.path = path
