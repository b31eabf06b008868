"""
Where a WebHDFS request points: the HDFS path in its URL, and the data URL the NameNode role
redirects ``CREATE``, ``APPEND`` and ``OPEN`` to.

One listening port plays both roles.  A request is a **DataNode** (data) request when its query
carries ``namenoderpcaddress``, as every DataNode URL Hadoop's NameNode hands out does; any other
request is a NameNode request.  The data URL is therefore the same scheme, host and port the
client used (its ``Host`` header, else the address it connected to), the same path, and the
query Hadoop's NameNode would write: ``op``, ``user.name``, ``namenoderpcaddress`` and the
operation's own parameters, sorted by name.
"""

import re
from urllib.parse import quote, unquote_to_bytes

from yarnemu.dfs.paths import ROOT, normalize
from yarnemu.dfs.errors import InvalidPathException

__all__ = [
    "PREFIX",
    "NAMENODE_ADDRESS_PARAM",
    "DEFAULT_NAMENODE_RPC_ADDRESS",
    "webhdfs_suffix",
    "hdfs_path",
    "authority",
    "data_url",
]

PREFIX = b"/webhdfs/v1"
"""``WebHdfsFileSystem.PATH_PREFIX``."""

NAMENODE_ADDRESS_PARAM = "namenoderpcaddress"
"""``NamenodeAddressParam.NAME``: present on data URLs only."""

DEFAULT_NAMENODE_RPC_ADDRESS = "localhost:8020"
"""What data URLs name as the NameNode (HDFS's default RPC port); informational here."""

# A Host header worth echoing back: a name, an IPv4 address or a bracketed IPv6 one, and a port.
_HOST_HEADER = re.compile(rb"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?\Z")


def webhdfs_suffix(request_path):
    """
    :param bytes request_path: the request's path, still percent-encoded.
    :return: what follows :data:`PREFIX` (``b""`` or starting with ``/``), or ``None`` if the
        path is not under it.
    """
    if request_path == PREFIX or request_path.startswith(PREFIX + b"/"):
        return request_path[len(PREFIX):]
    return None


def hdfs_path(suffix):
    """
    The HDFS path a request names, confined to the namespace.

    Percent-escapes are decoded first, so ``%2E%2E`` is ``..``.  A path with a ``.`` or ``..``
    component is refused outright, as the NameNode refuses it (``DFSUtil.isValidName``), rather
    than resolved: no spelling of a path can reach outside the root, or anywhere other than
    where it says.

    :param bytes suffix: from :func:`webhdfs_suffix`.
    :return: the normalized path (``/`` for an empty suffix).
    :raise InvalidPathException: ``Invalid path name Invalid file name: <path>`` for a path that
        is not UTF-8, has a ``.`` or ``..`` component, or that
        :func:`yarnemu.dfs.paths.normalize` refuses.
    """
    try:
        path = unquote_to_bytes(suffix).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidPathException(
            f"Invalid file name: {suffix.decode('ascii', 'backslashreplace')}") from None
    path = path or ROOT
    if any(name in (".", "..") for name in path.split("/")):
        raise InvalidPathException(f"Invalid file name: {path}")
    return normalize(path)


def authority(request):
    """
    :param request: a ``twisted.web`` request.
    :return: ``host:port`` as the client addressed this server: its ``Host`` header if that is
        a plain host and port, else the local address the connection arrived at (``localhost``
        for a UNIX socket).
    """
    host = request.getHeader(b"host")
    if host and _HOST_HEADER.match(host):
        return host.decode("ascii")
    address = request.getHost()
    if not hasattr(address, "host"):
        return "localhost"
    name = f"[{address.host}]" if ":" in address.host else address.host
    return f"{name}:{address.port}"


def data_url(request, path, op, user, namenode_rpc_address, params):
    """
    :param request: the NameNode request being redirected.
    :param str path: its normalized HDFS path.
    :param str op: ``CREATE``, ``APPEND`` or ``OPEN``.
    :param str user: the user the data request acts as.
    :param str namenode_rpc_address: the value of ``namenoderpcaddress``.
    :param params: the operation's own parameters: name → value (``bool``, ``int`` or ``str``);
        ``None`` values are left out.
    :return: the ``http://`` URL of the data request.
    """
    pairs = [("op", op), ("user.name", user), (NAMENODE_ADDRESS_PARAM, namenode_rpc_address)]
    pairs += sorted((name, _query_value(value)) for name, value in params.items()
                    if value is not None)
    query = "&".join(f"{quote(name, safe='.')}={quote(value, safe=':')}" for name, value in pairs)
    return f"http://{authority(request)}{PREFIX.decode()}{quote(path, safe='/')}?{query}"


def _query_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
