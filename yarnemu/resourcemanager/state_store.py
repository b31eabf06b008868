"""
:class:`NullRMStateStore`: the RM state store that stores nothing (Hadoop's default,
``NullRMStateStore``) but, like every store, acknowledges each save asynchronously — which is what
makes NEW_SAVING, ALLOCATED_SAVING and FINAL_SAVING observable states.
"""

__all__ = ["NullRMStateStore", "STATE_STORE_CLASS"]

STATE_STORE_CLASS = "org.apache.hadoop.yarn.server.resourcemanager.recovery.NullRMStateStore"


class NullRMStateStore:
    """
    :param clock: an ``IReactorTime``.
    :param int latency_ms: how long each save takes (``yarnemu.resourcemanager.state-store.latency-ms``).
    """

    def __init__(self, clock, latency_ms=0):
        self._clock = clock
        self._latency = latency_ms / 1000.0

    def save(self, on_saved, *args):
        """Acknowledge a save by calling ``on_saved(*args)`` after the latency."""
        self._clock.callLater(self._latency, on_saved, *args)
