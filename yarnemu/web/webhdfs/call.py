"""
:class:`Call`: one WebHDFS request as the NameNode and DataNode roles see it.
"""

import attrs

from yarnemu.dfs.errors import HDFSIOException
from yarnemu.dfs.filesystem import DEFAULT_CLIENT_MACHINE
from yarnemu.web.webhdfs.locations import hdfs_path

__all__ = ["Call"]


@attrs.frozen
class Call:
    """
    :ivar request: the ``twisted.web`` request (a
        :class:`~yarnemu.web.webhdfs.upload.SpoolingRequest`).
    :ivar str method: ``GET``, ``PUT``, ``POST`` or ``DELETE`` (``HEAD`` is served as ``GET``).
    :ivar params: the :class:`~yarnemu.web.webhdfs.params.QueryParams`.
    :ivar bytes suffix: the request path after ``/webhdfs/v1``, still percent-encoded.
    """

    request: object
    method: str
    params: object
    suffix: bytes

    def path(self):
        """
        :return: the normalized HDFS path the request names.
        :raise InvalidPathException: see :func:`~yarnemu.web.webhdfs.locations.hdfs_path`.
        """
        return hdfs_path(self.suffix)

    @property
    def client_machine(self):
        """The client's address, as HDFS names it in errors (loopback for a UNIX socket)."""
        return getattr(self.request.getClientAddress(), "host", DEFAULT_CLIENT_MACHINE)

    def body(self, path):
        """
        :param str path: the path the body is for (named in errors).
        :return: the request body, a binary file object positioned at its start (in memory or a
            spool file).
        :raise HDFSIOException: if the body could not be received to disk.
        """
        error = self.request.spool_error
        if error is not None:
            raise HDFSIOException(
                f"Cannot receive the data for {path}: {error.strerror or error}")
        return self.request.content
