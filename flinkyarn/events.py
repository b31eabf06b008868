"""
Flink's events in the cluster's one event stream (:mod:`yarnemu.events`): job and task
transitions, TaskManager registrations, slot offers, checkpoints and restarts, each with a virtual
timestamp and the ids it concerns (the YARN application id says which Flink cluster).
"""

from attrs import frozen

from yarnemu.events import Event

__all__ = [
    "JobStatusChanged",
    "TaskStateChanged",
    "TaskManagerRegistered",
    "SlotsOffered",
    "CheckpointCompleted",
    "JobRestarting",
    "WorkerRequested",
]


def _value(value):
    return getattr(value, "value", value)


@frozen
class JobStatusChanged(Event):
    """A job's ``JobStatus`` changed."""

    kind = "flink.job.state"
    component = "JobMaster"

    application_id: object
    job_id: object
    job_name: str
    from_state: object
    to_state: object
    error: str = ""

    def subject(self):
        return str(self.job_id)

    def describe(self):
        text = f"Job {self.job_name} ({self.job_id}) switched from state {_value(self.from_state)} " \
               f"to {_value(self.to_state)}."
        return f"{text} {self.error}" if self.error else text


@frozen
class TaskStateChanged(Event):
    """A task's ``ExecutionState`` changed."""

    kind = "flink.task.state"
    component = "JobMaster"

    application_id: object
    job_id: object
    task: str
    execution_attempt_id: object
    from_state: object
    to_state: object
    location: str = ""

    def subject(self):
        return str(self.job_id)

    def describe(self):
        where = f" on {self.location}" if self.location else ""
        return (f"{self.task} ({self.execution_attempt_id}) switched from {_value(self.from_state)} "
                f"to {_value(self.to_state)}{where}.")


@frozen
class TaskManagerRegistered(Event):
    """A TaskExecutor registered with the ResourceManager."""

    kind = "flink.taskmanager.registered"
    component = "ResourceManager"

    application_id: object
    resource_id: str
    slots: int
    host: str

    def subject(self):
        return self.resource_id

    def describe(self):
        return f"Registering TaskManager with ResourceID {self.resource_id} ({self.slots} slots) on {self.host}"


@frozen
class SlotsOffered(Event):
    """A TaskExecutor offered slots to a JobMaster; ``accepted`` of them were taken."""

    kind = "flink.slots.offered"
    component = "TaskExecutor"

    application_id: object
    job_id: object
    resource_id: str
    offered: int
    accepted: int

    def subject(self):
        return self.resource_id

    def describe(self):
        return f"Offered {self.offered} slot(s) to job {self.job_id}; {self.accepted} accepted"


@frozen
class CheckpointCompleted(Event):
    kind = "flink.checkpoint.completed"
    component = "CheckpointCoordinator"

    application_id: object
    job_id: object
    checkpoint_id: int
    duration_ms: int

    def subject(self):
        return str(self.job_id)

    def describe(self):
        return (f"Completed checkpoint {self.checkpoint_id} for job {self.job_id} "
                f"({self.duration_ms} ms).")


@frozen
class JobRestarting(Event):
    """A job's failover: ``restarts`` counts the restarts so far (Flink's ``numRestarts``)."""

    kind = "flink.job.restarting"
    component = "JobMaster"

    application_id: object
    job_id: object
    restarts: int
    delay_ms: int
    cause: str

    def subject(self):
        return str(self.job_id)

    def describe(self):
        return (f"Restarting job {self.job_id} in {self.delay_ms} ms (restart #{self.restarts}): "
                f"{self.cause}")


@frozen
class WorkerRequested(Event):
    """The ResourceManager asked YARN for a TaskManager container."""

    kind = "flink.worker.requested"
    component = "ResourceManager"

    application_id: object
    memory_mb: int
    vcores: int
    priority: int
    pending: int

    def subject(self):
        return str(self.application_id)

    def describe(self):
        return (f"Requesting new TaskExecutor container with resource <memory:{self.memory_mb}, "
                f"vCores:{self.vcores}>, priority {self.priority}; {self.pending} pending")
