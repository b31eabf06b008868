"""
:class:`FlinkRestResource`: a JobManager's REST API over HTTP, as a ``twisted.web`` resource that
answers each request of :mod:`flinkyarn.rest.routes` by calling the JobManager's
:class:`~flinkyarn.runtime.gateways.IRestEndpoint` through a ``call(method, args)`` function, and
:func:`flink_rest_proxy_targets`, what the RM web proxy serves a Flink JobManager's address with.

Answers are JSON (``Content-Type: application/json; charset=UTF-8``, with Flink's default
``Access-Control-Allow-Origin: *``), with the route's status (202 for job submission,
cancellation and stop-with-savepoint); every answer, success or error, is written by one method
(``_answer``), where a test can see it.  Errors are Flink's ``{"errors": [...]}`` with the
handler's status: an unknown path (or a known path with another method) is 404 ``Not found:
<uri>``, as Flink's router answers; parameters and the bodies of ``POST /jobs`` and ``POST
/jobs/{jobid}/stop`` are checked as :mod:`~flinkyarn.rest.routes`,
:mod:`~flinkyarn.rest.job_submit` and :mod:`~flinkyarn.rest.savepoint_request` say; an
exception the endpoint does not map is Flink's 500 ``Internal server error.``.  A JobManager
that is gone by the time it is called is answered as the web proxy answers an unreachable
ApplicationMaster
(:func:`~yarnemu.web.proxy.write_proxy_error`).

``GET /`` — Flink's web dashboard — is the small HTML page of :mod:`flinkyarn.rest.dashboard`.

Serve it from a ``Site`` made with ``parsePOSTFormSubmission=False``: otherwise ``twisted.web``
parses multipart bodies itself and answers a malformed one with its own bare 400 before this
resource sees it.
"""

import json
from urllib.parse import parse_qs

from twisted.internet.defer import gatherResults, maybeDeferred
from twisted.logger import Logger
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET

from flinkyarn.rest import routes
from flinkyarn.rest.dashboard import DASHBOARD_CONTENT_TYPE, dashboard_page
from flinkyarn.rest.transport import InProcessRestTransport
from flinkyarn.runtime.gateways import RestHandlerException
from yarnemu.network import ConnectionClosedError, ConnectionRefusedError
from yarnemu.web.proxy import finish_rendering, write_proxy_error

__all__ = ["FlinkRestResource", "flink_rest_proxy_targets", "REST_CONTENT_TYPE"]

#: ``RestConstants.REST_CONTENT_TYPE``.
REST_CONTENT_TYPE = b"application/json; charset=UTF-8"


class FlinkRestResource(Resource):
    """
    :param call: ``(endpoint method name, args tuple)`` → a Deferred (or value) of the response
        body; failing with ``RestHandlerException``, a connection error of the in-process
        network, or ``NotImplementedError`` for a call the endpoint does not have (answered 404
        as a path Flink does not serve).
    """

    isLeaf = True
    log = Logger()

    def __init__(self, call):
        super().__init__()
        self._call = call

    def render(self, request):
        uri = request.uri.decode("utf-8", "replace")
        path = "/" + "/".join(segment.decode("utf-8", "replace") for segment in request.postpath)
        if path == "/" and request.method in (b"GET", b"HEAD"):
            return self._dashboard(request)
        matched = routes.match(request.method.decode("ascii", "replace"), path)
        if matched is None:
            return self._error(request, _not_found(uri))
        route, path_values = matched
        content_type = request.getHeader(b"content-type")
        try:
            args = routes.resolve(
                route, path_values, _query(request),
                content_type.decode("latin-1") if content_type is not None else None,
                _body(request) if route.body is not None else b"")
        except RestHandlerException as error:
            return self._error(request, error)
        gone = []
        request.notifyFinish().addErrback(lambda _: gone.append(True))

        def answered(body):
            if not gone:
                finish_rendering(request, self._answer(request, route.status, body))

        def failed(failure):
            if gone:
                return
            if failure.check(RestHandlerException):
                finish_rendering(request, self._error(request, failure.value))
            elif failure.check(NotImplementedError):
                finish_rendering(request, self._error(request, _not_found(uri)))
            elif failure.check(ConnectionRefusedError, ConnectionClosedError):
                finish_rendering(request, write_proxy_error(request, failure.value))
            else:
                self.log.failure("Flink REST call {method} failed", failure,
                                 method=route.endpoint_method)
                error = RestHandlerException.internal_server_error(failure.value)
                finish_rendering(request, self._error(request, error))

        maybeDeferred(self._call, route.endpoint_method, args).addCallback(answered).addErrback(
            failed)
        return NOT_DONE_YET

    def _dashboard(self, request):
        """``/``: the page :mod:`~flinkyarn.rest.dashboard` renders from two endpoint calls."""
        gone = []
        request.notifyFinish().addErrback(lambda _: gone.append(True))

        def rendered(bodies):
            if gone:
                return
            overview, jobs = bodies
            request.setHeader(b"Content-Type", DASHBOARD_CONTENT_TYPE)
            finish_rendering(request, dashboard_page(overview, jobs))

        def failed(failure):
            if gone:
                return
            if failure.check(ConnectionRefusedError, ConnectionClosedError):
                finish_rendering(request, write_proxy_error(request, failure.value))
                return
            self.log.failure("Flink dashboard failed", failure)
            error = RestHandlerException.internal_server_error(failure.value)
            finish_rendering(request, self._error(request, error))

        overview = maybeDeferred(self._call, "get_overview", ())
        jobs = maybeDeferred(self._call, "get_jobs_overview", ())
        gatherResults([overview, jobs], consumeErrors=True).addCallbacks(
            rendered, lambda failure: failed(failure.value.subFailure))
        return NOT_DONE_YET

    def _answer(self, request, status, body):
        """
        Every answer, success or error, is written here: ``body`` as JSON with ``status``.

        :return: the bytes to send.
        """
        request.setResponseCode(status)
        request.setHeader(b"Content-Type", REST_CONTENT_TYPE)
        request.setHeader(b"Access-Control-Allow-Origin", b"*")
        return json.dumps(body).encode("utf-8")

    def _error(self, request, error):
        return self._answer(request, error.status, error.body())


def flink_rest_proxy_targets(network):
    """
    The web proxy's ``target_for`` for Flink JobManagers on ``network``.

    :param network: the cluster's :class:`~yarnemu.network.InProcessNetwork`.
    :return: ``(host, port)`` → a :class:`FlinkRestResource` calling the endpoint served there
        (an :class:`~flinkyarn.rest.transport.InProcessRestTransport`), or ``None`` if nothing
        listens there.
    """
    def target_for(host, port):
        if network.lookup(host, port) is None:
            return None
        transport = InProcessRestTransport(network, host, port)
        return FlinkRestResource(lambda method, args: transport.call(method, *args))

    return target_for


def _not_found(uri):
    return RestHandlerException(404, f"Not found: {uri}")


def _query(request):
    _, _, query = request.uri.partition(b"?")
    return {key.decode("utf-8", "replace"): [value.decode("utf-8", "replace") for value in values]
            for key, values in parse_qs(query, keep_blank_values=True).items()}


def _body(request):
    content = request.content
    if content is None:
        return b""
    content.seek(0)
    return content.read()


