"""
:class:`WebHdfsResource`: the root of the WebHDFS site.  It serves ``/webhdfs/v1/<path>``, sends
each request to the NameNode or DataNode role (see :mod:`yarnemu.web.webhdfs.locations`), and is
the one place replies and errors are written.

- Errors are ``RemoteException`` JSON with the status Hadoop's ``ExceptionHandler`` gives them
  (:mod:`yarnemu.web.webhdfs.errors`); an unexpected failure is a 500 ``RuntimeException``.
- ``HEAD`` is served as ``GET`` without the body, as Jersey does.  Other methods than ``GET``,
  ``HEAD``, ``PUT``, ``POST`` and ``DELETE`` get ``405`` with an ``Allow`` header.
- Paths outside ``/webhdfs/v1`` get ``404``.
- With ``json_content_type=False``, JSON answers carry no ``Content-Type`` (the shaded Java WebHDFS
  client of ``hadoop-client-api`` 3.5.0 cannot decode JSON that has one).
"""

from twisted.logger import Logger
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET

from yarnemu.errors import RemoteError
from yarnemu.web.errors import JSON_CONTENT_TYPE, NotFoundException, write_json
from yarnemu.web.webhdfs.call import Call
from yarnemu.web.webhdfs.datanode import DataNode
from yarnemu.web.webhdfs.download import FileRangeProducer
from yarnemu.web.webhdfs.errors import InternalServerError, UnsupportedOperationException
from yarnemu.web.webhdfs.locations import (
    DEFAULT_NAMENODE_RPC_ADDRESS,
    NAMENODE_ADDRESS_PARAM,
    PREFIX,
    webhdfs_suffix,
)
from yarnemu.web.webhdfs.namenode import NameNode
from yarnemu.web.webhdfs.params import OPS, QueryParams
from yarnemu.web.webhdfs.replies import (
    OCTET_STREAM,
    EmptyReply,
    FileReply,
    JsonReply,
    RedirectReply,
    error_reply,
)

__all__ = ["WebHdfsResource", "ALLOWED_METHODS"]

ALLOWED_METHODS = (b"GET", b"HEAD", b"PUT", b"POST", b"DELETE")


class WebHdfsResource(Resource):
    """
    :param filesystem: the :class:`~yarnemu.dfs.FakeHDFS` served.
    :param bool json_content_type: whether JSON answers carry ``Content-Type: application/json``.
    :param str namenode_rpc_address: what data URLs carry as ``namenoderpcaddress``.
    """

    isLeaf = True
    _log = Logger()

    def __init__(self, filesystem, json_content_type=True,
                 namenode_rpc_address=DEFAULT_NAMENODE_RPC_ADDRESS):
        super().__init__()
        self._namenode = NameNode(filesystem, namenode_rpc_address)
        self._datanode = DataNode(filesystem)
        self._json_content_type = JSON_CONTENT_TYPE if json_content_type else None

    def render(self, request):
        try:
            reply = self._reply(request)
        except RemoteError as error:
            reply = error_reply(error)
        except Exception as error:
            self._log.failure("WebHDFS {method} {uri} failed",
                              method=request.method, uri=request.uri)
            reply = error_reply(InternalServerError(f"{type(error).__name__}: {error}"))
        return self._write(request, reply)

    def _reply(self, request):
        suffix = webhdfs_suffix(request.path)
        if suffix is None:
            raise NotFoundException(
                f"No resource at {request.path.decode('ascii', 'backslashreplace')}: "
                f"WebHDFS is at {PREFIX.decode()}/<path>")
        method = request.method.decode("ascii", "replace")
        if method == "HEAD":
            method = "GET"
        if method not in OPS:
            return error_reply(
                UnsupportedOperationException(f"HTTP method {method} is not supported"),
                405, ((b"Allow", b", ".join(ALLOWED_METHODS)),))
        params = QueryParams.from_args(request.args)
        if NAMENODE_ADDRESS_PARAM in params:
            return self._datanode.handle(Call(request, method, params.for_datanode(), suffix))
        return self._namenode.handle(Call(request, method, params, suffix))

    def _write(self, request, reply):
        if isinstance(reply, JsonReply):
            _set_headers(request, reply.headers)
            return write_json(request, reply.body, reply.status, self._json_content_type)
        if isinstance(reply, EmptyReply):
            request.setResponseCode(reply.status)
            _set_headers(request, reply.headers)
            return b""
        if isinstance(reply, RedirectReply):
            request.setResponseCode(307)
            request.setHeader(b"Location", reply.location.encode("utf-8"))
            request.setHeader(b"Content-Type", OCTET_STREAM)
            return b""
        if isinstance(reply, FileReply):
            return _write_file(request, reply)
        raise TypeError(f"not a WebHDFS reply: {reply!r}")


def _set_headers(request, headers):
    for name, value in headers:
        request.setHeader(name, value)


def _write_file(request, reply):
    request.setResponseCode(200)
    request.setHeader(b"Content-Type", OCTET_STREAM)
    request.setHeader(b"Content-Length", b"%d" % reply.length)
    request.setHeader(b"Access-Control-Allow-Methods", b"GET")
    request.setHeader(b"Access-Control-Allow-Origin", b"*")
    if request.method == b"HEAD":
        reply.stream.close()
        return b""
    FileRangeProducer(request, reply.stream, reply.length).start()
    return NOT_DONE_YET
