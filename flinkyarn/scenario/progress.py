"""
:class:`ProgressBar`: a one-line progress bar on a terminal, for runs that take more than a moment.

It stays silent on anything but a terminal (a pipe, a file, a test's capture), and during the
first ``min_wall_seconds`` of wall time, so quick runs print nothing.
"""

import time

__all__ = ["ProgressBar"]

_REDRAW_SECONDS = 0.1


class ProgressBar:
    """
    ``[#########...........]  42%  label``, redrawn in place with ``\\r``.

    :param stream: the text stream to draw on (stderr); nothing is drawn unless
        ``stream.isatty()`` is true.
    :param total: the amount of work that makes 100 % (here virtual milliseconds to run).
    :param str label: text after the percentage.
    :param float min_wall_seconds: draw nothing until this much wall time has passed since the
        bar was created.
    :param wall: a function returning wall time in seconds (``time.monotonic``).
    :param int width: the number of cells of the bar.
    """

    def __init__(self, stream, total, label="", min_wall_seconds=0.5, wall=time.monotonic,
                 width=30):
        self._stream = stream
        self._total = total
        self._label = label
        self._wall = wall
        self._width = width
        try:
            self._enabled = bool(stream.isatty())
        except (AttributeError, ValueError):  # no isatty, or a closed stream
            self._enabled = False
        self._next_draw = wall() + min_wall_seconds if self._enabled else 0.0
        self._line = ""

    def update(self, done):
        """
        Note that ``done`` of ``total`` is done; redraw if the bar is enabled, ``min_wall_seconds``
        have passed and the last redraw is at least 0.1 s of wall time old.  Cheap enough to
        call on every clock step.
        """
        if not self._enabled:
            return
        now = self._wall()
        if now < self._next_draw:
            return
        self._next_draw = now + _REDRAW_SECONDS
        fraction = min(max(done / self._total, 0.0), 1.0) if self._total > 0 else 1.0
        filled = int(fraction * self._width)
        line = f"[{'#' * filled}{'.' * (self._width - filled)}] {int(fraction * 100):3d}%"
        if self._label:
            line += f"  {self._label}"
        if line != self._line:
            padding = " " * max(len(self._line) - len(line), 0)
            self._stream.write(f"\r{line}{padding}")
            self._stream.flush()
            self._line = line

    def finish(self):
        """Clear the bar's line if anything was drawn, and draw nothing more."""
        if self._line:
            self._stream.write(f"\r{' ' * len(self._line)}\r")
            self._stream.flush()
            self._line = ""
        self._enabled = False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.finish()
