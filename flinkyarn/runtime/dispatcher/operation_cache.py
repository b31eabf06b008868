"""
:class:`CompletedOperationCache`: the Dispatcher's asynchronous operations (savepoints) and their
results, as Flink's ``CompletedOperationCache`` keeps them for its REST handlers.

- An operation is registered under its key (trigger id, job id) with the Deferred of its result;
  it is in progress until that fires, then its result (a value or an error) is kept for
  ``rest.async.store-duration`` (5 minutes) and evicted.
- Reading a completed result marks it accessed.  :meth:`CompletedOperationCache.close` (the
  cluster shutting down) waits until every operation has completed and its result was read at
  least once — so that ``flink stop`` gets the savepoint path of a per-job or application
  cluster that ends with the job — or for the store duration at most; then no operation can be
  registered any more.
"""

from attrs import frozen
from twisted.internet.defer import Deferred, maybeDeferred, succeed

from flinkyarn.graph.errors import IllegalStateException

__all__ = ["CompletedOperationCache", "OperationResult", "IN_PROGRESS", "SUCCESS", "FAILURE",
           "STORE_DURATION_KEY", "DEFAULT_STORE_DURATION_MS"]

IN_PROGRESS = "IN_PROGRESS"
SUCCESS = "SUCCESS"
FAILURE = "FAILURE"

#: ``RestOptions.ASYNC_OPERATION_STORE_DURATION`` and its default.
STORE_DURATION_KEY = "rest.async.store-duration"
DEFAULT_STORE_DURATION_MS = 5 * 60 * 1000


@frozen
class OperationResult:
    """
    :ivar str status: :data:`IN_PROGRESS`, :data:`SUCCESS` or :data:`FAILURE`.
    :ivar value: the result of a successful operation.
    :ivar error: the exception of a failed one.
    """

    status: str
    value: object = None
    error: object = None


class _Entry:
    def __init__(self):
        self.result = OperationResult(IN_PROGRESS)
        self.accessed = False
        self.eviction = None


class CompletedOperationCache:
    """
    :param clock: the process's clock.
    :param int store_duration_ms: how long a completed result is kept (0: for ever).
    :param log: ``(message)``, for evictions and a timed-out close.
    """

    def __init__(self, clock, store_duration_ms=DEFAULT_STORE_DURATION_MS, log=None):
        self._clock = clock
        self._store_duration_ms = store_duration_ms
        self._log = log if log is not None else (lambda message: None)
        self._entries = {}
        self._closing = None
        self._closed = False
        self._close_timer = None

    def register(self, key, operation):
        """
        Start an operation and keep its result under ``key``.

        :param operation: ``() →`` the operation's result or a Deferred of it; called only if
            the cache is open.  If it raises, that is the operation's (failed) result.
        :raise IllegalStateException: once the cache is closed.
        """
        if self._closing is not None:
            raise IllegalStateException("The CompletedOperationCache has already been closed.")
        entry = _Entry()
        self._entries[key] = entry
        maybeDeferred(operation).addCallbacks(self._completed, self._failed,
                                              callbackArgs=(entry, key), errbackArgs=(entry, key))

    def contains(self, key):
        return key in self._entries

    def get(self, key):
        """:return: the key's :class:`OperationResult` (read), or ``None`` for an unknown key."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.result.status != IN_PROGRESS:
            entry.accessed = True
            self._maybe_closed()
        return entry.result

    def close(self):
        """:return: a Deferred firing once every result was read (or the store duration passed)."""
        if self._closing is None:
            self._closing = []
            if self._all_accessed():
                self._closed_now()
            elif self._store_duration_ms:
                self._close_timer = self._clock.callLater(self._store_duration_ms / 1000.0,
                                                          self._close_timed_out)
        if self._closed:
            return succeed(None)
        waiting = Deferred()
        self._closing.append(waiting)
        return waiting

    def _completed(self, value, entry, key):
        self._finish(entry, key, OperationResult(SUCCESS, value=value))

    def _failed(self, failure, entry, key):
        self._finish(entry, key, OperationResult(FAILURE, error=failure.value))

    def _finish(self, entry, key, result):
        entry.result = result
        if self._store_duration_ms and not self._closed:
            entry.eviction = self._clock.callLater(self._store_duration_ms / 1000.0,
                                                   self._evict, key)

    def _evict(self, key):
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._log(f"Evicted result with trigger id {key[0]} because its TTL of "
                      f"{self._store_duration_ms // 1000}s has expired.")
            self._maybe_closed()

    def _close_timed_out(self):
        self._close_timer = None
        self._log(f"Waiting for results to be accessed timed out after "
                  f"{self._store_duration_ms // 1000} seconds.")
        self._closed_now()

    def _all_accessed(self):
        return all(entry.accessed for entry in self._entries.values())

    def _maybe_closed(self):
        if self._closing is not None and not self._closed and self._all_accessed():
            if self._close_timer is not None and self._close_timer.active():
                self._close_timer.cancel()
            self._close_timer = None
            self._closed_now()

    def _closed_now(self):
        """Closed: the results are kept no longer (the process is going away)."""
        self._closed = True
        for entry in self._entries.values():
            if entry.eviction is not None and entry.eviction.active():
                entry.eviction.cancel()
        waiting, self._closing = self._closing, []
        for deferred in waiting:
            deferred.callback(None)
