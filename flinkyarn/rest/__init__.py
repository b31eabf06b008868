"""
Flink's REST API over HTTP: the JobManager's
:class:`~flinkyarn.runtime.gateways.IRestEndpoint` served as a ``twisted.web`` resource (also
behind the RM web proxy, ``/proxy/<applicationId>/…``), and the client side's transports — the
in-process one and HTTP.

- :mod:`~flinkyarn.rest.routes`: the method + path ↔ endpoint call table (also under ``/v1``);
- :mod:`~flinkyarn.rest.multipart` and :mod:`~flinkyarn.rest.job_submit`: ``POST /jobs``'s
  ``multipart/form-data`` body; :mod:`~flinkyarn.rest.savepoint_request`: the JSON body of
  ``POST /jobs/{jobid}/stop`` (stop-with-savepoint);
- :mod:`~flinkyarn.rest.resource`: :class:`FlinkRestResource` and
  :func:`flink_rest_proxy_targets`, the web proxy's targets for JobManagers;
- :mod:`~flinkyarn.rest.transport` and :mod:`~flinkyarn.rest.http_transport`:
  :class:`IRestTransport`, :class:`InProcessRestTransport`, :class:`RestOverHttp`.
"""

from flinkyarn.rest.http_transport import RestOverHttp
from flinkyarn.rest.resource import FlinkRestResource, flink_rest_proxy_targets
from flinkyarn.rest.transport import InProcessRestTransport, IRestTransport

__all__ = [
    "FlinkRestResource",
    "flink_rest_proxy_targets",
    "IRestTransport",
    "InProcessRestTransport",
    "RestOverHttp",
]
