"""
The server side of a Hadoop RPC connection: the preamble, out-of-band messages (context, ping,
SASL), dispatch, error replies in Hadoop's shape, and replies out of order.
"""

import struct

from twisted.internet.defer import Deferred

from tests.deferreds import results_of
from tests.interop.ipc_fixtures import RM_ADDRESS, RpcCluster
from yarnemu.errors import ApplicationNotFoundException
from yarnemu.ipc.client import RpcConnectionClosed
from yarnemu.ipc.connection import HTTP_ON_IPC_PORT_RESPONSE, MAX_DATA_LENGTH, HadoopRpcFactory
from yarnemu.ipc.descriptors import APPLICATION_CLIENT_PROTOCOL, APPLICATION_MASTER_PROTOCOL
from yarnemu.ipc.errors import RpcError
from yarnemu.ipc.framing import delimited, preamble, split_delimited
from yarnemu.ipc.handler import ProtocolHandler


def parse_replies(rpc, data):
    """:return: ``[(RpcResponseHeaderProto, payload bytes or None)]`` of the frames in ``data``."""
    header_class = rpc.descriptors.message_class("hadoop.common.RpcResponseHeaderProto")
    replies = []
    while data:
        (length,) = struct.unpack("!I", data[:4])
        parts = split_delimited(data[4:4 + length])
        replies.append((header_class.FromString(parts[0]), parts[1] if len(parts) > 1 else None))
        data = data[4 + length:]
    return replies


def status(header):
    return header.DESCRIPTOR.fields_by_name["status"].enum_type.values_by_number[
        header.status].name


def code(header):
    return header.DESCRIPTOR.fields_by_name["errorDetail"].enum_type.values_by_number[
        header.errorDetail].name


def request_header(rpc, call_id, **fields):
    header = rpc.message("hadoop.common.RpcRequestHeaderProto", callId=call_id,
                         clientId=b"c" * 16, retryCount=0)
    header.rpcKind = fields.pop("rpcKind", "RPC_PROTOCOL_BUFFER")
    header.rpcOp = fields.pop("rpcOp", "RPC_FINAL_PACKET")
    return header


def context(rpc, user="alice", protocol=APPLICATION_CLIENT_PROTOCOL):
    message = rpc.message("hadoop.common.IpcConnectionContextProto", protocol=protocol)
    message.userInfo.effectiveUser = user
    return frame(delimited(request_header(rpc, -3)) + delimited(message))


def call(rpc, call_id, method, request=b"", protocol=APPLICATION_CLIENT_PROTOCOL, version=1):
    header = rpc.message("hadoop.common.RequestHeaderProto", methodName=method,
                         declaringClassProtocolName=protocol, clientProtocolVersion=version)
    payload = request if isinstance(request, bytes) else request.SerializeToString()
    return frame(delimited(request_header(rpc, call_id)) + delimited(header)
                 + len(payload).to_bytes(1, "big") + payload)


def frame(body):
    return struct.pack("!I", len(body)) + body


# The preamble


def test_a_wrong_magic_is_a_fatal_version_mismatch_and_the_connection_closes(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(b"hrpx\x09\x00\x00")
    [(header, payload)] = parse_replies(rpc, transport.value())
    assert (status(header), code(header), header.callId) == (
        "FATAL", "FATAL_VERSION_MISMATCH", 0xFFFFFFFF)
    assert header.exceptionClassName == "org.apache.hadoop.ipc.RPC$VersionMismatch"
    assert header.errorMsg == "Server IPC version 9 cannot communicate with client version 9"
    assert transport.disconnecting


def test_a_newer_version_gets_the_fatal_reply_an_older_one_only_a_close(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(b"hrpc\x0a\x00\x00")
    [(header, _)] = parse_replies(rpc, transport.value())
    assert header.errorMsg == "Server IPC version 9 cannot communicate with client version 10"
    server, transport = rpc.raw()
    server.dataReceived(b"hrpc\x07\x00\x00" + context(rpc))
    assert transport.value() == b"" and transport.disconnecting


def test_an_http_get_gets_hadoop_s_plain_text_answer(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert transport.value() == HTTP_ON_IPC_PORT_RESPONSE
    assert transport.value().startswith(b"HTTP/1.1 404 Not Found\r\n")
    assert transport.disconnecting


def test_an_unknown_auth_protocol_is_fatal_unauthorized(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(b"hrpc\x09\x00\x51")
    [(header, _)] = parse_replies(rpc, transport.value())
    assert (status(header), code(header), header.exceptionClassName, header.errorMsg) == (
        "FATAL", "FATAL_UNAUTHORIZED", "org.apache.hadoop.ipc.IpcException",
        "Unknown auth protocol:81")


def test_the_preamble_may_arrive_in_pieces(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    data = preamble() + context(rpc) + call(rpc, 0, "getClusterMetrics")
    for byte in data:
        server.dataReceived(bytes([byte]))
    [(header, payload)] = parse_replies(rpc, transport.value())
    assert status(header) == "SUCCESS" and header.callId == 0 and payload is not None


# Out-of-band messages


def test_replies_echo_call_id_and_client_id_with_version_9(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(preamble() + context(rpc) + call(rpc, 41, "getClusterMetrics"))
    [(header, payload)] = parse_replies(rpc, transport.value())
    assert (header.callId, header.clientId, header.serverIpcVersionNum, status(header)) == (
        41, b"c" * 16, 9, "SUCCESS")
    metrics = rpc.message("hadoop.yarn.GetClusterMetricsResponseProto").FromString(payload)
    assert metrics.cluster_metrics.num_node_managers == 1


def test_the_context_and_pings_get_no_reply(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    ping = frame(delimited(request_header(rpc, -4)))
    server.dataReceived(preamble() + context(rpc) + ping + ping)
    assert transport.value() == b"" and not transport.disconnecting
    assert server.user == "alice" and server.protocol == APPLICATION_CLIENT_PROTOCOL


def test_a_call_before_the_context_is_fatal(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(preamble() + call(rpc, 0, "getClusterMetrics"))
    [(header, _)] = parse_replies(rpc, transport.value())
    assert (status(header), code(header), header.errorMsg, header.exceptionClassName) == (
        "FATAL", "FATAL_INVALID_RPC_HEADER", "Connection context not established",
        "org.apache.hadoop.ipc.RpcServerException")
    assert transport.disconnecting


def test_a_second_context_is_fatal(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(preamble() + context(rpc) + context(rpc))
    [(header, _)] = parse_replies(rpc, transport.value())
    assert header.errorMsg == "Connection context already processed"
    assert transport.disconnecting


def test_sasl_negotiate_is_answered_success_and_the_connection_becomes_simple(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    negotiate = rpc.message("hadoop.common.RpcSaslProto")
    negotiate.state = "NEGOTIATE"
    sasl_header = request_header(rpc, -33)
    sasl_header.retryCount = -1
    server.dataReceived(b"hrpc\x09\x00\xdf" + frame(delimited(sasl_header) + delimited(negotiate))
                        + context(rpc) + call(rpc, 0, "getClusterMetrics"))
    (sasl, sasl_payload), (reply, _) = parse_replies(rpc, transport.value())
    assert (sasl.callId, status(sasl)) == (0xFFFFFFDF, "SUCCESS")
    answer = rpc.message("hadoop.common.RpcSaslProto").FromString(sasl_payload)
    assert answer.DESCRIPTOR.fields_by_name["state"].enum_type.values_by_number[
        answer.state].name == "SUCCESS"
    assert (reply.callId, status(reply)) == (0, "SUCCESS")


def test_the_context_during_sasl_negotiation_is_fatal(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(b"hrpc\x09\x00\xdf" + context(rpc))
    [(header, _)] = parse_replies(rpc, transport.value())
    assert header.errorMsg == "Connection header sent during SASL negotiation"


def test_sasl_without_asking_for_it_is_fatal(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    negotiate = rpc.message("hadoop.common.RpcSaslProto")
    negotiate.state = "NEGOTIATE"
    server.dataReceived(preamble() + frame(delimited(request_header(rpc, -33))
                                           + delimited(negotiate)))
    [(header, _)] = parse_replies(rpc, transport.value())
    assert header.errorMsg == "SASL protocol not requested by client"


def test_token_authentication_is_refused(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    initiate = rpc.message("hadoop.common.RpcSaslProto")
    initiate.state = "INITIATE"
    initiate.auths.add(method="TOKEN", mechanism="DIGEST-MD5")
    server.dataReceived(b"hrpc\x09\x00\xdf" + frame(delimited(request_header(rpc, -33))
                                                    + delimited(initiate)))
    [(header, _)] = parse_replies(rpc, transport.value())
    assert (status(header), code(header), header.exceptionClassName, header.errorMsg) == (
        "FATAL", "FATAL_UNAUTHORIZED", "org.apache.hadoop.security.AccessControlException",
        "TOKEN authentication is not enabled.  Available:[SIMPLE]")


def test_an_unknown_out_of_band_call_is_fatal(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(preamble() + frame(delimited(request_header(rpc, -7))))
    [(header, _)] = parse_replies(rpc, transport.value())
    assert header.errorMsg == "Unknown out of band call #-7"


def test_a_header_that_does_not_parse_is_fatal(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(preamble() + frame(b"\x03\xff\xff\xff"))
    [(header, _)] = parse_replies(rpc, transport.value())
    assert (status(header), code(header)) == ("FATAL", "FATAL_DESERIALIZING_REQUEST")
    assert header.errorMsg.startswith("Error decoding RpcRequestHeaderProto: ")


def test_a_header_without_an_rpc_kind_or_with_another_kind_is_fatal(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    header = rpc.message("hadoop.common.RpcRequestHeaderProto", callId=0, clientId=b"")
    header.rpcOp = "RPC_FINAL_PACKET"
    server.dataReceived(preamble() + context(rpc) + frame(delimited(header)))
    [(reply, _)] = parse_replies(rpc, transport.value())
    assert reply.errorMsg == " IPC Server: No rpc kind in rpcRequestHeader"
    server, transport = rpc.raw()
    header.rpcKind = "RPC_WRITABLE"
    server.dataReceived(preamble() + context(rpc) + frame(delimited(header)))
    [(reply, _)] = parse_replies(rpc, transport.value())
    assert reply.errorMsg == "Unknown rpc kind in rpc headerRPC_WRITABLE"


def test_a_frame_longer_than_the_maximum_closes_the_connection(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(preamble() + struct.pack("!I", MAX_DATA_LENGTH + 1))
    assert transport.value() == b"" and transport.disconnecting


# Dispatch and errors


def test_an_unknown_protocol_is_rpc_no_such_protocol(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(preamble() + context(rpc)
                        + call(rpc, 0, "allocate", protocol=APPLICATION_MASTER_PROTOCOL))
    [(header, payload)] = parse_replies(rpc, transport.value())
    assert (status(header), code(header), header.exceptionClassName, header.errorMsg) == (
        "ERROR", "ERROR_NO_SUCH_PROTOCOL", "org.apache.hadoop.ipc.RpcNoSuchProtocolException",
        f"Unknown protocol: {APPLICATION_MASTER_PROTOCOL}")
    assert payload is None and not transport.disconnecting


def test_methods_not_served_are_rpc_no_such_method_and_the_connection_goes_on(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(preamble() + context(rpc) + call(rpc, 0, "moveApplicationAcrossQueues")
                        + call(rpc, 1, "noSuchMethod") + call(rpc, 2, "getClusterMetrics"))
    (move, _), (unknown, _), (metrics, _) = parse_replies(rpc, transport.value())
    for header in (move, unknown):
        assert (status(header), code(header), header.exceptionClassName) == (
            "ERROR", "ERROR_NO_SUCH_METHOD", "org.apache.hadoop.ipc.RpcNoSuchMethodException")
    assert move.errorMsg == (f"Unknown method moveApplicationAcrossQueues called on "
                             f"{APPLICATION_CLIENT_PROTOCOL} protocol.")
    assert (metrics.callId, status(metrics)) == (2, "SUCCESS")


def test_another_protocol_version_is_a_version_mismatch(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(preamble() + context(rpc) + call(rpc, 0, "getClusterMetrics", version=2))
    [(header, _)] = parse_replies(rpc, transport.value())
    assert (status(header), header.exceptionClassName, header.errorMsg) == (
        "ERROR", "org.apache.hadoop.ipc.RPC$VersionMismatch",
        f"Protocol {APPLICATION_CLIENT_PROTOCOL} version mismatch. (client = 2, server = 1)")


def test_a_request_that_does_not_parse_is_an_error_of_that_call_only(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    server.dataReceived(preamble() + context(rpc) + call(rpc, 0, "getApplicationReport",
                                                         b"\x0a\x05\x08")
                        + call(rpc, 1, "getClusterMetrics"))
    (bad, _), (good, _) = parse_replies(rpc, transport.value())
    assert (status(bad), code(bad), bad.exceptionClassName) == (
        "ERROR", "ERROR_APPLICATION",
        "org.apache.hadoop.thirdparty.protobuf.InvalidProtocolBufferException")
    assert status(good) == "SUCCESS" and not transport.disconnecting


def test_service_errors_keep_their_java_class_and_message(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    server, transport = rpc.raw()
    request = rpc.message("hadoop.yarn.GetApplicationReportRequestProto")
    request.application_id.id = 9
    request.application_id.cluster_timestamp = 1
    server.dataReceived(preamble() + context(rpc) + call(rpc, 0, "getApplicationReport", request))
    [(header, payload)] = parse_replies(rpc, transport.value())
    assert (status(header), code(header), header.exceptionClassName) == (
        "ERROR", "ERROR_APPLICATION",
        "org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException")
    assert header.errorMsg == ("Application with id 'application_1_0009' doesn't exist in RM. "
                               "Please check that the job submission was successful.")
    assert payload is None


class _Waiting(ProtocolHandler):
    """A test protocol whose calls wait for the test to answer them."""

    protocol = APPLICATION_MASTER_PROTOCOL
    methods = {"allocate": "allocate", "registerApplicationMaster": "broken",
               "finishApplicationMaster": "refuse"}

    def __init__(self):
        self.waiting = []

    def allocate(self, call):
        answer = Deferred()
        self.waiting.append((call, answer))
        return answer

    def broken(self, call):
        raise ZeroDivisionError("oops")

    def refuse(self, call):
        raise ApplicationNotFoundException("no such attempt")


def test_calls_may_be_answered_out_of_order(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    handler = _Waiting()
    rpc.listeners.listenTCP(9999, HadoopRpcFactory(rpc.descriptors, [handler]),
                            interface="127.0.0.1")
    client = rpc.connect(("127.0.0.1", 9999), protocol=APPLICATION_MASTER_PROTOCOL)
    first = results_of(client.call("allocate", rpc.message("hadoop.yarn.AllocateRequestProto",
                                                           response_id=1)))
    second = results_of(client.call("allocate", rpc.message("hadoop.yarn.AllocateRequestProto",
                                                            response_id=2)))
    rpc.flush(client)
    assert [call.request.response_id for call, _ in handler.waiting] == [1, 2]
    (call_1, answer_1), (call_2, answer_2) = handler.waiting
    call_2.response.response_id = 20
    answer_2.callback(None)
    rpc.flush(client)
    assert [r.response_id for r in second] == [20] and first == []
    call_1.response.response_id = 10
    answer_1.callback(None)
    rpc.flush(client)
    assert [r.response_id for r in first] == [10]


def test_a_deferred_failure_and_an_internal_error_are_error_replies(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    handler = _Waiting()
    rpc.listeners.listenTCP(9999, HadoopRpcFactory(rpc.descriptors, [handler]),
                            interface="127.0.0.1")
    client = rpc.connect(("127.0.0.1", 9999), protocol=APPLICATION_MASTER_PROTOCOL)
    waiting = results_of(client.call("allocate"))
    rpc.flush(client)
    handler.waiting[0][1].errback(ApplicationNotFoundException("gone"))
    rpc.flush(client)
    assert waiting[0].value == RpcError(
        "org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException", "gone")
    internal = rpc.call(client, "registerApplicationMaster")
    assert internal.value.exception_class == (
        "org.apache.hadoop.yarn.exceptions.YarnRuntimeException")
    assert "ZeroDivisionError" in internal.value.message
    refused = rpc.call(client, "finishApplicationMaster")
    assert refused.value.message == "no such attempt"


def test_an_answer_to_a_closed_connection_is_dropped(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    handler = _Waiting()
    factory = HadoopRpcFactory(rpc.descriptors, [handler])
    rpc.listeners.listenTCP(9999, factory, interface="127.0.0.1")
    client = rpc.connect(("127.0.0.1", 9999), protocol=APPLICATION_MASTER_PROTOCOL)
    answers = []
    client.call("allocate").addErrback(lambda failure: answers.append(failure.value))
    rpc.flush(client)
    assert len(factory.connections) == 1
    factory.close_connections()
    rpc.flush(client)
    assert factory.connections == set()
    assert [type(answer) for answer in answers] == [RpcConnectionClosed]
    handler.waiting[0][1].callback(None)  # nothing to write to, nothing raised


def test_it_serves_the_rm_client_address_of_the_cluster(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=2)
    client = rpc.connect(RM_ADDRESS, user="bob")
    assert rpc.call(client, "getClusterMetrics").cluster_metrics.num_active_nms == 2
