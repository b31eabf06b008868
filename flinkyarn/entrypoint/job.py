"""
``org.apache.flink.yarn.entrypoint.YarnJobClusterEntrypoint`` [Flink 1.x; deprecated since 1.15,
removed in 2.0]: a per-job cluster that reads its JobGraph from ``job.graph`` in its working
directory (``internal.jobgraph-path``), runs it, and shuts down when it is globally terminal
(DETACHED) or once the client has retrieved the result (NORMAL, attached).
"""

import os

from flinkyarn.config import options
from flinkyarn.entrypoint.cluster_entrypoint import YarnClusterEntrypoint
from flinkyarn.graph.job_graph import JobGraph
from flinkyarn.runtime.dispatcher.dispatcher import PER_JOB

__all__ = ["YarnJobClusterEntrypoint"]

_LOGGER = "org.apache.flink.yarn.entrypoint.YarnJobClusterEntrypoint"


class YarnJobClusterEntrypoint(YarnClusterEntrypoint):
    mode = PER_JOB
    entrypoint_class = "YarnJobClusterEntrypoint"

    def start_components(self):
        self.log.warn(_LOGGER, "Job Clusters are deprecated since Flink 1.15. Please use an "
                               "Application Cluster/Application Mode instead.")
        self.detached = self.config.get(options.CLUSTER_EXECUTION_MODE) == "DETACHED"
        super().start_components()

    def start_application(self):
        path = os.path.join(str(self.context.working_dir),
                            self.config.get(options.JOB_GRAPH_FILE_PATH))
        job_graph = JobGraph.read(path)
        self.dispatcher.submit_job(job_graph)
