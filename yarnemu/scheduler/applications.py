"""
The scheduler's view of applications and their attempts, the containers they hold, and the
:class:`Allocation` values the scheduler returns.
"""

from attrs import frozen

from yarnemu.records.resource import Resource
from yarnemu.scheduler.asks import AskTable

__all__ = ["SchedulerApplication", "SchedulerAttempt", "LiveContainer", "Allocation", "AM_PRIORITY"]

AM_PRIORITY = 0
"""The priority of the AM container request (``AM_CONTAINER_PRIORITY``)."""


@frozen
class Allocation:
    """
    A container the scheduler allocated on a node heartbeat.

    :ivar locality: a :class:`~yarnemu.records.NodeType`.
    :ivar bool is_am: ``True`` for an attempt's AM container.
    """

    attempt_id: object
    container: object
    locality: object
    is_am: bool
    queue: str


class SchedulerApplication:
    """An application as the scheduler sees it: its queue, user and priority."""

    __slots__ = ("application_id", "queue", "user", "priority", "order", "current_attempt")

    def __init__(self, application_id, queue, user, priority, order):
        self.application_id = application_id
        self.queue = queue
        self.user = user
        self.priority = priority
        self.order = order
        self.current_attempt = None


class SchedulerAttempt:
    """
    An application attempt's scheduling state: its asks, live containers and usage.

    :ivar bool am_pending: the AM container is still to be allocated.
    :ivar bool active: the attempt may be allocated containers (the CapacityScheduler keeps
        attempts inactive while their queue's AM limit is reached).
    :ivar missed: scheduler key → missed scheduling opportunities (delay scheduling).
    :ivar bool demanding: the attempt is active and wants containers, so it is in its queue's
        list of attempts to offer nodes to (the CapacityScheduler's index).
    """

    __slots__ = ("attempt_id", "application", "asks", "live", "next_container", "used_memory",
                 "used_vcores", "am_resource", "am_pending", "active", "blacklist", "missed",
                 "sort_key", "demanding")

    def __init__(self, attempt_id, application, am_resource):
        self.attempt_id = attempt_id
        self.application = application
        self.asks = AskTable()
        self.live = {}
        self.next_container = 1
        self.used_memory = 0
        self.used_vcores = 0
        self.am_resource = am_resource
        self.am_pending = am_resource is not None
        self.active = False
        self.blacklist = set()
        self.missed = {}
        self.demanding = False
        # Higher application priority first, then submission order.
        self.sort_key = (-application.priority, application.order)

    @property
    def user(self):
        return self.application.user

    @property
    def queue(self):
        return self.application.queue

    @property
    def used(self):
        return Resource(self.used_memory, self.used_vcores)

    def __repr__(self):
        return f"<SchedulerAttempt {self.attempt_id} pending={self.asks.pending} used={self.used}>"


class LiveContainer:
    """A container that holds resources on a node: until it completes or is released."""

    __slots__ = ("container", "attempt", "node", "is_am")

    def __init__(self, container, attempt, node, is_am):
        self.container = container
        self.attempt = attempt
        self.node = node
        self.is_am = is_am

    @property
    def container_id(self):
        return self.container.id

    @property
    def resource(self):
        return self.container.resource
