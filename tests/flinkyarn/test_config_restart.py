"""
Tests for :mod:`flinkyarn.config.restart`: which restart strategy a cluster configuration gives,
by Flink's rules for 1.17/1.18 and for 1.19/1.20.
"""

import pytest

from flinkyarn.config.configuration import Configuration
from flinkyarn.config.errors import IllegalConfigurationException
from flinkyarn.config.restart import (
    ExponentialDelay,
    FailureRate,
    FixedDelay,
    NoRestart,
    checkpointing_enabled,
    restart_strategy,
)
from flinkyarn.config.values import JAVA_INT_MAX, Duration
from flinkyarn.config.version import V1_19

CHECKPOINTING = {"execution.checkpointing.interval": "10 s"}
EXPONENTIAL_1_19 = ExponentialDelay(
    initial_backoff=Duration.of_seconds(1), max_backoff=Duration.of_minutes(1), multiplier=1.5,
    reset_threshold=Duration.of_hours(1), jitter=0.1, attempts_before_reset=JAVA_INT_MAX)
EXPONENTIAL_1_18 = ExponentialDelay(
    initial_backoff=Duration.of_seconds(1), max_backoff=Duration.of_minutes(5), multiplier=2.0,
    reset_threshold=Duration.of_hours(1), jitter=0.1, attempts_before_reset=JAVA_INT_MAX)


@pytest.mark.parametrize("version", ["1.17", "1.18", "1.19", "1.20"])
def test_no_strategy_and_no_checkpointing_means_no_restart(version):
    """Without a strategy and without checkpointing, a failed job is not restarted."""
    assert restart_strategy(Configuration(), version=version) == NoRestart()


@pytest.mark.parametrize("version", ["1.17", "1.18"])
def test_checkpointing_defaults_to_unbounded_fixed_delay_up_to_1_18(version):
    """With checkpointing and no strategy, Flink ≤1.18 restarts Integer.MAX_VALUE times, 1 s apart."""
    assert restart_strategy(Configuration(CHECKPOINTING), version=version) == FixedDelay(
        attempts=JAVA_INT_MAX, delay=Duration.of_seconds(1))


@pytest.mark.parametrize("version", ["1.19", "1.20"])
def test_checkpointing_defaults_to_exponential_delay_from_1_19(version):
    """With checkpointing and no strategy, Flink 1.19+ uses exponential-delay with its defaults."""
    assert restart_strategy(Configuration(CHECKPOINTING), version=version) == EXPONENTIAL_1_19


def test_the_default_version_is_1_18_and_the_knob_selects_another():
    """By default 1.18's rule applies; ``flinkyarn.version`` selects 1.19's."""
    assert isinstance(restart_strategy(Configuration(CHECKPOINTING)), FixedDelay)
    newer = Configuration({**CHECKPOINTING, "flinkyarn.version": "1.19"})
    assert restart_strategy(newer) == EXPONENTIAL_1_19
    assert restart_strategy(newer, version="1.18") == FixedDelay(JAVA_INT_MAX, Duration.of_seconds(1))


def test_1_19_default_ignores_configured_exponential_options():
    """Flink 1.19's checkpointing default takes exponential-delay's defaults, not configured values."""
    config = Configuration({**CHECKPOINTING, "restart-strategy.exponential-delay.max-backoff": "10 s"})
    assert restart_strategy(config, version=V1_19) == EXPONENTIAL_1_19


def test_checkpointing_can_be_given_by_the_caller():
    """A job that enables checkpointing in code is passed as ``checkpointing=True``."""
    assert checkpointing_enabled(Configuration()) is False
    assert checkpointing_enabled(Configuration(CHECKPOINTING)) is True
    assert isinstance(restart_strategy(Configuration(), checkpointing=True), FixedDelay)
    assert restart_strategy(Configuration(CHECKPOINTING), checkpointing=False) == NoRestart()


@pytest.mark.parametrize("name", ["none", "off", "disable", "NONE", "Disable"])
def test_disabled_strategies(name):
    """``none``, ``off`` and ``disable`` (any case) mean no restart, even with checkpointing."""
    config = Configuration({**CHECKPOINTING, "restart-strategy.type": name})
    assert restart_strategy(config) == NoRestart()


@pytest.mark.parametrize("name", ["fixed-delay", "fixeddelay", "Fixed-Delay"])
def test_fixed_delay_defaults_apply_when_set_explicitly(name):
    """An explicit fixed-delay without parameters restarts once after 1 s."""
    config = Configuration({"restart-strategy.type": name})
    assert restart_strategy(config) == FixedDelay(attempts=1, delay=Duration.of_seconds(1))


def test_fixed_delay_reads_its_options_and_the_legacy_key():
    """fixed-delay reads attempts and delay; the legacy ``restart-strategy`` key works."""
    config = Configuration({"restart-strategy": "fixed-delay",
                            "restart-strategy.fixed-delay.attempts": "3",
                            "restart-strategy.fixed-delay.delay": "10 s"})
    assert restart_strategy(config) == FixedDelay(attempts=3, delay=Duration.of_seconds(10))


@pytest.mark.parametrize("name", ["failure-rate", "failurerate"])
def test_failure_rate_defaults(name):
    """failure-rate defaults: one failure per minute, 1 s delay."""
    assert restart_strategy(Configuration({"restart-strategy.type": name})) == FailureRate(
        max_failures_per_interval=1, interval=Duration.of_minutes(1), delay=Duration.of_seconds(1))


def test_failure_rate_reads_its_options():
    """failure-rate reads its three options."""
    config = Configuration({"restart-strategy.type": "failure-rate",
                            "restart-strategy.failure-rate.max-failures-per-interval": "3",
                            "restart-strategy.failure-rate.failure-rate-interval": "5 min",
                            "restart-strategy.failure-rate.delay": "10 s"})
    assert restart_strategy(config) == FailureRate(3, Duration.of_minutes(5), Duration.of_seconds(10))


@pytest.mark.parametrize("version, expected", [("1.18", EXPONENTIAL_1_18), ("1.19", EXPONENTIAL_1_19)])
def test_exponential_delay_defaults_depend_on_the_version(version, expected):
    """Explicit exponential-delay uses 5 min / 2.0 up to 1.18 and 1 min / 1.5 from 1.19."""
    config = Configuration({"restart-strategy.type": "exponentialdelay"})
    assert restart_strategy(config, version=version) == expected


def test_exponential_delay_reads_its_options():
    """exponential-delay reads its options; the attempts limit only from 1.19."""
    config = Configuration({
        "restart-strategy.type": "exponential-delay",
        "restart-strategy.exponential-delay.initial-backoff": "2 s",
        "restart-strategy.exponential-delay.max-backoff": "2 min",
        "restart-strategy.exponential-delay.backoff-multiplier": "3",
        "restart-strategy.exponential-delay.reset-backoff-threshold": "30 min",
        "restart-strategy.exponential-delay.jitter-factor": "0.5",
        "restart-strategy.exponential-delay.attempts-before-reset-backoff": "7",
    })
    expected = ExponentialDelay(Duration.of_seconds(2), Duration.of_minutes(2), 3.0,
                                Duration.of_minutes(30), 0.5, 7)
    assert restart_strategy(config, version="1.19") == expected
    assert restart_strategy(config, version="1.18").attempts_before_reset == JAVA_INT_MAX


@pytest.mark.parametrize("entries, key", [
    ({"restart-strategy.type": "sometimes"}, "restart-strategy.type"),
    ({"restart-strategy": "sometimes"}, "restart-strategy"),
    ({"restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.attempts": "-1"},
     "restart-strategy.fixed-delay.attempts"),
    ({"restart-strategy.type": "fixed-delay", "restart-strategy.fixed-delay.delay": "soon"},
     "restart-strategy.fixed-delay.delay"),
    ({"restart-strategy.type": "failure-rate",
      "restart-strategy.failure-rate.max-failures-per-interval": "0"},
     "restart-strategy.failure-rate.max-failures-per-interval"),
    ({"restart-strategy.type": "exponential-delay",
      "restart-strategy.exponential-delay.jitter-factor": "1.5"},
     "restart-strategy.exponential-delay.jitter-factor"),
    ({"restart-strategy.type": "exponential-delay",
      "restart-strategy.exponential-delay.backoff-multiplier": "0.5"},
     "restart-strategy.exponential-delay.backoff-multiplier"),
    ({"restart-strategy.type": "exponential-delay",
      "restart-strategy.exponential-delay.initial-backoff": "10 min"},
     "restart-strategy.exponential-delay.initial-backoff"),
])
def test_bad_restart_configuration_names_the_key(entries, key):
    """An unknown strategy or a bad parameter fails naming its key."""
    with pytest.raises(IllegalConfigurationException) as error:
        restart_strategy(Configuration(entries))
    assert f"'{key}'" in error.value.message


def test_strategies_are_values_with_flink_names():
    """Strategies are frozen values carrying Flink's main name."""
    strategy = FixedDelay(3, Duration.of_seconds(1))
    assert strategy == FixedDelay(3, Duration.of_seconds(1))
    with pytest.raises(AttributeError):
        strategy.attempts = 4
    assert [cls.name for cls in (NoRestart, FixedDelay, FailureRate, ExponentialDelay)] == [
        "disable", "fixed-delay", "failure-rate", "exponential-delay"]
