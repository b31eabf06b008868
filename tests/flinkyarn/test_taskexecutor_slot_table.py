"""
Tests of :class:`~flinkyarn.runtime.taskexecutor.slot_table.TaskSlotTable`: allocation, slot
reports, freeing (at once, or once a releasing slot's tasks are gone) and the slot timeout.
"""

import pytest

from flinkyarn.runtime.messages import ResourceProfile, SlotID, SlotOffer, SlotStatus
from flinkyarn.runtime.taskexecutor.slot_table import TaskSlotState, TaskSlotTable
from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH

PROFILE = ResourceProfile(1.0, 100, 0, 200, 50)


class Log:
    def __init__(self):
        self.lines = []

    def info(self, logger, message):
        self.lines.append(message)


class FakeTask:
    def __init__(self, attempt_id, allocation_id):
        self.attempt_id = attempt_id
        self.allocation_id = allocation_id


@pytest.fixture
def clock():
    return VirtualClock(DEFAULT_EPOCH)


@pytest.fixture
def timed_out():
    return []


@pytest.fixture
def log():
    return Log()


@pytest.fixture
def table(clock, timed_out, log):
    return TaskSlotTable("tm-1", 2, PROFILE, clock, 10000, timed_out.append, log)


def test_allocates_free_slots_only(table):
    """A free slot is allocated once; an allocated or unknown slot is not."""
    assert table.allocate(1, "job", "a1", ResourceProfile.UNKNOWN)
    assert not table.allocate(1, "job", "a2", ResourceProfile.UNKNOWN)
    assert not table.allocate(2, "job", "a3", ResourceProfile.UNKNOWN)
    assert not table.allocate(0, "job", "a1", ResourceProfile.UNKNOWN)
    assert table.is_allocated(1, "job", "a1") and table.is_free(0)
    assert table.slot("a1").resource_profile == PROFILE
    assert table.slot("a1").offer() == SlotOffer("a1", 1, PROFILE)


def test_slot_reports_list_slots_by_index(table):
    """The full report lists every slot; a job's report only its allocated slots."""
    table.allocate(1, "job", "a1", ResourceProfile.UNKNOWN)
    assert table.slot_report().statuses == (
        SlotStatus(SlotID("tm-1", 0), PROFILE),
        SlotStatus(SlotID("tm-1", 1), PROFILE, "a1", "job"),
    )
    assert table.slot_report(job_ids=["job"]).statuses == (
        SlotStatus(SlotID("tm-1", 1), PROFILE, "a1", "job"),)
    assert table.slot_report(job_ids=["other"]).statuses == ()


def test_an_unaccepted_slot_times_out(table, clock, timed_out):
    """A slot still ALLOCATED after the slot timeout is reported timed out; an ACTIVE one not."""
    table.allocate(0, "job", "a0", ResourceProfile.UNKNOWN)
    table.allocate(1, "job", "a1", ResourceProfile.UNKNOWN)
    clock.advance(5)
    assert table.mark_active("a1", "job")
    assert not table.mark_active("a0", "other job")
    clock.advance(5)
    assert timed_out == ["a0"]
    assert table.slot("a1").state is TaskSlotState.ACTIVE


def test_a_slot_with_tasks_is_released_once_they_are_gone(table):
    """Freeing a slot with tasks marks it RELEASING; removing its last task hands it back."""
    table.allocate(0, "job", "a0", ResourceProfile.UNKNOWN)
    table.mark_active("a0")
    task = FakeTask("t1", "a0")
    assert table.add_task(task) and not table.add_task(task)
    assert table.free("a0") is None
    assert table.slot("a0").state is TaskSlotState.RELEASING
    assert not table.mark_active("a0")
    assert table.remove_task("t1") == (task, "a0")
    assert table.free("a0") == 0
    assert table.is_free(0) and table.slot("a0") is None
    assert table.allocation_ids_of_job("job") == []


def test_freeing_logs_the_slot(table, log):
    """Freeing logs the slot as Flink's TaskSlot prints it."""
    table.allocate(0, "job", "a0", ResourceProfile.UNKNOWN)
    table.free("a0")
    assert log.lines == [
        "Free slot TaskSlot(index:0, state:ALLOCATED, resource profile: ResourceProfile{"
        "cpuCores=1.0000000000000000, taskHeapMemory=100.000mb (104857600 bytes), "
        "taskOffHeapMemory=0 bytes, managedMemory=200.000mb (209715200 bytes), "
        "networkMemory=50.000mb (52428800 bytes)}, allocationId: a0, jobId: job)."]
