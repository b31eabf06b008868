"""The cluster's clock on a reactor, faster than real time."""

import pytest
from twisted.internet.task import Clock

from yarnemu.service.scaled_clock import ScaledClock


def scaled(scale, start=1000.0):
    reactor = Clock()
    reactor.advance(start)
    return reactor, ScaledClock(reactor, scale)


def test_cluster_time_starts_at_real_time_and_runs_scale_times_faster():
    reactor, clock = scaled(10)
    assert clock.seconds() == 1000.0
    reactor.advance(2)
    assert clock.seconds() == pytest.approx(1020.0)


def test_a_delay_takes_delay_over_scale_real_seconds():
    reactor, clock = scaled(4)
    fired = []
    call = clock.callLater(8, fired.append, "x")
    assert call.getTime() == pytest.approx(1008.0)
    reactor.advance(1.9)
    assert fired == []
    reactor.advance(0.1)
    assert fired == ["x"]
    assert clock.seconds() == pytest.approx(1008.0)
    assert not call.active()
    assert clock.getDelayedCalls() == []


def test_reset_and_delay_are_in_cluster_seconds():
    reactor, clock = scaled(2)
    fired = []
    call = clock.callLater(10, fired.append, 1)
    call.reset(20)
    assert call.getTime() == pytest.approx(1020.0)
    call.delay(4)
    assert call.getTime() == pytest.approx(1024.0)
    reactor.advance(11.9)
    assert fired == []
    reactor.advance(0.1)
    assert fired == [1]


def test_cancelled_calls_never_fire_and_are_not_listed():
    reactor, clock = scaled(3)
    fired = []
    call = clock.callLater(3, fired.append, 1)
    assert clock.getDelayedCalls() == [call]
    call.cancel()
    reactor.advance(5)
    assert fired == [] and clock.getDelayedCalls() == []


def test_negative_delays_fire_at_once():
    reactor, clock = scaled(5)
    fired = []
    clock.callLater(-1, fired.append, 1)
    reactor.advance(0)
    assert fired == [1]


@pytest.mark.parametrize("scale", [0, -1])
def test_the_scale_must_be_positive(scale):
    with pytest.raises(ValueError, match="time scale must be positive"):
        ScaledClock(Clock(), scale)
