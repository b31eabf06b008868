"""
Tests for :mod:`yarnemu.network`: the in-process network programs in containers share.
"""

import pytest
from twisted.internet.defer import Deferred

from tests.deferreds import results_of
from yarnemu.clock import VirtualClock
from yarnemu.network import (
    EPHEMERAL_PORT_START,
    ConnectionClosedError,
    ConnectionRefusedError,
    InProcessNetwork,
)
from yarnemu.nodemanager.scoped_clock import ScopedClock


class Echo:
    def __init__(self):
        self.pending = Deferred()

    def echo(self, value):
        return value

    def wait(self):
        return self.pending

    def boom(self):
        raise ValueError("boom")


@pytest.fixture
def clock():
    return VirtualClock()


def test_calls_are_asynchronous_even_without_latency(clock):
    """A call answers through the clock, never within the caller's own call."""
    network = InProcessNetwork(clock)
    network.bind("h", 80, Echo())
    out = results_of(network.call("h", 80, "echo", ("hi",)))
    assert out == []
    clock.advance(0)
    assert out == ["hi"]


def test_latency_applies_each_way(clock):
    """With a latency, the answer arrives after two one-way delays."""
    network = InProcessNetwork(clock, latency_ms=5)
    network.bind("h", 80, Echo())
    out = results_of(network.call("h", 80, "echo", (1,)))
    clock.advance(0.008)
    assert out == []
    clock.advance(0.004)
    assert out == [1]


def test_nothing_listening_refuses_the_connection(clock):
    """A call to an address nobody binds fails with ConnectionRefusedError."""
    network = InProcessNetwork(clock)
    out = results_of(network.call("h", 81, "echo", (1,)))
    clock.advance(0)
    assert out[0].check(ConnectionRefusedError)


def test_server_errors_come_back_to_the_caller(clock):
    """An exception in the server fails the caller's Deferred with it."""
    network = InProcessNetwork(clock)
    network.bind("h", 80, Echo())
    out = results_of(network.call("h", 80, "boom"))
    clock.advance(0)
    assert out[0].check(ValueError)


def test_a_dead_process_no_longer_serves_and_its_pending_calls_fail(clock):
    """When the owner process ends, new calls are refused and waiting calls fail at once."""
    network = InProcessNetwork(clock)
    owner = ScopedClock(clock)
    network.bind("h", 80, Echo(), owner=owner)
    waiting = results_of(network.call("h", 80, "wait"))
    clock.advance(0)
    owner.close()
    clock.advance(0)
    assert waiting[0].check(ConnectionClosedError)
    refused = results_of(network.call("h", 80, "echo", (1,)))
    clock.advance(0)
    assert refused[0].check(ConnectionRefusedError)
    assert network.lookup("h", 80) is None


def test_a_dead_caller_gets_no_answer(clock):
    """Nothing is delivered back to a caller whose process ended meanwhile."""
    network = InProcessNetwork(clock, latency_ms=1)
    network.bind("h", 80, Echo())
    caller = ScopedClock(clock)
    out = results_of(network.call("h", 80, "echo", (1,), caller=caller))
    caller.close()
    clock.advance(1)
    assert out == []


def test_ephemeral_ports_are_deterministic_and_a_live_binding_is_exclusive(clock):
    """Port 0 gives the host's next ephemeral port; binding a live address again raises."""
    network = InProcessNetwork(clock)
    assert network.bind("h", 0, Echo()) == EPHEMERAL_PORT_START
    assert network.bind("h", 0, Echo()) == EPHEMERAL_PORT_START + 1
    assert network.bind("other", 0, Echo()) == EPHEMERAL_PORT_START
    with pytest.raises(ValueError):
        network.bind("h", EPHEMERAL_PORT_START, Echo())
