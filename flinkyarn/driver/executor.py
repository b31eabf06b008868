"""
:class:`DriverPipelineExecutor`: what ``env.execute()`` does inside a driver — the driver's
``main()`` is a client of its own cluster (FLIP-40: "a Flink driver job ... takes care of the job
submissions in the user application").  Each job is renamed ``<driver job name> - <job name>``
and handed to a session executor for that cluster, which submits it over the cluster's REST API
and, for ``execute()``, waits for its result.

It remembers which jobs it submitted and which of them it saw end, so that a driver that fails or
is cancelled can cancel the rest.
"""

from attrs import evolve
from zope.interface import implementer

from flinkyarn.api.environment import IPipelineExecutor
from flinkyarn.driver.job import child_job_name

__all__ = ["DriverPipelineExecutor"]


@implementer(IPipelineExecutor)
class DriverPipelineExecutor:
    """
    :param executor: the :class:`~flinkyarn.client.executors.SessionPipelineExecutor` of the
        driver's cluster (attached: ``execute()`` waits).
    :param str driver_name: the driver job's name, the prefix of its jobs' names.

    :ivar list submitted: the JobIDs handed to the cluster, in order.
    :ivar set ended: those whose end ``execute()`` saw (a result or a failure).
    """

    def __init__(self, executor, driver_name):
        self._executor = executor
        self._driver_name = driver_name
        self.submitted = []
        self.ended = set()

    def execute(self, job_graph):
        job_graph = self._named(job_graph)
        self.submitted.append(job_graph.job_id)
        try:
            result = self._executor.execute(job_graph)
        except Exception:
            # It ended badly, or never started.  (An abandoned main() — ProgramAbortedException —
            # saw nothing end.)
            self.ended.add(job_graph.job_id)
            raise
        self.ended.add(job_graph.job_id)
        return result

    def execute_async(self, job_graph):
        job_graph = self._named(job_graph)
        self.submitted.append(job_graph.job_id)
        return self._executor.execute_async(job_graph)

    def unfinished(self):
        """:return: the submitted jobs not seen ending, in order."""
        return [job_id for job_id in self.submitted if job_id not in self.ended]

    def _named(self, job_graph):
        return evolve(job_graph, name=child_job_name(self._driver_name, job_graph.name))
