"""
Tests for :mod:`yarnemu.scheduler.capacity`: admission, the AM limit, queue ordering and limits,
user limits, off-switch caps, delay scheduling and headroom of the CapacityScheduler.
"""

import pytest

from yarnemu.config import DOMINANT_RESOURCE_CALCULATOR, YarnConfiguration
from yarnemu.records.am_protocol import ANY, ResourceRequest
from yarnemu.records.resource import Resource
from yarnemu.records.states import NodeType, QueueState
from yarnemu.scheduler import CapacityScheduler
from yarnemu.scheduler.capacity_config import queue_tree_keys
from yarnemu.testing.scheduler_strategies import application_id, attempt_id, node_id

GB = Resource(1024, 1)

HALVES = {"a": {"capacity": 50}, "b": {"capacity": 50}}


def _scheduler(tree=None, nodes=1, memory=8192, vcores=8, racks=("/rack0",), values=None):
    """
    A CapacityScheduler over the queue ``tree`` (default: the shipped one) and the extra
    configuration ``values``, with ``nodes`` equal nodes split over ``racks`` in order.
    """
    values = {**(queue_tree_keys(tree) if tree else {}), **(values or {})}
    scheduler = CapacityScheduler(YarnConfiguration(values))
    for index in range(1, nodes + 1):
        rack = racks[(index - 1) * len(racks) // nodes]
        scheduler.add_node(node_id(index), Resource(memory, vcores), rack)
    return scheduler


def _submit(scheduler, number, queue="default", user="alice", am=None):
    rejection = scheduler.add_application(application_id(number), queue, user)
    assert rejection is None, rejection
    scheduler.add_attempt(attempt_id(number), am)
    return scheduler.attempts[attempt_id(number)]


def _any(count, priority=1, capability=GB):
    return ResourceRequest(priority, ANY, capability, count)


def _node_ask(host, rack, count, priority=1, capability=GB):
    return [ResourceRequest(priority, host, capability, count),
            ResourceRequest(priority, rack, capability, count),
            ResourceRequest(priority, ANY, capability, count)]


def _heartbeat_all(scheduler):
    allocations = []
    for node in list(scheduler.nodes):
        allocations.extend(scheduler.node_update(node))
    return allocations


def _drain(scheduler, rounds=50):
    """Heartbeat every node until a whole round allocates nothing."""
    allocations = []
    for _ in range(rounds):
        made = _heartbeat_all(scheduler)
        if not made:
            break
        allocations.extend(made)
    return allocations


def _count(allocations, number):
    return sum(1 for a in allocations if a.attempt_id.application_id == application_id(number))


# Admission


def test_unknown_queue_is_rejected_with_hadoops_diagnostic():
    """An application submitted to a queue that does not exist is rejected with Hadoop's message."""
    scheduler = _scheduler()
    rejection = scheduler.add_application(application_id(1), "nope", "alice")
    assert rejection == (
        "Application application_1767225600000_0001 submitted by user alice to unknown queue: nope"
    )
    assert application_id(1) not in scheduler.applications


@pytest.mark.parametrize("queue", ["root", "root.a", "a"])
def test_non_leaf_queue_is_rejected(queue):
    """Submitting to a parent queue, by path or by name, is rejected with Hadoop's non-leaf message."""
    scheduler = _scheduler({"a": {"capacity": 100, "queues": {"x": {"capacity": 100}}}})
    rejection = scheduler.add_application(application_id(1), queue, "bob")
    assert rejection == (
        f"Application application_1767225600000_0001 submitted by user bob to non-leaf queue: {queue}"
    )


def test_stopped_queue_is_rejected():
    """A STOPPED leaf queue rejects submissions with Hadoop's message naming the queue path."""
    scheduler = _scheduler({"a": {"capacity": 50}, "b": {"capacity": 50, "state": "STOPPED"}})
    assert scheduler.add_application(application_id(1), "b", "alice") == (
        "Queue root.b is STOPPED. Cannot accept submission of application: "
        "application_1767225600000_0001"
    )
    assert scheduler.add_application(application_id(2), "a", "alice") is None


def test_leaf_under_a_stopped_parent_is_rejected():
    """A leaf that inherits STOPPED from its parent rejects submissions."""
    scheduler = _scheduler({"a": {"capacity": 100, "state": "STOPPED", "queues": {"x": {"capacity": 100}}}})
    assert scheduler.add_application(application_id(1), "x", "alice") == (
        "Queue root.a.x is STOPPED. Cannot accept submission of application: "
        "application_1767225600000_0001"
    )


def test_maximum_applications_rejects_further_submissions():
    """A queue at its maximum-applications rejects the next submission, and accepts again once one leaves."""
    scheduler = _scheduler({"default": {"capacity": 100, "maximum-applications": 2}})
    for number in (1, 2):
        assert scheduler.add_application(application_id(number), "default", "alice") is None
    assert scheduler.add_application(application_id(3), "default", "alice") == (
        "Queue root.default already has 2 applications, cannot accept submission of application: "
        "application_1767225600000_0003"
    )
    scheduler.remove_application(application_id(1))
    assert scheduler.add_application(application_id(4), "default", "alice") is None


def test_maximum_applications_derives_from_the_global_limit():
    """Without its own limit, a queue admits the global maximum-applications times its absolute capacity."""
    scheduler = _scheduler({"a": {"capacity": 30}, "b": {"capacity": 70}},
                           values={"yarn.scheduler.capacity.maximum-applications": 10})
    results = [scheduler.add_application(application_id(n), "a", "alice") for n in range(1, 5)]
    assert results[:3] == [None, None, None]
    assert results[3].startswith("Queue root.a already has 3 applications")


@pytest.mark.parametrize("name", ["x", "root.a.x"])
def test_queue_by_leaf_name_or_full_path(name):
    """An application may name its queue by leaf name or by full path; the scheduler reports the leaf name."""
    scheduler = _scheduler({"a": {"capacity": 100, "queues": {"x": {"capacity": 100}}}})
    _submit(scheduler, 1, queue=name)
    assert scheduler.queue_of(application_id(1)) == "x"
    scheduler.update_asks(attempt_id(1), [_any(1)])
    [allocation] = scheduler.node_update(node_id(1))
    assert allocation.queue == "x"


def test_queue_info_by_path_or_name():
    """queue_info answers for a queue by path or name, parents included, and None for an unknown queue."""
    scheduler = _scheduler({"a": {"capacity": 40, "maximum-capacity": 80, "queues": {"x": {"capacity": 100}}},
                            "b": {"capacity": 60}})
    _submit(scheduler, 1, queue="x")
    leaf = scheduler.queue_info("x")
    assert leaf == scheduler.queue_info("root.a.x")
    assert (leaf.queue_path, leaf.queue_state, leaf.applications) == ("root.a.x", QueueState.RUNNING,
                                                                      (application_id(1),))
    parent = scheduler.queue_info("a")
    assert (parent.queue_path, parent.capacity, parent.maximum_capacity) == ("root.a", 0.4, 0.8)
    assert parent.child_queues == ("x",)
    assert scheduler.queue_info("root").child_queues == ("a", "b")
    assert scheduler.queue_info("nope") is None
    assert [info.queue_path for info in scheduler.queue_infos()] == ["root", "root.a", "root.b", "root.a.x"]


# AM limit


def test_am_limit_keeps_later_attempts_inactive_until_an_earlier_one_leaves():
    """With the AM limit reached, a later attempt stays inactive (no AM container) until an earlier attempt is removed."""
    scheduler = _scheduler()  # 8 GB: AM limit 10% rounded up to 1 GB
    first = _submit(scheduler, 1, am=GB)
    second = _submit(scheduler, 2, am=GB)
    assert (first.active, second.active) == (True, False)
    assert [a.attempt_id for a in _drain(scheduler)] == [attempt_id(1)]
    scheduler.remove_attempt(attempt_id(1))
    assert second.active
    [allocation] = scheduler.node_update(node_id(1))
    assert (allocation.attempt_id, allocation.is_am) == (attempt_id(2), True)


def test_first_attempt_of_a_queue_always_activates():
    """The first attempt of a queue activates even when its AM alone exceeds the AM limit."""
    scheduler = _scheduler()
    attempt = _submit(scheduler, 1, am=Resource(4096, 1))
    assert attempt.active
    assert scheduler.node_update(node_id(1))[0].is_am


def test_unmanaged_am_does_not_hold_the_am_limit():
    """An active unmanaged-AM attempt uses no AM resource, so the next attempt activates whatever its AM size."""
    scheduler = _scheduler()
    _submit(scheduler, 1, am=None)
    attempt = _submit(scheduler, 2, am=Resource(4096, 1))
    assert attempt.active


def test_am_limit_is_rounded_up_to_the_minimum_allocation():
    """The AM limit is the queue's share times maximum-am-resource-percent rounded up to the minimum allocation, as Hadoop's multiplyAndNormalizeUp."""
    scheduler = _scheduler(memory=16384)  # 10% of 16 GB = 1638.4 MB, rounded up to 2 GB
    assert scheduler.am_limit(scheduler.find_queue("default")) == Resource(2048, 1)
    attempts = [_submit(scheduler, number, am=GB) for number in (1, 2, 3)]
    assert [attempt.active for attempt in attempts] == [True, True, False]


def test_am_limit_follows_the_queue_percent():
    """A queue's own maximum-am-resource-percent raises its AM limit."""
    scheduler = _scheduler({"default": {"capacity": 100, "maximum-am-resource-percent": 0.5}})
    attempts = [_submit(scheduler, number, am=GB) for number in range(1, 7)]
    assert [attempt.active for attempt in attempts] == [True] * 4 + [False] * 2


def test_am_limit_grows_with_the_cluster():
    """Attempts waiting for the AM limit activate when nodes join and the limit grows."""
    scheduler = _scheduler()
    _submit(scheduler, 1, am=GB)
    second = _submit(scheduler, 2, am=GB)
    assert not second.active
    scheduler.add_node(node_id(2), Resource(8192, 8), "/rack0")
    assert second.active


def test_am_diagnostics_while_the_am_limit_is_reached():
    """An inactive attempt's diagnostics are the CapacityScheduler's AM-limit text with the limits and usage."""
    scheduler = _scheduler()
    _submit(scheduler, 1, am=GB)
    _submit(scheduler, 2, am=GB)
    assert scheduler.am_diagnostics(attempt_id(2)) == (
        "[Application is added to the scheduler and is not yet activated. Queue's AM resource limit "
        "exceeded.  Details : AM Partition = <DEFAULT_PARTITION>; AM Resource Request = "
        "<memory:1024, vCores:1>; Queue Resource Limit for AM = <memory:1024, vCores:1>; User AM "
        "Resource Limit of the queue = <memory:1024, vCores:1>; Queue AM Resource Usage = "
        "<memory:1024, vCores:1>; ]"
    )


def test_am_diagnostics_while_waiting_for_the_am_container():
    """An active attempt still waiting for its AM container reports the queue's absolute capacities."""
    scheduler = _scheduler({"a": {"capacity": 25, "maximum-capacity": 50}, "b": {"capacity": 75}})
    _submit(scheduler, 1, queue="a")
    scheduler.update_asks(attempt_id(1), [_any(1)])
    scheduler.node_update(node_id(1))
    _submit(scheduler, 2, queue="a", am=GB)
    assert scheduler.am_diagnostics(attempt_id(2)) == (
        "[Application is Activated, waiting for resources to be assigned for AM.  Details : AM "
        "Partition = <DEFAULT_PARTITION> ; Partition Resource = <memory:8192, vCores:8> ; Queue's "
        "Absolute capacity = 25.0 % ; Queue's Absolute used capacity = 12.5 % ; Queue's Absolute "
        "max capacity = 50.0 % ; ]"
    )
    scheduler.node_update(node_id(1))
    assert scheduler.am_diagnostics(attempt_id(2)) == ""
    assert scheduler.am_diagnostics(attempt_id(9)) == ""


def test_no_activation_while_the_cluster_is_empty():
    """An attempt added while the cluster has no resource stays inactive, with Hadoop's empty-cluster note, until a node joins."""
    scheduler = _scheduler(nodes=0)
    attempt = _submit(scheduler, 1, am=GB)
    assert not attempt.active
    assert scheduler.am_diagnostics(attempt_id(1)).startswith(
        "[Application is added to the scheduler and is not yet activated. Skipping AM assignment "
        "as cluster resource is empty.  Details : AM Partition = <DEFAULT_PARTITION>; "
    )
    scheduler.add_node(node_id(1), Resource(8192, 8), "/rack0")
    assert attempt.active
    assert scheduler.node_update(node_id(1))[0].is_am


# Queue ordering and limits


def test_least_used_queue_is_offered_the_node_first():
    """When several queues want containers, the one using least of its guaranteed capacity is served first."""
    scheduler = _scheduler(HALVES)
    _submit(scheduler, 1, queue="a")
    _submit(scheduler, 2, queue="b")
    scheduler.update_asks(attempt_id(1), [_any(2)])
    assert _count(_drain(scheduler), 1) == 2
    scheduler.update_asks(attempt_id(1), [_any(1)])
    scheduler.update_asks(attempt_id(2), [_any(1)])
    [first] = scheduler.node_update(node_id(1))
    assert first.queue == "b"
    [second] = scheduler.node_update(node_id(1))
    assert second.queue == "a"


def test_queue_never_grows_beyond_its_maximum_capacity():
    """A queue keeps below its absolute maximum capacity however much it asks and however idle the cluster."""
    tree = {"a": {"capacity": 50, "maximum-capacity": 60, "user-limit-factor": 10}, "b": {"capacity": 50}}
    scheduler = _scheduler(tree, nodes=10, memory=1024)
    _submit(scheduler, 1, queue="a")
    scheduler.update_asks(attempt_id(1), [_any(10)])
    assert _count(_drain(scheduler), 1) == 6
    assert scheduler.find_queue("a").used == Resource(6144, 6)


def test_parent_maximum_capacity_limits_its_children():
    """A leaf whose own maximum is 100% stays within its parent's absolute maximum capacity."""
    tree = {"a": {"capacity": 50, "maximum-capacity": 50, "queues": {"x": {"capacity": 100, "user-limit-factor": 10}}},
            "b": {"capacity": 50}}
    scheduler = _scheduler(tree, nodes=8, memory=1024)
    _submit(scheduler, 1, queue="x")
    scheduler.update_asks(attempt_id(1), [_any(8)])
    assert _count(_drain(scheduler), 1) == 4


def test_a_queue_at_its_limit_is_skipped_for_the_heartbeat():
    """When the first application's request would take a queue past its maximum, the queue gets nothing on that heartbeat (Hadoop's QUEUE_SKIPPED)."""
    tree = {"a": {"capacity": 50, "maximum-capacity": 50, "user-limit-factor": 10}, "b": {"capacity": 50}}
    scheduler = _scheduler(tree, nodes=1, memory=8192)
    _submit(scheduler, 1, queue="a")
    _submit(scheduler, 2, queue="a")
    scheduler.update_asks(attempt_id(1), [_any(1, capability=Resource(3072, 1))])
    assert len(scheduler.node_update(node_id(1))) == 1
    scheduler.update_asks(attempt_id(1), [_any(1, capability=Resource(2048, 1))])
    scheduler.update_asks(attempt_id(2), [_any(1)])
    assert scheduler.node_update(node_id(1)) == []


# User limits


def test_user_limit_factor_one_stops_a_user_just_above_the_queue_capacity():
    """With user-limit-factor 1 a single user stops once above the queue's capacity, overshooting it by one container."""
    tree = {"a": {"capacity": 50, "maximum-capacity": 100}, "b": {"capacity": 50}}
    scheduler = _scheduler(tree, nodes=8, memory=1024)
    _submit(scheduler, 1, queue="a")
    scheduler.update_asks(attempt_id(1), [_any(8)])
    assert _count(_drain(scheduler), 1) == 5
    assert scheduler.find_queue("a").user("alice").used == Resource(5120, 5)


def test_user_limit_factor_above_one_grows_to_maximum_capacity():
    """With user-limit-factor 2 a single user grows elastically up to the queue's maximum capacity."""
    tree = {"a": {"capacity": 50, "maximum-capacity": 75, "user-limit-factor": 2}, "b": {"capacity": 50}}
    scheduler = _scheduler(tree, nodes=8, memory=1024)
    _submit(scheduler, 1, queue="a")
    scheduler.update_asks(attempt_id(1), [_any(8)])
    assert _count(_drain(scheduler), 1) == 6


def test_user_limit_applies_per_user():
    """Another user of the same queue is not held back by the first user's limit."""
    tree = {"a": {"capacity": 50, "maximum-capacity": 100}, "b": {"capacity": 50}}
    scheduler = _scheduler(tree, nodes=8, memory=1024)
    _submit(scheduler, 1, queue="a", user="alice")
    scheduler.update_asks(attempt_id(1), [_any(8)])
    _drain(scheduler)
    _submit(scheduler, 2, queue="a", user="bob")
    scheduler.update_asks(attempt_id(2), [_any(8)])
    assert _count(_drain(scheduler), 2) == 3


def test_minimum_user_limit_percent_shares_the_queue_between_active_users():
    """With minimum-user-limit-percent 50 and two users asking, the first user stops at half the queue (plus one container)."""
    tree = {"default": {"capacity": 100, "minimum-user-limit-percent": 50}}
    scheduler = _scheduler(tree, nodes=8, memory=1024)
    _submit(scheduler, 1, user="alice")
    _submit(scheduler, 2, user="bob")
    scheduler.update_asks(attempt_id(1), [_any(8)])
    scheduler.update_asks(attempt_id(2), [_any(8)])
    allocations = _drain(scheduler)
    assert (_count(allocations, 1), _count(allocations, 2)) == (5, 3)


def test_only_users_with_pending_requests_share_the_user_limit():
    """A user whose applications ask for nothing does not count as active, so it does not shrink the others' user limit."""
    tree = {"default": {"capacity": 100, "minimum-user-limit-percent": 50}}
    scheduler = _scheduler(tree, nodes=8, memory=1024)
    _submit(scheduler, 1, user="alice")
    _submit(scheduler, 2, user="bob")
    scheduler.update_asks(attempt_id(1), [_any(8)])
    assert _count(_drain(scheduler), 1) == 8


# Off-switch assignments per heartbeat


def test_one_off_switch_container_per_heartbeat_by_default():
    """By default a heartbeat assigns at most one off-switch container."""
    scheduler = _scheduler()
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [_any(5)])
    [allocation] = scheduler.node_update(node_id(1))
    assert allocation.locality is NodeType.OFF_SWITCH


def test_maximum_offswitch_assignments_is_configurable():
    """per-node-heartbeat.maximum-offswitch-assignments sets how many off-switch containers one heartbeat may assign."""
    scheduler = _scheduler(values={
        "yarn.scheduler.capacity.per-node-heartbeat.maximum-offswitch-assignments": 3})
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [_any(5)])
    assert len(scheduler.node_update(node_id(1))) == 3


def test_node_local_containers_are_not_capped():
    """Node-local containers are assigned as many per heartbeat as fit."""
    scheduler = _scheduler()
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), _node_ask("host1", "/rack0", 4))
    allocations = scheduler.node_update(node_id(1))
    assert [a.locality for a in allocations] == [NodeType.NODE_LOCAL] * 4


# Delay scheduling


FOUR_NODES = {"nodes": 4, "racks": ("/rack0", "/rack1")}  # host1, host2 in rack0; host3, host4 in rack1


def _rack_local_after(scheduler, host_index, beats=10):
    """Heartbeat one node until it allocates; return how many heartbeats that took and the allocation."""
    for beat in range(1, beats + 1):
        allocations = scheduler.node_update(node_id(host_index))
        if allocations:
            return beat, allocations[0]
    return None, None


def test_rack_local_waits_for_node_locality_delay():
    """A node request is placed rack-local on another node of its rack only after node-locality-delay missed opportunities."""
    scheduler = _scheduler(**FOUR_NODES, values={"yarn.scheduler.capacity.node-locality-delay": 2})
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), _node_ask("host1", "/rack0", 8))
    beat, allocation = _rack_local_after(scheduler, 2)
    assert beat == 3
    assert allocation.locality is NodeType.RACK_LOCAL


def test_node_locality_delay_is_capped_at_the_cluster_size():
    """The rack-local delay is at most the number of nodes, whatever node-locality-delay says."""
    scheduler = _scheduler(**FOUR_NODES)  # node-locality-delay 40
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), _node_ask("host1", "/rack0", 8))
    beat, allocation = _rack_local_after(scheduler, 2)
    assert beat == 5
    assert allocation.locality is NodeType.RACK_LOCAL


def test_node_locality_delay_minus_one_disables_delay_scheduling():
    """With node-locality-delay -1 a node request is placed rack-local at the first opportunity."""
    scheduler = _scheduler(**FOUR_NODES, values={"yarn.scheduler.capacity.node-locality-delay": -1})
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), _node_ask("host1", "/rack0", 8))
    beat, allocation = _rack_local_after(scheduler, 2)
    assert (beat, allocation.locality) == (1, NodeType.RACK_LOCAL)


def test_node_local_placement_has_no_delay():
    """The requested node gets its container at its first heartbeat."""
    scheduler = _scheduler(**FOUR_NODES)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), _node_ask("host1", "/rack0", 1))
    [allocation] = scheduler.node_update(node_id(1))
    assert allocation.locality is NodeType.NODE_LOCAL


def test_off_switch_waits_for_the_locality_wait_factor():
    """On another rack, a node request waits min(nodes, outstanding × (locations − 1) / nodes) missed opportunities."""
    scheduler = _scheduler(**FOUR_NODES)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), _node_ask("host1", "/rack0", 2))  # wait: 2 * 2/4 = 1
    beat, allocation = _rack_local_after(scheduler, 3)
    assert (beat, allocation.locality) == (2, NodeType.OFF_SWITCH)


def test_a_short_off_switch_wait_places_off_switch_before_rack_local():
    """As in Hadoop, when the off-switch wait is shorter than the rack-local delay, a node of the requested rack gets the container off-switch."""
    scheduler = _scheduler(**FOUR_NODES)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), _node_ask("host1", "/rack0", 1))  # wait: 1 * 2/4 < 1
    [allocation] = scheduler.node_update(node_id(2))
    assert allocation.locality is NodeType.OFF_SWITCH
    asks = scheduler.attempts[attempt_id(1)].asks
    assert (asks.any_count((1, 0)), asks.entry((1, 0), "/rack0").count) == (0, 1)


def test_no_off_switch_shortcut_for_a_rack_bound_request():
    """A node request whose ANY has relaxLocality false waits for the rack-local delay instead of going off-switch."""
    scheduler = _scheduler(**FOUR_NODES)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [
        ResourceRequest(1, "host1", GB, 1),
        ResourceRequest(1, "/rack0", GB, 1),
        ResourceRequest(1, ANY, GB, 1, relax_locality=False),
    ])
    beat, allocation = _rack_local_after(scheduler, 2)
    assert (beat, allocation.locality) == (5, NodeType.RACK_LOCAL)


def test_any_only_requests_are_not_delayed():
    """A request with only an ANY ask is placed at the first opportunity."""
    scheduler = _scheduler(**FOUR_NODES)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [_any(1)])
    assert len(scheduler.node_update(node_id(4))) == 1


def test_a_delayed_priority_is_not_overtaken_by_a_lower_one():
    """While an application's first priority waits for locality, its lower priorities get nothing on that node."""
    scheduler = _scheduler(**FOUR_NODES)
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), _node_ask("host1", "/rack0", 8, priority=1) + [_any(1, priority=2)])
    assert scheduler.node_update(node_id(2)) == []


def test_strict_node_request_is_only_placed_on_that_node():
    """A node request with relaxLocality false on its rack and ANY is placed only on that node."""
    scheduler = _scheduler(**FOUR_NODES, values={"yarn.scheduler.capacity.node-locality-delay": -1})
    _submit(scheduler, 1)
    scheduler.update_asks(attempt_id(1), [
        ResourceRequest(1, "host1", GB, 1),
        ResourceRequest(1, "/rack0", GB, 1, relax_locality=False),
        ResourceRequest(1, ANY, GB, 1, relax_locality=False),
    ])
    for _ in range(6):
        assert scheduler.node_update(node_id(2)) == []
        assert scheduler.node_update(node_id(3)) == []
    [allocation] = scheduler.node_update(node_id(1))
    assert allocation.locality is NodeType.NODE_LOCAL


# Headroom


def test_headroom_is_limited_by_the_user_limit():
    """Headroom is the user limit minus what the user holds, when that is the smallest bound."""
    tree = {"a": {"capacity": 50, "maximum-capacity": 75}, "b": {"capacity": 50}}
    scheduler = _scheduler(tree)
    _submit(scheduler, 1, queue="a")
    scheduler.update_asks(attempt_id(1), [_any(2)])
    _drain(scheduler)
    assert scheduler.headroom(attempt_id(1)) == Resource(2048, 2)


def test_headroom_is_limited_by_the_queue_maximum():
    """Headroom is the queue's maximum minus the queue's usage, when other users fill the queue."""
    tree = {"a": {"capacity": 50, "maximum-capacity": 50}, "b": {"capacity": 50}}
    scheduler = _scheduler(tree)
    _submit(scheduler, 1, queue="a", user="alice")
    _submit(scheduler, 2, queue="a", user="bob")
    for number in (1, 2):
        scheduler.update_asks(attempt_id(number), [_any(2)])
    _drain(scheduler)
    assert scheduler.find_queue("a").used == Resource(4096, 4)
    scheduler.update_asks(attempt_id(1), [_any(1)])
    assert scheduler.headroom(attempt_id(1)) == Resource.NONE


def test_headroom_is_limited_by_what_the_cluster_has_available():
    """Headroom is the cluster's available resource when other queues hold the rest."""
    tree = {"a": {"capacity": 50, "user-limit-factor": 2}, "b": {"capacity": 50, "user-limit-factor": 2}}
    scheduler = _scheduler(tree)
    _submit(scheduler, 1, queue="a")
    _submit(scheduler, 2, queue="b")
    scheduler.update_asks(attempt_id(2), [_any(7)])
    _drain(scheduler)
    assert scheduler.headroom(attempt_id(1)) == Resource(1024, 1)


def test_headroom_is_never_negative():
    """A user above its limit has no memory headroom, not a negative one."""
    tree = {"a": {"capacity": 50, "maximum-capacity": 100}, "b": {"capacity": 50}}
    scheduler = _scheduler(tree, nodes=8, memory=1024)
    _submit(scheduler, 1, queue="a")
    scheduler.update_asks(attempt_id(1), [_any(8)])
    _drain(scheduler)
    headroom = scheduler.headroom(attempt_id(1))
    assert headroom.memory == 0 and headroom.vcores >= 0


# Scenario


def test_elastic_queue_holds_the_cluster_until_its_containers_are_freed():
    """Queue a (50%, max 100%, user-limit-factor 2) fills an idle cluster; an application in b gets its AM container only once a frees room."""
    tree = {"a": {"capacity": 50, "maximum-capacity": 100, "user-limit-factor": 2}, "b": {"capacity": 50}}
    scheduler = _scheduler(tree, nodes=4, memory=2048)
    _submit(scheduler, 1, queue="a", am=GB)
    scheduler.update_asks(attempt_id(1), [_any(20)])
    held = _drain(scheduler)
    assert len(held) == 8
    assert scheduler.available_resource.memory == 0
    waiting = _submit(scheduler, 2, queue="b", am=GB)
    assert waiting.active
    assert _drain(scheduler) == []
    worker = next(a for a in held if not a.is_am)
    scheduler.complete(worker.container.id)
    allocations = _drain(scheduler)
    assert [(a.attempt_id, a.is_am, a.container.node_id) for a in allocations] == [
        (attempt_id(2), True, worker.container.node_id)
    ]


def test_dominant_resource_calculator_limits_by_vcores():
    """With the DominantResourceCalculator, a queue's maximum capacity binds on vcores as well as memory."""
    tree = {"a": {"capacity": 50, "maximum-capacity": 50, "user-limit-factor": 10}, "b": {"capacity": 50}}
    scheduler = _scheduler(tree, nodes=4, memory=8192, vcores=2, values={
        "yarn.scheduler.capacity.resource-calculator": DOMINANT_RESOURCE_CALCULATOR})
    _submit(scheduler, 1, queue="a")
    scheduler.update_asks(attempt_id(1), [_any(10, capability=Resource(1024, 1))])
    assert _count(_drain(scheduler), 1) == 4
    assert scheduler.find_queue("a").used == Resource(4096, 4)
