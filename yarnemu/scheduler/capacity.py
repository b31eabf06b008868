"""
:class:`CapacityScheduler`: hierarchical queues with guaranteed capacities that can grow elastically
to their maximum capacity (``…scheduler.capacity.CapacityScheduler``, Hadoop's default).

What it models, as Hadoop does:

- **Admission**: an unknown queue, a parent queue, a STOPPED queue or a full queue rejects the
  application with Hadoop's diagnostic (the RM then fails it).
- **AM limit**: an attempt becomes *active* only while its queue's AM usage stays within
  ``maximum-am-resource-percent`` of the queue's capacity (both rounded up to the minimum
  allocation); an attempt is always let in while no active attempt of its queue holds AM resource.
  Inactive attempts wait in ACCEPTED.  Attempts added while the cluster has no resource are not
  activated until it has some.
- **Node heartbeat**: queues are offered the node least-used first (used / guaranteed), within
  a leaf queue applications by priority then submission order, within an application its
  priorities lowest number first.  A queue (and each ancestor) may not grow beyond its maximum
  capacity; a user may not go on once above the user limit (queue capacity × user-limit-factor,
  shared by active users down to minimum-user-limit-percent).  Several containers may be assigned
  on one heartbeat, but at most ``per-node-heartbeat.maximum-offswitch-assignments`` (default 1)
  off-switch ones.  A request that would take the queue past its maximum capacity ends the queue's
  turn on that heartbeat (Hadoop's QUEUE_SKIPPED).
- **Delay scheduling**: rack-local placements wait for ``node-locality-delay`` missed
  opportunities (capped at the cluster size), off-switch ones for the locality wait factor; as in
  Hadoop, a rack-local placement still waiting may go off-switch on the same node if the
  off-switch wait is over.  While a priority waits, the application's lower priorities get
  nothing on the node ("do not assign out of order w.r.t priorities").

Not modelled: reservations (a request that does not fit on the node skips to the next priority),
preemption, node labels, per-user AM limits.  Node fit is checked in memory *and* vcores, so a
node is never over-committed, also with the DefaultResourceCalculator.
"""

from bisect import insort

from yarnemu.records.am_protocol import ANY
from yarnemu.records.client_protocol import QueueInfo
from yarnemu.records.resource import Resource
from yarnemu.records.states import NodeType, QueueState
from yarnemu.scheduler.base import SKIP, AbstractScheduler
from yarnemu.scheduler.capacity_config import read_queue_tree
from yarnemu.scheduler.capacity_queues import build_queues
from yarnemu.scheduler.resource_calculator import resource_calculator

__all__ = ["CapacityScheduler"]


class CapacityScheduler(AbstractScheduler):
    """
    :ivar root: the root :class:`~yarnemu.scheduler.capacity_queues.CSQueue`.
    :ivar queues: queue path → queue, for every queue.
    """

    type_name = "capacityScheduler"

    def __init__(self, config):
        super().__init__(config, resource_calculator(config))
        self.root = build_queues(read_queue_tree(config))
        self.queues = {}
        self._leaves = {}
        stack = [self.root]
        while stack:
            queue = stack.pop(0)
            self.queues[queue.path] = queue
            if queue.is_leaf:
                self._leaves[queue.name] = queue
            stack.extend(queue.children)
        # Hadoop finds parents by name too; leaf names are unique and win over parents'.
        self._by_name = dict(self._leaves)
        for queue in self.queues.values():
            self._by_name.setdefault(queue.name, queue)
        self._resize_queues()
        self._maximum_applications = config.get_int("yarn.scheduler.capacity.maximum-applications")
        self._node_locality_delay = config.get_int("yarn.scheduler.capacity.node-locality-delay")
        self._maximum_offswitch = config.get_int(
            "yarn.scheduler.capacity.per-node-heartbeat.maximum-offswitch-assignments"
        )

    # Queues

    def find_queue(self, name):
        """:return: the queue with this path or name, or ``None``."""
        return self.queues.get(name) or self._by_name.get(name)

    def queue_info(self, name):
        """
        :return: the :class:`QueueInfo` of a queue by path or leaf name, or ``None``.
        """
        queue = self.find_queue(name)
        if queue is None:
            return None
        cluster = self.cluster_resource
        guaranteed = queue.guaranteed
        applications = ()
        if queue.is_leaf:
            applications = tuple(sorted(
                app.application_id for app in self.applications.values() if app.queue is queue
            ))
        return QueueInfo(
            queue_name=queue.name,
            queue_path=queue.path,
            capacity=queue.spec.capacity / 100.0,
            maximum_capacity=queue.spec.maximum_capacity / 100.0,
            current_capacity=self.calculator.ratio(cluster, queue.used, guaranteed),
            queue_state=queue.spec.state,
            child_queues=tuple(child.name for child in queue.children),
            applications=applications,
        )

    def queue_infos(self):
        """:return: every queue's :class:`QueueInfo`, root first."""
        return [self.queue_info(path) for path in self.queues]

    def _queue_name(self, queue):
        return queue.name

    # Admission and activation

    def _admit(self, application_id, queue_name, user):
        queue = self.find_queue(queue_name)
        if queue is None:
            return None, (
                f"Application {application_id} submitted by user {user} to unknown queue: {queue_name}"
            )
        if not queue.is_leaf:
            return None, (
                f"Application {application_id} submitted by user {user} to non-leaf queue: {queue_name}"
            )
        if queue.spec.state is QueueState.STOPPED:
            return None, (
                f"Queue {queue.path} is STOPPED. Cannot accept submission of application: "
                f"{application_id}"
            )
        limit = queue.maximum_applications(self._maximum_applications)
        if queue.num_applications >= limit:
            return None, (
                f"Queue {queue.path} already has {queue.num_applications} applications, cannot "
                f"accept submission of application: {application_id}"
            )
        queue.num_applications += 1
        queue.user(user).applications += 1
        return queue, None

    def _discharge(self, application):
        queue = application.queue
        queue.num_applications -= 1
        queue.user(application.user).applications -= 1

    def _attempt_added(self, attempt):
        attempt.queue.waiting.append(attempt)
        # Hadoop does not activate an attempt added while the cluster has no resource.
        if self._cluster_has_resource():
            self._activate(attempt.queue)

    def _attempt_removed(self, attempt):
        queue = attempt.queue
        if attempt in queue.waiting:
            queue.waiting.remove(attempt)
        elif attempt in queue.active:
            queue.active.remove(attempt)
            if attempt.am_resource is not None:
                self._add_am_used(queue, attempt, -1)
        self._activate(queue)

    def _cluster_changed(self):
        self._resize_queues()
        for queue in self._leaves.values():
            self._activate(queue)

    def _resize_queues(self):
        cluster = self.cluster_resource
        for queue in self.queues.values():
            queue.resize(cluster, self.calculator)

    def am_limit(self, queue):
        """
        :return: the AM resource limit of a leaf queue: its guaranteed capacity times
            ``maximum-am-resource-percent``, each rounded up to the minimum allocation as Hadoop's
            ``multiplyAndNormalizeUp`` (Hadoop may use the queue's current limit instead of its
            guarantee when that is larger; not modelled).
        """
        calculator = self.calculator
        step = self.minimum_allocation
        guaranteed = calculator.multiply_and_normalize_up(
            self.cluster_resource, queue.absolute_capacity, step
        )
        return calculator.multiply_and_normalize_up(
            guaranteed, queue.spec.maximum_am_resource_percent, step
        )

    def am_diagnostics(self, attempt_id):
        """
        :return: the scheduler's note on an attempt waiting for its AM container, worded as the
            CapacityScheduler's ACCEPTED-state diagnostics, or ``""``.
        """
        attempt = self.attempts.get(attempt_id)
        if attempt is None or not attempt.am_pending:
            return ""
        queue = attempt.queue
        if not attempt.active:
            if self._cluster_has_resource():
                reason = "Queue's AM resource limit exceeded. "
            else:
                reason = "Skipping AM assignment as cluster resource is empty. "
            return (
                "[Application is added to the scheduler and is not yet activated. "
                f"{reason} Details : AM Partition = <DEFAULT_PARTITION>; "
                f"AM Resource Request = {attempt.am_resource}; Queue Resource Limit for AM = "
                f"{self.am_limit(queue)}; User AM Resource Limit of the queue = "
                f"{self.am_limit(queue)}; Queue AM Resource Usage = {queue.am_used}; ]"
            )
        return (
            "[Application is Activated, waiting for resources to be assigned for AM.  Details : "
            f"AM Partition = <DEFAULT_PARTITION> ; Partition Resource = {self.cluster_resource} ; "
            f"Queue's Absolute capacity = {queue.absolute_capacity * 100:.1f} % ; "
            f"Queue's Absolute used capacity = {self._absolute_used(queue) * 100:.1f} % ; "
            f"Queue's Absolute max capacity = {queue.absolute_maximum_capacity * 100:.1f} % ; ]"
        )

    def _activate(self, queue):
        if not queue.waiting:
            return
        cluster = self.cluster_resource
        limit = self.am_limit(queue)
        for attempt in list(queue.waiting):
            if attempt.am_resource is not None:
                if_started = queue.am_used + attempt.am_resource
                # Hadoop lets an application start whatever the limit while no active one of the
                # queue holds AM resource (the first one, or after unmanaged AMs only).
                enforced = queue.active and self.calculator.greater_than(
                    cluster, queue.am_used, Resource.NONE
                )
                if enforced and self.calculator.greater_than(cluster, if_started, limit):
                    continue
                self._add_am_used(queue, attempt, 1)
            queue.waiting.remove(attempt)
            insort(queue.active, attempt, key=_scheduling_order)
            self._set_active(attempt, True)

    def _add_am_used(self, queue, attempt, sign):
        resource = attempt.am_resource
        user = queue.user(attempt.user)
        queue.am_used_memory += sign * resource.memory
        queue.am_used_vcores += sign * resource.vcores
        user.am_used_memory += sign * resource.memory
        user.am_used_vcores += sign * resource.vcores

    # Accounting hooks

    def _on_pending(self, attempt, delta):
        leaf = attempt.queue
        user = leaf.user(attempt.user)
        was_active = user.pending > 0
        user.pending += delta
        if was_active != (user.pending > 0):
            leaf.active_users += 1 if user.pending > 0 else -1
        for queue in leaf.ancestry():
            queue.pending += delta
        # Every change of an active attempt's demand, and every (de)activation of an attempt with
        # demand, comes through here: keep the leaf's index of attempts that want containers.
        demanding = attempt.active and attempt.asks.pending > 0
        if demanding != attempt.demanding:
            attempt.demanding = demanding
            if demanding:
                insort(leaf.demanding, attempt, key=_scheduling_order)
            else:
                leaf.demanding.remove(attempt)

    def _on_allocated(self, attempt, resource):
        user = attempt.queue.user(attempt.user)
        user.used_memory += resource.memory
        user.used_vcores += resource.vcores
        for queue in attempt.queue.ancestry():
            queue.used_memory += resource.memory
            queue.used_vcores += resource.vcores
            queue.num_containers += 1

    def _on_freed(self, attempt, resource):
        user = attempt.queue.user(attempt.user)
        user.used_memory -= resource.memory
        user.used_vcores -= resource.vcores
        for queue in attempt.queue.ancestry():
            queue.used_memory -= resource.memory
            queue.used_vcores -= resource.vcores
            queue.num_containers -= 1

    # Limits

    def queue_limit(self, queue):
        """:return: the resource a queue may grow to: its absolute maximum capacity."""
        return queue.limit

    def user_limit(self, queue, required):
        """
        :return: the user limit of a leaf queue for a request of ``required``, computed as
            ``LeafQueue#computeUserLimit``: the current capacity shared by the active users (but no
            less than minimum-user-limit-percent of it), at most the queue capacity times
            user-limit-factor, rounded up to the minimum allocation.
        """
        calculator = self.calculator
        cluster = self.cluster_resource
        queue_capacity = calculator.maximum(cluster, queue.guaranteed, required)
        used = queue.used
        if not calculator.greater_than(cluster, queue_capacity, used):
            return self._user_limit(queue, queue_capacity, used + required)
        # Below its capacity a queue's user limit does not depend on what it uses: it is kept per
        # request size and number of active users until the cluster's size changes.
        key = (required.memory, required.vcores, queue.active_users)
        limit = queue.user_limits.get(key)
        if limit is None:
            limit = queue.user_limits[key] = self._user_limit(queue, queue_capacity, queue_capacity)
        return limit

    def _user_limit(self, queue, queue_capacity, current):
        calculator = self.calculator
        cluster = self.cluster_resource
        shared = calculator.divide_up(current, queue.active_users or 1)
        floor = calculator.multiply(current, queue.spec.minimum_user_limit_percent / 100.0)
        limit = calculator.maximum(cluster, shared, floor)
        ceiling = calculator.multiply(queue_capacity, queue.spec.user_limit_factor)
        limit = calculator.minimum(cluster, limit, ceiling)
        return calculator.round_up_to(limit, self.minimum_allocation)

    def headroom(self, attempt_id):
        """
        :return: ``min(user limit − user used, queue maximum − queue used, cluster available)``,
            never negative.
        """
        attempt = self.attempts[attempt_id]
        queue = attempt.queue
        user = queue.user(attempt.user)
        by_user = self.user_limit(queue, self.minimum_allocation) - user.used
        by_queue = min(
            (self.queue_limit(q) - q.used for q in queue.ancestry()),
            key=lambda r: (r.memory, r.vcores),
        )
        headroom = by_user.component_min(by_queue).component_min(self.available_resource)
        return headroom.component_max(Resource.NONE)

    def guaranteed_resource(self, attempt_id):
        """:return: the cluster resource times the absolute capacity of the attempt's leaf queue."""
        return self.attempts[attempt_id].queue.guaranteed

    def _cluster_has_resource(self):
        cluster = self.cluster_resource
        return self.calculator.greater_than(cluster, cluster, Resource.NONE)

    def _absolute_used(self, queue):
        return self.calculator.ratio(self.cluster_resource, queue.used, self.cluster_resource)

    # Allocation

    def _assign_on_node(self, node):
        allocations = []
        offswitch = 0
        while self.pending > 0:
            allocation = self._assign_in(self.root, node)
            if allocation is None:
                break
            allocations.append(allocation)
            if allocation.locality is NodeType.OFF_SWITCH:
                offswitch += 1
                if offswitch >= self._maximum_offswitch:
                    break
        return allocations

    def _assign_in(self, queue, node):
        if queue.pending <= 0:
            return None
        if queue.is_leaf:
            return self._assign_in_leaf(queue, node)
        cluster = self.cluster_resource
        calculator = self.calculator

        def utilization(child):
            guaranteed = child.guaranteed
            if guaranteed.memory <= 0 and guaranteed.vcores <= 0:
                return (float("inf") if child.used_memory else 0.0, child.path)
            return (calculator.ratio(cluster, child.used, guaranteed), child.path)

        children = queue.children
        if len(children) > 1:
            children = sorted(children, key=utilization)
        for child in children:
            allocation = self._assign_in(child, node)
            if allocation is not None:
                return allocation
        return None

    def _assign_in_leaf(self, queue, node):
        # The attempts that want containers, in the order of queue.active.  The loop ends at the
        # first allocation, which may take that attempt out of the list.
        for attempt in queue.demanding:
            if self._blacklisted(attempt, node):
                continue
            user = queue.user(attempt.user)
            for key in attempt.asks.keys():
                placement = self._placement(attempt, key, node)
                if placement is None or placement is SKIP:
                    continue
                anywhere = attempt.asks.entry(key, ANY)
                capability = anywhere.capability
                # Hadoop: a user above the limit gets nothing more (strictly above: one may overshoot).
                if self._exceeds(user.used_memory, user.used_vcores,
                                 self.user_limit(queue, capability)):
                    break
                if not self._within_queue_limits(queue, capability):
                    return None  # Hadoop's QUEUE_SKIPPED: the queue's turn ends.
                if not node.fits(capability):
                    continue
                missed = attempt.missed.get(key, 0) + 1
                attempt.missed[key] = missed
                if not self._delay_satisfied(attempt, key, placement, missed):
                    # Hadoop tries off-switch after a rack-local placement that must still wait.
                    if (placement is NodeType.RACK_LOCAL and anywhere.relax_locality
                            and self._delay_satisfied(attempt, key, NodeType.OFF_SWITCH, missed)):
                        placement = NodeType.OFF_SWITCH
                    else:
                        break  # Hadoop's APP_SKIPPED: lower priorities wait too.
                allocation = self._allocate(attempt, node, key, placement)
                # Off-switch assignments keep the count, so that further off-switch asks go fast.
                if placement is not NodeType.OFF_SWITCH:
                    attempt.missed[key] = 0
                return allocation
        return None

    def _within_queue_limits(self, queue, capability):
        for ancestor in queue.ancestry():
            if self._exceeds(ancestor.used_memory + capability.memory,
                             ancestor.used_vcores + capability.vcores, ancestor.limit):
                return False
        return True

    def _exceeds(self, memory, vcores, limit):
        """
        :return: whether the calculator finds ``<memory, vcores>`` greater than ``limit``.  An
            amount within ``limit`` in both dimensions is never greater, by either calculator, so
            that common case is answered without building a Resource.
        """
        if memory <= limit.memory and vcores <= limit.vcores:
            return False
        return self.calculator.greater_than(self.cluster_resource, Resource(memory, vcores), limit)

    def _delay_satisfied(self, attempt, key, placement, missed):
        if placement is NodeType.NODE_LOCAL:
            return True
        nodes = self.num_nodes
        if placement is NodeType.RACK_LOCAL:
            if self._node_locality_delay < 0:
                return True
            return missed > min(self._node_locality_delay, nodes)
        required = attempt.asks.any_count(key)
        locations = attempt.asks.distinct_locations(key)
        wait_factor = min(max(locations - 1, 0) / nodes, 1.0) if nodes else 0.0
        return min(nodes, required * wait_factor) < missed


def _scheduling_order(attempt):
    return attempt.sort_key
