"""
Flink's configuration, with Flink's keys, defaults and value syntaxes (target: Flink 1.17–1.20,
1.18 by default; see :mod:`flinkyarn.config.version`).

- :mod:`~flinkyarn.config.values`: memory sizes, durations and the other value syntaxes;
- :mod:`~flinkyarn.config.options`: the option table (keys, types, defaults, fallback keys);
- :mod:`~flinkyarn.config.configuration`: :class:`Configuration`, an immutable value with typed
  reads, ``-D`` overrides and validation;
- :mod:`~flinkyarn.config.file_format`: the flat ``flink-conf.yaml`` format;
- :mod:`~flinkyarn.config.memory`: the TaskManager and JobManager memory model and the JVM
  arguments and dynamic properties of container commands;
- :mod:`~flinkyarn.config.restart`: restart strategies.
"""

from flinkyarn.config.configuration import Configuration
from flinkyarn.config.errors import IllegalConfigurationException
from flinkyarn.config.file_format import (
    CONFIG_FILE_NAME,
    LEGACY_CONFIG_FILE_NAME,
    parse_flink_conf,
    render_flink_conf,
)
from flinkyarn.config.memory import (
    JobManagerProcessSpec,
    TaskExecutorProcessSpec,
    task_executor_cpu_cores,
    yarn_task_executor_vcores,
)
from flinkyarn.config.options import OPTIONS, SHIPPED_DEFAULTS, FallbackKey, Option, option_for
from flinkyarn.config.restart import (
    ExponentialDelay,
    FailureRate,
    FixedDelay,
    NoRestart,
    checkpointing_enabled,
    restart_strategy,
)
from flinkyarn.config.values import Duration, MemorySize, parse_bool, parse_memory_mb_default
from flinkyarn.config.version import DEFAULT_VERSION, SUPPORTED_VERSIONS, FlinkVersion

__all__ = [
    "Configuration",
    "IllegalConfigurationException",
    "CONFIG_FILE_NAME",
    "LEGACY_CONFIG_FILE_NAME",
    "parse_flink_conf",
    "render_flink_conf",
    "JobManagerProcessSpec",
    "TaskExecutorProcessSpec",
    "task_executor_cpu_cores",
    "yarn_task_executor_vcores",
    "OPTIONS",
    "SHIPPED_DEFAULTS",
    "FallbackKey",
    "Option",
    "option_for",
    "ExponentialDelay",
    "FailureRate",
    "FixedDelay",
    "NoRestart",
    "checkpointing_enabled",
    "restart_strategy",
    "Duration",
    "MemorySize",
    "parse_bool",
    "parse_memory_mb_default",
    "DEFAULT_VERSION",
    "SUPPORTED_VERSIONS",
    "FlinkVersion",
]
