"""Tests for :mod:`flinkyarn.runtime.resourcemanager.priority_adapter`."""

from flinkyarn.config import Configuration, TaskExecutorProcessSpec
from flinkyarn.runtime.resourcemanager.priority_adapter import (
    PriorityAndResource,
    TaskExecutorProcessSpecContainerResourcePriorityAdapter,
)
from yarnemu.records.resource import Resource


class Log:
    def __init__(self):
        self.lines = []

    def warn(self, logger, message):
        self.lines.append(message)


def spec(**settings):
    return TaskExecutorProcessSpec.for_yarn(Configuration.shipped_default().with_values(settings))


def test_each_distinct_spec_gets_the_next_priority():
    """Priorities are handed out from 1 in the order specs are first seen; a spec keeps its."""
    adapter = TaskExecutorProcessSpecContainerResourcePriorityAdapter(Resource(8192, 4), Log())
    small, large = spec(), spec(**{"taskmanager.memory.process.size": "4g"})
    assert adapter.priority_and_resource(small) == PriorityAndResource(1, Resource(1728, 1))
    assert adapter.priority_and_resource(large) == PriorityAndResource(2, Resource(4096, 1))
    assert adapter.priority_and_resource(small).priority == 1
    assert adapter.spec_and_resource(2) == (large, Resource(4096, 1))
    assert adapter.spec_and_resource(3) is None


def test_vcores_follow_the_yarn_vcores_of_the_spec():
    """The container's vcores are the spec's (whole) CPU cores: the slots by default."""
    adapter = TaskExecutorProcessSpecContainerResourcePriorityAdapter(Resource(8192, 4), Log())
    three_slots = spec(**{"taskmanager.numberOfTaskSlots": "3"})
    assert adapter.priority_and_resource(three_slots).resource == Resource(1728, 3)


def test_spec_above_the_maximum_gets_no_priority():
    """A spec larger than YARN's maximum container is refused with a warning, every time."""
    log = Log()
    adapter = TaskExecutorProcessSpecContainerResourcePriorityAdapter(Resource(8192, 4), log)
    too_many_cores = spec(**{"taskmanager.numberOfTaskSlots": "5"})
    assert adapter.priority_and_resource(too_many_cores) is None
    assert adapter.priority_and_resource(too_many_cores) is None
    assert log.lines == ["Requested container resource (<memory:1728, vCores:5>) exceeds the max "
                         "limitation of the Yarn cluster (<memory:8192, vCores:4>). Will not "
                         "allocate resource."] * 2
    assert adapter.priority_and_resource(spec()).priority == 1
