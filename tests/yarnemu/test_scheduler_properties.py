"""
Property tests of the pure schedulers: random clusters, queue trees and sequences of operations
(submissions, asks, heartbeats, releases, completions, attempt failures, node changes), with the
scheduler's bookkeeping checked against an independent model after every operation.
"""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yarnemu.config import YarnConfiguration
from yarnemu.errors import InvalidContainerReleaseException, InvalidResourceRequestException
from yarnemu.records.am_protocol import ANY, ResourceRequest
from yarnemu.records.resource import Resource
from yarnemu.records.states import NodeType
from yarnemu.scheduler import CapacityScheduler, FifoScheduler
from yarnemu.scheduler.resource_calculator import DominantResourceCalculator
from yarnemu.testing.scheduler_strategies import (
    RACKS,
    application_id,
    attempt_id,
    capacity_configurations,
    node_id,
    node_specs,
    operations,
    queue_names,
)

AM_KEY = (0, 0)


@st.composite
def scenarios(draw, capacity):
    """A cluster, the scheduler's configuration values, and operations to run on it."""
    nodes = draw(node_specs())
    hosts = [(node.host, rack) for node, _, rack in nodes]
    if capacity:
        tree, values = draw(capacity_configurations())
        queues = queue_names(tree, leaves_only=True) * 3 + queue_names(tree) + ["root", "nope"]
    else:
        values, queues = {}, ["default", "anything"]
    ops = draw(operations(hosts, queues=queues))
    return nodes, values, ops


class Model:
    """
    What the scheduler should hold, kept independently of it: the containers with their owner and
    node, each attempt's blacklist, and a mirror of each attempt's asks (per key and resource name,
    the count still owed and the relaxLocality flag), consumed as allocations come.
    """

    def __init__(self, scheduler, nodes):
        self.scheduler = scheduler
        self.capacity = isinstance(scheduler, CapacityScheduler)
        self.apps = []  # app numbers admitted and not finished, in submission order
        self.current = {}  # app number -> current attempt id
        self.am = {}  # app number -> AM resource or None
        self.asks = {}  # (attempt id, key) -> {resource name: [count owed, relax]}
        self.blacklists = {}  # attempt id -> blacklisted hosts and racks
        self.containers = {}  # container id -> (attempt id, node id)
        self.kept = set()  # container ids kept between attempts
        self.last_attempt = {}  # app number -> number of its last removed attempt
        self.ever = set()  # every container id ever allocated
        self.am_containers = set()  # the ids of AM containers
        self.next_app = 1
        self.next_node = len(nodes)
        self.allocation_log = []
        for node, capability, rack in nodes:
            scheduler.add_node(node, capability, rack)

    # Operations

    def run(self, op):
        getattr(self, "op_" + op[0])(*op[1:])

    def op_submit(self, queue, user, am_memory):
        number = self.next_app
        self.next_app += 1
        rejection = self.scheduler.add_application(application_id(number), queue, user)
        if rejection is not None:
            assert application_id(number) not in self.scheduler.applications
            assert f"application_{application_id(number).cluster_timestamp}_{number:04d}" in rejection
            return
        self.apps.append(number)
        self.am[number] = None if am_memory is None else Resource(am_memory, 1)
        self._add_attempt(number, 1)

    def _add_attempt(self, number, attempt_number):
        attempt = attempt_id(number, attempt_number)
        self.current[number] = attempt
        kept = self.scheduler.add_attempt(attempt, self.am[number])
        expected = {cid for cid in self.kept if cid.application_id == application_id(number)}
        assert {live.container_id for live in kept} == expected
        for cid in expected:
            self.containers[cid] = (attempt, self.containers[cid][1])
        self.kept -= expected
        self.blacklists[attempt] = set()
        if self.am[number] is not None:
            self.asks[(attempt, AM_KEY)] = {ANY: [1, True]}

    def _app(self, index, current=True):
        """The app at ``index`` among those with (or, ``current=False``, without) an attempt."""
        apps = [number for number in self.apps if (number in self.current) == current]
        return apps[index % len(apps)] if apps else None

    def op_ask(self, index, requests):
        number = self._app(index)
        if number is None:
            return
        attempt = self.current[number]
        asks = self.scheduler.attempts[attempt].asks
        before = {key: asks.any_count(key) for key in asks.keys()}
        pending = self.scheduler.pending
        maximum = self.scheduler.maximum_allocation
        invalid = any(
            not (0 <= r.capability.memory <= maximum.memory and 0 <= r.capability.vcores <= maximum.vcores)
            for r in requests
        )
        try:
            self.scheduler.update_asks(attempt, requests)
        except InvalidResourceRequestException:
            assert invalid
            assert self.scheduler.pending == pending
            assert {key: asks.any_count(key) for key in before} == before
            return
        assert not invalid
        for request in requests:
            names = self.asks.setdefault((attempt, request.scheduler_key), {})
            names[request.resource_name] = [request.num_containers, request.relax_locality]

    def op_heartbeat(self, index):
        if self.scheduler.nodes:
            self._heartbeat(list(self.scheduler.nodes)[index % len(self.scheduler.nodes)])

    def op_heartbeat_all(self):
        for node in list(self.scheduler.nodes):
            self._heartbeat(node)

    def _heartbeat(self, node):
        allocations = self.scheduler.node_update(node)
        for allocation in allocations:
            container = allocation.container
            attempt = allocation.attempt_id
            key = (container.priority, container.allocation_request_id)
            assert attempt in self.scheduler.attempts
            assert container.node_id == node
            assert container.id.application_attempt_id == attempt
            assert container.id not in self.ever
            assert allocation.is_am == (key == AM_KEY and self.am[attempt.application_id.id] is not None)
            assert allocation.queue == self.scheduler.queue_of(attempt.application_id)
            scheduler_node = self.scheduler.nodes[node]
            assert not {scheduler_node.host, scheduler_node.rack} & self.blacklists[attempt]
            self._consume(self.asks.get((attempt, key), {}), scheduler_node, allocation.locality)
            self.ever.add(container.id)
            if allocation.is_am:
                self.am_containers.add(container.id)
            self.containers[container.id] = (attempt, node)
            self.allocation_log.append((str(container.id), str(node), str(allocation.locality)))
        if self.capacity and allocations:
            self._check_queue_limits({self.scheduler.find_queue(a.queue) for a in allocations})

    def _consume(self, names, node, locality):
        """Check that the mirrored asks allowed this allocation, then consume them as the scheduler should."""
        def count(name):
            return names.get(name, [0, True])[0]

        def relaxed(name):
            return names.get(name, [0, True])[1]

        assert count(ANY) > 0, "allocated more than was asked"
        if count(node.host) > 0 and count(node.rack) > 0:
            assert locality is NodeType.NODE_LOCAL, "a node-local placement was passed over"
        elif count(node.rack) > 0:
            assert relaxed(node.rack), "a rack request with relaxLocality false was placed elsewhere"
            assert locality is NodeType.RACK_LOCAL or (self.capacity and locality is NodeType.OFF_SWITCH)
        else:
            assert locality is NodeType.OFF_SWITCH
            assert relaxed(ANY), "a request with relaxLocality false on ANY was placed off-switch"
        consumed = {NodeType.NODE_LOCAL: (node.host, node.rack, ANY),
                    NodeType.RACK_LOCAL: (node.rack, ANY),
                    NodeType.OFF_SWITCH: (ANY,)}[locality]
        for name in consumed:
            if count(name) > 0:
                names[name][0] -= 1

    def _containers_by_index(self, index):
        ids = sorted(self.containers)
        return ids[index % len(ids)] if ids else None

    def op_release(self, index, container_index):
        number = self._app(index)
        container_id = self._containers_by_index(container_index)
        if number is None or container_id is None:
            return
        attempt = self.current[number]
        owner = self.containers[container_id][0]
        if owner != attempt:
            with pytest.raises(InvalidContainerReleaseException):
                self.scheduler.release(attempt, [container_id])
            assert container_id in self.scheduler.containers
            return
        [released] = self.scheduler.release(attempt, [container_id])
        assert released.container_id == container_id
        del self.containers[container_id]

    def op_complete(self, container_index):
        container_id = self._containers_by_index(container_index)
        if container_id is None:
            return
        assert self.scheduler.complete(container_id).container_id == container_id
        del self.containers[container_id]
        self.kept.discard(container_id)
        assert self.scheduler.complete(container_id) is None

    def _remove_attempt(self, number, keep):
        attempt = self.current.pop(number)
        released = {live.container_id for live in self.scheduler.remove_attempt(attempt, keep)}
        owned = {cid for cid, (owner, _) in self.containers.items() if owner == attempt}
        if keep:
            assert released == owned & self.am_containers, "keep_containers releases the AM container only"
            self.kept |= owned - released
        else:
            assert released == owned
        for cid in released:
            del self.containers[cid]
        assert attempt not in self.scheduler.attempts
        return attempt

    def op_fail(self, index, keep):
        number = self._app(index)
        if number is not None:
            self.last_attempt[number] = self._remove_attempt(number, keep).attempt_id

    def op_next_attempt(self, index):
        number = self._app(index, current=False)
        if number is not None:
            self._add_attempt(number, self.last_attempt[number] + 1)

    def op_finish(self, index, keep):
        if not self.apps:
            return
        number = self.apps[index % len(self.apps)]
        if number in self.current:
            self._remove_attempt(number, keep)
            self.check()
        self.scheduler.remove_application(application_id(number))
        freed = {cid for cid in self.kept if cid.application_id == application_id(number)}
        for cid in freed:
            del self.containers[cid]
        self.kept -= freed
        self.apps.remove(number)

    def op_blacklist(self, index, node_index, add):
        number = self._app(index)
        if number is None or not self.scheduler.nodes:
            return
        node = list(self.scheduler.nodes.values())[node_index % len(self.scheduler.nodes)]
        name = node.host if node_index % 2 == 0 else node.rack
        attempt = self.current[number]
        if add:
            self.scheduler.update_blacklist(attempt, additions=[name])
            self.blacklists[attempt].add(name)
        else:
            self.scheduler.update_blacklist(attempt, removals=[name])
            self.blacklists[attempt].discard(name)

    def op_remove_node(self, index):
        if not self.scheduler.nodes:
            return
        node = list(self.scheduler.nodes)[index % len(self.scheduler.nodes)]
        removed = {live.container_id for live in self.scheduler.remove_node(node)}
        assert removed == {cid for cid, (_, on) in self.containers.items() if on == node}
        for cid in removed:
            del self.containers[cid]
        self.kept -= removed

    def op_add_node(self, memory, vcores, rack):
        self.scheduler.add_node(node_id(self.next_node), Resource(memory, vcores), rack)
        self.next_node += 1

    # Invariants

    def check(self):
        scheduler = self.scheduler
        located = {}
        total = Resource.NONE
        used = Resource.NONE
        for node in scheduler.nodes.values():
            on_node = Resource.NONE
            for cid, live in node.containers.items():
                assert cid not in located, "a container is on two nodes"
                located[cid] = node.node_id
                assert live.node is node
                on_node += live.resource
            assert node.used == on_node
            assert Resource.NONE.fits_in(node.used) and node.used.fits_in(node.capability)
            total += node.capability
            used += node.used
        assert scheduler.cluster_resource == total
        assert scheduler.used_resource == used
        assert scheduler.used_resource + scheduler.available_resource == scheduler.cluster_resource
        assert set(located) == set(scheduler.containers) == set(self.containers)

        owners = Counter()
        for attempt in scheduler.attempts.values():
            held = Resource.NONE
            for cid, live in attempt.live.items():
                owners[cid] += 1
                assert live.attempt is attempt
                held += live.resource
            assert attempt.used == held
        for cid, live in scheduler.containers.items():
            owner, node = self.containers[cid]
            assert located[cid] == node == live.container.node_id
            assert live.attempt.attempt_id == owner
            assert owners[cid] == (0 if cid in self.kept else 1), "a container has no single owner"

        for (attempt, key), names in self.asks.items():
            if attempt in scheduler.attempts:
                table = scheduler.attempts[attempt].asks
                for name, (count, relax) in names.items():
                    entry = table.entry(key, name)
                    assert (entry.count, entry.relax_locality) == (count, relax)
        assert scheduler.pending == sum(a.asks.pending for a in scheduler.attempts.values() if a.active)
        if self.capacity:
            self._check_queue_accounting()

    def _check_queue_accounting(self):
        scheduler = self.scheduler
        for queue in scheduler.queues.values():
            held = [live for live in scheduler.containers.values()
                    if queue in live.attempt.queue.ancestry()]
            assert queue.used == sum((live.resource for live in held), Resource.NONE)
            assert queue.num_containers == len(held)
            assert queue.pending == sum(a.asks.pending for a in scheduler.attempts.values()
                                        if a.active and queue in a.queue.ancestry())
            for name, user in queue.users.items():
                assert user.used == sum((live.resource for live in held if live.attempt.user == name),
                                        Resource.NONE)
                assert user.pending == sum(a.asks.pending for a in queue.active if a.user == name)
            if queue.is_leaf:
                assert queue.active_users == len({a.user for a in queue.active if a.asks.pending})

    def _check_queue_limits(self, leaves):
        """
        Queues that were just allocated to are within their absolute maximum capacity (in memory,
        and in vcores too with the DominantResourceCalculator).  Only those: removing a node
        shrinks the cluster and so the limits, under queues that keep their containers elsewhere.
        """
        scheduler = self.scheduler
        both = isinstance(scheduler.calculator, DominantResourceCalculator)
        for leaf in leaves:
            for queue in leaf.ancestry():
                limit = scheduler.queue_limit(queue)
                assert queue.used.memory <= limit.memory
                if both:
                    assert queue.used.vcores <= limit.vcores

    def outstanding(self):
        """:return: (attempt id, key) → ANY count, for every key of every attempt now."""
        return {
            (attempt.attempt_id, key): attempt.asks.any_count(key)
            for attempt in self.scheduler.attempts.values()
            for key in attempt.asks.keys()
        }

    def check_fifo_round(self, before):
        """
        After every node heartbeated once (``before``: :meth:`outstanding` at the start of that
        round), no relaxed ANY-only ask is outstanding while a node the attempt may use has room
        for it, unless a higher priority of the same attempt, wanted at the start of the round,
        does not fit there and so held it back (Hadoop's "do not assign out of order w.r.t
        priorities").
        """
        scheduler = self.scheduler
        for attempt in scheduler.attempts.values():
            asks = attempt.asks
            for key in asks.keys():
                anywhere = asks.entry(key, ANY)
                if anywhere.count <= 0 or not anywhere.relax_locality:
                    continue
                if any(entry.count > 0 for k, name, entry in asks.items() if k == key and name != ANY):
                    continue
                for node in scheduler.nodes.values():
                    if {node.host, node.rack} & self.blacklists[attempt.attempt_id]:
                        continue
                    if not node.fits(anywhere.capability):
                        continue
                    blockers = [
                        earlier for earlier in asks.keys()
                        if earlier < key and before.get((attempt.attempt_id, earlier), 0) > 0
                        and not node.fits(asks.entry(earlier, ANY).capability)
                    ]
                    assert blockers, f"{attempt} still wants {key} although {node} has room"


def _run(scheduler, nodes, ops, fifo_rounds=False):
    """
    Run ``ops`` on ``scheduler`` over ``nodes``, checking the invariants after each; with
    ``fifo_rounds``, also check every heartbeat round, and one more round at the end.
    """
    model = Model(scheduler, nodes)
    model.check()
    for op in ops:
        before = model.outstanding()
        model.run(op)
        model.check()
        if fifo_rounds and op[0] == "heartbeat_all":
            model.check_fifo_round(before)
    if fifo_rounds:
        before = model.outstanding()
        model.op_heartbeat_all()
        model.check()
        model.check_fifo_round(before)
    return model


@given(scenarios(capacity=False))
def test_fifo_bookkeeping_holds_after_every_operation(scenario):
    """Under any sequence of operations the FifoScheduler's nodes, containers, owners, asks and pending stay consistent, and a heartbeat round leaves no placeable ANY ask unserved."""
    nodes, values, ops = scenario
    _run(FifoScheduler(YarnConfiguration(values)), nodes, ops, fifo_rounds=True)


@given(scenarios(capacity=True))
def test_capacity_bookkeeping_holds_after_every_operation(scenario):
    """Under any sequence of operations the CapacityScheduler's nodes, containers, owners, asks, pending and queue usage stay consistent, and no queue is allocated past its maximum capacity."""
    nodes, values, ops = scenario
    _run(CapacityScheduler(YarnConfiguration(values)), nodes, ops)


@settings(max_examples=50)
@given(scenarios(capacity=True))
def test_scheduling_is_deterministic(scenario):
    """The same configuration and operations give the same allocations, container ids, nodes and localities."""
    nodes, values, ops = scenario
    first = _run(CapacityScheduler(YarnConfiguration(values)), nodes, ops)
    second = _run(CapacityScheduler(YarnConfiguration(values)), nodes, ops)
    assert first.allocation_log == second.allocation_log


@given(st.lists(st.tuples(st.sampled_from([1024, 2048, 4096, 8192]), st.integers(1, 8),
                          st.sampled_from(RACKS)), min_size=1, max_size=8),
       st.lists(st.tuples(st.sampled_from([1024, 2048, 3072]), st.integers(1, 6)), min_size=1, max_size=4))
def test_fifo_fills_the_cluster_in_one_round(node_list, apps):
    """With ANY-only asks of one size per application, one FIFO heartbeat round leaves no ask that some node could still hold."""
    nodes = [(node_id(i), Resource(memory, vcores), rack) for i, (memory, vcores, rack) in enumerate(node_list)]
    scheduler = FifoScheduler(YarnConfiguration())
    model = Model(scheduler, nodes)
    for number, (memory, count) in enumerate(apps, start=1):
        model.op_submit("default", "alice", None)
        model.op_ask(number - 1, [_any_request(memory, count)])
    before = model.outstanding()
    model.op_heartbeat_all()
    model.check()
    model.check_fifo_round(before)


def _any_request(memory, count):
    return ResourceRequest(1, ANY, Resource(memory, 1), count)
