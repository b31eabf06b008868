"""
:class:`RestEndpoint`: the JobManager's REST API (``IRestEndpoint``) as a server on the cluster's
network, backed by the Dispatcher and the ResourceManager of its JobManager process.
"""

from zope.interface import implementer

from flinkyarn.graph.errors import FlinkError, IllegalStateException
from flinkyarn.graph.job_graph import JobGraph
from flinkyarn.ids import JobID
from flinkyarn.runtime.errors import (
    DuplicateJobSubmissionException,
    FlinkException,
    JobNotFoundException,
    UnknownOperationKeyException,
)
from flinkyarn.runtime.gateways import IRestEndpoint, RestHandlerException
from flinkyarn.runtime.jobmaster.savepoint_storage import SAVEPOINT_DIRECTORY_KEY
from flinkyarn.runtime.rest import job_views, savepoint_views
from flinkyarn.states import ApplicationStatus, JobStatus

__all__ = ["RestEndpoint", "FLINK_VERSION", "FLINK_REVISION"]

FLINK_VERSION = "1.18.1"
FLINK_REVISION = "a8c8b1c @ 2024-01-17T10:36:45+01:00"

# What each handler says of an unknown job (a 404), as Flink's handlers word it.
_GRAPH_NOT_FOUND = "Job {} not found"  # AbstractExecutionGraphHandler, checkpoint statistics
_RESULT_NOT_FOUND = ("org.apache.flink.runtime.messages.FlinkJobNotFoundException: "
                     "Could not find Flink job ({})")  # JobExecutionResultHandler
_CANCEL_NOT_FOUND = "Job could not be found."  # JobCancellationHandler

_NO_LEADER = ("Service temporarily unavailable due to an ongoing leader election. "
              "Please refresh.")


@implementer(IRestEndpoint)
class RestEndpoint:
    """
    :param dispatcher: the process's Dispatcher.
    :param resource_manager: the process's ResourceManager (for ``/taskmanagers``).
    :param config: the cluster's configuration (for ``/jobmanager/config``).
    :param clock: the process's clock.
    """

    def __init__(self, dispatcher, resource_manager, config, clock):
        self._dispatcher = dispatcher
        self._resource_manager = resource_manager
        self.config = config
        self._clock = clock

    def _now(self):
        return int(round(self._clock.seconds() * 1000))

    def _master(self, job_id, not_found=_GRAPH_NOT_FOUND):
        parsed = _job_id(job_id)
        try:
            return self._dispatcher.request_job(parsed)
        except JobNotFoundException:
            raise RestHandlerException(404, not_found.format(parsed)) from None

    # Cluster

    def get_config(self):
        return {
            "refresh-interval": 3000,
            "timezone-name": "Coordinated Universal Time",
            "timezone-offset": 0,
            "flink-version": FLINK_VERSION,
            "flink-revision": FLINK_REVISION,
            "features": {"web-submit": False, "web-cancel": False, "web-rescale": False,
                         "web-history": False},
        }

    def get_overview(self):
        statuses = [master.status for master in self._dispatcher.jobs.values()]
        managers = self._task_manager_views()
        slots_total = sum(view["slotsNumber"] for view in managers)
        slots_free = sum(view["freeSlots"] for view in managers)
        return {
            "taskmanagers": len(managers),
            "taskmanagers-blocked": 0,
            "slots-total": slots_total,
            "slots-available": slots_free,
            "slots-free-and-blocked": 0,
            "jobs-running": sum(1 for s in statuses if not s.is_globally_terminal),
            "jobs-finished": statuses.count(JobStatus.FINISHED),
            "jobs-cancelled": statuses.count(JobStatus.CANCELED),
            "jobs-failed": statuses.count(JobStatus.FAILED),
            "flink-version": FLINK_VERSION,
            "flink-commit": FLINK_REVISION.split()[0],
        }

    def get_jobmanager_config(self):
        return [{"key": key, "value": str(value)} for key, value in sorted(self.config.items())]

    def shutdown_cluster(self):
        """``ShutdownHandler``: the Dispatcher shuts the cluster down SUCCEEDED."""
        self._dispatcher.shut_down_cluster(ApplicationStatus.SUCCEEDED)
        return {}

    # Jobs

    def get_jobs(self):
        return {"jobs": [{"id": str(job_id), "status": status.value}
                         for job_id, status in self._dispatcher.list_jobs()]}

    def get_jobs_overview(self):
        now = self._now()
        return {"jobs": [job_views.job_details(master, now)
                         for master in self._dispatcher.jobs.values()]}

    def get_job(self, job_id):
        return job_views.job_details_info(self._master(job_id), self._now())

    def get_job_status(self, job_id):
        parsed = _job_id(job_id)
        try:
            return {"status": self._dispatcher.request_job_status(parsed).value}
        except JobNotFoundException as error:
            # JobStatusHandler does not map FlinkJobNotFoundException: a 500.
            raise RestHandlerException.internal_server_error(error) from None

    def get_job_result(self, job_id):
        master = self._master(job_id, _RESULT_NOT_FOUND)
        if master.status.is_globally_terminal:
            # Retrieving the result is what lets an attached per-job cluster shut down.
            self._dispatcher.request_job_result(master.job_id)
        return job_views.job_execution_result(master)

    def get_job_exceptions(self, job_id, max_exceptions=None):
        return job_views.job_exceptions(self._master(job_id), max_exceptions)

    def get_job_config(self, job_id):
        return job_views.job_config(self._master(job_id))

    def get_job_checkpoints(self, job_id):
        return job_views.job_checkpoints(self._master(job_id))

    def get_job_metrics(self, job_id, get=None):
        """A job the metric store does not know has no metrics (``AbstractMetricsHandler``)."""
        try:
            master = self._dispatcher.request_job(_job_id(job_id))
        except JobNotFoundException:
            return {"metrics": []}
        return job_views.job_metrics(master, get)

    def submit_job(self, job_graph_bytes):
        try:
            job_graph = JobGraph.from_bytes(job_graph_bytes)
        except (FlinkError, ValueError):
            raise RestHandlerException(400, "Failed to deserialize JobGraph.") from None
        try:
            job_id = self._dispatcher.submit_job(job_graph)
        except DuplicateJobSubmissionException as error:
            # JobSubmitHandler does not map the Dispatcher's refusal: a 500.
            raise RestHandlerException.internal_server_error(error) from None
        except FlinkException:
            # The Dispatcher is on its way out: there is no leader to submit to.
            raise RestHandlerException(503, _NO_LEADER) from None
        return {"jobUrl": f"/jobs/{job_id}"}

    def cancel_job(self, job_id):
        master = self._master(job_id, _CANCEL_NOT_FOUND)
        self._dispatcher.cancel_job(master.job_id)
        return {}

    # Savepoints

    def stop_with_savepoint(self, job_id, target_directory=None, drain=False, format_type=None,
                            trigger_id=None):
        """
        ``StopWithSavepointHandler``: register the operation with the Dispatcher under the
        request's ``triggerId`` or a new one, and answer it at once; its outcome — for an
        unknown job too — is the savepoint status.  ``formatType`` (CANONICAL, NATIVE) does not
        change what is written.
        """
        parsed = _job_id(job_id)
        if target_directory is None:
            target_directory = self.config.get_str(SAVEPOINT_DIRECTORY_KEY, None)
            if target_directory is None:
                raise RestHandlerException(400, (
                    f"Config key [{SAVEPOINT_DIRECTORY_KEY}] is not set. Property "
                    f"[targetDirectory] must be provided."))
        trigger = trigger_id.lower() if trigger_id else self._dispatcher.new_trigger_id()
        try:
            self._dispatcher.stop_with_savepoint(trigger, parsed, target_directory, bool(drain))
        except IllegalStateException as error:
            failure = RestHandlerException.internal_server_error(error)
            raise RestHandlerException(500, (
                f"Internal server error while triggering savepoint operation with "
                f"triggerId={trigger} for job {parsed}."), failure.details) from None
        return {"request-id": trigger}

    def get_savepoint_status(self, job_id, trigger_id):
        """``SavepointStatusHandler``: 404 for a trigger id the Dispatcher does not know."""
        parsed = _job_id(job_id)
        trigger = str(trigger_id).lower()
        try:
            result = self._dispatcher.savepoint_status(trigger, parsed)
        except UnknownOperationKeyException:
            raise RestHandlerException(404, (
                f"There is no savepoint operation with triggerId={trigger} for job "
                f"{parsed}.")) from None
        return savepoint_views.savepoint_status(result)

    # TaskManagers

    def get_taskmanagers(self):
        return {"taskmanagers": self._task_manager_views()}

    def get_taskmanager(self, taskmanager_id):
        for view in self._task_manager_views(details=True):
            if view["id"] == str(taskmanager_id):
                return view
        raise RestHandlerException(404, f"Could not find TaskExecutor {taskmanager_id}.")

    def _task_manager_views(self, details=False):
        views = getattr(self._resource_manager, "task_manager_views", None)
        return views(self._now(), details) if views is not None else []


def _job_id(job_id):
    if isinstance(job_id, JobID):
        return job_id
    try:
        return JobID.parse(str(job_id))
    except ValueError:
        raise RestHandlerException(400, (
            "Bad request, could not parse parameters: Cannot resolve path parameter (jobid) "
            f'from value "{job_id}".')) from None
