"""
The NameNode role of WebHDFS (Hadoop's ``NamenodeWebHdfsMethods``): metadata operations answered
at once, and ``CREATE``/``APPEND``/``OPEN`` redirected to a data URL on the same port (see
:mod:`yarnemu.web.webhdfs.locations`).

Operations, by HTTP method:

- ``GET``: ``GETFILESTATUS``, ``LISTSTATUS``, ``GETCONTENTSUMMARY``, ``GETHOMEDIRECTORY``,
  ``OPEN`` (307);
- ``PUT``: ``CREATE`` (307), ``MKDIRS``, ``RENAME``, ``SETREPLICATION``, ``SETPERMISSION``,
  ``SETOWNER``;
- ``POST``: ``APPEND`` (307);
- ``DELETE``: ``DELETE``.

Any other operation Hadoop knows is answered ``op=<OP> is not supported`` (400,
``UnsupportedOperationException``), as Hadoop answers an operation its switch lacks.  With
``noredirect=true`` a redirecting operation answers ``200 {"Location": <data URL>}`` instead.

As in Hadoop, ``CREATE`` is only checked for its parameters here (the file is created by the data
request), while ``OPEN`` and ``APPEND`` need the file to exist (``File <path> not found.``) and
``OPEN``'s offset to fall inside it.
"""

from yarnemu.dfs.errors import FileNotFoundException, HDFSIOException, InvalidPathException
from yarnemu.dfs.paths import normalize
from yarnemu.errors import IllegalArgumentException
from yarnemu.web.webhdfs.errors import UnsupportedOperationException
from yarnemu.web.webhdfs.locations import data_url
from yarnemu.web.webhdfs.replies import EmptyReply, JsonReply, RedirectReply

__all__ = ["NameNode", "DEFAULT_DIRECTORY_PERMISSION"]

DEFAULT_DIRECTORY_PERMISSION = 0o755
"""``PermissionParam``'s default for directories (no umask is applied on the server)."""


class NameNode:
    """
    :param filesystem: the :class:`~yarnemu.dfs.FakeHDFS`.
    :param str namenode_rpc_address: what data URLs carry as ``namenoderpcaddress``.
    """

    def __init__(self, filesystem, namenode_rpc_address):
        self._fs = filesystem
        self._namenode_rpc_address = namenode_rpc_address
        self._operations = {
            ("GET", "GETFILESTATUS"): self._get_file_status,
            ("GET", "LISTSTATUS"): self._list_status,
            ("GET", "GETCONTENTSUMMARY"): self._get_content_summary,
            ("GET", "GETHOMEDIRECTORY"): self._get_home_directory,
            ("GET", "OPEN"): self._open,
            ("PUT", "CREATE"): self._create,
            ("PUT", "MKDIRS"): self._mkdirs,
            ("PUT", "RENAME"): self._rename,
            ("PUT", "SETREPLICATION"): self._set_replication,
            ("PUT", "SETPERMISSION"): self._set_permission,
            ("PUT", "SETOWNER"): self._set_owner,
            ("POST", "APPEND"): self._append,
            ("DELETE", "DELETE"): self._delete,
        }

    def handle(self, call):
        """
        :param Call call: a NameNode request.
        :return: its reply.
        :raise RemoteError: the operation's error, in Hadoop's words: a bad ``op`` or parameter
            or path (``IllegalArgumentException``), an operation this server does not do
            (``UnsupportedOperationException``), or the file system's own.
        """
        op = call.params.op(call.method)
        operation = self._operations.get((call.method, op))
        if operation is None:
            raise UnsupportedOperationException(f"op={op} is not supported")
        user = call.params.user()
        return operation(call, call.path(), user)

    # GET

    def _get_file_status(self, call, path, user):
        return JsonReply({"FileStatus": self._fs.get_file_status(path).to_webhdfs_json()})

    def _list_status(self, call, path, user):
        statuses = [status.to_webhdfs_json() for status in self._fs.list_status(path)]
        return JsonReply({"FileStatuses": {"FileStatus": statuses}})

    def _get_content_summary(self, call, path, user):
        return JsonReply({"ContentSummary": self._fs.content_summary(path).to_webhdfs_json()})

    def _get_home_directory(self, call, path, user):
        return JsonReply({"Path": self._fs.home_directory(user)})

    def _open(self, call, path, user):
        params = call.params
        offset, length, buffer_size = params.offset(), params.length(), params.buffer_size()
        size = self._existing_length(path)
        if offset >= size > 0:
            raise HDFSIOException(
                f"Offset={offset} out of the range [0, {size}); OPEN, path={path}")
        return self._redirect(call, path, "OPEN", user, {
            "offset": offset, "length": length, "buffersize": buffer_size})

    # PUT

    def _create(self, call, path, user):
        params = call.params
        return self._redirect(call, path, "CREATE", user, {
            "permission": _octal(params.permission()),
            "unmaskedpermission": _octal(params.permission("unmaskedpermission")),
            "overwrite": params.boolean("overwrite", False),
            "replication": params.replication(),
            "blocksize": params.block_size(),
            "buffersize": params.buffer_size(),
            "createparent": params.boolean("createparent", True),
        })

    def _mkdirs(self, call, path, user):
        permission = call.params.permission()
        if permission is None:
            permission = DEFAULT_DIRECTORY_PERMISSION
        return JsonReply({"boolean": self._fs.mkdirs(path, user, permission)})

    def _rename(self, call, path, user):
        destination = call.params.destination()
        if destination is None:
            raise IllegalArgumentException(
                "Required param destination for op: RENAME is null or empty")
        options = call.params.string("renameoptions")
        if options is not None:
            raise UnsupportedOperationException(f"renameoptions={options} is not supported")
        try:
            # As DestinationParam does through java.net.URI.normalize: ".." resolves lexically;
            # what still climbs above "/" (or is no HDFS name) is refused as the NameNode does.
            destination = normalize(destination)
        except InvalidPathException:
            raise HDFSIOException(f"Invalid name: {destination}") from None
        return JsonReply({"boolean": self._fs.rename(path, destination)})

    def _set_replication(self, call, path, user):
        replication = call.params.replication()
        if replication is None:
            replication = self._fs.default_replication
        return JsonReply({"boolean": self._fs.set_replication(path, replication)})

    def _set_permission(self, call, path, user):
        permission = call.params.permission()
        if permission is None:
            permission = DEFAULT_DIRECTORY_PERMISSION
        self._fs.set_permission(path, permission)
        return EmptyReply()

    def _set_owner(self, call, path, user):
        self._fs.set_owner(path, call.params.string("owner"), call.params.string("group"))
        return EmptyReply()

    # POST

    def _append(self, call, path, user):
        buffer_size = call.params.buffer_size()
        self._existing_length(path)
        return self._redirect(call, path, "APPEND", user, {"buffersize": buffer_size})

    # DELETE

    def _delete(self, call, path, user):
        recursive = call.params.boolean("recursive", False)
        return JsonReply({"boolean": self._fs.delete(path, recursive)})

    # Internals

    def _existing_length(self, path):
        """
        :return: the length of what is at ``path`` (0 for a directory).
        :raise FileNotFoundException: ``File <path> not found.``, as the NameNode words it when it
            looks for a DataNode holding the file.
        """
        try:
            return self._fs.get_file_status(path).length
        except FileNotFoundException:
            raise FileNotFoundException(f"File {path} not found.") from None

    def _redirect(self, call, path, op, user, params):
        noredirect = call.params.boolean("noredirect", False)
        location = data_url(call.request, path, op, user, self._namenode_rpc_address, params)
        if noredirect:
            return JsonReply({"Location": location})
        return RedirectReply(location)


def _octal(permission):
    return None if permission is None else format(permission, "o")
