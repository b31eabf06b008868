"""
:class:`TaskExecutorProcessSpecContainerResourcePriorityAdapter`: how the YARN driver tells apart
the containers it asked for with different TaskExecutor specs.  YARN hands out containers by
priority, so each distinct spec gets its own priority (1, 2, … in the order specs are first
asked for) and its container :class:`~yarnemu.records.resource.Resource`: the spec's total
process memory in MiB and its CPU cores as whole vcores.
"""

from attrs import frozen

from yarnemu.records.resource import Resource

__all__ = ["PriorityAndResource", "TaskExecutorProcessSpecContainerResourcePriorityAdapter"]

_LOGGER = "org.apache.flink.yarn.TaskExecutorProcessSpecContainerResourcePriorityAdapter"


@frozen
class PriorityAndResource:
    priority: int
    resource: Resource


class TaskExecutorProcessSpecContainerResourcePriorityAdapter:
    """
    :param max_resource: YARN's maximum container :class:`Resource` (from the AM registration).
    :param log: a :class:`~flinkyarn.runtime.process.FlinkLog`, for the warning about specs too
        large for YARN.
    :param int first_priority: the priority of the first spec.
    """

    def __init__(self, max_resource, log, first_priority=1):
        self._max = max_resource
        self._log = log
        self._next_priority = first_priority
        self._by_spec = {}
        self._by_priority = {}

    def priority_and_resource(self, spec):
        """
        :return: the :class:`PriorityAndResource` of ``spec`` (a new priority for a new spec), or
            ``None`` if its container would exceed YARN's maximum (logged as a warning, as Flink
            does, every time it is asked).
        """
        known = self._by_spec.get(spec)
        if known is not None:
            return known
        resource = Resource(spec.container_memory_mb, int(spec.cpu_cores))
        if resource.memory > self._max.memory or resource.vcores > self._max.vcores:
            self._log.warn(_LOGGER, f"Requested container resource ({resource}) exceeds the max "
                                    f"limitation of the Yarn cluster ({self._max}). Will not "
                                    "allocate resource.")
            return None
        known = PriorityAndResource(self._next_priority, resource)
        self._next_priority += 1
        self._by_spec[spec] = known
        self._by_priority[known.priority] = spec
        return known

    def spec_and_resource(self, priority):
        """:return: ``(spec, Resource)`` of the spec with ``priority``, or ``None``."""
        spec = self._by_priority.get(priority)
        if spec is None:
            return None
        return spec, self._by_spec[spec].resource
