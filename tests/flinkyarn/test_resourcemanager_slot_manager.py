"""Tests for :mod:`flinkyarn.runtime.resourcemanager.slot_manager`, on its own with fake
TaskExecutor gateways and a virtual clock."""

from twisted.internet.defer import Deferred, succeed

from flinkyarn.config import Configuration, TaskExecutorProcessSpec
from flinkyarn.ids import IdGenerator, JobID
from flinkyarn.runtime.messages import (
    ResourceProfile,
    ResourceRequirement,
    ResourceRequirements,
    SlotID,
    SlotReport,
    SlotStatus,
)
from flinkyarn.runtime.resourcemanager.slot_manager import (
    ALLOCATED,
    FREE,
    PENDING,
    ResourceDeclaration,
    SlotManager,
)
from flinkyarn.runtime.resourcemanager.worker_spec import WorkerResourceSpec
from yarnemu.clock import VirtualClock

PROFILE = ResourceProfile(1.0, 384, 0, 512, 128)
JOB = JobID("00000000000000000000000000000001")
SPEC = WorkerResourceSpec.from_process_spec(
    TaskExecutorProcessSpec.for_yarn(Configuration.shipped_default()))


class Log:
    def __init__(self):
        self.lines = []

    def info(self, logger, message):
        self.lines.append(message)

    warn = error = info


class Gateway:
    """A TaskExecutor gateway whose request_slot answers are held until released."""

    def __init__(self):
        self.requests = []

    def request_slot(self, slot_id, job_id, allocation_id, profile, target, rm_id):
        d = Deferred()
        self.requests.append((slot_id, job_id, allocation_id, d))
        return d


def manager(active=True, redundant=0):
    clock = VirtualClock(0)
    declarations = []
    slot_manager = SlotManager(
        clock, Log(), IdGenerator(1), "rm-id", worker_spec=SPEC, active=active,
        task_manager_timeout_ms=30000, redundant_task_managers=redundant,
        requirement_check_delay=0.05, declare=declarations.append)
    slot_manager.start()
    clock.advance(0)
    return slot_manager, clock, declarations


def report(resource_id, *allocations):
    return SlotReport([SlotStatus(SlotID(resource_id, number), PROFILE, *allocation)
                       for number, allocation in enumerate(allocations)])


def register(slot_manager, resource_id, *allocations, gateway=None):
    gateway = gateway or Gateway()
    slot_manager.register_task_manager(resource_id, f"instance-{resource_id}", gateway,
                                       report(resource_id, *allocations), PROFILE, PROFILE)
    return gateway


def requirements(count, job_id=JOB):
    return ResourceRequirements(job_id, "jobmaster-address",
                                [ResourceRequirement(ResourceProfile.UNKNOWN, count)]
                                if count else [])


def test_changes_within_the_check_delay_make_one_check():
    """Requirement changes within slotmanager.requirement-check.delay are checked once, 50 ms
    after the first."""
    slot_manager, clock, declarations = manager()
    declarations.clear()
    slot_manager.process_resource_requirements(requirements(1))
    clock.advance(0.02)
    slot_manager.process_resource_requirements(requirements(3))
    clock.advance(0.02)
    assert declarations == []
    clock.advance(0.01)
    assert declarations == [[ResourceDeclaration(SPEC, 3, ())]]


def test_free_slot_is_requested_and_allocated_once_acknowledged():
    """A free slot is requested for the job (PENDING) and ALLOCATED when the TaskExecutor
    acknowledges."""
    slot_manager, clock, declarations = manager()
    gateway = register(slot_manager, "tm-1", (None, None))
    slot_manager.process_resource_requirements(requirements(1))
    clock.advance(0.05)
    ((slot_id, job_id, _, answer),) = gateway.requests
    assert (slot_id, job_id) == (SlotID("tm-1", 0), JOB)
    assert slot_manager.slots_of("tm-1")[0][1] == PENDING
    answer.callback(None)
    assert slot_manager.slots_of("tm-1")[0][1] == ALLOCATED
    assert declarations[-1] == [ResourceDeclaration(SPEC, 1, ())]


def test_slot_report_frees_and_takes_slots():
    """A slot report frees slots no longer reported allocated and takes slots reported
    allocated."""
    slot_manager, clock, _ = manager()
    register(slot_manager, "tm-1", ("allocation-1", JOB), (None, None))
    assert [slot[1] for slot in slot_manager.slots_of("tm-1")] == [ALLOCATED, FREE]
    slot_manager.report_slot_status("tm-1", report("tm-1", (None, None), ("allocation-2", JOB)))
    assert [slot[1:4] for slot in slot_manager.slots_of("tm-1")] == [
        (FREE, None, None), (ALLOCATED, JOB, "allocation-2")]
    assert "Freeing slot allocation-1 by slot report." in slot_manager._log.lines


def test_idle_task_managers_become_unwanted_after_the_timeout():
    """A TaskManager idle for resourcemanager.taskmanager-timeout is declared unwanted at the
    next idle check."""
    slot_manager, clock, declarations = manager()
    register(slot_manager, "tm-1", (None, None))
    clock.advance(29.9)
    assert slot_manager.unwanted == ()
    clock.advance(30.1)
    assert slot_manager.unwanted == ("tm-1",)
    assert declarations[-1] == [ResourceDeclaration(SPEC, 0, ("tm-1",))]


def test_redundant_task_managers_are_not_unwanted():
    """With one redundant TaskManager, one idle TaskManager's free slots are kept."""
    slot_manager, clock, declarations = manager(redundant=1)
    register(slot_manager, "tm-1", (None, None))
    register(slot_manager, "tm-2", (None, None))
    clock.advance(60)
    assert slot_manager.unwanted == ("tm-2",)
    assert declarations[-1] == [ResourceDeclaration(SPEC, 1, ("tm-2",))]


def test_unregistering_a_busy_task_manager_checks_the_requirements_again():
    """The slots of a TaskManager that leaves are missing again: the job needs a new worker."""
    slot_manager, clock, declarations = manager()
    gateway = register(slot_manager, "tm-1", (None, None))
    slot_manager.process_resource_requirements(requirements(1))
    clock.advance(0.05)
    gateway.requests[0][3].callback(None)
    assert declarations[-1] == [ResourceDeclaration(SPEC, 1, ())]
    slot_manager.unregister_task_manager("tm-1")
    clock.advance(0.05)
    assert declarations[-1] == [ResourceDeclaration(SPEC, 1, ())]
    assert slot_manager.pending_workers == 1


def test_standalone_slot_manager_declares_nothing():
    """An inactive (standalone) slot manager allocates free slots but never declares workers
    and never releases idle TaskManagers."""
    slot_manager, clock, declarations = manager(active=False)
    register(slot_manager, "tm-1", (None, None), gateway=SucceedingGateway())
    slot_manager.process_resource_requirements(requirements(2))
    clock.advance(120)
    assert declarations == []
    assert slot_manager.unwanted == ()
    assert slot_manager.slots_of("tm-1")[0][1] == ALLOCATED
    assert slot_manager.pending_workers == 0


class SucceedingGateway:
    def request_slot(self, *args):
        return succeed(None)
