"""
How a client reaches a JobManager's REST API: :class:`IRestTransport`, and
:class:`InProcessRestTransport`, which calls the endpoint on the cluster's in-process network (the
HTTP one is :class:`~flinkyarn.rest.http_transport.RestOverHttp`).
"""

from twisted.internet.defer import fail
from zope.interface import Interface, implementer

__all__ = ["IRestTransport", "InProcessRestTransport"]


class IRestTransport(Interface):
    """Makes the REST calls of one JobManager's ``IRestEndpoint``."""

    def call(method, *args):
        """
        Call ``method`` of :class:`~flinkyarn.runtime.gateways.IRestEndpoint` with ``args``.

        :return: a Deferred firing with the response body (as Flink's REST API shapes it), or
            failing with :class:`~flinkyarn.runtime.gateways.RestHandlerException` (the HTTP
            status and the ``errors``), with :class:`~yarnemu.network.ConnectionRefusedError` or
            :class:`~yarnemu.network.ConnectionClosedError` when the JobManager could not be
            reached or went away, or with ``NotImplementedError`` for a call it does not serve.
        """


@implementer(IRestTransport)
class InProcessRestTransport:
    """
    Calls the endpoint served at ``host:port`` on the cluster's network, one network latency
    each way.

    :param network: the cluster's :class:`~yarnemu.network.InProcessNetwork`.
    :param str host: the JobManager's host.
    :param int port: its REST port.
    """

    def __init__(self, network, host, port):
        self.network = network
        self.host = host
        self.port = port

    def call(self, method, *args):
        server = self.network.lookup(self.host, self.port)
        if server is not None and getattr(server, method, None) is None:
            return fail(NotImplementedError(f"The REST endpoint has no call {method}"))
        return self.network.call(self.host, self.port, method, args)
