"""
:class:`ScaledClock`: the cluster's clock on the real reactor, running ``scale`` times faster than
real time (``--time-scale``).

Cluster time starts at the real time the clock is made and then advances ``scale`` seconds per
real second: a NodeManager heartbeat of 1 s fires every ``1/scale`` real seconds, and every
timestamp the cluster shows (start and finish times, ids' cluster timestamp) is cluster time.
"""

from twisted.internet.interfaces import IDelayedCall, IReactorTime
from zope.interface import implementer

__all__ = ["ScaledClock"]


@implementer(IDelayedCall)
class _ScaledCall:
    """A reactor ``DelayedCall`` seen in cluster time."""

    __slots__ = ("_clock", "_call")

    def __init__(self, clock, call):
        self._clock = clock
        self._call = call

    def getTime(self):
        return self._clock.cluster_time(self._call.getTime())

    def cancel(self):
        self._clock._calls.discard(self)
        self._call.cancel()

    def delay(self, secondsLater):
        self._call.delay(secondsLater / self._clock.scale)

    def reset(self, secondsFromNow):
        self._call.reset(secondsFromNow / self._clock.scale)

    def active(self):
        return self._call.active()


@implementer(IReactorTime)
class ScaledClock:
    """
    :param reactor: the real ``IReactorTime``.
    :param float scale: cluster seconds per real second; positive.
    """

    def __init__(self, reactor, scale):
        if not scale > 0:
            raise ValueError(f"the time scale must be positive, not {scale!r}")
        self._reactor = reactor
        self.scale = float(scale)
        self._origin = reactor.seconds()
        self._calls = set()

    def cluster_time(self, real_time):
        """:return: the cluster time at reactor time ``real_time``."""
        return self._origin + (real_time - self._origin) * self.scale

    def seconds(self):
        return self.cluster_time(self._reactor.seconds())

    def callLater(self, delay, callable, *args, **kw):
        def fire():
            self._calls.discard(scaled)
            callable(*args, **kw)

        scaled = _ScaledCall(self, None)
        scaled._call = self._reactor.callLater(max(0.0, delay) / self.scale, fire)
        self._calls.add(scaled)
        return scaled

    def getDelayedCalls(self):
        return [call for call in self._calls if call.active()]
