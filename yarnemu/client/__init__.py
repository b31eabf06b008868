"""
Clients of the emulated YARN, shaped like Hadoop's: :class:`YarnClient` for submitting programs,
:class:`AMRMClient` / :class:`AMRMClientAsync` for application masters, :class:`NMClient` for
starting containers, and the :class:`ClusterEndpoints` a containerized program uses to find them.
"""

from yarnemu.client.amrm_client import AMRMClient, ContainerRequest
from yarnemu.client.amrm_client_async import AMRMClientAsync
from yarnemu.client.endpoints import ClusterEndpoints
from yarnemu.client.nm_client import NMClient
from yarnemu.client.yarn_client import InProcessYarnClient

__all__ = [
    "AMRMClient",
    "AMRMClientAsync",
    "ClusterEndpoints",
    "ContainerRequest",
    "InProcessYarnClient",
    "NMClient",
]
