"""
What a worker (a TaskManager process) is made of, as the ResourceManager reasons about it:
:class:`WorkerResourceSpec` (Flink's ``WorkerResourceSpec``: the resources the slots of one
TaskExecutor share) derived from a :class:`~flinkyarn.config.TaskExecutorProcessSpec`, its total
and default slot :class:`~flinkyarn.runtime.messages.ResourceProfile`, and the text forms Flink's
logs print for both specs.
"""

from attrs import frozen

from flinkyarn.config.values import MemorySize, format_java_double
from flinkyarn.runtime.messages import ResourceProfile

__all__ = ["WorkerResourceSpec", "process_spec_text"]


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
