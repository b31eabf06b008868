"""
:class:`LivenessMonitor`: Hadoop's ``AbstractLivelinessMonitor`` — things that must ping within an
expiry interval or be expired.

It checks every ``expiry / 3`` on a fixed grid, as Hadoop's monitors do, so a silent item expires
at the first check more than ``expiry`` after its last ping.  The check timer runs only while
something is registered.
"""

from yarnemu.timers import GridTimer

__all__ = ["LivenessMonitor"]


class LivenessMonitor:
    """
    :param clock: an ``IReactorTime``.
    :param int expiry_ms: how long an item may stay silent.
    :param on_expire: called with each expired key (which is unregistered first).
    """

    def __init__(self, clock, expiry_ms, on_expire):
        self.expiry_ms = expiry_ms
        self._on_expire = on_expire
        # key -> time of its last ping (ms).  Hot paths may write an entry of a registered key
        # directly: that is a ping.
        self.last_pings = {}
        self._timer = GridTimer(clock, max(1, expiry_ms // 3), self._check)

    def __contains__(self, key):
        return key in self.last_pings

    def __len__(self):
        return len(self.last_pings)

    def register(self, key, now_ms):
        """Start watching ``key``, as if it had just pinged."""
        self.last_pings[key] = now_ms
        if not self._timer.running:
            self._timer.start()

    def ping(self, key, now_ms):
        """Record that ``key`` is alive; ignored for keys not registered."""
        if key in self.last_pings:
            self.last_pings[key] = now_ms

    def unregister(self, key):
        """Stop watching ``key``; does nothing if it is not registered."""
        self.last_pings.pop(key, None)
        if not self.last_pings:
            self._timer.stop()

    def last_ping(self, key):
        """:return: the last ping time in ms, or ``None``."""
        return self.last_pings.get(key)

    def _check(self, now_ms):
        expired = [key for key, last in self.last_pings.items() if now_ms - last > self.expiry_ms]
        for key in expired:
            self.unregister(key)
            self._on_expire(key)
