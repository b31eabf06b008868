"""
How Hadoop RPC reports failures: every error reply carries a status (``ERROR``, or ``FATAL``
when the server closes the connection after it), a detailed code, the Java exception class the
client rebuilds (``exceptionClassName``) and its message.

:class:`RpcError` is such a reply as a value; :func:`rpc_error_of` turns what a handler raised
into one, so errors are mapped in one place: yarnemu's :class:`~yarnemu.errors.RemoteError`
values keep their Java class and wording (``ApplicationNotFoundException`` for an unknown
application), anything else becomes a ``YarnRuntimeException`` naming the internal error.
"""

from yarnemu.errors import RemoteError

__all__ = [
    "STATUS_SUCCESS",
    "STATUS_ERROR",
    "STATUS_FATAL",
    "RpcError",
    "rpc_error_of",
    "no_such_method",
    "no_such_protocol",
    "fatal",
    "RPC_SERVER_EXCEPTION",
    "VERSION_MISMATCH",
]

STATUS_SUCCESS = "SUCCESS"
STATUS_ERROR = "ERROR"
STATUS_FATAL = "FATAL"

RPC_SERVER_EXCEPTION = "org.apache.hadoop.ipc.RpcServerException"
VERSION_MISMATCH = "org.apache.hadoop.ipc.RPC$VersionMismatch"
_NO_SUCH_METHOD = "org.apache.hadoop.ipc.RpcNoSuchMethodException"
_NO_SUCH_PROTOCOL = "org.apache.hadoop.ipc.RpcNoSuchProtocolException"
_INTERNAL = "org.apache.hadoop.yarn.exceptions.YarnRuntimeException"


class RpcError(Exception):
    """
    An error reply.

    :ivar str status: :data:`STATUS_ERROR` or :data:`STATUS_FATAL`.
    :ivar str code: the ``RpcErrorCodeProto`` name (``ERROR_APPLICATION``, ...).
    :ivar str exception_class: the Java class the client rebuilds.
    :ivar str message: the exception's message.
    """

    def __init__(self, exception_class, message, code="ERROR_APPLICATION",
                 status=STATUS_ERROR):
        super().__init__(f"{exception_class}: {message}")
        self.exception_class = exception_class
        self.message = message
        self.code = code
        self.status = status

    @property
    def is_fatal(self):
        """Whether the connection closes after this reply."""
        return self.status == STATUS_FATAL

    def __eq__(self, other):
        return isinstance(other, RpcError) and (
            (self.status, self.code, self.exception_class, self.message)
            == (other.status, other.code, other.exception_class, other.message))

    def __hash__(self):
        return hash((self.status, self.code, self.exception_class, self.message))


def rpc_error_of(error):
    """
    :param error: an exception a handler raised.
    :return: the :class:`RpcError` to answer with: ``error`` itself, a
        :class:`~yarnemu.errors.RemoteError` with its Java class and message, or a
        ``YarnRuntimeException`` for anything else (a bug, which the caller should log).
    """
    if isinstance(error, RpcError):
        return error
    if isinstance(error, RemoteError):
        return RpcError(error.java_class, error.message)
    return RpcError(_INTERNAL, f"yarnemu internal error: {error!r}")


def no_such_method(method_name, connection_protocol):
    """``RpcNoSuchMethodException``, worded as ``ProtobufRpcEngine2``."""
    return RpcError(_NO_SUCH_METHOD,
                    f"Unknown method {method_name} called on {connection_protocol} protocol.",
                    code="ERROR_NO_SUCH_METHOD")


def no_such_protocol(protocol):
    """``RpcNoSuchProtocolException``, worded as ``RPC.Server``."""
    return RpcError(_NO_SUCH_PROTOCOL, f"Unknown protocol: {protocol}",
                    code="ERROR_NO_SUCH_PROTOCOL")


def fatal(code, message, exception_class=RPC_SERVER_EXCEPTION):
    """A ``FATAL`` reply (``Server.FatalRpcServerException``): the connection closes after it."""
    return RpcError(exception_class, message, code=code, status=STATUS_FATAL)
