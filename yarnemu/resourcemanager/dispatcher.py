"""
:class:`Dispatcher`: the RM's event queue, as Hadoop's ``AsyncDispatcher`` but synchronous.

Events are handled one at a time in the order they were dispatched, each to completion, so a
handler that dispatches further events never re-enters another handler: they queue behind it.
Everything a dispatch triggers is handled before ``dispatch`` returns, at the same virtual time.
"""

from collections import deque

__all__ = ["Dispatcher"]


class Dispatcher:
    def __init__(self):
        self._queue = deque()
        self._draining = False

    def dispatch(self, handler, event, payload=None):
        """
        Queue ``handler(event, payload)`` and, unless a drain is already in progress further up
        the stack, handle the queue until it is empty.

        An exception from a handler propagates; the events still queued stay queued and are
        handled by the next dispatch.
        """
        self._queue.append((handler, event, payload))
        if self._draining:
            return
        self._draining = True
        try:
            queue = self._queue
            while queue:
                handler, event, payload = queue.popleft()
                handler(event, payload)
        finally:
            self._draining = False
