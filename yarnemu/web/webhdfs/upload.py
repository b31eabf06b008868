"""
Request bodies streamed to disk: :class:`SpoolingRequest` writes a body that is chunked or at least
:data:`IN_MEMORY_LIMIT` bytes long to a named spool file in the site's spool directory as it
arrives, so that a 200 MB upload never sits in memory; smaller bodies stay in memory.

The spool file is removed on every path: when the request has been processed (the resource hands
the open file to :meth:`yarnemu.dfs.FakeHDFS.create` or ``append``, which copy it into place
before returning), and when the connection drops before the body is complete.  If the spool file
cannot be created or written (a full disk), the rest of the body is read and dropped, and the
request carries the error in :attr:`SpoolingRequest.spool_error` for the resource to answer.
"""

import io
import os
import tempfile

from twisted.logger import Logger
from twisted.web.server import Request

__all__ = ["IN_MEMORY_LIMIT", "SPOOL_PREFIX", "SpoolingRequest"]

IN_MEMORY_LIMIT = 100_000
"""Bodies that declare a ``Content-Length`` below this many bytes are kept in memory."""

SPOOL_PREFIX = "webhdfs-upload-"
"""The name prefix of spool files."""


class _Discard(io.RawIOBase):
    """A body sink that keeps nothing: reads as empty."""

    def writable(self):
        return True

    def readable(self):
        return True

    def write(self, data):
        return len(data)

    def readinto(self, buffer):
        return 0

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        return 0

    def tell(self):
        return 0


class SpoolingRequest(Request):
    """
    A ``twisted.web`` request whose large or chunked body goes to a named spool file in
    ``channel.site.spool_dir``.

    It never adds a ``Content-Type`` of its own (``twisted.web`` would add ``text/html``), so a
    JSON answer can go out without one, and it never parses bodies as form submissions.

    :ivar spool_path: the spool file's path while there is one, else ``None``.
    :ivar spool_error: the ``OSError`` that stopped the body being spooled, or ``None``.
    """

    defaultContentType = None
    _log = Logger()

    def __init__(self, channel, *args, **kwargs):
        kwargs.setdefault("parsePOSTFormSubmission", False)
        super().__init__(channel, *args, **kwargs)
        self.spool_path = None
        self.spool_error = None

    def gotLength(self, length):
        if length is not None and length < IN_MEMORY_LIMIT:
            self.content = io.BytesIO()
            return
        try:
            self.content = tempfile.NamedTemporaryFile(
                prefix=SPOOL_PREFIX, dir=self.channel.site.spool_dir, delete=False)
        except OSError as error:
            self._spool_failed(error)
        else:
            self.spool_path = self.content.name

    def handleContentChunk(self, data):
        try:
            self.content.write(data)
        except OSError as error:
            self._spool_failed(error)

    def process(self):
        try:
            super().process()
        finally:
            self.discard_body()

    def connectionLost(self, reason):
        super().connectionLost(reason)
        self.discard_body()

    def discard_body(self):
        """Close the body and remove its spool file, if any (idempotent)."""
        if self.content is not None:
            self.content.close()
        path, self.spool_path = self.spool_path, None
        if path is not None:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError as error:
                self._log.warn("Cannot remove the spool file {path}: {error}",
                               path=path, error=error)

    def _spool_failed(self, error):
        self._log.warn("Cannot spool a request body: {error}", error=error)
        self.spool_error = error
        self.discard_body()
        self.content = _Discard()
