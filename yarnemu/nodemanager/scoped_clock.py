"""
:class:`ScopedClock`: the clock a containerized program sees.  It forwards to the real clock but
remembers the calls the program scheduled, so that when the program's "process" ends — it exits,
or is killed — none of its timers can fire any more, as none of a dead process's threads run.
An exception raised by one of its calls is the program crashing, not the clock's driver.
"""

from twisted.internet.interfaces import IReactorTime
from zope.interface import implementer

__all__ = ["ScopedClock"]


@implementer(IReactorTime)
class ScopedClock:
    """
    :param clock: the ``IReactorTime`` to forward to; if it has ``callAt`` (as
        :class:`~yarnemu.clock.VirtualClock` does), so does this clock.
    :param on_error: called with the exception a scheduled call raised; without it, the exception
        propagates to whatever fired the call.
    """

    def __init__(self, clock, on_error=None):
        self._clock = clock
        self._on_error = on_error
        self._calls = {}
        self._next = 0
        self._close_listeners = []
        self.closed = False
        if getattr(clock, "callAt", None) is not None:
            self.callAt = self._call_at

    def seconds(self):
        return self._clock.seconds()

    def callLater(self, delay, callable, *args, **kw):
        """
        Schedule like the wrapped clock; once closed, the call is created already cancelled.
        """
        return self._track(self._clock.callLater, delay, callable, args, kw)

    def _call_at(self, when, callable, *args, **kw):
        """Schedule at an absolute time, like the wrapped clock's ``callAt``."""
        return self._track(self._clock.callAt, when, callable, args, kw)

    def getDelayedCalls(self):
        return [call for call in self._calls.values() if call.active()]

    def close(self):
        """
        Cancel every call still scheduled, refuse new ones, and tell the close listeners (once).
        """
        if self.closed:
            return
        self.closed = True
        calls, self._calls = self._calls, {}
        for call in calls.values():
            if call.active():
                call.cancel()
        listeners, self._close_listeners = self._close_listeners, []
        for listener in listeners:
            listener()

    def on_close(self, listener):
        """
        Call ``listener()`` when the process ends (at once if it has): how the network notices
        that a peer's connections are gone.
        """
        if self.closed:
            listener()
        else:
            self._close_listeners.append(listener)

    def _track(self, schedule, when, callable, args, kw):
        key = self._next
        self._next = key + 1
        call = schedule(when, self._run, key, callable, args, kw)
        if self.closed:
            call.cancel()
        else:
            self._calls[key] = call
        return call

    def _run(self, key, callable, args, kw):
        self._calls.pop(key, None)
        if self._on_error is None:
            callable(*args, **kw)
            return
        try:
            callable(*args, **kw)
        except Exception as error:
            self._on_error(error)
