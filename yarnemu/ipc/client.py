"""
A small Hadoop RPC v9 client on Twisted, for Python tests and tools: it opens a connection as
Hadoop's ``ipc.Client`` does (preamble; with SASL, a ``NEGOTIATE`` first, expecting the
``SUCCESS`` of a SIMPLE-only server; the connection context naming the protocol and user) and
calls methods, matching replies to calls by call id.

``yield connection.call("getClusterMetrics", request)`` fires with the response message, or
fails with :class:`~yarnemu.ipc.errors.RpcError` carrying the server's exception class and
message; a closed connection fails pending calls with :class:`RpcConnectionClosed`.
"""

import os

from twisted.internet.defer import Deferred, fail
from twisted.internet.endpoints import TCP4ClientEndpoint, connectProtocol
from twisted.protocols.basic import Int32StringReceiver

from yarnemu.ipc.connection import (
    CONNECTION_CONTEXT_CALL_ID,
    MAX_DATA_LENGTH,
    PING_CALL_ID,
    SASL_CALL_ID,
)
from yarnemu.ipc.errors import STATUS_SUCCESS, RpcError
from yarnemu.ipc.framing import AUTH_NONE, AUTH_SASL, delimited, preamble, split_delimited

__all__ = ["HadoopRpcClient", "RpcConnectionClosed", "connect"]


class RpcConnectionClosed(ConnectionError):
    """The connection closed before the call was answered."""


class HadoopRpcClient(Int32StringReceiver):
    """
    One client connection for one protocol.

    :param descriptors: the :class:`~yarnemu.ipc.descriptors.HadoopDescriptors`.
    :param str protocol: the protocol's wire name.
    :param str user: the effective user of the connection context.
    :param bool sasl: open with auth SASL (as a client holding a token does).

    :ivar negotiated: ``None`` until the server answers a SASL ``NEGOTIATE``, then that answer.
    :ivar closed: a Deferred firing when the connection is lost.
    """

    MAX_LENGTH = MAX_DATA_LENGTH

    def __init__(self, descriptors, protocol, user, sasl=False):
        self.descriptors = descriptors
        self.protocol = protocol
        self.user = user
        self.sasl = sasl
        self.client_id = os.urandom(16)
        self.negotiated = None
        self.closed = Deferred()
        self.fatal = None
        self._next_call_id = 0
        self._pending = {}
        self._ready = False
        self._queued = []
        self._lost = False

    def _header(self, call_id, retry=0):
        header = self.descriptors.message_class("hadoop.common.RpcRequestHeaderProto")()
        header.rpcKind = "RPC_PROTOCOL_BUFFER"
        header.rpcOp = "RPC_FINAL_PACKET"
        header.callId = call_id
        header.clientId = self.client_id
        header.retryCount = retry
        return header

    def connectionMade(self):
        self.transport.write(preamble(auth=AUTH_SASL if self.sasl else AUTH_NONE))
        if self.sasl:
            negotiate = self.descriptors.message_class("hadoop.common.RpcSaslProto")()
            negotiate.state = "NEGOTIATE"
            self.sendString(delimited(self._header(SASL_CALL_ID, -1)) + delimited(negotiate))
        else:
            self._send_context()

    def _send_context(self):
        context = self.descriptors.message_class("hadoop.common.IpcConnectionContextProto")()
        context.protocol = self.protocol
        context.userInfo.effectiveUser = self.user
        self.sendString(delimited(self._header(CONNECTION_CONTEXT_CALL_ID, -1))
                        + delimited(context))
        self._ready = True
        queued, self._queued = self._queued, []
        for frame in queued:
            self.sendString(frame)

    def call(self, method, request=None, protocol=None):
        """
        Call ``method`` of the connection's protocol (or of ``protocol``).

        :param request: the request message (default: an empty one).
        :return: a Deferred firing with the response message.
        """
        protocol = protocol or self.protocol
        types = self.descriptors.method(protocol, method)
        if types is None:
            return fail(KeyError(f"{protocol} has no method {method}"))
        if request is None:
            request = types.request()
        if self._lost:
            return fail(RpcConnectionClosed(f"the connection is closed; {method} not sent"))
        call_id = self._next_call_id
        self._next_call_id += 1
        header = self.descriptors.message_class("hadoop.common.RequestHeaderProto")()
        header.methodName = method
        header.declaringClassProtocolName = protocol
        header.clientProtocolVersion = 1
        result = Deferred()
        self._pending[call_id] = (types.response, result)
        self.send_raw(delimited(self._header(call_id)) + delimited(header) + delimited(request))
        return result

    def send_raw(self, body):
        """Send one frame's body (queued until the connection context is sent)."""
        if self._ready:
            self.sendString(body)
        else:
            self._queued.append(body)

    def ping(self):
        """Send a ping (call id -4), which the server does not answer."""
        self.send_raw(delimited(self._header(PING_CALL_ID, -1)))

    def stringReceived(self, data):
        parts = split_delimited(data, 2)
        header = self.descriptors.message_class("hadoop.common.RpcResponseHeaderProto").FromString(
            parts[0])
        call_id = header.callId - (1 << 32) if header.callId >= 1 << 31 else header.callId
        status = header.DESCRIPTOR.fields_by_name["status"].enum_type.values_by_number[
            header.status].name
        error = None
        if status != STATUS_SUCCESS:
            codes = header.DESCRIPTOR.fields_by_name["errorDetail"].enum_type.values_by_number
            error = RpcError(header.exceptionClassName, header.errorMsg,
                             code=codes[header.errorDetail].name, status=status)
        if call_id == SASL_CALL_ID:
            self.negotiated = self.descriptors.message_class(
                "hadoop.common.RpcSaslProto").FromString(parts[1] if len(parts) > 1 else b"")
            self._send_context()
            return
        pending = self._pending.pop(call_id, None)
        if pending is None:
            if error is not None:
                self.fatal = error
            return
        response_class, result = pending
        if error is not None:
            if error.is_fatal:
                self.fatal = error
            result.errback(error)
        else:
            result.callback(response_class.FromString(parts[1] if len(parts) > 1 else b""))

    def connectionLost(self, reason):
        self._lost = True
        pending, self._pending = self._pending, {}
        for _, result in pending.values():
            result.errback(self.fatal or RpcConnectionClosed(
                f"Connection closed before the answer: {reason.getErrorMessage()}"))
        self.closed.callback(None)

    def close(self):
        """Close the connection; :return: a Deferred firing once it is closed."""
        self.transport.loseConnection()
        return self.closed


def connect(reactor, host, port, descriptors, protocol, user, sasl=False):
    """
    :return: a Deferred firing with a connected :class:`HadoopRpcClient`.
    """
    endpoint = TCP4ClientEndpoint(reactor, host, port)
    return connectProtocol(endpoint, HadoopRpcClient(descriptors, protocol, user, sasl))
