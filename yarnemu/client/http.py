"""
The HTTP seam of yarnemu's remote clients (the REST ``YarnClient``, the WebHDFS client, Flink's
REST client): :class:`IHttpClient` sends one request and fires with the whole
:class:`HttpResponse`.  :class:`AgentHttpClient` does it over the network with Twisted's
``Agent``; tests route the same calls into a ``twisted.web`` site in memory.

Redirects are never followed here: WebHDFS's two-step writes need the ``Location`` itself.
"""

import io
import json

from attrs import field, frozen
from twisted.internet.defer import Deferred, inlineCallbacks
from twisted.internet.protocol import Protocol
from twisted.internet.task import Cooperator
from twisted.web.client import Agent, FileBodyProducer, HTTPConnectionPool, ResponseDone
from twisted.web.http import PotentialDataLoss
from twisted.web.http_headers import Headers
from zope.interface import Interface, implementer

from yarnemu.records.immutable import frozen_mapping

__all__ = ["IHttpClient", "HttpResponse", "AgentHttpClient"]

# Seconds before the next slice of a streamed request body: as twisted.internet.task's own
# scheduler, the next reactor turn.  (A body is paused and resumed by the transport every few
# 64 KiB reads; a 10 ms wait per resume would cap uploads near 12 MB/s.)
_COOPERATOR_DELAY = 0.0


class IHttpClient(Interface):
    """Sends HTTP requests."""

    def request(method, url, body=None, headers=None):
        """
        :param str method: ``GET``, ``PUT``, ...
        :param str url: the absolute URL, with its query string.
        :param body: ``None``, ``bytes``, or a binary file object positioned at the start of
            what to send (streamed, not read into memory).
        :param headers: header name → value (``str``).
        :return: a Deferred firing with an :class:`HttpResponse` (any status), or failing with
            the connection error.
        """


def _lowered(headers):
    return frozen_mapping({str(name).lower(): tuple(values) for name, values in headers.items()})


@frozen
class HttpResponse:
    """
    :ivar int status: the status code.
    :ivar headers: lower-cased header name → tuple of values (``str``).
    :ivar bytes body: the whole body.
    """

    status: int
    headers: object = field(factory=dict, converter=_lowered)
    body: bytes = b""

    def header(self, name, default=None):
        """:return: the first value of header ``name`` (any case), or ``default``."""
        values = self.headers.get(name.lower())
        return values[0] if values else default

    def json(self):
        """:return: the body parsed as JSON (``None`` for an empty body)."""
        if not self.body.strip():
            return None
        return json.loads(self.body.decode("utf-8"))


class _BodyCollector(Protocol):
    """
    Collects a response body; ``done`` fires with all of it.  Unlike ``readBody``, a body that
    ends with the connection (no ``Content-Length``, not chunked: ``PotentialDataLoss``) counts
    as complete, as HTTP/1.0 servers and Hadoop's clients have it.
    """

    def __init__(self):
        self.done = Deferred()
        self._chunks = []

    def dataReceived(self, data):
        self._chunks.append(data)

    def connectionLost(self, reason):
        if reason.check(ResponseDone, PotentialDataLoss):
            self.done.callback(b"".join(self._chunks))
        else:
            self.done.errback(reason)


@implementer(IHttpClient)
class AgentHttpClient:
    """
    :class:`IHttpClient` with Twisted's ``Agent`` and a persistent connection pool.

    Request bodies are streamed by a ``FileBodyProducer`` whose cooperator runs on ``reactor``
    (not on the global one).

    :param reactor: the reactor (``IReactorTCP`` and ``IReactorTime``).
    :param float connect_timeout: seconds to wait for a connection.
    """

    def __init__(self, reactor, connect_timeout=30.0):
        self._pool = HTTPConnectionPool(reactor, persistent=True)
        self._agent = Agent(reactor, connectTimeout=connect_timeout, pool=self._pool)
        self._cooperator = Cooperator(
            scheduler=lambda work: reactor.callLater(_COOPERATOR_DELAY, work))

    @inlineCallbacks
    def request(self, method, url, body=None, headers=None):
        producer = None
        if body is not None:
            producer = FileBodyProducer(io.BytesIO(body) if isinstance(body, (bytes, bytearray))
                                        else body, cooperator=self._cooperator)
        raw_headers = Headers({name.encode("latin-1"): [str(value).encode("latin-1")]
                               for name, value in (headers or {}).items()})
        response = yield self._agent.request(method.encode("ascii"), url.encode("utf-8"),
                                             raw_headers, producer)
        collector = _BodyCollector()
        response.deliverBody(collector)
        content = yield collector.done
        return HttpResponse(
            response.code,
            {name.decode("latin-1"): [value.decode("latin-1") for value in values]
             for name, values in response.headers.getAllRawHeaders()},
            content,
        )

    def close(self):
        """Close the pooled connections; :return: a Deferred firing when they are closed."""
        return self._pool.closeCachedConnections()
