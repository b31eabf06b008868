"""
The Python Hadoop RPC client: the bytes it sends (those a real ``YarnClient`` sends, as captured
in real-clients.md §3.3), SASL fallback, replies matched by call id, and failures.
"""

from twisted.internet.error import ConnectionDone
from twisted.internet.testing import StringTransport
from twisted.python.failure import Failure

from tests.deferreds import results_of
from tests.interop.ipc_fixtures import RM_ADDRESS, RpcCluster, descriptors
from yarnemu.ipc.client import HadoopRpcClient, RpcConnectionClosed
from yarnemu.ipc.descriptors import APPLICATION_CLIENT_PROTOCOL
from yarnemu.ipc.errors import RpcError

CLIENT_ID = bytes(range(16))
PROTOCOL = APPLICATION_CLIENT_PROTOCOL.encode()


def captured_bytes():
    """What ``YarnClient.getYarnClusterMetrics()`` sent as user root (real-clients.md §3.3)."""
    def header(call_id, retry):
        return b"\x1a\x08\x02\x10\x00\x18" + call_id + b"\x22\x10" + CLIENT_ID + b"\x28" + retry

    context = b"\x40\x12\x06\x0a\x04root\x1a\x36" + PROTOCOL
    request = b"\x4d\x0a\x11getClusterMetrics\x12\x36" + PROTOCOL + b"\x18\x01"
    return (b"hrpc\x09\x00\x00"
            + b"\x00\x00\x00\x5c" + header(b"\x05", b"\x01") + context
            + b"\x00\x00\x00\x6a" + header(b"\x00", b"\x00") + request + b"\x00")


def test_it_sends_what_hadoop_s_client_sends():
    client = HadoopRpcClient(descriptors(), APPLICATION_CLIENT_PROTOCOL, "root")
    client.client_id = CLIENT_ID
    transport = StringTransport()
    client.makeConnection(transport)
    client.call("getClusterMetrics")
    assert transport.value() == captured_bytes()


def test_with_sasl_it_negotiates_before_the_context(tmp_path):
    client = HadoopRpcClient(descriptors(), APPLICATION_CLIENT_PROTOCOL, "root", sasl=True)
    transport = StringTransport()
    client.makeConnection(transport)
    client.call("getClusterMetrics")
    sent = transport.value()
    assert sent.startswith(b"hrpc\x09\x00\xdf")
    assert b"root" not in sent and b"getClusterMetrics" not in sent  # held back


def test_over_sasl_the_server_s_success_switches_to_simple(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    client = rpc.connect(RM_ADDRESS, sasl=True)
    response = rpc.call(client, "getClusterMetrics")
    assert client.negotiated.state == client.negotiated.DESCRIPTOR.fields_by_name[
        "state"].enum_type.values_by_name["SUCCESS"].number
    assert response.cluster_metrics.num_node_managers == 1


def test_calls_are_answered_by_call_id(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    client = rpc.connect(RM_ADDRESS)
    first = results_of(client.call("getNewApplication"))
    second = results_of(client.call("getNewApplication"))
    rpc.flush(client)
    assert [r.application_id.id for r in first + second] == [1, 2]


def test_an_error_reply_fails_the_call_with_the_server_s_exception(tmp_path):
    rpc = RpcCluster(tmp_path, nodes=1)
    client = rpc.connect(RM_ADDRESS)
    failure = rpc.call(client, "getQueueInfo", queueName="nosuch")
    assert failure.check(RpcError)
    assert (failure.value.exception_class, failure.value.message, failure.value.code) == (
        "java.io.IOException", "Unknown queue: nosuch", "ERROR_APPLICATION")


def test_a_lost_connection_fails_what_is_pending_and_what_comes_later():
    client = HadoopRpcClient(descriptors(), APPLICATION_CLIENT_PROTOCOL, "root")
    client.makeConnection(StringTransport())
    pending = results_of(client.call("getClusterMetrics"))
    client.connectionLost(Failure(ConnectionDone()))
    assert pending[0].check(RpcConnectionClosed)
    assert results_of(client.closed) == [None]
    later = results_of(client.call("getClusterMetrics"))
    assert later[0].check(RpcConnectionClosed)


def test_a_method_the_protocol_lacks_fails_at_once():
    client = HadoopRpcClient(descriptors(), APPLICATION_CLIENT_PROTOCOL, "root")
    client.makeConnection(StringTransport())
    failure = results_of(client.call("allocate"))[0]
    assert failure.check(KeyError)
