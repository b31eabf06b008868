"""
Tests for :mod:`yarnemu.timers`: grid timers and millisecond time.
"""

import pytest
from twisted.internet.task import Clock

from yarnemu.clock import VirtualClock
from yarnemu.timers import GridTimer, call_at_ms, now_ms


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
