"""
:class:`FileRangeProducer`: streams a range of an open file as a response body, a chunk at a time,
pausing whenever the connection's send buffer is full, so that reading a 200 MB file never holds
more than a chunk or two in memory.

It is a push producer driven by the transport alone (no cooperator, no timers): it writes until
the transport asks it to pause and carries on when asked to resume.
"""

from twisted.internet.interfaces import IPushProducer
from twisted.logger import Logger
from zope.interface import implementer

__all__ = ["CHUNK_SIZE", "FileRangeProducer"]

CHUNK_SIZE = 64 * 1024
"""Bytes read and written at a time."""


@implementer(IPushProducer)
class FileRangeProducer:
    """
    Writes ``length`` bytes of ``stream`` from its current position to ``request``, then
    finishes the request; closes ``stream`` when done, stopped or disconnected.  If the file
    ends early or cannot be read, the connection is dropped (the client sees a body shorter than
    its ``Content-Length``).

    :param request: a ``twisted.web`` request whose status and headers are set.
    :param stream: a binary file object, positioned at the range's start.
    :param int length: how many bytes to send.
    """

    _log = Logger()

    def __init__(self, request, stream, length, chunk_size=CHUNK_SIZE):
        self._request = request
        self._stream = stream
        self._remaining = length
        self._chunk_size = chunk_size
        self._paused = False
        self._producing = False
        self._done = False

    def start(self):
        """Register with the request and start writing."""
        self._request.registerProducer(self, True)
        self._request.notifyFinish().addBoth(self._request_finished)
        self.resumeProducing()

    def pauseProducing(self):
        self._paused = True

    def resumeProducing(self):
        self._paused = False
        if self._producing:
            return
        self._producing = True
        try:
            while not self._paused and not self._done:
                self._write_one()
        finally:
            self._producing = False

    def stopProducing(self):
        self._close()

    def _write_one(self):
        if self._remaining == 0:
            self._close()
            self._request.unregisterProducer()
            self._request.finish()
            return
        try:
            chunk = self._stream.read(min(self._chunk_size, self._remaining))
        except OSError as error:
            self._log.warn("Cannot read the file being sent: {error}", error=error)
            chunk = b""
        if not chunk:
            self._close()
            self._request.unregisterProducer()
            self._request.loseConnection()
            return
        self._remaining -= len(chunk)
        self._request.write(chunk)

    def _request_finished(self, result):
        # Finished by us, or the connection was lost: either way there is nothing more to send.
        self._close()
        return None

    def _close(self):
        if not self._done:
            self._done = True
            self._stream.close()
