"""
Restart backoff time strategies: after a failure, may the job restart, and after how long — as
Flink's ``RestartBackoffTimeStrategy`` implementations decide it, from the strategy values of
:mod:`flinkyarn.config.restart`.
"""

from collections import deque

from flinkyarn.config.restart import ExponentialDelay, FailureRate, FixedDelay, NoRestart

__all__ = ["restart_backoff_time_strategy"]


class _NoRestart:
    def notify_failure(self, timestamp_ms):
        pass

    def can_restart(self):
        return False

    def backoff_time_ms(self):
        return 0

    def __str__(self):
        return "NoRestartBackoffTimeStrategy"


class _FixedDelay:
    def __init__(self, strategy):
        self._attempts = strategy.attempts
        self._delay = strategy.delay.millis
        self._current = 0

    def notify_failure(self, timestamp_ms):
        self._current += 1

    def can_restart(self):
        return self._current <= self._attempts

    def backoff_time_ms(self):
        return self._delay

    def __str__(self):
        return (f"FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts={self._attempts}, "
                f"backoffTimeMS={self._delay})")


class _FailureRate:
    def __init__(self, strategy):
        self._max = strategy.max_failures_per_interval
        self._interval = strategy.interval.millis
        self._delay = strategy.delay.millis
        self._failures = deque(maxlen=self._max)

    def notify_failure(self, timestamp_ms):
        self._failures.append(timestamp_ms)

    def can_restart(self):
        if len(self._failures) < self._max:
            return True
        return self._failures[-1] - self._failures[0] > self._interval

    def backoff_time_ms(self):
        return self._delay

    def __str__(self):
        return (f"FailureRateRestartBackoffTimeStrategy(FailureRateRestartBackoffTimeStrategy"
                f"(failuresIntervalMS={self._interval},backoffTimeMS={self._delay},"
                f"maxFailuresPerInterval={self._max})")


class _ExponentialDelay:
    def __init__(self, strategy, random):
        self._strategy = strategy
        self._random = random
        self._initial = strategy.initial_backoff.millis
        self._max = strategy.max_backoff.millis
        self._current = 0
        self._last_failure = None
        self._attempts = 0

    def notify_failure(self, timestamp_ms):
        strategy = self._strategy
        if (self._last_failure is not None
                and timestamp_ms - self._last_failure >= strategy.reset_threshold.millis):
            self._current = 0
            self._attempts = 0
        self._last_failure = timestamp_ms
        self._attempts += 1
        if self._current == 0:
            backoff = self._initial
        else:
            backoff = min(self._current * strategy.multiplier, self._max)
        self._current = backoff

    def can_restart(self):
        return self._attempts <= self._strategy.attempts_before_reset

    def backoff_time_ms(self):
        jitter = self._strategy.jitter * self._current
        offset = self._random.uniform(-jitter, jitter) if jitter else 0.0
        return max(0, min(int(self._current + offset), self._max))

    def __str__(self):
        s = self._strategy
        return (f"ExponentialDelayRestartBackoffTimeStrategy(initialBackoffMS={self._initial}, "
                f"maxBackoffMS={self._max}, backoffMultiplier={s.multiplier}, "
                f"resetBackoffThresholdMS={s.reset_threshold.millis}, jitterFactor={s.jitter}, "
                f"currentBackoffMS={self._current}, lastFailureTimestamp={self._last_failure})")


def restart_backoff_time_strategy(strategy, random):
    """
    :param strategy: a :mod:`flinkyarn.config.restart` value.
    :param random: a seeded ``random.Random`` (for exponential-delay's jitter).
    :return: the strategy's stateful form: ``notify_failure(ms)``, ``can_restart()``,
        ``backoff_time_ms()``, and ``str()`` as Flink names it in "Recovery is suppressed by …".
    """
    if isinstance(strategy, NoRestart):
        return _NoRestart()
    if isinstance(strategy, FixedDelay):
        return _FixedDelay(strategy)
    if isinstance(strategy, FailureRate):
        return _FailureRate(strategy)
    if isinstance(strategy, ExponentialDelay):
        return _ExponentialDelay(strategy, random)
    raise TypeError(f"not a restart strategy: {strategy!r}")
