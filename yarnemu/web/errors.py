"""
Hadoop's error shape for its JSON web services (the RM REST API and WebHDFS): a
``RemoteException`` object naming the Java exception, e.g.::

    {"RemoteException": {"exception": "NotFoundException",
                         "javaClassName": "org.apache.hadoop.yarn.webapp.NotFoundException",
                         "message": "java.lang.Exception: app with id: application_1_0001 not found"}}

and the one place responses are written as JSON.
"""

import json

from yarnemu.errors import RemoteError

__all__ = [
    "WebError",
    "BadRequestException",
    "NotFoundException",
    "ForbiddenException",
    "remote_exception_body",
    "write_json",
    "write_remote_exception",
    "JSON_CONTENT_TYPE",
]

JSON_CONTENT_TYPE = b"application/json"


class WebError(RemoteError):
    """
    An error of a web service itself (not of the service it fronts), with its HTTP status.

    :cvar int status: the HTTP status it is answered with.
    """

    status = 500
    java_class = "org.apache.hadoop.yarn.webapp.WebApplicationException"


class BadRequestException(WebError):
    """400: a malformed id, parameter or body."""

    status = 400
    java_class = "org.apache.hadoop.yarn.webapp.BadRequestException"


class NotFoundException(WebError):
    """404: no such application, attempt, node, container or path."""

    status = 404
    java_class = "org.apache.hadoop.yarn.webapp.NotFoundException"


class ForbiddenException(WebError):
    """403: the caller may not do this."""

    status = 403
    java_class = "org.apache.hadoop.yarn.webapp.ForbiddenException"


def remote_exception_body(error):
    """
    :param error: a :class:`~yarnemu.errors.RemoteError` (its ``java_class`` and ``message``).
    :return: the ``{"RemoteException": {...}}`` mapping for it.
    """
    java_class = getattr(error, "java_class", "java.lang.Exception")
    message = getattr(error, "message", None)
    if message is None:
        message = str(error)
    return {"RemoteException": {
        "exception": java_class.rsplit(".", 1)[-1],
        "javaClassName": java_class,
        "message": message,
    }}


def write_json(request, body, status=200, content_type=JSON_CONTENT_TYPE):
    """
    Set ``request``'s status and ``Content-Type`` (omitted when ``content_type`` is ``None``) and
    :return: the UTF-8 JSON bytes of ``body`` for the resource to return.
    """
    request.setResponseCode(status)
    if content_type is not None:
        request.setHeader(b"Content-Type", content_type)
    return json.dumps(body).encode("utf-8")


def write_remote_exception(request, status, error, content_type=JSON_CONTENT_TYPE):
    """:return: :func:`write_json` of :func:`remote_exception_body` with ``status``."""
    return write_json(request, remote_exception_body(error), status, content_type)
