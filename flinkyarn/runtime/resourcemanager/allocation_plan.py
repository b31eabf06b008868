"""
The slot manager's decision as a pure function: given what each job requires and has, and which
registered slots are free, which free slots go to which job and how many workers must still be
started (Flink's declarative ``ResourceAllocationStrategy``).

Rules:

- jobs are served in the order they first declared requirements, each requirement in its order;
  a job's acquired slots count against its requirements of the same profile first;
- a missing slot takes the first free slot whose profile fits (``UNKNOWN`` fits any slot), in
  the order the free slots are given;
- slots no free slot can give are *pending*: they will come from new workers if a new worker's
  default slot fits them; otherwise the job is *unfulfillable*;
- pending workers = ⌈pending slots / slots per worker⌉, raised until the free slots left plus the
  unused slots of pending workers reach the redundant slots (``slotmanager.redundant-
  taskmanager-num`` × slots per worker).

Workers sized to a requirement (fine-grained resource management, as a pending TaskManager sized
to the requirement): when the caller can size workers (``size_workers``), a requirement
with a declared profile is served only by a free slot of such a sized worker that fits it, else
it becomes a *pending sized* slot — one new one-slot worker sized to the profile; a requirement
of the default (``UNKNOWN``) profile is then served only by the default workers' slots.
"""

from attrs import field, frozen

from yarnemu.records.immutable import frozen_tuple

__all__ = ["JobDemand", "FreeSlot", "SlotAllocation", "AllocationPlan", "plan_allocations",
           "profile_fits"]


@frozen
class JobDemand:
    """
    :ivar requirements: the job's ``ResourceRequirement`` values.
    :ivar acquired: the requirement profile of each slot the job holds or is being given.
    """

    job_id: object
    requirements: tuple = field(converter=frozen_tuple)
    acquired: tuple = field(converter=frozen_tuple)


@frozen
class FreeSlot:
    """A free slot; ``sized`` when its worker was started sized to a requirement."""

    slot_id: object
    profile: object
    sized: bool = False


@frozen
class SlotAllocation:
    """Give ``slot_id`` to ``job_id`` for a requirement of ``profile``."""

    job_id: object
    slot_id: object
    profile: object


@frozen
class AllocationPlan:
    """
    :ivar pending_sized: the profile of each slot to come from a new worker sized to it.
    """

    allocations: tuple = field(converter=frozen_tuple)
    pending_slots: int = 0
    pending_workers: int = 0
    unfulfillable_jobs: tuple = field(default=(), converter=frozen_tuple)
    pending_sized: tuple = field(default=(), converter=frozen_tuple)

    @property
    def missing(self):
        """Whether any job lacks slots after this plan (pending or unfulfillable)."""
        return self.pending_slots > 0 or bool(self.unfulfillable_jobs) or bool(self.pending_sized)


def profile_fits(requirement, slot):
    """
    :return: whether a slot of profile ``slot`` satisfies a requirement of profile
        ``requirement``: always for ``UNKNOWN``, else when no specified dimension exceeds the
        slot's.
    """
    if requirement.is_unknown:
        return True
    if slot.is_unknown:
        return False
    for name in ("cpu_cores", "task_heap_mb", "task_off_heap_mb", "managed_memory_mb",
                 "network_memory_mb"):
        wanted = getattr(requirement, name)
        if wanted is not None and wanted > (getattr(slot, name) or 0):
            return False
    return True


def missing_slots(demand):
    """:return: ``[(profile, count)]`` a job still lacks, in the order of its requirements."""
    acquired = list(demand.acquired)
    missing = []
    for requirement in demand.requirements:
        have = 0
        for profile in list(acquired):
            if have >= requirement.count:
                break
            if profile == requirement.profile:
                acquired.remove(profile)
                have += 1
        if requirement.count > have:
            missing.append((requirement.profile, requirement.count - have))
    return missing


def plan_allocations(demands, free_slots, slots_per_worker, worker_slot_profile,
                     redundant_slots=0, size_workers=False):
    """
    :param demands: :class:`JobDemand` values, in the order jobs are served.
    :param free_slots: :class:`FreeSlot` values, in the order they are taken.
    :param int slots_per_worker: the slots of a new worker.
    :param worker_slot_profile: the profile of a new worker's slots, or ``None`` when no worker
        can be started (a standalone cluster): then nothing is pending.
    :param int redundant_slots: free slots to keep available beyond the requirements.
    :param bool size_workers: workers can be started sized to a requirement (only with a
        ``worker_slot_profile``).
    :return: an :class:`AllocationPlan`.
    """
    sizing = size_workers and worker_slot_profile is not None
    free = list(free_slots)
    allocations = []
    pending_slots = 0
    pending_sized = []
    unfulfillable = []
    for demand in demands:
        for profile, count in missing_slots(demand):
            for slot in [slot for slot in free if _serves(profile, slot, sizing)][:count]:
                free.remove(slot)
                allocations.append(SlotAllocation(demand.job_id, slot.slot_id, profile))
                count -= 1
            if count <= 0:
                continue
            if sizing and not profile.is_unknown:
                pending_sized.extend([profile] * count)
            elif worker_slot_profile is not None and profile_fits(profile, worker_slot_profile):
                pending_slots += count
            elif demand.job_id not in unfulfillable:
                unfulfillable.append(demand.job_id)
    workers = 0
    if worker_slot_profile is not None:
        workers = _ceil_div(pending_slots, slots_per_worker)
        # Spare default slots only: a sized worker's slot is no spare for anyone.
        spare = sum(1 for slot in free if not (sizing and slot.sized))
        shortfall = pending_slots + redundant_slots - spare
        workers = max(workers, _ceil_div(shortfall, slots_per_worker))
    return AllocationPlan(allocations, pending_slots if worker_slot_profile is not None else 0,
                          workers, unfulfillable, pending_sized)


def _serves(profile, slot, sizing):
    """Whether free ``slot`` can be given to a requirement of ``profile``."""
    if not sizing:
        return profile_fits(profile, slot.profile)
    if profile.is_unknown:
        return not slot.sized
    return slot.sized and profile_fits(profile, slot.profile)


def _ceil_div(numerator, denominator):
    if numerator <= 0:
        return 0
    return -(-numerator // denominator)
