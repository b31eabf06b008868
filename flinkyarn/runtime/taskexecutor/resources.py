"""
What a TaskExecutor tells the ResourceManager about its resources, derived from its
:class:`~flinkyarn.config.TaskExecutorProcessSpec`, beyond its resource profiles (which are the
ResourceManager's :class:`~flinkyarn.runtime.resourcemanager.worker_spec.WorkerResourceSpec`'s):
its memory configuration in the REST field names of ``TaskExecutorMemoryConfiguration``, its
hardware description, and the text of a profile in its logs.
"""

import math

from flinkyarn.config.values import MemorySize
from flinkyarn.runtime.messages import HardwareDescription, ResourceProfile

__all__ = [
    "memory_configuration",
    "hardware_description",
    "profile_text",
]


def memory_configuration(spec):
    """:return: the memory components in bytes, keyed and ordered as Flink's REST API has them."""
    return {
        "frameworkHeap": spec.framework_heap.bytes,
        "taskHeap": spec.task_heap.bytes,
        "frameworkOffHeap": spec.framework_off_heap.bytes,
        "taskOffHeap": spec.task_off_heap.bytes,
        "networkMemory": spec.network.bytes,
        "managedMemory": spec.managed.bytes,
        "jvmMetaspace": spec.jvm_metaspace.bytes,
        "jvmOverhead": spec.jvm_overhead.bytes,
        "totalFlinkMemory": spec.total_flink_memory.bytes,
        "totalProcessMemory": spec.total_process_memory.bytes,
    }


def hardware_description(spec):
    """
    :return: the process's :class:`HardwareDescription`: its whole cores, its container's memory
        as the physical memory, its JVM heap as the free memory, its managed memory.
    """
    return HardwareDescription(
        cpu_cores=math.ceil(spec.cpu_cores),
        physical_memory_bytes=spec.total_process_memory.bytes,
        free_memory_bytes=spec.jvm_heap.bytes,
        managed_memory_bytes=spec.managed.bytes,
    )


def profile_text(profile):
    """
    :return: a :class:`ResourceProfile` as Flink's ``ResourceProfile.toString`` prints it in
        TaskExecutor logs.
    """
    if profile.is_unknown:
        return "ResourceProfile{UNKNOWN}"

    def memory(mb):
        return MemorySize.of_mebibytes(mb or 0).to_human_readable()

    return (f"ResourceProfile{{cpuCores={profile.cpu_cores:.16f}, "
            f"taskHeapMemory={memory(profile.task_heap_mb)}, "
            f"taskOffHeapMemory={memory(profile.task_off_heap_mb)}, "
            f"managedMemory={memory(profile.managed_memory_mb)}, "
            f"networkMemory={memory(profile.network_memory_mb)}}}")
