"""
:class:`WebProxyResource`: the ResourceManager's web proxy (Hadoop's ``WebAppProxyServlet``),
``/proxy/<applicationId>/<rest>``: it finds the application's ApplicationMaster by the original
tracking URL the AM registered and serves ``<rest>`` from it, so that people outside reach an
AM's web interface (a Flink JobManager's REST API) through the RM's one address.

What it answers, as ``WebAppProxyServlet`` does (HTML pages, the shapes Hadoop's ``ProxyUtils``
and Jetty write):

- no application id (``/proxy``): 404 ``Your path appears to be formatted incorrectly.``;
- a malformed application id: 500, Jetty's page for the servlet's uncaught
  ``YarnRuntimeException: Error parsing application ID: <text>``;
- an unknown application: 404 ``Application <id> could not be found in RM or history server``;
- an application with no tracking URL yet (``N/A``: no AM has registered one): 302 to the RM's
  application page ``http://<rm>/cluster/app/<id>``;
- a FINISHED, FAILED or KILLED application: 302 to its tracking URL with ``<rest>`` and the
  query appended (where its history would be; the AM is gone);
- otherwise the request is served by the AM: the resource ``target_for(host, port)`` gives for
  the tracking URL's address sees the request as the AM would — path ``<tracking path>/<rest>``,
  the tracking URL's query followed by the request's, the method, headers and body intact — and
  writes its answer;
- nothing listening there (``target_for`` gives ``None``): 500, Jetty's page for the
  ``HttpHostConnectException`` the servlet's HTTP client raises (:func:`write_proxy_error`).

One difference, on purpose: Hadoop's servlet forwards only GET and PUT (any other method is 405);
this proxy forwards every method, so that a REST API's POST, PATCH and DELETE calls work through
it (Flink's job submission, cancellation and cluster shutdown).
"""

import html
from urllib.parse import parse_qs, unquote_to_bytes, urlsplit

from twisted.internet.defer import maybeDeferred
from twisted.logger import Logger
from twisted.web.resource import Resource, getChildForRequest
from twisted.web.server import NOT_DONE_YET

from yarnemu.errors import ApplicationNotFoundException, IllegalArgumentException
from yarnemu.records.ids import ApplicationId
from yarnemu.records.states import YarnApplicationState

__all__ = ["WebProxyResource", "write_proxy_error", "finish_rendering", "HTML_CONTENT_TYPE"]

#: Hadoop's ``MimeType.HTML``.
HTML_CONTENT_TYPE = b"text/html; charset=UTF-8"

_NO_TRACKING_URL = ("", "N/A")
_ENDED = (YarnApplicationState.FINISHED, YarnApplicationState.FAILED,
          YarnApplicationState.KILLED)
_PARSE_ERROR_CLASS = "org.apache.hadoop.yarn.exceptions.YarnRuntimeException"
_CONNECT_ERROR_CLASS = "org.apache.http.conn.HttpHostConnectException"


def _html_page(request, status, body, title=None):
    request.setResponseCode(status)
    request.setHeader(b"Content-Type", HTML_CONTENT_TYPE)
    head = f"<head><title>{html.escape(title)}</title></head>" if title else ""
    return f"<html>{head}{body}</html>\n".encode("utf-8")


def _not_found(request, message):
    """``ProxyUtils.notFound``: 404 and the message as the page's heading."""
    return _html_page(request, 404, f"<h1>{html.escape(message)}</h1>")


def _redirect(request, location):
    """``ProxyUtils.sendRedirect``: 302 with ``Location`` and a "Moved" page."""
    request.setHeader(b"Location", location.encode("utf-8"))
    link = html.escape(location, quote=True)
    return _html_page(request, 302, f'<body><h1>Moved</h1><div>Content has moved <a href="{link}">'
                                    f"here</a></div></body>", title="Moved")


def _server_error(request, java_class, message):
    """Jetty's error page for an exception that escaped the servlet: 500."""
    uri = html.escape(request.uri.decode("utf-8", "replace"))
    cause = html.escape(f"{java_class}: {message}")
    return _html_page(request, 500, (
        f"<body><h2>HTTP ERROR 500 {cause}</h2><table>"
        f"<tr><th>URI:</th><td>{uri}</td></tr>"
        "<tr><th>STATUS:</th><td>500</td></tr>"
        f"<tr><th>MESSAGE:</th><td>{cause}</td></tr>"
        "<tr><th>SERVLET:</th><td>proxy</td></tr>"
        f"<tr><th>CAUSED BY:</th><td>{cause}</td></tr>"
        "</table></body>"), title=f"Error 500 {java_class}: {message}")


def write_proxy_error(request, error):
    """
    Answer as the proxy does when it cannot reach the ApplicationMaster: 500, Jetty's page for
    the connection error.  For a target resource whose server turned out to be gone (a
    :class:`~yarnemu.network.ConnectionRefusedError` or ``ConnectionClosedError`` of the
    in-process network) after the proxy handed the request over.

    :param error: a :class:`~yarnemu.errors.RemoteError` (its ``java_class`` and ``message``).
    :return: the page's bytes; the request is not finished.
    """
    return _server_error(request, getattr(error, "java_class", "java.io.IOException"),
                         getattr(error, "message", None) or str(error))


def _join_path(base, rest):
    """``UriBuilder.path(rest)``: ``rest`` appended to ``base`` with exactly one slash."""
    if not rest:
        return base or "/"
    return base.rstrip("/") + "/" + rest.lstrip("/")


class WebProxyResource(Resource):
    """
    The RM root's ``proxy`` child.

    :param client_protocol: the RM's ``IApplicationClientProtocol`` (or an ``IYarnClient``):
        ``get_application_report(application_id)`` returning a report or a Deferred of one,
        raising ``ApplicationNotFoundException`` for an unknown id.
    :param target_for: ``(host, port)`` → the ``twisted.web`` resource serving the
        ApplicationMaster's web address, or ``None`` if nothing listens there.
    :param str rm_web_address: ``host:port`` of the RM's web app, for redirects to its pages
        (default: the ``Host`` the request was sent to).
    """

    isLeaf = True
    log = Logger()

    def __init__(self, client_protocol, target_for, rm_web_address=None):
        super().__init__()
        self._client = client_protocol
        self._target_for = target_for
        self._rm_web_address = rm_web_address

    def render(self, request):
        if not request.postpath:
            return _not_found(request, "Your path appears to be formatted incorrectly.")
        app_text = request.postpath[0].decode("utf-8", "replace")
        try:
            application_id = ApplicationId.parse(app_text)
        except IllegalArgumentException:
            return _server_error(request, _PARSE_ERROR_CLASS,
                                 f"Error parsing application ID: {app_text}")
        # The rest of the path as it was sent (still percent-encoded), for the AM to decode.
        raw_rest = request.path.split(b"/")[len(request.prepath) + 2:]
        rest = b"/".join(raw_rest).decode("utf-8", "replace")
        gone = []
        request.notifyFinish().addErrback(lambda _: gone.append(True))

        def reported(report):
            if not gone:
                self._serve(request, application_id, report, rest)

        def failed(failure):
            if gone:
                return
            if failure.check(ApplicationNotFoundException):
                body = _not_found(request, f"Application {app_text} could not be found in RM "
                                           "or history server")
            else:
                self.log.failure("Web proxy request for {app} failed", failure, app=app_text)
                body = write_proxy_error(request, failure.value)
            finish_rendering(request, body)

        maybeDeferred(self._client.get_application_report, application_id).addCallbacks(
            reported, failed).addErrback(failed)
        return NOT_DONE_YET

    # Internals

    def _serve(self, request, application_id, report, rest):
        original = report.original_tracking_url
        if original is None or original.strip() in _NO_TRACKING_URL:
            finish_rendering(request, _redirect(
                request, f"http://{self._rm_address(request)}/cluster/app/{application_id}"))
            return
        tracking = urlsplit(original if "://" in original else f"http://{original}")
        path = _join_path(tracking.path, rest)
        query = "&".join(part for part in (tracking.query, _query_of(request)) if part)
        target_uri = path + (f"?{query}" if query else "")
        if report.yarn_application_state in _ENDED:
            location = f"{tracking.scheme}://{tracking.netloc}{target_uri}"
            if tracking.fragment:
                location += f"#{tracking.fragment}"
            finish_rendering(request, _redirect(request, location))
            return
        host, port = _address(tracking.netloc)
        target = self._target_for(host, port)
        if target is None:
            finish_rendering(request, _server_error(
                request, _CONNECT_ERROR_CLASS, f"Connect to {host}:{port} failed: "
                                               "Connection refused"))
            return
        self._hand_over(request, target, target_uri, path, query)

    def _hand_over(self, request, target, uri, path, query):
        """Let ``target`` answer ``request`` as if it had been sent ``uri`` (``path?query``)."""
        request.uri = uri.encode("utf-8")
        request.path = path.encode("utf-8")
        request.args = parse_qs(query.encode("utf-8"), keep_blank_values=True)
        request.prepath = []
        request.postpath = [unquote_to_bytes(segment) for segment in path[1:].split("/")]
        resource = getChildForRequest(target, request)
        body = resource.render(request)
        if body is not NOT_DONE_YET:
            finish_rendering(request, body)

    def _rm_address(self, request):
        if self._rm_web_address:
            return self._rm_web_address
        host = request.getHeader(b"host")
        if host:
            return host.decode("latin-1")
        address = request.getHost()
        return f"{address.host}:{address.port}"


def _address(netloc):
    """:return: ``(host, port)`` of a URL's ``[user@]host[:port]``, the host's case kept."""
    host_port = netloc.rpartition("@")[2]
    host, separator, port = host_port.rpartition(":")
    if not separator or "]" in port:
        return host_port.strip("[]"), 80
    return host.strip("[]"), int(port)


def _query_of(request):
    _, separator, query = request.uri.partition(b"?")
    return query.decode("utf-8", "replace") if separator else ""


def finish_rendering(request, body):
    """
    Answer a request whose resource returned ``NOT_DONE_YET`` with ``body``, as
    ``Request.render`` does for one that returns bytes (nothing if it is finished already).
    """
    if request.finished:
        return
    request.setHeader(b"Content-Length", str(len(body)).encode("ascii"))
    if request.method != b"HEAD":
        request.write(body)
    request.finish()
