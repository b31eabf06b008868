"""
:class:`RunRecords`: what a scenario run remembers of its applications and jobs, read from the
event stream as it goes — when each application was submitted, accepted, running and done, when
its first TaskManager registered, and each Flink job's name, state, restarts and times.

Expectations on jobs and the run's summary read it after the processes that ran the jobs have
exited (a finished per-job cluster's JobManager is gone; its jobs are still "FINISHED").
"""

from attrs import define, field

from flinkyarn.events import JobRestarting, JobStatusChanged, TaskManagerRegistered
from flinkyarn.states import JobStatus
from yarnemu.events import AppStateChanged, AppSubmitted
from yarnemu.records.states import RMAppState

__all__ = ["RunRecords", "AppRecord", "JobRecord"]


@define
class AppRecord:
    """One YARN application: its name and the times (epoch ms) of its milestones."""

    application_id: str
    name: str
    submitted_ms: int
    accepted_ms: int | None = None
    running_ms: int | None = None
    ended_ms: int | None = None
    first_taskmanager_ms: int | None = None


@define
class JobRecord:
    """One Flink job: where it ran, its latest state, its restarts and the times of its milestones."""

    application_id: str
    job_id: str
    name: str
    state: JobStatus
    created_ms: int
    restarts: int = 0
    running_ms: int | None = None
    ended_ms: int | None = None
    label: str | None = None
    """The name of the scenario step that submitted it, when that step named it."""


@define
class RunRecords:
    """
    A listener for the cluster's event stream.

    :ivar dict apps: application id text → :class:`AppRecord`, in submission order.
    :ivar dict jobs: job id text → :class:`JobRecord`, in order of appearance.
    """

    apps: dict = field(factory=dict)
    jobs: dict = field(factory=dict)
    _labels: dict = field(factory=dict)

    def __call__(self, event):
        handler = _HANDLERS.get(type(event))
        if handler is not None:
            handler(self, event)

    def label_job(self, job_id, label):
        """Remember that ``label`` (a submit step's ``name``) submitted ``job_id``."""
        self._labels[str(job_id)] = label
        record = self.jobs.get(str(job_id))
        if record is not None:
            record.label = label

    def jobs_of(self, application_id):
        """:return: the :class:`JobRecord` values of ``application_id``, in order of appearance."""
        return [job for job in self.jobs.values() if job.application_id == str(application_id)]

    def find_jobs(self, application_id, name):
        """
        :return: the jobs of ``application_id`` a scenario calls ``name``: those a submit step
            of that name submitted, else those whose Flink job name is ``name``.
        """
        jobs = self.jobs_of(application_id)
        labelled = [job for job in jobs if job.label == name]
        return labelled or [job for job in jobs if job.name == name]

    # Event handlers

    def _submitted(self, event):
        key = str(event.application_id)
        self.apps[key] = AppRecord(key, event.name, event.time)

    def _app_state(self, event):
        record = self.apps.get(str(event.application_id))
        if record is None:
            return
        if event.to_state is RMAppState.ACCEPTED and record.accepted_ms is None:
            record.accepted_ms = event.time
        elif event.to_state is RMAppState.RUNNING and record.running_ms is None:
            record.running_ms = event.time
        elif event.to_state.is_final:
            record.ended_ms = event.time

    def _task_manager(self, event):
        record = self.apps.get(str(event.application_id))
        if record is not None and record.first_taskmanager_ms is None:
            record.first_taskmanager_ms = event.time

    def _job_state(self, event):
        key = str(event.job_id)
        record = self.jobs.get(key)
        if record is None:
            record = self.jobs[key] = JobRecord(str(event.application_id), key, event.job_name,
                                                event.to_state, event.time,
                                                label=self._labels.get(key))
        record.state = event.to_state
        if event.to_state is JobStatus.RUNNING and record.running_ms is None:
            record.running_ms = event.time
        if event.to_state.is_globally_terminal:
            record.ended_ms = event.time

    def _restarting(self, event):
        record = self.jobs.get(str(event.job_id))
        if record is not None:
            record.restarts = max(record.restarts, event.restarts)


_HANDLERS = {
    AppSubmitted: RunRecords._submitted,
    AppStateChanged: RunRecords._app_state,
    TaskManagerRegistered: RunRecords._task_manager,
    JobStatusChanged: RunRecords._job_state,
    JobRestarting: RunRecords._restarting,
}
