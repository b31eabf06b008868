"""
Tests for :mod:`flinkyarn.rest.transport`: :class:`InProcessRestTransport` calls an endpoint on the
cluster's in-process network.
"""

import pytest
from twisted.python.failure import Failure
from zope.interface.verify import verifyObject

from flinkyarn.rest import InProcessRestTransport, IRestTransport
from flinkyarn.runtime.gateways import RestHandlerException
from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH
from yarnemu.network import ConnectionRefusedError, InProcessNetwork


JOB = "0123456789abcdef0123456789abcdef"


class Endpoint:
    """Answers in Flink's shapes: the tests check every answer against Flink's spec."""

    def get_job_status(self, job_id):
        return {"status": "RUNNING" if job_id == JOB else "FAILED"}

    def cancel_job(self, job_id):
        raise RestHandlerException(404, "Job could not be found.")


class Wire:
    """An in-process network on a virtual clock, 5 ms each way."""

    def __init__(self):
        self.clock = VirtualClock(DEFAULT_EPOCH)
        self.network = InProcessNetwork(self.clock, latency_ms=5)

    def transport(self, port=8081):
        return InProcessRestTransport(self.network, "jm", port)

    def outcome(self, deferred):
        outcome = []
        deferred.addBoth(outcome.append)
        self.clock.advance(1)
        assert outcome, "no answer"
        if isinstance(outcome[0], Failure):
            outcome[0].raiseException()
        return outcome[0]


@pytest.fixture
def wire():
    wire = Wire()
    wire.network.bind("jm", 8081, Endpoint())
    return wire


def test_it_is_a_rest_transport(wire):
    """InProcessRestTransport provides IRestTransport."""
    assert verifyObject(IRestTransport, wire.transport())


def test_a_call_goes_over_the_network_with_its_arguments(wire):
    """The endpoint bound at host:port answers, a network message later."""
    deferred = wire.transport().call("get_job_status", JOB)
    assert not deferred.called and wire.network.messages == 1
    assert wire.outcome(deferred) == {"status": "RUNNING"}


def test_errors_of_the_endpoint_and_the_network_arrive_as_they_are(wire):
    """A handler's RestHandlerException and a refused connection fail the call."""
    with pytest.raises(RestHandlerException):
        wire.outcome(wire.transport().call("cancel_job", JOB))
    with pytest.raises(ConnectionRefusedError):
        wire.outcome(wire.transport(port=9).call("get_job_status", JOB))


def test_a_call_the_endpoint_does_not_have_is_not_implemented(wire):
    """A method the server lacks fails at once, without a message on the network."""
    with pytest.raises(NotImplementedError):
        wire.outcome(wire.transport().call("get_job_metrics", JOB))
    assert wire.network.messages == 0
