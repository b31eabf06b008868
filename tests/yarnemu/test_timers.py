"""
Tests for :mod:`yarnemu.timers`: grid timers and millisecond time.
"""

import pytest
from twisted.internet.task import Clock

from yarnemu.clock import VirtualClock
from yarnemu.timers import GridTimer, call_at_ms, call_later_ms, now_ms, sleep_ms


def test_grid_timer_fires_exactly_on_the_grid():
    """A grid timer fires at start + k × interval in integer milliseconds, with no drift."""
    clock = VirtualClock(1767225600.0)
    fired = []
    timer = GridTimer(clock, 333, fired.append)
    timer.start()
    clock.advance(3600)
    start = 1767225600000
    assert len(fired) == 3600 * 1000 // 333
    assert fired == [start + 333 * k for k in range(1, len(fired) + 1)]


def test_grid_timer_callback_sees_the_clock_at_the_grid_time():
    """When the callback runs, the clock reads exactly the grid time it is given."""
    clock = VirtualClock(1767225600.0)
    seen = []
    GridTimer(clock, 1000, lambda when: seen.append((when, now_ms(clock)))).start(1767225600500)
    clock.advance(5)
    assert seen and all(when == now for when, now in seen)
    assert seen[0][0] == 1767225600500


def test_grid_timer_stop_and_restart():
    """A stopped grid timer fires no more; starting it twice raises."""
    clock = VirtualClock()
    fired = []
    timer = GridTimer(clock, 1000, fired.append)
    timer.start()
    with pytest.raises(RuntimeError):
        timer.start()
    clock.advance(2.5)
    timer.stop()
    clock.advance(10)
    assert fired == [1000, 2000] and not timer.running
    timer.stop()


def test_grid_timer_refuses_a_non_positive_interval():
    """An interval of zero or less is refused."""
    with pytest.raises(ValueError):
        GridTimer(VirtualClock(), 0, lambda when: None)


def test_call_at_ms_works_on_a_clock_without_call_at():
    """``call_at_ms`` falls back to ``callLater`` on any IReactorTime (here task.Clock)."""
    clock = Clock()
    clock.advance(1.0)
    fired = []
    call_at_ms(clock, 2500, lambda: fired.append(clock.seconds()))
    clock.advance(1.5)
    assert fired == [2.5]


def test_call_later_ms_lands_on_whole_milliseconds():
    """A delay in ms counts from the current whole millisecond, with no float residue."""
    clock = VirtualClock()
    clock.advance(0.1)
    fired = []
    call_later_ms(clock, 200, lambda label: fired.append((label, now_ms(clock))), "x")
    clock.advance(0.2)
    assert fired == [("x", now_ms(clock))] and fired[0][1] % 100 == 0


def test_sleep_ms_fires_later_and_cancelling_it_cancels_the_timer():
    """``sleep_ms`` fires after the delay; a cancelled sleep leaves no pending call."""
    clock = VirtualClock()
    woke = []
    sleep_ms(clock, 1500).addCallback(lambda _: woke.append(now_ms(clock)))
    clock.advance(1.4)
    assert woke == []
    clock.advance(0.1)
    assert len(woke) == 1
    cancelled = sleep_ms(clock, 1000)
    cancelled.addErrback(lambda failure: woke.append(failure.type.__name__))
    cancelled.cancel()
    assert woke[-1] == "CancelledError" and clock.getDelayedCalls() == []
