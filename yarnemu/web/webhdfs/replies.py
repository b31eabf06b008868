"""
What a WebHDFS operation answers, as values: the NameNode and DataNode roles decide a reply, and
:mod:`yarnemu.web.webhdfs.resource` writes it, so that every response is written in one place.
"""

import attrs

from yarnemu.web.errors import remote_exception_body
from yarnemu.web.webhdfs.errors import http_status

__all__ = [
    "OCTET_STREAM",
    "JsonReply",
    "EmptyReply",
    "RedirectReply",
    "FileReply",
    "error_reply",
]

OCTET_STREAM = b"application/octet-stream"


@attrs.frozen
class JsonReply:
    """
    A JSON body.

    :ivar body: the JSON value.
    :ivar int status: the HTTP status.
    :ivar headers: extra ``(name, value)`` header pairs (``bytes``).
    """

    body: object
    status: int = 200
    headers: tuple = ()


@attrs.frozen
class EmptyReply:
    """
    No body (``Content-Length: 0``), as the DataNode answers writes and the NameNode answers
    ``SETOWNER``/``SETPERMISSION``.

    :ivar int status: the HTTP status.
    :ivar headers: extra ``(name, value)`` header pairs (``bytes``).
    """

    status: int = 200
    headers: tuple = ()


@attrs.frozen
class RedirectReply:
    """
    ``307 Temporary Redirect`` to the data URL, as the NameNode answers ``CREATE``, ``APPEND``
    and ``OPEN``.

    :ivar str location: the data URL.
    """

    location: str


@attrs.frozen
class FileReply:
    """
    ``200`` with bytes of a file, as the DataNode answers ``OPEN``.

    :ivar stream: a binary file object positioned at the first byte to send; whoever writes the
        reply closes it.
    :ivar int length: how many bytes to send.
    """

    stream: object
    length: int


def error_reply(error, status=None, headers=()):
    """
    :param RemoteError error: what went wrong.
    :param status: the HTTP status, or ``None`` for :func:`~yarnemu.web.webhdfs.errors.http_status`.
    :return: the :class:`JsonReply` of ``error``'s ``RemoteException``.
    """
    return JsonReply(remote_exception_body(error),
                     http_status(error) if status is None else status, headers)
