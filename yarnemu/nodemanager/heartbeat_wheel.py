"""
:class:`HeartbeatWheel`: NodeManager heartbeats batched into one timer per distinct phase.

Each NodeManager heartbeats every interval at its own phase (its offset within the interval, in
ms), exactly as if it had a timer of its own; the wheel keeps one :class:`~yarnemu.timers.GridTimer`
per phase in use and calls that phase's heartbeats in the order they were added.  At 10,000 nodes
and a 1 s interval that is at most 1,000 timers instead of 10,000, with the same timestamps.
"""

from yarnemu.timers import GridTimer, now_ms

__all__ = ["HeartbeatWheel"]


class HeartbeatWheel:
    """
    :param clock: an ``IReactorTime``.
    :param int interval_ms: the heartbeat interval
        (``yarn.resourcemanager.nodemanagers.heartbeat-interval-ms``).
    """

    def __init__(self, clock, interval_ms):
        self._clock = clock
        self.interval_ms = interval_ms
        self._slots = {}

    def add(self, heartbeat, phase_ms=None):
        """
        Call ``heartbeat(now_ms)`` every interval at ``phase_ms`` (default: one interval from now).

        :return: a handle for :meth:`remove`.
        """
        if phase_ms is None:
            phase_ms = now_ms(self._clock)
        phase = phase_ms % self.interval_ms
        slot = self._slots.get(phase)
        if slot is None:
            slot = self._slots[phase] = _Slot(self, phase)
        slot.add(heartbeat)
        return (phase, heartbeat)

    def remove(self, handle):
        """Stop a heartbeat added with :meth:`add`; does nothing if it was removed already."""
        phase, heartbeat = handle
        slot = self._slots.get(phase)
        if slot is not None and slot.remove(heartbeat) and not slot.members:
            slot.timer.stop()
            del self._slots[phase]

    def __len__(self):
        return sum(len(slot.members) for slot in self._slots.values())


class _Slot:
    __slots__ = ("members", "snapshot", "timer")

    def __init__(self, wheel, phase):
        self.members = []
        self.snapshot = ()
        self.timer = GridTimer(wheel._clock, wheel.interval_ms, self.fire)
        now = now_ms(wheel._clock)
        first = now - now % wheel.interval_ms + phase
        if first <= now:
            first += wheel.interval_ms
        self.timer.start(first)

    def add(self, heartbeat):
        self.members.append(heartbeat)
        self.snapshot = tuple(self.members)

    def remove(self, heartbeat):
        if heartbeat not in self.members:
            return False
        self.members.remove(heartbeat)
        self.snapshot = tuple(self.members)
        return True

    def fire(self, when_ms):
        for heartbeat in self.snapshot:
            heartbeat(when_ms)
