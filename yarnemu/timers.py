"""
Timers for periodic work that must land exactly on a grid of integer milliseconds.

``LoopingCall`` costs a Deferred per firing and, on a clock that reports exact event times,
occasionally fires twice through float residue in its next-interval arithmetic.  :class:`GridTimer`
re-arms with a plain call at ``start + k × interval`` computed in integer milliseconds, so every
firing lands on the grid, on any ``IReactorTime``.  One-off delays (:func:`call_later_ms`,
:func:`sleep_ms`) are whole milliseconds too, so that a run's timestamps never depend on float
residue.  Pass a process's scoped clock: a dead process's timers never fire.
"""

from twisted.internet.defer import Deferred

__all__ = ["GridTimer", "call_at_ms", "call_later_ms", "sleep_ms", "now_ms"]


def now_ms(clock):
    """
    :return: the clock's time in integer epoch milliseconds.
    """
    return int(round(clock.seconds() * 1000))


def call_at_ms(clock, when_ms, f, *args, **kw):
    """
    Call ``f`` at the absolute time ``when_ms`` (integer ms): exactly, on a clock with ``callAt``
    (:class:`~yarnemu.clock.VirtualClock`); as near as the reactor allows on a real one.
    """
    when = when_ms / 1000.0
    call_at = getattr(clock, "callAt", None)
    if call_at is not None:
        return call_at(max(when, clock.seconds()), f, *args, **kw)
    return clock.callLater(max(0.0, when - clock.seconds()), f, *args, **kw)


def call_later_ms(clock, delay_ms, f, *args):
    """Call ``f(*args)`` ``delay_ms`` whole milliseconds from now; :return: the delayed call."""
    return call_at_ms(clock, now_ms(clock) + int(delay_ms), f, *args)


def sleep_ms(clock, delay_ms):
    """
    :param int delay_ms: how long to wait (0 waits for the clock's next turn).
    :return: a Deferred firing with ``None`` ``delay_ms`` whole milliseconds from now;
        cancelling it cancels the timer.
    """
    def cancel(_):
        if call.active():
            call.cancel()

    waiting = Deferred(cancel)
    call = call_later_ms(clock, delay_ms, waiting.callback, None)
    return waiting


class GridTimer:
    """
    Call ``callback(now_ms)`` every ``interval_ms`` milliseconds on a fixed grid.

    :param clock: an ``IReactorTime``.
    :param int interval_ms: the period.
    :param callback: called with the grid time in ms of each firing.
    """

    __slots__ = ("_clock", "interval_ms", "_callback", "_next_ms", "_call")

    def __init__(self, clock, interval_ms, callback):
        if interval_ms <= 0:
            raise ValueError(f"interval_ms must be positive, not {interval_ms!r}")
        self._clock = clock
        self.interval_ms = int(interval_ms)
        self._callback = callback
        self._next_ms = None
        self._call = None

    @property
    def running(self):
        return self._call is not None

    @property
    def next_ms(self):
        """The grid time of the next firing, or ``None`` when stopped."""
        return self._next_ms if self._call is not None else None

    def start(self, first_ms=None):
        """
        Start firing, first at ``first_ms`` (default: one interval from now).

        :raise RuntimeError: if already running.
        """
        if self._call is not None:
            raise RuntimeError("GridTimer is already running")
        if first_ms is None:
            first_ms = now_ms(self._clock) + self.interval_ms
        self._next_ms = first_ms
        self._call = call_at_ms(self._clock, first_ms, self._fire)

    def stop(self):
        """Stop firing; does nothing if stopped."""
        if self._call is not None:
            self._call.cancel()
            self._call = None

    def _fire(self):
        when = self._next_ms
        self._next_ms = when + self.interval_ms
        self._call = call_at_ms(self._clock, self._next_ms, self._fire)
        self._callback(when)
