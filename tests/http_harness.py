"""
HTTP requests through a ``twisted.web`` site without sockets: the raw request bytes go into an
``HTTPChannel`` over a ``StringTransport`` and the raw response bytes are parsed back, so tests
see exactly what a client on the wire would (status line, headers, chunked or sized body), on a
virtual clock and in one thread.

    response = HttpClient(site).request("GET", "/ws/v1/cluster/info")
    assert response.status == 200 and response.json()["clusterInfo"]["state"] == "STARTED"

A resource that answers later (``NOT_DONE_YET``) is waited for with ``settle``: a callable that
moves the clock on (e.g. ``lambda: clock.advance(1)``), called until the response is complete.
"""

import json
from urllib.parse import urlsplit

from twisted.internet import error
from twisted.internet.address import IPv4Address
from twisted.internet.defer import fail, succeed
from twisted.internet.testing import StringTransport
from twisted.internet.task import Clock
from twisted.web.resource import IResource
from twisted.web.server import Site
from zope.interface import implementer

from yarnemu.client.http import HttpResponse, IHttpClient

__all__ = ["HttpClient", "HttpResponse", "IncompleteResponse", "InMemoryHttpClient"]


class IncompleteResponse(AssertionError):
    """The site had not finished its answer."""


class HttpClient:
    """
    :param site: a ``twisted.web`` ``Site`` or a resource (wrapped in a ``Site`` on its own
        clock, so no global reactor timer is ever scheduled).
    :param str host: the ``Host`` header and the server address requests arrive at.
    :param int port: the server's port.
    """

    def __init__(self, site, host="127.0.0.1", port=8088):
        if IResource.providedBy(site):
            site = Site(site, reactor=Clock())
        self.site = site
        self.host = host
        self.port = port

    def request(self, method, path, body=b"", headers=None, chunk_size=None, settle=None,
                max_settles=10000):
        """
        Send one request on a fresh connection and :return: the :class:`HttpResponse`.

        :param str path: the request target, with its query string.
        :param body: the request body: ``bytes``, a binary file object, or an iterable of
            ``bytes`` chunks (sent with ``Transfer-Encoding: chunked``).
        :param int chunk_size: send ``body`` chunked in pieces of this size.
        :param settle: called while the response is incomplete; ``None``: it must be complete at
            once.
        :raise IncompleteResponse: if it does not complete.
        """
        answer = []
        self.start_request(method, path, body, headers, chunk_size).addCallback(answer.append)
        settles = 0
        while not answer:
            if settle is None or settles >= max_settles:
                raise IncompleteResponse(f"{method} {path}: incomplete response")
            settle()
            settles += 1
        return answer[0]

    def start_request(self, method, path, body=b"", headers=None, chunk_size=None):
        """
        Like :meth:`request`, but :return: a Deferred firing with the :class:`HttpResponse` as
        soon as the site has written all of it (whenever the clock gets it there).
        """
        transport = StringTransport(
            hostAddress=IPv4Address("TCP", self.host, self.port),
            peerAddress=IPv4Address("TCP", "127.0.0.1", 40000),
        )
        protocol = self.site.buildProtocol(transport.getPeer())
        protocol.makeConnection(transport)
        all_headers = {"Host": f"{self.host}:{self.port}"}
        all_headers.update(headers or {})
        if hasattr(body, "read"):
            body = body.read()
        if isinstance(body, (bytes, bytearray)) and chunk_size is None:
            chunks = None
            if body or method in ("POST", "PUT", "PATCH"):
                all_headers["Content-Length"] = str(len(body))
        else:
            if isinstance(body, (bytes, bytearray)):
                body = [bytes(body[i:i + chunk_size]) for i in range(0, len(body), chunk_size)]
            chunks = body
            all_headers["Transfer-Encoding"] = "chunked"
        head = f"{method} {path} HTTP/1.1\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in all_headers.items()) + "\r\n"
        protocol.dataReceived(head.encode("latin-1"))
        if chunks is None:
            if body:
                protocol.dataReceived(bytes(body))
        else:
            for chunk in chunks:
                if chunk:
                    protocol.dataReceived(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            protocol.dataReceived(b"0\r\n\r\n")
        return _when_finished(protocol, transport, method)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def put(self, path, body=b"", **kw):
        return self.request("PUT", path, body, **kw)

    def post(self, path, body=b"", **kw):
        return self.request("POST", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def json_request(self, method, path, value, **kw):
        """Send ``value`` as a JSON body with ``Content-Type: application/json``."""
        headers = {"Content-Type": "application/json", **kw.pop("headers", {})}
        return self.request(method, path, json.dumps(value).encode("utf-8"), headers=headers, **kw)


def _when_finished(protocol, transport, method):
    """A Deferred firing with the response once the site has finished every request."""
    channel = getattr(protocol, "_channel", protocol)
    unfinished = [request for request in channel.requests if not request.finished]
    if not unfinished:
        response = _parse(transport.value(), method)
        if response is None:
            return fail(IncompleteResponse(f"no complete response: {transport.value()[:300]!r}"))
        return succeed(response)
    finished = unfinished[-1].notifyFinish()
    finished.addCallback(lambda _: _parse(transport.value(), method))
    return finished


def _parse(data, method):
    head, separator, rest = data.partition(b"\r\n\r\n")
    if not separator:
        return None
    lines = head.decode("latin-1").split("\r\n")
    _, status, *reason = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    status = int(status)
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return HttpResponse(status, headers, b"")
    if "content-length" in headers:
        length = int(headers["content-length"][0])
        if len(rest) < length:
            return None
        return HttpResponse(status, headers, rest[:length])
    if "chunked" in headers.get("transfer-encoding", [""])[0].lower():
        body = _dechunk(rest)
        if body is None:
            return None
        return HttpResponse(status, headers, body)
    return None


def _dechunk(data):
    body = []
    while True:
        size_line, separator, data = data.partition(b"\r\n")
        if not separator:
            return None
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return b"".join(body)
        if len(data) < size + 2:
            return None
        body.append(data[:size])
        data = data[size + 2:]


@implementer(IHttpClient)
class InMemoryHttpClient:
    """
    An ``IHttpClient`` whose requests go to in-memory sites by the URL's ``host:port``, so that a
    remote client can be tested against the real resources on a virtual clock.

    Responses arrive when the site writes them: a resource answering later does so as the test's
    clock moves on.

    :param sites: ``"host:port"`` → ``Site`` or resource.
    """

    def __init__(self, sites):
        self._clients = {}
        for address, site in sites.items():
            host, _, port = address.rpartition(":")
            self._clients[address] = HttpClient(site, host, int(port))
        self.requests = []

    def request(self, method, url, body=None, headers=None):
        parts = urlsplit(url)
        client = self._clients.get(parts.netloc)
        if client is None:
            return fail(error.ConnectionRefusedError(f"nothing listens at {parts.netloc}"))
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        self.requests.append((method, url))
        return client.start_request(method, target, body if body is not None else b"",
                                    headers=headers)
