"""
:class:`RetryingRegistration`: how a TaskExecutor registers at the ResourceManager and at each
JobMaster (Flink's ``RetryingRegistration``).

Each attempt waits for an answer for its timeout — ``cluster.registration.initial-timeout``
(100 ms) for the first, twice the previous one for each next, at most
``cluster.registration.max-timeout`` (30 s) — and an attempt without an answer by then is retried
at once with the longer timeout.  A call that cannot reach its target (the process is not up yet,
or is gone) gets no answer: like a message lost on its way, the attempt simply times out.  A
target that answers with an error is asked again after ``cluster.registration.error-delay``
(10 s).  A success or a decline ends the registration.
"""

from flinkyarn.runtime.errors import RpcConnectionException
from flinkyarn.runtime.messages import RegistrationDecline, RegistrationSuccess
from yarnemu.timers import call_later_ms

__all__ = ["RetryingRegistration"]


class RetryingRegistration:
    """
    :param clock: the process's clock.
    :param log: ``(level, message)`` → None, the owner's logger.
    :param str target_name: ``ResourceManager`` or ``JobManager``, for log lines.
    :param str address: the target's RPC address.
    :param invoke: ``() → Deferred`` of one registration call.
    :param configuration: the :class:`~flinkyarn.runtime.taskexecutor.configuration.
        TaskManagerConfiguration` with the back-off settings.
    :param on_success: called with the ``RegistrationSuccess``.
    :param on_decline: called with the ``RegistrationDecline``.
    """

    def __init__(self, clock, log, target_name, address, invoke, configuration, on_success,
                 on_decline):
        self._clock = clock
        self._log = log
        self.target_name = target_name
        self.address = address
        self._invoke = invoke
        self._initial_ms = configuration.initial_registration_timeout_ms
        self._max_ms = configuration.max_registration_timeout_ms
        self._error_delay_ms = configuration.registration_error_delay_ms
        self._on_success = on_success
        self._on_decline = on_decline
        self._sequence = 0
        self._timer = None
        self.canceled = False
        self.done = False

    def start(self):
        """Make the first attempt now."""
        self._log("info", f"Resolved {self.target_name} address, beginning registration")
        self._register(1, self._initial_ms)

    def cancel(self):
        """Stop trying; a late answer is ignored."""
        self.canceled = True
        self._stop_timer()

    def _register(self, attempt, timeout_ms):
        if self.canceled:
            return
        # Each attempt has its own sequence number: a late answer to an earlier one is ignored.
        self._sequence += 1
        sequence = self._sequence
        self._timer = call_later_ms(self._clock, timeout_ms, self._timed_out, sequence, attempt,
                               timeout_ms)
        d = self._invoke()
        d.addCallbacks(self._answered, self._failed, callbackArgs=(sequence,),
                       errbackArgs=(sequence,))

    def _current(self, sequence):
        return not self.canceled and not self.done and sequence == self._sequence

    def _timed_out(self, sequence, attempt, timeout_ms):
        if not self._current(sequence):
            return
        self._log("info", f"Registration at {self.target_name} ({self.address}) attempt "
                          f"{attempt} timed out after {timeout_ms} ms")
        self._register(attempt + 1, min(2 * timeout_ms, self._max_ms))

    def _answered(self, response, sequence):
        if not self._current(sequence):
            return
        self._stop_timer()
        if isinstance(response, RegistrationSuccess):
            self.done = True
            self._on_success(response)
        elif isinstance(response, RegistrationDecline):
            self.done = True
            self._on_decline(response)
        else:
            self._log("error", f"Received unknown response to registration attempt: {response!r}")
            self._retry_later()

    def _failed(self, failure, sequence):
        if not self._current(sequence) or failure.check(RpcConnectionException):
            # Unreachable: no answer comes, and the attempt's timeout retries it.
            return None
        self._stop_timer()
        self._log("error", f"Registration at {self.target_name} failed due to an error: "
                           f"{failure.getErrorMessage()}")
        self._retry_later()
        return None

    def _retry_later(self):
        self._log("info", f"Pausing and re-attempting registration in {self._error_delay_ms} ms")
        self._sequence += 1
        self._timer = call_later_ms(self._clock, self._error_delay_ms, self._register, 1,
                               self._initial_ms)

    def _stop_timer(self):
        if self._timer is not None and self._timer.active():
            self._timer.cancel()
        self._timer = None
