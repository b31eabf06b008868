"""Tests for :mod:`flinkyarn.runtime.resourcemanager.allocation_plan`: the pure slot decisions."""

from hypothesis import given
from hypothesis import strategies as st

from flinkyarn.runtime.messages import ResourceProfile, ResourceRequirement, SlotID
from flinkyarn.runtime.resourcemanager.allocation_plan import (
    FreeSlot,
    JobDemand,
    SlotAllocation,
    missing_slots,
    plan_allocations,
    profile_fits,
)

ANY = ResourceProfile.UNKNOWN
SLOT = ResourceProfile(1.0, 384, 0, 512, 128)
BIG = ResourceProfile(2.0, 1024, 0, 512, 128)


def free(*numbers, resource="tm-1", profile=SLOT):
    return [FreeSlot(SlotID(resource, number), profile) for number in numbers]


def demand(job, count, acquired=(), profile=ANY):
    return JobDemand(job, [ResourceRequirement(profile, count)], acquired)


def test_free_slots_go_to_jobs_in_order():
    """Missing slots take free slots in the order given, jobs served in order."""
    plan = plan_allocations([demand("a", 1), demand("b", 2)], free(0, 1, 2), 1, SLOT)
    assert plan.allocations == (
        SlotAllocation("a", SlotID("tm-1", 0), ANY),
        SlotAllocation("b", SlotID("tm-1", 1), ANY),
        SlotAllocation("b", SlotID("tm-1", 2), ANY),
    )
    assert (plan.pending_slots, plan.pending_workers) == (0, 0)


def test_acquired_slots_count_against_requirements():
    """A job that holds its slots needs nothing more."""
    plan = plan_allocations([demand("a", 2, acquired=[ANY, ANY])], free(0), 1, SLOT)
    assert plan.allocations == ()
    assert missing_slots(demand("a", 3, acquired=[ANY])) == [(ANY, 2)]


def test_missing_slots_become_pending_workers():
    """Slots no free slot gives become ⌈slots / slots per worker⌉ pending workers."""
    plan = plan_allocations([demand("a", 5)], free(0), 2, SLOT)
    assert len(plan.allocations) == 1
    assert (plan.pending_slots, plan.pending_workers) == (4, 2)


def test_pending_slots_of_several_jobs_share_workers():
    """Pending slots of different jobs are packed into the same new workers."""
    plan = plan_allocations([demand("a", 1), demand("b", 1)], [], 2, SLOT)
    assert plan.pending_workers == 1


def test_requirements_too_large_for_a_worker_are_unfulfillable():
    """A requirement no free slot and no new worker's slot fits makes its job unfulfillable."""
    plan = plan_allocations([demand("a", 1, profile=BIG)], free(0), 1, SLOT)
    assert plan.unfulfillable_jobs == ("a",)
    assert plan.pending_workers == 0


def test_without_workers_to_start_missing_slots_stay_missing():
    """A standalone cluster (no worker profile) plans no pending workers."""
    plan = plan_allocations([demand("a", 3)], free(0), 1, None)
    assert len(plan.allocations) == 1
    assert (plan.pending_slots, plan.pending_workers) == (0, 0)
    assert plan.unfulfillable_jobs == ("a",)


def test_redundant_slots_keep_extra_workers():
    """Pending workers are raised until free plus unused pending slots reach the redundancy."""
    assert plan_allocations([], [], 2, SLOT, redundant_slots=2).pending_workers == 1
    assert plan_allocations([], free(0, 1), 2, SLOT, redundant_slots=2).pending_workers == 0
    assert plan_allocations([demand("a", 3)], free(0, 1), 2, SLOT,
                            redundant_slots=2).pending_workers == 2


def test_profiles_fit_by_every_dimension():
    """UNKNOWN fits any slot; a concrete profile fits a slot at least as large everywhere."""
    assert profile_fits(ANY, SLOT)
    assert profile_fits(SLOT, BIG)
    assert not profile_fits(BIG, SLOT)
    assert not profile_fits(SLOT, ANY)


@given(st.lists(st.integers(0, 6), max_size=4), st.integers(0, 8), st.integers(1, 4),
       st.integers(0, 3))
def test_plans_never_over_allocate_and_cover_what_is_missing(counts, free_count, per_worker,
                                                             redundant):
    """Every plan gives each free slot at most once, never more than a job misses, and just
    enough pending workers for the rest plus the redundancy."""
    demands = [demand(f"job-{i}", count) for i, count in enumerate(counts)]
    slots = free(*range(free_count))
    plan = plan_allocations(demands, slots, per_worker, SLOT, redundant_slots=redundant)
    given_slots = [allocation.slot_id for allocation in plan.allocations]
    assert len(given_slots) == len(set(given_slots))
    for job_demand in demands:
        mine = [a for a in plan.allocations if a.job_id == job_demand.job_id]
        assert len(mine) <= job_demand.requirements[0].count
    assert plan.pending_slots == sum(counts) - len(plan.allocations)
    spare = free_count - len(plan.allocations) + plan.pending_workers * per_worker \
        - plan.pending_slots
    assert plan.pending_workers * per_worker >= plan.pending_slots
    assert spare >= redundant
    if plan.pending_workers:
        # …and no worker more than needed.
        assert (plan.pending_workers - 1) * per_worker < plan.pending_slots \
            or spare - per_worker < redundant
