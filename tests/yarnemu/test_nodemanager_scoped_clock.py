"""Tests for :mod:`yarnemu.nodemanager.scoped_clock`."""

import pytest
from twisted.internet.interfaces import IReactorTime
from twisted.internet.task import Clock
from zope.interface.verify import verifyObject

from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH
from yarnemu.nodemanager.scoped_clock import ScopedClock


@pytest.fixture
def clock():
    return VirtualClock(start=DEFAULT_EPOCH)


def test_provides_ireactortime(clock):
    """A scoped clock is an ``IReactorTime``."""
    assert verifyObject(IReactorTime, ScopedClock(clock))


def test_time_is_the_wrapped_clock_time(clock):
    """It reports the wrapped clock's time."""
    scoped = ScopedClock(clock)
    clock.advance(12.5)
    assert scoped.seconds() == DEFAULT_EPOCH + 12.5


def test_calls_fire_on_the_wrapped_clock(clock):
    """Calls scheduled through it fire when the wrapped clock reaches them, with their arguments."""
    scoped = ScopedClock(clock)
    fired = []
    scoped.callLater(2, lambda *args, **kw: fired.append((clock.seconds(), args, kw)), 1, x=2)
    clock.advance(1)
    assert fired == []
    clock.advance(1)
    assert fired == [(DEFAULT_EPOCH + 2, (1,), {"x": 2})]


def test_delayed_calls_are_only_its_own(clock):
    """``getDelayedCalls`` lists the calls made through it that are still pending."""
    scoped = ScopedClock(clock)
    clock.callLater(1, lambda: None)
    first = scoped.callLater(1, lambda: None)
    second = scoped.callLater(3, lambda: None)
    assert set(scoped.getDelayedCalls()) == {first, second}
    clock.advance(2)
    assert scoped.getDelayedCalls() == [second]
    second.cancel()
    assert scoped.getDelayedCalls() == []


def test_close_cancels_pending_calls(clock):
    """Closing cancels every pending call: the timers of a dead process never fire."""
    scoped = ScopedClock(clock)
    fired = []
    call = scoped.callLater(1, fired.append, "late")
    scoped.close()
    assert not call.active()
    clock.advance(10)
    assert fired == []
    assert scoped.getDelayedCalls() == []


def test_calls_after_close_never_fire(clock):
    """A call scheduled after closing is created cancelled."""
    scoped = ScopedClock(clock)
    scoped.close()
    fired = []
    call = scoped.callLater(0, fired.append, "x")
    clock.advance(1)
    assert fired == []
    assert not call.active()
    assert scoped.getDelayedCalls() == []


def test_reset_and_delay_work_on_its_calls(clock):
    """Its calls can be moved, and closing still cancels a moved call."""
    scoped = ScopedClock(clock)
    fired = []
    call = scoped.callLater(1, fired.append, "moved")
    call.delay(4)
    clock.advance(2)
    assert fired == []
    scoped.close()
    clock.advance(10)
    assert fired == []


def test_call_at_lands_exactly(clock):
    """Over a clock with ``callAt``, it schedules at exact absolute times too."""
    scoped = ScopedClock(clock)
    fired = []
    scoped.callAt(DEFAULT_EPOCH + 0.3, lambda: fired.append(clock.seconds()))
    clock.advance(1)
    assert fired == [DEFAULT_EPOCH + 0.3]


def test_call_at_is_cancelled_by_close(clock):
    """A call made with ``callAt`` is cancelled by closing like any other."""
    scoped = ScopedClock(clock)
    fired = []
    scoped.callAt(DEFAULT_EPOCH + 1, fired.append, "x")
    scoped.close()
    clock.advance(2)
    assert fired == []


def test_no_call_at_without_the_wrapped_one():
    """Over a clock without ``callAt``, it has no ``callAt`` either."""
    assert not hasattr(ScopedClock(Clock()), "callAt")


def test_errors_propagate_without_handler(clock):
    """Without an error handler, a call's exception reaches whoever drives the clock."""
    scoped = ScopedClock(clock)
    scoped.callLater(1, lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        clock.advance(1)


def test_errors_go_to_the_handler(clock):
    """With an error handler, a call's exception goes to the handler, not to the clock's driver."""
    errors = []
    scoped = ScopedClock(clock, on_error=errors.append)
    scoped.callLater(1, lambda: 1 / 0)
    clock.advance(1)
    assert [type(error) for error in errors] == [ZeroDivisionError]
