"""
``/ws/v1/cluster/scheduler``: the scheduler as Hadoop's ``SchedulerTypeInfo`` shows it,
``{"scheduler": {"schedulerInfo": {...}}}``, for the scheduler the RM runs:

- **CapacityScheduler** (``CapacitySchedulerInfo``): the root's capacities and its queues, nested
  under ``queues.queue``; leaf queues carry ``"type": "capacitySchedulerLeafQueueInfo"``, their
  application counts and limits and their ``users`` (``null`` when none).  Percentages are of
  the parent (``capacity``, ``maxCapacity``), of the queue's own guarantee (``usedCapacity``) or
  of the cluster (``absolute*``); the default partition's figures repeat under
  ``capacities.queueCapacitiesByPartition`` and ``resources.resourceUsagesByPartition``, where
  ``yarn-api-client``'s queue helpers look.
- **FifoScheduler** (``FifoSchedulerInfo``): one queue's figures; ``usedCapacity`` is the
  fraction of the cluster's memory in use, ``"NaN"`` while the cluster has none (as Jersey
  writes Java's NaN).

Not modelled, so shown at their defaults: reservations, preemption (disabled), node labels (every
queue may use any, ``["*"]``), application priorities and lifetimes, ACLs.
"""

from yarnemu.records.am_protocol import ANY
from yarnemu.records.resource import Resource
from yarnemu.scheduler.capacity import CapacityScheduler
from yarnemu.scheduler.fifo import FifoScheduler
from yarnemu.web.rm.dao import resource_info
from yarnemu.web.rm.errors import not_found

__all__ = ["scheduler_info"]

_PARENT_ORDERING_POLICY = "utilization"
_LEAF_ORDERING_POLICY = "fifo"


def scheduler_info(rm):
    """
    :return: the ``/scheduler`` JSON for the RM's scheduler.
    :raise NotFoundException: for a scheduler Hadoop's REST API does not know.
    """
    scheduler = rm.scheduler
    if isinstance(scheduler, CapacityScheduler):
        info = _CapacityView(rm, scheduler).root()
    elif isinstance(scheduler, FifoScheduler):
        info = _fifo(rm, scheduler)
    else:
        raise not_found("Unknown scheduler configured")
    return {"scheduler": {"schedulerInfo": info}}


def _fifo(rm, scheduler):
    cluster = scheduler.cluster_resource
    used = scheduler.used_resource
    return {
        "type": "fifoScheduler",
        "capacity": 1.0,
        "usedCapacity": used.memory / cluster.memory if cluster.memory else "NaN",
        "qstate": "RUNNING",
        "minQueueMemoryCapacity": scheduler.minimum_allocation.memory,
        "maxQueueMemoryCapacity": scheduler.maximum_allocation.memory,
        "numNodes": len(rm.nodes),
        "usedNodeCapacity": used.memory,
        "availNodeCapacity": cluster.memory - used.memory,
        "totalNodeCapacity": cluster.memory,
        "numContainers": len(scheduler.containers),
    }


class _CapacityView:
    """One snapshot of a CapacityScheduler's queues as ``CapacitySchedulerQueueInfo`` values."""

    def __init__(self, rm, scheduler):
        self.rm = rm
        self.scheduler = scheduler
        self.calculator = scheduler.calculator
        self.cluster = scheduler.cluster_resource
        self.global_maximum_applications = rm.config.get_int(
            "yarn.scheduler.capacity.maximum-applications"
        )
        self.pending = self._pending_by_queue()

    def _pending_by_queue(self):
        """Queue path → the resource its active attempts (and its children's) still ask for."""
        pending = {}
        for attempt in self.scheduler.attempts.values():
            if not attempt.active:
                continue
            wanted = Resource(0, 0)
            for _, name, entry in attempt.asks.items():
                if name == ANY and entry.count > 0:
                    wanted = wanted + entry.capability * entry.count
            for queue in attempt.queue.ancestry():
                pending[queue.path] = pending.get(queue.path, Resource(0, 0)) + wanted
        return pending

    def root(self):
        root = self.scheduler.root
        return {
            "type": "capacityScheduler",
            "capacity": 100.0,
            "usedCapacity": 100.0 * self._used_ratio(root),
            "maxCapacity": 100.0,
            "queueName": root.name,
            "queues": {"queue": [self.queue(child) for child in root.children]},
            "capacities": self._capacities(root),
            "maximumAllocation": resource_info(self.scheduler.maximum_allocation),
            "queuePriority": 0,
            "orderingPolicyInfo": _PARENT_ORDERING_POLICY,
        }

    def queue(self, queue):
        if queue.is_leaf:
            info = {"type": "capacitySchedulerLeafQueueInfo"}
        else:
            info = {}
        absolute_used = self.calculator.ratio(self.cluster, queue.used, self.cluster)
        info.update({
            "queuePath": queue.path,
            "capacity": queue.spec.capacity,
            "usedCapacity": 100.0 * self._used_ratio(queue),
            "maxCapacity": queue.spec.maximum_capacity,
            "absoluteCapacity": 100.0 * _cap(queue.absolute_capacity),
            "absoluteMaxCapacity": 100.0 * _cap(queue.absolute_maximum_capacity),
            "absoluteUsedCapacity": 100.0 * _cap(absolute_used),
            "numApplications": _num_applications(queue),
            "allocatedContainers": queue.num_containers,
            "reservedContainers": 0,
            "pendingContainers": queue.pending,
            "queueName": queue.name,
            "isAbsoluteResource": False,
            "state": queue.spec.state.value,
        })
        if not queue.is_leaf:
            info["queues"] = {"queue": [self.queue(child) for child in queue.children]}
        info.update({
            "resourcesUsed": resource_info(queue.used),
            "hideReservationQueues": False,
            "nodeLabels": ["*"],
            "capacities": self._capacities(queue),
            "resources": self._resources(queue),
            "minEffectiveCapacity": resource_info(self._guaranteed(queue)),
            "maxEffectiveCapacity": resource_info(self.scheduler.queue_limit(queue)),
            "maximumAllocation": resource_info(self.scheduler.maximum_allocation),
            "queuePriority": 0,
            "orderingPolicyInfo": _LEAF_ORDERING_POLICY if queue.is_leaf
            else _PARENT_ORDERING_POLICY,
            "autoCreateChildQueueEnabled": False,
        })
        if queue.is_leaf:
            info.update(self._leaf(queue))
        return info

    def _leaf(self, queue):
        spec = queue.spec
        maximum_applications = queue.maximum_applications(self.global_maximum_applications)
        user_limit = int(spec.minimum_user_limit_percent)
        am_limit = self.scheduler.am_limit(queue)
        return {
            "numActiveApplications": len(queue.active),
            "numPendingApplications": len(queue.waiting),
            "numContainers": queue.num_containers,
            "maxApplications": maximum_applications,
            "maxApplicationsPerUser": min(
                maximum_applications,
                int(maximum_applications * (user_limit / 100.0) * spec.user_limit_factor),
            ),
            "userLimit": user_limit,
            "users": self._users(queue, am_limit),
            "userLimitFactor": spec.user_limit_factor,
            "configuredMaxAMResourceLimit": spec.maximum_am_resource_percent,
            "AMResourceLimit": resource_info(am_limit),
            "usedAMResource": resource_info(queue.am_used),
            "userAMResourceLimit": resource_info(am_limit),
            "preemptionDisabled": True,
            "intraQueuePreemptionDisabled": True,
            "defaultPriority": 0,
            "isAutoCreatedLeafQueue": False,
            "maxApplicationLifetime": -1,
            "defaultApplicationLifetime": -1,
        }

    def _users(self, queue, am_limit):
        active = {}
        waiting = {}
        for attempt in queue.active:
            active[attempt.user] = active.get(attempt.user, 0) + 1
        for attempt in queue.waiting:
            waiting[attempt.user] = waiting.get(attempt.user, 0) + 1
        users = []
        for name in sorted(queue.users):
            usage = queue.users[name]
            if usage.applications <= 0 and usage.used == Resource(0, 0):
                continue
            users.append({
                "username": name,
                "resourcesUsed": resource_info(usage.used),
                "numPendingApplications": waiting.get(name, 0),
                "numActiveApplications": active.get(name, 0),
                "AMResourceUsed": resource_info(Resource(usage.am_used_memory,
                                                         usage.am_used_vcores)),
                "userResourceLimit": resource_info(
                    self.scheduler.user_limit(queue, self.scheduler.minimum_allocation)
                ),
                "userWeight": 1.0,
                "isActive": usage.pending > 0,
            })
        return {"user": users} if users else None

    def _capacities(self, queue):
        absolute_used = self.calculator.ratio(self.cluster, queue.used, self.cluster)
        return {"queueCapacitiesByPartition": [{
            "partitionName": "",
            "capacity": queue.spec.capacity,
            "usedCapacity": 100.0 * self._used_ratio(queue),
            "maxCapacity": queue.spec.maximum_capacity,
            "absoluteCapacity": 100.0 * _cap(queue.absolute_capacity),
            "absoluteUsedCapacity": 100.0 * _cap(absolute_used),
            "absoluteMaxCapacity": 100.0 * _cap(queue.absolute_maximum_capacity),
            "maxAMLimitPercentage": (100.0 * queue.spec.maximum_am_resource_percent
                                     if queue.is_leaf else 0.0),
            "configuredMinResource": resource_info(Resource(0, 0)),
            "configuredMaxResource": resource_info(Resource(0, 0)),
            "effectiveMinResource": resource_info(self._guaranteed(queue)),
            "effectiveMaxResource": resource_info(self.scheduler.queue_limit(queue)),
        }]}

    def _resources(self, queue):
        usage = {
            "partitionName": "",
            "used": resource_info(queue.used),
            "reserved": resource_info(Resource(0, 0)),
            "pending": resource_info(self.pending.get(queue.path, Resource(0, 0))),
            "amUsed": resource_info(queue.am_used if queue.is_leaf else Resource(0, 0)),
        }
        if queue.is_leaf:
            usage["amLimit"] = resource_info(self.scheduler.am_limit(queue))
        return {"resourceUsagesByPartition": [usage]}

    def _guaranteed(self, queue):
        return self.calculator.multiply(self.cluster, queue.absolute_capacity)

    def _used_ratio(self, queue):
        """Used over the queue's guaranteed resource (0 when it has none)."""
        return self.calculator.ratio(self.cluster, queue.used, self._guaranteed(queue))


def _num_applications(queue):
    if queue.is_leaf:
        return queue.num_applications
    return sum(_num_applications(child) for child in queue.children)


def _cap(value):
    return min(max(value, 0.0), 1.0)
