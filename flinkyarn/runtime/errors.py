"""
The runtime's errors, with the Java classes Flink raises in the same situations.
"""

from flinkyarn.graph.errors import FlinkError

__all__ = [
    "FlinkException",
    "RpcConnectionException",
    "NoResourceAvailableException",
    "TimeoutException",
    "TaskSubmissionException",
    "SlotAllocationException",
    "JobNotFoundException",
    "DuplicateJobSubmissionException",
    "ResourceManagerException",
    "TaskManagerLostException",
    "SimulatedTaskFailure",
    "ApplicationExecutionException",
]


class FlinkException(FlinkError):
    java_class = "org.apache.flink.util.FlinkException"


class RpcConnectionException(FlinkError):
    java_class = "org.apache.flink.runtime.rpc.exceptions.RpcConnectionException"


class TimeoutException(FlinkError):
    java_class = "java.util.concurrent.TimeoutException"


class NoResourceAvailableException(FlinkError):
    java_class = "org.apache.flink.runtime.jobmanager.scheduler.NoResourceAvailableException"


class TaskSubmissionException(FlinkError):
    java_class = "org.apache.flink.runtime.taskexecutor.exceptions.TaskSubmissionException"


class SlotAllocationException(FlinkError):
    java_class = "org.apache.flink.runtime.taskexecutor.exceptions.SlotAllocationException"


class JobNotFoundException(FlinkError):
    java_class = "org.apache.flink.runtime.messages.FlinkJobNotFoundException"


class DuplicateJobSubmissionException(FlinkError):
    java_class = "org.apache.flink.runtime.client.DuplicateJobSubmissionException"


class ResourceManagerException(FlinkError):
    java_class = "org.apache.flink.runtime.resourcemanager.exceptions.ResourceManagerException"


class TaskManagerLostException(FlinkError):
    """A TaskManager the JobMaster used is gone (heartbeat timeout or worker terminated)."""

    java_class = "org.apache.flink.runtime.jobmaster.JobMasterException"


class SimulatedTaskFailure(FlinkError):
    """The failure a ``fail-task`` step injects into a running task."""

    java_class = "org.apache.flink.util.FlinkRuntimeException"


class ApplicationExecutionException(FlinkError):
    java_class = "org.apache.flink.client.deployment.application.ApplicationExecutionException"
