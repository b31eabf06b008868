"""
The CapacityScheduler's live queues: :class:`CSQueue` holds a configured queue's absolute
capacities and what is used in it; leaf queues also hold their applications and users.
"""

from yarnemu.records.resource import Resource

__all__ = ["CSQueue", "UserUsage", "build_queues"]


class UserUsage:
    """
    What one user holds in a leaf queue.

    :ivar int pending: containers wanted by the user's active attempts in the queue; the user is
        *active* (counts in the user limit) while it is above 0.
    """

    __slots__ = ("name", "used_memory", "used_vcores", "am_used_memory", "am_used_vcores",
                 "applications", "pending")

    def __init__(self, name):
        self.name = name
        self.pending = 0
        self.used_memory = 0
        self.used_vcores = 0
        self.am_used_memory = 0
        self.am_used_vcores = 0
        self.applications = 0

    @property
    def used(self):
        return Resource(self.used_memory, self.used_vcores)


class CSQueue:
    """
    :ivar spec: the :class:`~yarnemu.scheduler.capacity_config.QueueSpec`.
    :ivar float absolute_capacity: the guaranteed fraction of the cluster.
    :ivar float absolute_maximum_capacity: the fraction of the cluster it may grow to.
    :ivar int pending: containers wanted by active attempts in and below this queue.
    :ivar int active_users: (leaf) users with containers pending in the queue.
    :ivar active: (leaf) active attempts, in scheduling order.
    :ivar demanding: (leaf) the active attempts that want containers, in scheduling order: the
        ones a node is offered to.
    :ivar guaranteed: the cluster resource times :attr:`absolute_capacity`.
    :ivar limit: the cluster resource times :attr:`absolute_maximum_capacity`.
    :ivar user_limits: (leaf) the scheduler's user limits while the queue is below its capacity,
        by ``(memory, vcores, active users)`` of the request; emptied by :meth:`resize`.
    :ivar waiting: (leaf) attempts not yet activated (AM limit), in submission order.
    """

    def __init__(self, spec, parent):
        self.spec = spec
        self.parent = parent
        self.path = spec.path
        self.name = spec.name
        self.children = []
        self._ancestry = (self,) + (parent.ancestry() if parent is not None else ())
        parent_absolute = parent.absolute_capacity if parent else 1.0
        parent_absolute_max = parent.absolute_maximum_capacity if parent else 1.0
        self.absolute_capacity = parent_absolute * spec.capacity / 100.0
        self.absolute_maximum_capacity = parent_absolute_max * spec.maximum_capacity / 100.0
        self.used_memory = 0
        self.used_vcores = 0
        self.num_containers = 0
        self.pending = 0
        self.active_users = 0
        self.active = []
        self.demanding = []
        self.waiting = []
        self.users = {}
        self.am_used_memory = 0
        self.am_used_vcores = 0
        self.num_applications = 0
        self.guaranteed = Resource.NONE
        self.limit = Resource.NONE
        self.user_limits = {}

    def resize(self, cluster, calculator):
        """The cluster's total changed to ``cluster``: recompute :attr:`guaranteed` and
        :attr:`limit`."""
        self.guaranteed = calculator.multiply(cluster, self.absolute_capacity)
        self.limit = calculator.multiply(cluster, self.absolute_maximum_capacity)
        self.user_limits = {}

    @property
    def is_leaf(self):
        return not self.children

    @property
    def used(self):
        return Resource(self.used_memory, self.used_vcores)

    @property
    def am_used(self):
        return Resource(self.am_used_memory, self.am_used_vcores)

    def ancestry(self):
        """:return: this queue and its ancestors up to (and including) root, as a tuple."""
        return self._ancestry

    def user(self, name):
        usage = self.users.get(name)
        if usage is None:
            usage = self.users[name] = UserUsage(name)
        return usage

    def maximum_applications(self, global_maximum):
        if self.spec.maximum_applications is not None:
            return self.spec.maximum_applications
        return int(global_maximum * self.absolute_capacity)

    def __repr__(self):
        return f"<CSQueue {self.path} used={self.used} pending={self.pending}>"


def build_queues(spec, parent=None):
    """
    :return: the live :class:`CSQueue` tree for a configured :class:`QueueSpec` tree.
    """
    queue = CSQueue(spec, parent)
    queue.children = [build_queues(child, queue) for child in spec.children]
    return queue
