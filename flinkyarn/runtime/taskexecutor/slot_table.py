"""
:class:`TaskSlotTable`: a TaskExecutor's slots, which job and allocation each belongs to, and the
tasks running in them (Flink's ``TaskSlotTableImpl``).

A free slot has no :class:`TaskSlot`.  An allocated slot is ALLOCATED until its JobMaster accepts
it (or a task is submitted to it), then ACTIVE; an ALLOCATED slot that is not accepted within the
slot timeout (``pekko.ask.timeout``, 10 s) times out.  Freeing a slot that still has tasks only
marks it RELEASING: it is free once its last task is gone.
"""

from enum import StrEnum

from flinkyarn.runtime.messages import SlotID, SlotOffer, SlotReport, SlotStatus
from flinkyarn.runtime.taskexecutor.resources import profile_text
from yarnemu.timers import call_later_ms

__all__ = ["TaskSlotTable", "TaskSlot", "TaskSlotState", "SLOT_TABLE_LOGGER"]

SLOT_TABLE_LOGGER = "org.apache.flink.runtime.taskexecutor.slot.TaskSlotTableImpl"


class TaskSlotState(StrEnum):
    ALLOCATED = "ALLOCATED"
    ACTIVE = "ACTIVE"
    RELEASING = "RELEASING"


class TaskSlot:
    """
    An allocated slot.

    :ivar tasks: execution attempt id → :class:`~flinkyarn.runtime.taskexecutor.task.Task`, in
        submission order.
    """

    def __init__(self, index, resource_profile, job_id, allocation_id):
        self.index = index
        self.resource_profile = resource_profile
        self.job_id = job_id
        self.allocation_id = allocation_id
        self.state = TaskSlotState.ALLOCATED
        self.tasks = {}
        self.timeout = None

    def offer(self):
        """:return: the :class:`SlotOffer` of this slot."""
        return SlotOffer(self.allocation_id, self.index, self.resource_profile)

    def __str__(self):
        return (f"TaskSlot(index:{self.index}, state:{self.state}, resource profile: "
                f"{profile_text(self.resource_profile)}, allocationId: {self.allocation_id}, "
                f"jobId: {self.job_id})")


class TaskSlotTable:
    """
    :param resource_id: the TaskExecutor's ResourceID (for slot ids).
    :param int num_slots: how many slots.
    :param default_profile: the ``ResourceProfile`` of a free slot.
    :param clock: the process's clock.
    :param int slot_timeout_ms: how long an allocated slot may wait to be accepted.
    :param on_timeout: called with the allocation id of a slot that timed out.
    :param log: the process's :class:`~flinkyarn.runtime.process.FlinkLog`.
    """

    def __init__(self, resource_id, num_slots, default_profile, clock, slot_timeout_ms,
                 on_timeout, log):
        self.resource_id = resource_id
        self.num_slots = num_slots
        self.default_profile = default_profile
        self._clock = clock
        self._slot_timeout_ms = slot_timeout_ms
        self._on_timeout = on_timeout
        self._log = log
        self._slots = {}
        self._by_allocation = {}
        self._tasks = {}

    # Slots

    def is_free(self, index):
        return 0 <= index < self.num_slots and index not in self._slots

    def is_allocated(self, index, job_id, allocation_id):
        slot = self._slots.get(index)
        return slot is not None and slot.job_id == job_id and slot.allocation_id == allocation_id

    def slot(self, allocation_id):
        """:return: the :class:`TaskSlot` of ``allocation_id``, or ``None``."""
        return self._by_allocation.get(allocation_id)

    def allocate(self, index, job_id, allocation_id, profile):
        """
        Allocate free slot ``index`` to a job; it times out unless accepted in time.

        :return: whether it was allocated (``False`` for a slot that is not free, or an
            allocation id in use).
        """
        if not self.is_free(index) or allocation_id in self._by_allocation:
            return False
        slot = TaskSlot(index, profile if not profile.is_unknown else self.default_profile,
                        job_id, allocation_id)
        self._slots[index] = slot
        self._by_allocation[allocation_id] = slot
        self._start_timeout(slot)
        return True

    def mark_active(self, allocation_id, job_id=None):
        """
        Mark an allocated slot accepted (ACTIVE), stopping its timeout.

        :return: whether it is ACTIVE now (``False`` if unknown, of another job, or releasing).
        """
        slot = self._by_allocation.get(allocation_id)
        if slot is None or (job_id is not None and slot.job_id != job_id):
            return False
        if slot.state is TaskSlotState.RELEASING:
            return False
        slot.state = TaskSlotState.ACTIVE
        self._stop_timeout(slot)
        return True

    def free(self, allocation_id):
        """
        Free a slot (logging ``Free slot TaskSlot(…).``).

        :return: its index if it is free now; ``None`` if unknown, or if it still has tasks and
            is RELEASING until they are gone.
        """
        slot = self._by_allocation.get(allocation_id)
        if slot is None:
            return None
        self._log.info(SLOT_TABLE_LOGGER, f"Free slot {slot}.")
        if slot.tasks:
            slot.state = TaskSlotState.RELEASING
            self._stop_timeout(slot)
            return None
        self._stop_timeout(slot)
        del self._slots[slot.index]
        del self._by_allocation[allocation_id]
        return slot.index

    def allocation_ids_of_job(self, job_id):
        """:return: the allocation ids of the job's slots, by slot index."""
        return [slot.allocation_id for _, slot in sorted(self._slots.items())
                if slot.job_id == job_id]

    def allocated_slots_of_job(self, job_id):
        """:return: the job's ALLOCATED (not yet accepted) slots, by slot index."""
        return [slot for _, slot in sorted(self._slots.items())
                if slot.job_id == job_id and slot.state is TaskSlotState.ALLOCATED]

    def slot_report(self, job_ids=None):
        """
        :param job_ids: only the slots allocated to these jobs; ``None`` for every slot, free
            ones included.
        :return: a :class:`SlotReport`, by slot index.
        """
        statuses = []
        for index in range(self.num_slots):
            slot = self._slots.get(index)
            slot_id = SlotID(self.resource_id, index)
            if slot is None:
                if job_ids is None:
                    statuses.append(SlotStatus(slot_id, self.default_profile))
            elif job_ids is None or slot.job_id in job_ids:
                statuses.append(SlotStatus(slot_id, slot.resource_profile, slot.allocation_id,
                                           slot.job_id))
        return SlotReport(statuses)

    # Tasks

    def add_task(self, task):
        """
        Put a task in its slot (which must be ACTIVE and of its job).

        :return: whether it was added (``False`` if its attempt id is already running here).
        """
        if task.attempt_id in self._tasks:
            return False
        self._by_allocation[task.allocation_id].tasks[task.attempt_id] = task
        self._tasks[task.attempt_id] = task
        return True

    def task(self, attempt_id):
        """:return: the running task of ``attempt_id``, or ``None``."""
        return self._tasks.get(attempt_id)

    def remove_task(self, attempt_id):
        """
        Take a task out of its slot.

        :return: ``(task, slot_to_free)``: the slot's allocation id when the task was the last one
            of a RELEASING slot (its owner frees it now), else ``None``.
        """
        task = self._tasks.pop(attempt_id, None)
        if task is None:
            return None, None
        slot = self._by_allocation.get(task.allocation_id)
        if slot is None:
            return task, None
        slot.tasks.pop(attempt_id, None)
        if slot.state is TaskSlotState.RELEASING and not slot.tasks:
            return task, slot.allocation_id
        return task, None

    # Timeouts

    def _start_timeout(self, slot):
        self._stop_timeout(slot)
        slot.timeout = call_later_ms(self._clock, self._slot_timeout_ms, self._timed_out, slot)

    def _stop_timeout(self, slot):
        if slot.timeout is not None and slot.timeout.active():
            slot.timeout.cancel()
        slot.timeout = None

    def _timed_out(self, slot):
        slot.timeout = None
        if self._by_allocation.get(slot.allocation_id) is slot and \
                slot.state is TaskSlotState.ALLOCATED:
            self._on_timeout(slot.allocation_id)
