"""
:class:`ClusterClient`: Flink's ``RestClusterClient`` for a cluster on YARN — REST calls to the
JobManager's :class:`~flinkyarn.runtime.gateways.IRestEndpoint` at the host and "RPC port" YARN
reports for the application (the JobManager registers its REST port there), and the YARN-side
kill.

The calls go through a transport (:class:`~flinkyarn.rest.transport.IRestTransport`): over the
cluster's in-process network (:class:`~flinkyarn.rest.transport.InProcessRestTransport`), or over
HTTP (:class:`~flinkyarn.rest.http_transport.RestOverHttp`, e.g. through the RM web proxy).

Each method returns a Deferred.  Job ids travel as their 32-digit strings, as in REST paths;
errors of the endpoint arrive as :class:`~flinkyarn.runtime.gateways.RestHandlerException` (HTTP
status and message), and a JobManager that is gone as a connection error
(:class:`~yarnemu.network.ConnectionRefusedError`, ``ConnectionClosedError``).  As
``RestClusterClient`` does, a request that meets a connection problem or a 503 (Service
Unavailable) is retried ``rest.retry.max-attempts`` times (20), ``rest.retry.delay`` (3000 ms)
apart; any other error fails it at once.
"""

from attrs import frozen
from twisted.internet.defer import inlineCallbacks

from flinkyarn.client.client_log import REST_CLUSTER_CLIENT
from flinkyarn.client.errors import JobSubmissionException
from flinkyarn.graph.errors import FlinkError
from flinkyarn.ids import JobID
from flinkyarn.runtime.gateways import RestHandlerException
from flinkyarn.runtime.messages import JobResult, SerializedThrowable
from flinkyarn.states import ApplicationStatus, JobStatus
from yarnemu.network import ConnectionClosedError, ConnectionRefusedError
from yarnemu.timers import sleep_ms

__all__ = ["ClusterClient", "JobStatusMessage", "job_result_from_rest", "RemoteFlinkException"]

# RestClusterClient polls the execution result with an ExponentialWaitStrategy(10 ms, 2 s).
_RESULT_POLL_INITIAL_MS = 10
_RESULT_POLL_MAX_MS = 2000

# RestOptions.RETRY_MAX_ATTEMPTS and RETRY_DELAY.
RETRY_MAX_ATTEMPTS_KEY = "rest.retry.max-attempts"
RETRY_DELAY_KEY = "rest.retry.delay"
_DEFAULT_RETRY_MAX_ATTEMPTS = 20
_DEFAULT_RETRY_DELAY_MS = 3000
_SERVICE_UNAVAILABLE = 503

_JOB_STATUS_OF = {
    ApplicationStatus.SUCCEEDED: JobStatus.FINISHED,
    ApplicationStatus.FAILED: JobStatus.FAILED,
    ApplicationStatus.CANCELED: JobStatus.CANCELED,
    # A job that ended without reaching a globally terminal state.
    ApplicationStatus.UNKNOWN: JobStatus.SUSPENDED,
}


class RemoteFlinkException(FlinkError):
    """
    An exception the cluster reported as a ``SerializedThrowable`` (e.g. why a savepoint
    failed): its Java class and message as the cluster gave them.
    """

    def __init__(self, java_class, message):
        super().__init__(message)
        self.java_class = java_class

    @classmethod
    def from_rest(cls, value):
        """:param value: ``{"class", "stack-trace", "serialized-throwable"}`` as Flink writes it."""
        java_class = value.get("class") or "java.lang.Throwable"
        trace = value.get("stack-trace") or ""
        prefix = f"{java_class}: "
        return cls(java_class, trace[len(prefix):] if trace.startswith(prefix) else trace)


@frozen
class JobStatusMessage:
    """One job as ``listJobs`` reports it."""

    job_id: JobID
    job_name: str
    job_state: JobStatus
    start_time: int


def job_result_from_rest(body, job_name=""):
    """
    :param body: the ``job-execution-result`` object of ``JobExecutionResultResponseBody``
        (``jobId``, ``applicationStatus``, ``netRuntime``, optional ``serializedThrowable``).
    :return: the :class:`~flinkyarn.runtime.messages.JobResult`.
    """
    status = ApplicationStatus(body["applicationStatus"])
    return JobResult(
        job_id=JobID.parse(body["jobId"]),
        job_name=job_name,
        job_status=_JOB_STATUS_OF[status],
        application_status=status,
        net_runtime_ms=int(body.get("netRuntime", 0)),
        error=_throwable(body.get("serializedThrowable")),
    )


def _throwable(value):
    """A ``SerializedThrowable``: ``{"serialized-throwable": "<class>: <message>"}`` or as is."""
    if value is None or isinstance(value, SerializedThrowable):
        return value
    text = value.get("serialized-throwable", "") if isinstance(value, dict) else str(value)
    exception_class, separator, message = str(text).partition(": ")
    if not separator:
        return SerializedThrowable("java.lang.Throwable", str(text))
    return SerializedThrowable(exception_class, message)


class ClusterClient:
    """
    :param application_id: the cluster's YARN application id.
    :param str host: the JobManager's host (the application report's ``host``).
    :param int port: its REST port (the report's ``rpc_port``).
    :param transport: the :class:`~flinkyarn.rest.transport.IRestTransport` to its REST API.
    :param clock: an ``IReactorTime``.
    :param log: the :class:`~flinkyarn.client.client_log.ClientLog`.
    :param descriptor: the :class:`~flinkyarn.client.cluster_descriptor.YarnClusterDescriptor`
        that deployed or retrieved the cluster (for :meth:`kill_cluster`).
    :param configuration: the client's configuration with the cluster's addresses.
    :param staged: the deployment's :class:`~flinkyarn.client.staging.StagedApplication`
        (``None`` for a retrieved cluster).
    """

    def __init__(self, application_id, host, port, transport, clock, log, descriptor=None,
                 configuration=None, staged=None):
        self.application_id = application_id
        self.host = host
        self.port = port
        self.configuration = configuration
        self.staged = staged
        self.transport = transport
        self._clock = clock
        self._log = log
        self._descriptor = descriptor
        self._job_names = {}
        self._retries = _DEFAULT_RETRY_MAX_ATTEMPTS
        self._retry_delay_ms = _DEFAULT_RETRY_DELAY_MS
        if configuration is not None:
            self._retries = configuration.get_int(RETRY_MAX_ATTEMPTS_KEY, self._retries)
            self._retry_delay_ms = configuration.get_long(RETRY_DELAY_KEY, self._retry_delay_ms)

    @property
    def web_interface_url(self):
        """``http://<host>:<port>``."""
        return f"http://{self.host}:{self.port}"

    @property
    def uploaded_bytes(self):
        """The bytes the deployment uploaded (0 for a retrieved cluster)."""
        return self.staged.bytes_uploaded if self.staged is not None else 0

    # Jobs

    def submit_job(self, job_graph):
        """
        ``POST /jobs`` with the serialized JobGraph.

        :return: a Deferred firing with the job's :class:`~flinkyarn.ids.JobID`.
        :raise JobSubmissionException: ``Failed to submit JobGraph.``, caused by the endpoint's
            error.
        """
        name, job_id = job_graph.name, job_graph.job_id
        self._info(f"Submitting job '{name}' ({job_id}).")

        def submitted(_):
            self._job_names[job_id] = name
            self._info(f"Successfully submitted job '{name}' ({job_id}) to "
                       f"'{self.web_interface_url}'.")
            return job_id

        def attempt_failed(_):
            self._log.warn(f"Attempt to submit job '{name}' ({job_id}) to "
                           f"'{self.web_interface_url}' has failed.", self.application_id,
                           REST_CLUSTER_CLIENT)

        def failed(failure):
            error = JobSubmissionException("Failed to submit JobGraph.")
            raise error from failure.value

        return self._call("submit_job", job_graph.to_bytes(),
                          attempt_failed=attempt_failed).addCallbacks(submitted, failed)

    def list_jobs(self):
        """
        ``GET /jobs/overview``.

        :return: a Deferred firing with a list of :class:`JobStatusMessage`.
        """
        def messages(body):
            return [JobStatusMessage(JobID.parse(job["jid"]), job["name"], JobStatus(job["state"]),
                                     int(job.get("start-time", -1)))
                    for job in body["jobs"]]

        return self._call("get_jobs_overview").addCallback(messages)

    def get_job_status(self, job_id):
        """``GET /jobs/{jobid}/status``; :return: a Deferred firing with the ``JobStatus``."""
        return self._call("get_job_status", str(job_id)).addCallback(
            lambda body: JobStatus(body["status"]))

    def get_job_metrics(self, job_id, *names):
        """
        ``GET /jobs/{jobid}/metrics?get=…``.

        :return: a Deferred firing with metric id → value (a string), for the known ``names``.
        """
        return self._call("get_job_metrics", str(job_id), ",".join(names)).addCallback(
            lambda body: {metric["id"]: metric["value"] for metric in body["metrics"]})

    @inlineCallbacks
    def request_job_result(self, job_id):
        """
        Poll ``GET /jobs/{jobid}/execution-result`` until the job is globally terminal, waiting
        10 ms, 20 ms, ... up to 2 s between polls, as ``RestClusterClient`` does.

        :return: a Deferred firing with the :class:`~flinkyarn.runtime.messages.JobResult`.
        """
        attempt = 0
        while True:
            body = yield self._call("get_job_result", str(job_id))
            if body["status"]["id"] == "COMPLETED":
                return job_result_from_rest(body["job-execution-result"],
                                            self._job_names.get(job_id, ""))
            yield sleep_ms(self._clock, min(_RESULT_POLL_INITIAL_MS * 2 ** attempt,
                                         _RESULT_POLL_MAX_MS))
            attempt += 1

    @inlineCallbacks
    def stop_with_savepoint(self, job_id, target_directory=None, drain=False):
        """
        ``POST /jobs/{jobid}/stop`` (``RestClusterClient.stopWithSavepoint``), then poll
        ``GET /jobs/{jobid}/savepoints/{triggerid}`` as the execution result is polled (10 ms,
        20 ms, ... up to 2 s apart) until the operation completed.

        :param target_directory: where the savepoint goes (``None``: the cluster's
            ``state.savepoints.dir``).
        :param bool drain: emit MAX_WATERMARK before the savepoint (``flink stop --drain``).
        :return: a Deferred firing with the savepoint's path once the job is stopped; failing
            with :class:`RemoteFlinkException` (the cluster's reason: the job is not running,
            the savepoint failed, ...) or the endpoint's ``RestHandlerException``.
        """
        trigger = yield self._call("stop_with_savepoint", str(job_id), target_directory,
                                   bool(drain))
        trigger_id = trigger["request-id"]
        attempt = 0
        while True:
            body = yield self._call("get_savepoint_status", str(job_id), trigger_id)
            if body["status"]["id"] == "COMPLETED":
                operation = body.get("operation") or {}
                if operation.get("failure-cause") is not None:
                    raise RemoteFlinkException.from_rest(operation["failure-cause"])
                return operation["location"]
            yield sleep_ms(self._clock, min(_RESULT_POLL_INITIAL_MS * 2 ** attempt,
                                         _RESULT_POLL_MAX_MS))
            attempt += 1

    def cancel(self, job_id):
        """``PATCH /jobs/{jobid}?mode=cancel``; :return: a Deferred firing when accepted."""
        return self._call("cancel_job", str(job_id)).addCallback(lambda _: None)

    # The cluster

    def shutdown_cluster(self):
        """
        ``DELETE /cluster``: the cluster shuts down (a session ends SUCCEEDED).  A failure is
        only logged, as ``RestClusterClient.shutDownCluster`` does.

        :return: a Deferred firing with ``None``.
        """
        def failed(failure):
            self._log.error(f"Error while shutting down cluster: {failure.value}",
                            self.application_id, REST_CLUSTER_CLIENT)

        return self._call("shutdown_cluster").addCallbacks(lambda _: None, failed)

    def kill_cluster(self):
        """
        Kill the YARN application and delete its staging directory (``killCluster``).

        :return: a Deferred firing when done.
        """
        return self._descriptor.kill_cluster(self.application_id)

    # Internals

    @inlineCallbacks
    def _call(self, method, *args, attempt_failed=None):
        retries = self._retries
        while True:
            try:
                return (yield self.transport.call(method, *args))
            except Exception as error:
                if attempt_failed is not None:
                    attempt_failed(error)
                if retries <= 0 or not _retriable(error):
                    raise
            retries -= 1
            yield sleep_ms(self._clock, self._retry_delay_ms)

    def _info(self, message):
        self._log.info(message, self.application_id, REST_CLUSTER_CLIENT)


def _retriable(error):
    """``isConnectionProblemOrServiceUnavailable``: connection errors and 503s are retried."""
    if isinstance(error, (ConnectionRefusedError, ConnectionClosedError)):
        return True
    return isinstance(error, RestHandlerException) and error.status == _SERVICE_UNAVAILABLE
