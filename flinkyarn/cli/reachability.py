"""
:class:`ReachabilityRecorder`: an :class:`~yarnemu.client.http.IHttpClient` that passes every
request on and remembers the last URL it could not connect to, so that a command failing because
the service is not running can say which address it tried — the errors Twisted's ``Agent``
reports (``Connection refused``) do not name it.

:func:`connection_failure` finds such an error among an exception and its causes.
"""

from twisted.internet import error as internet_error
from zope.interface import implementer

from yarnemu.client.http import IHttpClient
from yarnemu.network import ConnectionRefusedError

__all__ = ["ReachabilityRecorder", "connection_failure", "CONNECTION_ERRORS"]

CONNECTION_ERRORS = (internet_error.ConnectError, internet_error.DNSLookupError,
                     internet_error.TimeoutError, ConnectionRefusedError)
"""What a request that did not get through fails with: Twisted's errors, and the JobManager
REST client's ``ConnectionRefusedError``."""


@implementer(IHttpClient)
class ReachabilityRecorder:
    """
    :param http: the :class:`~yarnemu.client.http.IHttpClient` that sends.

    :ivar unreachable: ``(url, reason)`` of the last request that could not connect, or
        ``None``.
    """

    def __init__(self, http):
        self._http = http
        self.unreachable = None

    def request(self, method, url, body=None, headers=None):
        def not_connected(failure):
            if failure.check(*CONNECTION_ERRORS):
                self.unreachable = (url, _reason(failure.value))
            return failure

        return self._http.request(method, url, body=body, headers=headers).addErrback(
            not_connected)

    def close(self):
        """Close the underlying client's connections (a Deferred), if it keeps any."""
        close = getattr(self._http, "close", None)
        return close() if close is not None else None


def _reason(error):
    if isinstance(error, internet_error.ConnectionRefusedError):
        return "Connection refused"
    text = str(error).strip()
    return text.rstrip(".") or type(error).__name__


def connection_failure(error):
    """
    :return: the first exception among ``error`` and its causes (``__cause__``, else
        ``__context__``) that says a request did not get through, or ``None``.
    """
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, CONNECTION_ERRORS):
            return error
        error = error.__cause__ or error.__context__
    return None
