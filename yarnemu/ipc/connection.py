"""
The server side of a Hadoop RPC v9 connection, as ``org.apache.hadoop.ipc.Server`` speaks it.

- The 7-byte preamble: ``hrpc``, version 9, the service class, the auth protocol (``0x00`` NONE
  or ``0xDF`` SASL).  A wrong magic or version is answered as Hadoop answers it — a ``FATAL``
  ``FATAL_VERSION_MISMATCH`` reply for clients of version 9 and later, nothing for older ones —
  and the connection closes; an HTTP ``GET`` gets Hadoop's plain-text 404.
- Then frames (a 4-byte length, at most ``ipc.maximum.data.length``, 128 MiB), each a
  ``RpcRequestHeaderProto`` and its message.  Out-of-band call ids: -3 the connection context
  (protocol and effective user; no reply), -4 a ping (no reply), -33 SASL, where ``NEGOTIATE`` is
  answered ``SUCCESS`` as a SIMPLE-only server answers it, so clients holding tokens fall back to
  SIMPLE.
- Calls (call id >= 0, after the context) are dispatched by (``declaringClassProtocolName``,
  ``methodName``) to the factory's :class:`IProtocolHandler`\\ s.  Replies carry the call id, the
  status, ``serverIpcVersionNum`` 9 and the client id; errors carry ``errorDetail``,
  ``exceptionClassName`` and ``errorMsg`` (:mod:`yarnemu.ipc.errors`).  A handler may answer
  with a Deferred: calls on one connection may be answered out of order, as the client matches
  replies by call id.
- An unknown protocol answers ``RpcNoSuchProtocolException``, a method the handler does not
  serve ``RpcNoSuchMethodException``; a request that does not parse, a missing connection
  context or a bad header is ``FATAL`` and closes the connection.
"""

from attrs import define
from twisted.internet.defer import maybeDeferred
from twisted.internet.protocol import Factory
from twisted.logger import Logger
from twisted.protocols.basic import Int32StringReceiver
from zope.interface import Attribute, Interface

from yarnemu.errors import RemoteError
from yarnemu.ipc.errors import (
    STATUS_SUCCESS,
    VERSION_MISMATCH,
    RpcError,
    fatal,
    no_such_method,
    no_such_protocol,
    rpc_error_of,
)
from yarnemu.ipc.framing import (
    AUTH_NONE,
    AUTH_SASL,
    PREAMBLE_LENGTH,
    RPC_MAGIC,
    RPC_VERSION,
    FramingError,
    delimited,
    split_delimited,
)

__all__ = [
    "IProtocolHandler",
    "RpcCall",
    "HadoopRpcConnection",
    "HadoopRpcFactory",
    "MAX_DATA_LENGTH",
    "CONNECTION_CONTEXT_CALL_ID",
    "PING_CALL_ID",
    "SASL_CALL_ID",
    "AUTHORIZATION_FAILED_CALL_ID",
    "HTTP_ON_IPC_PORT_RESPONSE",
]

MAX_DATA_LENGTH = 128 * 1024 * 1024
"""``ipc.maximum.data.length``'s default: a longer frame closes the connection."""

CONNECTION_CONTEXT_CALL_ID = -3
PING_CALL_ID = -4
SASL_CALL_ID = -33
AUTHORIZATION_FAILED_CALL_ID = -1
_UNKNOWN_CALL_ID = -1
_PROTOCOL_VERSION = 1
_INVALID_RETRY_COUNT = -1

HTTP_ON_IPC_PORT_RESPONSE = (
    b"HTTP/1.1 404 Not Found\r\n"
    b"Content-type: text/plain\r\n\r\n"
    b"It looks like you are making an HTTP request to a Hadoop IPC port. "
    b"This is not the correct port for the web interface on this daemon.\r\n"
)
"""``Server.RECEIVED_HTTP_REQ_RESPONSE``."""

_INVALID_PROTOBUF = "org.apache.hadoop.thirdparty.protobuf.InvalidProtocolBufferException"


class IProtocolHandler(Interface):
    """The methods of one protocol a listener serves."""

    protocol = Attribute("The protocol's wire name "
                         "(``org.apache.hadoop.yarn.api.ApplicationClientProtocolPB``).")

    def handler_for(method_name):
        """
        :return: a callable taking an :class:`RpcCall`, which fills ``call.response`` and returns
            ``None`` or a Deferred firing once it has; or ``None`` for a method not served.
        """


@define
class RpcCall:
    """
    One call, as a handler sees it.

    :ivar request: the request message.
    :ivar response: an empty response message for the handler to fill.
    :ivar str user: the caller's effective user (the connection context's).
    :ivar str method: the method's name.
    :ivar peer: the client's address (an ``IAddress``).
    """

    request: object
    response: object
    user: str
    method: str
    peer: object = None


@define
class _Context:
    protocol: str | None = None
    user: str | None = None
    real_user: str | None = None


class HadoopRpcConnection(Int32StringReceiver):
    """One client connection; see the module docstring."""

    MAX_LENGTH = MAX_DATA_LENGTH
    log = Logger()

    def __init__(self, factory):
        self.factory = factory
        self.descriptors = factory.descriptors
        self._preamble = b""
        self._auth = None
        self._context = None
        self._closing = False
        self.service_class = None

    @property
    def user(self):
        """The effective user of the connection context, or ``None`` before it."""
        return self._context.user if self._context else None

    @property
    def protocol(self):
        """The protocol of the connection context, or ``None`` before it."""
        return self._context.protocol if self._context else None

    # Twisted

    def connectionMade(self):
        self.factory.connections.add(self)

    def connectionLost(self, reason):
        self._closing = True
        self.factory.connections.discard(self)

    def dataReceived(self, data):
        if self._closing:
            return
        if self._auth is None:
            self._preamble += data
            if len(self._preamble) < PREAMBLE_LENGTH:
                return
            data = self._preamble[PREAMBLE_LENGTH:]
            header, self._preamble = self._preamble[:PREAMBLE_LENGTH], b""
            if not self._accept_preamble(header):
                return
        if data:
            super().dataReceived(data)

    def lengthLimitExceeded(self, length):
        # Server.checkDataLength: logged and the connection closed, with no reply.
        self.log.warn("Requested data length {length} is longer than maximum configured RPC "
                      "length {limit}.  RPC came from {peer}", length=length,
                      limit=self.MAX_LENGTH, peer=self._peer_text())
        self.close()

    def stringReceived(self, data):
        if self._closing:
            return
        header_class = self.descriptors.message_class("hadoop.common.RpcRequestHeaderProto")
        try:
            parts = split_delimited(data, 2)
            header = header_class.FromString(parts[0] if parts else b"")
        except Exception as error:
            self._reply_error(_UNKNOWN_CALL_ID, b"", _INVALID_RETRY_COUNT, fatal(
                "FATAL_DESERIALIZING_REQUEST",
                f"Error decoding RpcRequestHeaderProto: {_protobuf_error(error)}"))
            return
        body = parts[1] if len(parts) > 1 else b""
        call_id = header.callId
        client_id = header.clientId
        retry = header.retryCount
        try:
            self._check_header(header)
            if call_id < 0:
                self._out_of_band(call_id, body, data)
            elif self._context is None:
                raise fatal("FATAL_INVALID_RPC_HEADER", "Connection context not established")
            else:
                self._call(header, data)
        except RpcError as error:
            self._reply_error(call_id, client_id, retry, error)

    # The preamble

    def _accept_preamble(self, header):
        magic, version = header[:4], _signed(header[4])
        self.service_class = header[5]
        if magic == b"GET ":
            self.transport.write(HTTP_ON_IPC_PORT_RESPONSE)
            self.close()
            return False
        if magic != RPC_MAGIC or version != RPC_VERSION:
            self.log.warn("Incorrect header or version mismatch from {peer} got version "
                          "{version} expected version {expected}", peer=self._peer_text(),
                          version=version, expected=RPC_VERSION)
            if version >= RPC_VERSION:
                self._reply_error(_UNKNOWN_CALL_ID, b"", _INVALID_RETRY_COUNT, fatal(
                    "FATAL_VERSION_MISMATCH",
                    f"Server IPC version {RPC_VERSION} cannot communicate with client version "
                    f"{version}", VERSION_MISMATCH))
            self.close()
            return False
        auth = header[6]
        if auth not in (AUTH_NONE, AUTH_SASL):
            self._reply_error(AUTHORIZATION_FAILED_CALL_ID, b"", _INVALID_RETRY_COUNT, fatal(
                "FATAL_UNAUTHORIZED", f"Unknown auth protocol:{_signed(auth)}",
                "org.apache.hadoop.ipc.IpcException"))
            return False
        self._auth = auth
        return True

    # Out-of-band messages

    def _check_header(self, header):
        if not header.HasField("rpcOp"):
            raise fatal("FATAL_INVALID_RPC_HEADER", " IPC Server: No rpc op in rpcRequestHeader")
        if header.rpcOp != 0:
            raise fatal("FATAL_INVALID_RPC_HEADER",
                        "IPC Server does not implement rpc header operation"
                        + header.DESCRIPTOR.fields_by_name["rpcOp"].enum_type
                        .values_by_number[header.rpcOp].name)
        if not header.HasField("rpcKind"):
            raise fatal("FATAL_INVALID_RPC_HEADER", " IPC Server: No rpc kind in rpcRequestHeader")

    def _out_of_band(self, call_id, body, data):
        if call_id == CONNECTION_CONTEXT_CALL_ID:
            if self._auth == AUTH_SASL:
                raise fatal("FATAL_INVALID_RPC_HEADER",
                            "Connection header sent during SASL negotiation")
            if self._context is not None:
                raise fatal("FATAL_INVALID_RPC_HEADER", "Connection context already processed")
            context = self._parse("hadoop.common.IpcConnectionContextProto", body)
            user_info = context.userInfo
            self._context = _Context(
                protocol=context.protocol if context.HasField("protocol") else None,
                user=user_info.effectiveUser if user_info.HasField("effectiveUser") else None,
                real_user=user_info.realUser if user_info.HasField("realUser") else None,
            )
        elif call_id == SASL_CALL_ID:
            if self._auth != AUTH_SASL:
                raise fatal("FATAL_INVALID_RPC_HEADER", "SASL protocol not requested by client")
            self._sasl(self._parse("hadoop.common.RpcSaslProto", body))
        elif call_id == PING_CALL_ID:
            pass
        else:
            raise fatal("FATAL_INVALID_RPC_HEADER", f"Unknown out of band call #{call_id}")

    def _sasl(self, message):
        state = message.DESCRIPTOR.fields_by_name["state"].enum_type.values_by_number[
            message.state].name
        methods = [auth.method for auth in message.auths]
        if state == "NEGOTIATE":
            # A SIMPLE-only server answers NEGOTIATE with SUCCESS: the client switches to SIMPLE.
            reply = self.descriptors.message_class("hadoop.common.RpcSaslProto")()
            reply.state = reply.DESCRIPTOR.fields_by_name["state"].enum_type.values_by_name[
                "SUCCESS"].number
            self._auth = AUTH_NONE
            self._reply(SASL_CALL_ID, b"", _INVALID_RETRY_COUNT, STATUS_SUCCESS, reply)
        elif state == "INITIATE" and methods == ["SIMPLE"]:
            self._auth = AUTH_NONE
        else:
            method = methods[0] if methods else state
            raise fatal("FATAL_UNAUTHORIZED",
                        f"{method} authentication is not enabled.  Available:[SIMPLE]",
                        "org.apache.hadoop.security.AccessControlException")

    # Calls

    def _call(self, header, data):
        kind = header.DESCRIPTOR.fields_by_name["rpcKind"].enum_type.values_by_number.get(
            header.rpcKind)
        kind_name = kind.name if kind is not None else str(header.rpcKind)
        if kind_name != "RPC_PROTOCOL_BUFFER":
            raise fatal("FATAL_INVALID_RPC_HEADER", f"Unknown rpc kind in rpc header{kind_name}")
        parts = split_delimited(data, 3)
        request_header = self._parse_part("hadoop.common.RequestHeaderProto", parts, 1)
        protocol = request_header.declaringClassProtocolName
        method_name = request_header.methodName
        handler = self.factory.handlers.get(protocol)
        if handler is None:
            raise no_such_protocol(protocol)
        if request_header.clientProtocolVersion != _PROTOCOL_VERSION:
            raise RpcError(VERSION_MISMATCH,
                           f"Protocol {protocol} version mismatch. (client = "
                           f"{request_header.clientProtocolVersion}, server = "
                           f"{_PROTOCOL_VERSION})")
        types = self.descriptors.method(protocol, method_name)
        serve = handler.handler_for(method_name) if types is not None else None
        if serve is None:
            raise no_such_method(method_name, self.protocol or protocol)
        try:
            request = types.request.FromString(parts[2] if len(parts) > 2 else b"")
        except Exception as error:
            raise RpcError(_INVALID_PROTOBUF, _protobuf_error(error)) from None
        call = RpcCall(request=request, response=types.response(), user=self.user or "",
                       method=method_name, peer=self.transport.getPeer())
        call_id, client_id, retry = header.callId, header.clientId, header.retryCount
        answer = maybeDeferred(serve, call)
        answer.addCallbacks(
            lambda _: self._reply(call_id, client_id, retry, STATUS_SUCCESS, call.response),
            lambda failure: self._failed(call_id, client_id, retry, protocol, method_name,
                                         failure))

    def _failed(self, call_id, client_id, retry, protocol, method_name, failure):
        if not isinstance(failure.value, (RpcError, RemoteError)):
            # Not an answer of the RM's: a bug, answered as an internal error and logged.
            self.log.failure("{protocol}.{method} failed", failure, protocol=protocol,
                             method=method_name)
        self._reply_error(call_id, client_id, retry, rpc_error_of(failure.value))

    # Replies

    def _reply(self, call_id, client_id, retry, status, message=None, error=None):
        if self._closing:
            return
        header = self.descriptors.message_class("hadoop.common.RpcResponseHeaderProto")()
        header.callId = call_id & 0xFFFFFFFF
        statuses = header.DESCRIPTOR.fields_by_name["status"].enum_type.values_by_name
        header.status = statuses[status].number
        header.serverIpcVersionNum = RPC_VERSION
        header.clientId = client_id
        header.retryCount = retry
        if error is not None:
            codes = header.DESCRIPTOR.fields_by_name["errorDetail"].enum_type.values_by_name
            header.exceptionClassName = error.exception_class
            header.errorMsg = error.message
            header.errorDetail = codes[error.code].number
        body = delimited(header)
        if message is not None:
            body += delimited(message)
        self.sendString(body)

    def _reply_error(self, call_id, client_id, retry, error):
        self._reply(call_id, client_id, retry, error.status, error=error)
        if error.is_fatal:
            self.close()

    # Helpers

    def _parse(self, full_name, data):
        try:
            return self.descriptors.message_class(full_name).FromString(data)
        except Exception as error:
            raise fatal("FATAL_DESERIALIZING_REQUEST",
                        f"Error decoding {full_name.rsplit('.', 1)[-1]}: "
                        f"{_protobuf_error(error)}") from None

    def _parse_part(self, full_name, parts, index):
        return self._parse(full_name, parts[index] if len(parts) > index else b"")

    def close(self):
        """Close the connection; nothing more is read or answered."""
        self._closing = True
        self.transport.loseConnection()

    def _peer_text(self):
        peer = self.transport.getPeer() if self.transport is not None else None
        host, port = getattr(peer, "host", "?"), getattr(peer, "port", "?")
        return f"{host}:{port}"


class HadoopRpcFactory(Factory):
    """
    One listener's connections and the protocols they serve.

    :param descriptors: the :class:`~yarnemu.ipc.descriptors.HadoopDescriptors`.
    :param handlers: the :class:`IProtocolHandler`\\ s to serve.

    :ivar connections: the open :class:`HadoopRpcConnection`\\ s.
    """

    noisy = False

    def __init__(self, descriptors, handlers=()):
        self.descriptors = descriptors
        self.handlers = {}
        self.connections = set()
        for handler in handlers:
            self.serve(handler)

    def serve(self, handler):
        """Serve ``handler``'s protocol (in place of any handler of the same protocol)."""
        self.handlers[handler.protocol] = handler

    def buildProtocol(self, addr):
        return HadoopRpcConnection(self)

    def close_connections(self):
        """Close every open connection."""
        for connection in list(self.connections):
            connection.close()


def _signed(byte):
    return byte - 256 if byte >= 128 else byte


def _protobuf_error(error):
    if isinstance(error, FramingError):
        return f"Protocol message was truncated: {error}"
    return str(error) or type(error).__name__
