"""
Tests for :mod:`flinkyarn.runtime.rpc` and :mod:`flinkyarn.runtime.heartbeat`.
"""

import pytest
from twisted.internet.defer import succeed

from flinkyarn.runtime.errors import RpcConnectionException
from flinkyarn.runtime.heartbeat import TIMED_OUT, UNREACHABLE, HeartbeatReceiver, HeartbeatSender
from flinkyarn.runtime.rpc import RpcService, parse_rpc_address, rpc_address
from tests.deferreds import results_of
from yarnemu.clock import VirtualClock
from yarnemu.network import InProcessNetwork
from yarnemu.nodemanager.scoped_clock import ScopedClock


class Greeter:
    def hello(self, name, punctuation="!"):
        return f"hello {name}{punctuation}"

    def _private(self):
        return "secret"


@pytest.fixture
def clock():
    return VirtualClock()


@pytest.fixture
def network(clock):
    return InProcessNetwork(clock)


def test_addresses_are_pekko_style(clock, network):
    """Endpoints get ``pekko.tcp://flink@host:port/user/rpc/<name>_<n>`` addresses."""
    service = RpcService(network, "node-1", ScopedClock(clock))
    first = service.start_server(Greeter(), "resourcemanager")
    second = service.start_server(Greeter(), "jobmanager")
    assert first == f"pekko.tcp://flink@node-1:{service.port}/user/rpc/resourcemanager_0"
    assert parse_rpc_address(second) == ("node-1", service.port, "jobmanager_0")
    with pytest.raises(RpcConnectionException):
        parse_rpc_address("akka://nowhere")


def test_a_gateway_calls_the_remote_endpoint(clock, network):
    """``gateway.method(*args, **kwargs)`` runs the endpoint's method and answers a Deferred."""
    server = RpcService(network, "node-1", ScopedClock(clock))
    address = server.start_server(Greeter(), "greeter")
    client = RpcService(network, "node-2", ScopedClock(clock))
    out = results_of(client.connect(address).hello("flink", punctuation="?"))
    clock.advance(0)
    assert out == ["hello flink?"]


def test_unknown_endpoints_private_methods_and_dead_processes_fail(clock, network):
    """Calls to a missing endpoint or a dead process fail; private methods are not reachable."""
    owner = ScopedClock(clock)
    server = RpcService(network, "node-1", owner)
    address = server.start_server(Greeter(), "greeter")
    client = RpcService(network, "node-2", ScopedClock(clock))
    missing = results_of(client.connect(rpc_address("node-1", server.port, "nobody_0")).hello("x"))
    owner.close()
    dead = results_of(client.connect(address).hello("x"))
    clock.advance(0)
    assert missing[0].check(RpcConnectionException)
    assert dead[0].check(RpcConnectionException)
    with pytest.raises(AttributeError):
        client.connect(address)._private


def test_a_heartbeat_sender_reports_a_silent_target_once_after_the_timeout(clock):
    """A target that never answers is reported timed out once, after the timeout."""
    lost = []
    sender = HeartbeatSender(clock, 10000, 50000, 0, lambda target, how: lost.append(
        (clock.seconds(), target, how)))
    from twisted.internet.defer import Deferred

    sender.monitor("tm-1", lambda: Deferred())
    clock.advance(200)
    assert lost == [(50.0, "tm-1", TIMED_OUT)]


def test_answers_keep_a_target_alive_and_payloads_are_passed_on(clock):
    """A target answering every request is never lost; its payloads reach the owner."""
    payloads = []
    lost = []
    sender = HeartbeatSender(clock, 10000, 50000, 2, lambda t, h: lost.append(t))
    sender.monitor("tm-1", lambda: succeed("report"), payloads.append)
    clock.advance(100)
    assert lost == [] and payloads == ["report"] * 10


def test_repeated_rpc_failures_make_a_target_unreachable(clock):
    """``heartbeat.rpc-failure-threshold`` failed requests in a row make the target unreachable."""
    from twisted.internet.defer import fail

    lost = []
    sender = HeartbeatSender(clock, 10000, 50000, 2, lambda t, h: lost.append((clock.seconds(), h)))
    sender.monitor("tm-1", lambda: fail(RpcConnectionException("down")))
    clock.advance(100)
    assert lost == [(20.0, UNREACHABLE)]


def test_a_heartbeat_receiver_notices_a_requester_going_silent(clock):
    """A receiver reports a requester that stopped asking for the timeout."""
    lost = []
    receiver = HeartbeatReceiver(clock, 50000, lambda who, how: lost.append((clock.seconds(), who)))
    receiver.monitor("rm")
    for _ in range(3):
        clock.advance(10)
        receiver.received("rm")
    clock.advance(100)
    assert lost == [(80.0, "rm")]
