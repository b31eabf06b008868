"""
Flink's container programs, by the main class their launch commands name: the three YARN cluster
entrypoints (the JobManager) and the TaskExecutor runner (a TaskManager).  A yarnemu cluster whose
NodeManagers allow these runs Flink on YARN.
"""

from flinkyarn.yarn.constants import (
    APPLICATION_ENTRYPOINT,
    JOB_ENTRYPOINT,
    SESSION_ENTRYPOINT,
    TASK_EXECUTOR_RUNNER,
)
from yarnemu.nodemanager.programs import ProgramRegistry
from yarnemu.programs import builtin_programs

__all__ = ["flink_programs", "flink_on_yarn_programs"]


def flink_programs():
    """:return: a :class:`ProgramRegistry` of Flink's programs."""
    from flinkyarn.entrypoint.application import YarnApplicationClusterEntryPoint
    from flinkyarn.entrypoint.job import YarnJobClusterEntrypoint
    from flinkyarn.entrypoint.session import YarnSessionClusterEntrypoint
    from flinkyarn.runtime.taskexecutor.runner import YarnTaskExecutorRunner

    return ProgramRegistry({
        SESSION_ENTRYPOINT: YarnSessionClusterEntrypoint,
        JOB_ENTRYPOINT: YarnJobClusterEntrypoint,
        APPLICATION_ENTRYPOINT: YarnApplicationClusterEntryPoint,
        TASK_EXECUTOR_RUNNER: YarnTaskExecutorRunner,
    })


def flink_on_yarn_programs():
    """:return: yarnemu's built-in programs and Flink's."""
    return builtin_programs().merged(flink_programs())
