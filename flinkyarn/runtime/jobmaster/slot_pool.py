"""
:class:`SlotPool`: the slots a JobMaster holds — offered by TaskExecutors and accepted — and how
the job's subtasks share them.

Slot sharing as Flink does it: within a slot sharing group, subtask ``i`` of every vertex runs in
the group's ``i``-th shared slot, so a group needs as many slots as its largest parallelism and a
job the sum over its groups.
"""

from attrs import define, frozen

__all__ = ["SlotPool", "PooledSlot", "TaskManagerConnection"]


@frozen
class TaskManagerConnection:
    """A TaskExecutor registered with the JobMaster: its gateway and data address."""

    resource_id: object
    gateway: object
    address: str
    data_host: str
    data_port: int


@define
class PooledSlot:
    allocation_id: object
    resource_id: object
    slot_index: int
    profile: object
    sharing_key: tuple | None = None


class SlotPool:
    """
    :ivar task_managers: resource id → :class:`TaskManagerConnection`, in registration order.
    :ivar slots: allocation id → :class:`PooledSlot`, in the order they were accepted.
    """

    def __init__(self):
        self.task_managers = {}
        self.slots = {}
        self._by_sharing_key = {}

    def register_task_manager(self, connection):
        self.task_managers[connection.resource_id] = connection

    def release_task_manager(self, resource_id):
        """
        Forget a TaskExecutor and its slots.

        :return: the :class:`PooledSlot` values it held.
        """
        self.task_managers.pop(resource_id, None)
        lost = [slot for slot in self.slots.values() if slot.resource_id == resource_id]
        for slot in lost:
            self.remove_slot(slot.allocation_id)
        return lost

    def offer(self, resource_id, offers, wanted):
        """
        Accept offers from a registered TaskExecutor while the pool has fewer than ``wanted``
        slots.

        :return: the accepted offers.
        """
        if resource_id not in self.task_managers:
            return []
        accepted = []
        for offer in offers:
            if offer.allocation_id in self.slots:
                accepted.append(offer)
                continue
            if len(self.slots) >= wanted:
                break
            self.slots[offer.allocation_id] = PooledSlot(offer.allocation_id, resource_id,
                                                         offer.slot_index, offer.resource_profile)
            accepted.append(offer)
        return accepted

    def remove_slot(self, allocation_id):
        slot = self.slots.pop(allocation_id, None)
        if slot is not None and slot.sharing_key is not None:
            self._by_sharing_key.pop(slot.sharing_key, None)
        return slot

    def connection_of(self, allocation_id):
        slot = self.slots.get(allocation_id)
        return self.task_managers.get(slot.resource_id) if slot is not None else None

    def shared_slot(self, sharing_key):
        """:return: the slot assigned to ``(group, index)``, or ``None``."""
        return self._by_sharing_key.get(sharing_key)

    def free_slot_count(self):
        """:return: how many slots no ``(group, index)`` has been given yet."""
        return len(self.slots) - len(self._by_sharing_key)

    def assign(self, sharing_keys):
        """
        Give each of ``sharing_keys`` that has no slot yet a free slot, in order — all of them
        or none (a bulk of slot requests is fulfilled as a whole).

        :return: ``True`` if every key has a slot.
        """
        free = [slot for slot in self.slots.values() if slot.sharing_key is None]
        missing = [key for key in dict.fromkeys(sharing_keys) if key not in self._by_sharing_key]
        if len(missing) > len(free):
            return False
        for key, slot in zip(missing, free):
            slot.sharing_key = key
            self._by_sharing_key[key] = slot
        return True

    def release_all(self):
        """:return: and forget every slot (the job is done with them)."""
        slots = list(self.slots.values())
        self.slots.clear()
        self._by_sharing_key.clear()
        return slots
