"""
:class:`SchedulerNode`: what the scheduler knows of a node — capacity, usage, containers.
"""

from yarnemu.records.resource import Resource

__all__ = ["SchedulerNode"]


class SchedulerNode:
    """
    :ivar node_id: the node's :class:`~yarnemu.records.NodeId`.
    :ivar containers: container id → :class:`~yarnemu.scheduler.applications.LiveContainer`.
    """

    __slots__ = ("node_id", "rack", "http_address", "capability", "used_memory", "used_vcores",
                 "containers")

    def __init__(self, node_id, capability, rack, http_address):
        self.node_id = node_id
        self.rack = rack
        self.http_address = http_address
        self.capability = capability
        self.used_memory = 0
        self.used_vcores = 0
        self.containers = {}

    @property
    def host(self):
        return self.node_id.host

    @property
    def used(self):
        return Resource(self.used_memory, self.used_vcores)

    @property
    def available(self):
        return Resource(self.capability.memory - self.used_memory,
                        self.capability.vcores - self.used_vcores)

    def fits(self, resource):
        """:return: ``True`` if ``resource`` fits in what is unallocated, in both dimensions."""
        return (resource.memory <= self.capability.memory - self.used_memory
                and resource.vcores <= self.capability.vcores - self.used_vcores)

    def __repr__(self):
        return f"<SchedulerNode {self.node_id} used {self.used} of {self.capability}>"
