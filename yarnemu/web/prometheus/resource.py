"""
:class:`PrometheusMetricsResource`: ``/metrics`` on the RM web address, the RM's QueueMetrics and
ClusterMetrics in the Prometheus text exposition format (version 0.0.4), read from the RM at each
scrape.
"""

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from twisted.web.resource import Resource

from yarnemu.web.errors import write_remote_exception
from yarnemu.web.prometheus.collector import YarnMetricsCollector
from yarnemu.web.rm.errors import MethodNotAllowedException, not_found

__all__ = ["PrometheusMetricsResource", "CONTENT_TYPE"]

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4.encode("ascii")
"""``text/plain; version=0.0.4; charset=utf-8``."""


class PrometheusMetricsResource(Resource):
    """
    :param rm: the :class:`~yarnemu.resourcemanager.rm.ResourceManager` whose metrics it serves.

    ``GET`` (and ``HEAD``) answer 200 with the exposition of a registry of its own (never
    ``prometheus_client``'s global one); as elsewhere on the RM web address, a path below it is
    404 and another method 405 (with ``Allow``), each a ``RemoteException``.

    :ivar registry: the ``CollectorRegistry`` scraped.
    """

    isLeaf = True

    def __init__(self, rm):
        super().__init__()
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(YarnMetricsCollector(rm))

    def render(self, request):
        if any(request.postpath):
            path = request.path.decode("utf-8", "replace")
            return write_remote_exception(request, 404,
                                          not_found(f"The resource {path} does not exist"))
        if request.method not in (b"GET", b"HEAD"):
            request.setHeader(b"Allow", b"GET, HEAD")
            return write_remote_exception(
                request, 405, MethodNotAllowedException("HTTP 405 Method Not Allowed"))
        request.setHeader(b"Content-Type", CONTENT_TYPE)
        return generate_latest(self.registry)
