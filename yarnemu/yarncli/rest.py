"""
A small synchronous reader of a ResourceManager's REST API (``/ws/v1/cluster/...``), for the
``yarnemu application`` and ``yarnemu node`` commands.

It speaks Hadoop's JSON as the RM writes it: ``{"apps": {"app": [...]}}`` (or
``{"apps": null}``), ``{"app": {...}}``, ``{"appAttempts": {"appAttempt": [...]}}``,
``{"appAttempt": {...}}``, ``{"nodes": {"node": [...]}}``, ``{"node": {...}}``, and errors as ``{"RemoteException": {...}}``, raised here as :class:`RmRestError` (404:
:class:`RmNotFound`).  A connection that cannot be made raises :class:`RmUnreachable`.

The HTTP exchange itself is one injectable function, ``send(method, url, body, headers) ->
(status, body_bytes)``: :func:`urllib_send` (the standard library, no proxies, no cookies) by
default; tests route it in memory.
"""

import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request

from yarnemu.service.endpoints_file import endpoints_from_environment

__all__ = [
    "RmRest",
    "RmRestError",
    "RmNotFound",
    "RmUnreachable",
    "urllib_send",
    "resolve_rm_url",
    "DEFAULT_RM_URL",
    "RM_URL_VARIABLE",
]

DEFAULT_RM_URL = "http://127.0.0.1:8088"
"""The service's default web address (``yarn.resourcemanager.webapp.address``, port 8088)."""

RM_URL_VARIABLE = "YARNEMU_RM"
"""The environment variable naming the RM's web address when ``--rm`` is not given."""

_TIMEOUT_SECONDS = 30.0


class RmUnreachable(Exception):
    """
    No HTTP exchange with the RM was possible.

    :ivar str url: the RM's base URL.
    :ivar str reason: why, e.g. ``Connection refused``.
    """

    def __init__(self, url, reason):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class RmRestError(Exception):
    """
    The RM answered with an error status.

    :ivar int status: the HTTP status.
    :ivar str java_class: the ``RemoteException``'s ``javaClassName`` (or a generic one for a
        body that is not a ``RemoteException``).
    :ivar str message: its ``message`` (or the body's text).
    """

    def __init__(self, status, java_class, message):
        super().__init__(f"{status} {java_class}: {message}")
        self.status = status
        self.java_class = java_class
        self.message = message


class RmNotFound(RmRestError):
    """404: no such application or node."""


def resolve_rm_url(option=None, environ=None):
    """
    :return: the RM's base URL: ``option`` (``--rm``), else ``$YARNEMU_RM``, else the ``rm`` of
        the endpoints file ``$YARNEMU_ENDPOINTS`` names, else :data:`DEFAULT_RM_URL`; ``http://``
        is added when no scheme is given and a trailing ``/`` is dropped.
    :raise EndpointsFileError: if that endpoints file is consulted and cannot be read.
    """
    environ = os.environ if environ is None else environ
    url = (option or environ.get(RM_URL_VARIABLE)
           or endpoints_from_environment(environ).get("rm") or DEFAULT_RM_URL)
    if "://" not in url:
        url = "http://" + url
    return url.rstrip("/")


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def urllib_send(method, url, body, headers):
    """
    Send one request with :mod:`urllib.request`.

    :return: ``(status, body_bytes)`` for any HTTP answer, error statuses included.
    :raise OSError: (``urllib.error.URLError`` and the like) when no answer came, or no HTTP one.
    """
    request = urllib.request.Request(url, data=body, headers=dict(headers or {}), method=method)
    try:
        with _OPENER.open(request, timeout=_TIMEOUT_SECONDS) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()
    except http.client.HTTPException as error:
        raise ConnectionError(f"not an HTTP answer ({type(error).__name__})") from error


def _reason(error):
    reason = getattr(error, "reason", None) or getattr(error, "strerror", None) or error
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason)


def _listed(wrapper, key):
    # {"apps": null}, {"apps": {"app": [...]}}, and a lone object where a list of one is meant.
    if not wrapper:
        return []
    items = wrapper.get(key)
    if items is None:
        return []
    return items if isinstance(items, list) else [items]


class RmRest:
    """
    :param str base_url: the RM's web address, e.g. ``http://127.0.0.1:8088``.
    :param send: ``send(method, url, body, headers) -> (status, body_bytes)``;
        :func:`urllib_send` when ``None``.
    """

    def __init__(self, base_url, send=None):
        self.base_url = base_url.rstrip("/")
        self._send = send if send is not None else urllib_send

    def _request(self, method, path, query=None, body=None, expect_json=True):
        url = f"{self.base_url}/ws/v1/cluster{path}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        try:
            status, payload = self._send(method, url, data, headers)
        except OSError as error:
            raise RmUnreachable(self.base_url, _reason(error)) from None
        parsed = _parsed(payload)
        if status >= 400:
            raise _error(status, parsed, payload)
        if expect_json and not isinstance(parsed, dict):
            raise RmRestError(status, "org.apache.hadoop.yarn.webapp.WebApplicationException",
                              f"{url} did not answer with the ResourceManager's JSON")
        return status, parsed

    def applications(self, states=(), application_types=(), application_tags=()):
        """
        ``GET /apps`` filtered by the ``states``, ``applicationTypes`` and ``applicationTags``
        given (each comma-joined; empty: no filter).

        :return: the apps' JSON objects, in the order the RM listed them.
        """
        query = {}
        for name, values in (("states", states), ("applicationTypes", application_types),
                             ("applicationTags", application_tags)):
            if values:
                query[name] = ",".join(str(value) for value in values)
        _, body = self._request("GET", "/apps", query)
        return _listed(body.get("apps"), "app")

    def application(self, application_id):
        """
        ``GET /apps/{id}``.

        :return: the app's JSON object.
        :raise RmNotFound: no such application.
        """
        _, body = self._request("GET", f"/apps/{_segment(application_id)}")
        return body.get("app") or {}

    def kill_application(self, application_id):
        """
        ``PUT /apps/{id}/state`` with ``{"state": "KILLED"}``.

        :return: ``True`` once the kill is complete (200), ``False`` while it is under way
            (202; repeat the request to confirm).
        :raise RmNotFound: no such application.
        """
        status, _ = self._request("PUT", f"/apps/{_segment(application_id)}/state",
                                  body={"state": "KILLED"}, expect_json=False)
        return status == 200

    def application_attempts(self, application_id):
        """
        ``GET /apps/{id}/appattempts``.

        :return: the attempts' JSON objects (``AppAttemptInfo``), first to last.
        :raise RmNotFound: no such application.
        """
        _, body = self._request("GET", f"/apps/{_segment(application_id)}/appattempts")
        return _listed(body.get("appAttempts"), "appAttempt")

    def application_attempt(self, application_id, attempt_id):
        """
        ``GET /apps/{id}/appattempts/{attemptId}``.

        :return: the attempt's report (``appAttempt``, with ``originalTrackingUrl``).
        :raise RmNotFound: no such application or attempt.
        """
        _, body = self._request(
            "GET", f"/apps/{_segment(application_id)}/appattempts/{_segment(attempt_id)}")
        return body.get("appAttempt") or {}

    def nodes(self, states=()):
        """
        ``GET /nodes``, with ``states`` comma-joined when given.

        :return: the nodes' JSON objects, in the order the RM listed them.
        """
        query = {"states": ",".join(str(state) for state in states)} if states else None
        _, body = self._request("GET", "/nodes", query)
        return _listed(body.get("nodes"), "node")

    def node(self, node_id):
        """
        ``GET /nodes/{id}``.

        :return: the node's JSON object.
        :raise RmNotFound: no such node.
        """
        _, body = self._request("GET", f"/nodes/{_segment(node_id)}")
        return body.get("node") or {}


def _segment(value):
    return urllib.parse.quote(str(value), safe=":")


def _parsed(payload):
    if not payload or not payload.strip():
        return None
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _error(status, parsed, payload):
    remote = parsed.get("RemoteException") if isinstance(parsed, dict) else None
    if isinstance(remote, dict):
        java_class = remote.get("javaClassName") or remote.get("exception") or "java.lang.Exception"
        message = remote.get("message") or ""
    else:
        java_class = "org.apache.hadoop.yarn.webapp.WebApplicationException"
        message = f"HTTP {status}: " + payload.decode("utf-8", "replace").strip()[:200]
    kind = RmNotFound if status == 404 else RmRestError
    return kind(status, java_class, message)
