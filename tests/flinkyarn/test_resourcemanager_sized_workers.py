"""
A slot requirement that declares resources (a FLIP-40 driver's) on a cluster that starts
TaskManagers on demand gets a TaskManager of its own, sized to it: the allocation plan makes it a
pending sized worker, the slot manager declares it under its own spec (and keeps declaring that
spec until its workers are gone), the spec becomes a TaskExecutor process as Flink's
``processSpecFromWorkerResourceSpec`` makes one; a sized worker's slot serves only such
requirements.  Requirements of the default profile are served as before.
"""

from twisted.internet.defer import Deferred

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
from flinkyarn.runtime.resourcemanager.allocation_plan import (
    FreeSlot,
    JobDemand,
    SlotAllocation,
    plan_allocations,
)
from flinkyarn.runtime.resourcemanager.slot_manager import ResourceDeclaration, SlotManager
from flinkyarn.runtime.resourcemanager.worker_spec import WorkerResourceSpec, process_spec_of
from yarnemu.clock import VirtualClock

ANY = ResourceProfile.UNKNOWN
DRIVER = ResourceProfile(1.0, 1024, 128, 0, 0)
CONFIG = Configuration.shipped_default().with_values({"taskmanager.numberOfTaskSlots": 2})
SPEC = WorkerResourceSpec.from_process_spec(TaskExecutorProcessSpec.for_yarn(CONFIG))
SIZED = WorkerResourceSpec.sized_to(DRIVER, SPEC)
DRIVER_JOB = JobID("00000000000000000000000000000001")
OTHER_JOB = JobID("00000000000000000000000000000002")


def demand(job, profile, count=1, acquired=()):
    return JobDemand(job, [ResourceRequirement(profile, count)], acquired)


def test_a_declared_profile_becomes_a_worker_sized_to_it():
    plan = plan_allocations([demand("driver", DRIVER), demand("job", ANY, 2)], [], 2,
                            SPEC.default_slot_profile, size_workers=True)
    assert plan.pending_sized == (DRIVER,)
    assert (plan.pending_slots, plan.pending_workers, plan.unfulfillable_jobs) == (2, 1, ())


def test_without_sizing_a_profile_too_big_for_a_default_slot_is_unfulfillable():
    plan = plan_allocations([demand("driver", DRIVER)], [], 2, SPEC.default_slot_profile)
    assert (plan.pending_sized, plan.unfulfillable_jobs) == ((), ("driver",))


def test_sized_slots_serve_declared_profiles_and_default_slots_the_rest():
    sized = FreeSlot(SlotID("sized", 0), SIZED.default_slot_profile, sized=True)
    default = FreeSlot(SlotID("default", 0), SPEC.default_slot_profile)
    plan = plan_allocations([demand("job", ANY), demand("driver", DRIVER)], [sized, default], 2,
                            SPEC.default_slot_profile, size_workers=True)
    assert plan.allocations == (SlotAllocation("job", SlotID("default", 0), ANY),
                                SlotAllocation("driver", SlotID("sized", 0), DRIVER))
    # A default requirement does not take a sized worker's slot, even with nothing else free.
    plan = plan_allocations([demand("job", ANY)], [sized], 2, SPEC.default_slot_profile,
                            size_workers=True)
    assert (plan.allocations, plan.pending_slots) == ((), 1)


def test_a_sized_worker_is_the_request_plus_a_default_slots_network_memory():
    assert SIZED == WorkerResourceSpec(1.0, SIZED.task_heap, SIZED.task_off_heap, SIZED.network,
                                       SIZED.managed, 1)
    profile = SIZED.default_slot_profile
    assert (profile.cpu_cores, profile.task_heap_mb, profile.task_off_heap_mb,
            profile.managed_memory_mb, profile.network_memory_mb) == (1.0, 1024, 128, 0, 64)


def test_a_sized_worker_is_started_as_flink_sizes_a_worker_process():
    """Framework memory and Metaspace from the configuration, JVM Overhead from the Total Flink
    Memory: 128 + 1024 + 128 + 128 + 64 = 1472m, + 256m, overhead 192m (its minimum)."""
    process = process_spec_of(CONFIG, SIZED)
    assert process.total_flink_memory.mebibytes == 1472
    assert process.jvm_overhead.mebibytes == 192
    assert process.container_memory_mb == 1920
    assert (process.cpu_cores, process.num_slots) == (1.0, 1)
    assert WorkerResourceSpec.from_process_spec(process) == SIZED
    # The configuration's own spec comes back as it was derived.
    default = TaskExecutorProcessSpec.for_yarn(CONFIG)
    assert process_spec_of(CONFIG, SPEC) == default


class Log:
    def info(self, logger, message):
        pass

    warn = error = info


class Gateway:
    def __init__(self):
        self.requests = []

    def request_slot(self, slot_id, job_id, allocation_id, profile, target, rm_id):
        answer = Deferred()
        self.requests.append((slot_id, job_id, profile, answer))
        return answer


def test_the_slot_manager_declares_sized_workers_under_their_own_spec():
    clock = VirtualClock(0)
    declarations = []
    slot_manager = SlotManager(
        clock, Log(), IdGenerator(1), "rm-id", worker_spec=SPEC, active=True,
        task_manager_timeout_ms=30000, redundant_task_managers=0,
        requirement_check_delay=0.05, declare=declarations.append)
    slot_manager.start()
    slot_manager.process_resource_requirements(ResourceRequirements(
        DRIVER_JOB, "driver-master", [ResourceRequirement(DRIVER, 1)]))
    slot_manager.process_resource_requirements(ResourceRequirements(
        OTHER_JOB, "other-master", [ResourceRequirement(ANY, 1)]))
    clock.advance(0.05)
    assert declarations[-1] == [ResourceDeclaration(SPEC, 1), ResourceDeclaration(SIZED, 1)]
    assert slot_manager.pending_sized_workers == {SIZED: 1}

    # The sized worker registers: its slot goes to the driver, with the driver's profile.
    gateway = Gateway()
    slot = SIZED.default_slot_profile
    slot_manager.register_task_manager(
        "sized-tm", "instance-1", gateway, SlotReport([SlotStatus(SlotID("sized-tm", 0), slot)]),
        SIZED.total_profile, slot, SIZED)
    clock.advance(0.05)
    [(slot_id, job_id, profile, answer)] = gateway.requests
    assert (slot_id, job_id, profile) == (SlotID("sized-tm", 0), DRIVER_JOB, DRIVER)
    answer.callback(None)
    assert declarations[-1] == [ResourceDeclaration(SPEC, 1), ResourceDeclaration(SIZED, 1)]

    # The driver is done: its worker idles out and is declared unwanted, under its spec.
    slot_manager.process_resource_requirements(ResourceRequirements(DRIVER_JOB, "driver-master",
                                                                    []))
    slot_manager.report_slot_status("sized-tm", SlotReport([SlotStatus(SlotID("sized-tm", 0),
                                                                       slot)]))
    clock.advance(61)
    assert declarations[-1] == [ResourceDeclaration(SPEC, 1),
                                ResourceDeclaration(SIZED, 0, ("sized-tm",))]
    # Once it is gone its spec is still declared, with none wanted.
    slot_manager.unregister_task_manager("sized-tm")
    slot_manager.check_resource_requirements()
    assert declarations[-1] == [ResourceDeclaration(SPEC, 1), ResourceDeclaration(SIZED, 0)]
