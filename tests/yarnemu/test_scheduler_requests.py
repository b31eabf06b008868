"""
Tests for :mod:`yarnemu.scheduler.requests` and :mod:`yarnemu.scheduler.resource_calculator`:
requests are validated against the maximum allocation first, then normalized.
"""

import pytest

from yarnemu.config import (
    CAPACITY_SCHEDULER,
    DEFAULT_RESOURCE_CALCULATOR,
    DOMINANT_RESOURCE_CALCULATOR,
    FIFO_SCHEDULER,
    YarnConfiguration,
)
from yarnemu.errors import ConfigurationException, InvalidResourceRequestException
from yarnemu.records.am_protocol import ANY, ResourceRequest
from yarnemu.records.resource import Resource
from yarnemu.scheduler import CapacityScheduler, FifoScheduler, create_scheduler
from yarnemu.scheduler.requests import normalize_request, validate_resource_request
from yarnemu.scheduler.resource_calculator import (
    DefaultResourceCalculator,
    DominantResourceCalculator,
    resource_calculator,
    round_up,
)
from yarnemu.testing.scheduler_strategies import application_id, attempt_id

MINIMUM = Resource(1024, 1)
MAXIMUM = Resource(8192, 4)

MEMORY_MESSAGE = (
    "Invalid resource request, requested memory < 0, or requested memory > max configured, "
    "requestedMemory={}, maxMemory={}"
)
VCORES_MESSAGE = (
    "Invalid resource request, requested virtual cores < 0, or requested virtual cores > max "
    "configured, requestedVirtualCores={}, maxVirtualCores={}"
)


def _ask(memory, vcores=1, count=1, priority=1):
    return ResourceRequest(priority, ANY, Resource(memory, vcores), count)


def _scheduler_with_attempt(values=None, scheduler_class=CapacityScheduler):
    scheduler = scheduler_class(YarnConfiguration(values))
    assert scheduler.add_application(application_id(1), "default", "alice") is None
    scheduler.add_attempt(attempt_id(1))
    return scheduler


# Validation


def test_memory_above_maximum_is_rejected_with_hadoops_message():
    """A request above maximum-allocation-mb raises InvalidResourceRequestException, worded as Hadoop's."""
    with pytest.raises(InvalidResourceRequestException) as raised:
        validate_resource_request(_ask(8193), MAXIMUM)
    assert raised.value.message == MEMORY_MESSAGE.format(8193, 8192)
    assert raised.value.exception_name() == "InvalidResourceRequestException"


def test_negative_memory_is_rejected():
    """A negative memory request raises with the same message as an oversized one."""
    with pytest.raises(InvalidResourceRequestException) as raised:
        validate_resource_request(_ask(-1), MAXIMUM)
    assert raised.value.message == MEMORY_MESSAGE.format(-1, 8192)


def test_vcores_above_maximum_are_rejected_with_hadoops_message():
    """A request above maximum-allocation-vcores raises, worded as Hadoop's."""
    with pytest.raises(InvalidResourceRequestException) as raised:
        validate_resource_request(_ask(1024, vcores=5), MAXIMUM)
    assert raised.value.message == VCORES_MESSAGE.format(5, 4)


def test_negative_vcores_are_rejected():
    """A negative vcores request raises with the vcores message."""
    with pytest.raises(InvalidResourceRequestException) as raised:
        validate_resource_request(_ask(1024, vcores=-2), MAXIMUM)
    assert raised.value.message == VCORES_MESSAGE.format(-2, 4)


def test_memory_is_checked_before_vcores():
    """With both dimensions invalid, the memory message is the one reported, as in Hadoop."""
    with pytest.raises(InvalidResourceRequestException) as raised:
        validate_resource_request(_ask(10000, vcores=10), MAXIMUM)
    assert raised.value.message == MEMORY_MESSAGE.format(10000, 8192)


def test_negative_number_of_containers_is_rejected():
    """A negative numContainers is an invalid request."""
    with pytest.raises(InvalidResourceRequestException):
        validate_resource_request(_ask(1024, count=-1), MAXIMUM)


@pytest.mark.parametrize("memory, vcores", [(0, 0), (8192, 4), (1, 1), (5000, 0)])
def test_requests_within_the_maximum_are_valid(memory, vcores):
    """Requests from zero up to and including the maximum pass validation."""
    validate_resource_request(_ask(memory, vcores), MAXIMUM)


def test_validation_comes_before_normalization():
    """A request just above the maximum is rejected, although normalization would cap it to the maximum."""
    scheduler = _scheduler_with_attempt()
    with pytest.raises(InvalidResourceRequestException) as raised:
        scheduler.normalize_and_validate([_ask(8193)])
    assert raised.value.message == MEMORY_MESSAGE.format(8193, 8192)


def test_vcores_are_validated_even_when_the_calculator_ignores_them():
    """With the DefaultResourceCalculator (which sets vcores to 1), vcores above the maximum are still rejected."""
    scheduler = _scheduler_with_attempt()
    assert isinstance(scheduler.calculator, DefaultResourceCalculator)
    with pytest.raises(InvalidResourceRequestException) as raised:
        scheduler.update_asks(attempt_id(1), [_ask(1024, vcores=5)])
    assert raised.value.message == VCORES_MESSAGE.format(5, 4)


def test_the_configured_maximum_is_used():
    """The limits come from yarn.scheduler.maximum-allocation-mb/-vcores."""
    scheduler = _scheduler_with_attempt({
        "yarn.scheduler.maximum-allocation-mb": 4096,
        "yarn.scheduler.maximum-allocation-vcores": 2,
    })
    with pytest.raises(InvalidResourceRequestException) as raised:
        scheduler.normalize_and_validate([_ask(4097)])
    assert raised.value.message == MEMORY_MESSAGE.format(4097, 4096)
    with pytest.raises(InvalidResourceRequestException) as raised:
        scheduler.normalize_and_validate([_ask(1024, vcores=3)])
    assert raised.value.message == VCORES_MESSAGE.format(3, 2)


def test_an_invalid_ask_stores_none_of_the_batch():
    """When one ask of an allocate call is invalid, none of the call's asks are stored."""
    scheduler = _scheduler_with_attempt()
    with pytest.raises(InvalidResourceRequestException):
        scheduler.update_asks(attempt_id(1), [_ask(1024, count=3, priority=1),
                                               _ask(9000, count=1, priority=2)])
    assert scheduler.pending == 0
    assert scheduler.attempts[attempt_id(1)].asks.pending == 0


# Normalization


@pytest.mark.parametrize(
    "requested, normalized",
    [(0, 1024), (1, 1024), (1024, 1024), (1025, 2048), (3000, 3072), (8192, 8192)],
)
def test_memory_rounds_up_to_a_multiple_of_the_minimum(requested, normalized):
    """Memory becomes max(requested, minimum) rounded up to a multiple of the minimum allocation."""
    scheduler = _scheduler_with_attempt()
    [ask] = scheduler.normalize_and_validate([_ask(requested)])
    assert ask.capability.memory == normalized


def test_memory_rounds_to_the_configured_minimum():
    """The step is yarn.scheduler.minimum-allocation-mb."""
    scheduler = _scheduler_with_attempt({"yarn.scheduler.minimum-allocation-mb": 512})
    [small, odd] = scheduler.normalize_and_validate([_ask(100, priority=1), _ask(700, priority=2)])
    assert (small.capability.memory, odd.capability.memory) == (512, 1024)


def test_rounded_memory_is_capped_at_the_maximum():
    """When rounding up passes a maximum that is not a multiple of the minimum, the maximum wins."""
    calculator = DefaultResourceCalculator()
    assert calculator.normalize(Resource(4500, 1), MINIMUM, Resource(5000, 4)) == Resource(5000, 1)


def test_default_calculator_sets_vcores_to_one():
    """The DefaultResourceCalculator gives every normalized request exactly 1 vcore."""
    scheduler = _scheduler_with_attempt()
    asks = scheduler.normalize_and_validate([_ask(2048, 0, priority=1), _ask(2048, 3, priority=2)])
    assert [ask.capability for ask in asks] == [Resource(2048, 1), Resource(2048, 1)]


def test_fifo_scheduler_uses_the_default_calculator():
    """The FifoScheduler normalizes with the DefaultResourceCalculator whatever is configured."""
    scheduler = _scheduler_with_attempt(
        {"yarn.scheduler.capacity.resource-calculator": DOMINANT_RESOURCE_CALCULATOR},
        scheduler_class=FifoScheduler,
    )
    [ask] = scheduler.normalize_and_validate([_ask(100, 3)])
    assert ask.capability == Resource(1024, 1)


@pytest.mark.parametrize("requested, normalized", [(0, 1), (1, 1), (3, 3), (4, 4)])
def test_dominant_calculator_normalizes_vcores(requested, normalized):
    """The DominantResourceCalculator rounds vcores like memory: at least the minimum, in steps of it."""
    scheduler = _scheduler_with_attempt(
        {"yarn.scheduler.capacity.resource-calculator": DOMINANT_RESOURCE_CALCULATOR}
    )
    [ask] = scheduler.normalize_and_validate([_ask(1500, requested)])
    assert ask.capability == Resource(2048, normalized)


def test_dominant_calculator_rounds_vcores_to_the_minimum_and_caps_them():
    """With a minimum of 2 vcores, 3 rounds up to 4 and 5 is capped at a maximum of 5."""
    calculator = DominantResourceCalculator()
    minimum, maximum = Resource(1024, 2), Resource(8192, 5)
    assert calculator.normalize(Resource(1024, 3), minimum, maximum) == Resource(1024, 4)
    assert calculator.normalize(Resource(1024, 5), minimum, maximum) == Resource(1024, 5)


def test_normalize_request_keeps_everything_but_the_capability():
    """Normalization changes only the capability of a request."""
    request = ResourceRequest(3, "host1", Resource(1500, 2), 4, relax_locality=False,
                              allocation_request_id=7)
    normalized = normalize_request(request, DefaultResourceCalculator(), MINIMUM, MAXIMUM)
    assert normalized == ResourceRequest(3, "host1", Resource(2048, 1), 4, relax_locality=False,
                                         allocation_request_id=7)


def test_normalize_request_returns_an_already_normal_request_unchanged():
    """A request whose capability is already normal is returned as is."""
    request = _ask(2048, 1)
    assert normalize_request(request, DefaultResourceCalculator(), MINIMUM, MAXIMUM) is request


def test_am_resource_is_normalized():
    """The AM container request an attempt makes is normalized like any other ask."""
    scheduler = CapacityScheduler(YarnConfiguration())
    scheduler.add_application(application_id(1), "default", "alice")
    scheduler.add_attempt(attempt_id(1), Resource(1500, 3))
    attempt = scheduler.attempts[attempt_id(1)]
    assert attempt.am_resource == Resource(2048, 1)
    assert attempt.asks.entry((0, 0), ANY).capability == Resource(2048, 1)


@pytest.mark.parametrize("value, step, result", [(0, 1024, 0), (1, 1024, 1024), (2048, 1024, 2048),
                                                 (5, 0, 5), (7, 3, 9)])
def test_round_up(value, step, result):
    """round_up gives the next multiple of the step, and the value itself for a step of 0."""
    assert round_up(value, step) == result


# Calculator and scheduler selection


def test_resource_calculator_from_configuration():
    """yarn.scheduler.capacity.resource-calculator selects the calculator; the default is DefaultResourceCalculator."""
    assert isinstance(resource_calculator(YarnConfiguration()), DefaultResourceCalculator)
    assert not isinstance(resource_calculator(YarnConfiguration()), DominantResourceCalculator)
    dominant = YarnConfiguration({"yarn.scheduler.capacity.resource-calculator": DOMINANT_RESOURCE_CALCULATOR})
    assert isinstance(resource_calculator(dominant), DominantResourceCalculator)
    assert resource_calculator(YarnConfiguration()).name == DEFAULT_RESOURCE_CALCULATOR


def test_unknown_resource_calculator_names_the_key():
    """An unknown calculator class raises ConfigurationException naming the key."""
    config = YarnConfiguration({"yarn.scheduler.capacity.resource-calculator": "com.example.Nope"})
    with pytest.raises(ConfigurationException, match="yarn.scheduler.capacity.resource-calculator"):
        resource_calculator(config)


def test_create_scheduler_builds_the_configured_class():
    """create_scheduler builds a CapacityScheduler by default and a FifoScheduler when configured."""
    assert isinstance(create_scheduler(YarnConfiguration()), CapacityScheduler)
    fifo = YarnConfiguration({"yarn.resourcemanager.scheduler.class": FIFO_SCHEDULER})
    assert isinstance(create_scheduler(fifo), FifoScheduler)
    capacity = YarnConfiguration({"yarn.resourcemanager.scheduler.class": CAPACITY_SCHEDULER})
    assert create_scheduler(capacity).type_name == "capacityScheduler"


def test_create_scheduler_rejects_an_unknown_class():
    """A scheduler class yarnemu does not emulate raises ConfigurationException naming the key."""
    config = YarnConfiguration({
        "yarn.resourcemanager.scheduler.class":
            "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fair.FairScheduler",
    })
    with pytest.raises(ConfigurationException, match="yarn.resourcemanager.scheduler.class"):
        create_scheduler(config)
