"""
``org.apache.flink.yarn.entrypoint.YarnSessionClusterEntrypoint``: a session cluster; jobs arrive
over REST, and the cluster stops on a shutdown request (``DELETE /cluster``).  With
``flinkyarn.session.standalone-taskmanagers`` set, a standalone session: its TaskManagers are
started with it and fixed.
"""

from flinkyarn.config import options
from flinkyarn.entrypoint.cluster_entrypoint import YarnClusterEntrypoint
from flinkyarn.runtime.dispatcher.dispatcher import SESSION

__all__ = ["YarnSessionClusterEntrypoint"]


class YarnSessionClusterEntrypoint(YarnClusterEntrypoint):
    mode = SESSION
    entrypoint_class = "YarnSessionClusterEntrypoint"

    def fixed_workers(self):
        return self.config.get(options.STANDALONE_TASKMANAGERS)
