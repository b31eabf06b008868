"""
What a worker (a TaskManager process) is made of, as the ResourceManager reasons about it:
:class:`WorkerResourceSpec` (Flink's ``WorkerResourceSpec``: the resources the slots of one
TaskExecutor share) derived from a :class:`~flinkyarn.config.TaskExecutorProcessSpec`, its total
and default slot :class:`~flinkyarn.runtime.messages.ResourceProfile`, and the text forms Flink's
logs print for both specs.

The other way round, :func:`process_spec_of` is Flink's
``TaskExecutorProcessUtils.processSpecFromWorkerResourceSpec``: the process a worker spec is
started as — framework memory and JVM Metaspace from the configuration, JVM Overhead derived from
the Total Flink Memory the spec adds up to.  A worker sized to one slot request
(:meth:`WorkerResourceSpec.sized_to`) is started that way.
"""

from attrs import frozen

from flinkyarn.config import TaskExecutorProcessSpec
from flinkyarn.config import options as o
from flinkyarn.config.values import MemorySize, format_java_double
from flinkyarn.runtime.messages import ResourceProfile

__all__ = ["WorkerResourceSpec", "process_spec_text", "process_spec_of"]


@frozen
class WorkerResourceSpec:
    """
    The resources of one worker that its slots use: CPU, task heap and off-heap, network and
    managed memory, and the number of slots (Flink's ``WorkerResourceSpec``).  Workers with equal
    specs are interchangeable: the ResourceManager counts requested and registered workers per
    spec.
    """

    cpu_cores: float
    task_heap: MemorySize
    task_off_heap: MemorySize
    network: MemorySize
    managed: MemorySize
    num_slots: int

    @classmethod
    def from_process_spec(cls, spec):
        """:return: the spec of workers started with ``spec`` (a ``TaskExecutorProcessSpec``)."""
        return cls(spec.cpu_cores, spec.task_heap, spec.task_off_heap, spec.network, spec.managed,
                   spec.num_slots)

    @classmethod
    def sized_to(cls, profile, default):
        """
        :param profile: a slot request's :class:`ResourceProfile` (not ``UNKNOWN``).
        :param default: the cluster's default :class:`WorkerResourceSpec`.
        :return: the spec of a one-slot worker sized to the request: its CPU, task heap, task
            off-heap and managed memory, and the network memory of one default slot (a
            TaskExecutor always has a network stack; a request asks none of it).
        """
        network = max(profile.network_memory_mb or 0,
                      default.default_slot_profile.network_memory_mb or 0)
        return cls(float(profile.cpu_cores), MemorySize.of_mebibytes(profile.task_heap_mb or 0),
                   MemorySize.of_mebibytes(profile.task_off_heap_mb or 0),
                   MemorySize.of_mebibytes(network),
                   MemorySize.of_mebibytes(profile.managed_memory_mb or 0), 1)

    @property
    def total_profile(self):
        """The :class:`ResourceProfile` of the whole worker, in MB."""
        return ResourceProfile(
            cpu_cores=float(self.cpu_cores),
            task_heap_mb=self.task_heap.bytes >> 20,
            task_off_heap_mb=self.task_off_heap.bytes >> 20,
            managed_memory_mb=self.managed.bytes >> 20,
            network_memory_mb=self.network.bytes >> 20,
        )

    @property
    def default_slot_profile(self):
        """
        The profile of one of its slots: the total divided by the number of slots
        (``SlotManagerUtils.generateDefaultSlotResourceProfile``).
        """
        slots = self.num_slots
        return ResourceProfile(
            cpu_cores=float(self.cpu_cores) / slots,
            task_heap_mb=(self.task_heap.bytes // slots) >> 20,
            task_off_heap_mb=(self.task_off_heap.bytes // slots) >> 20,
            managed_memory_mb=(self.managed.bytes // slots) >> 20,
            network_memory_mb=(self.network.bytes // slots) >> 20,
        )

    def __str__(self):
        return (f"WorkerResourceSpec {{cpuCores={format_java_double(self.cpu_cores)}, "
                f"taskHeapSize={self.task_heap.to_human_readable()}, "
                f"taskOffHeapSize={self.task_off_heap.to_human_readable()}, "
                f"networkMemSize={self.network.to_human_readable()}, "
                f"managedMemSize={self.managed.to_human_readable()}, numSlots={self.num_slots}}}")


def process_spec_text(spec):
    """:return: a ``TaskExecutorProcessSpec`` as Flink's ``toString`` prints it in logs."""
    return (f"TaskExecutorProcessSpec {{cpuCores={format_java_double(spec.cpu_cores)}, "
            f"frameworkHeapSize={spec.framework_heap.to_human_readable()}, "
            f"frameworkOffHeapSize={spec.framework_off_heap.to_human_readable()}, "
            f"taskHeapSize={spec.task_heap.to_human_readable()}, "
            f"taskOffHeapSize={spec.task_off_heap.to_human_readable()}, "
            f"networkMemSize={spec.network.to_human_readable()}, "
            f"managedMemorySize={spec.managed.to_human_readable()}, "
            f"jvmMetaspaceSize={spec.jvm_metaspace.to_human_readable()}, "
            f"jvmOverheadSize={spec.jvm_overhead.to_human_readable()}, "
            f"numSlots={spec.num_slots}}}")


_TOTAL_SIZES = (o.TM_TOTAL_PROCESS_MEMORY, o.TM_TOTAL_FLINK_MEMORY, o.TM_LEGACY_HEAP_MEMORY,
                o.TM_LEGACY_HEAP_MEMORY_MB)


def process_spec_of(config, spec):
    """
    ``TaskExecutorProcessUtils.processSpecFromWorkerResourceSpec``.

    :param config: the JobManager's :class:`~flinkyarn.config.Configuration` (framework memory,
        JVM Metaspace, the JVM Overhead fraction and range).
    :param spec: a :class:`WorkerResourceSpec`.
    :return: the ``TaskExecutorProcessSpec`` a worker of ``spec`` is started with.
    :raise IllegalConfigurationException: if the sizes do not add up.
    """
    network = f"{spec.network.bytes}b"
    sized = config.without(*_TOTAL_SIZES).with_values({
        o.TM_TASK_HEAP_MEMORY.key: f"{spec.task_heap.bytes}b",
        o.TM_TASK_OFF_HEAP_MEMORY.key: f"{spec.task_off_heap.bytes}b",
        o.TM_MANAGED_MEMORY_SIZE.key: f"{spec.managed.bytes}b",
        o.TM_NETWORK_MEMORY_MIN.key: network,
        o.TM_NETWORK_MEMORY_MAX.key: network,
        o.NUM_TASK_SLOTS.key: str(spec.num_slots),
    })
    return TaskExecutorProcessSpec.from_config(sized, cpu_cores=spec.cpu_cores)
