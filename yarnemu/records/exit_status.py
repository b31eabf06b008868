"""
``ContainerExitStatus``: the special exit statuses YARN reports for containers it ended itself,
beside ordinary process exit codes, and the process exit codes the NodeManager uses for kills.
"""

from enum import IntEnum

__all__ = ["ContainerExitStatus", "ProcessExitCode", "describe_exit_status"]


class ContainerExitStatus(IntEnum):
    """The full table of ``org.apache.hadoop.yarn.api.records.ContainerExitStatus``."""

    SUCCESS = 0
    INVALID = -1000
    ABORTED = -100
    DISKS_FAILED = -101
    PREEMPTED = -102
    KILLED_EXCEEDED_VMEM = -103
    KILLED_EXCEEDED_PMEM = -104
    KILLED_BY_APPMASTER = -105
    KILLED_BY_RESOURCEMANAGER = -106
    KILLED_AFTER_APP_COMPLETION = -107
    KILLED_BY_CONTAINER_SCHEDULER = -108
    KILLED_FOR_EXCESS_LOGS = -109


_MEANINGS = {
    ContainerExitStatus.SUCCESS: "exited normally",
    ContainerExitStatus.INVALID: "initial or unknown exit status",
    ContainerExitStatus.ABORTED: (
        "killed by the framework, either due to being released by the application or being "
        "'lost' due to node failures etc."
    ),
    ContainerExitStatus.DISKS_FAILED: (
        "exited due to the threshold number of the nodemanager-local-directories or threshold "
        "number of the nodemanager-log-directories have become bad"
    ),
    ContainerExitStatus.PREEMPTED: "preempted by the framework",
    ContainerExitStatus.KILLED_EXCEEDED_VMEM: "terminated because of exceeding allocated virtual memory",
    ContainerExitStatus.KILLED_EXCEEDED_PMEM: "terminated because of exceeding allocated physical memory",
    ContainerExitStatus.KILLED_BY_APPMASTER: "terminated by stop request by the app master",
    ContainerExitStatus.KILLED_BY_RESOURCEMANAGER: "terminated by the resource manager",
    ContainerExitStatus.KILLED_AFTER_APP_COMPLETION: "terminated after the application finished",
    ContainerExitStatus.KILLED_BY_CONTAINER_SCHEDULER: "killed by the NodeManager's container scheduler",
    ContainerExitStatus.KILLED_FOR_EXCESS_LOGS: "terminated for generating excess log data",
}


class ProcessExitCode(IntEnum):
    """The NodeManager's process exit codes (``ContainerExecutor.ExitCode``)."""

    SUCCESS = 0
    FORCE_KILLED = 137
    TERMINATED = 143
    LOST = 154


def describe_exit_status(status):
    """
    :return: a short description of an exit status: the YARN meaning for the special statuses,
        ``"exit code N"`` otherwise.
    """
    try:
        return f"{ContainerExitStatus(status).name}: {_MEANINGS[ContainerExitStatus(status)]}"
    except ValueError:
        return f"exit code {status}"
