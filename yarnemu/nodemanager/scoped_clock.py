"""
:class:`ScopedClock`: the clock a containerized program sees.  It forwards to the real clock but
remembers the calls the program scheduled, so that when the program's "process" ends — it exits,
or is killed — none of its timers can fire any more, as none of a dead process's threads run.
"""

from twisted.internet.interfaces import IReactorTime
from zope.interface import implementer

__all__ = ["ScopedClock"]


@implementer(IReactorTime)
class ScopedClock:
    def __init__(self, clock):
        self._clock = clock
        self._calls = {}
        self._next = 0
        self.closed = False

    def seconds(self):
        return self._clock.seconds()

    def callLater(self, delay, callable, *args, **kw):
        """
        Schedule like the wrapped clock; once closed, the call is created already cancelled.
        """
        key = self._next
        self._next = key + 1
        call = self._clock.callLater(delay, self._run, key, callable, args, kw)
        if self.closed:
            call.cancel()
        else:
            self._calls[key] = call
        return call

    def getDelayedCalls(self):
        return [call for call in self._calls.values() if call.active()]

    def close(self):
        """Cancel every call still scheduled and refuse new ones."""
        self.closed = True
        calls, self._calls = self._calls, {}
        for call in calls.values():
            if call.active():
                call.cancel()

    def _run(self, key, callable, args, kw):
        self._calls.pop(key, None)
        callable(*args, **kw)
