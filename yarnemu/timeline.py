"""
Timelines: the event stream told as text a person can follow — virtual time since the start,
the component, the id concerned, and what happened.
"""

from yarnemu.events import LogRecorded

__all__ = ["format_offset", "format_event", "TimelinePrinter"]


def format_offset(milliseconds):
    """:return: ``+HH:MM:SS.mmm`` (hours only when needed) for an offset in ms."""
    sign = "-" if milliseconds < 0 else "+"
    milliseconds = abs(int(milliseconds))
    seconds, millis = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"
    return f"{sign}{minutes:02d}:{seconds:02d}.{millis:03d}"


def format_event(event, start_ms):
    """:return: one timeline line for ``event``, with times relative to ``start_ms``."""
    return (f"{format_offset(event.time - start_ms):>12}  {event.component:<9} "
            f"{event.subject():<40} {event.describe()}")


class TimelinePrinter:
    """
    A listener for an :class:`~yarnemu.events.EventLog` that writes each event as a timeline line.

    :param stream: a text stream.
    :param int start_ms: the time shown as ``+00:00.000``.
    :param kinds: event kinds to show (``None``: all but the NodeManagers' own container states,
        which repeat what the RM's view says).
    :param select: instead of ``kinds``, a predicate choosing the events to show.
    """

    DEFAULT_HIDDEN = frozenset({"nm.container.state"})

    def __init__(self, stream, start_ms, kinds=None, select=None):
        if kinds is not None and select is not None:
            raise ValueError("give kinds or select, not both")
        self._stream = stream
        self._start = start_ms
        self._kinds = kinds
        self._select = select

    def __call__(self, event):
        if self._select is not None:
            if not self._select(event):
                return
        elif self._kinds is not None:
            if event.kind not in self._kinds:
                return
        elif event.kind in self.DEFAULT_HIDDEN and not isinstance(event, LogRecorded):
            return
        self._stream.write(format_event(event, self._start) + "\n")
