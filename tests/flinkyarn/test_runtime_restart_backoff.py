"""
Tests for :mod:`flinkyarn.runtime.jobmaster.restart_backoff`.
"""

import random

from flinkyarn.config import Duration
from flinkyarn.config.restart import ExponentialDelay, FailureRate, FixedDelay, NoRestart
from flinkyarn.runtime.jobmaster.restart_backoff import restart_backoff_time_strategy


def test_no_restart_never_restarts():
    """NoRestart refuses every restart and names itself as Flink does."""
    strategy = restart_backoff_time_strategy(NoRestart(), random.Random(0))
    strategy.notify_failure(0)
    assert not strategy.can_restart()
    assert str(strategy) == "NoRestartBackoffTimeStrategy"


def test_fixed_delay_allows_its_attempts():
    """Fixed-delay restarts ``attempts`` times with its delay, then refuses."""
    strategy = restart_backoff_time_strategy(FixedDelay(2, Duration.of_seconds(3)), random.Random(0))
    for _ in range(2):
        strategy.notify_failure(0)
        assert strategy.can_restart() and strategy.backoff_time_ms() == 3000
    strategy.notify_failure(0)
    assert not strategy.can_restart()
    assert str(strategy) == ("FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=2, "
                             "backoffTimeMS=3000)")


def test_failure_rate_refuses_too_many_failures_in_the_interval():
    """Failure-rate restarts unless more than the maximum failures fall within the interval."""
    strategy = restart_backoff_time_strategy(
        FailureRate(2, Duration.of_seconds(60), Duration.of_seconds(1)), random.Random(0))
    strategy.notify_failure(0)
    assert strategy.can_restart()
    strategy.notify_failure(10_000)
    assert not strategy.can_restart()
    strategy.notify_failure(100_000)
    assert strategy.can_restart()


def test_exponential_delay_grows_caps_and_resets():
    """Exponential delay multiplies its backoff, caps it, and starts over after a quiet spell."""
    strategy = restart_backoff_time_strategy(ExponentialDelay(
        Duration.of_seconds(1), Duration.of_seconds(5), 2.0, Duration.of_seconds(60), 0.0, 10**9),
        random.Random(0))
    delays = []
    for time in range(0, 5000, 1000):
        strategy.notify_failure(time)
        delays.append(strategy.backoff_time_ms())
    assert delays == [1000, 2000, 4000, 5000, 5000]
    strategy.notify_failure(200_000)
    assert strategy.backoff_time_ms() == 1000 and strategy.can_restart()
