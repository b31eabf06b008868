"""
:class:`WebHdfsClient`: the :class:`~yarnemu.interfaces.IFileSystemClient` seam over WebHDFS
(``/webhdfs/v1``), acting as one user — the remote counterpart of
:class:`~yarnemu.client.filesystem.InProcessFileSystemClient`, with the same results and errors.

=====================  ====================================================================
``get_file_status``    ``GET GETFILESTATUS`` → ``{"FileStatus": {…}}``
``exists``             ``GET GETFILESTATUS``; a ``FileNotFoundException`` is ``False``
``list_status``        ``GET LISTSTATUS`` → ``{"FileStatuses": {"FileStatus": […]}}``
``mkdirs``             ``PUT MKDIRS&permission=`` → ``{"boolean": …}``
``create``             ``PUT CREATE&overwrite=&permission=&replication=`` without a body →
                       307 to a DataNode; ``PUT`` the bytes to the ``Location`` → 201; then
                       ``GETFILESTATUS`` for the new status
``append``             ``POST APPEND`` → 307; ``POST`` the bytes to the ``Location`` → 200;
                       then ``GETFILESTATUS``
``read_bytes``         ``GET OPEN&offset=&length=`` → 307, ``GET`` the ``Location`` → 200 with
                       the bytes (a 200 with the bytes at once is taken too)
``delete``             ``DELETE DELETE&recursive=`` → ``{"boolean": …}``
``rename``             ``PUT RENAME&destination=`` → ``{"boolean": …}``
``set_replication``    ``PUT SETREPLICATION&replication=`` → ``{"boolean": …}``
``home_directory``     ``GET GETHOMEDIRECTORY`` → ``{"Path": …}``
=====================  ====================================================================

Every request carries ``user.name``.  Paths are normalized on the client as HDFS's ``Path`` does,
so an invalid one fails at once with :class:`~yarnemu.dfs.InvalidPathException`.  Upload data
(``bytes`` or a binary file object) goes only to the DataNode, streamed from the file object by
the HTTP client, never read whole into memory here.  Redirects are followed once, to wherever the
NameNode points (resolved against the request's URL).  An error answer's ``RemoteException``
becomes the matching :mod:`yarnemu.dfs` error, worded as the server words it.

The transfer takes the time the network takes (``transfers_take_time`` is ``True``): a caller
simulating transfer time adds none on top.
"""

import json
from urllib.parse import quote, urlencode, urljoin

from twisted.internet.defer import fail, inlineCallbacks
from zope.interface import implementer

from yarnemu.client.remote_exception import DFS_ERRORS, MalformedResponse, error_from_response
from yarnemu.dfs.errors import FileNotFoundException, HDFSIOException
from yarnemu.dfs.paths import normalize
from yarnemu.dfs.status import FileStatus, format_permission
from yarnemu.interfaces import IFileSystemClient

__all__ = ["WebHdfsClient", "WEBHDFS_PATH", "file_status_from_json"]

WEBHDFS_PATH = "/webhdfs/v1"

DEFAULT_REPLICATION = 3
"""``dfs.replication``'s default."""

_OCTET_STREAM = "application/octet-stream"


def file_status_from_json(body):
    """:return: the :class:`~yarnemu.dfs.FileStatus` of one WebHDFS ``FileStatus`` object."""
    try:
        return FileStatus(
            path_suffix=body.get("pathSuffix", ""),
            type=body["type"],
            length=int(body.get("length", 0)),
            owner=body.get("owner", ""),
            group=body.get("group", ""),
            permission=str(body.get("permission", "")),
            access_time=int(body.get("accessTime", 0)),
            modification_time=int(body.get("modificationTime", 0)),
            block_size=int(body.get("blockSize", 0)),
            replication=int(body.get("replication", 0)),
            children_num=int(body.get("childrenNum", 0)),
            file_id=int(body.get("fileId", 0)),
            storage_policy=int(body.get("storagePolicy", 0)),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise MalformedResponse(f"Malformed FileStatus in the response: {error!r}") from None


@implementer(IFileSystemClient)
class WebHdfsClient:
    """
    :param http: an :class:`~yarnemu.client.http.IHttpClient`.
    :param str webhdfs_url: the NameNode's web address, ``http://<host>:9870`` (a trailing
        ``/webhdfs/v1`` is taken too).
    :param str user: the user the client acts as.
    :param int default_replication: the client's ``dfs.replication``: what files created without
        a replication get (sent with every ``CREATE``, as Hadoop's client does).
    """

    transfers_take_time = True

    def __init__(self, http, webhdfs_url, user, default_replication=DEFAULT_REPLICATION):
        base = webhdfs_url.rstrip("/")
        if not base.endswith(WEBHDFS_PATH):
            base += WEBHDFS_PATH
        self._http = http
        self._base = base
        self.user = user
        self.default_replication = default_replication

    # Reading

    def get_file_status(self, path):
        return self._with_path(path, self._get_file_status)

    @inlineCallbacks
    def _get_file_status(self, path):
        body = yield self._json("GET", path, "GETFILESTATUS")
        return file_status_from_json(_field(body, "FileStatus"))

    def exists(self, path):
        def found(_):
            return True

        def missing(failure):
            failure.trap(FileNotFoundException)
            return False

        return self.get_file_status(path).addCallbacks(found, missing)

    def list_status(self, path):
        return self._with_path(path, self._list_status)

    @inlineCallbacks
    def _list_status(self, path):
        body = yield self._json("GET", path, "LISTSTATUS")
        statuses = _field(_field(body, "FileStatuses"), "FileStatus")
        if not isinstance(statuses, list):
            raise MalformedResponse("Malformed FileStatuses in the response: not a list")
        return [file_status_from_json(status) for status in statuses]

    def read_bytes(self, path, offset=0, length=None):
        return self._with_path(path, self._read_bytes, offset, length)

    @inlineCallbacks
    def _read_bytes(self, path, offset, length):
        url = self._url(path, "OPEN", offset=offset, length=length)
        response = yield self._request("GET", url, expect=(200, 307))
        if response.status == 307:
            response = yield self._request("GET", _location(response, url), expect=(200,))
        return response.body

    @inlineCallbacks
    def home_directory(self):
        body = yield self._json("GET", "/", "GETHOMEDIRECTORY")
        return _field(body, "Path")

    # Writing

    def mkdirs(self, path, permission=0o755):
        return self._with_path(path, self._boolean, "PUT", "MKDIRS",
                               permission=format_permission(permission))

    def create(self, path, data_or_stream, overwrite=False, permission=0o644, replication=None,
               block_size=None):
        return self._with_path(path, self._write, "PUT", "CREATE", data_or_stream, (201,),
                               overwrite=_boolean(overwrite),
                               permission=format_permission(permission),
                               replication=(self.default_replication if replication is None
                                            else replication),
                               blocksize=block_size)

    def append(self, path, data_or_stream):
        return self._with_path(path, self._write, "POST", "APPEND", data_or_stream, (200,))

    @inlineCallbacks
    def _write(self, path, method, op, data, done, **parameters):
        """The two steps of a write, then the file's new status."""
        url = self._url(path, op, **parameters)
        redirect = yield self._request(method, url, expect=(307,))
        yield self._request(method, _location(redirect, url), body=data,
                            headers={"Content-Type": _OCTET_STREAM}, expect=done)
        status = yield self._get_file_status(path)
        return status

    def delete(self, path, recursive=True):
        return self._with_path(path, self._boolean, "DELETE", "DELETE",
                               recursive=_boolean(recursive))

    def rename(self, src, dst):
        try:
            dst = normalize(dst)
        except Exception:
            return fail()
        return self._with_path(src, self._boolean, "PUT", "RENAME", destination=dst)

    def set_replication(self, path, replication):
        return self._with_path(path, self._boolean, "PUT", "SETREPLICATION",
                               replication=replication)

    @inlineCallbacks
    def _boolean(self, path, method, op, **parameters):
        body = yield self._json(method, path, op, **parameters)
        value = _field(body, "boolean")
        if not isinstance(value, bool):
            raise MalformedResponse(f"{op}: expected a boolean, not {value!r}")
        return value

    # Internals

    def _with_path(self, path, operation, *args, **kw):
        """Call ``operation`` with the normalized path; a Deferred failing for a bad path."""
        try:
            path = normalize(path)
        except Exception:
            return fail()
        return operation(path, *args, **kw)

    def _url(self, path, op, **parameters):
        query = [("op", op), ("user.name", self.user)]
        query += [(name, value) for name, value in parameters.items() if value is not None]
        return f"{self._base}{quote(path, safe='/')}?{urlencode(query)}"

    @inlineCallbacks
    def _json(self, method, path, op, **parameters):
        response = yield self._request(method, self._url(path, op, **parameters), expect=(200,))
        try:
            return response.json()
        except ValueError as error:
            raise MalformedResponse(f"{op}: the answer is not JSON: {error}") from None

    @inlineCallbacks
    def _request(self, method, url, body=None, headers=None, expect=(200,)):
        response = yield self._http.request(method, url, body, headers)
        if response.status not in expect:
            if response.status < 400:
                raise HDFSIOException(
                    f"Unexpected HTTP response: code={response.status} != {expect[0]}, "
                    f"op={_op_of(url)}")
            raise error_from_response(response, DFS_ERRORS)
        return response


def _location(response, url):
    """The redirect's target, resolved against the URL of the request it answers."""
    location = response.header("Location")
    if not location:
        raise HDFSIOException(f"Redirect without a Location header, op={_op_of(url)}")
    return urljoin(url, location)


def _field(body, name):
    if not isinstance(body, dict) or name not in body:
        raise MalformedResponse(f"Malformed response: no {name!r} in {json.dumps(body)[:200]}")
    return body[name]


def _boolean(value):
    return "true" if value else "false"


def _op_of(url):
    _, _, query = url.partition("?")
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        if name == "op":
            return value
    return ""
