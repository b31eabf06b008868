"""
The DataNode role of WebHDFS (Hadoop's ``WebHdfsHandler``): the data requests the NameNode role
redirects to, told apart by their ``namenoderpcaddress`` parameter.

- ``PUT op=CREATE``: the body becomes the file (``201 Created``, ``Location: hdfs://<nn><path>``,
  no body).  An empty body makes an empty file, as fsspec's first step expects.
- ``POST op=APPEND``: the body is appended (``200``, no body).
- ``GET op=OPEN``: ``200`` with ``application/octet-stream`` bytes from ``offset``, at most
  ``length`` of them, streamed.

Anything else is ``Invalid operation <op>`` (400), and parameter errors carry no
``Invalid value for webhdfs parameter`` prefix, as on a DataNode.  The body is handed to
:meth:`yarnemu.dfs.FakeHDFS.create`/``append`` as a file object, so a failed write leaves the
file system as it was.
"""

import os

from yarnemu.dfs.errors import FileNotFoundException, HDFSIOException
from yarnemu.dfs.paths import ROOT, parent_of
from yarnemu.errors import IllegalArgumentException
from yarnemu.web.webhdfs.locations import NAMENODE_ADDRESS_PARAM
from yarnemu.web.webhdfs.replies import EmptyReply, FileReply

__all__ = ["DataNode", "DEFAULT_FILE_PERMISSION"]

DEFAULT_FILE_PERMISSION = 0o644
"""``PermissionParam``'s default for files (no umask is applied on the server)."""

_CORS = (b"Access-Control-Allow-Origin", b"*")


class DataNode:
    """
    :param filesystem: the :class:`~yarnemu.dfs.FakeHDFS`.
    """

    def __init__(self, filesystem):
        self._fs = filesystem
        self._operations = {
            ("PUT", "CREATE"): self._create,
            ("POST", "APPEND"): self._append,
            ("GET", "OPEN"): self._open,
        }

    def handle(self, call):
        """
        :param Call call: a data request (its params worded as the DataNode words errors).
        :return: its reply.
        :raise RemoteError: ``Invalid operation <op>`` for anything but the three operations
            above, or the operation's error.
        """
        op = call.params.raw("op")
        operation = self._operations.get((call.method, (op or "").upper()))
        if operation is None:
            raise IllegalArgumentException(f"Invalid operation {op if op is not None else 'null'}")
        user = call.params.user()
        return operation(call, call.path(), user)

    def _create(self, call, path, user):
        params = call.params
        permission = params.permission()
        # Checked as the DataNode checks them; without ACLs the masked permission is the one.
        params.permission("unmaskedpermission")
        params.buffer_size()
        overwrite = params.boolean("overwrite", False)
        replication = params.replication()
        block_size = params.block_size()
        create_parent = params.boolean("createparent", True)
        if not create_parent and path != ROOT and not self._fs.exists(parent_of(path)):
            raise FileNotFoundException(f"Parent directory doesn't exist: {parent_of(path)}")
        self._fs.create(
            path,
            call.body(path),
            user,
            overwrite=overwrite,
            permission=DEFAULT_FILE_PERMISSION if permission is None else permission,
            replication=replication,
            block_size=block_size,
            client_machine=call.client_machine,
        )
        location = f"hdfs://{params.raw(NAMENODE_ADDRESS_PARAM)}{path}".encode("utf-8")
        return EmptyReply(201, ((b"Location", location), _CORS))

    def _append(self, call, path, user):
        call.params.buffer_size()
        self._fs.append(path, call.body(path), user, client_machine=call.client_machine)
        return EmptyReply(200)

    def _open(self, call, path, user):
        params = call.params
        offset, length = params.offset(), params.length()
        params.buffer_size()
        stream = self._fs.open(path)
        try:
            size = os.fstat(stream.fileno()).st_size
            if offset > size:
                # DFSInputStream.seek's EOFException.
                raise HDFSIOException("Cannot seek after EOF")
            stream.seek(offset)
        except BaseException:
            stream.close()
            raise
        available = size - offset
        return FileReply(stream, available if length is None else min(length, available))
