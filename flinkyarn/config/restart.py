"""
Restart strategy configuration: which strategy a job gets from the cluster configuration, as
Flink's ``RestartBackoffTimeStrategyFactoryLoader`` decides it, as one small frozen value.

- ``restart-strategy.type`` (legacy key ``restart-strategy``) set: that strategy, with its
  ``restart-strategy.<name>.*`` options (or their defaults).
- Not set, checkpointing disabled: :class:`NoRestart`.
- Not set, checkpointing enabled: up to Flink 1.18, :class:`FixedDelay` with
  ``Integer.MAX_VALUE`` attempts and 1 s delay; from 1.19 (FLIP-364), :class:`ExponentialDelay`
  with the exponential-delay *defaults* (options set by the user are not read in this case, as in
  Flink).

Which release's rule applies is ``flinkyarn.version`` (1.18 by default) or the ``version``
argument. A strategy set on the job itself (``ExecutionConfig``) wins over all of this; that is the
caller's business.
"""

from attrs import frozen

from flinkyarn.config import options as o
from flinkyarn.config.errors import IllegalConfigurationException
from flinkyarn.config.values import JAVA_INT_MAX, Duration
from flinkyarn.config.version import V1_19, FlinkVersion

__all__ = [
    "NoRestart",
    "FixedDelay",
    "FailureRate",
    "ExponentialDelay",
    "restart_strategy",
    "checkpointing_enabled",
]


@frozen
class NoRestart:
    """A failed job is not restarted: it fails (``none``, ``off``, ``disable``)."""

    name = "disable"


@frozen
class FixedDelay:
    """
    Restart up to ``attempts`` times, waiting ``delay`` before each restart (``fixed-delay``).

    :ivar int attempts:
    :ivar Duration delay:
    """

    attempts: int
    delay: Duration

    name = "fixed-delay"


@frozen
class FailureRate:
    """
    Restart after each failure, waiting ``delay``, unless more than
    ``max_failures_per_interval`` failures fall within ``interval`` (``failure-rate``).

    :ivar int max_failures_per_interval:
    :ivar Duration interval:
    :ivar Duration delay:
    """

    max_failures_per_interval: int
    interval: Duration
    delay: Duration

    name = "failure-rate"


@frozen
class ExponentialDelay:
    """
    Restart after a delay that starts at ``initial_backoff`` and is multiplied by ``multiplier``
    after each failure up to ``max_backoff``, with ``± jitter × delay`` randomness; after
    ``reset_threshold`` without failure it starts over; the job fails after
    ``attempts_before_reset`` attempts since the last reset (from Flink 1.19; before, there is no
    limit, shown as ``Integer.MAX_VALUE``) (``exponential-delay``).

    :ivar Duration initial_backoff:
    :ivar Duration max_backoff:
    :ivar float multiplier:
    :ivar Duration reset_threshold:
    :ivar float jitter:
    :ivar int attempts_before_reset:
    """

    initial_backoff: Duration
    max_backoff: Duration
    multiplier: float
    reset_threshold: Duration
    jitter: float
    attempts_before_reset: int

    name = "exponential-delay"


_NONE_NAMES = ("none", "off", "disable")
_FIXED_DELAY_NAMES = ("fixed-delay", "fixeddelay")
_FAILURE_RATE_NAMES = ("failure-rate", "failurerate")
_EXPONENTIAL_DELAY_NAMES = ("exponential-delay", "exponentialdelay")


def checkpointing_enabled(config):
    """
    :return: whether the configuration enables checkpointing: ``execution.checkpointing.interval``
        is set (Flink rejects intervals under 10 ms, so a set interval is always positive).
    """
    return config.get(o.CHECKPOINTING_INTERVAL) is not None


def restart_strategy(config, *, checkpointing=None, version=None):
    """
    :param config: a :class:`~flinkyarn.config.configuration.Configuration`.
    :param checkpointing: whether the job checkpoints; by default :func:`checkpointing_enabled`
        (a job may also enable checkpointing in its own code).
    :param version: the Flink release whose rules apply (a
        :class:`~flinkyarn.config.version.FlinkVersion` or ``"1.19"``); by default
        ``config.flink_version``.
    :return: :class:`NoRestart`, :class:`FixedDelay`, :class:`FailureRate` or
        :class:`ExponentialDelay`.
    :raise IllegalConfigurationException: naming the key, for an unknown strategy or a bad
        parameter.
    """
    version = config.flink_version if version is None else FlinkVersion.parse(version)
    if checkpointing is None:
        checkpointing = checkpointing_enabled(config)
    name = config.get(o.RESTART_STRATEGY)
    if name is None:
        if not checkpointing:
            return NoRestart()
        if version >= V1_19:
            return _exponential_delay(lambda option: option.default_for(version), version)
        return FixedDelay(attempts=JAVA_INT_MAX, delay=Duration.of_seconds(1))
    name = name.lower()
    if name in _NONE_NAMES:
        return NoRestart()
    if name in _FIXED_DELAY_NAMES:
        return FixedDelay(attempts=config.get(o.FIXED_DELAY_ATTEMPTS),
                          delay=config.get(o.FIXED_DELAY_DELAY))
    if name in _FAILURE_RATE_NAMES:
        return FailureRate(max_failures_per_interval=config.get(o.FAILURE_RATE_MAX_FAILURES),
                           interval=config.get(o.FAILURE_RATE_INTERVAL),
                           delay=config.get(o.FAILURE_RATE_DELAY))
    if name in _EXPONENTIAL_DELAY_NAMES:
        return _exponential_delay(lambda option: config.get(option, option.default_for(version)),
                                  version)
    # The option's choices make this unreachable; kept for a hand-made option table.
    raise IllegalConfigurationException(f"Unknown restart strategy {name}.")


def _exponential_delay(read, version):
    initial_backoff = read(o.EXPONENTIAL_DELAY_INITIAL_BACKOFF)
    max_backoff = read(o.EXPONENTIAL_DELAY_MAX_BACKOFF)
    if initial_backoff > max_backoff:
        raise IllegalConfigurationException(
            f"Initial backoff cannot be higher than max backoff: "
            f"'{o.EXPONENTIAL_DELAY_INITIAL_BACKOFF.key}' is {initial_backoff}, "
            f"'{o.EXPONENTIAL_DELAY_MAX_BACKOFF.key}' is {max_backoff}.")
    attempts = read(o.EXPONENTIAL_DELAY_ATTEMPTS) if version >= V1_19 else JAVA_INT_MAX
    return ExponentialDelay(
        initial_backoff=initial_backoff,
        max_backoff=max_backoff,
        multiplier=read(o.EXPONENTIAL_DELAY_MULTIPLIER),
        reset_threshold=read(o.EXPONENTIAL_DELAY_RESET_THRESHOLD),
        jitter=read(o.EXPONENTIAL_DELAY_JITTER),
        attempts_before_reset=attempts,
    )
