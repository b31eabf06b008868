"""
``org.apache.flink.yarn.entrypoint.YarnJobClusterEntrypoint`` [Flink 1.x; deprecated since 1.15,
removed in 2.0]: a per-job cluster that reads its JobGraph from ``job.graph`` in its working
directory (``internal.jobgraph-path``), runs it, and shuts down when it is globally terminal
(DETACHED) or once the client has retrieved the result (NORMAL, attached).

As Flink's ``FileJobGraphRetriever`` (called while the cluster components are created, before the
ResourceManager starts), a missing or unreadable ``job.graph`` is a start-up failure: the process
exits with code 1 before registering with YARN.

A ``job.graph`` holding a FLIP-40 driver job (:func:`~flinkyarn.driver.job.is_driver_job`) makes
the cluster a driver's own: its Dispatcher also takes the jobs the driver's ``main()`` submits,
and the cluster ends once the driver and all of them are done (the Dispatcher's ``DRIVER``
mode).
"""

import os

from flinkyarn.config import options
from flinkyarn.driver.job import is_driver_job
from flinkyarn.entrypoint.cluster_entrypoint import YarnClusterEntrypoint
from flinkyarn.graph.errors import FlinkError
from flinkyarn.graph.job_graph import JobGraph
from flinkyarn.runtime.dispatcher.dispatcher import DRIVER, PER_JOB
from flinkyarn.runtime.errors import FlinkException

__all__ = ["YarnJobClusterEntrypoint", "retrieve_job_graph"]

_LOGGER = "org.apache.flink.yarn.entrypoint.YarnJobClusterEntrypoint"


def retrieve_job_graph(path):
    """
    ``FileJobGraphRetriever#retrieveJobGraph``.

    :return: the :class:`~flinkyarn.graph.job_graph.JobGraph` in the file at ``path``.
    :raise FlinkException: "Could not find the JobGraph file." or "Could not load the JobGraph
        from file.", caused by what went wrong.
    """
    if not os.path.isfile(path):
        error = FlinkException("Could not find the JobGraph file.")
        error.__cause__ = FileNotFoundError(f"{path} (No such file or directory)")
        raise error
    try:
        return JobGraph.read(path)
    except (FlinkError, ValueError) as cause:
        raise FlinkException("Could not load the JobGraph from file.") from cause


class YarnJobClusterEntrypoint(YarnClusterEntrypoint):
    mode = PER_JOB
    entrypoint_class = "YarnJobClusterEntrypoint"

    def start_components(self):
        self.log.warn(_LOGGER, "Job Clusters are deprecated since Flink 1.15. Please use an "
                               "Application Cluster/Application Mode instead.")
        self.detached = self.config.get(options.CLUSTER_EXECUTION_MODE) == "DETACHED"
        self.job_graph = retrieve_job_graph(os.path.join(
            str(self.context.working_dir), self.config.get(options.JOB_GRAPH_FILE_PATH)))
        if is_driver_job(self.job_graph):
            self.mode = DRIVER
        super().start_components()

    def start_application(self):
        self.dispatcher.submit_job(self.job_graph)
