"""
What ``env.execute()`` gives a program: a :class:`JobExecutionResult` when an attached job finished
(printed as Flink prints it), a :class:`DetachedJobExecutionResult` when detached, and from
``execute_async()`` a :class:`JobClient` on the submitted job.  An attached job that did not
finish raises :class:`~flinkyarn.runtime.errors.JobExecutionException` (or
``JobCancellationException``), as :func:`to_job_execution_result` decides.

The same types serve a program run by the client (``flinkyarn.client``) and one run inside the
JobManager in application mode (``flinkyarn.runtime.dispatcher.application_bootstrap``); only what
a :class:`JobClient` talks to differs.
"""

from attrs import field, frozen

from flinkyarn.runtime.errors import JobCancellationException, JobExecutionException
from flinkyarn.states import ApplicationStatus
from yarnemu.records.immutable import frozen_mapping

__all__ = [
    "JobExecutionResult",
    "DetachedJobExecutionResult",
    "JobClient",
    "to_job_execution_result",
]


@frozen
class JobExecutionResult:
    """
    An attached job's result; its text is what the client prints (``JobExecutionResult.toString``).

    :ivar job_id: the job's :class:`~flinkyarn.ids.JobID`.
    :ivar int net_runtime_ms:
    :ivar accumulator_results: name → value.
    """

    job_id: object
    net_runtime_ms: int
    accumulator_results: object = field(factory=dict, converter=frozen_mapping)

    def __str__(self):
        text = (f"Program execution finished\nJob with JobID {self.job_id} has finished.\n"
                f"Job Runtime: {self.net_runtime_ms} ms\n")
        if self.accumulator_results:
            text += "Accumulator Results: \n" + "".join(
                f"- {name}: {value}\n" for name, value in sorted(self.accumulator_results.items()))
        return text


@frozen
class DetachedJobExecutionResult:
    """What a detached ``execute()`` returns: only the job id is known."""

    job_id: object


@frozen(eq=False)
class JobClient:
    """
    A submitted job (Flink's ``JobClient``); every method returns a Deferred.

    :ivar job_id: the job's :class:`~flinkyarn.ids.JobID`.
    :ivar cluster: what reaches the job's cluster: anything with ``get_job_status(job_id)``,
        ``cancel(job_id)`` and ``request_job_result(job_id)`` returning Deferreds (a
        :class:`~flinkyarn.client.cluster_client.ClusterClient`, or in application mode the
        Dispatcher seen from inside the JobManager).
    """

    job_id: object
    cluster: object

    def get_job_status(self):
        return self.cluster.get_job_status(self.job_id)

    def cancel(self):
        return self.cluster.cancel(self.job_id)

    def get_job_execution_result(self):
        """:return: a Deferred firing with the :class:`JobExecutionResult` (see
        :func:`to_job_execution_result`)."""
        return self.cluster.request_job_result(self.job_id).addCallback(to_job_execution_result)


def to_job_execution_result(job_result):
    """
    ``JobResult.toJobExecutionResult``.

    :param job_result: a :class:`~flinkyarn.runtime.messages.JobResult`.
    :raise JobCancellationException: ``Job was cancelled.`` for a cancelled job.
    :raise JobExecutionException: ``Job execution failed.`` for a job that did not finish.
    """
    if job_result.error is not None or job_result.application_status is not \
            ApplicationStatus.SUCCEEDED:
        if job_result.application_status is ApplicationStatus.CANCELED:
            raise JobCancellationException("Job was cancelled.", job_result.job_id,
                                           job_result.error)
        raise JobExecutionException("Job execution failed.", job_result.job_id, job_result.error)
    return JobExecutionResult(job_result.job_id, job_result.net_runtime_ms)
