"""
Heartbeats between Flink's components (``heartbeat.interval`` 10 s, ``heartbeat.timeout`` 50 s,
``heartbeat.rpc-failure-threshold`` 2), as Flink's heartbeat managers do them.

- :class:`HeartbeatSender` is the requesting side (the JobMaster towards TaskExecutors, the
  ResourceManager towards TaskExecutors and JobMasters): every interval it asks each monitored
  target for a heartbeat; a target it has not heard from for the timeout has *timed out*, one
  whose heartbeat calls failed ``rpc-failure-threshold`` times in a row is *unreachable*.
- :class:`HeartbeatReceiver` is the answering side (a TaskExecutor towards its JobMasters and
  ResourceManager): a requester that has not asked for the timeout has timed out.

Either way the owner is told once, and the target is no longer monitored.
"""

from yarnemu.timers import GridTimer

__all__ = ["HeartbeatSender", "HeartbeatReceiver", "TIMED_OUT", "UNREACHABLE"]

TIMED_OUT = "timed out"
UNREACHABLE = "unreachable"


class _Target:
    __slots__ = ("request", "on_payload", "timeout_call", "failures")

    def __init__(self, request, on_payload, timeout_call):
        self.request = request
        self.on_payload = on_payload
        self.timeout_call = timeout_call
        self.failures = 0


class HeartbeatSender:
    """
    :param clock: the process's clock.
    :param int interval_ms: ``heartbeat.interval``.
    :param int timeout_ms: ``heartbeat.timeout``.
    :param int failure_threshold: ``heartbeat.rpc-failure-threshold`` (≤ 0 disables it).
    :param on_lost: ``(target_id, TIMED_OUT | UNREACHABLE)``, called once per lost target.
    """

    def __init__(self, clock, interval_ms, timeout_ms, failure_threshold, on_lost):
        self._clock = clock
        self._timeout = timeout_ms / 1000.0
        self._threshold = failure_threshold
        self._on_lost = on_lost
        self._targets = {}
        self._timer = GridTimer(clock, interval_ms, self._request_all)

    def __contains__(self, target_id):
        return target_id in self._targets

    def monitor(self, target_id, request, on_payload=None):
        """
        Start monitoring a target.

        :param request: ``() → Deferred`` asking the target for its heartbeat payload.
        :param on_payload: called with each payload the target answers with.
        """
        self.unmonitor(target_id)
        call = self._clock.callLater(self._timeout, self._lost, target_id, TIMED_OUT)
        self._targets[target_id] = _Target(request, on_payload, call)
        if not self._timer.running:
            self._timer.start()

    def unmonitor(self, target_id):
        target = self._targets.pop(target_id, None)
        if target is not None and target.timeout_call.active():
            target.timeout_call.cancel()
        if not self._targets:
            self._timer.stop()

    def stop(self):
        for target_id in list(self._targets):
            self.unmonitor(target_id)

    def _request_all(self, now_ms):
        for target_id, target in list(self._targets.items()):
            d = target.request()
            d.addCallbacks(self._answered, self._failed, callbackArgs=(target_id, target),
                           errbackArgs=(target_id, target))

    def _answered(self, payload, target_id, target):
        if self._targets.get(target_id) is not target:
            return
        target.failures = 0
        target.timeout_call.reset(self._timeout)
        if target.on_payload is not None:
            target.on_payload(payload)

    def _failed(self, failure, target_id, target):
        if self._targets.get(target_id) is not target:
            return
        target.failures += 1
        if 0 < self._threshold <= target.failures:
            self._lost(target_id, UNREACHABLE)

    def _lost(self, target_id, how):
        if target_id in self._targets:
            self.unmonitor(target_id)
            self._on_lost(target_id, how)


class HeartbeatReceiver:
    """
    :param clock: the process's clock.
    :param int timeout_ms: ``heartbeat.timeout``.
    :param on_lost: ``(requester_id, TIMED_OUT)``, called once per requester gone silent.
    """

    def __init__(self, clock, timeout_ms, on_lost):
        self._clock = clock
        self._timeout = timeout_ms / 1000.0
        self._on_lost = on_lost
        self._calls = {}

    def monitor(self, requester_id):
        """Expect heartbeat requests from ``requester_id`` from now on."""
        self.unmonitor(requester_id)
        self._calls[requester_id] = self._clock.callLater(self._timeout, self._lost, requester_id)

    def received(self, requester_id):
        """A heartbeat request arrived from ``requester_id``."""
        call = self._calls.get(requester_id)
        if call is not None and call.active():
            call.reset(self._timeout)

    def unmonitor(self, requester_id):
        call = self._calls.pop(requester_id, None)
        if call is not None and call.active():
            call.cancel()

    def stop(self):
        for requester_id in list(self._calls):
            self.unmonitor(requester_id)

    def _lost(self, requester_id):
        if self._calls.pop(requester_id, None) is not None:
            self._on_lost(requester_id, TIMED_OUT)
