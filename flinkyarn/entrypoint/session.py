"""
``org.apache.flink.yarn.entrypoint.YarnSessionClusterEntrypoint``: a session cluster; jobs arrive
over REST, and the cluster stops on a shutdown request (``DELETE /cluster``).
"""

from flinkyarn.entrypoint.cluster_entrypoint import YarnClusterEntrypoint
from flinkyarn.runtime.dispatcher.dispatcher import SESSION

__all__ = ["YarnSessionClusterEntrypoint"]


class YarnSessionClusterEntrypoint(YarnClusterEntrypoint):
    mode = SESSION
    entrypoint_class = "YarnSessionClusterEntrypoint"
