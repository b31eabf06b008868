"""
:class:`HttpForwardResource`: the web proxy's target for an ApplicationMaster that is a real
process (the process container executor): the request is sent on over HTTP to the AM's address,
as Hadoop's ``WebAppProxyServlet`` does with its HTTP client, and the AM's answer (status,
headers, body) is streamed back unchanged.

The request reaches it as :class:`~yarnemu.web.proxy.WebProxyResource` hands requests over: its
``uri`` already rewritten to the AM's path and query.  If nothing listens at the address the
answer is the proxy's 500 page for the connection error, as for an in-process AM that is gone.
"""

from io import BytesIO

from twisted.internet.error import ConnectionRefusedError
from twisted.internet.protocol import Protocol
from twisted.internet.task import Cooperator
from twisted.web.client import Agent, FileBodyProducer, ResponseDone
from twisted.web.http import PotentialDataLoss
from twisted.web.http_headers import Headers
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET

from yarnemu.web.proxy import finish_rendering, write_proxy_error

__all__ = ["HttpForwardResource", "http_forward_targets"]

_CONNECT_ERROR_CLASS = "org.apache.http.conn.HttpHostConnectException"

#: Headers that belong to one connection (RFC 9110 §7.6.1), never forwarded either way.
_HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"te", b"trailer",
               b"transfer-encoding", b"upgrade", b"content-length", b"host"}


class _ConnectError(Exception):
    java_class = _CONNECT_ERROR_CLASS

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class _Relay(Protocol):
    """Streams the AM's response body into the waiting request."""

    def __init__(self, request):
        self._request = request

    def dataReceived(self, data):
        if not self._request.finished:
            self._request.write(data)

    def connectionLost(self, reason):
        if not self._request.finished and reason.check(ResponseDone, PotentialDataLoss):
            self._request.finish()
        elif not self._request.finished:
            # The AM went away mid-answer: the client sees a cut-off response, as from Jetty.
            self._request.channel.loseConnection()


class HttpForwardResource(Resource):
    """
    Forwards every request it is given to ``http://host:port`` + the request's URI.

    :param reactor: the reactor an :class:`~twisted.web.client.Agent` connects with.
    """

    isLeaf = True

    def __init__(self, reactor, host, port):
        super().__init__()
        self._agent = Agent(reactor)
        self._reactor = reactor
        self._host = host
        self._port = port

    def render(self, request):
        headers = Headers()
        for name, values in request.requestHeaders.getAllRawHeaders():
            if name.lower() not in _HOP_BY_HOP:
                headers.setRawHeaders(name, values)
        request.content.seek(0, 0)
        body = request.content.read()
        producer = FileBodyProducer(BytesIO(body), cooperator=_immediate(self._reactor)) \
            if body or request.method in (b"POST", b"PUT", b"PATCH") else None
        url = f"http://{self._host}:{self._port}".encode("ascii") + request.uri
        self._agent.request(request.method, url, headers, producer).addCallbacks(
            lambda response: self._relay(request, response),
            lambda failure: self._refused(request, failure))
        return NOT_DONE_YET

    def _relay(self, request, response):
        if request.finished:
            response.deliverBody(Protocol())
            return
        request.setResponseCode(response.code, response.phrase)
        for name, values in response.headers.getAllRawHeaders():
            if name.lower() not in _HOP_BY_HOP:
                request.responseHeaders.setRawHeaders(name, values)
        response.deliverBody(_Relay(request))

    def _refused(self, request, failure):
        reason = ("Connection refused" if failure.check(ConnectionRefusedError)
                  else failure.getErrorMessage())
        finish_rendering(request, write_proxy_error(request, _ConnectError(
            f"Connect to {self._host}:{self._port} failed: {reason}")))


def _immediate(reactor):
    """A cooperator that sends the body without the default 10 ms pause between chunks."""
    return Cooperator(scheduler=lambda work: reactor.callLater(0, work))


def http_forward_targets(reactor, first=None):
    """
    A web proxy ``target_for`` that forwards over HTTP.

    :param first: another ``target_for`` asked first (the in-process AMs); its ``None`` falls
        through to forwarding.
    """
    def target_for(host, port):
        target = first(host, port) if first is not None else None
        return target if target is not None else HttpForwardResource(reactor, host, port)

    return target_for
