"""
Hadoop's ``RemoteException`` JSON on the client side: the error body both remote clients (the RM
REST :class:`~yarnemu.client.rest_yarn_client.RestYarnClient` and the
:class:`~yarnemu.client.webhdfs_client.WebHdfsClient`) turn back into the error values their
in-process counterparts raise, and :class:`MalformedResponse`, for an answer without the shape
Hadoop documents.
"""

import re

from yarnemu.dfs.errors import (
    AccessControlException,
    FileAlreadyExistsException,
    FileNotFoundException,
    HDFSIOException,
    InvalidPathException,
    ParentNotDirectoryException,
    PathIsNotEmptyDirectoryException,
)
from yarnemu.errors import (
    ApplicationAttemptNotFoundException,
    ApplicationMasterNotRegisteredException,
    ApplicationNotFoundException,
    ContainerNotFoundException,
    IllegalArgumentException,
    InvalidApplicationMasterRequestException,
    InvalidContainerReleaseException,
    InvalidResourceBlacklistRequestException,
    InvalidResourceRequestException,
    InvalidStateTransitionException,
    RemoteError,
    YarnException,
    YarnRuntimeException,
)
from yarnemu.web.errors import (
    BadRequestException,
    ForbiddenException,
    NotFoundException,
    WebError,
)

__all__ = [
    "MalformedResponse",
    "YARN_ERRORS",
    "DFS_ERRORS",
    "error_from_response",
]


class MalformedResponse(YarnRuntimeException):
    """A response without the shape Hadoop documents for it."""


def _by_java_class(*classes):
    return {cls.java_class: cls for cls in classes}


YARN_ERRORS = _by_java_class(
    YarnException,
    YarnRuntimeException,
    IllegalArgumentException,
    InvalidResourceRequestException,
    InvalidApplicationMasterRequestException,
    ApplicationNotFoundException,
    ApplicationAttemptNotFoundException,
    ApplicationMasterNotRegisteredException,
    ContainerNotFoundException,
    InvalidContainerReleaseException,
    InvalidResourceBlacklistRequestException,
    InvalidStateTransitionException,
    WebError,
    BadRequestException,
    NotFoundException,
    ForbiddenException,
)
"""The RM REST API's ``javaClassName`` values, and the errors they stand for."""

DFS_ERRORS = _by_java_class(
    IllegalArgumentException,
    HDFSIOException,
    FileNotFoundException,
    FileAlreadyExistsException,
    ParentNotDirectoryException,
    PathIsNotEmptyDirectoryException,
    AccessControlException,
    InvalidPathException,
)
"""WebHDFS's ``javaClassName`` values, and the errors they stand for."""

_BY_STATUS = {400: BadRequestException, 403: ForbiddenException, 404: NotFoundException}

# Errors whose constructors rebuild the message from a path: the path back out of the message.
_PATH_IN_MESSAGE = {
    PathIsNotEmptyDirectoryException: re.compile(r"`(.*)': Directory is not empty\Z", re.S),
    InvalidPathException: re.compile(r"Invalid path name (.*)\Z", re.S),
}


def error_from_response(response, known, not_found=None):
    """
    :param response: an :class:`~yarnemu.client.http.HttpResponse` with an error status.
    :param known: ``javaClassName`` → error class (:data:`YARN_ERRORS`, :data:`DFS_ERRORS`).
    :param not_found: the class a 404 ``NotFoundException`` stands for at this URL (e.g.
        :class:`ApplicationNotFoundException` under ``/apps/{id}``).
    :return: the error value it stands for, with the message as sent: the class its
        ``RemoteException`` names (matched by ``javaClassName``, then by ``exception``), else a
        :mod:`yarnemu.web.errors` class by status (400, 403, 404; any other status a
        ``WebError``) that keeps the remote ``javaClassName``.  A body that is no
        ``RemoteException`` gives the status and the start of the body as the message.
    """
    remote = _remote_exception(response)
    if remote is None:
        text = response.body[:200].decode("utf-8", "replace").strip()
        return _fallback(response.status, None, f"HTTP {response.status}: {text}".rstrip(": "))
    java_class = remote.get("javaClassName") or ""
    simple = remote.get("exception") or java_class.rsplit(".", 1)[-1]
    message = remote.get("message")
    if message is None:
        message = ""
    if not_found is not None and response.status == 404 and (
            simple in (NotFoundException.exception_name(), not_found.exception_name())):
        return _instance(not_found, message)
    cls = known.get(java_class) or next(
        (candidate for candidate in known.values() if candidate.exception_name() == simple),
        None)
    if cls is None:
        return _fallback(response.status, java_class or None, message)
    return _instance(cls, message)


def _remote_exception(response):
    try:
        body = response.json()
    except ValueError:
        return None
    remote = body.get("RemoteException") if isinstance(body, dict) else None
    return remote if isinstance(remote, dict) else None


def _fallback(status, java_class, message):
    error = _instance(_BY_STATUS.get(status, WebError), message)
    if java_class:
        error.java_class = java_class
    return error


def _instance(cls, message):
    """An error of class ``cls`` whose message is exactly ``message``."""
    if cls.__init__ is RemoteError.__init__:
        return cls(message)
    error = cls.__new__(cls)
    RemoteError.__init__(error, message)
    pattern = _PATH_IN_MESSAGE.get(cls)
    if pattern is not None:
        match = pattern.match(message)
        error.path = match.group(1) if match else None
    if cls is InvalidStateTransitionException:
        error.state = error.event = None
    return error
