"""
:class:`SlotManager`: the ResourceManager's declarative slot manager (FLIP-138, Flink's
``FineGrainedSlotManager`` with default slots).  It keeps the registered TaskManagers' slots and
the jobs' absolute requirements and reconciles them:

- **Requirement checks** (``slotmanager.requirement-check.delay``, 50 ms after a change, changes
  in between folded into one check) run :func:`~flinkyarn.runtime.resourcemanager.
  allocation_plan.plan_allocations`: free slots go to jobs with unmet requirements through
  ``request_slot`` on their TaskExecutor (which then offers them to the job's JobMaster); a
  failed ``request_slot`` frees the slot, puts it last in line and checks again, so the slot is
  taken elsewhere.  What free slots cannot give becomes pending workers.
- **Declarations**: after each check (on an active cluster) it declares how many workers it
  needs — registered ones it wants plus pending ones — and which registered ones it does not
  want any more, to the ``declare`` callback (the ResourceManager's worker pool).
- **Requirements with a declared profile** (a FLIP-40 driver's ``--driver*`` resources) on an
  active cluster get a worker of their own, sized to them (the smallest fine-grained resource
  management: a pending TaskManager of one slot sized to the requirement, see
  :meth:`~flinkyarn.runtime.resourcemanager.worker_spec.WorkerResourceSpec.sized_to`); such a
  worker's slot serves only such requirements, and it is declared under its own spec.
- **Idle TaskManagers**: every ``resourcemanager.taskmanager-timeout`` (30 s, first at start) a
  TaskManager whose slots have all been free for that long becomes unwanted, unless
  ``slotmanager.redundant-taskmanager-num`` TaskManagers' worth of free slots would not be left.
- **Slot state** follows the TaskExecutors: their slot reports (registration, heartbeats) and
  ``notify_slot_available``.

On a standalone cluster (``active=False``) nothing is declared and nothing is released: missing
slots stay missing.
"""

from attrs import field, frozen

from flinkyarn.runtime.messages import ResourceProfile, ResourceRequirement
from flinkyarn.runtime.resourcemanager.allocation_plan import (
    FreeSlot,
    JobDemand,
    missing_slots,
    plan_allocations,
)
from flinkyarn.runtime.resourcemanager.log_text import (
    profile_text,
    requirement_text,
    requirements_text,
)
from flinkyarn.runtime.resourcemanager.worker_spec import WorkerResourceSpec
from yarnemu.records.immutable import frozen_tuple
from yarnemu.timers import GridTimer, now_ms

__all__ = ["SlotManager", "ResourceDeclaration", "FREE", "PENDING", "ALLOCATED"]

FREE = "FREE"
PENDING = "PENDING"
ALLOCATED = "ALLOCATED"

_LOGGER = "org.apache.flink.runtime.resourcemanager.slotmanager.FineGrainedSlotManager"
_SYNCER_LOGGER = "org.apache.flink.runtime.resourcemanager.slotmanager.DefaultSlotStatusSyncer"


@frozen
class ResourceDeclaration:
    """
    What the slot manager needs of one worker spec (Flink's ``ResourceDeclaration``).

    :ivar spec: the :class:`~flinkyarn.runtime.resourcemanager.worker_spec.WorkerResourceSpec`.
    :ivar int num_needed: workers wanted: registered ones not unwanted, plus pending ones.
    :ivar unwanted: ResourceIDs of registered workers to release.
    """

    spec: object
    num_needed: int
    unwanted: tuple = field(default=(), converter=frozen_tuple)


class _Slot:
    __slots__ = ("slot_id", "profile", "state", "job_id", "allocation_id", "requirement",
                 "failures")

    def __init__(self, slot_id, profile):
        self.slot_id = slot_id
        self.profile = profile
        self.state = FREE
        self.job_id = None
        self.allocation_id = None
        self.requirement = None
        self.failures = 0

    def assign(self, state, job_id, allocation_id, requirement):
        self.state = state
        self.job_id = job_id
        self.allocation_id = allocation_id
        self.requirement = requirement

    def free(self):
        self.assign(FREE, None, None, None)


class _TaskManager:
    __slots__ = ("resource_id", "instance_id", "gateway", "total_profile", "default_slot_profile",
                 "slots", "idle_since_ms", "sequence", "spec")

    def __init__(self, resource_id, instance_id, gateway, total_profile, default_slot_profile,
                 sequence, spec):
        self.spec = spec
        self.resource_id = resource_id
        self.instance_id = instance_id
        self.gateway = gateway
        self.total_profile = total_profile
        self.default_slot_profile = default_slot_profile
        self.slots = {}
        self.idle_since_ms = None
        self.sequence = sequence

    @property
    def idle(self):
        return all(slot.state == FREE for slot in self.slots.values())


class SlotManager:
    """
    :param clock: the JobManager process's clock.
    :param log: the JobManager's :class:`~flinkyarn.runtime.process.FlinkLog`.
    :param ids: an :class:`~flinkyarn.ids.IdGenerator` for allocation ids.
    :param resource_manager_id: the ResourceManager's id, sent with ``request_slot``.
    :param worker_spec: the spec of the workers the cluster starts.
    :param bool active: whether workers are started on demand (and released when idle).
    :param int task_manager_timeout_ms: ``resourcemanager.taskmanager-timeout``.
    :param int redundant_task_managers: ``slotmanager.redundant-taskmanager-num``.
    :param float requirement_check_delay: seconds between a change and the check it triggers.
    :param declare: called with a list of :class:`ResourceDeclaration` after each check (only
        when ``active``).
    """

    def __init__(self, clock, log, ids, resource_manager_id, *, worker_spec, active,
                 task_manager_timeout_ms, redundant_task_managers, requirement_check_delay,
                 declare):
        self._clock = clock
        self._log = log
        self._ids = ids
        self._resource_manager_id = resource_manager_id
        self.worker_spec = worker_spec
        self.active = active
        self._timeout_ms = task_manager_timeout_ms
        self._redundant_slots = redundant_task_managers * worker_spec.num_slots if active else 0
        self._check_delay = requirement_check_delay
        self._declare = declare
        self._requirements = {}
        self._targets = {}
        self._task_managers = {}
        self._unwanted = {}
        self._sequence = 0
        self._check_call = None
        self._reconciliation = None
        self._unfulfillable = ()
        self.pending_workers = 0
        self.pending_sized_workers = {}
        self._sized_specs = {}
        self._declared_specs = {worker_spec: True}
        self.started = False

    # Lifecycle

    def start(self):
        """Start; an active slot manager checks for idle TaskManagers from now on."""
        self._log.info(_LOGGER, "Starting the slot manager.")
        self.started = True
        if self.active:
            self._reconciliation = GridTimer(self._clock, self._timeout_ms, self._reconcile)
            self._reconciliation.start(now_ms(self._clock))

    def stop(self):
        if not self.started:
            return
        self._log.info(_LOGGER, "Closing the slot manager.")
        self.started = False
        if self._reconciliation is not None:
            self._reconciliation.stop()
        if self._check_call is not None and self._check_call.active():
            self._check_call.cancel()
        self._check_call = None

    # Requirements

    def process_resource_requirements(self, requirements):
        """A job's new absolute requirements (``ResourceRequirements``; none: cleared)."""
        job_id = requirements.job_id
        if requirements.total == 0:
            if job_id not in self._requirements:
                return
            self._log.info(_LOGGER, f"Clearing resource requirements of job {job_id}")
            del self._requirements[job_id]
            self._targets.pop(job_id, None)
        else:
            self._log.info(_LOGGER, f"Received resource requirements from job {job_id}: "
                                    f"{requirements_text(requirements.requirements)}")
            self._requirements[job_id] = requirements
            self._targets[job_id] = requirements.target_address
        self.trigger_requirements_check()

    def clear_resource_requirements(self, job_id):
        """Forget a job's requirements (its JobMaster is gone for good)."""
        if self._requirements.pop(job_id, None) is not None:
            self._targets.pop(job_id, None)
            self.trigger_requirements_check()

    def requirements_of(self, job_id):
        """:return: the job's current ``ResourceRequirements``, or ``None``."""
        return self._requirements.get(job_id)

    # TaskManagers

    def register_task_manager(self, resource_id, instance_id, gateway, slot_report,
                              total_profile, default_slot_profile, worker_spec=None):
        """
        Take a registered TaskExecutor's slots (its first slot report).  ``worker_spec`` is
        the spec it was started with (default: the cluster's).

        :return: ``True`` if it is new here, ``False`` if it was registered already (its
            report is then only reconciled).
        """
        self._log.info(_LOGGER, f"Registering task executor {resource_id} under {instance_id} "
                                "at the slot manager.")
        current = self._task_managers.get(resource_id)
        if current is not None and current.instance_id == instance_id:
            self.report_slot_status(resource_id, slot_report)
            return False
        self._sequence += 1
        task_manager = _TaskManager(resource_id, instance_id, gateway, total_profile,
                                    default_slot_profile, self._sequence,
                                    worker_spec or self.worker_spec)
        self._task_managers[resource_id] = task_manager
        self._sync_slots(task_manager, slot_report)
        self._update_idle(task_manager)
        self.trigger_requirements_check()
        return True

    def unregister_task_manager(self, resource_id, cause=None):
        """
        Drop a TaskExecutor and its slots; the jobs that held them miss them from now on.

        :return: whether it was registered.
        """
        task_manager = self._task_managers.pop(resource_id, None)
        self._unwanted.pop(resource_id, None)
        if task_manager is None:
            return False
        self._log.info(_LOGGER, "Unregistering task executor "
                                f"{task_manager.instance_id} from the slot manager.")
        if not task_manager.idle:
            self.trigger_requirements_check()
        return True

    def report_slot_status(self, resource_id, slot_report):
        """
        Reconcile with a TaskExecutor's slot report: slots it no longer reports allocated are
        free, slots it reports allocated are taken by their job.

        :return: whether it is registered here.
        """
        task_manager = self._task_managers.get(resource_id)
        if task_manager is None:
            return False
        if self._sync_slots(task_manager, slot_report):
            self._update_idle(task_manager)
            self.trigger_requirements_check()
        return True

    def free_slot(self, slot_id, allocation_id):
        """A slot's allocation ended (``notify_slot_available``): it is free for other jobs."""
        task_manager = self._task_managers.get(slot_id.resource_id)
        slot = task_manager.slots.get(slot_id.slot_number) if task_manager else None
        if slot is None or slot.state == FREE or slot.allocation_id != allocation_id:
            return
        self._log.info(_SYNCER_LOGGER, f"Freeing slot {allocation_id}.")
        slot.free()
        self._update_idle(task_manager)
        self.trigger_requirements_check()

    # Checks

    def trigger_requirements_check(self):
        """Check the requirements after the requirement-check delay (once for many changes)."""
        if not self.started or (self._check_call is not None and self._check_call.active()):
            return
        self._check_call = self._clock.callLater(self._check_delay,
                                                 self.check_resource_requirements)

    def check_resource_requirements(self):
        """Allocate free slots to jobs now and declare the workers still needed."""
        if not self.started:
            return
        if self._check_call is not None and self._check_call.active():
            self._check_call.cancel()
        self._check_call = None
        demands = [JobDemand(job_id, requirements.requirements, self._acquired(job_id))
                   for job_id, requirements in self._requirements.items()]
        missing = [(demand.job_id, missing_slots(demand)) for demand in demands]
        missing = [(job_id, slots) for job_id, slots in missing if slots]
        if missing:
            self._log_missing(missing)
        plan = plan_allocations(
            demands, self._free_slots(), self.worker_spec.num_slots,
            self.worker_spec.default_slot_profile if self.active else None,
            self._redundant_slots, size_workers=self.active)
        for allocation in plan.allocations:
            self._allocate(allocation)
        self.pending_workers = plan.pending_workers
        sized = {}
        for profile in plan.pending_sized:
            spec = self.sized_spec(profile)
            sized[spec] = sized.get(spec, 0) + 1
        self.pending_sized_workers = sized
        if plan.unfulfillable_jobs != self._unfulfillable:
            for job_id in plan.unfulfillable_jobs:
                if job_id not in self._unfulfillable:
                    self._log.warn(_LOGGER, f"Could not fulfill resource requirements of job "
                                            f"{job_id}.")
            self._unfulfillable = plan.unfulfillable_jobs
        self._declare_needed_resources()

    def sized_spec(self, profile):
        """:return: the ``WorkerResourceSpec`` of a worker sized to a requirement ``profile``."""
        spec = self._sized_specs.get(profile)
        if spec is None:
            spec = self._sized_specs[profile] = WorkerResourceSpec.sized_to(profile,
                                                                            self.worker_spec)
        return spec

    # Views

    @property
    def task_manager_ids(self):
        """ResourceIDs of the registered TaskManagers, in registration order."""
        return tuple(self._task_managers)

    def slots_of(self, resource_id):
        """:return: ``(SlotID, state, job_id, allocation_id, profile)`` per slot, by number."""
        task_manager = self._task_managers.get(resource_id)
        if task_manager is None:
            return ()
        return tuple((slot.slot_id, slot.state, slot.job_id, slot.allocation_id, slot.profile)
                     for _, slot in sorted(task_manager.slots.items()))

    def idle_since_ms(self, resource_id):
        task_manager = self._task_managers.get(resource_id)
        return None if task_manager is None else task_manager.idle_since_ms

    @property
    def registered_slots(self):
        return sum(len(tm.slots) for tm in self._task_managers.values())

    @property
    def free_slots(self):
        return sum(1 for tm in self._task_managers.values() for slot in tm.slots.values()
                   if slot.state == FREE)

    @property
    def unwanted(self):
        """ResourceIDs of the TaskManagers declared unwanted and not yet released."""
        return tuple(self._unwanted)

    # Internals

    def _acquired(self, job_id):
        return tuple(slot.requirement or ResourceProfile.UNKNOWN
                     for tm in self._task_managers.values() for slot in tm.slots.values()
                     if slot.state != FREE and slot.job_id == job_id)

    def _free_slots(self):
        candidates = []
        for task_manager in self._task_managers.values():
            if task_manager.resource_id in self._unwanted:
                continue
            for number, slot in task_manager.slots.items():
                if slot.state == FREE:
                    candidates.append(((slot.failures, task_manager.sequence, number), slot,
                                       task_manager.spec != self.worker_spec))
        candidates.sort(key=lambda item: item[0])
        return [FreeSlot(slot.slot_id, slot.profile, sized) for _, slot, sized in candidates]

    def _allocate(self, allocation):
        task_manager = self._task_managers[allocation.slot_id.resource_id]
        slot = task_manager.slots[allocation.slot_id.slot_number]
        allocation_id = self._ids.allocation_id()
        profile = allocation.profile
        effective = task_manager.default_slot_profile if profile.is_unknown else profile
        job_id = allocation.job_id
        self._log.info(_SYNCER_LOGGER, f"Starting allocation of slot {allocation_id} from "
                                       f"{task_manager.resource_id} for job {job_id} with "
                                       f"resource profile {profile_text(effective)}.")
        slot.assign(PENDING, job_id, allocation_id, profile)
        self._update_idle(task_manager)
        d = task_manager.gateway.request_slot(slot.slot_id, job_id, allocation_id, effective,
                                              self._targets.get(job_id),
                                              self._resource_manager_id)
        d.addCallbacks(self._slot_allocated, self._slot_allocation_failed,
                       callbackArgs=(task_manager, slot, allocation_id),
                       errbackArgs=(task_manager, slot, allocation_id))

    def _still_pending(self, task_manager, slot, allocation_id):
        return (self._task_managers.get(task_manager.resource_id) is task_manager
                and slot.state == PENDING and slot.allocation_id == allocation_id)

    def _slot_allocated(self, _, task_manager, slot, allocation_id):
        if self._still_pending(task_manager, slot, allocation_id):
            slot.state = ALLOCATED

    def _slot_allocation_failed(self, failure, task_manager, slot, allocation_id):
        if not self._still_pending(task_manager, slot, allocation_id):
            return None
        error = failure.value
        self._log.warn(_SYNCER_LOGGER, f"Slot allocation for allocation {allocation_id} for job "
                                       f"{slot.job_id} failed. "
                                       f"{getattr(error, 'message', None) or error}")
        slot.free()
        slot.failures += 1
        self._update_idle(task_manager)
        self.trigger_requirements_check()
        return None

    def _sync_slots(self, task_manager, slot_report):
        changed = False
        reported = {}
        for status in slot_report.statuses:
            number = status.slot_id.slot_number
            reported[number] = status
            if number not in task_manager.slots:
                task_manager.slots[number] = _Slot(status.slot_id, status.resource_profile)
                changed = True
        for number, slot in task_manager.slots.items():
            status = reported.get(number)
            allocation = status.allocation_id if status is not None else None
            if slot.state == ALLOCATED and allocation != slot.allocation_id:
                self._log.info(_SYNCER_LOGGER, f"Freeing slot {slot.allocation_id} by slot "
                                               "report.")
                slot.free()
                changed = True
            if allocation is None:
                continue
            if slot.allocation_id == allocation:
                if slot.state == PENDING:
                    slot.state = ALLOCATED
                continue
            slot.assign(ALLOCATED, status.job_id, allocation, None)
            changed = True
        return changed

    def _update_idle(self, task_manager):
        if task_manager.idle:
            if task_manager.idle_since_ms is None:
                task_manager.idle_since_ms = now_ms(self._clock)
        else:
            task_manager.idle_since_ms = None

    def _reconcile(self, when_ms):
        timed_out = [tm for tm in self._task_managers.values()
                     if tm.resource_id not in self._unwanted and tm.idle_since_ms is not None
                     and when_ms - tm.idle_since_ms >= self._timeout_ms]
        kept_free = sum(1 for tm in self._task_managers.values()
                        if tm.resource_id not in self._unwanted and tm not in timed_out
                        for slot in tm.slots.values() if slot.state == FREE)
        for task_manager in timed_out:
            if kept_free >= self._redundant_slots:
                self._unwanted[task_manager.resource_id] = True
            else:
                kept_free += len(task_manager.slots)
        self.check_resource_requirements()

    def _declare_needed_resources(self):
        """Declare every spec ever declared (the default first), so that none is forgotten."""
        if not self.active:
            return
        for spec in self.pending_sized_workers:
            self._declared_specs.setdefault(spec, True)
        for task_manager in self._task_managers.values():
            self._declared_specs.setdefault(task_manager.spec, True)
        needed = {spec: 0 for spec in self._declared_specs}
        unwanted = {spec: [] for spec in self._declared_specs}
        for resource_id, task_manager in self._task_managers.items():
            if resource_id not in self._unwanted:
                needed[task_manager.spec] += 1
        for resource_id in self._unwanted:
            task_manager = self._task_managers.get(resource_id)
            spec = task_manager.spec if task_manager is not None else self.worker_spec
            unwanted[spec].append(resource_id)
        needed[self.worker_spec] += self.pending_workers
        for spec, count in self.pending_sized_workers.items():
            needed[spec] += count
        self._declare([ResourceDeclaration(spec, needed[spec], tuple(unwanted[spec]))
                       for spec in self._declared_specs])

    def _log_missing(self, missing):
        lines = ["Matching resource requirements against available resources.",
                 "Missing resources:"]
        for job_id, slots in missing:
            lines.append(f"\t Job {job_id}")
            for profile, count in slots:
                lines.append(f"\t\t{requirement_text(ResourceRequirement(profile, count))}")
        lines.append("Current resources:")
        if not self._task_managers:
            lines.append("\t(none)")
        for task_manager in self._task_managers.values():
            free = sum(1 for slot in task_manager.slots.values() if slot.state == FREE)
            lines.append(f"\tTaskManager {task_manager.resource_id}")
            lines.append(f"\t\tAvailable: {free} of {len(task_manager.slots)} slots")
            lines.append(f"\t\tTotal:     {profile_text(task_manager.total_profile)}")
        self._log.info(_LOGGER, "\n".join(lines))
