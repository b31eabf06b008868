"""
:class:`DriverResources`: what FLIP-40's driver options ask for the driver task —
``--driverheapmemory`` (task heap, MB), ``--driverdirectmemory`` and ``--drivernativememory``
(direct and native memory, MB; Flink's memory model since FLIP-49 counts both as task off-heap
memory) and ``--drivercpus`` (CPU cores) — and the
:class:`~flinkyarn.graph.resource_spec.ResourceSpec` of the driver's slot they make.

With none of them the driver takes a default slot, like any task.  With any of them its slot is
sized: what is not given is the default slot's (its CPU cores and task heap), direct and native
memory not given are 0, and a driver runs no operator that needs managed memory (0).  On a
cluster that starts TaskManagers on demand, such a slot comes from a TaskManager of its own,
sized to it.
"""

from attrs import frozen

from flinkyarn.config import TaskExecutorProcessSpec
from flinkyarn.graph.resource_spec import ResourceSpec
from flinkyarn.runtime.resourcemanager.worker_spec import WorkerResourceSpec

__all__ = ["DriverResources", "DriverResourcesError", "MAX_MEMORY_MB"]

MAX_MEMORY_MB = 1 << 30
"""The largest size an option takes (1 PiB in MB): beyond any container, within Flink's
``MemorySize``."""


class DriverResourcesError(ValueError):
    """A driver option that is not a size or a number of cores: the message says which."""


@frozen
class DriverResources:
    """
    :ivar heap_mb: ``--driverheapmemory``, or ``None``.
    :ivar direct_mb: ``--driverdirectmemory``, or ``None``.
    :ivar cpus: ``--drivercpus``, or ``None``.
    :ivar native_mb: ``--drivernativememory``, or ``None``.
    """

    heap_mb: int | None = None
    direct_mb: int | None = None
    cpus: float | None = None
    native_mb: int | None = None

    @classmethod
    def parse(cls, heap=None, direct=None, cpus=None, native=None):
        """
        :param heap: ``--driverheapmemory``'s value (text or a number), or ``None``; likewise
            ``direct``, ``cpus`` and ``native``.
        :raise DriverResourcesError: for a value that is not a whole number of MB (at least 1
            for the heap, 0 for the others, at most :data:`MAX_MEMORY_MB`) or not a positive
            number of cores.
        """
        return cls(_megabytes("driver heap memory", heap, 1),
                   _megabytes("driver direct memory", direct, 0),
                   _cores(cpus),
                   _megabytes("driver native memory", native, 0))

    @property
    def given(self):
        """Whether any option was given."""
        return any(value is not None for value in (self.heap_mb, self.direct_mb, self.cpus,
                                                   self.native_mb))

    def resource_spec(self, configuration):
        """
        :param configuration: the Flink configuration TaskManagers are sized by (for what is
            not given: the default slot's).
        :return: the driver slot's :class:`ResourceSpec`, or ``None`` for a default slot.
        """
        if not self.given:
            return None
        default = None
        if self.cpus is None or self.heap_mb is None:
            default = WorkerResourceSpec.from_process_spec(
                TaskExecutorProcessSpec.for_yarn(configuration)).default_slot_profile
        return ResourceSpec(
            cpu_cores=self.cpus if self.cpus is not None else default.cpu_cores,
            task_heap_mb=self.heap_mb if self.heap_mb is not None else default.task_heap_mb,
            task_off_heap_mb=(self.direct_mb or 0) + (self.native_mb or 0),
            managed_memory_mb=0,
        )


def _megabytes(what, value, minimum):
    if value is None:
        return None
    text = str(value).strip()
    try:
        number = int(text, 10) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or not minimum <= number <= MAX_MEMORY_MB:
        least = "a positive" if minimum else "a non-negative"
        raise DriverResourcesError(f"The {what} must be {least} whole number of MB: {value}")
    return number


def _cores(value):
    if value is None:
        return None
    try:
        number = float(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or not 0 < number <= 1_000_000:
        raise DriverResourcesError(f"The driver cpus must be a positive number of cores: {value}")
    return number
