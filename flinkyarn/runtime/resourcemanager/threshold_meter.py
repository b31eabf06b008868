"""
:class:`ThresholdMeter`: how many events happened in the last interval, against a threshold —
Flink's ``ThresholdMeter``, which the ResourceManager uses for the rate of failed worker starts
(``resourcemanager.start-worker.max-failure-rate`` per minute).
"""

from collections import deque

__all__ = ["ThresholdMeter"]


class ThresholdMeter:
    """
    :param clock: an ``IReactorTime``.
    :param float max_events_per_interval: the threshold.
    :param int interval_ms: the interval (Flink's: one minute).
    """

    def __init__(self, clock, max_events_per_interval, interval_ms=60000):
        self._clock = clock
        self.max_events_per_interval = max_events_per_interval
        self._interval_ms = interval_ms
        self._events = deque()
        self.count = 0

    def mark_event(self):
        self._events.append(self._now_ms())
        self.count += 1

    def exceeded(self):
        """
        :return: ``None`` below the threshold, else Flink's ``ThresholdExceedException`` message
            (``… events detected in the recent interval, reaching the threshold …``).
        """
        recent = self._recent()
        if recent >= self.max_events_per_interval:
            return (f"{recent} events detected in the recent interval, reaching the threshold "
                    f"{self.max_events_per_interval:.6f}.")
        return None

    def _recent(self):
        now = self._now_ms()
        while self._events and now - self._events[0] > self._interval_ms:
            self._events.popleft()
        return len(self._events)

    def _now_ms(self):
        return int(round(self._clock.seconds() * 1000))
