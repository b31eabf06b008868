"""
WebHDFS's errors and their HTTP statuses, mapped as Hadoop's ``ExceptionHandler`` maps them (the
NameNode's Jersey one and the DataNode's Netty one agree):

======================================================  ======
``java.io.FileNotFoundException``                        404
any other ``java.io.IOException`` (``AccessControl``,   403
``FileAlreadyExists``, ``ParentNotDirectory``, ...)
``java.lang.SecurityException``                          403
``java.lang.IllegalArgumentException`` (bad parameters,  400
``InvalidPathException``) and
``java.lang.UnsupportedOperationException``
anything else                                            500
======================================================  ======
"""

from yarnemu.dfs.errors import FileNotFoundException, HDFSIOException
from yarnemu.errors import IllegalArgumentException, RemoteError
from yarnemu.web.errors import WebError

__all__ = [
    "UnsupportedOperationException",
    "SecurityException",
    "InternalServerError",
    "http_status",
]


class UnsupportedOperationException(RemoteError):
    """An operation WebHDFS knows but this server does not do (``op=... is not supported``)."""

    java_class = "java.lang.UnsupportedOperationException"


class SecurityException(RemoteError):
    """A user the server will not act for."""

    java_class = "java.lang.SecurityException"


class InternalServerError(RemoteError):
    """A failure of the server itself, not of the request."""

    java_class = "java.lang.RuntimeException"


# Java classes, by name, for errors whose Python class does not tell (e.g. a ConfigurationException
# reported as an IllegalArgumentException).
_STATUS_BY_JAVA_CLASS = {
    "java.io.FileNotFoundException": 404,
    "java.io.IOException": 403,
    "java.lang.SecurityException": 403,
    "java.lang.IllegalArgumentException": 400,
    "java.lang.UnsupportedOperationException": 400,
}


def http_status(error):
    """
    :param RemoteError error: what an operation raised.
    :return: the HTTP status WebHDFS answers it with.
    """
    if isinstance(error, FileNotFoundException):
        return 404
    if isinstance(error, (HDFSIOException, SecurityException)):
        return 403
    if isinstance(error, (IllegalArgumentException, UnsupportedOperationException)):
        return 400
    if isinstance(error, WebError):
        return error.status
    return _STATUS_BY_JAVA_CLASS.get(getattr(error, "java_class", None), 500)
