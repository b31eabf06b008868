"""
The RPC contracts between Flink's components, as zope interfaces named after Flink's gateways.

Every method is called through an :class:`~flinkyarn.runtime.rpc.RpcGateway`, so callers always
get a Deferred; an implementation may return a value, a Deferred, or raise (the caller's Deferred
then fails with that error).  Arguments and results are the values of
:mod:`flinkyarn.runtime.messages` and :mod:`flinkyarn.ids`.
"""

from zope.interface import Attribute, Interface

from yarnemu.errors import RemoteError

from flinkyarn.runtime.rpc import rpc_address

__all__ = [
    "IResourceManagerGateway",
    "ITaskExecutorGateway",
    "IJobMasterGateway",
    "IDispatcherGateway",
    "IRestEndpoint",
    "RestHandlerException",
    "RESOURCE_MANAGER_NAME",
    "DISPATCHER_NAME",
    "JOB_MASTER_NAME",
    "TASK_EXECUTOR_NAME",
    "resource_manager_address",
]

RESOURCE_MANAGER_NAME = "resourcemanager"
DISPATCHER_NAME = "dispatcher"
JOB_MASTER_NAME = "jobmanager"
TASK_EXECUTOR_NAME = "taskmanager"


def resource_manager_address(host, port):
    """
    :return: where a TaskExecutor finds the ResourceManager of the JobManager process at
        ``jobmanager.rpc.address``:``jobmanager.rpc.port`` (it is that process's first one).
    """
    return rpc_address(host, port, f"{RESOURCE_MANAGER_NAME}_0")


class IResourceManagerGateway(Interface):
    """Flink's ResourceManager (in the JobManager process)."""

    address = Attribute("This endpoint's RPC address.")
    resource_id = Attribute("The JobManager process's ResourceID.")

    def register_job_master(job_master_id, job_master_resource_id, job_master_address, job_id):
        """
        A JobMaster connects.  The RM starts heartbeating it.

        :return: ``RegistrationSuccess(registration_id, rm_resource_id)``.
        """

    def declare_required_resources(job_master_id, resource_requirements):
        """
        A JobMaster declares its job's absolute slot requirements (``ResourceRequirements``; a
        total of 0 means none).  The RM allocates free slots to the job (``request_slot`` on the
        TaskExecutors, which then offer them to the JobMaster) and requests workers for the
        rest.  :return: ``None``.
        """

    def register_task_executor(registration):
        """
        A TaskExecutor registers (``TaskExecutorRegistration``).  A worker the RM did not start
        (or no longer wants) is declined: "Discard registration from TaskExecutor <id>".

        :return: ``RegistrationSuccess`` or ``RegistrationDecline``.
        """

    def send_slot_report(task_executor_resource_id, registration_id, slot_report):
        """The TaskExecutor's initial ``SlotReport`` after registering.  :return: ``None``."""

    def notify_slot_available(task_executor_resource_id, registration_id, slot_id, allocation_id):
        """A slot that was allocated to a job is free again.  :return: ``None``."""

    def heartbeat_from_task_manager(resource_id, slot_report):
        """A TaskExecutor answers the RM's heartbeat request with its ``SlotReport``."""

    def disconnect_task_manager(resource_id, cause):
        """A TaskExecutor says goodbye (or is declared lost).  :return: ``None``."""

    def disconnect_job_manager(job_id, job_status, cause):
        """A JobMaster says goodbye: its requirements are dropped.  :return: ``None``."""


class ITaskExecutorGateway(Interface):
    """A TaskExecutor (in a TaskManager container)."""

    address = Attribute("This endpoint's RPC address.")
    resource_id = Attribute("The TaskExecutor's ResourceID (its YARN container id).")

    def request_slot(slot_id, job_id, allocation_id, resource_profile, job_master_address,
                     resource_manager_id):
        """
        The RM allocates a free slot to a job.  The TaskExecutor marks it allocated, connects
        to the job's JobMaster (``register_task_manager``) and offers it (``offer_slots``).

        :raise SlotAllocationException: if the slot is not free (or is unknown).
        :return: ``None``.
        """

    def submit_task(tdd, job_master_id):
        """
        Run a subtask (``TaskDeploymentDescriptor``) in its allocated slot.  Its state changes
        (INITIALIZING, RUNNING, FINISHED / FAILED / CANCELED) are reported to the JobMaster with
        ``update_task_execution_state``.

        :raise TaskSubmissionException: if the slot is not allocated to that job.
        :return: ``None``.
        """

    def cancel_task(execution_attempt_id):
        """Cancel a task; it reports CANCELED when done.  :return: ``None``."""

    def fail_task(execution_attempt_id, cause):
        """Make a running task fail with ``cause`` (the ``fail-task`` action).  :return: ``None``."""

    def free_slot(allocation_id, cause):
        """The JobMaster gives a slot back; the RM hears of it.  :return: ``None``."""

    def trigger_checkpoint(execution_attempt_id, checkpoint_id, timestamp,
                           synchronous_savepoint=False):
        """
        Take a checkpoint of a task; the task acknowledges it to the JobMaster
        (``acknowledge_checkpoint``) once its snapshot is done.  A synchronous savepoint
        (stop-with-savepoint) stops a source first; it finishes once the savepoint is confirmed.
        :return: ``None``.
        """

    def confirm_checkpoint(execution_attempt_id, checkpoint_id, timestamp):
        """
        A checkpoint the task took part in completed (``confirmCheckpoint``): a source stopped
        by a synchronous savepoint finishes.  :return: ``None``.
        """

    def abort_checkpoint(execution_attempt_id, checkpoint_id, timestamp):
        """
        A checkpoint the task took part in was aborted (``abortCheckpoint``): a source stopped by
        a synchronous savepoint carries on.  :return: ``None``.
        """

    def heartbeat_from_job_manager(job_master_resource_id):
        """A JobMaster's heartbeat request.  :return: the slots of that job (``SlotReport``)."""

    def heartbeat_from_resource_manager(resource_manager_resource_id):
        """The RM's heartbeat request.  :return: the TaskExecutor's ``SlotReport``."""

    def disconnect_job_manager(job_id, cause):
        """The JobMaster of ``job_id`` is gone: its tasks fail and slots are freed."""

    def disconnect_resource_manager(cause):
        """The RM is gone: the TaskExecutor reconnects."""


class IJobMasterGateway(Interface):
    """The JobMaster of one job (in the JobManager process)."""

    address = Attribute("This endpoint's RPC address.")
    resource_id = Attribute("The JobManager process's ResourceID.")

    def register_task_manager(task_executor_address, resource_id, data_host, data_port, job_id):
        """
        A TaskExecutor with slots for this job connects; the JobMaster starts heartbeating it.

        :return: ``RegistrationSuccess`` or ``RegistrationDecline``.
        """

    def offer_slots(resource_id, offers):
        """
        A TaskExecutor offers slots (``SlotOffer`` values).

        :return: the offers the JobMaster accepted (the others must be freed).
        """

    def update_task_execution_state(task_execution_state):
        """A task changed state (``TaskExecutionState``).  :return: ``True`` if known."""

    def acknowledge_checkpoint(execution_attempt_id, checkpoint_id, offset):
        """A task finished its part of a checkpoint (its source offset, 0 for others)."""

    def heartbeat_from_task_manager(resource_id):
        """A TaskExecutor's heartbeat answer (unused: the JobMaster is the requester)."""

    def heartbeat_from_resource_manager(resource_manager_resource_id):
        """The RM's heartbeat request.  :return: ``None``."""

    def disconnect_task_manager(resource_id, cause):
        """
        A TaskExecutor is gone (as the RM learned from YARN, or the TaskExecutor itself said):
        its slots fail, and so do the tasks in them.
        """

    def fail_slot(resource_id, allocation_id, cause):
        """One slot is gone."""


class IDispatcherGateway(Interface):
    """The Dispatcher (in the JobManager process)."""

    address = Attribute("This endpoint's RPC address.")

    def submit_job(job_graph):
        """
        Start a JobMaster for ``job_graph``.

        :raise DuplicateJobSubmissionException: if the job id is known.
        :return: the job id.
        """

    def list_jobs():
        """:return: ``[(job_id, JobStatus)]`` of every job, oldest first."""

    def request_job_status(job_id):
        """:raise JobNotFoundException: for an unknown job.  :return: its ``JobStatus``."""

    def request_job_result(job_id):
        """:return: a Deferred firing with the ``JobResult`` once the job is globally terminal."""

    def cancel_job(job_id):
        """:raise JobNotFoundException: for an unknown job.  :return: ``None``."""

    def shut_down_cluster(application_status):
        """Stop the cluster with an ``ApplicationStatus``.  :return: ``None``."""

    def stop_with_savepoint(trigger_id, job_id, target_directory, drain=False):
        """
        Register the asynchronous stop-with-savepoint of ``job_id`` under ``trigger_id`` (once
        per key); its outcome is :meth:`savepoint_status`.  :return: ``None``.
        """

    def savepoint_status(trigger_id, job_id):
        """
        :raise UnknownOperationKeyException: for an unknown key.
        :return: the operation's ``OperationResult`` (in progress, its location, or its error).
        """


class RestHandlerException(RemoteError):
    """
    A REST request the JobManager refuses, with its HTTP status; its body is
    ``{"errors": [message, *details]}``.
    """

    java_class = "org.apache.flink.runtime.rest.handler.RestHandlerException"

    def __init__(self, status, message, details=()):
        super().__init__(message)
        self.status = status
        self.details = tuple(details)

    @classmethod
    def internal_server_error(cls, error):
        """
        What Flink's REST handlers answer for an exception they do not map: 500, ``Internal
        server error.`` and the exception as the server saw it.
        """
        java_class = getattr(error, "java_class", None) or f"java.lang.{type(error).__name__}"
        message = getattr(error, "message", None) or str(error)
        return cls(500, "Internal server error.", [
            f"<Exception on server side:\n{java_class}: {message}\n\nEnd of exception on server side>"])

    def body(self):
        return {"errors": [self.message, *self.details]}


class IRestEndpoint(Interface):
    """
    The JobManager's REST API (``WebMonitorEndpoint``), served in-process on the cluster's network
    at the JobManager's ``rest.address``:``rest.port``.  Each method is one REST call and returns
    the response body as Flink's REST API shapes it (see the ``rest_v1_dispatcher.yml`` spec), or
    a Deferred firing with it; errors are :class:`RestHandlerException` with the HTTP status.
    """

    def get_config():
        """``GET /config``: ``DashboardConfiguration``."""

    def get_overview():
        """``GET /overview``: ``ClusterOverviewWithVersion``."""

    def get_jobs():
        """``GET /jobs``: ``{"jobs": [{"id", "status"}]}``."""

    def get_jobs_overview():
        """``GET /jobs/overview``: ``{"jobs": [JobDetails]}``."""

    def get_job(job_id):
        """``GET /jobs/{jobid}``: ``JobDetailsInfo``; 404 for an unknown job."""

    def get_job_status(job_id):
        """``GET /jobs/{jobid}/status``: ``{"status": …}``."""

    def get_job_result(job_id):
        """``GET /jobs/{jobid}/execution-result``: ``JobExecutionResultResponseBody``."""

    def get_job_exceptions(job_id):
        """``GET /jobs/{jobid}/exceptions``: ``JobExceptionsInfoWithHistory``."""

    def get_job_config(job_id):
        """``GET /jobs/{jobid}/config``: the job's execution configuration."""

    def get_job_checkpoints(job_id):
        """``GET /jobs/{jobid}/checkpoints``: ``CheckpointingStatistics``."""

    def get_taskmanagers():
        """``GET /taskmanagers``: ``TaskManagersInfo``."""

    def get_taskmanager(taskmanager_id):
        """``GET /taskmanagers/{taskmanagerid}``: ``TaskManagerDetailsInfo``."""

    def get_jobmanager_config():
        """``GET /jobmanager/config``: ``[{"key", "value"}]``."""

    def submit_job(job_graph_bytes):
        """``POST /jobs``: submits a serialized JobGraph; 202 ``{"jobUrl": "/jobs/<id>"}``; 400
        for a malformed JobGraph."""

    def cancel_job(job_id):
        """``PATCH /jobs/{jobid}?mode=cancel``: 202 with an empty body."""

    def shutdown_cluster():
        """``DELETE /cluster``: shuts the cluster down (the session ends SUCCEEDED)."""

    def stop_with_savepoint(job_id, target_directory=None, drain=False, format_type=None,
                            trigger_id=None):
        """``POST /jobs/{jobid}/stop``: stop the job with a savepoint; 202
        ``{"request-id": <trigger id>}`` (400 without a target directory or default)."""

    def get_savepoint_status(job_id, trigger_id):
        """``GET /jobs/{jobid}/savepoints/{triggerid}``: ``AsynchronousOperationResult`` with the
        savepoint's ``location`` or ``failure-cause``; 404 for an unknown trigger id."""
