"""
Tests for :mod:`yarnemu.clock`: the heap-based virtual clock.
"""

import pytest
from twisted.internet.error import AlreadyCalled, AlreadyCancelled
from twisted.internet.interfaces import IDelayedCall, IReactorTime
from twisted.internet.task import LoopingCall, deferLater
from zope.interface.verify import verifyObject

from yarnemu.clock import VirtualClock


def recorder(clock, log):
    def record(label):
        log.append((clock.seconds(), label))

    return record


def test_provides_ireactortime():
    """``VirtualClock`` provides ``IReactorTime`` and its calls provide ``IDelayedCall``."""
    clock = VirtualClock()
    assert verifyObject(IReactorTime, clock)
    assert verifyObject(IDelayedCall, clock.callLater(1, lambda: None))


def test_fires_each_call_at_its_own_time():
    """Advancing past several calls fires them in time order, each seeing its own due time."""
    clock = VirtualClock(100.0)
    log = []
    record = recorder(clock, log)
    clock.callLater(7, record, "c")
    clock.callLater(3, record, "a")
    clock.callLater(5, record, "b")
    clock.advance(10)
    assert log == [(103.0, "a"), (105.0, "b"), (107.0, "c")]
    assert clock.seconds() == 110.0


def test_equal_times_fire_in_scheduling_order():
    """Calls due at the same instant fire in the order they were scheduled."""
    clock = VirtualClock()
    log = []
    for label in "xyzw":
        clock.callLater(1, log.append, label)
    clock.advance(1)
    assert log == ["x", "y", "z", "w"]


def test_calls_scheduled_while_firing_fire_in_the_same_advance():
    """A call scheduled by a firing call fires within the same advance when it falls due."""
    clock = VirtualClock()
    log = []
    record = recorder(clock, log)
    clock.callLater(1, lambda: clock.callLater(2, record, "inner"))
    clock.advance(5)
    assert log == [(3.0, "inner")]


def test_cancel_prevents_the_call_and_cannot_repeat():
    """A cancelled call never fires; cancelling again raises AlreadyCancelled."""
    clock = VirtualClock()
    log = []
    call = clock.callLater(1, log.append, "x")
    call.cancel()
    assert not call.active() and call.cancelled
    with pytest.raises(AlreadyCancelled):
        call.cancel()
    clock.advance(2)
    assert log == [] and clock.pending() == 0


def test_called_call_cannot_be_cancelled_or_reset():
    """Once a call ran, cancel, reset and delay raise AlreadyCalled."""
    clock = VirtualClock()
    call = clock.callLater(1, lambda: None)
    clock.advance(1)
    assert call.called
    for method, arg in ((call.cancel, None), (call.reset, 1), (call.delay, 1)):
        with pytest.raises(AlreadyCalled):
            method() if arg is None else method(arg)


def test_reset_and_delay_move_the_call():
    """``reset`` moves a call relative to now, ``delay`` relative to its due time."""
    clock = VirtualClock()
    log = []
    record = recorder(clock, log)
    first = clock.callLater(5, record, "reset")
    second = clock.callLater(5, record, "delayed")
    clock.advance(1)
    first.reset(10)
    second.delay(2)
    assert (first.getTime(), second.getTime()) == (11.0, 7.0)
    clock.advance(20)
    assert log == [(7.0, "delayed"), (11.0, "reset")]


def test_get_delayed_calls_lists_active_calls_in_firing_order():
    """``getDelayedCalls`` returns the calls still to fire, earliest first."""
    clock = VirtualClock()
    late = clock.callLater(3, lambda: None)
    early = clock.callLater(1, lambda: None)
    dropped = clock.callLater(2, lambda: None)
    dropped.cancel()
    assert clock.getDelayedCalls() == [early, late]


def test_negative_delay_and_past_call_at_are_refused():
    """A negative ``callLater`` delay or a ``callAt`` in the past raises ValueError."""
    clock = VirtualClock(10.0)
    with pytest.raises(ValueError):
        clock.callLater(-1, lambda: None)
    with pytest.raises(ValueError):
        clock.callAt(9.0, lambda: None)


def test_call_at_lands_exactly_on_the_given_time():
    """``callAt`` fires at exactly the absolute time given."""
    clock = VirtualClock(1767225600.0)
    seen = []
    clock.callAt(1767225600.001 * 1, lambda: seen.append(clock.seconds()))
    clock.advance(1)
    assert seen == [1767225600.001]


def test_run_until_sets_the_time_and_run_drains_everything():
    """``run_until`` stops at the given time; ``run`` fires until nothing is scheduled."""
    clock = VirtualClock()
    log = []
    for delay in (1, 2, 30):
        clock.callLater(delay, log.append, delay)
    clock.run_until(10)
    assert log == [1, 2] and clock.seconds() == 10
    assert clock.run() == 1
    assert log == [1, 2, 30] and clock.seconds() == 30 and clock.next_time() is None


def test_run_with_limit_leaves_later_calls():
    """``run(limit)`` leaves calls due after the limit scheduled."""
    clock = VirtualClock()
    clock.callLater(5, lambda: None)
    clock.callLater(50, lambda: None)
    assert clock.run(limit=10) == 1
    assert clock.pending() == 1 and clock.next_time() == 50


def test_step_fires_one_call():
    """``step`` fires exactly the next call and reports whether there was one."""
    clock = VirtualClock()
    log = []
    clock.callLater(2, log.append, "b")
    clock.callLater(1, log.append, "a")
    assert clock.step() is True and log == ["a"] and clock.seconds() == 1
    assert clock.step() is True and clock.step() is False


def test_run_until_true_stops_when_the_predicate_holds():
    """``run_until_true`` fires calls until the predicate holds, or gives up at the limit."""
    clock = VirtualClock()
    log = []
    for delay in range(1, 6):
        clock.callLater(delay, log.append, delay)
    assert clock.run_until_true(lambda: len(log) == 3) is True
    assert clock.seconds() == 3
    assert clock.run_until_true(lambda: len(log) == 99, limit=4) is False
    assert log == [1, 2, 3, 4]


def test_exceptions_propagate_and_the_clock_stays_usable():
    """An exception from a call propagates out of the driver; the clock can be driven again."""
    clock = VirtualClock()
    log = []

    def boom():
        raise RuntimeError("boom")

    clock.callLater(1, boom)
    clock.callLater(2, log.append, "after")
    with pytest.raises(RuntimeError):
        clock.advance(5)
    clock.advance(5)
    assert log == ["after"]


def test_many_cancellations_compact_the_heap():
    """Cancelling most of many calls compacts the heap without losing the live ones."""
    clock = VirtualClock()
    calls = [clock.callLater(i + 1, lambda: None) for i in range(5000)]
    for call in calls[:4900]:
        call.cancel()
    assert clock.pending() == 100
    assert len(clock._heap) < 5000
    assert clock.run() == 100


def test_looping_call_runs_on_the_virtual_clock():
    """Twisted's ``LoopingCall`` works with the virtual clock."""
    clock = VirtualClock()
    times = []
    loop = LoopingCall(lambda: times.append(clock.seconds()))
    loop.clock = clock
    loop.start(2.0, now=False)
    clock.advance(7)
    loop.stop()
    assert times == [2.0, 4.0, 6.0]


def test_defer_later_fires_on_the_virtual_clock():
    """``deferLater`` on the virtual clock fires its Deferred at the right virtual time."""
    clock = VirtualClock()
    results = []
    deferLater(clock, 3, lambda: clock.seconds()).addCallback(results.append)
    clock.advance(2)
    assert results == []
    clock.advance(2)
    assert results == [3.0]
