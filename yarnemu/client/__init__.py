"""
Clients of the emulated YARN, shaped like Hadoop's: :class:`YarnClient` for submitting programs,
:class:`AMRMClient` / :class:`AMRMClientAsync` for application masters, :class:`NMClient` for
starting containers, and the :class:`ClusterEndpoints` a containerized program uses to find them.

A program outside the cluster (Flink's deployment) uses two seams, each with an in-process and a
remote implementation that pass one shared test suite:

- ``IYarnClient``: :class:`InProcessYarnClient`, and :class:`RestYarnClient` over the RM REST API;
- ``IFileSystemClient``: :class:`InProcessFileSystemClient` over the fake HDFS, and
  :class:`WebHdfsClient` over WebHDFS.

The remote ones send their requests through an :class:`IHttpClient` (:class:`AgentHttpClient` on
the network).
"""

from yarnemu.client.amrm_client import AMRMClient, ContainerRequest
from yarnemu.client.amrm_client_async import AMRMClientAsync
from yarnemu.client.endpoints import ClusterEndpoints
from yarnemu.client.filesystem import InProcessFileSystemClient
from yarnemu.client.http import AgentHttpClient, HttpResponse, IHttpClient
from yarnemu.client.nm_client import NMClient
from yarnemu.client.rest_yarn_client import RestYarnClient
from yarnemu.client.webhdfs_client import WebHdfsClient
from yarnemu.client.yarn_client import InProcessYarnClient

__all__ = [
    "AMRMClient",
    "AMRMClientAsync",
    "AgentHttpClient",
    "ClusterEndpoints",
    "ContainerRequest",
    "HttpResponse",
    "IHttpClient",
    "InProcessFileSystemClient",
    "InProcessYarnClient",
    "NMClient",
    "RestYarnClient",
    "WebHdfsClient",
]
