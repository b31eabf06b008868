"""
:class:`Dispatcher`: accepts JobGraphs and starts a :class:`~flinkyarn.runtime.jobmaster.job_master.JobMaster`
for each, keeps finished jobs for their results, and shuts a per-job cluster down as Flink's
``MiniDispatcher`` does.

- **Session** (``StandaloneDispatcher``): any number of jobs; the cluster stops only on a shutdown
  request.
- **Per-job** (``MiniDispatcher``): one job; when it is globally terminal the cluster shuts down
  with the job's status if it was cancelled or the cluster runs DETACHED; in NORMAL (attached)
  mode it waits until someone retrieves the job result ("Shutting down cluster because someone
  retrieved the job result.").
- **Application**: jobs come from the application's ``main()`` (see
  :mod:`flinkyarn.runtime.dispatcher.application_bootstrap`), which decides the shutdown.
- **Driver** (FLIP-40 on a per-job cluster): the cluster's first job is a driver job whose
  ``main()`` submits more jobs here; once the driver job and every other job are globally
  terminal the cluster shuts down with the driver job's status — at once when DETACHED, in
  NORMAL mode once someone retrieved the driver job's result (or it was cancelled).  A driver job
  that FAILED or was CANCELED has the jobs still running cancelled.

Once the cluster is shutting down the Dispatcher takes no more jobs (Flink's would until its
process stops, and then lose them).

Stop-with-savepoint is an asynchronous operation (``DispatcherCachedOperationsHandler``): it is
registered under its trigger id and job id — once; the same key again is the same operation —
and its result is asked for with that key
(:mod:`~flinkyarn.runtime.dispatcher.operation_cache`).  A job that is not running (unknown, or
already globally terminal) makes the operation fail with ``FlinkJobNotFoundException``.  Before
the cluster shuts down, the Dispatcher waits until every operation's result has been read (or
``rest.async.store-duration`` passed), so that a client stopping the job of a per-job or
application cluster gets its savepoint path.
"""

from twisted.internet.defer import Deferred, fail, succeed

from flinkyarn.runtime.dispatcher.operation_cache import (
    DEFAULT_STORE_DURATION_MS,
    STORE_DURATION_KEY,
    CompletedOperationCache,
)
from flinkyarn.runtime.errors import (
    DuplicateJobSubmissionException,
    FlinkException,
    JobNotFoundException,
    UnknownOperationKeyException,
)
from flinkyarn.runtime.gateways import DISPATCHER_NAME
from flinkyarn.runtime.jobmaster.job_master import JobMaster
from flinkyarn.states import ApplicationStatus, JobStatus

__all__ = ["Dispatcher", "SESSION", "PER_JOB", "APPLICATION", "DRIVER"]

SESSION = "session"
PER_JOB = "per-job"
APPLICATION = "application"
DRIVER = "driver"

_LOGGER = "org.apache.flink.runtime.dispatcher.StandaloneDispatcher"
_MINI = "org.apache.flink.runtime.dispatcher.MiniDispatcher"
_OPERATION_CACHE = "org.apache.flink.runtime.rest.handler.async.CompletedOperationCache"


class Dispatcher:
    """
    :param rpc_service: the JobManager process's RPC service.
    :param config: the cluster's configuration.
    :param log: the process's log; ``clock`` its scoped clock; ``events`` the cluster's events.
    :param application_id: the YARN application; ``resource_id`` the JobManager's ResourceID.
    :param str resource_manager_address: where the ResourceManager is.
    :param ids: an :class:`~flinkyarn.ids.IdGenerator`.
    :param on_shutdown: ``(ApplicationStatus, diagnostics)``: the cluster must shut down.
    :param str mode: :data:`SESSION`, :data:`PER_JOB`, :data:`APPLICATION` or :data:`DRIVER`.
    :param bool detached: the per-job cluster runs DETACHED (``internal.cluster.execution-mode``).
    :param savepoint_storage: the process's
        :class:`~flinkyarn.runtime.jobmaster.savepoint_storage.SavepointStorage` (``None``: jobs
        cannot take savepoints).

    :ivar jobs: job id → JobMaster, oldest first (finished jobs stay, for their results).
    """

    def __init__(self, rpc_service, config, log, clock, events, application_id, resource_id,
                 resource_manager_address, ids, on_shutdown, mode=SESSION, detached=True,
                 savepoint_storage=None):
        self._rpc = rpc_service
        self._config = config
        self._log = log
        self._clock = clock
        self._events = events
        self.application_id = application_id
        self.resource_id = resource_id
        self._rm_address = resource_manager_address
        self._ids = ids
        self._on_shutdown = on_shutdown
        self.mode = mode
        self.detached = detached
        self.jobs = {}
        self._result_waiters = {}
        self._cancelled = set()
        self._shutting_down = False
        self._driver_result_retrieved = False
        self._savepoint_storage = savepoint_storage
        store_duration = config.get_duration(STORE_DURATION_KEY, None)
        self._operations = CompletedOperationCache(
            clock, store_duration.millis if store_duration is not None
            else DEFAULT_STORE_DURATION_MS,
            lambda message: log.info(_OPERATION_CACHE, message))
        self.address = None

    def start(self):
        self.address = self._rpc.start_server(self, DISPATCHER_NAME)

    # IDispatcherGateway

    def submit_job(self, job_graph):
        """
        :raise DuplicateJobSubmissionException: for a job id already known.
        :raise FlinkException: once the cluster is shutting down.
        :return: the job id.
        """
        job_id = job_graph.job_id
        if job_id in self.jobs:
            raise DuplicateJobSubmissionException("Job has already been submitted.")
        if self._shutting_down:
            raise FlinkException(f"Cannot submit job {job_id}: the cluster is shutting down.")
        self._log.info(_LOGGER, f"Received JobGraph submission '{job_graph.name}' ({job_id}).")
        self._log.info(_LOGGER, f"Submitting job '{job_graph.name}' ({job_id}).")
        now = int(round(self._clock.seconds() * 1000))
        master = JobMaster(
            self._rpc, job_graph, self._config, self._log, self._clock, self._events,
            self.application_id, self.resource_id, self._rm_address, self._ids,
            self._job_terminated, now, savepoint_storage=self._savepoint_storage,
        )
        self.jobs[job_id] = master
        master.start()
        return job_id

    def list_jobs(self):
        return [(job_id, master.status) for job_id, master in self.jobs.items()]

    def request_job_status(self, job_id):
        return self._job(job_id).status

    def request_job(self, job_id):
        """:return: the job's JobMaster (live or finished), for the REST views."""
        return self._job(job_id)

    def request_job_result(self, job_id):
        """
        :return: a Deferred firing with the ``JobResult`` once the job is globally terminal.  A
            per-job cluster in NORMAL mode shuts down once it has served a result.
        """
        master = self._job(job_id)
        if master.status.is_globally_terminal:
            result = succeed(master.job_result())
        else:
            result = Deferred()
            self._result_waiters.setdefault(job_id, []).append(result)
        if self.mode == PER_JOB:
            if self.detached:
                self._log.info(_MINI, "Not shutting down cluster after someone retrieved the job "
                                      "result.")
            else:
                result.addCallback(self._result_retrieved)
        elif self.mode == DRIVER and not self.detached and job_id == next(iter(self.jobs)):
            result.addCallback(self._driver_result_served)
        return result

    def cancel_job(self, job_id):
        master = self._job(job_id)
        self._cancelled.add(job_id)
        master.cancel()

    def shut_down_cluster(self, application_status):
        self._shut_down(application_status, "")

    # Asynchronous operations

    def new_trigger_id(self):
        """:return: a new random ``TriggerId`` (32 hexadecimal digits)."""
        return f"{self._ids.getrandbits(128):032x}"

    def stop_with_savepoint(self, trigger_id, job_id, target_directory, drain=False):
        """
        Register the stop-with-savepoint of ``job_id`` under ``trigger_id`` (once per key).

        :raise IllegalStateException: once the cluster is shutting down.
        """
        key = (trigger_id, job_id)
        if not self._operations.contains(key):
            self._operations.register(key, lambda: self._stop_job_with_savepoint(
                job_id, target_directory, drain))

    def _stop_job_with_savepoint(self, job_id, target_directory, drain):
        master = self.jobs.get(job_id)
        if master is None or master.status.is_globally_terminal:
            return fail(JobNotFoundException(f"Could not find Flink job ({job_id})"))
        return master.stop_with_savepoint(target_directory, drain)

    def savepoint_status(self, trigger_id, job_id):
        """
        :return: the :class:`~flinkyarn.runtime.dispatcher.operation_cache.OperationResult` of
            the savepoint operation (its location, or its error).
        :raise UnknownOperationKeyException: if there is none under that key.
        """
        result = self._operations.get((trigger_id, job_id))
        if result is None:
            raise UnknownOperationKeyException(
                f"No ongoing operations for AsynchronousJobOperationKey{{triggerId={trigger_id}, "
                f"jobId={job_id}}}")
        return result

    # Jobs ending

    def _job(self, job_id):
        master = self.jobs.get(job_id)
        if master is None:
            raise JobNotFoundException(f"Could not find Flink job ({job_id})")
        return master

    def _job_terminated(self, master):
        status = master.status
        self._log.info(_MINI if self.mode == PER_JOB else _LOGGER,
                       f"Job {master.job_id} reached globally terminal state {status.value}.")
        result = master.job_result()
        if self.mode == PER_JOB:
            cancelled = master.job_id in self._cancelled
            if cancelled or self.detached:
                # MiniDispatcher#jobReachedGloballyTerminalState: the job's own status is logged.
                self._log.info(_MINI, (
                    f"Shutting down cluster with state {status.value}, jobCancelled: "
                    f"{str(cancelled).lower()}, executionMode: "
                    f"{'DETACHED' if self.detached else 'NORMAL'}"))
                self._shut_down(ApplicationStatus.from_job_status(status), "")
        for waiter in self._result_waiters.pop(master.job_id, []):
            waiter.callback(result)
        if self.mode == DRIVER:
            if master is next(iter(self.jobs.values())) and status is not JobStatus.FINISHED:
                self._cancel_jobs_of_driver(master)
            self._shut_down_driver_cluster_when_done()

    def _result_retrieved(self, result):
        """MiniDispatcher#requestJobResult in NORMAL mode: a served result ends the cluster."""
        if not self._shutting_down:
            self._log.info(_MINI, "Shutting down cluster because someone retrieved the job "
                                  "result.")
            status = ApplicationStatus.FAILED if result.error is not None else \
                ApplicationStatus.SUCCEEDED
            # Let the result reach the client before the cluster goes.
            self._clock.callLater(0, self._shut_down, status, "")
        return result

    def _cancel_jobs_of_driver(self, driver):
        """DRIVER mode: a driver that failed or was cancelled leaves none of its jobs behind
        (its task cancels them; should it have died with its TaskManager, this does)."""
        for master in list(self.jobs.values()):
            if master is not driver and not master.status.is_globally_terminal:
                self._log.info(_MINI, f"Cancelling job {master.job_id}: the driver job "
                                      f"{driver.job_id} is {driver.status.value}.")
                self.cancel_job(master.job_id)

    def _driver_result_served(self, result):
        self._driver_result_retrieved = True
        # Let the result reach the client before the cluster goes.
        self._clock.callLater(0, self._shut_down_driver_cluster_when_done)
        return result

    def _shut_down_driver_cluster_when_done(self):
        """DRIVER mode: once the driver job and all it submitted are done, shut down."""
        driver = next(iter(self.jobs.values()), None)
        if driver is None or self._shutting_down or not all(
                master.status.is_globally_terminal for master in self.jobs.values()):
            return
        cancelled = driver.job_id in self._cancelled
        if not (self.detached or cancelled or self._driver_result_retrieved):
            return
        status = driver.status
        self._log.info(_MINI, (
            f"Shutting down cluster with state {status.value}, jobCancelled: "
            f"{str(cancelled).lower()}, executionMode: "
            f"{'DETACHED' if self.detached else 'NORMAL'}"))
        self._shut_down(ApplicationStatus.from_job_status(status), "")

    def _shut_down(self, status, diagnostics):
        if self._shutting_down:
            return
        self._shutting_down = True
        # DispatcherResourceManagerComponent: operation results are consumed first.
        self._operations.close().addCallback(
            lambda _: self._on_shutdown(status, diagnostics))
