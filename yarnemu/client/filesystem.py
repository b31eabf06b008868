"""
:class:`InProcessFileSystemClient`: the :class:`~yarnemu.interfaces.IFileSystemClient` seam over an
in-process :class:`~yarnemu.dfs.FakeHDFS`, acting as one user.

Its Deferreds have fired by the time a method returns: an in-process write takes no time on the
clock (``transfers_take_time`` is ``False``), so a caller simulating transfer time — Flink's
staging upload at ``flinkyarn.simulation.upload.bandwidth-mb`` — adds it itself.  Its remote
counterpart is :class:`~yarnemu.client.webhdfs_client.WebHdfsClient`, whose transfers take the time
the network takes.
"""

from twisted.internet.defer import maybeDeferred
from zope.interface import implementer

from yarnemu.dfs.filesystem import DEFAULT_CLIENT_MACHINE
from yarnemu.interfaces import IFileSystemClient

__all__ = ["InProcessFileSystemClient"]


@implementer(IFileSystemClient)
class InProcessFileSystemClient:
    """
    :param filesystem: the :class:`~yarnemu.dfs.FakeHDFS`.
    :param str user: the user the client acts as.
    :param str client_machine: the client's address, as HDFS names it in errors.
    """

    transfers_take_time = False

    def __init__(self, filesystem, user, client_machine=DEFAULT_CLIENT_MACHINE):
        self._fs = filesystem
        self.user = user
        self._client_machine = client_machine

    @property
    def default_replication(self):
        """The file system's own default: the client shares its configuration."""
        return self._fs.default_replication

    def get_file_status(self, path):
        return maybeDeferred(self._fs.get_file_status, path)

    def exists(self, path):
        return maybeDeferred(self._fs.exists, path)

    def list_status(self, path):
        return maybeDeferred(self._fs.list_status, path)

    def mkdirs(self, path, permission=0o755):
        return maybeDeferred(self._fs.mkdirs, path, self.user, permission=permission)

    def create(self, path, data_or_stream, overwrite=False, permission=0o644, replication=None,
               block_size=None):
        return maybeDeferred(self._fs.create, path, data_or_stream, self.user,
                             overwrite=overwrite, permission=permission, replication=replication,
                             block_size=block_size, client_machine=self._client_machine)

    def append(self, path, data_or_stream):
        return maybeDeferred(self._fs.append, path, data_or_stream, self.user,
                             client_machine=self._client_machine)

    def read_bytes(self, path, offset=0, length=None):
        return maybeDeferred(self._fs.read_bytes, path, offset, length)

    def delete(self, path, recursive=True):
        return maybeDeferred(self._fs.delete, path, recursive=recursive)

    def rename(self, src, dst):
        return maybeDeferred(self._fs.rename, src, dst)

    def set_replication(self, path, replication):
        return maybeDeferred(self._fs.set_replication, path, replication)

    def home_directory(self):
        return maybeDeferred(self._fs.home_directory, self.user)
