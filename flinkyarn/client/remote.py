"""
Flink's YARN client against a running yarnemu service (``twistd yarnemu``) from another process,
as ``FlinkYarnSessionCli`` works against a real cluster: YARN through the ResourceManager's REST
API, the staging directory through WebHDFS, and each cluster's JobManager REST API through the RM
web proxy (``/proxy/<applicationId>/``).  Every call is HTTP on the given reactor, in real time.
"""

from attrs import frozen

from flinkyarn.client.cluster_descriptor import YarnClusterDescriptor
from flinkyarn.rest.http_transport import RestOverHttp
from yarnemu.client.http import AgentHttpClient
from yarnemu.client.rest_yarn_client import RestYarnClient
from yarnemu.client.webhdfs_client import WebHdfsClient
from yarnemu.events import EventLog
from yarnemu.service.endpoints_file import read_endpoints

__all__ = ["ServiceAddress", "remote_descriptor"]


@frozen
class ServiceAddress:
    """
    Where a yarnemu service listens.

    :ivar str rm: the RM web address URL, e.g. ``http://127.0.0.1:8088``.
    :ivar str webhdfs: the WebHDFS URL, e.g. ``http://127.0.0.1:9870``.
    """

    rm: str
    webhdfs: str

    @classmethod
    def from_endpoints_file(cls, path):
        """:return: the address a service wrote with ``--endpoints-file``."""
        urls = read_endpoints(path)
        return cls(urls["rm"].rstrip("/"), urls["webhdfs"].rstrip("/"))

    def proxy_url(self, application_id):
        """:return: the RM web proxy's URL of ``application_id``'s application master."""
        return f"{self.rm}/proxy/{application_id}"


def remote_descriptor(reactor, service, user, flink_home, config, http=None, events=None):
    """
    :param reactor: the reactor the client runs on.
    :param service: the :class:`ServiceAddress`.
    :param str user: who deploys (``user.name`` on every request).
    :param flink_home: the client's :class:`~flinkyarn.client.flink_home.FlinkHome`.
    :param config: the client's Flink :class:`~flinkyarn.config.Configuration`.
    :param http: the ``IHttpClient`` (default: an ``AgentHttpClient`` on ``reactor``).
    :param events: where client log lines go (default: a new ``EventLog``).
    :return: a ``YarnClusterDescriptor`` deploying onto the service.
    """
    if http is None:
        http = AgentHttpClient(reactor)
    return YarnClusterDescriptor(
        config,
        RestYarnClient(http, service.rm, user),
        WebHdfsClient(http, service.webhdfs, user),
        reactor,
        events if events is not None else EventLog(reactor),
        user,
        flink_home,
        network=None,
        rest_transports=lambda application_id, host, port: RestOverHttp(
            http, service.proxy_url(application_id)),
    )
