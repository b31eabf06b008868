"""
:class:`ActiveWorkers`: the workers of an active ResourceManager (Flink's
``ActiveResourceManager``): it starts and stops workers through the driver so that, per worker
spec, the workers it has (requested, starting or registered) match what the slot manager
declares.

- **More needed**: "need request N new workers, …", then per worker "Requesting new worker with
  resource spec …, current pending count: …" and a driver request.  A worker that registers is no
  longer pending ("Worker … is registered.").
- **Fewer needed** ("need release N workers, current worker number …, declared worker number …"):
  released in order: workers the slot manager no longer wants, then requests not yet allocated
  (cancelled), then started workers that have not registered, then registered ones.
- **Registration timeout**: a started worker that has not registered within
  ``resourcemanager.taskmanager-registration.timeout`` is stopped and replaced if still needed.
- **Start failures**: a failed request or a worker that ends before registering counts against
  ``resourcemanager.start-worker.max-failure-rate`` (per minute); reaching it pauses new requests
  for ``resourcemanager.start-worker.retry-interval``.
"""

from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure

from flinkyarn.runtime.errors import FlinkExpectedException
from flinkyarn.runtime.resourcemanager.log_text import java_duration_text
from flinkyarn.runtime.resourcemanager.threshold_meter import ThresholdMeter

__all__ = ["ActiveWorkers"]

_LOGGER = "org.apache.flink.runtime.resourcemanager.active.ActiveResourceManager"
_UNWANTED = "slot manager has determined that the resource is no longer needed"
_NOT_NEEDED = "resource is no longer needed"


class ActiveWorkers:
    """
    :param clock: the JobManager process's clock.
    :param log: its :class:`~flinkyarn.runtime.process.FlinkLog`.
    :param driver: the :class:`~flinkyarn.runtime.resourcemanager.driver.
        IResourceManagerDriver`.
    :param process_spec_of: ``WorkerResourceSpec → TaskExecutorProcessSpec``.
    :param registration_timeout: ``resourcemanager.taskmanager-registration.timeout`` (a
        ``Duration``).
    :param float max_failure_rate: ``resourcemanager.start-worker.max-failure-rate``.
    :param retry_interval: ``resourcemanager.start-worker.retry-interval`` (a ``Duration``).
    :param close_connection: ``(resource_id, cause)``: close a worker's TaskExecutor connection
        (the ResourceManager's part of releasing a registered worker).
    """

    def __init__(self, clock, log, driver, *, process_spec_of, registration_timeout,
                 max_failure_rate, retry_interval, close_connection):
        self._clock = clock
        self._log = log
        self._driver = driver
        self._process_spec_of = process_spec_of
        self._registration_timeout = registration_timeout
        self._retry_interval = retry_interval
        self._close_connection = close_connection
        self._failures = ThresholdMeter(clock, max_failure_rate)
        self.workers = {}
        self._specs = {}
        self._pending = {}
        self._total = {}
        self._unallocated = {}
        self._unregistered = {}
        self._previous_unregistered = {}
        self._timeouts = {}
        self._declarations = ()
        self._cool_down = None
        self._check_after_cool_down = False
        self.stopped = False

    # Lifecycle

    def start(self):
        """Nothing to start: workers come with the slot manager's declarations."""

    def stop(self):
        self.stopped = True
        for call in self._timeouts.values():
            if call.active():
                call.cancel()
        self._timeouts.clear()
        if self._cool_down is not None and self._cool_down.active():
            self._cool_down.cancel()
        self._cool_down = None

    # Declarations

    def declare(self, declarations):
        """The slot manager's new ``ResourceDeclaration`` values: reconcile with them."""
        self._declarations = tuple(declarations)
        self.check_declarations()

    def check_declarations(self):
        """Request or release workers until each spec has as many as declared."""
        if self.stopped:
            return
        for declaration in self._declarations:
            spec = declaration.spec
            declared = declaration.num_needed
            current = self._total.get(spec, 0)
            if current > declared:
                self._log.info(_LOGGER, f"need release {current - declared} workers, current "
                                        f"worker number {current}, declared worker number "
                                        f"{declared}")
                self._release(declaration, current - declared)
            elif current < declared:
                if self._cool_down is not None:
                    self._check_after_cool_down = True
                    continue
                self._log.info(_LOGGER, f"need request {declared - current} new workers, current "
                                        f"worker number {current}, declared worker number "
                                        f"{declared}")
                for _ in range(declared - current):
                    self.request_new_worker(spec)

    def request_new_worker(self, spec):
        """Ask the driver for one more worker of ``spec``."""
        pending = self._pending[spec] = self._pending.get(spec, 0) + 1
        self._total[spec] = self._total.get(spec, 0) + 1
        self._log.info(_LOGGER, f"Requesting new worker with resource spec {spec}, current "
                                f"pending count: {pending}.")
        request = self._driver.request_resource(self._process_spec_of(spec))
        self._unallocated[request] = spec
        request.addBoth(self._requested, request, spec)

    # Workers

    def spec_of(self, resource_id):
        """:return: the ``WorkerResourceSpec`` a worker was requested with, or ``None``."""
        return self._specs.get(resource_id)

    def accept_registration(self, resource_id):
        """:return: the worker registering as ``resource_id``, or ``None`` if it is not ours."""
        return self.workers.get(resource_id)

    def on_worker_registered(self, resource_id, spec):
        """A worker's TaskExecutor registered its slots."""
        worker = self.workers.get(resource_id)
        self._log.info(_LOGGER, f"Worker {worker or resource_id} is registered.")
        self._cancel_timeout(resource_id)
        self._previous_unregistered.pop(resource_id, None)
        if resource_id not in self._specs:
            self._specs[resource_id] = spec
            self._total[spec] = self._total.get(spec, 0) + 1
            self._log.info(_LOGGER, f"Recovered worker {worker or resource_id} with resource "
                                    f"spec {spec} registered")
        if self._unregistered.pop(resource_id, None) is not None:
            spec = self._specs[resource_id]
            pending = self._pending[spec] = self._pending[spec] - 1
            self._log.info(_LOGGER, f"Worker {worker or resource_id} with resource spec {spec} "
                                    "was requested in current attempt. Current pending count "
                                    f"after registering: {pending}.")

    def on_previous_attempt_workers_recovered(self, workers):
        self._log.info(_LOGGER, f"Recovered {len(workers)} workers from previous attempt.")
        for worker in workers:
            resource_id = worker.resource_id
            self.workers[resource_id] = worker
            self._previous_unregistered[resource_id] = True
            self._schedule_timeout(resource_id)
            self._log.info(_LOGGER, f"Worker {worker} recovered from previous attempt.")

    def on_worker_terminated(self, resource_id):
        """
        A worker ended.  One that had not registered counts as a failed start.

        :return: whether it was one of ours (its state is now cleared).
        """
        if resource_id in self._unregistered:
            self._record_failure()
        return self._clear(resource_id)

    def stop_worker(self, resource_id):
        """Stop a worker through the driver and forget it ("Stopping worker …")."""
        worker = self.workers.get(resource_id)
        self._log.info(_LOGGER, f"Stopping worker {worker or resource_id}.")
        if worker is not None:
            self._driver.release_resource(worker)
        self._clear(resource_id)

    # Views

    @property
    def pending_count(self):
        """Workers requested (or started) that have not registered yet."""
        return sum(self._pending.values())

    @property
    def total_count(self):
        """Workers requested, started or registered."""
        return sum(self._total.values())

    @property
    def requested_count(self):
        """Requests the driver has not answered with a worker yet."""
        return len(self._unallocated)

    def is_registered(self, resource_id):
        return resource_id in self.workers and resource_id not in self._unregistered \
            and resource_id not in self._previous_unregistered

    # Internals

    def _requested(self, result, request, spec):
        self._unallocated.pop(request, None)
        if isinstance(result, Failure):
            pending = self._pending[spec] = self._pending[spec] - 1
            self._total[spec] -= 1
            if result.check(CancelledError):
                self._log.info(_LOGGER, f"Requesting worker with resource spec {spec} canceled, "
                                        f"current pending count: {pending}")
                return None
            error = result.value
            self._log.warn(_LOGGER, f"Failed requesting worker with resource spec {spec}, "
                                    f"current pending count: {pending} "
                                    f"{getattr(error, 'message', None) or error}")
            self._record_failure()
            self.check_declarations()
            return None
        worker = result
        resource_id = worker.resource_id
        self.workers[resource_id] = worker
        self._specs[resource_id] = spec
        self._unregistered[resource_id] = True
        self._schedule_timeout(resource_id)
        self._log.info(_LOGGER, f"Requested worker {worker} with resource spec {spec}.")
        return None

    def _release(self, declaration, count):
        spec = declaration.spec
        for resource_id in declaration.unwanted:
            if count <= 0:
                return
            if self._release_worker(resource_id, FlinkExpectedException(_UNWANTED)):
                count -= 1
        for request, requested_spec in list(self._unallocated.items()):
            if count <= 0:
                return
            if requested_spec == spec:
                request.cancel()
                count -= 1
        for candidates in (list(self._unregistered), list(self.workers)):
            for resource_id in candidates:
                if count <= 0:
                    return
                if self._specs.get(resource_id) != spec:
                    continue
                if self._release_worker(resource_id, FlinkExpectedException(_NOT_NEEDED)):
                    count -= 1

    def _release_worker(self, resource_id, cause):
        if resource_id not in self.workers:
            return False
        self.stop_worker(resource_id)
        self._close_connection(resource_id, cause)
        return True

    def _clear(self, resource_id):
        self._cancel_timeout(resource_id)
        worker = self.workers.pop(resource_id, None)
        self._previous_unregistered.pop(resource_id, None)
        if worker is None:
            return False
        spec = self._specs.pop(resource_id, None)
        if spec is not None:
            self._total[spec] -= 1
            if self._unregistered.pop(resource_id, None) is not None:
                pending = self._pending[spec] = self._pending[spec] - 1
                self._log.info(_LOGGER, f"Worker {worker} with resource spec {spec} was "
                                        "requested in current attempt and has not registered. "
                                        f"Current pending count after removing: {pending}.")
        return True

    def _schedule_timeout(self, resource_id):
        self._cancel_timeout(resource_id)
        self._timeouts[resource_id] = self._clock.callLater(
            self._registration_timeout.seconds, self._registration_timed_out, resource_id)

    def _cancel_timeout(self, resource_id):
        call = self._timeouts.pop(resource_id, None)
        if call is not None and call.active():
            call.cancel()

    def _registration_timed_out(self, resource_id):
        self._timeouts.pop(resource_id, None)
        if resource_id in self._unregistered or resource_id in self._previous_unregistered:
            self._log.warn(_LOGGER, f"Worker {resource_id} did not register in "
                                    f"{java_duration_text(self._registration_timeout)}, will stop "
                                    "it and request a new one if needed.")
            self.stop_worker(resource_id)
            self.check_declarations()

    def _record_failure(self):
        self._failures.mark_event()
        exceeded = self._failures.exceeded()
        if exceeded is None:
            return
        self._log.warn(_LOGGER, f"Reaching max start worker failure rate: {exceeded}")
        if self._cool_down is None:
            self._log.info(_LOGGER, "Will not retry creating worker in "
                                    f"{java_duration_text(self._retry_interval)}.")
            self._cool_down = self._clock.callLater(self._retry_interval.seconds,
                                                    self._cool_down_over)

    def _cool_down_over(self):
        self._cool_down = None
        if self._check_after_cool_down:
            self._check_after_cool_down = False
            self.check_declarations()
