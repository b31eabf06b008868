"""
:class:`LivenessMonitor`: Hadoop's ``AbstractLivelinessMonitor`` — things that must ping within an
expiry interval or be expired.

It checks every ``expiry / 3`` on a fixed grid, as Hadoop's monitors do, so a silent item expires
at the first check more than ``expiry`` after its last ping.  The check timer runs only while
something is registered.

The last pings are a dict, or a :class:`HeldPings` that keeps each on the object it is about (the
NodeManagers' monitor: a heartbeat then pings by setting an attribute of the node it already
holds, instead of hashing its id into a second table; at 10,000 nodes that is a fifth of an idle
heartbeat's cost).
"""

from collections.abc import MutableMapping

from yarnemu.timers import GridTimer

__all__ = ["LivenessMonitor", "HeldPings"]


class HeldPings(MutableMapping):
    """
    ``key → time of the last ping (ms)``, each kept on the key's holder as ``holder.last_ping``.

    :param holders: a mapping in which a key's holder is found when the key is first set (so it
        must be there then); the holder stays the key's until the key is deleted.

    Keys iterate in the order they were first set, as a dict's.  Setting ``last_ping`` on the
    holder of a key that is set is a ping.
    """

    def __init__(self, holders):
        self._holders = holders
        self._held = {}  # key -> holder, in the order keys were set

    def __getitem__(self, key):
        return self._held[key].last_ping

    def __setitem__(self, key, last_ping):
        holder = self._held.get(key)
        if holder is None:
            holder = self._held[key] = self._holders[key]
        holder.last_ping = last_ping

    def __delitem__(self, key):
        del self._held[key]

    def __contains__(self, key):
        return key in self._held

    def __iter__(self):
        return iter(self._held)

    def __len__(self):
        return len(self._held)


class LivenessMonitor:
    """
    :param clock: an ``IReactorTime``.
    :param int expiry_ms: how long an item may stay silent.
    :param on_expire: called with each expired key (which is unregistered first).
    :param pings: the mapping to keep the last pings in (default: a dict), e.g. a
        :class:`HeldPings`.
    """

    def __init__(self, clock, expiry_ms, on_expire, pings=None):
        self.expiry_ms = expiry_ms
        self._on_expire = on_expire
        # key -> time of its last ping (ms).  Hot paths may write an entry of a registered key
        # directly: that is a ping.
        self.last_pings = pings if pings is not None else {}
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
