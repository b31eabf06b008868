"""
What Flink's components send each other over RPC, as immutable values named after Flink's
classes: slot reports and requirements, TaskExecutor registrations, slot offers, task
deployment descriptors and task states, job results.
"""

from attrs import field, frozen

from yarnemu.records.immutable import frozen_mapping, frozen_tuple

__all__ = [
    "ResourceProfile",
    "ResourceRequirement",
    "ResourceRequirements",
    "SlotID",
    "SlotStatus",
    "SlotReport",
    "HardwareDescription",
    "TaskExecutorRegistration",
    "RegistrationSuccess",
    "RegistrationDecline",
    "SlotOffer",
    "InputPartition",
    "TaskDeploymentDescriptor",
    "SerializedThrowable",
    "TaskExecutionState",
    "JobResult",
    "CheckpointStats",
]


@frozen
class ResourceProfile:
    """
    The resources of a slot.  ``UNKNOWN`` (all ``None``) is the profile of a requirement that any
    slot satisfies, as Flink's default slot profile.
    """

    cpu_cores: float | None = None
    task_heap_mb: int | None = None
    task_off_heap_mb: int | None = None
    managed_memory_mb: int | None = None
    network_memory_mb: int | None = None

    @property
    def is_unknown(self):
        return self.cpu_cores is None

    @classmethod
    def from_resource_spec(cls, spec):
        """
        ``ResourceProfile.fromResourceSpec(spec, MemorySize.ZERO)``: the profile of a slot
        request for a :class:`~flinkyarn.graph.resource_spec.ResourceSpec` (no network memory),
        or ``UNKNOWN`` for ``None``.
        """
        if spec is None:
            return cls.UNKNOWN
        return cls(float(spec.cpu_cores), spec.task_heap_mb, spec.task_off_heap_mb,
                   spec.managed_memory_mb, 0)

    def to_json(self):
        """:return: the REST form (``cpuCores``, ``taskHeapMemory``, … in MB)."""
        return {
            "cpuCores": self.cpu_cores or 0.0,
            "taskHeapMemory": self.task_heap_mb or 0,
            "taskOffHeapMemory": self.task_off_heap_mb or 0,
            "managedMemory": self.managed_memory_mb or 0,
            "networkMemory": self.network_memory_mb or 0,
            "extendedResources": {},
        }


ResourceProfile.UNKNOWN = ResourceProfile()


@frozen
class ResourceRequirement:
    """``count`` slots of ``profile``."""

    profile: ResourceProfile
    count: int


@frozen
class ResourceRequirements:
    """
    A job's absolute slot requirements, declared by its JobMaster to the ResourceManager and
    re-declared on every change (FLIP-138).
    """

    job_id: object
    target_address: str
    requirements: tuple = field(converter=frozen_tuple)

    @property
    def total(self):
        return sum(requirement.count for requirement in self.requirements)


@frozen(order=True)
class SlotID:
    """A slot of a TaskExecutor: its ResourceID and slot number."""

    resource_id: object
    slot_number: int

    def __str__(self):
        return f"SlotID{{resourceId={self.resource_id}, slotNumber={self.slot_number}}}"


@frozen
class SlotStatus:
    """A slot's state in a slot report: free when ``allocation_id`` is ``None``."""

    slot_id: SlotID
    resource_profile: ResourceProfile
    allocation_id: object = None
    job_id: object = None


@frozen
class SlotReport:
    """The state of all of a TaskExecutor's slots."""

    statuses: tuple = field(converter=frozen_tuple)

    @property
    def free(self):
        return tuple(status for status in self.statuses if status.allocation_id is None)


@frozen
class HardwareDescription:
    cpu_cores: int
    physical_memory_bytes: int
    free_memory_bytes: int
    managed_memory_bytes: int


@frozen(hash=False)
class TaskExecutorRegistration:
    """What a TaskExecutor tells the ResourceManager when it registers."""

    address: str
    resource_id: object
    data_port: int
    jmx_port: int
    hardware: HardwareDescription
    memory_configuration: object = field(converter=frozen_mapping)
    default_slot_profile: ResourceProfile
    total_profile: ResourceProfile
    node_id: str
    number_of_slots: int


@frozen
class RegistrationSuccess:
    """
    A registration was accepted.

    :ivar registration_id: the ``InstanceID`` the registrar gave (a string).
    :ivar resource_id: the registrar's own ResourceID.
    """

    registration_id: str
    resource_id: object


@frozen
class RegistrationDecline:
    reason: str


@frozen
class SlotOffer:
    """A slot a TaskExecutor offers to a JobMaster."""

    allocation_id: object
    slot_index: int
    resource_profile: ResourceProfile


@frozen
class InputPartition:
    """
    A partition a task consumes and where to get it: the producing TaskExecutor's data address.
    """

    partition_id: object
    producer_host: str
    producer_data_port: int


@frozen(hash=False)
class TaskDeploymentDescriptor:
    """
    Everything a TaskExecutor needs to run one subtask.

    :ivar operators: the chained operators of the vertex (the JobGraph's ``ChainedOperator``
        values, carrying what to simulate).
    :ivar inputs: per input gate, the :class:`InputPartition` values it consumes.
    :ivar produced_partitions: the ids of the partitions it produces.
    :ivar restored_offset: records its source had produced at the restored checkpoint (0 when
        starting fresh).
    :ivar int restored_checkpoint_id: the checkpoint restored from, or ``None``.
    """

    job_id: object
    job_name: str
    execution_attempt_id: object
    job_vertex_id: object
    task_name: str
    task_name_with_subtask_index: str
    subtask_index: int
    number_of_subtasks: int
    attempt_number: int
    allocation_id: object
    job_master_address: str
    operators: tuple = field(converter=frozen_tuple)
    inputs: tuple = field(converter=frozen_tuple)
    produced_partitions: tuple = field(converter=frozen_tuple)
    restored_offset: int = 0
    restored_checkpoint_id: int | None = None


@frozen
class SerializedThrowable:
    """An exception as it crosses process boundaries: its Java class and message."""

    exception_class: str
    message: str

    @classmethod
    def of(cls, error):
        """:return: the serialized form of a :class:`~yarnemu.errors.RemoteError` (or any error)."""
        java_class = getattr(error, "java_class", None) or f"java.lang.{type(error).__name__}"
        return cls(java_class, getattr(error, "message", None) or str(error))

    def __str__(self):
        return f"{self.exception_class}: {self.message}"


@frozen
class TaskExecutionState:
    """A task's new state, reported by its TaskExecutor to the JobMaster."""

    job_id: object
    execution_attempt_id: object
    state: object
    error: SerializedThrowable | None = None
    records_out: int = 0


@frozen
class JobResult:
    """
    How a job ended, as a client retrieves it (``JobResult``): ``application_status`` is the
    :class:`~flinkyarn.states.ApplicationStatus` it maps to.
    """

    job_id: object
    job_name: str
    job_status: object
    application_status: object
    net_runtime_ms: int
    error: SerializedThrowable | None = None

    @property
    def success(self):
        return self.error is None and self.job_status.value == "FINISHED"


@frozen
class CheckpointStats:
    """
    A completed checkpoint, as the checkpoint coordinator keeps it.

    :ivar offsets: ``(job vertex id, subtask index)`` → source offset of each acknowledging
        subtask.
    :ivar savepoint: ``None`` for a checkpoint; for a savepoint its type (Flink's
        ``SavepointType`` name: ``"Suspend Savepoint"``, ``"Terminate Savepoint"``).
    :ivar external_path: where a savepoint was written (its directory's URI), else ``None``.
    """

    checkpoint_id: int
    trigger_timestamp: int
    completion_timestamp: int
    offsets: object = field(converter=frozen_mapping)
    savepoint: str | None = None
    external_path: str | None = None

    @property
    def is_savepoint(self):
        return self.savepoint is not None
