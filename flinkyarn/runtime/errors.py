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


# The TaskExecutor's errors (appended with the TaskExecutor package).

__all__ += [
    "TaskManagerException",
    "RegistrationTimeoutException",
    "TaskException",
    "CheckpointException",
    "RemoteTransportException",
    "PartitionNotFoundException",
    "ProducerFailedException",
]


class TaskManagerException(FlinkError):
    """A TaskExecutor-level failure (a lost ResourceManager, a request it is not ready for)."""

    java_class = "org.apache.flink.runtime.taskexecutor.exceptions.TaskManagerException"


class RegistrationTimeoutException(TaskManagerException):
    """A TaskExecutor did not register at the ResourceManager in time: it terminates."""

    java_class = "org.apache.flink.runtime.taskexecutor.exceptions.RegistrationTimeoutException"


class TaskException(FlinkError):
    """A request about a task the TaskExecutor does not run (``cancelTask`` of an unknown one)."""

    java_class = "org.apache.flink.runtime.taskexecutor.exceptions.TaskException"


class CheckpointException(FlinkError):
    java_class = "org.apache.flink.runtime.checkpoint.CheckpointException"


class RemoteTransportException(FlinkError):
    """The connection to the TaskManager that produces a consumed partition broke."""

    java_class = "org.apache.flink.runtime.io.network.netty.exception.RemoteTransportException"


class PartitionNotFoundException(FlinkError):
    """A consumed partition is not (or no longer) at the TaskManager asked for it."""

    java_class = "org.apache.flink.runtime.io.network.partition.PartitionNotFoundException"


class ProducerFailedException(FlinkError):
    """The task producing a consumed partition failed or was cancelled."""

    java_class = "org.apache.flink.runtime.io.network.partition.ProducerFailedException"


# The ResourceManager's errors (appended with the ResourceManager package).

__all__ += ["FlinkExpectedException"]


class FlinkExpectedException(FlinkError):
    """
    An expected end, not a failure: the ResourceManager releasing a TaskManager it no longer
    needs ("slot manager has determined that the resource is no longer needed").
    """

    java_class = "org.apache.flink.util.FlinkExpectedException"


# What an attached ``execute()`` raises for a job that did not finish.

__all__ += ["JobExecutionException", "JobCancellationException"]


class JobExecutionException(FlinkError):
    """
    An attached job that did not finish: ``Job execution failed.``

    :ivar job_id: the job's :class:`~flinkyarn.ids.JobID`.
    :ivar serialized_throwable: the job's failure cause, a
        :class:`~flinkyarn.runtime.messages.SerializedThrowable` (or ``None``).
    """

    java_class = "org.apache.flink.runtime.client.JobExecutionException"

    def __init__(self, message, job_id=None, serialized_throwable=None):
        super().__init__(message)
        self.job_id = job_id
        self.serialized_throwable = serialized_throwable


class JobCancellationException(JobExecutionException):
    """An attached job that was cancelled: ``Job was cancelled.``"""

    java_class = "org.apache.flink.runtime.client.JobCancellationException"


# Savepoints and the Dispatcher's asynchronous operations (stop-with-savepoint).

__all__ += [
    "FlinkIOException",
    "UnsupportedFileSystemSchemeException",
    "StopWithSavepointStoppingException",
    "UnknownOperationKeyException",
]


class FlinkIOException(FlinkError):
    """``java.io.IOException``: e.g. a savepoint directory that could not be created."""

    java_class = "java.io.IOException"


class UnsupportedFileSystemSchemeException(FlinkIOException):
    """A path whose scheme names a file system the cluster does not have."""

    java_class = "org.apache.flink.core.fs.UnsupportedFileSystemSchemeException"


class StopWithSavepointStoppingException(FlinkException):
    """The savepoint of a stop-with-savepoint was taken, but the job did not then finish."""

    java_class = ("org.apache.flink.runtime.scheduler.stopwithsavepoint."
                  "StopWithSavepointStoppingException")


class UnknownOperationKeyException(FlinkException):
    """No asynchronous operation (savepoint) is known under a trigger id and job id."""

    java_class = "org.apache.flink.runtime.dispatcher.UnknownOperationKeyException"
