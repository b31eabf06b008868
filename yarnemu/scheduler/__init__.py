"""
The schedulers, pure: no clock and no I/O.  :func:`create_scheduler` builds the one
``yarn.resourcemanager.scheduler.class`` names.
"""

from yarnemu.config import CAPACITY_SCHEDULER, FIFO_SCHEDULER
from yarnemu.errors import ConfigurationException
from yarnemu.scheduler.applications import Allocation
from yarnemu.scheduler.capacity import CapacityScheduler
from yarnemu.scheduler.fifo import FifoScheduler

__all__ = ["create_scheduler", "CapacityScheduler", "FifoScheduler", "Allocation", "SCHEDULER_CLASSES"]

SCHEDULER_CLASSES = {
    CAPACITY_SCHEDULER: CapacityScheduler,
    FIFO_SCHEDULER: FifoScheduler,
}


def create_scheduler(config):
    """
    :return: a new scheduler of the configured class.
    :raise ConfigurationException: for a scheduler class yarnemu does not emulate.
    """
    name = config.get_str("yarn.resourcemanager.scheduler.class")
    try:
        factory = SCHEDULER_CLASSES[name]
    except KeyError:
        raise ConfigurationException(
            f"Invalid value for yarn.resourcemanager.scheduler.class: {name!r} "
            f"(yarnemu emulates {sorted(SCHEDULER_CLASSES)})"
        ) from None
    return factory(config)
