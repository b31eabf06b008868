"""
:class:`FixedWorkers`: the workers of a standalone ResourceManager (Flink's
``StandaloneResourceManager``), for a standalone session: exactly ``count`` workers are started
when the ResourceManager starts, none is ever requested on demand, replaced or released for being
idle, and every TaskExecutor that registers is accepted.  Requirements the registered slots
cannot meet stay unmet (the JobMaster's ``slot.request.timeout`` then fails the job).
"""

from twisted.python.failure import Failure

__all__ = ["FixedWorkers"]

_LOGGER = "org.apache.flink.runtime.resourcemanager.StandaloneResourceManager"


class FixedWorkers:
    """
    :param clock: the JobManager process's clock.
    :param log: its :class:`~flinkyarn.runtime.process.FlinkLog`.
    :param driver: starts the workers (an ``IResourceManagerDriver``).
    :param int count: how many workers to start.
    :param spec: their ``WorkerResourceSpec``.
    :param process_spec: their ``TaskExecutorProcessSpec``.
    """

    def __init__(self, clock, log, driver, *, count, spec, process_spec):
        self._log = log
        self._driver = driver
        self.count = count
        self._spec = spec
        self._process_spec = process_spec
        self.workers = {}
        self._registered = {}
        self._requests = {}
        self.stopped = False

    def start(self):
        """Start the ``count`` workers (without a driver, someone else starts them)."""
        if self._driver is None:
            return
        for number in range(self.count):
            self._log.info(_LOGGER, f"Requesting new worker with resource spec {self._spec}, "
                                    f"current pending count: {number + 1}.")
            request = self._driver.request_resource(self._process_spec)
            self._requests[request] = True
            request.addBoth(self._requested, request)

    def stop(self):
        self.stopped = True
        for request in list(self._requests):
            request.cancel()

    def declare(self, declarations):
        """A standalone cluster has a fixed size: declarations change nothing."""

    def check_declarations(self):
        """A standalone cluster has a fixed size: nothing to reconcile."""

    def spec_of(self, resource_id):
        """:return: the one spec of a standalone cluster's workers."""
        return self._spec

    def accept_registration(self, resource_id):
        """:return: the worker, or ``resource_id`` itself: a standalone cluster takes anyone."""
        return self.workers.get(resource_id, resource_id)

    def on_worker_registered(self, resource_id, spec):
        self._registered[resource_id] = True
        self._log.info(_LOGGER, f"Worker {self.workers.get(resource_id, resource_id)} is "
                                "registered.")

    def on_previous_attempt_workers_recovered(self, workers):
        for worker in workers:
            self.workers[worker.resource_id] = worker

    def on_worker_terminated(self, resource_id):
        """:return: whether it was one of the started workers (it is not replaced)."""
        self._registered.pop(resource_id, None)
        return self.workers.pop(resource_id, None) is not None

    def stop_worker(self, resource_id):
        worker = self.workers.pop(resource_id, None)
        self._registered.pop(resource_id, None)
        if worker is not None:
            self._log.info(_LOGGER, f"Stopping worker {worker}.")
            self._driver.release_resource(worker)

    @property
    def pending_count(self):
        return len(self._requests) + sum(1 for resource_id in self.workers
                                         if resource_id not in self._registered)

    @property
    def total_count(self):
        return len(self._requests) + len(self.workers)

    @property
    def requested_count(self):
        return len(self._requests)

    def is_registered(self, resource_id):
        return resource_id in self._registered

    def _requested(self, result, request):
        self._requests.pop(request, None)
        if isinstance(result, Failure):
            if not self.stopped:
                self._log.warn(_LOGGER, "Failed requesting worker with resource spec "
                                        f"{self._spec}: {result.getErrorMessage()}")
            return None
        self.workers[result.resource_id] = result
        self._log.info(_LOGGER, f"Requested worker {result} with resource spec {self._spec}.")
        return None
