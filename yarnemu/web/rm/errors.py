"""
The one place the ResourceManager REST API turns errors into Hadoop's answers, as Jersey's
``GenericExceptionHandler`` and ``RMWebServices`` do in Hadoop 3.3:

- a web error (:class:`~yarnemu.web.errors.WebError`) is answered with its own status;
- ``ApplicationNotFoundException``, ``ApplicationAttemptNotFoundException`` and
  ``ContainerNotFoundException`` from the client service become 404 ``NotFoundException`` whose
  message is the cause's ``toString()`` (``WebServices#rewrapAndThrowThrowable``);
- ``IllegalArgumentException`` (a malformed id or enum value) is 400 as it is;
- any other ``YarnException`` (a refused submission, an unknown queue) becomes 400
  ``BadRequestException`` with the cause's message (``RMWebServices#submitApplication``);
- anything else is 500.

Hadoop's ``BadRequestException(String)`` and ``NotFoundException(String)`` wrap the message in a
``java.lang.Exception``, so their ``message`` reads ``java.lang.Exception: <text>``:
:func:`bad_request` and :func:`not_found` build them that way.
"""

from yarnemu.errors import (
    ApplicationAttemptNotFoundException,
    ApplicationNotFoundException,
    ContainerNotFoundException,
    IllegalArgumentException,
    RemoteError,
    YarnException,
)
from yarnemu.web.errors import BadRequestException, NotFoundException, WebError

__all__ = [
    "bad_request",
    "not_found",
    "no_enum_constant",
    "MethodNotAllowedException",
    "UnreadableEntityException",
    "InternalServerError",
    "web_error",
]

_WRAPPED = "java.lang.Exception: "
_NOT_FOUND_CAUSES = (
    ApplicationNotFoundException,
    ApplicationAttemptNotFoundException,
    ContainerNotFoundException,
)


def bad_request(message):
    """:return: a 400 ``BadRequestException`` as ``new BadRequestException(message)``."""
    return BadRequestException(_WRAPPED + message)


def not_found(message):
    """:return: a 404 ``NotFoundException`` as ``new NotFoundException(message)``."""
    return NotFoundException(_WRAPPED + message)


def no_enum_constant(enum_class, text):
    """
    :return: the ``IllegalArgumentException`` of Java's ``Enum.valueOf`` for a name the enum
        does not have (400).
    """
    return IllegalArgumentException(
        f"No enum constant org.apache.hadoop.yarn.api.records.{enum_class}.{text}"
    )


class MethodNotAllowedException(WebError):
    """405: the path exists, but not for this method."""

    status = 405
    java_class = "javax.ws.rs.WebApplicationException"


class UnreadableEntityException(WebError):
    """400: a request body that is not the JSON the resource reads."""

    status = 400
    java_class = "javax.ws.rs.WebApplicationException"


class InternalServerError(WebError):
    """500: a failure of the emulator itself."""

    status = 500
    java_class = "javax.ws.rs.WebApplicationException"


def web_error(error):
    """
    :param Exception error: what a handler raised.
    :return: the :class:`~yarnemu.web.errors.WebError` or ``RemoteError`` to answer with, and
        its HTTP status, as ``(status, error)``.
    """
    if isinstance(error, WebError):
        return error.status, error
    if isinstance(error, _NOT_FOUND_CAUSES):
        return 404, NotFoundException(f"{error.java_class}: {error.message}")
    if isinstance(error, IllegalArgumentException):
        return 400, error
    if isinstance(error, YarnException):
        return 400, bad_request(error.message)
    if isinstance(error, RemoteError):
        return 500, error
    return 500, InternalServerError(f"{type(error).__name__}: {error}")
