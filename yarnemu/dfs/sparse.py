"""
Writing bytes to disk sparsely: chunks made only of zeros become holes.  The content read back is
the same, but a large file of zeros (such as the emulator's stand-in for a distribution's jars)
takes no disk space and almost no time to copy, however often it is uploaded and localized.
"""

import os

__all__ = ["SparseWriter"]


class SparseWriter:
    """
    Writes chunks at a file descriptor's position, leaving holes for zero chunks; :meth:`close`
    sets the file's length (a trailing hole has no bytes on disk to give it one).

    :ivar int written: bytes written so far, holes included.
    """

    def __init__(self, fd):
        self._fd = fd
        self._end = os.lseek(fd, 0, os.SEEK_CUR)
        self.written = 0

    def write(self, chunk):
        """:raise OSError: from the disk."""
        size = len(chunk)
        if chunk.count(0) == size:
            os.lseek(self._fd, size, os.SEEK_CUR)
        else:
            view = memoryview(chunk)
            while view:
                view = view[os.write(self._fd, view):]
        self._end += size
        self.written += size

    def close(self):
        """:raise OSError: from the disk."""
        if os.fstat(self._fd).st_size < self._end:
            os.ftruncate(self._fd, self._end)
