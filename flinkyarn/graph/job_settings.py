"""
Job-wide settings that travel from the program to the JobMaster with the graphs: the job type
(``execution.runtime-mode``), checkpointing and the savepoint to restore from.
"""

from enum import StrEnum

from attrs import field, frozen

__all__ = [
    "JobType",
    "RuntimeExecutionMode",
    "CheckpointingMode",
    "RestoreMode",
    "CheckpointSettings",
    "SavepointRestoreSettings",
    "DEFAULT_CHECKPOINT_TIMEOUT_MS",
]

#: ``execution.checkpointing.timeout``'s default: 10 minutes.
DEFAULT_CHECKPOINT_TIMEOUT_MS = 600000


class JobType(StrEnum):
    """The JobGraph's type (``org.apache.flink.runtime.jobgraph.JobType``)."""

    BATCH = "BATCH"
    STREAMING = "STREAMING"


class RuntimeExecutionMode(StrEnum):
    """``execution.runtime-mode``: STREAMING (the default), BATCH, or AUTOMATIC (BATCH when
    every source is bounded)."""

    STREAMING = "STREAMING"
    BATCH = "BATCH"
    AUTOMATIC = "AUTOMATIC"


class CheckpointingMode(StrEnum):
    EXACTLY_ONCE = "EXACTLY_ONCE"
    AT_LEAST_ONCE = "AT_LEAST_ONCE"


class RestoreMode(StrEnum):
    """How a job owns the savepoint it restores from (REST ``RestoreMode``)."""

    CLAIM = "CLAIM"
    NO_CLAIM = "NO_CLAIM"
    LEGACY = "LEGACY"


def _optional_positive_int(instance, attribute, value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise ValueError(f"{attribute.name} must be a positive integer or None, got {value!r}")


def _non_negative_int(instance, attribute, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{attribute.name} must be a non-negative integer, got {value!r}")


def _positive_int(instance, attribute, value):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{attribute.name} must be a positive integer, got {value!r}")


@frozen
class CheckpointSettings:
    """
    The checkpoint coordinator's configuration.  Checkpointing is enabled when
    ``interval_ms`` is set (``execution.checkpointing.interval`` has no default).

    :ivar interval_ms: the checkpoint interval, or ``None`` when checkpointing is disabled.
    :ivar CheckpointingMode mode:
    :ivar int timeout_ms: 10 minutes by default.
    :ivar int min_pause_ms: the least time between two checkpoints, 0 by default.
    :ivar int max_concurrent: 1 by default.
    :ivar int tolerable_failures: checkpoint failures tolerated before the job fails, 0.
    """

    interval_ms: int | None = field(default=None, validator=_optional_positive_int)
    mode: CheckpointingMode = field(default=CheckpointingMode.EXACTLY_ONCE,
                                    converter=CheckpointingMode)
    timeout_ms: int = field(default=DEFAULT_CHECKPOINT_TIMEOUT_MS, validator=_positive_int)
    min_pause_ms: int = field(default=0, validator=_non_negative_int)
    max_concurrent: int = field(default=1, validator=_positive_int)
    tolerable_failures: int = field(default=0, validator=_non_negative_int)

    @property
    def enabled(self):
        """``True`` when periodic checkpoints are configured."""
        return self.interval_ms is not None


@frozen
class SavepointRestoreSettings:
    """
    The savepoint a job starts from (``flink run -s <path> [-n]``).

    :ivar path: the savepoint path, or ``None`` to start without state.
    :ivar bool allow_non_restored_state: whether state of removed operators may be skipped.
    :ivar RestoreMode restore_mode:
    """

    path: str | None = None
    allow_non_restored_state: bool = False
    restore_mode: RestoreMode = field(default=RestoreMode.NO_CLAIM, converter=RestoreMode)

    @property
    def restores(self):
        """``True`` when a savepoint path is set."""
        return self.path is not None
