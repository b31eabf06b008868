"""
Resource calculators (``yarn.scheduler.capacity.resource-calculator``): how the scheduler
normalizes requests and compares amounts of resource.

- :class:`DefaultResourceCalculator` (Hadoop's default) "only uses Memory": it compares memory
  alone, and its normalization **sets vcores to 1** for every container.
- :class:`DominantResourceCalculator` compares dominant shares and normalizes both dimensions.
"""

import math
import struct

from yarnemu.config import DEFAULT_RESOURCE_CALCULATOR, DOMINANT_RESOURCE_CALCULATOR
from yarnemu.errors import ConfigurationException
from yarnemu.records.resource import Resource

__all__ = [
    "DefaultResourceCalculator",
    "DominantResourceCalculator",
    "resource_calculator",
    "round_up",
]


def round_up(value, step):
    """
    :return: ``value`` rounded up to a multiple of ``step`` (``value`` itself when ``step`` is 0).
    """
    if step <= 0:
        return value
    return ((value + step - 1) // step) * step


class DefaultResourceCalculator:
    """Compares memory only; normalization gives every container 1 vcore."""

    name = DEFAULT_RESOURCE_CALCULATOR

    def normalize(self, resource, minimum, maximum, step=None):
        """
        ``min(roundUp(max(requested, minimum), step), maximum)`` on memory; vcores become 1.
        """
        step = minimum if step is None else step
        memory = min(round_up(max(resource.memory, minimum.memory), step.memory), maximum.memory)
        return Resource(memory, 1 if memory > 0 else 0)

    def greater_than(self, cluster, left, right):
        return left.memory > right.memory

    def ratio(self, cluster, used, of):
        """
        :return: ``used`` as a fraction of ``of`` (0.0 when ``of`` is empty).
        """
        return used.memory / of.memory if of.memory > 0 else 0.0

    def multiply(self, resource, factor):
        """:return: ``resource * factor``, rounded down in each dimension."""
        return Resource(int(resource.memory * factor), int(resource.vcores * factor))

    def multiply_and_normalize_up(self, resource, factor, step):
        """
        :return: ``resource * factor`` rounded up to a multiple of ``step``, as Hadoop's
            ``multiplyAndNormalizeUp``: on memory only (rounded half up first); vcores become 1.
        """
        memory = round_up(int(resource.memory * factor + 0.5), step.memory)
        return Resource(memory, 1 if memory > 0 else 0)

    def divide_up(self, resource, divisor):
        return Resource(math.ceil(resource.memory / divisor), math.ceil(resource.vcores / divisor))

    def round_up_to(self, resource, step):
        return Resource(round_up(resource.memory, step.memory), round_up(resource.vcores, step.vcores))

    def maximum(self, cluster, left, right):
        return left if self.greater_than(cluster, left, right) else right

    def minimum(self, cluster, left, right):
        return right if self.greater_than(cluster, left, right) else left


class DominantResourceCalculator(DefaultResourceCalculator):
    """Compares dominant shares of the cluster; normalizes memory and vcores alike."""

    name = DOMINANT_RESOURCE_CALCULATOR

    def normalize(self, resource, minimum, maximum, step=None):
        step = minimum if step is None else step
        memory = min(round_up(max(resource.memory, minimum.memory), step.memory), maximum.memory)
        vcores = min(round_up(max(resource.vcores, minimum.vcores), step.vcores), maximum.vcores)
        return Resource(memory, vcores)

    def multiply_and_normalize_up(self, resource, factor, step):
        """
        :return: ``resource * factor``, each dimension rounded up to a multiple of ``step``'s (the
            product is first rounded to a Java ``float``, as Hadoop does, so that 10240 × 0.1 is
            1024 and not 1025).
        """
        return Resource(round_up(math.ceil(_java_float(resource.memory * factor)), step.memory),
                        round_up(math.ceil(_java_float(resource.vcores * factor)), step.vcores))

    def _shares(self, cluster, resource):
        memory = resource.memory / cluster.memory if cluster.memory > 0 else 0.0
        vcores = resource.vcores / cluster.vcores if cluster.vcores > 0 else 0.0
        return (max(memory, vcores), min(memory, vcores))

    def greater_than(self, cluster, left, right):
        if cluster.memory <= 0 and cluster.vcores <= 0:
            return left.memory > right.memory or left.vcores > right.vcores
        return self._shares(cluster, left) > self._shares(cluster, right)

    def ratio(self, cluster, used, of):
        memory = used.memory / of.memory if of.memory > 0 else 0.0
        vcores = used.vcores / of.vcores if of.vcores > 0 else 0.0
        return max(memory, vcores)


def _java_float(value):
    return struct.unpack("f", struct.pack("f", value))[0]


_CALCULATORS = {
    DEFAULT_RESOURCE_CALCULATOR: DefaultResourceCalculator,
    DOMINANT_RESOURCE_CALCULATOR: DominantResourceCalculator,
}


def resource_calculator(config):
    """
    :return: the calculator ``yarn.scheduler.capacity.resource-calculator`` names.
    :raise ConfigurationException: for a class yarnemu does not have.
    """
    name = config.get_str("yarn.scheduler.capacity.resource-calculator")
    try:
        return _CALCULATORS[name]()
    except KeyError:
        raise ConfigurationException(
            f"Invalid value for yarn.scheduler.capacity.resource-calculator: {name!r} "
            f"(expected one of {sorted(_CALCULATORS)})"
        ) from None
