"""
What the ResourceManager shows of its state, as immutable values (for the REST API's
``/taskmanagers`` and for tests): each registered TaskManager with its registration and its slots
(free or allocated, and to which job), and the REST form Flink's ``TaskManagerInfo`` /
``TaskManagerDetailsInfo`` give them.
"""

from attrs import field, frozen

from flinkyarn.runtime.messages import ResourceProfile
from yarnemu.records.immutable import frozen_tuple

__all__ = ["SlotInfo", "TaskManagerInfo", "NETWORK_SEGMENT_SIZE"]

NETWORK_SEGMENT_SIZE = 32768
"""``taskmanager.memory.segment-size``: the network memory is counted in segments of 32 KiB."""

_PROFILE_FIELDS = ("task_heap_mb", "task_off_heap_mb", "managed_memory_mb", "network_memory_mb")


@frozen
class SlotInfo:
    """
    One slot of a registered TaskManager.

    :ivar str state: ``FREE``, ``PENDING`` (being given to a job) or ``ALLOCATED``.
    """

    slot_id: object
    state: str
    job_id: object
    allocation_id: object
    resource_profile: ResourceProfile


@frozen
class TaskManagerInfo:
    """
    A registered TaskManager.

    :ivar registration: the ``TaskExecutorRegistration`` it registered with.
    :ivar int registered_ms: when it registered (epoch ms).
    :ivar int last_heartbeat_ms: when it last answered a heartbeat (its registration time
        before the first).
    :ivar slots: its :class:`SlotInfo` values, by slot number (empty until its first slot
        report).
    """

    resource_id: object
    registration: object
    registered_ms: int
    last_heartbeat_ms: int
    slots: tuple = field(converter=frozen_tuple)

    @property
    def address(self):
        return self.registration.address

    @property
    def number_of_slots(self):
        return len(self.slots) or self.registration.number_of_slots

    @property
    def free_slots(self):
        return sum(1 for slot in self.slots if slot.state == "FREE") if self.slots else \
            self.registration.number_of_slots

    @property
    def allocated_slots(self):
        """The slots given to jobs (pending or allocated)."""
        return tuple(slot for slot in self.slots if slot.state != "FREE")

    @property
    def free_profile(self):
        """The total profile minus the profiles of its allocated slots."""
        free = self.registration.total_profile
        for slot in self.allocated_slots:
            free = _minus(free, slot.resource_profile)
        return free

    def to_json(self, details=False):
        """
        :return: Flink's REST ``TaskManagerInfo`` (with ``details``: ``TaskManagerDetailsInfo``,
            adding ``allocatedSlots`` and ``metrics``).
        """
        registration = self.registration
        hardware = registration.hardware
        memory = dict(registration.memory_configuration)
        view = {
            "id": str(self.resource_id),
            "path": registration.address,
            "dataPort": registration.data_port,
            "jmxPort": registration.jmx_port,
            "timeSinceLastHeartbeat": self.last_heartbeat_ms,
            "slotsNumber": self.number_of_slots,
            "freeSlots": self.free_slots,
            "totalResource": registration.total_profile.to_json(),
            "freeResource": self.free_profile.to_json(),
            "hardware": {
                "cpuCores": hardware.cpu_cores,
                "physicalMemory": hardware.physical_memory_bytes,
                "freeMemory": hardware.free_memory_bytes,
                "managedMemory": hardware.managed_memory_bytes,
            },
            "memoryConfiguration": memory,
            "blocked": False,
        }
        if details:
            view["allocatedSlots"] = [{"jobId": str(slot.job_id),
                                       "resource": slot.resource_profile.to_json()}
                                      for slot in self.allocated_slots]
            view["metrics"] = _static_metrics(memory)
        return view


def _minus(profile, used):
    if profile.is_unknown or used.is_unknown:
        return profile
    values = {"cpu_cores": max(0.0, (profile.cpu_cores or 0.0) - (used.cpu_cores or 0.0))}
    for name in _PROFILE_FIELDS:
        values[name] = max(0, (getattr(profile, name) or 0) - (getattr(used, name) or 0))
    return ResourceProfile(**values)


def _static_metrics(memory):
    """
    The memory metrics of ``TaskManagerDetailsInfo`` as far as the configuration fixes them: the
    maxima; nothing is used, as no JVM runs.
    """
    heap = memory.get("frameworkHeap", 0) + memory.get("taskHeap", 0)
    direct = (memory.get("frameworkOffHeap", 0) + memory.get("taskOffHeap", 0)
              + memory.get("networkMemory", 0))
    network = memory.get("networkMemory", 0)
    segments = network // NETWORK_SEGMENT_SIZE
    return {
        "heapUsed": 0, "heapCommitted": heap, "heapMax": heap,
        "nonHeapUsed": 0, "nonHeapCommitted": 0, "nonHeapMax": memory.get("jvmMetaspace", 0),
        "directCount": 0, "directUsed": 0, "directMax": direct,
        "mappedCount": 0, "mappedUsed": 0, "mappedMax": 0,
        "memorySegmentsAvailable": segments, "memorySegmentsTotal": segments,
        "nettyShuffleMemorySegmentsAvailable": segments, "nettyShuffleMemorySegmentsUsed": 0,
        "nettyShuffleMemorySegmentsTotal": segments,
        "nettyShuffleMemoryAvailable": network, "nettyShuffleMemoryUsed": 0,
        "nettyShuffleMemoryTotal": network,
        "garbageCollectors": [],
    }
