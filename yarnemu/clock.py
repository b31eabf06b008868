"""
A heap-based virtual clock: an ``IReactorTime`` for running a whole cluster in virtual time.

``twisted.internet.task.Clock`` re-sorts its call list on every ``callLater`` and every fired call
and moves its time to the *end* of an ``advance`` before running anything.  At cluster scale that
is both slow (O(pending calls) per event) and wrong for us (staggered heartbeats collapse into one
burst).  :class:`VirtualClock` keeps its calls in a binary heap with lazy deletion and fires them
**one at a time, in time order, each with the clock set to its own due time**; calls due at the
same instant fire in the order they were scheduled.

It provides ``IReactorTime`` (``seconds``, ``callLater``, ``getDelayedCalls``), so Twisted code
such as ``LoopingCall`` and ``deferLater`` runs on it unchanged, plus the drivers a simulation
needs: :meth:`VirtualClock.advance`, :meth:`VirtualClock.run_until`, :meth:`VirtualClock.run`
and :meth:`VirtualClock.step`, and :meth:`VirtualClock.callAt` for exact absolute times.

An exception raised by a call propagates out of the driver that fired it (as with
``task.Clock``): in a simulation a crash is a bug to see, not to log and forget.  The call that
raised is spent; the clock stays consistent and can be driven again.
"""

from heapq import heapify, heappop, heappush

from twisted.internet.error import AlreadyCalled, AlreadyCancelled
from twisted.internet.interfaces import IDelayedCall, IReactorTime
from zope.interface import implementer

__all__ = ["VirtualClock", "VirtualDelayedCall"]

# Sequence marks of calls that are no longer in the heap under a valid entry.
_CANCELLED = -1
_CALLED = -2

# Rebuild the heap once at least this many of its entries are dead and they are the majority.
_COMPACT_MIN_DEAD = 1024


@implementer(IDelayedCall)
class VirtualDelayedCall:
    """
    A call scheduled on a :class:`VirtualClock`.

    It provides ``IDelayedCall``: ``getTime``, ``cancel``, ``delay``, ``reset`` and ``active``.
    ``called`` and ``cancelled`` are true once the call ran or was cancelled.
    """

    __slots__ = ("time", "func", "args", "kw", "_clock", "_seq")

    def __init__(self, clock, time, seq, func, args, kw):
        self._clock = clock
        self.time = time
        self._seq = seq
        self.func = func
        self.args = args
        self.kw = kw

    @property
    def called(self):
        return self._seq == _CALLED

    @property
    def cancelled(self):
        return self._seq == _CANCELLED

    def getTime(self):
        """
        :return: the virtual time, in seconds, at which this call is (or was) due.
        """
        return self.time

    def active(self):
        """
        :return: ``True`` while the call has neither run nor been cancelled.
        """
        return self._seq >= 0

    def _check_active(self):
        if self._seq == _CANCELLED:
            raise AlreadyCancelled()
        if self._seq == _CALLED:
            raise AlreadyCalled()

    def cancel(self):
        """
        Stop this call from running.

        :raise AlreadyCancelled: if it was already cancelled.
        :raise AlreadyCalled: if it already ran.
        """
        self._check_active()
        self._seq = _CANCELLED
        self._clock._entry_died()

    def reset(self, secondsFromNow):
        """
        Move this call to ``secondsFromNow`` seconds after the clock's current time.
        """
        self._check_active()
        self._clock._reschedule(self, self._clock.seconds() + secondsFromNow)

    def delay(self, secondsLater):
        """
        Move this call ``secondsLater`` seconds later than it is now due.
        """
        self._check_active()
        self._clock._reschedule(self, self.time + secondsLater)

    def __repr__(self):
        state = "called" if self.called else "cancelled" if self.cancelled else "active"
        name = getattr(self.func, "__qualname__", repr(self.func))
        return f"<VirtualDelayedCall {name} at {self.time!r} {state}>"


@implementer(IReactorTime)
class VirtualClock:
    """
    A virtual clock whose time moves only when it is driven.

    :param float start: the initial time in seconds (for a cluster, an epoch time, so that ids
        and timestamps look like a real cluster's).
    """

    def __init__(self, start=0.0):
        self._now = float(start)
        self._heap = []
        self._next_seq = 0
        self._dead = 0
        self.fired = 0
        """The number of calls fired so far."""

    # IReactorTime

    def seconds(self):
        """
        :return: the current virtual time in seconds.
        """
        return self._now

    def callLater(self, delay, callable, *args, **kw):
        """
        Schedule ``callable(*args, **kw)`` to run ``delay`` seconds from now.

        :raise ValueError: if ``delay`` is negative.
        :return: a :class:`VirtualDelayedCall`.
        """
        if delay < 0:
            raise ValueError(f"callLater delay must be >= 0, not {delay!r}")
        # Scheduling is inlined here and in callAt: they run once per timer event.
        when = self._now + delay
        seq = self._next_seq
        self._next_seq = seq + 1
        call = VirtualDelayedCall(self, when, seq, callable, args, kw)
        heappush(self._heap, (when, seq, call))
        return call

    def getDelayedCalls(self):
        """
        :return: the calls that have not run and were not cancelled, in the order they will fire.
        """
        return [call for _, seq, call in sorted(self._heap) if call._seq == seq]

    # Extensions

    def callAt(self, when, callable, *args, **kw):
        """
        Schedule ``callable(*args, **kw)`` at the absolute virtual time ``when`` (seconds).

        Unlike ``callLater(when - seconds())`` this introduces no floating-point residue, so calls
        computed on a fixed grid land exactly on it.

        :raise ValueError: if ``when`` is in the past.
        """
        if when < self._now:
            raise ValueError(f"callAt time {when!r} is before the current time {self._now!r}")
        seq = self._next_seq
        self._next_seq = seq + 1
        call = VirtualDelayedCall(self, when, seq, callable, args, kw)
        heappush(self._heap, (when, seq, call))
        return call

    def pending(self):
        """
        :return: the number of calls that have neither run nor been cancelled.
        """
        return len(self._heap) - self._dead

    def next_time(self):
        """
        :return: the due time of the next call to fire, or ``None`` when nothing is scheduled.
        """
        self._drop_dead_head()
        return self._heap[0][0] if self._heap else None

    def step(self):
        """
        Fire the next scheduled call, moving the clock to its due time.

        :return: ``True`` if a call fired, ``False`` if nothing was scheduled.
        """
        self._drop_dead_head()
        if not self._heap:
            return False
        self._fire(heappop(self._heap))
        return True

    def run_until(self, when):
        """
        Fire, one at a time and in order, every call due at or before ``when``; then set the clock
        to ``when`` (or leave it where it is if it is already later).

        Calls scheduled by the calls that fire are fired too if they fall due by ``when``.
        """
        heap = self._heap
        while heap and heap[0][0] <= when:
            # _fire, inlined: this loop is the driver of every large run.
            due, seq, call = heappop(heap)
            if call._seq != seq:
                self._dead -= 1
                continue
            self._now = due
            call._seq = _CALLED
            self.fired += 1
            call.func(*call.args, **call.kw)
        if when > self._now:
            self._now = when

    def advance(self, amount):
        """
        Move the clock forward by ``amount`` seconds, firing what falls due on the way.
        """
        self.run_until(self._now + amount)

    def pump(self, timings):
        """
        Advance the clock by each of ``timings`` in turn.
        """
        for amount in timings:
            self.advance(amount)

    def run_until_true(self, predicate, limit=None):
        """
        Fire calls one at a time until ``predicate()`` holds (checked before the first call and
        after each), nothing is scheduled, or the next call is due after ``limit``.

        :return: whether ``predicate()`` holds at the end.
        """
        heap = self._heap
        while not predicate():
            # _drop_dead_head and _fire, inlined: this loop drives every scenario run.
            while heap and heap[0][2]._seq != heap[0][1]:
                heappop(heap)
                self._dead -= 1
            if not heap or (limit is not None and heap[0][0] > limit):
                return False
            due, seq, call = heappop(heap)
            self._now = due
            call._seq = _CALLED
            self.fired += 1
            call.func(*call.args, **call.kw)
        return True

    def run(self, limit=None):
        """
        Fire calls until none is scheduled, or until the next one is due after ``limit``.

        :param limit: an absolute virtual time, or ``None`` for no limit (beware of periodic
            timers: they always have a next call).
        :return: the number of calls fired.
        """
        before = self.fired
        while True:
            self._drop_dead_head()
            if not self._heap or (limit is not None and self._heap[0][0] > limit):
                break
            self._fire(heappop(self._heap))
        return self.fired - before

    # Internals

    def _fire(self, entry):
        when, seq, call = entry
        if call._seq != seq:
            self._dead -= 1
            return
        self._now = when
        call._seq = _CALLED
        self.fired += 1
        call.func(*call.args, **call.kw)

    def _reschedule(self, call, when):
        seq = self._next_seq
        self._next_seq = seq + 1
        call.time = when
        call._seq = seq
        heappush(self._heap, (when, seq, call))
        self._entry_died()

    def _entry_died(self):
        self._dead += 1
        if self._dead >= _COMPACT_MIN_DEAD and self._dead * 2 > len(self._heap):
            # In place: a driver loop may hold a reference to the list.
            self._heap[:] = [entry for entry in self._heap if entry[2]._seq == entry[1]]
            heapify(self._heap)
            self._dead = 0

    def _drop_dead_head(self):
        heap = self._heap
        while heap and heap[0][2]._seq != heap[0][1]:
            heappop(heap)
            self._dead -= 1
