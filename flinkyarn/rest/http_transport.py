"""
:class:`RestOverHttp`: the REST calls of a JobManager made over HTTP (Flink's ``RestClient``),
through an :class:`~yarnemu.client.http.IHttpClient` — to the JobManager itself or, as from
outside a YARN cluster, through the RM web proxy (``http://<rm>/proxy/<applicationId>``).

Each call is the request :mod:`flinkyarn.rest.routes` gives it; the answer is read as Flink's
``RestClient`` reads one, so callers see what they see in-process:

- a 2xx JSON body is the result (an empty body is ``{}``);
- ``{"errors": [...]}`` is a :class:`~flinkyarn.runtime.gateways.RestHandlerException` with the
  status;
- the request not getting through (connection refused, timed out, lost) is a
  :class:`~yarnemu.network.ConnectionRefusedError` or, once sent,
  :class:`~yarnemu.network.ConnectionClosedError`: connection problems, which ``ClusterClient``
  retries.  So is an answer that did not come from a JobManager — a redirect, or a 5xx page that
  is not Flink's JSON: the web proxy sends those when the application's JobManager is not (yet,
  or any more) there, where a direct connection would have been refused;
- any other answer that is not JSON is a ``RestHandlerException`` ``Response was not valid JSON,
  but plain-text: <body>`` (Flink's wording), e.g. the proxy's 404 for an unknown application.
"""

import html
import json
import re
from urllib.parse import quote, urlencode

from twisted.internet import error as internet_error
from twisted.internet.defer import fail
from twisted.web.client import RequestTransmissionFailed, ResponseFailed, ResponseNeverReceived
from zope.interface import implementer

from flinkyarn.rest import routes
from flinkyarn.rest.transport import IRestTransport
from flinkyarn.runtime.gateways import RestHandlerException
from yarnemu.network import ConnectionClosedError, ConnectionRefusedError

__all__ = ["RestOverHttp"]

_NOT_CONNECTED = (internet_error.ConnectError, internet_error.DNSLookupError,
                  internet_error.TimeoutError)
_CUT_OFF = (internet_error.ConnectionClosed, ResponseFailed, ResponseNeverReceived,
            RequestTransmissionFailed)
_TAG = re.compile(r"<[^>]*>")
_TEXT_SHOWN = 300


@implementer(IRestTransport)
class RestOverHttp:
    """
    :param http: an :class:`~yarnemu.client.http.IHttpClient`.
    :param str base_url: where the REST API's paths start, e.g. ``http://jm-host:8081`` or
        ``http://rm:8088/proxy/application_1_0001``.
    """

    def __init__(self, http, base_url):
        self.http = http
        self.base_url = base_url.rstrip("/")

    def call(self, method, *args):
        try:
            route = routes.route_of(method)
        except KeyError:
            return fail(NotImplementedError(f"No REST call {method}"))
        path_values, query_values, body_args = routes.split_arguments(route, args)
        url = self.base_url + routes.path_of(route, [quote(str(value), safe="")
                                                     for value in path_values])
        query = routes.client_query(route, query_values)
        if query:
            url += "?" + urlencode(query)
        headers = {"Accept": "application/json"}
        body = None
        if route.body is not None:
            content_type, body = route.body.write(*body_args)
            headers["Content-Type"] = content_type
        answer = self.http.request(route.method, url, body=body, headers=headers)
        return answer.addCallbacks(self._read, self._not_through,
                                   callbackArgs=(url,), errbackArgs=(url,))

    def _read(self, response, url):
        status = response.status
        try:
            value = json.loads(response.body.decode("utf-8")) if response.body.strip() else {}
        except (UnicodeDecodeError, ValueError):
            value = _NOT_JSON
        if value is not _NOT_JSON:
            if isinstance(value, dict) and isinstance(value.get("errors"), list) and status >= 300:
                errors = [str(entry) for entry in value["errors"]] or [""]
                raise RestHandlerException(status, errors[0], errors[1:])
            if 200 <= status < 300:
                return value
        if 300 <= status < 400:
            raise ConnectionRefusedError(
                f"Could not reach the JobManager at {url}: HTTP {status}, redirected to "
                f"{response.header('location', '(nowhere)')}")
        if status >= 500:
            raise ConnectionRefusedError(
                f"Could not reach the JobManager at {url}: HTTP {status}: {_text(response.body)}")
        raise RestHandlerException(
            status, f"Response was not valid JSON, but plain-text: {_text(response.body)}")

    def _not_through(self, failure, url):
        if failure.check(*_NOT_CONNECTED):
            raise ConnectionRefusedError(f"Could not connect to {url}: {failure.value}")
        if failure.check(*_CUT_OFF):
            raise ConnectionClosedError(f"Connection to {url} closed: {failure.value}")
        return failure


_NOT_JSON = object()


def _text(body):
    """The body as text, HTML tags dropped, whitespace collapsed, at most 300 characters."""
    text = html.unescape(_TAG.sub(" ", body.decode("utf-8", "replace")))
    text = " ".join(text.split())
    return text if len(text) <= _TEXT_SHOWN else text[:_TEXT_SHOWN] + "..."
