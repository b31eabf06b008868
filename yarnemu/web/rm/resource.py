"""
:class:`ResourceManagerWebApp`: the root of the RM's web address (``yarn.resourcemanager.webapp
.address``), a ``twisted.web`` resource serving

- ``/ws/v1/cluster/...``: the REST API (:class:`~yarnemu.web.rm.services.RMWebServices`), JSON
  only, every error a ``RemoteException``;
- ``/cluster``, ``/cluster/cluster`` and ``/cluster/app/<id>``: HTML pages
  (:class:`~yarnemu.web.rm.pages.ClusterPages`).

Any other path is 404 ``RemoteException`` — unless the composition root adds a child: ``/`` (a
web UI, ``putChild(b"", …)``), ``/metrics``, ``/proxy`` (the web proxy) are left to it.

Routing follows JAX-RS: a path matches one route (literal segments before parameters); a
trailing slash is ignored; a method the route does not serve is 405 with ``Allow``; ``HEAD`` is
served as ``GET``.
"""

from twisted.logger import Logger
from twisted.web.resource import Resource

from yarnemu.web.errors import JSON_CONTENT_TYPE, write_json, write_remote_exception
from yarnemu.web.rm.errors import MethodNotAllowedException, not_found, web_error
from yarnemu.web.rm.pages import ClusterPages
from yarnemu.web.rm.services import RMWebServices, WebCall

__all__ = ["ResourceManagerWebApp", "ROUTES", "request_url"]

_PARAMETER = None

ROUTES = (
    (("v1", "cluster"), {"GET": "cluster_info"}),
    (("v1", "cluster", "info"), {"GET": "cluster_info"}),
    (("v1", "cluster", "metrics"), {"GET": "cluster_metrics"}),
    (("v1", "cluster", "scheduler"), {"GET": "scheduler"}),
    (("v1", "cluster", "nodes"), {"GET": "nodes"}),
    (("v1", "cluster", "nodes", _PARAMETER), {"GET": "node"}),
    (("v1", "cluster", "appstatistics"), {"GET": "app_statistics"}),
    (("v1", "cluster", "apps"), {"GET": "apps", "POST": "submit_application"}),
    (("v1", "cluster", "apps", "new-application"), {"POST": "new_application"}),
    (("v1", "cluster", "apps", _PARAMETER), {"GET": "app"}),
    (("v1", "cluster", "apps", _PARAMETER, "state"),
     {"GET": "app_state", "PUT": "update_app_state"}),
    (("v1", "cluster", "apps", _PARAMETER, "appattempts"), {"GET": "app_attempts"}),
    (("v1", "cluster", "apps", _PARAMETER, "appattempts", _PARAMETER), {"GET": "app_attempt"}),
    (("v1", "cluster", "apps", _PARAMETER, "appattempts", _PARAMETER, "containers"),
     {"GET": "containers"}),
    (("v1", "cluster", "apps", _PARAMETER, "appattempts", _PARAMETER, "containers", _PARAMETER),
     {"GET": "container"}),
)
"""Path under ``/ws`` (``None`` for a parameter) → HTTP method → :class:`RMWebServices`
method."""


def _route(segments):
    """:return: ``(methods, parameters)`` of the route ``segments`` match, or ``None``."""
    for pattern, methods in ROUTES:
        if len(pattern) != len(segments):
            continue
        parameters = []
        for expected, segment in zip(pattern, segments):
            if expected is _PARAMETER:
                if not segment:
                    break
                parameters.append(segment)
            elif expected != segment:
                break
        else:
            return methods, parameters
    return None


def request_url(request):
    """:return: the request's URL without its query, as the client addressed it."""
    host = request.getHeader(b"host")
    if host:
        host = host.decode("latin-1")
    else:
        address = request.getHost()
        host = f"{address.host}:{address.port}"
    scheme = "https" if request.isSecure() else "http"
    return f"{scheme}://{host}{request.path.decode('utf-8', 'replace')}"


def _web_call(request):
    args = {}
    for name, values in (request.args or {}).items():
        args[name.decode("utf-8", "replace")] = [v.decode("utf-8", "replace") for v in values]
    callers = [value for value in args.get("user.name", ()) if value]
    body = request.content.read() if request.content is not None else b""
    return WebCall(args=args, body=body, url=request_url(request),
                   caller=callers[0] if callers else None)


def _path_of(request):
    return request.path.decode("utf-8", "replace")


class _WebServicesResource(Resource):
    """``/ws``: routes every request below it to :class:`RMWebServices`."""

    isLeaf = True
    log = Logger()

    def __init__(self, services):
        super().__init__()
        self._services = services

    def render(self, request):
        try:
            response = self._serve(request)
        except Exception as error:  # noqa: BLE001 - every error is answered as a RemoteException
            status, answer = web_error(error)
            if status >= 500:
                self.log.failure("RM REST API: {method} {path} failed",
                                 method=request.method.decode("ascii", "replace"),
                                 path=_path_of(request))
            return write_remote_exception(request, status, answer)
        for name, value in response.headers.items():
            request.setHeader(name.encode("latin-1"), value.encode("utf-8"))
        if response.body is None:
            request.setResponseCode(response.status)
            request.setHeader(b"Content-Type", JSON_CONTENT_TYPE)
            return b""
        return write_json(request, response.body, response.status)

    def _serve(self, request):
        segments = [segment.decode("utf-8", "replace") for segment in request.postpath]
        while segments and segments[-1] == "":
            segments.pop()
        method = request.method.decode("ascii", "replace")
        route = _route(segments)
        if route is None:
            raise not_found(f"The resource {_path_of(request)} does not exist")
        methods, parameters = route
        name = methods.get("GET" if method == "HEAD" else method)
        if name is None:
            allowed = sorted(set(methods) | ({"HEAD"} if "GET" in methods else set()))
            request.setHeader(b"Allow", ", ".join(allowed).encode("ascii"))
            raise MethodNotAllowedException("HTTP 405 Method Not Allowed")
        return getattr(self._services, name)(_web_call(request), *parameters)


class _NotFoundResource(Resource):
    """Any path the web app does not serve: 404 ``RemoteException``."""

    isLeaf = True

    def render(self, request):
        return write_remote_exception(
            request, 404, not_found(f"The resource {_path_of(request)} does not exist")
        )


class ResourceManagerWebApp(Resource):
    """
    :param rm: the :class:`~yarnemu.resourcemanager.rm.ResourceManager`; times come from its
        clock.
    :param programs: the :class:`~yarnemu.nodemanager.programs.ProgramRegistry` a REST
        submission's AM must name a program of.

    :ivar services: the :class:`RMWebServices` behind ``/ws``.
    """

    def __init__(self, rm, programs):
        super().__init__()
        self.services = RMWebServices(rm, programs)
        self.putChild(b"ws", _WebServicesResource(self.services))
        self.putChild(b"cluster", ClusterPages(rm))

    def getChild(self, path, request):
        return _NotFoundResource()
